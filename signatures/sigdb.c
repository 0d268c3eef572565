/*
** sigdb: load, index and match signatures (see sigdb.h); the predicates
** themselves are in sigpred.c.
*/
#define _GNU_SOURCE
#include "sigdb_impl.h"
#include "fixstatus.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Generous for real patterns, small enough that no input stalls a scan. */
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

size_t sigdb_size(const struct sigdb *db)
{
	return db ? db->nr : 0;
}

const struct signature *sigdb_signature(const struct sigdb *db, size_t i)
{
	return i < db->nr ? db->sigs[i].sig : NULL;
}

const struct signature *sigdb_find(const struct sigdb *db, const char *id)
{
	for (size_t i = 0; db && i < db->nr; i++)
		if (!strcmp(db->sigs[i].sig->id, id))
			return db->sigs[i].sig;
	return NULL;
}

static uint64_t hash_str(const char *s)
{
	return fnv1a64(FNV1A64_INIT, s, strlen(s));
}

static struct idx_entry *table_slot(const struct sigdb *db, const char *func)
{
	size_t i = (size_t)(hash_str(func) & (db->table_size - 1));

	while (db->table[i].func && strcmp(db->table[i].func, func))
		i = (i + 1) & (db->table_size - 1);
	return &db->table[i];
}

static int compile_list(const struct str_list *in, struct regex_list *out, uint32_t flags,
			const struct signature *s, struct strbuf *err)
{
	out->v = xcalloc(in->nr ? in->nr : 1, sizeof(*out->v));
	for (size_t i = 0; i < in->nr; i++) {
		int code;
		PCRE2_SIZE off;
		out->v[i] = pcre2_compile((PCRE2_SPTR)in->v[i], PCRE2_ZERO_TERMINATED, flags,
					  &code, &off, NULL);
		if (!out->v[i]) {
			strbuf_addf(err, "%s: regex '%s' does not compile at offset %zu\n",
				    s->path, in->v[i], (size_t)off);
			return -1;
		}
		pcre2_jit_compile(out->v[i], PCRE2_JIT_COMPLETE);	/* best effort */
		out->nr++;
	}
	return 0;
}

static void free_list(struct regex_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		pcre2_code_free(l->v[i]);
	free(l->v);
}

void sigdb_close(struct sigdb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->nr; i++) {
		free_list(&db->sigs[i].title_re);
		free_list(&db->sigs[i].text_re);
		free_list(&db->sigs[i].boot_re);
		sigpred_release(&db->sigs[i]);
	}
	free(db->sigs);
	for (size_t k = 0; k < KIND__COUNT; k++)
		free(db->by_kind[k]);
	for (size_t i = 0; i < db->table_size; i++) {
		free(db->table[i].func);
		free(db->table[i].sigs);
	}
	free(db->table);
	free(db->conditions);
	pcre2_match_context_free(db->mctx);
	sig_set_release(&db->set);
	free(db);
}

static void index_add(size_t **v, size_t *nr, size_t *alloc, size_t i)
{
	for (size_t k = 0; k < *nr; k++)
		if ((*v)[k] == i)
			return;
	ALLOC_GROW(*v, *nr + 1, *alloc);
	(*v)[(*nr)++] = i;
}

struct index_ctx {
	struct sigdb *db;
	size_t i;
	bool by_kind;
};

static void index_key(void *data, const char *key)
{
	struct index_ctx *x = data;
	struct idx_entry *e;

	if (!key) {
		x->by_kind = true;
		return;
	}
	e = table_slot(x->db, key);
	if (!e->func)
		e->func = xstrdup(key);
	index_add(&e->sigs, &e->nr, &e->alloc, x->i);
}

struct sigdb *sigdb_from_set(struct sig_set *set, struct strbuf *err)
{
	struct sigdb *db = xcalloc(1, sizeof(*db));
	size_t keys = 0;

	db->set = *set;
	memset(set, 0, sizeof(*set));
	db->nr = db->set.nr;
	db->sigs = xcalloc(db->nr ? db->nr : 1, sizeof(*db->sigs));
	db->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(db->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(db->mctx, DEPTH_LIMIT);
	/* A signature has a key per alternative of the element it is indexed
	   by (aliases add theirs): count the '|' of its frame patterns. */
	for (size_t i = 0; i < db->nr; i++) {
		const struct signature *sig = db->set.v[i].sig;
		keys++;
		for (size_t f = 0; f < sig->nr_frames; f++)
			for (const char *p = sig->frames[f].func; p && (p = strchr(p, '|')); p++)
				keys++;
	}
	keys += 4 * aliases_count(db->set.aliases);
	db->table_size = 64;
	while (db->table_size < keys * 4)
		db->table_size *= 2;
	db->table = xcalloc(db->table_size, sizeof(*db->table));
	for (size_t i = 0; i < db->nr; i++) {
		struct csig *c = &db->sigs[i];
		struct index_ctx x = { db, i, false };

		c->sig = db->set.v[i].sig;
		sigpred_compile(c, db->set.aliases);
		if (compile_list(&c->sig->title_regex, &c->title_re, 0, c->sig, err) < 0 ||
		    compile_list(&c->sig->text_regex, &c->text_re, PCRE2_MULTILINE, c->sig, err) < 0 ||
		    compile_list(&c->sig->boot_regex, &c->boot_re, PCRE2_MULTILINE, c->sig, err) < 0) {
			db->nr = i + 1;
			sigdb_close(db);
			return NULL;
		}
		if (!signature_is_active(c->sig))
			continue;	/* retired: only explain looks at it */
		if (signature_is_condition(c->sig)) {
			index_add(&db->conditions, &db->nr_conditions, &db->alloc_conditions, i);
			continue;
		}
		if (c->nr_pats)
			sigpred_index_keys(c, index_key, &x);
		if (c->nr_pats && !x.by_kind)
			continue;
		if (c->sig->nr_kinds) {
			for (size_t k = 0; k < c->sig->nr_kinds; k++)
				index_add(&db->by_kind[c->sig->kinds[k]], &db->nr_by_kind[c->sig->kinds[k]],
					  &db->alloc_by_kind[c->sig->kinds[k]], i);
		} else {
			index_add(&db->by_kind[KIND_NONE], &db->nr_by_kind[KIND_NONE],
				  &db->alloc_by_kind[KIND_NONE], i);
		}
	}
	return db;
}

struct sigdb *sigdb_open(const char *path, struct strbuf *err)
{
	struct sig_set set = { 0 };

	if (sigstore_load(path, &set, err) < 0) {
		sig_set_release(&set);
		return NULL;
	}
	return sigdb_from_set(&set, err);
}

static void evaluation_release(struct sig_evaluation *ev)
{
	for (size_t i = 0; i < ev->nr; i++)
		free(ev->v[i].detail);
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

static char **copy_list(const struct str_list *l)
{
	char **v = l->nr ? xcalloc(l->nr, sizeof(*v)) : NULL;

	for (size_t i = 0; i < l->nr; i++)
		v[i] = xstrdup(l->v[i]);
	return v;
}

#define DUP(x) ((x) ? xstrdup(x) : NULL)

/* A match from an evaluation that passed (or waits for grouping). */
static void add_match(struct incident *inc, const struct csig *c, struct sig_evaluation *ev,
		      const char *release, const char *build)
{
	const struct signature *s = c->sig;
	struct match *m = incident_add_match(inc);
	struct strbuf why = STRBUF_INIT;

	for (size_t i = 0; i < ev->nr; i++) {
		const struct sig_verdict *v = &ev->v[i];
		if (v->result != PRED_PASS)
			continue;
		/* Evidence quoting a log line keeps its number apart: the scan
		   makes it the file's (incident_rebase_lines()). */
		if (v->line)
			match_add_line_evidence(m, v->predicate, v->line, v->detail);
		else
			match_add_evidence(m, v->predicate, v->detail);
	}
	m->id = xstrdup(s->id);
	m->title = xstrdup(s->title);
	m->severity = DUP(s->severity);
	m->fix = DUP(s->fix);
	m->workaround = DUP(s->workaround);
	m->specificity = ev->score;
	m->fix_status = xstrdup(fix_status_name(fix_status_of(s, release, build, &why)));
	m->fix_detail = strbuf_detach(&why, NULL);
	m->status = xstrdup(s->status ? s->status : "active");
	m->superseded_by = DUP(s->superseded_by);
	m->duplicate_of = DUP(s->duplicate_of);
	m->owner = DUP(s->owner);
	m->cves = copy_list(&s->cve);
	m->nr_cves = s->cve.nr;
	m->links = copy_list(&s->links);
	m->nr_links = s->links.nr;
	m->pending = ev->result == PRED_DEFER ? c : NULL;
}

static void try_signature(const struct sigdb *db, size_t idx, struct incident *inc,
			  const struct boot_context *ctx)
{
	struct csig *c = &db->sigs[idx];
	struct eval_input in = { inc, ctx, inc->kernel.release, inc->kernel.hypervisor,
				 inc->kernel.hardware, false };
	struct sig_evaluation ev;

	memset(&ev, 0, sizeof(ev));
	if (sigpred_evaluate(db, c, &in, &ev) != PRED_FAIL)
		add_match(inc, c, &ev, inc->kernel.release, inc->kernel.build);
	evaluation_release(&ev);
}

static int cmp_specificity(const void *a, const void *b)
{
	const struct match *x = a, *y = b;

	if (x->specificity != y->specificity)
		return y->specificity - x->specificity;
	return strcmp(x->id, y->id);
}

static void candidates_from(const struct sigdb *db, const struct frame *frames, size_t n,
			    size_t **seen, size_t *nr_seen, size_t *alloc_seen)
{
	for (size_t i = 0; i < n; i++) {
		char key[256];
		struct idx_entry *e;
		if (!frames[i].func)
			continue;
		sigpred_frame_key(frames[i].func, key, sizeof(key));
		e = table_slot(db, key);
		for (size_t k = 0; e->func && k < e->nr; k++)
			index_add(seen, nr_seen, alloc_seen, e->sigs[k]);
	}
}

void sigdb_match_incident(const struct sigdb *db, struct incident *inc,
			  const struct boot_context *ctx)
{
	size_t *seen = NULL, nr_seen = 0, alloc_seen = 0;

	if (!db || !db->nr)
		return;
	/* Candidates: signatures whose literal function the incident has… */
	for (size_t s = 0; s < inc->nr_stacks; s++)
		candidates_from(db, inc->stacks[s].frames, inc->stacks[s].nr, &seen, &nr_seen,
				&alloc_seen);
	if (inc->has_ip)
		candidates_from(db, &inc->ip, 1, &seen, &nr_seen, &alloc_seen);
	for (size_t j = 0; j < nr_seen; j++)
		try_signature(db, seen[j], inc, ctx);
	/* …and those without one, by kind. */
	for (size_t j = 0; j < db->nr_by_kind[inc->kind]; j++)
		try_signature(db, db->by_kind[inc->kind][j], inc, ctx);
	if (inc->kind != KIND_NONE)
		for (size_t j = 0; j < db->nr_by_kind[KIND_NONE]; j++)
			try_signature(db, db->by_kind[KIND_NONE][j], inc, ctx);
	free(seen);
	if (inc->nr_matches > 1)
		qsort(inc->matches, inc->nr_matches, sizeof(*inc->matches), cmp_specificity);
}

void sigdb_settle(const struct sigdb *db, struct incident *inc)
{
	size_t kept = 0;

	for (size_t i = 0; i < inc->nr_matches; i++) {
		struct match *m = &inc->matches[i];
		if (m->pending) {
			struct csig *c = (struct csig *)m->pending;
			struct sig_evaluation ev;
			memset(&ev, 0, sizeof(ev));
			m->pending = NULL;
			if (!db || sigpred_settle(db, c, inc, &ev) != PRED_PASS) {
				match_release(m);
				evaluation_release(&ev);
				continue;
			}
			for (size_t k = 0; k < ev.nr; k++)
				match_add_evidence(m, ev.v[k].predicate, ev.v[k].detail);
			m->specificity += ev.score;
			evaluation_release(&ev);
		}
		if (kept != i)
			inc->matches[kept] = *m;
		kept++;
	}
	inc->nr_matches = kept;
	if (inc->nr_matches > 1)
		qsort(inc->matches, inc->nr_matches, sizeof(*inc->matches), cmp_specificity);
}

void sigdb_match_boot(const struct sigdb *db, const struct boot_context *ctx,
		      void (*add)(void *data, struct incident *inc), void *data)
{
	if (!db)
		return;
	for (size_t j = 0; j < db->nr_conditions; j++) {
		struct csig *c = &db->sigs[db->conditions[j]];
		struct eval_input in = { NULL, ctx, ctx->release, ctx->hypervisor, ctx->hardware,
					 false };
		struct sig_evaluation ev;
		struct incident *inc;

		if (!ctx->release && !ctx->nr_boot_lines)
			continue;
		memset(&ev, 0, sizeof(ev));
		if (sigpred_evaluate(db, c, &in, &ev) != PRED_PASS) {
			evaluation_release(&ev);
			continue;
		}
		inc = incident_new(KIND_CONDITION);
		inc->host = DUP(ctx->host);
		inc->source.path = ctx->path;
		inc->source.line = ctx->first_line;
		inc->boot_line = ctx->first_line;
		inc->source.end_line = ctx->nr_boot_lines ?
			ctx->boot_lineno[ctx->nr_boot_lines - 1] : ctx->first_line;
		inc->kernel.release = DUP(ctx->release);
		inc->kernel.build = DUP(ctx->build);
		inc->kernel.hardware = DUP(ctx->hardware);
		inc->kernel.hypervisor = DUP(ctx->hypervisor);
		inc->kernel.arch = DUP(ctx->arch);
		inc->kernel.cmdline = DUP(ctx->cmdline);
		inc->title = xstrdup(c->sig->title);
		strbuf_addstr(&inc->text, ctx->version_line ? ctx->version_line : "");
		snprintf(inc->hash, sizeof(inc->hash), "%016llx",
			 (unsigned long long)hash_str(c->sig->id));
		add_match(inc, c, &ev, ctx->release, ctx->build);
		evaluation_release(&ev);
		add(data, inc);
	}
}

/* ---- why (not) --------------------------------------------------------- */

void sigdb_explain(const struct sigdb *db, const struct incident *inc,
		   const struct boot_context *ctx, struct sig_evaluation **out)
{
	struct sig_evaluation *ev = xcalloc(db->nr ? db->nr : 1, sizeof(*ev));

	for (size_t i = 0; i < db->nr; i++) {
		struct eval_input in = { inc, ctx, inc->kernel.release, inc->kernel.hypervisor,
					 inc->kernel.hardware, true };
		sigpred_evaluate(db, &db->sigs[i], &in, &ev[i]);
	}
	*out = ev;
}

void sigdb_explain_settle(const struct sigdb *db, const struct incident *inc,
			  struct sig_evaluation *ev)
{
	for (size_t i = 0; i < db->nr; i++) {
		struct sig_evaluation *e = &ev[i], add;
		size_t k;

		for (k = 0; k < e->nr && e->v[k].result != PRED_DEFER; k++)
			;
		if (k == e->nr)
			continue;
		/* Replace the pending verdict by the decided ones. */
		memset(&add, 0, sizeof(add));
		sigpred_settle(db, &db->sigs[i], inc, &add);
		free(e->v[k].detail);
		e->v[k] = add.v[0];
		for (size_t a = 1; a < add.nr; a++) {
			ALLOC_GROW(e->v, e->nr + 1, e->alloc);
			e->v[e->nr++] = add.v[a];
		}
		add.nr = 0;
		e->passed += add.passed;
		e->failed += add.failed;
		e->score += add.score;
		if (e->result == PRED_DEFER)
			e->result = add.failed ? PRED_FAIL : PRED_PASS;
		evaluation_release(&add);
	}
}

void sigdb_evaluations_free(struct sig_evaluation *ev, size_t nr)
{
	for (size_t i = 0; ev && i < nr; i++)
		evaluation_release(&ev[i]);
	free(ev);
}

const struct sig_verdict *sig_evaluation_first_failure(const struct sig_evaluation *ev)
{
	for (size_t i = 0; i < ev->nr; i++)
		if (ev->v[i].result == PRED_FAIL)
			return &ev->v[i];
	return NULL;
}
