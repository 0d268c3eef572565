/*
** fleet: read the fleet summary out of a results database (results.h,
** schema.h) for `ksift report` — text, JSON and HTML all render what
** fleet_read() returns:
**   - known bugs (best match of each incident): hosts, incidents, first and
**     last seen, worst severity, incidents per day;
**   - unknown crash clusters (no match; state kinds left out), ranked by
**     hosts, each with its earliest incident as the example and the frames
**     a signature for it would start from;
**   - per host, one row per cluster (a known bug, or kind + title + hash):
**     incidents, first and last seen — repeated identical incidents are
**     one row with their count and span.
** Filters (--since/--until/--host/--kind) apply to every part; times are
** the incident's wall time where it has a year, else when it was recorded.
** Prepared statements only.
**
** Owns: every string and array in the report; fleet_release() frees them.
*/
#ifndef KSIFT_FLEET_H
#define KSIFT_FLEET_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

struct fleet_filters {
	const char *since, *until, *host, *kind;	/* NULL: no filter */
};

struct fleet_day {
	char day[11];			/* YYYY-MM-DD */
	unsigned long incidents;
};

struct fleet_bug {
	char *id, *severity, *first, *last;
	unsigned long hosts, incidents;	/* on kernels without the fix */
	/* matched on kernels that carry the fix (or predate the bug): a
	   regression, or another bug that looks the same */
	unsigned long fixed_hosts, fixed_incidents;
	struct fleet_day *days;		/* ascending */
	size_t nr_days;
};

struct fleet_cluster {
	char *hash, *title, *kind, *first, *last;
	unsigned long hosts, incidents;
	/* the example: the cluster's earliest incident */
	char *ex_host, *ex_path, *ex_when, *ex_frames;	/* frames: "func [mod]" lines */
	unsigned long ex_line;
};

struct fleet_host_row {
	char *host;			/* "" when the log named none */
	char *kind, *title, *hash;
	char *bug;			/* the known bug, NULL for an unknown cluster */
	unsigned long incidents;
	char *first, *last;
};

struct fleet_report {
	struct fleet_bug *bugs;		/* by hosts, then incidents */
	size_t nr_bugs;
	struct fleet_cluster *clusters;	/* by hosts, then incidents */
	size_t nr_clusters;
	struct fleet_host_row *rows;	/* by host, then first seen */
	size_t nr_rows;
	unsigned long incidents, hosts;	/* all incidents the filters keep */
	char *first, *last;
};

/* Fill r; 0, or -1 with the SQLite message in err. */
int fleet_read(sqlite3 *db, const struct fleet_filters *f, struct fleet_report *r,
	       char *err, size_t errlen);
void fleet_release(struct fleet_report *r);

/*
 * Every incident the filters keep, by host and time (ksift report --full):
 * fn gets host ("" for none), time, kind, title, known bugs (comma-joined,
 * NULL for none), path and line. 0, or -1 with a message in err.
 */
typedef void (*fleet_incident_fn)(void *data, const char *host, const char *when,
				  const char *kind, const char *title, const char *bugs,
				  const char *path, long long line);
int fleet_each_incident(sqlite3 *db, const struct fleet_filters *f, fleet_incident_fn fn,
			void *data, char *err, size_t errlen);

/* A `ksift db add`-ready signature skeleton for an unknown cluster. */
void fleet_signature_skeleton(const struct fleet_cluster *c, struct strbuf *out);

#endif
