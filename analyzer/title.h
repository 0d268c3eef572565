/*
** title: canonical incident titles (../shared/TITLES.md, syzkaller's
** conventions) and the cluster hash.
**
** The title names the first *meaningful* frame: reporting machinery, locking
** and scheduling primitives, allocators, string/copy helpers, and similar
** generic frames are skipped; compiler suffixes (.isra.0, .constprop.3,
** .part.40, .cold) and syscall wrapper prefixes (SyS_, __x64_sys_, …) are
** removed. With no meaningful frame the function is "corrupted" and the
** incident is marked corrupted.
**
** The hash (16 hex digits) is FNV-1a 64 over: the kind name, then the first
** up to HASH_FRAMES meaningful function names (suffixes stripped), each
** followed by '\n'. Offsets, addresses, modules, hosts and kernels are not
** part of it, so it is stable across KASLR, hosts and reboots. Kinds without
** a stack (tcp_mem, panic without trace, segfault) hash their title instead.
**
** Owns nothing; title_assign() sets inc->title and inc->hash.
*/
#ifndef KSIFT_TITLE_H
#define KSIFT_TITLE_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

#define HASH_FRAMES 3

void title_assign(struct incident *inc);

/* true when the function (suffix-stripped base name) is generic machinery. */
bool title_frame_is_generic(const char *func, enum incident_kind kind);

/*
 * The meaningful frames of an incident in title order (ip first, then the
 * stacks in the order the kind prefers). Fills up to max pointers into inc's
 * frames and returns how many.
 */
size_t title_meaningful_frames(const struct incident *inc, const struct frame **out,
			       size_t max);

/* Remove syscall-wrapper prefixes and compiler suffixes into buf. */
void title_clean_func(const char *func, char *buf, size_t bufsz);

#endif
