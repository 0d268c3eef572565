/*
** core: ELF core headers, notes, threads and mapped files (core.h). The
** memory layer (segments, page cache, file fallback) is coremem.c.
*/
#define _GNU_SOURCE
#include "config.h"
#include "core.h"
#include "core_impl.h"
#include "strbuf.h"
#include "util.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif
#ifndef NT_SIGINFO
#define NT_SIGINFO 0x53494749
#endif

/* struct elf_prstatus on x86_64 (include/linux/elfcore.h): the offsets the
 * kernel's fill_prstatus() writes. */
#define PRSTATUS_CURSIG 12
#define PRSTATUS_PID 32
#define PRSTATUS_REGS 112
#define PRSTATUS_MIN (PRSTATUS_REGS + 8 * CORE_NREGS)
/* struct elf_prpsinfo on x86_64 (fill_psinfo()). */
#define PSINFO_UID 16
#define PSINFO_GID 20
#define PSINFO_PID 24
#define PSINFO_PPID 28
#define PSINFO_FNAME 40
#define PSINFO_PSARGS 56
#define PSINFO_SIZE 136
#define NOTE_WINDOW (64u << 10)
#define AUXV_MAX (64u << 10)

static uint32_t rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

/* --- notes ------------------------------------------------------------ */

/* A window over the core for walking notes without a syscall per field. */
struct note_window {
	unsigned char *buf;
	uint64_t start;
	size_t len;
};

/* Pointer to LEN bytes at OFF (LEN <= NOTE_WINDOW), or NULL past the end. */
static const unsigned char *window_at(struct core_file *c, struct note_window *w,
				      uint64_t off, size_t len)
{
	if (off >= w->start && off + len <= w->start + w->len)
		return w->buf + (off - w->start);
	if (off >= c->file_size || len > c->file_size - off)
		return NULL;
	w->start = off;
	w->len = core_pread(c, c->fd, w->buf, NOTE_WINDOW, off);
	if (len > w->len)
		return NULL;
	return w->buf;
}

static void add_thread(struct core_file *c, const unsigned char *d, uint64_t sz)
{
	struct core_thread *t;

	c->nr_threads_total++;
	if (sz < PRSTATUS_MIN) {
		core_warn(c, "NT_PRSTATUS note of %llu bytes, too short: thread left out",
			  (unsigned long long)sz);
		return;
	}
	if (c->nr_threads >= CORE_MAX_THREADS) {
		if (c->nr_threads == CORE_MAX_THREADS && c->nr_threads_total == CORE_MAX_THREADS + 1)
			core_warn(c, "more than %u threads: the others are left out",
				  CORE_MAX_THREADS);
		return;
	}
	ALLOC_GROW(c->threads, c->nr_threads + 1, c->alloc_threads);
	t = &c->threads[c->nr_threads++];
	t->tid = (int32_t)rd32(d + PRSTATUS_PID);
	t->cursig = (int16_t)(d[PRSTATUS_CURSIG] | d[PRSTATUS_CURSIG + 1] << 8);
	for (int i = 0; i < CORE_NREGS; i++)
		t->regs[i] = rd64(d + PRSTATUS_REGS + 8 * i);
}

static void copy_cstr(char *dst, size_t dstsz, const unsigned char *src, size_t srclen)
{
	size_t n = 0;

	while (n < srclen && n + 1 < dstsz && src[n])
		n++;
	memcpy(dst, src, n);
	dst[n] = 0;
}

static void parse_psinfo(struct core_file *c, const unsigned char *d, uint64_t sz)
{
	struct core_process *p = &c->proc;

	if (sz < PSINFO_SIZE) {
		core_warn(c, "NT_PRPSINFO note of %llu bytes, too short: ignored",
			  (unsigned long long)sz);
		return;
	}
	p->has_psinfo = true;
	p->uid = rd32(d + PSINFO_UID);
	p->gid = rd32(d + PSINFO_GID);
	p->pid = (int32_t)rd32(d + PSINFO_PID);
	p->ppid = (int32_t)rd32(d + PSINFO_PPID);
	copy_cstr(p->comm, sizeof(p->comm), d + PSINFO_FNAME, 16);
	copy_cstr(p->psargs, sizeof(p->psargs), d + PSINFO_PSARGS, 80);
}

/* siginfo_t as copy_siginfo_to_external() lays it out (x86_64): signo,
 * errno, code, then the union at offset 16. */
static void parse_siginfo(struct core_file *c, const unsigned char *d, uint64_t sz)
{
	struct core_process *p = &c->proc;
	int signo;

	if (sz < 24) {
		core_warn(c, "NT_SIGINFO note of %llu bytes, too short: ignored",
			  (unsigned long long)sz);
		return;
	}
	signo = (int32_t)rd32(d);
	p->has_siginfo = true;
	p->signo = signo;
	p->err = (int32_t)rd32(d + 4);
	p->code = (int32_t)rd32(d + 8);
	if (p->code > 0 && p->code != 0x80 &&
	    (signo == 4 || signo == 5 || signo == 7 || signo == 8 || signo == 11)) {
		p->has_fault_addr = true;	/* SIGILL SIGTRAP SIGBUS SIGFPE SIGSEGV */
		p->fault_addr = rd64(d + 16);
	} else if (p->code <= 0) {
		p->has_sender = true;		/* SI_USER, SI_TKILL, SI_QUEUE, … */
		p->sender_pid = (int32_t)rd32(d + 16);
		p->sender_uid = rd32(d + 20);
	}
}

static void parse_auxv(struct core_file *c, const unsigned char *d, uint64_t sz)
{
	struct core_process *p = &c->proc;

	for (uint64_t i = 0; i + 16 <= sz; i += 16) {
		uint64_t type = rd64(d + i), val = rd64(d + i + 8);
		switch (type) {
		case AT_PHDR: p->at_phdr = val; break;
		case AT_ENTRY: p->at_entry = val; break;
		case AT_BASE: p->at_base = val; break;
		case AT_EXECFN: p->at_execfn = val; break;
		case AT_SYSINFO_EHDR: p->at_sysinfo_ehdr = val; break;
		default: break;
		}
		if (type == AT_NULL)
			break;
	}
	/* The vector itself, to find it on the initial stack (core_cmdline). */
	c->auxv_len = sz < 64 ? (size_t)sz : 64;
	memcpy(c->auxv_head, d, c->auxv_len);
}

/* NT_FILE (fill_files_note()): count, page size, count × {start, end,
 * page offset}, then count NUL-terminated paths. */
static void parse_file_note(struct core_file *c, const unsigned char *d, uint64_t sz)
{
	uint64_t count, page, names_off, pos;

	if (sz < 16) {
		core_warn(c, "NT_FILE note of %llu bytes, too short: mapped files unknown",
			  (unsigned long long)sz);
		return;
	}
	count = rd64(d);
	page = rd64(d + 8);
	if (page < 512 || page > (1u << 30) || (page & (page - 1))) {
		core_warn(c, "NT_FILE note with page size %llu: mapped files unknown",
			  (unsigned long long)page);
		return;
	}
	if (count > (sz - 16) / 24) {
		/* fill_files_note() writes the exact count: the rest cannot be
		   trusted to line up either. */
		core_warn(c, "NT_FILE note claims %llu mappings in %llu bytes: mapped files unknown",
			  (unsigned long long)count, (unsigned long long)sz);
		return;
	}
	if (count > CORE_MAX_MAPPINGS) {
		core_warn(c, "NT_FILE note lists %llu mappings: only the first %u are used",
			  (unsigned long long)count, CORE_MAX_MAPPINGS);
	}
	names_off = 16 + count * 24;
	pos = names_off;
	for (uint64_t i = 0; i < count && i < CORE_MAX_MAPPINGS; i++) {
		const unsigned char *e = d + 16 + i * 24, *nul;
		struct core_mapping *m;
		uint64_t start = rd64(e), end = rd64(e + 8), pgoff = rd64(e + 16);

		if (pos >= sz || !(nul = memchr(d + pos, 0, sz - pos))) {
			core_warn(c, "NT_FILE note ends before the path of mapping %llu",
				  (unsigned long long)i);
			break;
		}
		if (end <= start || pgoff > UINT64_MAX / page) {
			pos = (uint64_t)(nul - d) + 1;
			continue;
		}
		ALLOC_GROW(c->mappings, c->nr_mappings + 1, c->alloc_mappings);
		m = &c->mappings[c->nr_mappings++];
		m->start = start;
		m->end = end;
		m->offset = pgoff * page;
		m->path = xmemdupz(d + pos, (size_t)(nul - (d + pos)));
		m->module = 0;
		pos = (uint64_t)(nul - d) + 1;
	}
}

static bool wanted_note(uint32_t type, uint64_t descsz, uint64_t *cap)
{
	switch (type) {
	case NT_PRSTATUS: *cap = 4096; return true;
	case NT_PRPSINFO: *cap = 4096; return true;
	case NT_SIGINFO: *cap = 4096; return true;
	case NT_AUXV: *cap = AUXV_MAX; return true;
	case NT_FILE: *cap = CORE_MAX_FILE_NOTE; return true;
	default: (void)descsz; return false;
	}
}

static void handle_note(struct core_file *c, uint32_t type, const unsigned char *d,
			uint64_t sz)
{
	switch (type) {
	case NT_PRSTATUS: add_thread(c, d, sz); break;
	case NT_PRPSINFO: parse_psinfo(c, d, sz); break;
	case NT_SIGINFO: parse_siginfo(c, d, sz); break;
	case NT_AUXV: parse_auxv(c, d, sz); break;
	case NT_FILE: parse_file_note(c, d, sz); break;
	default: break;
	}
}

/* Walks one PT_NOTE segment [off, off + size) of the file. */
static void walk_notes(struct core_file *c, struct note_window *w, uint64_t off,
		       uint64_t size, uint64_t *budget)
{
	uint64_t end = off + size, pos = off;

	while (pos + 12 <= end) {
		const unsigned char *h = window_at(c, w, pos, 12), *d;
		uint64_t namesz, descsz, name_off, desc_off, next, cap;
		uint32_t type;
		char name[8] = "";

		if (!h) {
			core_warn(c, "notes cut off at byte %llu (the core is truncated)",
				  (unsigned long long)pos);
			return;
		}
		namesz = rd32(h);
		descsz = rd32(h + 4);
		type = rd32(h + 8);
		name_off = pos + 12;
		desc_off = name_off + ((namesz + 3) & ~3ull);
		next = desc_off + ((descsz + 3) & ~3ull);
		if (desc_off > end || next > end) {
			core_warn(c, "note at byte %llu claims %llu+%llu bytes past its segment's end: notes after it ignored",
				  (unsigned long long)pos, (unsigned long long)namesz,
				  (unsigned long long)descsz);
			return;
		}
		if (next - pos > *budget) {
			core_warn(c, "notes larger than %llu bytes: the rest ignored",
				  (unsigned long long)CORE_MAX_NOTES_BYTES);
			return;
		}
		*budget -= next - pos;
		if (namesz >= 5 && namesz <= 6) {
			const unsigned char *n = window_at(c, w, name_off, (size_t)namesz);
			if (n)
				copy_cstr(name, sizeof(name), n, (size_t)namesz);
		}
		if (!strcmp(name, "CORE") && wanted_note(type, descsz, &cap)) {
			if (descsz > cap) {
				core_warn(c, "note of type 0x%x has %llu bytes (more than %llu): ignored",
					  type, (unsigned long long)descsz,
					  (unsigned long long)cap);
			} else if (descsz <= NOTE_WINDOW) {
				d = window_at(c, w, desc_off, (size_t)descsz);
				if (!d) {
					core_warn(c, "note of type 0x%x cut off (the core is truncated)", type);
					return;
				}
				handle_note(c, type, d, descsz);
			} else {
				unsigned char *big = xmalloc((size_t)descsz);
				if (core_pread(c, c->fd, big, (size_t)descsz, desc_off) == descsz)
					handle_note(c, type, big, descsz);
				else
					core_warn(c, "note of type 0x%x cut off (the core is truncated)", type);
				free(big);
			}
		}
		pos = next;
	}
}

/* --- headers ------------------------------------------------------------ */

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "i386";
	case EM_ARM: return "arm";
	case EM_AARCH64: return "aarch64";
	case EM_PPC64: return "ppc64";
	case EM_PPC: return "ppc";
	case EM_S390: return "s390";
	case EM_RISCV: return "riscv";
	case EM_MIPS: return "mips";
	case EM_X86_64: return "x86_64";
	default: return NULL;
	}
}

/* Checks the ELF header; on failure *err says why. */
static bool check_ehdr(const unsigned char *e, size_t n, char **err)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned machine;

	if (n < EI_NIDENT || memcmp(e, ELFMAG, SELFMAG)) {
		*err = xstrdup("not an ELF file");
		return false;
	}
	if (n < sizeof(Elf64_Ehdr) && e[EI_CLASS] == ELFCLASS64) {
		*err = xstrdup("ELF header cut off");
		return false;
	}
	if (n >= 20 && e[EI_DATA] == ELFDATA2LSB &&
	    (e[16] | e[17] << 8) != ET_CORE) {
		*err = xstrdup("an ELF file but not a core dump");
		return false;
	}
	machine = n >= 20 ? (unsigned)(e[18] | e[19] << 8) : 0;
	if (e[EI_DATA] != ELFDATA2LSB) {
		*err = xstrdup("big-endian core dump: only x86_64 cores are read");
		return false;
	}
	if (e[EI_CLASS] != ELFCLASS64 || machine != EM_X86_64) {
		const char *mn = machine_name(machine);
		if (mn)
			strbuf_addf(&sb, "core dump of a %s%s process: only x86_64 cores are read",
				    mn, e[EI_CLASS] == ELFCLASS32 ? " (32-bit)" : "");
		else
			strbuf_addf(&sb, "core dump for ELF machine %u, class %u: only x86_64 cores are read",
				    machine, e[EI_CLASS]);
		*err = strbuf_detach(&sb, NULL);
		return false;
	}
	return true;
}

static bool read_phdrs(struct core_file *c, const Elf64_Ehdr *eh, char **err)
{
	uint64_t phnum = eh->e_phnum, phoff = eh->e_phoff;
	uint64_t note_budget = CORE_MAX_NOTES_BYTES;
	struct note_window w = { NULL, 0, 0 };
	unsigned char *ph;
	size_t got, nph;

	if (phnum == PN_XNUM) {		/* the real count is section 0's sh_info */
		Elf64_Shdr sh;
		if (!eh->e_shoff || eh->e_shoff >= c->file_size ||
		    core_pread(c, c->fd, &sh, sizeof(sh), eh->e_shoff) != sizeof(sh)) {
			*err = xstrdup("e_phnum is PN_XNUM but section header 0, which holds the count, is missing");
			return false;
		}
		phnum = sh.sh_info;
	}
	if (!phnum || eh->e_phentsize != sizeof(Elf64_Phdr)) {
		*err = xstrdup("core dump without program headers");
		return false;
	}
	if (phoff >= c->file_size) {
		*err = xstrdup("program headers past the end of the file (truncated core)");
		return false;
	}
	if (phnum > CORE_MAX_SEGMENTS + 64) {
		core_warn(c, "%llu program headers: only the first %u are read",
			  (unsigned long long)phnum, CORE_MAX_SEGMENTS + 64);
		phnum = CORE_MAX_SEGMENTS + 64;
	}
	ph = xmalloc((size_t)phnum * sizeof(Elf64_Phdr));
	got = core_pread(c, c->fd, ph, (size_t)phnum * sizeof(Elf64_Phdr), phoff);
	nph = got / sizeof(Elf64_Phdr);
	if (nph < phnum)
		core_warn(c, "program headers cut off after %zu of %llu (truncated core)",
			  nph, (unsigned long long)phnum);
	w.buf = xmalloc(NOTE_WINDOW);
	for (size_t i = 0; i < nph; i++) {
		Elf64_Phdr p;

		memcpy(&p, ph + i * sizeof(p), sizeof(p));
		if (p.p_type == PT_LOAD) {
			core_add_segment(c, &p);
		} else if (p.p_type == PT_NOTE) {
			uint64_t size = p.p_filesz;
			if (p.p_offset >= c->file_size) {
				core_warn(c, "PT_NOTE segment past the end of the file (truncated core)");
				continue;
			}
			if (size > c->file_size - p.p_offset) {
				core_warn(c, "PT_NOTE segment cut off (truncated core)");
				size = c->file_size - p.p_offset;
			}
			walk_notes(c, &w, p.p_offset, size, &note_budget);
		}
	}
	free(w.buf);
	free(ph);
	core_finish_segments(c);
	return true;
}

/* --- modules ---------------------------------------------------------- */

static char *strip_deleted(const char *path, bool *deleted)
{
	static const char suffix[] = " (deleted)";
	size_t n = strlen(path), s = sizeof(suffix) - 1;

	*deleted = n > s && !strcmp(path + n - s, suffix);
	return xstrndup(path, *deleted ? n - s : n);
}

static struct core_module *new_module(struct core_file *c, const char *path)
{
	struct core_module *m;
	const char *slash;

	ALLOC_GROW(c->modules, c->nr_modules + 1, c->alloc_modules);
	m = &c->modules[c->nr_modules++];
	memset(m, 0, sizeof(*m));
	m->path = strip_deleted(path, &m->deleted);
	slash = strrchr(m->path, '/');
	m->name = xstrdup(slash ? slash + 1 : m->path);
	m->fd = -1;
	return m;
}

/* NT_FILE is in address order (the kernel walks the VMAs); a module is a run
 * of mappings of one path that starts at file offset 0 (or at its first). */
static void build_modules(struct core_file *c)
{
	struct core_module *cur = NULL;
	const char *cur_path = NULL;

	for (size_t i = 0; i < c->nr_mappings; i++) {
		struct core_mapping *mp = &c->mappings[i];

		if (!cur || strcmp(cur_path, mp->path) || mp->offset == 0) {
			cur = new_module(c, mp->path);
			cur_path = mp->path;
			cur->start = mp->start;
		}
		if (mp->offset == 0 && !cur->has_base) {
			cur->base = mp->start;
			cur->has_base = true;
		}
		if (mp->end > cur->end)
			cur->end = mp->end;
		if (mp->start < cur->start)
			cur->start = mp->start;
		mp->module = c->nr_modules - 1;
	}
	if (c->proc.at_sysinfo_ehdr) {
		struct core_module *m = new_module(c, "[vdso]");
		m->base = m->start = c->proc.at_sysinfo_ehdr;
		m->has_base = true;
		m->end = core_segment_end(c, m->base);
		if (m->end <= m->start)
			c->nr_modules--, free(m->path), free(m->name);
	}
	for (size_t i = 0; i < c->nr_modules; i++)
		core_module_headers(c, &c->modules[i]);
	for (size_t i = 0; i < c->nr_modules; i++) {
		struct core_module *m = &c->modules[i];
		uint64_t a = c->proc.at_phdr ? c->proc.at_phdr : c->proc.at_entry;
		if (a && a >= m->start && a < m->end && strcmp(m->path, "[vdso]")) {
			m->is_executable = true;
			c->executable = (long)i;
			break;
		}
	}
}

static int cmp_mapping(const void *a, const void *b)
{
	const struct core_mapping *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

struct core_file *core_open(const char *name, int fd, const struct core_options *opts,
			    char **err)
{
	struct core_file *c = xcalloc(1, sizeof(*c));
	unsigned char eh[sizeof(Elf64_Ehdr)];
	Elf64_Ehdr ehdr;
	struct stat st;
	size_t n;

	c->name = xstrdup(name);
	c->fd = fd;
	c->executable = -1;
	c->proc.pid = c->proc.ppid = c->proc.uid = c->proc.gid = -1;
	if (opts && opts->sysroot && *opts->sysroot)
		c->sysroot = xstrdup(opts->sysroot);
	if (fstat(fd, &st) != 0) {
		*err = xstrdup(strerror(errno));
		goto fail;
	}
	c->file_size = (uint64_t)st.st_size;
	n = core_pread(c, fd, eh, sizeof(eh), 0);
	if (!check_ehdr(eh, n, err))
		goto fail;
	memcpy(&ehdr, eh, sizeof(ehdr));
	core_cache_init(c);
	if (!read_phdrs(c, &ehdr, err))
		goto fail;
	if (c->nr_mappings > 1)
		qsort(c->mappings, c->nr_mappings, sizeof(*c->mappings), cmp_mapping);
	if (!c->nr_threads)
		core_warn(c, "no thread registers (NT_PRSTATUS) in the core: no stack can be unwound");
	if (!(opts && opts->headers_only))
		build_modules(c);
	return c;
fail:
	core_close(c);
	return NULL;
}

void core_close(struct core_file *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->nr_modules; i++) {
		struct core_module *m = &c->modules[i];
		if (m->fd >= 0)
			close(m->fd);
		free(m->path);
		free(m->name);
		free(m->file_path);
		free(m->package);
		free(m->package_version);
	}
	free(c->modules);
	for (size_t i = 0; i < c->nr_mappings; i++)
		free(c->mappings[i].path);
	free(c->mappings);
	for (size_t i = 0; i < c->nr_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c->threads);
	core_memory_release(c);
	free(c->sysroot);
	free(c->name);
	free(c);
}

const char *core_name(const struct core_file *c) { return c->name; }
const struct core_process *core_process(const struct core_file *c) { return &c->proc; }
size_t core_nr_threads(const struct core_file *c) { return c->nr_threads; }
size_t core_nr_threads_total(const struct core_file *c) { return c->nr_threads_total; }
size_t core_nr_modules(const struct core_file *c) { return c->nr_modules; }
long core_executable(const struct core_file *c) { return c->executable; }
size_t core_nr_warnings(const struct core_file *c) { return c->nr_warnings; }
const char *core_warning(const struct core_file *c, size_t i) { return c->warnings[i]; }
size_t core_warnings_dropped(const struct core_file *c) { return c->warnings_dropped; }
uint64_t core_bytes_read(const struct core_file *c) { return c->bytes_read; }

const struct core_thread *core_thread(const struct core_file *c, size_t i)
{
	return i < c->nr_threads ? &c->threads[i] : NULL;
}

struct core_module *core_module(struct core_file *c, size_t i)
{
	return i < c->nr_modules ? &c->modules[i] : NULL;
}

long core_module_index(const struct core_file *c, uint64_t addr)
{
	size_t lo = 0, hi = c->nr_mappings;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->mappings[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr < c->mappings[lo - 1].end)
		return (long)c->mappings[lo - 1].module;
	for (size_t i = 0; i < c->nr_modules; i++)	/* the vDSO has no mapping */
		if (addr >= c->modules[i].start && addr < c->modules[i].end &&
		    !strcmp(c->modules[i].path, "[vdso]"))
			return (long)i;
	return -1;
}
