/*
** ksift show: a post-mortem view of one collected log — for each host and
** boot, the context (release, hardware, hypervisor, CPU, taint, command line),
** then that boot's incidents in input order with their full traces. Floods
** and sysrq dumps are summarised as in ksift scan: one record per stack with
** its members (--no-group shows every report).
*/
#include "builtin.h"
#include "group.h"
#include "options.h"
#include "report.h"
#include "textsafe.h"
#include "scan.h"
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
	struct grouper *grouper;	/* NULL with --no-group */
	struct shown *items;
	size_t nr, alloc;
	unsigned long incidents, only;
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

int cmd_show(int argc, char **argv)
{
	struct show_state st = { 0 };
	bool group = true;
	const char *color = "auto";
	const struct option_spec options[] = {
		OPT_ULONG("id", 0, &st.only, "N", 1, ULONG_MAX,
			  "only the N-th incident (1-based, in input order)"),
		OPT_UNSET("no-group", &group, "every report of a flood or dump on its own"),
		OPT_CHOICE("color", &color, "=WHEN", "auto|always|never",
			   "auto (default: on a terminal unless NO_COLOR), always, never"),
		OPT_CHOICE("colour", &color, "=WHEN", "auto|always|never", "the same as --color"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "show",
		.synopsis = "[--color=WHEN] [--id N] [--no-group] FILE",
		.description = "Post-mortem view of one log: per host and boot the context, then every\n"
			       "incident of that boot in full.\n",
		.options = options,
		.footer = "Exit status: 0 no incident, 1 incidents found, 2 usage or input error.\n",
		.min_operands = 1, .max_operands = 1,
	};
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { group_incident, show_boot, &st };
	struct scan_stats stats;
	struct strbuf safe = STRBUF_INIT;
	int first, ret;

	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	st.style.full = true;
	st.style.color = !strcmp(color, "always") ||
		(!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	if (group)
		st.grouper = grouper_new(show_incident, &st);
	ret = scan_input(argv[first], &opts, &hooks, &stats);
	grouper_finish(st.grouper);
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
	strbuf_release(&safe);
	return ret < 0 ? EXIT_INPUT : st.incidents ? EXIT_FOUND : EXIT_CLEAN;
}
