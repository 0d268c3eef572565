/*
** ksift db review ARCHIVE|RESULTS.db: what a set of signatures does to an
** archive — per signature its matches (incidents, hosts, first and last
** seen, and those on kernels that carry the fix), the incidents it shares
** with another signature, the signatures that never match, and for each
** unknown crash cluster the signature that comes nearest.
**
** ksift db diff OLD NEW --archive PATH: what changing the signatures from
** OLD to NEW does to the archive's matches, incident by incident: added,
** lost, fix status changed. For review of a signature pull request.
**
** An archive is logs (files, directories: scanned as ksift scan does, hosts
** from the directory under the argument); a results database (ksift scan
** --results) is matched again from its stored records and boots, as
** ksift rematch does, without writing to it.
*/
#define _GNU_SOURCE
#include "builtin.h"
#include "cmd_db.h"
#include "dbpath.h"
#include "json.h"
#include "results.h"
#include "schema.h"
#include "sigscan.h"
#include "textsafe.h"
#include "util.h"
#include "walk.h"
#include "sigstore.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- incidents of an archive or a results database --------------------- */

typedef void (*source_fn)(void *data, struct incident *inc);	/* owns inc */

struct source_cb {
	source_fn fn;
	void *data;
	const struct sigdb *db;
	struct results_db *r;
	struct boot_context *boot;
	unsigned long without_record;
};

static void from_scan(void *data, struct incident *inc, struct sig_evaluation *ev)
{
	struct source_cb *cb = data;

	(void)ev;
	cb->fn(cb->data, inc);
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int from_row(void *data, const struct results_row *row, struct incident *inc)
{
	struct source_cb *cb = data;
	struct boot_context *b = cb->boot;

	if (!inc) {
		cb->without_record++;
		return 0;
	}
	if (!b || strcmp(b->path, row->path) || !same_str(b->host, row->host) ||
	    b->first_line > row->line) {
		results_boot_free(cb->boot);
		cb->boot = results_boot_at(cb->r, row->path, row->host, row->line);
	}
	if (!inc->host && row->host)
		inc->host = xstrdup(row->host);
	sigdb_match_incident(cb->db, inc, cb->boot);
	sigdb_settle(cb->db, inc);
	cb->fn(cb->data, inc);
	return 0;
}

static void condition_cb(void *data, struct incident *inc)
{
	struct source_cb *cb = data;

	cb->fn(cb->data, inc);
}

static int from_boot(void *data, long long id, struct boot_context *ctx)
{
	struct source_cb *cb = data;

	(void)id;
	sigdb_match_boot(cb->db, ctx, condition_cb, cb);
	return 0;
}

static bool is_sqlite(const char *path)
{
	char head[16];
	FILE *f = fopen(path, "rb");
	bool yes = f && fread(head, 1, 16, f) == 16 && !memcmp(head, "SQLite format 3", 16);

	if (f)
		fclose(f);
	return yes;
}

/*
 * Every incident of `what` matched with db (the callee owns each). Returns
 * 0, or -1 on an input error (reported). Results databases are opened read
 * and migrated, never otherwise changed.
 */
static int source_each(const char *what, const struct sigdb *db, source_fn fn, void *data,
		       unsigned long *without_record)
{
	struct source_cb cb = { fn, data, db, NULL, NULL, 0 };
	int ret = 0;

	if (is_sqlite(what)) {
		char err[1024];
		cb.r = results_open(what, err, sizeof(err));
		if (!cb.r) {
			error("%s", err);
			return -1;
		}
		/* Stored conditions are decided again from their boots. */
		if (results_each_incident(cb.r, "kind <> 'condition'", from_row, &cb) < 0 ||
		    results_each_boot(cb.r, from_boot, &cb) < 0)
			ret = -1;
		results_boot_free(cb.boot);
		results_rollback(cb.r);
		results_close(cb.r);
	} else {
		struct walk_list in = { 0 };
		char *arg[1] = { (char *)what };
		walk_inputs(&in, arg, 1);
		if (in.errors)
			ret = -1;
		for (size_t i = 0; i < in.nr; i++) {
			char *host = walk_host_from_relpath(in.relpaths[i]);
			struct sigscan_options o = { db, false, false, host };
			struct sigscan_stats st;
			if (sigscan_file(in.paths[i], &o, from_scan, &cb, &st) < 0)
				ret = -1;
			free(host);
		}
		walk_list_release(&in);
	}
	if (without_record)
		*without_record = cb.without_record;
	return ret;
}

/* ---- review -------------------------------------------------------------- */

struct sig_stats {
	const struct signature *sig;
	unsigned long incidents, fixed;
	char **hosts;
	size_t nr_hosts, alloc_hosts;
	char *first, *last;
};

struct cluster {
	char hash[17];
	unsigned long incidents;
	char **hosts;
	size_t nr_hosts, alloc_hosts;
	struct incident *rep;		/* the first one, for the nearest signature */
};

struct review {
	const struct sigdb *db;
	struct sig_stats *sigs;
	size_t nr_sigs;
	struct cluster *clusters;
	size_t nr_clusters, alloc_clusters;
	struct strbuf overlaps;
	unsigned long nr_overlaps, incidents;
};

static void add_host(char ***v, size_t *nr, size_t *alloc, const char *host)
{
	const char *h = host ? host : "";

	for (size_t i = 0; i < *nr; i++)
		if (!strcmp((*v)[i], h))
			return;
	ALLOC_GROW(*v, *nr + 1, *alloc);
	(*v)[(*nr)++] = xstrdup(h);
}

static void free_hosts(char **v, size_t nr)
{
	for (size_t i = 0; i < nr; i++)
		free(v[i]);
	free(v);
}

static bool state_kind(enum incident_kind k)
{
	return k == KIND_CONDITION || k == KIND_SYSRQ_TASKS || k == KIND_SYSRQ_CPUS ||
	       k == KIND_SYSRQ_MEM || k == KIND_SYSRQ_LOCKS;
}

static bool related(const struct sigdb *db, const char *a, const char *b)
{
	const struct signature *x = sigdb_find(db, a), *y = sigdb_find(db, b);

	return x && y && ((x->duplicate_of && !strcmp(x->duplicate_of, b)) ||
			  (y->duplicate_of && !strcmp(y->duplicate_of, a)));
}

static void review_incident(void *data, struct incident *inc)
{
	struct review *rv = data;
	const char *when = inc->wall_inferred ? inc->wall_inferred : inc->wall;

	rv->incidents++;
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		bool fixed = m->fix_status && (!strcmp(m->fix_status, "fixed") ||
					       !strcmp(m->fix_status, "unaffected"));
		for (size_t k = 0; k < rv->nr_sigs; k++) {
			struct sig_stats *s = &rv->sigs[k];
			if (strcmp(s->sig->id, m->id))
				continue;
			if (fixed) {
				s->fixed++;
				break;
			}
			s->incidents++;
			add_host(&s->hosts, &s->nr_hosts, &s->alloc_hosts, inc->host);
			if (when && (!s->first || strcmp(when, s->first) < 0)) {
				free(s->first);
				s->first = xstrdup(when);
			}
			if (when && (!s->last || strcmp(when, s->last) > 0)) {
				free(s->last);
				s->last = xstrdup(when);
			}
			break;
		}
		for (size_t o = i + 1; o < inc->nr_matches; o++)
			if (!related(rv->db, m->id, inc->matches[o].id)) {
				strbuf_addf(&rv->overlaps, "  %s:%lu '%s': %s and %s\n",
					    inc->source.path ? inc->source.path : "-", inc->source.line,
					    inc->title ? inc->title : "?", m->id, inc->matches[o].id);
				rv->nr_overlaps++;
			}
	}
	if (!inc->nr_matches && !state_kind(inc->kind)) {
		struct cluster *c = NULL;
		for (size_t k = 0; k < rv->nr_clusters && !c; k++)
			if (!strcmp(rv->clusters[k].hash, inc->hash))
				c = &rv->clusters[k];
		if (!c) {
			ALLOC_GROW(rv->clusters, rv->nr_clusters + 1, rv->alloc_clusters);
			c = &rv->clusters[rv->nr_clusters++];
			memset(c, 0, sizeof(*c));
			snprintf(c->hash, sizeof(c->hash), "%s", inc->hash);
			inc->source.path = NULL;	/* borrowed from the scan: gone later */
			c->rep = inc;
		}
		c->incidents++;
		add_host(&c->hosts, &c->nr_hosts, &c->alloc_hosts, inc->host);
		if (c->rep == inc)
			return;
	}
	incident_free(inc);
}

/* The signature nearest to an unmatched incident: most predicates holding. */
static void nearest(const struct sigdb *db, const struct incident *inc, struct strbuf *out)
{
	struct sig_evaluation *ev;
	const struct sig_evaluation *best = NULL;
	size_t nr = sigdb_size(db);

	sigdb_explain(db, inc, NULL, &ev);
	sigdb_explain_settle(db, inc, ev);
	for (size_t i = 0; i < nr; i++) {
		if (!ev[i].passed || !signature_is_active(ev[i].sig))
			continue;
		if (!best || ev[i].passed * (best->passed + best->failed) >
			     best->passed * (ev[i].passed + ev[i].failed))
			best = &ev[i];
	}
	if (best) {
		const struct sig_verdict *f = sig_evaluation_first_failure(best);
		strbuf_addf(out, "%s (%zu of %zu predicates hold; %s: %s)", best->sig->id,
			    best->passed, best->passed + best->failed, f ? f->predicate : "-",
			    f && f->detail ? f->detail : "");
	} else {
		strbuf_addstr(out, "none (no signature has a predicate that holds)");
	}
	sigdb_evaluations_free(ev, nr);
}

static int cmp_stats(const void *a, const void *b)
{
	const struct sig_stats *x = a, *y = b;

	if (x->nr_hosts != y->nr_hosts)
		return x->nr_hosts > y->nr_hosts ? -1 : 1;
	if (x->incidents != y->incidents)
		return x->incidents > y->incidents ? -1 : 1;
	return strcmp(x->sig->id, y->sig->id);
}

static int cmp_clusters(const void *a, const void *b)
{
	const struct cluster *x = a, *y = b;

	if (x->nr_hosts != y->nr_hosts)
		return x->nr_hosts > y->nr_hosts ? -1 : 1;
	if (x->incidents != y->incidents)
		return x->incidents > y->incidents ? -1 : 1;
	return strcmp(x->hash, y->hash);
}

static void print_text(struct review *rv, const char *what, unsigned long without_record,
		       unsigned long *never)
{
	text_printf(stdout, "Signatures (incidents, hosts, first and last seen; on kernels that carry the fix):\n");
	for (size_t i = 0; i < rv->nr_sigs; i++) {
		const struct sig_stats *s = &rv->sigs[i];
		if (!s->incidents && !s->fixed)
			continue;
		text_printf(stdout, "  %-40s %5lu incidents %4zu hosts", s->sig->id, s->incidents, s->nr_hosts);
		if (s->first)
			text_printf(stdout, "  %s .. %s", s->first, s->last);
		if (s->fixed)
			text_printf(stdout, "  (+%lu on fixed kernels)", s->fixed);
		text_printf(stdout, "\n");
	}
	text_printf(stdout, "\nNever matched:\n");
	for (size_t i = 0; i < rv->nr_sigs; i++) {
		const struct sig_stats *s = &rv->sigs[i];
		if (s->incidents || s->fixed)
			continue;
		if (!signature_is_active(s->sig)) {
			text_printf(stdout, "  %-40s retired%s%s\n", s->sig->id, s->sig->superseded_by ?
			       ", superseded by " : "", s->sig->superseded_by ? s->sig->superseded_by : "");
			continue;
		}
		text_printf(stdout, "  %s\n", s->sig->id);
		(*never)++;
	}
	if (!*never)
		text_printf(stdout, "  (none)\n");
	text_printf(stdout, "\nIncidents matched by more than one signature:\n%s",
	       rv->nr_overlaps ? rv->overlaps.buf : "  (none)\n");
	text_printf(stdout, "\nUnknown clusters (no signature matched), with the nearest signature:\n");
	for (size_t i = 0; i < rv->nr_clusters; i++) {
		const struct cluster *c = &rv->clusters[i];
		struct strbuf sb = STRBUF_INIT;
		nearest(rv->db, c->rep, &sb);
		text_printf(stdout, "  %s %5lu incidents %4zu hosts  %s\n      nearest: %s\n", c->hash, c->incidents,
		       c->nr_hosts, c->rep->title ? c->rep->title : "?", sb.buf);
		strbuf_release(&sb);
	}
	if (!rv->nr_clusters)
		text_printf(stdout, "  (none)\n");
	text_printf(stdout, "\nreview: %zu signatures over %s (%lu incidents): %zu matched, %lu never matched, "
	       "%lu overlapping incidents, %zu unknown clusters",
	       rv->nr_sigs, what, rv->incidents, rv->nr_sigs - *never, *never, rv->nr_overlaps,
	       rv->nr_clusters);
	if (without_record)
		text_printf(stdout, "; %lu stored incidents without a record were left out", without_record);
	text_printf(stdout, "\n");
}

static void print_json(struct review *rv, unsigned long *never)
{
	struct strbuf out = STRBUF_INIT;
	struct json j;

	json_init(&j, &out);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "signatures");
	for (size_t i = 0; i < rv->nr_sigs; i++) {
		const struct sig_stats *s = &rv->sigs[i];
		json_object_begin(&j, NULL);
		json_str(&j, "id", s->sig->id);
		json_str(&j, "status", s->sig->status ? s->sig->status : "active");
		json_int(&j, "incidents", (long long)s->incidents);
		json_int(&j, "hosts", (long long)s->nr_hosts);
		json_int(&j, "fixed_incidents", (long long)s->fixed);
		json_str(&j, "first_seen", s->first);
		json_str(&j, "last_seen", s->last);
		json_object_end(&j);
		if (!s->incidents && !s->fixed && signature_is_active(s->sig))
			(*never)++;
	}
	json_array_end(&j);
	json_int(&j, "overlapping_incidents", (long long)rv->nr_overlaps);
	json_array_begin(&j, "unknown_clusters");
	for (size_t i = 0; i < rv->nr_clusters; i++) {
		struct strbuf sb = STRBUF_INIT;
		nearest(rv->db, rv->clusters[i].rep, &sb);
		json_object_begin(&j, NULL);
		json_str(&j, "hash", rv->clusters[i].hash);
		json_str(&j, "title", rv->clusters[i].rep->title);
		json_int(&j, "incidents", (long long)rv->clusters[i].incidents);
		json_int(&j, "hosts", (long long)rv->clusters[i].nr_hosts);
		json_str(&j, "nearest", sb.buf);
		json_object_end(&j);
		strbuf_release(&sb);
	}
	json_array_end(&j);
	json_object_end(&j);
	strbuf_addch(&out, '\n');
	fwrite(out.buf, 1, out.len, stdout);
	strbuf_release(&out);
}

int db_review(const char *what, const char *dbfile, bool json)
{
	struct strbuf err = STRBUF_INIT;
	struct sigdb *db = dbpath_open(dbfile, &err);
	struct review rv;
	unsigned long without = 0, never = 0;
	int ret = EXIT_INPUT;

	memset(&rv, 0, sizeof(rv));
	strbuf_init(&rv.overlaps, 0);
	if (!db) {
		error_lines(err.buf);
		goto out;
	}
	if (access(what, R_OK) < 0) {
		error("db review: %s: no such archive or results database", what);
		goto out;
	}
	rv.db = db;
	rv.nr_sigs = sigdb_size(db);
	rv.sigs = xcalloc(rv.nr_sigs ? rv.nr_sigs : 1, sizeof(*rv.sigs));
	for (size_t i = 0; i < rv.nr_sigs; i++)
		rv.sigs[i].sig = sigdb_signature(db, i);
	if (source_each(what, db, review_incident, &rv, &without) < 0)
		goto out;
	qsort(rv.sigs, rv.nr_sigs, sizeof(*rv.sigs), cmp_stats);
	if (rv.nr_clusters)
		qsort(rv.clusters, rv.nr_clusters, sizeof(*rv.clusters), cmp_clusters);
	if (json)
		print_json(&rv, &never);
	else
		print_text(&rv, what, without, &never);
	ret = never || rv.nr_overlaps ? EXIT_FOUND : EXIT_CLEAN;
out:
	for (size_t i = 0; i < rv.nr_sigs && rv.sigs; i++) {
		free_hosts(rv.sigs[i].hosts, rv.sigs[i].nr_hosts);
		free(rv.sigs[i].first);
		free(rv.sigs[i].last);
	}
	free(rv.sigs);
	for (size_t i = 0; i < rv.nr_clusters; i++) {
		free_hosts(rv.clusters[i].hosts, rv.clusters[i].nr_hosts);
		incident_free(rv.clusters[i].rep);
	}
	free(rv.clusters);
	strbuf_release(&rv.overlaps);
	strbuf_release(&err);
	sigdb_close(db);
	return ret;
}

/* ---- diff ---------------------------------------------------------------- */

struct diff_inc {
	char *key;		/* "path:line" */
	char *title;
	char *ids;		/* " id=status id=status " */
};

struct diff_side {
	struct diff_inc *v;
	size_t nr, alloc;
};

static void diff_collect(void *data, struct incident *inc)
{
	struct diff_side *d = data;
	struct diff_inc *di;
	struct strbuf ids = STRBUF_INIT;

	ALLOC_GROW(d->v, d->nr + 1, d->alloc);
	di = &d->v[d->nr++];
	if (asprintf(&di->key, "%s:%lu %s", inc->source.path ? inc->source.path : "-",
		     inc->source.line, incident_kind_name(inc->kind)) < 0)
		die("out of memory");
	di->title = xstrdup(inc->title ? inc->title : "?");
	strbuf_addch(&ids, ' ');
	for (size_t i = 0; i < inc->nr_matches; i++)
		strbuf_addf(&ids, "%s=%s ", inc->matches[i].id,
			    inc->matches[i].fix_status ? inc->matches[i].fix_status : "?");
	di->ids = strbuf_detach(&ids, NULL);
	incident_free(inc);
}

static int cmp_diff(const void *a, const void *b)
{
	const struct diff_inc *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->title, y->title);
}

static const struct diff_inc *diff_find(const struct diff_side *d, const struct diff_inc *k)
{
	if (!d->nr)
		return NULL;
	return bsearch(k, d->v, d->nr, sizeof(*d->v), cmp_diff);
}

static void diff_release(struct diff_side *d)
{
	for (size_t i = 0; i < d->nr; i++) {
		free(d->v[i].key);
		free(d->v[i].title);
		free(d->v[i].ids);
	}
	free(d->v);
}

/* Each "id=status" of a that b lacks, printed with sign; returns how many. */
static unsigned long diff_ids(const struct diff_inc *inc, const char *a, const char *b,
			      char sign, const struct sigdb *other, bool status_change)
{
	unsigned long n = 0;
	char *copy = xstrdup(a), *tok, *save;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char needle[512], *eq = strchr(tok, '=');
		snprintf(needle, sizeof(needle), " %s ", tok);
		if (strstr(b, needle))
			continue;
		*eq = '\0';
		snprintf(needle, sizeof(needle), " %s=", tok);
		if (status_change && !strstr(b, needle))
			continue;
		if (strstr(b, needle)) {
			/* Matched by both, the fix status differs: said once, from NEW. */
			if (status_change) {
				const char *s = strstr(b, needle) + strlen(needle);
				text_printf(stdout, "  ~ %-38s %s '%s': fix status %s → %.*s\n", tok, inc->key,
				       inc->title, eq + 1, (int)strcspn(s, " "), s);
				n++;
			}
			continue;
		}
		text_printf(stdout, "  %c %-38s %s '%s'%s\n", sign, tok, inc->key, inc->title,
		       sign == '-' && other && !sigdb_find(other, tok) ? " (signature removed)" : "");
		n++;
	}
	free(copy);
	return n;
}

int db_diff(const char *old_sigs, const char *new_sigs, const char *archive)
{
	struct strbuf err = STRBUF_INIT;
	struct sigdb *a = dbpath_open(old_sigs, &err), *b = NULL;
	struct diff_side da = { 0 }, dbs = { 0 };
	unsigned long added = 0, lost = 0, changed = 0;
	int ret = EXIT_INPUT;

	if (a)
		b = dbpath_open(new_sigs, &err);
	if (!a || !b) {
		error_lines(err.buf);
		goto out;
	}
	if (source_each(archive, a, diff_collect, &da, NULL) < 0 ||
	    source_each(archive, b, diff_collect, &dbs, NULL) < 0)
		goto out;
	if (da.nr)
		qsort(da.v, da.nr, sizeof(*da.v), cmp_diff);
	if (dbs.nr)
		qsort(dbs.v, dbs.nr, sizeof(*dbs.v), cmp_diff);
	text_printf(stdout, "db diff: %s → %s over %s (%zu incidents)\n", old_sigs, new_sigs, archive, dbs.nr);
	for (size_t i = 0; i < dbs.nr; i++) {
		const struct diff_inc *o = diff_find(&da, &dbs.v[i]);
		added += diff_ids(&dbs.v[i], dbs.v[i].ids, o ? o->ids : " ", '+', NULL, false);
		changed += o ? diff_ids(&dbs.v[i], o->ids, dbs.v[i].ids, '-', b, true) : 0;
	}
	for (size_t i = 0; i < da.nr; i++) {
		const struct diff_inc *n = diff_find(&dbs, &da.v[i]);
		lost += diff_ids(&da.v[i], da.v[i].ids, n ? n->ids : " ", '-', b, false);
	}
	text_printf(stdout, "db diff: %lu matches added, %lu lost, %lu with another fix status\n", added, lost,
	       changed);
	ret = EXIT_CLEAN;
out:
	diff_release(&da);
	diff_release(&dbs);
	sigdb_close(a);
	sigdb_close(b);
	strbuf_release(&err);
	return ret;
}
