/*
** classify: what one kernel message is, as far as incident boundaries go.
** classify_start() says whether a message opens an incident (and of which
** kind, from the report-format table in formats.h); classify_cont() says what role a message can play inside one.
** Pure functions over the message bytes; no state, no allocation.
*/
#ifndef KSIFT_CLASSIFY_H
#define KSIFT_CLASSIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "formats.h"
#include "incident.h"

/* The start flags are formats.h's FMT_ bits of the same meaning. */
enum start_flags {
	START_CUT_HERE = FMT_CUT_HERE,	/* "------------[ cut here ]------------" */
	START_PRELUDE = FMT_PRELUDE,	/* a line explaining the WARNING that follows */
	START_WEAK = FMT_WEAK,		/* an incident only if a stack trace follows */
};

/* The kind of incident the message opens (formats.h's table), KIND_NONE
   when it opens none; *flags says how it opens. */
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

/*
 * x86_64 no_context() up to 2.6.24 ends the Oops header with "RIP: " and
 * prints the faulting ip on the next line with printk_address():
 * "Unable to handle kernel NULL pointer dereference at 0000000000000008 RIP: "
 * then " [<ffffffff8853a1c6>] :mydrv:mydrv_read+0x46/0x1c0". Does this
 * message announce such an ip line (the frame after it is not a stack)?
 */
bool classify_announces_ip(const char *msg, size_t len);

#endif
