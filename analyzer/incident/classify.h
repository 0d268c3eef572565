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

/*
 * syzkaller's executor or fuzzer failing ("SYZFAIL: SIGBUS", "2022/10/02
 * 11:34:15 SYZFATAL: executor 4 failed 11 times: …"): where "SYZ" starts in
 * msg, or NULL. On a fuzzing VM's console this is the kernel breaking the
 * fuzzer (a read-only root file system, a wedged RPC).
 */
const char *classify_fuzzer_failure(const char *msg, size_t len);
/* SLUB debug's "INFO: Allocated in f+0x1/0x2 age=N cpu=N pid=N" (or Freed). */
bool classify_is_slub_track(const char *msg, size_t len);

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
