#include "title.h"
#include "frame.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
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
	"tick_sched_*", "tick_*", "__hrtimer_run_queues", "hrtimer_interrupt",
	"__sysvec_*", "sysvec_*", "smp_apic_timer_interrupt", "apic_timer_interrupt",
	"local_apic_timer_interrupt", "irq_exit*", "__irq_exit_rcu", "do_softirq*",
	"__do_softirq", "invoke_softirq", "run_ksoftirqd", "call_timer_fn",
	"run_timer_softirq", "__run_timers", "expire_timers", "asm_sysvec_*",
	"ret_from_intr", "common_interrupt", "do_IRQ", "irq_enter*",
	"el1_*", "el0_*", "do_mem_abort", "do_translation_fault",
	"__do_kernel_fault", "die_kernel_fault", "do_bad_area", "arm64_*",
	"__dabt_*", "__pabt_*", "bug_handler", "call_break_hook", "brk_handler",
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
	"__schedule", "__switch_to*", "finish_task_switch*", "context_switch",
	"io_schedule*", "preempt_schedule*", "__cond_resched*",
	"_cond_resched", "cond_resched*", "wait_on_bit*", "out_of_line_wait_on_bit*",
	"__wait_on_bit*", "bit_wait*", "wait_event*", "__wait_event*",
	"rcu_barrier", "_rcu_barrier", "synchronize_rcu*", "synchronize_srcu*",
	"__synchronize_srcu", "wait_rcu_gp", "__wait_rcu_gp", "read_lock*",
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
	"vsprintf", "copy_to_user*", "copy_from_user*", "_copy_to_user",
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
	"__fput", "____fput", "mntput*", "task_work_run",
	/* entry code and retpoline thunks */
	"__x86_indirect_thunk*", "__x86_return_thunk", "__indirect_thunk*",
	"entry_SYSCALL*", "do_syscall_*", "do_fast_syscall*", "do_int80*",
	"syscall_exit_*", "exit_to_user_mode*", "entry_*", "ret_from_fork*",
	"kthread", "worker_thread", "process_one_work", "process_scheduled_works",
	"smpboot_thread_fn", "system_call*",
	"int_ret_from_sys_call", "syscall_return_slowpath", "exit_to_usermode_loop",
	"prepare_exit_to_usermode", "el0_svc*", "invoke_syscall", "__invoke_syscall",
	"do_el0_svc*", "__pfx_*",
};

/* Syscall wrapper prefixes: __x64_sys_unshare and SyS_unshare name "unshare". */
static const char *const syscall_prefixes[] = {
	"__x64_sys_", "__ia32_sys_", "__arm64_sys_", "__ia32_compat_sys_",
	"__x64_compat_sys_", "__se_compat_sys_", "__do_compat_sys_",
	"__se_sys_", "__do_sys_", "__sys_", "compat_SyS_", "SyS_", "SYSC_",
	"compat_sys_", "sys_", "ksys_",
};

void title_clean_func(const char *func, char *buf, size_t bufsz)
{
	char base[256];
	const char *p;

	frame_base_name(func, base, sizeof(base));
	p = base;
	for (size_t i = 0; i < ARRAY_SIZE(syscall_prefixes); i++) {
		const char *rest = skip_prefix(base, syscall_prefixes[i]);
		if (rest && *rest) {
			p = rest;
			break;
		}
	}
	snprintf(buf, bufsz, "%s", p);
}

bool title_frame_is_generic(const char *func, enum incident_kind kind)
{
	char base[256];

	(void)kind;
	frame_base_name(func, base, sizeof(base));
	if (!base[0])
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(generic_frames); i++)
		if (!fnmatch(generic_frames[i], base, 0))
			return true;
	return false;
}

/* Stack order the kind prefers: lockups and stalls look past interrupts. */
static int stack_rank(const struct incident *inc, const struct stack *st)
{
	bool irq = st->context == STACK_IRQ || st->context == STACK_SOFTIRQ ||
		   st->context == STACK_NMI;

	if (st->context == STACK_ALLOC || st->context == STACK_FREE)
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

static size_t collect(const struct incident *inc, const struct frame **out,
		      size_t max, bool reliable_only)
{
	size_t n = 0;

	if (inc->has_ip && inc->ip.func && !title_frame_is_generic(inc->ip.func, inc->kind))
		out[n++] = &inc->ip;
	for (int rank = 1; rank <= 2 && n < max; rank++)
		for (size_t s = 0; s < inc->nr_stacks && n < max; s++) {
			const struct stack *st = &inc->stacks[s];
			if (stack_rank(inc, st) != rank)
				continue;
			for (size_t i = 0; i < st->nr && n < max; i++) {
				const struct frame *f = &st->frames[i];
				if (!f->func || (reliable_only && !f->reliable))
					continue;
				if (title_frame_is_generic(f->func, inc->kind))
					continue;
				/* The ip is usually repeated as the first frame. */
				if (n && out[n - 1]->func && !strcmp(out[n - 1]->func, f->func))
					continue;
				out[n++] = f;
			}
		}
	return n;
}

size_t title_meaningful_frames(const struct incident *inc, const struct frame **out,
			       size_t max)
{
	size_t n = collect(inc, out, max, true);

	/* "? " frames are used only when nothing reliable is left. */
	if (!n)
		n = collect(inc, out, max, false);
	return n;
}

/* Replace digit runs by NUM (syzkaller's normalisation of panic messages). */
static void normalize_numbers(struct strbuf *sb, const char *s)
{
	while (*s) {
		if (*s >= '0' && *s <= '9') {
			while ((*s >= '0' && *s <= '9') || (*s == 'x' && s[-1] == '0') ||
			       (*s >= 'a' && *s <= 'f' && s[-1] != ' '))
				s++;
			strbuf_addstr(sb, "NUM");
			continue;
		}
		strbuf_addch(sb, *s++);
	}
}

static const char *extra_str(const struct incident *inc, const char *key)
{
	const struct extra *e = incident_extra(inc, key);
	return e && e->str ? e->str : NULL;
}

/* The "what happened" part of the title, by kind. */
static void title_prefix(const struct incident *inc, struct strbuf *sb, bool *wants_func)
{
	const char *first = inc->text.buf;
	size_t first_len = strcspn(first, "\n");

	*wants_func = true;
	switch (inc->kind) {
	case KIND_OOPS: {
		const char *fault = extra_str(inc, "fault");
		if (mem_starts_with(first, first_len, "Internal error"))
			strbuf_addstr(sb, "Internal error");
		else if (fault && !strcmp(fault, "null_pointer"))
			strbuf_addstr(sb, "BUG: unable to handle kernel NULL pointer dereference");
		else
			strbuf_addstr(sb, "BUG: unable to handle kernel paging request");
		break;
	}
	case KIND_GPF:
		strbuf_addstr(sb, mem_starts_with(first, first_len, "stack segment") ?
			      "stack segment fault" : "general protection fault");
		break;
	case KIND_BUG: {
		/* "kernel BUG at …" and "BUG: <what>" */
		const char *p = mem_find(first, first_len, "BUG: ");
		if (mem_starts_with(first, first_len, "kernel BUG") || !p) {
			strbuf_addstr(sb, "kernel BUG");
		} else {
			size_t n = first_len - (size_t)(p - first);
			/* "BUG: sleeping function called from invalid context at …" */
			const char *at = mem_find(p, n, " at ");
			const char *colon = mem_find(p + 5, n - 5, ": ");
			size_t cut = n;
			if (at && (size_t)(at - p) < cut)
				cut = (size_t)(at - p);
			if (colon && (size_t)(colon - p) < cut)
				cut = (size_t)(colon - p);
			while (cut && (p[cut - 1] == ' ' || p[cut - 1] == '!' || p[cut - 1] == '.'))
				cut--;
			strbuf_add(sb, p, cut);
		}
		break;
	}
	case KIND_WARNING:
		strbuf_addstr(sb, "WARNING");
		break;
	case KIND_HUNG_TASK:
		strbuf_addstr(sb, "INFO: task hung");
		break;
	case KIND_SOFT_LOCKUP:
		strbuf_addstr(sb, "BUG: soft lockup");
		break;
	case KIND_HARD_LOCKUP:
		strbuf_addstr(sb, "BUG: hard lockup");
		break;
	case KIND_RCU_STALL:
		strbuf_addstr(sb, "INFO: rcu detected stall");
		break;
	case KIND_PANIC: {
		const char *m = extra_str(inc, "panic_message");
		*wants_func = false;
		strbuf_addstr(sb, "kernel panic: ");
		if (m)
			normalize_numbers(sb, m);
		break;
	}
	case KIND_TCP_MEM:
		*wants_func = false;
		strbuf_add(sb, first, first_len);
		break;
	case KIND_SEGFAULT: {
		const char *obj = extra_str(inc, "object");
		*wants_func = false;
		strbuf_addf(sb, "segfault in %s", inc->task.comm ? inc->task.comm : "?");
		if (obj && (!inc->task.comm || strcmp(obj, inc->task.comm)))
			strbuf_addf(sb, " (%s)", obj);
		break;
	}
	case KIND_OOM: {
		const char *victim = extra_str(inc, "victim");
		const char *scope = extra_str(inc, "scope");
		*wants_func = false;
		strbuf_addstr(sb, scope && !strcmp(scope, "memcg") ?
			      "Memory cgroup out of memory" : "out of memory");
		strbuf_addf(sb, ": killed %s", victim ? victim : "(no victim reported)");
		break;
	}
	default:
		strbuf_add(sb, first, first_len);
		*wants_func = false;
		break;
	}
}

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

void title_assign(struct incident *inc)
{
	struct strbuf sb = STRBUF_INIT;
	const struct frame *frames[HASH_FRAMES];
	size_t n = title_meaningful_frames(inc, frames, HASH_FRAMES);
	bool wants_func;
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *kname = incident_kind_name(inc->kind);
	char fn[256];

	title_prefix(inc, &sb, &wants_func);
	if (wants_func) {
		if (n) {
			title_clean_func(frames[0]->func, fn, sizeof(fn));
			strbuf_addf(&sb, " in %s", fn);
		} else {
			strbuf_addstr(&sb, " in corrupted");
			if (!inc->corrupted) {
				inc->corrupted = true;
				free(inc->corrupt_reason);
				inc->corrupt_reason = xstrdup(inc->nr_stacks || inc->has_ip ?
					"no meaningful frame in the stack" :
					"no stack trace in the report");
			}
		}
	}
	free(inc->title);
	inc->title = strbuf_detach(&sb, NULL);

	h = fnv1a(h, kname, strlen(kname));
	h = fnv1a(h, "\n", 1);
	if (wants_func && n) {
		for (size_t i = 0; i < n; i++) {
			frame_base_name(frames[i]->func, fn, sizeof(fn));
			h = fnv1a(h, fn, strlen(fn));
			h = fnv1a(h, "\n", 1);
		}
	} else {
		h = fnv1a(h, inc->title, strlen(inc->title));
		h = fnv1a(h, "\n", 1);
	}
	snprintf(inc->hash, sizeof(inc->hash), "%016llx", (unsigned long long)h);
}
