/*
** test-titles: incident kinds, titles, corruption and key extras on short
** hand-written report snippets, one per kind and per title rule
** (../shared/TITLES.md). Each snippet goes through the whole scan pipeline.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "classify.h"
#include "scan.h"
#include "title.h"
#include "generic_frames.h"

#define MAX_SEEN 8

struct seen {
	struct incident *inc[MAX_SEEN];
	size_t n;
};

static void keep(void *data, struct incident *inc)
{
	struct seen *s = data;

	if (s->n < MAX_SEEN)
		s->inc[s->n++] = inc;
	else
		incident_free(inc);
}

/* Scan `text` as a log file; fills *s with the incidents found. */
static void scan_text(const char *text, struct seen *s)
{
	char path[] = "/tmp/ksift-test-titles-XXXXXX";
	int fd = mkstemp(path);
	struct scan_options opts;
	struct scan_hooks hooks;
	struct scan_stats stats;

	memset(s, 0, sizeof(*s));
	memset(&opts, 0, sizeof(opts));
	memset(&hooks, 0, sizeof(hooks));
	memset(&stats, 0, sizeof(stats));
	hooks.incident = keep;
	hooks.data = s;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	scan_input(path, &opts, &hooks, &stats);
	unlink(path);
}

static void release(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		incident_free(s->inc[i]);
}

static const char *extra(const struct incident *inc, const char *key)
{
	const struct extra *e = incident_extra(inc, key);
	return e && e->str ? e->str : NULL;
}

/* Scan, then check the first incident's kind, title and corruption. */
static struct incident *expect_first(struct seen *s, const char *text,
				     enum incident_kind kind, const char *title,
				     bool corrupted)
{
	scan_text(text, s);
	assert_true(s->n >= 1);
	assert_string_equal(s->inc[0]->title, title);
	assert_int_equal(s->inc[0]->kind, kind);
	if (s->inc[0]->corrupted != corrupted)
		print_message("%s: corrupt_reason %s\n", title, s->inc[0]->corrupt_reason);
	assert_int_equal(s->inc[0]->corrupted, corrupted);
	if (corrupted)
		assert_non_null(s->inc[0]->corrupt_reason);
	return s->inc[0];
}

#define T(ts) "[  " ts "] "

static void test_kasan_read_write(void **state)
{
	struct seen s;
	struct incident *inc;

	(void)state;
	inc = expect_first(&s,
		T("10.000001") "==================================================================\n"
		T("10.000002") "BUG: KASAN: use-after-free in __lock_acquire+0x2eff/0x3640\n"
		T("10.000003") "Read of size 8 at addr ffff8801a751e6f8 by task syz/123\n"
		T("10.000004") "\n"
		T("10.000005") "Call Trace:\n"
		T("10.000006") " dump_stack+0x194/0x257\n"
		T("10.000007") " print_address_description+0x73/0x250\n"
		T("10.000008") " kasan_report+0x23b/0x360\n"
		T("10.000009") " __lock_acquire+0x2eff/0x3640\n"
		T("10.000010") " lock_acquire+0x1d5/0x580\n"
		T("10.000011") " _raw_spin_lock_irqsave+0x96/0xc0\n"
		T("10.000012") " remove_wait_queue+0x81/0x350\n"
		T("10.000013") " ep_unregister_pollwait.isra.7+0x18c/0x590\n"
		T("10.000014") "\n"
		T("10.000015") "Allocated by task 3130:\n"
		T("10.000016") " kmem_cache_alloc_trace+0x136/0x750\n"
		T("10.000017") " sg_add_request+0x1f/0x80\n"
		T("10.000018") "\n"
		T("10.000019") "Freed by task 3130:\n"
		T("10.000020") " kfree+0xd6/0x260\n"
		T("10.000021") " sg_remove_request+0x33/0x40\n",
		KIND_KASAN, "KASAN: use-after-free Read in remove_wait_queue", false);
	assert_string_equal(extra(inc, "access"), "Read");
	assert_string_equal(extra(inc, "bug_type"), "use-after-free");
	/* Allocation and free stacks are kept apart and never name the bug. */
	{
		bool alloc = false, freed = false;
		for (size_t i = 0; i < inc->nr_stacks; i++) {
			alloc |= inc->stacks[i].context == STACK_ALLOC;
			freed |= inc->stacks[i].context == STACK_FREE;
		}
		assert_true(alloc);
		assert_true(freed);
	}
	release(&s);

	expect_first(&s,
		T("1.1") "BUG: KASAN: slab-out-of-bounds in sg_remove_request+0x103/0x120\n"
		T("1.2") "Write of size 4 at addr ffff8801a85de8c0 by task syz/9\n"
		T("1.3") "Call Trace:\n"
		T("1.4") " dump_stack+0x194/0x257\n"
		T("1.5") " sg_remove_request+0x103/0x120\n"
		T("1.6") " sg_finish_rem_req+0x2b6/0x350\n",
		KIND_KASAN, "KASAN: slab-out-of-bounds Write in sg_remove_request", false);
	release(&s);

	/* "double-free or invalid-free" is titled invalid-free, no access. */
	expect_first(&s,
		T("1.1") "BUG: KASAN: double-free or invalid-free in tun_free+0x15/0x20\n"
		T("1.2") "\n"
		T("1.3") "Call Trace:\n"
		T("1.4") " kfree+0xd6/0x260\n"
		T("1.5") " tun_free+0x15/0x20\n",
		KIND_KASAN, "KASAN: invalid-free in tun_free", false);
	release(&s);

	/* "wild-memory-access on address" names no function. */
	expect_first(&s,
		T("1.1") "BUG: KASAN: wild-memory-access on address ffe7087450a17000\n"
		T("1.2") "Read of size 8 by task syz/1\n"
		T("1.3") "Call Trace:\n"
		T("1.4") " sg_read+0xe5c/0x1440\n",
		KIND_KASAN, "KASAN: wild-memory-access Read", false);
	release(&s);
}

static void test_other_sanitizers(void **state)
{
	struct seen s;
	struct incident *inc;

	(void)state;
	expect_first(&s,
		T("2.1") "BUG: KFENCE: use-after-free read in find_uprobe+0x57/0x150\n"
		T("2.2") "\n"
		T("2.3") "Use-after-free read at 0xffff8c3f2e291fb0 (in kfence-#72):\n"
		T("2.4") " find_uprobe+0x57/0x150\n"
		T("2.5") " uprobe_register+0x20/0x40\n",
		KIND_KFENCE, "KFENCE: use-after-free read in find_uprobe", false);
	release(&s);

	/* KMSAN names the first meaningful frame of the stack. */
	expect_first(&s,
		T("2.1") "BUG: KMSAN: uninit-value in memcmp+0x10/0x40\n"
		T("2.2") " memcmp+0x10/0x40\n"
		T("2.3") " nilfs_bmap_lookup_at_level+0x20/0x200\n"
		T("2.4") "\n"
		T("2.5") "Uninit was created at:\n"
		T("2.6") " kmem_cache_alloc+0x10/0x20\n"
		T("2.7") " nilfs_iget+0x10/0x20\n",
		KIND_KMSAN, "KMSAN: uninit-value in nilfs_bmap_lookup_at_level", false);
	release(&s);

	inc = expect_first(&s,
		T("2.1") "==================================================================\n"
		T("2.2") "BUG: KCSAN: data-race in e1000_clean_rx_irq+0x551/0xb10 / e1000_xmit_frame+0x10/0x200\n"
		T("2.3") "\n"
		T("2.4") "read to 0xffff8881 of 4 bytes by interrupt on cpu 4:\n"
		T("2.5") " e1000_clean_rx_irq+0x551/0xb10\n",
		KIND_KCSAN, "KCSAN: data-race in e1000_clean_rx_irq / e1000_xmit_frame", false);
	assert_string_equal(extra(inc, "report_func2"), "e1000_xmit_frame");
	release(&s);

	expect_first(&s,
		T("2.1") "UBSAN: array-index-out-of-bounds in net/core/dev.c:123:4\n"
		T("2.2") "index 9 is out of range for type 'int [8]'\n"
		T("2.3") "Call Trace:\n"
		T("2.4") " dump_stack+0x10/0x20\n"
		T("2.5") " __ubsan_handle_out_of_bounds+0x10/0x40\n"
		T("2.6") " dev_ifsioc+0x10/0x400\n",
		KIND_UBSAN, "UBSAN: array-index-out-of-bounds in dev_ifsioc", false);
	release(&s);

	expect_first(&s,
		T("2.1") "UBSAN: Undefined behaviour in drivers/usb/core/devio.c:1517:25\n"
		T("2.2") "Call Trace:\n"
		T("2.3") " proc_do_submiturb+0x10/0x400\n",
		KIND_UBSAN, "UBSAN: undefined-behaviour in proc_do_submiturb", false);
	release(&s);
}

static void test_lockdep(void **state)
{
	struct seen s;

	(void)state;
	expect_first(&s,
		T("3.01") "======================================================\n"
		T("3.02") "WARNING: possible circular locking dependency detected\n"
		T("3.03") "4.15.0+ #221 Not tainted\n"
		T("3.04") "------------------------------------------------------\n"
		T("3.05") "syz-executor0/4217 is trying to acquire lock:\n"
		T("3.06") " (rtnl_mutex){+.+.}, at: [<00000000ac220e5b>] rtnl_lock+0x17/0x20\n"
		T("3.07") "\n"
		T("3.08") "but task is already holding lock:\n"
		T("3.09") " (&xt[i].mutex){+.+.}, at: [<000000008835a5fc>] xt_find_table_lock+0x3e/0x3e0\n"
		T("3.10") "\n"
		T("3.11") "the existing dependency chain (in reverse order) is:\n"
		T("3.12") "\n"
		T("3.13") "-> #1 (&xt[i].mutex){+.+.}:\n"
		T("3.14") "       __mutex_lock+0x16f/0x1a80\n"
		T("3.15") "       xt_find_revision+0x10/0x100\n"
		T("3.16") "\n"
		T("3.17") "stack backtrace:\n"
		T("3.18") "Call Trace:\n"
		T("3.19") " dump_stack+0x194/0x257\n"
		T("3.20") " do_ipt_get_ctl+0x10/0x100\n",
		KIND_LOCKDEP, "possible deadlock in rtnl_lock", false);
	release(&s);

	/* A generic first lock falls back to the lock already held. */
	expect_first(&s,
		T("3.01") "WARNING: possible recursive locking detected\n"
		T("3.02") "syz/1 is trying to acquire lock:\n"
		T("3.03") "ffff8880 ((wq_completion)wg){+.+.}, at: flush_workqueue+0xe6/0x1520\n"
		T("3.04") "\n"
		T("3.05") "but task is already holding lock:\n"
		T("3.06") "ffff8881 ((wq_completion)wg){+.+.}, at: wg_set_device+0x10/0x100\n"
		T("3.07") "stack backtrace:\n"
		T("3.08") " dump_stack+0x10/0x20\n",
		KIND_LOCKDEP, "possible deadlock in wg_set_device", false);
	release(&s);

	expect_first(&s,
		T("3.01") "================================\n"
		T("3.02") "WARNING: inconsistent lock state\n"
		T("3.03") "inconsistent {SOFTIRQ-ON-W} -> {IN-SOFTIRQ-W} usage.\n"
		T("3.04") "syz/1 [HC0[0]:SC1[1]:HE1:SE0] takes:\n"
		T("3.05") " (&(&hashinfo->ehash_locks[i])->rlock){+.?.}, at: [<ffffffff8>] inet_ehash_insert+0x24/0x400\n"
		T("3.06") "stack backtrace:\n"
		T("3.07") " dump_stack+0x10/0x20\n",
		KIND_LOCKDEP, "inconsistent lock state in inet_ehash_insert", false);
	release(&s);

	expect_first(&s,
		T("3.1") "=============================\n"
		T("3.2") "WARNING: suspicious RCU usage\n"
		T("3.3") "include/linux/rcupdate.h:302 Illegal context switch in RCU read-side critical section!\n"
		T("3.4") "stack backtrace:\n"
		T("3.5") "Call Trace:\n"
		T("3.6") " dump_stack+0x10/0x20\n"
		T("3.7") " lockdep_rcu_suspicious+0x10/0x20\n"
		T("3.8") " rds_tcp_conn_alloc+0x10/0x200\n",
		KIND_LOCKDEP, "WARNING: suspicious RCU usage in rds_tcp_conn_alloc", false);
	release(&s);

	/* Old banner form, "BUG:" level kept. */
	expect_first(&s,
		T("3.1") "=====================================\n"
		T("3.2") "[ BUG: bad unlock balance detected! ]\n"
		T("3.3") "syz/1 is trying to release lock (mrt_lock) at:\n"
		T("3.4") "Call Trace:\n"
		T("3.5") " dump_stack+0x10/0x20\n"
		T("3.6") " lock_release+0x10/0x20\n"
		T("3.7") " ipmr_mfc_seq_stop+0x10/0x20\n",
		KIND_LOCKDEP, "BUG: bad unlock balance in ipmr_mfc_seq_stop", false);
	release(&s);

	expect_first(&s,
		T("3.1") "INFO: trying to register non-static key.\n"
		T("3.2") "the code is fine but needs lockdep annotation.\n"
		T("3.3") "Call Trace:\n"
		T("3.4") " register_lock_class+0x10/0x20\n"
		T("3.5") " __lock_acquire+0x10/0x20\n"
		T("3.6") " tcp_fastopen_reset_cipher+0x10/0x20\n",
		KIND_LOCKDEP, "INFO: trying to register non-static key in tcp_fastopen_reset_cipher", false);
	release(&s);

	expect_first(&s,
		T("3.1") "WARNING: held lock freed!\n"
		T("3.2") "syz/1 is freeing memory ffff, with a lock still held there!\n"
		T("3.3") " (sk_lock-AF_INET6){+.+.}, at: [<00000000abe26b8e>] sctp_wait_for_sndbuf+0x509/0x8d0\n"
		T("3.4") "Call Trace:\n"
		T("3.5") " __sk_destruct+0x10/0x20\n",
		KIND_LOCKDEP, "WARNING: held lock freed in sctp_wait_for_sndbuf", false);
	release(&s);
}

static void test_bug_messages(void **state)
{
	struct seen s;

	(void)state;
	/* "[00000000]" and the task after ':' are normalised away. */
	expect_first(&s,
		T("4.1") "BUG: using smp_processor_id() in preemptible [00000000] code: syz/3344\n"
		T("4.2") "caller is check_preemption_disabled+0x1c/0x20\n"
		T("4.3") "Call Trace:\n"
		T("4.4") " dump_stack+0xc1/0x128\n"
		T("4.5") " check_preemption_disabled+0x1d4/0x200\n"
		T("4.6") " radix_tree_node_alloc+0x10/0x200\n",
		KIND_BUG, "BUG: using smp_processor_id() in preemptible code in radix_tree_node_alloc",
		false);
	release(&s);

	expect_first(&s,
		T("4.1") "BUG: sleeping function called from invalid context at mm/slab.h:421\n"
		T("4.2") "in_atomic(): 1, irqs_disabled(): 0, pid: 1, name: syz\n"
		T("4.3") "Call Trace:\n"
		T("4.4") " ___might_sleep+0x10/0x20\n"
		T("4.5") " kmem_cache_alloc+0x10/0x20\n"
		T("4.6") " line6_pcm_acquire+0x10/0x200\n",
		KIND_BUG, "BUG: sleeping function called from invalid context in line6_pcm_acquire",
		false);
	release(&s);

	expect_first(&s,
		T("4.1") "BUG: scheduling while atomic: syz/6976/0x00000002\n"
		T("4.2") "Call Trace:\n"
		T("4.3") " __schedule_bug+0x10/0x20\n"
		T("4.4") " __schedule+0x10/0x20\n"
		T("4.5") " schedule+0x10/0x20\n"
		T("4.6") " SyS_pause+0x10/0x20\n",
		KIND_BUG, "BUG: scheduling while atomic in pause", false);
	release(&s);

	expect_first(&s,
		T("4.1") "BUG: spinlock lockup suspected on CPU#2, syz/12636\n"
		T("4.2") "Call Trace:\n"
		T("4.3") " do_raw_spin_lock+0x10/0x20\n"
		T("4.4") " wake_up_new_task+0x10/0x20\n",
		KIND_BUG, "BUG: spinlock lockup suspected in wake_up_new_task", false);
	release(&s);

	/* list corruption: the prelude, then kernel BUG at lib/list_debug.c */
	expect_first(&s,
		T("4.1") "list_del corruption. prev->next should be 00000000bc6553ca, but was 0000000038fa8131\n"
		T("4.2") "------------[ cut here ]------------\n"
		T("4.3") "kernel BUG at lib/list_debug.c:53!\n"
		T("4.4") "invalid opcode: 0000 [#1] SMP KASAN\n"
		T("4.5") "RIP: 0010:__list_del_entry_valid+0xef/0x150\n"
		T("4.6") "Call Trace:\n"
		T("4.7") " tipc_nametbl_unsubscribe+0x10/0x200\n",
		KIND_BUG, "BUG: corrupted list in tipc_nametbl_unsubscribe", false);
	release(&s);

	expect_first(&s,
		T("4.1") "BUG: Dentry ffff880175978600{i=8bb9,n=lo}  still in use (1) [unmount of proc proc]\n"
		T("4.2") "------------[ cut here ]------------\n",
		KIND_BUG, "BUG: Dentry still in use in unmount", false);
	release(&s);

	expect_first(&s,
		T("4.1") "BUG: Bad rss-counter state mm:00000000b8d2c2a4 type:MM_FILEPAGES val:1\n",
		KIND_BUG, "BUG: Bad rss-counter state", false);
	release(&s);

	expect_first(&s, T("4.1") "BUG: MAX_STACK_TRACE_ENTRIES too low!\n",
		     KIND_BUG, "BUG: MAX_STACK_TRACE_ENTRIES too low!", false);
	release(&s);

	/* arm64: the "Internal error: Oops - BUG" line belongs to the kernel BUG. */
	scan_text(T("4.1") "kernel BUG at fs/ext4/inode.c:2722!\n"
		  T("4.2") "Internal error: Oops - BUG: 0 [#1] PREEMPT SMP\n"
		  T("4.3") "pc : ext4_writepages+0x10/0x200\n"
		  T("4.4") "Call trace:\n"
		  T("4.5") " ext4_writepages+0x10/0x200\n"
		  T("4.6") " do_writepages+0x10/0x200\n", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.inc[0]->title, "kernel BUG in ext4_writepages");
	release(&s);

	expect_first(&s,
		T("4.1") "BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 32s!\n",
		KIND_WORKQUEUE_LOCKUP, "BUG: workqueue lockup", false);
	release(&s);

	expect_first(&s,
		T("4.1") "BUG: Bad page state in process syz  pfn:199e00\n"
		T("4.2") "page:ffffea0006678000 count:0 mapcount:0\n"
		T("4.3") "Call Trace:\n"
		T("4.4") " dump_stack+0x10/0x20\n"
		T("4.5") " bad_page+0x10/0x20\n"
		T("4.6") " free_pages_prepare+0x10/0x20\n"
		T("4.7") " bpf_test_run_xdp_live+0x10/0x20\n",
		KIND_BUG, "BUG: Bad page state in bpf_test_run_xdp_live", false);
	release(&s);
}

static void test_warnings(void **state)
{
	struct seen s;
	struct incident *inc;

	(void)state;
	/* The refcount_t prelude before "[ cut here ]" specialises the title. */
	inc = expect_first(&s,
		T("5.01") "refcount_t: underflow; use-after-free.\n"
		T("5.02") "------------[ cut here ]------------\n"
		T("5.03") "WARNING: CPU: 1 PID: 2992 at lib/refcount.c:186 refcount_sub_and_test+0x167/0x1b0\n"
		T("5.04") "Kernel panic - not syncing: panic_on_warn set ...\n"
		T("5.05") "Call Trace:\n"
		T("5.06") " dump_stack+0x194/0x257\n"
		T("5.07") " panic+0x1e4/0x417\n"
		T("5.08") " __warn+0x1c4/0x1d9\n"
		T("5.09") " report_bug+0x211/0x2d0\n"
		T("5.10") " fixup_bug+0x40/0x90\n"
		T("5.11") " do_invalid_op+0x1b/0x20\n"
		T("5.12") " invalid_op+0x18/0x20\n"
		T("5.13") "RIP: 0010:refcount_sub_and_test+0x167/0x1b0\n"
		T("5.14") " refcount_dec_and_test+0x1a/0x20\n"
		T("5.15") " sctp_wfree+0x10/0x200\n",
		KIND_WARNING, "WARNING: refcount bug in sctp_wfree", false);
	assert_string_equal(extra(inc, "location"), "lib/refcount.c:186");
	assert_string_equal(extra(inc, "panic_message"), "panic_on_warn set ...");
	release(&s);

	expect_first(&s,
		T("5.1") "------------[ cut here ]------------\n"
		T("5.2") "ODEBUG: free active (active state 0) object type: timer_list hint: f+0x0/0x10\n"
		T("5.3") "WARNING: CPU: 0 PID: 1 at lib/debugobjects.c:291 debug_print_object+0x16a/0x210\n"
		T("5.4") "RIP: 0010:debug_print_object+0x16a/0x210\n"
		T("5.5") "Call Trace:\n"
		T("5.6") " debug_check_no_obj_freed+0x10/0x20\n"
		T("5.7") " kfree+0x10/0x20\n"
		T("5.8") " xt_free_table_info+0x10/0x20\n",
		KIND_WARNING, "WARNING: ODEBUG bug in xt_free_table_info", false);
	release(&s);

	expect_first(&s,
		T("5.1") "WARNING: CPU: 1 PID: 36348 at mm/slab_common.c:903 kmalloc_slab+0x89/0xa0\n"
		T("5.2") "RIP: 0010:kmalloc_slab+0x89/0xa0\n"
		T("5.3") "Call Trace:\n"
		T("5.4") " __kmalloc+0x10/0x20\n"
		T("5.5") " kvm_vm_ioctl+0x10/0x200\n",
		KIND_WARNING, "WARNING: kmalloc bug in kvm_vm_ioctl", false);
	release(&s);

	/* The newest header: "WARNING: file:line at f, CPU#n: comm/pid". */
	expect_first(&s,
		T("5.1") "WARNING: fs/jfs/jfs_dmap.c:2867 at dbAdjTree+0x454/0x4e0, CPU#0: jfsCommit/112\n"
		T("5.2") "RIP: 0010:dbAdjTree+0x454/0x4e0\n"
		T("5.3") "Call Trace:\n"
		T("5.4") " dbJoin+0x10/0x20\n",
		KIND_WARNING, "WARNING in dbAdjTree", false);
	release(&s);

	/* usb_submit_urb warnings name the caller too. */
	expect_first(&s,
		T("5.1") "WARNING: CPU: 0 PID: 21 at drivers/usb/core/urb.c:478 usb_submit_urb+0x10/0x20\n"
		T("5.2") "RIP: 0010:usb_submit_urb+0x10/0x20\n"
		T("5.3") "Call Trace:\n"
		T("5.4") " usb_submit_urb+0x10/0x20\n"
		T("5.5") " submit_rx_urb+0x10/0x200\n",
		KIND_WARNING, "WARNING in submit_rx_urb/usb_submit_urb", false);
	release(&s);

	/* A WARNING whose stack was lost is corrupted: the header's function
	   is kept as an extra, not guessed into the title. */
	inc = expect_first(&s,
		T("5.1") "------------[ cut here ]------------\n"
		T("5.2") "WARNING: CPU: 3 PID: 1975 at fs/locks.c:241 locks_free_lock_context+0x118/0x180()\n",
		KIND_WARNING, "WARNING in corrupted", true);
	assert_string_equal(extra(inc, "warning_func"), "locks_free_lock_context");
	release(&s);

	/* A fault-injection stack printed into the report: corrupted. */
	inc = expect_first(&s,
		T("5.1") "WARNING: CPU: 0 PID: 1 at kernel/kthread.c:769 kthread_insert_work_sanity_check+0xb8/0x130\n"
		T("5.2") "Call Trace:\n"
		T("5.3") " dump_stack+0x10/0x20\n"
		T("5.4") " should_fail+0x10/0x20\n"
		T("5.5") " __alloc_skb+0x10/0x20\n"
		T("5.6") "RIP: 0010:kthread_insert_work_sanity_check+0xb8/0x130\n",
		KIND_WARNING, "WARNING in corrupted", true);
	assert_string_equal(inc->corrupt_reason, "frames from a fault-injection stack mixed in");
	release(&s);

	/* "WARNING: <text>" with no stack is a program's message, not a report. */
	scan_text(T("5.1") "WARNING: /etc/ssh/moduli does not exist, using fixed modulus\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
}

static void test_faults_and_traps(void **state)
{
	struct seen s;

	(void)state;
	expect_first(&s,
		T("6.1") "divide error: 0000 [#1] PREEMPT SMP KASAN\n"
		T("6.2") "RIP: 0010:tabledist+0x10/0x200\n"
		T("6.3") "Call Trace:\n"
		T("6.4") " netem_enqueue+0x10/0x200\n",
		KIND_TRAP, "divide error in tabledist", false);
	release(&s);

	/* newer kernels prefix the trap with "Oops: " */
	expect_first(&s,
		T("6.1") "Oops: int3: 0000 [#1] PREEMPT SMP KASAN\n"
		T("6.2") "RIP: 0010:__pmd_alloc+0x10/0x200\n"
		T("6.3") "Call Trace:\n"
		T("6.4") " handle_mm_fault+0x10/0x200\n",
		KIND_TRAP, "int3 in __pmd_alloc", false);
	release(&s);

	expect_first(&s,
		T("6.1") "PANIC: double fault, error_code: 0x0\n"
		T("6.2") "RIP: 0010:__udp6_lib_lookup+0x10/0x200\n",
		KIND_TRAP, "PANIC: double fault in __udp6_lib_lookup", false);
	release(&s);

	expect_first(&s,
		T("6.1") "general protection fault: 0000 [#1] SMP KASAN\n"
		T("6.2") "RIP: 0010:ip6t_do_table+0x10/0x200\n"
		T("6.3") "Call Trace:\n"
		T("6.4") " unwind_get_return_address+0x10/0x20\n",
		KIND_GPF, "general protection fault in ip6t_do_table", false);
	release(&s);

	/* kernel BUG: the invalid opcode line belongs to the same report. */
	scan_text(T("6.1") "kernel BUG at net/key/af_key.c:3000!\n"
		  T("6.2") "invalid opcode: 0000 [#1] SMP\n"
		  T("6.3") "RIP: 0010:pfkey_send_acquire+0x10/0x200\n"
		  T("6.4") "Call Trace:\n"
		  T("6.5") " km_query+0x10/0x200\n", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.inc[0]->title, "kernel BUG in pfkey_send_acquire");
	assert_string_equal(extra(s.inc[0], "location"), "net/key/af_key.c:3000");
	release(&s);

	/* No stack and no ip: corrupted. */
	expect_first(&s,
		T("6.1") "BUG: unable to handle kernel NULL pointer dereference at 0000000000000008\n",
		KIND_OOPS, "BUG: unable to handle kernel NULL pointer dereference in corrupted", true);
	release(&s);

	/* A header cut before saying what failed names no function. */
	expect_first(&s, T("6.1") "BUG: unable to handle kernel \n",
		     KIND_OOPS, "BUG: unable to handle kernel", true);
	release(&s);

	/* arm "(f) from (g)" frames; the last caller is only in the "from". */
	expect_first(&s,
		T("6.1") "Internal error: Oops: 5 [#1] SMP ARM\n"
		T("6.2") "PC is at write_comp_data+0x10/0x20\n"
		T("6.3") "Backtrace:\n"
		T("6.4") "[<8011218c>] (write_comp_data) from [<8010e300>] (nfs_get_client+0x18/0x1c)\n",
		KIND_OOPS, "Internal error in write_comp_data", false);
	release(&s);
}

static void test_stalls_and_hangs(void **state)
{
	struct seen s;

	(void)state;
	/* The stall names the frame above the syscall entry, after the timer. */
	expect_first(&s,
		T("7.01") "rcu: INFO: rcu_sched self-detected stall on CPU\n"
		T("7.02") "rcu: RCU grace-period kthread stack dump:\n"
		T("7.03") "Call Trace:\n"
		T("7.04") " __schedule+0x87c/0x1ec0\n"
		T("7.05") " rcu_gp_kthread+0x743/0x1d20\n"
		T("7.06") " kthread+0x35a/0x420\n"
		T("7.07") "NMI backtrace for cpu 1\n"
		T("7.08") "Call Trace:\n"
		T("7.09") " <IRQ>\n"
		T("7.10") " dump_stack+0x1c9/0x2b4\n"
		T("7.11") " rcu_check_callbacks+0xd93/0x1660\n"
		T("7.12") " smp_apic_timer_interrupt+0x165/0x730\n"
		T("7.13") " apic_timer_interrupt+0xf/0x20\n"
		T("7.14") " </IRQ>\n"
		T("7.15") "RIP: 0010:_raw_spin_unlock_irq+0x56/0x70\n"
		T("7.16") " finish_task_switch+0x1d3/0x870\n"
		T("7.17") " futex_wait_queue_me+0x3f9/0x840\n"
		T("7.18") " do_futex+0x336/0x27d0\n"
		T("7.19") " __x64_sys_futex+0x472/0x6a0\n"
		T("7.20") " do_syscall_64+0x1b9/0x820\n",
		KIND_RCU_STALL, "INFO: rcu detected stall in sys_futex", false);
	release(&s);

	/* Spinning on a lock: the lock taker names the lockup. */
	expect_first(&s,
		T("7.1") "NMI watchdog: BUG: soft lockup - CPU#38 stuck for 22s! [qemu:51804]\n"
		T("7.2") "RIP: 0010:[<ffffffff81855d01>]  [<ffffffff81855d01>] _raw_spin_lock+0x21/0x30\n"
		T("7.3") "Call Trace:\n"
		T("7.4") " [<ffffffffc03d0b39>] tdp_page_fault+0x169/0x2a0 [kvm]\n"
		T("7.5") " [<ffffffffc03c8d1d>] kvm_mmu_page_fault+0x2d/0x120 [kvm]\n"
		T("7.6") " [<ffffffff8120f0a8>] do_vfs_ioctl+0x298/0x480\n",
		KIND_SOFT_LOCKUP, "BUG: soft lockup in tdp_page_fault", false);
	release(&s);

	/* Hung tasks skip waiting and locking; "? " frames never name it. */
	expect_first(&s,
		T("8.1") "INFO: task syz:6102 blocked for more than 120 seconds.\n"
		T("8.2") "      Not tainted 4.4.96+ #180\n"
		T("8.3") "Call Trace:\n"
		T("8.4") " [<ffffffff829f5a8c>] schedule+0x9c/0x1b0\n"
		T("8.5") " [<ffffffff829fb0c0>] mutex_lock_nested+0x3b0/0x1130\n"
		T("8.6") " [<ffffffff8223552c>] ? kmem_cache_alloc+0xcc/0x220\n"
		T("8.7") " [<ffffffff8223552c>] copy_net_ns+0xcc/0x220\n",
		KIND_HUNG_TASK, "INFO: task hung in copy_net_ns", false);
	release(&s);

	expect_first(&s,
		T("8.1") "INFO: task syz:12659 blocked for more than 120 seconds.\n"
		T("8.2") "Call Trace:\n"
		T("8.3") " __schedule+0x8eb/0x2060\n"
		T("8.4") " ? insert_work+0x5d0/0x5d0\n",
		KIND_HUNG_TASK, "INFO: task hung in corrupted", true);
	release(&s);
}

static void test_leaks_and_alloc(void **state)
{
	struct seen s;
	struct incident *inc;

	(void)state;
	expect_first(&s,
		T("9.1") "BUG: memory leak\n"
		T("9.2") "unreferenced object 0xffff888107b8a800 (size 1024):\n"
		T("9.3") "  comm \"syz\", pid 7141, jiffies 4294953052 (age 13.830s)\n"
		T("9.4") "  hex dump (first 32 bytes):\n"
		T("9.5") "    00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00  ................\n"
		T("9.6") "  backtrace:\n"
		T("9.7") "    [<00000000a6bfd3c4>] kmemleak_alloc_recursive include/linux/kmemleak.h:43 [inline]\n"
		T("9.8") "    [<00000000a6bfd3c4>] kmalloc_node+0x10/0x20\n"
		T("9.9") "    [<00000000f3d3b4a3>] map_create+0x10/0x200\n",
		KIND_KMEMLEAK, "memory leak in map_create", false);
	release(&s);

	inc = expect_first(&s,
		T("9.1") "syz: page allocation failure: order:4, mode:0x40d0(GFP_KERNEL|__GFP_COMP), nodemask=(null)\n"
		T("9.2") "Call Trace:\n"
		T("9.3") " dump_stack+0x10/0x20\n"
		T("9.4") " warn_alloc+0x10/0x20\n"
		T("9.5") " __alloc_pages_slowpath+0x10/0x20\n"
		T("9.6") " snd_seq_pool_init+0x10/0x200\n",
		KIND_PAGE_ALLOC_FAILURE, "page allocation failure in snd_seq_pool_init", false);
	assert_string_equal(extra(inc, "gfp_mask"), "0x40d0");
	assert_string_equal(extra(inc, "mode"), "0x40d0(GFP_KERNEL|__GFP_COMP)");
	assert_int_equal(incident_extra(inc, "order")->num, 4);
	release(&s);
}

static void test_host_errors(void **state)
{
	struct seen s;
	struct incident *inc;

	(void)state;
	inc = expect_first(&s,
		T("11.1") "blk_update_request: I/O error, dev sdb, sector 123456 op 0x0:(READ)\n",
		KIND_IO_ERROR, "I/O error on sdX", false);
	assert_string_equal(extra(inc, "device"), "sdb");
	assert_int_equal(incident_extra(inc, "sector")->num, 123456);
	release(&s);

	expect_first(&s, T("11.1") "nvme nvme0: I/O 123 QID 4 timeout, aborting\n",
		     KIND_IO_ERROR, "nvme: I/O timeout on nvmeX", false);
	release(&s);

	inc = expect_first(&s,
		T("11.1") "EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: comm ls: reading directory lblock 0\n",
		KIND_FS_ERROR, "EXT4-fs error in ext4_find_entry", false);
	assert_string_equal(extra(inc, "device"), "sda1");
	release(&s);

	expect_first(&s,
		T("11.1") "XFS (dm-0): metadata I/O error in \"xfs_trans_read_buf_map\" at daddr 0x1 len 8 error 5\n",
		KIND_FS_ERROR, "XFS: metadata I/O error in xfs_trans_read_buf_map", false);
	release(&s);

	inc = expect_first(&s,
		T("11.1") "mce: [Hardware Error]: CPU 3: Machine Check Exception: 5 Bank 4: b200000000070f0f\n",
		KIND_MCE, "mce: hardware error in bank 4", false);
	assert_int_equal(inc->task.cpu, 3);
	release(&s);

	inc = expect_first(&s,
		T("11.1") "unregister_netdevice: waiting for lo to become free. Usage count = 6\n",
		KIND_NETDEV, "unregister_netdevice: waiting for DEV to become free", false);
	assert_string_equal(extra(inc, "device"), "lo");
	release(&s);

	/* loop devices fail with their backing file: not a disk error */
	scan_text(T("11.1") "blk_update_request: I/O error, dev loop0, sector 0 op 0x0:(READ)\n"
		  T("11.2") "Buffer I/O error on dev loop0, logical block 0, async page read\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
}

static void test_panics(void **state)
{
	struct seen s;

	(void)state;
	expect_first(&s, T("12.1") "Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n",
		     KIND_PANIC, "kernel panic: Attempted to kill init!", false);
	release(&s);

	expect_first(&s, T("12.1") "Kernel panic - not syncing: Fatal exception in interrupt\n",
		     KIND_PANIC, "kernel panic: Fatal exception", false);
	release(&s);

	expect_first(&s,
		T("12.1") "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in: br_dev_xmit+0x10/0x20\n"
		T("12.2") "Call Trace:\n"
		T("12.3") " dump_stack+0x10/0x20\n"
		T("12.4") " panic+0x10/0x20\n"
		T("12.5") " __stack_chk_fail+0x10/0x20\n"
		T("12.6") " br_dev_xmit+0x10/0x20\n",
		KIND_PANIC, "kernel panic: stack is corrupted in br_dev_xmit", false);
	release(&s);
}

/* Restarts: the firmware banner after a running kernel, unless announced. */
static void test_reboots(void **state)
{
	struct seen s;

	(void)state;
	expect_first(&s,
		T("50.1") "syz-executor: Sending signal\n"
		T("50.2") "device lo entered promiscuous mode\n"
		"SeaBIOS (version 1.8.2-20171012_061934-google)\n"
		"Booting from Hard Disk 0...\n"
		"Booting the kernel.\n"
		"[    0.000000] Linux version 4.15.0 (syzkaller@ci) #54 SMP\n",
		KIND_REBOOT, "unexpected kernel reboot", false);
	assert_int_equal(s.n, 1);	/* one restart, three banners */
	assert_int_equal(s.inc[0]->source.line, 3);
	release(&s);

	/* A panic that said it reboots: the banner is expected. */
	scan_text(T("60.1") "Kernel panic - not syncing: Fatal exception\n"
		  T("60.2") "Rebooting in 86400 seconds..\n"
		  "SeaBIOS (version 1.8.2-20171012_061934-google)\n"
		  "Booting the kernel.\n", &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.inc[0]->kind, KIND_PANIC);
	release(&s);

	/* An orderly restart, and a capture that starts at power-on. */
	scan_text(T("70.1") "reboot: Restarting system\n"
		  "SeaBIOS (version 1.8.2)\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);
	scan_text("SeaBIOS (version 1.8.2)\n"
		  "Booting from Hard Disk 0...\n"
		  T("0.000000") "Linux version 6.1.0 (debian@debian) #1 SMP\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);

	/* A banner quoted inside a kernel message is not one. */
	scan_text(T("56.0") "ntfs3: Unknown parameter 'Decompressing Linux... Booting the kernel.'\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);

	/* A restart after a reboot: each one counts once. */
	scan_text(T("5.0") "eth0: link up\n"
		  "SeaBIOS (version 1.8.2)\n"
		  T("0.000000") "Linux version 6.1.0 #1 SMP\n"
		  T("9.0") "eth0: link up\n"
		  "SeaBIOS (version 1.8.2)\n", &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.inc[1]->kind, KIND_REBOOT);
	release(&s);
}

/* syzkaller's executor failing on a fuzzing VM's console. */
static void test_fuzzer_failures(void **state)
{
	struct seen s;

	(void)state;
	expect_first(&s, "SYZFAIL: SIGBUS\n", KIND_FUZZER_FAILURE, "SYZFAIL: SIGBUS", false);
	release(&s);
	expect_first(&s,
		"2022/10/02 11:34:15 SYZFATAL: executor 4 failed 11 times: failed to create "
		"temp dir: mkdir ./syzkaller-testdir264563108: read-only file system\n",
		KIND_FUZZER_FAILURE,
		"SYZFATAL: executor NUM failed NUM times: failed to create temp dir: "
		"mkdir ./syzkaller-testdirNUM: read-only file system", false);
	release(&s);
}

/* SLUB debug's object history: alone it opens a report, else it continues one. */
static void test_slub_history(void **state)
{
	struct seen s;

	(void)state;
	expect_first(&s,
		"** 5311 printk messages dropped ** " T("60.13") "INFO: Freed in fasync_free_rcu+0x14/0x20 age=624 cpu=0 pid=3\n"
		T("60.14") "\t__slab_free+0x18c/0x2b0\n"
		T("60.15") "\tkfree+0x10/0x20\n",
		KIND_BUG, "INFO: Freed in fasync_free_rcu age=NUM cpu=NUM pid=NUM", false);
	release(&s);

	/* Old KASAN prints a SLUB banner inside its own report. */
	expect_first(&s,
		T("96.01") "BUG: KASAN: use-after-free in sg_finish_rem_req+0x255/0x2f0 at addr ffff8800b903e960\n"
		T("96.02") "Read of size 4 by task syz-executor5/7148\n"
		T("96.03") "BUG fasync_cache (Tainted: G    B          ): kasan: bad access detected\n"
		T("96.04") "INFO: Allocated in fasync_helper+0x29/0x90 age=1 cpu=1 pid=6024\n"
		T("96.05") "\t___slab_alloc+0x10/0x20\n"
		T("96.06") "INFO: Freed in fasync_free_rcu+0x14/0x20 age=57 cpu=0 pid=18338\n"
		T("96.07") "Call Trace:\n"
		T("96.08") " [<ffffffff82564f65>] sg_finish_rem_req+0x255/0x2f0\n"
		T("96.09") " [<ffffffff82565f65>] sg_read+0x255/0x2f0\n",
		KIND_KASAN, "KASAN: use-after-free Read in sg_finish_rem_req", false);
	assert_int_equal(s.n, 1);
	release(&s);

	/* A SLUB report keeps its history lines. */
	expect_first(&s,
		T("9.1") "=============================================================================\n"
		T("9.2") "BUG kmalloc-128 (Not tainted): Redzone overwritten\n"
		T("9.3") "-----------------------------------------------------------------------------\n"
		T("9.4") "INFO: Allocated in nf_ct_ext_add+0x10/0x20 age=12 cpu=1 pid=77\n"
		T("9.5") "\t__kmalloc+0x10/0x20\n"
		T("9.6") "\tnf_ct_ext_add+0x10/0x20\n"
		T("9.7") "Call Trace:\n"
		T("9.8") " dump_stack+0x10/0x20\n"
		T("9.9") " check_bytes_and_report+0x10/0x20\n"
		T("9.10") " nf_conntrack_free+0x10/0x20\n",
		KIND_BUG, "BUG: Redzone overwritten in nf_conntrack_free", false);
	assert_int_equal(s.n, 1);
	release(&s);
}

/* Reports cut short: the header alone, or "corrupted", with the reason. */
static void test_cut_reports(void **state)
{
	struct seen s;
	struct incident *inc;

	(void)state;
	/* What failed was on a line that never came right after. */
	inc = expect_first(&s,
		T("1722.1") "BUG: unable to handle kernel \n"
		T("1722.2") "\n"
		T("1722.3") "paging request at ffffffff761cd3a8\n"
		T("1722.4") "IP: SyS_bpf+0x3c9/0x4c40 kernel/bpf/syscall.c:1443\n"
		T("1722.5") "PGD 5a25067 \n",
		KIND_OOPS, "BUG: unable to handle kernel", true);
	release(&s);
	/* ...and when it did, the usual title. */
	expect_first(&s,
		T("1.1") "BUG: unable to handle kernel \n"
		T("1.2") "paging request at ffffffff761cd3a8\n"
		T("1.3") "IP: map_create+0x3c9/0x4c40\n"
		T("1.4") "Oops: 0000 [#1] SMP KASAN\n"
		T("1.5") "Call Trace:\n"
		T("1.6") " map_create+0x3c9/0x4c40\n"
		T("1.7") " SyS_bpf+0x3c9/0x4c40\n",
		KIND_OOPS, "BUG: unable to handle kernel paging request in map_create", false);
	release(&s);

	/* Another report began before the RCU report named its dereference. */
	expect_first(&s,
		T("161.5") "WARNING: suspicious RCU usage\n"
		T("161.5") "4.14.0-next-20171127+ #53 Not tainted\n"
		T("161.6") "BUG: unable to handle kernel NULL pointer dereference at 0000000000000074\n"
		T("161.6") "IP: kfree+0xb2/0x250\n",
		KIND_LOCKDEP, "WARNING: suspicious RCU usage", true);
	release(&s);
	/* It named it, but its backtrace never came: a held lock is no title. */
	expect_first(&s,
		T("37.1") "[ INFO: suspicious RCU usage. ]\n"
		T("37.2") "4.9.0-rc4+ #47 Not tainted\n"
		T("37.3") "-------------------------------\n"
		T("37.4") "./include/linux/kvm_host.h:536 suspicious rcu_dereference_check() usage!\n"
		T("37.5") "1 lock held by syz-executor/3985:\n"
		T("37.6") " #0: \n"
		T("37.7") "(&vcpu->mutex){+.+.+.}, at: \n"
		T("37.8") "[<ffffffff81055862>] vcpu_load+0x22/0x70\n",
		KIND_LOCKDEP, "INFO: suspicious RCU usage in corrupted", true);
	release(&s);

	/* A stall report showing only a blocked reader caught nothing running. */
	inc = expect_first(&s,
		T("204.1") "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:\n"
		T("204.2") "rcu: \tTasks blocked on level-0 rcu_node (CPUs 0-1): P9294/1:b..l\n"
		T("204.3") "task:syz-executor    state:R  running task     stack:20832 pid:9294\n"
		T("204.4") "Call Trace:\n"
		T("204.5") " <TASK>\n"
		T("204.6") " __schedule+0x1335/0x44b0\n"
		T("204.7") " preempt_schedule+0xe2/0xf0\n"
		T("204.8") " netdev_info+0x124/0x180\n"
		T("204.9") " rtnl_newlink+0x1890/0x21a0\n"
		T("204.9") " rtnetlink_rcv_msg+0xa48/0xf30\n",
		KIND_RCU_STALL, "INFO: rcu detected stall in corrupted", true);
	assert_non_null(strstr(inc->corrupt_reason, "running"));
	release(&s);
}

static void test_more_title_rules(void **state)
{
	struct seen s;

	(void)state;
	/* irq lock inversion: the stack where the lock became irq-safe. */
	expect_first(&s,
		T("1137.1") "WARNING: HARDIRQ-safe -> HARDIRQ-unsafe lock order detected\n"
		T("1137.2") "syz/6133 [HC0[0]:SC0[0]:HE0:SE1] is trying to acquire:\n"
		T("1137.3") "ffff888026df22b8 (&new->fa_lock){.+.+}-{2:2}, at: kill_fasync+0x14b/0x460\n"
		T("1137.4") "and this task is already holding:\n"
		T("1137.5") "ffff888022a48498 (&ctx->completion_lock#2){-...}-{2:2}, at: io_submit_flush_completions+0x4d/0x3a0\n"
		T("1137.6") "which would create a new lock dependency:\n"
		T("1137.7") "but this new dependency connects a HARDIRQ-irq-safe lock:\n"
		T("1137.8") " (&ctx->completion_lock#2){-...}-{2:2}\n"
		T("1137.9") "... which became HARDIRQ-irq-safe at:\n"
		T("1137.10") "  lock_acquire+0x1f2/0xaa0\n"
		T("1137.11") "  _raw_spin_lock_irqsave+0x39/0x50\n"
		T("1137.12") "  io_timeout_fn+0x6f/0x3d0\n"
		T("1137.13") "  __hrtimer_run_queues+0x609/0xe40\n"
		T("1137.14") "to a HARDIRQ-irq-unsafe lock:\n"
		T("1137.15") " (&new->fa_lock){.+.+}-{2:2}\n"
		T("1137.16") "... which became HARDIRQ-irq-unsafe at:\n"
		T("1137.17") "  lock_acquire+0x1f2/0xaa0\n"
		T("1137.18") "  _raw_read_lock+0x5b/0x70\n"
		T("1137.19") "  kill_fasync+0x14b/0x460\n"
		T("1137.20") "stack backtrace:\n"
		T("1137.21") "Call Trace:\n"
		T("1137.22") " dump_stack+0x107/0x163\n"
		T("1137.23") " kill_fasync+0x14b/0x460\n"
		T("1137.24") " io_commit_cqring+0x10/0x20\n",
		KIND_LOCKDEP, "possible deadlock in io_timeout_fn", false);
	release(&s);

	/* inconsistent lock state: the backtrace, not where the state was registered. */
	expect_first(&s,
		T("1336.1") "WARNING: inconsistent lock state\n"
		T("1336.2") "inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage.\n"
		T("1336.3") "syz-executor.3/9712 [HC0[0]:SC0[0]:HE1:SE1] takes:\n"
		T("1336.4") "ffff0000d10c2577 (&folio_wait_table[i]){?.-.}-{2:2}, at: _atomic_dec_and_lock+0xc8/0x130\n"
		T("1336.5") "{IN-HARDIRQ-W} state was registered at:\n"
		T("1336.6") "  lock_acquire+0x10/0x20\n"
		T("1336.7") "  folio_wake_bit+0x10/0x20\n"
		T("1336.8") "  end_buffer_async_read+0x10/0x20\n"
		T("1336.9") "stack backtrace:\n"
		T("1336.10") "Call trace:\n"
		T("1336.11") " dump_stack+0x10/0x20\n"
		T("1336.12") " _atomic_dec_and_lock+0xc8/0x130\n"
		T("1336.13") " iput+0x10/0x20\n"
		T("1336.14") " ntfs_fill_super+0x10/0x20\n",
		KIND_LOCKDEP, "inconsistent lock state in ntfs_fill_super", false);
	release(&s);

	/* A hung task's report carries another CPU's registers: not the task's. */
	expect_first(&s,
		T("143.1") "INFO: task syz-executor:9100 blocked for more than 120 seconds.\n"
		T("143.2") "Call Trace:\n"
		T("143.3") " schedule+0x10/0x20\n"
		T("143.4") " __down+0x10/0x20\n"
		T("143.5") " console_lock+0x10/0x20\n"
		T("143.6") " console_device+0x10/0x20\n"
		T("143.7") " tty_open+0x10/0x20\n"
		T("143.8") "NMI backtrace for cpu 1\n"
		T("143.9") "RIP: 0010:io_serial_in+0x10/0x20\n"
		T("143.10") "Call Trace:\n"
		T("143.11") " serial8250_console_putchar+0x10/0x20\n",
		KIND_HUNG_TASK, "INFO: task hung in console_device", false);
	release(&s);

	/* A stack overflow is named like a stall: above the dispatcher. */
	expect_first(&s,
		T("90.1") "BUG: stack guard page was hit at 00000000a3ccc3d9 (stack is 0000000035e8d4c5..00000000e7aa1aba)\n"
		T("90.2") "kernel stack overflow (double-fault): 0000 [#1] PREEMPT SMP KASAN\n"
		T("90.3") "RIP: 0010:netdev_next_lower_dev_rcu+0x10/0x20\n"
		T("90.4") "Call Trace:\n"
		T("90.5") " bond_get_stats+0x10/0x20\n"
		T("90.6") " dev_get_stats+0x10/0x20\n"
		T("90.7") " bond_get_stats+0x10/0x20\n"
		T("90.8") " rtnl_fill_ifinfo+0x10/0x20\n"
		T("90.9") " rtnl_newlink+0x10/0x20\n"
		T("90.10") " rtnetlink_rcv_msg+0x10/0x20\n"
		T("90.11") " netlink_rcv_skb+0x10/0x20\n",
		KIND_BUG, "BUG: stack guard page was hit in rtnl_newlink", false);
	release(&s);

	/* The unwinder's complaint is a warning without a trace. */
	expect_first(&s,
		T("72.1") "WARNING: kernel stack frame pointer at ffff88003e1f7f40 in migration/1:14 has bad value ffffffff85632fb0\n"
		T("72.2") "unwind stack type:0 next_sp:          (null) mask:0x6 graph_idx:0\n"
		T("72.3") "ffff88003ed06ef0: ffff88003ed06f78 (0xffff88003ed06f78)\n"
		T("99.0") "eth0: link up\n",
		KIND_WARNING, "WARNING: kernel stack frame pointer has bad value", false);
	release(&s);
	/* ...while a program's "WARNING:" with no trace is not the kernel's. */
	scan_text(T("5.1") "WARNING: The mand mount option has been deprecated and\n"
		  T("5.2") "         and is ignored by this kernel.\n", &s);
	assert_int_equal(s.n, 0);
	release(&s);

	/* The WARN message after the WARNING line (arm) still specialises it. */
	expect_first(&s,
		T("7978.1") "------------[ cut here ]------------\n"
		T("7978.2") "WARNING: CPU: 0 PID: 7864 at lib/debugobjects.c:505 debug_print_object+0xb0/0xc4\n"
		T("7979.1") "ODEBUG: free active (active state 0) object type: timer_list hint: delayed_work_timer_fn+0x0/0x28\n"
		T("7979.2") "Modules linked in:\n"
		T("7979.3") "Kernel panic - not syncing: panic_on_warn set ...\n"
		T("7979.4") "Backtrace: \n"
		T("7979.5") "[<8143e7b8>] (debug_print_object) from [<8144001c>] (debug_check_no_obj_freed+0x1f8/0x244)\n"
		T("7979.6") "[<8143fe24>] (debug_check_no_obj_freed) from [<8049290c>] (slab_free_freelist_hook+0xd8/0x16c)\n"
		T("7979.7") "[<80492834>] (slab_free_freelist_hook) from [<8049631c>] (kfree+0xfc/0x4b8)\n"
		T("7979.8") "[<80496220>] (kfree) from [<8040c948>] (kvfree+0x54/0x5c)\n"
		T("7979.9") "[<8040c8f4>] (kvfree) from [<829b9504>] (netdev_freemem+0x24/0x28)\n"
		T("7979.10") "[<829b94e0>] (netdev_freemem) from [<829b9c44>] (netdev_release+0x3c/0x48)\n",
		KIND_WARNING, "WARNING: ODEBUG bug in netdev_freemem", false);
	release(&s);

	/* vmalloc's one WARN_ON is a zero size. */
	expect_first(&s,
		T("3.1") "WARNING: CPU: 1 PID: 2949 at mm/vmalloc.c:3132 __vmalloc_node_range+0x44c/0x584\n"
		T("3.2") "RIP: 0010:__vmalloc_node_range+0x44c/0x584\n"
		T("3.3") "Call Trace:\n"
		T("3.4") " vmalloc_user+0x6c/0x74\n"
		T("3.5") " xskq_create+0x10/0x20\n",
		KIND_WARNING, "WARNING: zero-size vmalloc in xskq_create", false);
	release(&s);

	/* Helpers named *copy_to_user* relay the access; a leak's allocators too. */
	expect_first(&s,
		T("4.1") "WARNING: suspicious RCU usage\n"
		T("4.2") "kernel/sched/core.c:6152 Illegal context switch in RCU read-side critical section!\n"
		T("4.3") "stack backtrace:\n"
		T("4.4") "Call Trace:\n"
		T("4.5") " dump_stack+0x10/0x20\n"
		T("4.6") " _copy_to_user+0x10/0x20\n"
		T("4.7") " bpf_prog_array_copy_to_user+0x10/0x20\n"
		T("4.8") " bpf_prog_array_copy_info+0x10/0x20\n",
		KIND_LOCKDEP, "WARNING: suspicious RCU usage in bpf_prog_array_copy_info", false);
	release(&s);
	expect_first(&s,
		T("9.1") "BUG: memory leak\n"
		T("9.2") "unreferenced object 0xffff888107b8a800 (size 1024):\n"
		T("9.3") "  backtrace:\n"
		T("9.4") "    [<00000000a6bfd3c4>] __kmalloc+0x10/0x20\n"
		T("9.5") "    [<00000000a6bfd3c4>] pcpu_create_chunk+0x10/0x20\n"
		T("9.6") "    [<00000000a6bfd3c4>] __alloc_percpu_gfp+0x10/0x20\n"
		T("9.7") "    [<00000000a6bfd3c4>] htab_map_alloc+0x10/0x20\n"
		T("9.8") "    [<00000000f3d3b4a3>] map_create+0x10/0x200\n",
		KIND_KMEMLEAK, "memory leak in map_create", false);
	release(&s);
}

static void test_func_cleanup(void **state)
{
	char buf[64];

	(void)state;
	generic_frame_clean_name("__x64_sys_rmdir", buf, sizeof(buf));
	assert_string_equal(buf, "sys_rmdir");
	generic_frame_clean_name("__se_sys_memfd_secret", buf, sizeof(buf));
	assert_string_equal(buf, "memfd_secret");
	generic_frame_clean_name("compat_SyS_mount", buf, sizeof(buf));
	assert_string_equal(buf, "mount");
	generic_frame_clean_name("do_con_write.part.23", buf, sizeof(buf));
	assert_string_equal(buf, "do_con_write");
	generic_frame_clean_name("pn533_send_complete.cold", buf, sizeof(buf));
	assert_string_equal(buf, "pn533_send_complete");
	assert_true(generic_frame_is("_raw_spin_lock_irqsave", KIND_OOPS));
	assert_true(generic_frame_is("mutex_lock_nested", KIND_HUNG_TASK));
	assert_false(generic_frame_is("rtnl_lock", KIND_HUNG_TASK));
	assert_false(generic_frame_is("kvm_zap_rmapp", KIND_OOPS));
}

/* Garbage, NULs, truncation and huge lines must not crash or hang. */
static void test_bad_input(void **state)
{
	struct seen s;
	size_t n = 1 << 20;
	char *big = malloc(n + 64);
	unsigned flags;

	(void)state;
	assert_non_null(big);
	memcpy(big, "BUG: KASAN: use-after-free in ", 30);
	memset(big + 30, 'a', n - 30);
	big[n] = '\n';
	big[n + 1] = '\0';
	scan_text(big, &s);
	release(&s);
	assert_int_equal(classify_start("WARNING: ", 9, &flags), KIND_WARNING);
	assert_int_equal(classify_start("", 0, &flags), KIND_NONE);
	assert_int_equal(classify_start("Oops: ", 6, &flags), KIND_NONE);
	scan_text("BUG: KCSAN: data-race in  / \nRead of size\n-> #\n, at: \nlast function: \n"
		  "WARNING: [\nWARNING: [x\nKernel panic - not syncing\n"
		  "[<80101000>] (\n[<80101000>] (f) from [<80101000>] (\n", &s);
	release(&s);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kasan_read_write),
		cmocka_unit_test(test_other_sanitizers),
		cmocka_unit_test(test_lockdep),
		cmocka_unit_test(test_bug_messages),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_faults_and_traps),
		cmocka_unit_test(test_stalls_and_hangs),
		cmocka_unit_test(test_leaks_and_alloc),
		cmocka_unit_test(test_host_errors),
		cmocka_unit_test(test_panics),
		cmocka_unit_test(test_reboots),
		cmocka_unit_test(test_fuzzer_failures),
		cmocka_unit_test(test_slub_history),
		cmocka_unit_test(test_cut_reports),
		cmocka_unit_test(test_more_title_rules),
		cmocka_unit_test(test_func_cleanup),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
