#include "generic_frames.h"
#include "usercrash.h"
#include "frame.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

/*
 * Generic frames, as fnmatch(3) globs over the suffix-stripped name. The
 * groups follow TITLES.md; each entry was seen at the top of real reports
 * above the function people actually name the bug after.
 */
static const char *const generic_frames[] = {
	/* reporting and sanitizer machinery */
	"dump_stack*", "show_stack", "show_trace*", "show_regs", "__show_regs",
	"panic", "__warn", "warn_slowpath*", "__warn_printk", "report_bug",
	"print_report", "kasan*", "__kasan*", "kmsan*", "__kmsan*", "__asan*",
	"asan_report*", "__sanitizer*", "check_memory_region*", "do_trap*",
	"*_trap", "do_error_trap", "invalid_op", "exc_invalid_op", "handle_bug",
	"print_address_description*", "ubsan_*", "__ubsan*", "kcsan*",
	"__tsan*", "kfence*", "__kfence*", "dump_header", "oom_kill_process",
	"out_of_memory", "lockdep_*", "__lock_acquire", "lock_acquire*",
	"lock_release", "lock_acquired", "lock_contended", "print_*_bug*",
	"check_*_usage", "validate_chain", "__might_sleep", "___might_sleep",
	"__might_fault", "might_fault", "__might_resched", "might_sleep*",
	"rcu_lockdep_*", "lockdep_rcu_suspicious", "debug_*", "__debug_*",
	"__list_add_valid*", "__list_del_entry_valid*", "bad_page*",
	"die", "__die", "oops_*", "no_context", "__bad_area*", "bad_area*",
	"page_fault_oops", "kernelmode_fixup_or_oops", "spurious_kernel_fault",
	"__do_page_fault", "do_page_fault", "exc_page_fault", "do_user_addr_fault",
	"do_kern_addr_fault", "handle_page_fault", "page_fault", "asm_exc_*",
	"do_general_protection", "exc_general_protection", "general_protection",
	"fixup_exception", "ex_handler_*", "die_body", "do_int3*", "exc_int3",
	"nmi_cpu_backtrace*", "nmi_trigger_cpumask_backtrace",
	"arch_trigger_cpumask_backtrace", "trigger_*backtrace", "watchdog_timer_fn",
	"watchdog", "check_hung_*", "rcu_dump_cpu_stacks", "print_cpu_stall*",
	"rcu_check_callbacks", "rcu_sched_clock_irq", "rcu_pending",
	"check_cpu_stall*", "rcu_*_kthread", "update_process_times",
	"tick_sched_*", "tick_nohz_*", "tick_handle_periodic", "tick_periodic", "tick_do_update_jiffies64", "__hrtimer_run_queues", "hrtimer_interrupt",
	"__sysvec_*", "sysvec_*", "smp_apic_timer_interrupt", "apic_timer_interrupt",
	"local_apic_timer_interrupt", "irq_exit*", "__irq_exit_rcu", "do_softirq*",
	"__do_softirq", "invoke_softirq", "run_ksoftirqd", "asm_sysvec_*",
	"ret_from_intr", "common_interrupt", "do_IRQ", "irq_enter*",
	"el1_*", "el0_*", "do_mem_abort", "do_translation_fault",
	"__do_kernel_fault", "die_kernel_fault", "do_bad_area", "arm64_*",
	"bug_handler", "call_break_hook", "brk_handler",
	"do_debug_exception", "el1h_*", "el0t_*", "vpanic", "nmi_panic",
	"refcount_warn_saturate", "refcount_error_report", "ex_handler_refcount",
	"__stack_chk_fail", "stack_protector*",
	/* allocation helpers */
	"kmalloc*", "__kmalloc*", "kzalloc*", "kvmalloc*", "__kvmalloc*",
	"kvzalloc*", "krealloc*", "__krealloc*", "kmem_cache_*", "slab_*",
	"__slab_*", "___slab_*", "alloc_pages*", "__alloc_pages*", "folio_alloc*",
	"pagecache_get_page", "kmalloc_trace", "kmalloc_node*", "__kmem_cache_*",
	"kvfree*", "kfree*", "__kfree*", "vmalloc*", "__vmalloc*", "vzalloc*",
	"kstrdup*", "kmemdup*", "memdup_user*", "alloc_page_interleave",
	"__get_free_pages", "get_zeroed_page", "kmem_*", "cache_alloc*",
	"____cache_alloc*", "new_slab*", "allocate_slab", "setup_object*",
	"should_fail*", "should_failslab", "fail_dump", "__should_failslab",
	"dump_stack_lvl",
	/* locking and scheduling primitives */
	"_raw_*", "__raw_*", "raw_*spin_*", "do_raw_*", "spin_*", "_spin_*",
	"*_unlock*", "queued_*", "native_queued_*", "__pv_queued_*",
	"pv_queued_*", "mutex_*", "__mutex_*", "rt_mutex_*", "__rt_mutex_*",
	"down", "down_*", "__down*", "up", "up_read*", "up_write*", "rwsem_*",
	"__rwsem_*", "call_rwsem_*", "osq_lock", "wait_for_completion*",
	"__wait_for_common", "wait_for_common*", "do_wait_for_common",
	"flush_work", "__flush_work", "flush_workqueue", "__flush_workqueue",
	"finish_wait", "prepare_to_wait*", "kthread_stop", "schedule*",
	"__schedule", "io_schedule*", "preempt_schedule*", "__cond_resched*",
	"_cond_resched", "cond_resched*", "wait_on_bit*", "out_of_line_wait_on_bit*",
	"__wait_on_bit*", "bit_wait*", "wait_event*", "__wait_event*",
	"rcu_barrier", "_rcu_barrier", "synchronize_net", "wait_rcu_gp", "__wait_rcu_gp", "read_lock*",
	"write_lock*", "lock_sock*", "release_sock", "__lock_sock*",
	"percpu_down_*", "percpu_up_*", "__percpu_down_*", "__percpu_rwsem_*",
	"lock_timer_base", "try_to_del_timer_sync", "del_timer_sync",
	"__lock_page*", "lock_page*", "__folio_lock*", "folio_lock*",
	"io_schedule_timeout", "schedule_timeout*", "usleep_range*", "msleep*",
	"rwbase_*", "__rwbase_*", "rt_spin_*", "rt_read_*", "rt_write_*",
	"local_bh_enable", "__local_bh_enable_ip", "_local_bh_enable",
	"preempt_count_*", "arch_local_irq_*", "native_safe_halt", "halt",
	/* atomics, bit ops, refcounts */
	"atomic*", "arch_atomic*", "__atomic*", "set_bit", "clear_bit",
	"test_bit", "test_and_*_bit", "__set_bit", "__clear_bit", "refcount_*",
	"__refcount_*", "kref_*", "instrument_*", "__instrument_*",
	"__read_once*", "__write_once*",
	/* string and copy helpers */
	"memcpy*", "memset*", "memmove*", "memcmp", "memchr*", "__memcpy*",
	"__memset*", "__memmove*", "strcpy", "strncpy", "strlen", "strnlen",
	"strcmp", "strncmp", "strchr", "strrchr", "strscpy*", "strlcpy", "strcat",
	"strstr", "strsep", "__strncpy_from_user", "strndup_user", "snprintf", "vsnprintf", "sprintf",
	"vsprintf", "*copy_to_user*", "*copy_from_user*", "_copy_to_user",
	"_copy_from_user", "__copy_*", "raw_copy_*", "copy_user_*",
	"copyout*", "copyin*", "copy_*_iter", "_copy_*_iter", "__get_user*",
	"__put_user*", "get_user*", "put_user*", "strncpy_from_user",
	"csum_partial_copy*", "check_object_size", "__check_object_size",
	"usercopy_*", "__asan_mem*", "rep_movs*", "fault_in_*",
	/* list and tree helpers, logging */
	"list_add*", "__list_add*", "list_del*", "__list_del*", "rb_*", "__rb_*",
	"hlist_*", "printk*", "vprintk*", "_printk", "dev_err", "dev_warn*",
	"dev_printk*", "__dev_printk", "_dev_err", "_dev_warn", "pr_*",
	"__dynamic_*",
	/* driver/device plumbing that only relays */
	"kobject_*", "device_add", "device_del", "usb_submit_urb",
	"usb_kill_urb", "queue_work*", "__queue_work", "__queue_delayed_work",
	"queue_delayed_work*", "del_timer", "dput", "iput", "fput",
	"____fput", "mntput*", "task_work_run",
	/* entry code and retpoline thunks */
	"__x86_indirect_thunk*", "__x86_return_thunk", "__indirect_thunk*",
	"entry_SYSCALL*", "do_syscall_*", "do_fast_syscall*", "do_int80*",
	"syscall_exit_*", "exit_to_user_mode*", "entry_*", "ret_from_fork*",
	"kthread", "worker_thread", "process_scheduled_works",
	"smpboot_thread_fn", "system_call*",
	"int_ret_from_sys_call", "syscall_return_slowpath", "exit_to_usermode_loop",
	"prepare_exit_to_usermode", "el0_svc*", "invoke_syscall", "__invoke_syscall",
	"do_el0_svc*", "__pfx_*",
	/* more reporting machinery: bug/trap plumbing, unwinders, lockdep */
	"fixup_bug", "do_invalid_op", "dump_backtrace", "unwind_backtrace", "add_taint",
	"show_regs_print_info", "warn_alloc", "warn_bogus_irq_restore", "__seqprop*",
	"__fortify_report", "fortify_panic", "__check_heap_object", "check_heap_object",
	"unwind_*", "stack_trace_*", "arch_stack_walk", "walk_stackframe",
	"check_noncircular", "check_prev_add*", "check_prevs_add", "register_lock_class",
	"mark_lock*", "mark_usage", "mark_held_locks", "lock_class*",
	"rcu_read_lock_held*", "perf_trace_*", "rcu_read_lock_sched_held", "rcu_read_lock_bh_held",
	"rcu_is_watching", "dump_cpu_task", "sched_show_task", "__sched_text_start",
	"__switch_to", "__switch_to_asm", "finish_task_switch*", "context_switch",
	"__schedule_bug", "check_preemption_disabled", "debug_smp_processor_id",
	"__this_cpu_preempt_check", "trace_hardirqs_*", "__sanitizer_cov*",
	"__hwasan*", "hwasan_*", "read_word_at_a_time", "__read_once_word*",
	"kmemleak_*", "*_is_static_object", "add_uevent_var", "devres_release*",
	"sysfs_remove_*", "klist_*", "drain_workqueue", "destroy_workqueue",
	"hex_string", "pointer", "string", "format_decode", "widen_string", "number",
	"crc16", "crc32*", "__crc32*", "crc_itu_t*", "crc_t10dif*", "crc32c*",
	"xas_*", "_atomic_dec_and_lock*", "__wake_up*", "__task_rq_lock",
	"task_rq_lock", "raw_spin_rq_lock*", "*del_timer*", "unlock_page", "folio_unlock",
	"post_alloc_hook", "prep_new_page", "get_page_from_freelist", "free_pages_prepare",
	"pcpu_*alloc*", "__alloc_percpu*", "pcpu_alloc", "usb_kill_*", "usb_poison_*",
	"print_other_cpu_stall", "rcu_print_*", "*_cpu_stall*", "rcu_check_gp*",
	"rcu_stall_*", "vscnprintf", "__fortify_panic", "device_remove_file*",
	"device_release", "dpm_sysfs_remove", "device_unregister", "device_del", "put_device",
	"get_device_parent", "__timer_delete_sync", "timer_delete*", "insert_work",
	"try_to_grab_pending", "skb_put", "__vunmap", "vunmap", "vfree*",
	"wait_for_xmitr", "console_unlock",
	"usb_control_msg", "usb_start_wait_urb", "usb_bulk_msg", "usb_interrupt_msg",
	"*_copy_to_iter",
	"dev_vprintk_emit", "dev_printk_emit", "_dev_*", "dev_info", "dev_notice", "sk_stop_timer*", "sk_reset_timer",
	"__cancel_work_timer", "cancel_work_sync", "cancel_delayed_work*",
	"page_pool_alloc*", "__page_pool_alloc*", "folio_wake_bit", "wake_up_page_bit",
	"check_panic_on_warn", "__dump_stack", "print_tainted", "spin_dump", "spin_bug",
	"rwlock_bug", "do_raw_read_*", "do_raw_write_*", "depot_save_stack", "stack_depot_*",
	"save_stack*", "__save_stack_trace", "kasan_save_stack", "va_format", "fast_dput", "__call_rcu*", "call_rcu*", "do_tag_*",
	"handle_*irq*", "generic_handle_*", "__handle_domain_irq", "gic_handle_irq",
	"__irq_svc", "__irq_usr", "arch_timer_handler*", "handle_irq*", "irqentry_*",
	"skb_panic", "skb_over_panic", "skb_under_panic", "__reiserfs_panic",
	"assertfail", "btrfs_assertfail", "ext4_error*", "__ext4_error*",
	/* SLUB debug's consistency checks and their reports */
	"check_bytes_and_report", "check_object", "check_slab", "check_pad_bytes",
	"print_trailer", "object_err", "slab_err", "print_track*", "print_tracking",
	"free_debug_processing", "alloc_debug_processing", "on_freelist",
	"__free_slab", "free_to_partial_list",
};

/* Lockdep: a lock taken by the workqueue itself names no bug. */
static const char *const lockdep_generic[] = {
	"process_one_work", "worker_thread",
};

/* Leaks: the allocation backtrace's helpers above the owner. */
static const char *const leak_generic[] = {
	"alloc_inode", "pcpu_*", "__alloc_percpu*", "idr_*", "ida_*", "xa_*",
	/* the allocator-side helpers of an object (htab_map_alloc under map_create) */
	"*alloc*",
};

/* Stalls loop through the sanitizers' runtime as well. */
static const char *const stall_generic[] = {
	"qlist_*", "quarantine_*", "___cache_free", "write_comp_data",
};

/*
 * Hung tasks wait: anything that only sleeps, waits or takes a lock is
 * skipped so the title names the code that waited (syzkaller's hung-task
 * skip list; substrings of the suffix-stripped name).
 */
static const char *const hung_task_generic[] = {
	"*sched*", "console_lock", "*_slowlock*", "*down*", "*rwsem*", "*completion*",
	"*kthread*", "wait_*", "__wait_*", "*_wait_event*", "*_wait_urb", "*fdatawait*",
	"*context_switch*",
	"*__switch_to*",
	"*cancel_delayed_work*", "*cancel_work*", "*rcu_barrier*", "*_lock_*",
};

static const char *const sysrq_dump_generic[] = {
	"*sysrq*", "sched_show_task", "show_state_filter", "*trigger*backtrace*",
	"nmi_cpu_backtrace*", "proc_reg_write",
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

void generic_frame_clean_name(const char *func, char *buf, size_t bufsz)
{
	char base[256];

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

bool generic_frame_is(const char *func, enum incident_kind kind)
{
	char base[256];

	if (kind == KIND_COREDUMP)	/* userspace: another world's machinery */
		return usercrash_generic_frame(func);
	frame_base_name(func, base, sizeof(base));
	if (!base[0])
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(generic_frames); i++)
		if (!fnmatch(generic_frames[i], base, 0))
			return true;
	if (kind == KIND_RCU_STALL || kind == KIND_SOFT_LOCKUP)
		for (size_t i = 0; i < ARRAY_SIZE(stall_generic); i++)
			if (!fnmatch(stall_generic[i], base, 0))
				return true;
	if (kind == KIND_LOCKDEP)
		for (size_t i = 0; i < ARRAY_SIZE(lockdep_generic); i++)
			if (!fnmatch(lockdep_generic[i], base, 0))
				return true;
	if (kind == KIND_KMEMLEAK)
		for (size_t i = 0; i < ARRAY_SIZE(leak_generic); i++)
			if (!fnmatch(leak_generic[i], base, 0))
				return true;
	/* In a dump, the task or CPU that handled the key shows the key's own
	   machinery (sysrq_handle_showallcpus, sched_show_task). */
	if (kind == KIND_SYSRQ_TASKS || kind == KIND_SYSRQ_CPUS)
		for (size_t i = 0; i < ARRAY_SIZE(sysrq_dump_generic); i++)
			if (!fnmatch(sysrq_dump_generic[i], base, 0))
				return true;
	if (kind == KIND_HUNG_TASK || kind == KIND_SYSRQ_TASKS)
		for (size_t i = 0; i < ARRAY_SIZE(hung_task_generic); i++)
			if (!fnmatch(hung_task_generic[i], base, 0))
				return true;
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
	struct collector c = { inc, out, 0, max, true };

	if (!max)
		return 0;
	/*
	 * "? " frames are stale words the unwinder found on the stack: they
	 * never name the bug. TITLES.md allowed them as a last resort, but the
	 * labelled corpus (syzkaller) calls such reports corrupted, and a
	 * stale frame in a title splits or merges bugs at random.
	 */
	walk_frames(inc, collect_one, &c);
	/*
	 * Except where the old unwinder (the "[<address>] ? f" era, before
	 * 4.14's ORC) marks every frame so because the kernel has no frame
	 * pointers (RHEL 6): there the "? " frames are all there is. The new
	 * unwinders print "? " only for stale words.
	 */
	if (!c.n && stacks_all_unreliable(inc)) {
		c.reliable_only = false;
		walk_frames(inc, collect_one, &c);
	}
	/* Then lockdep's dependency chain (never the alloc/free stacks). */
	for (size_t s = 0; s < inc->nr_stacks && !c.n; s++) {
		const struct stack *st = &inc->stacks[s];
		if (st->context != STACK_OTHER)
			continue;
		c.reliable_only = true;
		for (size_t i = 0; i < st->nr && collect_one(&c, &st->frames[i]); i++)
			;
	}
	return c.n;
}

