#include "options.h"
#include "builtin.h"
#include "util.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* Options a command may have, --help included; more is a bug in a table. */
#define OPTIONS_MAX 64
/* Where the help text starts in a --help line. */
#define HELP_COLUMN 20
/* getopt_long values of long-only options: OPTION_VAL_BASE + table index. */
#define OPTION_VAL_BASE 256

static size_t table_size(const struct option_spec *opts)
{
	size_t n = 0;

	while (opts && opts[n].type != OPTION_END)
		n++;
	return n;
}

/* The option as --help names it: "-j, --jobs N", "--color=WHEN". */
static int format_names(const struct option_spec *o, char *buf, size_t len)
{
	const char *argh = o->argh ? o->argh : "";
	const char *sep = o->argh && o->argh[0] != '=' ? " " : "";

	if (o->short_name)
		return snprintf(buf, len, "-%c, --%s%s%s", o->short_name, o->long_name, sep, argh);
	return snprintf(buf, len, "--%s%s%s", o->long_name, sep, argh);
}

static void print_help_text(FILE *out, const char *help)
{
	for (const char *p = help, *nl; p; p = nl ? nl + 1 : NULL) {
		nl = strchr(p, '\n');
		if (p != help)
			fprintf(out, "%*s", HELP_COLUMN, "");
		fprintf(out, "%.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
	}
}

void options_usage(const struct command_spec *cmd, FILE *out)
{
	const char *p = cmd->synopsis, *nl;
	bool first = true;

	do {
		nl = strchr(p, '\n');
		fprintf(out, "%s ksift %s %.*s\n", first ? "usage:" : "      ", cmd->name,
			nl ? (int)(nl - p) : (int)strlen(p), p);
		first = false;
		p = nl + 1;
	} while (nl);
	if (cmd->description)
		fprintf(out, "\n%s", cmd->description);
	fputc('\n', out);
	for (const struct option_spec *o = cmd->options; o && o->type != OPTION_END; o++) {
		char names[96];
		int n = format_names(o, names, sizeof(names));

		if (n + 2 < HELP_COLUMN - 1)
			fprintf(out, "  %-*s", HELP_COLUMN - 2, names);
		else
			fprintf(out, "  %s\n%*s", names, HELP_COLUMN, "");
		print_help_text(out, o->help);
	}
	fprintf(out, "  %-*s%s\n", HELP_COLUMN - 2, "-h, --help", "this text");
	if (cmd->footer)
		fprintf(out, "\n%s", cmd->footer);
}

static int usage_error(const struct command_spec *cmd, int *status)
{
	options_usage(cmd, stderr);
	*status = EXIT_INPUT;
	return -1;
}

static bool choice_ok(const char *choices, const char *arg)
{
	size_t n = strlen(arg);

	for (const char *p = choices; *p; ) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && !memcmp(p, arg, n))
			return true;
		p += len + (bar != NULL);
	}
	return false;
}

/* Store one option's argument; -1 after printing why it is wrong. */
static int store(const struct command_spec *cmd, const struct option_spec *o, const char *arg)
{
	char *end;
	unsigned long v;

	switch (o->type) {
	case OPTION_FLAG: *(bool *)o->value = true; return 0;
	case OPTION_UNSET: *(bool *)o->value = false; return 0;
	case OPTION_STRING: *(const char **)o->value = arg; return 0;
	case OPTION_CHOICE:
		if (!choice_ok(o->choices, arg)) {
			error("%s: --%s takes one of %s", cmd->name, o->long_name, o->choices);
			return -1;
		}
		*(const char **)o->value = arg;
		return 0;
	case OPTION_ULONG:
		v = strtoul(arg, &end, 10);
		if (!*arg || *end || *arg == '-' || v < o->min || v > o->max) {
			error("%s: --%s takes a number from %lu to %lu", cmd->name, o->long_name,
			      o->min, o->max);
			return -1;
		}
		*(unsigned long *)o->value = v;
		return 0;
	case OPTION_CALLBACK: return o->parse(arg, o->value);
	case OPTION_END: break;
	}
	return -1;
}

int options_parse(const struct command_spec *cmd, int argc, char **argv, int *status)
{
	struct option longopts[OPTIONS_MAX + 2];
	/* Options may follow operands (GNU order): no leading '+'. */
	char shortopts[2 * OPTIONS_MAX + 2] = "h";
	size_t n = table_size(cmd->options), s = 1;
	int c, operands;

	if (n > OPTIONS_MAX)
		die("%s: %zu options, at most %d", cmd->name, n, OPTIONS_MAX);
	for (size_t i = 0; i < n; i++) {
		const struct option_spec *o = &cmd->options[i];
		bool arg = o->type != OPTION_FLAG && o->type != OPTION_UNSET;

		longopts[i] = (struct option){
			.name = o->long_name,
			.has_arg = arg ? required_argument : no_argument,
			.flag = NULL,
			.val = o->short_name ? o->short_name : OPTION_VAL_BASE + (int)i,
		};
		if (o->short_name) {
			shortopts[s++] = o->short_name;
			if (arg)
				shortopts[s++] = ':';
		}
	}
	shortopts[s] = '\0';
	longopts[n] = (struct option){ .name = "help", .has_arg = no_argument, .val = 'h' };
	longopts[n + 1] = (struct option){ 0 };

	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct option_spec *o = NULL;

		if (c == 'h') {
			options_usage(cmd, stdout);
			*status = EXIT_CLEAN;
			return -1;
		}
		if (c >= OPTION_VAL_BASE && (size_t)(c - OPTION_VAL_BASE) < n)
			o = &cmd->options[c - OPTION_VAL_BASE];
		for (size_t i = 0; !o && i < n; i++)
			if (cmd->options[i].short_name == c)
				o = &cmd->options[i];
		if (!o)		/* getopt has said what was wrong */
			return usage_error(cmd, status);
		if (store(cmd, o, optarg) < 0) {
			*status = EXIT_INPUT;
			return -1;
		}
	}
	operands = argc - optind;
	if (operands < cmd->min_operands) {
		error("%s: %s", cmd->name, operands ? "too few operands" : "missing operand");
		return usage_error(cmd, status);
	}
	if (cmd->max_operands >= 0 && operands > cmd->max_operands) {
		error("%s: too many operands ('%s' is one too many)", cmd->name,
		      argv[optind + cmd->max_operands]);
		return usage_error(cmd, status);
	}
	*status = EXIT_CLEAN;
	return optind;
}
