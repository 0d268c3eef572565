/*
** fleet: the fleet summary of a results database (see fleet.h).
*/
#include "fleet.h"
#include "schema.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The incident's time as a comparable ISO string. */
#define ITIME RESULTS_ITIME
#define NOT_FIXED RESULTS_NOT_FIXED
/* Filters, bound as ?1..?4 (NULL: no filter). */
#define IFILTER " (?1 IS NULL OR " ITIME " >= ?1) AND (?2 IS NULL OR " ITIME " < ?2)" \
		" AND (?3 IS NULL OR i.host = ?3) AND (?4 IS NULL OR i.kind = ?4)"
/* An incident's best (rank 0) known bug, NULL when none. */
#define BEST_BUG "(SELECT m.signature_id FROM incident_matches m WHERE m.incident_id = i.incident_id AND m.rank = 0)"

static const char totals_sql[] =
	"SELECT COUNT(*), COUNT(DISTINCT COALESCE(i.host, '')), MIN(" ITIME "), MAX(" ITIME ")"
	" FROM incidents i WHERE" IFILTER;
/*
 * Every match counts (an incident two signatures match is seen for both),
 * matches on kernels that carry the fix apart: the bugs_seen view's numbers
 * (schema.c), with the filters.
 */
static const char known_sql[] =
	"SELECT m.signature_id,"
	" COUNT(DISTINCT CASE WHEN " NOT_FIXED " THEN COALESCE(i.host, '') END),"
	" SUM(" NOT_FIXED "),"
	" MIN(CASE WHEN " NOT_FIXED " THEN " ITIME " END),"
	" MAX(CASE WHEN " NOT_FIXED " THEN " ITIME " END), MAX(m.severity),"
	" COUNT(DISTINCT CASE WHEN NOT " NOT_FIXED " THEN COALESCE(i.host, '') END),"
	" SUM(NOT " NOT_FIXED ")"
	" FROM incidents i JOIN incident_matches m USING (incident_id)"
	" WHERE" IFILTER
	" GROUP BY m.signature_id ORDER BY 2 DESC, 3 DESC, 1";
static const char days_sql[] =
	"SELECT m.signature_id, substr(" ITIME ", 1, 10), COUNT(*)"
	" FROM incidents i JOIN incident_matches m USING (incident_id)"
	" WHERE " NOT_FIXED " AND" IFILTER " GROUP BY 1, 2 ORDER BY 1, 2";
static const char unknown_sql[] =
	"SELECT i.hash, MIN(i.title), COUNT(DISTINCT COALESCE(i.host, '')), COUNT(*),"
	" MIN(" ITIME "), MAX(" ITIME "), MIN(i.kind)"
	" FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_matches m"
	"  WHERE m.incident_id = i.incident_id) AND i.kind NOT IN (" RESULTS_STATE_KINDS ") AND"
	IFILTER
	" GROUP BY i.hash ORDER BY 3 DESC, 4 DESC, 2";
static const char example_sql[] =
	"SELECT COALESCE(i.host, ''), i.source_path, i.source_line, " ITIME ", i.frames"
	" FROM incidents i WHERE i.hash IS ?5 AND NOT EXISTS (SELECT 1 FROM incident_matches m"
	"  WHERE m.incident_id = i.incident_id) AND" IFILTER
	" ORDER BY 4, i.source_path, i.source_line LIMIT 1";
static const char rows_sql[] =
	"SELECT COALESCE(i.host, ''), i.kind, MIN(i.title), i.hash, " BEST_BUG " AS bug, COUNT(*),"
	" MIN(" ITIME "), MAX(" ITIME ")"
	" FROM incidents i WHERE" IFILTER
	" GROUP BY 1, COALESCE(bug, i.kind || ' ' || COALESCE(i.hash, i.title))"
	" ORDER BY 1, 7, 3";
static const char each_sql[] =
	"SELECT COALESCE(i.host, ''), " ITIME ", i.kind, i.title,"
	" (SELECT group_concat(signature_id || CASE WHEN " NOT_FIXED " THEN '' ELSE"
	"   ' (' || m.fix_status || ')' END, ',') FROM incident_matches m"
	"   WHERE m.incident_id = i.incident_id), i.source_path, i.source_line"
	" FROM incidents i WHERE" IFILTER
	" ORDER BY 1, 2, i.source_path, i.source_line";

static sqlite3_stmt *prepare(sqlite3 *db, const char *sql, const struct fleet_filters *f,
			     char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		return NULL;
	}
	sqlite3_bind_text(st, 1, f->since, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->until, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->host, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->kind, -1, SQLITE_STATIC);
	return st;
}

static char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return xstrdup(s ? s : "");
}

static char *col_or_null(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : col(st, i);
}

static unsigned long ucol(sqlite3_stmt *st, int i)
{
	sqlite3_int64 v = sqlite3_column_int64(st, i);
	return v > 0 ? (unsigned long)v : 0;
}

/* Step to the end; SQLITE_DONE is success. */
static int finish(sqlite3 *db, sqlite3_stmt *st, int rc, char *err, size_t errlen)
{
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return -1;
	}
	sqlite3_finalize(st);
	return 0;
}

static int read_bugs(sqlite3 *db, const struct fleet_filters *f, struct fleet_report *r,
		     char *err, size_t errlen)
{
	size_t alloc = 0;
	sqlite3_stmt *st = prepare(db, known_sql, f, err, errlen);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fleet_bug *b;
		ALLOC_GROW(r->bugs, r->nr_bugs + 1, alloc);
		b = &r->bugs[r->nr_bugs++];
		memset(b, 0, sizeof(*b));
		b->id = col(st, 0);
		b->hosts = ucol(st, 1);
		b->incidents = ucol(st, 2);
		b->first = col(st, 3);
		b->last = col(st, 4);
		b->severity = col_or_null(st, 5);
		b->fixed_hosts = ucol(st, 6);
		b->fixed_incidents = ucol(st, 7);
	}
	if (finish(db, st, rc, err, errlen))
		return -1;
	if (!(st = prepare(db, days_sql, f, err, errlen)))
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *day = (const char *)sqlite3_column_text(st, 1);
		for (size_t i = 0; id && day && i < r->nr_bugs; i++) {
			struct fleet_bug *b = &r->bugs[i];
			if (strcmp(b->id, id))
				continue;
			b->days = xrealloc(b->days, (b->nr_days + 1) * sizeof(*b->days));
			snprintf(b->days[b->nr_days].day, sizeof(b->days[b->nr_days].day), "%s", day);
			b->days[b->nr_days++].incidents = ucol(st, 2);
			break;
		}
	}
	return finish(db, st, rc, err, errlen);
}

static int read_example(sqlite3 *db, const struct fleet_filters *f, struct fleet_cluster *c,
			char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare(db, example_sql, f, err, errlen);
	int rc;

	if (!st)
		return -1;
	if (*c->hash)
		sqlite3_bind_text(st, 5, c->hash, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 5);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		c->ex_host = col(st, 0);
		c->ex_path = col(st, 1);
		c->ex_line = ucol(st, 2);
		c->ex_when = col(st, 3);
		c->ex_frames = col_or_null(st, 4);
		rc = SQLITE_DONE;
	}
	return finish(db, st, rc, err, errlen);
}

static int read_clusters(sqlite3 *db, const struct fleet_filters *f, struct fleet_report *r,
			 char *err, size_t errlen)
{
	size_t alloc = 0;
	sqlite3_stmt *st = prepare(db, unknown_sql, f, err, errlen);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fleet_cluster *c;
		ALLOC_GROW(r->clusters, r->nr_clusters + 1, alloc);
		c = &r->clusters[r->nr_clusters++];
		memset(c, 0, sizeof(*c));
		c->hash = col(st, 0);
		c->title = col(st, 1);
		c->hosts = ucol(st, 2);
		c->incidents = ucol(st, 3);
		c->first = col(st, 4);
		c->last = col(st, 5);
		c->kind = col(st, 6);
	}
	if (finish(db, st, rc, err, errlen))
		return -1;
	for (size_t i = 0; i < r->nr_clusters; i++)
		if (read_example(db, f, &r->clusters[i], err, errlen))
			return -1;
	return 0;
}

static int read_rows(sqlite3 *db, const struct fleet_filters *f, struct fleet_report *r,
		     char *err, size_t errlen)
{
	size_t alloc = 0;
	sqlite3_stmt *st = prepare(db, rows_sql, f, err, errlen);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct fleet_host_row *w;
		ALLOC_GROW(r->rows, r->nr_rows + 1, alloc);
		w = &r->rows[r->nr_rows++];
		w->host = col(st, 0);
		w->kind = col(st, 1);
		w->title = col(st, 2);
		w->hash = col(st, 3);
		w->bug = col_or_null(st, 4);
		w->incidents = ucol(st, 5);
		w->first = col(st, 6);
		w->last = col(st, 7);
	}
	return finish(db, st, rc, err, errlen);
}

int fleet_read(sqlite3 *db, const struct fleet_filters *f, struct fleet_report *r,
	       char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!(st = prepare(db, totals_sql, f, err, errlen)))
		return -1;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r->incidents = ucol(st, 0);
		r->hosts = r->incidents ? ucol(st, 1) : 0;
		r->first = col(st, 2);
		r->last = col(st, 3);
		rc = SQLITE_DONE;
	}
	if (finish(db, st, rc, err, errlen) || read_bugs(db, f, r, err, errlen) ||
	    read_clusters(db, f, r, err, errlen) || read_rows(db, f, r, err, errlen))
		return -1;
	return 0;
}

void fleet_release(struct fleet_report *r)
{
	for (size_t i = 0; i < r->nr_bugs; i++) {
		free(r->bugs[i].id);
		free(r->bugs[i].severity);
		free(r->bugs[i].first);
		free(r->bugs[i].last);
		free(r->bugs[i].days);
	}
	free(r->bugs);
	for (size_t i = 0; i < r->nr_clusters; i++) {
		struct fleet_cluster *c = &r->clusters[i];
		free(c->hash);
		free(c->title);
		free(c->kind);
		free(c->first);
		free(c->last);
		free(c->ex_host);
		free(c->ex_path);
		free(c->ex_when);
		free(c->ex_frames);
	}
	free(r->clusters);
	for (size_t i = 0; i < r->nr_rows; i++) {
		struct fleet_host_row *w = &r->rows[i];
		free(w->host);
		free(w->kind);
		free(w->title);
		free(w->hash);
		free(w->bug);
		free(w->first);
		free(w->last);
	}
	free(r->rows);
	free(r->first);
	free(r->last);
	memset(r, 0, sizeof(*r));
}

int fleet_each_incident(sqlite3 *db, const struct fleet_filters *f, fleet_incident_fn fn,
			void *data, char *err, size_t errlen)
{
	sqlite3_stmt *st = prepare(db, each_sql, f, err, errlen);
	int rc;

	if (!st)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(data, (const char *)sqlite3_column_text(st, 0),
		   (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2),
		   (const char *)sqlite3_column_text(st, 3), (const char *)sqlite3_column_text(st, 4),
		   (const char *)sqlite3_column_text(st, 5), sqlite3_column_int64(st, 6));
	return finish(db, st, rc, err, errlen);
}

/* A title as a PCRE2 pattern matching it exactly; control bytes as '.'. */
static void regex_quote(struct strbuf *out, const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			strbuf_addch(out, '.');
		else {
			if (strchr("\\^$.|?*+()[]{}", *s))
				strbuf_addch(out, '\\');
			strbuf_addch(out, *s);
		}
	}
}

/* One line of a field's value: control bytes dropped (they would end it). */
static void line_value(struct strbuf *out, const char *s)
{
	for (; s && *s; s++)
		strbuf_addch(out, (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s);
}

void fleet_signature_skeleton(const struct fleet_cluster *c, struct strbuf *out)
{
	strbuf_addf(out, "id: unknown-%.16s\ntitle: ", *c->hash ? c->hash : "cluster");
	line_value(out, c->title);
	strbuf_addstr(out, "\nseverity: medium\nkind: ");
	line_value(out, c->kind);
	strbuf_addstr(out, "\ntitle-regex: ^");
	regex_quote(out, c->title);
	strbuf_addstr(out, "$\n");
	if (c->ex_frames && *c->ex_frames) {
		const char *p = c->ex_frames;
		strbuf_addstr(out, "frames: ");
		for (bool first = true; *p; first = false) {
			size_t n = strcspn(p, "\n");
			char *line = xstrndup(p, n);
			strbuf_addstr(out, first ? "" : "  ");
			line_value(out, line);
			strbuf_addch(out, '\n');
			free(line);
			p += n + (p[n] == '\n');
		}
	}
	strbuf_addstr(out, "description: TODO: what happens, and why.\n");
	if (c->ex_path) {
		strbuf_addstr(out, "# seen first on ");
		line_value(out, *c->ex_host ? c->ex_host : "(no host)");
		strbuf_addstr(out, " at ");
		line_value(out, c->ex_path);
		strbuf_addf(out, ":%lu\nexamples: ", c->ex_line);
		line_value(out, c->ex_path);
		strbuf_addch(out, '\n');
	}
}
