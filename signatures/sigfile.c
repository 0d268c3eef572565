#define PCRE2_CODE_UNIT_WIDTH 8
#include "sigfile.h"
#include "release.h"
#include "version.h"
#include "util.h"

#include <ctype.h>

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void list_add(struct str_list *l, const char *s)
{
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	l->v[l->nr++] = xstrdup(s);
}

static void list_free(struct str_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
}

static void fix_list_free(struct fix_list *l)
{
	for (size_t i = 0; i < l->nr; i++) {
		free(l->v[i].stream);
		free(l->v[i].version);
		free(l->v[i].source);
	}
	free(l->v);
}

void signature_free(struct signature *s)
{
	if (!s)
		return;
	free(s->id);
	free(s->title);
	free(s->description);
	free(s->severity);
	free(s->fix);
	free(s->workaround);
	list_free(&s->title_regex);
	list_free(&s->text_regex);
	list_free(&s->boot_regex);
	for (size_t i = 0; i < s->nr_frames; i++) {
		free(s->frames[i].func);
		free(s->frames[i].module);
	}
	free(s->frames);
	for (size_t i = 0; i < s->nr_shares; i++) {
		for (size_t k = 0; k < s->shares[i].nr_frames; k++) {
			free(s->shares[i].frames[k].func);
			free(s->shares[i].frames[k].module);
		}
		free(s->shares[i].frames);
	}
	free(s->shares);
	free(s->kernel);
	free(s->hypervisor);
	free(s->hardware);
	list_free(&s->executable);
	free(s->package);
	list_free(&s->links);
	list_free(&s->examples);
	list_free(&s->counter_examples);
	fix_list_free(&s->fixed_in);
	fix_list_free(&s->affected_since);
	list_free(&s->waiting_for);
	free(s->status);
	free(s->superseded_by);
	free(s->duplicate_of);
	free(s->owner);
	list_free(&s->cve);
	list_free(&s->fixed_examples);
	free(s->path);
	free(s);
}

bool signature_is_condition(const struct signature *s)
{
	/* Only boot-level predicates: any predicate about an incident (count,
	   executable, package, profile-share too) makes it an incident's. */
	return !s->nr_kinds && !s->title_regex.nr && !s->text_regex.nr && !s->nr_frames &&
	       !s->waiting_for.nr && !s->count_n && !s->executable.nr && !s->package &&
	       !s->nr_shares &&
	       (s->kernel || s->boot_regex.nr || s->hypervisor || s->hardware);
}

bool signature_is_active(const struct signature *s)
{
	return !s->status || strcmp(s->status, "retired");
}

/* Hex digits only (at least min of them), after an optional "0x". */
static bool is_address(const char *p, size_t min)
{
	size_t n = 0;

	if (p[0] == '0' && p[1] == 'x')
		p += 2, min = 1;
	for (; *p; p++, n++)
		if (!isxdigit((unsigned char)*p))
			return false;
	return n >= min;
}

const char *frame_element_problem(const char *func)
{
	if (!*func)
		return "is empty";
	if (!strcmp(func, "?") || starts_with(func, "? "))
		return "is a '?' marker (an unreliable frame), not a function name";
	if (strstr(func, "+0x") || strstr(func, "/0x"))
		return "holds an offset (func+0x3b8/0x400): write the function name alone";
	if (strstr(func, "[<") || strchr(func, '<') || strchr(func, '>'))
		return "holds an address or a marker ([<ffffffff…>], <IRQ>), not a function name";
	if (is_address(func, 8))
		return "is an address, not a function name";
	if (strchr(func, ' ') || strchr(func, '\t'))
		return "holds blanks";
	return NULL;
}

enum field_type { F_TEXT, F_PROSE, F_LIST, F_REGEXES, F_KINDS, F_FRAMES, F_KERNEL,
		  F_COUNT, F_SEVERITY, F_FIX, F_STATUS, F_IDREF, F_CVE, F_LINKS, F_LOCKS,
		  F_PROFILE_SHARE, F_PACKAGE };

struct field {
	const char *key;
	enum field_type type;
	size_t off;		/* of the char * or struct str_list in struct signature */
};

#define OFF(m) offsetof(struct signature, m)
static const struct field fields[] = {
	{ "id", F_TEXT, OFF(id) },
	{ "title", F_TEXT, OFF(title) },
	{ "description", F_PROSE, OFF(description) },
	{ "severity", F_SEVERITY, OFF(severity) },
	{ "kind", F_KINDS, 0 },
	{ "title-regex", F_REGEXES, OFF(title_regex) },
	{ "frames", F_FRAMES, 0 },
	{ "text-regex", F_REGEXES, OFF(text_regex) },
	{ "kernel", F_KERNEL, OFF(kernel) },
	{ "hypervisor", F_TEXT, OFF(hypervisor) },
	{ "hardware", F_TEXT, OFF(hardware) },
	{ "boot-regex", F_REGEXES, OFF(boot_regex) },
	{ "executable", F_LIST, OFF(executable) },
	{ "package", F_PACKAGE, OFF(package) },
	{ "count", F_COUNT, 0 },
	{ "waiting-for", F_LOCKS, OFF(waiting_for) },
	{ "profile-share", F_PROFILE_SHARE, 0 },
	{ "fix", F_PROSE, OFF(fix) },
	{ "workaround", F_PROSE, OFF(workaround) },
	{ "fixed-in", F_FIX, OFF(fixed_in) },
	{ "affected-since", F_FIX, OFF(affected_since) },
	{ "status", F_STATUS, OFF(status) },
	{ "superseded-by", F_IDREF, OFF(superseded_by) },
	{ "duplicate-of", F_IDREF, OFF(duplicate_of) },
	{ "owner", F_TEXT, OFF(owner) },
	{ "cve", F_CVE, OFF(cve) },
	{ "links", F_LINKS, OFF(links) },
	{ "examples", F_LIST, OFF(examples) },
	{ "counter-examples", F_LIST, OFF(counter_examples) },
	{ "fixed-examples", F_LIST, OFF(fixed_examples) },
};

/* Predicate fields: given, they must say something. */
static bool is_predicate(enum field_type t, const char *key)
{
	return t == F_REGEXES || t == F_KINDS || t == F_FRAMES || t == F_LOCKS ||
	       t == F_PROFILE_SHARE || t == F_PACKAGE || !strcmp(key, "executable") ||
	       !strcmp(key, "hypervisor") || !strcmp(key, "hardware");
}

struct parse_ctx {
	const char *path;
	struct strbuf *err;
	unsigned errors;
};

__attribute__((format(printf, 3, 4)))
static void perr(struct parse_ctx *pc, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	strbuf_addf(pc->err, "%s:%lu: ", pc->path, line);
	va_start(ap, fmt);
	strbuf_vaddf(pc->err, fmt, ap);
	va_end(ap);
	strbuf_addch(pc->err, '\n');
	pc->errors++;
}

static void check_regex(struct parse_ctx *pc, unsigned long line, const char *re)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &code, &off, NULL);

	if (!c) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		perr(pc, line, "regex does not compile at offset %zu: %s", (size_t)off, (char *)msg);
		return;
	}
	/* "x*", "()", "^": a predicate that holds for every line is no predicate */
	{
		pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
		int rc = pcre2_match(c, (PCRE2_SPTR)"", 0, 0, 0, md, NULL);
		if (rc >= 0)
			perr(pc, line, "regex '%s' matches the empty string: it would match everything", re);
		pcre2_match_data_free(md);
	}
	pcre2_code_free(c);
}

static bool valid_id(const char *v)
{
	if (!*v)
		return false;
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* Fields that take one line: text, severity, kernel, status, an id. */
static void add_single(struct parse_ctx *pc, const struct field *f, char **str,
		       const char *v, unsigned long line, bool first)
{
	if (!first) {
		perr(pc, line, "'%s' takes one line", f->key);
		return;
	}
	if (!*v) {
		perr(pc, line, "'%s' is empty", f->key);
		return;
	}
	*str = xstrdup(v);
	if (f->type == F_SEVERITY && strcmp(v, "low") && strcmp(v, "medium") &&
	    strcmp(v, "high") && strcmp(v, "critical"))
		perr(pc, line, "severity must be low, medium, high or critical, not '%s'", v);
	if (f->type == F_KERNEL && version_match(v, NULL) < 0)
		perr(pc, line, "malformed kernel predicate '%s' (e.g. '>= 4.4.0-21, < 4.4.0-140')", v);
	if (f->type == F_PACKAGE && package_match(v, NULL, NULL, NULL) < 0)
		perr(pc, line, "malformed package predicate '%s' (e.g. 'qemu-system-x86 < 1:7.2+dfsg-7+deb12u4')", v);
	if (f->type == F_STATUS && strcmp(v, "active") && strcmp(v, "retired"))
		perr(pc, line, "status must be active or retired, not '%s'", v);
	if (!strcmp(f->key, "id") && !valid_id(v))
		perr(pc, line, "id may hold only a-z 0-9 - _ . ('%s')", v);
	if (f->type == F_IDREF && !valid_id(v))
		perr(pc, line, "'%s' takes a signature id, not '%s'", f->key, v);
}

static void add_kinds(struct parse_ctx *pc, struct signature *s, const char *v,
		      unsigned long line)
{
	char buf[512], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		enum incident_kind k = incident_kind_from_name(tok);
		if (k == KIND_NONE) {
			struct strbuf all = STRBUF_INIT;
			for (int i = 1; i < KIND__COUNT; i++)
				strbuf_addf(&all, "%s%s", i > 1 ? " " : "",
					    incident_kind_name((enum incident_kind)i));
			perr(pc, line, "unknown kind '%s'; the kinds are: %s", tok, all.buf);
			strbuf_release(&all);
		} else if (s->nr_kinds == ARRAY_SIZE(s->kinds)) {
			perr(pc, line, "too many kinds");
		} else {
			s->kinds[s->nr_kinds++] = k;
		}
	}
}

/* Each alternative of "a|b" must be able to match a function or lock name. */
static bool check_alternatives(struct parse_ctx *pc, unsigned long line, const char *what,
			       const char *v)
{
	char *copy = xstrdup(v), *tok, *save;
	bool ok = true;

	if (v[0] == '|' || v[strlen(v) - 1] == '|' || strstr(v, "||")) {
		perr(pc, line, "%s '%s' has an empty alternative", what, v);
		ok = false;
	}
	for (tok = strtok_r(copy, "|", &save); ok && tok; tok = strtok_r(NULL, "|", &save)) {
		/* Lock classes are "&mm->mmap_sem", "(wq_completion)netns": only blanks
		   and pasted offsets are wrong there. */
		const char *why = strcmp(what, "lock pattern") ? frame_element_problem(tok) :
			strchr(tok, ' ') ? "holds blanks" : strstr(tok, "+0x") ?
			"holds an offset: write the lock class alone" : NULL;
		if (why) {
			perr(pc, line, "%s '%s' %s", what, tok, why);
			ok = false;
		}
	}
	free(copy);
	return ok;
}

static void add_frame(struct parse_ctx *pc, struct signature *s, const char *v,
		      unsigned long line)
{
	struct frame_pat fp = { NULL, NULL, false, line };
	const char *sp, *lb;

	if (!strcmp(v, "|")) {
		if (!s->nr_frames || !s->frames[s->nr_frames - 1].func) {
			perr(pc, line, "'|' must separate two frame patterns");
			return;
		}
		s->frames = xrealloc(s->frames, (s->nr_frames + 1) * sizeof(*s->frames));
		s->frames[s->nr_frames++] = fp;	/* func NULL: separator */
		return;
	}
	if (!strcmp(v, "...")) {
		if (!s->nr_frames || !s->frames[s->nr_frames - 1].func) {
			perr(pc, line, "a frame pattern cannot start with '...'");
			return;
		}
		s->frames[s->nr_frames - 1].gap = true;
		return;
	}
	/* "? func+0x1/0x2" pasted from a log: name the problem, not the syntax. */
	if (v[0] == '?' || strstr(v, "+0x") || strstr(v, "[<")) {
		perr(pc, line, "frame pattern '%s' %s", v, frame_element_problem(v) ?
		     frame_element_problem(v) : "is not a function name");
		return;
	}
	sp = strchr(v, ' ');
	fp.func = sp ? xstrndup(v, (size_t)(sp - v)) : xstrdup(v);
	if (sp) {
		lb = sp;
		while (*lb == ' ')
			lb++;
		if (*lb != '[' || lb[strlen(lb) - 1] != ']' || strlen(lb) < 3) {
			perr(pc, line, "frame pattern is 'FUNC' or 'FUNC [MODULE]', not '%s'", v);
			free(fp.func);
			return;
		}
		fp.module = xstrndup(lb + 1, strlen(lb) - 2);
	}
	if (!check_alternatives(pc, line, "frame pattern", fp.func)) {
		free(fp.func);
		free(fp.module);
		return;
	}
	s->frames = xrealloc(s->frames, (s->nr_frames + 1) * sizeof(*s->frames));
	s->frames[s->nr_frames++] = fp;
}

static void add_count(struct parse_ctx *pc, struct signature *s, const char *v,
		      unsigned long line)
{
	/* "N" or "N in T s" / "N in Ts" / "N in T seconds", nothing after it:
	   "5 within 10 s" read as "5" would be a broader signature than
	   written. */
	char unit[16] = "", *end;
	long n = strtol(v, &end, 10);
	double t = 0;
	int used = 0;

	if (end == v || n < 1)
		goto bad;
	while (*end == ' ' || *end == '\t')
		end++;
	if (!*end) {
		s->count_n = n;
		s->count_secs = 0;
		return;
	}
	if (sscanf(end, "in %lf%n", &t, &used) != 1 || !(t > 0))
		goto bad;
	end += used;
	used = 0;
	if (sscanf(end, " %15[a-z]%n", unit, &used) == 1)
		end += used;
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end)
		goto bad;
	s->count_n = n;
	s->count_secs = t;
	if (!*unit || !strcmp(unit, "s") || !strcmp(unit, "seconds") || !strcmp(unit, "sec"))
		return;
	if (!strcmp(unit, "min") || !strcmp(unit, "minutes"))
		s->count_secs = t * 60;
	else
		perr(pc, line, "count unit must be s or min, not '%s'", unit);
	return;
bad:
	perr(pc, line, "count is 'N' or 'N in T s', not '%s'", v);
}

/* "STREAM VERSION SOURCE…" (fixed-in also "STREAM none SOURCE…"). */
static void add_fix(struct parse_ctx *pc, const struct field *f, struct fix_list *l,
		    const char *v, unsigned long line)
{
	char stream[64] = "", version[128] = "";
	int used = 0;
	const char *src;
	struct fix_entry *e;
	char branch[48], other[48];

	if (sscanf(v, "%63s %127s %n", stream, version, &used) < 2 || !used) {
		perr(pc, line, "%s is 'STREAM VERSION SOURCE' (e.g. 'el7 3.10.0-862.el7 "
		     "RHSA-2018:1062'), not '%s'", f->key, v);
		return;
	}
	src = v + used;
	if (!release_stream_name_valid(stream)) {
		perr(pc, line, "unknown release stream '%s' (upstream, elN, elNuek, fcN, amznN, "
		     "suse, ubuntu-SERIES[-FLAVOUR], debian-SERIES[-backports])", stream);
		return;
	}
	if (!strcmp(version, "none") && f->off == OFF(affected_since)) {
		perr(pc, line, "affected-since takes a version, not 'none'");
		return;
	}
	if (strcmp(version, "none") && !isdigit((unsigned char)version[0])) {
		perr(pc, line, "version '%s' does not start with a digit", version);
		return;
	}
	if (!*src) {
		perr(pc, line, "%s %s %s: say where the figure comes from (a commit, a "
		     "changelog, an advisory) after the version", f->key, stream, version);
		return;
	}
	/* One line per stream and branch (Ubuntu HWE, Amazon Linux series). */
	release_version_branch(stream, version, branch, sizeof(branch));
	for (size_t i = 0; i < l->nr; i++) {
		if (strcmp(l->v[i].stream, stream))
			continue;
		if (!l->v[i].version || !strcmp(version, "none")) {
			perr(pc, line, "%s %s is given twice (line %lu)", f->key, stream, l->v[i].line);
			return;
		}
		release_version_branch(stream, l->v[i].version, other, sizeof(other));
		if (!strcmp(branch, other)) {
			perr(pc, line, "%s %s %s: branch %s is given twice (line %lu)", f->key,
			     stream, version, branch, l->v[i].line);
			return;
		}
	}
	ALLOC_GROW(l->v, l->nr + 1, l->alloc);
	e = &l->v[l->nr++];
	e->stream = xstrdup(stream);
	e->version = strcmp(version, "none") ? xstrdup(version) : NULL;
	e->source = xstrdup(src);
	e->line = line;
}

static void add_cve(struct parse_ctx *pc, struct str_list *l, const char *v, unsigned long line)
{
	char buf[512], *tok, *save;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
		const char *p = skip_prefix(tok, "CVE-");
		if (!p || strspn(p, "0123456789") != 4 || p[4] != '-' ||
		    strspn(p + 5, "0123456789") < 4 || p[5 + strspn(p + 5, "0123456789")]) {
			perr(pc, line, "cve '%s' is not CVE-YYYY-NNNN", tok);
			continue;
		}
		list_add(l, tok);
	}
}

static void add_link(struct parse_ctx *pc, struct str_list *l, const char *v, unsigned long line)
{
	size_t hex = strspn(v, "0123456789abcdef");
	bool url = (starts_with(v, "https://") || starts_with(v, "http://")) &&
		   strlen(v) > 8 && !strpbrk(v, " \t\"<>");

	if (!url && !(hex >= 7 && hex <= 40 && !v[hex])) {
		perr(pc, line, "link '%s' is neither an http(s) URL nor a commit id (7-40 hex digits)", v);
		return;
	}
	list_add(l, v);
}

/*
 * "FUNC [MODULE] ... FUNC >= N%": frame pattern elements separated by
 * blanks ("[MODULE]" belongs to the function before it, "..." lets any
 * frames come between), then the share.
 */
static void add_profile_share(struct parse_ctx *pc, struct signature *s, const char *v,
			      unsigned long line)
{
	struct profile_share ps = { NULL, 0, 0 };
	const char *ge = strstr(v, ">=");
	char *pat, *tok, *save, *end;
	bool ok = true;

	if (!*v)
		return;		/* "profile-share:" alone: check_fields() refuses it */
	if (!ge) {
		perr(pc, line, "profile-share is 'FRAMES >= N%%', not '%s'", v);
		return;
	}
	ps.min_percent = strtod(ge + 2, &end);
	while (*end == ' ')
		end++;
	if (*end != '%' || end[1] || !(ps.min_percent > 0 && ps.min_percent <= 100)) {
		perr(pc, line, "profile-share needs a share above 0%% up to 100%% after '>=', not '%s'",
		     ge + 2);
		return;
	}
	pat = xstrndup(v, (size_t)(ge - v));
	for (tok = strtok_r(pat, " \t", &save); tok && ok; tok = strtok_r(NULL, " \t", &save)) {
		size_t tl = strlen(tok);
		if (!strcmp(tok, "...")) {
			if (!ps.nr_frames) {
				perr(pc, line, "a frame pattern cannot start with '...'");
				ok = false;
			} else {
				ps.frames[ps.nr_frames - 1].gap = true;
			}
		} else if (tok[0] == '[') {
			if (!ps.nr_frames || tok[tl - 1] != ']' || tl < 3 ||
			    ps.frames[ps.nr_frames - 1].module) {
				perr(pc, line, "'%s' must follow a function, as in 'FUNC [MODULE]'", tok);
				ok = false;
			} else {
				ps.frames[ps.nr_frames - 1].module = xstrndup(tok + 1, tl - 2);
			}
		} else if (frame_element_problem(tok)) {
			/* the same check as a frames element: pasted from a trace */
			perr(pc, line, "profile-share element '%s' %s", tok, frame_element_problem(tok));
			ok = false;
		} else {
			ps.frames = xrealloc(ps.frames, (ps.nr_frames + 1) * sizeof(*ps.frames));
			ps.frames[ps.nr_frames++] = (struct frame_pat){ xstrdup(tok), NULL, false, line };
		}
	}
	free(pat);
	if (ok && !ps.nr_frames) {
		perr(pc, line, "profile-share names no frame");
		ok = false;
	}
	s->shares = xrealloc(s->shares, (s->nr_shares + 1) * sizeof(*s->shares));
	s->shares[s->nr_shares++] = ps;	/* freed with the signature either way */
}

/* One value line of a field (the first, or a continuation). */
static void add_value(struct parse_ctx *pc, struct signature *s, const struct field *f,
		      const char *v, unsigned long line, bool first)
{
	void *at = (char *)s + f->off;

	switch (f->type) {
	case F_TEXT:
	case F_SEVERITY:
	case F_KERNEL:
	case F_PACKAGE:
	case F_STATUS:
	case F_IDREF:
		add_single(pc, f, at, v, line, first);
		return;
	case F_PROSE: {
		char **str = at;
		if (first) {
			*str = xstrdup(v);
		} else {
			struct strbuf sb = STRBUF_INIT;
			strbuf_addstr(&sb, *str ? *str : "");
			if (sb.len)
				strbuf_addch(&sb, '\n');
			strbuf_addstr(&sb, v);
			free(*str);
			*str = strbuf_detach(&sb, NULL);
		}
		return;
	}
	case F_LIST:
		if (*v)
			list_add(at, v);
		return;
	case F_REGEXES:
		if (!*v)
			return;
		check_regex(pc, line, v);
		list_add(at, v);
		return;
	case F_LOCKS:
		if (*v && check_alternatives(pc, line, "lock pattern", v))
			list_add(at, v);
		return;
	case F_KINDS:
		add_kinds(pc, s, v, line);
		return;
	case F_FRAMES:
		if (*v)
			add_frame(pc, s, v, line);
		return;
	case F_PROFILE_SHARE:
		add_profile_share(pc, s, v, line);
		return;
	case F_COUNT:
		if (!first)
			perr(pc, line, "'count' takes one line");
		else
			add_count(pc, s, v, line);
		return;
	case F_FIX:
		if (*v)
			add_fix(pc, f, at, v, line);
		return;
	case F_CVE:
		if (*v)
			add_cve(pc, at, v, line);
		return;
	case F_LINKS:
		if (*v)
			add_link(pc, at, v, line);
		return;
	}
}

/* What needs the whole file: empty predicates, lifecycle consistency. */
static void check_fields(struct parse_ctx *pc, const struct signature *s,
			 const unsigned long *seen)
{
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		const struct field *f = &fields[i];
		bool empty;
		if (!seen[i] || !is_predicate(f->type, f->key))
			continue;
		if (f->type == F_FRAMES)
			empty = !s->nr_frames;
		else if (f->type == F_KINDS)
			empty = !s->nr_kinds;
		else if (f->type == F_PROFILE_SHARE)
			empty = !s->nr_shares;
		else if (f->type == F_REGEXES || f->type == F_LOCKS || f->type == F_LIST)
			empty = !((const struct str_list *)((const char *)s + f->off))->nr;
		else
			continue;
		/* An empty predicate would make the signature broader than written. */
		if (empty && !pc->errors)
			perr(pc, seen[i], "'%s' is empty: give at least one %s", f->key,
			     f->type == F_FRAMES ? "frame pattern" : f->type == F_KINDS ?
			     "kind" : f->type == F_PROFILE_SHARE ? "'FRAMES >= N%'" :
			     f->type == F_LIST ? "name" : "pattern");
	}
	if (s->superseded_by && !(s->status && !strcmp(s->status, "retired")))
		perr(pc, s->line, "superseded-by needs 'status: retired'");
	if (s->id && ((s->superseded_by && !strcmp(s->superseded_by, s->id)) ||
		      (s->duplicate_of && !strcmp(s->duplicate_of, s->id))))
		perr(pc, s->line, "signature '%s' refers to itself", s->id);
	if (s->fixed_examples.nr && !s->fixed_in.nr)
		perr(pc, s->line, "fixed-examples need fixed-in lines to be fixed by");
}

struct signature *signature_parse(const char *text, size_t len, const char *path,
				  struct strbuf *err)
{
	struct parse_ctx pc = { path, err, 0 };
	struct signature *s = xcalloc(1, sizeof(*s));
	const struct field *cur = NULL;
	unsigned long seen[ARRAY_SIZE(fields)] = { 0 };	/* the line, 0: not given */
	const char *p = text, *end = text + len;
	unsigned long line = 0;

	s->path = xstrdup(path);
	s->line = 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		char *l;
		size_t n;

		line++;
		/* A NUL would vanish from an id or a regex (C strings): refused. */
		if (memchr(p, '\0', (size_t)(e - p))) {
			perr(&pc, line, "NUL byte in the line");
			p = nl ? nl + 1 : end;
			continue;
		}
		l = xmemdupz(p, (size_t)(e - p));
		n = strlen(l);
		p = nl ? nl + 1 : end;
		while (n && (l[n - 1] == ' ' || l[n - 1] == '\t' || l[n - 1] == '\r'))
			l[--n] = '\0';
		if (!n || l[0] == '#') {
			free(l);
			continue;
		}
		if (l[0] == ' ' || l[0] == '\t') {
			char *v = l;
			while (*v == ' ' || *v == '\t')
				v++;
			if (!cur)
				perr(&pc, line, "continuation line without a field");
			else
				add_value(&pc, s, cur, v, line, false);
			free(l);
			continue;
		}
		{
			char *colon = strchr(l, ':'), *v;
			size_t i;
			if (!colon) {
				perr(&pc, line, "expected 'key: value'");
				cur = NULL;
				free(l);
				continue;
			}
			*colon = '\0';
			v = colon + 1;
			while (*v == ' ' || *v == '\t')
				v++;
			for (i = 0; i < ARRAY_SIZE(fields); i++)
				if (!strcmp(l, fields[i].key))
					break;
			if (i == ARRAY_SIZE(fields)) {
				perr(&pc, line, "unknown field '%s'", l);
				cur = NULL;
			} else if (seen[i]) {
				perr(&pc, line, "field '%s' given twice", l);
				cur = NULL;
			} else {
				seen[i] = line;
				cur = &fields[i];
				add_value(&pc, s, cur, v, line, true);
			}
		}
		free(l);
	}
	/* "boot-regex:" with no regex after it, on its line or below */
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
		if (seen[i] && fields[i].type == F_REGEXES &&
		    !((struct str_list *)((char *)s + fields[i].off))->nr)
			perr(&pc, seen[i], "'%s' is empty", fields[i].key);
	if (s->nr_frames && !s->frames[s->nr_frames - 1].func)
		perr(&pc, line ? line : 1, "frame pattern ends with '|'");
	check_fields(&pc, s, seen);
	if (!s->id)
		perr(&pc, line ? line : 1, "missing field 'id'");
	if (!s->title)
		perr(&pc, line ? line : 1, "missing field 'title'");
	/* profile-share says nothing about records that are not profiles: a
	   kind list must say which records the signature is about. */
	if (s->nr_shares && !s->nr_kinds)
		perr(&pc, line ? line : 1, "profile-share needs a 'kind' line (with profile in it)");
	for (size_t k = 0, prof = 0; s->nr_shares && k <= s->nr_kinds; k++) {
		if (k < s->nr_kinds && s->kinds[k] == KIND_PROFILE)
			prof = 1;
		if (k == s->nr_kinds && !prof && s->nr_kinds)
			perr(&pc, line ? line : 1, "profile-share needs 'profile' among the kinds");
	}
	if (s->id && !s->nr_kinds && !s->title_regex.nr && !s->text_regex.nr &&
	    !s->nr_frames && !s->kernel && !s->boot_regex.nr && !s->hypervisor && !s->hardware &&
	    !s->waiting_for.nr && !s->executable.nr && !s->package && !s->nr_shares)
		perr(&pc, line ? line : 1, "signature '%s' has no predicate: it would match everything", s->id);
	if (pc.errors) {
		signature_free(s);
		return NULL;
	}
	return s;
}
