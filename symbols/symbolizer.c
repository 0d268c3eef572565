/*
** symbolizer: finds the debug file of each (release, module) lazily and hands
** addresses to debugfile.c. Warnings about missing or mismatched debuginfo
** are printed once per (release, module).
*/
#include "config.h"
#include "symbolizer.h"
#include "title.h"
#include "dbgd.h"
#include "debugfile.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MODULE_DIR_DEPTH_MAX 16

struct module_entry {
	char *name;		/* normalised: '-' → '_' */
	char *path;		/* found file, NULL when none */
	struct debugfile *df;
	bool tried;		/* opened (or failed and warned) once */
};

struct release_ctx {
	char *release;		/* "" when the log named none */
	struct debugfile *vmlinux;
	bool vmlinux_tried;
	/* The vmlinux's linux_banner names another release: not used. */
	bool vmlinux_checked, vmlinux_wrong;
	/* Files found under the modules directory, by normalised name. */
	struct module_entry *mods;
	size_t nr_mods, alloc_mods;
	bool mods_scanned;
};

struct symbolizer {
	char *vmlinux, *modules_dir, *debug_root;
	bool debuginfod, quiet;
	bool debug_root_checked;
	struct release_ctx *rels;
	size_t nr_rels, alloc_rels;
	struct debugfile *explicit_vmlinux;
	bool explicit_tried;
	struct dbgd_lazy dbgd;	/* loaded at the first fetch */
};

struct symbolizer *symbolizer_new(const struct symbolizer_options *opts)
{
	struct symbolizer *s = xcalloc(1, sizeof(*s));

	s->vmlinux = opts->vmlinux ? xstrdup(opts->vmlinux) : NULL;
	s->modules_dir = opts->modules_dir ? xstrdup(opts->modules_dir) : NULL;
	s->debug_root = xstrdup(opts->debug_root ? opts->debug_root : "/usr/lib/debug");
	s->debuginfod = opts->debuginfod && getenv("DEBUGINFOD_URLS") &&
			*getenv("DEBUGINFOD_URLS");
	s->quiet = opts->quiet;
	return s;
}

void symbolizer_free(struct symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_rels; i++) {
		struct release_ctx *r = &s->rels[i];
		for (size_t j = 0; j < r->nr_mods; j++) {
			free(r->mods[j].name);
			free(r->mods[j].path);
			debugfile_free(r->mods[j].df);
		}
		free(r->mods);
		debugfile_free(r->vmlinux);
		free(r->release);
	}
	free(s->rels);
	debugfile_free(s->explicit_vmlinux);
	dbgd_free(s->dbgd.d);
	free(s->vmlinux);
	free(s->modules_dir);
	free(s->debug_root);
	free(s);
}

__attribute__((format(printf, 2, 3)))
static void warn(const struct symbolizer *s, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (s->quiet)
		return;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	warning("%s", sb.buf);
	strbuf_release(&sb);
}

static struct release_ctx *get_release(struct symbolizer *s, const char *release)
{
	if (!release)
		release = "";
	for (size_t i = 0; i < s->nr_rels; i++)
		if (!strcmp(s->rels[i].release, release))
			return &s->rels[i];
	ALLOC_GROW(s->rels, s->nr_rels + 1, s->alloc_rels);
	memset(&s->rels[s->nr_rels], 0, sizeof(s->rels[0]));
	s->rels[s->nr_rels].release = xstrdup(release);
	return &s->rels[s->nr_rels++];
}

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static struct debugfile *open_or_warn(struct symbolizer *s, const char *path,
				      const char *modname)
{
	char *err = NULL;
	struct debugfile *df = debugfile_open(path, modname, s->debug_root,
					      s->debuginfod, &err);

	if (!df) {
		warn(s, "cannot use debuginfo %s", err);
		free(err);
	}
	return df;
}

/* Debug file by build ID: the debug root's .build-id tree, then debuginfod. */
static char *find_by_build_id(struct symbolizer *s, const char *build_id)
{
	return dbgd_debug_file(s->debug_root, build_id, s->debuginfod, &s->dbgd);
}

/*
 * A vmlinux whose linux_banner names another release than the log is the
 * wrong build: its symbols would resolve to wrong lines, so it is not used
 * for that release (warned once). Nothing to compare when the log names no
 * release or the file has no readable banner: then it is used.
 */
static struct debugfile *checked_vmlinux(struct symbolizer *s,
					 struct release_ctx *r,
					 struct debugfile *df)
{
	const char *built;

	if (!df || !*r->release)
		return df;
	if (!r->vmlinux_checked) {
		r->vmlinux_checked = true;
		built = debugfile_kernel_release(df);
		if (built && strcmp(built, r->release)) {
			r->vmlinux_wrong = true;
			warn(s, "%s is the vmlinux of %s (its linux_banner), not of %s "
			     "as the log says: not used for %s frames",
			     debugfile_path(df), built, r->release, r->release);
		}
	}
	return r->vmlinux_wrong ? NULL : df;
}

/* An unusable debug root is said once, with the reason, before the
 * per-release "no vmlinux debuginfo" warnings it causes. */
static void check_debug_root(struct symbolizer *s)
{
	struct stat st;

	if (s->debug_root_checked)
		return;
	s->debug_root_checked = true;
	if (stat(s->debug_root, &st) != 0)
		warn(s, "cannot use debug root %s: %s", s->debug_root,
		     strerror(errno));
	else if (!S_ISDIR(st.st_mode))
		warn(s, "cannot use debug root %s: not a directory",
		     s->debug_root);
	else if (access(s->debug_root, R_OK | X_OK) != 0)
		warn(s, "cannot read debug root %s: %s", s->debug_root,
		     strerror(errno));
}

static struct debugfile *release_vmlinux(struct symbolizer *s,
					 struct release_ctx *r)
{
	struct strbuf sb = STRBUF_INIT;

	if (s->vmlinux) {
		if (!s->explicit_tried) {
			s->explicit_tried = true;
			s->explicit_vmlinux = open_or_warn(s, s->vmlinux, NULL);
		}
		return checked_vmlinux(s, r, s->explicit_vmlinux);
	}
	if (r->vmlinux_tried)
		return checked_vmlinux(s, r, r->vmlinux);
	r->vmlinux_tried = true;
	if (!*r->release) {
		warn(s, "no kernel release in the log and no --vmlinux: "
		     "vmlinux frames are not symbolized");
		return NULL;
	}
	check_debug_root(s);
	strbuf_addf(&sb, "%s/boot/vmlinux-%s", s->debug_root, r->release);
	if (!is_file(sb.buf)) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s/lib/modules/%s/vmlinux", s->debug_root,
			    r->release);
	}
	if (is_file(sb.buf))
		r->vmlinux = open_or_warn(s, sb.buf, NULL);
	else
		warn(s, "no vmlinux debuginfo for %s under %s (use --vmlinux or "
		     "--debug-root)", r->release, s->debug_root);
	strbuf_release(&sb);
	return checked_vmlinux(s, r, r->vmlinux);
}

static char *normalise_module_name(const char *name, size_t len)
{
	char *n = xstrndup(name, len);

	for (char *p = n; *p; p++)
		if (*p == '-')
			*p = '_';
	return n;
}

/* Length of the module name of a file "NAME.ko[.debug|.xz|.zst|.gz]", or 0. */
static size_t module_file_stem(const char *file)
{
	static const char *const suffixes[] = {
		".ko", ".ko.debug", ".ko.xz", ".ko.zst", ".ko.gz",
	};
	size_t len = strlen(file);

	for (size_t i = 0; i < ARRAY_SIZE(suffixes); i++) {
		size_t sl = strlen(suffixes[i]);
		if (len > sl && !strcmp(file + len - sl, suffixes[i]))
			return len - sl;
	}
	return 0;
}

static void scan_module_dir(struct symbolizer *s, struct release_ctx *r,
			    const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;

	if (depth > MODULE_DIR_DEPTH_MAX)
		return;
	d = opendir(dir);
	if (!d) {
		if (depth == 0)
			warn(s, "cannot read module directory %s: %m", dir);
		return;
	}
	while ((de = readdir(d))) {
		struct strbuf sb = STRBUF_INIT;
		struct stat st;
		size_t stem;

		if (de->d_name[0] == '.')
			continue;
		strbuf_addf(&sb, "%s/%s", dir, de->d_name);
		if (lstat(sb.buf, &st) != 0) {
			strbuf_release(&sb);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			scan_module_dir(s, r, sb.buf, depth + 1);
		} else if (S_ISREG(st.st_mode) &&
			   (stem = module_file_stem(de->d_name))) {
			char *name = normalise_module_name(de->d_name, stem);
			bool dup = false;
			for (size_t i = 0; i < r->nr_mods && !dup; i++)
				dup = !strcmp(r->mods[i].name, name);
			if (dup) {
				free(name);
			} else {
				ALLOC_GROW(r->mods, r->nr_mods + 1, r->alloc_mods);
				memset(&r->mods[r->nr_mods], 0, sizeof(r->mods[0]));
				r->mods[r->nr_mods].name = name;
				r->mods[r->nr_mods].path = strbuf_detach(&sb, NULL);
				r->nr_mods++;
			}
		}
		strbuf_release(&sb);
	}
	closedir(d);
}

static struct module_entry *release_module(struct symbolizer *s,
					   struct release_ctx *r,
					   const char *module)
{
	char *name = normalise_module_name(module, strlen(module));
	struct module_entry *m = NULL;

	if (!r->mods_scanned) {
		struct strbuf sb = STRBUF_INIT;
		r->mods_scanned = true;
		if (s->modules_dir) {
			scan_module_dir(s, r, s->modules_dir, 0);
		} else if (*r->release) {
			check_debug_root(s);
			strbuf_addf(&sb, "%s/lib/modules/%s", s->debug_root,
				    r->release);
			scan_module_dir(s, r, sb.buf, 0);
		}
		strbuf_release(&sb);
	}
	for (size_t i = 0; i < r->nr_mods; i++)
		if (!strcmp(r->mods[i].name, name))
			m = &r->mods[i];
	if (!m) {
		ALLOC_GROW(r->mods, r->nr_mods + 1, r->alloc_mods);
		m = &r->mods[r->nr_mods++];
		memset(m, 0, sizeof(*m));
		m->name = name;
	} else {
		free(name);
	}
	return m;
}

static struct debugfile *module_debugfile(struct symbolizer *s,
					  struct release_ctx *r,
					  const struct frame *f)
{
	struct module_entry *m = release_module(s, r, f->module);

	if (m->tried)
		return m->df;
	m->tried = true;
	if (m->path)
		m->df = open_or_warn(s, m->path, m->name);
	if (m->df && f->build_id && debugfile_build_id(m->df) &&
	    strcmp(f->build_id, debugfile_build_id(m->df))) {
		warn(s, "module %s: the log's build ID %s differs from %s (%s); "
		     "not used", f->module, f->build_id, m->path,
		     debugfile_build_id(m->df));
		debugfile_free(m->df);
		m->df = NULL;
	}
	if (!m->df && f->build_id) {
		char *path = find_by_build_id(s, f->build_id);
		if (path) {
			m->df = open_or_warn(s, path, m->name);
			free(path);
		}
	}
	if (!m->df && !m->path)
		warn(s, "no debuginfo for module %s (release %s)", f->module,
		     *r->release ? r->release : "unknown");
	return m->df;
}

static struct debugfile *frame_debugfile(struct symbolizer *s,
					 const char *release,
					 const struct frame *f)
{
	struct release_ctx *r = get_release(s, release);

	if (f->module)
		return module_debugfile(s, r, f);
	return release_vmlinux(s, r);
}

/*
 * Address of f's func+off in df; -1 when unknown or ambiguous (warned). A
 * name shared by several functions of the same size (static duplicates) is
 * settled by the frame's own address when the slide is known.
 */
static int symbol_address(struct symbolizer *s, struct debugfile *df,
			  const struct frame *f, bool has_slide, uint64_t slide,
			  uint64_t *addr, bool quiet)
{
	unsigned nr = 0;
	uint64_t sym;

	switch (debugfile_symbol(df, f->func, f->size != 0, f->size, &sym, &nr)) {
	case SYM_FOUND:
		*addr = sym + f->off;
		return 0;
	case SYM_AMBIGUOUS:
		if (has_slide && f->has_addr && !f->module &&
		    debugfile_symbol_at(df, f->func, f->addr - slide - f->off)) {
			*addr = f->addr - slide;
			return 0;
		}
		if (!quiet)
			warn(s, "%s+0x%llx/0x%llx: %u functions of that name and "
			     "size in %s; not resolved", f->func,
			     (unsigned long long)f->off,
			     (unsigned long long)f->size, nr,
			     debugfile_path(df));
		return -1;
	case SYM_UNKNOWN:
		if (!quiet && debugfile_first_unknown(df))
			warn(s, "%s: no symbol %s (debuginfo of another kernel "
			     "build?); such frames are left as they are",
			     debugfile_path(df), f->func);
		break;
	}
	return -1;
}

bool symbolizer_frame_slide(struct symbolizer *s, const char *release,
			    const struct frame *f, uint64_t *slide)
{
	struct debugfile *df;
	uint64_t addr;

	if (f->module || !f->func || !f->has_off || !f->has_addr)
		return false;
	df = frame_debugfile(s, release, f);
	if (!df || symbol_address(s, df, f, false, 0, &addr, true) != 0)
		return false;
	*slide = f->addr - addr;
	return true;
}

int symbolizer_resolve_frame_slide(struct symbolizer *s, const char *release,
				   struct frame *f, bool has_slide,
				   uint64_t slide)
{
	struct debugfile *df = frame_debugfile(s, release, f);
	uint64_t addr;
	char *problem;
	int ret;

	if (!df)
		return -1;
	if (f->func && f->has_off) {
		if (symbol_address(s, df, f, has_slide, slide, &addr, false) != 0)
			return -1;
	} else if (f->has_addr && !f->module) {
		uint64_t off, size;
		const char *name;
		addr = f->addr - (has_slide ? slide : 0);
		/* a frame that printed only its address gets its function */
		if (!f->func && (name = debugfile_symbol_name(df, addr, &off, &size))) {
			f->func = xstrdup(name);
			f->off = off;
			f->size = size;
			f->has_off = true;
		}
	} else {
		return -1;
	}
	ret = debugfile_resolve(df, addr, f);
	problem = debugfile_take_warning(df);
	if (problem) {
		warn(s, "%s", problem);
		free(problem);
	}
	return ret;
}

int symbolizer_resolve_frame(struct symbolizer *s, const char *release,
			     struct frame *f)
{
	return symbolizer_resolve_frame_slide(s, release, f, false, 0);
}

/* A raw address without a known slide is left alone (KASLR moves it). */
static void annotate_frame(struct symbolizer *s, const char *rel,
			   struct frame *f, bool has_slide, uint64_t slide,
			   bool *warned)
{
	if (!f->func && !f->module && f->has_addr && !has_slide) {
		if (!*warned)
			warn(s, "raw addresses left unresolved: no frame of this "
			     "incident prints both an address and func+off, so "
			     "the KASLR slide is unknown");
		*warned = true;
		return;
	}
	symbolizer_resolve_frame_slide(s, rel, f, has_slide, slide);
}

void symbolizer_annotate_incident(struct symbolizer *s, struct incident *inc)
{
	const char *rel = inc->kernel.release;
	bool has_slide = false, warned = false;
	uint64_t slide = 0;

	/* A kernel booted without KASLR ("nokaslr", or dump_kernel_offset()'s
	   "Kernel Offset: disabled") runs at its link addresses. */
	const char *ko = mem_find(inc->text.buf, inc->text.len, "Kernel Offset: ");
	bool named = false;
	unsigned long long offset;

	if ((inc->kernel.cmdline && strstr(inc->kernel.cmdline, "nokaslr")) ||
	    (ko && mem_starts_with(ko, (size_t)(inc->text.buf + inc->text.len - ko),
				   "Kernel Offset: disabled")))
		has_slide = true;
	else if (ko && parse_hex(ko + strlen("Kernel Offset: 0x"),
				 inc->text.buf + inc->text.len, &offset)) {
		has_slide = true;	/* "Kernel Offset: 0x1e000000 from 0xffffffff81000000" */
		slide = offset;
	}
	if (inc->has_ip && !has_slide)
		has_slide = symbolizer_frame_slide(s, rel, &inc->ip, &slide);
	for (size_t i = 0; i < inc->nr_stacks && !has_slide; i++)
		for (size_t j = 0; j < inc->stacks[i].nr && !has_slide; j++)
			has_slide = symbolizer_frame_slide(s, rel,
					&inc->stacks[i].frames[j], &slide);
	if (inc->has_ip)
		annotate_frame(s, rel, &inc->ip, has_slide, slide, &warned);
	for (size_t i = 0; i < inc->nr_stacks; i++)
		for (size_t j = 0; j < inc->stacks[i].nr; j++) {
			struct frame *f = &inc->stacks[i].frames[j];
			bool had_name = f->func != NULL;
			annotate_frame(s, rel, f, has_slide, slide, &warned);
			named |= !had_name && f->func;
		}
	/* frames that printed only addresses now name functions: the title,
	   hash and corruption verdict are the symbolized stack's */
	if (named)
		title_reassign(inc);
}
