/*
** title: canonical incident titles (../shared/TITLES.md, syzkaller's
** conventions) and the cluster hash. The "what happened" part per kind and
** header lives in title_kinds.c; this file picks the function.
**
** The title names the first *meaningful* frame: reporting machinery, locking
** and scheduling primitives, allocators, string/copy helpers, and similar
** generic frames are skipped (plus per-kind lists: hung tasks skip waits and
** locks, stalls the sanitizer runtime, leaks the allocation helpers, lockdep
** the workqueue's own locks); compiler suffixes (.isra.0, .constprop.3,
** .part.40, .cold) are removed. Syscall wrappers follow the labelled corpus:
** __x64_sys_X / __ia32_sys_X / __arm64_sys_X → sys_X; SyS_X, __do_sys_X,
** __se_sys_X, ksys_X, compat_SyS_X → X. "? " frames never name the bug
** (they are stale stack words), except where the old "[<addr>] ? f" unwinder
** marks every frame so (no frame pointers). With no meaningful frame the
** function is "corrupted" and the incident is marked corrupted; so is a
** report with a fault-injection stack mixed in, and a WARNING whose only
** function is its header line's.
**
** Where the function comes from, by kind: sanitizers use the header's
** function unless it is generic (KCSAN names both sides "F / G"); lockdep
** uses the "at:" line of the lock being taken, then the lock held, then the
** stack; RCU stalls and soft lockups walk the stacks in printed order from
** the timer interrupt and name the frame above the first dispatcher (syscall
** entry, ioctl/netlink multiplexer, workqueue, timer, softirq, packet
** receive; smp_call_function* names itself), except that a CPU spinning on
** a lock is named by the lock taker.
**
** The hash (16 hex digits) is FNV-1a 64 over: the kind name, then the first
** up to HASH_FRAMES meaningful function names (suffixes stripped), each
** followed by '\n'. Offsets, addresses, modules, hosts and kernels are not
** part of it, so it is stable across KASLR, hosts and reboots. Kinds whose
** title names no function (tcp_mem, panics, segfaults, one-line host
** errors) hash their title instead.
**
** Owns nothing; title_assign() sets inc->title and inc->hash (and marks the
** incident corrupted when the title says "corrupted").
*/
#ifndef KSIFT_TITLE_H
#define KSIFT_TITLE_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

#define HASH_FRAMES 3

void title_assign(struct incident *inc);

#endif
