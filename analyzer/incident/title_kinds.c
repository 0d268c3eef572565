#include "title_kinds.h"
#include "header_lost.h"
#include "generic_frames.h"
#include "formats.h"
#include "title_words.h"
#include "util.h"

#include <string.h>

static const char *extra_str(const struct incident *inc, const char *key)
{
	const struct extra *e = incident_extra(inc, key);
	return e && e->str ? e->str : NULL;
}

/*
 * The report's header: the first line that opens an incident of its kind
 * (the text may start with a "[ cut here ]" or an explaining prelude).
 */
static const char *header_line(const struct incident *inc, size_t *len,
			       const struct report_format **row)
{
	const char *p = inc->text.buf, *end = p + inc->text.len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q = p;
		size_t n;

		if (!nl)
			nl = end;
		while (q < nl && (*q == ' ' || *q == '\t'))
			q++;
		n = (size_t)(nl - q);
		if ((*row = format_find(q, n)) && (*row)->kind == inc->kind) {
			*len = n;
			return q;
		}
		p = nl + 1;
	}
	/* the header was lost: the kind's first format says how to name it */
	*row = format_of_kind(inc->kind);
	p = inc->text.buf;
	*len = strcspn(p, "\n");
	return p;
}

/* The lines before the stack: where WARNING explanations are printed. */
static bool report_says(const struct incident *inc, const char *what)
{
	const char *p = inc->text.buf;
	const char *trace = strstr(p, "Call Trace");
	size_t n = trace ? (size_t)(trace - p) : inc->text.len;

	if (!trace && (trace = strstr(p, "Call trace")))
		n = (size_t)(trace - p);
	return mem_find(p, n, what) != NULL;
}

static bool location_is(const struct incident *inc, const char *file)
{
	const char *loc = extra_str(inc, "location");
	return loc && starts_with(loc, file);
}




/* BUG messages that describe a global condition, not a function's fault. */
static const char *const global_bug_messages[] = {
	"BUG: MAX_STACK_TRACE_ENTRIES too low!", "BUG: MAX_LOCKDEP", "BUG: MAX_LOCK_DEPTH",
	"BUG: Bad page map", "BUG: Bad rss-counter", "BUG: Object already free",
	"BUG: workqueue lockup",
};


static bool has_task_stack(const struct incident *inc)
{
	for (size_t s = 0; s < inc->nr_stacks; s++)
		if (inc->stacks[s].context != STACK_OTHER && inc->stacks[s].context != STACK_ALLOC &&
		    inc->stacks[s].context != STACK_FREE && inc->stacks[s].nr)
			return true;
	return false;
}

/*
 * CHECK_DATA_CORRUPTION() messages of the VFS (filp_close(),
 * generic_shutdown_super()): a use-after-free of a file or an inode leak,
 * printed alone (old kernels, BUG_ON_DATA_CORRUPTION) or as a WARN()'s text.
 * Titled by what they mean; the stack only shows who noticed.
 */
static bool describe_data_corruption(const struct incident *inc, struct title_parts *tp)
{
	static const struct {
		const char *says, *title;
	} messages[] = {
		{ "VFS: Close: file count is 0", "VFS: Close: file count is zero (use-after-free)" },
		{ "VFS: Busy inodes after unmount", "VFS: Busy inodes after unmount (use-after-free)" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(messages); i++)
		if (report_says(inc, messages[i].says)) {
			strbuf_addstr(&tp->what, messages[i].title);
			tp->source = FUNC_NONE;
			return true;
		}
	return false;
}

/*
 * Rust's panic handler prints the panic, then BUG(): the title is the
 * panic's message, named by the Rust function on the stack. Before Rust
 * 1.73: "mod: panicked at 'MSG', file.rs:1:2"; since: "mod: panicked at
 * file.rs:1:2:" and MSG on the next line.
 */
static bool describe_rust_panic(const struct incident *inc, struct title_parts *tp)
{
	const char *text = inc->text.buf, *end = text + inc->text.len;
	const char *p = mem_find(text, inc->text.len, ": panicked at "), *q;

	if (!p)
		return false;
	p += strlen(": panicked at ");
	if (p < end && *p == '\'') {
		p++;
		q = mem_find(p, (size_t)(end - p), "', ");
		if (!q)
			q = memchr(p, '\'', (size_t)(end - p));
	} else {
		p = memchr(p, '\n', (size_t)(end - p));
		if (!p)
			return false;
		p = mem_skip_blanks(p + 1, end);
		q = memchr(p, '\n', (size_t)(end - p));
	}
	if (!q || q == p)
		return false;
	strbuf_add(&tp->what, p, (size_t)(q - p) < 120 ? (size_t)(q - p) : 120);
	tp->source = FUNC_STACK;
	return true;
}

static void describe_bug(const struct incident *inc, const char *h, size_t n,
			 struct title_parts *tp)
{
	const char *bug;

	if (format_is_slub_track(h, n)) {
		/* a SLUB report whose banner was lost: its object history */
		title_add_numbers_as_num(&tp->what, h, h + n);
		tp->source = FUNC_NONE;
		return;
	}

	if (report_says(inc, "list_add corruption") || report_says(inc, "list_del corruption") ||
	    location_is(inc, "lib/list_debug.c")) {
		strbuf_addstr(&tp->what, "BUG: corrupted list");
		return;
	}
	if (describe_rust_panic(inc, tp))
		return;
	/* usercopy_abort(): "usercopy: Kernel memory exposure attempt detected
	   …" and the BUG() in mm/usercopy.c it ends with */
	if (report_says(inc, "usercopy: ") || location_is(inc, "mm/usercopy.c")) {
		strbuf_addstr(&tp->what, "BUG: bad usercopy");
		return;
	}
	if (describe_data_corruption(inc, tp))
		return;
	/*
	 * A stack overflow is a recursion: its top frame is wherever the
	 * stack ran out. Like a stall, it is named by the frame above the
	 * dispatcher it came through (the syscall or netlink handler).
	 */
	if (mem_starts_with(h, n, "kernel stack overflow")) {
		strbuf_addstr(&tp->what, "kernel stack overflow");
		tp->source = FUNC_STALL;
		return;
	}
	if ((bug = format_slub_message(h, n))) {
		/* SLUB: "BUG kmalloc-8 (Tainted: G B): Object already free" */
		strbuf_addstr(&tp->what, "BUG: ");
		title_add_stable_words(&tp->what, bug, h + n, true);
		/* a SLUB report whose only stacks are print_track()'s object
		   history is complete: titled by its message */
		if (!strcmp(tp->what.buf, "BUG: Object already free") || !has_task_stack(inc))
			tp->source = FUNC_NONE;
		return;
	}
	bug = mem_find(h, n, "BUG: ");
	if (!bug || mem_starts_with(h, n, "kernel BUG") || mem_starts_with(h, n, "Kernel BUG")) {
		strbuf_addstr(&tp->what, "kernel BUG");
		return;
	}
	n -= (size_t)(bug - h);
	for (size_t i = 0; i < ARRAY_SIZE(global_bug_messages); i++)
		if (mem_starts_with(bug, n, global_bug_messages[i])) {
			/* A constant sentence ("…too low!") is kept whole. */
			bool constant = true;
			for (size_t k = 0; k < n; k++)
				if (bug[k] >= '0' && bug[k] <= '9')
					constant = false;
			if (constant) {
				strbuf_add(&tp->what, bug, n);
				while (tp->what.len && tp->what.buf[tp->what.len - 1] == ' ')
					strbuf_setlen(&tp->what, tp->what.len - 1);
			} else {
				strbuf_addstr(&tp->what, "BUG: ");
				title_add_stable_words(&tp->what, bug + 5, bug + n, true);
			}
			tp->source = FUNC_NONE;
			return;
		}
	/*
	 * handle_stack_overflow(): "BUG: %s stack guard page was hit at %p
	 * (stack is %p..%p)" with the stack_type_name() (TASK, IRQ, NMI, #DF,
	 * SOFTIRQ, …) first: one title for every stack type. A recursion: named
	 * like a stall, above the dispatcher it came through.
	 */
	if (mem_find(bug, n, " stack guard page was hit")) {
		strbuf_addstr(&tp->what, "BUG: stack guard page was hit");
		tp->source = FUNC_STALL;
		return;
	}
	strbuf_addstr(&tp->what, "BUG: ");
	title_add_stable_words(&tp->what, bug + 5, bug + n, true);
	/* "BUG: Dentry ffff…{i=0,n=lo} still in use (1) [unmount of proc proc]" */
	if (!strcmp(tp->what.buf, "BUG: Dentry still in use") && mem_find(bug, n, "[unmount of ")) {
		strbuf_addstr(&tp->what, " in unmount");
		tp->source = FUNC_NONE;
		return;
	}
	/* "BUG: using smp_processor_id() in preemptible [00000000] code" */
	if (!strcmp(tp->what.buf, "BUG: using smp_processor_id() in preemptible code") ||
	    starts_with(tp->what.buf, "BUG: using __this_cpu"))
		return;
	if (mem_starts_with(bug, n, "BUG: held lock freed") ||
	    mem_starts_with(bug, n, "BUG: lock held when returning"))
		tp->func = extra_str(inc, "first_lock_func");
}

/*
 * Specialised WARNINGs (syzkaller names them by what the kernel printed
 * with the warning or by the file that warned).
 */
static void describe_warning(const struct incident *inc, const char *h, size_t n,
			     struct title_parts *tp)
{
	const char *ip = inc->has_ip ? inc->ip.func : extra_str(inc, "warning_func");

	if (describe_data_corruption(inc, tp))
		return;
	if (report_says(inc, "refcount_t: ") || location_is(inc, "lib/refcount.c"))
		strbuf_addstr(&tp->what, "WARNING: refcount bug");
	else if (report_says(inc, "ODEBUG: ") || location_is(inc, "lib/debugobjects.c"))
		strbuf_addstr(&tp->what, "WARNING: ODEBUG bug");
	else if (report_says(inc, "kobject: ") || report_says(inc, "kobject_add_internal failed") ||
		 location_is(inc, "lib/kobject.c"))
		strbuf_addstr(&tp->what, "WARNING: kobject bug");
	else if (report_says(inc, "usercopy: ") || report_says(inc, "Bad or missing usercopy") ||
		 location_is(inc, "mm/usercopy.c"))
		strbuf_addstr(&tp->what, "WARNING: bad usercopy");
	else if (report_says(inc, "DEBUG_LOCKS_WARN_ON") ||
		 location_is(inc, "kernel/locking/lockdep.c"))
		strbuf_addstr(&tp->what, "WARNING: locking bug");
	else if (location_is(inc, "mm/slab_common.c") ||
		 (location_is(inc, "mm/util.c") && ip && strstr(ip, "kvmalloc")) ||
		 (ip && (starts_with(ip, "kmalloc") || starts_with(ip, "kvmalloc"))))
		strbuf_addstr(&tp->what, "WARNING: kmalloc bug");
	else if (location_is(inc, "mm/vmalloc.c") && ip && starts_with(ip, "__vmalloc_node_range"))
		/* its one WARN_ON: a vmalloc of size 0 */
		strbuf_addstr(&tp->what, "WARNING: zero-size vmalloc");
	else if (report_says(inc, "proc_dir_entry ") && report_says(inc, "already registered"))
		strbuf_addstr(&tp->what, "WARNING: proc registration bug");
	else if (location_is(inc, "lib/list_debug.c"))
		strbuf_addstr(&tp->what, "BUG: corrupted list");
	else if (mem_starts_with(h, n, "WARNING: CPU:") || mem_starts_with(h, n, "WARNING: at ") ||
		 extra_str(inc, "location"))
		strbuf_addstr(&tp->what, "WARNING");
	else {
		/* "WARNING: kernel stack frame pointer at … has bad value" */
		const char *m = mem_find(h, n, ": ");
		strbuf_addstr(&tp->what, "WARNING: ");
		if (m)
			title_add_stable_words(&tp->what, m + 2, h + n, false);
		tp->source = FUNC_NONE;
	}
	if (ip && starts_with(ip, "usb_submit_urb") &&
	    (!ip[strlen("usb_submit_urb")] || ip[strlen("usb_submit_urb")] == '.'))
		tp->callee = "usb_submit_urb";
}

/*
 * Does a line of the report start with a source location ("net/ipv6/
 * route.c:1550 suspicious rcu_dereference_protected() usage!")?
 */
static bool report_has_source_line(const struct incident *inc)
{
	const char *p = inc->text.buf, *end = p + inc->text.len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *w, *we;
		if (!nl)
			nl = end;
		w = p;
		while (w < nl && *w == ' ')
			w++;
		we = w;
		while (we < nl && *we != ' ')
			we++;
		for (const char *c = w; c + 3 < we; c++)
			if (c[0] == '.' && (c[1] == 'c' || c[1] == 'h') && c[2] == ':' &&
			    c[3] >= '0' && c[3] <= '9')
				return true;
		p = nl + 1;
	}
	return false;
}


/* Lockdep reports: the header message and where the function comes from. */
static void describe_lockdep(const struct incident *inc, const char *h, size_t n,
			     struct title_parts *tp)
{
	const char *msg = memchr(h, ' ', n);
	size_t level = msg ? (size_t)(msg - h) : 0;	/* "WARNING:", "INFO:", "BUG:" */
	size_t rest;

	if (mem_skip_prefix(&h, &n, "[ ")) {	/* "[ INFO: possible … ]" */
		msg = memchr(h, ' ', n);
		level = msg ? (size_t)(msg - h) : 0;
	}
	if (!msg)
		return;
	msg++;
	rest = n - (size_t)(msg - h);
	if (mem_find(msg, rest, "-safe -> ")) {
		/* named by the first stack: where the lock became irq-safe */
		strbuf_addstr(&tp->what, "possible deadlock");
	} else if (mem_starts_with(msg, rest, "possible circular locking") ||
	    mem_starts_with(msg, rest, "possible recursive locking") ||
	    mem_starts_with(msg, rest, "possible irq lock inversion")) {
		strbuf_addstr(&tp->what, "possible deadlock");
		tp->func = extra_str(inc, "lock_func");
		tp->func_alt = extra_str(inc, "lock_func2");
	} else if (mem_starts_with(msg, rest, "Invalid wait context")) {
		strbuf_addstr(&tp->what, "WARNING: locking bug");
	} else if (mem_starts_with(msg, rest, "inconsistent lock state")) {
		strbuf_addstr(&tp->what, "inconsistent lock state");
		tp->func = extra_str(inc, "lock_func");
	} else {
		/* "WARNING: suspicious RCU usage", "INFO: trying to register non-static key" */
		strbuf_add(&tp->what, h, level);
		strbuf_addch(&tp->what, ' ');
		title_add_stable_words(&tp->what, msg, h + n, true);
		if (tp->what.len && tp->what.buf[tp->what.len - 1] == ']')
			strbuf_setlen(&tp->what, tp->what.len - 1);
		while (tp->what.len && (tp->what.buf[tp->what.len - 1] == '.' ||
					tp->what.buf[tp->what.len - 1] == ' '))
			strbuf_setlen(&tp->what, tp->what.len - 1);
		if (strstr(tp->what.buf, " detected"))
			strbuf_setlen(&tp->what, (size_t)(strstr(tp->what.buf, " detected") -
							  tp->what.buf));
		/* "Nested lock was not taken" is titled in lower case. */
		if (tp->what.len > level + 1 && tp->what.buf[level + 1] >= 'A' &&
		    tp->what.buf[level + 1] <= 'Z' && tp->what.buf[level + 2] >= 'a')
			tp->what.buf[level + 1] += 'a' - 'A';
		/*
		 * "suspicious RCU usage" is explained by the line naming the
		 * dereference; a report cut before it (another report began)
		 * is titled by its header alone, like syzkaller does.
		 */
		if (mem_starts_with(msg, rest, "suspicious RCU usage") &&
		    !report_has_source_line(inc)) {
			tp->source = FUNC_NONE;
			tp->bare_corrupt = "the report ends before it names the dereference";
		} else if (mem_starts_with(msg, rest, "suspicious RCU usage") &&
			   !has_task_stack(inc)) {
			/* its function is the backtrace's, never a held lock's */
			tp->no_func = "the report ends before its stack backtrace";
		}
		if (mem_starts_with(msg, rest, "Nested lock") ||
		    mem_starts_with(msg, rest, "nested lock"))
			tp->func = extra_str(inc, "lock_func");
		if (mem_starts_with(msg, rest, "held lock freed") ||
		    mem_starts_with(msg, rest, "lock held when returning") ||
		    mem_find(msg, rest, "still has locks held"))
			tp->func = extra_str(inc, "first_lock_func");
	}
}

/* "KASAN: use-after-free Read", "KFENCE: invalid free", "UBSAN: shift-out-of-bounds" */
static void describe_sanitizer(const struct incident *inc, const char *tool,
			       struct title_parts *tp)
{
	const char *type = extra_str(inc, "bug_type");
	const char *access = extra_str(inc, "access");

	strbuf_addf(&tp->what, "%s: ", tool);
	if (!type)
		type = "corrupted";
	if (!strcmp(tool, "KASAN") && strstr(type, "invalid-free"))
		type = "invalid-free";
	else if (!strcmp(tool, "KASAN") && !strcmp(type, "double-free"))
		type = "invalid-free";
	if (!strcmp(tool, "UBSAN")) {
		/* "Undefined behaviour" → "undefined-behaviour" */
		for (const char *c = type; *c; c++)
			strbuf_addch(&tp->what, *c == ' ' ? '-' :
				     (*c >= 'A' && *c <= 'Z') ? *c - 'A' + 'a' : *c);
	} else {
		strbuf_addstr(&tp->what, type);
	}
	if (!strcmp(tool, "KASAN") && access && strcmp(type, "invalid-free"))
		strbuf_addf(&tp->what, " %s", access);
	else if (!strcmp(tool, "KASAN") && extra_str(inc, "at_addr"))
		tp->suffix = " at addr ADDR";
	if (extra_str(inc, "on_address"))
		tp->source = FUNC_NONE;
	tp->func = extra_str(inc, "report_func");
	if (!strcmp(tool, "KCSAN"))
		tp->func2 = extra_str(inc, "report_func2");
}



/*
 * "kernel panic: MSG" with MSG as printed, numbers replaced by NUM
 * (syzkaller's normalisation: "unknown-block(NUM,NUM)"), and the
 * well-known messages cut to their stable part: "Attempted to kill init!"
 * (no exit code), "Fatal exception" (with or without "in interrupt"),
 * "panic_on_warn set" (no trailing dots).
 */
static void describe_panic(const struct incident *inc, struct title_parts *tp)
{
	const char *m = extra_str(inc, "panic_message");
	const char *p, *end;

	strbuf_addstr(&tp->what, "kernel panic: ");
	tp->source = FUNC_NONE;
	if (!m) {
		strbuf_setlen(&tp->what, strlen("kernel panic"));
		return;
	}
	if (strstr(m, "stack is corrupted in")) {
		/* "stack-protector: Kernel stack is corrupted in: f+0x1/0x2" */
		strbuf_addstr(&tp->what, "stack is corrupted");
		tp->source = FUNC_STACK;
		tp->func = extra_str(inc, "report_func");
		return;
	}
	if (starts_with(m, "Fatal exception")) {
		strbuf_addstr(&tp->what, "Fatal exception");
		return;
	}
	/* __schedule_bug()'s neighbour in schedule_debug(): the task's stack
	   overflowed into its end marker; the stack says where */
	if (starts_with(m, "corrupted stack end detected")) {
		strbuf_addstr(&tp->what, "corrupted stack end");
		tp->source = FUNC_STACK;
		return;
	}
	end = m + strlen(m);
	if ((p = strchr(m, '!')))
		end = p + 1;
	while (end > m && (end[-1] == '.' || end[-1] == ' '))
		end--;
	title_add_panic_words(&tp->what, m, end);
	/* a message that starts with its variable part: "kernel panic" alone */
	if (tp->what.len == strlen("kernel panic: "))
		strbuf_setlen(&tp->what, strlen("kernel panic"));
}

/*
 * One task or CPU of a sysrq dump: "sysrq: task blocked in copy_net_ns",
 * "sysrq: CPU idle". A block that printed no meaningful frame (an idle CPU,
 * a kernel thread between works) is named by its state alone, not corrupted.
 */
static void describe_sysrq(const struct incident *inc, struct title_parts *tp)
{
	const char *st = inc->task.state;
	const struct frame *f;

	switch (inc->kind) {
	case KIND_SYSRQ_TASKS:
		strbuf_addstr(&tp->what, "sysrq: task ");
		if (!st)
			strbuf_addstr(&tp->what, "shown");
		else if (!strcmp(st, "D"))
			strbuf_addstr(&tp->what, "blocked");
		else if (!strcmp(st, "R"))
			strbuf_addstr(&tp->what, "running");
		else if (!strcmp(st, "S"))
			strbuf_addstr(&tp->what, "sleeping");
		else if (!strcmp(st, "I"))
			strbuf_addstr(&tp->what, "idle");
		else
			strbuf_addf(&tp->what, "in state %s", st);
		break;
	case KIND_SYSRQ_CPUS:
		strbuf_addstr(&tp->what, st && !strcmp(st, "idle") ? "sysrq: CPU idle" :
			      "sysrq: CPU backtrace");
		if (st && !strcmp(st, "idle"))
			tp->source = FUNC_NONE;
		break;
	case KIND_SYSRQ_MEM:
		strbuf_addstr(&tp->what, "sysrq: memory state");
		tp->source = FUNC_NONE;
		return;
	case KIND_SYSRQ_LOCKS:
		strbuf_addstr(&tp->what, "sysrq: locks held");
		tp->source = FUNC_NONE;
		return;
	default:
		return;
	}
	if (!meaningful_frames(inc, &f, 1))
		tp->source = FUNC_NONE;
}

/*
 * An illegal instruction trapped in the kernel, as other arches' die()
 * names it: x86 calls it "invalid opcode" (TITLES.md: the x86 title where
 * one exists). arm64 do_undefinstr(), riscv do_trap_insn_illegal(), s390
 * illegal_op().
 */
static bool is_illegal_instruction(const char *h, size_t n)
{
	static const char *const names[] = {
		"Internal error: Oops - Undefined instruction", "Oops - illegal instruction",
		"illegal operation: ",
	};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (mem_starts_with(h, n, names[i]))
			return true;
	return false;
}

/* "invalid opcode", "Internal error", "Unhandled fault", or by the fault the
   header named. */
static void describe_oops(const struct incident *inc, const char *h, size_t n,
			  struct title_parts *tp)
{
	const char *fault = extra_str(inc, "fault");

	if (is_illegal_instruction(h, n))
		strbuf_addstr(&tp->what, "invalid opcode");
	else if (mem_starts_with(h, n, "Internal error"))
		strbuf_addstr(&tp->what, "Internal error");
	else if (mem_starts_with(h, n, "Unhandled fault"))
		strbuf_addstr(&tp->what, "Unhandled fault");
	else if (fault && !strcmp(fault, "unknown")) {
		strbuf_addstr(&tp->what, "BUG: unable to handle kernel");
		tp->source = FUNC_NONE;
		tp->bare_corrupt = "the header was cut before it said what failed";
	} else if (fault && !strcmp(fault, "null_pointer"))
		strbuf_addstr(&tp->what, "BUG: unable to handle kernel NULL pointer dereference");
	else
		strbuf_addstr(&tp->what, "BUG: unable to handle kernel paging request");
}

/*
 * "divide error: 0000" (old "divide_error: 0000"), "PANIC: double fault";
 * other arches' die banners: powerpc "Oops: Exception in kernel mode, sig: 4
 * [#1]", s390 "illegal operation: 0001 ilc:1 [#1]", riscv "Oops - illegal
 * instruction [#1]": the message, up to its code, signal or counter.
 */
static void describe_trap(const char *h, size_t n, struct title_parts *tp)
{
	const char *sig;

	mem_skip_prefix(&h, &n, "Oops: ");
	if (is_illegal_instruction(h, n)) {
		strbuf_addstr(&tp->what, "invalid opcode");
		return;
	}
	if ((sig = mem_find(h, n, ", sig: ")))
		n = (size_t)(sig - h);
	if ((sig = mem_find(h, n, " [#")))
		n = (size_t)(sig - h);
	if (mem_starts_with(h, n, "PANIC: double fault"))
		strbuf_addstr(&tp->what, "PANIC: double fault");
	else
		for (size_t k = 0; k < n && h[k] != ':'; k++)
			strbuf_addch(&tp->what, h[k] == '_' ? ' ' : h[k]);
}

/* The row's own title up to " in %F". */
static void describe_fixed(const struct report_format *row, struct title_parts *tp)
{
	const char *in = strstr(row->title, " in %F");

	strbuf_add(&tp->what, row->title, in ? (size_t)(in - row->title) : strlen(row->title));
}

static void describe_summary(const struct incident *inc, const char *h, size_t n,
			     struct title_parts *tp)
{
	const char *sum = extra_str(inc, "summary");

	if (sum)
		strbuf_addstr(&tp->what, sum);
	else
		strbuf_add(&tp->what, h, n);
	tp->source = FUNC_NONE;
}

static void describe_segfault(const struct incident *inc, struct title_parts *tp)
{
	const char *obj = extra_str(inc, "object");

	strbuf_addf(&tp->what, "segfault in %s", inc->task.comm ? inc->task.comm : "?");
	if (obj && (!inc->task.comm || strcmp(obj, inc->task.comm)))
		strbuf_addf(&tp->what, " (%s)", obj);
	tp->source = FUNC_NONE;
}

static void describe_oom(const struct incident *inc, struct title_parts *tp)
{
	const char *victim = extra_str(inc, "victim");
	const char *scope = extra_str(inc, "scope");

	strbuf_addstr(&tp->what, scope && !strcmp(scope, "memcg") ?
		      "Memory cgroup out of memory" : "out of memory");
	strbuf_addf(&tp->what, ": killed %s", victim ? victim : "(no victim reported)");
	tp->source = FUNC_NONE;
}

static const char *sanitizer_name(enum incident_kind kind)
{
	switch (kind) {
	case KIND_KFENCE: return "KFENCE";
	case KIND_KMSAN: return "KMSAN";
	case KIND_KCSAN: return "KCSAN";
	case KIND_UBSAN: return "UBSAN";
	default: return "KASAN";
	}
}

/* A /proc/PID/stack capture: the state only when status or ps said it. */
static void describe_proc_stack(const struct incident *inc, struct title_parts *tp)
{
	const char *st = inc->task.state;

	strbuf_addstr(&tp->what, !st ? "task" : !strcmp(st, "D") ? "task hung" :
		      !strcmp(st, "R") ? "task running" : !strcmp(st, "S") ?
		      "task sleeping" : !strcmp(st, "I") ? "task idle" : "task");
}

void title_parts_describe(const struct incident *inc, struct title_parts *tp)
{
	const struct report_format *row;
	size_t n;
	const char *h = header_line(inc, &n, &row);

	strbuf_init(&tp->what, 64);
	tp->func = tp->func_alt = tp->func2 = tp->suffix = tp->callee = NULL;
	tp->bare_corrupt = tp->no_func = NULL;
	/* Registers and a stack, the line saying what they report lost
	   (header_lost.h): syzkaller's name for a report it cannot title. */
	if (inc->kind == KIND_BUG && inc->corrupt_reason &&
	    !strcmp(inc->corrupt_reason, HEADER_LOST_REASON)) {
		strbuf_addstr(&tp->what, "corrupted report");
		tp->source = FUNC_STACK;	/* "corrupted report in F" */
		return;
	}
	if (!row) {	/* sysrq dumps and records made elsewhere have no header row */
		tp->source = FUNC_STACK;
		if (inc->kind == KIND_SYSRQ_TASKS || inc->kind == KIND_SYSRQ_CPUS ||
		    inc->kind == KIND_SYSRQ_MEM || inc->kind == KIND_SYSRQ_LOCKS) {
			describe_sysrq(inc, tp);
		} else if (inc->kind == KIND_PROC_STACK) {
			describe_proc_stack(inc, tp);
		} else {
			strbuf_add(&tp->what, h, n);
			tp->source = FUNC_NONE;
		}
		return;
	}
	tp->source = row->func;
	switch (row->shape) {
	case TS_FIXED: describe_fixed(row, tp); break;
	case TS_OOPS: describe_oops(inc, h, n, tp); break;
	case TS_TRAP: describe_trap(h, n, tp); break;
	case TS_BUG: describe_bug(inc, h, n, tp); break;
	case TS_WARNING: describe_warning(inc, h, n, tp); break;
	case TS_LOCKDEP: describe_lockdep(inc, h, n, tp); break;
	case TS_SANITIZER:
		describe_sanitizer(inc, sanitizer_name(inc->kind), tp);
		/* KMSAN's and UBSAN's headers name the leaf helper or a file */
		if (row->func == FUNC_STACK)
			tp->func = NULL;
		break;
	case TS_PANIC: describe_panic(inc, tp); break;
	case TS_SUMMARY: describe_summary(inc, h, n, tp); break;
	case TS_SEGFAULT: describe_segfault(inc, tp); break;
	case TS_OOM: describe_oom(inc, tp); break;
	case TS_FUZZER: {
		const char *m = format_fuzzer_failure(h, n);
		if (m)
			title_add_numbers_as_num(&tp->what, m, h + n);
		tp->source = FUNC_NONE;
		break;
	}
	}
}

void title_parts_release(struct title_parts *tp)
{
	strbuf_release(&tp->what);
}
