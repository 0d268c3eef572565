#include "parse.h"
#include "classify.h"
#include "frame.h"
#include "parse_kinds.h"
#include "title.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

static char *dup_trim(const char *p, const char *end)
{
	p = skip_ws(p, end);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return xmemdupz(p, (size_t)(end - p));
}

/* Squeeze runs of blanks: "G           OE" → "G OE". */
static char *squeeze(const char *p, const char *end)
{
	struct strbuf sb = STRBUF_INIT;

	p = skip_ws(p, end);
	while (end > p && end[-1] == ' ')
		end--;
	for (; p < end; p++)
		if (*p != ' ' || (sb.len && sb.buf[sb.len - 1] != ' '))
			strbuf_addch(&sb, *p);
	return strbuf_detach(&sb, NULL);
}

/*
 * "… Not tainted 4.4.0-137-generic #163-Ubuntu" or
 * "… Tainted: G        W  OE   4.4.0-21-generic #37-Ubuntu".
 * Returns true when the line carried a release.
 */
static bool parse_taint_release(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *q;

	if ((p = mem_find(msg, len, "Not tainted "))) {
		p += strlen("Not tainted ");
		if (!inc->kernel.tainted)
			inc->kernel.tainted = xstrdup("");
	} else if ((p = mem_find(msg, len, "Tainted: "))) {
		const char *flags = p + strlen("Tainted: ");
		p = flags;
		/*
		 * Taint flags are runs of capital letters ("G", "OE") padded
		 * with blanks; the release that follows starts with a digit.
		 */
		for (;;) {
			const char *q2;
			p = skip_ws(p, end);
			q2 = p;
			while (q2 < end && *q2 >= 'A' && *q2 <= 'Z')
				q2++;
			if (q2 == p || (q2 < end && *q2 != ' '))
				break;
			p = q2;
		}
		free(inc->kernel.tainted);
		inc->kernel.tainted = squeeze(flags, p);
	} else {
		return false;
	}
	p = skip_ws(p, end);
	q = p;
	while (q < end && *q != ' ')
		q++;
	if (q == p)
		return false;
	incident_set_str(&inc->kernel.release, p, (size_t)(q - p));
	p = skip_ws(q, end);
	if (p < end && *p == '#') {
		q = ++p;
		while (q < end && *q != ' ')
			q++;
		incident_set_str(&inc->kernel.build, p, (size_t)(q - p));
	}
	return true;
}

/* "CPU: 21 PID: 40312 Comm: qemu-system-x86 Not tainted 4.4.0-119-generic #143-Ubuntu" */
static void parse_cpu_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *comm, *comm_end;
	long long v;

	p = msg + 5;
	if ((p = parse_dec(skip_ws(p, end), end, &v)) && inc->task.cpu < 0)
		inc->task.cpu = (int)v;
	if (!p)
		return;
	if ((p = mem_find(p, (size_t)(end - p), "PID: ")) &&
	    (p = parse_dec(p + 5, end, &v)) && inc->task.pid < 0)
		inc->task.pid = v;
	if (!p || !(comm = mem_find(p, (size_t)(end - p), "Comm: ")))
		return;
	comm += 6;
	comm_end = mem_find(comm, (size_t)(end - comm), " Not tainted");
	if (!comm_end)
		comm_end = mem_find(comm, (size_t)(end - comm), " Tainted:");
	if (!comm_end) {
		comm_end = comm;
		while (comm_end < end && *comm_end != ' ')
			comm_end++;
	}
	if (!inc->task.comm)
		inc->task.comm = dup_trim(comm, comm_end);
	parse_taint_release(inc, comm_end, (size_t)(end - comm_end));
}

/* "name:pid" where name may itself hold ':' (kworker/u97:2:41233). */
static void split_comm_pid(const char *p, const char *end, char **comm, long long *pid)
{
	const char *colon = NULL;

	for (const char *q = p; q < end; q++)
		if (*q == ':')
			colon = q;
	if (!colon) {
		*comm = dup_trim(p, end);
		return;
	}
	*comm = dup_trim(p, colon);
	parse_dec(colon + 1, end, pid);
}

/* "INFO: task ip:1747 blocked for more than 120 seconds." */
static void parse_hung_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = msg + strlen("INFO: task ");
	const char *b = mem_find(p, (size_t)(end - p), " blocked for more than ");
	long long secs;

	if (!b)
		return;
	free(inc->task.comm);
	inc->task.comm = NULL;
	split_comm_pid(p, b, &inc->task.comm, &inc->task.pid);
	if (parse_dec(b + strlen(" blocked for more than "), end, &secs))
		incident_extra_num(inc, "blocked_seconds", secs);
}

/*
 * The task line of a hung-task report. Old: "ip   D ffff8819d1f17dc8   0  1747
 * 1746 0x00000080"; new: "task:ip   state:D stack:0 pid:1747 ppid:1746 flags:…".
 */
static bool parse_task_state_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	long long v;

	if (mem_starts_with(msg, len, "task:")) {
		const char *st = mem_find(msg, len, " state:");
		if (!st)
			return false;
		if (!inc->task.comm)
			inc->task.comm = dup_trim(msg + 5, st);
		p = st + 7;
		const char *q = p;
		while (q < end && *q != ' ')
			q++;
		incident_set_str(&inc->task.state, p, (size_t)(q - p));
		if ((p = mem_find(msg, len, " pid:")) && parse_dec(p + 5, end, &v) &&
		    inc->task.pid < 0)
			inc->task.pid = v;
		if ((p = mem_find(msg, len, " ppid:")) && parse_dec(p + 6, end, &v))
			incident_extra_num(inc, "ppid", v);
		return true;
	}
	/* Old format: the comm (≤15 chars, padded) then a one-letter state. */
	if (!inc->task.comm || !mem_starts_with(msg, len, inc->task.comm))
		return false;
	p = skip_ws(msg + strlen(inc->task.comm), end);
	if (p + 2 > end || p[1] != ' ' || !(p[0] >= 'A' && p[0] <= 'Z'))
		return false;
	incident_set_str(&inc->task.state, p, 1);
	/* "D ffff8819d1f17dc8     0  1747   1746 0x00000080": pid is the 3rd field */
	{
		const char *q = p + 2;
		long long fields[4];
		int n = 0;
		while (n < 4 && (q = skip_ws(q, end)) < end) {
			const char *r = q;
			while (r < end && *r != ' ')
				r++;
			if (n > 0) {	/* skip the address */
				long long x;
				if (!parse_dec(q, r, &x))
					break;
				fields[n - 1] = x;
			}
			n++;
			q = r;
		}
		if (n >= 4) {
			incident_extra_num(inc, "ppid", fields[2]);
		}
	}
	return true;
}

/* "watchdog: BUG: soft lockup - CPU#38 stuck for 22s! [qemu-system-x86:51804]" */
static void parse_lockup_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	long long v;

	if ((p = mem_find(msg, len, "CPU#")) && parse_dec(p + 4, end, &v))
		inc->task.cpu = (int)v;
	if ((p = mem_find(msg, len, "stuck for ")) && parse_dec(p + 10, end, &v))
		incident_extra_num(inc, "stuck_seconds", v);
	if ((p = mem_find(msg, len, "! [")) || (p = mem_find(msg, len, "s! ["))) {
		const char *b = memchr(p, '[', (size_t)(end - p));
		const char *e = b ? memchr(b, ']', (size_t)(end - b)) : NULL;
		if (b && e) {
			free(inc->task.comm);
			inc->task.comm = NULL;
			split_comm_pid(b + 1, e, &inc->task.comm, &inc->task.pid);
		}
	}
	/* Hard lockup: "Watchdog detected hard LOCKUP on cpu 3" */
	if ((p = mem_find(msg, len, "LOCKUP on cpu ")) && parse_dec(p + 14, end, &v))
		inc->task.cpu = (int)v;
}

/* BUG: unable to handle …/ kernel NULL pointer dereference, address: … */
static void parse_fault_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	unsigned long long addr;

	if ((p = mem_find(msg, len, "address: ")) || (p = mem_find(msg, len, " at "))) {
		p = skip_ws(p + (p[0] == 'a' ? 9 : 4), end);
		if (mem_starts_with(p, (size_t)(end - p), "virtual address "))
			p += 16;
		if (parse_hex(p, end, &addr)) {
			char buf[32];
			snprintf(buf, sizeof(buf), "0x%016llx", addr);
			incident_extra_str(inc, "fault_address", buf);
		}
	}
	/*
	 * Old kernels print "BUG: unable to handle kernel " and the rest
	 * ("NULL pointer dereference at …") as a continuation line: leave
	 * the fault undecided until that line (parse_incident defaults it).
	 */
	if (mem_find(msg, len, "NULL pointer"))
		incident_extra_str(inc, "fault", "null_pointer");
	else if (mem_find(msg, len, "paging request") || mem_find(msg, len, "page fault") ||
		 mem_find(msg, len, "Unable to handle"))
		incident_extra_str(inc, "fault", "paging_request");
}

/* "kernel BUG at fs/foo.c:123!", "WARNING: CPU: 0 PID: 1 at fs/x.c:12 f+0x1/0x2" */
/* "file.c:123" */
static bool is_location(const char *p, const char *q)
{
	return q > p && memchr(p, ':', (size_t)(q - p)) && memchr(p, '.', (size_t)(q - p));
}

/* New WARNING format: "WARNING: fs/x.c:12 at f+0x1/0x2, CPU#0: comm/pid". */
static const char *new_warning_location(const char *msg, size_t len, const char **loc_end)
{
	const char *end = msg + len, *p, *q;

	if (!mem_starts_with(msg, len, "WARNING: "))
		return NULL;
	p = msg + 9;
	/* "WARNING: [time_after(jiffies, timeout)] io_uring/io_uring.c:3026 at …" */
	if (p < end && *p == '[' && (q = memchr(p, ']', (size_t)(end - p))) && q + 1 < end)
		p = q + 2;
	q = p;
	while (q < end && *q != ' ')
		q++;
	if (!is_location(p, q) || !mem_starts_with(q, (size_t)(end - q), " at "))
		return NULL;
	*loc_end = q;
	return p;
}

static void parse_location(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, " at "), *q;

	if ((q = new_warning_location(msg, len, &p))) {
		char *loc = xmemdupz(q, (size_t)(p - q));
		incident_extra_str(inc, "location", loc);
		free(loc);
		return;
	}
	if (!p)
		return;
	p += 4;
	q = p;
	while (q < end && *q != ' ' && *q != '!')
		q++;
	if (q > p && memchr(p, ':', (size_t)(q - p)) && memchr(p, '.', (size_t)(q - p))) {
		char *loc = xmemdupz(p, (size_t)(q - p));
		incident_extra_str(inc, "location", loc);
		free(loc);
	}
}

/*
 * The function named on a WARNING line: new "… at file:line f+0x1/0x2 [mod]",
 * 3.x "… at file:line f+0x12/0x34()", old "WARNING: at file:line f()".
 */
static void parse_warning_func(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, " at "), *q, *f;
	const char *loc_end;

	if (!p)
		return;
	if (new_warning_location(msg, len, &loc_end)) {
		/* the function follows " at "; "at 0x0," names none */
		f = loc_end + 4;
		if (mem_starts_with(f, (size_t)(end - f), "0x"))
			return;
		p = f;
	} else {
		p += 4;
		while (p < end && *p != ' ')
			p++;
	}
	f = skip_ws(p, end);
	q = f;
	while (q < end && *q != ' ' && *q != '+' && *q != '(')
		q++;
	if (q == f)
		return;
	/*
	 * Kept as an extra, not as the ip: like syzkaller, the title takes the
	 * function from the RIP line and the stack, so a warning whose stack
	 * was lost is "WARNING in corrupted" rather than a guess.
	 */
	{
		char *func = xmemdupz(f, (size_t)(q - f));
		incident_extra_str(inc, "warning_func", func);
		free(func);
	}
}

/* "Kernel panic - not syncing: Fatal exception" */
static void parse_panic_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, "not syncing");

	if (!p)
		return;
	p += strlen("not syncing");
	if (p < end && *p == ':')
		p++;
	char *m = dup_trim(p, end);
	incident_extra_str(inc, "panic_message", m);
	free(m);
}

/* "ip[1234]: segfault at 0 ip 00007f… sp 00007ff… error 4 in libc.so.6[7f…+1e7000]" */
static void parse_segfault(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, ": segfault at "), *b;
	unsigned long long v;

	if (!p)
		return;
	b = NULL;
	for (const char *q = msg; q < p; q++)
		if (*q == '[')
			b = q;
	if (b) {
		long long pid;
		inc->task.comm = dup_trim(msg, b);
		if (parse_dec(b + 1, p, &pid))
			inc->task.pid = pid;
	} else {
		inc->task.comm = dup_trim(msg, p);
	}
	p += strlen(": segfault at ");
	if (parse_hex(p, end, &v)) {
		char buf[32];
		snprintf(buf, sizeof(buf), "0x%llx", v);
		incident_extra_str(inc, "fault_address", buf);
	}
	if ((p = mem_find(msg, len, " ip ")) && parse_hex(p + 4, end, &v)) {
		char buf[32];
		snprintf(buf, sizeof(buf), "0x%llx", v);
		incident_extra_str(inc, "user_ip", buf);
	}
	if ((p = mem_find(msg, len, " error ")) && parse_hex(p + 7, end, &v))
		incident_extra_num(inc, "error_code", (long long)v);
	if ((p = mem_find(msg, len, " in "))) {
		const char *o = p + 4, *q = o;
		while (q < end && *q != '[' && *q != ' ')
			q++;
		if (q > o) {
			char *obj = xmemdupz(o, (size_t)(q - o));
			incident_extra_str(inc, "object", obj);
			free(obj);
		}
	}
}

/* OOM: "mysqld invoked oom-killer: gfp_mask=…, order=0, oom_score_adj=0" and
   "Out of memory: Killed process 1234 (mysqld) …", "oom-kill:constraint=…" */
static void parse_oom_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;

	if ((p = mem_find(msg, len, " invoked oom-killer: "))) {
		if (!inc->task.comm)
			inc->task.comm = dup_trim(msg, p);
		const char *o = mem_find(msg, len, "order=");
		long long v;
		if (o && parse_dec(o + 6, end, &v))
			incident_extra_num(inc, "order", v);
		o = mem_find(msg, len, "gfp_mask=");
		if (o) {
			const char *q = o + 9;
			while (q < end && *q != ',' && *q != ' ')
				q++;
			char *g = xmemdupz(o + 9, (size_t)(q - o - 9));
			incident_extra_str(inc, "gfp_mask", g);
			free(g);
		}
		return;
	}
	if ((p = mem_find(msg, len, "oom-kill:constraint="))) {
		const char *q = p + strlen("oom-kill:constraint=");
		const char *c = q;
		while (q < end && *q != ',')
			q++;
		char *cons = xmemdupz(c, (size_t)(q - c));
		incident_extra_str(inc, "constraint", cons);
		free(cons);
		if ((p = mem_find(msg, len, "oom_memcg="))) {
			q = p + 10;
			c = q;
			while (q < end && *q != ',')
				q++;
			char *m = xmemdupz(c, (size_t)(q - c));
			incident_extra_str(inc, "memcg", m);
			free(m);
		}
		return;
	}
	if ((p = mem_find(msg, len, "Killed process ")) || (p = mem_find(msg, len, "Kill process "))) {
		const char *o = memchr(p, '(', (size_t)(end - p));
		const char *c = o ? memchr(o, ')', (size_t)(end - o)) : NULL;
		long long pid;
		const char *num = p + (p[4] == 'e' ? 15 : 13);
		if (parse_dec(num, end, &pid))
			incident_extra_num(inc, "victim_pid", pid);
		if (o && c) {
			char *v = xmemdupz(o + 1, (size_t)(c - o - 1));
			incident_extra_str(inc, "victim", v);
			free(v);
		}
		if (mem_starts_with(msg, len, "Memory cgroup out of memory"))
			incident_extra_str(inc, "scope", "memcg");
		else if (!incident_extra(inc, "scope"))
			incident_extra_str(inc, "scope", "global");
	}
}

static enum stack_context marker_context(const char *p, const char *end,
					 enum stack_context cur, bool *new_stack)
{
	size_t n = (size_t)(end - p);

	*new_stack = true;
	if (mem_starts_with(p, n, "<IRQ>"))
		return STACK_IRQ;
	if (mem_starts_with(p, n, "<SOFTIRQ>"))
		return STACK_SOFTIRQ;
	if (mem_starts_with(p, n, "<NMI>"))
		return STACK_NMI;
	if (mem_starts_with(p, n, "<#DF>"))
		return STACK_EXCEPTION;
	if (mem_starts_with(p, n, "</IRQ>") || mem_starts_with(p, n, "<EOI>") ||
	    mem_starts_with(p, n, "</NMI>") || mem_starts_with(p, n, "<EOE>") ||
	    mem_starts_with(p, n, "</SOFTIRQ>") || mem_starts_with(p, n, "</#DF>") ||
	    mem_starts_with(p, n, "<TASK>"))
		return STACK_TASK;
	if (mem_starts_with(p, n, "</TASK>")) {
		*new_stack = false;
		return cur;
	}
	/* "Call Trace:" starts a fresh task stack unless one is empty already. */
	return STACK_TASK;
}

struct parse_state {
	struct stack *cur;
	enum stack_context ctx;
	bool in_trace;
	bool lock_armed;	/* lockdep: the next "at:" names the lock taken */
	bool warning_seen;	/* the WARNING line itself was parsed */
	/*
	 * arm prints "[<a>] (f) from [<b>] (g+0x1/0x2)": g is the next line's
	 * f, except on the last line of a stack, where it is the only record
	 * of the outermost caller (ret_fast_syscall, …). Kept until then.
	 */
	char *arm_caller;
	size_t arm_stack;	/* index into inc->stacks */
};

static void flush_arm_caller(struct incident *inc, struct parse_state *st)
{
	struct frame *f;

	if (!st->arm_caller)
		return;
	if (st->arm_stack < inc->nr_stacks) {
		f = stack_add_frame(&inc->stacks[st->arm_stack]);
		memset(f, 0, sizeof(*f));
		f->func = st->arm_caller;
		f->reliable = true;
	} else {
		free(st->arm_caller);
	}
	st->arm_caller = NULL;
}

/* The "(g+0x1/0x2)" after " from [<…>] " on an arm frame line, or NULL. */
static char *arm_from_func(const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, ") from [<"), *q;

	if (!p || !(p = mem_find(p, (size_t)(end - p), "] (")))
		return NULL;
	p += 3;
	q = p;
	while (q < end && *q != '+' && *q != ')' && *q != ' ')
		q++;
	return q > p ? xmemdupz(p, (size_t)(q - p)) : NULL;
}

/*
 * Report sections whose frames are not the faulting stack: sanitizer
 * allocation/free stacks, KMSAN origins, lockdep's dependency chain. The
 * frames after them go to a stack of that context. Returns false when the
 * line opens no section.
 */
static bool section_context(const char *p, size_t n, enum stack_context *ctx)
{
	static const struct {
		const char *prefix;
		enum stack_context ctx;
	} sections[] = {
		{ "Allocated by task", STACK_ALLOC }, { "allocated by task", STACK_ALLOC },
		{ "Allocated:", STACK_ALLOC }, { "Freed by task", STACK_FREE },
		{ "freed by task", STACK_FREE }, { "Freed:", STACK_FREE },
		{ "Last potentially related", STACK_OTHER }, { "Second to last", STACK_OTHER },
		{ "Last call_rcu", STACK_OTHER }, { "Second to last call_rcu", STACK_OTHER },
		{ "Uninit was", STACK_OTHER }, { "Local variable", STACK_OTHER },
		{ "The buggy address", STACK_OTHER }, { "-> #", STACK_OTHER },
		{ "the existing dependency chain", STACK_OTHER },
		{ "the dependencies between", STACK_OTHER }, { "the shortest dependencies", STACK_OTHER },
		{ "Memory state around", STACK_OTHER },
	};
	/* inconsistent lock state: "{SOFTIRQ-ON-W} state was registered at:"
	   is where the lock was first taken, the title's next candidate. */
	if (n && *p == '{' && mem_find(p, n, "state was registered at:")) {
		*ctx = STACK_TASK;
		return true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		if (mem_starts_with(p, n, sections[i].prefix)) {
			*ctx = sections[i].ctx;
			return true;
		}
	return false;
}

static void add_frame(struct incident *inc, struct parse_state *st, struct frame *f)
{
	struct frame *dst;

	if (!st->cur)
		st->cur = incident_add_stack(inc, st->ctx);
	dst = stack_add_frame(st->cur);
	*dst = *f;
}

static void start_stack(struct incident *inc, struct parse_state *st,
			enum stack_context ctx)
{
	flush_arm_caller(inc, st);
	st->ctx = ctx;
	if (st->cur && !st->cur->nr) {
		st->cur->context = ctx;
		return;
	}
	st->cur = incident_add_stack(inc, ctx);
}

static void add_register_line(struct incident *inc, const char *msg, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = skip_ws(msg, msg + len);

	if (inc->registers) {
		strbuf_addstr(&sb, inc->registers);
		strbuf_addch(&sb, '\n');
		free(inc->registers);
	}
	strbuf_add(&sb, p, (size_t)(msg + len - p));
	inc->registers = strbuf_detach(&sb, NULL);
}

static bool is_regs_line(const char *p, size_t n)
{
	static const char *const regs[] = {
		"RSP:", "RAX:", "RDX:", "RBP:", "R10:", "R13:", "R08:", "FS:", "CS:",
		"CR2:", "DR0:", "DR3:", "DR6:", "PKRU:", "EAX:", "ESI:", "DS:", "CR0:",
		"x29:", "x27:", "x25:", "x23:", "x21:", "x19:", "x17:", "x15:", "x13:",
		"x11:", "x9 :", "x7 :", "x5 :", "x3 :", "x1 :", "sp :", "lr :", "pc :",
		"pstate:", "GPR", "MSR:", "CTR:", "XER:", "CFAR:", "DAR:", "SOFTE:",
		"NIP:", "REGS:", "LR:",
	};
	for (size_t i = 0; i < ARRAY_SIZE(regs); i++)
		if (mem_starts_with(p, n, regs[i]))
			return true;
	return false;
}

static void parse_modules(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = msg + strlen("Modules linked in:");

	while ((p = skip_ws(p, end)) < end) {
		const char *q = p;
		if (*p == '[')		/* "[last unloaded: foo]" */
			break;
		while (q < end && *q != ' ')
			q++;
		incident_add_module(inc, p, (size_t)(q - p));
		p = q;
	}
}

static void fill_from_context(struct incident *inc, const struct boot_context *ctx)
{
	if (!ctx)
		return;
#define FILL(dst, src) do { if (!(dst) && (src)) (dst) = xstrdup(src); } while (0)
	FILL(inc->kernel.release, ctx->release);
	FILL(inc->kernel.build, ctx->build);
	FILL(inc->kernel.hardware, ctx->hardware);
	FILL(inc->kernel.arch, ctx->arch);
	FILL(inc->kernel.hypervisor, ctx->hypervisor);
	FILL(inc->kernel.cmdline, ctx->cmdline);
	FILL(inc->kernel.tainted, ctx->tainted);
#undef FILL
}

static const char *const end_reasons[] = {
	[SEG_END_MARKER] = NULL,
	[SEG_END_NEXT] = NULL,
	[SEG_END_UNRELATED] = NULL,
	[SEG_END_GAP] = NULL,
	[SEG_END_TOO_LONG] = "report too long: cut at the line/byte limit",
	[SEG_END_EOF] = "cut off at end of input",
};

/* Kinds whose report always carries a stack trace. */
static bool kind_needs_stack(enum incident_kind k)
{
	switch (k) {
	case KIND_OOPS: case KIND_GPF: case KIND_WARNING: case KIND_HUNG_TASK:
	case KIND_SOFT_LOCKUP: case KIND_RCU_STALL: case KIND_KASAN:
	case KIND_HARD_LOCKUP:
		return true;
	default:
		return false;
	}
}

struct incident *parse_incident(const struct raw_incident *ri,
				const struct boot_context *ctx, const char *path)
{
	struct incident *inc = incident_new(ri->kind);
	struct parse_state st = { NULL, STACK_TASK, false, false, false, NULL, 0 };
	size_t nr_frames = 0;
	size_t i;

	inc->host = ri->host ? xstrdup(ri->host) : NULL;
	inc->source.path = path;
	inc->source.line = ri->lines[0].lineno;
	inc->source.end_line = ri->lines[ri->nr - 1].lineno;
	inc->source.offset = ri->lines[0].offset;
	inc->ktime = ri->lines[0].ktime;
	inc->has_ktime = ri->lines[0].has_ktime;
	if (ri->lines[0].wall[0])
		inc->wall = xstrdup(ri->lines[0].wall);

	for (i = 0; i < ri->nr; i++) {
		const struct seg_line *sl = &ri->lines[i];
		const char *msg = sl->msg, *end = msg + sl->len;
		const char *p = skip_ws(msg, end);
		size_t n = (size_t)(end - p);
		struct frame f;
		unsigned flags;
		enum incident_kind k;

		strbuf_add(&inc->text, msg, sl->len);
		strbuf_addch(&inc->text, '\n');
		inc->nr_lines++;
		if (!n)
			continue;

		k = classify_start(p, n, &flags);
		if (k != KIND_NONE) {
			switch (k) {
			case KIND_HUNG_TASK: parse_hung_header(inc, p, n); break;
			case KIND_SOFT_LOCKUP:
			case KIND_HARD_LOCKUP: parse_lockup_header(inc, p, n); break;
			case KIND_OOPS:
				if (!incident_extra(inc, "fault"))
					parse_fault_header(inc, p, n);
				break;
			case KIND_BUG:
				if (mem_starts_with(p, n, "kernel BUG at "))
					parse_location(inc, p, n);
				break;
			case KIND_WARNING:
				if (!st.warning_seen) {
					st.warning_seen = true;
					parse_location(inc, p, n);
					parse_warning_func(inc, p, n);
				}
				break;
			case KIND_KASAN: case KIND_KFENCE: case KIND_KMSAN:
			case KIND_KCSAN: case KIND_UBSAN:
				parse_sanitizer_header(inc, p, n);
				break;
			case KIND_PAGE_ALLOC_FAILURE:
				parse_page_alloc_failure(inc, p, n);
				break;
			case KIND_MCE: case KIND_IO_ERROR: case KIND_FS_ERROR: case KIND_NETDEV:
				if (!incident_extra(inc, "summary"))
					parse_device_error(inc, p, n);
				break;
			case KIND_PANIC:
				if (!incident_extra(inc, "panic_message"))
					parse_panic_header(inc, p, n);
				break;
			case KIND_SEGFAULT: parse_segfault(inc, p, n); break;
			case KIND_OOM: parse_oom_line(inc, p, n); break;
			default: break;
			}
			continue;
		}
		if (ri->kind == KIND_OOM)
			parse_oom_line(inc, p, n);
		if (parse_access_line(inc, p, n))
			continue;
		if (ri->kind == KIND_OOPS && !incident_extra(inc, "fault") &&
		    (mem_starts_with(p, n, "NULL pointer dereference") ||
		     mem_starts_with(p, n, "paging request at"))) {
			parse_fault_header(inc, p, n);
			continue;
		}
		if (ri->kind == KIND_LOCKDEP || ri->kind == KIND_BUG)
			parse_lockdep_line(inc, p, n, &st.lock_armed);
		{
			enum stack_context sc;
			if (section_context(p, n, &sc)) {
				start_stack(inc, &st, sc);
				continue;
			}
		}
		/* "last function: addrconf_dad_work" (workqueue leaked lock) */
		if (mem_starts_with(p, n, "last function: ") && !inc->has_ip) {
			struct frame lf;
			if (frame_parse_line(p + 15, n - 15, &lf, NULL)) {
				inc->ip = lf;
				inc->has_ip = true;
			} else {
				const char *fe = p + 15;
				while (fe < end && *fe != ' ' && *fe != '+')
					fe++;
				if (fe > p + 15) {
					inc->ip.func = xmemdupz(p + 15, (size_t)(fe - p - 15));
					inc->ip.reliable = true;
					inc->has_ip = true;
				}
			}
			continue;
		}

		if (mem_starts_with(p, n, "CPU: ") && mem_find(p, n, "PID: ")) {
			parse_cpu_line(inc, p, n);
			continue;
		}
		if (mem_starts_with(p, n, "Not tainted ") || mem_starts_with(p, n, "Tainted: ")) {
			parse_taint_release(inc, p, n);
			continue;
		}
		if (mem_starts_with(p, n, "Hardware name: ")) {
			free(inc->kernel.hardware);
			inc->kernel.hardware = dup_trim(p + 15, end);
			continue;
		}
		if (mem_starts_with(p, n, "Modules linked in:")) {
			if (!inc->nr_modules)
				parse_modules(inc, p, n);
			continue;
		}
		if (mem_starts_with(p, n, "Code: ")) {
			if (!inc->code)
				inc->code = dup_trim(p + 6, end);
			continue;
		}
		if (mem_starts_with(p, n, "Oops: ")) {
			char *o = dup_trim(p + 6, end);
			incident_extra_str(inc, "oops", o);
			free(o);
			continue;
		}
		if (mem_starts_with(p, n, "#PF: ")) {
			char *o = dup_trim(p + 5, end);
			incident_extra_str(inc, mem_starts_with(p, n, "#PF: error_code") ?
					   "pf_error" : "pf_access", o);
			free(o);
			continue;
		}
		if (mem_starts_with(p, n, "Workqueue: ")) {
			char *o = dup_trim(p + 11, end);
			incident_extra_str(inc, "workqueue", o);
			free(o);
			continue;
		}
		if (ri->kind == KIND_HUNG_TASK && !inc->task.state &&
		    parse_task_state_line(inc, p, n))
			continue;
		/* The faulting IP. Old x86 prints it twice ("IP:" and "RIP  ["). */
		if (frame_parse_ip_line(p, n, &f)) {
			if (!inc->has_ip || (!inc->ip.func && f.func)) {
				frame_release(&inc->ip);
				inc->ip = f;
				inc->has_ip = true;
				/* where the ip was printed among the stacks: stalls
				   walk it in that order (title.c) */
				inc->ip_stack = inc->nr_stacks;
			} else {
				frame_release(&f);
			}
			if (mem_starts_with(p, n, "RIP: ") || mem_starts_with(p, n, "pc : "))
				add_register_line(inc, p, n);
			continue;
		}
		{
			enum line_role role = classify_cont(p, n);
			if (role == ROLE_TRACE_MARK) {
				bool new_stack;
				enum stack_context c = marker_context(p, end, st.ctx, &new_stack);
				if (new_stack)
					start_stack(inc, &st, c);
				st.in_trace = true;
				continue;
			}
			if (role == ROLE_FRAME && frame_parse_line(msg, sl->len, &f, NULL)) {
				if (st.arm_caller) {
					if (f.func && !strcmp(f.func, st.arm_caller)) {
						free(st.arm_caller);
						st.arm_caller = NULL;
					} else {
						flush_arm_caller(inc, &st);
					}
				}
				add_frame(inc, &st, &f);
				nr_frames++;
				if ((st.arm_caller = arm_from_func(msg, sl->len)))
					st.arm_stack = (size_t)(st.cur - inc->stacks);
				continue;
			}
		}
		if (is_regs_line(p, n)) {
			add_register_line(inc, p, n);
			continue;
		}
	}

	flush_arm_caller(inc, &st);
	/* Drop empty stacks left by markers with no frames after them. */
	{
		size_t kept = 0, ip_stack = inc->ip_stack;

		for (i = 0; i < inc->nr_stacks; i++) {
			if (i == ip_stack)
				inc->ip_stack = kept;
			if (inc->stacks[i].nr)
				inc->stacks[kept++] = inc->stacks[i];
			else
				free(inc->stacks[i].frames);
		}
		if (ip_stack >= inc->nr_stacks)
			inc->ip_stack = kept;
		inc->nr_stacks = kept;
	}

	if (ri->kind == KIND_TCP_MEM) {
		incident_extra_num(inc, "printed", (long long)ri->flood_count);
		incident_extra_num(inc, "suppressed", (long long)ri->suppressed);
		incident_extra_num(inc, "events", (long long)(ri->flood_count + ri->suppressed));
		if (ri->lines[ri->nr - 1].has_ktime && inc->has_ktime) {
			char buf[32];
			snprintf(buf, sizeof(buf), "%.6f", ri->lines[ri->nr - 1].ktime);
			incident_extra_str(inc, "last_time", buf);
		}
	}
	fill_from_context(inc, ctx);
	if (ri->kind == KIND_OOPS && !incident_extra(inc, "fault"))
		incident_extra_str(inc, "fault", "paging_request");

	if (end_reasons[ri->end] && (ri->end != SEG_END_EOF || kind_needs_stack(ri->kind)
				     || !nr_frames)) {
		/* A report cut at EOF is only damaged if it lacks what it needs. */
		if (ri->end == SEG_END_TOO_LONG || (kind_needs_stack(ri->kind) && !nr_frames)) {
			inc->corrupted = true;
			inc->corrupt_reason = xstrdup(end_reasons[ri->end]);
		}
	}
	if (!inc->corrupted && kind_needs_stack(ri->kind) && !nr_frames &&
	    !(inc->has_ip && inc->ip.func)) {
		inc->corrupted = true;
		inc->corrupt_reason = xstrdup("no stack trace in the report");
	}
	title_assign(inc);
	return inc;
}
