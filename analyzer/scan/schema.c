/*
** schema: create and migrate the results schema (see schema.h).
**
** Migrations are append-only: migrations[v] takes a database from
** user_version v to v + 1. Never edit a shipped step; add one.
*/
#include "schema.h"
#include "util.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUSY_TIMEOUT_MS 15000

static const char *const migrations[RESULTS_SCHEMA_VERSION] = {
	/* 0 → 1: the tables. */
	"CREATE TABLE incidents("
	"  incident_id INTEGER PRIMARY KEY,"
	"  source_path TEXT NOT NULL,"
	"  source_line INTEGER NOT NULL,"
	"  source_end_line INTEGER,"
	"  host TEXT,"
	"  wall_time TEXT,"
	"  kernel_time REAL,"
	"  kind TEXT NOT NULL,"
	"  title TEXT NOT NULL,"
	"  hash TEXT,"
	"  kernel_release TEXT,"
	"  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),"
	"  UNIQUE(source_path, source_line, kind, title)"
	");"
	"CREATE TABLE incident_matches("
	"  incident_id INTEGER NOT NULL REFERENCES incidents(incident_id) ON DELETE CASCADE,"
	"  signature_id TEXT NOT NULL,"
	"  rank INTEGER NOT NULL,"	/* 0 = most specific */
	"  severity TEXT,"
	"  evidence TEXT,"		/* 'predicate: detail' lines */
	"  PRIMARY KEY(incident_id, signature_id)"
	") WITHOUT ROWID;"
	"CREATE INDEX incident_matches_sig ON incident_matches(signature_id);"
	"CREATE INDEX incidents_host ON incidents(host);",

	/* 1 → 2: the views people query. */
	"CREATE VIEW bugs_by_host AS"
	"  SELECT i.host AS host, m.signature_id AS signature_id,"
	"         COUNT(*) AS incidents,"
	"         MIN(COALESCE(i.wall_time, i.recorded_at)) AS first_seen,"
	"         MAX(COALESCE(i.wall_time, i.recorded_at)) AS last_seen"
	"  FROM incidents i JOIN incident_matches m USING (incident_id)"
	"  GROUP BY i.host, m.signature_id;"
	"CREATE VIEW bugs_seen AS"
	"  SELECT m.signature_id AS signature_id,"
	"         COUNT(DISTINCT i.host) AS hosts, COUNT(*) AS incidents,"
	"         MIN(COALESCE(i.wall_time, i.recorded_at)) AS first_seen,"
	"         MAX(COALESCE(i.wall_time, i.recorded_at)) AS last_seen,"
	"         MIN(i.recorded_at) AS first_recorded, MAX(i.recorded_at) AS last_recorded"
	"  FROM incidents i JOIN incident_matches m USING (incident_id)"
	"  GROUP BY m.signature_id;",
	/* 2 → 3: incremental scanning state, and unknown crash clusters. */
	"CREATE TABLE files("
	"  path TEXT PRIMARY KEY,"
	"  dev INTEGER, inode INTEGER, size INTEGER, mtime INTEGER,"
	"  head_hash TEXT,"		/* FNV-1a of the first 4 KiB */
	"  done_offset INTEGER NOT NULL DEFAULT 0,"	/* read up to here */
	"  done_lines INTEGER NOT NULL DEFAULT 0,"	/* lines before done_offset */
	"  compressed INTEGER NOT NULL DEFAULT 0,"
	"  scanned_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE INDEX files_identity ON files(dev, inode);"
	"CREATE INDEX files_head ON files(head_hash, size);"
	"CREATE VIEW unknown_clusters AS"
	"  SELECT i.hash AS hash, MIN(i.title) AS title, MIN(i.kind) AS kind,"
	"         COUNT(DISTINCT i.host) AS hosts, COUNT(*) AS incidents,"
	"         MIN(COALESCE(i.wall_time, i.recorded_at)) AS first_seen,"
	"         MAX(COALESCE(i.wall_time, i.recorded_at)) AS last_seen"
	"  FROM incidents i"
	"  WHERE NOT EXISTS (SELECT 1 FROM incident_matches m WHERE m.incident_id = i.incident_id)"
	"  GROUP BY i.hash;",
	/* 3 → 4: unknown_clusters leaves out conditions and sysrq dumps (state, not crashes). */
	"DROP VIEW unknown_clusters;"
	"CREATE VIEW unknown_clusters AS"
	"  SELECT i.hash AS hash, MIN(i.title) AS title, MIN(i.kind) AS kind,"
	"         COUNT(DISTINCT i.host) AS hosts, COUNT(*) AS incidents,"
	"         MIN(COALESCE(i.wall_time, i.recorded_at)) AS first_seen,"
	"         MAX(COALESCE(i.wall_time, i.recorded_at)) AS last_seen"
	"  FROM incidents i"
	"  WHERE NOT EXISTS (SELECT 1 FROM incident_matches m WHERE m.incident_id = i.incident_id)"
	"    AND i.kind NOT IN ('condition','sysrq_tasks','sysrq_cpus','sysrq_mem','sysrq_locks')"
	"  GROUP BY i.hash;",
	/*
	 * 4 → 5: what `ksift rematch` needs to match again without the logs —
	 * each incident's record (its JSON with the kernel messages) and each
	 * boot's facts and early lines —, the fix status of every match, the
	 * signatures' lifecycle, and which scan last saw a row (a file read
	 * again from its start drops the rows that scan did not see again).
	 * bugs_seen and bugs_by_host count every match (not only the best one),
	 * matches on kernels that carry the fix apart, and a host-less log as
	 * one host, as ksift report does.
	 */
	"ALTER TABLE incidents ADD COLUMN kernel_build TEXT;"
	"ALTER TABLE incidents ADD COLUMN kernel_stream TEXT;"
	"ALTER TABLE incidents ADD COLUMN record TEXT;"
	"ALTER TABLE incidents ADD COLUMN scan_id INTEGER;"
	"ALTER TABLE incident_matches ADD COLUMN fix_status TEXT;"
	"ALTER TABLE incident_matches ADD COLUMN fix_detail TEXT;"
	"CREATE TABLE boots("
	"  boot_id INTEGER PRIMARY KEY,"
	"  source_path TEXT NOT NULL,"
	"  host TEXT,"
	"  first_line INTEGER NOT NULL,"
	"  kernel_release TEXT, kernel_build TEXT, hypervisor TEXT, hardware TEXT,"
	"  arch TEXT, cmdline TEXT, version_line TEXT,"
	"  lines BLOB,"			/* zlib: 'OFFSET<TAB>message' lines */
	"  scan_id INTEGER,"
	"  recorded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"CREATE UNIQUE INDEX boots_key ON boots(source_path, ifnull(host, ''), first_line);"
	"CREATE TABLE signatures("
	"  signature_id TEXT PRIMARY KEY,"
	"  title TEXT, severity TEXT, status TEXT, superseded_by TEXT, duplicate_of TEXT,"
	"  owner TEXT, cve TEXT, links TEXT, fixed_in TEXT, affected_since TEXT,"
	"  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))"
	");"
	"DROP VIEW bugs_by_host;"
	"DROP VIEW bugs_seen;"
	"CREATE VIEW bugs_by_host AS"
	"  SELECT i.host AS host, m.signature_id AS signature_id,"
	"         SUM(" RESULTS_NOT_FIXED ") AS incidents,"
	"         MIN(CASE WHEN " RESULTS_NOT_FIXED " THEN " RESULTS_ITIME " END) AS first_seen,"
	"         MAX(CASE WHEN " RESULTS_NOT_FIXED " THEN " RESULTS_ITIME " END) AS last_seen,"
	"         SUM(NOT " RESULTS_NOT_FIXED ") AS fixed_incidents"
	"  FROM incidents i JOIN incident_matches m USING (incident_id)"
	"  GROUP BY i.host, m.signature_id;"
	"CREATE VIEW bugs_seen AS"
	"  SELECT m.signature_id AS signature_id,"
	"         COUNT(DISTINCT CASE WHEN " RESULTS_NOT_FIXED " THEN COALESCE(i.host, '') END) AS hosts,"
	"         SUM(" RESULTS_NOT_FIXED ") AS incidents,"
	"         MIN(CASE WHEN " RESULTS_NOT_FIXED " THEN " RESULTS_ITIME " END) AS first_seen,"
	"         MAX(CASE WHEN " RESULTS_NOT_FIXED " THEN " RESULTS_ITIME " END) AS last_seen,"
	"         MIN(i.recorded_at) AS first_recorded, MAX(i.recorded_at) AS last_recorded,"
	"         COUNT(DISTINCT CASE WHEN NOT " RESULTS_NOT_FIXED " THEN COALESCE(i.host, '') END)"
	"           AS fixed_hosts,"
	"         SUM(NOT " RESULTS_NOT_FIXED ") AS fixed_incidents"
	"  FROM incidents i JOIN incident_matches m USING (incident_id)"
	"  GROUP BY m.signature_id;",
	/* 5 → 6: first cause first (follows.h), and the frames a signature
	   skeleton for an unknown cluster starts from (ksift report). */
	"ALTER TABLE incidents ADD COLUMN follows_line INTEGER;"	/* same source_path */
	"ALTER TABLE incidents ADD COLUMN follows_reason TEXT;"
	"ALTER TABLE incidents ADD COLUMN frames TEXT;",	/* 'func [module]' lines */
};

static int get_int(sqlite3 *db, const char *sql, int *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return -1;
}

int schema_prepare(sqlite3 *db, char *err, size_t errlen)
{
	int app = 0, version = 0, tables = 0;
	char buf[64];

	if (get_int(db, "PRAGMA application_id", &app, err, errlen) ||
	    get_int(db, "PRAGMA user_version", &version, err, errlen) ||
	    get_int(db, "SELECT count(*) FROM sqlite_master", &tables, err, errlen))
		return -1;
	if (app != RESULTS_APP_ID && (app != 0 || tables)) {
		snprintf(err, errlen, "not a ksift results database (application_id %#x, %d schema objects)",
			 (unsigned)app, tables);
		return -1;
	}
	if (version > RESULTS_SCHEMA_VERSION) {
		snprintf(err, errlen, "database schema version %d is newer than this ksift (%d)",
			 version, RESULTS_SCHEMA_VERSION);
		return -1;
	}
	if (version == RESULTS_SCHEMA_VERSION)
		return 0;
	if (exec(db, "BEGIN IMMEDIATE", err, errlen))
		return -1;
	/* Re-read under the write lock: another writer may have migrated. */
	if (get_int(db, "PRAGMA user_version", &version, err, errlen))
		goto rollback;
	for (int v = version; v < RESULTS_SCHEMA_VERSION; v++)
		if (exec(db, migrations[v], err, errlen))
			goto rollback;
	snprintf(buf, sizeof(buf), "PRAGMA application_id = %d", RESULTS_APP_ID);
	if (exec(db, buf, err, errlen))
		goto rollback;
	snprintf(buf, sizeof(buf), "PRAGMA user_version = %d", RESULTS_SCHEMA_VERSION);
	if (exec(db, buf, err, errlen) || exec(db, "COMMIT", err, errlen))
		goto rollback;
	return 0;
rollback:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

sqlite3 *schema_open(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	sqlite3_exec(db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	return db;
}

int schema_rows_end(sqlite3_stmt *st, int rc, const char *path)
{
	sqlite3 *db = sqlite3_db_handle(st);

	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	/* The message of the failed step (finalize() may replace it). */
	error("%s: %s", path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_finalize(st);
	return -1;
}

int schema_quick_check(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	char *first = NULL;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, NULL) != SQLITE_OK) {
		error("%s: %s", path, sqlite3_errmsg(db));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = (const char *)sqlite3_column_text(st, 0);
		if (!row || !strcmp(row, "ok"))
			continue;
		/* "*** in database main ***\nOn tree page 5 cell 71: …\n…":
		   the first problem is enough */
		if (!first) {
			const char *nl;
			if (!strncmp(row, "***", 3) && (nl = strchr(row, '\n')))
				row = nl + 1;
			first = xstrndup(row, strcspn(row, "\n"));
		}
	}
	if (schema_rows_end(st, rc, path) < 0)
		ret = -1;
	else if (first) {
		error("%s: %s (%s)", path, sqlite3_errstr(SQLITE_CORRUPT), first);
		ret = -1;
	}
	free(first);
	return ret;
}
