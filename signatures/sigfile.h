/*
** sigfile: the text format of one signature (signatures/README.md) — a list
** of `key: value` fields, continuation lines indented, '#' comment lines.
** This layer only checks syntax and field-level values (known keys, required
** fields, id shape, severity, kind names, kernel ranges, count, frames
** syntax); regexes are compiled by sig.c, which reports their errors at the
** line recorded here.
**
** Owns: everything inside a sig_def; sig_def_free() releases it.
*/
#ifndef KSIFT_SIGFILE_H
#define KSIFT_SIGFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* A field value and the 1-based line of its key, 0 when the field is absent. */
struct sig_value {
	char *val;
	unsigned line;
	unsigned val_line;	/* line of the value's first line (errors inside it) */
};

struct sig_def {
	char *origin;			/* file name used in messages */
	struct sig_value id, title, description, severity, title_regex,
		text_regex, hypervisor, hardware, boot_regex, count, fix,
		workaround, frames_scope, kernel, kind, links, examples,
		counter_examples;
	uint64_t kind_mask;		/* bit per enum incident_kind */
	/* Each `frames` field is one alternative pattern. */
	struct sig_value *frames;
	size_t nr_frames, alloc_frames;
	unsigned count_n;		/* count: N in T s */
	double count_secs;
};

/*
 * Parse text (len bytes) read from origin. Returns the definition, or NULL
 * with "ORIGIN:LINE: message" in err (err is reset first).
 */
struct sig_def *sig_parse(const char *text, size_t len, const char *origin,
			  struct strbuf *err);
void sig_def_free(struct sig_def *def);

/* true for a signature with only host/boot predicates (a known-bad build). */
bool sig_def_is_condition(const struct sig_def *def);

/* Severity names accepted, lowest first; index = rank. */
int sig_severity_rank(const char *name);

/* Iterate over the non-empty lines of a list value: returns the next line
 * start and sets *len, or NULL at the end. Start with pos = value. */
const char *sig_list_next(const char **pos, size_t *len);

#endif
