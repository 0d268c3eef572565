#include "parse.h"
#include "dump.h"
#include "locks.h"
#include "workqueue.h"
#include "classify.h"
#include "frame.h"
#include "header_lost.h"
#include "parse_headers.h"
#include "parse_kinds.h"
#include "title.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>



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
		/* SLUB debug's object history, tab-indented stacks below */
		{ "INFO: Allocated in ", STACK_ALLOC }, { "INFO: Freed in ", STACK_FREE },
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
	   is where the lock was first taken in the other state, maybe long
	   ago in another subsystem: the backtrace that follows names the
	   bug, this stack only when that one has no meaningful frame. */
	if (n && *p == '{' && mem_find(p, n, "state was registered at:")) {
		*ctx = STACK_OTHER;
		return true;
	}
	/* irq lock inversion: "... which became HARDIRQ-irq-safe at:" is
	   the interrupt-side acquisition, the one the bug is named after;
	   each such stack is a stack of its own. */
	if (mem_starts_with(p, n, "... which became ")) {
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
	const char *p = mem_skip_blanks(msg, msg + len);

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

	while ((p = mem_skip_blanks(p, end)) < end) {
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
	incident_fill_kernel(inc, ctx->release, ctx->build, ctx->hardware, ctx->hypervisor,
			     ctx->arch, ctx->cmdline);
	if (!inc->kernel.tainted && ctx->tainted)
		inc->kernel.tainted = xstrdup(ctx->tainted);
}

static const char *const end_reasons[] = {
	[SEG_END_MARKER] = NULL,
	[SEG_END_NEXT] = NULL,
	[SEG_END_UNRELATED] = NULL,
	[SEG_END_GAP] = NULL,
	[SEG_END_TOO_LONG] = "report too long: cut at the line/byte limit",
	[SEG_END_EOF] = "cut off at end of input",
	[SEG_END_BOOT] = "cut off by a reboot",
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

#define SLAB_TOP 5

/* The largest caches of an OOM report's "Unreclaimable slab info" table. */
struct slab_table {
	bool in_table;
	struct { char name[64]; long long used_kb; } top[SLAB_TOP];
	size_t nr;
	long long total_kb;
};

/* "kmalloc-256            4743520KB    4743520KB" (or the header line). */
static bool slab_table_row(struct slab_table *t, const char *p, size_t n)
{
	const char *end = p + n, *q = p;
	long long used;
	size_t len, i;

	if (mem_starts_with(p, n, "Name ") && mem_find(p, n, "Used"))
		return true;
	while (q < end && *q != ' ')
		q++;
	len = (size_t)(q - p);
	q = mem_skip_blanks(q, end);
	if (!len || !(q = parse_dec(q, end, &used)) || end - q < 2 || q[0] != 'K' || q[1] != 'B')
		return false;
	t->total_kb += used;
	/* Keep the SLAB_TOP largest, in order. */
	for (i = t->nr; i > 0 && t->top[i - 1].used_kb < used; i--)
		if (i < SLAB_TOP)
			t->top[i] = t->top[i - 1];
	if (i < SLAB_TOP) {
		snprintf(t->top[i].name, sizeof(t->top[i].name), "%.*s",
			 (int)(len < 63 ? len : 63), p);
		t->top[i].used_kb = used;
		if (t->nr < SLAB_TOP)
			t->nr++;
	}
	return true;
}

static void slab_table_finish(struct incident *inc, const struct slab_table *t)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < t->nr; i++)
		strbuf_addf(&sb, "%s%s %lldkB", i ? ", " : "", t->top[i].name, t->top[i].used_kb);
	incident_extra_str(inc, "unreclaimable_slab", sb.buf);
	incident_extra_num(inc, "unreclaimable_slab_kb", t->total_kb);
	if (t->total_kb > 0)
		incident_extra_num(inc, "top_slab_percent", t->top[0].used_kb * 100 / t->total_kb);
	strbuf_release(&sb);
}

/* Does any frame (or the ip) name this function? */
static bool has_frame(const struct incident *inc, const char *func)
{
	char base[256];

	if (inc->has_ip && inc->ip.func && !strcmp(inc->ip.func, func))
		return true;
	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t k = 0; k < inc->stacks[s].nr; k++) {
			const struct frame *f = &inc->stacks[s].frames[k];
			if (!f->func)
				continue;
			frame_base_name(f->func, base, sizeof(base));
			if (!strcmp(base, func))
				return true;
		}
	return false;
}

/* What sysrq adds to a record: the key, the dump it came from, memory totals,
   and whether a crash was asked for (sysrq-c) rather than suffered. */
static void finish_sysrq(struct incident *inc, const struct raw_incident *ri,
			 const struct mem_info *mem)
{
	if (ri->sysrq) {
		char key[2] = { ri->sysrq, 0 };
		incident_extra_str(inc, "sysrq", key);
		incident_extra_num(inc, "dump_line", (long long)ri->dump_line);
	}
	if (ri->kind == KIND_SYSRQ_MEM) {
		incident_extra_str(inc, "sysrq", "m");
		dump_mem_finish(inc, mem);
	}
	if (ri->kind == KIND_SYSRQ_LOCKS) {
		size_t nr = 0;
		char buf[96];
		incident_extra_str(inc, "sysrq", "d");
		for (size_t k = 0; k < inc->nr_held; k++)
			nr += inc->held[k].nr;
		snprintf(buf, sizeof(buf), "%zu lock%s held by %zu task%s", nr,
			 nr == 1 ? "" : "s", inc->nr_held, inc->nr_held == 1 ? "" : "s");
		incident_extra_str(inc, "summary", buf);
	}
	if ((ri->kind == KIND_PANIC || ri->kind == KIND_OOPS) &&
	    (has_frame(inc, "sysrq_handle_crash") ||
	     mem_find(inc->text.buf, inc->text.len, "sysrq triggered crash")))
		incident_extra_str(inc, "trigger", "sysrq-c");
}

/*
 * A report that opened on a later line (header_lost.h): corrupted for that
 * reason first, and an Oops says what failed as its lost header would have.
 */
static void parse_header_lost(struct incident *inc, const struct raw_incident *ri)
{
	unsigned long long addr;
	const char *fault;

	inc->corrupted = true;
	free(inc->corrupt_reason);
	inc->corrupt_reason = xstrdup(HEADER_LOST_REASON);
	if (ri->kind != KIND_OOPS || incident_extra(inc, "fault"))
		return;
	fault = header_lost_fault(inc->text.buf, inc->text.len, &addr);
	if (fault) {
		char buf[32];
		incident_extra_str(inc, "fault", fault);
		if (!incident_extra(inc, "fault_address")) {
			snprintf(buf, sizeof(buf), "0x%016llx", addr);
			incident_extra_str(inc, "fault_address", buf);
		}
	}
}

struct incident *parse_incident(const struct raw_incident *ri,
				const struct boot_context *ctx, const char *path)
{
	struct incident *inc = incident_new(ri->kind);
	struct parse_state st = { NULL, STACK_TASK, false, false, false, NULL, 0 };
	size_t nr_frames = 0;
	struct slab_table slab;
	size_t oops_header_at;	/* line of a bare "BUG: unable to handle kernel " */
	struct mem_info mem;
	struct workqueue_parse wq;
	size_t i;

	memset(&slab, 0, sizeof(slab));
	memset(&mem, 0, sizeof(mem));
	oops_header_at = SIZE_MAX - 1;
	/*
	 * Lockdep prints lock lists and dependency chains before its own
	 * "stack backtrace:": frames seen before a trace mark (a held-lock
	 * line broken over several, "[<…>] vcpu_load+0x22/0x70") are not the
	 * reporting task's stack.
	 */
	if (ri->kind == KIND_LOCKDEP)
		st.ctx = STACK_OTHER;
	workqueue_parse_init(&wq);

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
		const char *p = mem_skip_blanks(msg, end);
		size_t n = (size_t)(end - p);
		struct frame f;
		unsigned flags;
		enum incident_kind k;

		strbuf_add(&inc->text, msg, sl->len);
		strbuf_addch(&inc->text, '\n');
		inc->nr_lines++;
		if (!n)
			continue;

		/* The first message of a sysrq dump's block names its task/CPU. */
		if (i == 0 && ri->sysrq) {
			if (ri->kind == KIND_SYSRQ_CPUS)
				dump_parse_cpu_line(inc, p, n);
			else
				dump_parse_task_line(inc, p, n);
			continue;
		}
		if (ri->kind == KIND_SYSRQ_MEM) {
			dump_mem_line(&mem, p, n);
			continue;
		}
		/* Held-locks lists: kept whole; lockdep's title reads them too. */
		locks_parse_line(inc, p, n);
		if (ri->kind == KIND_WORKQUEUE_LOCKUP)
			workqueue_parse_line(&wq, inc, p, n);

		k = classify_start(p, n, &flags);
		if (k != KIND_NONE) {
			switch (k) {
			case KIND_HUNG_TASK: parse_hung_header(inc, p, n); break;
			case KIND_SOFT_LOCKUP:
			case KIND_HARD_LOCKUP: parse_lockup_header(inc, p, n); break;
			case KIND_OOPS:
				if (!incident_extra(inc, "fault")) {
					parse_fault_header(inc, p, n);
					oops_header_at = i;
				}
				break;
			case KIND_BUG: {
				enum stack_context sc;
				if (mem_starts_with(p, n, "kernel BUG at "))
					parse_location(inc, p, n);
				/* SLUB's "INFO: Allocated in …": its stack follows */
				if (classify_is_slub_track(p, n) && section_context(p, n, &sc))
					start_stack(inc, &st, sc);
				break;
			}
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
		if (ri->kind == KIND_OOM) {
			/* The "Unreclaimable slab info" table: a slab leak shows up
			   as one cache holding most of the kernel's memory. */
			if (mem_starts_with(p, n, "Unreclaimable slab info:")) {
				slab.in_table = true;
				continue;
			}
			if (slab.in_table) {
				if (slab_table_row(&slab, p, n))
					continue;
				slab.in_table = false;
			}
			parse_oom_line(inc, p, n);
		}
		if (parse_access_line(inc, p, n))
			continue;
		/* (only right after it: with anything between, the header
		    was broken and what failed is unknown) */
		if (ri->kind == KIND_OOPS && !incident_extra(inc, "fault") &&
		    i == oops_header_at + 1 &&
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
		/* 2.6-era: "Pid: 0, comm: swapper Not tainted 2.6.32-431.el6.x86_64 #1" */
		if (mem_starts_with(p, n, "Pid: ") && mem_find(p, n, ", comm: ")) {
			const char *c = mem_find(p, n, ", comm: ") + 8, *ce;
			long long pid;
			if (parse_dec(p + 5, end, &pid) && inc->task.pid < 0)
				inc->task.pid = pid;
			ce = mem_find(c, (size_t)(end - c), " Not tainted");
			if (!ce)
				ce = mem_find(c, (size_t)(end - c), " Tainted:");
			if (ce && !inc->task.comm)
				inc->task.comm = xmemdup_trim(c, ce);
			if (ce)
				parse_taint_release(inc, ce, (size_t)(end - ce));
			continue;
		}
		if (mem_starts_with(p, n, "Not tainted ") || mem_starts_with(p, n, "Tainted: ")) {
			parse_taint_release(inc, p, n);
			continue;
		}
		if (mem_starts_with(p, n, "Hardware name: ")) {
			free(inc->kernel.hardware);
			inc->kernel.hardware = xmemdup_trim(p + 15, end);
			continue;
		}
		if (mem_starts_with(p, n, "Modules linked in:")) {
			if (!inc->nr_modules)
				parse_modules(inc, p, n);
			continue;
		}
		if (mem_starts_with(p, n, "Code: ")) {
			if (!inc->code)
				inc->code = xmemdup_trim(p + 6, end);
			continue;
		}
		if (mem_starts_with(p, n, "Oops: ")) {
			char *o = xmemdup_trim(p + 6, end);
			incident_extra_str(inc, "oops", o);
			free(o);
			continue;
		}
		if (mem_starts_with(p, n, "#PF: ")) {
			char *o = xmemdup_trim(p + 5, end);
			incident_extra_str(inc, mem_starts_with(p, n, "#PF: error_code") ?
					   "pf_error" : "pf_access", o);
			free(o);
			continue;
		}
		if (mem_starts_with(p, n, "Workqueue: ")) {
			char *o = xmemdup_trim(p + 11, end);
			incident_extra_str(inc, "workqueue", o);
			free(o);
			continue;
		}
		if (ri->kind == KIND_HUNG_TASK && !inc->task.state &&
		    parse_task_state_line(inc, p, n))
			continue;
		/* The faulting IP. Old x86 prints it twice ("IP:" and "RIP  ["). */
		if (frame_parse_ip_line(p, n, &f)) {
			/* A RIP line replaces the ip a WARNING line gave. */
			if (!inc->has_ip || (!inc->ip.func && f.func) ||
			    (ri->kind == KIND_WARNING && !inc->registers && f.func)) {
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
	if (slab.nr)
		slab_table_finish(inc, &slab);
	finish_sysrq(inc, ri, &mem);
	if (ri->kind == KIND_WORKQUEUE_LOCKUP)
		workqueue_parse_finish(&wq, inc);
	else
		workqueue_parse_finish(&wq, NULL);
	fill_from_context(inc, ctx);
	inc->boot_seen = ctx && ctx->began;
	if (ri->header_lost)
		parse_header_lost(inc, ri);
	/* "BUG: unable to handle kernel " and nothing after it */
	if (ri->kind == KIND_OOPS && !incident_extra(inc, "fault"))
		incident_extra_str(inc, "fault", "unknown");

	if (!inc->corrupted && end_reasons[ri->end] && (ri->end != SEG_END_EOF || kind_needs_stack(ri->kind)
				     || !nr_frames)) {
		/* A report cut at EOF is only damaged if it lacks what it needs. */
		if (ri->end == SEG_END_TOO_LONG || (kind_needs_stack(ri->kind) && !nr_frames)) {
			/* Reasons for a missing stack name where the report stopped. */
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
