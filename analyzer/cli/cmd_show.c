/*
** ksift show: a post-mortem view of one collected log — for each host and
** boot, the context (release, hardware, hypervisor, CPU, taint, command line),
** then that boot's incidents in input order with their full traces. Floods
** and sysrq dumps are summarised as in ksift scan: one record per stack with
** its members (--no-group shows every report).
*/
#include "builtin.h"
#include "dbpath.h"
#include "flame.h"
#include "follows.h"
#include "group.h"
#include "html.h"
#include "profile.h"
#include "options.h"
#include "sigdb.h"
#include "report.h"
#include "textsafe.h"
#include "scan.h"
#include "sigdb.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct shown {			/* a rendered boot header or incident */
	char *host;
	unsigned long line;
	char *text;
	bool is_boot;
};

struct show_state {
	struct text_style style;
	struct sigdb *db;		/* NULL: --no-db */
	struct grouper *grouper;	/* NULL with --no-group */
	struct shown *items;
	size_t nr, alloc;
	unsigned long incidents, only;
	struct follows_tracker *follows;	/* per input */
	struct html_show *html;		/* --html */
};

static void add_item(struct show_state *st, const char *host, unsigned long line,
		     char *text, bool is_boot)
{
	ALLOC_GROW(st->items, st->nr + 1, st->alloc);
	st->items[st->nr].host = host ? xstrdup(host) : NULL;
	st->items[st->nr].line = line;
	st->items[st->nr].text = text;
	st->items[st->nr].is_boot = is_boot;
	st->nr++;
}

/* "  label: value[ #build]\n" when value is known. */
static void show_fact(struct strbuf *sb, const char *label, const char *value, const char *build)
{
	if (!value)
		return;
	strbuf_addstr(sb, label);
	text_escape(sb, value, strlen(value), false);
	if (build) {
		strbuf_addstr(sb, " #");
		text_escape(sb, build, strlen(build), false);
	}
	strbuf_addch(sb, '\n');
}

static void show_boot(void *data, const struct boot_context *ctx)
{
	struct show_state *st = data;
	struct strbuf sb = STRBUF_INIT;
	const char *b = st->style.color ? "\033[1m" : "", *r = st->style.color ? "\033[0m" : "";

	if (st->html) {
		html_show_boot(st->html, ctx);
		return;
	}

	/* Every value comes from the log: through the output sanitizer. */
	strbuf_addf(&sb, "%s== %s", b, ctx->host ? "host " : "log");
	if (ctx->host)
		text_escape(&sb, ctx->host, strlen(ctx->host), false);
	strbuf_addf(&sb, ", %s line %lu%s\n", ctx->saw_boot ? "boot at" : "from",
		    ctx->first_line, r);
	show_fact(&sb, "  release:    ", ctx->release, ctx->build);
	show_fact(&sb, "  hardware:   ", ctx->hardware, NULL);
	show_fact(&sb, "  hypervisor: ", ctx->hypervisor, NULL);
	show_fact(&sb, "  cpu:        ", ctx->cpu_model, NULL);
	show_fact(&sb, "  cmdline:    ", ctx->cmdline, NULL);
	if (!ctx->release && !ctx->hardware && !ctx->cmdline && !ctx->hypervisor)
		strbuf_addstr(&sb, "  (the log does not show this boot's kernel)\n");
	strbuf_addch(&sb, '\n');
	add_item(st, ctx->host, ctx->first_line, strbuf_detach(&sb, NULL), true);
}

static void show_incident(void *data, struct incident *inc)
{
	struct show_state *st = data;
	struct strbuf sb = STRBUF_INIT;

	st->incidents++;
	sigdb_settle(st->db, inc);
	follows_link(st->follows, inc);
	if (st->html) {
		html_show_incident(st->html, inc);
		return;
	}
	if (!st->only || st->incidents == st->only) {
		strbuf_addf(&sb, "#%lu ", st->incidents);
		report_text(inc, &st->style, &sb);
		add_item(st, inc->host, inc->source.line, strbuf_detach(&sb, NULL), false);
	}
	incident_free(inc);
}

static void group_incident(void *data, struct incident *inc)
{
	struct show_state *st = data;

	if (st->grouper)
		grouper_add(st->grouper, inc);
	else
		show_incident(st, inc);
}

static void show_annotate(void *data, struct incident *inc, const struct boot_context *ctx)
{
	sigdb_match_incident(data, inc, ctx);
}

static void show_boot_records(void *data, const struct boot_context *ctx,
			      void (*add)(void *scan, struct incident *inc), void *scan)
{
	sigdb_match_boot(data, ctx, add, scan);
}

static bool same_host(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Boot headers first (by line), each followed by its host's incidents. */
static void print_grouped(struct show_state *st)
{
	bool *done = xcalloc(st->nr ? st->nr : 1, sizeof(bool));

	for (size_t i = 0; i < st->nr; i++) {
		const struct shown *boot = &st->items[i];
		unsigned long until = (unsigned long)-1;
		bool any = false;

		if (!boot->is_boot)
			continue;
		/* This boot lasts until the next boot of the same host. */
		for (size_t j = 0; j < st->nr; j++)
			if (st->items[j].is_boot && same_host(st->items[j].host, boot->host) &&
			    st->items[j].line > boot->line && st->items[j].line < until)
				until = st->items[j].line;
		for (size_t j = 0; j < st->nr; j++) {
			const struct shown *it = &st->items[j];
			if (it->is_boot || done[j] || !same_host(it->host, boot->host) ||
			    it->line >= until)
				continue;
			if (!any && !st->only)
				fputs(boot->text, stdout);
			any = true;
			fputs(it->text, stdout);
			done[j] = true;
		}
		if (!any && !st->only)
			fputs(boot->text, stdout);
	}
	/* Incidents of hosts the context tracker never saw (none expected). */
	for (size_t j = 0; j < st->nr; j++)
		if (!st->items[j].is_boot && !done[j])
			fputs(st->items[j].text, stdout);
	free(done);
}

static int cmp_line(const void *a, const void *b)
{
	const struct shown *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->is_boot ? -1 : y->is_boot ? 1 : 0;
}

/* The profile's flame graph on stdout. */
static int show_flame(const char *path)
{
	char err[256];
	struct profile *p = scan_read_profile(path, err, sizeof(err));
	struct strbuf sb = STRBUF_INIT;
	const char *base = strrchr(path, '/');

	if (!p) {
		error("%s: %s", path, err);
		return EXIT_INPUT;
	}
	flame_svg(p, base ? base + 1 : path, &sb);
	fwrite(sb.buf, 1, sb.len, stdout);
	strbuf_release(&sb);
	profile_free(p);
	return EXIT_CLEAN;
}

/* --html: every input in turn into one page, matched as for the text view. */
static int show_html(struct show_state *st, const struct scan_options *opts, int nr,
		     char **paths, bool group)
{
	struct scan_hooks hooks = { group_incident, show_boot, st, NULL };
	struct strbuf out = STRBUF_INIT;
	struct scan_stats stats;
	bool failed = false;

	st->html = html_show_new();
	for (int i = 0; i < nr; i++) {
		html_show_input(st->html, paths[i]);
		st->grouper = group ? grouper_new(show_incident, st) : NULL;
		st->follows = follows_new();
		memset(&stats, 0, sizeof(stats));
		failed |= scan_input(paths[i], opts, &hooks, &stats) < 0;
		grouper_finish(st->grouper);
		follows_free(st->follows);
		scan_stats_release(&stats);
	}
	html_show_write(st->html, &out);
	fwrite(out.buf, 1, out.len, stdout);
	html_show_free(st->html);
	sigdb_close(st->db);
	strbuf_release(&out);
	return failed ? EXIT_INPUT : st->incidents ? EXIT_FOUND : EXIT_CLEAN;
}

int cmd_show(int argc, char **argv)
{
	struct show_state st = { 0 };
	bool group = true, no_db = false, flame = false, html = false;
	const char *color = "auto", *dbfile = NULL;
	const struct option_spec options[] = {
		OPT_ULONG("id", 0, &st.only, "N", 1, ULONG_MAX,
			  "only the N-th incident (1-based, in input order)"),
		OPT_UNSET("no-group", &group, "every report of a flood or dump on its own"),
		OPT_CHOICE("color", &color, "=WHEN", "auto|always|never",
			   "auto (default: on a terminal unless NO_COLOR), always, never"),
		OPT_CHOICE("colour", &color, "=WHEN", "auto|always|never", "the same as --color"),
		OPT_STRING("db", 0, &dbfile, "FILE|DIR",
			   "signatures: a compiled database, a directory of\n.sig files or one (default: $KSIFT_DB, else the\nbuilt one)"),
		OPT_FLAG("no-db", 0, &no_db, "no known-bug matching"),
		OPT_FLAG("flame", 0, &flame,
			 "the flame graph of a CPU profile (perf script, perf report\n"
			 "--stdio, folded stacks) as one self-contained SVG"),
		OPT_FLAG("html", 0, &html, "one self-contained page of every FILE (> postmortem.html)"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "show",
		.synopsis = "[--color=WHEN] [--id N] [--no-group] [--db FILE|--no-db] FILE\n"
			    "--html [--no-group] [--db FILE|--no-db] FILE...\n--flame PROFILE > flame.svg",
		.description = "Post-mortem view of one log: per host and boot the context, then every\n"
			       "incident of that boot in full, with the known bugs it matches as in scan.\n",
		.options = options,
		.footer = "Exit status: 0 no incident, 1 incidents found, 2 usage or input error.\n",
		.min_operands = 1, .max_operands = -1,	/* one without --html */
	};
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { group_incident, show_boot, &st, NULL };
	struct scan_stats stats;
	struct strbuf safe = STRBUF_INIT;
	int first, ret;

	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	if (flame && first == argc - 1)
		return show_flame(argv[first]);
	if (!no_db) {
		struct strbuf err = STRBUF_INIT;
		char *def = dbfile ? NULL : dbpath_default();
		const char *use = dbfile ? dbfile : def;
		if (use && !(st.db = dbpath_open(use, &err))) {
			error_lines(err.buf);
			strbuf_release(&err);
			free(def);
			return EXIT_INPUT;
		}
		strbuf_release(&err);
		free(def);
	}
	if (st.db) {
		opts.annotate = show_annotate;
		opts.boot_records = show_boot_records;
		opts.annotate_data = st.db;
	}
	if (html && !flame)
		return show_html(&st, &opts, argc - first, argv + first, group);
	if (first != argc - 1) {
		error("show: one FILE (several with --html, one with --flame)");
		options_usage(&cmd, stderr);
		sigdb_close(st.db);
		return EXIT_INPUT;
	}
	st.style.full = true;
	st.style.color = !strcmp(color, "always") ||
		(!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	if (group)
		st.grouper = grouper_new(show_incident, &st);
	st.follows = follows_new();
	ret = scan_input(argv[first], &opts, &hooks, &stats);
	grouper_finish(st.grouper);
	follows_free(st.follows);
	if (st.nr)
		qsort(st.items, st.nr, sizeof(*st.items), cmp_line);
	print_grouped(&st);
	if (!st.incidents)
		printf("no kernel incident in %s (%lu lines)\n", text_safe(&safe, argv[first]),
		       stats.lines);
	else if (st.only && st.only > st.incidents)
		printf("no incident #%lu: %s has %lu\n", st.only, text_safe(&safe, argv[first]),
		       st.incidents);
	for (size_t i = 0; i < st.nr; i++) {
		free(st.items[i].host);
		free(st.items[i].text);
	}
	free(st.items);
	sigdb_close(st.db);
	scan_stats_release(&stats);
	strbuf_release(&safe);
	return ret < 0 ? EXIT_INPUT : st.incidents ? EXIT_FOUND : EXIT_CLEAN;
}
