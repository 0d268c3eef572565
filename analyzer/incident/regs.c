#include "regs.h"
#include "util.h"

#include <string.h>

struct regs_row {
	const char *prefix;	/* the line starts with this */
	const char *has;	/* ... and holds this (NULL: nothing more) */
	const char *arch;	/* whose printer it is; NULL: several */
	const char *printer;	/* documentation */
};

/* First match decides: the rows with a `has` come before their prefix's
   general row. */
static const struct regs_row rows[] = {
	/* x86 */
	{ "RIP: ", NULL, "x86_64", "show_ip() / __show_regs() (arch/x86, 64-bit)" },
	{ "RSP:", NULL, "x86_64", "show_iret_regs()" },
	{ "RAX:", NULL, "x86_64", "__show_regs()" },
	{ "RDX:", NULL, "x86_64", "__show_regs()" },
	{ "RBP:", NULL, "x86_64", "__show_regs()" },
	{ "R08:", NULL, "x86_64", "__show_regs()" },
	{ "R10:", NULL, "x86_64", "__show_regs()" },
	{ "R13:", NULL, "x86_64", "__show_regs()" },
	{ "FS:", NULL, "x86_64", "__show_regs()" },
	{ "CS:", NULL, "x86_64", "__show_regs()" },
	{ "PKRU:", NULL, "x86_64", "__show_regs()" },
	/* i386: die()'s closing "EIP: [<c0123456>] f+0x1/0x2 SS:ESP 0068:…"
	   repeats the ip after the stack and is not part of the dump */
	{ "EIP: ", " SS:ESP ", NULL, NULL },
	{ "EIP: ", NULL, "i386", "show_ip() / show_registers() (arch/x86, 32-bit)" },
	{ "EIP is at ", NULL, "i386", "show_registers() (2.6.2x-3.x)" },
	{ "EAX:", NULL, "i386", "__show_regs() (process_32.c)" },
	{ "ESI:", NULL, "i386", "__show_regs() (process_32.c)" },
	{ "DS:", NULL, "i386", "__show_regs() (process_32.c)" },
	{ "EFLAGS: ", NULL, "i386", "show_registers() (before 2.6.25)" },
	{ "eax: ", NULL, "i386", "show_registers() (before 2.6.25)" },
	{ "esi: ", NULL, "i386", "show_registers() (before 2.6.25)" },
	{ "ds: ", NULL, "i386", "show_registers() (before 2.6.25)" },
	{ "CR0:", NULL, NULL, "__show_regs()" },
	{ "CR2:", NULL, NULL, "__show_regs()" },
	{ "DR0:", NULL, NULL, "__show_regs()" },
	{ "DR3:", NULL, NULL, "__show_regs()" },
	{ "DR6:", NULL, NULL, "__show_regs()" },
	/* arm64 (4.x: "pc : [<…>] lr : [<…>] pstate: …") and arm ("… psr: …") */
	{ "pc : [<", " pstate: ", "arm64", "__show_regs() (arch/arm64, 4.x)" },
	{ "pc : [<", " psr: ", "arm", "__show_regs() (arch/arm)" },
	{ "pstate: ", NULL, "arm64", "print_pstate()" },
	/* arm __show_regs(): "r10: %08lx  r9 : %08lx  r8 : %08lx", "Flags: nZCv
	   IRQs on …", "Control: 10c5387d  Table: …" */
	{ "r10: ", NULL, "arm", "__show_regs() (arch/arm)" },
	{ "r7 : ", NULL, "arm", "__show_regs() (arch/arm)" },
	{ "r3 : ", NULL, "arm", "__show_regs() (arch/arm)" },
	{ "Flags: ", " IRQs ", "arm", "__show_regs() (arch/arm)" },
	{ "Control: ", " Table: ", "arm", "__show_regs() (arch/arm)" },
	/* "x%-2d: %016llx", three (4.x: two) to a row */
	{ "x29:", NULL, "arm64", "__show_regs()" }, { "x28:", NULL, "arm64", "__show_regs()" },
	{ "x27:", NULL, "arm64", "__show_regs()" }, { "x26:", NULL, "arm64", "__show_regs()" },
	{ "x25:", NULL, "arm64", "__show_regs()" }, { "x24:", NULL, "arm64", "__show_regs()" },
	{ "x23:", NULL, "arm64", "__show_regs()" }, { "x22:", NULL, "arm64", "__show_regs()" },
	{ "x21:", NULL, "arm64", "__show_regs()" }, { "x20:", NULL, "arm64", "__show_regs()" },
	{ "x19:", NULL, "arm64", "__show_regs()" }, { "x18:", NULL, "arm64", "__show_regs()" },
	{ "x17:", NULL, "arm64", "__show_regs()" }, { "x16:", NULL, "arm64", "__show_regs()" },
	{ "x15:", NULL, "arm64", "__show_regs()" }, { "x14:", NULL, "arm64", "__show_regs()" },
	{ "x13:", NULL, "arm64", "__show_regs()" }, { "x12:", NULL, "arm64", "__show_regs()" },
	{ "x11:", NULL, "arm64", "__show_regs()" }, { "x10:", NULL, "arm64", "__show_regs()" },
	{ "x9 :", NULL, "arm64", "__show_regs()" }, { "x8 :", NULL, "arm64", "__show_regs()" },
	{ "x7 :", NULL, "arm64", "__show_regs()" }, { "x6 :", NULL, "arm64", "__show_regs()" },
	{ "x5 :", NULL, "arm64", "__show_regs()" }, { "x4 :", NULL, "arm64", "__show_regs()" },
	{ "x3 :", NULL, "arm64", "__show_regs()" }, { "x2 :", NULL, "arm64", "__show_regs()" },
	{ "x1 :", NULL, "arm64", "__show_regs()" }, { "x0 :", NULL, "arm64", "__show_regs()" },
	{ "PC is at ", NULL, NULL, "__show_regs() (arm, arm64 before 4.16)" },
	{ "LR is at ", NULL, NULL, "__show_regs() (arm, arm64 before 4.16)" },
	{ "pc :", NULL, NULL, "__show_regs() (arm64, arm)" },
	{ "lr :", NULL, NULL, "__show_regs() (arm64, arm)" },
	{ "sp :", NULL, NULL, "__show_regs() (arm64, arm)" },
	/* powerpc */
	{ "NIP:", NULL, "powerpc", "__show_regs() (arch/powerpc)" },
	{ "NIP [", NULL, "powerpc", "__show_regs() (with CONFIG_KALLSYMS)" },
	{ "LR [", NULL, "powerpc", "__show_regs() (with CONFIG_KALLSYMS)" },
	{ "LR:", NULL, "powerpc", "__show_regs()" },
	{ "REGS:", NULL, "powerpc", "__show_regs()" },
	{ "MSR:", NULL, "powerpc", "__show_regs()" },
	{ "CTR:", NULL, "powerpc", "__show_regs()" },
	{ "XER:", NULL, "powerpc", "__show_regs()" },
	{ "CFAR:", NULL, "powerpc", "__show_regs()" },
	{ "DAR:", NULL, "powerpc", "__show_regs()" },
	{ "SOFTE:", NULL, "powerpc", "__show_regs() (before 4.x)" },
	{ "IRQMASK:", NULL, "powerpc", "__show_regs()" },
	{ "GPR", NULL, "powerpc", "__show_regs()" },
	/* s390 */
	{ "Krnl PSW : ", NULL, "s390", "show_registers() (arch/s390)" },
	{ "Krnl GPRS:", NULL, "s390", "show_registers()" },
	/* riscv: "epc : f+0x1/0x2", " ra : g+0x3/0x4", then the values */
	{ "epc : ", NULL, "riscv", "__show_regs() (arch/riscv)" },
	{ "ra : ", NULL, "riscv", "__show_regs()" },
	{ "gp : ", NULL, "riscv", "__show_regs()" },
	{ "t1 : ", NULL, "riscv", "__show_regs()" },
	{ "s1 : ", NULL, "riscv", "__show_regs()" },
	{ "a2 : ", NULL, "riscv", "__show_regs()" },
	{ "a5 : ", NULL, "riscv", "__show_regs()" },
	{ "s2 : ", NULL, "riscv", "__show_regs()" },
	{ "s5 : ", NULL, "riscv", "__show_regs()" },
	{ "s8 : ", NULL, "riscv", "__show_regs()" },
	{ "s11: ", NULL, "riscv", "__show_regs()" },
	{ "t5 : ", NULL, "riscv", "__show_regs()" },
	{ "status: ", " badaddr: ", "riscv", "__show_regs()" },
};

bool regs_is_line(const char *msg, size_t len, const char **arch)
{
	const char *p = mem_skip_blanks(msg, msg + len);
	size_t n = (size_t)(msg + len - p);

	for (size_t i = 0; i < ARRAY_SIZE(rows); i++)
		if (mem_starts_with(p, n, rows[i].prefix) &&
		    (!rows[i].has || mem_find(p, n, rows[i].has))) {
			if (!rows[i].printer)
				return false;
			if (arch)
				*arch = rows[i].arch;
			return true;
		}
	return false;
}

bool regs_opens_dump(const char *msg, size_t len)
{
	static const char *const openers[] = {
		"RIP: ", "EIP: ", "NIP:", "pstate: ", "pc :", "epc : ", "Krnl PSW : ",
	};
	const char *p = mem_skip_blanks(msg, msg + len);
	size_t n = (size_t)(msg + len - p);

	for (size_t i = 0; i < ARRAY_SIZE(openers); i++)
		if (mem_starts_with(p, n, openers[i]))
			return regs_is_line(p, n, NULL);
	return false;
}

/* n hex digits, at least `min`, then a blank or the end. */
static const char *hex_run(const char *p, const char *end, size_t min)
{
	const char *q = p;

	while (q < end && is_hex_digit((unsigned char)*q))
		q++;
	return (size_t)(q - p) >= min && (q == end || *q == ' ' || *q == '\t') ? q : NULL;
}

bool regs_is_continuation(const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end);
	size_t n = (size_t)(end - p);
	int words = 0;

	/* s390 show_registers(): the PSW bits under "Krnl PSW :" */
	if (mem_starts_with(p, n, "R:") && mem_find(p, n, " T:") && mem_find(p, n, " Key:"))
		return true;
	/* s390 show_registers(): the GPRS rows, four 16-digit words each */
	while ((p = mem_skip_blanks(p, end)) < end) {
		if (!(p = hex_run(p, end, 16)))
			return false;
		words++;
	}
	return words == 4;
}

bool regs_code_start(const char *msg, size_t len, const char **rest, size_t *rest_len)
{
	const char *p = mem_skip_blanks(msg, msg + len);
	size_t n = (size_t)(msg + len - p);

	/* powerpc show_instructions(): the words follow on their own lines */
	if (mem_starts_with(p, n, "Instruction dump:")) {
		*rest = p + n;
		*rest_len = 0;
		return true;
	}
	/* s390 show_code(): the first disassembled instruction is on the line */
	if (mem_skip_prefix(&p, &n, "Krnl Code:")) {
		*rest = mem_skip_blanks(p, p + n);
		*rest_len = (size_t)(p + n - *rest);
		return true;
	}
	return false;
}

bool regs_code_continuation(const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end), *q;
	int words = 0;

	/* s390 show_code(): "[#>]000003ff8012a0e6: e31010080024\tstg\t…" ('#'
	   where the PSW points back to, '>' the failing instruction) */
	q = p < end && (*p == '#' || *p == '>') ? p + 1 : p;
	while (q < end && is_hex_digit((unsigned char)*q))
		q++;
	if (q - p >= 8 && q < end && *q == ':')
		return true;
	/* powerpc show_instructions(): rows of 8-digit words, the failing one
	   in <>, unreadable ones as XXXXXXXX */
	while ((p = mem_skip_blanks(p, end)) < end) {
		const char *w = p + (*p == '<');
		q = w;
		while (q < end && (is_hex_digit((unsigned char)*q) || *q == 'X'))
			q++;
		if (q - w != 8)
			return false;
		if (*p == '<') {
			if (q >= end || *q != '>')
				return false;
			q++;
		}
		if (q < end && *q != ' ')
			return false;
		p = q;
		words++;
	}
	return words > 0;
}
