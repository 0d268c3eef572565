/* Unit tests for flood grouping: partitions, hosts, gaps and output order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(partitions_by_stack),
		cmocka_unit_test(hosts_and_gaps),
		cmocka_unit_test(input_order_kept),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
