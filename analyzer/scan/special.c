/*
** special: the inputs that are not kernel logs — CPU profiles and /proc
** stack captures — read line by line into records, and the dispatch from
** a sniffed kind to its scanner.
*/
#include "scan_impl.h"
#include "linereader.h"
#include "procstack.h"
#include "profile.h"
#include "profile_formats.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

struct emit {
	const struct scan_options *opts;
	const struct scan_hooks *hooks;
	struct scan_stats *stats;
	const char *host;
};

/* A record made here: matched (with the profile still at hand), then out. */
static void emit(void *data, struct incident *inc)
{
	struct emit *e = data;

	if (!inc->host && e->host)
		inc->host = xstrdup(e->host);
	if (e->opts->annotate)
		e->opts->annotate(e->opts->annotate_data, inc, NULL);
	if (inc->profile)
		inc->profile->fold = NULL;	/* the fold dies with this scan */
	e->stats->incidents++;
	if (e->hooks->incident)
		e->hooks->incident(e->hooks->data, inc);
	else
		incident_free(inc);
}

/* Read every line of r into fn; 0, or -1 after reporting a read error. */
static int each_line(struct reader *r, const char *path, struct scan_stats *stats,
		     void (*fn)(void *data, const struct line *l), void *data)
{
	struct linereader *lr = linereader_new(r);
	struct line line;
	int got, ret = 0;

	while ((got = linereader_next(lr, &line)) > 0)
		fn(data, &line);
	if (got < 0) {
		error("%s: %s (scanned what came before)", path, linereader_error(lr));
		stats->read_error = true;
		ret = -1;
	}
	stats->lines = linereader_lineno(lr);
	stats->bytes = linereader_offset(lr);
	stats->cut_lines = linereader_cut_lines(lr);
	linereader_complete(lr, &stats->complete_offset, &stats->complete_lines);
	linereader_free(lr);
	return ret;
}

static void profile_line(void *data, const struct line *l)
{
	profile_parser_line(data, l->ptr, l->len);
}

int scan_profile(struct reader *r, enum input_kind kind, const char *path,
		 const struct scan_options *opts, const struct scan_hooks *hooks,
		 struct scan_stats *stats)
{
	enum profile_format f = kind == INPUT_PERF_REPORT ? PROFILE_PERF_REPORT :
				kind == INPUT_FOLDED ? PROFILE_FOLDED : PROFILE_PERF_SCRIPT;
	struct profile *p = profile_new(profile_format_name(f));
	struct profile_parser *pp = profile_parser_new(f, p);
	struct emit e = { opts, hooks, stats, opts->host };
	int ret = each_line(r, path, stats, profile_line, pp);

	profile_parser_finish(pp);
	profile_parser_free(pp);
	if (profile_truncated(p))
		warning("%s: more than %d distinct stacks or %d function names: the rest "
			"are counted as one", path, PROFILE_MAX_STACKS, PROFILE_MAX_SYMBOLS);
	profile_findings(p, opts->profile_threshold, path, stats->lines, emit, &e);
	profile_free(p);
	return ret;
}

static void proc_line(void *data, const struct line *l)
{
	proc_parser_line(data, l->ptr, l->len, l->lineno);
}

struct profile *scan_read_profile(const char *path, char *err, size_t errlen)
{
	struct reader *r = reader_open(path, err, errlen);
	struct profile_parser *pp;
	struct profile *p;
	struct linereader *lr;
	struct line line;
	enum input_kind kind;
	enum profile_format f;
	const char *head;
	size_t n;
	int got;

	if (!r)
		return NULL;
	n = reader_peek(r, &head);
	kind = sniff_input(head, n);
	if (kind != INPUT_PERF_SCRIPT && kind != INPUT_PERF_REPORT && kind != INPUT_FOLDED) {
		snprintf(err, errlen, "not a CPU profile (perf script, perf report --stdio or "
			 "folded stacks) but %s", input_kind_name(kind));
		reader_close(r);
		return NULL;
	}
	f = kind == INPUT_PERF_REPORT ? PROFILE_PERF_REPORT :
	    kind == INPUT_FOLDED ? PROFILE_FOLDED : PROFILE_PERF_SCRIPT;
	p = profile_new(profile_format_name(f));
	pp = profile_parser_new(f, p);
	reader_start_thread(r);
	lr = linereader_new(r);
	while ((got = linereader_next(lr, &line)) > 0)
		profile_parser_line(pp, line.ptr, line.len);
	profile_parser_finish(pp);
	if (got < 0)
		error("%s: %s (read what came before)", path, linereader_error(lr));
	profile_parser_free(pp);
	linereader_free(lr);
	reader_close(r);
	return p;
}

int scan_proc(struct reader *r, const char *path, const struct scan_options *opts,
	      const struct scan_hooks *hooks, struct scan_stats *stats)
{
	struct proc_parser *pp = proc_parser_new(path);
	struct emit e = { opts, hooks, stats, opts->host };
	int ret = each_line(r, path, stats, proc_line, pp);

	proc_parser_finish(pp, emit, &e);
	proc_parser_free(pp);
	return ret;
}

int scan_stream(struct reader *r, enum input_kind kind, const char *path,
		const struct scan_options *opts, const struct scan_hooks *hooks,
		struct scan_stats *stats, struct reader *progress_reader)
{
	switch (kind) {
	case INPUT_PERF_SCRIPT:
	case INPUT_PERF_REPORT:
	case INPUT_FOLDED:
		return scan_profile(r, kind, path, opts, hooks, stats);
	case INPUT_PROC_STACKS:
		return scan_proc(r, path, opts, hooks, stats);
	case INPUT_CORE:
		/* scan_input() reads a core file itself (scan_core); this one is
		   a stream (stdin): a core is read with random access. */
		error("%s: a core dump is read from a file, not a stream: save it first", path);
		stats->read_error = true;
		return -1;
	default:
		/* A binary file named on the command line is scanned all the same. */
		return scan_log(r, path, opts, hooks, stats, progress_reader);
	}
}
