/*
** parse_kinds: the per-kind header and body lines of reports that parse.c
** hands over — sanitizers (KASAN, KFENCE, KMSAN, KCSAN, UBSAN), lockdep's
** "at:" lines, kmemleak, page allocation failures, and the one-line hardware,
** block-device and filesystem errors. Each function reads one message and
** records what it says as incident fields and extras.
**
** Owns nothing. Internal to the parser (not part of the scan API).
*/
#ifndef KSIFT_PARSE_KINDS_H
#define KSIFT_PARSE_KINDS_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

/* "BUG: KASAN: use-after-free in f+0x1/0x2 at addr …", KFENCE/KMSAN/KCSAN,
   "UBSAN: array-index-out-of-bounds in file:line". */
void parse_sanitizer_header(struct incident *inc, const char *msg, size_t len);

/* "Read of size 8 at addr … by task …" / "Write of size …": KASAN access. */
bool parse_access_line(struct incident *inc, const char *msg, size_t len);

/*
 * Lockdep's held-lock lines " (&mm->mmap_sem){++++}, at: [<…>] f+0x1/0x2".
 * The first "at:" after the line naming the lock being taken ("is trying
 * to acquire lock:", "takes:") is extra "lock_func"; the very first one is
 * "first_lock_func". *armed tracks whether such a line was seen.
 */
void parse_lockdep_line(struct incident *inc, const char *msg, size_t len, bool *armed);

/* "comm: page allocation failure: order:4, mode:0x40d0(GFP_KERNEL|…)" */
void parse_page_alloc_failure(struct incident *inc, const char *msg, size_t len);

/* mce / io_error / fs_error / netdev one-line reports. */
void parse_device_error(struct incident *inc, const char *msg, size_t len);

#endif
