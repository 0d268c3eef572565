#define _GNU_SOURCE
#define PCRE2_CODE_UNIT_WIDTH 8
#include "sigdb.h"
#include "generic_frames.h"
#include "frame.h"
#include "util.h"
#include "version.h"

#include <fnmatch.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Generous for real patterns, small enough that no input stalls a scan. */
#define MATCH_LIMIT 1000000
#define DEPTH_LIMIT 10000

struct regex_list {
	pcre2_code **v;
	size_t nr;
};

struct csig {				/* a compiled signature */
	struct signature *sig;
	struct regex_list title_re, text_re, boot_re;
	int limit_warned;		/* set once, atomically */
};

struct idx_entry {			/* literal frame function → signatures */
	char *func;
	size_t *sigs;
	size_t nr, alloc;
};

struct sigdb {
	struct csig *sigs;
	size_t nr;
	struct sig_set set;		/* owns the signatures' sources */
	pcre2_match_context *mctx;
	/* Index: per kind (KIND_NONE = any kind) the signatures with no
	   literal frame function; and a hash of literal functions. */
	size_t *by_kind[KIND__COUNT];
	size_t nr_by_kind[KIND__COUNT], alloc_by_kind[KIND__COUNT];
	struct idx_entry *table;
	size_t table_size;
	size_t *conditions;
	size_t nr_conditions, alloc_conditions;
};

size_t sigdb_size(const struct sigdb *db)
{
	return db ? db->nr : 0;
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

static bool is_literal(const char *glob)
{
	return !strpbrk(glob, "*?[");
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
	ALLOC_GROW(*v, *nr + 1, *alloc);
	(*v)[(*nr)++] = i;
}

struct sigdb *sigdb_from_set(struct sig_set *set, struct strbuf *err)
{
	struct sigdb *db = xcalloc(1, sizeof(*db));

	db->set = *set;
	memset(set, 0, sizeof(*set));
	db->nr = db->set.nr;
	db->sigs = xcalloc(db->nr ? db->nr : 1, sizeof(*db->sigs));
	db->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(db->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(db->mctx, DEPTH_LIMIT);
	db->table_size = 64;
	while (db->table_size < db->nr * 4)
		db->table_size *= 2;
	db->table = xcalloc(db->table_size, sizeof(*db->table));
	for (size_t i = 0; i < db->nr; i++) {
		struct csig *c = &db->sigs[i];
		const char *lit = NULL;

		c->sig = db->set.v[i].sig;
		if (compile_list(&c->sig->title_regex, &c->title_re, 0, c->sig, err) < 0 ||
		    compile_list(&c->sig->text_regex, &c->text_re, PCRE2_MULTILINE, c->sig, err) < 0 ||
		    compile_list(&c->sig->boot_regex, &c->boot_re, PCRE2_MULTILINE, c->sig, err) < 0) {
			sigdb_close(db);
			return NULL;
		}
		if (signature_is_condition(c->sig)) {
			index_add(&db->conditions, &db->nr_conditions, &db->alloc_conditions, i);
			continue;
		}
		/* With alternatives no one function is required: index by kind. */
		for (size_t f = 0; f < c->sig->nr_frames; f++)
			if (!c->sig->frames[f].func) {
				lit = NULL;
				break;
			} else if (!lit && is_literal(c->sig->frames[f].func)) {
				lit = c->sig->frames[f].func;
			}
		if (lit) {
			struct idx_entry *e = table_slot(db, lit);
			if (!e->func)
				e->func = xstrdup(lit);
			index_add(&e->sigs, &e->nr, &e->alloc, i);
		} else if (c->sig->nr_kinds) {
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

/* 1 match, 0 no match, -1 limit hit (warned once). */
static int re_search(const struct sigdb *db, struct csig *c, pcre2_code *re,
		     const char *s, size_t len, size_t *mstart, size_t *mend)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, db->mctx);

	if (rc >= 0 && mstart) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		*mstart = ov[0];
		*mend = ov[1];
	}
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		if (!__atomic_exchange_n(&c->limit_warned, 1, __ATOMIC_RELAXED))
			warning("signature %s: regex hit its match limit; treated as no match",
				c->sig->id);
		return -1;
	}
	return 0;
}

/* The line of s around [start, end). */
static char *line_at(const char *s, size_t len, size_t start)
{
	size_t b = start, e = start;

	while (b > 0 && s[b - 1] != '\n')
		b--;
	while (e < len && s[e] != '\n')
		e++;
	return xstrndup(s + b, e - b);
}

static bool frame_matches(const struct frame_pat *p, const struct frame *f)
{
	char base[256];

	if (!f->func)
		return false;
	frame_base_name(f->func, base, sizeof(base));
	if (fnmatch(p->func, base, 0) && fnmatch(p->func, f->func, 0))
		return false;
	if (p->module) {
		char m1[128], m2[128];
		size_t i;
		if (!f->module)
			return false;
		/* kvm-intel and kvm_intel are the same module. */
		for (i = 0; f->module[i] && i < sizeof(m1) - 1; i++)
			m1[i] = f->module[i] == '-' ? '_' : f->module[i];
		m1[i] = '\0';
		for (i = 0; p->module[i] && i < sizeof(m2) - 1; i++)
			m2[i] = p->module[i] == '-' ? '_' : p->module[i];
		m2[i] = '\0';
		if (fnmatch(m2, m1, 0))
			return false;
	}
	return true;
}

/*
 * Match the pattern against a sequence of frames (reliable ones only).
 * Between two consecutive pattern elements only generic frames (generic_frames.h)
 * may be skipped; after a "..." element any frames may. On success the
 * matched frames are written to ev.
 */
static bool match_frames_seq(const struct frame_pat *pat, size_t npat,
			     const struct frame *const *fr, size_t n, enum incident_kind kind,
			     struct strbuf *ev)
{
	for (size_t start = 0; start < n; start++) {
		size_t fi = start, pi = 0;

		if (!frame_matches(&pat[0], fr[start]))
			continue;
		strbuf_reset(ev);
		for (;;) {
			const struct frame_pat *p = &pat[pi];
			const struct frame *f = fr[fi];
			strbuf_addf(ev, "%s%s+0x%llx", pi ? " … " : "", f->func,
				    (unsigned long long)f->off);
			if (f->module)
				strbuf_addf(ev, " [%s]", f->module);
			if (++pi == npat)
				return true;
			fi++;
			while (fi < n && !frame_matches(&pat[pi], fr[fi]) &&
			       (p->gap || generic_frame_is(fr[fi]->func, kind)))
				fi++;
			if (fi >= n || !frame_matches(&pat[pi], fr[fi]))
				break;
		}
	}
	return false;
}

/* "|" lines split the pattern into alternatives; any one may match. */
static bool match_alternatives(const struct signature *s, const struct frame *const *fr,
			       size_t n, enum incident_kind kind, struct strbuf *ev)
{
	size_t begin = 0;

	for (size_t i = 0; i <= s->nr_frames; i++)
		if (i == s->nr_frames || !s->frames[i].func) {
			if (i > begin && match_frames_seq(s->frames + begin, i - begin, fr, n,
							  kind, ev))
				return true;
			begin = i + 1;
		}
	return false;
}

static bool match_frames(const struct signature *s, const struct incident *inc,
			 struct strbuf *ev)
{
	const struct frame **fr = NULL;
	size_t alloc = 0;
	bool ok = false;

	for (size_t st = 0; st < inc->nr_stacks && !ok; st++) {
		size_t n = 0;
		/* The faulting ip heads the first stack it belongs with. */
		if (st == 0 && inc->has_ip && inc->ip.func) {
			ALLOC_GROW(fr, n + 1, alloc);
			fr[n++] = &inc->ip;
		}
		for (size_t i = 0; i < inc->stacks[st].nr; i++) {
			const struct frame *f = &inc->stacks[st].frames[i];
			if (!f->reliable || !f->func)
				continue;
			ALLOC_GROW(fr, n + 1, alloc);
			fr[n++] = f;
		}
		ok = n && match_alternatives(s, fr, n, inc->kind, ev);
	}
	if (!ok && !inc->nr_stacks && inc->has_ip && inc->ip.func) {
		const struct frame *one = &inc->ip;
		ok = match_alternatives(s, &one, 1, inc->kind, ev);
	}
	free(fr);
	return ok;
}

static bool icontains(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle);
}

/* Host/boot predicates shared by incidents and conditions. */
static bool match_context(const struct sigdb *db, struct csig *c, const char *release,
			  const char *hypervisor, const char *hardware,
			  const struct boot_context *ctx, struct match *m, int *score)
{
	const struct signature *s = c->sig;

	if (s->kernel) {
		if (version_match(s->kernel, release) != 1)
			return false;
		match_add_evidence(m, "kernel", release);
		*score += 3;
	}
	if (s->hypervisor) {
		if (!icontains(hypervisor, s->hypervisor))
			return false;
		match_add_evidence(m, "hypervisor", hypervisor);
		(*score)++;
	}
	if (s->hardware) {
		if (!icontains(hardware, s->hardware))
			return false;
		match_add_evidence(m, "hardware", hardware);
		(*score)++;
	}
	for (size_t i = 0; i < c->boot_re.nr; i++) {
		size_t b, e;
		char *line;
		if (!ctx || re_search(db, c, c->boot_re.v[i], ctx->boot_lines.buf,
				      ctx->boot_lines.len, &b, &e) != 1)
			return false;
		line = line_at(ctx->boot_lines.buf, ctx->boot_lines.len, b);
		/* Which log line: count newlines before the match. The scan
		   makes the number the file's (incident_rebase_lines()). */
		{
			size_t k = 0;
			for (size_t j = 0; j < b; j++)
				k += ctx->boot_lines.buf[j] == '\n';
			match_add_line_evidence(m, "boot-regex",
						k < ctx->nr_boot_lines ? ctx->boot_lineno[k] : 0UL,
						line);
		}
		free(line);
		*score += 2;
	}
	return true;
}

static void fill_match(struct match *m, const struct signature *s, int score)
{
	m->id = xstrdup(s->id);
	m->title = xstrdup(s->title);
	m->severity = s->severity ? xstrdup(s->severity) : NULL;
	m->fix = s->fix ? xstrdup(s->fix) : NULL;
	m->workaround = s->workaround ? xstrdup(s->workaround) : NULL;
	m->specificity = score;
}

/* Count of events an incident stands for, and over how many seconds. */
static void incident_events(const struct incident *inc, long long *events, double *span)
{
	const struct extra *e = incident_extra(inc, "events");
	const struct extra *last = incident_extra(inc, "last_time");

	if (!e)
		e = incident_extra(inc, "count");
	*events = e ? e->num : 1;
	*span = last && last->str && inc->has_ktime ? atof(last->str) - inc->ktime : 0;
}

static void try_signature(const struct sigdb *db, size_t idx, struct incident *inc,
			  const struct boot_context *ctx)
{
	struct csig *c = &db->sigs[idx];
	const struct signature *s = c->sig;
	struct match m;
	struct strbuf ev = STRBUF_INIT;
	int score = 0;
	bool ok = false;

	memset(&m, 0, sizeof(m));
	if (s->nr_kinds) {
		size_t k;
		for (k = 0; k < s->nr_kinds && s->kinds[k] != inc->kind; k++)
			;
		if (k == s->nr_kinds)
			goto out;
		match_add_evidence(&m, "kind", incident_kind_name(inc->kind));
		score += 1;
	}
	for (size_t i = 0; i < c->title_re.nr; i++) {
		/* A record without a title (not yet titled, or odd input) cannot match one. */
		if (!inc->title ||
		    re_search(db, c, c->title_re.v[i], inc->title, strlen(inc->title), NULL, NULL) != 1)
			goto out;
		match_add_evidence(&m, "title-regex", inc->title);
		score += 2;
	}
	if (s->nr_frames) {
		if (!match_frames(s, inc, &ev))
			goto out;
		match_add_evidence(&m, "frames", ev.buf);
		score += 2 * (int)s->nr_frames;
	}
	for (size_t i = 0; i < c->text_re.nr; i++) {
		size_t b, e;
		char *line;
		if (re_search(db, c, c->text_re.v[i], inc->text.buf, inc->text.len, &b, &e) != 1)
			goto out;
		line = line_at(inc->text.buf, inc->text.len, b);
		match_add_evidence(&m, "text-regex", line);
		free(line);
		score += 2;
	}
	if (!match_context(db, c, inc->kernel.release, inc->kernel.hypervisor,
			   inc->kernel.hardware, ctx, &m, &score))
		goto out;
	if (s->count_n) {
		long long events;
		double span;
		char buf[96];
		incident_events(inc, &events, &span);
		if (events < s->count_n || (s->count_secs > 0 && span > s->count_secs))
			goto out;
		snprintf(buf, sizeof(buf), "%lld events in %.1f s", events, span);
		match_add_evidence(&m, "count", buf);
		score += 1;
	}
	ok = true;
out:
	if (ok) {
		struct match *dst = incident_add_match(inc);
		fill_match(&m, s, score);
		*dst = m;
	} else {
		match_release(&m);
	}
	strbuf_release(&ev);
}

static int cmp_specificity(const void *a, const void *b)
{
	const struct match *x = a, *y = b;

	if (x->specificity != y->specificity)
		return y->specificity - x->specificity;
	return strcmp(x->id, y->id);
}

void sigdb_match_incident(const struct sigdb *db, struct incident *inc,
			  const struct boot_context *ctx)
{
	size_t *seen = NULL, nr_seen = 0, alloc_seen = 0;

	if (!db || !db->nr)
		return;
	/* Candidates: signatures whose literal function the incident has… */
	for (size_t s = 0; s <= inc->nr_stacks; s++) {
		const struct frame *frames = s < inc->nr_stacks ? inc->stacks[s].frames : &inc->ip;
		size_t n = s < inc->nr_stacks ? inc->stacks[s].nr : (inc->has_ip ? 1 : 0);
		for (size_t i = 0; i < n; i++) {
			char base[256];
			struct idx_entry *e;
			if (!frames[i].func)
				continue;
			frame_base_name(frames[i].func, base, sizeof(base));
			e = table_slot(db, base);
			if (!e->func)
				continue;
			for (size_t k = 0; k < e->nr; k++) {
				size_t j;
				for (j = 0; j < nr_seen && seen[j] != e->sigs[k]; j++)
					;
				if (j == nr_seen) {
					ALLOC_GROW(seen, nr_seen + 1, alloc_seen);
					seen[nr_seen++] = e->sigs[k];
				}
			}
		}
	}
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

void sigdb_match_boot(const struct sigdb *db, const struct boot_context *ctx,
		      void (*add)(void *data, struct incident *inc), void *data)
{
	if (!db)
		return;
	for (size_t j = 0; j < db->nr_conditions; j++) {
		struct csig *c = &db->sigs[db->conditions[j]];
		struct match m;
		int score = 0;
		struct incident *inc;

		memset(&m, 0, sizeof(m));
		if (!ctx->release && !ctx->nr_boot_lines) {
			match_release(&m);
			continue;
		}
		if (!match_context(db, c, ctx->release, ctx->hypervisor, ctx->hardware, ctx,
				   &m, &score)) {
			match_release(&m);
			continue;
		}
		inc = incident_new(KIND_CONDITION);
		inc->host = ctx->host ? xstrdup(ctx->host) : NULL;
		inc->source.path = ctx->path;
		inc->source.line = ctx->first_line;
		inc->source.end_line = ctx->nr_boot_lines ?
			ctx->boot_lineno[ctx->nr_boot_lines - 1] : ctx->first_line;
#define DUP(x) ((x) ? xstrdup(x) : NULL)
		inc->kernel.release = DUP(ctx->release);
		inc->kernel.build = DUP(ctx->build);
		inc->kernel.hardware = DUP(ctx->hardware);
		inc->kernel.hypervisor = DUP(ctx->hypervisor);
		inc->kernel.arch = DUP(ctx->arch);
		inc->kernel.cmdline = DUP(ctx->cmdline);
#undef DUP
		inc->title = xstrdup(c->sig->title);
		strbuf_addstr(&inc->text, ctx->version_line ? ctx->version_line : "");
		snprintf(inc->hash, sizeof(inc->hash), "%016llx",
			 (unsigned long long)hash_str(c->sig->id));
		fill_match(&m, c->sig, score);
		*incident_add_match(inc) = m;
		add(data, inc);
	}
}
