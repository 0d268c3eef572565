/*
** coremem: the crashed process's memory as the core and its mapped files
** hold it (core.h): PT_LOAD index, a small page cache over pread(), the
** mapped files of NT_FILE (opened on first need and checked by build ID),
** each module's ELF headers, and the command line from the initial stack.
*/
#define _GNU_SOURCE
#include "config.h"
#include "core.h"
#include "core_impl.h"
#include "strbuf.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PAGE 4096u
#define MAX_MODULE_PHDRS 128u
#define MAX_BUILD_ID 64u
#define CMDLINE_SEARCH (1u << 20)	/* below AT_EXECFN, for the auxv copy */
#define CMDLINE_MAX_ARGS 4096u
#define CMDLINE_MAX_BYTES (64u << 10)

/* --- diagnostics and reads ----------------------------------------------- */

void core_warn(struct core_file *c, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (c->nr_warnings >= CORE_MAX_WARNINGS) {
		c->warnings_dropped++;
		return;
	}
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(c->warnings, c->nr_warnings + 1, c->alloc_warnings);
	c->warnings[c->nr_warnings++] = strbuf_detach(&sb, NULL);
}

size_t core_pread(struct core_file *c, int fd, void *buf, size_t len, uint64_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	c->bytes_read += done;
	return done;
}

/* --- segments ---------------------------------------------------------- */

void core_cache_init(struct core_file *c)
{
	c->pages = xcalloc(CORE_PAGE_CACHE, sizeof(*c->pages));
	c->page_data = xmalloc((size_t)CORE_PAGE_CACHE * PAGE);
	for (size_t i = 0; i < CORE_PAGE_CACHE; i++)
		c->pages[i].data = c->page_data + i * PAGE;
}

void core_memory_release(struct core_file *c)
{
	free(c->pages);
	free(c->page_data);
	free(c->segs);
}

void core_add_segment(struct core_file *c, const Elf64_Phdr *p)
{
	struct core_segment *s;
	uint64_t filesz = p->p_filesz, avail;

	if (!p->p_memsz || p->p_vaddr + p->p_memsz < p->p_vaddr)
		return;
	if (c->nr_segs >= CORE_MAX_SEGMENTS) {
		if (!c->segs_dropped)
			core_warn(c, "more than %u memory segments: the others are left out",
				  CORE_MAX_SEGMENTS);
		c->segs_dropped = true;
		return;
	}
	if (filesz > p->p_memsz)
		filesz = p->p_memsz;
	avail = p->p_offset >= c->file_size ? 0 : c->file_size - p->p_offset;
	if (filesz > avail) {
		c->segs_missing += filesz - avail;
		filesz = avail;
	}
	ALLOC_GROW(c->segs, c->nr_segs + 1, c->alloc_segs);
	s = &c->segs[c->nr_segs++];
	s->vaddr = p->p_vaddr;
	s->memsz = p->p_memsz;
	s->offset = p->p_offset;
	s->filesz = filesz;
}

static int cmp_seg(const void *a, const void *b)
{
	const struct core_segment *x = a, *y = b;

	return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

void core_finish_segments(struct core_file *c)
{
	if (c->nr_segs > 1)
		qsort(c->segs, c->nr_segs, sizeof(*c->segs), cmp_seg);
	if (c->segs_missing)
		core_warn(c, "truncated: %llu bytes of dumped memory lie past the end of the file (%llu bytes)",
			  (unsigned long long)c->segs_missing,
			  (unsigned long long)c->file_size);
}

static const struct core_segment *find_seg(const struct core_file *c, uint64_t addr)
{
	size_t lo = 0, hi = c->nr_segs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->segs[mid].vaddr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo && addr - c->segs[lo - 1].vaddr < c->segs[lo - 1].memsz)
		return &c->segs[lo - 1];
	return NULL;
}

uint64_t core_segment_end(const struct core_file *c, uint64_t addr)
{
	const struct core_segment *s = find_seg(c, addr);

	return s ? s->vaddr + s->memsz : 0;
}

/* --- page cache -------------------------------------------------------- */

/* LEN bytes (within one page) of source SRC (0 = the core, 1 + i = module
 * i's file) at file offset OFF; returns how many were there. */
static size_t cached_read(struct core_file *c, uint64_t src, int fd, uint64_t fsize,
			  uint64_t off, void *buf, size_t len)
{
	uint64_t pageno = off / PAGE, key = (src + 1) << 48 | pageno;
	size_t in = (size_t)(off % PAGE), n;
	struct core_page *pg;

	pg = &c->pages[(key * 0x9E3779B97F4A7C15ull) >> 56 & (CORE_PAGE_CACHE - 1)];
	if (pg->key != key) {
		uint64_t start = pageno * PAGE;
		size_t want = PAGE;
		if (start >= fsize)
			return 0;
		if (fsize - start < want)
			want = (size_t)(fsize - start);
		pg->len = (uint32_t)core_pread(c, fd, pg->data, want, start);
		pg->key = key;
	}
	if (in >= pg->len)
		return 0;
	n = pg->len - in;
	if (n > len)
		n = len;
	memcpy(buf, pg->data + in, n);
	return n;
}

/* --- mapped files ------------------------------------------------------ */

static void hex_id(const unsigned char *id, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
	out[2 * n] = 0;
}

/* The NT_GNU_BUILD_ID in a buffer of notes, as hex into OUT. */
static bool notes_build_id(const unsigned char *d, size_t n, char *out)
{
	size_t pos = 0;

	while (pos + 12 <= n) {
		uint32_t namesz, descsz, type;
		size_t name_off, desc_off;

		memcpy(&namesz, d + pos, 4);
		memcpy(&descsz, d + pos + 4, 4);
		memcpy(&type, d + pos + 8, 4);
		name_off = pos + 12;
		if (namesz > n || descsz > n)
			return false;
		desc_off = name_off + ((namesz + 3u) & ~3u);
		if (desc_off > n || descsz > n - desc_off)
			return false;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(d + name_off, "GNU", 4) &&
		    descsz > 0 && descsz <= MAX_BUILD_ID) {
			hex_id(d + desc_off, descsz, out);
			return true;
		}
		pos = desc_off + ((descsz + 3u) & ~3u);
	}
	return false;
}

/* "KEY":"value" in a flat JSON object (a package note's), or NULL. */
static char *json_field(const char *j, size_t n, const char *key)
{
	char pat[32];
	const char *p, *e, *end = j + n;

	snprintf(pat, sizeof(pat), "\"%s\"", key);
	if (!(p = mem_find(j, n, pat)))
		return NULL;
	p += strlen(pat);
	while (p < end && (*p == ' ' || *p == ':'))
		p++;
	if (p >= end || *p != '"')
		return NULL;
	for (e = ++p; e < end && *e != '"' && *e != '\\'; e++)
		;
	return e < end && *e == '"' && e > p && e - p < 128 ? xmemdupz(p, (size_t)(e - p)) : NULL;
}

/* systemd's package note (name "FDO", type 0xcafe1a7e: JSON with "name" and
 * "version"), which distributions that use it link into every ELF file. */
static void notes_package(struct core_module *m, const unsigned char *d, size_t n)
{
	size_t pos = 0;

	while (pos + 12 <= n && !m->package) {
		uint32_t namesz, descsz, type;
		size_t desc_off;

		memcpy(&namesz, d + pos, 4);
		memcpy(&descsz, d + pos + 4, 4);
		memcpy(&type, d + pos + 8, 4);
		if (namesz > n || descsz > n)
			return;
		desc_off = pos + 12 + ((namesz + 3u) & ~3u);
		if (desc_off > n || descsz > n - desc_off)
			return;
		if (type == 0xcafe1a7eu && namesz == 4 && !memcmp(d + pos + 12, "FDO", 4)) {
			m->package = json_field((const char *)d + desc_off, descsz, "name");
			m->package_version = json_field((const char *)d + desc_off, descsz, "version");
			if (!m->package) {
				free(m->package_version);
				m->package_version = NULL;
			}
		}
		pos = desc_off + ((descsz + 3u) & ~3u);
	}
}

/* The build ID of an ELF file, read with pread(). */
static bool file_build_id(struct core_file *c, int fd, uint64_t size, char *out)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_MODULE_PHDRS];
	size_t n;

	if (core_pread(c, fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return false;
	n = eh.e_phnum < MAX_MODULE_PHDRS ? eh.e_phnum : MAX_MODULE_PHDRS;
	n = core_pread(c, fd, ph, n * sizeof(*ph), eh.e_phoff) / sizeof(*ph);
	for (size_t i = 0; i < n; i++) {
		unsigned char buf[1024];
		size_t len;

		if (ph[i].p_type != PT_NOTE || ph[i].p_offset >= size)
			continue;
		len = ph[i].p_filesz < sizeof(buf) ? (size_t)ph[i].p_filesz : sizeof(buf);
		len = core_pread(c, fd, buf, len, ph[i].p_offset);
		if (notes_build_id(buf, len, out))
			return true;
	}
	return false;
}

/* Opens a module's file on first need; true when it may be read. */
static bool module_file(struct core_file *c, struct core_module *m)
{
	struct strbuf path = STRBUF_INIT;
	char id[2 * MAX_BUILD_ID + 1] = "";
	struct stat st;

	if (m->file_state == CORE_FILE_OK || m->file_state == CORE_FILE_UNVERIFIED)
		return true;
	if (m->file_state != CORE_FILE_UNTRIED)
		return false;
	m->file_state = CORE_FILE_MISSING;
	if (m->path[0] != '/')		/* [vdso], anonymous names: not files */
		return false;
	if (c->sysroot)
		strbuf_addstr(&path, c->sysroot);
	strbuf_addstr(&path, m->path);
	m->file_path = strbuf_detach(&path, NULL);
	/* O_NONBLOCK: a FIFO named by a hostile core must not block the open. */
	m->fd = open(m->file_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (m->fd < 0) {
		core_warn(c, "%s: %s: its code is not in the core, so its frames may be missing",
			  m->file_path, strerror(errno));
		return false;
	}
	if (fstat(m->fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(m->fd);
		m->fd = -1;
		return false;
	}
	m->file_size = (uint64_t)st.st_size;
	file_build_id(c, m->fd, m->file_size, id);
	if (m->build_id_from_core && strcmp(id, m->build_id)) {
		core_warn(c, "%s: build ID %s, the crashed process ran %s: another build (updated since the crash?), not used",
			  m->file_path, *id ? id : "(none)", m->build_id);
		close(m->fd);
		m->fd = -1;
		m->file_state = CORE_FILE_MISMATCH;
		return false;
	}
	m->file_state = m->build_id_from_core ? CORE_FILE_OK : CORE_FILE_UNVERIFIED;
	if (!*m->build_id && *id)
		memcpy(m->build_id, id, sizeof(id));
	return true;
}

const char *core_module_file(struct core_file *c, size_t i)
{
	if (i >= c->nr_modules || !module_file(c, &c->modules[i]))
		return NULL;
	return c->modules[i].file_path;
}

bool core_segment_of(const struct core_file *c, uint64_t addr, uint64_t *off_start,
		     uint64_t *off_end)
{
	const struct core_segment *s = find_seg(c, addr);

	if (!s)
		return false;
	*off_start = s->offset;
	*off_end = s->offset + s->memsz;	/* what the file would hold */
	return true;
}

bool core_segment_info(const struct core_file *c, size_t i, struct core_segment_info *out)
{
	if (i >= c->nr_segs)
		return false;
	out->vaddr = c->segs[i].vaddr;
	out->memsz = c->segs[i].memsz;
	out->offset = c->segs[i].offset;
	out->filesz = c->segs[i].filesz;
	return true;
}

const struct core_mapping *core_mapping_at(const struct core_file *c, uint64_t addr)
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
		return &c->mappings[lo - 1];
	return NULL;
}

/* --- reading memory ---------------------------------------------------- */

static size_t read_some(struct core_file *c, uint64_t addr, void *buf, size_t len,
			bool allow_file)
{
	const struct core_segment *s = find_seg(c, addr);
	const struct core_mapping *mp;
	struct core_module *m;
	uint64_t off, avail;

	if (s && addr - s->vaddr < s->filesz) {
		avail = s->filesz - (addr - s->vaddr);
		if (len > avail)
			len = (size_t)avail;
		return cached_read(c, 0, c->fd, c->file_size, s->offset + (addr - s->vaddr),
				   buf, len);
	}
	if (!allow_file || !(mp = core_mapping_at(c, addr)))
		return 0;
	m = &c->modules[mp->module];
	if (!module_file(c, m))
		return 0;
	off = mp->offset + (addr - mp->start);
	if (off < mp->offset || off >= m->file_size)
		return 0;
	avail = mp->end - addr;
	if (avail > m->file_size - off)
		avail = m->file_size - off;
	if (len > avail)
		len = (size_t)avail;
	return cached_read(c, 1 + mp->module, m->fd, m->file_size, off, buf, len);
}

static size_t read_mem(struct core_file *c, uint64_t addr, void *buf, size_t len,
		       bool allow_file)
{
	size_t done = 0;

	while (done < len) {
		size_t n;
		if (addr + done < addr)
			break;
		n = read_some(c, addr + done, (char *)buf + done, len - done, allow_file);
		if (!n)
			break;
		done += n;
	}
	return done;
}

size_t core_read(struct core_file *c, uint64_t addr, void *buf, size_t len)
{
	return read_mem(c, addr, buf, len, true);
}

size_t core_read_dumped(struct core_file *c, uint64_t addr, void *buf, size_t len)
{
	return read_mem(c, addr, buf, len, false);
}

/* --- module headers ---------------------------------------------------- */

void core_module_headers(struct core_file *c, struct core_module *m)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_MODULE_PHDRS];
	bool dumped = true, have_load = false;
	uint64_t lowest_off = UINT64_MAX;
	size_t n;

	if (!m->has_base)
		return;
	if (core_read_dumped(c, m->base, &eh, sizeof(eh)) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		dumped = false;
		if (core_read(c, m->base, &eh, sizeof(eh)) != sizeof(eh) ||
		    memcmp(eh.e_ident, ELFMAG, SELFMAG))
			return;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_phentsize != sizeof(Elf64_Phdr) ||
	    eh.e_phoff > UINT32_MAX)
		return;
	n = eh.e_phnum < MAX_MODULE_PHDRS ? eh.e_phnum : MAX_MODULE_PHDRS;
	n = (dumped ? core_read_dumped : core_read)(c, m->base + eh.e_phoff, ph,
						    n * sizeof(*ph)) / sizeof(*ph);
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type == PT_LOAD && ph[i].p_offset < lowest_off) {
			lowest_off = ph[i].p_offset;
			m->bias = m->base - (ph[i].p_vaddr - ph[i].p_offset);
			have_load = true;
		}
	}
	if (!have_load)
		return;
	m->has_bias = true;
	for (size_t i = 0; i < n; i++) {
		if (ph[i].p_type == PT_GNU_EH_FRAME) {
			m->eh_frame_hdr = m->bias + ph[i].p_vaddr;
		} else if (ph[i].p_type == PT_NOTE) {
			unsigned char buf[1024];
			size_t len = ph[i].p_filesz < sizeof(buf) ? (size_t)ph[i].p_filesz : sizeof(buf);
			uint64_t at = m->bias + ph[i].p_vaddr;
			size_t got = core_read_dumped(c, at, buf, len);
			if (got == len) {
				if (!*m->build_id && notes_build_id(buf, len, m->build_id))
					m->build_id_from_core = true;
				notes_package(m, buf, len);
			} else if (!*m->build_id && core_read(c, at, buf, len) == len) {
				notes_build_id(buf, len, m->build_id);
			}
		}
	}
	if (!strcmp(m->path, "[vdso]") && *m->build_id)
		m->build_id_from_core = true;
}

/* --- command line ------------------------------------------------------ */

static bool word_at(struct core_file *c, uint64_t addr, uint64_t *w)
{
	return core_read_dumped(c, addr, w, 8) == 8;
}

/* Where the auxv copy starts on the initial stack, below AT_EXECFN. */
static uint64_t find_auxv(struct core_file *c)
{
	uint64_t top = c->proc.at_execfn & ~7ull, low;
	const struct core_segment *s = find_seg(c, c->proc.at_execfn);
	unsigned char *chunk;
	uint64_t found = 0;

	if (!s || c->auxv_len < 16)
		return 0;
	low = top - s->vaddr > CMDLINE_SEARCH ? top - CMDLINE_SEARCH : s->vaddr;
	chunk = xmalloc(65536 + 16);
	while (top > low && !found) {
		uint64_t from = top - low > 65536 ? top - 65536 : low;
		size_t len = (size_t)(top - from) + 16, got;
		got = core_read_dumped(c, from, chunk, len);
		for (size_t i = (got >= 16 ? ((got - 16) & ~(size_t)7) : 0) + 8; i >= 8 && got >= 16; i -= 8) {
			size_t at = i - 8;
			if (!memcmp(chunk + at, c->auxv_head, 16)) {
				found = from + at;
				break;
			}
		}
		top = from;
	}
	free(chunk);
	return found;
}

char *core_cmdline(struct core_file *c)
{
	struct strbuf sb = STRBUF_INIT;
	uint64_t auxv = c->proc.at_execfn ? find_auxv(c) : 0, p, w, argc = 0;
	size_t envs = 0;

	if (!auxv || !word_at(c, auxv - 8, &w) || w)
		goto fallback;
	for (p = auxv - 16; word_at(c, p, &w) && w && envs < 65536; p -= 8)
		envs++;
	if (!word_at(c, p, &w) || w)
		goto fallback;
	/* p is argv's NULL; the pointers below it end at argc. */
	for (uint64_t q = p - 8; argc <= CMDLINE_MAX_ARGS; q -= 8, argc++) {
		if (!word_at(c, q, &w))
			goto fallback;
		if (w == argc && argc > 0)
			break;
	}
	if (argc > CMDLINE_MAX_ARGS || !argc)
		goto fallback;
	for (uint64_t i = 0; i < argc && sb.len < CMDLINE_MAX_BYTES; i++) {
		char buf[4096];
		size_t got;
		if (!word_at(c, p - 8 * argc + 8 * i, &w))
			break;
		got = core_read_dumped(c, w, buf, sizeof(buf));
		if (i)
			strbuf_addch(&sb, ' ');
		strbuf_add(&sb, buf, strnlen(buf, got));
	}
	if (sb.len)
		return strbuf_detach(&sb, NULL);
fallback:
	strbuf_release(&sb);
	if (c->proc.has_psinfo && c->proc.psargs[0]) {
		char *s = xstrdup(c->proc.psargs);
		size_t n = strlen(s);
		while (n && s[n - 1] == ' ')
			s[--n] = 0;
		return s;
	}
	return NULL;
}
