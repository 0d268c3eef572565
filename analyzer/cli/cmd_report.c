/*
** ksift report FILE.db: the fleet summary of a results database — known
** bugs by number of hosts and incidents with first and last seen, unknown
** crash clusters (by hash) ranked by hosts, and a per-host timeline. Text
** for people, --json for tools; the same numbers are in the database's
** views (bugs_by_host, bugs_seen, unknown_clusters) for sqlite3 users.
*/
#include "builtin.h"
#include "options.h"
#include "json.h"
#include "results.h"
#include "schema.h"
#include "textsafe.h"
#include "util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The incident's time as a comparable ISO string. */
#define ITIME "(CASE WHEN i.wall_time GLOB '[0-9][0-9][0-9][0-9]-*' THEN i.wall_time ELSE i.recorded_at END)"
/* Filters, bound as ?1..?4 (NULL: no filter). */
#define IFILTER " (?1 IS NULL OR " ITIME " >= ?1) AND (?2 IS NULL OR " ITIME " < ?2)" \
		" AND (?3 IS NULL OR i.host = ?3) AND (?4 IS NULL OR i.kind = ?4)"

struct filters {
	const char *since, *until, *host, *kind;
	const char *path;		/* the database, for messages */
};

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, const struct filters *f)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		error("%s: %s", f->path, sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_text(st, 1, f->since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->until, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->kind, -1, SQLITE_STATIC);
	return st;
}

static const char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? s : "";
}

static const char known_sql[] =
	"SELECT m.signature_id, COUNT(DISTINCT COALESCE(i.host, '')), COUNT(*),"
	" MIN(" ITIME "), MAX(" ITIME "), MAX(m.severity)"
	" FROM incidents i JOIN incident_matches m USING (incident_id)"
	" WHERE m.rank = 0 AND" IFILTER
	" GROUP BY m.signature_id ORDER BY 2 DESC, 3 DESC, 1";
static const char unknown_sql[] =
	"SELECT i.hash, MIN(i.title), COUNT(DISTINCT COALESCE(i.host, '')), COUNT(*),"
	" MIN(" ITIME "), MAX(" ITIME "), MIN(i.kind)"
	" FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_matches m"
	"  WHERE m.incident_id = i.incident_id) AND i.kind NOT IN (" RESULTS_STATE_KINDS ") AND"
	IFILTER
	" GROUP BY i.hash ORDER BY 3 DESC, 4 DESC, 2";
static const char timeline_sql[] =
	"SELECT COALESCE(i.host, ''), " ITIME ", i.kind, i.title,"
	" (SELECT group_concat(signature_id, ',') FROM incident_matches m"
	"   WHERE m.incident_id = i.incident_id), i.source_path, i.source_line"
	" FROM incidents i WHERE" IFILTER
	" ORDER BY 1, 2, i.source_path, i.source_line";

/* A value from the database, through the output sanitizer (textsafe.h). */
static void add_col(struct strbuf *out, sqlite3_stmt *st, int i)
{
	const char *s = col(st, i);

	text_escape(out, s, strlen(s), false);
}

/*
 * The text report, whole in memory first: a database that fails half-way
 * (corrupt pages) prints nothing but the error, never a report that looks
 * complete.
 */
static int report_text(sqlite3 *db, const struct filters *f)
{
	struct strbuf out = STRBUF_INIT;
	sqlite3_stmt *st;
	char *cur = NULL;
	int n = 0, rc, ret = -1;

	strbuf_addstr(&out, "Known bugs (hosts, incidents, first and last seen):\n");
	if (!(st = prepare(db, known_sql, f)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		strbuf_addstr(&out, "  ");
		add_col(&out, st, 0);
		for (size_t pad = strlen(col(st, 0)); pad < 36; pad++)
			strbuf_addch(&out, ' ');
		strbuf_addf(&out, " %4d hosts %6d  ", sqlite3_column_int(st, 1),
			    sqlite3_column_int(st, 2));
		add_col(&out, st, 3);
		strbuf_addstr(&out, " .. ");
		add_col(&out, st, 4);
		strbuf_addstr(&out, "  ");
		add_col(&out, st, 5);
		strbuf_addch(&out, '\n');
		n++;
	}
	if (schema_rows_end(st, rc, f->path) < 0)
		goto out;
	if (!n)
		strbuf_addstr(&out, "  (none)\n");
	strbuf_addstr(&out, "\nUnknown crash clusters by hosts (no known bug matched):\n");
	n = 0;
	if (!(st = prepare(db, unknown_sql, f)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		strbuf_addstr(&out, "  ");
		add_col(&out, st, 0);
		strbuf_addf(&out, " %4d hosts %6d  ", sqlite3_column_int(st, 2),
			    sqlite3_column_int(st, 3));
		add_col(&out, st, 1);
		strbuf_addstr(&out, "  (");
		add_col(&out, st, 4);
		strbuf_addstr(&out, " .. ");
		add_col(&out, st, 5);
		strbuf_addstr(&out, ")\n");
		n++;
	}
	if (schema_rows_end(st, rc, f->path) < 0)
		goto out;
	if (!n)
		strbuf_addstr(&out, "  (none)\n");
	strbuf_addstr(&out, "\nPer host:\n");
	if (!(st = prepare(db, timeline_sql, f)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *host = col(st, 0);
		size_t w;
		if (!cur || strcmp(cur, host)) {
			free(cur);
			cur = xstrdup(host);
			strbuf_addstr(&out, "  ");
			if (*host)
				add_col(&out, st, 0);
			else
				strbuf_addstr(&out, "(no host)");
			strbuf_addch(&out, '\n');
		}
		strbuf_addstr(&out, "    ");
		w = out.len;
		add_col(&out, st, 1);
		while (out.len - w < 28)
			strbuf_addch(&out, ' ');
		strbuf_addch(&out, ' ');
		w = out.len;
		add_col(&out, st, 2);
		while (out.len - w < 12)
			strbuf_addch(&out, ' ');
		strbuf_addch(&out, ' ');
		add_col(&out, st, 3);
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			strbuf_addstr(&out, "  [");
			add_col(&out, st, 4);
			strbuf_addch(&out, ']');
		}
		strbuf_addch(&out, '\n');
	}
	if (schema_rows_end(st, rc, f->path) < 0)
		goto out;
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	free(cur);
	strbuf_release(&out);
	return ret;
}

static int report_json(sqlite3 *db, const struct filters *f)
{
	struct strbuf out = STRBUF_INIT;
	struct json j;
	sqlite3_stmt *st;
	int ret = -1, rc;

	json_init(&j, &out);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "known_bugs");
	if (!(st = prepare(db, known_sql, f)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object_begin(&j, NULL);
		json_str(&j, "id", col(st, 0));
		json_int(&j, "hosts", sqlite3_column_int(st, 1));
		json_int(&j, "incidents", sqlite3_column_int(st, 2));
		json_str(&j, "first_seen", col(st, 3));
		json_str(&j, "last_seen", col(st, 4));
		json_str(&j, "severity", col(st, 5));
		json_object_end(&j);
	}
	if (schema_rows_end(st, rc, f->path) < 0)
		goto out;
	json_array_end(&j);
	json_array_begin(&j, "unknown_clusters");
	if (!(st = prepare(db, unknown_sql, f)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object_begin(&j, NULL);
		json_str(&j, "hash", col(st, 0));
		json_str(&j, "title", col(st, 1));
		json_str(&j, "kind", col(st, 6));
		json_int(&j, "hosts", sqlite3_column_int(st, 2));
		json_int(&j, "incidents", sqlite3_column_int(st, 3));
		json_str(&j, "first_seen", col(st, 4));
		json_str(&j, "last_seen", col(st, 5));
		json_object_end(&j);
	}
	if (schema_rows_end(st, rc, f->path) < 0)
		goto out;
	json_array_end(&j);
	json_array_begin(&j, "timeline");
	if (!(st = prepare(db, timeline_sql, f)))
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_object_begin(&j, NULL);
		json_str(&j, "host", sqlite3_column_type(st, 0) != SQLITE_NULL && *col(st, 0) ?
			 col(st, 0) : NULL);
		json_str(&j, "time", col(st, 1));
		json_str(&j, "kind", col(st, 2));
		json_str(&j, "title", col(st, 3));
		json_str(&j, "known_bugs", sqlite3_column_type(st, 4) != SQLITE_NULL ?
			 col(st, 4) : NULL);
		json_str(&j, "path", col(st, 5));
		json_int(&j, "line", sqlite3_column_int(st, 6));
		json_object_end(&j);
	}
	if (schema_rows_end(st, rc, f->path) < 0)
		goto out;
	json_array_end(&j);
	json_object_end(&j);
	strbuf_addch(&out, '\n');
	fwrite(out.buf, 1, out.len, stdout);
	ret = 0;
out:
	strbuf_release(&out);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	struct filters f = { NULL, NULL, NULL, NULL, NULL };
	bool json = false, check = false;
	const struct option_spec options[] = {
		OPT_FLAG("json", 0, &json, "the same as one JSON object"),
		OPT_STRING("since", 0, &f.since, "T", "incidents at or after T"),
		OPT_STRING("until", 0, &f.until, "T", "incidents before T"),
		OPT_STRING("host", 0, &f.host, "H", "only this host's incidents"),
		OPT_STRING("kind", 0, &f.kind, "K", "only incidents of this kind"),
		OPT_FLAG("check", 0, &check, "check the database first (PRAGMA quick_check)"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "report",
		.synopsis = "[--json] [--check] [--since T] [--until T] [--host H] [--kind K] FILE.db",
		.description =
			"Fleet summary of a results database (ksift scan --results FILE.db).\n"
			"Times are ISO-8601 prefixes (2026-11, 2026-11-24T10:00); an incident's time\n"
			"is its wall time (for syslog lines that print no year, the year comes from\n"
			"the file's mtime: see README), else when it was recorded.\n",
		.options = options,
		.min_operands = 1, .max_operands = 1,
	};
	char err[512];
	sqlite3 *db;
	int first, ret;

	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	if (access(argv[first], R_OK) < 0) {
		error("%s: no such results database", argv[first]);
		return EXIT_INPUT;
	}
	/* Opening through the store checks it is ours and migrates it. */
	{
		struct results_db *r = results_open(argv[first], err, sizeof(err));
		if (!r) {
			error("%s", err);
			return EXIT_INPUT;
		}
		results_close(r);
	}
	db = schema_open(argv[first], err, sizeof(err));
	if (!db) {
		error("%s", err);
		return EXIT_INPUT;
	}
	f.path = argv[first];
	if (check && schema_quick_check(db, f.path) < 0)
		ret = EXIT_INPUT;
	else
		ret = (json ? report_json(db, &f) : report_text(db, &f)) < 0 ? EXIT_INPUT :
		      EXIT_CLEAN;
	sqlite3_close(db);
	return ret;
}
