/* Unit tests for incident boundaries: hosts, callers, ends, floods. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "segmenter.h"
#include "util.h"

struct seen {
	enum incident_kind kind;
	char host[32];
	unsigned long first, last;
	size_t nr;
	enum seg_end end;
	unsigned long flood, suppressed;
	bool header_lost;
};

struct collect {
	struct seen s[16];
	size_t n;
};

static void on_done(void *data, struct raw_incident *ri)
{
	struct collect *c = data;
	struct seen *s;

	assert_true(c->n < 16);
	s = &c->s[c->n++];
	s->kind = ri->kind;
	snprintf(s->host, sizeof(s->host), "%s", ri->host ? ri->host : "");
	s->first = ri->lines[0].lineno;
	s->last = ri->lines[ri->nr - 1].lineno;
	s->nr = ri->nr;
	s->end = ri->end;
	s->flood = ri->flood_count;
	s->suppressed = ri->suppressed;
	s->header_lost = ri->header_lost;
}

/* Run lines (kernel-origin only, as scan.c feeds them) through a segmenter. */
static void run(struct collect *c, const char *const *lines, size_t n)
{
	struct normalizer *norm = normalizer_new();
	struct segmenter *seg = segmenter_new(on_done, c);

	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < n; i++) {
		struct kline k;
		normalize_line(norm, lines[i], strlen(lines[i]), &k);
		if (k.origin != ORIGIN_OTHER)
			segmenter_feed_line(seg, &k, i + 1, 0);
	}
	segmenter_finish(seg);
	normalizer_free(norm);
}

static void hosts_never_mix(void **state)
{
	static const char *const lines[] = {
		"Dec 17 07:27:02 hostA kernel: [ 1.000] INFO: task a:1 blocked for more than 120 seconds.",
		"Dec 17 07:27:02 hostB kernel: [ 2.000] INFO: task b:2 blocked for more than 120 seconds.",
		"Dec 17 07:27:02 hostA kernel: [ 1.001] Call Trace:",
		"Dec 17 07:27:02 hostB kernel: [ 2.001] Call Trace:",
		"Dec 17 07:27:02 hostA kernel: [ 1.002]  schedule+0x35/0x80",
		"Dec 17 07:27:02 hostB kernel: [ 2.002]  schedule+0x35/0x80",
		"Dec 17 07:27:02 hostB kernel: [ 2.003]  copy_net_ns+0x6e/0x120",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 2);
	assert_string_equal(c.s[0].host, "hostA");
	assert_int_equal(c.s[0].nr, 3);
	assert_int_equal(c.s[0].first, 1);
	assert_int_equal(c.s[0].last, 5);
	assert_string_equal(c.s[1].host, "hostB");
	assert_int_equal(c.s[1].nr, 4);
	assert_int_equal(c.s[1].end, SEG_END_EOF);
}

static void callers_never_mix(void **state)
{
	static const char *const lines[] = {
		"[   30.0][   T81] INFO: task kworker/0:2:81 blocked for more than 143 seconds.",
		"[   30.1][  T112] BUG: kernel NULL pointer dereference, address: 0000000000000010",
		"[   30.2][   T81] Call Trace:",
		"[   30.3][  T112] Call Trace:",
		"[   30.4][   T81]  schedule+0xe7/0x1b0",
		"[   30.5][  T112]  genl_dumpit+0x119/0x220",
		"[   30.6][  T112] ---[ end trace 0000000000000000 ]---",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 2);
	/* Incidents close in the order their ends are seen: the oops at its
	   end marker, the hung task at the end of input. */
	assert_int_equal(c.s[0].kind, KIND_OOPS);
	assert_int_equal(c.s[0].nr, 4);
	assert_int_equal(c.s[0].end, SEG_END_MARKER);
	assert_int_equal(c.s[1].kind, KIND_HUNG_TASK);
	assert_int_equal(c.s[1].nr, 3);
	assert_int_equal(c.s[1].end, SEG_END_EOF);
}

static void flood_stays_separate_and_unrelated_ends(void **state)
{
	static const char *const lines[] = {
		"[ 5.0] INFO: task ip:1 blocked for more than 120 seconds.",
		"[ 5.0] Call Trace:",
		"[ 5.0]  schedule+0x35/0x80",
		"[ 5.1] INFO: task ip:2 blocked for more than 120 seconds.",
		"[ 5.1] Call Trace:",
		"[ 5.1]  schedule+0x35/0x80",
		"[ 5.2] e1000e: eth0 NIC Link is Up",
		"[ 5.3]  stray+0x1/0x2",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 2);
	assert_int_equal(c.s[0].end, SEG_END_NEXT);
	assert_int_equal(c.s[0].last, 3);
	assert_int_equal(c.s[1].end, SEG_END_UNRELATED);
	assert_int_equal(c.s[1].last, 6);
}

static void quiet_gap_ends(void **state)
{
	static const char *const lines[] = {
		"[ 5.0] BUG: unable to handle kernel paging request at 0000000000001000",
		"[ 5.1] Oops: 0000 [#1] SMP",
		"[ 900.0] random message much later",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.s[0].nr, 2);
	assert_int_equal(c.s[0].end, SEG_END_GAP);
}

static void cut_here(void **state)
{
	static const char *const lines[] = {
		"[ 1.0] ------------[ cut here ]------------",
		"[ 1.0] WARNING: CPU: 1 PID: 1 at a.c:1 f+0x1/0x2",
		"[ 1.0] Call Trace:",
		"[ 1.0]  g+0x1/0x2",
		"[ 1.1] ---[ end trace 1 ]---",
		"[ 2.0] ------------[ cut here ]------------",
		"[ 2.0] nothing follows",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.s[0].kind, KIND_WARNING);
	assert_int_equal(c.s[0].first, 1);
	assert_int_equal(c.s[0].nr, 5);
}

static void tcp_mem_window(void **state)
{
	static const char *const lines[] = {
		"[ 10.0] TCP: out of memory -- consider tuning tcp_mem",
		"[ 10.5] TCP: out of memory -- consider tuning tcp_mem",
		"[ 15.0] net_ratelimit: 118 callbacks suppressed",
		"[ 15.0] TCP: out of memory -- consider tuning tcp_mem",
		"[ 500.0] TCP: out of memory -- consider tuning tcp_mem",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 2);
	assert_int_equal(c.s[0].flood, 3);
	assert_int_equal(c.s[0].suppressed, 118);
	assert_int_equal(c.s[1].flood, 1);
}

static void line_limit(void **state)
{
	struct normalizer *norm = normalizer_new();
	struct collect c;
	struct segmenter *seg = segmenter_new(on_done, &c);
	struct kline k;
	const char *start = "BUG: unable to handle kernel paging request at 0";
	const char *frame = " f+0x1/0x2";

	(void)state;
	memset(&c, 0, sizeof(c));
	normalize_line(norm, start, strlen(start), &k);
	segmenter_feed_line(seg, &k, 1, 0);
	for (unsigned long i = 0; i < SEGMENT_MAX_LINES + 10; i++) {
		normalize_line(norm, frame, strlen(frame), &k);
		segmenter_feed_line(seg, &k, i + 2, 0);
	}
	segmenter_finish(seg);
	normalizer_free(norm);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.s[0].nr, SEGMENT_MAX_LINES);
	assert_int_equal(c.s[0].end, SEG_END_TOO_LONG);
}

/* show_fault_oops() and __die_header() without the "BUG:" line before them. */
static void header_lost_oops(void **state)
{
	static const char *const lines[] = {
		"[  9.000000] eth0: link up",
		"[ 10.000000] #PF: supervisor read access in kernel mode",
		"[ 10.000001] #PF: error_code(0x0000) - not-present page",
		"[ 10.000002] Oops: 0000 [#1] PREEMPT SMP NOPTI",
		"[ 10.000003] RIP: 0010:f+0x1/0x2",
		"[ 10.000004] Call Trace:",
		"[ 10.000005]  g+0x1/0x2",
		"[ 10.000006] ---[ end trace 0000000000000000 ]---",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.s[0].kind, KIND_OOPS);
	assert_true(c.s[0].header_lost);
	assert_int_equal(c.s[0].first, 2);
	assert_int_equal(c.s[0].last, 8);
}

/* A lost header's banner quoted in prose: the report it opens ends within
   a few dozen lines when no registers and stack follow. */
static void header_lost_banner_alone(void **state)
{
	struct normalizer *norm = normalizer_new();
	struct collect c;
	struct segmenter *seg = segmenter_new(on_done, &c);
	struct kline k;
	const char *banner = "   Oops: 0000 [#1] SMP";
	const char *prose = "That's the first Oops since boot-up, as the '#1' shows.";

	(void)state;
	memset(&c, 0, sizeof(c));
	normalize_line(norm, banner, strlen(banner), &k);
	segmenter_feed_line(seg, &k, 1, 0);
	for (unsigned long i = 0; i < 500; i++) {
		normalize_line(norm, prose, strlen(prose), &k);
		segmenter_feed_line(seg, &k, i + 2, 0);
	}
	segmenter_finish(seg);
	normalizer_free(norm);
	assert_int_equal(c.n, 1);
	assert_true(c.s[0].header_lost);
	assert_true(c.s[0].nr <= SEGMENT_MAX_INTERLEAVED * 8);
	assert_int_equal(c.s[0].end, SEG_END_UNRELATED);
}

/* "RIP:" opens a report only with a stack after its registers: not the
   registers oops_end() prints again, nor an announced NMI backtrace. */
static void header_lost_needs_stack(void **state)
{
	static const char *const lines[] = {
		"[ 10.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008",
		"[ 10.000001] RIP: 0010:f+0x1/0x2",
		"[ 10.000002] Call Trace:",
		"[ 10.000003]  g+0x1/0x2",
		"[ 10.000004] ---[ end trace 0000000000000000 ]---",
		"[ 10.000005] RIP: 0010:f+0x1/0x2",
		"[ 10.000006] RSP: 0018:ffffb5a1c0dc7d68 EFLAGS: 00010246",
		"[ 10.000007] Kernel panic - not syncing: Fatal exception",
		"[ 20.000000] [    C1] NMI backtrace for cpu 1",
		"[ 20.000001] [    C1] CPU: 1 PID: 0 Comm: swapper/1 Not tainted 6.1.0 #1",
		"[ 20.000002] [    C1] RIP: 0010:native_safe_halt+0xb/0x10",
		"[ 20.000003] [    C1] Call Trace:",
		"[ 20.000004] [    C1]  default_idle+0xe/0x20",
		"[ 25.000000] sysrq: Show Regs",
		"[ 25.000001] CPU: 0 PID: 1 Comm: bash Not tainted 6.1.0 #1",
		"[ 25.000002] RIP: 0010:h+0x1/0x2",
		"[ 25.000003] Call Trace:",
		"[ 25.000004]  g+0x1/0x2",
		"[ 30.000000] RIP: 0010:h+0x1/0x2",
		"[ 30.000001] e1000e: eth0 NIC Link is Up",
		"[ 30.000002] Call Trace:",
		"[ 30.000003]  g+0x1/0x2",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 2);
	assert_int_equal(c.s[0].kind, KIND_OOPS);
	assert_false(c.s[0].header_lost);
	assert_int_equal(c.s[1].kind, KIND_PANIC);
	assert_int_equal(c.s[1].first, 8);
}

/* The registers and stack alone: a report of unknown kind. */
static void header_lost_registers(void **state)
{
	static const char *const lines[] = {
		"[ 10.000003] RIP: 0010:f+0x1/0x2",
		"[ 10.000004] RSP: 0018:ffffb5a1c0dc7d68 EFLAGS: 00010246",
		"[ 10.000005] Call Trace:",
		"[ 10.000006]  g+0x1/0x2",
	};
	struct collect c;

	(void)state;
	run(&c, lines, ARRAY_SIZE(lines));
	assert_int_equal(c.n, 1);
	assert_int_equal(c.s[0].kind, KIND_BUG);
	assert_true(c.s[0].header_lost);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hosts_never_mix),
		cmocka_unit_test(callers_never_mix),
		cmocka_unit_test(flood_stays_separate_and_unrelated_ends),
		cmocka_unit_test(quiet_gap_ends),
		cmocka_unit_test(cut_here),
		cmocka_unit_test(tcp_mem_window),
		cmocka_unit_test(line_limit),
		cmocka_unit_test(header_lost_oops),
		cmocka_unit_test(header_lost_needs_stack),
		cmocka_unit_test(header_lost_banner_alone),
		cmocka_unit_test(header_lost_registers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
