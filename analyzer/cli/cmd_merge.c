/*
** ksift merge OUT.db IN.db...: fold results databases (one per shard, per
** worker, per night) into one. Idempotent: incidents are keyed as in the
** results store, so merging the same input twice adds nothing. Inputs are
** only read.
*/
#include "builtin.h"
#include "options.h"
#include "results.h"
#include "schema.h"
#include "util.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int exec_sql(sqlite3 *db, const char *sql, const char *what, const char *path)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return 0;
	/* "ksift: IN.db: database disk image is malformed (merge)" */
	error("%s: %s (%s)", path, msg ? msg : sqlite3_errmsg(db), what);
	sqlite3_free(msg);
	return -1;
}

/* An integer PRAGMA of the input; -1 when unreadable (said, naming it). */
static int src_int(sqlite3 *db, const char *sql, const char *path)
{
	sqlite3_stmt *st = NULL;
	int v = -1, rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		error("%s: %s", path, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	return schema_rows_end(st, rc, path) < 0 ? -2 : v;
}

static int merge_one(sqlite3 *db, const char *in)
{
	sqlite3_stmt *st = NULL;
	int app, ver, ret = -1;

	/* ATTACH would create a missing file: refuse first. */
	if (access(in, R_OK) < 0) {
		error("%s: %s", in, strerror(errno));
		return -1;
	}
	/* Bound as a parameter: the path is data, never SQL. The input is only
	   read (SELECT), never written. */
	if (sqlite3_prepare_v2(db, "ATTACH DATABASE ? AS src", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, in, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_DONE) {
		error("%s: cannot open: %s", in, sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	app = src_int(db, "PRAGMA src.application_id", in);
	ver = src_int(db, "PRAGMA src.user_version", in);
	if (app == -2 || ver == -2)
		goto out;
	if (app != RESULTS_APP_ID || ver < 1) {
		error("%s: not a ksift results database", in);
		goto out;
	}
	if (ver > RESULTS_SCHEMA_VERSION) {
		error("%s: made by a newer ksift (schema %d)", in, ver);
		goto out;
	}
	if (exec_sql(db, "BEGIN IMMEDIATE", "begin", in) ||
	    (ver < 5 && exec_sql(db,
		"INSERT OR IGNORE INTO main.incidents(source_path, source_line, source_end_line,"
		"  host, wall_time, kernel_time, kind, title, hash, kernel_release, recorded_at)"
		" SELECT source_path, source_line, source_end_line, host, wall_time, kernel_time,"
		"  kind, title, hash, kernel_release, recorded_at FROM src.incidents;"
		"INSERT OR IGNORE INTO main.incident_matches(incident_id, signature_id, rank,"
		"  severity, evidence)"
		" SELECT o.incident_id, m.signature_id, m.rank, m.severity, m.evidence"
		" FROM src.incident_matches m JOIN src.incidents s USING (incident_id)"
		" JOIN main.incidents o ON o.source_path = s.source_path"
		"  AND o.source_line = s.source_line AND o.kind = s.kind AND o.title = s.title;",
		"merge", in)) ||
	    /* Version 5: records, fix status, boots and the signatures too. */
	    (ver >= 5 && exec_sql(db,
		"INSERT OR IGNORE INTO main.incidents(source_path, source_line, source_end_line,"
		"  host, wall_time, kernel_time, kind, title, hash, kernel_release, recorded_at,"
		"  kernel_build, kernel_stream, record, scan_id)"
		" SELECT source_path, source_line, source_end_line, host, wall_time, kernel_time,"
		"  kind, title, hash, kernel_release, recorded_at, kernel_build, kernel_stream,"
		"  record, scan_id FROM src.incidents;"
		"INSERT OR IGNORE INTO main.incident_matches(incident_id, signature_id, rank,"
		"  severity, evidence, fix_status, fix_detail)"
		" SELECT o.incident_id, m.signature_id, m.rank, m.severity, m.evidence,"
		"  m.fix_status, m.fix_detail"
		" FROM src.incident_matches m JOIN src.incidents s USING (incident_id)"
		" JOIN main.incidents o ON o.source_path = s.source_path"
		"  AND o.source_line = s.source_line AND o.kind = s.kind AND o.title = s.title;"
		"INSERT OR IGNORE INTO main.boots(source_path, host, first_line, kernel_release,"
		"  kernel_build, hypervisor, hardware, arch, cmdline, version_line, lines, scan_id,"
		"  recorded_at)"
		" SELECT source_path, host, first_line, kernel_release, kernel_build, hypervisor,"
		"  hardware, arch, cmdline, version_line, lines, scan_id, recorded_at FROM src.boots;"
		"INSERT OR REPLACE INTO main.signatures SELECT * FROM src.signatures"
		" WHERE signature_id NOT IN (SELECT signature_id FROM main.signatures)"
		"  OR updated_at > (SELECT updated_at FROM main.signatures g"
		"   WHERE g.signature_id = src.signatures.signature_id);",
		"merge", in)) ||
	    /* Version 6: first cause first and skeleton frames. */
	    (ver >= 6 && exec_sql(db,
		"UPDATE main.incidents AS o SET follows_line = s.follows_line,"
		"  follows_reason = s.follows_reason, frames = s.frames FROM src.incidents s"
		" WHERE o.source_path = s.source_path AND o.source_line = s.source_line"
		"  AND o.kind = s.kind AND o.title = s.title AND o.follows_line IS NULL"
		"  AND o.frames IS NULL;",
		"merge follows", in)) ||
	    (ver >= 3 && exec_sql(db,
		"INSERT OR REPLACE INTO main.files SELECT * FROM src.files"
		" WHERE path NOT IN (SELECT path FROM main.files)"
		"  OR done_offset > (SELECT done_offset FROM main.files f WHERE f.path = src.files.path);",
		"merge files", in)) ||
	    exec_sql(db, "COMMIT", "commit", in)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	ret = 0;
out:
	sqlite3_exec(db, "DETACH DATABASE src", NULL, NULL, NULL);
	return ret;
}

int cmd_merge(int argc, char **argv)
{
	const struct option_spec options[] = { OPT_END() };
	const struct command_spec cmd = {
		.name = "merge",
		.synopsis = "OUT.db IN.db...",
		.description = "Merge ksift results databases (e.g. one per --shard) into OUT.db,\n"
			       "creating it if needed. Merging the same input again adds no rows.\n",
		.options = options,
		.min_operands = 2, .max_operands = -1,
	};
	char err[512];
	struct results_db *r;
	sqlite3 *db;
	int failed = 0, first, ret;

	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	/* Create or migrate OUT through the results store, then merge raw. */
	r = results_open(argv[first], err, sizeof(err));
	if (!r) {
		error("%s", err);
		return EXIT_INPUT;
	}
	results_close(r);
	db = schema_open(argv[first], err, sizeof(err));
	if (!db) {
		error("%s", err);
		return EXIT_INPUT;
	}
	for (int i = first + 1; i < argc; i++)
		if (merge_one(db, argv[i]) < 0)
			failed++;
	sqlite3_close(db);
	return failed ? EXIT_INPUT : EXIT_CLEAN;
}
