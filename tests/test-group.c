/* Unit tests for flood grouping: partitions, hosts, gaps and output order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "group.h"
#include "title.h"
#include "util.h"

struct out {
	struct incident *inc[16];
	size_t n;
};

static void take(void *data, struct incident *inc)
{
	struct out *o = data;

	assert_true(o->n < 16);
	o->inc[o->n++] = inc;
}

/* A hung task blocked in `where` (under mutex_lock), at kernel time t. */
static struct incident *hung(const char *host, const char *comm, long long pid,
			     const char *where, double t, unsigned long line)
{
	struct incident *inc = incident_new(KIND_HUNG_TASK);
	struct stack *st = incident_add_stack(inc, STACK_TASK);
	const char *funcs[] = { "schedule", "mutex_lock", where, "do_syscall_64" };

	inc->host = host ? xstrdup(host) : NULL;
	inc->task.comm = xstrdup(comm);
	inc->task.pid = pid;
	inc->task.state = xstrdup("D");
	inc->ktime = t;
	inc->has_ktime = true;
	inc->source.line = inc->source.end_line = line;
	for (size_t i = 0; i < ARRAY_SIZE(funcs); i++)
		stack_add_frame(st)->func = xstrdup(funcs[i]);
	title_assign(inc);
	return inc;
}

static struct incident *other(const char *host, unsigned long line)
{
	struct incident *inc = incident_new(KIND_TCP_MEM);

	inc->host = host ? xstrdup(host) : NULL;
	inc->source.line = line;
	strbuf_addstr(&inc->text, "TCP: out of memory -- consider tuning tcp_mem\n");
	title_assign(inc);
	return inc;
}

static long long num(const struct incident *inc, const char *k)
{
	const struct extra *e = incident_extra(inc, k);
	return e ? e->num : -1;
}

static const char *str(const struct incident *inc, const char *k)
{
	const struct extra *e = incident_extra(inc, k);
	return e && e->str ? e->str : "";
}

static void free_out(struct out *o)
{
	for (size_t i = 0; i < o->n; i++)
		incident_free(o->inc[i]);
}

static void partitions_by_stack(void **state)
{
	struct out o = { { 0 }, 0 };
	struct grouper *g = grouper_new(take, &o);

	(void)state;
	for (int i = 0; i < 37; i++)
		grouper_add(g, hung("h1", "ip", 1000 + i, "copy_net_ns", 10.0 + i * 0.01, 1 + i * 10));
	grouper_add(g, hung("h1", "kworker/u97:2", 41233, "cleanup_net", 11.0, 400));
	grouper_finish(g);
	assert_int_equal(o.n, 2);
	assert_int_equal(o.inc[0]->nr_members, 37);
	assert_int_equal(num(o.inc[0], "count"), 37);
	assert_int_equal(num(o.inc[0], "flood_size"), 38);
	assert_string_equal(str(o.inc[0], "summary"),
			    "37 tasks in D state blocked in copy_net_ns \xe2\x86\x90 mutex_lock");
	assert_int_equal(o.inc[0]->members[36].pid, 1036);
	assert_string_equal(str(o.inc[0], "flood"), "h1:1");
	assert_string_equal(str(o.inc[1], "flood"), "h1:1");
	assert_int_equal(num(o.inc[1], "count"), 1);
	free_out(&o);
}

static void hosts_and_gaps(void **state)
{
	struct out o = { { 0 }, 0 };
	struct grouper *g = grouper_new(take, &o);

	(void)state;
	grouper_add(g, hung("a", "ip", 1, "copy_net_ns", 10.0, 1));
	grouper_add(g, hung("b", "ip", 2, "copy_net_ns", 10.0, 2));
	grouper_add(g, hung("a", "ip", 3, "copy_net_ns", 10.5, 3));
	/* Same host, 500 s later: a new flood. */
	grouper_add(g, hung("a", "ip", 4, "copy_net_ns", 510.0, 4));
	grouper_finish(g);
	assert_int_equal(o.n, 3);
	assert_string_equal(o.inc[0]->host, "a");
	assert_int_equal(o.inc[0]->nr_members, 2);
	assert_string_equal(o.inc[1]->host, "b");
	assert_int_equal(o.inc[1]->nr_members, 0);	/* a flood of one stays as is */
	assert_int_equal(o.inc[2]->task.pid, 4);
	assert_int_equal(o.inc[2]->nr_members, 0);
	free_out(&o);
}

static void input_order_kept(void **state)
{
	struct out o = { { 0 }, 0 };
	struct grouper *g = grouper_new(take, &o);

	(void)state;
	grouper_add(g, hung("a", "ip", 1, "copy_net_ns", 10.0, 1));
	grouper_add(g, other("b", 2));		/* waits behind host a's open flood */
	grouper_add(g, hung("a", "ip", 3, "copy_net_ns", 10.1, 3));
	assert_int_equal(o.n, 0);
	grouper_add(g, other("a", 4));		/* closes host a's flood */
	assert_int_equal(o.n, 3);
	grouper_finish(g);
	assert_int_equal(o.n, 3);
	assert_int_equal(o.inc[0]->kind, KIND_HUNG_TASK);
	assert_int_equal(o.inc[0]->nr_members, 2);
	assert_string_equal(o.inc[1]->host, "b");
	assert_int_equal(o.inc[2]->source.line, 4);
	free_out(&o);
}

/* A flood of any length: the first and last members, the rest counted. */
static void flood_bounded(void **state)
{
	struct out o = { { 0 }, 0 };
	struct grouper *g = grouper_new(take, &o);
	const unsigned n = 5000;

	(void)state;
	for (unsigned i = 0; i < n; i++)
		grouper_add(g, hung("h", "ip", 1000 + i, "copy_net_ns", 10.0 + i * 0.01, 1 + i));
	grouper_finish(g);
	assert_int_equal(o.n, 1);
	assert_int_equal(num(o.inc[0], "count"), n);
	assert_int_equal(num(o.inc[0], "flood_size"), n);
	assert_int_equal(o.inc[0]->nr_members, GROUP_MEMBERS_HEAD + GROUP_MEMBERS_TAIL);
	assert_int_equal(num(o.inc[0], "members_omitted"),
			 n - GROUP_MEMBERS_HEAD - GROUP_MEMBERS_TAIL);
	assert_int_equal(o.inc[0]->members[0].pid, 1000);
	assert_int_equal(o.inc[0]->members[GROUP_MEMBERS_HEAD - 1].pid, 1000 + GROUP_MEMBERS_HEAD - 1);
	assert_int_equal(o.inc[0]->members[GROUP_MEMBERS_HEAD].pid,
			 1000 + n - GROUP_MEMBERS_TAIL);
	assert_int_equal(o.inc[0]->members[o.inc[0]->nr_members - 1].pid, 1000 + n - 1);
	assert_int_equal(num(o.inc[0], "last_line"), n);
	assert_string_equal(str(o.inc[0], "last_time"), "59.990000");
	assert_int_equal(o.inc[0]->source.end_line, n);
	free_out(&o);
}

struct tally {
	unsigned long reports, records, last_line;
	long long last_count;
};

static void count_records(void *data, struct incident *inc)
{
	struct tally *t = data;
	long long c = num(inc, "count");

	t->reports += c > 0 ? (unsigned long)c : 1;
	t->records++;
	t->last_line = inc->source.line;
	t->last_count = c;
	incident_free(inc);
}

/* Distinct stacks past GROUP_MAX_STACKS: the flood closes and goes on. */
static void flood_too_many_stacks(void **state)
{
	struct tally t = { 0, 0, 0, 0 };
	struct grouper *g = grouper_new(count_records, &t);
	char where[32];

	(void)state;
	for (unsigned i = 0; i < GROUP_MAX_STACKS + 1; i++) {
		snprintf(where, sizeof(where), "f%u", i);
		grouper_add(g, hung("h", "ip", i, where, 10.0, 1 + i));
	}
	assert_int_equal(t.records, GROUP_MAX_STACKS);	/* the first flood, closed */
	grouper_finish(g);
	assert_int_equal(t.reports, GROUP_MAX_STACKS + 1);
	/* the last report began a flood of its own (of one: no count) */
	assert_int_equal(t.last_line, GROUP_MAX_STACKS + 1);
	assert_int_equal(t.last_count, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partitions_by_stack),
		cmocka_unit_test(hosts_and_gaps),
		cmocka_unit_test(input_order_kept),
		cmocka_unit_test(flood_bounded),
		cmocka_unit_test(flood_too_many_stacks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
