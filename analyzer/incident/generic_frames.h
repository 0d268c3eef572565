/*
** generic_frames: which stack frames name a bug. One set of rules shared by
** titles (title.c, title_kinds.c), the cluster hash, flood grouping
** (group.c) and signature frame patterns (signatures/sigdb.c), so that a
** frame skipped in a title is skipped everywhere (../shared/TITLES.md).
**
** Generic frames are reporting machinery, locking and scheduling primitives,
** allocators, string/copy helpers, entry code and the like, plus per-kind
** lists (hung tasks skip waits and locks, stalls the sanitizer runtime,
** leaks the allocation helpers, lockdep the workqueue's own locks). Names are
** compared after compiler suffixes (.isra.0, .constprop.3, .part.40, .cold)
** are removed.
**
** Owns nothing; keeps no state.
*/
#ifndef KSIFT_GENERIC_FRAMES_H
#define KSIFT_GENERIC_FRAMES_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

/* true when func (any spelling; suffixes are stripped here) is generic
   machinery for an incident of this kind. An empty name is generic. */
bool generic_frame_is(const char *func, enum incident_kind kind);

/*
 * The name a title shows: suffixes stripped, syscall wrapper prefixes
 * rewritten (__x64_sys_X → sys_X; SyS_X, __do_sys_X, __se_sys_X, ksys_X →
 * X), written NUL-terminated into buf (truncated to bufsz).
 */
void generic_frame_clean_name(const char *func, char *buf, size_t bufsz);

/*
 * The meaningful frames of an incident in title order (ip first, then the
 * stacks in the order the kind prefers; "? " frames only where every frame
 * is printed so). Fills up to max pointers into inc's frames — valid while
 * inc is — and returns how many.
 */
size_t meaningful_frames(const struct incident *inc, const struct frame **out, size_t max);

/* The order in which a kind's stacks are read for its title: 1 first, 2
   after (interrupt stacks of lockups and stalls), 3 never (alloc/free
   histories, lockdep chains). */
int meaningful_stack_rank(const struct incident *inc, const struct stack *st);

/* true when no frame is printed as reliable but some carry an address: the
   old unwinder of kernels without frame pointers, which marks every frame
   "? ". Then those frames are the stack. */
bool stacks_all_unreliable(const struct incident *inc);

#endif
