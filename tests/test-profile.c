/*
** Unit tests for profiles and /proc captures: what sniff_input() calls each
** shape, folding (distinct stacks, not samples), lock-contention
** attribution, perf script sample lines with and without callchains, perf
** report call graphs in both orders, folded stacks, and /proc stack shapes.
** Inputs are written here from the printers' formats (builtin-script.c,
** ui/stdio/hist.c, proc_pid_stack()).
*/
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "procstack.h"
#include "profile.h"
#include "profile_formats.h"
#include "sniff.h"
#include "util.h"

struct found {
	struct incident *inc[16];
	size_t n;
};

static void take(void *data, struct incident *inc)
{
	struct found *f = data;

	assert_true(f->n < 16);
	f->inc[f->n++] = inc;
}

static void release(struct found *f)
{
	for (size_t i = 0; i < f->n; i++)
		incident_free(f->inc[i]);
	f->n = 0;
}

static struct profile *parse(enum profile_format fmt, const char *text)
{
	struct profile *p = profile_new(profile_format_name(fmt));
	struct profile_parser *pp = profile_parser_new(fmt, p);

	for (const char *l = text; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		profile_parser_line(pp, l, n);
		l += n + (nl != NULL);
	}
	profile_parser_finish(pp);
	profile_parser_free(pp);
	return p;
}

static void test_sniff(void **state)
{
	static const char script[] =
		"qemu-system-x86 51804 [038] 1220433.482117:     250000 cpu-clock:pppH: \n"
		"\tffffffff81855d01 _raw_spin_lock+0x21 ([kernel.kallsyms])\n"
		"\tffffffffc02443a9 tdp_page_fault+0x169 ([kvm])\n\n";
	static const char report[] = "# Samples: 4K of event 'cpu-clock'\n#\n"
		"# Overhead  Command  Shared Object  Symbol\n";
	static const char folded[] = "qemu;ioctl;kvm_vcpu_ioctl 12\nqemu;ioctl 3\n";
	static const char proc[] = "==> /proc/1747/stack <==\n[<0>] mutex_lock+0x1f/0x30\n";
	static const char dmesg[] = "[ 12.345678] BUG: unable to handle kernel\n"
		"[ 12.345679]  [<ffffffff818511b5>] schedule+0x35/0x80\n";
	static const char raw_stack[] = "ffff8819d1f17dc8 ffff882118dae840 ffff883ff0c27000\n";
	/* a 2.6 WARNING printed without timestamps: print_trace_address()'s
	   frames look like /proc/PID/stack lines, "Call Trace:" says which */
	static const char old_warn[] = "WARNING: at arch/x86/kernel/cpu/mtrr/generic.c:467\n"
		"Call Trace:\n[<ffffffff81067c33>] warn_slowpath_common+0x83/0xc0\n"
		"[<ffffffff81067cd1>] warn_slowpath_fmt+0x41/0x50\n"
		"[<ffffffff810d0e99>] ? request_threaded_irq+0x1c9/0x2e0\n"
		"[<ffffffff81028e4e>] generic_get_mtrr+0x11e/0x140\n";
	/* syslog lines start with a month of hex letters and may end in ')' */
	static const char syslog[] =
		"Dec  5 04:00:01 web2 kernel: [90001.000001] nginx[3301]: segfault at 0 ip "
		"000055d0c2a61a3c error 4 in nginx[55d0c2a00000+f7000] likely on CPU 0 (core 0, socket 0)\n"
		"Feb 15 04:10:00 web2 kernel: [90600.000001] e1000e 0000:00:19.0 eth0: Link is Up (Full)\n";
	/* /proc/PID/stack of a 3.x kernel still printed the addresses */
	static const char old_proc[] = "[<ffffffff81067c33>] mutex_lock+0x1f/0x30\n"
		"[<ffffffff81028e4e>] copy_net_ns+0x6e/0x120\n[<ffffffffffffffff>] 0xffffffffffffffff\n";

	(void)state;
	assert_int_equal(sniff_input(script, sizeof(script) - 1), INPUT_PERF_SCRIPT);
	assert_int_equal(sniff_input(report, sizeof(report) - 1), INPUT_PERF_REPORT);
	assert_int_equal(sniff_input(folded, sizeof(folded) - 1), INPUT_FOLDED);
	/* C++ frames hold blanks and "::"; a test summary's ": " is no frame */
	assert_int_equal(sniff_input("app;std::vector<int, std::allocator<int> >::push_back 7\n", 56),
			 INPUT_FOLDED);
	assert_int_equal(sniff_input("Test results: failed: 9; error: 4\n", 34), INPUT_LOG);
	assert_int_equal(sniff_input(proc, sizeof(proc) - 1), INPUT_PROC_STACKS);
	assert_int_equal(sniff_input(dmesg, sizeof(dmesg) - 1), INPUT_LOG);
	assert_int_equal(sniff_input(raw_stack, sizeof(raw_stack) - 1), INPUT_LOG);
	assert_int_equal(sniff_input(old_warn, sizeof(old_warn) - 1), INPUT_LOG);
	assert_int_equal(sniff_input(syslog, sizeof(syslog) - 1), INPUT_LOG);
	assert_int_equal(sniff_input(old_proc, sizeof(old_proc) - 1), INPUT_PROC_STACKS);
	assert_int_equal(sniff_input("PK\3\4rest", 8), INPUT_ARCHIVE);
	assert_int_equal(sniff_input("070701000", 9), INPUT_ARCHIVE);
	assert_int_equal(sniff_input("\x7f" "ELF\2\1\1\0\0\0\0", 11), INPUT_BINARY);
}

/* 10 samples spinning under tdp_page_fault, 2 under mmu_shrink_scan, 8 idle. */
static void test_contention(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	struct found f = { { NULL }, 0 };
	struct profile *p;

	(void)state;
	for (int i = 0; i < 10; i++)
		strbuf_addf(&sb, "qemu %d [001] 100.%06d: 1 cpu-clock: \n"
			    "\tffffffff810ca9c0 native_queued_spin_lock_slowpath+0x10 ([kernel.kallsyms])\n"
			    "\tffffffff81855d01 _raw_spin_lock+0x21 ([kernel.kallsyms])\n"
			    "\tffffffffc02443a9 tdp_page_fault+0x169 ([kvm])\n"
			    "\tffffffffc023d93d kvm_mmu_page_fault+0x2d ([kvm])\n\n", 100 + i, i);
	for (int i = 0; i < 2; i++)
		strbuf_addstr(&sb, "kswapd0 211 [007] 101.000000: 1 cpu-clock: \n"
			      "\tffffffff81855d01 _raw_spin_lock+0x21 ([kernel.kallsyms])\n"
			      "\tffffffffc0238c21 mmu_shrink_scan+0xf1 ([kvm])\n"
			      "\tffffffff811a8a36 shrink_slab.part.40+0x1f6 ([kernel.kallsyms])\n\n");
	for (int i = 0; i < 8; i++)
		strbuf_addstr(&sb, "swapper 0 [003] 102.000000: 1 cpu-clock: \n"
			      "\tffffffff81064b86 native_safe_halt+0x6 ([kernel.kallsyms])\n"
			      "\tffffffff81037e3e default_idle+0x1e ([kernel.kallsyms])\n\n");
	p = parse(PROFILE_PERF_SCRIPT, sb.buf);
	assert_int_equal(profile_samples(p), 20);
	assert_int_equal(profile_nr_stacks(p), 3);	/* distinct stacks, not samples */
	assert_int_equal(profile_findings(p, 10, "x", 1, take, &f), 2);
	assert_string_equal(f.inc[0]->title, "lock contention in tdp_page_fault");
	assert_int_equal(f.inc[0]->profile->finding_samples, 10);
	assert_string_equal(f.inc[0]->stacks[0].frames[2].module, "kvm");
	assert_string_equal(f.inc[1]->title, "lock contention in mmu_shrink_scan");
	assert_true(f.inc[0]->profile->duration > 1.9 && f.inc[0]->profile->duration < 2.1);
	assert_string_equal(f.inc[0]->profile->comms[0].name, "qemu");
	assert_string_equal(f.inc[0]->profile->event, "cpu-clock");
	/* the hash is the function and its callers, not the samples */
	assert_string_not_equal(f.inc[0]->hash, f.inc[1]->hash);
	release(&f);
	/* above 60% only tdp_page_fault (50%) is gone too */
	assert_int_equal(profile_findings(p, 60, "x", 1, take, &f), 0);
	profile_free(p);
	strbuf_release(&sb);
}

/* -F comm,tid,time,ip,sym,dso without callchains: "ip sym (dso)" on the line. */
static void test_script_no_callchain(void **state)
{
	struct profile *p;
	struct found f = { { NULL }, 0 };

	(void)state;
	p = parse(PROFILE_PERF_SCRIPT,
		  "  qemu 51804 1220433.482117: cpu-clock:  ffffffff81855d01 memcpy_orig+0x21 ([kernel.kallsyms])\n"
		  "  qemu 51804 1220433.482118: cpu-clock:  ffffffff81855d01 ext4_mb_regular_allocator+0x21 ([kernel.kallsyms])\n"
		  "  qemu 51804 1220433.482119: cpu-clock:  ffffffff81855d01 ext4_mb_regular_allocator+0x21 ([kernel.kallsyms])\n");
	/* leading blanks: comm padded by "%16s" — still sample lines */
	assert_int_equal(profile_samples(p), 3);
	assert_int_equal(profile_findings(p, 50, "x", 1, take, &f), 1);
	assert_string_equal(f.inc[0]->title, "high CPU in ext4_mb_regular_allocator");
	release(&f);
	profile_free(p);
}

static const char callee_graph[] =
	"# Samples: 100 of event 'cycles'\n"
	"# Overhead  Command  Shared Object      Symbol\n"
	"    60.00%  qemu     [kernel.kallsyms]  [k] _raw_spin_lock\n"
	"            |\n"
	"            ---_raw_spin_lock\n"
	"               |\n"
	"               |--40.00%--tdp_page_fault\n"
	"               |          kvm_mmu_page_fault\n"
	"               |\n"
	"                --20.00%--mmu_shrink_scan\n"
	"                          shrink_slab\n"
	"\n"
	"    40.00%  qemu     [kvm_intel]        [k] vmx_vcpu_run\n"
	"\n";

static bool has_stack(void *data, const char *const *funcs, const char *const *mods,
		      size_t n, uint64_t count)
{
	const char **want = data;

	(void)mods;
	if (n == 3 && !strcmp(funcs[0], want[0]) && !strcmp(funcs[1], want[1]) &&
	    !strcmp(funcs[2], want[2]) && count == (uint64_t)atoi(want[3]))
		want[4] = "found";
	return true;
}

static void test_report_orders(void **state)
{
	const char *want[5] = { "_raw_spin_lock", "tdp_page_fault", "kvm_mmu_page_fault", "40", NULL };
	struct profile *p;

	(void)state;
	p = parse(PROFILE_PERF_REPORT, callee_graph);
	assert_int_equal(profile_samples(p), 100);
	profile_foreach_stack(p, has_stack, want);
	assert_non_null(want[4]);
	profile_free(p);
	/* caller order: the chain starts at the outermost caller */
	p = parse(PROFILE_PERF_REPORT,
		  "# Samples: 100 of event 'cycles'\n"
		  "# Overhead  Command  Shared Object      Symbol\n"
		  "    60.00%  qemu     [kernel.kallsyms]  [k] _raw_spin_lock\n"
		  "            |\n"
		  "            |--40.00%--kvm_mmu_page_fault\n"
		  "            |          tdp_page_fault\n"
		  "            |          _raw_spin_lock\n"
		  "            |\n"
		  "             --20.00%--shrink_slab\n"
		  "                       mmu_shrink_scan\n"
		  "\n");
	want[4] = NULL;
	profile_foreach_stack(p, has_stack, want);
	assert_non_null(want[4]);
	/* the chain that stops short of the entry gets it as its innermost frame */
	want[0] = "_raw_spin_lock"; want[1] = "mmu_shrink_scan"; want[2] = "shrink_slab";
	want[3] = "20"; want[4] = NULL;
	profile_foreach_stack(p, has_stack, want);
	assert_non_null(want[4]);
	profile_free(p);
}

static void test_folded(void **state)
{
	struct profile *p;
	const char *want[5] = { "c", "b", "a", "7", NULL };

	(void)state;
	p = parse(PROFILE_FOLDED, "a;b_[k];c 5\na;b;c 2\nnot a stack\n\nx 1\n");
	assert_int_equal(profile_samples(p), 8);
	profile_foreach_stack(p, has_stack, want);
	assert_non_null(want[4]);
	profile_free(p);
}

static void test_proc_shapes(void **state)
{
	static const char *const lines[] = {
		"  PID S WCHAN      COMMAND",
		" 1747 D copy_net_ns ip",
		"==> /proc/1747/stack <==",
		"[<0>] mutex_lock+0x1f/0x30",
		"[<0>] copy_net_ns+0x6e/0x120",
		"",
		"/proc/1812/status:State:\tS (sleeping)",
		"/proc/1812/stack:[<ffffffff8124b3a5>] poll_schedule_timeout+0x45/0x60",
		"/proc/1812/stack:[<ffffffff8124c9a2>] do_select+0x5d2/0x7a0",
		"900 sshd",
		"[<0>] ep_poll+0x2c/0x40",
	};
	struct proc_parser *pp = proc_parser_new("cap");
	struct found f = { { NULL }, 0 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		proc_parser_line(pp, lines[i], strlen(lines[i]), i + 1);
	proc_parser_finish(pp, take, &f);
	proc_parser_free(pp);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.inc[0]->title, "task hung in copy_net_ns");
	assert_string_equal(f.inc[0]->task.comm, "ip");
	assert_int_equal(f.inc[0]->source.line, 3);
	assert_string_equal(f.inc[1]->title, "task sleeping in do_select");
	assert_int_equal(f.inc[1]->task.pid, 1812);
	assert_string_equal(f.inc[2]->title, "task in ep_poll");
	assert_string_equal(f.inc[2]->task.comm, "sshd");
	release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff),
		cmocka_unit_test(test_contention),
		cmocka_unit_test(test_script_no_callchain),
		cmocka_unit_test(test_report_orders),
		cmocka_unit_test(test_folded),
		cmocka_unit_test(test_proc_shapes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
