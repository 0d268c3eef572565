#include "generic_frames.h"
#include "usercrash.h"
#include "frame.h"
#include "strbuf.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/*
 * Generic frames (TITLES.md, "Which frame is meaningful"). Each entry is
 * searched for anywhere in the suffix-stripped name: "kobject_" skips
 * __kobject_del and kobject_put, "alloc_page" skips __alloc_pages_bulk. A
 * leading '^' anchors an entry to the start of the name, a trailing '$' to
 * its end, and '*' stands for any run of characters: a short name that a
 * substring would find inside real functions ("^down$", "^mutex_") is
 * anchored. Groups follow TITLES.md; an entry that another one already
 * covers is left out.
 */
static const char *const generic_frames[] = {
	/* reporting, sanitizers and the trap/oops plumbing of every arch */
	"dump_stack", "show_stack", "show_trace", "show_regs", "panic", "__warn",
	"warn_slowpath", "warn_alloc", "warn_bogus", "report_bug", "fixup_bug",
	"print_report", "^print_", "kasan", "kmsan", "kcsan", "kfence", "__asan",
	"hwasan", "__tsan", "ubsan", "handle_overflow", "__sanitizer",
	"check_memory_region", "^do_trap", "_trap$", "invalid_op", "^handle_bug$",
	"print_address_description", "dump_header", "oom_kill_process", "out_of_memory",
	"oops", "^die$", "^__die", "die_body", "die_kernel_fault", "^no_context$",
	"bad_area", "bad_page", "spurious_kernel_fault", "do_page_fault", "exc_page_fault",
	"do_user_addr_fault", "do_kern_addr_fault", "handle_page_fault", "^page_fault$",
	"asm_exc_", "general_protection", "fixup_exception", "ex_handler_", "do_int3",
	"exc_int3", "backtrace", "watchdog_timer_fn", "^watchdog$", "check_hung_",
	/* the NMI watchdog and the perf NMI that runs it */
	"watchdog_overflow_callback", "perf_event_overflow", "perf_event_nmi_handler",
	"_pmu_handle_irq", "^nmi_handle$", "^do_nmi$", "^end_repeat_nmi$", "^default_do_nmi$",
	"^exc_nmi$",
	"rcu_dump_cpu_stacks", "cpu_stall", "rcu_check_callbacks", "rcu_sched_clock_irq",
	"rcu_pending", "^rcu_*_kthread$", "rcu_check_gp", "rcu_stall_", "^rcu_print_",
	"update_process_times", "^tick_sched_", "^tick_nohz_", "^tick_*periodic",
	"tick_do_update_jiffies64", "hrtimer_run_queues", "hrtimer_interrupt",
	"sysvec_", "apic_timer_interrupt", "irq_exit", "irq_enter", "do_softirq",
	"invoke_softirq", "run_ksoftirqd", "ret_from_intr", "common_interrupt", "^do_IRQ$",
	"^handle_*irq", "generic_handle_", "handle_domain_irq", "gic_handle_irq",
	"__irq_svc", "__irq_usr", "arch_timer_handler", "irqentry_",
	"^el0_", "^el1_", "^el0t_", "^el1h_", "do_mem_abort", "do_translation_fault",
	"do_kernel_fault", "do_bad_area", "^arm64_", "bug_handler", "call_break_hook",
	"brk_handler", "do_debug_exception", "__stack_chk_fail", "stack_protector",
	"fortify_", "check_heap_object", "add_taint", "seqprop", "assertfail",
	/* Rust's panic machinery (rust/kernel/lib.rs, core::panicking) */
	"rust_begin_unwind", "rust_panic", "4core9panicking", "^rust_helper_BUG$",
	"ext4_error",
	/* lockdep's own machinery */
	"lockdep", "lock_acquire", "lock_release", "lock_acquired", "lock_contended",
	"check_usage", "check_irq_usage", "validate_chain", "check_noncircular",
	"check_prev_add", "check_prevs_add", "lock_class", "mark_lock", "mark_usage",
	"held_locks", "rcu_read_lock_*held", "rcu_is_watching", "debug_object", "^debug_",
	"^__debug_", "might_sleep", "might_fault", "might_resched",
	"check_preemption_disabled", "debug_smp_processor_id", "this_cpu_preempt_check",
	"trace_hardirqs_", "rwlock_bug", "ref_tracker",
	/* unwinders and stack depots */
	"^unwind_", "^stack_trace_", "arch_stack_walk", "walk_stackframe", "save_stack",
	"stack_depot_", "depot_save_stack", "dump_cpu_task", "sched_show_task",
	"perf_trace_",
	/* allocation helpers */
	"kmalloc", "kzalloc", "kvmalloc", "kvzalloc", "krealloc", "kmem_cache", "^kmem_",
	"slab_", "new_slab", "free_slab", "allocate_slab", "setup_object", "cache_alloc",
	"alloc_page", "folio_alloc", "pagecache_get_page", "^kfree", "^__kfree", "^kvfree",
	"vmalloc", "vzalloc", "^vfree", "vunmap", "kstrdup", "memdup", "__get_free_pages",
	"get_zeroed_page", "should_fail", "fail_dump", "post_alloc_hook", "prep_new_page",
	"get_page_from_freelist", "free_pages_prepare", "^pcpu_*alloc", "alloc_percpu",
	"page_pool_alloc", "kmemleak", "create_object",
	/* SLUB debug's consistency checks and their reports */
	"check_bytes_and_report", "^check_object$", "^check_slab$", "check_pad_bytes",
	"object_err", "debug_processing", "on_freelist", "free_to_partial_list",
	/* locking and scheduling primitives */
	"^.text.lock.",	/* 2.6's out-of-line lock sections (frame_base_name()) */
	"^_raw_", "^__raw_", "^raw_*spin_", "raw_spin_rq", "^do_raw_", "^spin_", "^_spin_",
	"spin_lock", "_unlock", "^queued_", "queued_spin", "^mutex_", "^__mutex_",
	"rt_mutex_", "^down$", "^down_", "^__down", "^up$", "up_read", "up_write", "rwsem_",
	"percpu_down", "percpu_up", "percpu_rwsem", "osq_lock", "wait_for_completion",
	"wait_for_common", "flush_work", "finish_wait", "prepare_to_wait", "kthread_stop",
	"^schedule", "^__schedule", "^io_schedule", "^preempt_schedule", "cond_resched",
	"wait_on_bit", "^bit_wait", "wait_event", "rcu_barrier", "synchronize_net",
	"wait_rcu_gp", "read_lock", "write_lock", "lock_sock", "release_sock",
	"lock_timer_base", "del_timer", "timer_delete", "lock_page", "folio_lock",
	"usleep_range", "^msleep", "rwbase_", "^rt_spin_", "^rt_read_", "^rt_write_",
	"local_bh_enable", "^preempt_count_", "^arch_local_irq_", "native_safe_halt",
	"^halt$", "__wake_up", "task_rq_lock", "folio_wake_bit", "wake_up_page_bit",
	"__sched_text_start", "__switch_to", "finish_task_switch", "^context_switch$",
	/* atomics, bit ops, refcounts */
	"^atomic", "^arch_atomic", "^__atomic", "^raw_atomic", "_atomic_dec_and_lock",
	"^set_bit$", "^clear_bit$", "^test_bit$", "^test_and_*_bit$", "^__set_bit$",
	"^__clear_bit$", "^refcount_", "^__refcount_", "^kref_", "^instrument_",
	"^__instrument_", "read_once", "write_once", "read_word_at_a_time",
	/* string, format and copy helpers */
	"memcpy", "memset", "memmove", "memcmp", "memchr", "strcpy", "strncpy", "strlen",
	"strnlen", "strcmp", "strncmp", "strchr", "strrchr", "strscpy", "strlcpy", "strcat",
	"strstr", "strsep", "strndup", "printf", "string", "pointer", "format_decode",
	"^number$", "va_format", "copy_to_user", "copy_from_user", "^__copy_",
	"^raw_copy_", "^copy_user_", "^copyout", "^copyin", "copy_*_iter", "get_user",
	"put_user", "csum_partial_copy", "check_object_size", "^usercopy_", "rep_movs",
	"fault_in_", "^crc16$", "crc32", "crc_itu_t", "crc_t10dif", "^xas_",
	/* list and tree helpers, logging */
	"list_add", "list_del", "^rb_", "^__rb_", "^hlist_", "printk", "dev_err",
	"dev_warn", "dev_info", "dev_notice", "dev_printk", "dev_vprintk_emit", "^_dev_",
	"^pr_", "^__dynamic_", "console_unlock",
	/* device and driver teardown relays, work and timers */
	"kobject_", "device_add", "device_del", "device_unregister", "device_destroy",
	"device_release", "device_remove_file", "^put_device$", "get_device_parent",
	"devres_release", "dpm_sysfs_remove", "sysfs_remove", "add_uevent_var", "^klist_",
	"^proc_register$", "hwrng_unregister", "i2c_del_adapter", "unregister_client",
	"device_for_each_child", "unregister_netdev", "rollback_registered",
	"usb_submit_urb", "usb_kill_", "usb_poison_", "usb_control_msg",
	"usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg", "queue_work",
	"queue_delayed_work", "insert_work", "try_to_grab_pending", "cancel_work_timer",
	"cancel_work_sync", "cancel_delayed_work", "drain_workqueue", "destroy_workqueue",
	"sk_stop_timer", "sk_reset_timer", "call_rcu", "^dput$", "fast_dput", "^iput$",
	"^fput$", "____fput", "^mntput", "task_work_run", "^skb_put$", "wait_for_xmitr",
	"^do_tag_", "_is_static_object",
	/* entry code and retpoline thunks */
	"_indirect_thunk", "__x86_return_thunk", "^entry_", "^do_syscall_",
	"^do_fast_syscall", "^do_int80", "^syscall_exit_", "exit_to_user_mode",
	"ret_from_fork", "^kthread$", "^worker_thread$", "process_scheduled_works",
	"smpboot_thread_fn", "^system_call", "int_ret_from_sys_call",
	"syscall_return_slowpath", "exit_to_usermode_loop", "prepare_exit_to_usermode",
	"invoke_syscall", "^do_el0_svc", "^__pfx_",
};

/* Lockdep: a lock taken by the workqueue itself names no bug. */
static const char *const lockdep_generic[] = {
	"^process_one_work$", "^worker_thread$",
};

/* Leaks: the allocation backtrace's helpers above the owner (htab_map_alloc
   under map_create). */
static const char *const leak_generic[] = {
	"alloc", "^pcpu_", "^idr_", "^ida_", "^xa_",
};

/* Stalls loop through the sanitizers' runtime as well. */
static const char *const stall_generic[] = {
	"^qlist_", "^quarantine_", "___cache_free", "write_comp_data",
};

/*
 * Hung tasks wait: anything that only sleeps, waits or takes a lock is
 * skipped so the title names the code that waited (syzkaller's hung-task
 * skip list).
 */
static const char *const hung_task_generic[] = {
	"sched", "console_lock", "_slowlock", "down", "rwsem", "completion", "kthread",
	"^wait_", "^__wait_", "_wait_event", "_wait_urb", "fdatawait", "cancel_delayed_work",
	"cancel_work", "rcu_barrier", "_lock_",
};

static const char *const sysrq_dump_generic[] = {
	"sysrq", "^sched_show_task$", "^show_state_filter$", "trigger*backtrace",
	"^proc_reg_write$",
};

/*
 * Syscall wrapper prefixes. The syzkaller corpus names the arch entry
 * wrappers "sys_X" (__x64_sys_rmdir → sys_rmdir) and the old and
 * inner wrappers by the bare name (SyS_pause, __do_sys_memfd_secret,
 * __se_sys_…, ksys_mount, compat_SyS_mount → mount); TITLES.md's "unshare" example is the inner form.
 */
static const struct {
	const char *prefix, *replacement;
} syscall_prefixes[] = {
	{ "__x64_sys_", "sys_" }, { "__ia32_sys_", "sys_" }, { "__arm64_sys_", "sys_" },
	{ "__riscv_sys_", "sys_" }, { "__s390x_sys_", "sys_" }, { "__s390_sys_", "sys_" },
	{ "SyS_", "" },
	{ "__ia32_compat_sys_", "" }, { "__x64_compat_sys_", "" }, { "__arm64_compat_sys_", "" },
	{ "__se_compat_sys_", "" }, { "__do_compat_sys_", "" }, { "__se_sys_", "" },
	{ "__do_sys_", "" }, { "compat_SyS_", "" }, { "compat_SYSC_", "" }, { "SYSC_", "" },
	{ "compat_sys_", "" }, { "ksys_", "" },
};

/* "<decimal><that many bytes>" at *p (Itanium and Rust legacy names). */
static bool mangled_ident(const char **p, const char **id, size_t *len)
{
	size_t n = 0;
	const char *q = *p;

	if (*q < '0' || *q > '9')
		return false;
	while (*q >= '0' && *q <= '9' && n < 4096)
		n = n * 10 + (size_t)(*q++ - '0');
	if (strnlen(q, n) < n || !n)
		return false;
	*id = q;
	*len = n;
	*p = q + n;
	return true;
}

/*
 * Names from other languages as the kernel's own code refers to them
 * (TITLES.md): a C++ (Itanium) name is its bare function ("_Z8fakeNameiii"
 * → "fakeName", "_ZN3foo3barEv" → "bar"); a Rust legacy name keeps its path
 * without the hash ("_ZN6kernel3foo3Bar3baz17h0123456789abcdefE" →
 * "kernel::foo::Bar::baz"). Returns false for other names.
 */
static bool demangle(const char *name, char *buf, size_t bufsz)
{
	const char *p = name, *id, *last = NULL;
	size_t len, last_len = 0;
	struct strbuf path = STRBUF_INIT;
	bool nested, rust = false;

	if (!skip_prefix(name, "_Z"))
		return false;
	p += 2;
	nested = *p == 'N';
	p += nested;
	while (mangled_ident(&p, &id, &len)) {
		/* Rust's trailing "17h<16 hex>" hash component */
		if (nested && len == 17 && id[0] == 'h' && *p == 'E') {
			rust = true;
			break;
		}
		if (path.len)
			strbuf_addstr(&path, "::");
		strbuf_add(&path, id, len);
		last = id;
		last_len = len;
		if (!nested)
			break;
	}
	if (last && rust)
		snprintf(buf, bufsz, "%s", path.buf);
	else if (last)
		snprintf(buf, bufsz, "%.*s", (int)last_len, last);
	strbuf_release(&path);
	return last != NULL;
}

void generic_frame_clean_name(const char *func, char *buf, size_t bufsz)
{
	char base[256];

	if (demangle(func, buf, bufsz))
		return;
	frame_base_name(func, base, sizeof(base));
	for (size_t i = 0; i < ARRAY_SIZE(syscall_prefixes); i++) {
		const char *rest = skip_prefix(base, syscall_prefixes[i].prefix);
		if (rest && *rest) {
			snprintf(buf, bufsz, "%s%s", syscall_prefixes[i].replacement, rest);
			return;
		}
	}
	snprintf(buf, bufsz, "%s", base);
}

bool frame_name_matches(const char *pattern, const char *name)
{
	size_t plen = strlen(pattern), nlen = strlen(name);
	bool anchored_start = plen && pattern[0] == '^';
	bool anchored_end = plen > (size_t)anchored_start && pattern[plen - 1] == '$';
	const char *p = pattern + anchored_start, *pend = pattern + plen - anchored_end;
	const char *n = name, *nend = name + nlen;
	bool first = true;

	while (p <= pend) {
		const char *star = memchr(p, '*', (size_t)(pend - p));
		const char *seg_end = star ? star : pend;
		size_t seg = (size_t)(seg_end - p);
		bool last = !star;

		if (last && anchored_end) {
			/* the last piece sits at the name's end, after what matched */
			if ((size_t)(nend - n) < seg || memcmp(nend - seg, p, seg) ||
			    (first && anchored_start && (size_t)(nend - n) != seg))
				return false;
			return true;
		}
		if (first && anchored_start) {
			if ((size_t)(nend - n) < seg || memcmp(n, p, seg))
				return false;
			n += seg;
		} else if (seg) {
			const char *at;
			char piece[128];
			if (seg >= sizeof(piece))
				return false;
			memcpy(piece, p, seg);
			piece[seg] = '\0';
			at = mem_find(n, (size_t)(nend - n), piece);
			if (!at)
				return false;
			n = at + seg;
		}
		first = false;
		if (last)
			return true;
		p = star + 1;
	}
	return true;
}

static bool matches_any(const char *const *patterns, size_t nr, const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (frame_name_matches(patterns[i], name))
			return true;
	return false;
}

int generic_frame_syscall_name(const char *base, char *buf, size_t bufsz)
{
	static const char *const plain[] = { "sys_", "ksys_" };
	const char *rest = NULL;
	bool compat = false;

	for (size_t i = 0; i < ARRAY_SIZE(syscall_prefixes) && !rest; i++) {
		rest = skip_prefix(base, syscall_prefixes[i].prefix);
		compat = rest && strstr(syscall_prefixes[i].prefix, "compat");
	}
	for (size_t i = 0; i < ARRAY_SIZE(plain) && !rest; i++)
		rest = skip_prefix(base, plain[i]);
	if (!rest || !*rest)
		return 0;
	snprintf(buf, bufsz, "%s", rest);
	return compat ? 2 : 1;
}

bool generic_frame_is(const char *func, enum incident_kind kind)
{
	char base[256];

	if (kind == KIND_COREDUMP)	/* userspace: another world's machinery */
		return usercrash_generic_frame(func);
	frame_base_name(func, base, sizeof(base));
	if (!base[0] || matches_any(generic_frames, ARRAY_SIZE(generic_frames), base))
		return true;
	switch (kind) {
	case KIND_RCU_STALL: case KIND_SOFT_LOCKUP:
		return matches_any(stall_generic, ARRAY_SIZE(stall_generic), base);
	case KIND_LOCKDEP:
		return matches_any(lockdep_generic, ARRAY_SIZE(lockdep_generic), base);
	case KIND_KMEMLEAK:
		return matches_any(leak_generic, ARRAY_SIZE(leak_generic), base);
	case KIND_HUNG_TASK: case KIND_PROC_STACK:
		return matches_any(hung_task_generic, ARRAY_SIZE(hung_task_generic), base);
	case KIND_SYSRQ_TASKS:
		/* In a dump, the task that handled the key shows the key's own
		   machinery (sysrq_handle_showallcpus, sched_show_task). */
		return matches_any(sysrq_dump_generic, ARRAY_SIZE(sysrq_dump_generic), base) ||
		       matches_any(hung_task_generic, ARRAY_SIZE(hung_task_generic), base);
	case KIND_SYSRQ_CPUS:
		return matches_any(sysrq_dump_generic, ARRAY_SIZE(sysrq_dump_generic), base);
	default:
		return false;
	}
}

bool stack_reaches_bottom(const struct incident *inc)
{
	/* where every kernel stack starts: syscall and exception entry, a
	   kthread's or a CPU's start (entry_SYSCALL_64(), ret_from_fork(),
	   start_kernel(), start_secondary(), cpu_startup_entry()) */
	static const char *const bottoms[] = {
		"^entry_SYSCALL", "^system_call", "^ret_from_fork", "^ret_fast_syscall$",
		"^el0_svc", "^el0t_64_sync$", "^ret_from_syscall$", "^syscall_exit$",
		"^start_kernel$", "^start_secondary$", "^x86_64_start_", "^secondary_startup",
		"^cpu_startup_entry$", "^rest_init$", "^kernel_init$", "^ia32_sysenter_target$",
		"^sysenter_", "^int_ret_from_sys_call$", "^system_call_fastpath$",
	};
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		char base[256];
		if (st->context != STACK_TASK || !st->nr || !st->frames[st->nr - 1].func)
			continue;
		frame_base_name(st->frames[st->nr - 1].func, base, sizeof(base));
		if (matches_any(bottoms, ARRAY_SIZE(bottoms), base))
			return true;
	}
	return false;
}

/* Stack order the kind prefers: lockups and stalls look past interrupts.
   Allocation/free stacks and lockdep chains never name the bug. */
int meaningful_stack_rank(const struct incident *inc, const struct stack *st)
{
	bool irq = st->context == STACK_IRQ || st->context == STACK_SOFTIRQ ||
		   st->context == STACK_NMI;

	if (st->context == STACK_ALLOC || st->context == STACK_FREE ||
	    st->context == STACK_OTHER)
		return 3;
	switch (inc->kind) {
	case KIND_SOFT_LOCKUP:
	case KIND_HARD_LOCKUP:
	case KIND_RCU_STALL:
		return irq ? 2 : 1;
	default:
		return 1;
	}
}

/* Calls fn on every frame in title order (ip first); stops when fn says so. */
static void walk_frames(const struct incident *inc, bool (*fn)(void *, const struct frame *),
			void *data)
{
	/* A hung task sleeps: a register dump in its report is another CPU's
	   (the NMI backtrace khungtaskd triggers), never the task's. */
	if (inc->kind != KIND_HUNG_TASK && inc->has_ip && inc->ip.func && !fn(data, &inc->ip))
		return;
	for (int rank = 1; rank <= 2; rank++)
		for (size_t s = 0; s < inc->nr_stacks; s++) {
			const struct stack *st = &inc->stacks[s];
			if (meaningful_stack_rank(inc, st) != rank)
				continue;
			for (size_t i = 0; i < st->nr; i++)
				if (!fn(data, &st->frames[i]))
					return;
		}
}

struct collector {
	const struct incident *inc;
	const struct frame **out;
	size_t n, max;
	bool reliable_only;
};

static bool collect_one(void *data, const struct frame *f)
{
	struct collector *c = data;

	if (!f->func || (c->reliable_only && !f->reliable))
		return true;
	if (generic_frame_is(f->func, c->inc->kind))
		return true;
	/* The ip is usually repeated as the first frame. */
	if (c->n && c->out[c->n - 1]->func && !strcmp(c->out[c->n - 1]->func, f->func))
		return true;
	c->out[c->n++] = f;
	return c->n < c->max;
}

bool stacks_all_unreliable(const struct incident *inc)
{
	bool addresses = false;

	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t i = 0; i < inc->stacks[s].nr; i++) {
			const struct frame *f = &inc->stacks[s].frames[i];
			if (f->reliable && f->func)
				return false;
			addresses |= f->has_addr;
		}
	return addresses;
}

size_t meaningful_frames(const struct incident *inc, const struct frame **out,
			       size_t max)
{
	/*
	 * "? " frames are stale words the unwinder found on the stack: they
	 * never name the bug (a stale frame in a title splits or merges bugs
	 * at random) — except where every frame is printed so: the old
	 * unwinder of kernels without frame pointers (RHEL 6, Debian 4.9)
	 * marks them all, and then they are the stack.
	 */
	struct collector c = { inc, out, 0, max, !stacks_all_unreliable(inc) };

	if (!max)
		return 0;
	walk_frames(inc, collect_one, &c);
	/* Then lockdep's dependency chain (never the alloc/free stacks, nor
	   other CPUs' backtraces). */
	for (size_t s = 0; inc->kind == KIND_LOCKDEP && s < inc->nr_stacks && !c.n; s++) {
		const struct stack *st = &inc->stacks[s];
		if (st->context != STACK_OTHER)
			continue;
		c.reliable_only = true;
		for (size_t i = 0; i < st->nr && collect_one(&c, &st->frames[i]); i++)
			;
	}
	return c.n;
}
