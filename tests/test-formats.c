/*
** test-formats: the report-format table and the general causes of issue 12,
** each on a log written here from the printing kernel function's format
** string (linux-source-6.1 and older eras), not copied from a corpus. Names
** like drv_probe() or mydrv_ioctl() are invented stand-ins for the driver
** code at fault.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "formats.h"
#include "generic_frames.h"
#include "scan-harness.h"

/* The pattern language of the frame lists: substring, '^', '$', '*'. */
static void test_frame_patterns(void **state)
{
	(void)state;
	assert_true(frame_name_matches("kobject_", "__kobject_del"));
	assert_true(frame_name_matches("alloc_page", "__alloc_pages_bulk"));
	assert_true(frame_name_matches("^down$", "down"));
	assert_false(frame_name_matches("^down$", "shutdown"));
	assert_false(frame_name_matches("^down$", "down_read"));
	assert_true(frame_name_matches("^mutex_", "mutex_lock_nested"));
	assert_false(frame_name_matches("^mutex_", "my_mutex_helper"));
	assert_true(frame_name_matches("_trap$", "do_error_trap"));
	assert_false(frame_name_matches("_trap$", "trap_handler"));
	assert_true(frame_name_matches("copy_*_iter", "_copy_to_iter"));
	assert_true(frame_name_matches("^test_and_*_bit$", "test_and_set_bit"));
	assert_false(frame_name_matches("^test_and_*_bit$", "test_and_set_bits_x"));
	assert_true(frame_name_matches("^rcu_*_kthread$", "rcu_gp_kthread"));
}

/* Cause 1: skip entries are searched for anywhere in the name (TITLES.md). */
static void test_substring_skips(void **state)
{
	static const char *const machinery[] = {
		"__kobject_del", "__alloc_pages_bulk", "reacquire_held_locks",
		"look_up_lock_class", "ref_tracker_free", "create_object", "kvasprintf_const",
		"handle_overflow", "_raw_spin_lock_irqsave", "kfree_skb_reason",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(machinery) / sizeof(machinery[0]); i++) {
		print_message("%s\n", machinery[i]);
		assert_true(generic_frame_is(machinery[i], KIND_WARNING));
	}
	assert_false(generic_frame_is("drv_probe", KIND_WARNING));
	assert_false(generic_frame_is("tick_handler", KIND_LOCKDEP));
	assert_false(generic_frame_is("drm_atomic_commit", KIND_WARNING));

	/* __warn()'s report: the title skips every machinery frame above it */
	struct seen s;
	expect_first(&s,
		T("5.000001") "------------[ cut here ]------------\n"
		T("5.000002") "WARNING: CPU: 1 PID: 77 at lib/refcount.c:28 refcount_warn_saturate+0x1/0x2\n"
		T("5.000003") "Call Trace:\n"
		T("5.000004") " <TASK>\n"
		T("5.000005") " ref_tracker_free+0x10/0x20\n"
		T("5.000006") " __kobject_del+0x10/0x20\n"
		T("5.000007") " kobject_put+0x10/0x20\n"
		T("5.000008") " drv_remove+0x10/0x20\n"
		T("5.000009") " </TASK>\n"
		T("5.000010") "---[ end trace 0000000000000000 ]---\n",
		KIND_WARNING, "WARNING: refcount bug in drv_remove", false);
	release(&s);
}

/* Cause 2: a damaged report still names the function read before the damage. */
static void test_damaged_names_function(void **state)
{
	struct seen s;

	(void)state;
	/* cut at the end of input after its first frames */
	expect_first(&s,
		T("7.000001") "general protection fault, probably for non-canonical address 0xdffffc0000000001: 0000 [#1] PREEMPT SMP KASAN\n"
		T("7.000002") "CPU: 0 PID: 9 Comm: kworker/0:1 Not tainted 6.1.0 #1\n"
		T("7.000003") "RIP: 0010:drv_xmit+0x10/0x20\n"
		T("7.000004") "Call Trace:\n"
		T("7.000005") " <TASK>\n"
		T("7.000006") " dev_hard_start_xmit+0x10/0x20\n",
		KIND_GPF, "general protection fault in drv_xmit", false);
	release(&s);

	/* fail_dump() printed into the report: frames before it name the bug,
	   the report is flagged */
	struct incident *inc = expect_first(&s,
		T("8.000001") "BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		T("8.000002") "CPU: 0 PID: 9 Comm: syz Not tainted 6.1.0 #1\n"
		T("8.000003") "RIP: 0010:mydrv_ioctl+0x10/0x20\n"
		T("8.000004") "Call Trace:\n"
		T("8.000005") " <TASK>\n"
		T("8.000006") " vfs_ioctl+0x10/0x20\n"
		T("8.000007") "FAULT_INJECTION: forcing a failure.\n"
		T("8.000008") " other_func+0x10/0x20\n"
		T("8.000009") "CPU: 1 PID: 10 Comm: syz Not tainted 6.1.0 #1\n"
		T("8.000010") "Call Trace:\n"
		T("8.000011") " dump_stack_lvl+0x10/0x20\n"
		T("8.000012") " should_fail+0x10/0x20\n"
		T("8.000013") " __kmalloc+0x10/0x20\n",
		KIND_OOPS, "BUG: unable to handle kernel NULL pointer dereference in mydrv_ioctl",
		true);
	assert_string_equal(inc->corrupt_reason, "frames from a fault-injection stack mixed in");
	release(&s);
}

/* Cause 3: secondary information never supplies the guilty frame. */
static void test_secondary_information(void **state)
{
	struct seen s;

	(void)state;
	/* __might_resched(): "Preemption disabled at:" names where, not who */
	expect_first(&s,
		T("9.000001") "BUG: sleeping function called from invalid context at mm/slab.h:123\n"
		T("9.000002") "in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 5, name: syz\n"
		T("9.000003") "Preemption disabled at:\n"
		T("9.000004") "[<ffffffff81000000>] other_lock_taker+0x10/0x20\n"
		T("9.000005") "CPU: 0 PID: 5 Comm: syz Not tainted 6.1.0 #1\n"
		T("9.000006") "Call Trace:\n"
		T("9.000007") " <TASK>\n"
		T("9.000008") " dump_stack_lvl+0x10/0x20\n"
		T("9.000009") " __might_resched+0x10/0x20\n"
		T("9.000010") " kmem_cache_alloc+0x10/0x20\n"
		T("9.000011") " mydrv_alloc_ctx+0x10/0x20\n"
		T("9.000012") " </TASK>\n",
		KIND_BUG, "BUG: sleeping function called from invalid context in mydrv_alloc_ctx",
		false);
	release(&s);

	/* kasan_report(): the access stack, not "Allocated by"/"Freed by" */
	expect_first(&s,
		T("10.000001") "BUG: KASAN: use-after-free in kfree_skb_reason+0x10/0x20\n"
		T("10.000002") "Read of size 4 at addr ffff888012345678 by task syz/5\n"
		T("10.000003") "Call Trace:\n"
		T("10.000004") " <TASK>\n"
		T("10.000005") " kasan_report+0x10/0x20\n"
		T("10.000006") " kfree_skb_reason+0x10/0x20\n"
		T("10.000007") " mydrv_rx+0x10/0x20\n"
		T("10.000008") " </TASK>\n"
		T("10.000009") "Allocated by task 4:\n"
		T("10.000010") " alloc_owner+0x10/0x20\n"
		T("10.000011") "Freed by task 3:\n"
		T("10.000012") " free_owner+0x10/0x20\n",
		KIND_KASAN, "KASAN: use-after-free Read in mydrv_rx", false);
	release(&s);
}

/* nmi_cpu_backtrace() of other CPUs, printed after a hung task's stack */
static void test_other_cpus_backtraces(void **state)
{
	struct seen s;

	(void)state;
	expect_first(&s,
		T("31.000001") "INFO: task mydaemon:123 blocked for more than 143 seconds.\n"
		T("31.000002") "      Not tainted 6.1.0 #1\n"
		T("31.000003") "task:mydaemon        state:D stack:0     pid:123   ppid:1      flags:0x00004000\n"
		T("31.000004") "Call Trace:\n"
		T("31.000005") " <TASK>\n"
		T("31.000006") " __schedule+0x10/0x20\n"
		T("31.000007") " schedule+0x10/0x20\n"
		T("31.000008") " kthread+0x10/0x20\n"
		T("31.000009") " </TASK>\n"
		T("31.000010") "NMI backtrace for cpu 1\n"
		T("31.000011") "CPU: 1 PID: 77 Comm: busy Not tainted 6.1.0 #1\n"
		T("31.000012") "Call Trace:\n"
		T("31.000013") " <IRQ>\n"
		T("31.000014") " nmi_cpu_backtrace+0x10/0x20\n"
		T("31.000015") " </IRQ>\n"
		T("31.000016") " <TASK>\n"
		T("31.000017") " unrelated_busy_loop+0x10/0x20\n"
		T("31.000018") " </TASK>\n",
		KIND_HUNG_TASK, "INFO: task hung in corrupted", true);
	release(&s);
}

/* Cause 4: formats that were not known. */
static void test_new_formats(void **state)
{
	struct seen s;

	(void)state;
	/* usercopy_abort(): pr_emerg() then BUG() in mm/usercopy.c */
	expect_first(&s,
		T("11.000001") "usercopy: Kernel memory exposure attempt detected from SLUB object 'kmalloc-64' (offset 0, size 128)!\n"
		T("11.000002") "------------[ cut here ]------------\n"
		T("11.000003") "kernel BUG at mm/usercopy.c:99!\n"
		T("11.000004") "invalid opcode: 0000 [#1] PREEMPT SMP\n"
		T("11.000005") "RIP: 0010:usercopy_abort+0x10/0x20\n"
		T("11.000006") "Call Trace:\n"
		T("11.000007") " __check_object_size+0x10/0x20\n"
		T("11.000008") " mydrv_read+0x10/0x20\n",
		KIND_BUG, "BUG: bad usercopy in mydrv_read", false);
	release(&s);

	/* schedule_debug(): panic("corrupted stack end detected inside scheduler\n") */
	expect_first(&s,
		T("12.000001") "Kernel panic - not syncing: corrupted stack end detected inside scheduler\n"
		T("12.000002") "CPU: 0 PID: 5 Comm: syz Not tainted 6.1.0 #1\n"
		T("12.000003") "Call Trace:\n"
		T("12.000004") " dump_stack_lvl+0x10/0x20\n"
		T("12.000005") " panic+0x10/0x20\n"
		T("12.000006") " __schedule+0x10/0x20\n"
		T("12.000007") " schedule+0x10/0x20\n"
		T("12.000008") " deep_recursor+0x10/0x20\n",
		KIND_PANIC, "kernel panic: corrupted stack end in deep_recursor", false);
	release(&s);

	/* handle_stack_overflow(): "BUG: %s stack guard page was hit at %p (stack is %p..%p)" */
	expect_first(&s,
		T("13.000001") "BUG: IRQ stack guard page was hit at 00000000a1b2c3d4 (stack is 00000000deadbeef..00000000cafebabe)\n"
		T("13.000002") "kernel stack overflow (double-fault): 0000 [#1] SMP\n"
		T("13.000003") "Call Trace:\n"
		T("13.000004") " recursor+0x10/0x20\n"
		T("13.000005") " recursor+0x10/0x20\n"
		T("13.000006") " rtnetlink_rcv_msg+0x10/0x20\n",
		KIND_BUG, "BUG: stack guard page was hit in recursor", false);
	release(&s);

	/* unwind_next_frame(): "WARNING: kernel stack regs at %p in %s:%d has bad 'bp' value %p" */
	expect_first(&s,
		T("14.000001") "WARNING: kernel stack regs at 00000000a1b2c3d4 in syz-executor:123 has bad 'bp' value 0000000000000001\n"
		T("14.000002") "unwind stack type:0 next_sp:0000000000000000 mask:0x2 graph_idx:0\n"
		T("14.000003") "00000000a1b2c3d4: ffff888012345678 (0xffff888012345678)\n",
		KIND_WARNING, "WARNING: kernel stack regs has bad 'bp' value", false);
	release(&s);

	/* filp_close()'s CHECK_DATA_CORRUPTION(): a WARN()'s text (6.x) ... */
	expect_first(&s,
		T("15.000001") "------------[ cut here ]------------\n"
		T("15.000002") "VFS: Close: file count is 0 (f_op=mydrv_fops)\n"
		T("15.000003") "WARNING: CPU: 0 PID: 5 at fs/open.c:1427 filp_close+0x10/0x20\n"
		T("15.000004") "Call Trace:\n"
		T("15.000005") " close_fd+0x10/0x20\n",
		KIND_WARNING, "VFS: Close: file count is zero (use-after-free)", false);
	release(&s);
	/* ... or alone (2.6's printk) */
	expect_first(&s,
		T("16.000001") "VFS: Busy inodes after unmount of sdb1. Self-destruct in 5 seconds.  Have a nice day...\n"
		T("16.000002") "EXT4-fs (sda1): mounted filesystem\n",
		KIND_BUG, "VFS: Busy inodes after unmount (use-after-free)", false);
	release(&s);

	/* panic(): a message keeps its words up to the first variable part */
	expect_first(&s,
		T("17.000001") "Kernel panic - not syncing: Couldn't open N_TTY ldisc for ptm3 --- error -12.\n",
		KIND_PANIC, "kernel panic: Couldn't open N_TTY ldisc", false);
	release(&s);
	expect_first(&s,
		T("17.100001") "Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(8,1)\n",
		KIND_PANIC, "kernel panic: VFS: Unable to mount root fs on unknown-block(NUM,NUM)", false);
	release(&s);

	/* arm64/riscv die_kernel_fault(): the x86 title */
	expect_first(&s,
		T("18.000001") "Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010\n"
		T("18.000002") "Mem abort info:\n"
		T("18.000003") "Internal error: Oops: 0000000096000005 [#1] PREEMPT SMP\n"
		T("18.000004") "pc : mydrv_probe+0x10/0x20\n"
		T("18.000005") "Call trace:\n"
		T("18.000006") " mydrv_probe+0x10/0x20\n"
		T("18.000007") " platform_probe+0x10/0x20\n",
		KIND_OOPS, "BUG: unable to handle kernel NULL pointer dereference in mydrv_probe", false);
	release(&s);
	/* powerpc __bad_page_fault(): "BUG: Kernel NULL pointer dereference on read at 0x%08lx" */
	expect_first(&s,
		T("19.000001") "BUG: Kernel NULL pointer dereference on read at 0x00000010\n"
		T("19.000002") "Faulting instruction address: 0xc000000000123456\n"
		T("19.000003") "NIP [c000000000123456] mydrv_probe+0x10/0x20\n"
		T("19.000004") "Call Trace:\n"
		T("19.000005") "[c000000012345678] [c000000000123456] mydrv_probe+0x10/0x20 (unreliable)\n"
		T("19.000006") "[c000000012345679] [c000000000123457] platform_probe+0x10/0x20\n",
		KIND_OOPS, "BUG: unable to handle kernel NULL pointer dereference in mydrv_probe", false);
	release(&s);
}

/* Cause 4: C++-mangled and Rust names. */
static void test_foreign_names(void **state)
{
	char buf[128];
	struct seen s;

	(void)state;
	generic_frame_clean_name("_Z8fakeNameiii", buf, sizeof(buf));
	assert_string_equal(buf, "fakeName");
	generic_frame_clean_name("_ZN3foo3barEv", buf, sizeof(buf));
	assert_string_equal(buf, "bar");
	generic_frame_clean_name("_ZN6kernel3foo3Bar3baz17h0123456789abcdefE", buf, sizeof(buf));
	assert_string_equal(buf, "kernel::foo::Bar::baz");
	generic_frame_clean_name("__x64_sys_unshare", buf, sizeof(buf));
	assert_string_equal(buf, "sys_unshare");

	/* rust/kernel/lib.rs panic(): pr_emerg!("{}\n", info), then BUG() */
	expect_first(&s,
		T("20.000001") "rust_kernel: panicked at 'attempt to add with overflow', rust/kernel/foo.rs:12:5\n"
		T("20.000002") "------------[ cut here ]------------\n"
		T("20.000003") "kernel BUG at rust/helpers.c:34!\n"
		T("20.000004") "invalid opcode: 0000 [#1] PREEMPT SMP\n"
		T("20.000005") "Call Trace:\n"
		T("20.000006") " rust_begin_unwind+0x10/0x20\n"
		T("20.000007") " _ZN6kernel3foo3Bar3baz17h0123456789abcdefE+0x10/0x20\n",
		KIND_BUG, "attempt to add with overflow in kernel::foo::Bar::baz", false);
	release(&s);
}

/* Cause 5: older eras. */
static void test_older_eras(void **state)
{
	struct seen s;
	struct incident *inc;

	(void)state;
	/* 3.x show_regs_common(): "Pid: N, comm: NAME" between the header and the trace */
	inc = expect_first(&s,
		T("21.000001") "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008\n"
		T("21.000002") "IP: [<ffffffffa0123456>] mydrv_open+0x10/0x20 [mydrv]\n"
		T("21.000003") "Oops: 0000 [#1] SMP\n"
		T("21.000004") "Pid: 1234, comm: cat Not tainted 3.2.0-4-amd64 #1 Debian 3.2.51-1\n"
		T("21.000005") "Call Trace:\n"
		T("21.000006") " [<ffffffff81123456>] chrdev_open+0x10/0x20\n"
		T("21.000007") " [<ffffffff81123457>] do_dentry_open+0x10/0x20\n",
		KIND_OOPS, "BUG: unable to handle kernel NULL pointer dereference in mydrv_open", false);
	assert_string_equal(inc->task.comm, "cat");
	assert_int_equal(inc->task.pid, 1234);
	assert_string_equal(inc->kernel.release, "3.2.0-4-amd64");
	release(&s);

	/* 2.6/3.x lockdep banners are bracketed */
	expect_first(&s,
		T("22.000001") "=======================================================\n"
		T("22.000002") "[ INFO: possible circular locking dependency detected ]\n"
		T("22.000003") "3.8.0 #1 Not tainted\n"
		T("22.000004") "-------------------------------------------------------\n"
		T("22.000005") "cat/1234 is trying to acquire lock:\n"
		T("22.000006") " (&dev->lock){+.+.+.}, at: [<ffffffff81123456>] mydrv_read+0x10/0x20\n"
		T("22.000007") "but task is already holding lock:\n"
		T("22.000008") " (&sb->s_type->i_mutex_key){+.+.+.}, at: [<ffffffff81123457>] vfs_read+0x10/0x20\n"
		T("22.000009") "stack backtrace:\n"
		T("22.000010") "Pid: 1234, comm: cat Not tainted 3.8.0 #1\n"
		T("22.000011") "Call Trace:\n"
		T("22.000012") " [<ffffffff81123458>] dump_stack+0x10/0x20\n",
		KIND_LOCKDEP, "possible deadlock in mydrv_read", false);
	release(&s);

	/* slab_bug() and print_track(): a complete SLUB report, not a corrupted one */
	expect_first(&s,
		T("23.000001") "=============================================================================\n"
		T("23.000002") "BUG kmalloc-64 (Not tainted): Poison overwritten\n"
		T("23.000003") "-----------------------------------------------------------------------------\n"
		T("23.000004") "INFO: 0xffff880012345678-0xffff880012345679. First byte 0x6a instead of 0x6b\n"
		T("23.000005") "INFO: Allocated in mydrv_alloc+0x10/0x20 age=10 cpu=0 pid=1\n"
		T("23.000006") "\tkmem_cache_alloc_trace+0x10/0x20\n"
		T("23.000007") "\tmydrv_alloc+0x10/0x20\n"
		T("23.000008") "INFO: Freed in mydrv_free+0x10/0x20 age=5 cpu=0 pid=1\n"
		T("23.000009") "\tkfree+0x10/0x20\n"
		T("23.000010") "\tmydrv_free+0x10/0x20\n",
		KIND_BUG, "BUG: Poison overwritten", false);
	release(&s);

	/* 3.x WARN(1, "Watchdog detected hard LOCKUP on cpu %d"): one report */
	scan_text(
		T("24.000001") "------------[ cut here ]------------\n"
		T("24.000002") "WARNING: at kernel/watchdog.c:245 watchdog_overflow_callback+0x9c/0xd0()\n"
		T("24.000003") "Hardware name: Bochs\n"
		T("24.000004") "Watchdog detected hard LOCKUP on cpu 0\n"
		T("24.000005") "Pid: 0, comm: swapper/0 Not tainted 3.8.9-200.fc18.x86_64 #1\n"
		T("24.000006") "Call Trace:\n"
		T("24.000007") " <NMI>  [<ffffffff810eb800>] ? watchdog_overflow_callback+0x60/0xd0\n"
		T("24.000008") " [<ffffffff8105cd86>] warn_slowpath_common+0x66/0x80\n"
		T("24.000009") " [<ffffffff811261ce>] __perf_event_overflow+0x8e/0x220\n"
		T("24.000010") " <<EOE>>  [<ffffffff810944f0>] busy_looper+0x90/0xa0\n"
		T("24.000011") " [<ffffffff8101c06b>] cpu_idle+0x11b/0x140\n"
		T("24.000012") "---[ end trace 1234567890abcdef ]---\n", &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.inc[0]->kind, KIND_HARD_LOCKUP);
	assert_string_equal(s.inc[0]->title, "BUG: hard lockup in busy_looper");
	assert_false(s.inc[0]->corrupted);
	release(&s);

	/* warn_slowpath_common() with the blank after "at" lost, its cut too */
	expect_first(&s,
		T("25.000001") "------------[ cut here]------------\n"
		T("25.000002") "WARNING: atdrivers/foo/bar.c:475 mydrv_setup+0x32/0x8e()\n"
		T("25.000003") "Pid: 912, comm: X Tainted: G        W    3.1.0 #1\n"
		T("25.000004") "Call Trace:\n"
		T("25.000005") " [<ffffffff814bc0c2>] system_call_fastpath+0x16/0x1b\n"
		T("25.000006") "---[ end trace e17fa7b6cce3a141 ]---\n",
		KIND_WARNING, "WARNING in mydrv_setup", false);
	release(&s);

	/* ppc64 ELFv1: kallsyms names functions by their dot entry symbols */
	expect_first(&s,
		T("26.000001") "------------[ cut here ]------------\n"
		T("26.000002") "WARNING: at drivers/foo/bar.c:12\n"
		T("26.000003") "NIP: c000000008068dfc LR: c000000008068df8 CTR: 00000000015c6170\n"
		T("26.000004") "NIP [c000000008068dfc] .mydrv_check+0x27c/0x390\n"
		T("26.000005") "Call Trace:\n"
		T("26.000006") "[c000000010f930b0] [c000000008068df8] .mydrv_check+0x278/0x390 (unreliable)\n"
		T("26.000007") "[c000000010f93150] [c000000008028668] .rtas_read_config+0x128/0x170\n",
		KIND_WARNING, "WARNING in mydrv_check", false);
	release(&s);
}

/* Cause 6: all-unreliable stacks are the stack for title and hash. */
static void test_all_unreliable(void **state)
{
	struct seen a, b;

	(void)state;
	scan_text(
		T("27.000001") "INFO: task mydaemon:123 blocked for more than 120 seconds.\n"
		T("27.000002") "      Not tainted 4.9.0-8-amd64 #1 Debian 4.9.130-2\n"
		T("27.000003") "mydaemon        D    0   123      1 0x00000000\n"
		T("27.000004") " [<ffffffff81600001>] ? __schedule+0x10/0x20\n"
		T("27.000005") " [<ffffffff81600002>] ? schedule+0x10/0x20\n"
		T("27.000006") " [<ffffffff81600003>] ? mutex_lock+0x10/0x20\n"
		T("27.000007") " [<ffffffff81600004>] ? mydrv_flush+0x10/0x20\n"
		T("27.000008") " [<ffffffff81600005>] ? mydrv_release+0x10/0x20\n", &a);
	scan_text(
		T("27.000001") "INFO: task mydaemon:123 blocked for more than 120 seconds.\n"
		T("27.000002") "      Not tainted 4.9.0-8-amd64 #1 Debian 4.9.130-2\n"
		T("27.000003") "mydaemon        D    0   123      1 0x00000000\n"
		T("27.000004") " [<ffffffff81600001>] __schedule+0x10/0x20\n"
		T("27.000005") " [<ffffffff81600002>] schedule+0x10/0x20\n"
		T("27.000006") " [<ffffffff81600003>] mutex_lock+0x10/0x20\n"
		T("27.000007") " [<ffffffff81600004>] mydrv_flush+0x10/0x20\n"
		T("27.000008") " [<ffffffff81600005>] mydrv_release+0x10/0x20\n", &b);
	assert_int_equal(a.n, 1);
	assert_string_equal(a.inc[0]->title, "INFO: task hung in mydrv_flush");
	assert_string_equal(a.inc[0]->title, b.inc[0]->title);
	assert_string_equal(a.inc[0]->hash, b.inc[0]->hash);
	release(&a);
	release(&b);
}

/* Cause 7: missed detections. */
static void test_missed_detections(void **state)
{
	struct seen s;

	(void)state;
	/* check_hung_task() cut right after its header: reported, flagged */
	expect_first(&s,
		T("28.000001") "INFO: task kworker/0:1:12 blocked for more than 120 seconds.\n",
		KIND_HUNG_TASK, "INFO: task hung in corrupted", true);
	release(&s);
	/* print_unreferenced() cut before its backtrace */
	expect_first(&s,
		T("29.000001") "unreferenced object 0xffff888012345678 (size 64):\n"
		T("29.000002") "  comm \"syz\", pid 1234, jiffies 4294967296 (age 12.340s)\n"
		T("29.000003") "  hex dump (first 32 bytes):\n",
		KIND_KMEMLEAK, "memory leak in corrupted", true);
	release(&s);
	/* a WARNING with no stack that printk itself marked (console level, kernel time) */
	expect_first(&s,
		"<4>" T("30.000001") "WARNING: mydrv firmware rejected the command\n"
		"<6>" T("30.000002") "mydrv 0000:00:01.0: resetting\n",
		KIND_WARNING, "WARNING: mydrv firmware rejected the command", false);
	release(&s);
	/* a program's "WARNING:" on the console, without printk's marks: not one */
	scan_text("WARNING: could not open /etc/foo.conf\nplain program output\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
	/* a Go runtime panic of a user program is not a kernel incident */
	scan_text("panic: runtime error: invalid memory address or nil pointer dereference\n"
		  "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a1b2c]\n"
		  "\n"
		  "goroutine 1 [running]:\n"
		  "main.main()\n"
		  "\t/src/main.go:12 +0x1d\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
	/* a changelog naming a sanitizer: ubsan_prologue() always prints a
	   source location after " in " */
	scan_text("    UBSAN: Fail tests if UB detected\n    \n    Suppressions are in devel/ubsan.supp.\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
	scan_text("UBSAN: Undefined behaviour in net/sunrpc/xprt.c:1512:10\n"
		  "signed integer overflow:\n", &s);
	assert_int_equal(s.n, 1);
	release(&s);
	/* a report pasted into a bug tracker or a .rst block, indented by a
	   tab: found from its header, not from a later line */
	scan_text("\tBUG: unable to handle kernel NULL pointer dereference at 0000000000000000\n"
		  "\tOops: 0002 [#1] SMP PTI\n"
		  "\tCPU: 0 PID: 4424 Comm: insmod Tainted: P           O      4.20.0 #1\n"
		  "\tRIP: 0010:mydrv_probe+0x13/0x1000 [mydrv]\n"
		  "\tCall Trace:\n"
		  "\t do_one_initcall+0x46/0x1c3\n"
		  "\t do_init_module+0x5a/0x210\n", &s);
	assert_int_equal(s.n, 1);
	assert_false(s.inc[0]->corrupt_reason && strstr(s.inc[0]->corrupt_reason, "header lost"));
	assert_string_equal(s.inc[0]->title, "BUG: unable to handle kernel NULL pointer dereference in mydrv_probe");
	release(&s);
	/* slab_bug() before 2.6.3x printed no taint: "BUG <cache>: <message>" */
	scan_text("=============================================================================\n"
		  "BUG kmalloc-8: Right Redzone overwritten\n"
		  "-----------------------------------------------------------------------------\n"
		  "\n"
		  "INFO: 0xc90f6d28-0xc90f6d2b. First byte 0x00 instead of 0xcc\n"
		  "INFO: Slab 0xc528c530 flags=0x400000c3 inuse=61 fp=0xc90f6d58\n"
		  "INFO: Allocated in get_modalias+0x61/0xf5 age=53 cpu=1 pid=554\n", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.inc[0]->title, "BUG: Right Redzone overwritten");
	release(&s);
	scan_text("BUG ALERT:  for some reason the first version of\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
	scan_text("BUG widget count went negative\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
}

/* Every row of the table documents itself and is seen by the prefilter's
   literals (tests/prefilter.sh checks the outputs; this the table). */
static void test_table_rows(void **state)
{
	size_t nr;
	const struct report_format *t = format_table(&nr);

	(void)state;
	assert_true(nr > 50);
	for (size_t i = 0; i < nr; i++) {
		if (t[i].kind == KIND_NONE && !t[i].flags)
			continue;	/* "not a report" rows */
		print_message("row %zu: %s%s\n", i, t[i].prefix, t[i].has ? t[i].has : "");
		assert_non_null(t[i].printer);
		assert_non_null(t[i].eras);
		assert_non_null(t[i].arches);
		assert_true(t[i].prefix[0] || t[i].has || t[i].test);
		if (t[i].kind != KIND_NONE)
			assert_ptr_equal(format_of_kind(t[i].kind)->kind, t[i].kind);
	}
	/* the row a header matches says how it starts */
	unsigned flags;
	assert_int_equal(classify_start("WARNING: atarch/x86/xen/mmu.c:475 f+0x1/0x2()", 46, &flags),
			 KIND_WARNING);
	assert_int_equal(flags, 0);
	assert_int_equal(classify_start("INFO: some driver said hello", 28, &flags), KIND_NONE);
	assert_int_equal(format_kind_end(KIND_MCE), END_ONE_LINE);
	assert_int_equal(format_kind_end(KIND_WARNING), END_STACK);
}

/* Other arches' die banners open or join a report; x86's "Oops: 0010 [#1]"
   (the same length as "Kernel BUG") and driver text do not match them. */
static void test_die_banners(void **state)
{
	static const struct { const char *line; enum incident_kind kind; } cases[] = {
		{ "Oops: Exception in kernel mode, sig: 4 [#1]", KIND_TRAP },	/* powerpc __die() */
		{ "Oops: Kernel access of bad area, sig: 11 [#1]", KIND_TRAP },
		{ "illegal operation: 0001 ilc:1 [#1] SMP ", KIND_TRAP },	/* s390 die() */
		{ "monitor event: 0040 ilc:2 [#1] SMP", KIND_TRAP },
		{ "Oops [#1]", KIND_TRAP },				/* riscv die() */
		{ "Oops - illegal instruction [#2]", KIND_TRAP },
		{ "Kernel BUG [#1]", KIND_BUG },
		{ "Oops: 0010 [#1] SMP KASAN", KIND_NONE },		/* x86 __die_header() */
		{ "Oops: efitime: can't read time!", KIND_NONE },
		{ "Oops [#1 is not a counter", KIND_NONE },
		{ "mydrv: state: 0001 ilc:1 [#1]", KIND_NONE },	/* not s390's shape */
		{ "Kernel BUG [#x]", KIND_NONE },
	};
	struct seen s;
	unsigned flags;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("%s\n", cases[i].line);
		assert_int_equal(classify_start(cases[i].line, strlen(cases[i].line), &flags),
				 cases[i].kind);
	}
	/* after the fault header it is the same report, named by the fault */
	scan_text(T("9.000001") "BUG: Kernel NULL pointer dereference on read at 0x00000010\n"
		  T("9.000002") "Faulting instruction address: 0xc0080000012a0134\n"
		  T("9.000003") "Oops: Kernel access of bad area, sig: 11 [#1]\n"
		  T("9.000004") "NIP [c0080000012a0134] mydrv_probe+0x34/0x120 [mydrv]\n"
		  T("9.000005") "Call Trace:\n"
		  T("9.000006") "[c00000000f0dbb90] [c000000000a8a37c] platform_probe+0x8c/0x100\n", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.inc[0]->title,
			    "BUG: unable to handle kernel NULL pointer dereference in mydrv_probe");
	release(&s);
	/* alone it is the report: an illegal instruction is x86's invalid opcode */
	expect_first(&s,
		T("9.100001") "Oops - illegal instruction [#1]\n"
		T("9.100002") "epc : mydrv_setup+0x1e/0x5a [mydrv]\n"
		T("9.100003") "[<ffffffff01a5301e>] mydrv_setup+0x1e/0x5a [mydrv]\n"
		T("9.100004") "[<ffffffff805a2b8e>] platform_probe+0x4e/0xa6\n",
		KIND_TRAP, "invalid opcode in mydrv_setup", false);
	release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_patterns),
		cmocka_unit_test(test_substring_skips),
		cmocka_unit_test(test_damaged_names_function),
		cmocka_unit_test(test_secondary_information),
		cmocka_unit_test(test_other_cpus_backtraces),
		cmocka_unit_test(test_new_formats),
		cmocka_unit_test(test_foreign_names),
		cmocka_unit_test(test_older_eras),
		cmocka_unit_test(test_all_unreliable),
		cmocka_unit_test(test_missed_detections),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_die_banners),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
