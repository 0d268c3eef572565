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
};

static void on_segment(void *data, struct raw_incident *ri)
{
	struct scan_state *st = data;
	const struct boot_context *ctx =
		context_current(st->ctx, ri->host, ri->host ? strlen(ri->host) : 0);
	struct incident *inc = parse_incident(ri, ctx, st->path);

	st->stats->incidents++;
	if (st->hooks->incident)
		st->hooks->incident(st->hooks->data, inc);
	else
		incident_free(inc);
}

static void on_boot_end(void *data, const struct boot_context *ctx)
{
	struct scan_state *st = data;

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
	struct scan_state st = { path, opts, hooks, stats, NULL };
	struct line line;
	struct kline kl;
	unsigned long stamped = 0;
	int ret = 0, got;

	memset(stats, 0, sizeof(*stats));
	r = reader_open_at(path, opts->start_offset, err, sizeof(err));
	if (!r) {
		error("%s: %s", path, err);
		stats->read_error = true;
		return -1;
	}
	lr = linereader_new(r);
	norm = normalizer_new();
	st.ctx = context_tracker_new(path, on_boot_end, &st);
	seg = segmenter_new(on_segment, &st);
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
	}
	if (got < 0) {
		error("%s: %s (scanned what came before)", path,
		      reader_error(r) ? reader_error(r) : "read error");
		stats->read_error = true;
		ret = -1;
	}
	stats->cut_lines = linereader_cut_lines(lr);
	stats->lines = linereader_lineno(lr);
	stats->bytes = linereader_offset(lr);
	segmenter_finish(seg);
	context_tracker_finish(st.ctx);
	normalizer_free(norm);
	linereader_free(lr);
	reader_close(r);
	prefilter_free(pf);
	return ret;
}
