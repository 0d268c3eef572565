/*
** classify: what one kernel message is, as far as incident boundaries go.
** classify_start() says whether a message opens an incident (and of which
** kind); classify_cont() says what role a message can play inside one.
** Pure functions over the message bytes; no state, no allocation.
*/
#ifndef KSIFT_CLASSIFY_H
#define KSIFT_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

enum start_flags {
	START_CUT_HERE = 1,	/* "------------[ cut here ]------------" */
	START_PRELUDE = 2,	/* a line explaining the WARNING that follows */
	START_WEAK = 4,		/* an incident only if a stack trace follows */
};

/* KIND_NONE when the message does not open an incident. */
enum incident_kind classify_start(const char *msg, size_t len, unsigned *flags);

enum line_role {
	ROLE_OTHER,		/* not recognisably part of a report */
	ROLE_FRAME,		/* a stack frame */
	ROLE_TRACE_MARK,	/* "Call Trace:", "<IRQ>", "</TASK>", … */
	ROLE_END,		/* "---[ end trace …", "---[ end Kernel panic" */
	ROLE_REPORT,		/* registers, Code:, CPU:, Modules linked in:, … */
	ROLE_STACK_WORDS,	/* a row of raw stack words */
};

enum line_role classify_cont(const char *msg, size_t len);

#endif
