#include "formats.h"
#include "parse_headers.h"
#include "parse_body.h"
#include "oom.h"
#include "parse_kinds.h"
#include "reboot.h"
#include "util.h"

#include <string.h>

/* ---- tests a header needs beyond its prefix ---------------------------- */

/* Loop and nbd devices fail because of their backing file or server (and
   fuzzers make them fail all day): such errors are not disk failures. */
static bool on_virtual_device(const char *msg, size_t len)
{
	return mem_find(msg, len, "dev loop") || mem_find(msg, len, "dev nbd");
}

/* "WARNING: fs/jfs/jfs_dmap.c:2867 at dbAdjTree+0x454/0x4e0, CPU#0: …" */
static bool is_new_warning_header(const char *msg, size_t len)
{
	const char *p = msg + strlen("WARNING: "), *end = msg + len, *q;
	bool colon = false, dot = false;

	/* "WARNING: [condition] file.c:12 at …" */
	if (p < end && *p == '[' && (q = memchr(p, ']', (size_t)(end - p))) && q + 1 < end)
		p = q + 2;
	q = p;
	while (q < end && *q != ' ') {
		colon |= *q == ':';
		dot |= *q == '.';
		q++;
	}
	return colon && dot && mem_starts_with(q, (size_t)(end - q), " at ");
}

/*
 * "WARNING: at kernel/watchdog.c:245 f+0x9c/0xd0()" (2.6/3.x); some logs
 * lost the blank: "WARNING: atarch/x86/xen/mmu.c:475 f+0x32/0x8e()".
 */
static bool is_old_warning_header(const char *msg, size_t len)
{
	const char *p = msg + strlen("WARNING: at"), *end = msg + len, *q;

	if (p < end && *p == ' ')
		return true;
	q = p;
	while (q < end && *q != ' ' && *q != ':')
		q++;
	return q > p && q < end && *q == ':' && memchr(p, '.', (size_t)(q - p)) &&
	       q + 1 < end && q[1] >= '0' && q[1] <= '9';
}

/* The frame-pointer unwinder's complaints: followed by a raw stack dump. */
static bool is_unwinder_warning(const char *msg, size_t len)
{
	return (mem_starts_with(msg, len, "WARNING: kernel stack frame pointer at ") ||
		mem_starts_with(msg, len, "WARNING: kernel stack regs at ")) &&
	       mem_find(msg, len, " has bad ");
}

/* "WARNING: <lockdep message>", "INFO: …", "BUG: …", "[ INFO: … ]" */
static bool is_lockdep_message(const char *msg, size_t len)
{
	static const char *const lockdep_messages[] = {
		"possible circular locking dependency", "possible recursive locking",
		"inconsistent lock state", "suspicious RCU usage",
		"bad unlock balance", "held lock freed", "lock held when returning",
		"still has locks held", "nested lock was not taken",
		"trying to register non-static key", "possible irq lock inversion",
		"lock held at task exit", "Nested lock was not taken",
		"HARDIRQ-safe -> HARDIRQ-unsafe", "SOFTIRQ-safe -> SOFTIRQ-unsafe",
		"HARDIRQ-READ-safe", "SOFTIRQ-READ-safe", "Invalid wait context",
	};
	const char *sp;
	size_t rest;

	mem_skip_prefix(&msg, &len, "[ ");	/* 2.6/3.x: "[ INFO: … ]" */
	sp = memchr(msg, ' ', len < 12 ? len : 12);
	if (!sp)
		return false;
	sp++;
	rest = len - (size_t)(sp - msg);
	for (size_t i = 0; i < ARRAY_SIZE(lockdep_messages); i++)
		if (mem_starts_with(sp, rest, lockdep_messages[i]))
			return true;
	/* "WARNING: syz-executor0/4350 still has locks held!" */
	return mem_find(sp, rest < 64 ? rest : 64, " still has locks held") != NULL;
}

/* SLUB: "BUG kmalloc-8 (Tainted: G B): Object already free" */
static bool is_slub_banner(const char *msg, size_t len)
{
	return format_slub_message(msg, len) != NULL;
}

/* A comm holding a newline splits "INFO: task NAME:PID blocked for …". */
static bool is_split_hung_header(const char *msg, size_t len)
{
	return mem_skip_prefix(&msg, &len, "INFO: task ") && len && !memchr(msg, ' ', len);
}

/* Newer kernels: "Oops: general protection fault, …", "Oops: int3: 0000" */
static bool oops_then(const char *msg, size_t len, enum incident_kind kind)
{
	const struct report_format *f;

	if (len <= 10 || !mem_skip_prefix(&msg, &len, "Oops: ") || (msg[0] >= '0' && msg[0] <= '9'))
		return false;
	f = format_find(msg, len);
	return f && f->kind == kind;
}

static bool oops_then_gpf(const char *msg, size_t len)
{
	return oops_then(msg, len, KIND_GPF);
}

static bool oops_then_trap(const char *msg, size_t len)
{
	return oops_then(msg, len, KIND_TRAP);
}

/* " [#N]": the die counter every arch's die banner ends with */
static const char *die_counter(const char *msg, size_t len)
{
	const char *p = mem_find(msg, len, " [#"), *end = msg + len, *q;

	if (!p)
		return NULL;
	for (q = p + 3; q < end && *q >= '0' && *q <= '9'; q++)
		;
	return q > p + 3 && q < end && *q == ']' ? p : NULL;
}

/* powerpc __die(): "Oops: Exception in kernel mode, sig: 5 [#1]" */
static bool is_powerpc_die(const char *msg, size_t len)
{
	const char *c = die_counter(msg, len), *sig = mem_find(msg, len, ", sig: ");

	return c && sig && sig < c && sig[7] >= '0' && sig[7] <= '9';
}

/* s390 die(): "illegal operation: 0001 ilc:1 [#1] SMP", "monitor event: 0040
   ilc:2 [#1]" — the message, the interruption code and its length */
static bool is_s390_die(const char *msg, size_t len)
{
	const char *c = die_counter(msg, len), *ilc = mem_find(msg, len, " ilc:");

	return c && ilc && ilc < c && ilc - msg > 6 && ilc[-5] == ' ' && ilc[-6] == ':' &&
	       is_hex_digit((unsigned char)ilc[-4]) && is_hex_digit((unsigned char)ilc[-1]) &&
	       !memchr(msg, '[', (size_t)(ilc - msg)) &&
	       !memchr(msg, ':', (size_t)(ilc - 6 - msg));	/* the message has no colon */
}

/* riscv die(): "Oops [#1]", "Oops - illegal instruction [#1]" */
static bool is_riscv_die(const char *msg, size_t len)
{
	const char *c = die_counter(msg, len);

	return c && (c - msg == 4 || mem_starts_with(msg, len, "Oops - "));
}

/* riscv do_trap_break(): "Kernel BUG [#1]" */
static bool is_riscv_bug(const char *msg, size_t len)
{
	const char *c = die_counter(msg, len);

	return c && (size_t)(c - msg) == strlen("Kernel BUG");
}

/*
 * ubsan_prologue() prints "UBSAN: <reason> in <file>:<line>:<col>" (5.11+;
 * before, the reason was "Undefined behaviour"): the words after the last
 * " in " are a source location. "UBSAN: Fail tests if UB detected" in a
 * changelog is not a report.
 */
static bool is_ubsan_location(const char *msg, size_t len)
{
	const char *in = NULL, *p = msg, *end = msg + len, *colon;

	for (const char *q; (q = mem_find(p, (size_t)(end - p), " in ")); p = q + 4)
		in = q + 4;
	if (!in || in >= end)
		return false;
	colon = memchr(in, ':', (size_t)(end - in));
	return colon && colon > in && colon + 1 < end && colon[1] >= '0' && colon[1] <= '9' &&
	       !memchr(in, ' ', (size_t)(colon - in));
}

static bool is_edac_error(const char *msg, size_t len)
{
	return mem_find(msg, len, " UE ") || mem_find(msg, len, " CE ") ||
	       mem_find(msg, len, "error");
}

static bool is_xfs_failure(const char *msg, size_t len)
{
	static const char *const what[] = {
		"Corruption", "metadata I/O error", "Filesystem has been shut down",
		"xfs_do_force_shutdown", "Internal error",
	};
	for (size_t i = 0; i < ARRAY_SIZE(what); i++)
		if (mem_find(msg, len, what[i]))
			return true;
	return false;
}

static bool is_nvme_failure(const char *msg, size_t len)
{
	return mem_find(msg, len, " timeout") || mem_find(msg, len, "controller is down") ||
	       mem_find(msg, len, "Removing after probe failure");
}

static bool is_fuzzer_failure(const char *msg, size_t len)
{
	return (msg[0] == 'S' || (msg[0] >= '0' && msg[0] <= '9')) &&
	       format_fuzzer_failure(msg, len) != NULL;
}

static bool has_user_ip(const char *msg, size_t len)
{
	return mem_find(msg, len, " ip ") != NULL;
}

/* "rust_kernel: panicked at 'attempt to add with overflow', f.rs:1:2" or,
   since Rust 1.73, "…: panicked at rust/kernel/f.rs:1:2:" */
static bool is_rust_panic(const char *msg, size_t len)
{
	const char *p = mem_find(msg, len, ": panicked at ");
	return p && p - msg < 64 && !memchr(msg, ' ', (size_t)(p - msg));
}

/* First-byte gates keep the per-line cost of these two tests low. */
static bool is_boot_banner(const char *msg, size_t len)
{
	return (msg[0] == 'S' || msg[0] == 'B') && reboot_is_banner(msg, len);
}

/* ---- the table --------------------------------------------------------- */

#define JOIN_NONE { { 0, 0, false, false }, { 0, 0, false, false } }
/* "kernel BUG at …" and a WARNING are followed by the trap that raised them */
#define JOIN_AFTER_BUG { { KIND_BIT(KIND_BUG) | KIND_BIT(KIND_WARNING) | KIND_BIT(KIND_TRAP), \
			   3, false, false }, { 0, 0, false, false } }
/* a die banner joins the fault or BUG report it follows (a few lines
   after its header: "Faulting instruction address:", "Mem abort info" …) */
#define JOIN_DIE { { KIND_BIT(KIND_OOPS) | KIND_BIT(KIND_BUG), 4, false, false }, \
		   { 0, 0, false, false } }
#define LOCKDEP_PRINTERS "lockdep: print_circular_bug_header(), print_deadlock_bug(), " \
	"print_usage_bug(), lockdep_rcu_suspicious(), print_unlock_imbalance_bug(), " \
	"print_freed_lock_bug(), assign_lock_key(), print_lock_invalid_wait_context()"
#define LOCKDEP_JOIN { { KIND_BIT(KIND_LOCKDEP), 2, true, false }, { 0, 0, false, false } }

static const struct report_format formats[] = {
	/* Restarts and the fuzzer's own failures come first: the segmenter
	   decides what a banner means (reboot.h). */
	{ .prefix = "", .test = is_boot_banner,
	  .what = "`SeaBIOS (version`, `Booting the kernel`", .kind = KIND_REBOOT, .join = JOIN_NONE,
	  .shape = TS_FIXED, .title = "unexpected kernel reboot", .end = END_ONE_LINE,
	  .printer = "the firmware or boot loader (SeaBIOS, the decompressor)",
	  .eras = "all", .arches = "x86" },
	{ .prefix = "", .test = is_fuzzer_failure,
	  .what = "`SYZFAIL:`, `SYZFATAL:`", .kind = KIND_FUZZER_FAILURE,
	  .join = JOIN_NONE, .shape = TS_FUZZER, .title = "SYZFAIL: <message>", .end = END_ONE_LINE,
	  .printer = "syzkaller's executor (SYZFAIL/SYZFATAL)", .eras = "4.x-6.x", .arches = "all" },

	/* SLUB debug; old KASAN (4.4) prints the same banner inside its own
	   report ("…): kasan: bad access detected"): not a report then. */
	{ .prefix = "BUG ", .has = "): kasan: ", .kind = KIND_NONE, .join = JOIN_NONE },
	{ .prefix = "BUG ", .test = is_slub_banner,
	  .what = "`BUG <cache> (<taint>): <message>`, `BUG <cache>: <message>`", .kind = KIND_BUG,
	  .join = JOIN_NONE,
	  .shape = TS_BUG, .title = "BUG: <message> in %F", .func = FUNC_STACK,
	  .printer = "slab_bug()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "BTRFS error", .kind = KIND_FS_ERROR, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY, .title = "BTRFS error",
	  .end = END_ONE_LINE, .printer = "btrfs_handle_fs_error(), btrfs_err()",
	  .eras = "3.x-6.x", .arches = "all" },
	{ .prefix = "BTRFS critical", .kind = KIND_FS_ERROR, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY, .title = "BTRFS critical",
	  .end = END_ONE_LINE, .printer = "btrfs_crit()", .eras = "3.x-6.x", .arches = "all" },

	/* Page faults in kernel mode */
	{ .prefix = "BUG: unable to handle", .kind = KIND_OOPS, .join = JOIN_NONE,
	  .parse = parse_fault_header, .shape = TS_OOPS,
	  .title = "BUG: unable to handle kernel paging request in %F", .func = FUNC_STACK,
	  .printer = "show_fault_oops() (no_context() before 4.x)", .eras = "2.6-6.x",
	  .arches = "x86" },
	{ .prefix = "BUG: kernel NULL pointer", .kind = KIND_OOPS, .join = JOIN_NONE,
	  .parse = parse_fault_header, .shape = TS_OOPS,
	  .title = "BUG: unable to handle kernel NULL pointer dereference in %F",
	  .func = FUNC_STACK, .printer = "show_fault_oops()", .eras = "5.x-6.x", .arches = "x86" },
	{ .prefix = "BUG: Kernel NULL pointer", .kind = KIND_OOPS, .join = JOIN_NONE,
	  .parse = parse_fault_header, .shape = TS_OOPS,
	  .title = "BUG: unable to handle kernel NULL pointer dereference in %F",
	  .func = FUNC_STACK, .printer = "__bad_page_fault()", .eras = "5.x-6.x",
	  .arches = "powerpc" },
	{ .prefix = "BUG: Unable to handle", .kind = KIND_OOPS, .join = JOIN_NONE,
	  .parse = parse_fault_header, .shape = TS_OOPS,
	  .title = "BUG: unable to handle kernel paging request in %F", .func = FUNC_STACK,
	  .printer = "__bad_page_fault()", .eras = "5.x-6.x", .arches = "powerpc" },
	{ .prefix = "BUG: soft lockup", .kind = KIND_SOFT_LOCKUP, .join = JOIN_NONE,
	  .parse = parse_lockup_header, .shape = TS_FIXED, .title = "BUG: soft lockup in %F",
	  .func = FUNC_STALL, .printer = "watchdog_timer_fn()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "BUG: KASAN:", .kind = KIND_KASAN, .join = JOIN_NONE,
	  .parse = parse_sanitizer_header, .shape = TS_SANITIZER,
	  .title = "KASAN: <bug type> <Read|Write> in %F", .func = FUNC_HEADER,
	  .printer = "print_error_description() (kasan_report())", .eras = "4.x-6.x",
	  .arches = "x86, arm64, riscv, s390" },
	{ .prefix = "BUG: KFENCE:", .kind = KIND_KFENCE, .join = JOIN_NONE,
	  .parse = parse_sanitizer_header, .shape = TS_SANITIZER,
	  .title = "KFENCE: <bug type> in %F", .func = FUNC_HEADER,
	  .printer = "kfence_report_error()", .eras = "5.x-6.x", .arches = "x86, arm64, riscv" },
	{ .prefix = "BUG: KMSAN:", .kind = KIND_KMSAN, .join = JOIN_NONE,
	  .parse = parse_sanitizer_header, .shape = TS_SANITIZER,
	  .title = "KMSAN: <bug type> in %F", .func = FUNC_STACK,
	  .printer = "kmsan_report()", .eras = "6.x", .arches = "x86" },
	{ .prefix = "BUG: KCSAN:", .kind = KIND_KCSAN, .join = JOIN_NONE,
	  .parse = parse_sanitizer_header, .shape = TS_SANITIZER,
	  .title = "KCSAN: data-race in %F / %G", .func = FUNC_HEADER,
	  .printer = "print_report() (kernel/kcsan/report.c)", .eras = "5.x-6.x",
	  .arches = "x86, arm64" },
	{ .prefix = "BUG: workqueue lockup", .kind = KIND_WORKQUEUE_LOCKUP, .join = JOIN_NONE,
	  .shape = TS_FIXED, .title = "BUG: workqueue lockup", .func = FUNC_NONE,
	  .printer = "wq_watchdog_timer_fn()", .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "BUG: memory leak", .kind = KIND_KMEMLEAK, .join = JOIN_NONE,
	  .shape = TS_FIXED, .title = "memory leak in %F", .func = FUNC_ALLOC,
	  .printer = "syzkaller's executor, before print_unreferenced()'s report",
	  .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "BUG: ", .test = is_lockdep_message,
	  .what = "a lockdep message", .kind = KIND_LOCKDEP,
	  .join = LOCKDEP_JOIN, .shape = TS_LOCKDEP, .title = "BUG: <lockdep message> in %F",
	  .func = FUNC_LOCK, .printer = LOCKDEP_PRINTERS, .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "BUG: ", .kind = KIND_BUG, .join = JOIN_NONE, .shape = TS_BUG,
	  .title = "BUG: <message> in %F", .func = FUNC_STACK,
	  .printer = "__might_resched(), __schedule_bug(), check_preemption_disabled(), "
		     "bad_page(), check_mm(), umount_check(), handle_stack_overflow(), …",
	  .eras = "2.6-6.x", .arches = "all" },

	/* INFO: */
	{ .prefix = "INFO: task ", .has = " blocked for more than ", .kind = KIND_HUNG_TASK,
	  .join = JOIN_NONE, .parse = parse_hung_header, .shape = TS_FIXED,
	  .title = "INFO: task hung in %F", .func = FUNC_STACK, .printer = "check_hung_task()",
	  .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "INFO: task ", .has = " can't die for more than ", .kind = KIND_HUNG_TASK,
	  .join = JOIN_NONE, .parse = parse_hung_header, .shape = TS_FIXED,
	  .title = "INFO: task can't die in %F", .func = FUNC_STACK,
	  .printer = "check_hung_task() (trees with the killable-task check)",
	  .eras = "4.x", .arches = "all" },
	{ .prefix = "INFO: task ", .test = is_split_hung_header,
	  .what = "`INFO: task <comm>` cut by a newline in the name", .kind = KIND_HUNG_TASK,
	  .flags = FMT_WEAK, .join = JOIN_NONE, .parse = parse_hung_header, .shape = TS_FIXED,
	  .title = "INFO: task hung in %F", .func = FUNC_STACK,
	  .printer = "check_hung_task() (a comm holding a newline)", .eras = "2.6-6.x",
	  .arches = "all" },
	{ .prefix = "INFO: rcu", .has = "stall", .kind = KIND_RCU_STALL, .join = JOIN_NONE,
	  .shape = TS_FIXED, .title = "INFO: rcu detected stall in %F", .func = FUNC_STALL,
	  .printer = "print_other_cpu_stall(), print_cpu_stall(), "
		     "synchronize_rcu_expedited_wait()", .eras = "2.6-4.x", .arches = "all" },
	{ .prefix = "INFO: ", .test = is_lockdep_message,
	  .what = "a lockdep message", .kind = KIND_LOCKDEP,
	  .join = LOCKDEP_JOIN, .shape = TS_LOCKDEP, .title = "INFO: <lockdep message> in %F",
	  .func = FUNC_LOCK, .printer = LOCKDEP_PRINTERS, .eras = "3.x-6.x", .arches = "all" },
	/* SLUB debug's object history ("INFO: Freed in f+0x14/0x20 age=624
	   cpu=0 pid=3" and the free stack): inside a report it continues it;
	   alone, its "BUG <cache>" banner was lost and this is the first sign. */
	{ .prefix = "INFO: ", .test = format_is_slub_track,
	  .what = "`INFO: Allocated in`/`Freed in … age=`", .kind = KIND_BUG, .flags = FMT_WEAK,
	  .join = { { ANY_KIND, 0, true, false }, { 0, 0, false, false } },
	  .shape = TS_BUG, .title = "INFO: Allocated in <function> age=NUM cpu=NUM pid=NUM",
	  .printer = "print_track()", .eras = "2.6-6.x", .arches = "all" },
	/* any other "INFO: …" is a driver's message */
	{ .prefix = "INFO: ", .kind = KIND_NONE, .join = JOIN_NONE },
	{ .prefix = "Internal error: ", .kind = KIND_OOPS,
	  .join = { { KIND_BIT(KIND_BUG), 3, false, false }, { KIND_BIT(KIND_OOPS), 0, false, false } },
	  .parse = parse_fault_header, .shape = TS_OOPS, .title = "Internal error in %F",
	  .func = FUNC_STACK, .printer = "__die() (arch/arm, arch/arm64)", .eras = "2.6-6.x",
	  .arches = "arm, arm64" },
	{ .prefix = "I/O error, dev ", .kind = KIND_IO_ERROR, .flags = FMT_REAL_DEVICE,
	  .join = JOIN_NONE, .parse = parse_device_error, .shape = TS_SUMMARY,
	  .title = "I/O error on <device>", .end = END_ONE_LINE,
	  .printer = "blk_print_req_error()", .eras = "5.x-6.x", .arches = "all" },

	{ .prefix = "rcu: INFO: ", .has = "stall", .kind = KIND_RCU_STALL, .join = JOIN_NONE,
	  .shape = TS_FIXED, .title = "INFO: rcu detected stall in %F", .func = FUNC_STALL,
	  .printer = "print_other_cpu_stall(), print_cpu_stall(), "
		     "synchronize_rcu_expedited_wait()", .eras = "5.x-6.x", .arches = "all" },

	/* the lockup detectors */
	{ .prefix = "watchdog: BUG: soft lockup", .kind = KIND_SOFT_LOCKUP, .join = JOIN_NONE,
	  .parse = parse_lockup_header, .shape = TS_FIXED, .title = "BUG: soft lockup in %F",
	  .func = FUNC_STALL, .printer = "watchdog_timer_fn()", .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "watchdog: Watchdog detected hard LOCKUP", .kind = KIND_HARD_LOCKUP,
	  .join = JOIN_NONE, .parse = parse_lockup_header, .shape = TS_FIXED,
	  .title = "BUG: hard lockup in %F", .func = FUNC_STACK,
	  .printer = "watchdog_overflow_callback()", .eras = "4.x-6.x", .arches = "x86, arm64, powerpc" },
	{ .prefix = "NMI watchdog: BUG: soft lockup", .kind = KIND_SOFT_LOCKUP, .join = JOIN_NONE,
	  .parse = parse_lockup_header, .shape = TS_FIXED, .title = "BUG: soft lockup in %F",
	  .func = FUNC_STALL, .printer = "watchdog_timer_fn()", .eras = "3.x-4.x", .arches = "all" },
	{ .prefix = "NMI watchdog: Watchdog detected hard LOCKUP", .kind = KIND_HARD_LOCKUP,
	  .join = JOIN_NONE, .parse = parse_lockup_header, .shape = TS_FIXED,
	  .title = "BUG: hard lockup in %F", .func = FUNC_STACK,
	  .printer = "watchdog_overflow_callback()", .eras = "3.x-4.x", .arches = "x86" },
	/* 2.6/3.x: WARN(1, "Watchdog detected hard LOCKUP on cpu %d") — the
	   WARNING line comes first and this is its message: one report */
	{ .prefix = "Watchdog detected hard LOCKUP", .kind = KIND_HARD_LOCKUP,
	  .join = { { KIND_BIT(KIND_WARNING), 3, false, true }, { 0, 0, false, false } },
	  .parse = parse_lockup_header, .shape = TS_FIXED, .title = "BUG: hard lockup in %F",
	  .func = FUNC_STACK, .printer = "watchdog_overflow_callback() (WARN() before 4.x)",
	  .eras = "2.6-3.x", .arches = "x86" },

	/* WARNING: */
	{ .prefix = "WARNING: ", .test = is_lockdep_message,
	  .what = "a lockdep message", .kind = KIND_LOCKDEP,
	  .join = LOCKDEP_JOIN, .shape = TS_LOCKDEP,
	  .title = "possible deadlock in %F, WARNING: <lockdep message> in %F",
	  .func = FUNC_LOCK, .printer = LOCKDEP_PRINTERS, .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "WARNING: CPU: ", .kind = KIND_WARNING, .join = JOIN_NONE,
	  .parse = parse_warning_header, .shape = TS_WARNING, .title = "WARNING in %F",
	  .func = FUNC_STACK, .printer = "__warn()", .eras = "3.x-6.x", .arches = "all" },
	{ .prefix = "WARNING: at", .test = is_old_warning_header,
	  .what = "`WARNING: at <file>:<line>` (or `at<file>`)", .kind = KIND_WARNING,
	  .join = JOIN_NONE, .parse = parse_warning_header, .shape = TS_WARNING,
	  .title = "WARNING in %F", .func = FUNC_STACK,
	  .printer = "warn_slowpath_common()", .eras = "2.6-3.x", .arches = "all" },
	{ .prefix = "WARNING: ", .test = is_new_warning_header,
	  .what = "`WARNING: <file>:<line> at <function>`", .kind = KIND_WARNING,
	  .join = JOIN_NONE, .parse = parse_warning_header, .shape = TS_WARNING,
	  .title = "WARNING in %F", .func = FUNC_STACK, .printer = "__warn()",
	  .eras = "6.x", .arches = "all" },
	{ .prefix = "WARNING: ", .test = is_unwinder_warning,
	  .what = "`WARNING: kernel stack regs at …`/`frame pointer at … has bad`", .kind = KIND_WARNING,
	  .join = JOIN_NONE, .parse = parse_warning_header, .shape = TS_WARNING,
	  .title = "WARNING: kernel stack regs has bad 'bp' value", .func = FUNC_NONE,
	  .printer = "unwind_next_frame() (arch/x86/kernel/unwind_frame.c)", .eras = "4.x-6.x",
	  .arches = "x86" },
	/* any other "WARNING: <text>" may be a program's message on the
	   console: a report only if a stack trace follows */
	{ .prefix = "WARNING: ", .kind = KIND_WARNING, .flags = FMT_WEAK, .join = JOIN_NONE,
	  .parse = parse_warning_header, .shape = TS_WARNING, .title = "WARNING: <message>",
	  .func = FUNC_STACK, .printer = "WARN() with a message of its own",
	  .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "[ ", .test = is_lockdep_message,
	  .what = "a lockdep message", .kind = KIND_LOCKDEP, .join = LOCKDEP_JOIN,
	  .shape = TS_LOCKDEP, .title = "possible deadlock in %F, <lockdep message> in %F",
	  .func = FUNC_LOCK, .printer = LOCKDEP_PRINTERS " (bracketed banners)",
	  .eras = "2.6-3.x", .arches = "all" },

	/* traps and faults */
	{ .prefix = "general protection fault", .kind = KIND_GPF, .join = JOIN_NONE,
	  .shape = TS_FIXED, .title = "general protection fault in %F", .func = FUNC_STACK,
	  .printer = "exc_general_protection() (do_general_protection() before 5.x)",
	  .eras = "2.6-6.x", .arches = "x86" },
	{ .prefix = "stack segment: ", .kind = KIND_GPF, .join = JOIN_NONE, .shape = TS_FIXED,
	  .title = "stack segment fault in %F", .func = FUNC_STACK,
	  .printer = "exc_stack_segment() → __die()", .eras = "2.6-6.x", .arches = "x86" },
	{ .prefix = "stack segment fault", .kind = KIND_GPF, .join = JOIN_NONE, .shape = TS_FIXED,
	  .title = "stack segment fault in %F", .func = FUNC_STACK,
	  .printer = "exc_stack_segment() → __die()", .eras = "6.x", .arches = "x86" },
	{ .prefix = "kernel BUG at ", .kind = KIND_BUG, .join = JOIN_NONE, .parse = parse_location,
	  .shape = TS_BUG, .title = "kernel BUG in %F", .func = FUNC_STACK,
	  .printer = "report_bug()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "kernel stack overflow", .kind = KIND_BUG,
	  .join = { { KIND_BIT(KIND_BUG), 2, false, false }, { 0, 0, false, false } },
	  .shape = TS_BUG, .title = "kernel stack overflow in %F", .func = FUNC_STALL,
	  .printer = "exc_double_fault(), die() (arch/arm)", .eras = "4.x-6.x",
	  .arches = "x86, arm" },
	/* the GPF header glued to KASAN's hint by a lost newline */
	{ .prefix = "kasan: GPF could be caused", .has = "general protection fault",
	  .kind = KIND_GPF, .join = JOIN_NONE, .shape = TS_FIXED,
	  .title = "general protection fault in %F", .func = FUNC_STACK,
	  .printer = "kasan_die_handler() + exc_general_protection()", .eras = "4.x",
	  .arches = "x86" },
	{ .prefix = "Kernel panic - not syncing", .kind = KIND_PANIC,
	  .join = { { ANY_KIND & ~KIND_BIT(KIND_PANIC), 0, false, false }, { 0, 0, false, false } },
	  .parse = parse_panic_header, .shape = TS_PANIC, .title = "kernel panic: <message>",
	  .func = FUNC_NONE, .printer = "panic()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "Kernel BUG at ", .kind = KIND_BUG, .join = JOIN_NONE, .shape = TS_BUG,
	  .title = "kernel BUG in %F", .func = FUNC_STACK,
	  .printer = "report_bug() (no verbose debug info)", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "Unable to handle kernel ", .kind = KIND_OOPS,
	  .join = { { KIND_BIT(KIND_OOPS), 0, false, false }, { 0, 0, false, false } },
	  .parse = parse_fault_header, .shape = TS_OOPS,
	  .title = "BUG: unable to handle kernel paging request in %F", .func = FUNC_STACK,
	  .printer = "die_kernel_fault() (arm64, riscv), __do_kernel_fault() (arm), "
		     "bad_page_fault() (powerpc before 5.x), do_no_context() (s390: "
		     "\"pointer dereference in virtual kernel address space\", the "
		     "address on the next line), no_context() (x86_64 before 2.6.25: "
		     "\"… at %016lx RIP: \", the ip on the next line)",
	  .eras = "2.6-6.x", .arches = "arm64, arm, riscv, powerpc, s390, x86" },
	{ .prefix = "UBSAN: ", .test = is_ubsan_location, .what = "`in FILE:LINE`",
	  .kind = KIND_UBSAN, .join = JOIN_NONE,
	  .parse = parse_sanitizer_header, .shape = TS_SANITIZER,
	  .title = "UBSAN: <check> in %F", .func = FUNC_STACK, .printer = "ubsan_prologue()",
	  .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "Unhandled fault", .kind = KIND_OOPS, .join = JOIN_NONE,
	  .parse = parse_fault_header, .shape = TS_OOPS, .title = "Unhandled fault in %F",
	  .func = FUNC_STACK, .printer = "do_DataAbort(), do_PrefetchAbort() (arch/arm)",
	  .eras = "2.6-6.x", .arches = "arm" },

	/* network memory pressure: rate-limited one-liners */
	{ .prefix = "TCP: out of memory", .kind = KIND_TCP_MEM, .join = JOIN_NONE,
	  .shape = TS_SUMMARY, .title = "TCP: out of memory -- consider tuning tcp_mem",
	  .end = END_FLOOD, .printer = "tcp_check_oom()", .eras = "3.x-6.x", .arches = "all" },
	{ .prefix = "TCP: too many orphaned sockets", .kind = KIND_TCP_MEM, .join = JOIN_NONE,
	  .shape = TS_SUMMARY, .title = "TCP: too many orphaned sockets", .end = END_FLOOD,
	  .printer = "tcp_check_oom()", .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "TCP: too many of orphaned sockets", .kind = KIND_TCP_MEM, .join = JOIN_NONE,
	  .shape = TS_SUMMARY, .title = "TCP: too many of orphaned sockets", .end = END_FLOOD,
	  .printer = "tcp_check_oom()", .eras = "3.x", .arches = "all" },
	{ .prefix = "Out of socket memory", .kind = KIND_TCP_MEM, .join = JOIN_NONE,
	  .shape = TS_SUMMARY, .title = "Out of socket memory", .end = END_FLOOD,
	  .printer = "tcp_out_of_resources()", .eras = "2.6", .arches = "all" },

	{ .prefix = "Oops: ", .test = oops_then_gpf,
	  .what = "`Oops: general protection fault`", .kind = KIND_GPF, .join = JOIN_NONE,
	  .shape = TS_FIXED, .title = "general protection fault in %F", .func = FUNC_STACK,
	  .printer = "__die_header()", .eras = "6.x", .arches = "x86" },
	{ .prefix = "Oops: ", .test = oops_then_trap,
	  .what = "`Oops: <trap>: 0000`", .kind = KIND_TRAP, .join = JOIN_AFTER_BUG,
	  .shape = TS_TRAP, .title = "<trap> in %F", .func = FUNC_STACK,
	  .printer = "__die_header()", .eras = "6.x", .arches = "x86" },
	/* Other arches' die() banners: the first line of a die for a trap, or
	   the second of a fault or BUG report, whose header they join */
	{ .prefix = "Oops: ", .test = is_powerpc_die,
	  .what = "`Oops: <message>, sig: <n> [#<n>]`", .kind = KIND_TRAP, .join = JOIN_DIE,
	  .parse = parse_die_banner, .shape = TS_TRAP, .title = "<message> in %F",
	  .func = FUNC_STACK, .printer = "__die() (arch/powerpc)", .eras = "2.6-6.x",
	  .arches = "powerpc" },
	{ .prefix = "Oops", .test = is_riscv_die,
	  .what = "`Oops [#<n>]`, `Oops - <trap> [#<n>]`", .kind = KIND_TRAP, .join = JOIN_DIE,
	  .parse = parse_die_banner, .shape = TS_TRAP, .title = "Oops - <trap> in %F",
	  .func = FUNC_STACK, .printer = "die() (arch/riscv)", .eras = "4.x-6.x",
	  .arches = "riscv" },
	{ .prefix = "Kernel BUG", .test = is_riscv_bug,
	  .what = "`Kernel BUG [#<n>]`", .kind = KIND_BUG, .join = JOIN_DIE,
	  .parse = parse_die_banner, .shape = TS_BUG, .title = "kernel BUG in %F",
	  .func = FUNC_STACK, .printer = "do_trap_break() → die() (arch/riscv)", .eras = "4.x-6.x",
	  .arches = "riscv" },
	{ .prefix = "PANIC: double fault", .kind = KIND_TRAP, .join = JOIN_NONE, .shape = TS_TRAP,
	  .title = "PANIC: double fault in %F", .func = FUNC_STACK,
	  .printer = "exc_double_fault()", .eras = "2.6-6.x", .arches = "x86" },
	{ .prefix = "divide error: ", .kind = KIND_TRAP, .join = JOIN_AFTER_BUG, .shape = TS_TRAP,
	  .title = "divide error in %F", .func = FUNC_STACK,
	  .printer = "exc_divide_error() → __die()", .eras = "4.x-6.x", .arches = "x86" },
	{ .prefix = "divide_error: ", .kind = KIND_TRAP, .join = JOIN_AFTER_BUG, .shape = TS_TRAP,
	  .title = "divide error in %F", .func = FUNC_STACK,
	  .printer = "do_divide_error() → __die()", .eras = "2.6-3.x", .arches = "x86" },
	{ .prefix = "invalid opcode: ", .kind = KIND_TRAP, .join = JOIN_AFTER_BUG,
	  .shape = TS_TRAP, .title = "invalid opcode in %F", .func = FUNC_STACK,
	  .printer = "exc_invalid_op() → __die()", .eras = "2.6-6.x", .arches = "x86" },
	{ .prefix = "int3: ", .kind = KIND_TRAP, .join = JOIN_AFTER_BUG, .shape = TS_TRAP,
	  .title = "int3 in %F", .func = FUNC_STACK, .printer = "do_int3() → __die()",
	  .eras = "4.x-6.x", .arches = "x86" },

	{ .prefix = "unreferenced object 0x", .kind = KIND_KMEMLEAK,
	  .join = { { KIND_BIT(KIND_KMEMLEAK), 1, false, false }, { 0, 0, false, false } },
	  .shape = TS_FIXED, .title = "memory leak in %F", .func = FUNC_ALLOC,
	  .printer = "print_unreferenced()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "unregister_netdevice: waiting for ", .kind = KIND_NETDEV, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY,
	  .title = "unregister_netdevice: waiting for DEV to become free", .end = END_ONE_LINE,
	  .printer = "netdev_wait_allrefs()", .eras = "2.6-6.x", .arches = "all" },

	/* hardware, disks and file systems: one line each */
	{ .prefix = "mce: [Hardware Error]", .kind = KIND_MCE, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY, .title = "mce: hardware error",
	  .end = END_ONE_LINE, .printer = "print_mce()", .eras = "4.x-6.x", .arches = "x86" },
	{ .prefix = "EDAC ", .test = is_edac_error,
	  .what = "` UE `/` CE `/`error`", .kind = KIND_MCE, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY,
	  .title = "EDAC: corrected/uncorrected memory error", .end = END_ONE_LINE,
	  .printer = "edac_mc_handle_error()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "EXT4-fs error", .kind = KIND_FS_ERROR, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY, .title = "EXT4-fs error in <function>",
	  .end = END_ONE_LINE, .printer = "__ext4_error()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "EXT2-fs error", .kind = KIND_FS_ERROR, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY, .title = "EXT2-fs error in <function>",
	  .end = END_ONE_LINE, .printer = "ext2_error()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "EXT3-fs error", .kind = KIND_FS_ERROR, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY, .title = "EXT3-fs error in <function>",
	  .end = END_ONE_LINE, .printer = "ext3_error()", .eras = "2.6-3.x", .arches = "all" },
	{ .prefix = "XFS (", .test = is_xfs_failure,
	  .what = "corruption, metadata I/O error, shutdown, internal error", .kind = KIND_FS_ERROR, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY,
	  .title = "XFS: metadata I/O error in <function>, XFS: corruption detected, …",
	  .end = END_ONE_LINE,
	  .printer = "xfs_buf_ioerror_alert(), xfs_corruption_error(), xfs_do_force_shutdown()",
	  .eras = "3.x-6.x", .arches = "all" },
	{ .prefix = "blk_update_request: ", .has = "error", .kind = KIND_IO_ERROR,
	  .flags = FMT_REAL_DEVICE, .join = JOIN_NONE, .parse = parse_device_error,
	  .shape = TS_SUMMARY, .title = "I/O error on <device>", .end = END_ONE_LINE,
	  .printer = "blk_update_request()", .eras = "3.x-4.x", .arches = "all" },
	{ .prefix = "print_req_error: ", .has = "error", .kind = KIND_IO_ERROR,
	  .flags = FMT_REAL_DEVICE, .join = JOIN_NONE, .parse = parse_device_error,
	  .shape = TS_SUMMARY, .title = "I/O error on <device>", .end = END_ONE_LINE,
	  .printer = "print_req_error()", .eras = "4.x-5.x", .arches = "all" },
	{ .prefix = "nvme nvme", .test = is_nvme_failure,
	  .what = "timeout, controller down, removed after probe failure", .kind = KIND_IO_ERROR, .join = JOIN_NONE,
	  .parse = parse_device_error, .shape = TS_SUMMARY, .title = "nvme: I/O timeout on <device>",
	  .end = END_ONE_LINE, .printer = "nvme_timeout(), nvme_remove_dead_ctrl()",
	  .eras = "4.x-6.x", .arches = "all" },

	/* the cut before a WARNING or BUG (its own cut in some logs lost a blank) */
	{ .prefix = "------------[ cut here", .kind = KIND_NONE, .flags = FMT_CUT_HERE,
	  .join = JOIN_NONE, .printer = "__warn_printk(), report_bug() (CUT_HERE)",
	  .eras = "2.6-6.x", .arches = "all" },

	/* Messages printed just before (or right after) the "[ cut here ]" of
	   the WARNING or BUG they explain: they open a pending report so the
	   title can use them. */
	{ .prefix = "refcount_t: ", .kind = KIND_NONE, .flags = FMT_PRELUDE, .join = JOIN_NONE,
	  .title = "WARNING: refcount bug in %F", .printer = "refcount_warn_saturate()",
	  .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "ODEBUG: ", .kind = KIND_NONE, .flags = FMT_PRELUDE, .join = JOIN_NONE,
	  .title = "WARNING: ODEBUG bug in %F", .printer = "debug_print_object()",
	  .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "kobject: ", .kind = KIND_NONE, .flags = FMT_PRELUDE, .join = JOIN_NONE,
	  .title = "WARNING: kobject bug in %F", .printer = "kobject_add_internal(), kobject_put()",
	  .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "kobject_add_internal failed", .kind = KIND_NONE, .flags = FMT_PRELUDE,
	  .join = JOIN_NONE, .title = "WARNING: kobject bug in %F",
	  .printer = "kobject_add_internal()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "usercopy: ", .kind = KIND_NONE, .flags = FMT_PRELUDE, .join = JOIN_NONE,
	  .title = "BUG: bad usercopy in %F", .printer = "usercopy_abort(), usercopy_warn()",
	  .eras = "4.x-6.x", .arches = "all" },
	{ .prefix = "proc_dir_entry '", .has = "already registered", .kind = KIND_NONE,
	  .flags = FMT_PRELUDE, .join = JOIN_NONE,
	  .title = "WARNING: proc registration bug in %F",
	  .printer = "proc_register() (its WARN())", .eras = "4.x-6.x", .arches = "all" },
	/* CHECK_DATA_CORRUPTION(): a WARN()'s text, or printed alone before a
	   BUG() (BUG_ON_DATA_CORRUPTION) or by old kernels: a report of its own
	   when no WARNING or BUG follows */
	{ .prefix = "VFS: Close: file count is 0", .kind = KIND_BUG, .flags = FMT_PRELUDE,
	  .join = JOIN_NONE, .shape = TS_BUG,
	  .title = "VFS: Close: file count is zero (use-after-free)",
	  .printer = "filp_close()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "VFS: Busy inodes after unmount", .kind = KIND_BUG, .flags = FMT_PRELUDE,
	  .join = JOIN_NONE, .shape = TS_BUG,
	  .title = "VFS: Busy inodes after unmount (use-after-free)",
	  .printer = "generic_shutdown_super()", .eras = "2.6-6.x", .arches = "all" },
	/* Rust's #[panic_handler] (rust/kernel/lib.rs): pr_emerg!("{}", info),
	   then BUG() */
	{ .prefix = "", .has = "panicked at ", .test = is_rust_panic,
	  .what = "`<module>: panicked at`", .kind = KIND_NONE, .flags = FMT_PRELUDE | FMT_ANYWHERE,
	  .join = JOIN_NONE, .title = "<panic message> in %F",
	  .printer = "panic() in rust/kernel/lib.rs", .eras = "6.x", .arches = "x86, arm64" },
	{ .prefix = "DEBUG_LOCKS_WARN_ON", .kind = KIND_NONE, .flags = FMT_PRELUDE,
	  .join = JOIN_NONE, .title = "WARNING: locking bug in %F",
	  .printer = "DEBUG_LOCKS_WARN_ON()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "list_add corruption", .kind = KIND_NONE, .flags = FMT_PRELUDE,
	  .join = JOIN_NONE, .title = "BUG: corrupted list in %F",
	  .printer = "__list_add_valid()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "list_del corruption", .kind = KIND_NONE, .flags = FMT_PRELUDE,
	  .join = JOIN_NONE, .title = "BUG: corrupted list in %F",
	  .printer = "__list_del_entry_valid()", .eras = "2.6-6.x", .arches = "all" },

	{ .prefix = "", .has = " ilc:", .test = is_s390_die,
	  .what = "`<message>: <code> ilc:<n> [#<n>]`", .kind = KIND_TRAP, .flags = FMT_ANYWHERE,
	  .join = JOIN_DIE, .parse = parse_die_banner, .shape = TS_TRAP,
	  .title = "<message> in %F", .func = FUNC_STACK, .printer = "die() (arch/s390)",
	  .eras = "2.6-6.x", .arches = "s390" },

	/* Messages that carry the task or device name first. */
	{ .prefix = "", .has = " invoked oom-killer: ", .kind = KIND_OOM, .flags = FMT_ANYWHERE,
	  .join = JOIN_NONE, .parse = parse_oom_line, .shape = TS_OOM,
	  .title = "out of memory: killed <victim>", .end = END_KILL_LINE,
	  .printer = "dump_header() (mm/oom_kill.c)", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "", .has = ": segfault at ", .test = has_user_ip,
	  .what = "` ip `", .kind = KIND_SEGFAULT,
	  .flags = FMT_ANYWHERE, .join = JOIN_NONE, .parse = parse_segfault, .shape = TS_SEGFAULT,
	  .title = "segfault in <comm> (<object>)", .end = END_SIGNAL_LINE,
	  .printer = "show_signal_msg()", .eras = "2.6-6.x", .arches = "x86" },
	{ .prefix = "traps: ", .has = " ip:", .kind = KIND_SEGFAULT, .join = JOIN_NONE,
	  .parse = parse_segfault, .shape = TS_SEGFAULT, .title = "segfault in <comm> (<object>)",
	  .end = END_SIGNAL_LINE, .printer = "do_trap() → show_signal()", .eras = "3.x-6.x",
	  .arches = "x86" },
	{ .prefix = "", .has = ": page allocation failure: ", .kind = KIND_PAGE_ALLOC_FAILURE,
	  .flags = FMT_ANYWHERE, .join = JOIN_NONE, .parse = parse_page_alloc_failure,
	  .shape = TS_FIXED, .title = "page allocation failure in %F", .func = FUNC_STACK,
	  .printer = "warn_alloc()", .eras = "2.6-6.x", .arches = "all" },
	{ .prefix = "", .has = ": I/O error, dev ", .kind = KIND_IO_ERROR,
	  .flags = FMT_ANYWHERE | FMT_REAL_DEVICE, .join = JOIN_NONE, .parse = parse_device_error,
	  .shape = TS_SUMMARY, .title = "I/O error on <device>", .end = END_ONE_LINE,
	  .printer = "blk_update_request(), print_req_error()", .eras = "3.x-5.x", .arches = "all" },
	{ .prefix = "", .has = "Buffer I/O error on dev ", .kind = KIND_IO_ERROR,
	  .flags = FMT_ANYWHERE | FMT_REAL_DEVICE, .join = JOIN_NONE, .parse = parse_device_error,
	  .shape = TS_SUMMARY, .title = "I/O error on <device>", .end = END_ONE_LINE,
	  .printer = "buffer_io_error()", .eras = "2.6-6.x", .arches = "all" },
};

/* ---- lookups ----------------------------------------------------------- */

static bool row_matches(const struct report_format *f, const char *msg, size_t len)
{
	if (f->prefix[0] && (msg[0] != f->prefix[0] || !mem_starts_with(msg, len, f->prefix)))
		return false;
	if (f->has && !mem_find(msg, len, f->has))
		return false;
	if ((f->flags & FMT_REAL_DEVICE) && on_virtual_device(msg, len))
		return false;
	return !f->test || f->test(msg, len);
}

const struct report_format *format_find(const char *msg, size_t len)
{
	/* Some consoles indent report headers ("  BUG: KCSAN: …"); a report
	   pasted into mail, a bug tracker or a reStructuredText block is
	   indented by a tab. */
	while (len && (msg[0] == ' ' || msg[0] == '\t')) {
		msg++;
		len--;
	}
	if (len < 4)
		return NULL;
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
		if (row_matches(&formats[i], msg, len))
			return formats[i].kind == KIND_NONE && !formats[i].flags ? NULL : &formats[i];
	return NULL;
}

const struct report_format *format_of_kind(enum incident_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(formats); i++)
		if (formats[i].kind == kind)
			return &formats[i];
	return NULL;
}

enum report_end format_kind_end(enum incident_kind kind)
{
	const struct report_format *f = format_of_kind(kind);
	return f ? f->end : END_STACK;
}

const struct report_format *format_table(size_t *nr)
{
	*nr = ARRAY_SIZE(formats);
	return formats;
}

const char *func_source_name(enum func_source src)
{
	static const char *const names[] = {
		[FUNC_NONE] = "none", [FUNC_STACK] = "stack", [FUNC_STALL] = "stall",
		[FUNC_LOCK] = "lock", [FUNC_HEADER] = "header", [FUNC_ALLOC] = "alloc",
	};
	return names[src];
}

const char *format_fuzzer_failure(const char *msg, size_t len)
{
	/* Go's log prefix: "2022/10/02 11:34:15 SYZFATAL: …" */
	if (len > 20 && msg[4] == '/' && msg[7] == '/' && msg[10] == ' ' && msg[13] == ':' &&
	    msg[19] == ' ') {
		msg += 20;
		len -= 20;
	}
	return mem_starts_with(msg, len, "SYZFAIL: ") || mem_starts_with(msg, len, "SYZFATAL: ") ?
	       msg : NULL;
}

/*
 * slab_bug() prints "BUG <cache> (<taint>): <message>" since 2.6.3x and
 * "BUG <cache>: <message>" before ("BUG kmalloc-8: Right Redzone
 * overwritten"): a cache name is one word, so the old form is a word
 * ending in ':' right after "BUG ", then one blank and the message. Cache
 * names are lower case or hold a digit ("kmalloc-8", "TCPv6"); an upper
 * case word is prose shouting ("BUG ALERT:  for some reason…").
 */
const char *format_slub_message(const char *msg, size_t len)
{
	const char *p, *sp;
	bool cache_like = false;

	if (len < 8 || memcmp(msg, "BUG ", 4))
		return NULL;
	if ((p = mem_find(msg, len, "): ")))
		return p + 3;
	sp = memchr(msg + 4, ' ', len - 4);
	if (!sp || sp - (msg + 4) < 2 || sp[-1] != ':' || sp + 1 >= msg + len || sp[1] == ' ')
		return NULL;
	for (p = msg + 4; p < sp - 1; p++)
		cache_like |= (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9');
	return cache_like ? sp + 1 : NULL;
}

bool format_is_slub_track(const char *msg, size_t len)
{
	return (mem_starts_with(msg, len, "INFO: Allocated in ") ||
		mem_starts_with(msg, len, "INFO: Freed in ")) && mem_find(msg, len, " age=");
}
