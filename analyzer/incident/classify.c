#include "classify.h"
#include "frame.h"
#include "reboot.h"
#include "util.h"

#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

#define HAS(lit) (mem_find(msg, len, (lit)) != NULL)
#define STARTS(lit) mem_starts_with(msg, len, (lit))
/*
 * Loop and nbd devices fail because of their backing file or server (and
 * fuzzers make them fail all day): such errors are not disk failures.
 */
#define ON_VIRTUAL_DEV (HAS("dev loop") || HAS("dev nbd"))

/*
 * Dispatch on the first byte so the common case (a routine message) costs a
 * switch and at most a couple of comparisons.
 */
/* "WARNING: fs/jfs/jfs_dmap.c:2867 at dbAdjTree+0x454/0x4e0, CPU#0: …" */
static bool is_new_warning_header(const char *msg, size_t len)
{
	const char *p = msg + 9, *end = msg + len, *q;
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
 * The frame-pointer unwinder's complaints ("WARNING: kernel stack frame
 * pointer at ffff… in migration/1:14 has bad value ffff…", "WARNING: kernel
 * stack regs at … has bad 'bp' value …"): followed by a raw stack dump, not
 * a trace, and a kernel bug of their own.
 */
static bool is_unwinder_warning(const char *msg, size_t len)
{
	return (mem_starts_with(msg, len, "WARNING: kernel stack frame pointer at ") ||
		mem_starts_with(msg, len, "WARNING: kernel stack regs at ")) &&
	       mem_find(msg, len, " has bad ");
}

const char *classify_fuzzer_failure(const char *msg, size_t len)
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

bool classify_is_slub_track(const char *msg, size_t len)
{
	return (mem_starts_with(msg, len, "INFO: Allocated in ") ||
		mem_starts_with(msg, len, "INFO: Freed in ")) && mem_find(msg, len, " age=");
}

/* "WARNING: <lockdep message>", "INFO: <lockdep message>", "BUG: <…>" */
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
	const char *sp = memchr(msg, ' ', len < 12 ? len : 12);

	if (!sp)
		return false;
	sp++;
	/* Old kernels: "[ INFO: suspicious RCU usage. ]" has a leading "[ ". */
	for (size_t i = 0; i < ARRAY_SIZE(lockdep_messages); i++)
		if (mem_starts_with(sp, len - (size_t)(sp - msg), lockdep_messages[i]))
			return true;
	/* "WARNING: syz-executor0/4350 still has locks held!" */
	return mem_find(sp, len - (size_t)(sp - msg) < 64 ? len - (size_t)(sp - msg) : 64,
			" still has locks held") != NULL;
}

/*
 * Dispatch on the first byte so the common case (a routine message) costs a
 * switch and at most a couple of comparisons.
 */
enum incident_kind classify_start(const char *msg, size_t len, unsigned *flags)
{
	*flags = 0;
	/* Some consoles indent report headers ("  BUG: KCSAN: …"). */
	while (len && msg[0] == ' ') {
		msg++;
		len--;
	}
	if (len < 4)
		return KIND_NONE;
	/*
	 * Firmware banners ("SeaBIOS …", "Booting the kernel.") and syzkaller's
	 * "SYZFAIL:" or Go-stamped "2022/10/02 … SYZFATAL:": still a first-byte
	 * test for every other message. Whether a banner is an unexpected
	 * reboot is the segmenter's call (reboot.h).
	 */
	if ((msg[0] == 'S' || msg[0] == 'B') && reboot_is_banner(msg, len))
		return KIND_REBOOT;
	if ((msg[0] == 'S' || (msg[0] >= '0' && msg[0] <= '9')) &&
	    classify_fuzzer_failure(msg, len))
		return KIND_FUZZER_FAILURE;
	switch (msg[0]) {
	case 'B':
		/*
		 * SLUB: "BUG kmalloc-8 (Tainted: G B): Object already free".
		 * Old KASAN (4.4) prints the same banner ("…): kasan: bad
		 * access detected") inside its own report, after the "BUG:
		 * KASAN:" header: not a report of its own.
		 */
		if (STARTS("BUG ") && HAS("): "))
			return HAS("): kasan: ") ? KIND_NONE : KIND_BUG;
		if (STARTS("BTRFS error") || STARTS("BTRFS critical"))
			return KIND_FS_ERROR;
		if (!STARTS("BUG: "))
			break;
		if (STARTS("BUG: unable to handle") || STARTS("BUG: kernel NULL pointer") ||
		    STARTS("BUG: Unable to handle"))
			return KIND_OOPS;
		if (STARTS("BUG: soft lockup"))
			return KIND_SOFT_LOCKUP;
		if (STARTS("BUG: KASAN:"))
			return KIND_KASAN;
		if (STARTS("BUG: KFENCE:"))
			return KIND_KFENCE;
		if (STARTS("BUG: KMSAN:"))
			return KIND_KMSAN;
		if (STARTS("BUG: KCSAN:"))
			return KIND_KCSAN;
		if (STARTS("BUG: workqueue lockup"))
			return KIND_WORKQUEUE_LOCKUP;
		if (STARTS("BUG: memory leak"))
			return KIND_KMEMLEAK;
		if (is_lockdep_message(msg, len))
			return KIND_LOCKDEP;
		return KIND_BUG;
	case 'I':
		if (STARTS("INFO: task ") && (HAS(" blocked for more than ") ||
					      HAS(" can't die for more than ")))
			return KIND_HUNG_TASK;
		/* A comm holding a newline splits the header over two lines:
		   a hung task only if its stack follows. */
		if (STARTS("INFO: task ") && !memchr(msg + 11, ' ', len - 11)) {
			*flags = START_WEAK;
			return KIND_HUNG_TASK;
		}
		if (STARTS("INFO: rcu") && HAS("stall"))
			return KIND_RCU_STALL;
		if (STARTS("INFO: ") && is_lockdep_message(msg, len))
			return KIND_LOCKDEP;
		/*
		 * SLUB debug's object history ("INFO: Freed in f+0x14/0x20
		 * age=624 cpu=0 pid=3" and the free stack): inside a SLUB
		 * report it continues it (segmenter); alone, its "BUG <cache>"
		 * banner was lost and this is the first sign of the corruption.
		 */
		if (classify_is_slub_track(msg, len)) {
			*flags = START_WEAK;
			return KIND_BUG;
		}
		if (STARTS("INFO: "))
			return KIND_NONE;
		if (STARTS("Internal error: "))
			return KIND_OOPS;
		if (STARTS("I/O error, dev ") && !ON_VIRTUAL_DEV)
			return KIND_IO_ERROR;
		break;
	case 'r':
		if (STARTS("rcu: INFO: ") && HAS("stall"))
			return KIND_RCU_STALL;
		break;
	case 'w':
		if (STARTS("watchdog: BUG: soft lockup"))
			return KIND_SOFT_LOCKUP;
		if (STARTS("watchdog: Watchdog detected hard LOCKUP"))
			return KIND_HARD_LOCKUP;
		break;
	case 'N':
		if (STARTS("NMI watchdog: BUG: soft lockup"))
			return KIND_SOFT_LOCKUP;
		if (STARTS("NMI watchdog: Watchdog detected hard LOCKUP"))
			return KIND_HARD_LOCKUP;
		break;
	case 'W':
		if (STARTS("Watchdog detected hard LOCKUP"))
			return KIND_HARD_LOCKUP;
		if (STARTS("WARNING: ")) {
			if (is_lockdep_message(msg, len))
				return KIND_LOCKDEP;
			/*
			 * "WARNING: CPU: 0 PID: 1 at f.c:1 …", old "WARNING: at …",
			 * new "WARNING: f.c:1 at …" are kernel warnings; any other
			 * "WARNING: <text>" may be a program's message on the
			 * console and counts only if a stack trace follows.
			 */
			if (!STARTS("WARNING: CPU: ") && !STARTS("WARNING: at ") &&
			    !is_new_warning_header(msg, len) && !is_unwinder_warning(msg, len))
				*flags = START_WEAK;
			return KIND_WARNING;
		}
		break;
	case '[':
		/* Old lockdep banners: "[ INFO: possible circular locking … ]". */
		if ((STARTS("[ INFO: ") || STARTS("[ BUG: ")) &&
		    is_lockdep_message(msg + 2, len - 2))
			return KIND_LOCKDEP;
		break;
	case 'g':
		if (STARTS("general protection fault"))
			return KIND_GPF;
		break;
	case 's':
		if (STARTS("stack segment: ") || STARTS("stack segment fault"))
			return KIND_GPF;
		break;
	case 'k':
		if (STARTS("kernel BUG at ") || STARTS("kernel stack overflow"))
			return KIND_BUG;
		/* the GPF header glued to KASAN's hint by a lost newline */
		if (STARTS("kasan: GPF could be caused") && HAS("general protection fault"))
			return KIND_GPF;
		break;
	case 'K':
		if (STARTS("Kernel panic - not syncing"))
			return KIND_PANIC;
		if (STARTS("Kernel BUG at "))
			return KIND_BUG;
		break;
	case 'U':
		if (STARTS("Unable to handle kernel "))
			return KIND_OOPS;
		if (STARTS("UBSAN: "))
			return KIND_UBSAN;
		if (STARTS("Unhandled fault"))
			return KIND_OOPS;
		break;
	case 'T':
		if (STARTS("TCP: out of memory") || STARTS("TCP: too many orphaned sockets") ||
		    STARTS("TCP: too many of orphaned sockets"))
			return KIND_TCP_MEM;
		break;
	case 'O':
		if (STARTS("Out of socket memory"))
			return KIND_TCP_MEM;
		/* Newer kernels: "Oops: general protection fault, …", "Oops: int3: 0000" */
		if (STARTS("Oops: ") && len > 10 && !(msg[6] >= '0' && msg[6] <= '9')) {
			enum incident_kind k = classify_start(msg + 6, len - 6, flags);
			if (k == KIND_GPF || k == KIND_TRAP)
				return k;
			*flags = 0;
		}
		break;
	case 'P':
		if (STARTS("PANIC: double fault"))
			return KIND_TRAP;
		break;
	case 'd':
		if (STARTS("divide error: ") || STARTS("divide_error: "))
			return KIND_TRAP;
		break;
	case 'i':
		if (STARTS("invalid opcode: ") || STARTS("int3: "))
			return KIND_TRAP;
		break;
	case 'u':
		if (STARTS("unreferenced object 0x"))
			return KIND_KMEMLEAK;
		if (STARTS("unregister_netdevice: waiting for "))
			return KIND_NETDEV;
		break;
	case 'm':
		if (STARTS("mce: [Hardware Error]"))
			return KIND_MCE;
		break;
	case 'E':
		if (STARTS("EDAC ") && (HAS(" UE ") || HAS(" CE ") || HAS("error")))
			return KIND_MCE;
		if (STARTS("EXT4-fs error") || STARTS("EXT2-fs error") ||
		    STARTS("EXT3-fs error"))
			return KIND_FS_ERROR;
		break;
	case 'X':
		if (STARTS("XFS (") && (HAS("Corruption") || HAS("metadata I/O error") ||
					HAS("Filesystem has been shut down") ||
					HAS("xfs_do_force_shutdown") || HAS("Internal error")))
			return KIND_FS_ERROR;
		break;
	case 'b':
		if (STARTS("blk_update_request: ") && HAS("error") && !ON_VIRTUAL_DEV)
			return KIND_IO_ERROR;
		break;
	case 'p':
		if (STARTS("print_req_error: ") && HAS("error") && !ON_VIRTUAL_DEV)
			return KIND_IO_ERROR;
		break;
	case 'n':
		if (STARTS("nvme nvme") && (HAS(" timeout") || HAS("controller is down") ||
					    HAS("Removing after probe failure")))
			return KIND_IO_ERROR;
		break;
	case '-':
		if (STARTS("------------[ cut here ]------------")) {
			*flags = START_CUT_HERE;
			return KIND_NONE;
		}
		break;
	default:
		break;
	}
	/*
	 * Messages printed just before the "[ cut here ]" of the WARNING they
	 * explain ("refcount_t: underflow; use-after-free.", "ODEBUG: free
	 * active …"): they open a pending report so the title can use them.
	 */
	switch (msg[0]) {
	case 'r':
		if (STARTS("refcount_t: "))
			*flags = START_PRELUDE;
		break;
	case 'O':
		if (STARTS("ODEBUG: "))
			*flags = START_PRELUDE;
		break;
	case 'k':
		if (STARTS("kobject: ") || STARTS("kobject_add_internal failed"))
			*flags = START_PRELUDE;
		break;
	case 'u':
		if (STARTS("usercopy: "))
			*flags = START_PRELUDE;
		break;
	case 'D':
		if (STARTS("DEBUG_LOCKS_WARN_ON"))
			*flags = START_PRELUDE;
		break;
	case 'l':
		/* followed by "kernel BUG at lib/list_debug.c" or a WARNING */
		if (STARTS("list_add corruption") || STARTS("list_del corruption"))
			*flags = START_PRELUDE;
		break;
	default:
		break;
	}
	if (*flags)
		return KIND_NONE;
	/* Messages that carry the task name first. */
	if (HAS(" invoked oom-killer: "))
		return KIND_OOM;
	if (HAS(": segfault at ") && HAS(" ip "))
		return KIND_SEGFAULT;
	/* Userspace traps: "traps: nginx[881] general protection fault ip:…". */
	if (msg[0] == 't' && STARTS("traps: ") && HAS(" ip:"))
		return KIND_SEGFAULT;
	if (HAS(": page allocation failure: "))
		return KIND_PAGE_ALLOC_FAILURE;
	if ((HAS(": I/O error, dev ") || HAS("Buffer I/O error on dev ")) &&
	    !ON_VIRTUAL_DEV)
		return KIND_IO_ERROR;
	return KIND_NONE;
}

static bool is_hex_word(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && is_hex_digit((unsigned char)*q))
		q++;
	return q - p >= 8 && (q == end || *q == ' ');
}

/* A row of raw stack words: " ffff8819d1f17dc8 ffff882118dae840 …". */
static bool is_stack_words(const char *msg, size_t len)
{
	const char *p = msg, *end = msg + len;
	int words = 0;

	while ((p = skip_ws(p, end)) < end) {
		if (!is_hex_word(p, end))
			return false;
		while (p < end && *p != ' ')
			p++;
		words++;
	}
	return words >= 2;
}

/* "RAX: 00000000b068c000 RBX: …", "x29: ffff… x28: …", "GPR00: …" */
static bool is_register_line(const char *msg, size_t len)
{
	const char *p = skip_ws(msg, msg + len), *end = msg + len;
	const char *colon;

	colon = memchr(p, ':', (size_t)(end - p));
	if (!colon || colon - p > 8 || colon == p)
		return false;
	for (const char *q = p; q < colon; q++)
		if (!((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') ||
		      (*q >= '0' && *q <= '9') || *q == ' ' || *q == '_'))
			return false;
	p = skip_ws(colon + 1, end);
	/* "RIP: 0010:…" and "RSP: 0018:ffff…" have a selector first. */
	return p < end && is_hex_digit((unsigned char)*p) &&
	       (is_hex_word(p, end) || (end - p > 5 && p[4] == ':'));
}

static const char *const report_prefixes[] = {
	"Modules linked in:", "CPU: ", "Hardware name:", "task: ", "Stack:",
	"Code: ", "RIP ", "RIP: ", "IP: ", "EIP: ", "RSP ", " RSP <", "CR2: ",
	"Kernel Offset:", "Workqueue: ", "Not tainted", "Tainted: ", "PGD ",
	"#PF: ", "Oops: ", "Oops#", "Internal error", "Process ", "pc : ", "lr : ",
	"sp : ", "Call Trace", "Call trace", "Backtrace", "Exception stack",
	"\"echo 0 > /proc/sys/kernel/hung_task_timeout_secs\"", "task:",
	"Showing all locks held", "INFO: lockdep is turned off", "irq event stamp",
	"hardirqs last", "softirqs last", "NMI backtrace for cpu",
	"Sending NMI from CPU", "rcu: ", "\t(t=", "(t=", "(detected by",
	"Dumping ftrace", "Rebooting in", "---[ end", "Kernel panic - not syncing",
	"Shutting down cpus", "Instruction dump:", "NIP", "LR ", "REGS:", "MSR:",
	"GPR", "CFAR:", "DAR:", "Krnl PSW", "Krnl GPRS", "Krnl Code", "Last Breaking",
	"PC is at", "LR is at", "pstate:", "Mem abort info", "Data abort info",
	"ESR = ", "EC = ", "SET = ", "FnV = ", "EA = ", "CM = ", "WnR = ",
	"user pgtable", "swapper pgtable", "[0000", "[ffff", "Internal error:",
	"clocksource", "The buggy address", "Allocated by", "Freed by",
	"Last potentially related", "Second to last", "Memory state", "page:",
	"raw: ", "page dumped", "flags: ", "head:", "anon flags", "object ",
	"Read of size", "Write of size", "addr ", "rcu_", "\trcu", "Task dump for",
	"blocked for more than", "This GPF", "Uninit was", "Local variable",
	"Bytes ", "Reported by", "CPU#", "kasan:", "general protection",
	"Showing busy workqueues", "workqueue ", "  pwq", "pool ", "Comm:",
	"DR0:", "DR3:", "DR6:", "PKRU:", "FS: ", "CS: ", "ES: ", "R13:", "R10:",
	"RBP:", "RDX:", "RAX:", "R08:", "EFLAGS", "Call Trace:", "Fixing recursive",
	"Modules linked in", "acpi", "#0:", "#1:", "#2:", "#3:", "#4:",
	/* lockdep */
	"-> #", "lock(", "*** DEADLOCK", "CPU0", "----", "other info that",
	"Possible unsafe", "Chain exists", "but task is already", "which lock already",
	"the existing dependency", "is trying to acquire", "inconsistent {",
	"Possible interrupt unsafe", "and interrupts could", "to a ", "the shortest",
	"the dependencies between", "[ BUG:", "[ INFO:", "=====", "no locks held",
	"other info", "debug_locks", "stack backtrace", "Illegal context",
	/* sanitizers and kmemleak */
	"Uninit was", "Local variable", "hex dump", "unreferenced object", "comm \"",
	"kfence-#", "allocated by task", "freed by task", "Memory state", "The buggy",
	"Disabling lock debugging", "Read at addr", "Write at addr", "race at",
	"read to 0x", "write to 0x", "read (marked)", "write (marked)",
	"value changed:", "Reported by Kernel Concurrency", "Invalid free",
	"Corrupted memory", "Invalid read", "Invalid write", "Use-after-free",
	"Out-of-bounds", "index ", "shift exponent", "load of value",
};

enum line_role classify_cont(const char *msg, size_t len)
{
	const char *end = msg + len, *p = skip_ws(msg, end);
	size_t rest = (size_t)(end - p);
	struct frame f;

	if (!rest)
		return ROLE_OTHER;
	if (*p == '<' || *p == '-' || *p == 'C' || *p == 'B' || *p == 'E' || *p == 'b' ||
	    *p == 's') {
		static const char *const marks[] = {
			"<IRQ>", "</IRQ>", "<TASK>", "</TASK>", "<NMI>", "</NMI>",
			"<EOI>", "<EOE>", "<#DF>", "</#DF>", "<SOFTIRQ>", "</SOFTIRQ>",
			"Call Trace:", "Call trace:", "Call Trace", "Backtrace:",
			"Exception stack", "--- interrupt:", "---- interrupt",
			"stack backtrace:", "backtrace:", "backtrace (crc",
		};
		for (size_t i = 0; i < ARRAY_SIZE(marks); i++)
			if (mem_starts_with(p, rest, marks[i]))
				return ROLE_TRACE_MARK;
		if (mem_starts_with(p, rest, "---[ end "))
			return ROLE_END;
	}
	if (frame_parse_line(msg, len, &f, NULL)) {
		frame_release(&f);
		return ROLE_FRAME;
	}
	for (size_t i = 0; i < ARRAY_SIZE(report_prefixes); i++)
		if (mem_starts_with(p, rest, report_prefixes[i]))
			return ROLE_REPORT;
	if (is_stack_words(p, rest))
		return ROLE_STACK_WORDS;
	if (is_register_line(p, rest))
		return ROLE_REPORT;
	/* " #0: ffff… (&mm->mmap_sem){++++}, at: …" lockdep held-lock lines,
	   "N lock(s) held by comm/pid:" headers. */
	if (mem_find(p, rest, " held by ") || mem_find(p, rest, "{+") ||
	    mem_find(p, rest, "{.") || mem_find(p, rest, ", at: "))
		return ROLE_REPORT;
	return ROLE_OTHER;
}
