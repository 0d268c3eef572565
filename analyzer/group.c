#include "group.h"
#include "frame.h"
#include "title.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct flood {
	char *host;
	struct incident **incs;
	size_t nr, alloc;
	bool closed;
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
	       k == KIND_HARD_LOCKUP;
}

static bool same_host(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Normalised stack: kind and every reliable function name, suffixes dropped. */
static void stack_key(const struct incident *inc, struct strbuf *key)
{
	char base[256];

	strbuf_reset(key);
	strbuf_addstr(key, incident_kind_name(inc->kind));
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

/*
 * "N tasks in D state blocked in copy_net_ns ← mutex_lock": the meaningful
 * frame and the one printed just above it (the primitive it waits in).
 */
static void summarize(const struct incident *rep, size_t count, struct strbuf *out)
{
	const struct frame *mf[1];
	const char *above = NULL;
	char fn[256];

	strbuf_reset(out);
	if (rep->kind == KIND_HUNG_TASK)
		strbuf_addf(out, "%zu task%s%s%s%s blocked", count, count == 1 ? "" : "s",
			    rep->task.state ? " in " : "", rep->task.state ? rep->task.state : "",
			    rep->task.state ? " state" : "");
	else if (rep->kind == KIND_RCU_STALL)
		strbuf_addf(out, "%zu RCU stall%s", count, count == 1 ? "" : "s");
	else
		strbuf_addf(out, "%zu CPU%s stuck", count, count == 1 ? "" : "s");
	if (!title_meaningful_frames(rep, mf, 1)) {
		strbuf_addstr(out, " (no meaningful frame)");
		return;
	}
	title_clean_func(mf[0]->func, fn, sizeof(fn));
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

/* Emit a closed flood: one record per distinct normalised stack. */
static void emit_flood(struct grouper *g, struct flood *f)
{
	struct strbuf key = STRBUF_INIT, other = STRBUF_INIT, sum = STRBUF_INIT;
	char flood_id[300];

	if (f->nr == 1) {
		g->fn(g->data, f->incs[0]);
		goto out;
	}
	if (f->host)
		snprintf(flood_id, sizeof(flood_id), "%s:%lu", f->host, f->incs[0]->source.line);
	else
		snprintf(flood_id, sizeof(flood_id), "%lu", f->incs[0]->source.line);
	for (size_t i = 0; i < f->nr; i++) {
		struct incident *rep = f->incs[i];
		size_t count = 0;

		if (!rep)
			continue;
		stack_key(rep, &key);
		for (size_t j = i; j < f->nr; j++) {
			if (!f->incs[j])
				continue;
			if (j != i) {
				stack_key(f->incs[j], &other);
				if (strcmp(key.buf, other.buf))
					continue;
			}
			add_member(rep, f->incs[j]);
			if (f->incs[j]->source.end_line > rep->source.end_line && j != i)
				rep->source.end_line = f->incs[j]->source.end_line;
			if (j != i) {
				incident_free(f->incs[j]);
				f->incs[j] = NULL;
			}
			count++;
		}
		incident_extra_num(rep, "count", (long long)count);
		incident_extra_str(rep, "flood", flood_id);
		incident_extra_num(rep, "flood_size", (long long)f->nr);
		summarize(rep, count, &sum);
		incident_extra_str(rep, "summary", sum.buf);
		f->incs[i] = NULL;
		g->fn(g->data, rep);
	}
out:
	strbuf_release(&key);
	strbuf_release(&other);
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
