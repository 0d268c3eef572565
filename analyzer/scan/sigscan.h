/*
** sigscan: scan one log against a signature database the way `ksift scan`
** does — signatures matched with each incident's own boot, floods grouped,
** pending matches settled — for the commands that judge signatures rather
** than report logs: explain, db test, db review, db diff. With `explain`,
** every incident also comes with the evaluation of every signature
** (sigdb_explain()), settled after grouping like the matches.
**
** Single-threaded, one file at a time.
** Owns: nothing after sigscan_file() returns; the callback owns what it gets.
*/
#ifndef KSIFT_SIGSCAN_H
#define KSIFT_SIGSCAN_H

#include <stdbool.h>

#include "incident.h"
#include "sigdb.h"

struct sigscan_options {
	const struct sigdb *db;
	bool explain;		/* evaluate every signature, failures explained */
	bool no_group;		/* every report on its own (--no-group) */
	const char *host;	/* host for lines that name none (scan --host) */
};

/*
 * An incident after grouping, with its matches; ev is NULL unless
 * explaining, else sigdb_size() evaluations. The callee owns inc (free with
 * incident_free()) and ev (sigdb_evaluations_free()).
 */
typedef void (*sigscan_fn)(void *data, struct incident *inc, struct sig_evaluation *ev);

struct sigscan_stats {
	unsigned long incidents;	/* after grouping */
	unsigned long boots;		/* boots whose kernel release the log shows */
	unsigned long lines;
};

/* 0 when the whole file was read, -1 otherwise (reported on stderr). */
int sigscan_file(const char *path, const struct sigscan_options *o, sigscan_fn fn, void *data,
		 struct sigscan_stats *stats);

#endif
