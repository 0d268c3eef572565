#include "parse_headers.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* Squeeze runs of blanks: "G           OE" → "G OE". */
/*
 * The build after '#' in a header line: "163-Ubuntu"; Debian's version.patch
 * adds the package version ("#1  Debian 5.10.197-1", lib/dump_stack.c and
 * kernel/hung_task.c print LINUX_PACKAGE_ID after the first word of
 * UTS_VERSION). Blank runs become one; a trailing build ID (CONFIG_
 * STACKTRACE_BUILD_ID: " %20phN", 40 hex digits) is not part of it.
 */
static void set_build(struct incident *inc, const char *p, const char *end)
{
	struct strbuf sb = STRBUF_INIT;
	const char *w;

	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	for (w = end; w > p && w[-1] != ' '; w--)
		;
	if (w > p && end - w == 40) {
		const char *h = w;
		while (h < end && is_hex_digit((unsigned char)*h))
			h++;
		if (h == end)
			end = w;
	}
	for (; p < end; p++)
		if (*p != ' ' || (sb.len && sb.buf[sb.len - 1] != ' '))
			strbuf_addch(&sb, *p);
	while (sb.len && sb.buf[sb.len - 1] == ' ')
		strbuf_setlen(&sb, sb.len - 1);
	incident_set_str(&inc->kernel.build, sb.buf, sb.len);
	strbuf_release(&sb);
}

static char *squeeze(const char *p, const char *end)
{
	struct strbuf sb = STRBUF_INIT;

	if (end < p)
		end = p;
	p = mem_skip_blanks(p, end);
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
bool parse_taint_release(struct incident *inc, const char *msg, size_t len)
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
			p = mem_skip_blanks(p, end);
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
	p = mem_skip_blanks(p, end);
	q = p;
	while (q < end && *q != ' ')
		q++;
	if (q == p)
		return false;
	incident_set_str(&inc->kernel.release, p, (size_t)(q - p));
	p = mem_skip_blanks(q, end);
	if (p < end && *p == '#')
		set_build(inc, p + 1, end);
	return true;
}

/* "CPU: 21 PID: 40312 Comm: qemu-system-x86 Not tainted 4.4.0-119-generic #143-Ubuntu" */
void parse_cpu_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *comm, *comm_end;
	long long v;

	p = msg + 5;
	if ((p = parse_dec(mem_skip_blanks(p, end), end, &v)) && inc->task.cpu < 0)
		inc->task.cpu = (int)v;
	if (!p)
		return;
	if ((p = mem_find_after(p, (size_t)(end - p), "PID: ")) &&
	    (p = parse_dec(p, end, &v)) && inc->task.pid < 0)
		inc->task.pid = v;
	if (!p || !(comm = mem_find_after(p, (size_t)(end - p), "Comm: ")))
		return;
	/* RHEL prints "Comm: bash Kdump: loaded Not tainted …". */
	comm_end = mem_find(comm, (size_t)(end - comm), " Kdump: ");
	if (!comm_end)
		comm_end = mem_find(comm, (size_t)(end - comm), " Not tainted");
	if (!comm_end)
		comm_end = mem_find(comm, (size_t)(end - comm), " Tainted:");
	if (!comm_end) {
		comm_end = comm;
		while (comm_end < end && *comm_end != ' ')
			comm_end++;
	}
	if (!inc->task.comm)
		inc->task.comm = xmemdup_trim(comm, comm_end);
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
		*comm = xmemdup_trim(p, end);
		return;
	}
	*comm = xmemdup_trim(p, colon);
	parse_dec(colon + 1, end, pid);
}

/* "INFO: task ip:1747 blocked for more than 120 seconds." */
void parse_hung_header(struct incident *inc, const char *msg, size_t len)
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
bool parse_task_state_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	long long v;

	if (mem_starts_with(msg, len, "task:")) {
		const char *st = mem_find(msg, len, " state:");
		if (!st)
			return false;
		if (!inc->task.comm)
			inc->task.comm = xmemdup_trim(msg + strlen("task:"), st);
		p = st + strlen(" state:");
		const char *q = p;
		while (q < end && *q != ' ')
			q++;
		incident_set_str(&inc->task.state, p, (size_t)(q - p));
		if ((p = mem_find_after(msg, len, " pid:")) && parse_dec(p, end, &v) &&
		    inc->task.pid < 0)
			inc->task.pid = v;
		if ((p = mem_find_after(msg, len, " ppid:")) && parse_dec(p, end, &v))
			incident_extra_num(inc, "ppid", v);
		return true;
	}
	/* Old format: the comm (≤15 chars, padded) then a one-letter state. */
	if (!inc->task.comm || !mem_starts_with(msg, len, inc->task.comm))
		return false;
	p = mem_skip_blanks(msg + strlen(inc->task.comm), end);
	if (p + 2 > end || !(p[1] == ' ' || (p[1] >= '0' && p[1] <= '9')) ||
	    !(p[0] >= 'A' && p[0] <= 'Z'))
		return false;
	incident_set_str(&inc->task.state, p, 1);
	/*
	 * "D ffff8819d1f17dc8     0  1747   1746 0x00000080" (3.x, saved PC),
	 * "D    0  1747   1746 0x00000080" (4.x), "D29496  9850  19518 0x00000004"
	 * (the free stack glued to the state): ppid is the field before the
	 * flags, whatever came first.
	 */
	{
		const char *tok[2];
		long long ppid;
		if (mem_last_words(p + 1, end, tok, 2) == 2 &&
		    mem_starts_with(tok[0], (size_t)(end - tok[0]), "0x") &&
		    parse_dec(tok[1], end, &ppid))
			incident_extra_num(inc, "ppid", ppid);
	}
	return true;
}

/* "watchdog: BUG: soft lockup - CPU#38 stuck for 22s! [qemu-system-x86:51804]" */
void parse_lockup_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	long long v;

	if ((p = mem_find_after(msg, len, "CPU#")) && parse_dec(p, end, &v))
		inc->task.cpu = (int)v;
	if ((p = mem_find_after(msg, len, "stuck for ")) && parse_dec(p, end, &v))
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
	if ((p = mem_find_after(msg, len, "LOCKUP on cpu ")) && parse_dec(p, end, &v))
		inc->task.cpu = (int)v;
}

/* BUG: unable to handle …/ kernel NULL pointer dereference, address: … */
void parse_fault_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	unsigned long long addr;

	if (incident_extra(inc, "fault"))	/* the first header says what failed */
		return;
	if ((p = mem_find_after(msg, len, "address: ")) || (p = mem_find_after(msg, len, " at "))) {
		size_t rest;
		p = mem_skip_blanks(p, end);
		rest = (size_t)(end - p);
		/* arm64/riscv die_kernel_fault(): "at virtual address %016lx";
		   powerpc bad_page_fault() before 5.x: "for data at address
		   0x%08lx" */
		if (!mem_skip_prefix(&p, &rest, "virtual address "))
			mem_skip_prefix(&p, &rest, "address ");
		/* x86 no_context() of 2.6.2x-3.x printed the address with %p,
		   which prints 0 as "(null)" */
		if (mem_starts_with(p, rest, "(null)")) {
			incident_extra_str(inc, "fault_address", "0x0000000000000000");
		} else if (parse_hex(p, end, &addr)) {
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
	/* s390 do_no_context(): "Unable to handle kernel pointer dereference
	   in virtual kernel address space" (or "paging request in virtual
	   user address space"); the address follows on its own line
	   (body_failing_address()) */
	if ((p = mem_find_after(msg, len, " in virtual ")) &&
	    mem_find(p, (size_t)(end - p), " address space")) {
		const char *q = p;
		while (q < end && *q != ' ')
			q++;
		char *space = xmemdupz(p, (size_t)(q - p));
		incident_extra_str(inc, "fault_space", space);
		free(space);
	}
	if (mem_find(msg, len, "NULL pointer"))
		incident_extra_str(inc, "fault", "null_pointer");
	else if (mem_starts_with(msg, len, "BUG: unable to handle kernel") && len <= 29)
		return;	/* the rest may follow on the next line */
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

/* Where the location starts after "at" ("WARNING: atarch/x86/…" lost its blank). */
static const char *after_at(const char *msg, size_t len)
{
	const char *p = msg;

	if (mem_skip_prefix(&p, &len, "WARNING: at"))
		return mem_skip_blanks(p, p + len);
	p = mem_find(msg, len, " at ");
	return p ? p + 4 : NULL;
}

void parse_location(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *q;

	if ((q = new_warning_location(msg, len, &p))) {
		char *loc = xmemdupz(q, (size_t)(p - q));
		incident_extra_str(inc, "location", loc);
		free(loc);
		return;
	}
	if (!(p = after_at(msg, len)))
		return;
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
 * without a file "… PID: 1 at f+0x1/0x2 [mod]" (__warn(), file == NULL),
 * 3.x "… at file:line f+0x12/0x34()", old "WARNING: at file:line f()".
 */
void parse_warning_func(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = after_at(msg, len), *q, *f;
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
		/* __warn() prints "at %s:%d %pS" with a file, "at %pS" without
		   one (a WARN from code built without debug info on the bug
		   table, or an arch whose BUG entry has no file) */
		q = p;
		while (q < end && *q != ' ')
			q++;
		if (is_location(p, q))
			p = q;
	}
	f = mem_skip_blanks(p, end);
	q = f;
	while (q < end && *q != ' ' && *q != '+' && *q != '(')
		q++;
	if (q == f)
		return;
	/*
	 * Also kept as an extra: title.c wants a stack to back a function that
	 * only the WARNING line names (a warning whose stack was lost is
	 * "WARNING in corrupted", as in syzkaller's corpus).
	 */
	{
		char *func = xmemdupz(f, (size_t)(q - f));
		incident_extra_str(inc, "warning_func", func);
		free(func);
	}
	frame_release(&inc->ip);
	memset(&inc->ip, 0, sizeof(inc->ip));
	inc->ip.func = xmemdupz(f, (size_t)(q - f));
	inc->ip.reliable = true;
	inc->has_ip = true;
	if (q < end && *q == '+') {
		struct frame tmp;
		char *s = xmemdupz(f, (size_t)(end - f));
		char *paren = strstr(s, "()");
		char *comma = strchr(s, ',');
		if (paren)
			*paren = '\0';
		if (comma)	/* new format: "f+0x1/0x2, CPU#0: comm/pid" */
			*comma = '\0';
		if (frame_parse_line(s, strlen(s), &tmp, NULL)) {
			frame_release(&inc->ip);
			inc->ip = tmp;
		}
		free(s);
	}
}

void parse_warning_header(struct incident *inc, const char *msg, size_t len)
{
	/* the first WARNING line with a location or function names the report */
	if (incident_extra(inc, "location") || incident_extra(inc, "warning_func"))
		return;
	parse_location(inc, msg, len);
	parse_warning_func(inc, msg, len);
}

/* "Kernel panic - not syncing: Fatal exception" */
void parse_panic_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, "not syncing");

	if (!p || incident_extra(inc, "panic_message"))	/* the first panic says why */
		return;
	p += strlen("not syncing");
	if (p < end && *p == ':')
		p++;
	char *m = xmemdup_trim(p, end);
	incident_extra_str(inc, "panic_message", m);
	free(m);
	/* "stack-protector: Kernel stack is corrupted in: f+0x1/0x2" */
	if ((p = mem_find_after(p, (size_t)(end - p), "corrupted in: "))) {
		const char *f = p, *q = f;
		while (q < end && *q != '+' && *q != ' ')
			q++;
		if (q > f && q < end && *q == '+') {
			char *func = xmemdupz(f, (size_t)(q - f));
			incident_extra_str(inc, "report_func", func);
			free(func);
		}
	}
}

/* "ip[1234]: segfault at 0 ip 00007f… sp 00007ff… error 4 in libc.so.6[7f…+1e7000]" */
void parse_segfault(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, ": segfault at "), *b;
	unsigned long long v;

	if (!p && mem_starts_with(msg, len, "traps: ")) {
		/* "traps: nginx[881] general protection fault ip:55d0… sp:… error:0 in nginx[…]" */
		const char *c = msg + strlen("traps: "), *lb = memchr(c, '[', (size_t)(end - c));
		const char *rb = lb ? memchr(lb, ']', (size_t)(end - lb)) : NULL;
		const char *ip = mem_find_after(msg, len, " ip:");
		long long pid;
		if (!lb || !rb || !ip)
			return;
		free(inc->task.comm);
		inc->task.comm = xmemdup_trim(c, lb);
		if (parse_dec(lb + 1, rb, &pid))
			inc->task.pid = pid;
		char *trap = xmemdup_trim(rb + 1, ip - strlen(" ip:"));
		incident_extra_str(inc, "trap", trap);
		free(trap);
		if (parse_hex(ip, end, &v)) {
			char buf[32];
			snprintf(buf, sizeof(buf), "0x%llx", v);
			incident_extra_str(inc, "user_ip", buf);
		}
		if ((p = mem_find_after(msg, len, " error:")) && parse_hex(p, end, &v))
			incident_extra_num(inc, "error_code", (long long)v);
		p = ip;
		goto object;
	}
	if (!p)
		return;
	b = NULL;
	for (const char *q = msg; q < p; q++)
		if (*q == '[')
			b = q;
	free(inc->task.comm);
	if (b) {
		long long pid;
		inc->task.comm = xmemdup_trim(msg, b);
		if (parse_dec(b + 1, p, &pid))
			inc->task.pid = pid;
	} else {
		inc->task.comm = xmemdup_trim(msg, p);
	}
	p += strlen(": segfault at ");
	if (parse_hex(p, end, &v)) {
		char buf[32];
		snprintf(buf, sizeof(buf), "0x%llx", v);
		incident_extra_str(inc, "fault_address", buf);
	}
	if ((p = mem_find_after(msg, len, " ip ")) && parse_hex(p, end, &v)) {
		char buf[32];
		snprintf(buf, sizeof(buf), "0x%llx", v);
		incident_extra_str(inc, "user_ip", buf);
	}
	if ((p = mem_find_after(msg, len, " error ")) && parse_hex(p, end, &v))
		incident_extra_num(inc, "error_code", (long long)v);
	p = msg;
object:
	if ((p = mem_find_after(p, (size_t)(end - p), " in "))) {
		const char *o = p, *q = o;
		while (q < end && *q != '[' && *q != ' ')
			q++;
		if (q > o) {
			char *obj = xmemdupz(o, (size_t)(q - o));
			incident_extra_str(inc, "object", obj);
			free(obj);
		}
	}
}
