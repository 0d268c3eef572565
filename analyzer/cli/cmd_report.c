/*
** ksift report FILE.db: the fleet summary of a results database — known
** bugs by number of hosts and incidents with first and last seen, unknown
** crash clusters (by hash) ranked by hosts, and a per-host timeline. Text
** for people, --json for tools; the same numbers are in the database's
** views (bugs_by_host, bugs_seen, unknown_clusters) for sqlite3 users.
*/
#include "builtin.h"
#include "fleet_report.h"
#include "results.h"
#include "schema.h"
#include "util.h"

#include <getopt.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char report_usage[] =
	"usage: ksift report [--json | --html | --full] [--since T] [--until T] [--host H] [--kind K] FILE.db\n"
	"\n"
	"Fleet summary of a results database (ksift scan --results FILE.db).\n"
	"Times are ISO-8601 prefixes (2026-11, 2026-11-24T10:00); an incident's time\n"
	"is its wall time (for syslog lines that print no year, the year comes from\n"
	"the file's mtime: see README), else when it was recorded.\n"
	"  --html   one self-contained page (write it to a file: > fleet.html)\n"
	"  --full   the text lists every incident (default: identical ones counted)\n";

int cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "html", no_argument, NULL, 'W' },
		{ "full", no_argument, NULL, 'F' },
		{ "since", required_argument, NULL, 's' },
		{ "until", required_argument, NULL, 'u' },
		{ "host", required_argument, NULL, 'H' },
		{ "kind", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fleet_filters f = { NULL, NULL, NULL, NULL };
	struct strbuf out = STRBUF_INIT;
	bool json = false, html = false, full = false;
	char err[512];
	sqlite3 *db;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': json = true; break;
		case 'W': html = true; break;
		case 'F': full = true; break;
		case 's': f.since = optarg; break;
		case 'u': f.until = optarg; break;
		case 'H': f.host = optarg; break;
		case 'k': f.kind = optarg; break;
		case 'h': fputs(report_usage, stdout); return EXIT_CLEAN;
		default: fputs(report_usage, stderr); return EXIT_INPUT;
		}
	}
	if (optind != argc - 1) {
		fputs(report_usage, stderr);
		return EXIT_INPUT;
	}
	if (access(argv[optind], R_OK) < 0) {
		error("%s: no such results database", argv[optind]);
		return EXIT_INPUT;
	}
	/* Opening through the store checks it is ours and migrates it. */
	{
		struct results_db *r = results_open(argv[optind], err, sizeof(err));
		if (!r) {
			error("%s", err);
			return EXIT_INPUT;
		}
		results_close(r);
	}
	db = schema_open(argv[optind], err, sizeof(err));
	if (!db) {
		error("%s", err);
		return EXIT_INPUT;
	}
	ret = (json ? fleet_report_json(db, &f, &out, err, sizeof(err)) :
	       html ? fleet_report_html(db, &f, &out, err, sizeof(err)) :
	       fleet_report_text(db, &f, full, &out, err, sizeof(err))) < 0 ? EXIT_INPUT : EXIT_CLEAN;
	if (ret == EXIT_INPUT)
		error("report: %s", err);
	else
		fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
	sqlite3_close(db);
	return ret;
}
