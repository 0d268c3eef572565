/*
** ksift report FILE.db: the fleet summary of a results database — known
** bugs by number of hosts and incidents with first and last seen, unknown
** crash clusters (by hash) ranked by hosts, and a per-host timeline. Text
** for people, --json for tools; the same numbers are in the database's
** views (bugs_by_host, bugs_seen, unknown_clusters) for sqlite3 users.
*/
#include "builtin.h"
#include "options.h"
#include "fleet_report.h"
#include "results.h"
#include "schema.h"
#include "util.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_report(int argc, char **argv)
{
	struct fleet_filters f = { NULL, NULL, NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	bool json = false, html = false, full = false, check = false;
	const struct option_spec options[] = {
		OPT_FLAG("json", 0, &json, "the same as one JSON object"),
		OPT_FLAG("html", 0, &html, "the same as one self-contained page (> fleet.html)"),
		OPT_FLAG("full", 0, &full, "list every incident, not one line per cluster and host"),
		OPT_STRING("since", 0, &f.since, "T", "incidents at or after T"),
		OPT_STRING("until", 0, &f.until, "T", "incidents before T"),
		OPT_STRING("host", 0, &f.host, "H", "only this host's incidents"),
		OPT_STRING("kind", 0, &f.kind, "K", "only incidents of this kind"),
		OPT_FLAG("check", 0, &check, "check the database first (PRAGMA quick_check)"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "report",
		.synopsis = "[--json | --html | --full] [--check] [--since T] [--until T] [--host H] [--kind K] FILE.db",
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
	/* The report is made whole in memory first: a database that fails
	   half-way (corrupt pages) prints nothing but the error, never a
	   report that looks complete. */
	if (check && schema_quick_check(db, argv[first]) < 0) {
		ret = EXIT_INPUT;
	} else {
		ret = (json ? fleet_report_json(db, &f, &out, err, sizeof(err)) :
		       html ? fleet_report_html(db, &f, &out, err, sizeof(err)) :
		       fleet_report_text(db, &f, full, &out, err, sizeof(err))) < 0 ?
		      EXIT_INPUT : EXIT_CLEAN;
		if (ret == EXIT_INPUT)
			error("%s: %s", argv[first], err);
		else
			fwrite(out.buf, 1, out.len, stdout);
	}
	strbuf_release(&out);
	sqlite3_close(db);
	return ret;
}
