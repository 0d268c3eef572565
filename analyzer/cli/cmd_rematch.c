/*
** ksift rematch RESULTS.db: match the incidents a results database holds
** against the current signatures again, without the logs — from the record
** and boot facts the scan stored (schema 5, signatures/README.md). Stale
** matches go, new ones come, conditions follow their boots; the views and
** ksift report count what is there, so the counts follow too.
*/
#include "builtin.h"
#include "dbpath.h"
#include "options.h"
#include "report.h"
#include "results.h"
#include "sigdb.h"
#include "textsafe.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct change {
	char *id;
	long before, after;
};

struct rematch {
	struct results_db *r;
	const struct sigdb *db;
	struct change *changes;
	size_t nr_changes, alloc_changes;
	unsigned long incidents, without_record, unreadable, conditions, errors;
	struct strbuf json;
	/* The boot of the incidents being matched (they come in path, host,
	   line order). */
	struct boot_context *boot;
	unsigned long boot_next;	/* the next boot of that host starts here */
};

static struct change *change_of(struct rematch *rm, const char *id)
{
	for (size_t i = 0; i < rm->nr_changes; i++)
		if (!strcmp(rm->changes[i].id, id))
			return &rm->changes[i];
	ALLOC_GROW(rm->changes, rm->nr_changes + 1, rm->alloc_changes);
	rm->changes[rm->nr_changes].id = xstrdup(id);
	rm->changes[rm->nr_changes].before = rm->changes[rm->nr_changes].after = 0;
	return &rm->changes[rm->nr_changes++];
}

/* What a stored incident was matched with before. */
static void count_before(struct rematch *rm, long long id)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(results_handle(rm->r), "SELECT signature_id FROM incident_matches"
			       " WHERE incident_id = ?1", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW)
		if (sqlite3_column_text(st, 0))
			change_of(rm, (const char *)sqlite3_column_text(st, 0))->before++;
	sqlite3_finalize(st);
}

static bool same_host(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The stored boot that line of path and host belongs to (cached). */
static const struct boot_context *boot_for(struct rematch *rm, const struct results_row *row)
{
	struct boot_context *b = rm->boot;

	if (b && !strcmp(b->path, row->path) && same_host(b->host, row->host) &&
	    row->line >= b->first_line && row->line < rm->boot_next)
		return b;
	results_boot_free(rm->boot);
	rm->boot = results_boot_at(rm->r, row->path, row->host, row->line);
	rm->boot_next = (unsigned long)-1;
	if (rm->boot) {
		/* Where the next boot of this host starts, so the cache knows its end. */
		sqlite3_stmt *st = NULL;
		if (sqlite3_prepare_v2(results_handle(rm->r), "SELECT min(first_line) FROM boots"
				       " WHERE source_path = ?1 AND host IS ?2 AND first_line > ?3",
				       -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, row->path, -1, SQLITE_STATIC);
			if (row->host)
				sqlite3_bind_text(st, 2, row->host, -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 3, (sqlite3_int64)rm->boot->first_line);
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
				rm->boot_next = (unsigned long)sqlite3_column_int64(st, 0);
		}
		sqlite3_finalize(st);
	}
	return rm->boot;
}

static int rematch_incident(void *data, const struct results_row *row, struct incident *inc)
{
	struct rematch *rm = data;

	rm->incidents++;
	if (!inc) {
		if (row->has_record)
			rm->unreadable++;	/* warned by the reader; its matches stay */
		else
			rm->without_record++;
		return 0;
	}
	count_before(rm, row->id);
	inc->host = inc->host ? inc->host : (row->host ? xstrdup(row->host) : NULL);
	sigdb_match_incident(rm->db, inc, boot_for(rm, row));
	sigdb_settle(rm->db, inc);
	for (size_t i = 0; i < inc->nr_matches; i++)
		change_of(rm, inc->matches[i].id)->after++;
	if (results_put_matches(rm->r, row->id, inc) < 0)
		rm->errors++;
	incident_free(inc);
	return 0;
}

/* A condition the boot still gives: recorded (again) with this run's id. */
static void add_condition(void *data, struct incident *inc)
{
	struct rematch *rm = data;

	rm->conditions++;
	for (size_t i = 0; i < inc->nr_matches; i++)
		change_of(rm, inc->matches[i].id)->after++;
	strbuf_reset(&rm->json);
	report_json_record(inc, &rm->json);
	if (rm->json.len)
		rm->json.buf[--rm->json.len] = '\0';
	if (results_record(rm->r, inc, rm->json.buf) < 0)
		rm->errors++;
	incident_free(inc);
}

static int rematch_boot(void *data, long long boot_id, struct boot_context *ctx)
{
	(void)boot_id;
	sigdb_match_boot(((struct rematch *)data)->db, ctx, add_condition, data);
	return 0;
}

static int count_condition(void *data, const struct results_row *row, struct incident *inc)
{
	count_before(data, row->id);
	incident_free(inc);
	return 0;
}

static int put_signatures(struct results_db *r, const struct sigdb *db)
{
	size_t n = sigdb_size(db);
	const struct signature **v = xcalloc(n ? n : 1, sizeof(*v));
	int ret;

	for (size_t i = 0; i < n; i++)
		v[i] = sigdb_signature(db, i);
	ret = results_put_signatures(r, v, n);
	free(v);
	return ret;
}

/*
 * Conditions of stored boots are decided again (those a boot no longer
 * gives are deleted); signatures no longer in the database leave the
 * signatures table; record-less incidents lose matches of signatures that
 * are gone or retired.
 */
static int forget_stale(struct rematch *rm)
{
	static const char *const sql[] = {
		"DELETE FROM incidents WHERE kind = 'condition' AND scan_id IS NOT ?1 AND EXISTS"
		" (SELECT 1 FROM boots b WHERE b.source_path = incidents.source_path AND"
		"  b.host IS incidents.host AND b.first_line = incidents.source_line)",
		"DELETE FROM incident_matches WHERE incident_id IN (SELECT incident_id FROM"
		" incidents WHERE record IS NULL) AND signature_id NOT IN (SELECT signature_id"
		" FROM signatures WHERE status = 'active')",
	};

	for (size_t i = 0; i < ARRAY_SIZE(sql); i++)
		if (results_exec(rm->r, sql[i], NULL, i == 0) < 0)
			return -1;
	return 0;
}

static int cmp_change(const void *a, const void *b)
{
	return strcmp(((const struct change *)a)->id, ((const struct change *)b)->id);
}

static void summary(struct rematch *rm, const char *dbfile, bool quiet)
{
	long added = 0, removed = 0;

	if (rm->nr_changes)
		qsort(rm->changes, rm->nr_changes, sizeof(*rm->changes), cmp_change);
	for (size_t i = 0; i < rm->nr_changes; i++) {
		const struct change *c = &rm->changes[i];
		long d = c->after - c->before;
		if (d > 0)
			added += d;
		else
			removed -= d;
		if (!quiet && d)
			text_printf(stdout, "  %-40s %+ld (%ld → %ld)\n", c->id, d, c->before, c->after);
	}
	text_printf(stdout, "rematch: %lu incidents matched again with %zu signatures (%s), %lu conditions; "
	       "%ld matches added, %ld removed",
	       rm->incidents + rm->conditions, sigdb_size(rm->db), dbfile, rm->conditions, added,
	       removed);
	if (rm->without_record)
		text_printf(stdout, "; %lu incidents have no stored record (recorded before schema 5: scan their "
		       "files again with --rescan)", rm->without_record);
	if (rm->unreadable)
		text_printf(stdout, "; %lu stored records could not be read (see the warnings): their matches "
		       "were kept", rm->unreadable);
	text_printf(stdout, "\n");
}

int cmd_rematch(int argc, char **argv)
{
	struct rematch rm;
	struct strbuf err = STRBUF_INIT;
	const char *dbfile = NULL;
	char *def = NULL, why[1024];
	struct sigdb *db = NULL;
	bool quiet = false;
	const struct option_spec options[] = {
		OPT_STRING("db", 0, &dbfile, "FILE|DIR",
			   "signatures: a compiled database, a directory of\n.sig files or one (default: $KSIFT_DB, else the\nbuilt one)"),
		OPT_FLAG("quiet", 'q', &quiet, "no per-signature summary"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "rematch",
		.synopsis = "[--db FILE] [-q] RESULTS.db",
		.description = "Match every incident stored in RESULTS.db (ksift scan --results) against\n"
			       "the signatures again, without reading the logs: matches of removed,\n"
			       "retired or narrowed signatures go, new ones come, conditions are decided\n"
			       "again for every stored boot. Incidents recorded by a ksift before schema 5\n"
			       "have no stored record: only their matches of signatures that are gone or\n"
			       "retired go (scan their files again with --rescan for the rest).\n",
		.options = options,
		.footer = "Exit status: 0 done, 2 usage or input error (nothing changed).\n",
		.min_operands = 1, .max_operands = 1,
	};
	int first, ret = EXIT_INPUT;

	memset(&rm, 0, sizeof(rm));
	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	ret = EXIT_INPUT;
	if (access(argv[first], R_OK | W_OK) < 0) {
		error("%s: no such results database (or not writable)", argv[first]);
		return EXIT_INPUT;
	}
	if (!dbfile)
		dbfile = def = dbpath_default();
	if (!dbfile || !(db = dbpath_open(dbfile, &err))) {
		if (!dbfile)
			error("rematch: no signature database: give --db FILE or set KSIFT_DB");
		error_lines(err.buf);
		goto out;
	}
	rm.r = results_open(argv[first], why, sizeof(why));
	if (!rm.r) {
		error("%s", why);
		goto out;
	}
	rm.db = db;
	strbuf_init(&rm.json, 0);
	results_hold(rm.r);
	/* One transaction: a rematch that fails half-way changes nothing. */
	if (results_exec(rm.r, "DELETE FROM signatures", NULL, false) < 0 ||
	    put_signatures(rm.r, db) < 0 ||
	    results_each_incident(rm.r, "kind = 'condition' AND EXISTS (SELECT 1 FROM boots b"
				  " WHERE b.source_path = incidents.source_path AND b.host IS"
				  " incidents.host AND b.first_line = incidents.source_line)",
				  count_condition, &rm) < 0 ||
	    results_each_boot(rm.r, rematch_boot, &rm) < 0 ||
	    forget_stale(&rm) < 0 ||
	    results_each_incident(rm.r, "kind <> 'condition'", rematch_incident, &rm) < 0 ||
	    rm.errors) {
		results_rollback(rm.r);
		error("%s: rematch failed; nothing was changed", argv[first]);
		goto out;
	}
	if (results_commit(rm.r) < 0)
		goto out;
	summary(&rm, dbfile, quiet);
	ret = EXIT_CLEAN;
out:
	results_boot_free(rm.boot);
	if (rm.r)
		results_close(rm.r);
	for (size_t i = 0; i < rm.nr_changes; i++)
		free(rm.changes[i].id);
	free(rm.changes);
	strbuf_release(&rm.json);
	strbuf_release(&err);
	sigdb_close(db);
	free(def);
	return ret;
}
