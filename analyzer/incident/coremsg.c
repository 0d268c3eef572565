/*
** coremsg: systemd-coredump journal messages as records (coremsg.h).
*/
#include "coremsg.h"
#include "title.h"
#include "usercrash.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A module line's facts, to give frames their build IDs. */
struct msg_module {
	char *name, *build_id, *package, *version;
};

struct coremsg {
	struct incident *inc;
	struct msg_module *mods;
	size_t nr_mods, alloc_mods;
	struct stack *cur;		/* the thread whose frames come now */
	size_t lines;
	bool ended;
};

/* "Process 2211 (nginx) of user 33 dumped core." Also the "terminated
   abnormally without generating a coredump." variant. */
static bool parse_start(const char *msg, size_t len, long long *pid, const char **comm,
			size_t *comm_len, long long *uid)
{
	const char *end = msg + len, *p, *q, *r;

	if (!mem_starts_with(msg, len, "Process "))
		return false;
	p = parse_dec(msg + 8, end, pid);
	if (!p || end - p < 3 || p[0] != ' ' || p[1] != '(')
		return false;
	/* comm may hold anything, ") of user " included: take the last one. */
	q = NULL;
	for (r = p + 2; (r = mem_find(r, (size_t)(end - r), ") of user ")); r++)
		q = r;
	if (!q)
		return false;
	*comm = p + 2;
	*comm_len = (size_t)(q - (p + 2));
	r = parse_dec(q + 10, end, uid);
	if (!r)
		return false;
	return mem_starts_with(r, (size_t)(end - r), " dumped core.") ||
	       mem_starts_with(r, (size_t)(end - r), " terminated abnormally");
}

bool coremsg_is_start(const char *msg, size_t len)
{
	long long pid, uid;
	const char *comm;
	size_t n;

	return parse_start(msg, len, &pid, &comm, &n, &uid);
}

static void add_text(struct coremsg *m, const char *s, size_t n)
{
	strbuf_add(&m->inc->text, s, n);
	strbuf_addch(&m->inc->text, '\n');
	m->inc->nr_lines++;
}

struct coremsg *coremsg_begin(const char *msg, size_t len, const char *host,
			      const char *wall)
{
	struct coremsg *m = xcalloc(1, sizeof(*m));
	long long pid = -1, uid = -1;
	const char *comm = "";
	size_t comm_len = 0;

	m->inc = incident_new(KIND_COREDUMP);
	parse_start(msg, len, &pid, &comm, &comm_len, &uid);
	m->inc->task.pid = pid;
	m->inc->task.comm = xmemdupz(comm, comm_len);
	incident_extra_num(m->inc, "uid", uid);
	if (host)
		m->inc->host = xstrdup(host);
	if (wall && *wall)
		m->inc->wall = xstrdup(wall);
	usercrash_add_source(m->inc, "journal");
	add_text(m, msg, len);
	m->lines = 1;
	return m;
}

size_t coremsg_lines(const struct coremsg *m)
{
	return m->lines;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "deb nginx-1.22.1-9.amd64" (build_package_reference(): TYPE NAME-VERSION.ARCH):
   the name ends at the first '-' followed by a digit, the arch is a known
   architecture after the last '.'. */
static void parse_package(const char *ref, const char *end, char **name, char **version)
{
	static const char *const arches[] = { "amd64", "x86_64", "arm64", "aarch64", "i386",
		"i686", "noarch", "all", "ppc64le", "s390x", "riscv64", "armhf", "armel" };
	const char *sp = memchr(ref, ' ', (size_t)(end - ref)), *p, *v = NULL, *dot;

	if (sp)
		ref = sp + 1;
	for (p = ref; p + 1 < end; p++)
		if (*p == '-' && p[1] >= '0' && p[1] <= '9') {
			v = p;
			break;
		}
	if (!v) {
		*name = xmemdup_trim(ref, end);
		return;
	}
	*name = xmemdupz(ref, (size_t)(v - ref));
	dot = NULL;
	for (p = end - 1; p > v; p--)
		if (*p == '.') {
			dot = p;
			break;
		}
	if (dot) {
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
			if ((size_t)(end - dot - 1) == strlen(arches[i]) &&
			    !memcmp(dot + 1, arches[i], strlen(arches[i])))
				known = true;
		if (known)
			end = dot;
	}
	*version = xmemdupz(v + 1, (size_t)(end - v - 1));
}

/* "Module NAME[ from REF][, build-id=HEX]", "Module NAME without build-id.",
   "Found module NAME with build-id: HEX". */
static bool module_line(struct coremsg *m, const char *s, const char *end)
{
	struct msg_module *mod;
	const char *name, *p, *bid = NULL, *from = NULL, *ref_end;
	size_t n;

	if (mem_starts_with(s, (size_t)(end - s), "Module "))
		name = s + 7;
	else if (mem_starts_with(s, (size_t)(end - s), "Found module "))
		name = s + 13;
	else
		return false;
	for (p = name; p < end && *p != ' ' && *p != ','; p++)
		;
	n = (size_t)(p - name);
	if (!n)
		return false;
	ALLOC_GROW(m->mods, m->nr_mods + 1, m->alloc_mods);
	mod = &m->mods[m->nr_mods++];
	memset(mod, 0, sizeof(*mod));
	mod->name = xmemdupz(name, n);
	if ((from = mem_find(p, (size_t)(end - p), " from ")))
		from += 6;
	if ((bid = mem_find(p, (size_t)(end - p), "build-id=")))
		bid += 9;
	else if ((bid = mem_find(p, (size_t)(end - p), "build-id: ")))
		bid += 10;
	if (bid) {
		const char *q = bid;
		while (q < end && is_hex_digit((unsigned char)*q))
			q++;
		if (q > bid)
			mod->build_id = xmemdupz(bid, (size_t)(q - bid));
	}
	if (from) {
		ref_end = mem_find(from, (size_t)(end - from), ", build-id=");
		parse_package(from, ref_end ? ref_end : end, &mod->package, &mod->version);
	}
	return true;
}

/* "#0  0x00007f4c8c0a5e2c __pthread_kill_implementation (libc.so.6 + 0x8ae2c)" */
static bool frame_line(struct coremsg *m, const char *s, const char *end)
{
	const char *p, *open, *plus, *close;
	unsigned long long v;
	long long num;
	struct frame *f;

	if (s >= end || *s != '#' || !m->cur)
		return false;
	p = parse_dec(s + 1, end, &num);
	if (!p)
		return false;
	p = mem_skip_blanks(p, end);
	if (!mem_starts_with(p, (size_t)(end - p), "0x") || !(p = parse_hex(p + 2, end, &v)))
		return false;
	p = mem_skip_blanks(p, end);
	/* The module part is the last " (… + 0x…)"; the function may hold
	   parentheses (C++ signatures from DWARF linkage names do not, but
	   be safe). */
	open = NULL;
	for (const char *q = p; (q = mem_find(q, (size_t)(end - q), " (")); q++)
		open = q;
	if (!open || end[-1] != ')')
		return false;
	plus = mem_find(open, (size_t)(end - open), " + 0x");
	close = end - 1;
	if (!plus || plus > close)
		return false;
	f = stack_add_frame(m->cur);
	f->addr = v;
	f->has_addr = true;
	f->reliable = true;
	if (open > p && !(open - p == 3 && !memcmp(p, "n/a", 3)))
		f->func = xmemdupz(p, (size_t)(open - p));
	if (plus - (open + 2) > 0 && !(plus - (open + 2) == 3 && !memcmp(open + 2, "n/a", 3)))
		f->module = xmemdupz(open + 2, (size_t)(plus - (open + 2)));
	if (parse_hex(plus + 5, close, &v)) {
		f->module_off = v;
		f->has_module_off = true;
	}
	return true;
}

static bool known_line(struct coremsg *m, const char *s, size_t len)
{
	const char *end = s + len;
	long long tid;

	if (!len)
		return true;
	if (mem_starts_with(s, len, "Stack trace of thread ")) {
		const char *p = parse_dec(s + 22, end, &tid);
		if (!p)
			return false;
		m->cur = incident_add_stack(m->inc, STACK_THREAD);
		m->cur->tid = tid;
		m->cur->crashed = m->inc->nr_stacks == 1;
		return true;
	}
	if (*s == '#')
		return frame_line(m, s, end);
	if (mem_starts_with(s, len, "Coredump diverted to ")) {
		char *path = xmemdup_trim(s + 21, end);
		incident_extra_str(m->inc, "core_file", path);
		free(path);
		return true;
	}
	if (mem_starts_with(s, len, "ELF object binary architecture: "))
		return true;
	return module_line(m, s, end);
}

bool coremsg_add_line(struct coremsg *m, const char *line, size_t len)
{
	if (m->ended || !known_line(m, line, len))
		return false;
	add_text(m, line, len);
	m->lines++;
	return true;
}

void coremsg_add_message(struct coremsg *m, const char *msg, size_t len,
			 const char *sep)
{
	const char *p = msg, *end = msg + len;
	size_t sl = strlen(sep);
	bool first = true;

	while (p <= end) {
		const char *q = mem_find(p, (size_t)(end - p), sep);
		const char *e = q ? q : end;
		if (!first) {
			if (known_line(m, p, (size_t)(e - p)))
				m->lines++;
			add_text(m, p, (size_t)(e - p));
		}
		first = false;
		if (!q)
			break;
		p = q + sl;
	}
	m->ended = true;
}

void coremsg_add_field(struct coremsg *m, const char *key, const char *val, size_t len)
{
	struct incident *inc = m->inc;
	char *v = xmemdupz(val, len);
	long long n;

	if (!strcmp(key, "COREDUMP_EXE"))
		incident_extra_str(inc, "executable", v);
	else if (!strcmp(key, "COREDUMP_CMDLINE"))
		incident_extra_str(inc, "cmdline", v);
	else if (!strcmp(key, "COREDUMP_SIGNAL") && parse_dec(v, v + len, &n) == v + len) {
		const char *name = usercrash_signal_name((int)n);
		incident_extra_num(inc, "signal_number", n);
		if (name && !incident_extra(inc, "signal"))
			incident_extra_str(inc, "signal", name);
	} else if (!strcmp(key, "COREDUMP_SIGNAL_NAME") && *v) {
		incident_extra_str(inc, "signal", v);
	} else if (!strcmp(key, "COREDUMP_FILENAME")) {
		incident_extra_str(inc, "core_file", v);
	} else if (!strcmp(key, "COREDUMP_PACKAGE_NAME")) {
		incident_extra_str(inc, "package", v);
	} else if (!strcmp(key, "COREDUMP_PACKAGE_VERSION")) {
		incident_extra_str(inc, "package_version", v);
	} else if (!strcmp(key, "_BOOT_ID")) {
		incident_extra_str(inc, "boot_id", v);
	} else if (!strcmp(key, "COREDUMP_UID") && parse_dec(v, v + len, &n) == v + len) {
		incident_extra_num(inc, "uid", n);
	}
	free(v);
}

static const struct msg_module *find_module(const struct coremsg *m, const char *name)
{
	for (size_t i = 0; i < m->nr_mods; i++)
		if (!strcmp(m->mods[i].name, name) ||
		    !strcmp(base_name(m->mods[i].name), base_name(name)))
			return &m->mods[i];
	return NULL;
}

/* Build IDs onto frames; the executable's package; every module's package. */
static void link_modules(struct coremsg *m)
{
	struct incident *inc = m->inc;
	const struct extra *exe = incident_extra(inc, "executable");
	const struct msg_module *em = NULL;
	struct strbuf pk = STRBUF_INIT;

	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t i = 0; i < inc->stacks[s].nr; i++) {
			struct frame *f = &inc->stacks[s].frames[i];
			const struct msg_module *mm = f->module ? find_module(m, f->module) : NULL;
			if (mm && mm->build_id && !f->build_id)
				f->build_id = xstrdup(mm->build_id);
		}
	if (exe && exe->str)
		em = find_module(m, exe->str);
	if (!em && inc->task.comm)
		em = find_module(m, inc->task.comm);
	if (em && em->package && !incident_extra(inc, "package")) {
		incident_extra_str(inc, "package", em->package);
		if (em->version)
			incident_extra_str(inc, "package_version", em->version);
	}
	if (em && !exe && em->name[0] == '/')
		incident_extra_str(inc, "executable", em->name);
	for (size_t i = 0; i < m->nr_mods; i++)
		if (m->mods[i].package)
			strbuf_addf(&pk, "%s%s %s", pk.len ? "\n" : "", m->mods[i].package,
				    m->mods[i].version ? m->mods[i].version : "");
	if (pk.len)
		incident_extra_str(inc, "packages", pk.buf);
	strbuf_release(&pk);
}

struct incident *coremsg_finish(struct coremsg *m, const char *path,
				unsigned long first_line, unsigned long last_line,
				uint64_t offset)
{
	struct incident *inc = m->inc;

	link_modules(m);
	inc->source.path = path;
	inc->source.line = first_line;
	inc->source.end_line = last_line;
	inc->source.offset = offset;
	{
		size_t threads = 0;
		for (size_t s = 0; s < inc->nr_stacks; s++)
			threads += inc->stacks[s].context == STACK_THREAD;
		if (threads)
			incident_extra_num(inc, "threads", (long long)threads);
	}
	m->inc = NULL;
	coremsg_free(m);
	title_assign(inc);
	return inc;
}

void coremsg_free(struct coremsg *m)
{
	if (!m)
		return;
	incident_free(m->inc);
	for (size_t i = 0; i < m->nr_mods; i++) {
		free(m->mods[i].name);
		free(m->mods[i].build_id);
		free(m->mods[i].package);
		free(m->mods[i].version);
	}
	free(m->mods);
	free(m);
}
