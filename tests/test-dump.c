/*
** Unit tests for sysrq dumps, held-locks lists and workqueue lockups: each
** test scans a short log through the scan pipeline and the grouper and
** checks what a person reads in the records.
*/
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dump.h"
#include "group.h"
#include "locks.h"
#include "scan.h"
#include "util.h"

#define MAX_GOT 64

struct got {
	struct incident *inc[MAX_GOT];
	size_t n;
};

static void keep(void *data, struct incident *inc)
{
	struct got *g = data;

	if (g->n < MAX_GOT)
		g->inc[g->n++] = inc;
	else
		incident_free(inc);
}

static void to_grouper(void *data, struct incident *inc)
{
	grouper_add(data, inc);
}

/* Scan text; with group, the records go through the grouper as in ksift scan. */
static void scan_text(struct got *g, const char *text, bool group)
{
	struct scan_options opts = { 0 };
	struct grouper *gr = group ? grouper_new(keep, g) : NULL;
	struct scan_hooks hooks = { group ? to_grouper : keep, NULL, group ? (void *)gr : g, NULL };
	struct scan_stats stats;
	char path[64];
	int fd = memfd_create("t", 0);

	memset(g, 0, sizeof(*g));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	assert_int_equal(scan_input(path, &opts, &hooks, &stats), 0);
	grouper_finish(gr);
	close(fd);
}

static void release_all(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		incident_free(g->inc[i]);
}

static const char *str(const struct incident *inc, const char *k)
{
	const struct extra *e = incident_extra(inc, k);
	return e && e->str ? e->str : "";
}

static long long num(const struct incident *inc, const char *k)
{
	const struct extra *e = incident_extra(inc, k);
	return e ? e->num : -1;
}

static void sysrq_keys(void **state)
{
	(void)state;
	assert_int_equal(dump_sysrq_key("sysrq: Show Blocked State", 25), 'w');
	assert_int_equal(dump_sysrq_key("SysRq : Show State", 18), 't');
	assert_int_equal(dump_sysrq_key("sysrq: SysRq : Show Memory", 26), 'm');
	assert_int_equal(dump_sysrq_key("sysrq: Show backtrace of all active CPUs", 40), 'l');
	assert_int_equal(dump_sysrq_key("sysrq: Trigger a crash", 22), 'c');
	/* only the whole action message counts */
	assert_int_equal(dump_sysrq_key("sysrq: Show State of things", 27), 0);
	assert_int_equal(dump_sysrq_key("sysrq: HELP : loglevel(0-9)", 27), 0);
	assert_int_equal(dump_sysrq_key("sshd: Show State", 16), 0);
}

static void task_lines(void **state)
{
	static const char *const yes[] = {
		"task:ip              state:D stack:0     pid:2211  ppid:2200   flags:0x00004002",
		"kworker/0:1     D ffff88103fc53180     0    18      2 0x00000000",
		"ip              D    0  1747   1746 0x00000080",
		"syz-executor.5  D29496  9850  19518 0x00000004",
		"bash            R  running task        0  4410   4400 0x00000008",
	};
	static const char *const no[] = {
		"INFO: task ip:1747 blocked for more than 120 seconds.",
		"e1000e 0000:00:19.0 eth0: flags 0x00000000",
		"task: ffff8800b8a10000 ti: ffff8800b8a14000 task.ti: ffff8800b8a14000",
		" ffff881fe7cbfd88 0000000000000086 ffff881fe8f43800 ffff881fe7cc0000",
	};
	struct incident *inc = incident_new(KIND_SYSRQ_TASKS);

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(yes); i++)
		assert_true(dump_is_task_line(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < ARRAY_SIZE(no); i++)
		assert_false(dump_is_task_line(no[i], strlen(no[i])));
	/* the glued free-stack field does not shift pid and ppid */
	assert_true(dump_parse_task_line(inc, yes[3], strlen(yes[3])));
	assert_string_equal(inc->task.comm, "syz-executor.5");
	assert_string_equal(inc->task.state, "D");
	assert_int_equal(inc->task.pid, 9850);
	assert_int_equal(num(inc, "ppid"), 19518);
	incident_free(inc);
}

#define TASK_W(t, comm, pid, where, lock_fn)                                          \
	"[" t "] task:" comm " state:D stack:0 pid:" pid " ppid:1 flags:0x00004000\n"    \
	"[" t "] Call Trace:\n"                                                          \
	"[" t "]  <TASK>\n"                                                              \
	"[" t "]  __schedule+0x351/0xa20\n"                                              \
	"[" t "]  schedule+0x5d/0xe0\n"                                                  \
	"[" t "]  " lock_fn "\n"                                                         \
	"[" t "]  " where "\n"                                                           \
	"[" t "]  do_syscall_64+0x58/0xc0\n"                                             \
	"[" t "]  </TASK>\n"

/* sysrq-w then sysrq-d: one record per stack, and the blocked group names
   the lock it waits for and who holds it. */
static void blocked_dump_points_at_holder(void **state)
{
	const char *log =
		"[  100.000000] sysrq: Show Blocked State\n"
		TASK_W("  100.000100", "ip", "11", "copy_net_ns+0x12b/0x2c0",
		       "down_read_killable+0x4d/0x70")
		TASK_W("  100.000200", "ip", "12", "copy_net_ns+0x12b/0x2c0",
		       "down_read_killable+0x4d/0x70")
		TASK_W("  100.000300", "jbd2/vda1-8", "301", "jbd2_journal_commit_transaction+0x16a4/0x1ad0",
		       "io_schedule+0x42/0x70")
		"[  101.000000] sysrq: Show All Locks Held\n"
		"[  101.000001] Showing all locks held in the system:\n"
		"[  101.000002] 2 locks held by kworker/u8:3/88:\n"
		"[  101.000003]  #0: ffff8f1c40071938 ((wq_completion)netns){+.+.}-{0:0}, at: process_one_work+0x1f3/0x580\n"
		"[  101.000004]  #1: ffffffff9a5c1d30 (pernet_ops_rwsem){++++}-{3:3}, at: cleanup_net+0x4a/0x3b0\n"
		"[  101.000005] 1 lock held by ip/11:\n"
		"[  101.000006]  #0: ffffffff9a5c1d30 (pernet_ops_rwsem){++++}-{3:3}, at: copy_net_ns+0xe8/0x2c0\n"
		"[  101.000007] 1 lock held by ip/12:\n"
		"[  101.000008]  #0: ffffffff9a5c1d30 (pernet_ops_rwsem){++++}-{3:3}, at: copy_net_ns+0xe8/0x2c0\n"
		"[  101.000009] 1 lock held by jbd2/vda1-8/301:\n"
		"[  101.000010]  #0: ffff8f1c4a2b6948 (jbd2_handle){++++}-{0:0}, at: start_this_handle+0x10f/0x540\n"
		"[  101.000011] \n"
		"[  101.000012] =============================================\n"
		"[  130.000000] EXT4-fs (vda1): mounted filesystem with ordered data mode.\n";
	struct got g;

	(void)state;
	/* --no-group: one record per task, plus the locks record */
	scan_text(&g, log, false);
	assert_int_equal(g.n, 4);
	assert_int_equal(g.inc[0]->kind, KIND_SYSRQ_TASKS);
	assert_string_equal(g.inc[0]->title, "sysrq: task blocked in copy_net_ns");
	assert_string_equal(str(g.inc[0], "sysrq"), "w");
	assert_int_equal(g.inc[0]->task.pid, 11);
	assert_int_equal(g.inc[3]->kind, KIND_SYSRQ_LOCKS);
	assert_int_equal(g.inc[3]->nr_held, 4);
	assert_string_equal(g.inc[3]->held[0].comm, "kworker/u8:3");
	assert_int_equal(g.inc[3]->held[0].pid, 88);
	assert_string_equal(g.inc[3]->held[0].locks[0].name, "(wq_completion)netns");
	assert_string_equal(g.inc[3]->held[0].locks[1].at, "cleanup_net+0x4a/0x3b0");
	release_all(&g);

	scan_text(&g, log, true);
	assert_int_equal(g.n, 3);
	assert_int_equal(num(g.inc[0], "count"), 2);
	assert_int_equal(g.inc[0]->nr_members, 2);
	assert_string_equal(str(g.inc[0], "waiting_for"), "pernet_ops_rwsem");
	assert_string_equal(g.inc[0]->members[1].lock, "pernet_ops_rwsem");
	assert_string_equal(str(g.inc[0], "lock_holders"), "kworker/u8:3/88 at cleanup_net+0x4a/0x3b0");
	assert_non_null(strstr(str(g.inc[0], "summary"),
			       "2 tasks in D state blocked in copy_net_ns"));
	/* jbd2 sleeps on I/O, not on a lock: the lock it holds is not "waited for" */
	assert_string_equal(g.inc[1]->title, "sysrq: task blocked in jbd2_journal_commit_transaction");
	assert_null(incident_extra(g.inc[1], "waiting_for"));
	assert_int_equal(g.inc[2]->kind, KIND_SYSRQ_LOCKS);
	release_all(&g);
}

/* Old kernels: "SysRq : Show State", task lines with a saved PC and stack
   words; the dump ends and later task-like lines are not tasks. */
static void old_show_state_dump(void **state)
{
	const char *log =
		"[88213.500001] SysRq : Show State\n"
		"[88213.500002]   task                        PC stack   pid father\n"
		"[88213.500003] rsyslogd        S ffff88103fc53180     0   811      1 0x00000000\n"
		"[88213.500004]  ffff881fe7cbfd88 0000000000000086 ffff881fe8f43800 ffff881fe7cc0000\n"
		"[88213.500005] Call Trace:\n"
		"[88213.500006]  [<ffffffff81830b5e>] schedule+0x35/0x80\n"
		"[88213.500007]  [<ffffffff81830b5e>] ep_poll+0x27f/0x350\n"
		"[88213.500008] haproxy         S ffff88103fc53180     0  1201      1 0x00000000\n"
		"[88213.500009] Call Trace:\n"
		"[88213.500010]  [<ffffffff81830b5e>] schedule+0x35/0x80\n"
		"[88213.500011]  [<ffffffff81830b5e>] ep_poll+0x27f/0x350\n"
		"[88213.500012] bash            R  running task        0  4410   4400 0x00000008\n"
		"[88213.500013] Call Trace:\n"
		"[88213.500014]  [<ffffffff81830b5e>] sched_show_task+0xc1/0x130\n"
		"[88213.500015]  [<ffffffff81830b5e>] do_something_busy+0x10/0x20\n"
		"[88300.000000] hung_helper     D ffff88103fc53180     0    99      1 0x00000000\n";
	struct got g;

	(void)state;
	scan_text(&g, log, true);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.inc[0]->title, "sysrq: task sleeping in ep_poll");
	assert_int_equal(num(g.inc[0], "count"), 2);
	assert_string_equal(g.inc[0]->members[0].comm, "rsyslogd");
	assert_int_equal(g.inc[0]->members[1].pid, 1201);
	assert_string_equal(g.inc[1]->title, "sysrq: task running in do_something_busy");
	assert_string_equal(g.inc[1]->task.state, "R");
	release_all(&g);
}

static void cpu_backtraces(void **state)
{
	const char *log =
		"[ 4410.100001] sysrq: Show backtrace of all active CPUs\n"
		"[ 4410.100002] NMI backtrace for cpu 0\n"
		"[ 4410.100003] CPU: 0 PID: 2900 Comm: qemu-system-x86 Not tainted 5.10.0-28-amd64 #1\n"
		"[ 4410.100004] RIP: 0010:native_queued_spin_lock_slowpath+0x66/0x1e0\n"
		"[ 4410.100005] Call Trace:\n"
		"[ 4410.100006]  _raw_spin_lock+0x1a/0x20\n"
		"[ 4410.100007]  kvm_mmu_page_fault+0x3a4/0x7b0 [kvm]\n"
		"[ 4410.100008] NMI backtrace for cpu 1 skipped: idling at native_safe_halt+0xe/0x10\n"
		"[ 4410.100009] NMI backtrace for cpu 3\n"
		"[ 4410.100010] CPU: 3 PID: 2903 Comm: qemu-system-x86 Not tainted 5.10.0-28-amd64 #1\n"
		"[ 4410.100011] RIP: 0010:native_queued_spin_lock_slowpath+0x66/0x1e0\n"
		"[ 4410.100012] Call Trace:\n"
		"[ 4410.100013]  _raw_spin_lock+0x1a/0x20\n"
		"[ 4410.100014]  kvm_mmu_page_fault+0x3a4/0x7b0 [kvm]\n";
	struct got g;

	(void)state;
	scan_text(&g, log, true);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.inc[0]->kind, KIND_SYSRQ_CPUS);
	assert_string_equal(g.inc[0]->title, "sysrq: CPU backtrace in kvm_mmu_page_fault");
	assert_int_equal(g.inc[0]->nr_members, 2);
	assert_int_equal(g.inc[0]->members[1].cpu, 3);
	assert_string_equal(g.inc[1]->title, "sysrq: CPU idle");
	assert_int_equal(g.inc[1]->task.cpu, 1);
	release_all(&g);
}

static void show_memory(void **state)
{
	const char *log =
		"[ 1200.000001] sysrq: Show Memory\n"
		"[ 1200.000002] Mem-Info:\n"
		"[ 1200.000003] active_anon:100 inactive_anon:0 isolated_anon:0\n"
		"[ 1200.000004]  slab_reclaimable:10 slab_unreclaimable:3000\n"
		"[ 1200.000005]  free:1000 free_pcp:0 free_cma:0\n"
		"[ 1200.000006] Node 0 Normal free:16000kB boost:0kB min:100kB present:17000kB managed:16384kB\n"
		"[ 1200.000007] lowmem_reserve[]: 0 0 0 0\n"
		"[ 1200.000008] Free swap  = 512kB\n"
		"[ 1200.000009] Total swap = 1024kB\n"
		"[ 1200.000010] 4096 pages RAM\n"
		"[ 1200.000011] systemd-journald[312]: Under memory pressure, flushing caches.\n";
	struct got g;

	(void)state;
	scan_text(&g, log, true);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.inc[0]->kind, KIND_SYSRQ_MEM);
	/* the record ends where show_mem() ends */
	assert_int_equal(g.inc[0]->source.end_line, 10);
	/* 16000 kB free in 1000 pages: 16 kB pages */
	assert_int_equal(num(g.inc[0], "free_kb"), 16000);
	assert_int_equal(num(g.inc[0], "slab_unreclaimable_kb"), 48000);
	assert_int_equal(num(g.inc[0], "swap_total_kb"), 1024);
	assert_non_null(strstr(str(g.inc[0], "summary"), "of RAM"));
	release_all(&g);
}

/* The lists lockdep prints, without addresses on old kernels. */
static void lock_lists(void **state)
{
	struct incident *inc = incident_new(KIND_HUNG_TASK);
	static const char *const lines[] = {
		"2 locks held by kworker/u4:7/338:",
		" #0:  (&mm->mmap_sem){++++++}, at: [<ffffffff8106ee3a>] __do_page_fault+0x17a/0x4b0",
		" #1: ffff8880ae622ec8 (&per_cpu_ptr(group->pcpu, cpu)->seq){-.-.}-{0:0}, at: psi_task_switch+0x304/0x410",
		"no locks held by bash/4410.",
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(lines); i++)
		assert_true(locks_parse_line(inc, lines[i], strlen(lines[i])));
	assert_false(locks_parse_line(inc, "Call Trace:", 11));
	assert_int_equal(inc->nr_held, 2);
	assert_int_equal(inc->held[0].nr, 2);
	assert_string_equal(inc->held[0].locks[0].name, "&mm->mmap_sem");
	assert_null(inc->held[0].locks[0].addr);
	assert_string_equal(inc->held[0].locks[0].at, "__do_page_fault+0x17a/0x4b0");
	assert_string_equal(inc->held[0].locks[1].name, "&per_cpu_ptr(group->pcpu, cpu)->seq");
	assert_string_equal(inc->held[0].locks[1].addr, "ffff8880ae622ec8");
	assert_string_equal(inc->held[1].comm, "bash");
	assert_int_equal(inc->held[1].nr, 0);
	/* a task blocked on mmap_sem: held by the other task that lists it */
	{
		struct task_locks *w = incident_add_task_locks(inc, "ps", 2, 77);
		struct held_lock *hl = task_locks_add(w);
		struct strbuf who = STRBUF_INIT;
		hl->name = xstrdup("&mm->mmap_sem");
		assert_ptr_equal(locks_waited_for(inc->held, inc->nr_held, "ps", 77), hl);
		assert_int_equal(locks_holders(inc->held, inc->nr_held, hl, NULL, NULL, &who), 2);
		assert_string_equal(who.buf, "kworker/u4:7/338 at __do_page_fault+0x17a/0x4b0, ps/77");
		strbuf_release(&who);
	}
	incident_free(inc);
}

static void workqueue_lockup(void **state)
{
	const char *log =
		"[ 2210.500001] BUG: workqueue lockup - pool cpus=1 node=0 flags=0x0 nice=0 stuck for 41s!\n"
		"[ 2210.500002] Showing busy workqueues and worker pools:\n"
		"[ 2210.500003] workqueue events: flags=0x0\n"
		"[ 2210.500004]   pwq 2: cpus=1 node=0 flags=0x0 nice=0 active=3/256 refcnt=4\n"
		"[ 2210.500005]     in-flight: 1234:mlx5e_tx_timeout_work [mlx5_core]\n"
		"[ 2210.500006]     pending: vmstat_shepherd, psi_avgs_work\n"
		"[ 2210.500007]   pwq 0: cpus=0 node=0 flags=0x0 nice=0 active=1/256 refcnt=2\n"
		"[ 2210.500008]     in-flight: 77:unrelated_work\n"
		"[ 2210.500009] pool 2: cpus=1 node=0 flags=0x0 nice=0 hung=41s workers=3 idle: 5678 91\n"
		"[ 2210.500010] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex\n";
	struct got g;

	(void)state;
	scan_text(&g, log, true);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.inc[0]->title, "BUG: workqueue lockup");
	assert_int_equal(num(g.inc[0], "stuck_seconds"), 41);
	/* only the work in flight on the stuck pool */
	assert_string_equal(str(g.inc[0], "in_flight"), "events:mlx5e_tx_timeout_work(1234)");
	assert_int_equal(num(g.inc[0], "pending_works"), 2);
	/* the unrelated message after the dump is not part of the report */
	assert_int_equal(g.inc[0]->source.end_line, 9);
	{
		/* the hash tells pools stuck behind different work apart */
		char h1[17], h2[17];
		struct got g2;
		memcpy(h1, g.inc[0]->hash, sizeof(h1));
		scan_text(&g2, "[ 1.000001] BUG: workqueue lockup - pool cpus=0 node=0 flags=0x0 nice=0 stuck for 30s!\n"
			       "[ 1.000002] workqueue events: flags=0x0\n"
			       "[ 1.000003]   pwq 0: cpus=0 node=0 flags=0x0 nice=0 active=1/256 refcnt=2\n"
			       "[ 1.000004]     in-flight: 9:other_work_fn\n", true);
		assert_int_equal(g2.n, 1);
		memcpy(h2, g2.inc[0]->hash, sizeof(h2));
		assert_string_not_equal(h1, h2);
		release_all(&g2);
		scan_text(&g2, "[ 1.000001] BUG: workqueue lockup - pool cpus=3 node=0 flags=0x0 nice=0 stuck for 90s!\n"
			       "[ 1.000002] workqueue events: flags=0x0\n"
			       "[ 1.000003]   pwq 6: cpus=3 node=0 flags=0x0 nice=0 active=1/256 refcnt=2\n"
			       "[ 1.000004]     in-flight: 4321:mlx5e_tx_timeout_work [mlx5_core]\n", true);
		assert_string_equal(g2.inc[0]->hash, h1);
		release_all(&g2);
	}
	release_all(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sysrq_keys),
		cmocka_unit_test(task_lines),
		cmocka_unit_test(blocked_dump_points_at_holder),
		cmocka_unit_test(old_show_state_dump),
		cmocka_unit_test(cpu_backtraces),
		cmocka_unit_test(show_memory),
		cmocka_unit_test(lock_lists),
		cmocka_unit_test(workqueue_lockup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
