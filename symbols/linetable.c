/*
** linetable: DWARF line-number programs decoded by ksift (see linetable.h
** for why and for what a lookup means).
*/
#include "config.h"
#include "linetable.h"
#include "strbuf.h"
#include "util.h"

#include <dwarf.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A row as a lookup needs it: 16 bytes instead of libdw's ~100. */
struct line_row {
	uint64_t addr;
	uint32_t line;
	uint32_t file;		/* high bit: the row ends a sequence */
};
#define ROW_END_SEQUENCE 0x80000000u

struct line_file {
	const char *dir;	/* NULL: none (the name stays relative) */
	const char *name;	/* "???" for the missing file 0 before DWARF 5 */
};

struct line_table {
	uint64_t offset;		/* in .debug_line */
	bool decoded;
	bool broken;			/* malformed: never decoded again */
	struct line_file *files;
	size_t nr_files;
	struct line_row *rows;
	size_t nr_rows;
	uint64_t last_use;		/* lt->clock at the last lookup */
};

struct section {
	const unsigned char *data;
	size_t size;
};

struct line_tables {
	struct section line, line_str, str;
	bool big_endian;		/* the file's byte order */
	size_t budget, bytes;
	uint64_t clock;
	struct line_table *tables;	/* sorted by offset */
	size_t nr_tables, alloc_tables;
};

/* --- bounded reading ------------------------------------------------- */

struct cursor {
	const unsigned char *p, *end;
	bool big_endian;
	bool ok;			/* false once a read ran past end */
};

static uint64_t read_uint(struct cursor *c, unsigned n)
{
	uint64_t v = 0;

	if (!c->ok || (size_t)(c->end - c->p) < n || n > 8) {
		c->ok = false;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned shift = c->big_endian ? 8 * (n - 1 - i) : 8 * i;
		v |= (uint64_t)c->p[i] << shift;
	}
	c->p += n;
	return v;
}

static uint64_t read_uleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (c->ok && c->p < c->end) {
		unsigned char b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80))
			return v;
	}
	c->ok = false;
	return 0;
}

static int64_t read_sleb(struct cursor *c)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (c->ok && c->p < c->end) {
		unsigned char b = *c->p++;
		if (shift < 64)
			v |= (uint64_t)(b & 0x7f) << shift;
		shift += 7;
		if (!(b & 0x80)) {
			if (shift < 64 && (b & 0x40))
				v |= ~(uint64_t)0 << shift;
			return (int64_t)v;
		}
	}
	c->ok = false;
	return 0;
}

static const char *read_cstr(struct cursor *c)
{
	const unsigned char *nul;

	if (!c->ok || c->p >= c->end ||
	    !(nul = memchr(c->p, 0, (size_t)(c->end - c->p)))) {
		c->ok = false;
		return NULL;
	}
	{
		const char *s = (const char *)c->p;
		c->p = nul + 1;
		return s;
	}
}

static void skip(struct cursor *c, uint64_t n)
{
	if (!c->ok || (uint64_t)(c->end - c->p) < n) {
		c->ok = false;
		return;
	}
	c->p += n;
}

/* The string at OFF of a string section, or NULL when out of range. */
static const char *section_str(const struct section *s, uint64_t off)
{
	if (!s->data || off >= s->size ||
	    !memchr(s->data + off, 0, s->size - off))
		return NULL;
	return (const char *)s->data + off;
}

/* --- sections -------------------------------------------------------- */

static void find_section(Elf *elf, size_t shstrndx, const char *want,
			 struct section *out)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type == SHT_NOBITS)
			continue;
		name = elf_strptr(elf, shstrndx, shdr.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, want)) {
			/* libdw decompressed it already when it read it;
			 * elf_compress is a no-op then. */
			if (shdr.sh_flags & SHF_COMPRESSED)
				elf_compress(scn, 0, 0);
		} else if (!strncmp(name, ".zdebug", 7) && !strcmp(name + 7, want + 6)) {
			elf_compress_gnu(scn, 0, 0);
		} else {
			continue;
		}
		d = elf_getdata(scn, NULL);
		if (d && d->d_buf) {
			out->data = d->d_buf;
			out->size = d->d_size;
		}
		return;
	}
}

struct line_tables *line_tables_new(Elf *elf, size_t budget, char **err)
{
	struct line_tables *lt;
	size_t shstrndx;
	const char *ident;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0) {
		*err = xstrdup("no section header string table");
		return NULL;
	}
	lt = xcalloc(1, sizeof(*lt));
	find_section(elf, shstrndx, ".debug_line", &lt->line);
	if (!lt->line.data) {
		free(lt);
		*err = xstrdup("no .debug_line section");
		return NULL;
	}
	find_section(elf, shstrndx, ".debug_line_str", &lt->line_str);
	find_section(elf, shstrndx, ".debug_str", &lt->str);
	ident = elf_getident(elf, NULL);
	lt->big_endian = ident && ident[EI_DATA] == ELFDATA2MSB;
	lt->budget = budget;
	return lt;
}

static void table_drop(struct line_tables *lt, struct line_table *t)
{
	lt->bytes -= t->nr_rows * sizeof(*t->rows) +
		     t->nr_files * sizeof(*t->files);
	free(t->rows);
	free(t->files);
	t->rows = NULL;
	t->files = NULL;
	t->nr_rows = t->nr_files = 0;
	t->decoded = false;
}

void line_tables_free(struct line_tables *lt)
{
	if (!lt)
		return;
	for (size_t i = 0; i < lt->nr_tables; i++)
		table_drop(lt, &lt->tables[i]);
	free(lt->tables);
	free(lt);
}

size_t line_tables_bytes(const struct line_tables *lt)
{
	return lt->bytes;
}

/* --- the header ------------------------------------------------------ */

struct header {
	unsigned version;
	unsigned offset_size;		/* 4 or 8 (64-bit DWARF) */
	unsigned address_size;		/* 0 before DWARF 5: from set_address */
	unsigned min_inst_length;
	unsigned max_ops;
	bool default_is_stmt;
	int line_base;
	unsigned line_range;
	unsigned opcode_base;
	const unsigned char *opcode_lengths;	/* opcode_base - 1 entries */
	const unsigned char *program, *end;
};

/* A DWARF 5 directory or file entry field of form FORM: a string (*str) or
 * a number (*num). Returns false on an unknown form or a read error. */
static bool read_form(struct line_tables *lt, struct cursor *c,
		      const struct header *h, uint64_t form, const char **str,
		      uint64_t *num)
{
	*str = NULL;
	*num = 0;
	switch (form) {
	case DW_FORM_string:
		*str = read_cstr(c);
		return c->ok;
	case DW_FORM_line_strp:
		*str = section_str(&lt->line_str, read_uint(c, h->offset_size));
		return c->ok && *str;
	case DW_FORM_strp:
		*str = section_str(&lt->str, read_uint(c, h->offset_size));
		return c->ok && *str;
	case DW_FORM_udata:
		*num = read_uleb(c);
		return c->ok;
	case DW_FORM_data1:
		*num = read_uint(c, 1);
		return c->ok;
	case DW_FORM_data2:
		*num = read_uint(c, 2);
		return c->ok;
	case DW_FORM_data4:
		*num = read_uint(c, 4);
		return c->ok;
	case DW_FORM_data8:
		*num = read_uint(c, 8);
		return c->ok;
	case DW_FORM_data16:
		skip(c, 16);
		return c->ok;
	case DW_FORM_block:
		skip(c, read_uleb(c));
		return c->ok;
	default:
		/* strx forms need the CU's str_offsets_base: libdw does not
		 * accept them in line tables either. */
		return false;
	}
}

/*
 * DWARF 5 entry list (directories or files). Each entry's path goes to
 * names[i], its directory index (files only) to dirs[i]. Returns the count,
 * or -1 with *why set.
 */
static long read_v5_entries(struct line_tables *lt, struct cursor *c,
			    const struct header *h, const char ***names,
			    uint64_t **dirs, const char **why)
{
	unsigned nformats = (unsigned)read_uint(c, 1);
	uint64_t types[32], forms[32], count;

	*names = NULL;
	if (dirs)
		*dirs = NULL;
	if (nformats > ARRAY_SIZE(types)) {
		*why = "too many entry formats";
		return -1;
	}
	for (unsigned i = 0; i < nformats; i++) {
		types[i] = read_uleb(c);
		forms[i] = read_uleb(c);
	}
	count = read_uleb(c);
	if (!c->ok || count > (uint64_t)(c->end - c->p)) {
		*why = "truncated entry table";
		return -1;
	}
	*names = xcalloc(count ? count : 1, sizeof(**names));
	if (dirs)
		*dirs = xcalloc(count ? count : 1, sizeof(**dirs));
	for (uint64_t e = 0; e < count; e++) {
		for (unsigned i = 0; i < nformats; i++) {
			const char *s;
			uint64_t n;
			if (!read_form(lt, c, h, forms[i], &s, &n)) {
				*why = c->ok ? "unsupported form in entry table"
					     : "truncated entry table";
				return -1;
			}
			if (types[i] == DW_LNCT_path)
				(*names)[e] = s;
			else if (types[i] == DW_LNCT_directory_index && dirs)
				(*dirs)[e] = n;
		}
		if (!(*names)[e]) {
			*why = "entry without a path";
			return -1;
		}
	}
	return (long)count;
}

/* Reads the header at the table's offset and fills t->files. */
static bool read_header(struct line_tables *lt, struct line_table *t,
			const char *comp_dir, struct header *h,
			const char **why)
{
	struct cursor c = { lt->line.data, lt->line.data + lt->line.size,
			    lt->big_endian, true };
	const char **dir_names = NULL, **file_names = NULL;
	uint64_t *file_dirs = NULL, unit_length, header_length;
	long nr_dirs = 0, nr_files = 0;
	const unsigned char *unit_end, *header_end;
	bool ok = false;

	memset(h, 0, sizeof(*h));
	if (t->offset >= lt->line.size) {
		*why = "offset past the end of .debug_line";
		return false;
	}
	c.p += t->offset;
	h->offset_size = 4;
	unit_length = read_uint(&c, 4);
	if (unit_length == 0xffffffffu) {
		h->offset_size = 8;
		unit_length = read_uint(&c, 8);
	}
	if (!c.ok || unit_length > (uint64_t)(c.end - c.p)) {
		*why = "unit length past the end of .debug_line";
		return false;
	}
	unit_end = c.p + unit_length;
	c.end = unit_end;
	h->version = (unsigned)read_uint(&c, 2);
	if (h->version < 2 || h->version > 5) {
		*why = "unsupported line table version";
		return false;
	}
	if (h->version >= 5) {
		h->address_size = (unsigned)read_uint(&c, 1);
		read_uint(&c, 1);	/* segment selector size */
	}
	header_length = read_uint(&c, h->offset_size);
	if (!c.ok || header_length > (uint64_t)(c.end - c.p)) {
		*why = "header length past the end of the unit";
		return false;
	}
	header_end = c.p + header_length;
	h->min_inst_length = (unsigned)read_uint(&c, 1);
	h->max_ops = h->version >= 4 ? (unsigned)read_uint(&c, 1) : 1;
	h->default_is_stmt = read_uint(&c, 1) != 0;
	h->line_base = (int)(signed char)read_uint(&c, 1);
	h->line_range = (unsigned)read_uint(&c, 1);
	h->opcode_base = (unsigned)read_uint(&c, 1);
	if (!c.ok || h->line_range == 0 || h->max_ops == 0 ||
	    h->opcode_base == 0) {
		*why = "invalid header";
		return false;
	}
	h->opcode_lengths = c.p;
	skip(&c, h->opcode_base - 1);
	if (h->version >= 5) {
		nr_dirs = read_v5_entries(lt, &c, h, &dir_names, NULL, why);
		if (nr_dirs < 0)
			goto out;
		nr_files = read_v5_entries(lt, &c, h, &file_names, &file_dirs,
					   why);
		if (nr_files < 0)
			goto out;
	} else {
		size_t alloc = 0;
		/* Directory 0 is the compilation directory. */
		ALLOC_GROW(dir_names, 1, alloc);
		dir_names[nr_dirs++] = comp_dir;
		for (;;) {
			const char *d = read_cstr(&c);
			if (!c.ok || !*d)
				break;
			ALLOC_GROW(dir_names, (size_t)nr_dirs + 1, alloc);
			dir_names[nr_dirs++] = d;
		}
		alloc = 0;
		/* File 0 does not exist before DWARF 5; libdw names it "???". */
		ALLOC_GROW(file_names, 1, alloc);
		file_dirs = xcalloc(1, sizeof(*file_dirs));
		file_names[nr_files++] = "???";
		for (;;) {
			const char *f = read_cstr(&c);
			if (!c.ok || !*f)
				break;
			ALLOC_GROW(file_names, (size_t)nr_files + 1, alloc);
			file_dirs = xrealloc(file_dirs, alloc * sizeof(*file_dirs));
			file_dirs[nr_files] = read_uleb(&c);
			read_uleb(&c);	/* mtime */
			read_uleb(&c);	/* length */
			file_names[nr_files++] = f;
		}
		if (!c.ok) {
			*why = "truncated file table";
			goto out;
		}
	}
	t->files = xcalloc((size_t)nr_files ? (size_t)nr_files : 1,
			   sizeof(*t->files));
	t->nr_files = (size_t)nr_files;
	for (long i = 0; i < nr_files; i++) {
		t->files[i].name = file_names[i];
		if (h->version < 5 && i == 0)
			continue;
		if ((uint64_t)nr_dirs > file_dirs[i])
			t->files[i].dir = dir_names[file_dirs[i]];
	}
	h->program = header_end;
	h->end = unit_end;
	ok = true;
out:
	free(dir_names);
	free(file_names);
	free(file_dirs);
	return ok;
}

/* --- the line-number program ------------------------------------------ */

struct row_list {
	struct line_row *rows;
	size_t nr, alloc;
	bool sorted;
	bool last_ended;		/* the previous row ended a sequence */
};

/*
 * Only the last of several rows at one address in program order can be found
 * (see the sort in decode_program), so a row at the address of the row just
 * before it in the same sequence replaces it.
 */
static void emit_row(struct row_list *rl, uint64_t addr, uint64_t file,
		     int64_t line, bool end_sequence)
{
	struct line_row r = {
		.addr = addr,
		.line = (uint32_t)line,
		.file = (uint32_t)(file & ~ROW_END_SEQUENCE) |
			(end_sequence ? ROW_END_SEQUENCE : 0),
	};

	if (rl->nr && !rl->last_ended && !end_sequence &&
	    rl->rows[rl->nr - 1].addr == addr) {
		rl->rows[rl->nr - 1] = r;
		return;
	}
	if (rl->nr && addr < rl->rows[rl->nr - 1].addr)
		rl->sorted = false;
	ALLOC_GROW(rl->rows, rl->nr + 1, rl->alloc);
	rl->rows[rl->nr++] = r;
	rl->last_ended = end_sequence;
}

struct indexed_row {
	struct line_row row;
	size_t seq;
};

/* libdw's order: address, then an end_sequence row first, then program order. */
static int indexed_row_cmp(const void *a, const void *b)
{
	const struct indexed_row *x = a, *y = b;
	bool xe = x->row.file & ROW_END_SEQUENCE, ye = y->row.file & ROW_END_SEQUENCE;

	if (x->row.addr != y->row.addr)
		return x->row.addr < y->row.addr ? -1 : 1;
	if (xe != ye)
		return xe ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void sort_rows(struct row_list *rl)
{
	struct indexed_row *ix;

	if (rl->sorted || rl->nr < 2)
		return;
	ix = xmalloc(rl->nr * sizeof(*ix));
	for (size_t i = 0; i < rl->nr; i++) {
		ix[i].row = rl->rows[i];
		ix[i].seq = i;
	}
	qsort(ix, rl->nr, sizeof(*ix), indexed_row_cmp);
	for (size_t i = 0; i < rl->nr; i++)
		rl->rows[i] = ix[i].row;
	free(ix);
}

static bool run_program(struct line_table *t, const struct header *h,
			bool big_endian, struct row_list *rl, const char **why)
{
	struct cursor c = { h->program, h->end, big_endian, true };
	uint64_t addr = 0, file = 1, op_index = 0;
	int64_t line = 1;
	size_t files_alloc = t->nr_files;

	rl->sorted = true;
	rl->last_ended = true;
	while (c.ok && c.p < c.end) {
		unsigned op = (unsigned)read_uint(&c, 1);
		uint64_t adv;

		if (op >= h->opcode_base) {
			unsigned adj = op - h->opcode_base;
			adv = adj / h->line_range;
			addr += h->min_inst_length * ((op_index + adv) / h->max_ops);
			op_index = (op_index + adv) % h->max_ops;
			line += h->line_base + (int)(adj % h->line_range);
			emit_row(rl, addr, file, line, false);
			continue;
		}
		switch (op) {
		case 0: {			/* extended opcode */
			uint64_t len = read_uleb(&c);
			const unsigned char *next;
			unsigned sub;

			if (!c.ok || len == 0 || len > (uint64_t)(c.end - c.p)) {
				*why = "truncated extended opcode";
				return false;
			}
			next = c.p + len;
			sub = (unsigned)read_uint(&c, 1);
			switch (sub) {
			case DW_LNE_end_sequence:
				emit_row(rl, addr, file, line, true);
				addr = 0;
				op_index = 0;
				file = 1;
				line = 1;
				break;
			case DW_LNE_set_address:
				if (len - 1 > 8) {
					*why = "address wider than 8 bytes";
					return false;
				}
				addr = read_uint(&c, (unsigned)(len - 1));
				op_index = 0;
				break;
			case DW_LNE_define_file: {
				const char *name = read_cstr(&c);
				uint64_t dir = read_uleb(&c);
				if (!c.ok)
					break;
				ALLOC_GROW(t->files, t->nr_files + 1, files_alloc);
				t->files[t->nr_files].name = name;
				/* Directories are not kept past the header;
				 * an absolute name still reads right. */
				t->files[t->nr_files].dir = NULL;
				(void)dir;
				t->nr_files++;
				break;
			}
			default:		/* set_discriminator, vendor */
				break;
			}
			c.p = next;
			break;
		}
		case DW_LNS_copy:
			emit_row(rl, addr, file, line, false);
			break;
		case DW_LNS_advance_pc:
			adv = read_uleb(&c);
			addr += h->min_inst_length * ((op_index + adv) / h->max_ops);
			op_index = (op_index + adv) % h->max_ops;
			break;
		case DW_LNS_advance_line:
			line += read_sleb(&c);
			break;
		case DW_LNS_set_file:
			file = read_uleb(&c);
			break;
		case DW_LNS_const_add_pc:
			adv = (255 - h->opcode_base) / h->line_range;
			addr += h->min_inst_length * ((op_index + adv) / h->max_ops);
			op_index = (op_index + adv) % h->max_ops;
			break;
		case DW_LNS_fixed_advance_pc:
			addr += read_uint(&c, 2);
			op_index = 0;
			break;
		case DW_LNS_set_column:
		case DW_LNS_set_isa:
			read_uleb(&c);
			break;
		case DW_LNS_negate_stmt:
		case DW_LNS_set_basic_block:
		case DW_LNS_set_prologue_end:
		case DW_LNS_set_epilogue_begin:
			break;
		default:			/* unknown standard opcode */
			for (unsigned i = 0; i < h->opcode_lengths[op - 1]; i++)
				read_uleb(&c);
			break;
		}
	}
	if (!c.ok) {
		*why = "truncated line program";
		return false;
	}
	return true;
}

/* Drops least recently used tables until the kept bytes fit the budget. */
static void enforce_budget(struct line_tables *lt, const struct line_table *keep)
{
	while (lt->bytes > lt->budget) {
		struct line_table *oldest = NULL;
		for (size_t i = 0; i < lt->nr_tables; i++) {
			struct line_table *t = &lt->tables[i];
			if (t->decoded && t != keep &&
			    (!oldest || t->last_use < oldest->last_use))
				oldest = t;
		}
		if (!oldest)
			return;
		table_drop(lt, oldest);
	}
}

static bool decode(struct line_tables *lt, struct line_table *t,
		   const char *comp_dir, const char **why)
{
	struct header h;
	struct row_list rl = { 0 };

	if (!read_header(lt, t, comp_dir, &h, why))
		goto fail;
	if (!run_program(t, &h, lt->big_endian, &rl, why))
		goto fail;
	/* libdw's order; binary search below relies on it. */
	sort_rows(&rl);
	t->rows = rl.nr ? xrealloc(rl.rows, rl.nr * sizeof(*rl.rows)) : rl.rows;
	t->nr_rows = rl.nr;
	t->decoded = true;
	lt->bytes += t->nr_rows * sizeof(*t->rows) +
		     t->nr_files * sizeof(*t->files);
	enforce_budget(lt, t);
	return true;
fail:
	free(rl.rows);
	free(t->files);
	t->files = NULL;
	t->nr_files = 0;
	t->broken = true;
	return false;
}

/* The table at OFFSET, decoded; NULL when malformed (*err set the first time). */
static struct line_table *get_table(struct line_tables *lt, uint64_t offset,
				    const char *comp_dir, char **err)
{
	size_t lo = 0, hi = lt->nr_tables;
	struct line_table *t;
	const char *why = NULL;

	if (err)
		*err = NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lt->tables[mid].offset < offset)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == lt->nr_tables || lt->tables[lo].offset != offset) {
		ALLOC_GROW(lt->tables, lt->nr_tables + 1, lt->alloc_tables);
		memmove(&lt->tables[lo + 1], &lt->tables[lo],
			(lt->nr_tables - lo) * sizeof(*lt->tables));
		lt->nr_tables++;
		memset(&lt->tables[lo], 0, sizeof(lt->tables[lo]));
		lt->tables[lo].offset = offset;
	}
	t = &lt->tables[lo];
	t->last_use = ++lt->clock;
	if (t->broken)
		return NULL;
	if (t->decoded)
		return t;
	if (decode(lt, t, comp_dir, &why))
		return t;
	if (err) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "malformed line table at .debug_line offset "
			    "0x%llx: %s", (unsigned long long)offset, why);
		*err = strbuf_detach(&sb, NULL);
	}
	return NULL;
}

static char *file_path(const struct line_file *f)
{
	struct strbuf sb = STRBUF_INIT;

	if (f->name[0] != '/' && f->dir)
		strbuf_addf(&sb, "%s/", f->dir);
	strbuf_addstr(&sb, f->name);
	return strbuf_detach(&sb, NULL);
}

int line_tables_lookup(struct line_tables *lt, uint64_t offset,
		       const char *comp_dir, uint64_t addr, char **file,
		       int *line, char **err)
{
	struct line_table *t = get_table(lt, offset, comp_dir, err);
	size_t lo = 0, hi;
	const struct line_row *r;
	uint32_t idx;

	if (!t)
		return -1;
	if (!t->nr_rows)
		return 1;
	/* The last row at or below addr, as dwfl_module_getsrc finds it. */
	hi = t->nr_rows - 1;
	while (lo < hi) {
		size_t mid = hi - (hi - lo) / 2;
		if (addr < t->rows[mid].addr)
			hi = mid - 1;
		else
			lo = mid;
	}
	r = &t->rows[lo];
	if ((r->file & ROW_END_SEQUENCE) || r->addr > addr)
		return 1;
	idx = r->file & ~ROW_END_SEQUENCE;
	if (idx >= t->nr_files)
		return 1;
	*file = file_path(&t->files[idx]);
	*line = (int)r->line;
	return 0;
}

char *line_tables_file(struct line_tables *lt, uint64_t offset,
		       const char *comp_dir, uint64_t index)
{
	struct line_table *t = get_table(lt, offset, comp_dir, NULL);

	if (!t || index >= t->nr_files)
		return NULL;
	return file_path(&t->files[index]);
}
