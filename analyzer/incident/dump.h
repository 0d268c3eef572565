/*
** dump: the outputs of the sysrq keys a troubleshooter presses on a stuck
** machine, recognised message by message.
**
**   w  "sysrq: Show Blocked State"  then one sched_show_task() block per
**      task in D state: a task line and its stack;
**   t  "sysrq: Show State"          the same for every task;
**   l  "sysrq: Show backtrace of all active CPUs"  then one "NMI backtrace
**      for cpu N" block per CPU;
**   m  "sysrq: Show Memory"         one show_mem() report;
**   d  "sysrq: Show All Locks Held" one lockdep held-locks list;
**   c  "sysrq: Trigger a crash"     the panic/Oops that follows.
**
** Old kernels print "SysRq : Show State". The segmenter turns each task or
** CPU block of a t/w/l dump into an incident of its own (sysrq_tasks,
** sysrq_cpus) so that the grouper can partition the dump by stack like any
** flood; m and d become one incident each.
**
** Pure functions over message bytes, plus parsers that fill an incident;
** no state and no allocation except into the incident.
*/
#ifndef KSIFT_DUMP_H
#define KSIFT_DUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

/* The sysrq key a "sysrq: <action>" message announces ('w', 't', …), or 0. */
char dump_sysrq_key(const char *msg, size_t len);

/* The kind of incident the key's output is made of (KIND_NONE: none). */
enum incident_kind dump_key_kind(char key);
/* true when the key's output is a series of task/CPU blocks (t, w, l). */
bool dump_key_has_members(char key);

/*
 * The first message of one task's block in a t/w dump (sched_show_task):
 * "task:ip  state:D stack:0 pid:1747 ppid:1746 flags:0x00000000" (5.10+) or
 * "ip              D ffff8819d1f17dc8     0  1747   1746 0x00000080" (older).
 */
bool dump_is_task_line(const char *msg, size_t len);
/* The first message of one CPU's block in an l dump: "NMI backtrace for cpu 3". */
bool dump_is_cpu_line(const char *msg, size_t len);

/* Fill task comm, state, pid (and extra ppid) from a task line. */
bool dump_parse_task_line(struct incident *inc, const char *msg, size_t len);
/* "NMI backtrace for cpu 3[ skipped: idling at intel_idle+0x…]". */
bool dump_parse_cpu_line(struct incident *inc, const char *msg, size_t len);

/* Whether a message belongs to a show_mem() report (Mem-Info and what follows). */
bool dump_is_show_mem_line(const char *msg, size_t len);

/* Totals gathered from a show_mem() report, in kB. */
struct mem_info {
	long long free_pages, slab_reclaimable_pages, slab_unreclaimable_pages;
	long long anon_pages, file_pages, shmem_pages, pagetables_pages;
	long long zone_free_kb, zone_managed_kb, zone_present_kb;
	long long swap_free_kb, swap_total_kb, ram_pages, pagecache_pages;
	bool seen_mem_info, seen_swap;
};

void dump_mem_line(struct mem_info *mi, const char *msg, size_t len);
/* Add free/RAM/slab/swap extras and a one-line "summary" to inc. */
void dump_mem_finish(struct incident *inc, const struct mem_info *mi);

#endif
