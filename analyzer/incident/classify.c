#include "classify.h"
#include "frame.h"
#include "formats.h"
#include "regs.h"
#include "util.h"

#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

enum incident_kind classify_start(const char *msg, size_t len, unsigned *flags)
{
	const struct report_format *f = format_find(msg, len);

	*flags = f ? f->flags & (START_CUT_HERE | START_PRELUDE | START_WEAK) : 0;
	return f ? f->kind : KIND_NONE;
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
	/* fail_dump() printing into a report: kept so the parser knows the
	   frames after it are not the report's */
	"FAULT_INJECTION: forcing a failure",
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
			"<EOI>", "<EOE>", "<<EOE>>", "<#DF>", "</#DF>", "<SOFTIRQ>", "</SOFTIRQ>",
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
	if (is_register_line(p, rest) || regs_is_continuation(p, rest) ||
	    regs_code_continuation(p, rest))
		return ROLE_REPORT;
	/* " #0: ffff… (&mm->mmap_sem){++++}, at: …" lockdep held-lock lines,
	   "N lock(s) held by comm/pid:" headers. */
	if (mem_find(p, rest, " held by ") || mem_find(p, rest, "{+") ||
	    mem_find(p, rest, "{.") || mem_find(p, rest, ", at: "))
		return ROLE_REPORT;
	return ROLE_OTHER;
}

bool classify_announces_ip(const char *msg, size_t len)
{
	while (len && (msg[len - 1] == ' ' || msg[len - 1] == '\t'))
		len--;
	return len > 5 && !memcmp(msg + len - 5, " RIP:", 5);
}
