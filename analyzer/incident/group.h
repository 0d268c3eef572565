/*
** group: turn floods into something a person can read. Consecutive reports
** of a groupable kind (hung tasks, soft lockups, RCU stalls) on one host,
** each within GROUP_GAP_SECONDS of the previous one, form a flood. A flood
** of two or more is partitioned by normalised stack (kind plus function
** names, offsets and '?' frames dropped); each partition becomes one record:
** its first report, with `members` listing every task/CPU, and extras
** `count`, `flood` (shared by the partitions of one flood: "HOST:LINE" of its
** first report) and `summary` ("2 tasks in D state blocked in copy_net_ns ←
** mutex_lock"). Titles and hashes stay those of the member kind, so known-bug
** signatures and clustering work on groups as on single reports.
**
** Output order is input order: records wait in a queue while an earlier
** flood is still open, so memory is bounded by the longest flood.
**
** Owns: queued incidents until they are handed to the emit callback, which
** then owns them.
*/
#ifndef KSIFT_GROUP_H
#define KSIFT_GROUP_H

#include <stdbool.h>

#include "incident.h"

#define GROUP_GAP_SECONDS 60.0
#define GROUP_GAP_LINES 2000	/* when the log has no kernel timestamps */

typedef void (*group_emit_fn)(void *data, struct incident *inc);

struct grouper;

struct grouper *grouper_new(group_emit_fn fn, void *data);
/* Takes ownership of inc. Incidents must arrive in input order. */
void grouper_add(struct grouper *g, struct incident *inc);
/* Close every flood, emit everything, free the grouper. */
void grouper_finish(struct grouper *g);

#endif
