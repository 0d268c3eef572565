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
** Memory is bounded whatever the input: of each distinct stack a flood keeps
** its first report in full (the record), the first GROUP_MEMBERS_HEAD and
** the last GROUP_MEMBERS_TAIL members, and counts the rest (`count`,
** `members_omitted`, `last_line`, `last_time`); a flood holds at most
** GROUP_MAX_STACKS distinct stacks and GROUP_MAX_BYTES of report text kept in
** full — past that it closes and the next report starts a new flood.
**
** Output order is input order: records wait in a queue while an earlier
** flood is still open; past GROUP_QUEUE_MAX waiting records that flood is
** closed (and goes on as a new one), so an endless flood on one host does
** not hold the others' reports.
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
#define GROUP_MEMBERS_HEAD 512
#define GROUP_MEMBERS_TAIL 16
#define GROUP_MAX_STACKS 1024
#define GROUP_MAX_BYTES (16u << 20)
#define GROUP_QUEUE_MAX 4096

typedef void (*group_emit_fn)(void *data, struct incident *inc);

struct grouper;

struct grouper *grouper_new(group_emit_fn fn, void *data);
/* Takes ownership of inc. Incidents must arrive in input order. A record of
   kind KIND_NONE is not a report: it keeps its place and closes no flood. */
void grouper_add(struct grouper *g, struct incident *inc);
/* Close every flood, emit everything, free the grouper. */
void grouper_finish(struct grouper *g);

#endif
