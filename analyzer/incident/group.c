#include "group.h"
#include "generic_frames.h"
#include "frame.h"
#include "locks.h"
#include "title.h"
#include "util.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct flood {
	char *host;
	struct incident **incs;
	size_t nr, alloc;
	bool closed;
	/* A held-locks record printed right after the flood (sysrq-d after
	   sysrq-w): borrowed, it is queued behind the flood. */
	const struct incident *locks;
};

/* The emit queue: an incident, or a flood that emits its groups when closed. */
struct queued {
	struct incident *inc;
	struct flood *flood;
};

struct grouper {
	group_emit_fn fn;
	void *data;
	struct queued *q;
	size_t head, nr, alloc;
	struct flood **open;		/* at most one open flood per host */
	size_t nr_open, alloc_open;
};

struct grouper *grouper_new(group_emit_fn fn, void *data)
{
	struct grouper *g = xcalloc(1, sizeof(*g));

	g->fn = fn;
	g->data = data;
	return g;
}

static bool groupable(enum incident_kind k)
{
	return k == KIND_HUNG_TASK || k == KIND_SOFT_LOCKUP || k == KIND_RCU_STALL ||
	       k == KIND_HARD_LOCKUP || k == KIND_SYSRQ_TASKS || k == KIND_SYSRQ_CPUS;
}

static bool same_host(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/*
 * Normalised stack: kind, the state of a dumped task (a dump shows running
 * and sleeping tasks; only a hung-task flood is all D), and every reliable
 * function name, suffixes dropped.
 */
static void stack_key(const struct incident *inc, struct strbuf *key)
{
	char base[256];

	strbuf_reset(key);
	strbuf_addstr(key, incident_kind_name(inc->kind));
	if (inc->kind == KIND_SYSRQ_TASKS || inc->kind == KIND_SYSRQ_CPUS)
		strbuf_addf(key, "|%s", inc->task.state ? inc->task.state : "");
	if (inc->has_ip && inc->ip.func) {
		frame_base_name(inc->ip.func, base, sizeof(base));
		strbuf_addf(key, "|%s", base);
	}
	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t i = 0; i < inc->stacks[s].nr; i++) {
			const struct frame *f = &inc->stacks[s].frames[i];
			if (!f->reliable || !f->func)
				continue;
			frame_base_name(f->func, base, sizeof(base));
			strbuf_addf(key, "|%s", base);
		}
}

static const char *task_state_word(const char *st)
{
	if (!st)
		return NULL;
	if (!strcmp(st, "D"))
		return "blocked";
	if (!strcmp(st, "R"))
		return "running";
	if (!strcmp(st, "S"))
		return "sleeping";
	if (!strcmp(st, "I"))
		return "idle";
	return NULL;
}

/*
 * "N tasks in D state blocked in copy_net_ns ← mutex_lock": the meaningful
 * frame and the one printed just above it (the primitive it waits in).
 */
static void summarize(const struct incident *rep, size_t count, struct strbuf *out)
{
	const struct frame *mf[1];
	const char *above = NULL, *st = rep->task.state;
	char fn[256];

	strbuf_reset(out);
	if (rep->kind == KIND_HUNG_TASK)
		strbuf_addf(out, "%zu task%s%s%s%s blocked", count, count == 1 ? "" : "s",
			    st ? " in " : "", st ? st : "", st ? " state" : "");
	else if (rep->kind == KIND_SYSRQ_TASKS)
		strbuf_addf(out, "%zu task%s%s%s%s %s", count, count == 1 ? "" : "s",
			    st ? " in " : "", st ? st : "", st ? " state" : "",
			    task_state_word(st) ? task_state_word(st) : "shown");
	else if (rep->kind == KIND_SYSRQ_CPUS)
		strbuf_addf(out, "%zu CPU%s %s", count, count == 1 ? "" : "s",
			    st && !strcmp(st, "idle") ? "idle" : "running");
	else if (rep->kind == KIND_RCU_STALL)
		strbuf_addf(out, "%zu RCU stall%s", count, count == 1 ? "" : "s");
	else
		strbuf_addf(out, "%zu CPU%s stuck", count, count == 1 ? "" : "s");
	if (!meaningful_frames(rep, mf, 1)) {
		if (rep->kind != KIND_SYSRQ_TASKS && rep->kind != KIND_SYSRQ_CPUS)
			strbuf_addstr(out, " (no meaningful frame)");
		return;
	}
	generic_frame_clean_name(mf[0]->func, fn, sizeof(fn));
	strbuf_addf(out, " in %s", fn);
	/* The frame printed just above the meaningful one, or the ip. */
	if (mf[0] != &rep->ip) {
		for (size_t s = 0; s < rep->nr_stacks && !above; s++)
			for (size_t i = 0; i < rep->stacks[s].nr; i++)
				if (&rep->stacks[s].frames[i] == mf[0]) {
					for (size_t k = i; k-- > 0;)
						if (rep->stacks[s].frames[k].reliable &&
						    rep->stacks[s].frames[k].func) {
							above = rep->stacks[s].frames[k].func;
							break;
						}
					if (!above && rep->has_ip && rep->ip.func)
						above = rep->ip.func;
					break;
				}
	}
	if (above) {
		frame_base_name(above, fn, sizeof(fn));
		strbuf_addf(out, " \xe2\x86\x90 %s", fn);
	}
}

static void add_member(struct incident *rep, const struct incident *inc)
{
	struct incident_member *m = incident_add_member(rep);

	m->comm = inc->task.comm ? xstrdup(inc->task.comm) : NULL;
	m->pid = inc->task.pid;
	m->state = inc->task.state ? xstrdup(inc->task.state) : NULL;
	m->cpu = inc->task.cpu;
	m->line = inc->source.line;
}

/* The held-locks lists seen in and right after a flood, indexed by pid so
   that a dump of thousands of tasks resolves in n log n. */
struct lock_view {
	const struct task_locks *tables[64];
	size_t nr_tables[64];
	size_t nr;
	const struct task_locks **by_pid;	/* sorted by pid */
	size_t nr_by_pid;
};

static void lock_view_add(struct lock_view *lv, const struct incident *inc)
{
	if (inc && inc->nr_held && lv->nr < ARRAY_SIZE(lv->tables)) {
		lv->tables[lv->nr] = inc->held;
		lv->nr_tables[lv->nr++] = inc->nr_held;
	}
}

static int by_pid_cmp(const void *a, const void *b)
{
	const struct task_locks *x = *(const struct task_locks *const *)a;
	const struct task_locks *y = *(const struct task_locks *const *)b;

	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void lock_view_index(struct lock_view *lv)
{
	size_t n = 0;

	for (size_t t = 0; t < lv->nr; t++)
		n += lv->nr_tables[t];
	if (!n)
		return;
	lv->by_pid = xcalloc(n, sizeof(*lv->by_pid));
	for (size_t t = 0; t < lv->nr; t++)
		for (size_t k = 0; k < lv->nr_tables[t]; k++)
			lv->by_pid[lv->nr_by_pid++] = &lv->tables[t][k];
	/* a task in two lists (khungtaskd then sysrq-d): either one will do */
	qsort(lv->by_pid, lv->nr_by_pid, sizeof(*lv->by_pid), by_pid_cmp);
}

static const struct held_lock *lock_view_waited(const struct lock_view *lv, const char *comm,
						long long pid)
{
	const struct held_lock *l = NULL;

	if (pid >= 0 && lv->nr_by_pid) {
		size_t lo = 0, hi = lv->nr_by_pid;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (lv->by_pid[mid]->pid < pid)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < lv->nr_by_pid && lv->by_pid[lo]->pid == pid && lv->by_pid[lo]->nr)
			return &lv->by_pid[lo]->locks[lv->by_pid[lo]->nr - 1];
		return NULL;
	}
	for (size_t t = 0; t < lv->nr && !l; t++)
		l = locks_waited_for(lv->tables[t], lv->nr_tables[t], comm, pid);
	return l;
}

static bool member_of(void *data, const char *comm, long long pid)
{
	const struct incident *rep = data;

	if (!rep->nr_members)
		return (pid >= 0 && rep->task.pid == pid) ||
		       (pid < 0 && rep->task.comm && comm && !strcmp(rep->task.comm, comm));
	for (size_t i = 0; i < rep->nr_members; i++)
		if ((pid >= 0 && rep->members[i].pid == pid) ||
		    (pid < 0 && rep->members[i].comm && comm && !strcmp(rep->members[i].comm, comm)))
			return true;
	return false;
}

/*
 * Is the task asleep in a lock's slow path (as opposed to a completion, I/O
 * or an RCU barrier)? Only then is the last lock of its list the one it
 * waits for; otherwise that lock is merely held.
 */
static bool sleeps_on_lock(const struct incident *inc)
{
	static const char *const lock_waits[] = {
		"*mutex_lock*", "*down_read*", "*down_write*", "rwsem_down_*", "__down*",
		"*_slowlock*", "*rt_mutex*", "percpu_down_*", "*lock_sock*", "*mutex_lock",
	};
	char base[256];
	bool any_reliable = false;

	/* an unwinder that marks every frame "?" leaves nothing else to read */
	for (size_t s = 0; s < inc->nr_stacks && !any_reliable; s++)
		for (size_t i = 0; i < inc->stacks[s].nr && !any_reliable; i++)
			any_reliable = inc->stacks[s].frames[i].reliable;
	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t i = 0; i < inc->stacks[s].nr; i++) {
			const struct frame *f = &inc->stacks[s].frames[i];
			if ((any_reliable && !f->reliable) || !f->func)
				continue;
			frame_base_name(f->func, base, sizeof(base));
			for (size_t k = 0; k < ARRAY_SIZE(lock_waits); k++)
				if (!fnmatch(lock_waits[k], base, 0))
					return true;
			/* past the waiting primitives: the caller has been reached */
			if (!generic_frame_is(f->func, inc->kind))
				return false;
		}
	return false;
}

/*
 * Blocked tasks and the lockdep lists printed with them: each member gets
 * the lock it waits for, the record the lock most of them wait for
 * ("waiting_for") and who else holds it ("lock_holders"), so that a hung
 * group points at its holder.
 */
static void resolve_locks(struct incident *rep, const struct lock_view *lv,
			  struct strbuf *summary)
{
	const struct held_lock *best = NULL;
	size_t best_n = 0, holders;
	struct strbuf who = STRBUF_INIT;

	if (!lv->nr || (rep->kind != KIND_HUNG_TASK && rep->kind != KIND_SYSRQ_TASKS) ||
	    !sleeps_on_lock(rep))
		return;
	if (!rep->nr_members) {
		best = lock_view_waited(lv, rep->task.comm, rep->task.pid);
	} else {
		/* the lock most of them wait for: a majority vote, linear */
		for (size_t i = 0; i < rep->nr_members; i++) {
			struct incident_member *m = &rep->members[i];
			const struct held_lock *l = lock_view_waited(lv, m->comm, m->pid);
			if (!l)
				continue;
			m->lock = xstrdup(l->name);
			if (!best_n)
				best = l;
			if (best == l || !strcmp(best->name, l->name))
				best_n++;
			else
				best_n--;
		}
	}
	if (!best)
		return;
	incident_extra_str(rep, "waiting_for", best->name);
	holders = 0;
	for (size_t t = 0; t < lv->nr; t++) {
		if (holders)
			break;
		holders = locks_holders(lv->tables[t], lv->nr_tables[t], best, member_of, rep,
					&who);
	}
	if (holders)
		incident_extra_str(rep, "lock_holders", who.buf);
	if (summary) {
		strbuf_addf(summary, "; waiting for %s", best->name);
		if (holders)
			strbuf_addf(summary, " held by %s", who.buf);
	}
	strbuf_release(&who);
}

struct keyed {
	char *key;
	size_t index;
};

static int keyed_cmp(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * Emit a closed flood: one record per distinct normalised stack, in the
 * order of each stack's first report. Partitioning sorts the keys, so a
 * sysrq-t dump of many thousand tasks costs n log n, not n².
 */
static void emit_flood(struct grouper *g, struct flood *f)
{
	struct strbuf sum = STRBUF_INIT;
	struct keyed *keys = NULL;
	size_t *rep_of = NULL, *next = NULL, *tail = NULL;
	struct lock_view lv;
	char flood_id[300];

	memset(&lv, 0, sizeof(lv));
	for (size_t i = 0; i < f->nr; i++)
		lock_view_add(&lv, f->incs[i]);
	lock_view_add(&lv, f->locks);
	lock_view_index(&lv);
	if (f->nr == 1) {
		resolve_locks(f->incs[0], &lv, NULL);
		g->fn(g->data, f->incs[0]);
		goto out;
	}
	if (f->host)
		snprintf(flood_id, sizeof(flood_id), "%s:%lu", f->host, f->incs[0]->source.line);
	else
		snprintf(flood_id, sizeof(flood_id), "%lu", f->incs[0]->source.line);

	keys = xcalloc(f->nr, sizeof(*keys));
	rep_of = xcalloc(f->nr, sizeof(*rep_of));
	next = xcalloc(f->nr, sizeof(*next));
	tail = xcalloc(f->nr, sizeof(*tail));
	for (size_t i = 0; i < f->nr; i++) {
		struct strbuf key = STRBUF_INIT;
		stack_key(f->incs[i], &key);
		keys[i].key = strbuf_detach(&key, NULL);
		keys[i].index = i;
	}
	qsort(keys, f->nr, sizeof(*keys), keyed_cmp);
	/* each run of equal keys starts with its first report: the record */
	for (size_t k = 0; k < f->nr; k++) {
		size_t i = keys[k].index;
		rep_of[i] = k && !strcmp(keys[k].key, keys[k - 1].key) ?
			rep_of[keys[k - 1].index] : i;
	}
	/* members of each record in input order: a linked list through next[] */
	for (size_t i = 0; i < f->nr; i++) {
		size_t r = rep_of[i];
		next[i] = SIZE_MAX;
		if (r != i)
			next[tail[r]] = i;
		tail[r] = i;
	}
	for (size_t i = 0; i < f->nr; i++) {
		struct incident *rep = f->incs[i];
		size_t count = 0;

		if (rep_of[i] != i)
			continue;
		for (size_t j = i; j != SIZE_MAX; j = next[j]) {
			add_member(rep, f->incs[j]);
			if (f->incs[j]->source.end_line > rep->source.end_line)
				rep->source.end_line = f->incs[j]->source.end_line;
			count++;
		}
		incident_extra_num(rep, "count", (long long)count);
		incident_extra_str(rep, "flood", flood_id);
		incident_extra_num(rep, "flood_size", (long long)f->nr);
		summarize(rep, count, &sum);
		resolve_locks(rep, &lv, &sum);
		incident_extra_str(rep, "summary", sum.buf);
	}
	/*
	 * The lists stay with the record whose stack printed them; they are
	 * moved only now that every record's locks are resolved.
	 */
	for (size_t i = 0; i < f->nr; i++) {
		struct incident *inc = f->incs[i], *rep = f->incs[rep_of[i]];
		if (rep == inc || !inc->nr_held)
			continue;
		for (size_t t = 0; t < inc->nr_held; t++) {
			ALLOC_GROW(rep->held, rep->nr_held + 1, rep->alloc_held);
			rep->held[rep->nr_held++] = inc->held[t];
		}
		inc->nr_held = 0;
	}
	for (size_t i = 0; i < f->nr; i++) {
		if (rep_of[i] == i)
			g->fn(g->data, f->incs[i]);
		else
			incident_free(f->incs[i]);
		f->incs[i] = NULL;
	}
out:
	free(lv.by_pid);
	if (keys)
		for (size_t k = 0; k < f->nr; k++)
			free(keys[k].key);
	free(keys);
	free(rep_of);
	free(next);
	free(tail);
	strbuf_release(&sum);
	free(f->incs);
	free(f->host);
	free(f);
}

static void drain(struct grouper *g)
{
	while (g->head < g->nr) {
		struct queued *it = &g->q[g->head];
		if (it->flood) {
			if (!it->flood->closed)
				break;
			emit_flood(g, it->flood);
		} else {
			g->fn(g->data, it->inc);
		}
		g->head++;
	}
	if (g->head == g->nr)
		g->head = g->nr = 0;
}

static void enqueue(struct grouper *g, struct incident *inc, struct flood *f)
{
	if (g->head && g->head == g->nr)
		g->head = g->nr = 0;
	ALLOC_GROW(g->q, g->nr + 1, g->alloc);
	g->q[g->nr].inc = inc;
	g->q[g->nr].flood = f;
	g->nr++;
}

static void close_open(struct grouper *g, size_t i)
{
	g->open[i]->closed = true;
	g->open[i] = g->open[--g->nr_open];
}

static bool continues(const struct flood *f, const struct incident *inc)
{
	const struct incident *last = f->incs[f->nr - 1];

	if (last->has_ktime && inc->has_ktime)
		return inc->ktime >= last->ktime &&
		       inc->ktime - last->ktime <= GROUP_GAP_SECONDS;
	return inc->source.line - last->source.end_line <= GROUP_GAP_LINES;
}

void grouper_add(struct grouper *g, struct incident *inc)
{
	size_t i;

	for (i = 0; i < g->nr_open; i++)
		if (same_host(g->open[i]->host, inc->host))
			break;
	if (i < g->nr_open && (!groupable(inc->kind) || !continues(g->open[i], inc))) {
		if (inc->kind == KIND_SYSRQ_LOCKS && continues(g->open[i], inc))
			g->open[i]->locks = inc;
		close_open(g, i);
		i = g->nr_open;
	}
	if (!groupable(inc->kind)) {
		enqueue(g, inc, NULL);
		drain(g);
		return;
	}
	if (i == g->nr_open) {
		struct flood *f = xcalloc(1, sizeof(*f));
		f->host = inc->host ? xstrdup(inc->host) : NULL;
		ALLOC_GROW(g->open, g->nr_open + 1, g->alloc_open);
		g->open[g->nr_open++] = f;
		enqueue(g, NULL, f);
	}
	ALLOC_GROW(g->open[i]->incs, g->open[i]->nr + 1, g->open[i]->alloc);
	g->open[i]->incs[g->open[i]->nr++] = inc;
	drain(g);
}

void grouper_finish(struct grouper *g)
{
	if (!g)
		return;
	while (g->nr_open)
		close_open(g, 0);
	drain(g);
	free(g->q);
	free(g->open);
	free(g);
}
