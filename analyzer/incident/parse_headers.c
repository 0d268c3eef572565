#include "parse_headers.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



/* Squeeze runs of blanks: "G           OE" → "G OE". */
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
	if (p < end && *p == '#') {
		q = ++p;
		while (q < end && *q != ' ')
			q++;
		incident_set_str(&inc->kernel.build, p, (size_t)(q - p));
	}
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
	if ((p = mem_find(p, (size_t)(end - p), "PID: ")) &&
	    (p = parse_dec(p + 5, end, &v)) && inc->task.pid < 0)
		inc->task.pid = v;
	if (!p || !(comm = mem_find(p, (size_t)(end - p), "Comm: ")))
		return;
	comm += 6;
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
			inc->task.comm = xmemdup_trim(msg + 5, st);
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
void parse_fault_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	unsigned long long addr;

	if ((p = mem_find(msg, len, "address: ")) || (p = mem_find(msg, len, " at "))) {
		p = mem_skip_blanks(p + (p[0] == 'a' ? 9 : 4), end);
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

void parse_location(struct incident *inc, const char *msg, size_t len)
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
void parse_warning_func(struct incident *inc, const char *msg, size_t len)
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

/* "Kernel panic - not syncing: Fatal exception" */
void parse_panic_header(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, "not syncing");

	if (!p)
		return;
	p += strlen("not syncing");
	if (p < end && *p == ':')
		p++;
	char *m = xmemdup_trim(p, end);
	incident_extra_str(inc, "panic_message", m);
	free(m);
	/* "stack-protector: Kernel stack is corrupted in: f+0x1/0x2" */
	if ((p = mem_find(p, (size_t)(end - p), "corrupted in: "))) {
		const char *f = p + 14, *q = f;
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
		const char *c = msg + 7, *lb = memchr(c, '[', (size_t)(end - c));
		const char *rb = lb ? memchr(lb, ']', (size_t)(end - lb)) : NULL;
		const char *ip = mem_find(msg, len, " ip:");
		long long pid;
		if (!lb || !rb || !ip)
			return;
		free(inc->task.comm);
		inc->task.comm = xmemdup_trim(c, lb);
		if (parse_dec(lb + 1, rb, &pid))
			inc->task.pid = pid;
		char *trap = xmemdup_trim(rb + 1, ip);
		incident_extra_str(inc, "trap", trap);
		free(trap);
		if (parse_hex(ip + 4, end, &v)) {
			char buf[32];
			snprintf(buf, sizeof(buf), "0x%llx", v);
			incident_extra_str(inc, "user_ip", buf);
		}
		if ((p = mem_find(msg, len, " error:")) && parse_hex(p + 7, end, &v))
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
	if ((p = mem_find(msg, len, " ip ")) && parse_hex(p + 4, end, &v)) {
		char buf[32];
		snprintf(buf, sizeof(buf), "0x%llx", v);
		incident_extra_str(inc, "user_ip", buf);
	}
	if ((p = mem_find(msg, len, " error ")) && parse_hex(p + 7, end, &v))
		incident_extra_num(inc, "error_code", (long long)v);
	p = msg;
object:
	if ((p = mem_find(p, (size_t)(end - p), " in "))) {
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
void parse_oom_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;

	if ((p = mem_find(msg, len, " invoked oom-killer: "))) {
		if (!inc->task.comm)
			inc->task.comm = xmemdup_trim(msg, p);
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
