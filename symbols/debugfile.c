#define _GNU_SOURCE
#include "config.h"
#include "debugfile.h"
#include "findinfo.h"
#include "linetable.h"
#include "strbuf.h"
#include "util.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Past this many cached addresses we stop caching: memory stays bounded. */
#define ADDR_CACHE_MAX (1u << 20)
/* Decoded line tables kept per file (linetable.h); a vmlinux's tables of the
 * CUs a large log touches take about 30 MiB. */
#define LINE_TABLE_BUDGET ((size_t)64 << 20)

struct sym_entry {
	const char *name;	/* owned by the Elf of the Dwfl session */
	uint64_t addr, size;
	uint32_t hash;		/* of name */
	uint32_t next;		/* index + 1 of the next entry in the bucket */
	unsigned char bind;	/* STB_* */
};

struct cached_result {
	uint64_t addr;
	bool used, resolved;
	char *src;
	struct inline_frame *inlined;
	size_t nr_inlined;
};

/* Address ranges of a CU's top-level functions, sorted by lo. */
struct func_range {
	uint64_t lo, hi;
	Dwarf_Off die;
};

struct cu_funcs {
	Dwarf_Off cu;
	struct func_range *ranges;
	size_t nr, alloc;
};

struct debugfile {
	char *path;
	char *build_id;
	/* Where libdwfl looks for separate debuginfo; outlives the Dwfl. */
	struct debuginfo_search search;
	Dwfl_Callbacks callbacks;
	Dwfl *dwfl;
	Dwfl_Module *mod;
	/* Symbols by name: a chained hash table, built in one pass over the
	 * symtab (sorting 100,000 names by strcmp was most of a cold start). */
	struct sym_entry *syms;
	size_t nr_syms;
	uint32_t *sym_buckets;	/* index + 1 of the first entry, 0 = none */
	size_t nr_buckets;	/* a power of two */
	bool syms_built;
	/* Symbols by address (indexes into syms), for address → name. */
	uint32_t *by_addr;
	bool warned_unknown;
	/* linux_banner (a vmlinux's "Linux version R (…"), seen while indexing. */
	uint64_t banner_addr, banner_size;
	bool has_banner, release_read;
	char *release;
	struct cached_result *cache;
	size_t cache_cap, cache_used;
	/* Function index per CU touched so far, sorted by CU offset. */
	struct cu_funcs *cus;
	size_t nr_cus, alloc_cus;
	/* Our own .debug_line reader (libdw's keeps every table forever). */
	struct line_tables *lines;
	bool lines_tried;
	char *warning;		/* first problem with this file's DWARF, unreported */
};

/* Per-address context: the CU holding it. */
struct cu_ctx {
	Dwarf_Die *cudie;
	const char *comp_dir;
	uint64_t stmt_list;
	bool has_stmt_list;
};

struct debugfile *debugfile_open(const char *path, const char *modname,
				 const char *debug_root, bool debuginfod,
				 char **err)
{
	struct debugfile *df = xcalloc(1, sizeof(*df));
	const unsigned char *bits;
	GElf_Addr vaddr;
	int n;

	df->path = xstrdup(path);
	df->search.debug_root = xstrdup(debug_root);
	df->search.debuginfod = debuginfod;
	debuginfo_search_callbacks(&df->search, &df->callbacks);
	df->dwfl = dwfl_begin(&df->callbacks);
	if (!df->dwfl)
		goto fail;
	df->mod = dwfl_report_offline(df->dwfl, modname ? modname : "kernel",
				      path, -1);
	if (!df->mod)
		goto fail;
	debuginfo_search_attach(df->mod, &df->search);
	if (dwfl_report_end(df->dwfl, NULL, NULL) != 0)
		goto fail;
	n = dwfl_module_build_id(df->mod, &bits, &vaddr);
	if (n > 0) {
		df->build_id = xmalloc((size_t)n * 2 + 1);
		for (int i = 0; i < n; i++)
			snprintf(df->build_id + 2 * i, 3, "%02x", bits[i]);
	}
	return df;
fail:
	{
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s: %s", path, dwfl_errmsg(-1));
		*err = strbuf_detach(&sb, NULL);
	}
	debugfile_free(df);
	return NULL;
}

static void cached_release(struct cached_result *c)
{
	free(c->src);
	for (size_t i = 0; i < c->nr_inlined; i++) {
		free(c->inlined[i].func);
		free(c->inlined[i].src);
	}
	free(c->inlined);
}

void debugfile_free(struct debugfile *df)
{
	if (!df)
		return;
	for (size_t i = 0; i < df->cache_cap; i++)
		if (df->cache[i].used)
			cached_release(&df->cache[i]);
	free(df->cache);
	for (size_t i = 0; i < df->nr_cus; i++)
		free(df->cus[i].ranges);
	free(df->cus);
	free(df->syms);
	free(df->sym_buckets);
	free(df->by_addr);
	line_tables_free(df->lines);
	free(df->warning);
	if (df->dwfl)
		dwfl_end(df->dwfl);
	debuginfo_search_release(&df->search);
	free((char *)df->search.debug_root);
	free(df->build_id);
	free(df->release);
	free(df->path);
	free(df);
}

char *debugfile_take_warning(struct debugfile *df)
{
	char *w = df->warning;

	df->warning = NULL;
	return w;
}

/* Keeps the first problem only: one warning per file is enough. */
static void note_problem(struct debugfile *df, char *msg)
{
	if (!df->warning && msg) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "%s: %s", df->path, msg);
		df->warning = strbuf_detach(&sb, NULL);
	}
	free(msg);
}

const char *debugfile_path(const struct debugfile *df)
{
	return df->path;
}

bool debugfile_first_unknown(struct debugfile *df)
{
	bool first = !df->warned_unknown;

	df->warned_unknown = true;
	return first;
}

const char *debugfile_build_id(const struct debugfile *df)
{
	return df->build_id;
}

static uint32_t name_hash(const char *name)
{
	uint64_t h = fnv1a64(FNV1A64_INIT, name, strlen(name));

	return (uint32_t)(h ^ h >> 32);
}

static void build_symbol_index(struct debugfile *df)
{
	int n = dwfl_module_getsymtab(df->mod);
	size_t alloc = 0;

	df->syms_built = true;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr;
		GElf_Word shndx;
		const char *name = dwfl_module_getsym_info(df->mod, i, &sym,
							   &addr, &shndx,
							   NULL, NULL);
		int type;

		if (!name || !*name || shndx == SHN_UNDEF)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_OBJECT && !strcmp(name, "linux_banner")) {
			df->banner_addr = addr;
			df->banner_size = sym.st_size;
			df->has_banner = true;
		}
		if (type != STT_FUNC && type != STT_NOTYPE)
			continue;
		if (df->nr_syms >= UINT32_MAX - 1)
			break;
		ALLOC_GROW(df->syms, df->nr_syms + 1, alloc);
		df->syms[df->nr_syms].name = name;
		df->syms[df->nr_syms].addr = addr;
		df->syms[df->nr_syms].size = sym.st_size;
		df->syms[df->nr_syms].hash = name_hash(name);
		df->syms[df->nr_syms].bind = (unsigned char)GELF_ST_BIND(sym.st_info);
		df->nr_syms++;
	}
	df->nr_buckets = 64;
	while (df->nr_buckets < df->nr_syms)
		df->nr_buckets *= 2;
	df->sym_buckets = xcalloc(df->nr_buckets, sizeof(*df->sym_buckets));
	for (size_t i = 0; i < df->nr_syms; i++) {
		uint32_t *head = &df->sym_buckets[df->syms[i].hash & (df->nr_buckets - 1)];
		df->syms[i].next = *head;
		*head = (uint32_t)i + 1;
	}
}

/* The bytes at ADDR..ADDR+LEN of the file's ELF image, NUL-terminated, or NULL. */
static char *read_string_at(struct debugfile *df, uint64_t addr, size_t len)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(df->mod, &bias);
	Elf_Scn *scn = NULL;

	if (!elf)
		return NULL;
	addr -= bias;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		Elf_Data *d;
		uint64_t off;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_PROGBITS ||
		    !(shdr.sh_flags & SHF_ALLOC) || addr < shdr.sh_addr ||
		    addr - shdr.sh_addr >= shdr.sh_size)
			continue;
		d = elf_getdata(scn, NULL);
		off = addr - shdr.sh_addr;
		if (!d || !d->d_buf || off >= d->d_size)
			return NULL;
		if (len > d->d_size - off)
			len = d->d_size - off;
		return xstrndup((const char *)d->d_buf + off, len);
	}
	return NULL;
}

const char *debugfile_kernel_release(struct debugfile *df)
{
	static const char prefix[] = "Linux version ";
	char *banner;
	size_t n;

	if (df->release_read)
		return df->release;
	df->release_read = true;
	if (!df->syms_built)
		build_symbol_index(df);
	if (!df->has_banner)
		return NULL;
	/* The banner is one short line; a bogus size must not make us copy
	 * a whole section. */
	banner = read_string_at(df, df->banner_addr,
				df->banner_size && df->banner_size < 1024 ?
				df->banner_size : 1024);
	if (banner && !strncmp(banner, prefix, strlen(prefix))) {
		const char *r = banner + strlen(prefix);
		n = strcspn(r, " \n");
		if (n)
			df->release = xstrndup(r, n);
	}
	free(banner);
	return df->release;
}

/* The next symbol named NAME after the one at index + 1 PREV (0: the first),
 * or NULL. */
static const struct sym_entry *next_symbol_named(struct debugfile *df,
						 const char *name, uint32_t hash,
						 const struct sym_entry *prev)
{
	uint32_t i;

	if (!df->syms_built)
		build_symbol_index(df);
	if (!df->nr_syms)
		return NULL;
	i = prev ? prev->next : df->sym_buckets[hash & (df->nr_buckets - 1)];
	for (; i; i = df->syms[i - 1].next) {
		const struct sym_entry *e = &df->syms[i - 1];
		if (e->hash == hash && !strcmp(e->name, name))
			return e;
	}
	return NULL;
}

enum sym_lookup debugfile_symbol(struct debugfile *df, const char *name,
				 bool has_size, uint64_t size, uint64_t *addr,
				 unsigned *nr_matches)
{
	/* Aliases at one address are one function: count distinct addresses
	 * (past 64 of them each further match counts, for the message only). */
	uint64_t seen[64];
	unsigned matches = 0, nr_seen = 0;
	uint32_t hash = name_hash(name);
	const struct sym_entry *e = NULL;

	while ((e = next_symbol_named(df, name, hash, e))) {
		bool dup = false;
		if (has_size && e->size != size)
			continue;
		for (unsigned i = 0; i < nr_seen && !dup; i++)
			dup = seen[i] == e->addr;
		if (dup)
			continue;
		if (nr_seen < ARRAY_SIZE(seen))
			seen[nr_seen++] = e->addr;
		matches++;
	}
	*nr_matches = matches;
	if (matches == 0)
		return SYM_UNKNOWN;
	if (matches > 1)
		return SYM_AMBIGUOUS;
	*addr = seen[0];
	return SYM_FOUND;
}

bool debugfile_symbol_at(struct debugfile *df, const char *name, uint64_t addr)
{
	uint32_t hash = name_hash(name);
	const struct sym_entry *e = NULL;

	while ((e = next_symbol_named(df, name, hash, e)))
		if (e->addr == addr)
			return true;
	return false;
}

const char *debugfile_symbol_name(struct debugfile *df, uint64_t addr, uint64_t *off,
				  uint64_t *size)
{
	GElf_Off offset = 0;
	GElf_Sym sym;
	const char *name = dwfl_module_addrinfo(df->mod, addr, &offset, &sym, NULL, NULL, NULL);

	if (!name || GELF_ST_TYPE(sym.st_info) != STT_FUNC)
		return NULL;
	*off = offset;
	*size = sym.st_size;
	return name;
}

/* Number of '/'-separated components of an absolute path prefix. */
static int path_depth(const char *p, size_t n)
{
	int depth = 0;

	for (size_t i = 0; i + 1 < n; i++)
		if (p[i] == '/' && p[i + 1] != '/')
			depth++;
	return depth;
}

/*
 * Source paths relative to the build directory, like decode_stacktrace.sh
 * strips its base path. An out-of-tree (O=) kernel build has the source tree
 * above the build directory (Debian: linux-6.1/debian/build/build_…), so an
 * absolute path outside comp_dir loses the longest ancestor of comp_dir it
 * lies in — but never a one-component one like /tmp or /usr.
 */
static char *strip_build_dir(const char *file, const char *comp_dir)
{
	size_t n;

	if (comp_dir && (n = strlen(comp_dir)) && !strncmp(file, comp_dir, n) &&
	    file[n] == '/') {
		file += n + 1;
	} else if (comp_dir && comp_dir[0] == '/' && file[0] == '/') {
		n = strlen(comp_dir);
		while (n > 1) {
			while (n > 0 && comp_dir[n - 1] != '/')
				n--;
			if (n > 0)
				n--;	/* drop the '/' itself */
			if (path_depth(comp_dir, n + 1) < 2)
				break;
			if (!strncmp(file, comp_dir, n) && file[n] == '/') {
				file += n + 1;
				break;
			}
		}
	}
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	return xstrdup(file);
}

static char *format_src(const char *file, int line, const char *comp_dir)
{
	char *rel = strip_build_dir(file, comp_dir);
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%s:%d", rel, line);
	free(rel);
	return strbuf_detach(&sb, NULL);
}

static const char *die_name(Dwarf_Die *die)
{
	Dwarf_Attribute attr;
	const char *name;

	name = dwarf_formstring(dwarf_attr_integrate(die, DW_AT_name, &attr));
	return name ? name : "??";
}

static const char *cu_comp_dir(Dwarf_Die *cudie)
{
	Dwarf_Attribute attr;

	return dwarf_formstring(dwarf_attr(cudie, DW_AT_comp_dir, &attr));
}

/* The call site of an inlined_subroutine DIE as "file:line", or NULL. */
static char *call_site(struct debugfile *df, const struct cu_ctx *cu,
		       Dwarf_Die *inl)
{
	Dwarf_Attribute attr;
	Dwarf_Word file_idx, line;
	char *file, *src;

	if (!df->lines || !cu->has_stmt_list ||
	    dwarf_formudata(dwarf_attr(inl, DW_AT_call_file, &attr), &file_idx) != 0 ||
	    dwarf_formudata(dwarf_attr(inl, DW_AT_call_line, &attr), &line) != 0)
		return NULL;
	file = line_tables_file(df->lines, cu->stmt_list, cu->comp_dir, file_idx);
	if (!file)
		return NULL;
	src = format_src(file, (int)line, cu->comp_dir);
	free(file);
	return src;
}

/*
 * Descend from DIE through the children whose ranges hold PC (subprograms,
 * lexical blocks, inlined subroutines) and prepend each inlined subroutine to
 * c->inlined, so the innermost ends up first. One pass down one path of the
 * tree: no scope array, no abstract-origin walk (unlike dwarf_getscopes).
 */
static void collect_inlined(struct debugfile *df, const struct cu_ctx *cu,
			    Dwarf_Die *die, Dwarf_Addr pc,
			    struct cached_result *c)
{
	Dwarf_Die child;
	int depth = 0;

	if (dwarf_child(die, &child) != 0)
		return;
	while (depth < 256) {
		int tag = dwarf_tag(&child);
		bool scope = tag == DW_TAG_subprogram ||
			     tag == DW_TAG_lexical_block ||
			     tag == DW_TAG_inlined_subroutine;

		if (scope && dwarf_haspc(&child, pc) > 0) {
			if (tag == DW_TAG_inlined_subroutine) {
				struct inline_frame *n = xcalloc(c->nr_inlined + 1,
								 sizeof(*n));
				if (c->nr_inlined)
					memcpy(n + 1, c->inlined,
					       c->nr_inlined * sizeof(*n));
				n[0].func = xstrdup(die_name(&child));
				n[0].src = call_site(df, cu, &child);
				free(c->inlined);
				c->inlined = n;
				c->nr_inlined++;
			}
			depth++;
			if (dwarf_child(&child, &child) != 0)
				return;
			continue;
		}
		if (dwarf_siblingof(&child, &child) != 0)
			return;
	}
}

static int add_function(Dwarf_Die *die, void *arg)
{
	struct cu_funcs *cf = arg;
	Dwarf_Addr base, start, end;
	ptrdiff_t off = 0;

	while ((off = dwarf_ranges(die, off, &base, &start, &end)) > 0) {
		ALLOC_GROW(cf->ranges, cf->nr + 1, cf->alloc);
		cf->ranges[cf->nr].lo = start;
		cf->ranges[cf->nr].hi = end;
		cf->ranges[cf->nr].die = dwarf_dieoffset(die);
		cf->nr++;
	}
	return DWARF_CB_OK;
}

static int range_cmp(const void *a, const void *b)
{
	const struct func_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* The CU's function index, built on the first address in that CU. */
static struct cu_funcs *cu_functions(struct debugfile *df, Dwarf_Die *cudie)
{
	Dwarf_Off cu = dwarf_dieoffset(cudie);
	size_t lo = 0, hi = df->nr_cus;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (df->cus[mid].cu < cu)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < df->nr_cus && df->cus[lo].cu == cu)
		return &df->cus[lo];
	ALLOC_GROW(df->cus, df->nr_cus + 1, df->alloc_cus);
	memmove(&df->cus[lo + 1], &df->cus[lo],
		(df->nr_cus - lo) * sizeof(*df->cus));
	df->nr_cus++;
	memset(&df->cus[lo], 0, sizeof(df->cus[lo]));
	df->cus[lo].cu = cu;
	dwarf_getfuncs(cudie, add_function, &df->cus[lo], 0);
	if (df->cus[lo].nr)
		qsort(df->cus[lo].ranges, df->cus[lo].nr,
		      sizeof(*df->cus[lo].ranges), range_cmp);
	return &df->cus[lo];
}

/* The top-level function DIE holding PC, from the CU's function index. */
static bool find_function(struct debugfile *df, Dwarf_Die *cudie,
			  Dwarf_Addr pc, Dwarf_Die *fn)
{
	struct cu_funcs *cf = cu_functions(df, cudie);
	size_t lo = 0, hi = cf->nr;
	Dwarf_Addr bias;
	Dwarf *dw;

	while (lo < hi) {		/* first range with lo > pc */
		size_t mid = lo + (hi - lo) / 2;
		if (cf->ranges[mid].lo <= pc)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* Ranges may nest (rare); look back a little for one holding pc. */
	for (size_t i = lo, tries = 0; i > 0 && tries < 8; i--, tries++) {
		const struct func_range *r = &cf->ranges[i - 1];
		if (pc >= r->lo && pc < r->hi) {
			dw = dwfl_module_getdwarf(df->mod, &bias);
			return dw && dwarf_offdie(dw, r->die, fn) != NULL;
		}
	}
	return false;
}

/* The line tables of the file, set up on first use (after libdwfl has
 * loaded and, for a module, relocated the DWARF sections). */
static struct line_tables *file_lines(struct debugfile *df)
{
	Dwarf_Addr bias;
	Dwarf *dw;
	Elf *elf;
	char *err = NULL;

	if (df->lines_tried)
		return df->lines;
	df->lines_tried = true;
	dw = dwfl_module_getdwarf(df->mod, &bias);
	elf = dw ? dwarf_getelf(dw) : NULL;
	if (!elf) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "no DWARF debug information found for it (%s); "
			    "its frames keep what the log printed",
			    dwfl_errmsg(-1));
		note_problem(df, strbuf_detach(&sb, NULL));
		return NULL;
	}
	df->lines = line_tables_new(elf, LINE_TABLE_BUDGET, &err);
	note_problem(df, err);
	return df->lines;
}

/* Computes the result for ADDR into c (c->addr set by the caller). */
static void compute(struct debugfile *df, struct cached_result *c)
{
	Dwarf_Addr bias = 0;
	Dwarf_Attribute attr;
	Dwarf_Word stmt_list;
	struct cu_ctx cu = { 0 };
	char *file = NULL, *err = NULL;
	int lineno = 0;
	Dwarf_Die fn;

	if (!file_lines(df))
		return;
	cu.cudie = dwfl_module_addrdie(df->mod, c->addr, &bias);
	if (!cu.cudie)
		return;
	if (dwarf_formudata(dwarf_attr(cu.cudie, DW_AT_stmt_list, &attr),
			    &stmt_list) != 0)
		return;
	cu.stmt_list = stmt_list;
	cu.has_stmt_list = true;
	cu.comp_dir = cu_comp_dir(cu.cudie);
	if (line_tables_lookup(df->lines, cu.stmt_list, cu.comp_dir,
			       c->addr - bias, &file, &lineno, &err) != 0) {
		note_problem(df, err);
		return;
	}
	c->src = format_src(file, lineno, cu.comp_dir);
	free(file);
	c->resolved = true;
	if (find_function(df, cu.cudie, c->addr - bias, &fn))
		collect_inlined(df, &cu, &fn, c->addr - bias, c);
	else
		collect_inlined(df, &cu, cu.cudie, c->addr - bias, c);
}

static void copy_result(const struct cached_result *c, struct frame *f)
{
	free(f->src);
	for (size_t i = 0; i < f->nr_inlined; i++) {
		free(f->inlined[i].func);
		free(f->inlined[i].src);
	}
	free(f->inlined);
	f->inlined = NULL;
	f->nr_inlined = 0;
	f->src = c->src ? xstrdup(c->src) : NULL;
	if (c->nr_inlined) {
		f->inlined = xcalloc(c->nr_inlined, sizeof(*f->inlined));
		for (size_t i = 0; i < c->nr_inlined; i++) {
			f->inlined[i].func = xstrdup(c->inlined[i].func);
			f->inlined[i].src = c->inlined[i].src ?
				xstrdup(c->inlined[i].src) : NULL;
		}
		f->nr_inlined = c->nr_inlined;
	}
}

static size_t addr_hash(uint64_t a)
{
	a ^= a >> 33;
	a *= 0xff51afd7ed558ccdULL;
	a ^= a >> 33;
	return (size_t)a;
}

/* Slot for addr in the cache (growing it), or NULL when the cache is full. */
static struct cached_result *cache_slot(struct debugfile *df, uint64_t addr)
{
	size_t i;

	if (df->cache_used * 2 >= df->cache_cap) {
		size_t old_cap = df->cache_cap;
		struct cached_result *old = df->cache;

		if (df->cache_used >= ADDR_CACHE_MAX)
			goto lookup_only;
		df->cache_cap = old_cap ? old_cap * 2 : 1024;
		df->cache = xcalloc(df->cache_cap, sizeof(*df->cache));
		for (size_t j = 0; j < old_cap; j++) {
			if (!old[j].used)
				continue;
			i = addr_hash(old[j].addr) & (df->cache_cap - 1);
			while (df->cache[i].used)
				i = (i + 1) & (df->cache_cap - 1);
			df->cache[i] = old[j];
		}
		free(old);
	}
lookup_only:
	i = addr_hash(addr) & (df->cache_cap - 1);
	while (df->cache[i].used) {
		if (df->cache[i].addr == addr)
			return &df->cache[i];
		i = (i + 1) & (df->cache_cap - 1);
	}
	if (df->cache_used * 2 >= df->cache_cap)
		return NULL;
	return &df->cache[i];
}

int debugfile_resolve(struct debugfile *df, uint64_t addr, struct frame *f)
{
	struct cached_result *slot = cache_slot(df, addr);
	struct cached_result tmp = { .addr = addr };
	int ret;

	if (slot && slot->used) {
		if (!slot->resolved)
			return -1;
		copy_result(slot, f);
		return 0;
	}
	compute(df, &tmp);
	tmp.used = true;
	/* An unresolved address keeps what the log printed (syzkaller src). */
	if (tmp.resolved)
		copy_result(&tmp, f);
	ret = tmp.resolved ? 0 : -1;
	if (slot) {
		*slot = tmp;
		df->cache_used++;
	} else {
		cached_release(&tmp);
	}
	return ret;
}

uint64_t debugfile_bias(struct debugfile *df)
{
	GElf_Addr bias = 0;

	dwfl_module_getelf(df->mod, &bias);
	return bias;
}

/* Address order; at one address a global symbol before a weak one before
 * a local one, sized before sizeless (the name libdwfl would pick). */
static int bind_rank(unsigned char bind)
{
	return bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
}

static int cmp_by_addr(const void *a, const void *b, void *arg)
{
	const struct debugfile *df = arg;
	const struct sym_entry *x = &df->syms[*(const uint32_t *)a];
	const struct sym_entry *y = &df->syms[*(const uint32_t *)b];

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (!x->size != !y->size)
		return x->size ? -1 : 1;
	return bind_rank(x->bind) - bind_rank(y->bind);
}

/*
 * libdwfl's dwfl_module_addrinfo() searches the whole symbol table on every
 * call (10,000 threads of one core took seconds in it); this is a binary
 * search over an index built once.
 */
const char *debugfile_addr_symbol(struct debugfile *df, uint64_t addr, uint64_t *off,
				  uint64_t *size)
{
	const struct sym_entry *best = NULL;
	size_t lo = 0, hi;

	if (!df->syms_built)
		build_symbol_index(df);
	if (!df->by_addr) {
		df->by_addr = xmalloc((df->nr_syms ? df->nr_syms : 1) * sizeof(*df->by_addr));
		for (size_t i = 0; i < df->nr_syms; i++)
			df->by_addr[i] = (uint32_t)i;
		qsort_r(df->by_addr, df->nr_syms, sizeof(*df->by_addr), cmp_by_addr, df);
	}
	hi = df->nr_syms;
	while (lo < hi) {		/* first symbol starting past addr */
		size_t mid = lo + (hi - lo) / 2;
		if (df->syms[df->by_addr[mid]].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	/* The nearest start at or below addr: a sized symbol must hold addr
	   (look back a little for one that does), a sizeless one is taken
	   when no sized one does (labels like __restore_rt). */
	for (size_t i = lo, tries = 0; i > 0 && tries < 16; i--, tries++) {
		const struct sym_entry *e = &df->syms[df->by_addr[i - 1]];
		if (e->size && addr - e->addr < e->size) {
			best = e;
			break;
		}
		if (!e->size && !best)
			best = e;
	}
	if (!best)
		return NULL;
	if (!best->size) {	/* sizeless: only if no sized symbol starts between */
		for (size_t i = lo; i > 0; i--) {
			const struct sym_entry *e = &df->syms[df->by_addr[i - 1]];
			if (e == best)
				break;
			if (e->size && e->addr > best->addr)
				return NULL;
		}
	}
	*off = addr - best->addr;
	*size = best->size;
	return best->name;
}

const char *debugfile_addr_function(struct debugfile *df, uint64_t addr)
{
	Dwarf_Addr bias = 0;
	Dwarf_Attribute attr;
	Dwarf_Die *cudie, fn;

	if (!file_lines(df))
		return NULL;
	cudie = dwfl_module_addrdie(df->mod, addr, &bias);
	if (!cudie || !find_function(df, cudie, addr - bias, &fn))
		return NULL;
	return dwarf_formstring(dwarf_attr_integrate(&fn, DW_AT_name, &attr));
}
