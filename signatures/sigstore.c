#define _GNU_SOURCE
#include "sigstore.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SIG_FILE (1 << 20)	/* a signature is a page of text, not a MB */

static const char schema[] =
	"CREATE TABLE signature("
	" id TEXT PRIMARY KEY,"
	" file TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" severity TEXT,"
	" kinds TEXT,"
	" functions TEXT,"
	" source TEXT NOT NULL);"
	"CREATE TABLE aliases(file TEXT NOT NULL, source TEXT NOT NULL);";

void sig_set_release(struct sig_set *set)
{
	for (size_t i = 0; i < set->nr; i++) {
		free(set->v[i].file);
		free(set->v[i].path);
		free(set->v[i].text);
		signature_free(set->v[i].sig);
	}
	free(set->v);
	aliases_free(set->aliases);
	free(set->aliases_text);
	free(set->aliases_path);
	memset(set, 0, sizeof(*set));
}

static int read_whole(const char *path, char **out, size_t *len, struct strbuf *err)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[8192];
	size_t n;

	if (!f) {
		strbuf_addf(err, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		strbuf_add(&sb, buf, n);
		if (sb.len > MAX_SIG_FILE) {
			strbuf_addf(err, "%s: larger than 1 MiB, not a signature\n", path);
			fclose(f);
			strbuf_release(&sb);
			return -1;
		}
	}
	fclose(f);
	*len = sb.len;
	*out = strbuf_detach(&sb, NULL);
	return 0;
}

static int add_source(struct sig_set *out, const char *path, const char *file,
		      const char *text, size_t len, struct strbuf *err)
{
	struct sig_source *src;
	struct signature *sig = signature_parse(text, len, path, err);

	if (!sig)
		return -1;
	for (size_t i = 0; i < out->nr; i++)
		if (!strcmp(out->v[i].sig->id, sig->id)) {
			strbuf_addf(err, "%s:%lu: id '%s' is already used by %s\n", path,
				    sig->line, sig->id, out->v[i].path);
			signature_free(sig);
			return -1;
		}
	ALLOC_GROW(out->v, out->nr + 1, out->alloc);
	src = &out->v[out->nr++];
	src->file = xstrdup(file);
	src->path = xstrdup(path);
	src->text = xstrndup(text, len);
	src->len = len;
	src->sig = sig;
	return 0;
}

static int read_file_as(const char *path, const char *file, struct sig_set *out,
			struct strbuf *err)
{
	char *text;
	size_t len;
	int ret;

	if (read_whole(path, &text, &len, err) < 0)
		return -1;
	ret = add_source(out, path, file, text, len, err);
	free(text);
	return ret;
}

int sigstore_read_file(const char *path, struct sig_set *out, struct strbuf *err)
{
	const char *base = strrchr(path, '/');

	return read_file_as(path, base ? base + 1 : path, out, err);
}

int sigstore_read_aliases(const char *path, struct sig_set *out, struct strbuf *err)
{
	char *text;
	size_t len;
	struct aliases *a;

	if (read_whole(path, &text, &len, err) < 0)
		return -1;
	a = aliases_parse(text, len, path, err);
	if (!a) {
		free(text);
		return -1;
	}
	aliases_free(out->aliases);
	free(out->aliases_text);
	free(out->aliases_path);
	out->aliases = a;
	out->aliases_text = text;
	out->aliases_len = len;
	out->aliases_path = xstrdup(path);
	return 0;
}

int sig_set_check(const struct sig_set *set, struct strbuf *err)
{
	int ret = 0;

	for (size_t i = 0; i < set->nr; i++) {
		const struct signature *s = set->v[i].sig;
		const char *refs[2] = { s->superseded_by, s->duplicate_of };
		static const char *const keys[2] = { "superseded-by", "duplicate-of" };
		for (int k = 0; k < 2; k++) {
			size_t j;
			if (!refs[k])
				continue;
			for (j = 0; j < set->nr && strcmp(set->v[j].sig->id, refs[k]); j++)
				;
			if (j == set->nr) {
				strbuf_addf(err, "%s: %s '%s' is not a signature of this set\n",
					    set->v[i].path, keys[k], refs[k]);
				ret = -1;
			} else if (k == 0 && !signature_is_active(set->v[j].sig)) {
				strbuf_addf(err, "%s: superseded-by '%s' is retired too\n",
					    set->v[i].path, refs[k]);
				ret = -1;
			}
		}
	}
	return ret;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.sig files under dir/rel, recursively, as paths relative to dir. */
static int collect(const char *dir, const char *rel, char ***names, size_t *nr,
		   size_t *alloc, int depth, struct strbuf *err)
{
	char *path;
	DIR *d;
	struct dirent *de;
	int ret = 0;

	if (asprintf(&path, "%s%s%s", dir, *rel ? "/" : "", rel) < 0)
		die("out of memory");
	d = opendir(path);
	if (!d) {
		strbuf_addf(err, "%s: %s\n", path, strerror(errno));
		free(path);
		return -1;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *sub, *full;
		struct stat sb;
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0 ||
		    asprintf(&full, "%s/%s", path, de->d_name) < 0)
			die("out of memory");
		if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			/* Bounded: a symlink loop must not recurse forever. */
			if (depth >= 8) {
				strbuf_addf(err, "%s: more than 8 directory levels\n", full);
				ret = -1;
			} else if (collect(dir, sub, names, nr, alloc, depth + 1, err) < 0) {
				ret = -1;
			}
			free(sub);
		} else if (n > 4 && !strcmp(de->d_name + n - 4, ".sig")) {
			ALLOC_GROW(*names, *nr + 1, *alloc);
			(*names)[(*nr)++] = sub;
		} else {
			free(sub);
		}
		free(full);
	}
	closedir(d);
	free(path);
	return ret;
}

int sigstore_read_dir(const char *dir, struct sig_set *out, struct strbuf *err)
{
	char **names = NULL, *apath;
	size_t nr = 0, alloc = 0;
	int ret = collect(dir, "", &names, &nr, &alloc, 0, err);

	if (nr)
		qsort(names, nr, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nr; i++) {
		char *p;
		if (asprintf(&p, "%s/%s", dir, names[i]) < 0)
			die("out of memory");
		if (read_file_as(p, names[i], out, err) < 0)
			ret = -1;	/* keep going: report every broken file */
		free(p);
		free(names[i]);
	}
	free(names);
	if (!nr && !ret) {
		strbuf_addf(err, "%s: no *.sig files\n", dir);
		ret = -1;
	}
	/* The aliases file: next to the signatures, or one level up. */
	for (int up = 0; up < 2; up++) {
		if (asprintf(&apath, "%s%s/aliases", dir, up ? "/.." : "") < 0)
			die("out of memory");
		if (!access(apath, F_OK)) {
			if (sigstore_read_aliases(apath, out, err) < 0)
				ret = -1;
			free(apath);
			break;
		}
		free(apath);
	}
	if (!ret && sig_set_check(out, err) < 0)
		ret = -1;
	return ret;
}

static void sqlerr(struct strbuf *err, const char *path, sqlite3 *db, const char *what)
{
	/* "FILE: database disk image is malformed (read)" */
	strbuf_addf(err, "%s: %s (%s)\n", path, db ? sqlite3_errmsg(db) : "cannot open", what);
}

static void join_kinds(const struct signature *s, struct strbuf *sb)
{
	for (size_t i = 0; i < s->nr_kinds; i++)
		strbuf_addf(sb, "%s%s", i ? " " : "", incident_kind_name(s->kinds[i]));
}

static void join_funcs(const struct signature *s, struct strbuf *sb)
{
	for (size_t i = 0; i < s->nr_frames; i++)
		strbuf_addf(sb, "%s%s", i ? " " : "", s->frames[i].func ? s->frames[i].func : "|");
}

static int insert_all(sqlite3 *db, const char *path, const struct sig_source *v,
		      size_t nr, bool replace, struct strbuf *err)
{
	sqlite3_stmt *st = NULL;
	struct strbuf kinds = STRBUF_INIT, funcs = STRBUF_INIT;
	int ret = -1;

	if (sqlite3_prepare_v2(db, replace ?
		"INSERT OR REPLACE INTO signature VALUES(?,?,?,?,?,?,?)" :
		"INSERT INTO signature VALUES(?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK) {
		sqlerr(err, path, db, "prepare");
		goto out;
	}
	for (size_t i = 0; i < nr; i++) {
		const struct signature *s = v[i].sig;
		strbuf_reset(&kinds);
		strbuf_reset(&funcs);
		join_kinds(s, &kinds);
		join_funcs(s, &funcs);
		sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, v[i].file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, s->title, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, s->severity, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, kinds.buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 6, funcs.buf, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, v[i].text, (int)v[i].len, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			sqlerr(err, path, db, "insert");
			goto out;
		}
		sqlite3_reset(st);
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	strbuf_release(&kinds);
	strbuf_release(&funcs);
	return ret;
}

static int insert_aliases(sqlite3 *db, const char *path, const struct sig_set *set,
			  struct strbuf *err)
{
	sqlite3_stmt *st = NULL;
	int ret = 0;

	if (!set->aliases_text)
		return 0;
	if (sqlite3_prepare_v2(db, "INSERT INTO aliases VALUES('aliases', ?)", -1, &st,
			       NULL) != SQLITE_OK) {
		sqlerr(err, path, db, "prepare");
		return -1;
	}
	sqlite3_bind_text(st, 1, set->aliases_text, (int)set->aliases_len, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlerr(err, path, db, "insert");
		ret = -1;
	}
	sqlite3_finalize(st);
	return ret;
}

int sigstore_write(const char *dbpath, const struct sig_set *set, struct strbuf *err)
{
	char *tmp;
	sqlite3 *db = NULL;
	int ret = -1;
	char sql[128];

	if (asprintf(&tmp, "%s.tmp.%d", dbpath, (int)getpid()) < 0)
		die("out of memory");
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		sqlerr(err, tmp, db, "create");
		goto out;
	}
	snprintf(sql, sizeof(sql), "PRAGMA application_id=%d; PRAGMA user_version=%d;",
		 SIGSTORE_APP_ID, SIGSTORE_VERSION);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(err, dbpath, db, "schema");
		goto out;
	}
	if (insert_all(db, dbpath, set->v, set->nr, false, err) < 0 ||
	    insert_aliases(db, dbpath, set, err) < 0)
		goto out;
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(err, dbpath, db, "commit");
		goto out;
	}
	sqlite3_close(db);
	db = NULL;
	if (rename(tmp, dbpath) < 0) {
		strbuf_addf(err, "%s: %s\n", dbpath, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (db)
		sqlite3_close(db);
	if (ret)
		unlink(tmp);
	free(tmp);
	return ret;
}

/* Open a database and check it is ours and of a version we read. */
static sqlite3 *open_checked(const char *dbpath, int flags, struct strbuf *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int app = 0, ver = 0;

	if (access(dbpath, F_OK) < 0) {
		strbuf_addf(err, "%s: %s\n", dbpath, strerror(errno));
		return NULL;
	}
	if (sqlite3_open_v2(dbpath, &db, flags, NULL) != SQLITE_OK) {
		sqlerr(err, dbpath, db, "open");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 10000);
	if (sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		strbuf_addf(err, "%s: not a ksift signature database (%s)\n", dbpath,
			    sqlite3_errmsg(db));
		goto bad;
	}
	app = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		ver = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (app != SIGSTORE_APP_ID) {
		strbuf_addf(err, "%s: not a ksift signature database (application_id %d)\n",
			    dbpath, app);
		goto bad;
	}
	if (ver > SIGSTORE_VERSION) {
		strbuf_addf(err, "%s: made by a newer ksift (schema %d, this one reads %d)\n",
			    dbpath, ver, SIGSTORE_VERSION);
		goto bad;
	}
	return db;
bad:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return NULL;
}

int sigstore_add(const char *dbpath, const struct sig_source *src, struct strbuf *err)
{
	sqlite3 *db = open_checked(dbpath, SQLITE_OPEN_READWRITE, err);
	int ret = -1;

	if (!db)
		return -1;
	/* WAL + busy timeout: concurrent writers wait instead of failing. */
	sqlite3_exec(db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(err, dbpath, db, "begin");
		goto out;
	}
	if (insert_all(db, dbpath, src, 1, true, err) < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto out;
	}
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(err, dbpath, db, "commit");
		goto out;
	}
	ret = 0;
out:
	sqlite3_close(db);
	return ret;
}

/* The aliases of a version 2 database (a version 1 one has none). */
static int load_aliases(sqlite3 *db, const char *dbpath, struct sig_set *out,
			struct strbuf *err)
{
	sqlite3_stmt *st = NULL;
	int ret = 0;

	if (sqlite3_prepare_v2(db, "SELECT source FROM aliases", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;	/* no table: version 1 */
	}
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		const char *text = (const char *)sqlite3_column_text(st, 0);
		size_t len = (size_t)sqlite3_column_bytes(st, 0);
		char *where;
		if (asprintf(&where, "%s:aliases", dbpath) < 0)
			die("out of memory");
		out->aliases = aliases_parse(text, len, where, err);
		if (out->aliases) {
			out->aliases_text = xstrndup(text, len);
			out->aliases_len = len;
			out->aliases_path = where;
		} else {
			free(where);
			ret = -1;
		}
	}
	sqlite3_finalize(st);
	return ret;
}

int sigstore_load(const char *dbpath, struct sig_set *out, struct strbuf *err)
{
	sqlite3 *db = open_checked(dbpath, SQLITE_OPEN_READONLY, err);
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	if (!db)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT file, source FROM signature ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK) {
		sqlerr(err, dbpath, db, "read");
		sqlite3_close(db);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *file = (const char *)sqlite3_column_text(st, 0);
		const char *text = (const char *)sqlite3_column_text(st, 1);
		char *where;
		if (!file || !text)
			continue;
		if (asprintf(&where, "%s:%s", dbpath, file) < 0)
			die("out of memory");
		if (add_source(out, where, file, text, (size_t)sqlite3_column_bytes(st, 1), err) < 0)
			ret = -1;
		free(where);
	}
	if (rc != SQLITE_DONE) {
		sqlerr(err, dbpath, db, "read");
		ret = -1;
	}
	sqlite3_finalize(st);
	if (load_aliases(db, dbpath, out, err) < 0)
		ret = -1;
	if (!ret && sig_set_check(out, err) < 0)
		ret = -1;
	sqlite3_close(db);
	return ret;
}
