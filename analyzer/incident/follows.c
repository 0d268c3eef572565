/*
** follows: link an incident to the earlier one it most likely follows from
** (rules and why in follows.h and README "First cause first").
*/
#include "follows.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What is kept of an earlier incident: enough to test the rules. */
struct seen {
	enum incident_kind kind;
	unsigned long line;
	char *title, *comm;
	long long pid;
	int cpu;
	double ktime;
	bool has_ktime, died;
};

struct host_state {
	char *host;			/* NULL: the input names none */
	unsigned long boot_line;
	struct seen ring[FOLLOWS_KEEP];	/* the latest incidents, oldest overwritten */
	size_t nr, next;
	/* The first incident of the boot that died without taint D: it set D.
	   Kept apart so that a long boot does not push it out of the ring. */
	struct seen setter;
	bool has_setter;
};

struct follows_tracker {
	struct host_state *hosts;
	size_t nr, alloc;
	/* Hosts by name: open addressing, 1 + index (0 empty), at most half full. */
	size_t *slots, nr_slots;
};

struct follows_tracker *follows_new(void)
{
	return xcalloc(1, sizeof(struct follows_tracker));
}

static void seen_release(struct seen *s)
{
	free(s->title);
	free(s->comm);
	memset(s, 0, sizeof(*s));
}

static void host_reset(struct host_state *h, unsigned long boot_line)
{
	for (size_t i = 0; i < h->nr; i++)
		seen_release(&h->ring[i]);
	seen_release(&h->setter);
	h->nr = h->next = 0;
	h->has_setter = false;
	h->boot_line = boot_line;
}

void follows_free(struct follows_tracker *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nr; i++) {
		host_reset(&t->hosts[i], 0);
		free(t->hosts[i].host);
	}
	free(t->hosts);
	free(t->slots);
	free(t);
}

static uint64_t host_hash(const char *host)
{
	return host ? fnv1a64(0xcbf29ce484222325ULL, host, strlen(host)) : 0;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void rehash(struct follows_tracker *t)
{
	size_t n = t->nr_slots ? t->nr_slots * 2 : 16;

	free(t->slots);
	t->slots = xcalloc(n, sizeof(*t->slots));
	t->nr_slots = n;
	for (size_t i = 0; i < t->nr; i++) {
		size_t s = host_hash(t->hosts[i].host) & (n - 1);
		while (t->slots[s])
			s = (s + 1) & (n - 1);
		t->slots[s] = i + 1;
	}
}

static struct host_state *host_for(struct follows_tracker *t, const char *host)
{
	size_t s;

	if (t->nr_slots) {
		for (s = host_hash(host) & (t->nr_slots - 1); t->slots[s];
		     s = (s + 1) & (t->nr_slots - 1))
			if (same_str(t->hosts[t->slots[s] - 1].host, host))
				return &t->hosts[t->slots[s] - 1];
	}
	ALLOC_GROW(t->hosts, t->nr + 1, t->alloc);
	memset(&t->hosts[t->nr], 0, sizeof(t->hosts[t->nr]));
	t->hosts[t->nr].host = host ? xstrdup(host) : NULL;
	t->nr++;
	if (2 * t->nr > t->nr_slots) {
		rehash(t);
	} else {
		for (s = host_hash(host) & (t->nr_slots - 1); t->slots[s];
		     s = (s + 1) & (t->nr_slots - 1))
			;
		t->slots[s] = t->nr;
	}
	return &t->hosts[t->nr - 1];
}

bool incident_died(const struct incident *inc)
{
	switch (inc->kind) {
	case KIND_OOPS: case KIND_GPF: case KIND_TRAP:
		return true;
	case KIND_BUG:
		if (inc->title && starts_with(inc->title, "kernel BUG"))
			return true;
		break;
	default:
		break;
	}
	/* __die() printed its "Oops: …" line: oops_end() follows it. */
	return incident_extra(inc, "oops") != NULL;
}

static bool tainted_d(const struct incident *inc)
{
	return inc->kernel.tainted && strchr(inc->kernel.tainted, 'D');
}

/* Latest first: the i-th most recent incident kept. */
static struct seen *nth_latest(struct host_state *h, size_t i)
{
	return i < h->nr ? &h->ring[(h->next + FOLLOWS_KEEP - 1 - i) % FOLLOWS_KEEP] : NULL;
}

static void link_to(struct incident *inc, const struct seen *s, const char *rule,
		    const char *reason)
{
	inc->follows.line = s->line;
	inc->follows.title = xstrdup(s->title ? s->title : "?");
	inc->follows.rule = rule;
	inc->follows.reason = xstrdup(reason);
}

/*
 * Panics that name their cause (the printers are in follows.h). origin
 * prefixes come from check_panic_on_warn()'s callers: __warn() says
 * "kernel", the sanitizers their own name.
 */
static const struct {
	const char *text;	/* in the panic message */
	enum incident_kind kind;	/* KIND_NONE: the latest that died */
} panic_causes[] = {
	{ "Fatal exception", KIND_NONE },
	{ "hung_task: blocked tasks", KIND_HUNG_TASK },
	{ "softlockup: hung tasks", KIND_SOFT_LOCKUP },
	{ "Hard LOCKUP", KIND_HARD_LOCKUP },
	{ "RCU Stall", KIND_RCU_STALL },
	{ "Out of memory", KIND_OOM },
	{ "System is deadlocked on memory", KIND_OOM },
	{ "kernel: panic_on_warn set", KIND_WARNING },
	{ "kernel: system warned too often", KIND_WARNING },
	{ "KASAN: panic_on_warn set", KIND_KASAN },
	{ "KFENCE: panic_on_warn set", KIND_KFENCE },
	{ "UBSAN: panic_on_warn set", KIND_UBSAN },
	{ "KCSAN: panic_on_warn set", KIND_KCSAN },
	{ "KMSAN: panic_on_warn set", KIND_KMSAN },
};

static bool rule_panic(struct host_state *h, struct incident *inc)
{
	const struct extra *msg = incident_extra(inc, "panic_message");
	char reason[160];

	if (inc->kind != KIND_PANIC || !msg || !msg->str)
		return false;
	for (size_t k = 0; k < sizeof(panic_causes) / sizeof(panic_causes[0]); k++) {
		if (!strstr(msg->str, panic_causes[k].text))
			continue;
		for (size_t i = 0; i < h->nr; i++) {
			struct seen *s = nth_latest(h, i);
			if (panic_causes[k].kind == KIND_NONE ? !s->died :
			    s->kind != panic_causes[k].kind)
				continue;
			snprintf(reason, sizeof(reason), "the panic says \"%s\"",
				 panic_causes[k].text);
			link_to(inc, s, "panic", reason);
			return true;
		}
		return false;
	}
	return false;
}

/* Does the incident wait for lock `name` (a member's or its own)? */
static bool waits_for(const struct incident *inc, const char *name)
{
	const struct extra *w = incident_extra(inc, "waiting_for");

	if (w && w->str && !strcmp(w->str, name))
		return true;
	for (size_t i = 0; i < inc->nr_members; i++)
		if (inc->members[i].lock && !strcmp(inc->members[i].lock, name))
			return true;
	return false;
}

static bool is_waiter(const struct incident *inc, const char *comm, long long pid)
{
	if (!inc->nr_members)
		return inc->task.pid == pid && same_str(inc->task.comm, comm);
	for (size_t i = 0; i < inc->nr_members; i++)
		if (inc->members[i].pid == pid && same_str(inc->members[i].comm, comm))
			return true;
	return false;
}

static const struct seen *task_seen(struct host_state *h, const char *comm, long long pid)
{
	for (size_t i = 0; i < h->nr; i++) {
		const struct seen *s = nth_latest(h, i);
		if (s->pid == pid && same_str(s->comm, comm))
			return s;
	}
	if (h->has_setter && h->setter.pid == pid && same_str(h->setter.comm, comm))
		return &h->setter;
	return NULL;
}

/* A holder of a lock the incident waits for is the task of an earlier one. */
static bool rule_lock(struct host_state *h, struct incident *inc)
{
	char reason[256];

	for (size_t t = 0; t < inc->nr_held; t++) {
		const struct task_locks *tl = &inc->held[t];
		const struct seen *s;

		if (tl->pid <= 0 || is_waiter(inc, tl->comm, tl->pid))
			continue;
		for (size_t k = 0; k < tl->nr; k++) {
			if (!tl->locks[k].name || !waits_for(inc, tl->locks[k].name))
				continue;
			if (!(s = task_seen(h, tl->comm, tl->pid)))
				break;
			snprintf(reason, sizeof(reason), "waits for %.80s held by %.40s/%lld",
				 tl->locks[k].name, tl->comm ? tl->comm : "?", tl->pid);
			link_to(inc, s, "lock", reason);
			return true;
		}
	}
	return false;
}

static bool within_window(const struct seen *s, const struct incident *inc, double *gap)
{
	if (!s->has_ktime || !inc->has_ktime)
		return false;
	*gap = inc->ktime - s->ktime;
	return *gap >= 0 && *gap <= FOLLOWS_WINDOW;
}

static bool rule_task(struct host_state *h, struct incident *inc)
{
	char reason[160];
	double gap;

	if (inc->task.pid <= 0 || !inc->task.comm)
		return false;
	for (size_t i = 0; i < h->nr; i++) {
		const struct seen *s = nth_latest(h, i);
		if (s->pid != inc->task.pid || !same_str(s->comm, inc->task.comm))
			continue;
		if (!within_window(s, inc, &gap))
			return false;
		snprintf(reason, sizeof(reason), "same task %.40s/%lld, %.1f s later",
			 inc->task.comm, inc->task.pid, gap);
		link_to(inc, s, "task", reason);
		return true;
	}
	return false;
}

static bool rule_taint(struct host_state *h, struct incident *inc)
{
	if (!h->has_setter || !tainted_d(inc))
		return false;
	link_to(inc, &h->setter, "taint", "tainted D (died) since this one");
	return true;
}

static bool rule_cpu(struct host_state *h, struct incident *inc)
{
	char reason[160];
	double gap;

	if (inc->task.cpu < 0 || (inc->kind != KIND_SOFT_LOCKUP && inc->kind != KIND_HARD_LOCKUP &&
				  inc->kind != KIND_RCU_STALL))
		return false;
	for (size_t i = 0; i < h->nr; i++) {
		const struct seen *s = nth_latest(h, i);
		if (!s->died || s->cpu != inc->task.cpu || !within_window(s, inc, &gap))
			continue;
		snprintf(reason, sizeof(reason), "CPU %d, %.1f s after it died", s->cpu, gap);
		link_to(inc, s, "cpu", reason);
		return true;
	}
	return false;
}

static void seen_fill(struct seen *s, const struct incident *inc)
{
	s->kind = inc->kind;
	s->line = inc->source.line;
	s->title = inc->title ? xstrdup(inc->title) : NULL;
	s->comm = inc->task.comm ? xstrdup(inc->task.comm) : NULL;
	s->pid = inc->task.pid;
	s->cpu = inc->task.cpu;
	s->ktime = inc->ktime;
	s->has_ktime = inc->has_ktime;
	s->died = incident_died(inc);
}

void follows_link(struct follows_tracker *t, struct incident *inc)
{
	struct host_state *h;

	if (!inc->boot_line || inc->kind == KIND_CONDITION || inc->kind == KIND_REBOOT)
		return;
	h = host_for(t, inc->host);
	if (h->boot_line != inc->boot_line)
		host_reset(h, inc->boot_line);
	if (!inc->follows.line)
		(void)(rule_panic(h, inc) || rule_lock(h, inc) || rule_task(h, inc) ||
		       rule_taint(h, inc) || rule_cpu(h, inc));
	if (!h->has_setter && incident_died(inc) && inc->kernel.tainted && !tainted_d(inc)) {
		seen_fill(&h->setter, inc);
		h->has_setter = true;
	}
	if (h->nr == FOLLOWS_KEEP)
		seen_release(&h->ring[h->next]);
	else
		h->nr++;
	seen_fill(&h->ring[h->next], inc);
	h->next = (h->next + 1) % FOLLOWS_KEEP;
}
