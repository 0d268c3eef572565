/* Unit tests for the ELF core reader (symbols/core.h): cores assembled here
   in memory, laid out as fs/binfmt_elf.c writes them (headers, one PT_NOTE,
   PT_LOADs), then damaged on purpose: notes whose sizes lie, a count in
   PN_XNUM, segments past the end, another machine, too many threads. Also
   memory reads from the core and, for what it left out, from the mapped
   file; and the command line found on the initial stack. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "strbuf.h"

#define NT_FILE_ 0x46494c45
#define NT_SIGINFO_ 0x53494749

/* A core being assembled: notes and segments, then core_build(). */
struct builder {
	struct strbuf notes;
	struct { uint64_t vaddr, memsz; struct strbuf data; } seg[8];
	int nr_seg;
	uint16_t machine, type;
};

static void b_init(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	strbuf_init(&b->notes, 0);
	b->machine = EM_X86_64;
	b->type = ET_CORE;
}

static void pad4(struct strbuf *sb)
{
	while (sb->len % 4)
		strbuf_addch(sb, 0);
}

static void note(struct builder *b, uint32_t type, const void *desc, uint32_t len)
{
	uint32_t h[3] = { 5, len, type };

	strbuf_add(&b->notes, h, sizeof(h));
	strbuf_add(&b->notes, "CORE\0\0\0", 8);
	strbuf_add(&b->notes, desc, len);
	pad4(&b->notes);
}

/* NT_PRSTATUS (struct elf_prstatus, 336 bytes) of thread TID. */
static void prstatus(struct builder *b, int tid, int sig, uint64_t rip, uint64_t rsp)
{
	unsigned char d[336] = { 0 };
	uint64_t regs[27] = { 0 };

	memcpy(d + 12, &(int16_t){ (int16_t)sig }, 2);
	memcpy(d + 32, &tid, 4);
	regs[CORE_RIP] = rip;
	regs[CORE_RSP] = rsp;
	memcpy(d + 112, regs, sizeof(regs));
	note(b, NT_PRSTATUS, d, sizeof(d));
}

static void psinfo(struct builder *b, int pid, const char *comm, const char *args)
{
	unsigned char d[136] = { 0 };

	memcpy(d + 16, &(uint32_t){ 33 }, 4);
	memcpy(d + 24, &pid, 4);
	strncpy((char *)d + 40, comm, 16);
	strncpy((char *)d + 56, args, 80);
	note(b, NT_PRPSINFO, d, sizeof(d));
}

static void siginfo(struct builder *b, int signo, int code, uint64_t addr)
{
	unsigned char d[128] = { 0 };

	memcpy(d, &signo, 4);
	memcpy(d + 8, &code, 4);
	memcpy(d + 16, &addr, 8);
	note(b, NT_SIGINFO_, d, sizeof(d));
}

struct map { uint64_t start, end, pgoff; const char *path; };

static void file_note(struct builder *b, const struct map *m, size_t n, uint64_t claim)
{
	struct strbuf d = STRBUF_INIT;
	uint64_t count = claim ? claim : n, page = 4096;

	strbuf_add(&d, &count, 8);
	strbuf_add(&d, &page, 8);
	for (size_t i = 0; i < n; i++) {
		strbuf_add(&d, &m[i].start, 8);
		strbuf_add(&d, &m[i].end, 8);
		strbuf_add(&d, &m[i].pgoff, 8);
	}
	for (size_t i = 0; i < n; i++)
		strbuf_add(&d, m[i].path, strlen(m[i].path) + 1);
	note(b, NT_FILE_, d.buf, (uint32_t)d.len);
	strbuf_release(&d);
}

static struct strbuf *segment(struct builder *b, uint64_t vaddr, uint64_t memsz)
{
	b->seg[b->nr_seg].vaddr = vaddr;
	b->seg[b->nr_seg].memsz = memsz;
	strbuf_init(&b->seg[b->nr_seg].data, 0);
	return &b->seg[b->nr_seg++].data;
}

/* The core as a memory file; *size its length. */
static int core_build(struct builder *b, size_t *size)
{
	struct strbuf out = STRBUF_INIT;
	Elf64_Ehdr eh = { 0 };
	Elf64_Phdr ph;
	uint64_t off;
	int fd = memfd_create("test-core", MFD_CLOEXEC);

	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_type = b->type;
	eh.e_machine = b->machine;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(ph);
	eh.e_phnum = (uint16_t)(1 + b->nr_seg);
	strbuf_add(&out, &eh, sizeof(eh));
	off = sizeof(eh) + (1 + b->nr_seg) * sizeof(ph);
	ph = (Elf64_Phdr){ .p_type = PT_NOTE, .p_offset = off, .p_filesz = b->notes.len };
	strbuf_add(&out, &ph, sizeof(ph));
	off += b->notes.len;
	for (int i = 0; i < b->nr_seg; i++) {
		off = (off + 4095) & ~4095ull;
		ph = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = off, .p_vaddr = b->seg[i].vaddr,
				   .p_filesz = b->seg[i].data.len, .p_memsz = b->seg[i].memsz,
				   .p_flags = PF_R | PF_W, .p_align = 4096 };
		strbuf_add(&out, &ph, sizeof(ph));
		off += b->seg[i].data.len;
	}
	strbuf_add(&out, b->notes.buf, b->notes.len);
	for (int i = 0; i < b->nr_seg; i++) {
		while (out.len % 4096)
			strbuf_addch(&out, 0);
		strbuf_add(&out, b->seg[i].data.buf, b->seg[i].data.len);
		strbuf_release(&b->seg[i].data);
	}
	assert_int_equal(write(fd, out.buf, out.len), (ssize_t)out.len);
	if (size)
		*size = out.len;
	strbuf_release(&out);
	strbuf_release(&b->notes);
	return fd;
}

static bool has_warning(struct core_file *c, const char *needle)
{
	for (size_t i = 0; i < core_nr_warnings(c); i++)
		if (strstr(core_warning(c, i), needle))
			return true;
	return false;
}

static void notes_and_memory(void **state)
{
	struct builder b;
	struct strbuf *stack;
	struct map maps[] = {
		{ 0x400000, 0x401000, 0, "/nonexistent/ksift-test/prog" },
		{ 0x401000, 0x403000, 1, "/nonexistent/ksift-test/prog" },
		{ 0x7f0000000000, 0x7f0000002000, 0, "/nonexistent/ksift-test/libx.so (deleted)" },
	};
	struct core_file *c;
	char *err = NULL, buf[16];
	int fd;

	(void)state;
	b_init(&b);
	prstatus(&b, 4242, 11, 0x401234, 0x7ffc00001000);
	psinfo(&b, 4240, "prog", "prog --serve ");
	siginfo(&b, 11, 1, 0x10);
	file_note(&b, maps, 3, 0);
	prstatus(&b, 4243, 11, 0x7f0000000100, 0x7ffc00002000);
	stack = segment(&b, 0x7ffc00000000, 0x4000);
	for (int i = 0; i < 0x4000; i++)
		strbuf_addch(stack, (char)(i & 0xff));
	segment(&b, 0x400000, 0x1000);	/* text: not dumped */
	fd = core_build(&b, NULL);
	c = core_open("test.core", fd, NULL, &err);
	assert_non_null(c);
	assert_int_equal(core_nr_threads(c), 2);
	assert_int_equal(core_thread(c, 0)->tid, 4242);
	assert_int_equal(core_thread(c, 0)->cursig, 11);
	assert_int_equal(core_thread(c, 1)->regs[CORE_RIP], 0x7f0000000100);
	assert_string_equal(core_process(c)->comm, "prog");
	assert_int_equal(core_process(c)->pid, 4240);
	assert_int_equal(core_process(c)->uid, 33);
	assert_true(core_process(c)->has_fault_addr);
	assert_int_equal(core_process(c)->fault_addr, 0x10);
	/* Two modules: prog's two mappings are one; " (deleted)" removed. */
	assert_int_equal(core_nr_modules(c), 2);
	assert_string_equal(core_module(c, 0)->name, "prog");
	assert_int_equal(core_module(c, 0)->end, 0x403000);
	assert_true(core_module(c, 1)->deleted);
	assert_string_equal(core_module(c, 1)->name, "libx.so");
	assert_int_equal(core_module_index(c, 0x402fff), 0);
	assert_int_equal(core_module_index(c, 0x7f0000001000), 1);
	assert_int_equal(core_module_index(c, 0x500000), -1);
	/* Dumped memory reads back; a read stops where the segment ends. */
	assert_int_equal(core_read(c, 0x7ffc00000010, buf, 4), 4);
	assert_int_equal((unsigned char)buf[0], 0x10);
	assert_int_equal(core_read(c, 0x7ffc00003ffe, buf, 8), 2);
	/* Text not dumped, its file missing: nothing, and a warning naming it. */
	assert_int_equal(core_read(c, 0x400010, buf, 4), 0);
	assert_true(has_warning(c, "/nonexistent/ksift-test/prog: No such file or directory"));
	/* The command line falls back to pr_psargs, trailing blank dropped. */
	{
		char *cmd = core_cmdline(c);
		assert_string_equal(cmd, "prog --serve");
		free(cmd);
	}
	core_close(c);
	close(fd);
}

static void text_from_the_mapped_file(void **state)
{
	struct builder b;
	char path[] = "/tmp/ksift-test-core-XXXXXX", buf[8];
	struct map maps[1] = { { 0x400000, 0x402000, 0, path } };
	struct core_file *c;
	char *err = NULL;
	int fd, ffd = mkstemp(path);

	(void)state;
	assert_true(ffd >= 0);
	for (int i = 0; i < 0x2000; i++)
		assert_int_equal(write(ffd, &(char){ (char)(0x40 + i % 26) }, 1), 1);
	close(ffd);
	b_init(&b);
	prstatus(&b, 1, 11, 0x400100, 0);
	file_note(&b, maps, 1, 0);
	segment(&b, 0x400000, 0x2000);	/* memsz only: the text is the file's */
	fd = core_build(&b, NULL);
	c = core_open("test.core", fd, NULL, &err);
	assert_non_null(c);
	assert_int_equal(core_read(c, 0x401001, buf, 4), 4);
	assert_memory_equal(buf, "OPQR", 4);	/* 0x40 + 0x1001 % 26 */
	/* No header page in the core to compare build IDs with. */
	assert_int_equal(core_module(c, 0)->file_state, CORE_FILE_UNVERIFIED);
	core_close(c);
	close(fd);
	unlink(path);
}

/* create_elf_tables()'s initial stack: argc, argv[], NULL, envp[], NULL,
   auxv, then the strings; AT_EXECFN points at the file name. */
static void cmdline_from_the_stack(void **state)
{
	struct builder b;
	struct strbuf *st;
	const uint64_t base = 0x7ffd00000000, strs = base + 0x800;
	uint64_t w, auxv[6] = { AT_SYSINFO_EHDR, 0, AT_EXECFN, 0, AT_NULL, 0 };
	struct core_file *c;
	char *err = NULL, *cmd;
	int fd;

	(void)state;
	auxv[3] = strs + 20;	/* "/usr/bin/prog" below */
	b_init(&b);
	prstatus(&b, 7, 6, 0, base + 0x100);
	psinfo(&b, 7, "prog", "truncated args");
	note(&b, NT_AUXV, auxv, sizeof(auxv));
	st = segment(&b, base, 0x1000);
	strbuf_addstr(st, "");
	while (st->len < 0x400)
		strbuf_addch(st, 0);
	w = 2; strbuf_add(st, &w, 8);			/* argc */
	w = strs; strbuf_add(st, &w, 8);		/* argv[0] */
	w = strs + 5; strbuf_add(st, &w, 8);		/* argv[1] */
	w = 0; strbuf_add(st, &w, 8);
	w = strs + 16; strbuf_add(st, &w, 8);		/* envp[0] */
	w = 0; strbuf_add(st, &w, 8);
	strbuf_add(st, auxv, sizeof(auxv));
	while (st->len < 0x800)
		strbuf_addch(st, 0);
	strbuf_add(st, "prog\0--long-arg\0A=1\0/usr/bin/prog\0", 35);
	while (st->len < 0x1000)
		strbuf_addch(st, 0);
	fd = core_build(&b, NULL);
	c = core_open("test.core", fd, NULL, &err);
	assert_non_null(c);
	cmd = core_cmdline(c);
	assert_string_equal(cmd, "prog --long-arg");
	free(cmd);
	core_close(c);
	close(fd);
}

static void lying_notes(void **state)
{
	struct builder b;
	struct map m[1] = { { 0x1000, 0x2000, 0, "/x" } };
	unsigned char shortpr[100] = { 0 };
	struct core_file *c;
	char *err = NULL;
	int fd;

	(void)state;
	/* NT_FILE claiming more mappings than it has bytes for. */
	b_init(&b);
	prstatus(&b, 1, 11, 0, 0);
	file_note(&b, m, 1, 1000000);
	note(&b, NT_PRSTATUS, shortpr, sizeof(shortpr));	/* too short */
	fd = core_build(&b, NULL);
	c = core_open("test.core", fd, NULL, &err);
	assert_non_null(c);
	assert_true(has_warning(c, "NT_FILE note claims 1000000 mappings"));
	assert_true(has_warning(c, "NT_PRSTATUS note of 100 bytes, too short"));
	assert_int_equal(core_nr_modules(c), 0);
	assert_int_equal(core_nr_threads(c), 1);
	assert_int_equal(core_nr_threads_total(c), 2);
	core_close(c);
	close(fd);

	/* A note whose descsz runs past its segment: the notes after it go. */
	b_init(&b);
	prstatus(&b, 1, 11, 0, 0);
	{
		uint32_t *h = (uint32_t *)b.notes.buf;
		h[1] = 0xfffffff0u;
	}
	fd = core_build(&b, NULL);
	c = core_open("test.core", fd, NULL, &err);
	assert_non_null(c);
	assert_true(has_warning(c, "past its segment's end"));
	assert_true(has_warning(c, "no thread registers"));
	core_close(c);
	close(fd);
}

static void damaged_headers(void **state)
{
	struct builder b;
	struct core_file *c;
	char *err = NULL;
	size_t size;
	int fd;

	(void)state;
	/* Another machine: refused, naming it. */
	b_init(&b);
	b.machine = EM_AARCH64;
	prstatus(&b, 1, 11, 0, 0);
	fd = core_build(&b, NULL);
	assert_null(core_open("arm.core", fd, NULL, &err));
	assert_string_equal(err, "core dump of a aarch64 process: only x86_64 cores are read");
	free(err);
	close(fd);
	/* An executable is not a core. */
	b_init(&b);
	b.type = ET_EXEC;
	fd = core_build(&b, NULL);
	assert_null(core_open("exe", fd, NULL, &err));
	assert_string_equal(err, "an ELF file but not a core dump");
	free(err);
	close(fd);
	/* PN_XNUM without section header 0. */
	b_init(&b);
	prstatus(&b, 1, 11, 0, 0);
	fd = core_build(&b, NULL);
	assert_int_equal(pwrite(fd, &(uint16_t){ PN_XNUM }, 2, offsetof(Elf64_Ehdr, e_phnum)), 2);
	assert_null(core_open("xnum.core", fd, NULL, &err));
	assert_non_null(strstr(err, "PN_XNUM"));
	free(err);
	close(fd);
	/* Cut in the middle of its memory: opened, with what it has. */
	b_init(&b);
	prstatus(&b, 1, 11, 0, 0x10000);
	{
		struct strbuf *s = segment(&b, 0x10000, 0x2000);
		for (int i = 0; i < 0x2000; i++)
			strbuf_addch(s, 'x');
	}
	fd = core_build(&b, &size);
	assert_int_equal(ftruncate(fd, (off_t)(size - 0x1000)), 0);
	c = core_open("cut.core", fd, NULL, &err);
	assert_non_null(c);
	assert_true(has_warning(c, "truncated: 4096 bytes of dumped memory lie past the end"));
	{
		char buf[0x2000];
		assert_int_equal(core_read(c, 0x10000, buf, sizeof(buf)), 0x1000);
	}
	core_close(c);
	close(fd);
	/* Not ELF at all. */
	fd = memfd_create("junk", 0);
	assert_int_equal(write(fd, "hello world, not a core", 23), 23);
	assert_null(core_open("junk", fd, NULL, &err));
	assert_string_equal(err, "not an ELF file");
	free(err);
	close(fd);
}

static void thread_cap(void **state)
{
	struct builder b;
	struct core_file *c;
	char *err = NULL;
	int fd;

	(void)state;
	b_init(&b);
	for (unsigned i = 0; i < CORE_MAX_THREADS + 5; i++)
		prstatus(&b, (int)i + 1, 0, 0, 0);
	fd = core_build(&b, NULL);
	c = core_open("many.core", fd, NULL, &err);
	assert_non_null(c);
	assert_int_equal(core_nr_threads(c), CORE_MAX_THREADS);
	assert_int_equal(core_nr_threads_total(c), CORE_MAX_THREADS + 5);
	assert_true(has_warning(c, "threads: the others are left out"));
	core_close(c);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(notes_and_memory),
		cmocka_unit_test(text_from_the_mapped_file),
		cmocka_unit_test(cmdline_from_the_stack),
		cmocka_unit_test(lying_notes),
		cmocka_unit_test(damaged_headers),
		cmocka_unit_test(thread_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
