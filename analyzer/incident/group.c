#include "group.h"
#include "generic_frames.h"
#include "frame.h"
#include "locks.h"
#include "title.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One distinct normalised stack of a flood: its first report in full (the
 * record), and of the others only what a record shows of them — the first
 * GROUP_MEMBERS_HEAD and the last GROUP_MEMBERS_TAIL members, the count,
 * the last line and time. Memory per flood is bounded whatever its length.
 */
struct partition {
	char *key;
	uint64_t key_hash;		/* compared first */
	struct incident *rep;
	struct incident_member *head;	/* the first members, rep's own first */
	size_t nr_head, alloc_head;
	struct incident_member tail[GROUP_MEMBERS_TAIL];	/* a ring */
	size_t nr_tail, tail_next;
	size_t count;
	unsigned long last_line;
	double last_ktime;
	bool last_has_ktime;
};

struct flood {
	char *host;
	struct partition *parts;	/* in the order of each stack's first report */
	size_t nr_parts, alloc_parts;
	size_t size;			/* reports in the flood */
	size_t rep_bytes;		/* text of the reports kept in full */
	unsigned long first_line;
	/* The last report, for continues(). */
	double last_ktime;
	bool last_has_ktime;
	unsigned long last_line, last_end_line;
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
	       k == KIND_HARD_LOCKUP || k == KIND_SYSRQ_TASKS || k == KIND_SYSRQ_CPUS ||
	       k == KIND_PROC_STACK;
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
	/* "? " frames are the stack where every frame is printed so */
	bool unreliable_too = stacks_all_unreliable(inc);

	strbuf_reset(key);
	strbuf_addstr(key, incident_kind_name(inc->kind));
	if (inc->kind == KIND_SYSRQ_TASKS || inc->kind == KIND_SYSRQ_CPUS ||
	    inc->kind == KIND_PROC_STACK)
		strbuf_addf(key, "|%s", inc->task.state ? inc->task.state : "");
	if (inc->has_ip && inc->ip.func) {
		frame_base_name(inc->ip.func, base, sizeof(base));
		strbuf_addf(key, "|%s", base);
	}
	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t i = 0; i < inc->stacks[s].nr; i++) {
			const struct frame *f = &inc->stacks[s].frames[i];
			if ((!f->reliable && !unreliable_too) || !f->func)
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
	else if (rep->kind == KIND_SYSRQ_TASKS || rep->kind == KIND_PROC_STACK)
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
		if (rep->kind != KIND_SYSRQ_TASKS && rep->kind != KIND_SYSRQ_CPUS &&
		    rep->kind != KIND_PROC_STACK)
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
						if ((rep->stacks[s].frames[k].reliable ||
						     stacks_all_unreliable(rep)) &&
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

static void member_of_incident(struct incident_member *m, const struct incident *inc)
{
	memset(m, 0, sizeof(*m));
	m->comm = inc->task.comm ? xstrdup(inc->task.comm) : NULL;
	m->pid = inc->task.pid;
	m->state = inc->task.state ? xstrdup(inc->task.state) : NULL;
	m->cpu = inc->task.cpu;
	m->line = inc->source.line;
}

static void member_release(struct incident_member *m)
{
	free(m->comm);
	free(m->state);
	free(m->lock);
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
		"mutex_lock", "down_read", "down_write", "^rwsem_down_", "^__down",
		"_slowlock", "rt_mutex", "^percpu_down_", "lock_sock",
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
				if (frame_name_matches(lock_waits[k], base))
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

/* Move a partition's members into its record: head, then tail in order. */
static void move_members(struct partition *pt)
{
	struct incident *rep = pt->rep;

	for (size_t k = 0; k < pt->nr_head; k++)
		*incident_add_member(rep) = pt->head[k];
	for (size_t k = 0; k < pt->nr_tail; k++) {
		size_t at = (pt->tail_next + GROUP_MEMBERS_TAIL - pt->nr_tail + k) %
			    GROUP_MEMBERS_TAIL;
		*incident_add_member(rep) = pt->tail[at];
	}
	free(pt->head);
	pt->head = NULL;
	pt->nr_head = pt->nr_tail = 0;
}

/*
 * Emit a closed flood: one record per distinct normalised stack, in the
 * order of each stack's first report.
 */
static void emit_flood(struct grouper *g, struct flood *f)
{
	struct strbuf sum = STRBUF_INIT;
	struct lock_view lv;
	char flood_id[300];

	memset(&lv, 0, sizeof(lv));
	for (size_t i = 0; i < f->nr_parts; i++)
		lock_view_add(&lv, f->parts[i].rep);
	lock_view_add(&lv, f->locks);
	lock_view_index(&lv);
	if (f->size == 1) {
		for (size_t k = 0; k < f->parts[0].nr_head; k++)
			member_release(&f->parts[0].head[k]);
		f->parts[0].nr_head = 0;
		resolve_locks(f->parts[0].rep, &lv, NULL);
		g->fn(g->data, f->parts[0].rep);
		goto out;
	}
	if (f->host)
		snprintf(flood_id, sizeof(flood_id), "%s:%lu", f->host, f->first_line);
	else
		snprintf(flood_id, sizeof(flood_id), "%lu", f->first_line);
	for (size_t i = 0; i < f->nr_parts; i++) {
		struct partition *pt = &f->parts[i];
		struct incident *rep = pt->rep;
		size_t kept = pt->nr_head + pt->nr_tail;

		move_members(pt);
		incident_extra_num(rep, "count", (long long)pt->count);
		incident_extra_str(rep, "flood", flood_id);
		incident_extra_num(rep, "flood_size", (long long)f->size);
		/* the members listed say where the stack was seen, unless
		   some were only counted: then where and when it was last */
		if (pt->count > kept) {
			incident_extra_num(rep, "members_omitted", (long long)(pt->count - kept));
			incident_extra_num(rep, "last_line", (long long)pt->last_line);
			if (pt->last_has_ktime) {
				char buf[32];
				snprintf(buf, sizeof(buf), "%.6f", pt->last_ktime);
				incident_extra_str(rep, "last_time", buf);
			}
		}
		summarize(rep, pt->count, &sum);
		resolve_locks(rep, &lv, &sum);
		incident_extra_str(rep, "summary", sum.buf);
	}
	for (size_t i = 0; i < f->nr_parts; i++)
		g->fn(g->data, f->parts[i].rep);
out:
	free(lv.by_pid);
	strbuf_release(&sum);
	for (size_t i = 0; i < f->nr_parts; i++) {
		free(f->parts[i].key);
		free(f->parts[i].head);
	}
	free(f->parts);
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
	if (f->last_has_ktime && inc->has_ktime)
		return inc->ktime >= f->last_ktime &&
		       inc->ktime - f->last_ktime <= GROUP_GAP_SECONDS;
	return inc->source.line - f->last_end_line <= GROUP_GAP_LINES;
}

/*
 * A member past the first: counted, kept among the head or the tail, its
 * held-locks lists given to the record (only while the head fills: what a
 * record lists stays bounded), the report itself freed.
 */
static void partition_add(struct partition *pt, struct incident *inc)
{
	struct incident *rep = pt->rep;

	pt->count++;
	pt->last_line = inc->source.line;
	pt->last_ktime = inc->ktime;
	pt->last_has_ktime = inc->has_ktime;
	if (inc->source.end_line > rep->source.end_line)
		rep->source.end_line = inc->source.end_line;
	if (pt->nr_head < GROUP_MEMBERS_HEAD) {
		ALLOC_GROW(pt->head, pt->nr_head + 1, pt->alloc_head);
		member_of_incident(&pt->head[pt->nr_head++], inc);
		for (size_t t = 0; t < inc->nr_held; t++) {
			ALLOC_GROW(rep->held, rep->nr_held + 1, rep->alloc_held);
			rep->held[rep->nr_held++] = inc->held[t];
		}
		inc->nr_held = 0;
	} else {
		if (pt->nr_tail == GROUP_MEMBERS_TAIL)
			member_release(&pt->tail[pt->tail_next]);
		else
			pt->nr_tail++;
		member_of_incident(&pt->tail[pt->tail_next], inc);
		pt->tail_next = (pt->tail_next + 1) % GROUP_MEMBERS_TAIL;
	}
	incident_free(inc);
}

/*
 * Add a report to an open flood. False when the flood is full (a new
 * distinct stack past GROUP_MAX_STACKS, or the reports kept in full past
 * GROUP_MAX_BYTES): the caller closes it and starts the next.
 */
static bool flood_add(struct flood *f, struct incident *inc)
{
	struct strbuf key = STRBUF_INIT;
	struct partition *pt = NULL;

	uint64_t h;

	stack_key(inc, &key);
	h = fnv1a64(FNV1A64_INIT, key.buf, key.len);
	for (size_t i = 0; i < f->nr_parts && !pt; i++)
		if (f->parts[i].key_hash == h && !strcmp(f->parts[i].key, key.buf))
			pt = &f->parts[i];
	if (!pt && f->nr_parts &&
	    (f->nr_parts >= GROUP_MAX_STACKS || f->rep_bytes + inc->text.len > GROUP_MAX_BYTES)) {
		strbuf_release(&key);
		return false;
	}
	if (!f->size)
		f->first_line = inc->source.line;
	f->size++;
	f->last_ktime = inc->ktime;
	f->last_has_ktime = inc->has_ktime;
	f->last_line = inc->source.line;
	f->last_end_line = inc->source.end_line;
	if (pt) {
		strbuf_release(&key);
		partition_add(pt, inc);
		return true;
	}
	ALLOC_GROW(f->parts, f->nr_parts + 1, f->alloc_parts);
	pt = &f->parts[f->nr_parts++];
	memset(pt, 0, sizeof(*pt));
	pt->key = strbuf_detach(&key, NULL);
	pt->key_hash = h;
	pt->rep = inc;
	pt->count = 1;
	pt->last_line = inc->source.line;
	pt->last_ktime = inc->ktime;
	pt->last_has_ktime = inc->has_ktime;
	ALLOC_GROW(pt->head, 1, pt->alloc_head);
	member_of_incident(&pt->head[pt->nr_head++], inc);
	f->rep_bytes += inc->text.len;
	return true;
}

static struct flood *open_flood(struct grouper *g, const struct incident *inc)
{
	struct flood *f = xcalloc(1, sizeof(*f));

	f->host = inc->host ? xstrdup(inc->host) : NULL;
	ALLOC_GROW(g->open, g->nr_open + 1, g->alloc_open);
	g->open[g->nr_open++] = f;
	enqueue(g, NULL, f);
	return f;
}

/*
 * Records wait behind an open flood (input order); an endless flood on one
 * host must not hold another host's reports without bound: past
 * GROUP_QUEUE_MAX waiting, the flood at the front is closed (it goes on as
 * a new flood).
 */
static void bound_queue(struct grouper *g)
{
	struct flood *front;

	if (g->nr - g->head <= GROUP_QUEUE_MAX || !(front = g->q[g->head].flood))
		return;
	for (size_t i = 0; i < g->nr_open; i++)
		if (g->open[i] == front) {
			close_open(g, i);
			break;
		}
	drain(g);
}

void grouper_add(struct grouper *g, struct incident *inc)
{
	size_t i;

	/* Not a report (a boot's facts for the results database): keep its
	   place in the stream, close nothing. */
	if (inc->kind == KIND_NONE) {
		enqueue(g, inc, NULL);
		drain(g);
		return;
	}

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
		bound_queue(g);
		return;
	}
	if (i == g->nr_open)
		open_flood(g, inc);
	if (!flood_add(g->open[i], inc)) {
		close_open(g, i);
		flood_add(open_flood(g, inc), inc);
	}
	drain(g);
	bound_queue(g);
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
