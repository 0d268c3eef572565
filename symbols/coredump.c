/*
** coredump: a core file as one `coredump` incident (coredump.h).
*/
#define _GNU_SOURCE
#include "config.h"
#include "coredump.h"
#include "core.h"
#include "spool.h"
#include "strbuf.h"
#include "title.h"
#include "unwind.h"
#include "usercrash.h"
#include "usersym.h"
#include "util.h"
#include "walk.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct coredump_reader {
	char *sysroot, *debug_root;
	struct usersym *sym;		/* under lock */
	pthread_mutex_t lock;
};

struct coredump_reader *coredump_reader_new(const struct coredump_options *opts)
{
	struct coredump_reader *r = xcalloc(1, sizeof(*r));
	struct symbolizer_options so = { NULL, NULL, NULL, false, true };

	if (opts && opts->sysroot)
		r->sysroot = xstrdup(opts->sysroot);
	if (opts && opts->debug_root)
		r->debug_root = xstrdup(opts->debug_root);
	so.debug_root = r->debug_root;
	so.debuginfod = opts && opts->debuginfod;
	r->sym = usersym_new(&so);
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

void coredump_reader_free(struct coredump_reader *r)
{
	if (!r)
		return;
	usersym_free(r->sym);
	pthread_mutex_destroy(&r->lock);
	free(r->sysroot);
	free(r->debug_root);
	free(r);
}

void coredump_status_release(struct coredump_status *st)
{
	free(st->error);
	for (size_t i = 0; i < st->nr_warnings; i++)
		free(st->warnings[i]);
	free(st->warnings);
	memset(st, 0, sizeof(*st));
}

__attribute__((format(printf, 2, 3)))
static void status_warn(struct coredump_status *st, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	st->warnings = xrealloc(st->warnings, (st->nr_warnings + 1) * sizeof(*st->warnings));
	st->warnings[st->nr_warnings++] = strbuf_detach(&sb, NULL);
}

bool coredump_sniff(const char *path)
{
	static const unsigned char magics[][4] = {
		{ 0x1f, 0x8b, 8, 0 }, { 0xfd, '7', 'z', 'X' }, { 0x28, 0xb5, 0x2f, 0xfd },
		{ 'B', 'Z', 'h', 0 }, { 0x04, 0x22, 0x4d, 0x18 },
	};
	unsigned char head[64];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool compressed = false;

	if (fd < 0)
		return false;
	n = pread(fd, head, sizeof(head), 0);
	close(fd);
	if (n < 4)
		return false;
	if (!memcmp(head, "\x7f" "ELF", 4))
		return walk_is_core_header(head, (size_t)n);
	/* Only a compressed file is decompressed to look (a log is not). */
	for (size_t i = 0; i < ARRAY_SIZE(magics); i++)
		compressed |= !memcmp(head, magics[i], magics[i][3] ? 4 : 3);
	if (!compressed)
		return false;
	n = spool_peek(path, head, sizeof(head));
	return n > 0 && walk_is_core_header(head, (size_t)n);
}

/* --- what to keep of a large compressed core --------------------------- */

struct range {
	uint64_t start, end;
};

struct keep_ctx {
	bool parsed;
	struct range *keep;		/* stack segments, segment first pages */
	size_t nr, alloc;
};

static void keep_range(struct keep_ctx *k, uint64_t start, uint64_t end)
{
	ALLOC_GROW(k->keep, k->nr + 1, k->alloc);
	k->keep[k->nr].start = start;
	k->keep[k->nr].end = end;
	k->nr++;
}

/* Called by spool_input() for pages past its limit: the headers and notes
 * are in by then (they precede the segments), so the threads' stack
 * pointers say which segments an unwind needs. */
static bool keep_page(void *data, int fd, uint64_t offset)
{
	struct keep_ctx *k = data;

	if (!k->parsed) {
		struct core_options o = { NULL, true };
		struct core_segment_info si;
		char *err = NULL;
		struct core_file *c = core_open("(partial)", fd, &o, &err);

		k->parsed = true;
		free(err);
		if (c) {
			for (size_t i = 0; core_segment_info(c, i, &si); i++)
				keep_range(k, si.offset, si.offset + 4096);
			for (size_t t = 0; t < core_nr_threads(c); t++) {
				uint64_t s, e;
				if (core_segment_of(c, core_thread(c, t)->regs[CORE_RSP], &s, &e))
					keep_range(k, s, e);
			}
			core_close(c);
		}
	}
	for (size_t i = 0; i < k->nr; i++)
		if (offset >= k->keep[i].start && offset < k->keep[i].end)
			return true;
	return false;
}

/* --- the record ------------------------------------------------------- */

static void set_wall(struct incident *inc, time_t t)
{
	struct tm tm;
	char buf[40], zone[8];

	if (!localtime_r(&t, &tm))
		return;
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);	/* +0100 → +01:00 */
	if (strlen(zone) == 5)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%.3s:%s", zone, zone + 3);
	inc->wall = xstrdup(buf);
}

static void hex_extra(struct incident *inc, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)v);
	incident_extra_str(inc, key, buf);
}

static void process_facts(struct incident *inc, struct core_file *c)
{
	const struct core_process *p = core_process(c);
	long exe = core_executable(c);
	char *cmd = core_cmdline(c);

	if (p->has_psinfo) {
		inc->task.comm = xstrdup(p->comm);
		inc->task.pid = p->pid;
		incident_extra_num(inc, "uid", p->uid);
	} else if (core_nr_threads(c)) {
		inc->task.pid = core_thread(c, 0)->tid;
	}
	if (exe >= 0) {
		struct core_module *m = core_module(c, (size_t)exe);
		incident_extra_str(inc, "executable", m->path);
		if (m->package && m->package_version) {
			incident_extra_str(inc, "package", m->package);
			incident_extra_str(inc, "package_version", m->package_version);
		}
	}
	{
		struct strbuf pk = STRBUF_INIT;
		for (size_t i = 0; i < core_nr_modules(c); i++) {
			struct core_module *m = core_module(c, i);
			if (m->package && m->package_version)
				strbuf_addf(&pk, "%s%s %s", pk.len ? "\n" : "", m->package,
					    m->package_version);
		}
		if (pk.len)
			incident_extra_str(inc, "packages", pk.buf);
		strbuf_release(&pk);
	}
	if (cmd)
		incident_extra_str(inc, "cmdline", cmd);
	free(cmd);
	if (p->has_siginfo || (core_nr_threads(c) && core_thread(c, 0)->cursig)) {
		int signo = p->has_siginfo ? p->signo : core_thread(c, 0)->cursig;
		const char *name = usercrash_signal_name(signo);
		char num[16];
		snprintf(num, sizeof(num), "%d", signo);
		incident_extra_str(inc, "signal", name ? name : num);
		incident_extra_num(inc, "signal_number", signo);
		if (p->has_siginfo) {
			const char *code = usercrash_sigcode_name(signo, p->code);
			if (code)
				incident_extra_str(inc, "signal_code", code);
			else
				incident_extra_num(inc, "signal_code", p->code);
		}
		if (p->has_fault_addr)
			hex_extra(inc, "fault_address", p->fault_addr);
		if (p->has_sender) {
			incident_extra_num(inc, "sender_pid", p->sender_pid);
			incident_extra_num(inc, "sender_uid", p->sender_uid);
		}
	}
	incident_extra_num(inc, "threads", (long long)core_nr_threads_total(c));
}

/* Symbols, lines and inline chains of one frame (under the reader's lock). */
static void symbolize(struct coredump_reader *r, struct core_file *c, size_t mi,
		      const struct unwind_frame *uf, struct frame *f, bool *warned,
		      struct coredump_status *st)
{
	struct core_module *m = core_module(c, mi);
	struct debugfile *df;
	const char *name;
	char *why = NULL;
	uint64_t addr, off = 0, size = 0, bias;

	if (m->path[0] != '/')		/* the vDSO: no file to read symbols from */
		return;
	df = usersym_module(r->sym, core_module_file(c, mi), m->build_id, &why);
	if (!df) {
		if (why && !warned[mi])
			status_warn(st, "no symbols for %s: %s", m->path, why);
		warned[mi] = true;
		free(why);
		return;
	}
	bias = m->has_bias ? m->bias : m->base;
	addr = uf->lookup_pc - bias + debugfile_bias(df);
	name = debugfile_addr_symbol(df, addr, &off, &size);
	if (name) {
		/* "memcpy@@GLIBC_2.14": the version is not part of the name */
		f->func = xstrndup(name, strcspn(name, "@"));
		f->off = off + (uf->pc - uf->lookup_pc);
		f->size = size;
		f->has_off = true;
	}
	/* The DWARF name where there is one: an ELF alias (__libc_start_main
	   for __libc_start_main_impl) is not the function's name. The offset
	   stays the symbol's (the same start). */
	if ((name = debugfile_addr_function(df, addr))) {
		free(f->func);
		f->func = xstrdup(name);
	}
	debugfile_resolve(df, addr, f);
}

static void add_thread(struct coredump_reader *r, struct core_file *c,
		       struct unwinder *u, struct incident *inc, size_t t,
		       size_t *budget, bool *warned, struct coredump_status *st,
		       struct unwind_frame *buf)
{
	const struct core_thread *th = core_thread(c, t);
	struct stack *stk = incident_add_stack(inc, STACK_THREAD);
	const char *stop = NULL;
	size_t n, max = COREDUMP_MAX_FRAMES;

	stk->tid = th->tid;
	stk->crashed = t == 0;
	if (!*budget) {
		stk->stopped = xstrdup("frame limit of the core reached");
		return;
	}
	if (max > *budget)
		max = *budget;
	n = u ? unwinder_thread(u, t, buf, max, &stop) : 0;
	if (!u)
		stop = "libunwind could not start";
	*budget -= n;
	if (stop)
		stk->stopped = xstrdup(stop);
	pthread_mutex_lock(&r->lock);
	for (size_t i = 0; i < n; i++) {
		struct frame *f = stack_add_frame(stk);
		long mi = core_module_index(c, buf[i].lookup_pc);

		f->addr = buf[i].pc;
		f->has_addr = true;
		f->reliable = buf[i].reliable;
		if (mi < 0)
			continue;
		struct core_module *m = core_module(c, (size_t)mi);
		f->module = xstrdup(m->path);
		if (*m->build_id)
			f->build_id = xstrdup(m->build_id);
		f->module_off = buf[i].pc - (m->has_base ? m->base : m->start);
		f->has_module_off = true;
		symbolize(r, c, (size_t)mi, &buf[i], f, warned, st);
	}
	pthread_mutex_unlock(&r->lock);
}

/* The descriptor of the core's bytes: the file itself, or its
 * decompression spooled into memory. -1 with st->error on failure. */
static int open_core(const char *path, struct coredump_status *st, bool *spooled)
{
	unsigned char magic[4];
	struct spool_result res;
	struct keep_ctx k = { 0 };
	uint64_t max = spool_max_data();
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*spooled = false;
	if (fd < 0) {
		st->error = xstrdup(strerror(errno));
		return -1;
	}
	if (pread(fd, magic, 4, 0) == 4 && !memcmp(magic, "\x7f" "ELF", 4))
		return fd;
	close(fd);
	if (spool_input(path, max, keep_page, &k, &res) < 0) {
		st->error = xstrdup(res.err);
		free(k.keep);
		return -1;
	}
	free(k.keep);
	*spooled = true;
	if (res.read_error) {
		status_warn(st, "%s (the core is read as far as it goes)", res.err);
		st->read_error = true;
	}
	if (res.dropped)
		status_warn(st, "%s core decompresses to more than %llu MiB of data: %llu MiB past that not kept (only thread stacks and headers were)",
			    res.format, (unsigned long long)(max >> 20),
			    (unsigned long long)(res.dropped >> 20));
	return res.fd;
}

struct incident *coredump_read(struct coredump_reader *r, const char *path,
			       struct coredump_status *st)
{
	struct core_options copts = { r->sysroot, false };
	struct incident *inc = NULL;
	struct core_file *c;
	struct unwinder *u;
	struct unwind_frame *buf;
	struct stat sb;
	size_t budget = COREDUMP_MAX_ALL_FRAMES;
	bool spooled, *warned;
	char *err = NULL;
	int fd;

	memset(st, 0, sizeof(*st));
	fd = open_core(path, st, &spooled);
	if (fd < 0)
		return NULL;
	c = core_open(path, fd, &copts, &err);
	if (!c) {
		st->error = err;
		st->unsupported = strstr(err, "only x86_64 cores are read") != NULL;
		close(fd);
		return NULL;
	}
	inc = incident_new(KIND_COREDUMP);
	inc->source.path = path;
	inc->source.line = inc->source.end_line = 1;
	if (!stat(path, &sb))
		set_wall(inc, sb.st_mtime);
	process_facts(inc, c);
	u = unwinder_new(c);
	buf = xmalloc(COREDUMP_MAX_FRAMES * sizeof(*buf));
	warned = xcalloc(core_nr_modules(c) + 1, sizeof(*warned));
	for (size_t t = 0; t < core_nr_threads(c); t++)
		add_thread(r, c, u, inc, t, &budget, warned, st, buf);
	if (core_nr_threads_total(c) > core_nr_threads(c))
		status_warn(st, "%zu threads, only the first %zu kept", core_nr_threads_total(c),
			    core_nr_threads(c));
	if (budget == 0)
		status_warn(st, "more than %u frames: later threads listed without frames",
			    COREDUMP_MAX_ALL_FRAMES);
	for (size_t i = 0; i < core_nr_warnings(c); i++)
		status_warn(st, "%s", core_warning(c, i));
	if (core_warnings_dropped(c))
		status_warn(st, "%zu more problems not listed", core_warnings_dropped(c));
	for (size_t i = 0; i < st->nr_warnings; i++) {
		const char *w = st->warnings[i];
		if (!inc->corrupted && (starts_with(w, "truncated") || strstr(w, "cut off") ||
					strstr(w, "past its segment") || st->read_error)) {
			inc->corrupted = true;
			inc->corrupt_reason = xstrdup(w);
		}
	}
	/* A damaged core is an input error (exit status 2), its record
	   still comes out with what could be read. */
	if (inc->corrupted)
		st->read_error = true;
	if (st->nr_warnings) {
		struct strbuf sb2 = STRBUF_INIT;
		for (size_t i = 0; i < st->nr_warnings; i++)
			strbuf_addf(&sb2, "%s%s", i ? "\n" : "", st->warnings[i]);
		incident_extra_str(inc, "warnings", sb2.buf);
		strbuf_release(&sb2);
	}
	usercrash_add_source(inc, "core");
	usercrash_render_text(inc);
	inc->source.end_line = 1;
	title_assign(inc);
	free(warned);
	free(buf);
	unwinder_free(u);
	core_close(c);
	close(fd);
	(void)spooled;
	return inc;
}
