/*
** results: the scan results store (see results.h).
*/
#include "results.h"
#include "schema.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct results_db {
	sqlite3 *db;
	sqlite3_stmt *ins_incident, *find_incident, *ins_match;
	sqlite3_stmt *file_by_path, *file_by_inode, *file_by_content, *file_put;
	unsigned pending;
	char *path;			/* for messages */
};

static void finalize_all(struct results_db *r)
{
	sqlite3_finalize(r->ins_incident);
	sqlite3_finalize(r->find_incident);
	sqlite3_finalize(r->ins_match);
	sqlite3_finalize(r->file_by_path);
	sqlite3_finalize(r->file_by_inode);
	sqlite3_finalize(r->file_by_content);
	sqlite3_finalize(r->file_put);
	free(r->path);
}

struct results_db *results_open(const char *path, char *err, size_t errlen)
{
	struct results_db *r = xcalloc(1, sizeof(*r));
	char why[512];

	r->path = xstrdup(path);
	r->db = schema_open(path, why, sizeof(why));
	if (!r->db) {
		snprintf(err, errlen, "%s", why);
		goto fail;
	}
	if (schema_prepare(r->db, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto fail;
	}
	sqlite3_exec(r->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
	if (sqlite3_prepare_v2(r->db,
			       "INSERT OR IGNORE INTO incidents(source_path, source_line, "
			       "source_end_line, host, wall_time, kernel_time, kind, title, "
			       "hash, kernel_release) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
			       -1, &r->ins_incident, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db,
			       "SELECT incident_id FROM incidents WHERE source_path = ?1 AND "
			       "source_line = ?2 AND kind = ?3 AND title = ?4",
			       -1, &r->find_incident, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db,
			       "INSERT OR IGNORE INTO incident_matches(incident_id, signature_id, "
			       "rank, severity, evidence) VALUES (?1, ?2, ?3, ?4, ?5)",
			       -1, &r->ins_match, NULL) != SQLITE_OK ||
#define FILE_COLS "dev, inode, size, mtime, head_hash, done_offset, done_lines, compressed, path"
	    sqlite3_prepare_v2(r->db, "SELECT " FILE_COLS " FROM files WHERE path = ?1",
			       -1, &r->file_by_path, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "SELECT " FILE_COLS " FROM files WHERE dev = ?1 AND"
			       " inode = ?2 AND head_hash = ?3 ORDER BY done_offset DESC",
			       -1, &r->file_by_inode, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "SELECT " FILE_COLS " FROM files WHERE head_hash = ?1 AND"
			       " size = ?2 AND done_offset > 0",
			       -1, &r->file_by_content, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "INSERT OR REPLACE INTO files(path, dev, inode, size,"
			       " mtime, head_hash, done_offset, done_lines, compressed)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
			       -1, &r->file_put, NULL) != SQLITE_OK) {
#undef FILE_COLS
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(r->db));
		goto fail;
	}
	return r;
fail:
	finalize_all(r);
	sqlite3_close(r->db);
	free(r);
	return NULL;
}

static void bind_opt(sqlite3_stmt *st, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, col);
}

static int step_done(struct results_db *r, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	/* The message of the failed step (reset() would replace it). */
	warning("%s: %s", r->path, sqlite3_errmsg(r->db));
	sqlite3_reset(st);
	return -1;
}

/*
 * Whether a transaction is open is asked of SQLite, not remembered: after
 * some errors (SQLITE_FULL, SQLITE_IOERR) it rolls the transaction back on
 * its own, and statements that followed would otherwise each commit alone.
 */
static int begin(struct results_db *r)
{
	if (!sqlite3_get_autocommit(r->db))
		return 0;
	if (sqlite3_exec(r->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	warning("%s: %s", r->path, sqlite3_errmsg(r->db));
	return -1;
}

static int commit(struct results_db *r)
{
	r->pending = 0;
	if (sqlite3_get_autocommit(r->db))
		return 0;
	if (sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	warning("%s: commit: %s", r->path, sqlite3_errmsg(r->db));
	if (!sqlite3_get_autocommit(r->db))
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int results_rollback(struct results_db *r)
{
	r->pending = 0;
	if (sqlite3_get_autocommit(r->db))
		return 0;
	if (sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	warning("%s: rollback: %s", r->path, sqlite3_errmsg(r->db));
	return -1;
}

int results_record(struct results_db *r, const struct incident *inc)
{
	const char *path = inc->source.path ? inc->source.path : "-";
	const char *kind = incident_kind_name(inc->kind);
	const char *title = inc->title ? inc->title : "";
	sqlite3_stmt *st = r->ins_incident;
	sqlite3_int64 id;
	int fresh, rc;

	if (begin(r))
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)inc->source.line);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)inc->source.end_line);
	bind_opt(st, 4, inc->host);
	/* With a year (inferred when the log gave none): --since compares it. */
	bind_opt(st, 5, inc->wall_inferred ? inc->wall_inferred : inc->wall);
	if (inc->has_ktime)
		sqlite3_bind_double(st, 6, inc->ktime);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_text(st, 7, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, title, -1, SQLITE_TRANSIENT);
	bind_opt(st, 9, inc->hash[0] ? inc->hash : NULL);
	bind_opt(st, 10, inc->kernel.release);
	if (step_done(r, st))
		return -1;
	fresh = sqlite3_changes(r->db) > 0;
	st = r->find_incident;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)inc->source.line);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, title, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (id < 0) {
		warning("%s: %s", r->path, sqlite3_errmsg(r->db));
		return -1;
	}
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		struct strbuf ev = STRBUF_INIT;

		for (size_t k = 0; k < m->nr_evidence; k++)
			strbuf_addf(&ev, "%s: %s\n", m->evidence[k].predicate,
				    m->evidence[k].detail ? m->evidence[k].detail : "");
		st = r->ins_match;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, m->id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, (int)i);
		bind_opt(st, 4, m->severity);
		sqlite3_bind_text(st, 5, ev.buf, (int)ev.len, SQLITE_TRANSIENT);
		rc = step_done(r, st);
		strbuf_release(&ev);
		if (rc)
			return -1;
	}
	if (++r->pending >= RESULTS_BATCH && commit(r))
		return -1;
	return fresh;
}

int results_commit(struct results_db *r)
{
	return commit(r);
}

int results_close(struct results_db *r)
{
	int rc;

	if (!r)
		return 0;
	rc = commit(r);
	finalize_all(r);
	sqlite3_close(r->db);
	free(r);
	return rc;
}

static void read_file_row(sqlite3_stmt *st, struct results_file *f)
{
	const char *h = (const char *)sqlite3_column_text(st, 4);

	f->dev = sqlite3_column_int64(st, 0);
	f->inode = sqlite3_column_int64(st, 1);
	f->size = sqlite3_column_int64(st, 2);
	f->mtime = sqlite3_column_int64(st, 3);
	snprintf(f->head_hash, sizeof(f->head_hash), "%s", h ? h : "");
	f->done_offset = sqlite3_column_int64(st, 5);
	f->done_lines = sqlite3_column_int64(st, 6);
	f->compressed = sqlite3_column_int(st, 7);
}

/*
 * The first row of st whose recorded path is `path` itself, or (with
 * still_there) another path that no longer holds the file.
 */
static int lookup_one(struct results_db *r, sqlite3_stmt *st, const char *path,
		      results_still_there_fn still_there, struct results_file *prev)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *rec_path = (const char *)sqlite3_column_text(st, 8);
		read_file_row(st, prev);
		if (!still_there || !rec_path || !strcmp(rec_path, path) ||
		    !still_there(rec_path, prev))
			break;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	warning("%s: %s", r->path, sqlite3_errmsg(r->db));
	return -1;
}

int results_file_lookup(struct results_db *r, const char *path,
			const struct results_file *now, struct results_file *prev,
			results_still_there_fn still_there)
{
	int got;

	sqlite3_bind_text(r->file_by_path, 1, path, -1, SQLITE_STATIC);
	if ((got = lookup_one(r, r->file_by_path, path, NULL, prev)))
		return got;
	sqlite3_bind_int64(r->file_by_inode, 1, now->dev);
	sqlite3_bind_int64(r->file_by_inode, 2, now->inode);
	sqlite3_bind_text(r->file_by_inode, 3, now->head_hash, -1, SQLITE_STATIC);
	if ((got = lookup_one(r, r->file_by_inode, path, still_there, prev)))
		return got;
	sqlite3_bind_text(r->file_by_content, 1, now->head_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r->file_by_content, 2, now->size);
	return lookup_one(r, r->file_by_content, path, still_there, prev);
}

int results_file_done(struct results_db *r, const char *path, const struct results_file *f)
{
	sqlite3_stmt *st = r->file_put;

	if (begin(r))
		return -1;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, f->dev);
	sqlite3_bind_int64(st, 3, f->inode);
	sqlite3_bind_int64(st, 4, f->size);
	sqlite3_bind_int64(st, 5, f->mtime);
	sqlite3_bind_text(st, 6, f->head_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, f->done_offset);
	sqlite3_bind_int64(st, 8, f->done_lines);
	sqlite3_bind_int(st, 9, f->compressed);
	return step_done(r, st);
}
