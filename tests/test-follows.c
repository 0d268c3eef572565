/* Unit tests for follows.c: each rule links what it should and no more. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "follows.h"
#include "util.h"

static struct incident *mk(enum incident_kind kind, const char *host, unsigned long line,
			   unsigned long boot, double ktime, const char *comm, long long pid,
			   int cpu, const char *taint)
{
	struct incident *inc = incident_new(kind);

	inc->title = xstrdup(incident_kind_name(kind));
	inc->host = host ? xstrdup(host) : NULL;
	inc->source.line = line;
	inc->boot_line = boot;
	inc->ktime = ktime;
	inc->has_ktime = ktime >= 0;
	inc->task.comm = comm ? xstrdup(comm) : NULL;
	inc->task.pid = pid;
	inc->task.cpu = cpu;
	inc->kernel.tainted = taint ? xstrdup(taint) : NULL;
	return inc;
}

/* Link inc and return what it follows (0: nothing); frees inc. */
static unsigned long link(struct follows_tracker *t, struct incident *inc, const char **rule)
{
	unsigned long line;

	follows_link(t, inc);
	line = inc->follows.line;
	if (rule)
		*rule = inc->follows.rule;
	incident_free(inc);
	return line;
}

static struct incident *panic_with(const char *msg, unsigned long line, unsigned long boot)
{
	struct incident *p = mk(KIND_PANIC, "h", line, boot, 10, "swapper/0", 0, 0, "G D");
	incident_extra_str(p, "panic_message", msg);
	return p;
}

static void test_panic_names_its_cause(void **state)
{
	struct follows_tracker *t = follows_new();
	const char *rule = NULL;
	(void)state;

	assert_int_equal(link(t, mk(KIND_WARNING, "h", 2, 1, 1, "a", 10, 0, ""), NULL), 0);
	assert_int_equal(link(t, mk(KIND_OOPS, "h", 5, 1, 2, "b", 11, 1, ""), NULL), 0);
	assert_int_equal(link(t, mk(KIND_HUNG_TASK, "h", 9, 1, 3, "c", 12, 1, "G D"), NULL), 5);
	/* "Fatal exception" goes to the report that died, not the latest one. */
	assert_int_equal(link(t, panic_with("Fatal exception", 20, 1), &rule), 5);
	assert_string_equal(rule, "panic");
	assert_int_equal(link(t, panic_with("kernel: panic_on_warn set ...", 21, 1), NULL), 2);
	assert_int_equal(link(t, panic_with("hung_task: blocked tasks", 22, 1), NULL), 9);
	/* A cause of a kind this boot never showed: the panic rule says
	   nothing, the weaker ones still apply (its taint has D). */
	assert_int_equal(link(t, panic_with("RCU Stall", 23, 1), &rule), 5);
	assert_string_equal(rule, "taint");
	assert_int_equal(link(t, panic_with("VFS: Unable to mount root fs", 24, 2), NULL), 0);
	follows_free(t);
}

static void test_taint_d_needs_the_setter(void **state)
{
	struct follows_tracker *t = follows_new();
	const char *rule = NULL;
	(void)state;

	/* The first Oops printed D already: the death that set it is not in
	   the log, so later D reports are left alone. */
	assert_int_equal(link(t, mk(KIND_OOPS, "h", 5, 1, 2, "b", 11, 1, "G D"), NULL), 0);
	assert_int_equal(link(t, mk(KIND_WARNING, "h", 9, 1, 500, "c", 12, 3, "G D"), NULL), 0);
	/* A new boot: the Oops without D sets it. */
	assert_int_equal(link(t, mk(KIND_OOPS, "h", 30, 30, 2, "b", 11, 1, "G"), NULL), 0);
	assert_int_equal(link(t, mk(KIND_WARNING, "h", 40, 30, 500, "c", 12, 3, "G D W"), &rule), 30);
	assert_string_equal(rule, "taint");
	/* No D, no link; another host never links to this one. */
	assert_int_equal(link(t, mk(KIND_WARNING, "h", 41, 30, 501, "d", 13, 3, "G W"), NULL), 0);
	assert_int_equal(link(t, mk(KIND_WARNING, "other", 42, 30, 502, "e", 14, 3, "G D"), NULL), 0);
	/* A report that did not die does not set D. */
	assert_int_equal(link(t, mk(KIND_WARNING, "x", 50, 50, 1, "w", 20, 0, ""), NULL), 0);
	assert_int_equal(link(t, mk(KIND_WARNING, "x", 51, 50, 900, "v", 21, 0, "G D"), NULL), 0);
	follows_free(t);
}

static void test_lock_held_by_an_earlier_task(void **state)
{
	struct follows_tracker *t = follows_new();
	struct incident *hung;
	struct task_locks *tl;
	const char *rule = NULL;
	(void)state;

	assert_int_equal(link(t, mk(KIND_OOPS, "h", 5, 1, 2, "kworker/2:1", 150, 2, ""), NULL), 0);
	hung = mk(KIND_HUNG_TASK, "h", 35, 1, 900, "udevd", 412, 0, "G D");
	incident_extra_str(hung, "waiting_for", "&dev->mutex");
	tl = incident_add_task_locks(hung, "kworker/2:1", strlen("kworker/2:1"), 150);
	task_locks_add(tl)->name = xstrdup("&dev->mutex");
	tl = incident_add_task_locks(hung, "udevd", 5, 412);
	task_locks_add(tl)->name = xstrdup("&dev->mutex");
	follows_link(t, hung);
	assert_int_equal(hung->follows.line, 5);
	assert_string_equal(hung->follows.rule, "lock");
	assert_string_equal(hung->follows.reason, "waits for &dev->mutex held by kworker/2:1/150");
	incident_free(hung);
	/* Held by a task no incident names: the taint rule still applies. */
	hung = mk(KIND_HUNG_TASK, "h", 60, 1, 1000, "sh", 500, 0, "G D");
	incident_extra_str(hung, "waiting_for", "rtnl_mutex");
	tl = incident_add_task_locks(hung, "ip", 2, 77);
	task_locks_add(tl)->name = xstrdup("rtnl_mutex");
	assert_int_equal(link(t, hung, &rule), 5);
	assert_string_equal(rule, "taint");
	follows_free(t);
}

static void test_same_task_and_cpu_within_the_window(void **state)
{
	struct follows_tracker *t = follows_new();
	const char *rule = NULL;
	(void)state;

	assert_int_equal(link(t, mk(KIND_WARNING, "h", 5, 1, 100, "fio", 300, 1, ""), NULL), 0);
	assert_int_equal(link(t, mk(KIND_BUG, "h", 9, 1, 110, "fio", 300, 1, ""), &rule), 5);
	assert_string_equal(rule, "task");
	/* Too late, or PID 0 (the idle tasks), or another PID: none. */
	assert_int_equal(link(t, mk(KIND_BUG, "h", 19, 1, 110 + FOLLOWS_WINDOW + 1, "fio", 300, 1, ""), NULL), 0);
	assert_int_equal(link(t, mk(KIND_WARNING, "h", 20, 1, 400, "swapper/1", 0, 1, ""), NULL), 0);
	assert_int_equal(link(t, mk(KIND_WARNING, "h", 21, 1, 401, "swapper/1", 0, 1, ""), NULL), 0);
	/* A lockup on the CPU where something died just before. */
	assert_int_equal(link(t, mk(KIND_GPF, "h", 30, 1, 500, "a", 40, 3, "G D"), NULL), 0);
	assert_int_equal(link(t, mk(KIND_SOFT_LOCKUP, "h", 40, 1, 520, "b", 41, 3, ""), &rule), 30);
	assert_string_equal(rule, "cpu");
	assert_int_equal(link(t, mk(KIND_SOFT_LOCKUP, "h", 41, 1, 521, "c", 42, 2, ""), NULL), 0);
	follows_free(t);
}

static void test_bounded_and_unknown_boots(void **state)
{
	struct follows_tracker *t = follows_new();
	(void)state;

	/* boot_line 0 (a record about a boot) never links nor is linked to. */
	assert_int_equal(link(t, mk(KIND_OOPS, "h", 5, 0, 2, "a", 11, 1, ""), NULL), 0);
	assert_int_equal(link(t, mk(KIND_WARNING, "h", 6, 1, 3, "a", 11, 1, "G D"), NULL), 0);
	/* The setter outlives the ring: thousands of incidents later, D still
	   points to it. */
	assert_int_equal(link(t, mk(KIND_OOPS, "h", 10, 1, 4, "z", 99, 1, "G"), NULL), 0);
	for (unsigned long i = 0; i < 3 * FOLLOWS_KEEP; i++)
		link(t, mk(KIND_TCP_MEM, "h", 100 + i, 1, 5 + i, NULL, -1, -1, NULL), NULL);
	assert_int_equal(link(t, mk(KIND_WARNING, "h", 999, 1, 9000, "q", 5, 0, "G D"), NULL), 10);
	follows_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_panic_names_its_cause),
		cmocka_unit_test(test_taint_d_needs_the_setter),
		cmocka_unit_test(test_lock_held_by_an_earlier_task),
		cmocka_unit_test(test_same_task_and_cpu_within_the_window),
		cmocka_unit_test(test_bounded_and_unknown_boots),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
