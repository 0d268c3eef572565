/*
** cfitable: search tables (and .eh_frame-form CFI) for modules without an
** .eh_frame_hdr (cfitable.h).
*/
#include "config.h"
#include "cfitable.h"
#include "strbuf.h"
#include "util.h"

#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SHDRS 4096u
#define SYNTH_GAP (1u << 20)

struct section {
	uint64_t off, size, addr;
	bool found;
};

struct entry {
	int64_t start, fde;
};

struct buf {				/* a bounded reader over a section */
	const unsigned char *p;
	size_t len, pos;
	bool bad;
};

static uint64_t rd(struct buf *b, size_t n)
{
	uint64_t v = 0;

	if (b->bad || n > b->len - b->pos) {
		b->bad = true;
		return 0;
	}
	memcpy(&v, b->p + b->pos, n);	/* little-endian host and file */
	b->pos += n;
	return v;
}

static uint64_t uleb(struct buf *b)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (!b->bad) {
		uint64_t byte = rd(b, 1);
		if (shift < 64)
			v |= (byte & 0x7f) << shift;
		shift += 7;
		if (!(byte & 0x80))
			break;
	}
	return v;
}

static int64_t sleb(struct buf *b)
{
	uint64_t v = 0, byte = 0;
	unsigned shift = 0;

	while (!b->bad) {
		byte = rd(b, 1);
		if (shift < 64)
			v |= (byte & 0x7f) << shift;
		shift += 7;
		if (!(byte & 0x80))
			break;
	}
	if (shift < 64 && (byte & 0x40))
		v |= ~0ull << shift;
	return (int64_t)v;
}

/* A DW_EH_PE-encoded pointer whose field is at runtime address FIELD. */
static bool read_ptr(struct buf *b, unsigned enc, uint64_t field, uint64_t *out)
{
	uint64_t v;

	switch (enc & 0x0f) {
	case 0x00: v = rd(b, 8); break;
	case 0x01: v = uleb(b); break;
	case 0x02: v = rd(b, 2); break;
	case 0x03: v = rd(b, 4); break;
	case 0x04: v = rd(b, 8); break;
	case 0x09: v = (uint64_t)sleb(b); break;
	case 0x0a: v = (uint64_t)(int64_t)(int16_t)rd(b, 2); break;
	case 0x0b: v = (uint64_t)(int64_t)(int32_t)rd(b, 4); break;
	case 0x0c: v = rd(b, 8); break;
	default: return false;
	}
	switch (enc & 0x70) {
	case 0x00: break;
	case 0x10: v += field; break;		/* pcrel */
	default: return false;			/* textrel, datarel, funcrel: not in .eh_frame FDEs */
	}
	*out = v;
	return !b->bad;
}

/* .eh_frame CIE at OFF: the FDE pointer encoding ('R'). */
static bool eh_cie_encoding(const unsigned char *sec, size_t len, size_t off, unsigned *enc)
{
	struct buf b = { sec, len, off, false };
	uint64_t rlen = rd(&b, 4), end;
	const char *aug;
	unsigned version;

	if (rlen == 0 || rlen == 0xffffffffu || rlen > len - b.pos || rd(&b, 4) != 0)
		return false;
	end = b.pos + rlen - 4;
	version = (unsigned)rd(&b, 1);
	aug = (const char *)sec + b.pos;
	while (b.pos < end && sec[b.pos])
		b.pos++;
	rd(&b, 1);
	*enc = 0;			/* absptr unless 'R' says otherwise */
	uleb(&b);
	sleb(&b);
	if (version == 1)
		rd(&b, 1);
	else
		uleb(&b);
	if (aug[0] == 'z') {
		uleb(&b);
		for (const char *a = aug + 1; *a && !b.bad; a++) {
			if (*a == 'R') {
				*enc = (unsigned)rd(&b, 1);
			} else if (*a == 'L') {
				rd(&b, 1);
			} else if (*a == 'P') {
				uint64_t ignored;
				unsigned penc = (unsigned)rd(&b, 1);
				if (!read_ptr(&b, penc & 0x7f, 0, &ignored))
					return false;
			} else if (*a != 'S' && *a != 'B') {
				return false;
			}
		}
	}
	return !b.bad && b.pos <= end;
}

static bool find_sections(int fd, struct section *eh, struct section *dbg)
{
	Elf64_Ehdr eh_;
	Elf64_Shdr *sh = NULL, str;
	char *names = NULL;
	bool ok = false;
	size_t n;

	memset(eh, 0, sizeof(*eh));
	memset(dbg, 0, sizeof(*dbg));
	if (pread(fd, &eh_, sizeof(eh_), 0) != sizeof(eh_) || memcmp(eh_.e_ident, ELFMAG, SELFMAG) ||
	    eh_.e_ident[EI_CLASS] != ELFCLASS64 || eh_.e_shentsize != sizeof(Elf64_Shdr) ||
	    !eh_.e_shnum || eh_.e_shnum > MAX_SHDRS || eh_.e_shstrndx >= eh_.e_shnum)
		return false;
	n = eh_.e_shnum;
	sh = xmalloc(n * sizeof(*sh));
	if (pread(fd, sh, n * sizeof(*sh), (off_t)eh_.e_shoff) != (ssize_t)(n * sizeof(*sh)))
		goto out;
	str = sh[eh_.e_shstrndx];
	if (str.sh_size == 0 || str.sh_size > (1u << 20))
		goto out;
	names = xmalloc(str.sh_size + 1);
	if (pread(fd, names, str.sh_size, (off_t)str.sh_offset) != (ssize_t)str.sh_size)
		goto out;
	names[str.sh_size] = 0;
	for (size_t i = 0; i < n; i++) {
		struct section *s = NULL;
		if (sh[i].sh_name >= str.sh_size || sh[i].sh_type != SHT_PROGBITS ||
		    (sh[i].sh_flags & SHF_COMPRESSED) || sh[i].sh_size > CFITABLE_MAX_SECTION)
			continue;
		if (!strcmp(names + sh[i].sh_name, ".eh_frame") && sh[i].sh_addr)
			s = eh;
		else if (!strcmp(names + sh[i].sh_name, ".debug_frame"))
			s = dbg;
		if (s) {
			s->off = sh[i].sh_offset;
			s->size = sh[i].sh_size;
			s->addr = sh[i].sh_addr;
			s->found = true;
		}
	}
	ok = eh->found || dbg->found;
out:
	free(sh);
	free(names);
	return ok;
}

static unsigned char *read_section(int fd, const struct section *s)
{
	unsigned char *p = xmalloc(s->size ? s->size : 1);

	if (pread(fd, p, s->size, (off_t)s->off) != (ssize_t)s->size) {
		free(p);
		return NULL;
	}
	return p;
}

/* Table entries for an .eh_frame the module maps at RUNTIME. */
static size_t eh_entries(const unsigned char *sec, size_t len, uint64_t runtime,
			 uint64_t segbase, struct entry **out)
{
	size_t pos = 0, n = 0, alloc = 0;

	while (pos + 8 <= len) {
		struct buf b = { sec, len, pos, false };
		uint64_t rlen = rd(&b, 4), id, init;
		size_t id_off = b.pos;
		unsigned enc;

		if (!rlen || rlen == 0xffffffffu || rlen > len - b.pos)
			break;
		id = rd(&b, 4);
		if (id && id <= id_off && eh_cie_encoding(sec, len, id_off - id, &enc) &&
		    read_ptr(&b, enc, runtime + b.pos, &init)) {
			ALLOC_GROW(*out, n + 1, alloc);
			(*out)[n].start = (int64_t)(init - segbase);
			(*out)[n].fde = (int64_t)(runtime + pos - segbase);
			n++;
		}
		pos = id_off + rlen;
	}
	return n;
}

/* Whether a CFA program can be copied as it is: no DW_CFA_set_loc (its
 * address would need the bias) and nothing unknown. */
static bool plain_program(const unsigned char *p, size_t len)
{
	struct buf b = { p, len, 0, false };

	while (b.pos < len && !b.bad) {
		unsigned op = (unsigned)rd(&b, 1);
		switch (op >> 6) {
		case 1: continue;			/* advance_loc */
		case 2: uleb(&b); continue;		/* offset */
		case 3: continue;			/* restore */
		default: break;
		}
		switch (op) {
		case 0x00: case 0x0a: case 0x0b: case 0x2d: break;
		case 0x01: return false;		/* set_loc */
		case 0x02: rd(&b, 1); break;
		case 0x03: rd(&b, 2); break;
		case 0x04: rd(&b, 4); break;
		case 0x05: case 0x09: case 0x0c: case 0x14: case 0x2f: uleb(&b); uleb(&b); break;
		case 0x06: case 0x07: case 0x08: case 0x0d: case 0x0e: case 0x2e: uleb(&b); break;
		case 0x0f: b.pos += uleb(&b); break;
		case 0x10: case 0x16: uleb(&b); b.pos += uleb(&b); break;
		case 0x11: case 0x12: case 0x15: uleb(&b); sleb(&b); break;
		case 0x13: sleb(&b); break;
		default: return false;
		}
		if (b.pos > len)
			return false;
	}
	return !b.bad;
}

struct cie_map {
	size_t from, to;	/* offset in .debug_frame → in the output */
};

/* A .debug_frame CIE in .eh_frame form; false when it cannot be. */
static bool convert_cie(const unsigned char *sec, size_t len, size_t off, struct strbuf *o)
{
	struct buf b = { sec, len, off, false };
	uint64_t rlen = rd(&b, 4), end;
	size_t at = o->len, start;
	unsigned version;

	if (!rlen || rlen == 0xffffffffu || rlen > len - b.pos || rd(&b, 4) != 0xffffffffu)
		return false;
	end = b.pos + rlen - 4;
	version = (unsigned)rd(&b, 1);
	if ((version != 1 && version != 3 && version != 4) || rd(&b, 1) != 0)
		return false;			/* augmented: not ours to rewrite */
	if (version == 4 && (rd(&b, 1) != 8 || rd(&b, 1) != 0))
		return false;			/* address size 8, no segments */
	strbuf_add(o, "\0\0\0\0\0\0\0\0", 8);	/* length, CIE id 0 */
	strbuf_addch(o, version == 1 ? 1 : 3);
	strbuf_add(o, "zR", 3);
	start = b.pos;
	uleb(&b);
	sleb(&b);
	if (version == 1)
		rd(&b, 1);
	else
		uleb(&b);
	if (b.bad || b.pos > end)
		return false;
	strbuf_add(o, sec + start, b.pos - start);	/* alignments, RA register */
	strbuf_addch(o, 1);				/* augmentation data: */
	strbuf_addch(o, 0x04);				/* FDE pointers udata8 */
	if (!plain_program(sec + b.pos, end - b.pos))
		return false;
	strbuf_add(o, sec + b.pos, end - b.pos);
	{
		uint32_t l = (uint32_t)(o->len - at - 4);
		memcpy(o->buf + at, &l, 4);
	}
	return true;
}

/* .debug_frame rewritten into O (at address MEM); entries relative to SEGBASE. */
static size_t debug_entries(const unsigned char *sec, size_t len, uint64_t bias,
			    uint64_t mem, size_t table_len, uint64_t segbase,
			    struct strbuf *o, struct entry **out)
{
	struct cie_map *cies = NULL;
	size_t nr_cies = 0, alloc_cies = 0, pos = 0, n = 0, alloc = 0;

	while (pos + 8 <= len) {
		struct buf b = { sec, len, pos, false };
		uint64_t rlen = rd(&b, 4), id, init, range;
		size_t id_off = b.pos, cie_out = SIZE_MAX, at;
		uint32_t l, ptr;

		if (!rlen || rlen == 0xffffffffu || rlen > len - b.pos)
			break;
		id = rd(&b, 4);
		if (id == 0xffffffffu || id >= len)
			goto next;
		for (size_t i = 0; i < nr_cies; i++)
			if (cies[i].from == id)
				cie_out = cies[i].to;
		if (cie_out == SIZE_MAX) {
			size_t before = o->len;
			if (!convert_cie(sec, len, id, o)) {
				strbuf_setlen(o, before);
				goto next;
			}
			ALLOC_GROW(cies, nr_cies + 1, alloc_cies);
			cies[nr_cies].from = id;
			cies[nr_cies++].to = before;
			cie_out = before;
		}
		init = rd(&b, 8);
		range = rd(&b, 8);
		if (b.bad || b.pos > id_off + rlen ||
		    !plain_program(sec + b.pos, id_off + rlen - b.pos))
			goto next;
		at = o->len;
		strbuf_add(o, "\0\0\0\0", 4);
		ptr = (uint32_t)(at + 4 - cie_out);	/* from this field back to its CIE */
		strbuf_add(o, &ptr, 4);
		init += bias;
		strbuf_add(o, &init, 8);
		strbuf_add(o, &range, 8);
		strbuf_addch(o, 0);			/* augmentation data length */
		strbuf_add(o, sec + b.pos, id_off + rlen - b.pos);
		l = (uint32_t)(o->len - at - 4);
		memcpy(o->buf + at, &l, 4);
		ALLOC_GROW(*out, n + 1, alloc);
		(*out)[n].start = (int64_t)(init - segbase);
		(*out)[n].fde = (int64_t)(mem + table_len + at - segbase);
		n++;
next:
		pos = id_off + rlen;
	}
	free(cies);
	return n;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* An address range of LEN bytes within reach of M that nothing maps. */
static bool free_range(const struct core_file *c, const struct core_module *m, size_t len,
		       uint64_t *out)
{
	uint64_t tries[2];

	tries[0] = ((m->end + SYNTH_GAP - 1) & ~(uint64_t)(SYNTH_GAP - 1)) + SYNTH_GAP;
	tries[1] = ((m->start - len) & ~(uint64_t)(SYNTH_GAP - 1)) - SYNTH_GAP;
	for (size_t i = 0; i < 2; i++) {
		uint64_t a = tries[i];
		if (a + len < a)
			continue;
		uint64_t s0, s1;
		if (core_module_index(c, a) < 0 && core_module_index(c, a + len - 1) < 0 &&
		    !core_segment_of(c, a, &s0, &s1) && !core_segment_of(c, a + len - 1, &s0, &s1)) {
			*out = a;
			return true;
		}
	}
	return false;
}

bool cfi_table_build(struct core_file *c, size_t i, bool debug_frame, struct cfi_table *out)
{
	struct core_module *m = core_module(c, i);
	const char *path = core_module_file(c, i);
	struct section eh, dbg;
	struct strbuf recs = STRBUF_INIT;
	struct entry *e = NULL;
	unsigned char *sec = NULL;
	size_t n = 0, table_len, total;
	uint64_t segbase, mem;
	bool ok = false;
	int fd;

	memset(out, 0, sizeof(*out));
	if (!m || !path || !m->has_bias)
		return false;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	if (!find_sections(fd, &eh, &dbg))
		goto out;
	segbase = m->has_base ? m->base : m->start;
	if (!debug_frame && eh.found && (sec = read_section(fd, &eh))) {
		n = eh_entries(sec, (size_t)eh.size, m->bias + eh.addr, segbase, &e);
		table_len = n * 8;
		total = (table_len + 15) & ~(size_t)7;
		if (!n || !free_range(c, m, total, &mem))
			goto out;
	} else if (dbg.found && (sec = read_section(fd, &dbg))) {
		/* Records first into recs, then the table before them. */
		uint64_t guess;
		size_t est = (size_t)dbg.size * 2 + 4096;
		if (!free_range(c, m, est, &guess))
			goto out;
		mem = guess;
		/* The table's size depends on the FDE count: count first. */
		n = debug_entries(sec, (size_t)dbg.size, m->bias, mem, 0, segbase, &recs, &e);
		table_len = n * 8;
		strbuf_reset(&recs);
		free(e);
		e = NULL;
		n = debug_entries(sec, (size_t)dbg.size, m->bias, mem, table_len, segbase, &recs, &e);
		total = (table_len + recs.len + 15) & ~(size_t)7;
		if (!n || total > est)
			goto out;
		out->from_debug_frame = true;
	} else {
		goto out;
	}
	for (size_t k = 0; k < n; k++)
		if (e[k].start != (int32_t)e[k].start || e[k].fde != (int32_t)e[k].fde)
			goto out;
	qsort(e, n, sizeof(*e), cmp_entry);
	out->mem = xcalloc(1, total);
	for (size_t k = 0; k < n; k++) {
		int32_t pair[2] = { (int32_t)e[k].start, (int32_t)e[k].fde };
		memcpy(out->mem + 8 * k, pair, 8);
	}
	memcpy(out->mem + table_len, recs.buf, recs.len);
	out->mem_addr = mem;
	out->mem_len = total;
	out->table = mem;
	out->count = n;
	out->segbase = segbase;
	ok = true;
out:
	if (!ok)
		memset(out, 0, sizeof(*out));
	strbuf_release(&recs);
	free(e);
	free(sec);
	close(fd);
	return ok;
}

void cfi_table_release(struct cfi_table *t)
{
	free(t->mem);
	memset(t, 0, sizeof(*t));
}
