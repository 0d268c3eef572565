/*
** ksift scan: find, parse and report every kernel incident in the inputs.
*/
#include "builtin.h"
#include "group.h"
#include "report.h"
#include "scan.h"
#include "util.h"
#include "walk.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char scan_usage[] =
	"usage: ksift scan [options] PATH...\n"
	"\n"
	"Find every kernel incident in the logs under PATH (files, directories\n"
	"walked recursively, '-' for stdin; gzip/xz/zstd/bzip2 by content).\n"
	"\n"
	"  --json            one JSON object per incident per line (schema: README)\n"
	"  --color=WHEN      auto (default: on a terminal, unless NO_COLOR), always, never\n"
	"  --host NAME       host for lines whose wrapper names none\n"
	"  -q, --quiet       no summary line on stderr\n"
	"  --no-group        report each incident of a flood separately\n"
	"  --no-prefilter    look at every line (slower; for checking the fast path)\n"
	"  -h, --help        this text\n"
	"\n"
	"Exit status: 0 no incident, 1 incidents found, 2 usage or input error.\n";

struct scan_sink {
	bool json;
	struct grouper *grouper;	/* NULL with --no-group */
	struct text_style style;
	struct strbuf out;
	unsigned long incidents;
};

static void emit_incident(void *data, struct incident *inc)
{
	struct scan_sink *sink = data;

	strbuf_reset(&sink->out);
	if (sink->json)
		report_json(inc, &sink->out);
	else
		report_text(inc, &sink->style, &sink->out);
	fwrite(sink->out.buf, 1, sink->out.len, stdout);
	sink->incidents++;
	incident_free(inc);
}

/* scan hook: floods go through the grouper, which calls emit_incident. */
static void take_incident(void *data, struct incident *inc)
{
	struct scan_sink *sink = data;

	if (sink->grouper)
		grouper_add(sink->grouper, inc);
	else
		emit_incident(sink, inc);
}

static bool want_color(const char *when)
{
	if (!strcmp(when, "always"))
		return true;
	if (!strcmp(when, "never"))
		return false;
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "color", required_argument, NULL, 'C' },
		{ "colour", required_argument, NULL, 'C' },
		{ "host", required_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-prefilter", no_argument, NULL, 'P' },
		{ "no-group", no_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_sink sink = { 0 };
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { take_incident, NULL, &sink };
	bool group = true;
	struct walk_list inputs = { 0 };
	const char *color = "auto";
	bool quiet = false;
	unsigned errors = 0;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': sink.json = true; break;
		case 'C':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never")) {
				error("scan: --color takes auto, always or never");
				return EXIT_INPUT;
			}
			color = optarg;
			break;
		case 'H': opts.host = optarg; break;
		case 'q': quiet = true; break;
		case 'P': opts.no_prefilter = true; break;
		case 'G': group = false; break;
		case 'h': fputs(scan_usage, stdout); return EXIT_CLEAN;
		default: fputs(scan_usage, stderr); return EXIT_INPUT;
		}
	}
	if (optind >= argc) {
		if (isatty(STDIN_FILENO)) {
			fputs(scan_usage, stderr);
			return EXIT_INPUT;
		}
		argv[--optind] = "-";
	}
	strbuf_init(&sink.out, 4096);
	sink.style.color = want_color(color);
	walk_inputs(&inputs, argv + optind, argc - optind);
	errors = inputs.errors;
	for (size_t i = 0; i < inputs.nr; i++) {
		struct scan_stats stats;
		/* Floods never span files. */
		sink.grouper = group ? grouper_new(emit_incident, &sink) : NULL;
		if (scan_input(inputs.paths[i], &opts, &hooks, &stats) < 0)
			errors++;
		grouper_finish(sink.grouper);
		sink.grouper = NULL;
		if (stats.cut_lines)
			warning("%s: %lu lines longer than 64 KiB were cut",
				inputs.paths[i], stats.cut_lines);
		fflush(stdout);
	}
	if (!quiet)
		fprintf(stderr, "ksift: %lu incident%s in %zu file%s%s\n", sink.incidents,
			sink.incidents == 1 ? "" : "s", inputs.nr, inputs.nr == 1 ? "" : "s",
			errors ? " (with input errors, see above)" : "");
	ret = errors ? EXIT_INPUT : sink.incidents ? EXIT_FOUND : EXIT_CLEAN;
	walk_list_release(&inputs);
	strbuf_release(&sink.out);
	return ret;
}
