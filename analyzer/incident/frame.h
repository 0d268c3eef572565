/*
** frame: recognise one stack-frame line of a kernel report, every arch and
** era: "[<ffffffff818511b5>] ? schedule+0x35/0x80 [kvm 1a2b…]",
** "schedule+0x35/0x80", "dump_stack lib/dump_stack.c:17 [inline]",
** powerpc "[c0000000fbbf7c80] [c000000000a2b6c8] f+0xd0/0x138 (unreliable)",
** s390 "([<0000000000112ee8>] show_trace+0x130/0x138)", raw "[<ffffffff8104e8e6>]".
** Also the faulting-IP forms: "RIP: 0010:f+0x21/0x30", "IP: [<…>] f+…",
** "pc : f+0x1c/0x40", "NIP [c00…] f+0x…".
**
** Owns nothing: the caller owns the struct frame and releases it with
** frame_release() (incident.h).
*/
#ifndef KSIFT_FRAME_H
#define KSIFT_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

/* Where the parsed frame text lies in the line, for tools that rewrite it. */
struct frame_span {
	size_t begin, end;	/* the frame text, from address/func to module */
};

/*
 * Parse a frame line (kernel message, wrapper already stripped). On success
 * fills *out (caller releases) and returns true. A line that merely contains
 * hex words (a raw stack dump) is not a frame.
 */
bool frame_parse_line(const char *msg, size_t len, struct frame *out,
		      struct frame_span *span);

/*
 * Parse the faulting-IP line of a report ("RIP:", "IP:", "pc :", "NIP",
 * "EIP:", "PC is at"). Returns true and fills *out when the line is one.
 */
bool frame_parse_ip_line(const char *msg, size_t len, struct frame *out);

/*
 * Strip compiler suffixes (.isra.0, .constprop.3, .part.40, .cold, .llvm.N)
 * from a function name into buf (NUL-terminated, truncated to bufsz).
 */
void frame_base_name(const char *func, char *buf, size_t bufsz);

#endif
