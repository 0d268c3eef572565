/* Unit tests for the frame-line parser and the JSON writer's UTF-8 repair. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "frame.h"
#include "json.h"

static bool parse(const char *s, struct frame *f)
{
	memset(f, 0, sizeof(*f));
	return frame_parse_line(s, strlen(s), f, NULL);
}

static void x86_old(void **state)
{
	struct frame f;

	(void)state;
	assert_true(parse(" [<ffffffffc0241e1e>] kvm_unmap_rmapp+0xe/0x20 [kvm]", &f));
	assert_string_equal(f.func, "kvm_unmap_rmapp");
	assert_int_equal(f.off, 0xe);
	assert_int_equal(f.size, 0x20);
	assert_string_equal(f.module, "kvm");
	assert_true(f.has_addr);
	assert_true(f.addr == 0xffffffffc0241e1eULL);
	assert_true(f.reliable);
	frame_release(&f);
	assert_true(parse(" [<ffffffffc0223327>] ? kvm_vcpu_ioctl+0x137/0x620 [kvm]", &f));
	assert_false(f.reliable);
	frame_release(&f);
	/* 2.6: "<IRQ>  [<…>] ? f+…" after the marker. */
	assert_true(parse("[<ffffffff81071e27>] ? warn_slowpath_common+0x87/0xc0", &f));
	assert_string_equal(f.func, "warn_slowpath_common");
	frame_release(&f);
}

static void x86_new_and_buildid(void **state)
{
	struct frame f;

	(void)state;
	assert_true(parse(" ? __die_body.cold+0x1a/0x1f", &f));
	assert_string_equal(f.func, "__die_body.cold");
	assert_false(f.reliable);
	assert_false(f.has_addr);
	frame_release(&f);
	assert_true(parse(" nvme_reset_work+0x5d4/0x12a0 [nvme 3f1a2b4c5d6e7f8091a2b3c4d5e6f708192a3b4c]", &f));
	assert_string_equal(f.module, "nvme");
	assert_string_equal(f.build_id, "3f1a2b4c5d6e7f8091a2b3c4d5e6f708192a3b4c");
	frame_release(&f);
	/* Symbolized syzkaller traces. */
	assert_true(parse(" __dump_stack lib/dump_stack.c:17 [inline]", &f));
	assert_string_equal(f.func, "__dump_stack");
	assert_string_equal(f.src, "lib/dump_stack.c:17");
	frame_release(&f);
	assert_true(parse(" dump_stack+0x1b2/0x281 lib/dump_stack.c:53", &f));
	assert_string_equal(f.src, "lib/dump_stack.c:53");
	frame_release(&f);
}

static void other_arches(void **state)
{
	struct frame f;

	(void)state;
	assert_true(parse("[c0000000fbbf7c80] [c000000000a2b6c8] dump_stack+0xd0/0x138 (unreliable)", &f));
	assert_string_equal(f.func, "dump_stack");
	assert_false(f.reliable);
	frame_release(&f);
	assert_true(parse("([<0000000000112ee8>] show_trace+0x130/0x138)", &f));
	assert_string_equal(f.func, "show_trace");
	frame_release(&f);
	assert_true(parse(" el1_abort+0x3c/0x5c", &f));
	frame_release(&f);
	assert_true(parse(" [<ffffffff8104e8e6>]", &f));
	assert_null(f.func);
	assert_true(f.has_addr);
	frame_release(&f);
}

static void not_frames(void **state)
{
	struct frame f;

	(void)state;
	assert_false(parse(" ffff8819d1f17dc8 ffff882118dae840 ffff883ff0c27000", &f));
	assert_false(parse("Call Trace:", &f));
	assert_false(parse("RAX: 00000000b068c000 RBX: ffff8823e14e0f00", &f));
	assert_false(parse("foo+0x1/0x2 happened while doing bar", &f));
	assert_false(parse("", &f));
	assert_false(parse("[<ffff", &f));
}

static void ip_lines(void **state)
{
	struct frame f;
	const char *s;

	(void)state;
	s = "RIP: 0010:[<ffffffff81855d01>]  [<ffffffff81855d01>] _raw_spin_lock+0x21/0x30";
	memset(&f, 0, sizeof(f));
	assert_true(frame_parse_ip_line(s, strlen(s), &f));
	assert_string_equal(f.func, "_raw_spin_lock");
	frame_release(&f);
	s = "RIP: 0010:nvme_setup_io_queues+0x2f1/0x5a0 [nvme]";
	assert_true(frame_parse_ip_line(s, strlen(s), &f));
	assert_string_equal(f.func, "nvme_setup_io_queues");
	assert_string_equal(f.module, "nvme");
	frame_release(&f);
	s = "IP: [<ffffffffc0241df7>] kvm_zap_rmapp+0x47/0x60 [kvm]";
	assert_true(frame_parse_ip_line(s, strlen(s), &f));
	assert_string_equal(f.func, "kvm_zap_rmapp");
	frame_release(&f);
	s = "pc : __list_del_entry_valid+0x60/0xa0";
	assert_true(frame_parse_ip_line(s, strlen(s), &f));
	assert_string_equal(f.func, "__list_del_entry_valid");
	frame_release(&f);
	s = "RSP: 0018:ffff883c0e1c3ae0  EFLAGS: 00010246";
	assert_false(frame_parse_ip_line(s, strlen(s), &f));
	/* s390 show_registers(): mask, address, (symbol) */
	s = "Krnl PSW : 0704c00180000000 000003ff8012a0e6 (mydrv_probe+0x2e/0x98 [mydrv])";
	memset(&f, 0, sizeof(f));
	assert_true(frame_parse_ip_line(s, strlen(s), &f));
	assert_string_equal(f.func, "mydrv_probe");
	assert_string_equal(f.module, "mydrv");
	assert_true(f.has_addr);
	assert_int_equal(f.addr, 0x3ff8012a0e6ULL);
	frame_release(&f);
	/* 2.6.18 x86_64: the module between colons */
	s = "RIP: 0010:[<ffffffff8853a1c6>]  [<ffffffff8853a1c6>] :mydrv:mydrv_read+0x46/0x1c0";
	memset(&f, 0, sizeof(f));
	assert_true(frame_parse_ip_line(s, strlen(s), &f));
	assert_string_equal(f.func, "mydrv_read");
	assert_string_equal(f.module, "mydrv");
	frame_release(&f);
}

/* Frames as other arches and eras print them. */
static void other_arch_frames(void **state)
{
	struct frame f;
	const char *s;
	char base[64];

	(void)state;
	/* x86_64 printk_address() of 2.6.18: " [<…>] :mod:f+0x1/0x2" */
	s = " [<ffffffff884c1e3d>] :nfs:nfs_updatepage+0x6d/0x1a0";
	assert_true(frame_parse_line(s, strlen(s), &f, NULL));
	assert_string_equal(f.func, "nfs_updatepage");
	assert_string_equal(f.module, "nfs");
	assert_true(f.reliable);
	frame_release(&f);
	s = " [<ffffffff884c1e3d>] :nfs:";
	assert_false(frame_parse_line(s, strlen(s), &f, NULL));
	/* s390 show_stack(): an unreliable frame in parentheses */
	s = "([<000003ff8012a0d2>] mydrv_probe+0x1a/0x98 [mydrv])";
	assert_true(frame_parse_line(s, strlen(s), &f, NULL));
	assert_string_equal(f.func, "mydrv_probe");
	assert_false(f.reliable);
	frame_release(&f);
	s = " [<00000000009b6c4a>] platform_probe+0x52/0xb8 ";
	assert_true(frame_parse_line(s, strlen(s), &f, NULL));
	assert_true(f.reliable);
	frame_release(&f);
	/* riscv print_ip_sym(), powerpc show_stack() */
	s = "[<ffffffff01a5301e>] mydrv_probe+0x1e/0x5a [mydrv]";
	assert_true(frame_parse_line(s, strlen(s), &f, NULL));
	assert_string_equal(f.module, "mydrv");
	frame_release(&f);
	s = "[c00000000f0dbb30] [c0080000012a0120] mydrv_probe+0x20/0x120 [mydrv] (unreliable)";
	assert_true(frame_parse_line(s, strlen(s), &f, NULL));
	assert_false(f.reliable);
	frame_release(&f);
	/* arm dump_backtrace_entry(): "%ps" names a module's function with its module */
	s = "[<bf000000>] (mydrv_probe [mydrv]) from [<c06a1b30>] (platform_probe+0x64/0xb8)";
	assert_true(frame_parse_line(s, strlen(s), &f, NULL));
	assert_string_equal(f.func, "mydrv_probe");
	assert_string_equal(f.module, "mydrv");
	frame_release(&f);
	s = "[<bf000000>] (mydrv_probe [mydrv] junk) from [<c06a1b30>] (g+0x64/0xb8)";
	if (frame_parse_line(s, strlen(s), &f, NULL)) {
		assert_null(f.module);
		frame_release(&f);
	}
	/* 2.6's out-of-line lock sections keep their section name */
	frame_base_name(".text.lock.spinlock", base, sizeof(base));
	assert_string_equal(base, ".text.lock.spinlock");
	frame_base_name(".schedule", base, sizeof(base));
	assert_string_equal(base, "schedule");
}

static void json_utf8_repair(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	json_quote(&sb, "a\"b\\c\n\x01", 7);
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\\n\\u0001\"");
	strbuf_reset(&sb);
	/* Invalid UTF-8 and an overlong encoding become U+FFFD; valid stays. */
	json_quote(&sb, "\xff\xc0\xaf\xc3\xa9", 5);
	assert_string_equal(sb.buf, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\"");
	strbuf_reset(&sb);
	/* A truncated sequence at the end. */
	json_quote(&sb, "\xe2\x82", 2);
	assert_string_equal(sb.buf, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(x86_old),
		cmocka_unit_test(x86_new_and_buildid),
		cmocka_unit_test(other_arches),
		cmocka_unit_test(not_frames),
		cmocka_unit_test(ip_lines),
		cmocka_unit_test(other_arch_frames),
		cmocka_unit_test(json_utf8_repair),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
