/* Unit tests for the line normalizer: one test per wrapper format. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "normalize.h"

static struct kline norm(struct normalizer *n, const char *line)
{
	struct kline k;

	normalize_line(n, line, strlen(line), &k);
	return k;
}

#define assert_msg(k, s) do { \
	assert_int_equal((k).msg_len, strlen(s)); \
	assert_memory_equal((k).msg, s, strlen(s)); } while (0)
#define assert_host(k, s) do { \
	assert_non_null((k).host); \
	assert_int_equal((k).host_len, strlen(s)); \
	assert_memory_equal((k).host, s, strlen(s)); } while (0)

static void raw_dmesg(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "[4946925.516514] INFO: task ip:1747 blocked");

	assert_int_equal(k.origin, ORIGIN_RAW);
	assert_true(k.has_ktime);
	assert_true(k.ktime > 4946925.5165 && k.ktime < 4946925.5166);
	assert_msg(k, "INFO: task ip:1747 blocked");
	assert_null(k.host);
	/* Indentation after the separating space is kept for frames. */
	k = norm(n, "[    1.000000]  [<ffffffff818511b5>] schedule+0x35/0x80");
	assert_msg(k, " [<ffffffff818511b5>] schedule+0x35/0x80");
}

/* A report forwarded by mail: its quote markers go, its lines stay. */
static void mail_quoted(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "> [  812.493021] BUG: kernel NULL pointer dereference");

	assert_true(k.has_ktime);
	assert_msg(k, "BUG: kernel NULL pointer dereference");
	k = norm(n, ">> > Jun 20 21:07:18 example kernel: Oops: 0000 [#1] SMP");
	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "example");
	assert_msg(k, "Oops: 0000 [#1] SMP");
	k = norm(n, ">  process_one_work+0x1c4/0x380");
	assert_msg(k, " process_one_work+0x1c4/0x380");
	k = norm(n, ">");
	assert_int_equal(k.msg_len, 0);
}

/* Wrappers of other tools and distributions, each from its printer. */
static void other_wrappers(void **state)
{
	struct normalizer *n = *state;
	/* busybox syslogd: facility.level between host and tag */
	struct kline k = norm(n, "Nov 30 08:13:32 edge-gw-3 kern.alert kernel: [  812.493021] BUG: x");

	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "edge-gw-3");
	assert_int_equal(k.level, 1);
	assert_true(k.has_ktime);
	assert_msg(k, "BUG: x");
	k = norm(n, "Nov 30 08:13:32 edge-gw-3 daemon.info dnsmasq[812]: BUG: y");
	assert_int_equal(k.origin, ORIGIN_OTHER);
	/* journalctl -o short-full */
	k = norm(n, "Mon 2026-11-30 08:13:32 UTC db-14 kernel: Oops: 0000 [#1] SMP");
	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "db-14");
	assert_string_equal(k.wall, "2026-11-30T08:13:32");
	assert_msg(k, "Oops: 0000 [#1] SMP");
	/* journalctl -o short-unix */
	k = norm(n, "1796026412.493021 db-15 kernel: Oops: 0000 [#1] SMP");
	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "db-15");
	assert_string_equal(k.wall, "2026-11-30T08:13:32.493021Z");
	assert_msg(k, "Oops: 0000 [#1] SMP");
	/* dmesg --show-delta, --time-format=delta and reltime */
	k = norm(n, "[  812.493021 <    0.000039>] BUG: z");
	assert_true(k.has_ktime);
	assert_true(k.ktime > 812.4930 && k.ktime < 812.4931);
	assert_msg(k, "BUG: z");
	k = norm(n, "[<    0.000039>]  f+0x1/0x2");
	assert_false(k.has_ktime);
	assert_msg(k, " f+0x1/0x2");
	k = norm(n, "[Nov 30 08:13] BUG: z");
	assert_string_equal(k.wall, "Nov 30 08:13");
	assert_msg(k, "BUG: z");
	k = norm(n, "[   +0.000020] #PF: error_code(0x0000) - not-present page");
	assert_msg(k, "#PF: error_code(0x0000) - not-present page");
	/* /dev/kmsg records and their dictionary lines */
	k = norm(n, "1,50211,812493021,-;BUG: kernel NULL pointer dereference");
	assert_true(k.has_ktime);
	assert_true(k.ktime > 812.4930 && k.ktime < 812.4931);
	assert_int_equal(k.level, 1);
	assert_msg(k, "BUG: kernel NULL pointer dereference");
	k = norm(n, "4,50212,812493022,c; process_one_work+0x1c4/0x380");
	assert_msg(k, " process_one_work+0x1c4/0x380");
	k = norm(n, "4,50213,812493023,-,caller=T2211; worker_thread+0x4d/0x380");
	assert_int_equal(k.caller_kind, 'T');
	assert_int_equal(k.caller_id, 2211);
	assert_msg(k, " worker_thread+0x4d/0x380");
	k = norm(n, " SUBSYSTEM=pci");
	assert_int_equal(k.origin, ORIGIN_OTHER);
	/* ARM's dump_backtrace_entry() frames are no dmesg delta */
	k = norm(n, "[<80192868>] (update_process_times) from [<801a2724>] (tick_periodic+0x48/0xcc)");
	assert_msg(k, "[<80192868>] (update_process_times) from [<801a2724>] (tick_periodic+0x48/0xcc)");
	/* not wrappers: a CSV row, a number */
	k = norm(n, "12,34,56;x");
	assert_int_equal(k.origin, ORIGIN_RAW);
	assert_msg(k, "12,34,56;x");
}

static void console_level_and_caller(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "<4>[   30.021137][   T81] WARNING: CPU: 0");

	assert_int_equal(k.level, 4);
	assert_int_equal(k.caller_kind, 'T');
	assert_int_equal(k.caller_id, 81);
	assert_msg(k, "WARNING: CPU: 0");
	k = norm(n, "[  T123] msg");
	assert_int_equal(k.caller_kind, 'T');
	assert_int_equal(k.caller_id, 123);
	assert_false(k.has_ktime);
	k = norm(n, "[    5.000001][    C3] rcu: INFO");
	assert_int_equal(k.caller_kind, 'C');
	assert_int_equal(k.caller_id, 3);
	assert_msg(k, "rcu: INFO");
}

static void dmesg_T(void **state)
{
	struct kline k = norm(*state, "[Mon Nov 24 10:11:12 2026] Call Trace:");

	assert_string_equal(k.wall, "2026-11-24T10:11:12");
	assert_msg(k, "Call Trace:");
}

static void rfc3164(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "Jun 20 21:07:18 example kernel: [32668670.771896] BUG: x");

	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "example");
	assert_string_equal(k.wall, "Jun 20 21:07:18");
	assert_true(k.has_ktime);
	assert_msg(k, "BUG: x");
	/* Without the kernel timestamp, and with a single-digit day. */
	k = norm(n, "Mar  3 14:02:11 lb07 kernel: TCP: too many orphaned sockets");
	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "lb07");
	assert_false(k.has_ktime);
	assert_msg(k, "TCP: too many orphaned sockets");
	/* Another program's "BUG:" is not the kernel's. */
	k = norm(n, "Jun 20 21:07:18 example myapp[4242]: BUG: widget count negative");
	assert_int_equal(k.origin, ORIGIN_OTHER);
	/* "<PRI>" before the header. */
	k = norm(n, "<4>Jun 20 21:07:18 example kernel: Oops: 0000 [#1] SMP");
	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_int_equal(k.level, 4);
	assert_msg(k, "Oops: 0000 [#1] SMP");
	/* 2.6 printk() writing the level of a message after an open line */
	k = norm(n, "Nov 14 02:31:55 app3 kernel:  <0>Kernel panic - not syncing: Fatal exception");
	assert_int_equal(k.level, 0);
	assert_msg(k, "Kernel panic - not syncing: Fatal exception");
	k = norm(n, "Nov 14 02:31:55 app3 kernel:  <IRQ>  [<ffffffff81046ce5>] f+0x78/0x8c");
	assert_msg(k, " <IRQ>  [<ffffffff81046ce5>] f+0x78/0x8c");
}

static void rfc5424(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "<4>1 2026-11-24T10:11:12.003114+00:00 db01 kernel - - - [ 9011.120001] watchdog: BUG");

	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "db01");
	assert_string_equal(k.wall, "2026-11-24T10:11:12.003114+00:00");
	assert_true(k.has_ktime);
	assert_msg(k, "watchdog: BUG");
	k = norm(n, "<13>1 2026-11-24T10:11:13Z db01 postgres 2211 - [meta a=\"]\\]\"] LOG: x");
	assert_int_equal(k.origin, ORIGIN_OTHER);
	assert_msg(k, "LOG: x");
}

static void iso_and_journal_short(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "2026-11-24T08:00:01.118239+01:00 hv12 kernel: [1220433.482117] NMI");

	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "hv12");
	assert_string_equal(k.wall, "2026-11-24T08:00:01.118239+01:00");
	assert_msg(k, "NMI");
	k = norm(n, "2026-11-24T10:11:12+0000 node019 kernel: Call Trace:");
	assert_host(k, "node019");
	assert_msg(k, "Call Trace:");
	k = norm(n, "Nov 24 10:11:12.516514 node018 kernel:       Not tainted");
	assert_string_equal(k.wall, "Nov 24 10:11:12.516514");
	assert_msg(k, "      Not tainted");
	k = norm(n, "[ 9774.254080] proxy001 kernel: TCP: out of memory");
	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "proxy001");
	assert_msg(k, "TCP: out of memory");
	k = norm(n, "[ 9774.500001] proxy001 haproxy[2211]: Server DOWN");
	assert_int_equal(k.origin, ORIGIN_OTHER);
	/* dmesg --time-format=iso has no host and tag. */
	k = norm(n, "2026-11-24T10:11:12,123456+00:00 BUG: soft lockup - CPU#1 stuck");
	assert_int_equal(k.origin, ORIGIN_RAW);
	assert_msg(k, "BUG: soft lockup - CPU#1 stuck");
}

static void journal_separators_and_pstore(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "-- Boot 6a4f1e1b2c3d4e5f60718293a4b5c6d7 --");

	assert_int_equal(k.origin, ORIGIN_OTHER);
	assert_true(k.boot_marker);
	k = norm(n, "-- Journal begins at Mon 2026-11-23 09:00:01 UTC. --");
	assert_int_equal(k.origin, ORIGIN_OTHER);
	assert_false(k.boot_marker);
	k = norm(n, "Oops#1 Part1");
	assert_int_equal(k.origin, ORIGIN_OTHER);
}

static void journal_json(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "{\"__REALTIME_TIMESTAMP\":\"1764000000000000\",\"_HOSTNAME\":\"node020\","
			      "\"_TRANSPORT\":\"kernel\",\"_SOURCE_MONOTONIC_TIMESTAMP\":\"812345112003\","
			      "\"MESSAGE\":\"INFO: task \\\"x\\\" \\u00e9\"}");

	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_host(k, "node020");
	assert_string_equal(k.wall, "2025-11-24T16:00:00.000000Z");
	assert_true(k.has_ktime);
	assert_msg(k, "INFO: task \"x\" \xc3\xa9");
	/* MESSAGE as an array of bytes (non-UTF-8 journal entries). */
	k = norm(n, "{\"_TRANSPORT\":\"kernel\",\"MESSAGE\":[66,85,71,58]}");
	assert_msg(k, "BUG:");
	k = norm(n, "{\"_TRANSPORT\":\"syslog\",\"SYSLOG_IDENTIFIER\":\"mysqld\",\"MESSAGE\":\"BUG: x\"}");
	assert_int_equal(k.origin, ORIGIN_OTHER);
	/* A broken object is treated as a plain line, never crashes. */
	k = norm(n, "{\"MESSAGE\":\"unterminated");
	assert_int_equal(k.origin, ORIGIN_RAW);
}

static void serial_console(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "\x1b[1;31m[  920.100000] EXT4-fs (mmcblk0p2): mounted\x1b[0m");

	assert_true(k.has_ktime);
	assert_msg(k, "EXT4-fs (mmcblk0p2): mounted");
	/* A bare CR returns to column 0: only what follows it is on screen. */
	k = norm(n, "progress 10%\rprogress 99%\r[    1.5] BUG: x");
	assert_msg(k, "BUG: x");
	/* A login prompt glued to the next kernel line. */
	k = norm(n, "syzkaller login: [   16.305150] INFO: trying to register non-static key.");
	assert_true(k.has_ktime);
	assert_msg(k, "INFO: trying to register non-static key.");
	/* Prose with a bracket is left alone. */
	k = norm(n, "see [the docs] for more");
	assert_false(k.has_ktime);
	assert_msg(k, "see [the docs] for more");
}

static void garbage(void **state)
{
	struct normalizer *n = *state;
	static const char bytes[] = "\xff\xfe<9999999>[ 1.\x00\x00] \x80\x81";
	struct kline k;

	normalize_line(n, bytes, sizeof(bytes) - 1, &k);
	assert_true(k.msg_len <= sizeof(bytes) - 1);
	normalize_line(n, "", 0, &k);
	assert_int_equal(k.msg_len, 0);
	normalize_line(n, "[", 1, &k);
	assert_int_equal(k.msg_len, 1);
	normalize_line(n, "<4", 2, &k);
	normalize_line(n, "Jan", 3, &k);
	normalize_line(n, "2026-11-24T10:11:12", 19, &k);
	assert_int_equal(k.origin, ORIGIN_RAW);
}

static int setup(void **state)
{
	*state = normalizer_new();
	return 0;
}

/* Bytes that are not text are gone before anything reads the line. */
static void not_text_dropped(void **state)
{
	struct normalizer *n = *state;
	static const char nul_run[] = "\0\0\0\0[  812.493021] BUG: \0kernel \0NULL\x7f pointer";
	static const char c1[] = "[ 1.5] BUG: kernel\xc2\x9b NULL\x08 pointer \xe2\x80\xae\xff";
	struct kline k;

	normalize_line(n, nul_run, sizeof(nul_run) - 1, &k);
	assert_true(k.has_ktime);
	assert_msg(k, "BUG: kernel NULL pointer");
	normalize_line(n, c1, sizeof(c1) - 1, &k);
	/* C1 and backspace dropped; a bidi override and a stray byte kept
	   (text, escaped on output) */
	assert_msg(k, "BUG: kernel NULL pointer \xe2\x80\xae\xff");
}

/* A host name that is not UTF-8: its escaped form, and the line parsed. */
static void host_not_utf8(void **state)
{
	struct normalizer *n = *state;
	struct kline k = norm(n, "Nov 25 02:45:01 h\xff\xfest kernel: [ 1.0] BUG: x");

	assert_host(k, "h\\xff\\xfest");
	assert_int_equal(k.origin, ORIGIN_KERNEL);
	assert_msg(k, "BUG: x");
	k = norm(n, "<4>1 2026-11-25T02:45:01Z host\xc3 kernel - - - [ 1.0] BUG: y");
	assert_host(k, "host\\xc3");
	assert_msg(k, "BUG: y");
}

static int teardown(void **state)
{
	normalizer_free(*state);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(raw_dmesg),
		cmocka_unit_test(mail_quoted),
		cmocka_unit_test(other_wrappers),
		cmocka_unit_test(console_level_and_caller),
		cmocka_unit_test(dmesg_T),
		cmocka_unit_test(rfc3164),
		cmocka_unit_test(rfc5424),
		cmocka_unit_test(iso_and_journal_short),
		cmocka_unit_test(journal_separators_and_pstore),
		cmocka_unit_test(journal_json),
		cmocka_unit_test(serial_console),
		cmocka_unit_test(garbage),
		cmocka_unit_test(not_text_dropped),
		cmocka_unit_test(host_not_utf8),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
