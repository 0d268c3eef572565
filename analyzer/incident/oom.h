/*
** oom: the OOM killer's report (dump_header(), oom_kill_process() in
** mm/oom_kill.c): who invoked it, the constraint, the victim, and the
** largest caches of its "Unreclaimable slab info" table (dump_unreclaimable_slab()),
** where a slab leak shows as one cache holding most of the kernel's memory.
**
** Owns nothing beyond the caller's struct oom_slab (no pointers inside).
*/
#ifndef KSIFT_OOM_H
#define KSIFT_OOM_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

#define OOM_SLAB_TOP 5

struct oom_slab {
	bool in_table;
	struct { char name[64]; long long used_kb; } top[OOM_SLAB_TOP];
	size_t nr;
	long long total_kb;
};

/* "mysqld invoked oom-killer: gfp_mask=…, order=0", "oom-kill:constraint=…",
   "Out of memory: Killed process 1234 (mysqld) …": invoker, order, gfp mask,
   constraint, memcg, victim and scope. */
void parse_oom_line(struct incident *inc, const char *msg, size_t len);

/* A line of an OOM report: true when it was a row of the slab table (read
   into t); other lines are read by parse_oom_line() and false returned. */
bool oom_slab_line(struct oom_slab *t, struct incident *inc, const char *msg, size_t len);
/* The slab extras, when the report printed the table. */
void oom_slab_finish(struct oom_slab *t, struct incident *inc);

#endif
