#include "scan.h"
#include "linereader.h"
#include "normalize.h"
#include "parse.h"
#include "prefilter.h"
#include "reader.h"
#include "segmenter.h"
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
};

static void emit_ready(struct scan_state *st, bool all)
{
	unsigned long first_open = all ? (unsigned long)-1 :
				   segmenter_first_open_line(st->seg);
	size_t i = 0, kept;

	while (i < st->nr_pending && st->pending[i]->source.line < first_open) {
		struct incident *inc = st->pending[i++];
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

	st->stats->incidents++;
	ALLOC_GROW(st->pending, st->nr_pending + 1, st->alloc_pending);
	for (j = st->nr_pending; j > 0 && st->pending[j - 1]->source.line > inc->source.line; j--)
		st->pending[j] = st->pending[j - 1];
	st->pending[j] = inc;
	st->nr_pending++;
}

static void on_boot_end(void *data, const struct boot_context *ctx)
{
	struct scan_state *st = data;

	/* The host's open reports belong to the boot that is ending. */
	if (st->seg)
		segmenter_close_host(st->seg, ctx->host);
	if (st->opts->boot_records)
		st->opts->boot_records(st->opts->annotate_data, ctx, queue_incident_cb, st);
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
	struct prefilter *pf = NULL;
	struct scan_state st = { path, opts, hooks, stats, NULL, NULL, NULL, 0, 0 };
	struct line line;
	struct kline kl;
	unsigned long stamped = 0;
	uint64_t reported = 0, raw;
	int ret = 0, got;

	memset(stats, 0, sizeof(*stats));
	r = reader_open_at(path, opts->start_offset, err, sizeof(err));
	if (!r) {
		error("%s: %s", path, err);
		stats->read_error = true;
		return -1;
	}
	reader_start_thread(r);
	lr = linereader_new(r);
	norm = normalizer_new();
	st.ctx = context_tracker_new(path, on_boot_end, &st);
	seg = segmenter_new(on_segment, &st);
	st.seg = seg;
	if (!opts->no_prefilter)
		pf = prefilter_new();

	for (;;) {
		/* Nothing open: jump to the next line that can matter. */
		if (pf && segmenter_idle(seg) && !context_in_boot_phase(st.ctx)) {
			got = linereader_skip_to_candidate(lr, pf);
			if (got <= 0)
				break;
		}
		got = linereader_next(lr, &line);
		if (got <= 0)
			break;
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
			if (kl.has_ktime)
				stamped++;
			else if (stamped)
				continue;
		}
		if (!kl.host && opts->host) {
			kl.host = opts->host;
			kl.host_len = strlen(opts->host);
		}
		context_observe(st.ctx, &kl, line.lineno);
		segmenter_feed_line(seg, &kl, line.lineno, line.offset + opts->start_offset);
		if (st.nr_pending)
			emit_ready(&st, false);
	}
	if (got < 0) {
		error("%s: %s (scanned what came before)", path,
		      reader_error(r) ? reader_error(r) : "read error");
		stats->read_error = true;
		ret = -1;
	}
	if (opts->progress && reader_raw_offset(r) > reported)
		opts->progress(opts->progress_data, reader_raw_offset(r) - reported);
	stats->cut_lines = linereader_cut_lines(lr);
	stats->lines = linereader_lineno(lr);
	stats->bytes = linereader_offset(lr);
	/* Reports still open at the end belong to the current boots. */
	st.seg = NULL;
	segmenter_finish(seg);
	context_tracker_finish(st.ctx);	/* may add boot records */
	emit_ready(&st, true);
	free(st.pending);
	normalizer_free(norm);
	linereader_free(lr);
	reader_close(r);
	prefilter_free(pf);
	return ret;
}
