/*
** sigstore: signatures in SQLite (see sigstore.h), and sigdb_open().
*/
#include "sigstore.h"
#include "schema.h"
#include "incident.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int sql_fail(sqlite3 *db, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(db));
	return -1;
}

static void kinds_text(const struct sig_def *d, struct strbuf *sb)
{
	for (int k = 1; k < KIND__COUNT; k++)
		if (d->kind_mask & (1ull << k)) {
			if (sb->len)
				strbuf_addch(sb, ' ');
			strbuf_addstr(sb, incident_kind_name(k));
		}
}

static void bind_text_or_null(sqlite3_stmt *st, int col, const char *s)
{
	if (s)
		sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, col);
}

/* Insert (or replace) one signature; the caller holds a transaction. */
static int insert_sig(sqlite3 *db, sqlite3_stmt *ins, sqlite3_stmt *del_funcs,
		      sqlite3_stmt *ins_func, const struct sig *s, const char *source,
		      const char *file, char *err, size_t errlen)
{
	const struct sig_def *d = sig_def(s);
	const char *lits[256];
	size_t n;
	struct strbuf kinds = STRBUF_INIT;
	int rc = 0;

	kinds_text(d, &kinds);
	sqlite3_reset(ins);
	sqlite3_bind_text(ins, 1, d->id.val, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 2, d->title.val, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 3, d->severity.val, -1, SQLITE_TRANSIENT);
	bind_text_or_null(ins, 4, kinds.len ? kinds.buf : NULL);
	sqlite3_bind_int(ins, 5, sig_is_condition(s));
	bind_text_or_null(ins, 6, d->fix.val);
	bind_text_or_null(ins, 7, d->workaround.val);
	sqlite3_bind_text(ins, 8, file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ins, 9, source, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(ins) != SQLITE_DONE) {
		rc = sql_fail(db, err, errlen, d->id.val);
		goto out;
	}
	sqlite3_reset(del_funcs);
	sqlite3_bind_text(del_funcs, 1, d->id.val, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(del_funcs) != SQLITE_DONE) {
		rc = sql_fail(db, err, errlen, d->id.val);
		goto out;
	}
	n = sig_frame_literals(s, lits, ARRAY_SIZE(lits));
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(ins_func);
		sqlite3_bind_text(ins_func, 1, d->id.val, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins_func, 2, lits[i], -1, SQLITE_TRANSIENT);
		if (sqlite3_step(ins_func) != SQLITE_DONE) {
			rc = sql_fail(db, err, errlen, d->id.val);
			goto out;
		}
	}
out:
	strbuf_release(&kinds);
	return rc;
}

struct stmts {
	sqlite3_stmt *ins, *del_funcs, *ins_func;
};

static int prepare_stmts(sqlite3 *db, struct stmts *s, char *err, size_t errlen)
{
	memset(s, 0, sizeof(*s));
	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO signatures(id, title, severity, "
			       "kinds, condition, fix, workaround, file, source) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1,
			       &s->ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM signature_funcs WHERE id = ?1", -1,
			       &s->del_funcs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO signature_funcs(id, func) "
			       "VALUES (?1, ?2)", -1, &s->ins_func, NULL) != SQLITE_OK)
		return sql_fail(db, err, errlen, "prepare");
	return 0;
}

static void finalize_stmts(struct stmts *s)
{
	sqlite3_finalize(s->ins);
	sqlite3_finalize(s->del_funcs);
	sqlite3_finalize(s->ins_func);
}

int sigstore_write(struct sigdb *sdb, const char *path, char *err, size_t errlen)
{
	struct strbuf tmp = STRBUF_INIT;
	struct stmts st;
	sqlite3 *db = NULL;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	strbuf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	unlink(tmp.buf);
	db = schema_open(tmp.buf, true, err, errlen);
	if (!db)
		goto out;
	if (schema_prepare(db, true, err, errlen) || prepare_stmts(db, &st, err, errlen))
		goto out;
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(db, err, errlen, "begin");
		goto out;
	}
	for (size_t i = 0; i < sigdb_count(sdb); i++)
		if (insert_sig(db, st.ins, st.del_funcs, st.ins_func, sigdb_get(sdb, i),
			       sigdb_source(sdb, i), sigdb_file(sdb, i), err, errlen))
			goto out;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(db, err, errlen, "commit");
		goto out;
	}
	finalize_stmts(&st);
	memset(&st, 0, sizeof(st));
	if (sqlite3_close(db) != SQLITE_OK) {
		db = NULL;
		snprintf(err, errlen, "%s: close failed", tmp.buf);
		goto out;
	}
	db = NULL;
	if (rename(tmp.buf, path)) {
		snprintf(err, errlen, "rename %s to %s failed", tmp.buf, path);
		goto out;
	}
	rc = 0;
out:
	finalize_stmts(&st);
	if (db)
		sqlite3_close(db);
	if (rc)
		unlink(tmp.buf);
	strbuf_release(&tmp);
	return rc;
}

int sigstore_add(const char *path, const char *text, size_t len, const char *origin,
		 const char *file, char *err, size_t errlen)
{
	struct sigdb *one = sigdb_new();
	struct strbuf msg = STRBUF_INIT;
	struct stmts st;
	sqlite3 *db = NULL;
	int rc = -1;

	memset(&st, 0, sizeof(st));
	if (errlen)
		err[0] = 0;
	if (sigdb_add_text(one, text, len, origin, file, &msg)) {
		snprintf(err, errlen, "%s", msg.buf);
		goto out;
	}
	db = schema_open(path, true, err, errlen);
	if (!db)
		goto out;
	/* WAL lets readers run during an add; the busy timeout serialises writers. */
	if (schema_prepare(db, true, err, errlen))
		goto out;
	if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(db, err, errlen, path);
		goto out;
	}
	if (prepare_stmts(db, &st, err, errlen))
		goto out;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		sql_fail(db, err, errlen, path);
		goto out;
	}
	if (insert_sig(db, st.ins, st.del_funcs, st.ins_func, sigdb_get(one, 0),
		       sigdb_source(one, 0), sigdb_file(one, 0), err, errlen) ||
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		if (!*err)
			sql_fail(db, err, errlen, path);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	rc = 0;
out:
	finalize_stmts(&st);
	sqlite3_close(db);
	sigdb_close(one);
	strbuf_release(&msg);
	return rc;
}

const char *sigdb_default_path(void)
{
	const char *env = getenv("KSIFT_DB");
	static const char installed[] = KSIFT_DATADIR "/ksift.db";
	static const char built[] = KSIFT_BUILDDIR "/signatures/ksift.db";

	if (env && *env)
		return env;
	if (access(installed, R_OK) && !access(built, R_OK))
		return built;
	return installed;
}

struct sigdb *sigdb_open(const char *path, char *err, size_t errlen)
{
	struct sigdb *sdb = NULL;
	struct strbuf msg = STRBUF_INIT, origin = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	sqlite3 *db;
	char why[512];
	int rc;

	if (access(path, R_OK)) {
		snprintf(err, errlen, "%s: cannot read signature database", path);
		return NULL;
	}
	db = schema_open(path, false, why, sizeof(why));
	if (!db) {
		snprintf(err, errlen, "%s", why);
		return NULL;
	}
	if (schema_prepare(db, false, why, sizeof(why))) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto fail;
	}
	if (sqlite3_prepare_v2(db, "SELECT id, file, source FROM signatures ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	sdb = sigdb_new();
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *file = (const char *)sqlite3_column_text(st, 1);
		const char *src = (const char *)sqlite3_column_blob(st, 2);
		int n = sqlite3_column_bytes(st, 2);

		strbuf_reset(&origin);
		strbuf_addf(&origin, "%s:%s", path, id ? id : "?");
		if (!file || !src ||
		    sigdb_add_text(sdb, src, (size_t)n, origin.buf, file, &msg)) {
			snprintf(err, errlen, "%s: corrupt signature database: %s", path,
				 msg.len ? msg.buf : "NULL column");
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(db));
		goto fail;
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	strbuf_release(&msg);
	strbuf_release(&origin);
	return sdb;
fail:
	sqlite3_finalize(st);
	sqlite3_close(db);
	sigdb_close(sdb);
	strbuf_release(&msg);
	strbuf_release(&origin);
	return NULL;
}
