#include "parse.h"
#include "dump.h"
#include "locks.h"
#include "workqueue.h"
#include "classify.h"
#include "frame.h"
#include "header_lost.h"
#include "parse_headers.h"
#include "parse_body.h"
#include "parse_kinds.h"
#include "regs.h"
#include "formats.h"
#include "oom.h"
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
	    mem_starts_with(p, n, "<<EOE>>") ||
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
	size_t header_at;	/* the line of the last header read */
	const struct report_format *header_row;	/* the report's own header */
	bool secondary;		/* past the report's own stack: other CPUs' backtraces */
	size_t nr_frames;	/* frame lines read */
	struct oom_slab slab;	/* an OOM report's slab table */
	struct mem_info mem;	/* sysrq-m */
	struct workqueue_parse wq;	/* a workqueue lockup's pools */
	/*
	 * arm prints "[<a>] (f) from [<b>] (g+0x1/0x2)": g is the next line's
	 * f, except on the last line of a stack, where it is the only record
	 * of the outermost caller (ret_fast_syscall, …). Kept until then.
	 */
	char *arm_caller;
	size_t arm_stack;	/* index into inc->stacks */
	/* the multi-line block the last line was part of (regs.h) */
	enum { BLOCK_NONE, BLOCK_REGS, BLOCK_CODE } block;
	/*
	 * powerpc __show_regs()' "LR [c0…] f+0x20/0x120": show_stack() marks
	 * the first frame it prints "(unreliable)" because the return address
	 * saved in the frame may be stale; the link register it read names
	 * that frame's function when the two agree.
	 */
	char *link_func;
	/*
	 * A register dump printed inside the stack, after its frames: the
	 * interrupted context's (x86 show_regs_if_on_stack(), powerpc
	 * show_stack()'s "--- interrupt:" frames), not the report's. Its ip
	 * and registers are not the report's, except for stalls, where the
	 * interrupted code is what looped (title.c walks it in place).
	 */
	bool nested_regs;
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
		/* __might_resched()'s print_preempt_disable_ip(): where preemption
		   was disabled, not who slept */
		{ "Preemption disabled at:", STACK_OTHER },
		/* s390 show_last_breaking_event(): the last branch taken before
		   the fault, one address, not a caller */
		{ "Last Breaking-Event-Address:", STACK_OTHER },
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

/* A parsed frame line (arm's "(f) from (g)" keeps g for the line after). */
static void add_frame_line(struct incident *inc, struct parse_state *st, struct frame *f,
			   const char *msg, size_t len)
{
	if (st->arm_caller) {
		if (f->func && !strcmp(f->func, st->arm_caller)) {
			free(st->arm_caller);
			st->arm_caller = NULL;
		} else {
			flush_arm_caller(inc, st);
		}
	}
	if (st->link_func) {
		if (!f->reliable && f->func && !strcmp(f->func, st->link_func) &&
		    mem_find(msg, len, "(unreliable)"))
			f->reliable = true;
		free(st->link_func);
		st->link_func = NULL;
	}
	add_frame(inc, st, f);
	st->nr_frames++;
	if ((st->arm_caller = arm_from_func(msg, len)))
		st->arm_stack = (size_t)(st->cur - inc->stacks);
}

/*
 * 2.6/3.x print the first frame of a stack on the mark's line: " <IRQ>
 * [<…>] f+0x1/0x2", " <<EOE>>  [<…>] g+0x3/0x4". Where that frame starts,
 * or NULL when the mark stands alone.
 */
static const char *trace_mark_end(const char *p, const char *end)
{
	const char *q;

	if (p >= end || *p != '<')
		return NULL;
	q = memchr(p, '>', (size_t)(end - p));
	while (q && q + 1 < end && q[1] == '>')	/* "<<EOE>>" */
		q++;
	if (!q)
		return NULL;
	q = mem_skip_blanks(q + 1, end);
	return q < end ? q : NULL;
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

/* A line of a register dump: kept, and it says which architecture printed
   the report when the report itself is the only sign (regs.h). */
static void add_regs_line(struct incident *inc, struct parse_state *st, const char *p,
			  size_t n, const char *arch)
{
	add_register_line(inc, p, n);
	st->block = BLOCK_REGS;
	if (arch && !inc->kernel.arch)
		inc->kernel.arch = xstrdup(arch);
}

/* Does this register line open a dump of an interrupted context (see
   struct parse_state)? */
static bool opens_nested_dump(const struct parse_state *st, enum incident_kind kind,
			      const char *p, size_t n)
{
	const struct report_format *row = format_of_kind(kind);

	return st->nr_frames && st->in_trace && row && row->func != FUNC_STALL &&
	       row->func != FUNC_NONE && regs_opens_dump(p, n);
}

/* A row of the code dump ("Code:" is one line; powerpc and s390 print
   several). */
static void add_code_line(struct incident *inc, const char *p, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	if (inc->code && inc->code[0]) {
		strbuf_addstr(&sb, inc->code);
		strbuf_addch(&sb, '\n');
	}
	free(inc->code);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	strbuf_add(&sb, p, n);
	inc->code = strbuf_detach(&sb, NULL);
}

/* The lines that continue a register or code dump (regs.h). Returns true
   when the line was one. */
static bool parse_block_line(struct incident *inc, struct parse_state *st, const char *p,
			     size_t n)
{
	const char *rest;
	size_t rest_len;

	if (st->block == BLOCK_REGS && regs_is_continuation(p, n)) {
		if (!st->nested_regs)
			add_register_line(inc, p, n);
		return true;
	}
	if (st->block == BLOCK_CODE && regs_code_continuation(p, n)) {
		add_code_line(inc, p, n);
		return true;
	}
	st->block = BLOCK_NONE;
	if (!regs_code_start(p, n, &rest, &rest_len) || (inc->code && inc->code[0]))
		return false;
	st->block = BLOCK_CODE;
	free(inc->code);
	inc->code = xmemdupz(rest, rest_len);
	return true;
}

/* powerpc "LR [c0…] f+0x1/0x2" (see struct parse_state). */
static void note_link_register(struct parse_state *st, const char *p, size_t n)
{
	struct frame f;

	if (!mem_skip_prefix(&p, &n, "LR ") || !frame_parse_line(p, n, &f, NULL))
		return;
	free(st->link_func);
	st->link_func = f.func;
	f.func = NULL;
	frame_release(&f);
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

/* A header line of any known format: what it says (formats.h's row). */
static void parse_header_line(struct incident *inc, struct parse_state *st,
			      const struct report_format *row, const char *p, size_t n, size_t i)
{
	enum stack_context sc;

	if (row->parse)
		row->parse(inc, p, n);
	st->header_at = i;
	if (!st->header_row && row->kind == inc->kind)
		st->header_row = row;
	/* SLUB's "INFO: Allocated in …": its stack follows */
	if (section_context(p, n, &sc))
		start_stack(inc, st, sc);
}

/*
 * Stack lines: trace marks ("Call Trace:", "<IRQ>"; 2.6/3.x print a frame
 * after the mark on the same line: "<IRQ>  [<…>] f+0x1/0x2") and frames.
 * Returns true when the line was one.
 */
static bool parse_stack_line(struct incident *inc, struct parse_state *st, const char *msg,
			     size_t len, const char *p, size_t n)
{
	enum line_role role = classify_cont(p, n);
	struct frame f;

	if (role == ROLE_TRACE_MARK || role == ROLE_FRAME)
		st->nested_regs = false;	/* the stack goes on */
	if (role == ROLE_TRACE_MARK) {
		bool new_stack;
		const char *rest;
		enum stack_context c = marker_context(p, p + n, st->ctx, &new_stack);
		if (st->secondary)	/* the rest is other CPUs' backtraces */
			c = STACK_OTHER;
		/*
		 * i386 dump_trace() before 4.9 prints " <IRQ> " when it
		 * leaves the IRQ stack for the interrupted one (x86_64 prints
		 * "<IRQ>" entering it and "<EOI>" leaving): the frames above
		 * the mark ran in the interrupt. (Since 4.9 "<IRQ>" opens the
		 * trace and "</IRQ>" follows: no frame comes before it.)
		 */
		if (c == STACK_IRQ && !st->secondary && inc->kernel.arch &&
		    !strcmp(inc->kernel.arch, "i386") && st->cur && st->cur->nr) {
			st->cur->context = STACK_IRQ;
			c = STACK_TASK;
		}
		if (new_stack)
			start_stack(inc, st, c);
		st->in_trace = true;
		rest = trace_mark_end(p, p + n);
		if (rest && frame_parse_line(rest, (size_t)(p + n - rest), &f, NULL))
			add_frame_line(inc, st, &f, rest, (size_t)(p + n - rest));
		return true;
	}
	if (role == ROLE_FRAME && frame_parse_line(msg, len, &f, NULL)) {
		add_frame_line(inc, st, &f, msg, len);
		return true;
	}
	return false;
}

/* The faulting ip. Old x86 prints it twice ("IP:" and "RIP  ["). */
static bool parse_ip_line(struct incident *inc, struct parse_state *st,
			  const struct raw_incident *ri, const char *p, size_t n)
{
	struct frame f;
	const char *arch = NULL;

	if (!frame_parse_ip_line(p, n, &f))
		return false;
	if (opens_nested_dump(st, ri->kind, p, n))
		st->nested_regs = true;
	if (st->nested_regs && regs_is_line(p, n, NULL)) {
		st->block = BLOCK_REGS;
		frame_release(&f);
		return true;
	}
	/* the ip lines of a register dump are part of it ("RIP:", "pc :",
	   "epc :", "Krnl PSW :", "NIP ["), the closing summaries are not */
	if (regs_is_line(p, n, &arch))
		add_regs_line(inc, st, p, n, arch);
	/* A RIP line replaces the ip a WARNING line gave. */
	if (!inc->has_ip || (!inc->ip.func && f.func) ||
	    (ri->kind == KIND_WARNING && !inc->registers && f.func)) {
		frame_release(&inc->ip);
		inc->ip = f;
		inc->has_ip = true;
		/* where the ip was printed among the stacks: stalls walk it in
		   that order (title.c) */
		inc->ip_stack = inc->nr_stacks;
	} else {
		frame_release(&f);
	}
	return true;
}

/* Drop empty stacks left by markers with no frames after them. */
static void drop_empty_stacks(struct incident *inc)
{
	size_t kept = 0, ip_stack = inc->ip_stack;

	for (size_t i = 0; i < inc->nr_stacks; i++) {
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

/* A report cut short or lacking the stack its kind always prints. */
static void mark_damage(struct incident *inc, const struct raw_incident *ri,
			const struct parse_state *st)
{
	/* a header whose title names no function, or that may come alone
	   (a WARN()'s text), needs no stack */
	bool needs_stack = kind_needs_stack(ri->kind) &&
			   !(st->header_row && (st->header_row->func == FUNC_NONE ||
						(st->header_row->flags & FMT_WEAK)));
	size_t nr_frames = st->nr_frames;

	/* A report cut at EOF is only damaged if it lacks what it needs; one
	   whose header was lost already says so (parse_header_lost()). */
	if (!inc->corrupted && end_reasons[ri->end] &&
	    (ri->end == SEG_END_TOO_LONG || (needs_stack && !nr_frames))) {
		inc->corrupted = true;
		inc->corrupt_reason = xstrdup(end_reasons[ri->end]);
	}
	if (!inc->corrupted && needs_stack && !nr_frames && !(inc->has_ip && inc->ip.func)) {
		inc->corrupted = true;
		inc->corrupt_reason = xstrdup("no stack trace in the report");
	}
}

static void finish_tcp_mem(struct incident *inc, const struct raw_incident *ri)
{
	incident_extra_num(inc, "printed", (long long)ri->flood_count);
	incident_extra_num(inc, "suppressed", (long long)ri->suppressed);
	incident_extra_num(inc, "events", (long long)(ri->flood_count + ri->suppressed));
	if (ri->lines[ri->nr - 1].has_ktime && inc->has_ktime) {
		char buf[32];
		snprintf(buf, sizeof(buf), "%.6f", ri->lines[ri->nr - 1].ktime);
		incident_extra_str(inc, "last_time", buf);
	}
}

static void set_source(struct incident *inc, const struct raw_incident *ri, const char *path)
{
	inc->host = ri->host ? xstrdup(ri->host) : NULL;
	inc->source.path = path;
	inc->source.line = ri->lines[0].lineno;
	inc->source.end_line = ri->lines[ri->nr - 1].lineno;
	inc->source.offset = ri->lines[0].offset;
	inc->ktime = ri->lines[0].ktime;
	inc->has_ktime = ri->lines[0].has_ktime;
	if (ri->lines[0].wall[0])
		inc->wall = xstrdup(ri->lines[0].wall);
}

/* One message of the report (not its first line of a sysrq block). */
static void parse_line(struct incident *inc, struct parse_state *st,
		       const struct raw_incident *ri, size_t i, const char *msg, size_t len)
{
	const char *p = mem_skip_blanks(msg, msg + len);
	size_t n = (size_t)(msg + len - p);
	const struct report_format *row;
	enum stack_context sc;

	if (ri->kind == KIND_SYSRQ_MEM) {
		dump_mem_line(&st->mem, p, n);
		return;
	}
	if (parse_block_line(inc, st, p, n))
		return;
	/* Held-locks lists: kept whole; lockdep's title reads them too. */
	locks_parse_line(inc, p, n);
	if (ri->kind == KIND_WORKQUEUE_LOCKUP)
		workqueue_parse_line(&st->wq, inc, p, n);
	if ((row = format_find(p, n)) && row->kind != KIND_NONE) {
		parse_header_line(inc, st, row, p, n, i);
		return;
	}
	if (ri->kind == KIND_OOM && oom_slab_line(&st->slab, inc, p, n))
		return;
	if (parse_access_line(inc, p, n))
		return;
	/* Old kernels print "BUG: unable to handle kernel " and what failed
	   on the next line (only right after it: with anything between, the
	   header was broken and what failed is unknown). */
	if (ri->kind == KIND_OOPS && i == st->header_at + 1 &&
	    (mem_starts_with(p, n, "NULL pointer dereference") ||
	     mem_starts_with(p, n, "paging request at"))) {
		parse_fault_header(inc, p, n);
		return;
	}
	/* 2.6 x86_64: the header's "RIP: " and the ip on the next line
	   (classify_announces_ip()) */
	if (i && i == st->header_at + 1 &&
	    classify_announces_ip(ri->lines[i - 1].msg, ri->lines[i - 1].len)) {
		struct frame f;
		if (frame_parse_line(p, n, &f, NULL)) {
			if (!inc->has_ip) {
				inc->ip = f;
				inc->has_ip = true;
				inc->ip_stack = inc->nr_stacks;
			} else {
				frame_release(&f);
			}
			return;
		}
	}
	if (ri->kind == KIND_LOCKDEP || ri->kind == KIND_BUG)
		parse_lockdep_line(inc, p, n, &st->lock_armed);
	if (section_context(p, n, &sc)) {
		start_stack(inc, st, sc);
		return;
	}
	/*
	 * nmi_cpu_backtrace(): another CPU's stack, printed for the report
	 * (khungtaskd's, panic's or a WARN's all-CPU backtrace). Only a stall
	 * or lockup is named from it: there it is the stuck CPU's own.
	 */
	if (mem_starts_with(p, n, "NMI backtrace for cpu ") && ri->kind != KIND_RCU_STALL &&
	    ri->kind != KIND_SOFT_LOCKUP && ri->kind != KIND_HARD_LOCKUP) {
		st->secondary = true;
		start_stack(inc, st, STACK_OTHER);
		return;
	}
	/* fail_dump() (lib/fault-inject.c) printing into the report: the
	   frames that follow, up to its own trace, are not the report's */
	if (mem_starts_with(p, n, "FAULT_INJECTION: forcing a failure")) {
		start_stack(inc, st, STACK_OTHER);
		return;
	}
	/* the interrupted context's code bytes (struct parse_state) */
	if (st->nested_regs && mem_starts_with(p, n, "Code: "))
		return;
	if (parse_body_line(inc, p, n))
		return;
	if (ri->kind == KIND_HUNG_TASK && !inc->task.state && parse_task_state_line(inc, p, n))
		return;
	if (parse_ip_line(inc, st, ri, p, n) || parse_stack_line(inc, st, msg, len, p, n))
		return;
	{
		const char *arch = NULL;
		if (regs_is_line(p, n, &arch)) {
			if (opens_nested_dump(st, ri->kind, p, n))
				st->nested_regs = true;
			if (st->nested_regs)
				st->block = BLOCK_REGS;
			else
				add_regs_line(inc, st, p, n, arch);
			note_link_register(st, p, n);
		}
	}
}

struct incident *parse_incident(const struct raw_incident *ri,
				const struct boot_context *ctx, const char *path)
{
	struct incident *inc = incident_new(ri->kind);
	struct parse_state st;

	memset(&st, 0, sizeof(st));
	st.header_at = SIZE_MAX - 1;
	/*
	 * Lockdep prints lock lists and dependency chains before its own
	 * "stack backtrace:": frames seen before a trace mark (a held-lock
	 * line broken over several, "[<…>] vcpu_load+0x22/0x70") are not the
	 * reporting task's stack.
	 */
	st.ctx = ri->kind == KIND_LOCKDEP ? STACK_OTHER : STACK_TASK;
	workqueue_parse_init(&st.wq);
	set_source(inc, ri, path);

	for (size_t i = 0; i < ri->nr; i++) {
		const struct seg_line *sl = &ri->lines[i];
		const char *p = mem_skip_blanks(sl->msg, sl->msg + sl->len);
		size_t n = (size_t)(sl->msg + sl->len - p);

		strbuf_add(&inc->text, sl->msg, sl->len);
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
		parse_line(inc, &st, ri, i, sl->msg, sl->len);
	}

	flush_arm_caller(inc, &st);
	free(st.link_func);
	if (inc->code && !inc->code[0]) {	/* a code dump cut before its rows */
		free(inc->code);
		inc->code = NULL;
	}
	drop_empty_stacks(inc);
	if (ri->kind == KIND_TCP_MEM)
		finish_tcp_mem(inc, ri);
	oom_slab_finish(&st.slab, inc);
	finish_sysrq(inc, ri, &st.mem);
	workqueue_parse_finish(&st.wq, ri->kind == KIND_WORKQUEUE_LOCKUP ? inc : NULL);
	fill_from_context(inc, ctx);
	inc->boot_seen = ctx && ctx->began;
	if (ri->header_lost)
		parse_header_lost(inc, ri);
	/* "BUG: unable to handle kernel " and nothing after it */
	if (ri->kind == KIND_OOPS && !incident_extra(inc, "fault"))
		incident_extra_str(inc, "fault", "unknown");
	mark_damage(inc, ri, &st);
	title_assign(inc);
	return inc;
}
