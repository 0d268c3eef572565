/*
** sigscan: one log against a signature database (see sigscan.h).
*/
#include "sigscan.h"
#include "group.h"
#include "scan.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/*
 * Evaluations wait for grouping keyed by their incident: a flood's record
 * is the struct of its first report, members are freed. An address freed
 * and given to a later incident is replaced when that one is annotated.
 */
struct pending_eval {
	const struct incident *inc;
	struct sig_evaluation *ev;
};

struct sigscan_state {
	const struct sigscan_options *o;
	sigscan_fn fn;
	void *data;
	struct grouper *grouper;
	struct pending_eval *pend;
	size_t nr_pend, alloc_pend;
	struct sigscan_stats *stats;
	/* The scan's add() during boot_records(). */
	void (*add)(void *scan, struct incident *inc);
	void *scan;
};

static struct sig_evaluation *take_eval(struct sigscan_state *st, const struct incident *inc)
{
	for (size_t i = 0; i < st->nr_pend; i++)
		if (st->pend[i].inc == inc) {
			struct sig_evaluation *ev = st->pend[i].ev;
			st->pend[i] = st->pend[--st->nr_pend];
			return ev;
		}
	return NULL;
}

static void annotate(void *data, struct incident *inc, const struct boot_context *ctx)
{
	struct sigscan_state *st = data;
	struct sig_evaluation *ev, *old;

	sigdb_match_incident(st->o->db, inc, ctx);
	if (!st->o->explain)
		return;
	sigdb_explain(st->o->db, inc, ctx, &ev);
	old = take_eval(st, inc);
	sigdb_evaluations_free(old, sigdb_size(st->o->db));
	ALLOC_GROW(st->pend, st->nr_pend + 1, st->alloc_pend);
	st->pend[st->nr_pend].inc = inc;
	st->pend[st->nr_pend].ev = ev;
	st->nr_pend++;
}

/* A condition record is not annotated: no stale evaluation may take its address. */
static void add_condition(void *data, struct incident *inc)
{
	struct sigscan_state *st = data;

	sigdb_evaluations_free(take_eval(st, inc), sigdb_size(st->o->db));
	st->add(st->scan, inc);
}

static void boot_records(void *data, const struct boot_context *ctx,
			 void (*add)(void *scan, struct incident *inc), void *scan)
{
	struct sigscan_state *st = data;

	st->add = add;
	st->scan = scan;
	sigdb_match_boot(st->o->db, ctx, add_condition, st);
}

static void boot_end(void *data, const struct boot_context *ctx)
{
	struct sigscan_state *st = data;

	if (ctx->release)
		st->stats->boots++;
}

static void deliver(void *data, struct incident *inc)
{
	struct sigscan_state *st = data;
	struct sig_evaluation *ev = st->o->explain ? take_eval(st, inc) : NULL;

	sigdb_settle(st->o->db, inc);
	if (ev)
		sigdb_explain_settle(st->o->db, inc, ev);
	st->stats->incidents++;
	st->fn(st->data, inc, ev);
}

static void group_or_deliver(void *data, struct incident *inc)
{
	struct sigscan_state *st = data;

	if (st->grouper)
		grouper_add(st->grouper, inc);
	else
		deliver(st, inc);
}

int sigscan_file(const char *path, const struct sigscan_options *o, sigscan_fn fn, void *data,
		 struct sigscan_stats *stats)
{
	struct sigscan_state st = { o, fn, data, NULL, NULL, 0, 0, stats, NULL, NULL };
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { group_or_deliver, boot_end, &st, NULL };
	struct scan_stats ss;
	int ret;

	memset(stats, 0, sizeof(*stats));
	opts.host = o->host;
	opts.annotate = annotate;
	opts.boot_records = boot_records;
	opts.annotate_data = &st;
	if (!o->no_group)
		st.grouper = grouper_new(deliver, &st);
	ret = scan_input(path, &opts, &hooks, &ss);
	grouper_finish(st.grouper);
	stats->lines = ss.lines;
	scan_stats_release(&ss);
	for (size_t i = 0; i < st.nr_pend; i++)
		sigdb_evaluations_free(st.pend[i].ev, sigdb_size(o->db));
	free(st.pend);
	return ret;
}
