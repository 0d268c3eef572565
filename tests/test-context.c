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

/* The architecture from the "Linux version" banner (linux_banner). */
static void test_banner_arch(void **state)
{
	static const struct { const char *banner, *arch; } cases[] = {
		{ "Linux version 6.1.0-13-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1", "x86_64" },
		{ "Linux version 6.1.0-13-arm64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.1.55-1", "arm64" },
		{ "Linux version 5.14.0-362.8.1.el9_3.s390x (mockbuild@s390-01) (gcc (GCC) 11.4.1) #1 SMP", "s390" },
		{ "Linux version 6.5.6-300.fc39.ppc64le (mockbuild@bkernel01) (gcc (GCC) 13.2.1) #1 SMP", "powerpc" },
		{ "Linux version 6.1.0-13-riscv64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.1.55-1", "riscv" },
		{ "Linux version 6.1.0-13-686-pae (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.1.55-1", "i386" },
		{ "Linux version 6.1.0-13-armmp (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.1.55-1", "arm" },
		{ "Linux version 6.6.0 (me@box) (gcc 13) #1 SMP", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct context_tracker *t = context_tracker_new("log", NULL, NULL);
		const struct boot_context *c;
		observe(t, NULL, cases[i].banner, 1);
		c = context_current(t, NULL, 0);
		print_message("%s\n", cases[i].banner);
		if (cases[i].arch)
			assert_string_equal(c->arch, cases[i].arch);
		else
			assert_null(c->arch);
		context_tracker_finish(t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_many_hosts),
		cmocka_unit_test(test_banner_arch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
