#include "profile.h"
#include "frame.h"
#include "generic_frames.h"
#include "title.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * An intern table: byte strings to dense ids, open addressing over a
 * power-of-two slot array (0: empty, else id + 1).
 */
struct itab {
	char **keys;
	size_t *lens;
	uint64_t *counts;		/* per id: samples (comms) or self (symbols) */
	uint32_t *slots;
	size_t nr, alloc, nr_slots;
};

static uint64_t hash_bytes(const void *p, size_t n)
{
	return fnv1a64(FNV1A64_INIT, p, n);
}

static void itab_grow(struct itab *t)
{
	size_t n = t->nr_slots ? t->nr_slots * 2 : 1024;
	uint32_t *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < t->nr; i++) {
		size_t s = (size_t)hash_bytes(t->keys[i], t->lens[i]) & (n - 1);
		while (slots[s])
			s = (s + 1) & (n - 1);
		slots[s] = (uint32_t)i + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nr_slots = n;
}

/* The id of key, added when new and there is room (else UINT32_MAX). */
static uint32_t itab_id(struct itab *t, const char *key, size_t len, size_t max)
{
	size_t s;

	if ((t->nr + 1) * 2 > t->nr_slots)
		itab_grow(t);
	s = (size_t)hash_bytes(key, len) & (t->nr_slots - 1);
	while (t->slots[s]) {
		uint32_t id = t->slots[s] - 1;
		if (t->lens[id] == len && !memcmp(t->keys[id], key, len))
			return id;
		s = (s + 1) & (t->nr_slots - 1);
	}
	if (t->nr >= max)
		return UINT32_MAX;
	if (t->nr >= t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 256;
		t->keys = xrealloc(t->keys, t->alloc * sizeof(*t->keys));
		t->lens = xrealloc(t->lens, t->alloc * sizeof(*t->lens));
		t->counts = xrealloc(t->counts, t->alloc * sizeof(*t->counts));
	}
	/* (not xmemdupz(): symbol keys hold a NUL between func and module) */
	t->keys[t->nr] = xmalloc(len + 1);
	memcpy(t->keys[t->nr], key, len);
	t->keys[t->nr][len] = '\0';
	t->lens[t->nr] = len;
	t->counts[t->nr] = 0;
	t->slots[s] = (uint32_t)t->nr + 1;
	return (uint32_t)t->nr++;
}

static void itab_free(struct itab *t)
{
	for (size_t i = 0; i < t->nr; i++)
		free(t->keys[i]);
	free(t->keys);
	free(t->lens);
	free(t->counts);
	free(t->slots);
}

struct pstack {
	size_t off;			/* into frames[] */
	uint32_t n;
	uint64_t count, hash;
};

struct profile {
	char *format, *event;
	/* Symbols: "func\0module" keys; func() and module() split them. */
	struct itab syms, comms;
	struct pstack *stacks;
	size_t nr_stacks, alloc_stacks;
	uint32_t *slots;		/* stack hash table: index + 1 */
	size_t nr_slots;
	uint32_t *frames;		/* symbol ids, each stack innermost first */
	size_t nr_frames, alloc_frames;
	uint64_t samples, stated_total;
	double first_time, last_time;
	bool truncated;
};

static const char *sym_func(const struct profile *p, uint32_t id)
{
	return p->syms.keys[id];
}

static const char *sym_module(const struct profile *p, uint32_t id)
{
	const char *f = p->syms.keys[id];
	size_t fl = strlen(f);

	return fl + 1 < p->syms.lens[id] ? f + fl + 1 : NULL;
}

struct profile *profile_new(const char *format)
{
	struct profile *p = xcalloc(1, sizeof(*p));

	p->format = xstrdup(format);
	p->first_time = p->last_time = -1;
	return p;
}

void profile_free(struct profile *p)
{
	if (!p)
		return;
	free(p->format);
	free(p->event);
	itab_free(&p->syms);
	itab_free(&p->comms);
	free(p->stacks);
	free(p->slots);
	free(p->frames);
	free(p);
}

void profile_set_event(struct profile *p, const char *event, size_t len)
{
	if (!p->event && len)
		p->event = xmemdupz(event, len < 128 ? len : 128);
}

void profile_set_total(struct profile *p, uint64_t samples)
{
	p->stated_total = samples;
}

/* perf report lists only the entries above its own threshold: the total
   it states is the base of every share. */
uint64_t profile_samples(const struct profile *p)
{
	return p->stated_total > p->samples ? p->stated_total : p->samples;
}

size_t profile_nr_stacks(const struct profile *p)
{
	return p->nr_stacks;
}

bool profile_truncated(const struct profile *p)
{
	return p->truncated;
}

static uint32_t symbol_id(struct profile *p, const char *func, size_t flen,
			  const char *mod, size_t mlen)
{
	char buf[512];
	size_t n;

	if (!func || !flen) {
		func = "[unknown]";
		flen = 9;
	}
	if (flen > 255)
		flen = 255;
	if (mlen > 200)
		mlen = 200;
	memcpy(buf, func, flen);
	n = flen;
	buf[n++] = '\0';
	if (mod && mlen) {
		memcpy(buf + n, mod, mlen);
		n += mlen;
	}
	/* A name with a NUL in it would split wrongly: cut it there. */
	if (memchr(buf, '\0', flen))
		n = strlen(buf) + 1;
	return itab_id(&p->syms, buf, n, PROFILE_MAX_SYMBOLS);
}

static void stacks_grow(struct profile *p)
{
	size_t n = p->nr_slots ? p->nr_slots * 2 : 4096;
	uint32_t *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 0; i < p->nr_stacks; i++) {
		size_t s = (size_t)p->stacks[i].hash & (n - 1);
		while (slots[s])
			s = (s + 1) & (n - 1);
		slots[s] = (uint32_t)i + 1;
	}
	free(p->slots);
	p->slots = slots;
	p->nr_slots = n;
}

static void add_stack(struct profile *p, const uint32_t *ids, uint32_t n, uint64_t count)
{
	uint64_t h = hash_bytes(ids, n * sizeof(*ids));
	size_t s;

	if ((p->nr_stacks + 1) * 2 > p->nr_slots)
		stacks_grow(p);
	s = (size_t)h & (p->nr_slots - 1);
	while (p->slots[s]) {
		struct pstack *st = &p->stacks[p->slots[s] - 1];
		if (st->hash == h && st->n == n &&
		    !memcmp(p->frames + st->off, ids, n * sizeof(*ids))) {
			st->count += count;
			return;
		}
		s = (s + 1) & (p->nr_slots - 1);
	}
	if (p->nr_stacks >= PROFILE_MAX_STACKS) {
		/* Full: counted, but as one stack of its own. */
		uint32_t more;
		p->truncated = true;
		more = symbol_id(p, "[more stacks]", 13, NULL, 0);
		if (more != UINT32_MAX && (n != 1 || ids[0] != more))
			add_stack(p, &more, 1, count);
		return;
	}
	ALLOC_GROW(p->stacks, p->nr_stacks + 1, p->alloc_stacks);
	ALLOC_GROW(p->frames, p->nr_frames + n, p->alloc_frames);
	memcpy(p->frames + p->nr_frames, ids, n * sizeof(*ids));
	p->stacks[p->nr_stacks] = (struct pstack){ p->nr_frames, n, count, h };
	p->nr_frames += n;
	p->slots[s] = (uint32_t)p->nr_stacks + 1;
	p->nr_stacks++;
}

void profile_add(struct profile *p, const char *comm, size_t comm_len,
		 const struct profile_frame *frames, size_t n, uint64_t count, double time)
{
	uint32_t ids[PROFILE_MAX_DEPTH];
	uint32_t k = 0;

	if (!count)
		return;
	p->samples += count;
	if (time >= 0) {
		if (p->first_time < 0 || time < p->first_time)
			p->first_time = time;
		if (time > p->last_time)
			p->last_time = time;
	}
	if (comm && comm_len) {
		uint32_t c = itab_id(&p->comms, comm, comm_len < 64 ? comm_len : 64, 100000);
		if (c != UINT32_MAX)
			p->comms.counts[c] += count;
	}
	for (size_t i = 0; i < n && k < PROFILE_MAX_DEPTH; i++) {
		uint32_t id = symbol_id(p, frames[i].func, frames[i].func_len, frames[i].module,
					frames[i].module_len);
		if (id == UINT32_MAX) {
			p->truncated = true;
			id = symbol_id(p, "[more symbols]", 14, NULL, 0);
			if (id == UINT32_MAX)
				continue;
		}
		ids[k++] = id;
	}
	if (!k)
		ids[k++] = symbol_id(p, "[unknown]", 9, NULL, 0);
	if (ids[0] == UINT32_MAX)
		return;
	add_stack(p, ids, k, count);
}

void profile_foreach_stack(const struct profile *p, profile_stack_fn fn, void *data)
{
	const char *funcs[PROFILE_MAX_DEPTH], *mods[PROFILE_MAX_DEPTH];

	for (size_t i = 0; i < p->nr_stacks; i++) {
		const struct pstack *st = &p->stacks[i];
		for (uint32_t k = 0; k < st->n; k++) {
			funcs[k] = sym_func(p, p->frames[st->off + k]);
			mods[k] = sym_module(p, p->frames[st->off + k]);
		}
		if (!fn(data, funcs, mods, st->n, st->count))
			return;
	}
}

/*
 * The slow paths a CPU spins in while another holds the lock: the qspinlock
 * slow path (kernel/locking/qspinlock.c, with its paravirt variants), the
 * _raw_* entry points that inline the fast path and its spin (where perf
 * puts the samples on kernels that inline the slow path), the rwlock slow
 * paths, and the old ticket-lock entry points.
 */
static const char *const spin_lock_funcs[] = {
	"native_queued_spin_lock_slowpath", "queued_spin_lock_slowpath",
	"__pv_queued_spin_lock_slowpath", "pv_queued_spin_lock_slowpath",
	"_raw_spin_lock", "_raw_spin_lock_*", "__raw_spin_lock*", "do_raw_spin_lock",
	"_raw_read_lock*", "_raw_write_lock*", "queued_read_lock_slowpath",
	"queued_write_lock_slowpath", "_spin_lock*", "__lock_text_start",
	"__spin_lock_debug", "raw_spin_lock*",
};

bool profile_is_spin_lock(const char *func)
{
	char base[256];

	if (!func)
		return false;
	frame_base_name(func, base, sizeof(base));
	for (size_t i = 0; i < ARRAY_SIZE(spin_lock_funcs); i++)
		if (!fnmatch(spin_lock_funcs[i], base, 0))
			return true;
	return false;
}

/* Where a CPU idles: samples there are not CPU anyone asked for. */
static const char *const idle_funcs[] = {
	"do_idle", "cpu_idle", "cpu_idle_loop", "cpu_startup_entry", "default_idle*",
	"arch_cpu_idle*", "cpuidle_enter*", "intel_idle*", "acpi_idle*", "mwait_idle*",
	"poll_idle", "safe_halt", "*_safe_halt", "cpu_idle_poll", "start_secondary",
	"rest_init", "secondary_startup_64*", "__cpuidle_text_start", "idle_cpu",
};

static bool is_idle(const char *func)
{
	char base[256];

	frame_base_name(func, base, sizeof(base));
	for (size_t i = 0; i < ARRAY_SIZE(idle_funcs); i++)
		if (!fnmatch(idle_funcs[i], base, 0))
			return true;
	return false;
}

/*
 * Where a timer-sampled profile piles up samples that belong to the code
 * around it: a sample taken while interrupts were off is delivered when
 * they are enabled again, so perf charges the enabling function (and the
 * paravirt thunks around it) for the whole interrupts-off section.
 */
static const char *const sampling_artifacts[] = {
	"*irq_enable*", "*irq_restore*", "*restore_fl*", "__raw_callee_save_*",
	"*_sti", "pvm_*", "xen_*_irq_*",
};

static bool is_artifact(const char *func)
{
	char base[256];

	frame_base_name(func, base, sizeof(base));
	for (size_t i = 0; i < ARRAY_SIZE(sampling_artifacts); i++)
		if (!fnmatch(sampling_artifacts[i], base, 0))
			return true;
	return false;
}

static bool meaningful(const char *func)
{
	return func && func[0] != '[' && !profile_is_spin_lock(func) &&
	       !generic_frame_is(func, KIND_PROFILE) && !is_artifact(func);
}

/* A site: a function samples are attributed to, per finding kind. */
struct site {
	uint32_t sym;
	uint64_t count;
	size_t best;			/* its heaviest stack */
	uint32_t at;			/* the site's frame in that stack */
	bool lock;
};

struct analysis {
	struct site *sites;
	size_t nr, alloc;
	uint32_t *index;		/* per symbol: site + 1, per kind */
	uint32_t *index_lock;
};

/*
 * A stack in a spin lock's slow path: a spin-lock frame near the innermost
 * end with only generic frames (pv_wait, the lock's own helpers) inside
 * it. Returns the index of the first meaningful frame above the lock (the
 * taker), or -1.
 */
static long lock_taker(const struct profile *p, const struct pstack *st)
{
	long lock = -1;

	for (uint32_t k = 0; k < st->n && k < 8; k++) {
		const char *f = sym_func(p, p->frames[st->off + k]);
		if (profile_is_spin_lock(f)) {
			lock = k;
			break;
		}
		if (meaningful(f))
			return -1;
	}
	if (lock < 0)
		return -1;
	for (uint32_t k = (uint32_t)lock + 1; k < st->n; k++)
		if (meaningful(sym_func(p, p->frames[st->off + k])))
			return k;
	return -1;
}

/* The system call entry: past it a stack is the caller's user space. */
static bool is_syscall_entry(const char *func)
{
	char base[256];

	frame_base_name(func, base, sizeof(base));
	return !fnmatch("entry_SYSCALL*", base, 0) || !fnmatch("do_syscall_*", base, 0) ||
	       !fnmatch("system_call*", base, 0) || !fnmatch("x64_sys_call", base, 0);
}

/*
 * The function a CPU-burning stack is charged to: its first meaningful
 * frame; a kernel stack made only of generic frames up to the system call
 * (vfs_read, ksys_read) is charged to its innermost frame, not to the libc
 * wrapper above the syscall.
 */
static long hot_frame(const struct profile *p, const struct pstack *st)
{
	long first_real = -1;

	for (uint32_t k = 0; k < st->n; k++) {
		const char *f = sym_func(p, p->frames[st->off + k]);
		if (is_idle(f))
			return -1;
		if (meaningful(f))
			return (long)k;
		if (is_syscall_entry(f))
			return first_real;
		if (first_real < 0 && f[0] != '[' && !is_artifact(f))
			first_real = (long)k;
	}
	return -1;
}

static void attribute(struct analysis *an, const struct profile *p, size_t si, long at,
		      bool lock)
{
	const struct pstack *st = &p->stacks[si];
	uint32_t sym = p->frames[st->off + (size_t)at];
	uint32_t *idx = lock ? an->index_lock : an->index;
	struct site *s;

	if (!idx[sym]) {
		ALLOC_GROW(an->sites, an->nr + 1, an->alloc);
		an->sites[an->nr] = (struct site){ sym, 0, si, (uint32_t)at, lock };
		idx[sym] = (uint32_t)++an->nr;
	}
	s = &an->sites[idx[sym] - 1];
	s->count += st->count;
	if (st->count > p->stacks[s->best].count) {
		s->best = si;
		s->at = (uint32_t)at;
	}
}

static int site_cmp(const void *a, const void *b)
{
	const struct site *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->sym < y->sym ? -1 : x->sym > y->sym;
}

/* Root-first function names of a stack (what people read as a call path). */
static void row_path(const struct profile *p, const struct pstack *st, struct profile_row *r)
{
	r->nr_path = st->n;
	r->path = xcalloc(st->n ? st->n : 1, sizeof(*r->path));
	for (uint32_t k = 0; k < st->n; k++)
		r->path[k] = xstrdup(sym_func(p, p->frames[st->off + st->n - 1 - k]));
}

struct ranked {
	uint32_t id;
	uint64_t count;
};

static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The top PROFILE_TOP of counts[0..n) (ids with a zero count left out). */
static size_t top_ids(const uint64_t *counts, size_t n, struct ranked *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (!counts[i])
			continue;
		if (k < PROFILE_TOP) {
			out[k++] = (struct ranked){ (uint32_t)i, counts[i] };
		} else if (counts[i] > out[k - 1].count) {
			out[k - 1] = (struct ranked){ (uint32_t)i, counts[i] };
		} else {
			continue;
		}
		qsort(out, k, sizeof(*out), ranked_cmp);
	}
	return k;
}

/* The tables every finding of the profile carries. */
static struct profile_summary *summarize(const struct profile *p, const struct analysis *an,
					 double threshold)
{
	struct profile_summary *ps = xcalloc(1, sizeof(*ps));
	struct ranked top[PROFILE_TOP];
	uint64_t *self = xcalloc(p->syms.nr ? p->syms.nr : 1, sizeof(*self));
	uint64_t *stack_counts = xcalloc(p->nr_stacks ? p->nr_stacks : 1, sizeof(*stack_counts));
	size_t k;

	ps->format = xstrdup(p->format);
	ps->event = p->event ? xstrdup(p->event) : NULL;
	ps->samples = profile_samples(p);
	ps->duration = p->first_time >= 0 && p->last_time > p->first_time ?
		       p->last_time - p->first_time : -1;
	ps->threshold = threshold;

	k = top_ids(p->comms.counts, p->comms.nr, top);
	ps->comms = xcalloc(k ? k : 1, sizeof(*ps->comms));
	for (size_t i = 0; i < k; i++) {
		ps->comms[i].name = xstrdup(p->comms.keys[top[i].id]);
		ps->comms[i].samples = top[i].count;
	}
	ps->nr_comms = k;

	for (size_t i = 0; i < p->nr_stacks; i++) {
		self[p->frames[p->stacks[i].off]] += p->stacks[i].count;
		stack_counts[i] = p->stacks[i].count;
	}
	k = top_ids(self, p->syms.nr, top);
	ps->self = xcalloc(k ? k : 1, sizeof(*ps->self));
	for (size_t i = 0; i < k; i++) {
		const char *m = sym_module(p, top[i].id);
		ps->self[i].name = xstrdup(sym_func(p, top[i].id));
		ps->self[i].module = m ? xstrdup(m) : NULL;
		ps->self[i].samples = top[i].count;
	}
	ps->nr_self = k;

	k = top_ids(stack_counts, p->nr_stacks, top);
	ps->paths = xcalloc(k ? k : 1, sizeof(*ps->paths));
	for (size_t i = 0; i < k; i++) {
		ps->paths[i].samples = top[i].count;
		row_path(p, &p->stacks[top[i].id], &ps->paths[i]);
	}
	ps->nr_paths = k;

	ps->contention = xcalloc(an->nr ? an->nr : 1, sizeof(*ps->contention));
	for (size_t i = 0; i < an->nr && ps->nr_contention < PROFILE_TOP; i++) {
		const struct site *s = &an->sites[i];
		struct profile_row *r;
		if (!s->lock)
			continue;
		r = &ps->contention[ps->nr_contention++];
		r->name = xstrdup(sym_func(p, s->sym));
		r->module = sym_module(p, s->sym) ? xstrdup(sym_module(p, s->sym)) : NULL;
		r->samples = s->count;
		row_path(p, &p->stacks[s->best], r);
	}
	free(self);
	free(stack_counts);
	return ps;
}

static struct profile_summary *summary_copy(const struct profile_summary *src)
{
	struct profile_summary *ps = xcalloc(1, sizeof(*ps));
	struct { struct profile_row **dst; const struct profile_row *src; size_t n; } t[4] = {
		{ &ps->comms, src->comms, src->nr_comms },
		{ &ps->self, src->self, src->nr_self },
		{ &ps->paths, src->paths, src->nr_paths },
		{ &ps->contention, src->contention, src->nr_contention },
	};

	*ps = *src;
	ps->format = xstrdup(src->format);
	ps->event = src->event ? xstrdup(src->event) : NULL;
	ps->finding = ps->func = NULL;
	for (int i = 0; i < 4; i++) {
		*t[i].dst = xcalloc(t[i].n ? t[i].n : 1, sizeof(**t[i].dst));
		for (size_t r = 0; r < t[i].n; r++) {
			const struct profile_row *s = &t[i].src[r];
			struct profile_row *d = &(*t[i].dst)[r];
			d->name = s->name ? xstrdup(s->name) : NULL;
			d->module = s->module ? xstrdup(s->module) : NULL;
			d->samples = s->samples;
			d->nr_path = s->nr_path;
			d->path = s->nr_path ? xcalloc(s->nr_path, sizeof(*d->path)) : NULL;
			for (size_t k = 0; k < s->nr_path; k++)
				d->path[k] = xstrdup(s->path[k]);
		}
	}
	return ps;
}

/* One record per finding: its stack, title, hash and the tables. */
static struct incident *finding_record(const struct profile *p, const struct site *s,
				       const struct profile_summary *tables, const char *path,
				       unsigned long lines)
{
	struct incident *inc = incident_new(KIND_PROFILE);
	const struct pstack *st = &p->stacks[s->best];
	struct stack *stk = incident_add_stack(inc, STACK_TASK);
	char fn[256], base[256], share[32];
	uint64_t h = FNV1A64_INIT;
	const char *kind = incident_kind_name(KIND_PROFILE);
	int named = 0;
	struct strbuf sb = STRBUF_INIT;
	double pct = 100.0 * (double)s->count / (double)profile_samples(p);

	for (uint32_t k = 0; k < st->n; k++) {
		struct frame *f = stack_add_frame(stk);
		const char *m = sym_module(p, p->frames[st->off + k]);
		f->func = xstrdup(sym_func(p, p->frames[st->off + k]));
		f->module = m ? xstrdup(m) : NULL;
		f->reliable = true;
	}
	generic_frame_clean_name(sym_func(p, s->sym), fn, sizeof(fn));
	strbuf_addf(&sb, "%s in %s", s->lock ? "lock contention" : "high CPU", fn);
	inc->title = strbuf_detach(&sb, NULL);
	/* Clustered like a crash: the function and its first meaningful callers. */
	h = fnv1a64(h, kind, strlen(kind));
	h = fnv1a64(h, "\n", 1);
	for (uint32_t k = s->at; k < st->n && named < HASH_FRAMES; k++) {
		const char *f = sym_func(p, p->frames[st->off + k]);
		if (k != s->at && !meaningful(f))
			continue;
		frame_base_name(f, base, sizeof(base));
		h = fnv1a64(h, base, strlen(base));
		h = fnv1a64(h, "\n", 1);
		named++;
	}
	snprintf(inc->hash, sizeof(inc->hash), "%016llx", (unsigned long long)h);
	inc->source.path = path;
	inc->source.line = 1;
	inc->source.end_line = lines ? lines : 1;
	inc->profile = summary_copy(tables);
	inc->profile->finding = xstrdup(s->lock ? "lock contention" : "high CPU");
	inc->profile->func = xstrdup(fn);
	inc->profile->finding_samples = s->count;
	inc->profile->fold = p;
	snprintf(share, sizeof(share), "%.1f%%", pct);
	incident_extra_str(inc, "share", share);
	incident_extra_num(inc, "samples", (long long)s->count);
	incident_extra_num(inc, "total_samples", (long long)profile_samples(p));
	strbuf_addf(&sb, "%s of %llu samples %s %s", share, (unsigned long long)profile_samples(p),
		    s->lock ? "spin on a lock taken in" : "in", fn);
	incident_extra_str(inc, "summary", sb.buf);
	strbuf_release(&sb);
	return inc;
}

size_t profile_findings(const struct profile *p, double threshold, const char *path,
			unsigned long lines, void (*add)(void *data, struct incident *inc),
			void *data)
{
	struct analysis an = { NULL, 0, 0, NULL, NULL };
	struct profile_summary *tables;
	size_t made = 0;

	if (threshold <= 0)
		threshold = PROFILE_THRESHOLD_DEFAULT;
	if (!p->samples)
		return 0;
	an.index = xcalloc(p->syms.nr ? p->syms.nr : 1, sizeof(*an.index));
	an.index_lock = xcalloc(p->syms.nr ? p->syms.nr : 1, sizeof(*an.index_lock));
	for (size_t i = 0; i < p->nr_stacks; i++) {
		long at = lock_taker(p, &p->stacks[i]);
		if (at >= 0)
			attribute(&an, p, i, at, true);
		else if ((at = hot_frame(p, &p->stacks[i])) >= 0)
			attribute(&an, p, i, at, false);
	}
	if (an.nr)
		qsort(an.sites, an.nr, sizeof(*an.sites), site_cmp);
	tables = summarize(p, &an, threshold);
	for (size_t i = 0; i < an.nr && made < PROFILE_MAX_FINDINGS; i++) {
		if (100.0 * (double)an.sites[i].count < threshold * (double)profile_samples(p))
			break;
		add(data, finding_record(p, &an.sites[i], tables, path, lines));
		made++;
	}
	profile_summary_free(tables);
	free(an.sites);
	free(an.index);
	free(an.index_lock);
	return made;
}
