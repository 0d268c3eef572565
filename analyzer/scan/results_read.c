/*
** results_read: what the results database keeps for matching again —
** incidents rebuilt from their stored record, boots from their stored facts
** and early lines (results.h). The record is the JSON `ksift scan --json`
** prints plus "text"; SQLite's JSON functions read it, so a damaged record
** is an SQL error for that row (warned, skipped), never a crash.
*/
#include "results.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define BOOT_LINES_STORED_MAX (4u << 20)	/* decompressed; BOOT_BYTES_MAX + offsets */

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const char *s = col(st, i);
	return s ? xstrdup(s) : NULL;
}

static unsigned long long hex_col(sqlite3_stmt *st, int i)
{
	const char *s = col(st, i);
	return s ? strtoull(s, NULL, 16) : 0;
}

/* The scalar fields of a record. */
static const char scalar_sql[] =
	"SELECT json_extract(record, '$.kind'), json_extract(record, '$.title'),"
	" json_extract(record, '$.host'), json_extract(record, '$.time.kernel'),"
	" json_extract(record, '$.time.wall'), json_extract(record, '$.kernel.release'),"
	" json_extract(record, '$.kernel.build'), json_extract(record, '$.kernel.tainted'),"
	" json_extract(record, '$.kernel.hardware'), json_extract(record, '$.kernel.hypervisor'),"
	" json_extract(record, '$.kernel.arch'), json_extract(record, '$.task.comm'),"
	" json_extract(record, '$.task.pid'), json_extract(record, '$.task.cpu'),"
	" json_extract(record, '$.task.state'), json_extract(record, '$.hash'),"
	" json_extract(record, '$.text'), json_extract(record, '$.ip.func'),"
	" json_extract(record, '$.ip.off'), json_extract(record, '$.ip.module'),"
	" json_extract(record, '$.ip.reliable'), json_extract(record, '$.corrupted'),"
	" json_extract(record, '$.source.end_line'), json_extract(record, '$.time.wall_inferred')"
	" FROM incidents WHERE incident_id = ?1 AND record IS NOT NULL";

static const char frames_sql[] =
	"SELECT s.key, json_extract(s.value, '$.context'), json_extract(f.value, '$.func'),"
	" json_extract(f.value, '$.off'), json_extract(f.value, '$.size'),"
	" json_extract(f.value, '$.module'), json_extract(f.value, '$.reliable'),"
	" json_extract(f.value, '$.addr')"
	" FROM incidents, json_each(record, '$.stacks') s, json_each(s.value, '$.frames') f"
	" WHERE incident_id = ?1 ORDER BY s.key, f.key";

static const char extras_sql[] =
	"SELECT key, value, type FROM incidents, json_each(record, '$.extra')"
	" WHERE incident_id = ?1";

static enum stack_context context_from_name(const char *name)
{
	static const enum stack_context all[] = {
		STACK_TASK, STACK_IRQ, STACK_SOFTIRQ, STACK_NMI, STACK_EXCEPTION,
		STACK_ALLOC, STACK_FREE, STACK_OTHER,
	};

	for (size_t i = 0; name && i < ARRAY_SIZE(all); i++)
		if (!strcmp(stack_context_name(all[i]), name))
			return all[i];
	return STACK_OTHER;
}

static void fill_scalars(struct incident *inc, sqlite3_stmt *st)
{
	inc->title = dup_col(st, 1);
	inc->host = dup_col(st, 2);
	if (sqlite3_column_type(st, 3) != SQLITE_NULL) {
		inc->ktime = sqlite3_column_double(st, 3);
		inc->has_ktime = true;
	}
	inc->wall = dup_col(st, 4);
	inc->kernel.release = dup_col(st, 5);
	inc->kernel.build = dup_col(st, 6);
	inc->kernel.tainted = dup_col(st, 7);
	inc->kernel.hardware = dup_col(st, 8);
	inc->kernel.hypervisor = dup_col(st, 9);
	inc->kernel.arch = dup_col(st, 10);
	inc->task.comm = dup_col(st, 11);
	if (sqlite3_column_type(st, 12) != SQLITE_NULL)
		inc->task.pid = sqlite3_column_int64(st, 12);
	if (sqlite3_column_type(st, 13) != SQLITE_NULL)
		inc->task.cpu = sqlite3_column_int(st, 13);
	inc->task.state = dup_col(st, 14);
	if (col(st, 15))
		snprintf(inc->hash, sizeof(inc->hash), "%s", col(st, 15));
	if (col(st, 16))
		strbuf_add(&inc->text, col(st, 16), (size_t)sqlite3_column_bytes(st, 16));
	if (col(st, 17)) {
		inc->has_ip = true;
		inc->ip.func = dup_col(st, 17);
		inc->ip.has_off = col(st, 18) != NULL;
		inc->ip.off = hex_col(st, 18);
		inc->ip.module = dup_col(st, 19);
		inc->ip.reliable = sqlite3_column_int(st, 20) != 0;
	}
	inc->corrupted = sqlite3_column_int(st, 21) != 0;
	inc->source.end_line = (unsigned long)sqlite3_column_int64(st, 22);
	inc->wall_inferred = dup_col(st, 23);
}

static int fill_frames(sqlite3 *db, struct incident *inc, long long id)
{
	sqlite3_stmt *st = NULL;
	long long cur = -1;
	struct stack *stack = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, frames_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct frame *f;
		if (!stack || sqlite3_column_int64(st, 0) != cur) {
			cur = sqlite3_column_int64(st, 0);
			stack = incident_add_stack(inc, context_from_name(col(st, 1)));
		}
		f = stack_add_frame(stack);
		f->func = dup_col(st, 2);
		f->has_off = col(st, 3) != NULL;
		f->off = hex_col(st, 3);
		f->size = hex_col(st, 4);
		f->module = dup_col(st, 5);
		f->reliable = sqlite3_column_int(st, 6) != 0;
		f->has_addr = col(st, 7) != NULL;
		f->addr = hex_col(st, 7);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int fill_extras(sqlite3 *db, struct incident *inc, long long id)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, extras_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = col(st, 0), *type = col(st, 2);
		if (!key || !type)
			continue;
		if (!strcmp(type, "integer"))
			incident_extra_num(inc, key, sqlite3_column_int64(st, 1));
		else if (col(st, 1))
			incident_extra_str(inc, key, col(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct incident *results_load_incident(struct results_db *r, long long id, const char *path,
				       unsigned long line)
{
	sqlite3 *db = results_handle(r);
	sqlite3_stmt *st = NULL;
	struct incident *inc = NULL;
	enum incident_kind kind;
	int rc;

	if (sqlite3_prepare_v2(db, scalar_sql, -1, &st, NULL) != SQLITE_OK)
		goto bad;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return NULL;		/* no record */
	}
	if (rc != SQLITE_ROW)
		goto bad;
	if (!col(st, 0)) {
		warning("%s:%lu: stored record of incident %lld has no kind", path, line, id);
		sqlite3_finalize(st);
		return NULL;
	}
	kind = incident_kind_from_name(col(st, 0));
	inc = incident_new(kind);
	inc->source.path = path;
	inc->source.line = line;
	fill_scalars(inc, st);
	sqlite3_finalize(st);
	st = NULL;
	if (fill_frames(db, inc, id) < 0 || fill_extras(db, inc, id) < 0)
		goto bad;
	return inc;
bad:
	warning("%s:%lu: stored record of incident %lld cannot be read: %s", path, line, id,
		sqlite3_errmsg(db));
	sqlite3_finalize(st);
	incident_free(inc);
	return NULL;
}

/* ---- boots -------------------------------------------------------------- */

struct stored_boot {
	struct boot_context ctx;	/* first: the caller sees this */
	char *path;
};

void results_boot_free(struct boot_context *ctx)
{
	struct stored_boot *b = (struct stored_boot *)ctx;

	if (!b)
		return;
	free(b->ctx.host);
	free(b->ctx.release);
	free(b->ctx.build);
	free(b->ctx.version_line);
	free(b->ctx.hypervisor);
	free(b->ctx.hardware);
	free(b->ctx.arch);
	free(b->ctx.cmdline);
	strbuf_release(&b->ctx.boot_lines);
	free(b->ctx.boot_lineno);
	free(b->path);
	free(b);
}

/* "OFFSET\tmessage\n" lines, zlib-compressed, into the context's boot lines. */
static void unpack_lines(struct boot_context *c, const void *z, size_t zlen)
{
	uLongf len = (uLongf)(zlen * 8 + 4096);
	Bytef *out = NULL;
	int rc = Z_BUF_ERROR;

	while (zlen && rc == Z_BUF_ERROR && len <= BOOT_LINES_STORED_MAX) {
		uLongf got = len;
		out = xrealloc(out, len);
		rc = uncompress(out, &got, z, (uLong)zlen);
		if (rc == Z_OK)
			len = got;
		else
			len *= 2;
	}
	if (rc != Z_OK) {
		free(out);
		return;
	}
	for (const char *p = (const char *)out, *end = p + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *tab;
		const char *e = nl ? nl : end;
		char *num_end;
		unsigned long off;
		tab = memchr(p, '\t', (size_t)(e - p));
		if (tab) {
			off = strtoul(p, &num_end, 10);
			if (num_end == tab) {
				strbuf_add(&c->boot_lines, tab + 1, (size_t)(e - tab - 1));
				strbuf_addch(&c->boot_lines, '\n');
				ALLOC_GROW(c->boot_lineno, c->nr_boot_lines + 1, c->alloc_boot_lines);
				c->boot_lineno[c->nr_boot_lines++] = c->first_line + off;
			}
		}
		p = nl ? nl + 1 : end;
	}
	free(out);
}

static struct boot_context *boot_from_row(sqlite3_stmt *st)
{
	struct stored_boot *b = xcalloc(1, sizeof(*b));
	struct boot_context *c = &b->ctx;

	b->path = dup_col(st, 0);
	c->path = b->path;
	c->host = dup_col(st, 1);
	c->first_line = (unsigned long)sqlite3_column_int64(st, 2);
	c->release = dup_col(st, 3);
	c->build = dup_col(st, 4);
	c->hypervisor = dup_col(st, 5);
	c->hardware = dup_col(st, 6);
	c->arch = dup_col(st, 7);
	c->cmdline = dup_col(st, 8);
	c->version_line = dup_col(st, 9);
	c->saw_boot = c->began = c->version_line != NULL;
	strbuf_init(&c->boot_lines, 0);
	unpack_lines(c, sqlite3_column_blob(st, 10), (size_t)sqlite3_column_bytes(st, 10));
	return c;
}

#define BOOT_COLS "source_path, host, first_line, kernel_release, kernel_build, hypervisor," \
	" hardware, arch, cmdline, version_line, lines, boot_id"

struct boot_context *results_boot_at(struct results_db *r, const char *path, const char *host,
				     unsigned long line)
{
	sqlite3 *db = results_handle(r);
	sqlite3_stmt *st = NULL;
	struct boot_context *c = NULL;

	if (sqlite3_prepare_v2(db, "SELECT " BOOT_COLS " FROM boots WHERE source_path = ?1 AND"
			       " host IS ?2 AND first_line <= ?3 ORDER BY first_line DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (host)
		sqlite3_bind_text(st, 2, host, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)line);
	if (sqlite3_step(st) == SQLITE_ROW)
		c = boot_from_row(st);
	sqlite3_finalize(st);
	return c;
}

/* A read loop that stopped before SQLITE_DONE (a corrupt page) says so:
   never as if the rows had ended. */
static int rows_end(sqlite3 *db, sqlite3_stmt *st, int rc)
{
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	error("%s: %s", sqlite3_db_filename(db, "main"), sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return -1;
}

int results_each_boot(struct results_db *r, results_boot_fn fn, void *data)
{
	sqlite3 *db = results_handle(r);
	sqlite3_stmt *st = NULL;
	int rc, ret = 0;

	if (sqlite3_prepare_v2(db, "SELECT " BOOT_COLS " FROM boots ORDER BY source_path, host,"
			       " first_line", -1, &st, NULL) != SQLITE_OK) {
		warning("%s", sqlite3_errmsg(db));
		return -1;
	}
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct boot_context *c = boot_from_row(st);
		ret = fn(data, sqlite3_column_int64(st, 11), c);
		results_boot_free(c);
	}
	return ret ? (sqlite3_finalize(st), ret) : rows_end(db, st, rc);
}

int results_each_incident(struct results_db *r, const char *where, results_incident_fn fn,
			  void *data)
{
	sqlite3 *db = results_handle(r);
	sqlite3_stmt *st = NULL;
	struct strbuf sql = STRBUF_INIT;
	int rc, ret = 0;

	strbuf_addf(&sql, "SELECT incident_id, source_path, host, source_line, kind,"
		    " record IS NOT NULL FROM incidents WHERE %s"
		    " ORDER BY source_path, host, source_line", where ? where : "1");
	if (sqlite3_prepare_v2(db, sql.buf, -1, &st, NULL) != SQLITE_OK) {
		warning("%s", sqlite3_errmsg(db));
		strbuf_release(&sql);
		return -1;
	}
	strbuf_release(&sql);
	while (!ret && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 0);
		const char *path = col(st, 1) ? col(st, 1) : "-";
		unsigned long line = (unsigned long)sqlite3_column_int64(st, 3);
		struct incident *inc = sqlite3_column_int(st, 5) ?
			results_load_incident(r, id, path, line) : NULL;
		struct results_row row = { id, path, col(st, 2), line, col(st, 4),
					   sqlite3_column_int(st, 5) != 0 };
		ret = fn(data, &row, inc);
	}
	return ret ? (sqlite3_finalize(st), ret) : rows_end(db, st, rc);
}
