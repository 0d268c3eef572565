#include "scan.h"
#include "scan_impl.h"
#include "linereader.h"
#include "normalize.h"
#include "classify.h"
#include "coremsg.h"
#include "usercrash.h"
#include "parse.h"
#include "prefilter.h"
#include "reader.h"
#include "segmenter.h"
#include "testpause.h"
#include "title.h"
#include "util.h"

#include <stdio.h>
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
	/* Each host's boot when the chunk's own lines end (the tail read
	   after them may start another): the boot_line of its facts. */
	struct scan_host_facts *at_end;
	size_t nr_at_end;
	/* A systemd-coredump message being collected line by line. */
	struct coremsg *cmsg;
	unsigned long cmsg_first, cmsg_last;
	uint64_t cmsg_offset;
	/* Where the scan is, for holding segfaults (see scan.h). */
	unsigned long cur_line;
	double cur_wall;
	bool has_cur_wall;
	/* Kernel lines with timestamps seen; accepting an unstamped report. */
	unsigned long stamped;
	bool unstamped_report;
};

/*
 * Records wait while an earlier boot is in its early phase (its conditions
 * may still come, with that boot's first line), but never more than this
 * many: a fleet log where some host is always booting must still stream.
 */
#define PENDING_MAX 4096

/* A held segfault may go once no coredump message can be its crash's. */
static bool hold_expired(const struct scan_state *st, const struct incident *inc)
{
	double w;

	if (st->cur_line > inc->source.end_line + SEGFAULT_HOLD_LINES)
		return true;
	return st->has_cur_wall && usercrash_wall_seconds(inc->wall, &w) &&
	       st->cur_wall - w > SEGFAULT_HOLD_SECONDS;
}

/*
 * Chunked scans: whether this chunk owns a record starting on LINE. The
 * warm-up before the chunk is the previous chunk's, the tail after it the
 * next one's; each chunk reads both only to finish what crosses its edges.
 */
static bool chunk_owns(const struct scan_state *st, unsigned long line)
{
	if (!st->opts->chunk_end)
		return true;
	return st->in_chunk && line >= st->chunk_first_line &&
	       !(st->in_tail && line >= st->chunk_end_line);
}

/* A kernel segfault line still waiting for its coredump message. */
static bool holding_segfault(const struct scan_state *st)
{
	for (size_t i = 0; i < st->nr_pending; i++)
		if (st->pending[i]->kind == KIND_SEGFAULT && !hold_expired(st, st->pending[i]))
			return true;
	return false;
}

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
		struct incident *inc = st->pending[i];
		if (!all && inc->kind == KIND_SEGFAULT && !hold_expired(st, inc))
			break;
		i++;
		if (!chunk_owns(st, inc->source.line)) {
			/* a crash's other half, read across the chunk's edge */
			st->stats->incidents--;
			incident_free(inc);
			continue;
		}
		/* Chunks number lines from their first (the runner rebases
		   them on the lines of the chunks before); a resumed scan
		   counts on from the lines read before. */
		incident_rebase_lines(inc, (long)st->opts->line_base -
				      (st->opts->chunk_end ? (long)st->chunk_first_line - 1 : 0));
		/* A boot that began before the chunk: the runner knows its
		   line from the earlier chunks (0 until then). */
		if (st->opts->chunk_end)
			inc->boot_line = inc->boot_line >= st->chunk_first_line ?
					 inc->boot_line - (st->chunk_first_line - 1) : 0;
		if (inc->boot_line)
			inc->boot_line += st->opts->line_base;
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

	inc->boot_line = ctx->first_line;
	if (st->opts->annotate)
		st->opts->annotate(st->opts->annotate_data, inc, ctx);
	queue_incident(st, inc);
}

static void queue_incident_cb(void *data, struct incident *inc)
{
	queue_incident(data, inc);
}

/* The record's title, hash and matches again, after a merge changed it. */
static void reannotate(struct scan_state *st, struct incident *inc)
{
	for (size_t i = 0; i < inc->nr_matches; i++)
		match_release(&inc->matches[i]);
	inc->nr_matches = 0;
	title_assign(inc);
	if (st->opts->annotate)
		st->opts->annotate(st->opts->annotate_data, inc,
				   context_current(st->ctx, inc->host,
						   inc->host ? strlen(inc->host) : 0));
}

static void pending_remove(struct scan_state *st, size_t i)
{
	memmove(st->pending + i, st->pending + i + 1,
		(st->nr_pending - i - 1) * sizeof(*st->pending));
	st->nr_pending--;
	st->stats->incidents--;
}

/*
 * A kernel segfault/trap record and a coredump record of one crash become
 * one, whichever is queued last (the kernel's line is usually still open
 * in the segmenter when systemd-coredump's message has been read). Returns
 * the record to queue: INC, or the coredump record INC merged into.
 */
static struct incident *merge_crash(struct scan_state *st, struct incident *inc)
{
	bool seg = inc->kind == KIND_SEGFAULT;

	if (!seg && inc->kind != KIND_COREDUMP)
		return inc;
	for (size_t i = st->nr_pending; i-- > 0;) {
		struct incident *o = st->pending[i];
		struct incident *core = seg ? o : inc, *kern = seg ? inc : o;
		const struct extra *src;
		if (o->kind != (seg ? KIND_COREDUMP : KIND_SEGFAULT))
			continue;
		src = incident_extra(core, "sources");
		if (src && src->str && strstr(src->str, "kernel"))
			continue;	/* it has its kernel line */
		if (!usercrash_same_crash(core, kern, SEGFAULT_HOLD_SECONDS))
			continue;
		usercrash_merge_kernel(core, kern);
		pending_remove(st, i);
		incident_free(kern);
		reannotate(st, core);
		return core;
	}
	return inc;
}

static void queue_incident(struct scan_state *st, struct incident *inc)
{
	size_t j;

	/*
	 * Started in the warm-up before the chunk: the previous chunk's; in the
	 * tail after it: the next chunk's. Except a crash's kernel line or
	 * coredump message: the two halves of one crash may lie on both sides
	 * of the edge, so both chunks merge them and the one that owns the
	 * merged record's first line keeps it (emit_ready() drops the rest).
	 */
	if (inc->kind != KIND_SEGFAULT && inc->kind != KIND_COREDUMP &&
	    !chunk_owns(st, inc->source.line)) {
		incident_free(inc);
		return;
	}
	inc = merge_crash(st, inc);
	st->stats->incidents++;
	ALLOC_GROW(st->pending, st->nr_pending + 1, st->alloc_pending);
	for (j = st->nr_pending; j > 0 && st->pending[j - 1]->source.line > inc->source.line; j--)
		st->pending[j] = st->pending[j - 1];
	st->pending[j] = inc;
	st->nr_pending++;
}

static void finish_coremsg(struct scan_state *st)
{
	struct incident *inc = coremsg_finish(st->cmsg, st->path, st->cmsg_first,
					      st->cmsg_last, st->cmsg_offset);
	const struct boot_context *ctx;

	st->cmsg = NULL;
	if (!inc->host && st->opts->host)
		inc->host = xstrdup(st->opts->host);
	ctx = context_current(st->ctx, inc->host, inc->host ? strlen(inc->host) : 0);
	if (st->opts->annotate)
		st->opts->annotate(st->opts->annotate_data, inc, ctx);
	queue_incident(st, inc);
}

/* The fields an entry carried ("KEY=VALUE\n" lines) into the record. */
static void coremsg_fields(struct coremsg *m, const char *f, size_t len)
{
	const char *end = f + len;

	while (f < end) {
		const char *nl = memchr(f, '\n', (size_t)(end - f)), *eq;
		if (!nl)
			nl = end;
		if ((eq = memchr(f, '=', (size_t)(nl - f)))) {
			char *key = xmemdupz(f, (size_t)(eq - f));
			coremsg_add_field(m, key, eq + 1, (size_t)(nl - eq - 1));
			free(key);
		}
		f = nl + 1;
	}
}

static bool from_coredump(const struct kline *kl)
{
	return kl->origin == ORIGIN_OTHER &&
	       (!kl->prog || (kl->prog_len == 16 && !memcmp(kl->prog, "systemd-coredump", 16))) &&
	       coremsg_is_start(kl->msg, kl->msg_len);
}

/* A systemd-coredump message starts: whole in this line (JSON, export,
 * rsyslog's "#012" escapes) or continued on the next lines. */
static void start_coremsg(struct scan_state *st, const struct kline *kl,
			  const struct line *line, uint64_t base)
{
	char host[256] = "";

	if (st->cmsg)
		finish_coremsg(st);
	if (kl->host)
		snprintf(host, sizeof(host), "%.*s", (int)kl->host_len, kl->host);
	st->cmsg = coremsg_begin(kl->msg, kl->msg_len, kl->host ? host : NULL, kl->wall);
	st->cmsg_first = st->cmsg_last = line->lineno;
	st->cmsg_offset = line->offset + base;
	if (kl->fields)
		coremsg_fields(st->cmsg, kl->fields, kl->fields_len);
	if (kl->full_msg && kl->full_msg_len > kl->msg_len) {
		coremsg_add_message(st->cmsg, kl->full_msg, kl->full_msg_len, "\n");
		finish_coremsg(st);
	} else if (kl->full_msg || mem_find(kl->msg, kl->msg_len, "#012")) {
		coremsg_add_message(st->cmsg, kl->msg, kl->msg_len, "#012");
		finish_coremsg(st);
	}
}

/*
 * A line after a coredump message's first: journalctl -o short* indents
 * the message's later lines, syslog without escaping writes them bare.
 * true when the line was the message's; otherwise the message is over.
 */
static bool continue_coremsg(struct scan_state *st, const struct kline *kl,
			     const struct line *line)
{
	const char *p = line->ptr, *end = line->ptr + line->len;

	if (p < end && (*p == ' ' || *p == '\t'))
		p = mem_skip_blanks(p, end);
	else if (kl->origin != ORIGIN_RAW || kl->has_ktime || kl->wall[0] || kl->host)
		p = NULL;
	if (p && coremsg_add_line(st->cmsg, p, (size_t)(end - p))) {
		st->cmsg_last = line->lineno;
		return true;
	}
	finish_coremsg(st);
	return false;
}

/* Where a host's boot starts in the chunk's numbering (0: before it). */
static unsigned long chunk_boot_line(const struct scan_state *st, const struct boot_context *ctx)
{
	return ctx->first_line >= st->chunk_first_line ?
	       ctx->first_line - (st->chunk_first_line - 1) : 0;
}

/* The chunk's own lines end: note each host's boot (see at_end). */
static void mark_boot(void *data, const struct boot_context *ctx)
{
	struct scan_state *st = data;
	struct scan_host_facts *f;

	st->at_end = xrealloc(st->at_end, (st->nr_at_end + 1) * sizeof(*st->at_end));
	f = &st->at_end[st->nr_at_end++];
	memset(f, 0, sizeof(*f));
	f->host = ctx->host ? xstrdup(ctx->host) : NULL;
	f->boot_line = chunk_boot_line(st, ctx);
}

static unsigned long boot_at_end(const struct scan_state *st, const struct boot_context *ctx)
{
	if (!st->in_tail)		/* the input ended inside the chunk */
		return chunk_boot_line(st, ctx);
	for (size_t i = 0; i < st->nr_at_end; i++)
		if ((!ctx->host && !st->at_end[i].host) ||
		    (ctx->host && st->at_end[i].host && !strcmp(ctx->host, st->at_end[i].host)))
			return st->at_end[i].boot_line;
	return 0;			/* first seen in the tail */
}

/* A chunk's final view of each host, for the chunks after it. */
static void keep_facts(void *data, const struct boot_context *ctx)
{
	const struct scan_state *st = data;
	struct scan_stats *stats = st->stats;
	struct scan_host_facts *f;

	stats->facts = xrealloc(stats->facts, (stats->nr_facts + 1) * sizeof(*stats->facts));
	f = &stats->facts[stats->nr_facts++];
	f->began = ctx->began;
	f->boot_line = boot_at_end(st, ctx);
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

/*
 * In a log whose kernel lines carry timestamps, an unstamped raw line is
 * console noise (a login prompt, program output), never part of a kernel
 * report — unless it starts one: some collectors append the crash report
 * without timestamps, and it is accepted until the segmenter closes it.
 */
static bool is_console_noise(struct scan_state *st, const struct kline *kl)
{
	unsigned flags;

	if (kl->has_ktime) {
		st->stamped++;
		st->unstamped_report = false;
		return false;
	}
	if (!st->stamped || (st->unstamped_report && !segmenter_idle(st->seg)))
		return false;
	st->unstamped_report = false;
	if (classify_start(kl->msg, kl->msg_len, &flags) == KIND_NONE && !flags)
		return true;
	st->unstamped_report = true;
	return false;
}

/*
 * A chunked scan's line at file offset AT: note where the chunk's own lines
 * start, and at its end stop opening reports (only those still open are
 * read on). Returns true at the first line past the chunk.
 */
static bool chunk_line(struct scan_state *st, uint64_t at, unsigned long lineno)
{
	const struct scan_options *opts = st->opts;

	if (!st->in_chunk && at >= opts->chunk_start) {
		st->in_chunk = true;
		st->chunk_first_line = lineno;
	}
	if (at < opts->chunk_end)
		return false;
	st->in_tail = true;
	st->chunk_end_line = lineno;
	context_foreach(st->ctx, mark_boot, st);
	st->stats->lines = lineno - st->chunk_first_line;
	segmenter_stop_opening(st->seg);
	return true;
}

int scan_log(struct reader *r, const char *path, const struct scan_options *opts,
	     const struct scan_hooks *hooks, struct scan_stats *stats,
	     struct reader *progress_reader)
{
	struct linereader *lr = NULL;
	struct normalizer *norm = NULL;
	struct segmenter *seg = NULL;
	const struct prefilter *pf = NULL;
	struct prefilter *own_pf = NULL;
	struct scan_state st = { .path = path, .opts = opts, .hooks = hooks, .stats = stats };
	uint64_t base = opts->start_offset;
	bool chunked = opts->chunk_end > 0, tail = false;
	struct line line;
	struct kline kl;
	uint64_t reported = 0, raw;
	int ret = 0, got;

	if (chunked)
		base = opts->chunk_start > CHUNK_WARMUP ? opts->chunk_start - CHUNK_WARMUP : 0;
	/* Progress counts the file's compressed bytes, also for archive members. */
	if (!progress_reader)
		progress_reader = r;
	else
		reported = reader_raw_offset(progress_reader);
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
		if (tail && segmenter_idle(seg) && !context_in_boot_phase(st.ctx) &&
		    !holding_segfault(&st))
			break;
		/* Nothing open: jump to the next line that can matter. */
		if (pf && segmenter_idle(seg) && !context_in_boot_phase(st.ctx) && !st.cmsg &&
		    linereader_lineno(lr)) {
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
		if (chunked && !tail && chunk_line(&st, base + line.offset, line.lineno)) {
			tail = true;
			if (segmenter_idle(seg) && !context_in_boot_phase(st.ctx) &&
			    !holding_segfault(&st))
				break;
		}
		if (opts->progress && (raw = reader_raw_offset(progress_reader)) - reported >= (4u << 20)) {
			opts->progress(opts->progress_data, raw - reported);
			reported = raw;
		}
		normalize_line(norm, line.ptr, line.len, &kl);
		/* journalctl -o export spreads an entry over lines: read them all. */
		if (kl.export_format)
			pf = NULL;
		st.cur_line = line.lineno;
		if (kl.wall[0] && usercrash_wall_seconds(kl.wall, &st.cur_wall))
			st.has_cur_wall = true;
		if (st.cmsg && continue_coremsg(&st, &kl, &line))
			continue;
		if (from_coredump(&kl)) {
			start_coremsg(&st, &kl, &line, base);
			if (st.nr_pending)
				emit_ready(&st, false);
			continue;
		}
		if (kl.origin == ORIGIN_OTHER) {
			if (kl.boot_marker)
				context_observe(st.ctx, &kl, line.lineno);
			continue;
		}
		if (kl.origin == ORIGIN_RAW && is_console_noise(&st, &kl))
			continue;
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
	if (opts->progress && reader_raw_offset(progress_reader) > reported)
		opts->progress(opts->progress_data, reader_raw_offset(progress_reader) - reported);
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
	if (st.cmsg)
		finish_coremsg(&st);
	/* Reports still open at the end belong to the current boots. */
	st.seg = NULL;
	segmenter_finish(seg);
	if (chunked)
		context_foreach(st.ctx, keep_facts, &st);
	context_tracker_finish(st.ctx);	/* may add boot records */
	emit_ready(&st, true);
	free(st.pending);
	for (size_t i = 0; i < st.nr_at_end; i++)
		free(st.at_end[i].host);
	free(st.at_end);
	normalizer_free(norm);
	linereader_free(lr);
	prefilter_free(own_pf);
	return ret;
}
