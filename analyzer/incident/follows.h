/*
** follows: "first cause first". After an Oops the kernel keeps running with
** taint D, and what the same boot prints next is often a consequence: tasks
** hung on a lock the dead task held, a panic that names the Oops as its
** reason. follows_link() gives each incident of a boot the earlier incident
** of that boot it most likely follows from, with the reason
** (inc->follows), or leaves it alone. The rules are conservative on
** purpose: a wrong link sends a reader to the wrong first cause, a missing
** one only leaves the incident on its own. They are, strongest first:
**
**   panic    a panic whose message names its cause follows the latest
**            incident of that kind: "Fatal exception" (oops_end(), after an
**            Oops that killed its task) → the latest one that died;
**            "hung_task: blocked tasks" (check_hung_task()) → hung task;
**            "softlockup: hung tasks" (watchdog_timer_fn()) → soft lockup;
**            "Hard LOCKUP" (watchdog_overflow_callback()) → hard lockup;
**            "RCU Stall" (panic_on_rcu_stall()) → RCU stall; "Out of
**            memory"/"System is deadlocked on memory" (out_of_memory())
**            → oom; "ORIGIN: panic_on_warn set" and "ORIGIN: system warned
**            too often" (check_panic_on_warn()) → the latest incident of
**            the kind ORIGIN names (kernel → warning, KASAN → kasan, …).
**   lock     a blocked task (or a group of them) waits for a lock that
**            lockdep's list shows held by the task of an earlier incident.
**   task     the same task (comm and PID, PID not 0) reported an incident
**            at most FOLLOWS_WINDOW seconds earlier on the kernel clock.
**   taint D  the incident's taint has D (set by oops_end() after the
**            report that died) and an earlier incident of the boot died
**            without D in its own taint: that one set it.
**   cpu      a soft/hard lockup or RCU stall on the CPU where an incident
**            died at most FOLLOWS_WINDOW seconds earlier.
**
** An incident "died" when the kernel went through die()/oops_end() for it:
** kinds oops, gpf and trap, a "kernel BUG at", or any report that printed
** "Oops: …". Links stay within one input, one host and one boot
** (inc->boot_line); conditions and boot records never link.
**
** Owns: a bounded summary of the last FOLLOWS_KEEP incidents of each host's
** current boot (strings copied); follows_free() releases it.
*/
#ifndef KSIFT_FOLLOWS_H
#define KSIFT_FOLLOWS_H

#include "incident.h"

#define FOLLOWS_KEEP 64
#define FOLLOWS_WINDOW 120.0

struct follows_tracker;

struct follows_tracker *follows_new(void);
/*
 * The next incident of the input, in delivery order (after grouping): sets
 * inc->follows when a rule holds, and remembers inc for the ones after it.
 */
void follows_link(struct follows_tracker *t, struct incident *inc);
void follows_free(struct follows_tracker *t);

/* Did the kernel go through die() for this incident (see above)? */
bool incident_died(const struct incident *inc);

#endif
