/*
** ksift symbolize: the job of the kernel's decode_stacktrace.sh, in one
** process. Every frame line gains " (file:line file:line …)" — the list
** `addr2line -i` prints, innermost first, build directory stripped — and every
** other line passes through unchanged. --json prints one object per frame.
**
** The kernel release of each line's kernel comes from the last "Linux version"
** or "[Not ]Tainted:" line seen; the KASLR slide of raw "[<addr>]" frames from
** the last frame of that release that printed both an address and func+off.
*/
#include "config.h"
#include "builtin.h"
#include "options.h"
#include "json.h"
#include "textsafe.h"
#include "frame.h"
#include "linereader.h"
#include "normalize.h"
#include "reader.h"
#include "strbuf.h"
#include "symbolizer.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct symbolize_state {
	struct symbolizer *sym;
	bool json;
	char *release;			/* current kernel release, NULL = none */
	bool has_slide;
	uint64_t slide;
	bool warned_no_slide;
	struct strbuf out;
};

/* The release in "… Tainted: G W 4.4.0-137-generic #163-Ubuntu" or
 * "Linux version 6.1.0-13-amd64 (…", or NULL. */
static char *parse_release(const char *msg, size_t len)
{
	const char *end = msg + len, *p, *q;

	if ((p = mem_find(msg, len, "Linux version "))) {
		p += strlen("Linux version ");
		for (q = p; q < end && *q != ' '; q++)
			;
		return q > p ? xstrndup(p, (size_t)(q - p)) : NULL;
	}
	p = mem_find(msg, len, "ainted");
	if (!p || !(mem_find(msg, len, "Not tainted ") ||
		    mem_find(msg, len, "Tainted: ")))
		return NULL;
	q = mem_find(p, (size_t)(end - p), " #");
	if (!q)
		q = end;
	while (q > p && q[-1] == ' ')
		q--;
	for (p = q; p > msg && p[-1] != ' '; p--)
		;
	return q > p ? xstrndup(p, (size_t)(q - p)) : NULL;
}

/* A JSON string (json.h's quoting: controls, C1, bidi, invalid UTF-8), or null. */
static void json_str_or_null(struct strbuf *sb, const char *s)
{
	if (!s)
		strbuf_addstr(sb, "null");
	else
		json_quote(sb, s, strlen(s));
}

static void emit_json(struct symbolize_state *st, unsigned long lineno,
		      const struct frame *f)
{
	struct strbuf *sb = &st->out;

	strbuf_addf(sb, "{\"line\":%lu,\"func\":", lineno);
	json_str_or_null(sb, f->func);
	if (f->has_off)
		strbuf_addf(sb, ",\"off\":%" PRIu64 ",\"size\":%" PRIu64,
			    f->off, f->size);
	if (f->has_addr)
		strbuf_addf(sb, ",\"addr\":\"0x%" PRIx64 "\"", f->addr);
	strbuf_addstr(sb, ",\"module\":");
	json_str_or_null(sb, f->module);
	strbuf_addstr(sb, ",\"reliable\":");
	strbuf_addstr(sb, f->reliable ? "true" : "false");
	strbuf_addstr(sb, ",\"src\":");
	json_str_or_null(sb, f->src);
	strbuf_addstr(sb, ",\"inlined\":[");
	for (size_t i = 0; i < f->nr_inlined; i++) {
		strbuf_addstr(sb, i ? ",{\"func\":" : "{\"func\":");
		json_str_or_null(sb, f->inlined[i].func);
		strbuf_addstr(sb, ",\"src\":");
		json_str_or_null(sb, f->inlined[i].src);
		strbuf_addch(sb, '}');
	}
	strbuf_addstr(sb, "]}\n");
}

static void handle_line(struct symbolize_state *st, struct normalizer *norm,
			const struct line *ln)
{
	struct kline kl;
	struct frame f;
	struct frame_span span;
	bool is_frame, resolved = false;
	char *rel;

	normalize_line(norm, ln->ptr, ln->len, &kl);
	rel = parse_release(kl.msg, kl.msg_len);
	if (rel) {
		if (!st->release || strcmp(rel, st->release)) {
			st->has_slide = false;
			st->warned_no_slide = false;
		}
		free(st->release);
		st->release = rel;
	}
	memset(&f, 0, sizeof(f));
	is_frame = frame_parse_line(kl.msg, kl.msg_len, &f, &span);
	if (!is_frame) {
		memset(&span, 0, sizeof(span));
		is_frame = frame_parse_ip_line(kl.msg, kl.msg_len, &f);
		span.end = kl.msg_len;
	}
	if (is_frame) {
		uint64_t slide;
		if (symbolizer_frame_slide(st->sym, st->release, &f, &slide)) {
			st->slide = slide;
			st->has_slide = true;
		}
		if (!f.func && !f.module && f.has_addr && !st->has_slide) {
			if (!st->warned_no_slide)
				warning("line %lu: raw address left unresolved: no "
					"earlier frame printed both an address and "
					"func+off, so the KASLR slide is unknown",
					ln->lineno);
			st->warned_no_slide = true;
		} else {
			resolved = symbolizer_resolve_frame_slide(st->sym,
					st->release, &f, st->has_slide,
					st->slide) == 0;
		}
	}
	if (st->json) {
		if (is_frame)
			emit_json(st, ln->lineno, &f);
	} else if (resolved) {
		/* Insert after the frame text when it lies in the raw line. */
		size_t at = ln->len;
		if (kl.msg >= ln->ptr && kl.msg + kl.msg_len <= ln->ptr + ln->len)
			at = (size_t)(kl.msg - ln->ptr) + span.end;
		/* the log's bytes through the output sanitizer (textsafe.h):
		   lines pass through, terminal controls do not */
		text_escape(&st->out, ln->ptr, at, false);
		strbuf_addstr(&st->out, " (");
		text_escape(&st->out, f.src, strlen(f.src), false);
		for (size_t i = 0; i < f.nr_inlined; i++) {
			const char *src = f.inlined[i].src ? f.inlined[i].src : "??:0";
			strbuf_addch(&st->out, ' ');
			text_escape(&st->out, src, strlen(src), false);
		}
		strbuf_addch(&st->out, ')');
		text_escape(&st->out, ln->ptr + at, ln->len - at, false);
		strbuf_addch(&st->out, '\n');
	} else {
		text_escape(&st->out, ln->ptr, ln->len, false);
		strbuf_addch(&st->out, '\n');
	}
	if (is_frame)
		frame_release(&f);
	if (st->out.len >= 1 << 16) {
		fwrite(st->out.buf, 1, st->out.len, stdout);
		strbuf_reset(&st->out);
	}
}

int cmd_symbolize(int argc, char **argv)
{
	struct symbolizer_options opts = { .debuginfod = true };
	struct symbolize_state st = { .out = STRBUF_INIT };
	const struct option_spec options[] = {
		OPT_STRING("vmlinux", 0, &opts.vmlinux, "FILE", "vmlinux with debuginfo (any release)"),
		OPT_STRING("modules", 0, &opts.modules_dir, "DIR",
			   "directory searched for NAME.ko(.debug)"),
		OPT_STRING("debug-root", 0, &opts.debug_root, "DIR",
			   "distribution debug tree (default /usr/lib/debug)"),
		OPT_UNSET("no-debuginfod", &opts.debuginfod,
			  "do not fetch by build ID even if DEBUGINFOD_URLS is set"),
		OPT_FLAG("json", 0, &st.json, "one JSON object per frame instead of text"),
		OPT_FLAG("quiet", 'q', &opts.quiet, "no warnings about missing debuginfo"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "symbolize",
		.synopsis = "[options] [FILE|-]",
		.description = "Adds source file:line and inline chains to every kernel stack frame\n"
			       "line; other lines pass through unchanged.\n",
		.options = options,
		.min_operands = 0, .max_operands = 1,
	};
	struct reader *r = NULL;
	struct linereader *lr = NULL;
	struct normalizer *norm = NULL;
	const char *path = "-";
	char errbuf[256];
	struct line ln;
	int first, ret = EXIT_CLEAN, rc;

	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	if (first < argc)
		path = argv[first];
	r = reader_open(path, errbuf, sizeof(errbuf));
	if (!r) {
		error("%s: %s", path, errbuf);
		return EXIT_INPUT;
	}
	lr = linereader_new(r);
	norm = normalizer_new();
	st.sym = symbolizer_new(&opts);
	while ((rc = linereader_next(lr, &ln)) == 1)
		handle_line(&st, norm, &ln);
	if (rc < 0) {
		error("%s: %s", path, reader_error(r));
		ret = EXIT_INPUT;
	}
	fwrite(st.out.buf, 1, st.out.len, stdout);
	if (fflush(stdout) != 0) {
		error("writing output: %m");
		ret = EXIT_INPUT;
	}
	strbuf_release(&st.out);
	free(st.release);
	symbolizer_free(st.sym);
	normalizer_free(norm);
	linereader_free(lr);
	reader_close(r);
	return ret;
}
