/*
** fleet_report: ksift report's text and JSON views of a results database
** (the HTML view is html_fleet.c). The text groups repeated identical
** incidents of a host into one line with ×N and their span; full lists
** every incident on its own line instead. The JSON has known_bugs (with
** per-day counts), unknown_clusters (with their example and signature
** skeleton), per_host rows and, as before, every incident in `timeline`.
** Owns nothing; writes into the caller's strbuf.
*/
#ifndef KSIFT_FLEET_REPORT_H
#define KSIFT_FLEET_REPORT_H

#include <stdbool.h>

#include "fleet.h"
#include "strbuf.h"

/* 0, or -1 with a message in err (an SQL error). */
int fleet_report_text(sqlite3 *db, const struct fleet_filters *f, bool full, struct strbuf *out,
		      char *err, size_t errlen);
int fleet_report_json(sqlite3 *db, const struct fleet_filters *f, struct strbuf *out,
		      char *err, size_t errlen);
int fleet_report_html(sqlite3 *db, const struct fleet_filters *f, struct strbuf *out,
		      char *err, size_t errlen);

/* Incidents per day as a line of block characters, first to last day. */
void fleet_sparkline(const struct fleet_bug *b, struct strbuf *out, size_t max_days);

#endif
