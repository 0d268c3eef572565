#include "scan.h"
#include "linereader.h"
#include "normalize.h"
#include "classify.h"
#include "parse.h"
#include "prefilter.h"
#include "reader.h"
#include "segmenter.h"
#include "testpause.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct scan_state {
	const char *path;
	const struct scan_options *opts;
	const struct scan_hooks *hooks;
	struct scan_stats *stats;
	struct context_tracker *ctx;
	struct segmenter *seg;
	/*
	 * Parsed incidents wait here, sorted by first line, until no open
	 * incident started before them: output follows input order even when
	 * reports from several hosts or CPUs interleave.
	 */
	struct incident **pending;
	size_t nr_pending, alloc_pending;
	/* Chunked scans: the chunk's first line, once reached. */
	bool in_chunk, in_tail;
	unsigned long chunk_first_line, chunk_end_line;
};

/*
 * Records wait while an earlier boot is in its early phase (its conditions
 * may still come, with that boot's first line), but never more than this
 * many: a fleet log where some host is always booting must still stream.
 */
#define PENDING_MAX 4096

static void emit_ready(struct scan_state *st, bool all)
{
	unsigned long first_open = all ? (unsigned long)-1 :
				   segmenter_first_open_line(st->seg);
	size_t i = 0, kept;

	if (!all && st->nr_pending < PENDING_MAX) {
		unsigned long booting = context_first_phase_line(st->ctx);
		if (booting < first_open)
			first_open = booting;
	}
	while (i < st->nr_pending && st->pending[i]->source.line < first_open) {
		struct incident *inc = st->pending[i++];
		/* Chunks number lines from their first (the runner rebases
		   them on the lines of the chunks before); a resumed scan
		   counts on from the lines read before. */
		incident_rebase_lines(inc, (long)st->opts->line_base -
				      (st->opts->chunk_end ? (long)st->chunk_first_line - 1 : 0));
		if (st->hooks->incident)
			st->hooks->incident(st->hooks->data, inc);
		else
			incident_free(inc);
	}
	kept = st->nr_pending - i;
	if (i && kept)
		memmove(st->pending, st->pending + i, kept * sizeof(*st->pending));
	st->nr_pending = kept;
}

static void queue_incident(struct scan_state *st, struct incident *inc);

/* An incident closed: parse it now, while its boot context is current. */
static void on_segment(void *data, struct raw_incident *ri)
{
	struct scan_state *st = data;
	const struct boot_context *ctx =
		context_current(st->ctx, ri->host, ri->host ? strlen(ri->host) : 0);
	struct incident *inc = parse_incident(ri, ctx, st->path);

	if (st->opts->annotate)
		st->opts->annotate(st->opts->annotate_data, inc, ctx);
	queue_incident(st, inc);
}

static void queue_incident_cb(void *data, struct incident *inc)
{
	queue_incident(data, inc);
}

static void queue_incident(struct scan_state *st, struct incident *inc)
{
	size_t j;

	if (st->opts->chunk_end) {
		/* Started in the warm-up before the chunk: the previous chunk's;
		   in the tail after it (a boot record): the next chunk's. */
		if (!st->in_chunk || inc->source.line < st->chunk_first_line ||
		    (st->in_tail && inc->source.line >= st->chunk_end_line)) {
			incident_free(inc);
			return;
		}
	}
	st->stats->incidents++;
	ALLOC_GROW(st->pending, st->nr_pending + 1, st->alloc_pending);
	for (j = st->nr_pending; j > 0 && st->pending[j - 1]->source.line > inc->source.line; j--)
		st->pending[j] = st->pending[j - 1];
	st->pending[j] = inc;
	st->nr_pending++;
}

/* A chunk's final view of each host, for the chunks after it. */
static void keep_facts(void *data, const struct boot_context *ctx)
{
	struct scan_stats *stats = data;
	struct scan_host_facts *f;

	stats->facts = xrealloc(stats->facts, (stats->nr_facts + 1) * sizeof(*stats->facts));
	f = &stats->facts[stats->nr_facts++];
	f->began = ctx->began;
#define DUP(x) ((x) ? xstrdup(x) : NULL)
	f->host = DUP(ctx->host);
	f->release = DUP(ctx->release);
	f->build = DUP(ctx->build);
	f->hardware = DUP(ctx->hardware);
	f->hypervisor = DUP(ctx->hypervisor);
	f->arch = DUP(ctx->arch);
	f->cmdline = DUP(ctx->cmdline);
#undef DUP
}

void scan_stats_release(struct scan_stats *stats)
{
	for (size_t i = 0; i < stats->nr_facts; i++) {
		struct scan_host_facts *f = &stats->facts[i];
		free(f->host);
		free(f->release);
		free(f->build);
		free(f->hardware);
		free(f->hypervisor);
		free(f->arch);
		free(f->cmdline);
	}
	free(stats->facts);
	stats->facts = NULL;
	stats->nr_facts = 0;
}

/* A boot's early phase ended: its boot-level records (conditions) now. */
static void on_phase_end(void *data, const struct boot_context *ctx)
{
	struct scan_state *st = data;

	if (st->opts->boot_records)
		st->opts->boot_records(st->opts->annotate_data, ctx, queue_incident_cb, st);
}

static void on_boot_end(void *data, const struct boot_context *ctx)
{
	struct scan_state *st = data;

	/* The host's open reports belong to the boot that is ending. */
	if (st->seg)
		segmenter_close_host(st->seg, ctx->host);
	if (st->hooks->boot_end)
		st->hooks->boot_end(st->hooks->data, ctx);
}

int scan_input(const char *path, const struct scan_options *opts,
	       const struct scan_hooks *hooks, struct scan_stats *stats)
{
	char err[256];
	struct reader *r;
	struct linereader *lr = NULL;
	struct normalizer *norm = NULL;
	struct segmenter *seg = NULL;
	const struct prefilter *pf = NULL;
	struct prefilter *own_pf = NULL;
	struct scan_state st = { path, opts, hooks, stats, NULL, NULL, NULL, 0, 0,
				 false, false, 0, 0 };
	uint64_t base = opts->start_offset;
	bool chunked = opts->chunk_end > 0, tail = false;
	struct line line;
	struct kline kl;
	unsigned long stamped = 0;
	bool unstamped_report = false;	/* accepting an unstamped report */
	uint64_t reported = 0, raw;
	int ret = 0, got;

	memset(stats, 0, sizeof(*stats));
	if (chunked)
		base = opts->chunk_start > CHUNK_WARMUP ? opts->chunk_start - CHUNK_WARMUP : 0;
	test_pause("open");
	r = reader_open_at(path, base, err, sizeof(err));
	if (!r) {
		error("%s: %s", path, err);
		stats->read_error = true;
		return -1;
	}
	reader_start_thread(r);
	lr = linereader_new(r);
	norm = normalizer_new();
	st.ctx = context_tracker_new(path, on_boot_end, &st);
	context_on_phase_end(st.ctx, on_phase_end);
	seg = segmenter_new(on_segment, &st);
	st.seg = seg;
	if (!opts->no_prefilter)
		pf = opts->prefilter ? opts->prefilter : (own_pf = prefilter_new());

	/* A chunk read from mid-file starts mid-line: skip to the next line. */
	if (chunked && base && linereader_next(lr, &line) <= 0)
		goto done;
	for (;;) {
		/* Past the chunk's end: only what is still open matters. */
		if (tail && segmenter_idle(seg) && !context_in_boot_phase(st.ctx))
			break;
		/* Nothing open: jump to the next line that can matter. */
		if (pf && segmenter_idle(seg) && !context_in_boot_phase(st.ctx)) {
			/* Never skip over a chunk boundary: its line numbers count. */
			uint64_t stop = !chunked ? UINT64_MAX :
				!st.in_chunk ? opts->chunk_start - base :
				!tail ? (opts->chunk_end == UINT64_MAX ? UINT64_MAX :
					 opts->chunk_end - base) : UINT64_MAX;
			got = linereader_skip_to_candidate(lr, pf, stop);
			if (got <= 0)
				break;
		}
		got = linereader_next(lr, &line);
		if (got <= 0)
			break;
		if (chunked) {
			uint64_t at = base + line.offset;
			if (!st.in_chunk && at >= opts->chunk_start) {
				st.in_chunk = true;
				st.chunk_first_line = line.lineno;
			}
			if (!tail && at >= opts->chunk_end) {
				tail = true;
				st.in_tail = true;
				st.chunk_end_line = line.lineno;
				stats->lines = line.lineno - st.chunk_first_line;
				segmenter_stop_opening(seg);
				if (segmenter_idle(seg) && !context_in_boot_phase(st.ctx))
					break;
			}
		}
		if (opts->progress && (raw = reader_raw_offset(r)) - reported >= (4u << 20)) {
			opts->progress(opts->progress_data, raw - reported);
			reported = raw;
		}
		normalize_line(norm, line.ptr, line.len, &kl);
		if (kl.origin == ORIGIN_OTHER) {
			if (kl.boot_marker)
				context_observe(st.ctx, &kl, line.lineno);
			continue;
		}
		/*
		 * In a log whose kernel lines carry timestamps, an unstamped
		 * raw line is console noise (a login prompt, program output),
		 * never part of a kernel report.
		 */
		if (kl.origin == ORIGIN_RAW) {
			if (kl.has_ktime) {
				stamped++;
				unstamped_report = false;
			} else if (stamped && !unstamped_report) {
				/* Unless it starts a report: some collectors append
				   the crash report without timestamps. */
				unsigned flags;
				if (classify_start(kl.msg, kl.msg_len, &flags) == KIND_NONE && !flags)
					continue;
				unstamped_report = true;
			} else if (stamped && segmenter_idle(seg)) {
				/* That report ended: back to dropping noise. */
				unsigned flags;
				unstamped_report = false;
				if (classify_start(kl.msg, kl.msg_len, &flags) == KIND_NONE && !flags)
					continue;
				unstamped_report = true;
			}
		}
		if (!kl.host && opts->host) {
			kl.host = opts->host;
			kl.host_len = strlen(opts->host);
		}
		context_observe(st.ctx, &kl, line.lineno);
		segmenter_feed_line(seg, &kl, line.lineno, line.offset + base);
		if (st.nr_pending)
			emit_ready(&st, false);
	}
	if (got < 0) {
		error("%s: %s (scanned what came before)", path, linereader_error(lr));
		stats->read_error = true;
		ret = -1;
	}
	if (opts->progress && reader_raw_offset(r) > reported)
		opts->progress(opts->progress_data, reader_raw_offset(r) - reported);
done:
	{
		uint64_t off;
		unsigned long lines;
		linereader_complete(lr, &off, &lines);
		stats->complete_offset = base + off;
		stats->complete_lines = opts->line_base + lines;
	}
	stats->cut_lines = linereader_cut_lines(lr);
	if (!chunked)
		stats->lines = linereader_lineno(lr);
	else if (!tail)		/* the file ended inside the chunk */
		stats->lines = st.in_chunk ? linereader_lineno(lr) - st.chunk_first_line + 1 : 0;
	stats->bytes = linereader_offset(lr);
	/* Reports still open at the end belong to the current boots. */
	st.seg = NULL;
	segmenter_finish(seg);
	if (chunked)
		context_foreach(st.ctx, keep_facts, stats);
	context_tracker_finish(st.ctx);	/* may add boot records */
	emit_ready(&st, true);
	free(st.pending);
	normalizer_free(norm);
	linereader_free(lr);
	reader_close(r);
	prefilter_free(own_pf);
	return ret;
}
