/*
** ksift: offline kernel crash and log forensics. This file only dispatches
** to the subcommand; each lives in its own cmd_*.c.
*/
#include "config.h"
#include "builtin.h"

#include <stdio.h>
#include <string.h>

struct subcommand {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};

static const struct subcommand subcommands[] = {
	{ "scan", cmd_scan, "find, parse and report kernel incidents in logs" },
	{ "show", cmd_show, "post-mortem view of one collected log" },
	{ "symbolize", cmd_symbolize, "add source lines and inline chains to stack frames" },
	{ "report", cmd_report, "fleet summary of a results database" },
	{ "merge", cmd_merge, "merge results databases (e.g. one per shard)" },
	{ "db", cmd_db, "the known-bug signature database (build, test, list, ...)" },
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ksift [--version] [--help] <command> [<args>]\n\n"
		"commands:\n");
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].help);
	fprintf(out,
		"\n'ksift <command> --help' describes a command.\n"
		"Exit status: 0 nothing found, 1 incidents found, 2 usage or input error.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("ksift %s\n", PACKAGE_VERSION);
		return EXIT_CLEAN;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return EXIT_CLEAN;
	}
	/* "ksift help db test" is "ksift db test --help": the words move one
	   left, and --help takes the last place (argv[argc] is NULL again). */
	if (!strcmp(argv[1], "help")) {
		static char help_opt[] = "--help";
		for (int i = 1; i < argc - 1; i++)
			argv[i] = argv[i + 1];
		argv[argc - 1] = help_opt;
	}
	for (size_t i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ksift: '%s' is not a ksift command\n", argv[1]);
	usage(stderr);
	return EXIT_INPUT;
}
