/*
** sigdb: the in-memory signature set, its index, and matching (sigdb.h).
** The SQLite side (sigdb_open and writing) is in sigstore.c.
*/
#include "sigdb.h"
#include "framepat.h"
#include "title.h"
#include "util.h"

#include <dirent.h>
#include <pthread.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* entries[] is always sorted by id (insertion keeps it so). */
struct sig_entry {
	struct sig *sig;
	char *source;		/* the file's text, byte for byte */
	char *file;		/* export name, e.g. "netns-copy_net_ns-net_mutex.sig" */
	int severity_rank;
};

struct name_slot {
	char *name;
	size_t *sigs;		/* indexes into entries */
	size_t nr, alloc;
};

struct sig_list {
	size_t *v;
	size_t nr, alloc;
};

struct sigdb {
	struct sig_entry *entries;
	size_t nr, alloc;
	bool indexed;
	/* Index, rebuilt lazily after additions. */
	struct name_slot *slots;	/* open addressing, nr_slots a power of 2 */
	size_t nr_slots;
	struct sig_list by_kind[KIND__COUNT];	/* non-frame-indexed signatures */
	struct sig_list conditions;
	uint32_t *seen;			/* per-entry stamp for candidate dedup */
	uint32_t stamp;
	struct sig_env *env;
	unsigned long long tested;
	/*
	 * Matching mutates the PCRE2 scratch space, the dedup stamps and the
	 * lazily built index: calls from several scan threads are serialised
	 * here (a match costs microseconds; parsing dominates).
	 */
	pthread_mutex_t lock;
};

static uint64_t hash_name(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

struct sigdb *sigdb_new(void)
{
	struct sigdb *db = xcalloc(1, sizeof(*db));

	db->env = sig_env_new();
	pthread_mutex_init(&db->lock, NULL);
	return db;
}

static void drop_index(struct sigdb *db)
{
	for (size_t i = 0; i < db->nr_slots; i++) {
		free(db->slots[i].name);
		free(db->slots[i].sigs);
	}
	free(db->slots);
	db->slots = NULL;
	db->nr_slots = 0;
	for (size_t k = 0; k < KIND__COUNT; k++) {
		free(db->by_kind[k].v);
		memset(&db->by_kind[k], 0, sizeof(db->by_kind[k]));
	}
	free(db->conditions.v);
	memset(&db->conditions, 0, sizeof(db->conditions));
	free(db->seen);
	db->seen = NULL;
	db->indexed = false;
}

void sigdb_close(struct sigdb *db)
{
	if (!db)
		return;
	drop_index(db);
	for (size_t i = 0; i < db->nr; i++) {
		sig_free(db->entries[i].sig);
		free(db->entries[i].source);
		free(db->entries[i].file);
	}
	free(db->entries);
	sig_env_free(db->env);
	pthread_mutex_destroy(&db->lock);
	free(db);
}

size_t sigdb_count(const struct sigdb *db) { return db->nr; }

const struct sig *sigdb_get(const struct sigdb *db, size_t i)
{
	return i < db->nr ? db->entries[i].sig : NULL;
}

const char *sigdb_source(const struct sigdb *db, size_t i)
{
	return i < db->nr ? db->entries[i].source : NULL;
}

const char *sigdb_file(const struct sigdb *db, size_t i)
{
	return i < db->nr ? db->entries[i].file : NULL;
}

static size_t find_pos(const struct sigdb *db, const char *id, bool *found);

const struct sig *sigdb_find(const struct sigdb *db, const char *id)
{
	bool found;
	size_t pos;

	pos = find_pos(db, id, &found);
	return found ? db->entries[pos].sig : NULL;
}

/* Binary search by id in the (sorted) entries: index of id or where it goes. */
static size_t find_pos(const struct sigdb *db, const char *id, bool *found)
{
	size_t lo = 0, hi = db->nr;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, sig_def(db->entries[mid].sig)->id.val);

		if (!c) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int sigdb_add_text(struct sigdb *db, const char *text, size_t len, const char *origin,
		   const char *file, struct strbuf *err)
{
	struct sig_def *def = sig_parse(text, len, origin, err);
	struct sig *s;
	struct sig_entry *e;
	size_t pos;
	bool dup;

	if (!def)
		return -1;
	s = sig_compile(def, err);
	if (!s)
		return -1;
	pos = find_pos(db, sig_def(s)->id.val, &dup);
	if (dup) {
		strbuf_reset(err);
		strbuf_addf(err, "%s:%u: duplicate id '%s'", origin, sig_def(s)->id.line,
			    sig_def(s)->id.val);
		sig_free(s);
		return -1;
	}
	drop_index(db);
	/* Kept sorted by insertion: loads come in id order, so this appends. */
	ALLOC_GROW(db->entries, db->nr + 1, db->alloc);
	memmove(db->entries + pos + 1, db->entries + pos, (db->nr - pos) * sizeof(*db->entries));
	db->nr++;
	e = &db->entries[pos];
	e->sig = s;
	e->source = xmemdupz(text, len);
	e->file = xstrdup(file);
	e->severity_rank = sig_severity_rank(sig_def(s)->severity.val);
	return 0;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

static int read_file(const char *path, struct strbuf *out)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return -1;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(out, buf, n);
	if (ferror(f))
		rc = -1;
	fclose(f);
	return rc;
}

static int load_file(struct sigdb *db, const char *path)
{
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	const char *base = strrchr(path, '/');
	int rc = 0;

	if (read_file(path, &text)) {
		error("%s: %s", path, strerror(errno));
		rc = 1;
		goto out;
	}
	if (sigdb_add_text(db, text.buf, text.len, path, base ? base + 1 : path, &err)) {
		error("%s", err.buf);
		rc = 1;
	}
out:
	strbuf_release(&text);
	strbuf_release(&err);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sigdb_load_path(struct sigdb *db, const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;
	int errors = 0;

	if (stat(path, &st)) {
		error("%s: %s", path, strerror(errno));
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return load_file(db, path);
	d = opendir(path);
	if (!d) {
		error("%s: %s", path, strerror(errno));
		return 1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr] = xmalloc(strlen(path) + strlen(de->d_name) + 2);
		sprintf(names[nr], "%s/%s", path, de->d_name);
		nr++;
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), cmp_str);	/* stable error order */
	for (size_t i = 0; i < nr; i++) {
		if (stat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
			errors += sigdb_load_path(db, names[i]);
		else if (has_suffix(names[i], ".sig"))
			errors += load_file(db, names[i]);
		free(names[i]);
	}
	free(names);
	return errors;
}

static struct name_slot *slot_for(struct sigdb *db, const char *name, bool create)
{
	size_t mask = db->nr_slots - 1, i = hash_name(name) & mask;

	while (db->slots[i].name) {
		if (!strcmp(db->slots[i].name, name))
			return &db->slots[i];
		i = (i + 1) & mask;
	}
	if (!create)
		return NULL;
	db->slots[i].name = xstrdup(name);
	return &db->slots[i];
}

static void list_add(struct sig_list *l, size_t v)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = v;
}

static void build_index(struct sigdb *db)
{
	size_t want = 64;

	drop_index(db);
	while (want < db->nr * 4)
		want *= 2;
	db->nr_slots = want;
	db->slots = xcalloc(want, sizeof(*db->slots));
	db->seen = xcalloc(db->nr ? db->nr : 1, sizeof(*db->seen));
	db->stamp = 0;
	for (size_t i = 0; i < db->nr; i++) {
		const struct sig *s = db->entries[i].sig;
		const struct sig_def *d = sig_def(s);
		bool by_name = d->nr_frames > 0;

		if (sig_is_condition(s)) {
			list_add(&db->conditions, i);
			continue;
		}
		/* Every alternative needs a literal name for the name index to be exact. */
		for (size_t p = 0; p < d->nr_frames && by_name; p++) {
			const char *lits[FRAME_PATTERN_MAX_ELEMS];
			struct frame_pattern *fp;
			char msg[128];
			unsigned bad;

			fp = frame_pattern_parse(d->frames[p].val, msg, sizeof(msg), &bad);
			by_name = fp && frame_pattern_literals(fp, lits, FRAME_PATTERN_MAX_ELEMS) > 0;
			frame_pattern_free(fp);
		}
		if (by_name) {
			for (size_t p = 0; p < d->nr_frames; p++) {
				const char *lits[FRAME_PATTERN_MAX_ELEMS], *best;
				struct frame_pattern *fp;
				struct name_slot *slot;
				char msg[128];
				unsigned bad;
				size_t n;

				fp = frame_pattern_parse(d->frames[p].val, msg, sizeof(msg), &bad);
				n = frame_pattern_literals(fp, lits, FRAME_PATTERN_MAX_ELEMS);
				best = lits[0];
				for (size_t k = 1; k < n; k++)
					if (strlen(lits[k]) > strlen(best))
						best = lits[k];
				slot = slot_for(db, best, true);
				if (!slot->nr || slot->sigs[slot->nr - 1] != i) {
					ALLOC_GROW(slot->sigs, slot->nr + 1, slot->alloc);
					slot->sigs[slot->nr++] = i;
				}
				frame_pattern_free(fp);
			}
			continue;
		}
		for (size_t k = 1; k < KIND__COUNT; k++)
			if (!d->kind_mask || (d->kind_mask & (1ull << k)))
				list_add(&db->by_kind[k], i);
	}
	db->indexed = true;
}

struct found {
	struct match m;
	int rank;
};

static int cmp_found(const void *a, const void *b)
{
	const struct found *x = a, *y = b;

	if (x->m.specificity != y->m.specificity)
		return y->m.specificity - x->m.specificity;
	if (x->rank != y->rank)
		return y->rank - x->rank;
	return strcmp(x->m.id, y->m.id);
}

struct candidates {
	struct found *found;
	size_t nr, alloc;
};

static void try_sig(struct sigdb *db, size_t i, struct incident *inc,
		    const struct boot_context *ctx, struct candidates *c)
{
	struct match m;

	if (db->seen[i] == db->stamp)
		return;
	db->seen[i] = db->stamp;
	db->tested++;
	if (!sig_match_incident(db->entries[i].sig, db->env, inc, ctx, &m))
		return;
	ALLOC_GROW(c->found, c->nr + 1, c->alloc);
	c->found[c->nr].m = m;
	c->found[c->nr].rank = db->entries[i].severity_rank;
	c->nr++;
}

static void try_name(struct sigdb *db, const struct frame *f, struct incident *inc,
		     const struct boot_context *ctx, struct candidates *c)
{
	char name[160];
	struct name_slot *slot;

	if (!f->func)
		return;
	title_clean_func(f->func, name, sizeof(name));
	slot = slot_for(db, name, false);
	for (size_t k = 0; slot && k < slot->nr; k++)
		try_sig(db, slot->sigs[k], inc, ctx, c);
}

static void match_incident_locked(struct sigdb *db, struct incident *inc,
				  const struct boot_context *ctx)
{
	struct candidates c = { NULL, 0, 0 };

	if (!db->indexed)
		build_index(db);
	if (!db->nr || (unsigned)inc->kind >= KIND__COUNT)
		return;
	if (++db->stamp == 0) {		/* wrapped: clear the stamps */
		memset(db->seen, 0, db->nr * sizeof(*db->seen));
		db->stamp = 1;
	}
	if (inc->has_ip)
		try_name(db, &inc->ip, inc, ctx, &c);
	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t f = 0; f < inc->stacks[s].nr; f++)
			try_name(db, &inc->stacks[s].frames[f], inc, ctx, &c);
	for (size_t k = 0; k < db->by_kind[inc->kind].nr; k++)
		try_sig(db, db->by_kind[inc->kind].v[k], inc, ctx, &c);
	if (c.nr > 1)
		qsort(c.found, c.nr, sizeof(*c.found), cmp_found);
	for (size_t k = 0; k < c.nr; k++)
		*incident_add_match(inc) = c.found[k].m;
	free(c.found);
}

void sigdb_match_incident(struct sigdb *db, struct incident *inc,
			  const struct boot_context *ctx)
{
	pthread_mutex_lock(&db->lock);
	match_incident_locked(db, inc, ctx);
	pthread_mutex_unlock(&db->lock);
}

/* A condition incident: the boot's facts, the evidence lines as its text. */
static struct incident *condition_incident(const struct boot_context *ctx,
					   const struct match *m, unsigned long line)
{
	struct incident *inc = incident_new(KIND_CONDITION);
	struct strbuf title = STRBUF_INIT;

	strbuf_addf(&title, "known-bad kernel: %s", m->title);
	inc->title = strbuf_detach(&title, NULL);
	if (ctx->host)
		inc->host = xstrdup(ctx->host);
	inc->source.path = ctx->path;
	inc->source.line = line ? line : ctx->first_line;
	inc->source.end_line = inc->source.line;
	if (ctx->release)
		inc->kernel.release = xstrdup(ctx->release);
	if (ctx->build)
		inc->kernel.build = xstrdup(ctx->build);
	if (ctx->tainted)
		inc->kernel.tainted = xstrdup(ctx->tainted);
	if (ctx->hardware)
		inc->kernel.hardware = xstrdup(ctx->hardware);
	if (ctx->hypervisor)
		inc->kernel.hypervisor = xstrdup(ctx->hypervisor);
	if (ctx->arch)
		inc->kernel.arch = xstrdup(ctx->arch);
	if (ctx->cmdline)
		inc->kernel.cmdline = xstrdup(ctx->cmdline);
	for (size_t i = 0; i < m->nr_evidence; i++) {
		if (!m->evidence[i].detail)
			continue;
		strbuf_addstr(&inc->text, m->evidence[i].detail);
		strbuf_addch(&inc->text, '\n');
		inc->nr_lines++;
	}
	incident_extra_str(inc, "signature", m->id);
	/* Equal across hosts and boots: the condition is the cluster. */
	snprintf(inc->hash, sizeof(inc->hash), "%016llx",
		 (unsigned long long)hash_name(m->id) ^ 0xc0d1710dull);
	return inc;
}

size_t sigdb_match_boot(struct sigdb *db, const struct boot_context *ctx,
			sigdb_emit_fn emit, void *data)
{
	struct incident **made = NULL;
	size_t n = 0, alloc = 0;

	pthread_mutex_lock(&db->lock);
	if (!db->indexed)
		build_index(db);
	for (size_t k = 0; k < db->conditions.nr; k++) {
		struct sig_entry *e = &db->entries[db->conditions.v[k]];
		struct incident *inc;
		unsigned long line;
		struct match m;

		if (!sig_match_boot(e->sig, db->env, ctx, &m, &line))
			continue;
		inc = condition_incident(ctx, &m, line);
		*incident_add_match(inc) = m;
		ALLOC_GROW(made, n + 1, alloc);
		made[n++] = inc;
	}
	pthread_mutex_unlock(&db->lock);
	/* Emit outside the lock: the callback may match or record. */
	for (size_t k = 0; k < n; k++)
		emit(data, made[k]);
	free(made);
	return n;
}

unsigned long long sigdb_candidates_tested(struct sigdb *db)
{
	unsigned long long n;

	pthread_mutex_lock(&db->lock);
	n = db->tested;
	pthread_mutex_unlock(&db->lock);
	return n;
}
