#include "title.h"
#include "usercrash.h"
#include "title_kinds.h"
#include "generic_frames.h"
#include "frame.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Stalls and lockups loop across several functions, so the top frame is
 * random. Like syzkaller, name the frame just above the first generic
 * dispatcher (syscall entry, ioctl/netlink multiplexer, workqueue, timer,
 * softirq, packet receive): the syscall or handler that looped.
 */
static const char *const stall_anchors[] = {
	"^ret_from_fork", "^kthread$", "^worker_thread$", "^process_one_work$",
	"^smpboot_thread_fn$", "^do_syscall_", "^entry_SYSCALL", "^do_fast_syscall_",
	"^do_int80_syscall", "^ret_fast_syscall$", "^el0_svc", "^do_el0_svc",
	"^invoke_syscall$", "^system_call", "^__do_softirq$", "^do_softirq",
	"^call_timer_fn$", "^expire_timers$", "^__run_timers$", "^run_timer_softirq$",
	"^tasklet_action", "^net_rx_action$", "^__netif_receive_skb", "^netif_receive_skb",
	"^process_backlog$", "^__napi_poll$", "^napi_poll$", "^rcu_do_batch$", "^rcu_core$",
	"^smp_call_function", "^do_vfs_ioctl$", "^vfs_ioctl$", "^__do_sys_ioctl$",
	"^__se_sys_ioctl$", "^__x64_sys_ioctl$", "^ksys_ioctl$", "^SyS_ioctl$", "^sys_ioctl$",
	"^__arm64_sys_ioctl$", "^compat_SyS_ioctl$", "^__ia32_compat_sys_ioctl$",
	"^vfs_write$", "^__vfs_write$", "^vfs_read$", "^__vfs_read$", "^sock_common_setsockopt$",
	"^rtnetlink_rcv_msg$", "^genl_rcv_msg$", "^genl_family_rcv_msg", "^nfnetlink_rcv_msg$",
	"^netlink_dump$", "^task_work_run$", "compat_ioctl$", "^__fput$", "^__hrtimer_run_queues$",
	"^hrtimer_run_softirq$",
	"^__do_fault$",
};

struct stall_walk {
	const struct incident *inc;
	const struct frame *prev, *found;
	bool smp_call;
};

/* The timer interrupt that caught the stalled CPU: the frames before it
   are the report's own machinery, the interrupted code follows. */
static bool is_timer_interrupt(const char *base)
{
	static const char *const timer_frames[] = {
		"apic_timer_interrupt", "^arch_timer_handler",
	};

	for (size_t i = 0; i < ARRAY_SIZE(timer_frames); i++)
		if (frame_name_matches(timer_frames[i], base))
			return true;
	return false;
}

static bool stall_one(void *data, const struct frame *f)
{
	struct stall_walk *w = data;
	char base[256];

	if (!f->func || !f->reliable)
		return true;
	frame_base_name(f->func, base, sizeof(base));
	if (is_timer_interrupt(base)) {
		/* the interrupted code starts at the ip */
		w->prev = NULL;
		if (w->inc->has_ip && w->inc->ip.func && f != &w->inc->ip) {
			char ip_base[256];
			frame_base_name(w->inc->ip.func, ip_base, sizeof(ip_base));
			if (!is_timer_interrupt(ip_base))
				return stall_one(w, &w->inc->ip);
		}
		return true;
	}
	for (size_t i = 0; i < ARRAY_SIZE(stall_anchors); i++)
		if (frame_name_matches(stall_anchors[i], base)) {
			if (starts_with(base, "smp_call_function")) {
				/* the cross-CPU call is the identity, not its caller */
				w->smp_call = true;
				return false;
			}
			if (!w->prev)
				break;	/* a kthread dump before the stalled stack */
			w->found = w->prev;
			return false;
		}
	if (!generic_frame_is(f->func, w->inc->kind))
		w->prev = f;
	return true;
}

/*
 * Did the report catch the stalled CPU at work? An RCU stall is named by
 * the code the timer interrupt (or the NMI backtrace it triggers) found
 * running; a report that only shows tasks (sched_show_task of a blocked
 * reader, an expedited grace period's waiters) does not have it.
 */
static bool stall_caught_running(const struct incident *inc)
{
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		if (st->context == STACK_IRQ || st->context == STACK_NMI)
			return true;
		for (size_t i = 0; i < st->nr; i++) {
			char base[256];
			if (!st->frames[i].func)
				continue;
			frame_base_name(st->frames[i].func, base, sizeof(base));
			if (is_timer_interrupt(base))
				return true;
		}
	}
	return inc->has_ip && inc->registers;
}

/*
 * Walks the stacks in the order printed, ip first. Returns the frame above
 * the first dispatch anchor, or NULL (*smp_call when that anchor was
 * smp_call_function*, which names the stall itself).
 */
static const struct frame *stall_frame(const struct incident *inc, bool *smp_call)
{
	struct stall_walk w = { inc, NULL, NULL, false };
	bool go = true;
	size_t ip_index = inc->ip_stack;

	/* The ip joins the walk where it was printed (before stack
	   ip_index), or at the timer interrupt (stall_one). */
	for (size_t s = 0; s <= inc->nr_stacks && go; s++) {
		const struct stack *st;
		if (s == ip_index && inc->has_ip && inc->ip.func)
			go = stall_one(&w, &inc->ip);
		if (s == inc->nr_stacks || !go)
			break;
		st = &inc->stacks[s];
		if (st->context == STACK_ALLOC || st->context == STACK_FREE ||
		    st->context == STACK_OTHER)
			continue;
		for (size_t i = 0; i < st->nr && go; i++)
			go = stall_one(&w, &st->frames[i]);
	}
	*smp_call = w.smp_call;
	return w.found;
}

/*
 * A CPU stuck spinning on a lock is contention, not a loop: the function
 * that takes the lock names it (the seeds' kvm mmu_lock lockups).
 */
static bool spinning_on_lock(const struct incident *inc)
{
	static const char *const spin_primitives[] = {
		"^_raw_spin_lock", "^_raw_read_lock", "^_raw_write_lock", "^do_raw_spin_lock$",
		"queued_spin_lock_slowpath$", "^queued_*_lock_slowpath$", "^__ticket_spin_lock$",
		"^arch_spin_lock$", "^rt_spin_lock$",
		"^.text.lock.",	/* 2.6's out-of-line contention loops (frame_base_name()) */
	};
	char base[256];

	if (!inc->has_ip || !inc->ip.func)
		return false;
	frame_base_name(inc->ip.func, base, sizeof(base));
	for (size_t i = 0; i < ARRAY_SIZE(spin_primitives); i++)
		if (frame_name_matches(spin_primitives[i], base))
			return true;
	return false;
}

/* "do_con_write.part.23" → "do_con_write.part.NUM" */
static void raw_func_num(const char *func, char *buf, size_t bufsz)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = func; *p; p++) {
		if (*p >= '0' && *p <= '9' && p > func && p[-1] == '.') {
			while (p[1] >= '0' && p[1] <= '9')
				p++;
			strbuf_addstr(&sb, "NUM");
			continue;
		}
		strbuf_addch(&sb, *p);
	}
	snprintf(buf, bufsz, "%s", sb.buf);
	strbuf_release(&sb);
}

static bool same_base(const char *func, const char *base)
{
	char b[256];

	frame_base_name(func, b, sizeof(b));
	return !strcmp(b, base);
}

/* The frame that calls `callee` ("WARNING in caller/usb_submit_urb"). */
static const struct frame *caller_of(const struct incident *inc, const char *callee)
{
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		if (meaningful_stack_rank(inc, st) != 1)
			continue;
		for (size_t i = 0; i + 1 < st->nr; i++)
			if (st->frames[i].func && st->frames[i].reliable &&
			    same_base(st->frames[i].func, callee)) {
				for (size_t j = i + 1; j < st->nr; j++)
					if (st->frames[j].func && st->frames[j].reliable &&
					    !generic_frame_is(st->frames[j].func, inc->kind))
						return &st->frames[j];
				return NULL;
			}
	}
	return NULL;
}

/*
 * A fault-injection dump ("FAULT_INJECTION: forcing a failure" and its
 * should_fail stack) printed into a report mixes two stacks: only the
 * frames read before it can name the bug.
 */
static bool is_fault_injection_frame(const struct frame *f)
{
	return f->func && (starts_with(f->func, "should_fail") || starts_with(f->func, "fail_dump"));
}

static bool has_fault_injection_frames(const struct incident *inc)
{
	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t i = 0; i < inc->stacks[s].nr; i++) {
			if (is_fault_injection_frame(&inc->stacks[s].frames[i]))
				return true;
		}
	return false;
}

/*
 * The first meaningful frame printed before the first fault-injection
 * frame of the report's own stacks (the ip first), or NULL: what was read
 * before the damage.
 */
static const struct frame *frame_before_fault_injection(const struct incident *inc)
{
	bool reliable_only = !stacks_all_unreliable(inc);

	if (inc->has_ip && inc->ip.func && !generic_frame_is(inc->ip.func, inc->kind))
		return &inc->ip;
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		if (meaningful_stack_rank(inc, st) != 1)
			continue;
		for (size_t i = 0; i < st->nr; i++) {
			const struct frame *f = &st->frames[i];
			if (is_fault_injection_frame(f))
				return NULL;
			if (f->func && (f->reliable || !reliable_only) &&
			    !generic_frame_is(f->func, inc->kind))
				return f;
		}
	}
	return NULL;
}

/*
 * A WARNING whose only function is the WARNING line's (no RIP line) and
 * whose stack has no meaningful frame lost its stack: syzkaller's corpus
 * calls it "WARNING in corrupted" rather than trusting the header alone.
 * A stack that was unwound to its outermost frame (the syscall entry, a
 * kthread's start), or a report the kernel closed itself with
 * print_oops_end_marker()'s "---[ end trace", lost nothing: the WARNING
 * line names the function then.
 */
static bool warning_without_backing(const struct incident *inc)
{
	bool reliable_only;

	if (inc->kind != KIND_WARNING || inc->registers || stack_reaches_bottom(inc) ||
	    (inc->nr_stacks && mem_find(inc->text.buf, inc->text.len, "---[ end trace")))
		return false;
	reliable_only = !stacks_all_unreliable(inc);
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		if (st->context == STACK_ALLOC || st->context == STACK_FREE ||
		    st->context == STACK_OTHER)
			continue;
		for (size_t i = 0; i < st->nr; i++) {
			const struct frame *f = &st->frames[i];
			if (f->func && (f->reliable || !reliable_only) &&
			    !generic_frame_is(f->func, inc->kind))
				return false;
		}
	}
	return true;
}

#define NO_MEANINGFUL_FRAME "no meaningful frame in the stack"

/* The first reason found stays: it is the earliest thing that went wrong. */
static void mark_corrupted(struct incident *inc, const char *reason)
{
	if (inc->corrupted)
		return;
	inc->corrupted = true;
	free(inc->corrupt_reason);
	inc->corrupt_reason = xstrdup(reason);
}

static void title_assign_kernel(struct incident *inc);

void title_assign(struct incident *inc)
{
	if (inc->kind == KIND_COREDUMP) {	/* userspace: its own rules */
		usercrash_title(inc);
		return;
	}
	title_assign_kernel(inc);
}

static void title_assign_kernel(struct incident *inc)
{
	struct strbuf sb = STRBUF_INIT;
	struct title_parts tp;
	const struct frame *frames[HASH_FRAMES];
	size_t n = meaningful_frames(inc, frames, HASH_FRAMES);
	uint64_t h = FNV1A64_INIT;
	const char *kname = incident_kind_name(inc->kind);
	const char *func = NULL;
	char fn[256];

	title_parts_describe(inc, &tp);
	strbuf_addstr(&sb, tp.what.buf);
	if (tp.bare_corrupt)
		mark_corrupted(inc, tp.bare_corrupt);
	if (tp.source != FUNC_NONE) {
		bool smp_call = false;
		const struct frame *f = NULL;

		/* (an allocation failure or leak may be the injected fault itself) */
		if (inc->kind == KIND_RCU_STALL && !stall_caught_running(inc))
			tp.no_func = "the report shows no CPU caught running in the stall";
		if (tp.no_func) {
			func = NULL;
			mark_corrupted(inc, tp.no_func);
		} else if (inc->kind != KIND_PANIC && inc->kind != KIND_PAGE_ALLOC_FAILURE &&
		    inc->kind != KIND_KMEMLEAK && has_fault_injection_frames(inc)) {
			/* damaged: named by what was read before the damage */
			f = frame_before_fault_injection(inc);
			func = f ? f->func : NULL;
			mark_corrupted(inc, "frames from a fault-injection stack mixed in");
		} else if (tp.func && !generic_frame_is(tp.func, inc->kind))
			func = tp.func;
		else if (warning_without_backing(inc))
			func = NULL;
		else if (tp.func_alt && !generic_frame_is(tp.func_alt, inc->kind))
			func = tp.func_alt;
		else if (tp.source == FUNC_STALL && spinning_on_lock(inc) && n)
			func = frames[0]->func;
		else if (tp.source == FUNC_STALL && ((f = stall_frame(inc, &smp_call)) || smp_call))
			func = f ? f->func : "smp_call_function";
		else if (n)
			func = frames[0]->func;
		if (tp.callee && tp.source == FUNC_STACK) {
			/* the warning is in the callee itself: its caller is the
			   first meaningful frame of the stack */
			const struct frame *c = caller_of(inc, tp.callee);
			if (!c && n && inc->has_ip && inc->ip.func &&
			    same_base(inc->ip.func, tp.callee))
				c = frames[0];
			if (c) {
				generic_frame_clean_name(c->func, fn, sizeof(fn));
				strbuf_addf(&sb, " in %s/%s", fn, tp.callee);
				func = NULL;
				goto done;
			}
		}
		if (func && tp.suffix) {
			/* old KASAN "… in f.part.23 at addr …": syzkaller keeps the
			   raw name with the suffix number as NUM */
			raw_func_num(func, fn, sizeof(fn));
			strbuf_addf(&sb, " in %s", fn);
		} else if (func) {
			generic_frame_clean_name(func, fn, sizeof(fn));
			strbuf_addf(&sb, " in %s", fn);
			if (tp.func2) {
				generic_frame_clean_name(tp.func2, fn, sizeof(fn));
				strbuf_addf(&sb, " / %s", fn);
			}
		} else {
			strbuf_addstr(&sb, " in corrupted");
			mark_corrupted(inc, inc->nr_stacks || inc->has_ip ? NO_MEANINGFUL_FRAME :
				       "no stack trace in the report");
		}
		if (tp.suffix)
			strbuf_addstr(&sb, tp.suffix);
	}
done:
	title_parts_release(&tp);
	free(inc->title);
	inc->title = strbuf_detach(&sb, NULL);

	/* Hash: kind + first HASH_FRAMES meaningful frames (title.h). */
	h = fnv1a64(h, kname, strlen(kname));
	h = fnv1a64(h, "\n", 1);
	if (tp.source != FUNC_NONE && n) {
		for (size_t i = 0; i < n; i++) {
			frame_base_name(frames[i]->func, fn, sizeof(fn));
			h = fnv1a64(h, fn, strlen(fn));
			h = fnv1a64(h, "\n", 1);
		}
	} else if (inc->kind == KIND_WORKQUEUE_LOCKUP && incident_extra(inc, "in_flight_func") &&
		   incident_extra(inc, "in_flight_func")->str) {
		/* a stuck pool is told apart by the work it is stuck behind */
		const char *wf = incident_extra(inc, "in_flight_func")->str;
		h = fnv1a64(h, wf, strlen(wf));
		h = fnv1a64(h, "\n", 1);
	} else {
		h = fnv1a64(h, inc->title, strlen(inc->title));
		h = fnv1a64(h, "\n", 1);
	}
	snprintf(inc->hash, sizeof(inc->hash), "%016llx", (unsigned long long)h);
}

void title_reassign(struct incident *inc)
{
	if (inc->corrupted && inc->corrupt_reason &&
	    !strcmp(inc->corrupt_reason, NO_MEANINGFUL_FRAME)) {
		inc->corrupted = false;
		free(inc->corrupt_reason);
		inc->corrupt_reason = NULL;
	}
	title_assign(inc);
}
