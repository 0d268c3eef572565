/*
** results: the scan results store (see results.h).
*/
#include "results.h"
#include "release.h"
#include "generic_frames.h"
#include "schema.h"
#include "title.h"
#include "util.h"

#include <zlib.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct results_db {
	sqlite3 *db;
	sqlite3_stmt *ins_incident, *find_incident, *ins_match;
	sqlite3_stmt *upd_incident, *del_matches, *put_boot;
	sqlite3_stmt *file_by_path, *file_by_inode, *file_by_content, *file_put;
	sqlite3_int64 scan_id;		/* this run: rows it (re)wrote carry it */
	unsigned pending;
	bool hold;			/* one transaction until results_commit() */
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
	sqlite3_finalize(r->upd_incident);
	sqlite3_finalize(r->del_matches);
	sqlite3_finalize(r->put_boot);
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
	sqlite3_randomness(sizeof(r->scan_id), &r->scan_id);
	r->scan_id &= 0x7fffffffffffffffLL;
	if (sqlite3_prepare_v2(r->db,
			       "INSERT OR IGNORE INTO incidents(source_path, source_line, "
			       "source_end_line, host, wall_time, kernel_time, kind, title, "
			       "hash, kernel_release, kernel_build, kernel_stream, record, scan_id,"
			       " follows_line, follows_reason, frames)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
			       " ?15, ?16, ?17)",
			       -1, &r->ins_incident, NULL) != SQLITE_OK ||
	    /* Read again: what this scan knows replaces what an older one stored. */
	    sqlite3_prepare_v2(r->db,
			       "UPDATE incidents SET source_end_line = ?2, host = ?3, wall_time = ?4,"
			       " kernel_time = ?5, hash = ?6, kernel_release = ?7, kernel_build = ?8,"
			       " kernel_stream = ?9, record = COALESCE(?10, record), scan_id = ?11,"
			       " follows_line = ?12, follows_reason = ?13, frames = ?14"
			       " WHERE incident_id = ?1",
			       -1, &r->upd_incident, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db, "DELETE FROM incident_matches WHERE incident_id = ?1",
			       -1, &r->del_matches, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db,
			       "INSERT OR REPLACE INTO boots(source_path, host, first_line,"
			       " kernel_release, kernel_build, hypervisor, hardware, arch, cmdline,"
			       " version_line, lines, scan_id)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
			       -1, &r->put_boot, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db,
			       "SELECT incident_id FROM incidents WHERE source_path = ?1 AND "
			       "source_line = ?2 AND kind = ?3 AND title = ?4",
			       -1, &r->find_incident, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(r->db,
			       "INSERT OR IGNORE INTO incident_matches(incident_id, signature_id, "
			       "rank, severity, evidence, fix_status, fix_detail)"
			       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
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

int results_put_matches(struct results_db *r, long long id, const struct incident *inc)
{
	if (begin(r))
		return -1;
	sqlite3_bind_int64(r->del_matches, 1, id);
	if (step_done(r, r->del_matches))
		return -1;
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		struct strbuf ev = STRBUF_INIT;
		sqlite3_stmt *st = r->ins_match;
		int rc;

		for (size_t k = 0; k < m->nr_evidence; k++)
			strbuf_addf(&ev, "%s: %s\n", m->evidence[k].predicate,
				    m->evidence[k].detail ? m->evidence[k].detail : "");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, m->id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, (int)i);
		bind_opt(st, 4, m->severity);
		sqlite3_bind_text(st, 5, ev.buf, (int)ev.len, SQLITE_TRANSIENT);
		bind_opt(st, 6, m->fix_status);
		bind_opt(st, 7, m->fix_detail);
		rc = step_done(r, st);
		strbuf_release(&ev);
		if (rc)
			return -1;
	}
	return 0;
}

/* The first meaningful frames, "func [module]" a line: a signature's start. */
static void frames_text(const struct incident *inc, struct strbuf *out)
{
	const struct frame *f[HASH_FRAMES];
	size_t n = meaningful_frames(inc, f, HASH_FRAMES);

	for (size_t i = 0; i < n; i++) {
		if (!f[i]->func)
			continue;
		strbuf_addf(out, "%s%s", out->len ? "\n" : "", f[i]->func);
		if (f[i]->module)
			strbuf_addf(out, " [%s]", f[i]->module);
	}
}

/*
 * What this reading knows beyond the incident's key, the same for a new row
 * and for one read again: release, build, stream, record, scan, follows and
 * frames, bound from parameter first on (in that order in both statements).
 */
static void bind_reading(sqlite3_stmt *st, int first, const struct results_db *r,
			 const struct incident *inc, const char *stream, const char *record,
			 const struct strbuf *frames)
{
	bind_opt(st, first, inc->kernel.release);
	bind_opt(st, first + 1, inc->kernel.build);
	bind_opt(st, first + 2, stream);
	bind_opt(st, first + 3, record);
	sqlite3_bind_int64(st, first + 4, r->scan_id);
	if (inc->follows.line)
		sqlite3_bind_int64(st, first + 5, (sqlite3_int64)inc->follows.line);
	else
		sqlite3_bind_null(st, first + 5);
	bind_opt(st, first + 6, inc->follows.reason);
	bind_opt(st, first + 7, frames->len ? frames->buf : NULL);
}

int results_record(struct results_db *r, const struct incident *inc, const char *record)
{
	const char *path = inc->source.path ? inc->source.path : "-";
	const char *kind = incident_kind_name(inc->kind);
	const char *title = inc->title ? inc->title : "";
	sqlite3_stmt *st = r->ins_incident;
	struct release_stream rs;
	bool stream = release_identify(inc->kernel.release, inc->kernel.build, &rs);
	struct strbuf frames = STRBUF_INIT;
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
	frames_text(inc, &frames);
	bind_reading(st, 10, r, inc, stream ? rs.name : NULL, record, &frames);
	rc = step_done(r, st);
	if (rc) {
		strbuf_release(&frames);
		return -1;
	}
	fresh = sqlite3_changes(r->db) > 0;
	st = r->find_incident;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)inc->source.line);
	sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, title, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	rc = 0;
	if (id < 0) {
		warning("%s: %s", r->path, sqlite3_errmsg(r->db));
		rc = -1;
	} else if (!fresh) {
		st = r->upd_incident;
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)inc->source.end_line);
		bind_opt(st, 3, inc->host);
		bind_opt(st, 4, inc->wall_inferred ? inc->wall_inferred : inc->wall);
		if (inc->has_ktime)
			sqlite3_bind_double(st, 5, inc->ktime);
		else
			sqlite3_bind_null(st, 5);
		bind_opt(st, 6, inc->hash[0] ? inc->hash : NULL);
		bind_reading(st, 7, r, inc, stream ? rs.name : NULL, record, &frames);
		rc = step_done(r, st);
	}
	strbuf_release(&frames);
	if (rc)
		return -1;
	/* The matches of this reading replace any stored: stale ones go. */
	if (results_put_matches(r, id, inc))
		return -1;
	if (++r->pending >= RESULTS_BATCH && !r->hold && commit(r))
		return -1;
	return fresh;
}

int results_record_boot(struct results_db *r, const struct results_boot *b)
{
	sqlite3_stmt *st = r->put_boot;
	uLongf zlen = compressBound((uLong)b->lines_len);
	Bytef *z = xmalloc(zlen ? zlen : 1);
	int ret;

	if (begin(r)) {
		free(z);
		return -1;
	}
	/* Early boot lines are repetitive text: a tenth of their size, or less. */
	if (compress2(z, &zlen, (const Bytef *)b->lines, (uLong)b->lines_len, 6) != Z_OK)
		zlen = 0;
	sqlite3_bind_text(st, 1, b->path, -1, SQLITE_TRANSIENT);
	bind_opt(st, 2, b->host);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)b->first_line);
	bind_opt(st, 4, b->release);
	bind_opt(st, 5, b->build);
	bind_opt(st, 6, b->hypervisor);
	bind_opt(st, 7, b->hardware);
	bind_opt(st, 8, b->arch);
	bind_opt(st, 9, b->cmdline);
	bind_opt(st, 10, b->version_line);
	sqlite3_bind_blob(st, 11, z, (int)zlen, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 12, r->scan_id);
	ret = step_done(r, st);
	free(z);
	return ret;
}

int results_forget_unseen(struct results_db *r, const char *path)
{
	static const char *const sql[] = {
		"DELETE FROM incidents WHERE source_path = ?1 AND scan_id IS NOT ?2",
		"DELETE FROM boots WHERE source_path = ?1 AND scan_id IS NOT ?2",
	};

	if (begin(r))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(sql); i++) {
		sqlite3_stmt *st = NULL;
		int rc;
		if (sqlite3_prepare_v2(r->db, sql[i], -1, &st, NULL) != SQLITE_OK) {
			warning("%s: %s", r->path, sqlite3_errmsg(r->db));
			return -1;
		}
		sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, r->scan_id);
		rc = step_done(r, st);
		sqlite3_finalize(st);
		if (rc)
			return -1;
	}
	return 0;
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

static void join(struct strbuf *sb, const struct str_list *l, const char *sep)
{
	strbuf_reset(sb);
	for (size_t i = 0; i < l->nr; i++)
		strbuf_addf(sb, "%s%s", i ? sep : "", l->v[i]);
}

static void join_fix(struct strbuf *sb, const struct fix_list *l)
{
	strbuf_reset(sb);
	for (size_t i = 0; i < l->nr; i++)
		strbuf_addf(sb, "%s%s %s %s", i ? "\n" : "", l->v[i].stream,
			    l->v[i].version ? l->v[i].version : "none", l->v[i].source);
}

int results_put_signatures(struct results_db *r, const struct signature *const *sigs, size_t n)
{
	sqlite3_stmt *st = NULL;
	struct strbuf cve = STRBUF_INIT, links = STRBUF_INIT, fixed = STRBUF_INIT,
		      since = STRBUF_INIT;
	int ret = 0;

	if (begin(r))
		return -1;
	if (sqlite3_prepare_v2(r->db,
			       "INSERT OR REPLACE INTO signatures(signature_id, title, severity,"
			       " status, superseded_by, duplicate_of, owner, cve, links, fixed_in,"
			       " affected_since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
			       -1, &st, NULL) != SQLITE_OK) {
		warning("%s: %s", r->path, sqlite3_errmsg(r->db));
		return -1;
	}
	for (size_t i = 0; i < n && !ret; i++) {
		const struct signature *s = sigs[i];
		join(&cve, &s->cve, " ");
		join(&links, &s->links, "\n");
		join_fix(&fixed, &s->fixed_in);
		join_fix(&since, &s->affected_since);
		sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, s->title, -1, SQLITE_STATIC);
		bind_opt(st, 3, s->severity);
		sqlite3_bind_text(st, 4, s->status ? s->status : "active", -1, SQLITE_STATIC);
		bind_opt(st, 5, s->superseded_by);
		bind_opt(st, 6, s->duplicate_of);
		bind_opt(st, 7, s->owner);
		bind_opt(st, 8, cve.len ? cve.buf : NULL);
		bind_opt(st, 9, links.len ? links.buf : NULL);
		bind_opt(st, 10, fixed.len ? fixed.buf : NULL);
		bind_opt(st, 11, since.len ? since.buf : NULL);
		ret = step_done(r, st);
	}
	sqlite3_finalize(st);
	strbuf_release(&cve);
	strbuf_release(&links);
	strbuf_release(&fixed);
	strbuf_release(&since);
	return ret;
}

sqlite3 *results_handle(struct results_db *r)
{
	return r->db;
}

int results_exec(struct results_db *r, const char *sql, const char *text, bool with_scan_id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (begin(r))
		return -1;
	if (sqlite3_prepare_v2(r->db, sql, -1, &st, NULL) != SQLITE_OK) {
		warning("%s: %s", r->path, sqlite3_errmsg(r->db));
		return -1;
	}
	if (text)
		sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
	if (with_scan_id)
		sqlite3_bind_int64(st, text ? 2 : 1, r->scan_id);
	rc = step_done(r, st);
	sqlite3_finalize(st);
	return rc ? -1 : sqlite3_changes(r->db);
}

void results_hold(struct results_db *r)
{
	r->hold = true;
}
