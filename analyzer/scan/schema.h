/*
** schema: the SQLite schema of the results store (`ksift scan --results`),
** versioned with PRAGMA user_version and migrated forward one step at a
** time; the file is tagged with PRAGMA application_id so a foreign SQLite
** file (including a compiled signature database, tagged 'ksig') is refused
** rather than modified. The SQL is in schema.c, documented in
** signatures/README.md ("Results database").
**
** Owns nothing: callers own the sqlite3 handle.
*/
#ifndef KSIFT_SCHEMA_H
#define KSIFT_SCHEMA_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define RESULTS_APP_ID 0x6b737273	/* "ksrs" */
#define RESULTS_SCHEMA_VERSION 6
/*
 * Kinds that record a state, not a crash: a signature's condition and
 * what the sysrq keys print. They never form an unknown crash cluster
 * (the unknown_clusters view, ksift report).
 */
#define RESULTS_STATE_KINDS "'condition','sysrq_tasks','sysrq_cpus','sysrq_mem','sysrq_locks'"

/*
 * An incident's time as a comparable ISO string: its wall time when that has
 * a year, else when it was recorded (`i` is the incidents table).
 */
#define RESULTS_ITIME "(CASE WHEN i.wall_time GLOB '[0-9][0-9][0-9][0-9]-*' THEN i.wall_time" \
	" ELSE i.recorded_at END)"
/*
 * A match (`m`) on a kernel that has the bug: not one that carries the fix
 * or predates the bug. Those are counted apart (bugs_seen, ksift report).
 */
#define RESULTS_NOT_FIXED "(COALESCE(m.fix_status, '') NOT IN ('fixed', 'unaffected'))"

/*
 * Check that db is a ksift results database (or empty) and migrate it to
 * RESULTS_SCHEMA_VERSION. Returns 0, or -1 with a message in err: not a
 * database, a foreign database, a newer schema, or an SQL error.
 */
int schema_prepare(sqlite3 *db, char *err, size_t errlen);

/* Open (creating) path with the busy timeout set; NULL + message on failure. */
sqlite3 *schema_open(const char *path, char *err, size_t errlen);

/*
 * The end of a read loop `while ((rc = sqlite3_step(st)) == SQLITE_ROW)`:
 * SQLITE_DONE is the only good end. Any other rc — SQLITE_CORRUPT ends such
 * a loop as the last row would — is reported as "ksift: PATH: <SQLite's
 * message>" ("database disk image is malformed"). Finalizes st; returns 0
 * or -1. Every loop over a results or signature database ends here.
 */
int schema_rows_end(sqlite3_stmt *st, int rc, const char *path);

/*
 * PRAGMA quick_check: 0 when it says "ok", else -1 after "ksift: PATH:
 * database disk image is malformed (FIRST PROBLEM)".
 */
int schema_quick_check(sqlite3 *db, const char *path);

#endif
