/*
** title_kinds: the "what happened" part of a title, per kind and report
** header (TITLES.md "Title formats"), and where the function that follows
** " in " comes from when it is not simply the first meaningful frame
** (lockdep's "at:" line, a sanitizer header, a panic message).
**
** Owns: the strbuf in struct title_parts (title_parts_release()).
** Internal to title.c.
*/
#ifndef KSIFT_TITLE_KINDS_H
#define KSIFT_TITLE_KINDS_H

#include <stdbool.h>

#include "incident.h"
#include "strbuf.h"

enum func_source {
	FUNC_NONE,		/* the title names no function */
	FUNC_STACK,		/* first meaningful frame (ip, then stacks) */
	FUNC_STALL,		/* the frame above the first dispatch anchor */
};

struct title_parts {
	struct strbuf what;	/* "KASAN: use-after-free Read", "WARNING", … */
	enum func_source source;
	/* Preferred function from the report text (borrowed from inc); used
	   unless it is generic machinery. */
	const char *func;
	const char *func_alt;	/* the next candidate when func is generic */
	const char *func2;	/* KCSAN's second function ("F / G") */
	const char *suffix;	/* appended after the function */
	/* "WARNING in caller/usb_submit_urb": name the caller of this. */
	const char *callee;
	/* The report is corrupted and titled by its header alone: why. */
	const char *bare_corrupt;
	/* The report is corrupted and its function is "corrupted": why. */
	const char *no_func;
};

void title_parts_describe(const struct incident *inc, struct title_parts *tp);
void title_parts_release(struct title_parts *tp);

#endif
