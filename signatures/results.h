/*
** results: keep scan results in SQLite (`ksift scan --results FILE.db`) —
** one row per incident (host, wall and kernel time, kind, title, hash,
** kernel release, source path and line) and one per matched signature, with
** views bugs_by_host and bugs_seen (schema.c, README "Results database").
**
** Recording is idempotent: an incident is keyed by (source path, line, kind,
** title), so scanning the same file again adds no rows. Writes are batched
** in a transaction committed every RESULTS_BATCH incidents, on
** results_commit() and at close.
** A corrupt or foreign file is an error from results_open(), never a crash.
**
** Owns: the sqlite3 handle and prepared statements; results_close()
** commits and releases them. Not thread-safe: one writer per handle (other
** processes may write the same file: WAL and a busy timeout).
*/
#ifndef KSIFT_RESULTS_H
#define KSIFT_RESULTS_H

#include <stddef.h>

#include "incident.h"

#define RESULTS_BATCH 1000

struct results_db;

struct results_db *results_open(const char *path, char *err, size_t errlen);
/* Returns 1 when the incident was new, 0 when already recorded, -1 on error (warned). */
int results_record(struct results_db *r, const struct incident *inc);
/* Commit what is pending (`ksift scan` does after each file); 0 or -1 (warned). */
int results_commit(struct results_db *r);
/* Commits; returns 0, or -1 when the final commit failed (warned). */
int results_close(struct results_db *r);

#endif
