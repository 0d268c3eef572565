/*
** options: one table per command drives both the parsing of its options
** (getopt_long underneath) and its --help text, after git's parse-options,
** so the two cannot disagree. tests/manpages.sh holds the man page to the
** same text.
**
** Owns nothing: each option's value points at the caller's variable;
** strings stored there point into argv.
*/
#ifndef KSIFT_OPTIONS_H
#define KSIFT_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>

enum option_type {
	OPTION_END,		/* terminates the table */
	OPTION_FLAG,		/* bool *value = true */
	OPTION_UNSET,		/* bool *value = false ("--no-group") */
	OPTION_STRING,		/* const char **value = the argument */
	OPTION_ULONG,		/* unsigned long *value, decimal, in [min, max] */
	OPTION_CHOICE,		/* const char **value, one of choices ("a|b|c") */
	OPTION_CALLBACK,	/* parse(arg, value): 0, or -1 after printing why */
};

struct option_spec {
	enum option_type type;
	const char *long_name;		/* without "--" */
	char short_name;		/* 0: none */
	void *value;
	const char *argh;		/* the argument's name in --help ("N"); NULL: none */
	/* Help text; '\n' starts a continuation line, indented under it. */
	const char *help;
	unsigned long min, max;		/* OPTION_ULONG */
	const char *choices;		/* OPTION_CHOICE */
	int (*parse)(const char *arg, void *value);	/* OPTION_CALLBACK */
};

/* Table rows, as git writes them (OPT_BOOL, OPT_STRING…). */
#define OPT_FLAG(l, s, v, h) \
	{ .type = OPTION_FLAG, .long_name = (l), .short_name = (s), .value = (v), .help = (h) }
#define OPT_UNSET(l, v, h) \
	{ .type = OPTION_UNSET, .long_name = (l), .value = (v), .help = (h) }
#define OPT_STRING(l, s, v, a, h) { .type = OPTION_STRING, .long_name = (l), \
	.short_name = (s), .value = (v), .argh = (a), .help = (h) }
#define OPT_ULONG(l, s, v, a, lo, hi, h) { .type = OPTION_ULONG, .long_name = (l), \
	.short_name = (s), .value = (v), .argh = (a), .help = (h), .min = (lo), .max = (hi) }
#define OPT_CHOICE(l, v, a, c, h) { .type = OPTION_CHOICE, .long_name = (l), \
	.value = (v), .argh = (a), .help = (h), .choices = (c) }
#define OPT_CALLBACK(l, v, a, fn, h) { .type = OPTION_CALLBACK, .long_name = (l), \
	.value = (v), .argh = (a), .help = (h), .parse = (fn) }
#define OPT_END() { .type = OPTION_END }

struct command_spec {
	const char *name;		/* "scan", "db test" */
	/* What follows "usage: ksift NAME "; '\n' separates usage lines. */
	const char *synopsis;
	const char *description;	/* printed after the usage line(s); may be NULL */
	const struct option_spec *options;
	const char *footer;		/* printed after the options; may be NULL */
	int min_operands, max_operands;	/* max -1: any number */
};

/*
 * Parse argv[1..argc) of the command (argv[0] is its name). Returns the
 * index of the first operand, or -1 when the command is to end at once:
 * --help was asked (usage on stdout, *status EXIT_CLEAN) or the arguments
 * are wrong (the reason and the usage on stderr, *status EXIT_INPUT).
 */
int options_parse(const struct command_spec *cmd, int argc, char **argv, int *status);

/* The --help text. */
void options_usage(const struct command_spec *cmd, FILE *out);

#endif
