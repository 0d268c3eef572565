#include "parse_body.h"
#include "parse_headers.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void split_dmi_name(struct incident *inc);

/* 2.6/3.x: "Pid: 0, comm: swapper Not tainted 2.6.32-431.el6.x86_64 #1" */
static void body_pid_comm(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *c = mem_find(msg, len, ", comm: "), *ce;
	long long pid;

	if (parse_dec(msg + strlen("Pid: "), end, &pid) && inc->task.pid < 0)
		inc->task.pid = pid;
	c += strlen(", comm: ");
	ce = mem_find(c, (size_t)(end - c), " Not tainted");
	if (!ce)
		ce = mem_find(c, (size_t)(end - c), " Tainted:");
	if (ce && !inc->task.comm)
		inc->task.comm = xmemdup_trim(c, ce);
	if (ce)
		parse_taint_release(inc, ce, (size_t)(end - ce));
	if (ce)
		split_dmi_name(inc);
}

/*
 * After the release, x86's show_regs_common() of 2.6.3x-3.x (and 2.6.32's
 * __show_regs()) prints only the first word of UTS_VERSION ("#1") and then
 * the DMI vendor, product and board: "… 2.6.32-431.el6.x86_64 #1 Dell Inc.
 * PowerEdge R620/0VV3F2". Debian's kernels put their package version
 * between ("#1 Debian 3.2.96-2"). What follows is the machine, not the build.
 */
static void split_dmi_name(struct incident *inc)
{
	const char *b = inc->kernel.build, *w, *hw;

	if (!b || !(w = strchr(b, ' ')))
		return;
	hw = w + 1;
	if (starts_with(hw, "Debian ")) {
		hw += strlen("Debian ");
		while (*hw && *hw != ' ')
			hw++;
		if (!*hw)
			return;
		w = hw++;
	}
	if (!inc->kernel.hardware)
		inc->kernel.hardware = xstrdup(hw);
	inc->kernel.build[w - b] = '\0';
}

static void body_taint(struct incident *inc, const char *msg, size_t len)
{
	parse_taint_release(inc, msg, len);
}

static void body_hardware(struct incident *inc, const char *msg, size_t len)
{
	mem_skip_prefix(&msg, &len, "Hardware name: ");
	free(inc->kernel.hardware);
	inc->kernel.hardware = xmemdup_trim(msg, msg + len);
}

/* "Modules linked in: kvm_intel kvm [last unloaded: foo]" */
static void body_modules(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = msg + strlen("Modules linked in:");

	if (inc->nr_modules)
		return;
	while ((p = mem_skip_blanks(p, end)) < end) {
		const char *q = p, *name_end;
		if (*p == '[')		/* "[last unloaded: foo]" */
			break;
		while (q < end && *q != ' ')
			q++;
		/* module_flags() follows the name with its taints and state:
		   "mydrv(PO+)", "vfat(E)", "nvme(-)"; the name is the module */
		name_end = memchr(p, '(', (size_t)(q - p));
		if (!name_end || name_end == p || q[-1] != ')')
			name_end = q;
		incident_add_module(inc, p, (size_t)(name_end - p));
		p = q;
	}
}

static void body_code(struct incident *inc, const char *msg, size_t len)
{
	if (!inc->code && mem_skip_prefix(&msg, &len, "Code: "))
		inc->code = xmemdup_trim(msg, msg + len);
}

/* The rest of a "KEY: value" line as a string extra. */
static void extra_after(struct incident *inc, const char *key, const char *prefix,
			const char *msg, size_t len)
{
	char *v;

	mem_skip_prefix(&msg, &len, prefix);
	v = xmemdup_trim(msg, msg + len);
	incident_extra_str(inc, key, v);
	free(v);
}

static void body_oops(struct incident *inc, const char *msg, size_t len)
{
	extra_after(inc, "oops", "Oops: ", msg, len);
}

void parse_die_banner(struct incident *inc, const char *msg, size_t len)
{
	if (!incident_extra(inc, "oops"))
		body_oops(inc, msg, len);
}

/* "#PF: supervisor read access in kernel mode", "#PF: error_code(0x0000) …" */
static void body_pf(struct incident *inc, const char *msg, size_t len)
{
	extra_after(inc, mem_starts_with(msg, len, "#PF: error_code") ? "pf_error" : "pf_access",
		    "#PF: ", msg, len);
}

static void body_workqueue(struct incident *inc, const char *msg, size_t len)
{
	extra_after(inc, "workqueue", "Workqueue: ", msg, len);
}

/* "last function: addrconf_dad_work" (a work item leaked a lock) */
static void body_last_function(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *fe;
	struct frame lf;

	if (inc->has_ip || !mem_skip_prefix(&msg, &len, "last function: "))
		return;
	if (frame_parse_line(msg, len, &lf, NULL)) {
		inc->ip = lf;
		inc->has_ip = true;
		return;
	}
	for (fe = msg; fe < end && *fe != ' ' && *fe != '+'; fe++)
		;
	if (fe > msg) {
		inc->ip.func = xmemdupz(msg, (size_t)(fe - msg));
		inc->ip.reliable = true;
		inc->has_ip = true;
	}
}

static void body_cpu(struct incident *inc, const char *msg, size_t len)
{
	parse_cpu_line(inc, msg, len);
}

/*
 * x86 of 2.6.x: "CPU 7 " alone (x86_64 __die()/show_regs()), "CPU 1:"
 * before a soft lockup's registers, i386 show_registers()' "CPU:    1"
 * (before 2.6.25) and "EIP: 0060:[<c0123456>] EFLAGS: 00010046 CPU: 0".
 */
static bool body_old_cpu(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	long long v;

	if (mem_starts_with(msg, len, "CPU ") ||
	    (mem_starts_with(msg, len, "CPU:  ") && !mem_find(msg, len, "PID"))) {
		/* i386 show_registers() before 2.6.25: "CPU:    1" */
		p = parse_dec(mem_skip_blanks(msg + 4, end), end, &v);
		if (!p)
			return false;
		if (p < end && *p == ':')
			p++;
		if (mem_skip_blanks(p, end) != end)
			return false;
	} else if (!(mem_starts_with(msg, len, "EIP: ") &&
		     (p = mem_find_after(msg, len, " EFLAGS: ")) &&
		     (p = mem_find_after(p, (size_t)(end - p), " CPU: ")) && parse_dec(p, end, &v))) {
		return false;
	}
	if (inc->task.cpu < 0)
		inc->task.cpu = (int)v;
	return mem_starts_with(msg, len, "CPU");
}

/*
 * s390 dump_fault_info(): "Failing address: 0000000000000000 TEID:
 * 0000000000000483" (the page of the address). In the first page it is
 * what x86 calls a NULL pointer dereference (show_fault_oops(): address <
 * PAGE_SIZE; s390 pages are 4 KiB).
 */
static void body_failing_address(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = msg + strlen("failing address: ");
	unsigned long long addr;
	const struct extra *fault = incident_extra(inc, "fault");
	char buf[32];

	if (!parse_hex(p, end, &addr) || incident_extra(inc, "fault_address"))
		return;
	snprintf(buf, sizeof(buf), "0x%016llx", addr);
	incident_extra_str(inc, "fault_address", buf);
	if (addr < 4096 && incident_extra(inc, "fault_space") && fault && fault->str &&
	    !strcmp(fault->str, "paging_request"))
		incident_extra_str(inc, "fault", "null_pointer");
}

/*
 * "Process swapper (pid: 0, ti=c13f8000 task=c13fc2e0 task.ti=c13f8000)":
 * x86 show_registers()/__die() of 2.6-3.x, arm and arm64 before 4.x __die()
 * ("Process insmod (pid: 1234, stack limit = 0x…)").
 */
static void body_process(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *c = msg + strlen("Process "), *pid;
	long long v;

	if (!(pid = mem_find(c, (size_t)(end - c), " (pid: ")))
		return;
	if (!inc->task.comm)
		inc->task.comm = xmemdup_trim(c, pid);
	if (inc->task.pid < 0 && parse_dec(pid + strlen(" (pid: "), end, &v))
		inc->task.pid = v;
}

/*
 * i386 show_registers() before 2.6.25: "EIP:    0060:[<f8a3c1d2>]    Tainted:
 * P      VLI" then "EFLAGS: 00010246   (2.6.18-398.el5PAE #1)" (the release
 * and the first word of the version).
 */
static void body_old_eip(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *q;

	if ((p = mem_find_after(msg, len, "Tainted: ")) && !inc->kernel.tainted) {
		struct strbuf sb = STRBUF_INIT;
		q = mem_find(p, (size_t)(end - p), " VLI");
		for (; p < (q ? q : end); p++)
			if (*p != ' ' || (sb.len && sb.buf[sb.len - 1] != ' '))
				strbuf_addch(&sb, *p);
		while (sb.len && sb.buf[sb.len - 1] == ' ')
			strbuf_setlen(&sb, sb.len - 1);
		inc->kernel.tainted = strbuf_detach(&sb, NULL);
	} else if (mem_find(msg, len, "Not tainted") && !inc->kernel.tainted) {
		inc->kernel.tainted = xstrdup("");
	}
}

static bool body_old_eflags(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = memchr(msg, '(', len), *q;

	if (!p || end[-1 - (end[-1] == ' ')] != ')')
		return false;
	for (q = ++p; q < end && *q != ' ' && *q != ')'; q++)
		;
	if (q == p || !memchr(p, '.', (size_t)(q - p)))
		return false;
	if (!inc->kernel.release)
		inc->kernel.release = xmemdupz(p, (size_t)(q - p));
	p = mem_skip_blanks(q, end);
	if (p < end && *p == '#' && !inc->kernel.build) {
		for (q = ++p; q < end && *q != ')' && *q != ' '; q++)
			;
		inc->kernel.build = xmemdupz(p, (size_t)(q - p));
	}
	return true;
}

bool parse_body_line(struct incident *inc, const char *msg, size_t len)
{
	static const struct {
		const char *prefix, *has;
		void (*parse)(struct incident *inc, const char *msg, size_t len);
	} lines[] = {
		{ "last function: ", NULL, body_last_function },	/* process_one_work() */
		{ "CPU: ", "PID: ", body_cpu },		/* dump_stack_print_info() */
		{ "Pid: ", ", comm: ", body_pid_comm },	/* 2.6/3.x show_regs_common() */
		{ "Not tainted ", NULL, body_taint },	/* 2.6/3.x second header line */
		{ "Tainted: ", NULL, body_taint },
		{ "Hardware name: ", NULL, body_hardware },	/* dump_stack_print_info() */
		{ "Modules linked in:", NULL, body_modules },	/* print_modules() */
		{ "Code: ", NULL, body_code },		/* show_opcodes() */
		{ "Oops: ", NULL, body_oops },		/* __die_header() */
		{ "#PF: ", NULL, body_pf },		/* show_fault_oops() */
		{ "Workqueue: ", NULL, body_workqueue },	/* print_worker_info() */
		{ "Failing address: ", " TEID: ", body_failing_address },	/* s390 dump_fault_info() */
		{ "Process ", " (pid: ", body_process },	/* __die() of 2.6-3.x */
		{ "failing address: ", " TEID: ", body_failing_address },	/* its 3.x spelling */
	};

	if (body_old_cpu(inc, msg, len))
		return true;
	/* i386 before 2.6.25 (body_old_eip()): taint on the EIP line, which
	   the ip parser reads too; the release on the EFLAGS line */
	if (mem_starts_with(msg, len, "EIP: ") && mem_find(msg, len, "VLI"))
		body_old_eip(inc, msg, len);
	if (mem_starts_with(msg, len, "EFLAGS: ") && body_old_eflags(inc, msg, len))
		return false;	/* also a register line */
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		if (mem_starts_with(msg, len, lines[i].prefix) &&
		    (!lines[i].has || mem_find(msg, len, lines[i].has))) {
			lines[i].parse(inc, msg, len);
			return true;
		}
	return false;
}
