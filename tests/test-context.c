/* Unit tests for the context tracker's per-host state with many hosts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "normalize.h"

static void observe(struct context_tracker *t, const char *host, const char *msg,
		    unsigned long lineno)
{
	struct kline l;

	memset(&l, 0, sizeof(l));
	l.msg = msg;
	l.msg_len = strlen(msg);
	l.host = host;
	l.host_len = host ? strlen(host) : 0;
	l.level = -1;
	context_observe(t, &l, lineno);
}

/*
 * Hundreds of hosts, as in a fleet log (the host index grows several
 * times), names that are prefixes of each other, an empty name and none:
 * each keeps its own boot facts.
 */
static void test_many_hosts(void **state)
{
	struct context_tracker *t = context_tracker_new("log", NULL, NULL);
	char host[32], msg[64];
	const struct boot_context *c;

	(void)state;
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < 700; i++) {
			snprintf(host, sizeof(host), "node%d", i);
			snprintf(msg, sizeof(msg), "Linux version 6.%d.0-test (b@h) #1 SMP", i);
			if (!round)
				observe(t, host, msg, (unsigned long)i + 1);
			else
				observe(t, host, "routine line", 1000 + (unsigned long)i);
		}
	observe(t, NULL, "Linux version 5.0.0-nohost (b@h) #1", 2000);
	observe(t, "", "Linux version 5.1.0-empty (b@h) #1", 2001);
	for (int i = 0; i < 700; i++) {
		snprintf(host, sizeof(host), "node%d", i);
		snprintf(msg, sizeof(msg), "6.%d.0-test", i);
		c = context_current(t, host, strlen(host));
		assert_non_null(c->host);
		assert_string_equal(c->host, host);
		assert_non_null(c->release);
		assert_string_equal(c->release, msg);
		assert_int_equal(c->lines_seen, 2);
	}
	/* "node1" is a prefix of "node10": looked up by length too. */
	c = context_current(t, "node10", 5);
	assert_string_equal(c->host, "node1");
	c = context_current(t, NULL, 0);
	assert_null(c->host);
	assert_string_equal(c->release, "5.0.0-nohost");
	c = context_current(t, "", 0);
	assert_string_equal(c->host, "");
	assert_string_equal(c->release, "5.1.0-empty");
	context_tracker_finish(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_hosts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
