/*
** ksift show: a post-mortem view of one collected log — per host and boot
** the context (release, hardware, hypervisor, command line), then every
** incident in input order with its full trace.
*/
#include "builtin.h"
#include "report.h"
#include "scan.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char show_usage[] =
	"usage: ksift show [--color=WHEN] [--id N] FILE\n"
	"\n"
	"Post-mortem view of one log: boot contexts, then every incident in full.\n"
	"  --id N        only the N-th incident (1-based)\n"
	"  --color=WHEN  auto (default), always, never\n";

struct show_state {
	struct text_style style;
	struct strbuf out;
	unsigned long n, only;
};

static void show_boot(void *data, const struct boot_context *ctx)
{
	struct show_state *st = data;

	if (!ctx->release && !ctx->hardware && !ctx->cmdline && !ctx->hypervisor)
		return;
	if (st->only)
		return;
	printf("%s== boot%s%s (from line %lu)%s\n", st->style.color ? "\033[1m" : "",
	       ctx->host ? " of " : "", ctx->host ? ctx->host : "", ctx->first_line,
	       st->style.color ? "\033[0m" : "");
	if (ctx->release)
		printf("  release:    %s%s%s\n", ctx->release, ctx->build ? " #" : "",
		       ctx->build ? ctx->build : "");
	if (ctx->hardware)
		printf("  hardware:   %s\n", ctx->hardware);
	if (ctx->hypervisor)
		printf("  hypervisor: %s\n", ctx->hypervisor);
	if (ctx->cpu_model)
		printf("  cpu:        %s\n", ctx->cpu_model);
	if (ctx->cmdline)
		printf("  cmdline:    %s\n", ctx->cmdline);
	printf("\n");
}

static void show_incident(void *data, struct incident *inc)
{
	struct show_state *st = data;

	st->n++;
	if (!st->only || st->n == st->only) {
		strbuf_reset(&st->out);
		strbuf_addf(&st->out, "#%lu ", st->n);
		report_text(inc, &st->style, &st->out);
		fwrite(st->out.buf, 1, st->out.len, stdout);
	}
	incident_free(inc);
}

int cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "color", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct show_state st = { 0 };
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { show_incident, show_boot, &st };
	struct scan_stats stats;
	const char *color = "auto";
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'i': st.only = strtoul(optarg, NULL, 10); break;
		case 'C': color = optarg; break;
		case 'h': fputs(show_usage, stdout); return EXIT_CLEAN;
		default: fputs(show_usage, stderr); return EXIT_INPUT;
		}
	}
	if (optind != argc - 1) {
		fputs(show_usage, stderr);
		return EXIT_INPUT;
	}
	st.style.full = true;
	st.style.color = !strcmp(color, "always") ||
		(!strcmp(color, "auto") && isatty(STDOUT_FILENO) && !getenv("NO_COLOR"));
	strbuf_init(&st.out, 4096);
	ret = scan_input(argv[optind], &opts, &hooks, &stats);
	if (!st.n)
		printf("no kernel incident found in %s (%lu lines)\n", argv[optind], stats.lines);
	strbuf_release(&st.out);
	return ret < 0 ? EXIT_INPUT : st.n ? EXIT_FOUND : EXIT_CLEAN;
}
