/*
** locks: lockdep's held-locks lists, and who holds what a hung task waits
** for.
**
** Lockdep prints the locks each task holds in three places: after a flood
** of hung tasks (khungtaskd's "Showing all locks held in the system:"), on
** sysrq-d, and in its own reports ("2 locks held by syz-executor/123:").
** Every list is
**
**     3 locks held by kworker/u4:7/338:
**      #0: ffff8880a9771938 ((wq_completion)netns){+.+.}-{0:0}, at: process_one_work+0x844/0x16a0
**      #2: ffffffff8a576f30 (pernet_ops_rwsem){++++}-{3:3}, at: cleanup_net+0x9b/0xa50
**
** (kernels before 4.x print no address: " #0:  (&mm->mmap_sem){++++++}, at:
** [<ffffffff8106ee3a>] __do_page_fault+0x17a/0x4b0").
**
** Lockdep records a sleeping lock before the task waits for it, so a blocked
** task's list ends with the lock it is waiting for; any other task listing
** the same lock holds it (or waits too, and then is blocked in the same
** place). locks_resolve() uses that to name, for a group of blocked tasks,
** the lock they wait for and the tasks that hold it.
**
** Owns nothing: entries are added to the incident (incident.h owns them).
*/
#ifndef KSIFT_LOCKS_H
#define KSIFT_LOCKS_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"
#include "strbuf.h"

/*
 * Parse one message of a held-locks list into inc->held: a "N locks held by
 * COMM/PID:" / "no locks held by COMM/PID." header opens an entry, a " #N:"
 * line adds a lock to the last entry. Returns false for other messages.
 */
bool locks_parse_line(struct incident *inc, const char *msg, size_t len);

/* A message of a held-locks list, its "Showing all locks held" banner or the
   "=====" rule after it. */
bool locks_is_table_line(const char *msg, size_t len);

/* The lock a task waits for: the last one its list shows, or NULL. */
const struct held_lock *locks_waited_for(const struct task_locks *tables, size_t nr,
					 const char *comm, long long pid);

/*
 * For blocked tasks waiting on `lock`: the other tasks whose lists show that
 * lock (same address when both have one, else the same name), skipping the
 * tasks for which is_waiter() is true. Appends "comm/pid at func+off/size"
 * items, comma-separated, to out; returns how many.
 */
size_t locks_holders(const struct task_locks *tables, size_t nr, const struct held_lock *lock,
		     bool (*is_waiter)(void *data, const char *comm, long long pid),
		     void *data, struct strbuf *out);

#endif
