/*
** Unit tests for the record parsers and the boot context: each test feeds a
** short report through the scan pipeline and checks the fields a user reads.
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

#include "scan.h"
#include "util.h"

struct got {
	struct incident *inc[8];
	size_t n;
	char release[64], hardware[128], hypervisor[32], cmdline[128];
	size_t boots, boot_lines;
};

static void keep(void *data, struct incident *inc)
{
	struct got *g = data;

	if (g->n < 8)
		g->inc[g->n++] = inc;
	else
		incident_free(inc);
}

static void boot_end(void *data, const struct boot_context *ctx)
{
	struct got *g = data;

	g->boots++;
	if (ctx->release)
		snprintf(g->release, sizeof(g->release), "%s", ctx->release);
	if (ctx->hardware)
		snprintf(g->hardware, sizeof(g->hardware), "%s", ctx->hardware);
	if (ctx->hypervisor)
		snprintf(g->hypervisor, sizeof(g->hypervisor), "%s", ctx->hypervisor);
	if (ctx->cmdline)
		snprintf(g->cmdline, sizeof(g->cmdline), "%s", ctx->cmdline);
	if (ctx->nr_boot_lines > g->boot_lines)
		g->boot_lines = ctx->nr_boot_lines;
}

static void scan_text(struct got *g, const char *text)
{
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { keep, boot_end, g, NULL };
	struct scan_stats stats;
	char path[64];
	int fd = memfd_create("t", 0);

	memset(g, 0, sizeof(*g));
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	assert_int_equal(scan_input(path, &opts, &hooks, &stats), 0);
	close(fd);
}

static void release_all(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		incident_free(g->inc[i]);
}

static const char *extra_s(const struct incident *inc, const char *k)
{
	const struct extra *e = incident_extra(inc, k);
	return e && e->str ? e->str : NULL;
}

static long long extra_n(const struct incident *inc, const char *k)
{
	const struct extra *e = incident_extra(inc, k);
	return e ? e->num : -1;
}

static void hung_task_old_and_new(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"[ 10.0] INFO: task kworker/u97:2:41233 blocked for more than 120 seconds.\n"
		"[ 10.0]       Tainted: G           OE   4.4.0-21-generic #37-Ubuntu\n"
		"[ 10.0] kworker/u97:2   D ffff881fb3e0fc28     0 41233      2 0x00000000\n"
		"[ 10.0] Call Trace:\n"
		"[ 10.0]  [<ffffffff818511b5>] schedule+0x35/0x80\n"
		"[ 10.0]  [<ffffffff8173b9b9>] cleanup_net+0x179/0x2a0\n"
		"[ 20.0] INFO: task ip:1747 blocked for more than 245 seconds.\n"
		"[ 20.0]       Not tainted 6.1.0-18-amd64 #1 Debian 6.1.76-1\n"
		"[ 20.0] task:ip              state:D stack:0     pid:1747  ppid:1746   flags:0x00004000\n"
		"[ 20.0] Call Trace:\n"
		"[ 20.0]  <TASK>\n"
		"[ 20.0]  __schedule+0x351/0xa20\n"
		"[ 20.0]  copy_net_ns+0x6e/0x120\n"
		"[ 20.0]  </TASK>\n");
	assert_int_equal(g.n, 2);
	assert_int_equal(g.inc[0]->kind, KIND_HUNG_TASK);
	assert_string_equal(g.inc[0]->task.comm, "kworker/u97:2");
	assert_int_equal(g.inc[0]->task.pid, 41233);
	assert_string_equal(g.inc[0]->task.state, "D");
	assert_string_equal(g.inc[0]->kernel.tainted, "G OE");
	assert_string_equal(g.inc[0]->kernel.release, "4.4.0-21-generic");
	assert_string_equal(g.inc[0]->kernel.build, "37-Ubuntu");
	assert_int_equal(extra_n(g.inc[0], "blocked_seconds"), 120);
	assert_string_equal(g.inc[0]->title, "INFO: task hung in cleanup_net");
	assert_string_equal(g.inc[1]->task.comm, "ip");
	assert_int_equal(g.inc[1]->task.pid, 1747);
	assert_string_equal(g.inc[1]->kernel.tainted, "");
	assert_string_equal(g.inc[1]->kernel.release, "6.1.0-18-amd64");
	assert_int_equal(extra_n(g.inc[1], "ppid"), 1746);
	assert_int_equal(extra_n(g.inc[1], "blocked_seconds"), 245);
	assert_string_equal(g.inc[1]->title, "INFO: task hung in copy_net_ns");
	/* Same kind, different top frames: different clusters. */
	assert_string_not_equal(g.inc[0]->hash, g.inc[1]->hash);
	release_all(&g);
}

static void oops_fields(void **state)
{
	struct got g;
	const struct stack *st;

	(void)state;
	scan_text(&g,
		"[ 5.0] BUG: unable to handle kernel NULL pointer dereference at 0000000000000018\n"
		"[ 5.0] IP: [<ffffffffc0241df7>] kvm_zap_rmapp+0x47/0x60 [kvm]\n"
		"[ 5.0] Oops: 0000 [#1] SMP\n"
		"[ 5.0] Modules linked in: kvm_intel kvm irqbypass [last unloaded: foo]\n"
		"[ 5.0] CPU: 21 PID: 40312 Comm: qemu-system-x86 Not tainted 4.4.0-119-generic #143-Ubuntu\n"
		"[ 5.0] Hardware name: Dell Inc. PowerEdge R630/02C2CP, BIOS 2.4.3 01/17/2017\n"
		"[ 5.0] RIP: 0010:[<ffffffffc0241df7>]  [<ffffffffc0241df7>] kvm_zap_rmapp+0x47/0x60 [kvm]\n"
		"[ 5.0] RSP: 0018:ffff883c0e1c3ae0  EFLAGS: 00010246\n"
		"[ 5.0] Call Trace:\n"
		"[ 5.0]  <IRQ>\n"
		"[ 5.0]  [<ffffffff81000001>] irq_thing+0x1/0x10\n"
		"[ 5.0]  <EOI>\n"
		"[ 5.0]  [<ffffffffc0241e1e>] kvm_unmap_rmapp+0xe/0x20 [kvm]\n"
		"[ 5.0]  [<ffffffffc0223327>] ? kvm_vcpu_ioctl+0x137/0x620 [kvm]\n"
		"[ 5.0] Code: 00 00 48 89 e5 <48> 8b 00\n"
		"[ 5.0] ---[ end trace 3b5d1fb2ac8a3f19 ]---\n");
	assert_int_equal(g.n, 1);
	assert_int_equal(g.inc[0]->kind, KIND_OOPS);
	assert_string_equal(g.inc[0]->title,
			    "BUG: unable to handle kernel NULL pointer dereference in kvm_zap_rmapp");
	assert_string_equal(extra_s(g.inc[0], "fault_address"), "0x0000000000000018");
	assert_string_equal(extra_s(g.inc[0], "oops"), "0000 [#1] SMP");
	assert_int_equal(g.inc[0]->task.cpu, 21);
	assert_string_equal(g.inc[0]->kernel.hardware,
			    "Dell Inc. PowerEdge R630/02C2CP, BIOS 2.4.3 01/17/2017");
	assert_int_equal(g.inc[0]->nr_modules, 3);
	assert_string_equal(g.inc[0]->modules[2], "irqbypass");
	assert_true(g.inc[0]->has_ip);
	assert_string_equal(g.inc[0]->ip.module, "kvm");
	assert_string_equal(g.inc[0]->code, "00 00 48 89 e5 <48> 8b 00");
	assert_non_null(strstr(g.inc[0]->registers, "RSP: 0018"));
	assert_int_equal(g.inc[0]->nr_stacks, 2);
	assert_int_equal(g.inc[0]->stacks[0].context, STACK_IRQ);
	st = &g.inc[0]->stacks[1];
	assert_int_equal(st->context, STACK_TASK);
	assert_int_equal(st->nr, 2);
	assert_false(st->frames[1].reliable);
	assert_false(g.inc[0]->corrupted);
	assert_int_equal(g.inc[0]->source.line, 1);
	assert_int_equal(g.inc[0]->source.end_line, 16);
	release_all(&g);
}

static void lockup_warning_bug_panic(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"[ 1.0] watchdog: BUG: soft lockup - CPU#38 stuck for 22s! [qemu-kvm:51804]\n"
		"[ 1.0] RIP: 0010:_raw_spin_lock+0x21/0x30\n"
		"[ 1.0] Call Trace:\n"
		"[ 1.0]  tdp_page_fault+0x169/0x2a0 [kvm]\n"
		"[ 2.0] ------------[ cut here ]------------\n"
		"[ 2.0] WARNING: CPU: 1 PID: 4412 at net/core/skbuff.c:4885 skb_try_coalesce+0x3a5/0x3f0\n"
		"[ 2.0] Call Trace:\n"
		"[ 2.0]  tcp_try_coalesce+0x6d/0x120\n"
		"[ 2.0] ---[ end trace 5c2c74f0a3bd3c11 ]---\n"
		"[ 3.0] kernel BUG at fs/ext4/inode.c:2722!\n"
		"[ 3.0] RIP: 0010:ext4_writepages+0xcdc/0xce0 [ext4]\n"
		"[ 3.0] Call Trace:\n"
		"[ 3.0]  do_writepages+0x21/0x50\n"
		"[ 4.0] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000009\n");
	assert_int_equal(g.n, 4);
	assert_string_equal(g.inc[0]->title, "BUG: soft lockup in tdp_page_fault");
	assert_int_equal(g.inc[0]->task.cpu, 38);
	assert_string_equal(g.inc[0]->task.comm, "qemu-kvm");
	assert_int_equal(extra_n(g.inc[0], "stuck_seconds"), 22);
	assert_string_equal(g.inc[1]->title, "WARNING in skb_try_coalesce");
	assert_string_equal(extra_s(g.inc[1], "location"), "net/core/skbuff.c:4885");
	assert_string_equal(g.inc[2]->title, "kernel BUG in ext4_writepages");
	assert_string_equal(extra_s(g.inc[2], "location"), "fs/ext4/inode.c:2722");
	assert_int_equal(g.inc[3]->kind, KIND_PANIC);
	assert_string_equal(extra_s(g.inc[3], "panic_message"),
			    "Attempted to kill init! exitcode=0x00000009");
	release_all(&g);
}

static void single_line_kinds(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"Nov 24 09:31:17 web03 kernel: [1023316.882201] python3[50112]: segfault at 0 ip 00007f3b9c2a1e6d sp 00007ffe1d7c1b88 error 4 in libc.so.6[7f3b9c228000+155000]\n"
		"Dec 17 07:27:02 proxy000 kernel: [ 9774.254080] TCP: out of memory -- consider tuning tcp_mem\n"
		"Dec 17 07:27:08 proxy000 kernel: [ 9780.004412] net_ratelimit: 118 callbacks suppressed\n"
		"Dec 17 07:27:08 proxy000 kernel: [ 9780.004417] TCP: out of memory -- consider tuning tcp_mem\n");
	assert_int_equal(g.n, 2);
	assert_int_equal(g.inc[0]->kind, KIND_SEGFAULT);
	assert_string_equal(g.inc[0]->title, "segfault in python3 (libc.so.6)");
	assert_int_equal(g.inc[0]->task.pid, 50112);
	assert_string_equal(extra_s(g.inc[0], "object"), "libc.so.6");
	assert_int_equal(extra_n(g.inc[0], "error_code"), 4);
	assert_string_equal(g.inc[0]->host, "web03");
	assert_int_equal(g.inc[1]->kind, KIND_TCP_MEM);
	assert_int_equal(extra_n(g.inc[1], "printed"), 2);
	assert_int_equal(extra_n(g.inc[1], "suppressed"), 118);
	assert_int_equal(extra_n(g.inc[1], "events"), 120);
	release_all(&g);
}

static void oom_victim(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"[ 9.0] mysqld invoked oom-killer: gfp_mask=0x1100cca(GFP_HIGHUSER_MOVABLE), order=0, oom_score_adj=0\n"
		"[ 9.0] CPU: 2 PID: 1934 Comm: mysqld Not tainted 5.15.0-97-generic #107-Ubuntu\n"
		"[ 9.0] Call Trace:\n"
		"[ 9.0]  dump_header+0x53/0x228\n"
		"[ 9.0] Mem-Info:\n"
		"[ 9.0] active_anon:1723412 inactive_anon:210031 isolated_anon:0\n"
		"[ 9.0] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/mysql.service,task_memcg=/system.slice/mysql.service,task=mysqld,pid=1934,uid=113\n"
		"[ 9.0] Memory cgroup out of memory: Killed process 1934 (mysqld) total-vm:11654208kB\n"
		"[ 9.1] oom_reaper: reaped process 1934 (mysqld)\n");
	assert_int_equal(g.n, 1);
	assert_int_equal(g.inc[0]->kind, KIND_OOM);
	assert_string_equal(extra_s(g.inc[0], "victim"), "mysqld");
	assert_int_equal(extra_n(g.inc[0], "victim_pid"), 1934);
	assert_string_equal(extra_s(g.inc[0], "constraint"), "CONSTRAINT_MEMCG");
	assert_string_equal(extra_s(g.inc[0], "memcg"), "/system.slice/mysql.service");
	assert_string_equal(extra_s(g.inc[0], "scope"), "memcg");
	assert_string_equal(g.inc[0]->title, "Memory cgroup out of memory: killed mysqld");
	assert_int_equal(g.inc[0]->source.end_line, 8);
	release_all(&g);
}

static void input_order_when_interleaved(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"[   30.0][   T81] INFO: task kworker/0:2:81 blocked for more than 143 seconds.\n"
		"[   30.1][  T112] BUG: kernel NULL pointer dereference, address: 0000000000000010\n"
		"[   30.2][   T81] Call Trace:\n"
		"[   30.3][  T112] RIP: 0010:foo+0x1/0x2\n"
		"[   30.4][   T81]  schedule+0xe7/0x1b0\n"
		"[   30.4][   T81]  rtnl_lock+0x19/0x20\n"
		"[   30.4][   T81]  reg_check_chans_work+0x87/0xc90\n"
		"[   30.5][  T112] Call Trace:\n"
		"[   30.5][  T112]  genl_dumpit+0x119/0x220\n"
		"[   30.6][  T112] ---[ end trace 0000000000000000 ]---\n");
	assert_int_equal(g.n, 2);
	/* The oops ends first, but the hung task started first. */
	assert_int_equal(g.inc[0]->kind, KIND_HUNG_TASK);
	assert_int_equal(g.inc[0]->source.line, 1);
	assert_int_equal(g.inc[1]->kind, KIND_OOPS);
	assert_int_equal(g.inc[1]->source.line, 2);
	assert_int_equal(g.inc[1]->source.end_line, 10);
	release_all(&g);
}

/* Console noise without timestamps is dropped, but an unstamped report
   appended after a stamped log (as syzkaller does) is found. */
static void unstamped_report_after_stamped_log(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"[  147.467058] eth0: link up\n"
		"*** stack smashing detected ***: terminated\n"
		"BUG: noise\n"
		"[  147.500000] eth0: link down\n"
		"WARNING: CPU: 1 PID: 6576 at fs/overlayfs/dir.c:212 ovl_create_real+0x272/0x520\n"
		"Modules linked in:\n"
		"CPU: 1 PID: 6576 Comm: syz-executor088 Not tainted 5.14.0-rc3 #0\n"
		"RIP: 0010:ovl_create_real+0x272/0x520\n"
		"Call Trace:\n"
		" ovl_create_or_link+0x3c2/0x10c0\n"
		"---[ end trace 0000000000000000 ]---\n");
	/* "BUG: noise" starts a report too, but it is cut short by the next
	   stamped line; the WARNING is found whole. */
	assert_true(g.n >= 1);
	assert_int_equal(g.inc[g.n - 1]->kind, KIND_WARNING);
	assert_string_equal(g.inc[g.n - 1]->title, "WARNING in ovl_create_real");
	assert_int_equal(g.inc[g.n - 1]->source.line, 5);
	assert_int_equal(g.inc[g.n - 1]->source.end_line, 11);
	release_all(&g);
}

/* A slab leak: the OOM record names the cache that holds the memory. */
static void oom_unreclaimable_slab(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"[ 9.0] kworker/3:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[ 9.0] CPU: 3 PID: 88 Comm: kworker/3:1 Not tainted 5.4.0-150-generic #167-Ubuntu\n"
		"[ 9.0] Call Trace:\n"
		"[ 9.0]  dump_header+0x4f/0x1eb\n"
		"[ 9.0] Mem-Info:\n"
		"[ 9.0] Unreclaimable slab info:\n"
		"[ 9.0] Name                      Used          Total\n"
		"[ 9.0] kmalloc-64                12345KB      12400KB\n"
		"[ 9.0] kmalloc-256             4743520KB    4743520KB\n"
		"[ 9.0] dentry                    20480KB      21000KB\n"
		"[ 9.0] Tasks state (memory values in pages):\n"
		"[ 9.0] Out of memory: Killed process 2211 (java) total-vm:4000kB\n");
	assert_int_equal(g.n, 1);
	assert_string_equal(extra_s(g.inc[0], "unreclaimable_slab"),
			    "kmalloc-256 4743520kB, dentry 20480kB, kmalloc-64 12345kB");
	assert_int_equal(extra_n(g.inc[0], "unreclaimable_slab_kb"), 4776345);
	assert_int_equal(extra_n(g.inc[0], "top_slab_percent"), 99);
	assert_string_equal(extra_s(g.inc[0], "victim"), "java");
	release_all(&g);
}

static void boot_context(void **state)
{
	struct got g;

	(void)state;
	scan_text(&g,
		"[    0.000000] Linux version 3.10.0-693.17.1.el7.x86_64 (mockbuild@x) (gcc version 4.8.5) #1 SMP Thu Jan 25 20:13:58 UTC 2018\n"
		"[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz ro console=ttyS0\n"
		"[    0.000000] Hypervisor detected: KVM\n"
		"[    0.000000] DMI: OpenStack Foundation OpenStack Nova, BIOS 1.10.2 04/01/2014\n"
		"[    0.021035] FEATURE SPEC_CTRL Present\n"
		"[  900.000000] BUG: unable to handle kernel paging request at ffff880000001000\n"
		"[  900.000001] RIP: 0010:foo_bar+0x1/0x2\n"
		"[  900.000002] Call Trace:\n"
		"[  900.000003]  baz+0x1/0x2\n"
		"[    0.000000] Linux version 3.10.0-693.21.1.el7.x86_64 (mockbuild@x) (gcc version 4.8.5) #1 SMP\n");
	assert_int_equal(g.n, 1);
	/* The incident carries its boot's facts. */
	assert_string_equal(g.inc[0]->kernel.release, "3.10.0-693.17.1.el7.x86_64");
	assert_string_equal(g.inc[0]->kernel.hypervisor, "KVM");
	assert_string_equal(g.inc[0]->kernel.hardware,
			    "OpenStack Foundation OpenStack Nova, BIOS 1.10.2 04/01/2014");
	assert_string_equal(g.inc[0]->kernel.arch, "x86_64");
	assert_string_equal(g.inc[0]->kernel.cmdline, "BOOT_IMAGE=/boot/vmlinuz ro console=ttyS0");
	/* Two boots; the first kept its early lines (5 before 600 s). */
	assert_int_equal(g.boots, 2);
	assert_int_equal(g.boot_lines, 5);
	assert_string_equal(g.release, "3.10.0-693.21.1.el7.x86_64");
	release_all(&g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hung_task_old_and_new),
		cmocka_unit_test(oops_fields),
		cmocka_unit_test(lockup_warning_bug_panic),
		cmocka_unit_test(single_line_kinds),
		cmocka_unit_test(oom_victim),
		cmocka_unit_test(input_order_when_interleaved),
		cmocka_unit_test(unstamped_report_after_stamped_log),
		cmocka_unit_test(oom_unreclaimable_slab),
		cmocka_unit_test(boot_context),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
