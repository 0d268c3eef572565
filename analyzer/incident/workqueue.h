/*
** workqueue: the workqueue watchdog's report and show_all_workqueues() dump.
**
**   BUG: workqueue lockup - pool cpus=1 node=0 flags=0x0 nice=0 stuck for 41s!
**   Showing busy workqueues and worker pools:
**   workqueue events: flags=0x0
**     pwq 2: cpus=1 node=0 flags=0x0 nice=0 active=3/256 refcnt=4
**       in-flight: 1234:bad_work_fn
**       pending: vmstat_shepherd, drain_local_pages_wq BAR(3456)
**   pool 2: cpus=1 node=0 flags=0x0 nice=0 hung=41s workers=3 idle: 5678 91
**   Showing backtraces of running workers in stalled CPU-bound worker pools:
**   pool 2:
**   task:kworker/1:2 state:R running task … (and its stack, 6.5+)
**
** The work items in flight on the stuck pool are what the pool is stuck
** behind: the record names them ("in_flight"), counts the pending ones, and
** lists the busy workqueues. sysrq-t prints the same dump after the tasks.
**
** Owns nothing; a parser state lives on the caller's stack.
*/
#ifndef KSIFT_WORKQUEUE_H
#define KSIFT_WORKQUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"
#include "strbuf.h"

/* A message of the busy-workqueues dump (not the lockup header itself). */
bool workqueue_is_dump_line(const char *msg, size_t len);

struct workqueue_parse {
	char stuck_pool[96];		/* "cpus=1 node=0 flags=0x0 nice=0" */
	char cur_wq[64];		/* the workqueue whose pwqs follow */
	bool cur_pwq_stuck;		/* the current pwq runs on the stuck pool */
	struct strbuf in_flight;	/* "events:bad_work_fn(1234), …" */
	struct strbuf busy;		/* "events, mm_percpu_wq" */
	char first_func[128];		/* the first work function in flight */
	long long pending;
};

void workqueue_parse_init(struct workqueue_parse *wp);
/* Feed each message of the report, the "BUG: workqueue lockup" line included. */
void workqueue_parse_line(struct workqueue_parse *wp, struct incident *inc,
			  const char *msg, size_t len);
/* Add the extras to inc (NULL: none) and release wp. */
void workqueue_parse_finish(struct workqueue_parse *wp, struct incident *inc);

#endif
