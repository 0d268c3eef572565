/*
** profile: a CPU profile folded into its distinct call stacks, and what it
** says — samples, duration, shares per comm, the functions that burn CPU
** themselves, the heaviest call paths, and lock contention: samples
** spinning in a spin lock's slow path, attributed to the first meaningful
** caller above the lock (generic_frames.h), with the call path that led
** there. The findings above a threshold become records of kind `profile`:
** "lock contention in tdp_page_fault", "high CPU in FUNC", hashed like a
** crash over the function and its first meaningful callers, so the same
** hot spot clusters across hosts.
**
** Memory is bounded by the distinct stacks, never by the samples: a
** million samples of a thousand stacks cost a thousand entries. Beyond
** PROFILE_MAX_STACKS distinct stacks (or PROFILE_MAX_SYMBOLS names) new ones
** are counted in one "[more stacks]" entry; stacks deeper than
** PROFILE_MAX_DEPTH keep their innermost frames.
**
** The formats (perf script, perf report, folded stacks) are parsed in
** profile_formats.c; they feed samples here.
**
** Owns: the symbol and stack tables; profile_free() releases them.
*/
#ifndef KSIFT_PROFILE_H
#define KSIFT_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident.h"

#define PROFILE_MAX_STACKS 1000000
#define PROFILE_MAX_SYMBOLS 1000000
#define PROFILE_MAX_DEPTH 256
#define PROFILE_THRESHOLD_DEFAULT 10.0	/* percent of samples */
#define PROFILE_MAX_FINDINGS 8
#define PROFILE_TOP 10			/* rows per table */

struct profile;

/* One frame as a parser saw it: function (NULL: unknown) and module. */
struct profile_frame {
	const char *func, *module;
	size_t func_len, module_len;
};

struct profile *profile_new(const char *format);
void profile_free(struct profile *p);
/*
 * One sample (or `count` identical ones): frames innermost first, as
 * perf prints a callchain. comm may be NULL. time < 0: not printed.
 */
void profile_add(struct profile *p, const char *comm, size_t comm_len,
		 const struct profile_frame *frames, size_t n, uint64_t count, double time);
void profile_set_event(struct profile *p, const char *event, size_t len);
/* Total samples as the input states them (perf report's "# Samples: 20K"). */
void profile_set_total(struct profile *p, uint64_t samples);

uint64_t profile_samples(const struct profile *p);
size_t profile_nr_stacks(const struct profile *p);
/* true when stacks were dropped into "[more stacks]" (limits above). */
bool profile_truncated(const struct profile *p);

/*
 * Every distinct stack, innermost frame first: funcs[i]/modules[i] (module
 * NULL: vmlinux or unknown), with its sample count. Stops when fn returns
 * false.
 */
typedef bool (*profile_stack_fn)(void *data, const char *const *funcs,
				 const char *const *modules, size_t n, uint64_t count);
void profile_foreach_stack(const struct profile *p, profile_stack_fn fn, void *data);

/* Is this function a spin lock's slow path (native_queued_spin_lock_slowpath,
   _raw_spin_lock_irqsave, …)? */
bool profile_is_spin_lock(const char *func);

/*
 * The findings as records of kind profile, at most PROFILE_MAX_FINDINGS,
 * most samples first: every lock-contention site and every function
 * (idle excluded) holding at least threshold percent of the samples. Each
 * gets the heaviest stack of its finding as its stack, the title, the hash
 * and a profile_summary (with fold pointing at p). add() takes each record.
 * Returns how many.
 */
size_t profile_findings(const struct profile *p, double threshold, const char *path,
			unsigned long lines, void (*add)(void *data, struct incident *inc),
			void *data);

#endif
