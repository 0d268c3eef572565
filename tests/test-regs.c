/*
** test-regs: the register and code dump lines of each architecture
** (regs.h), written from the printers' format strings in linux-source-6.1
** and older eras.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "regs.h"

static const char *arch_of(const char *line)
{
	const char *arch = "unset";

	if (!regs_is_line(line, strlen(line), &arch))
		return "not a register line";
	return arch ? arch : "several";
}

static void register_lines(void **state)
{
	(void)state;
	assert_string_equal(arch_of("RIP: 0010:nvme_setup_io_queues+0x2f1/0x5a0 [nvme]"), "x86_64");
	assert_string_equal(arch_of("EIP: ata_scsi_hotplug+0x3d/0x110"), "i386");
	assert_string_equal(arch_of("EIP: 0060:[<f8a3c1d2>] EFLAGS: 00010046 CPU: 0"), "i386");
	/* die()'s closing summary is not part of the dump */
	assert_string_equal(arch_of("EIP: [<f8a3c1d2>] mydrv_irq+0x22/0x140 [mydrv] SS:ESP 0068:c13f9f1c"),
			    "not a register line");
	assert_string_equal(arch_of("pstate: 60400005 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)"),
			    "arm64");
	assert_string_equal(arch_of("pc : [<ffffff8000f70020>] lr : [<ffffff8008083b34>] pstate: 60400145"),
			    "arm64");
	assert_string_equal(arch_of("pc : [<c03a1b2c>]    lr : [<c03a1b00>]    psr: 60000013"), "arm");
	assert_string_equal(arch_of("pc : mydrv_probe+0x2c/0x110 [mydrv]"), "several");
	assert_string_equal(arch_of("x26: ffff800009263e40 x25: ffff0000c1b2e010 x24: ffff80000940e5a8"),
			    "arm64");
	assert_string_equal(arch_of("x2 : 0000000000000000 x1 : 0000000000000000 x0 : 0000000000000000"),
			    "arm64");
	assert_string_equal(arch_of("NIP:  c0080000012a0134 LR: c0080000012a0120 CTR: c000000000a8a2f0"),
			    "powerpc");
	assert_string_equal(arch_of("LR [c0080000012a0120] mydrv_probe+0x20/0x120 [mydrv]"), "powerpc");
	assert_string_equal(arch_of("Krnl PSW : 0704c00180000000 000003ff8012a0e6 (mydrv_probe+0x2e/0x98 [mydrv])"),
			    "s390");
	assert_string_equal(arch_of("epc : ffffffff01a5301e ra : ffffffff805a2b8e sp : ff20000000c13b30"),
			    "riscv");
	assert_string_equal(arch_of(" ra : platform_probe+0x4e/0xa6"), "riscv");
	assert_string_equal(arch_of("status: 0000000200000120 badaddr: 0000000000000008 cause: 000000000000000d"),
			    "riscv");
	assert_string_equal(arch_of("Call Trace:"), "not a register line");
	assert_string_equal(arch_of("status: ok"), "not a register line");
}

static void dump_openers(void **state)
{
	static const char *const yes[] = {
		"RIP: 0010:default_idle+0xb/0x10", "EIP: default_idle+0x5/0x10",
		"NIP:  c0000000001099b8 LR: c000000000c5e4a4 CTR: 0000000000000000",
		"pstate: 60400005 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)",
		"pc : mydrv_probe+0x2c/0x110 [mydrv]", "epc : mydrv_probe+0x1e/0x5a [mydrv]",
		"Krnl PSW : 0704c00180000000 000003ff8012a0e6 (mydrv_probe+0x2e/0x98 [mydrv])",
	};
	static const char *const no[] = {
		"RSP: 0018:ffffb4f30009bed8 EFLAGS: 00000206", "CR2: 0000000000000008",
		"NIP [c0000000001099b8] plpar_hcall_norets_notrace+0x18/0x2c",
		"EIP: [<f8a3c1d2>] mydrv_irq+0x22/0x140 [mydrv] SS:ESP 0068:c13f9f1c",
		"RIP  [<ffffffffa01d32c6>] mydrv_ioctl+0x46/0x1c0 [mydrv]",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(regs_opens_dump(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(regs_opens_dump(no[i], strlen(no[i])));
}

static void continuations(void **state)
{
	static const char *const yes[] = {
		"           R:0 T:1 IO:1 EX:1 Key:0 M:1 W:0 P:0 AS:3 CC:0 PM:0 RI:0 EA:3",
		"           000003ff8012a0b8 0000000000000000 0000000000000000 0000000000000000",
	};
	static const char *const no[] = {
		" ffff880c2b5fbe08 ffffffff811a29e2 ffff880c2b5fbe48",	/* x86 stack words */
		"0000000000000000 0000000000000000 0000000000000000 0000000000000000 0000000000000000",
		"R:0 nothing else",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		assert_true(regs_is_continuation(yes[i], strlen(yes[i])));
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		assert_false(regs_is_continuation(no[i], strlen(no[i])));
}

static void code_dumps(void **state)
{
	const char *rest, *s;
	size_t n;

	(void)state;
	s = "Instruction dump:";
	assert_true(regs_code_start(s, strlen(s), &rest, &n));
	assert_int_equal(n, 0);
	s = "Krnl Code: 000003ff8012a0d8: e31020000004\tlg\t%r1,0(%r2)";
	assert_true(regs_code_start(s, strlen(s), &rest, &n));
	assert_int_equal(n, strlen("000003ff8012a0d8: e31020000004\tlg\t%r1,0(%r2)"));
	s = "Code: 48 8b 40 08";
	assert_false(regs_code_start(s, strlen(s), &rest, &n));

	s = "60000000 e93f0000 <81290010> 2c090000 4182001c 3d220000 e929d6b0 7d2903a6 ";
	assert_true(regs_code_continuation(s, strlen(s)));
	s = "XXXXXXXX XXXXXXXX <81290010> 2c090000";
	assert_true(regs_code_continuation(s, strlen(s)));
	s = "          >000003ff8012a0e6: e31010080024\tstg\t%r1,8(%r1)";
	assert_true(regs_code_continuation(s, strlen(s)));
	s = "          #000003ff8012a0e2: 0707\t\tbcr\t0,%r7";
	assert_true(regs_code_continuation(s, strlen(s)));
	s = "60000000 <8129001> 2c090000";		/* 7 digits */
	assert_false(regs_code_continuation(s, strlen(s)));
	s = "---[ end trace 0000000000000000 ]---";
	assert_false(regs_code_continuation(s, strlen(s)));
	s = "";
	assert_false(regs_code_continuation(s, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(register_lines),
		cmocka_unit_test(dump_openers),
		cmocka_unit_test(continuations),
		cmocka_unit_test(code_dumps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
