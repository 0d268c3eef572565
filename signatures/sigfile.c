#define PCRE2_CODE_UNIT_WIDTH 8
#include "sigfile.h"
#include "version.h"
#include "util.h"

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
	free(s->kernel);
	free(s->hypervisor);
	free(s->hardware);
	list_free(&s->links);
	list_free(&s->examples);
	list_free(&s->counter_examples);
	free(s->path);
	free(s);
}

bool signature_is_condition(const struct signature *s)
{
	return !s->nr_kinds && !s->title_regex.nr && !s->text_regex.nr && !s->nr_frames &&
	       (s->kernel || s->boot_regex.nr || s->hypervisor || s->hardware);
}

enum field_type { F_TEXT, F_PROSE, F_LIST, F_REGEXES, F_KINDS, F_FRAMES, F_KERNEL,
		  F_COUNT, F_SEVERITY };

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
	{ "count", F_COUNT, 0 },
	{ "fix", F_PROSE, OFF(fix) },
	{ "workaround", F_PROSE, OFF(workaround) },
	{ "links", F_LIST, OFF(links) },
	{ "examples", F_LIST, OFF(examples) },
	{ "counter-examples", F_LIST, OFF(counter_examples) },
};

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

/* One value line of a field (the first, or a continuation). */
static void add_value(struct parse_ctx *pc, struct signature *s, const struct field *f,
		      const char *v, unsigned long line, bool first)
{
	char **str = f->type == F_TEXT || f->type == F_PROSE || f->type == F_KERNEL ||
		     f->type == F_SEVERITY ? (char **)((char *)s + f->off) : NULL;
	struct str_list *list = f->type == F_LIST || f->type == F_REGEXES ?
		(struct str_list *)((char *)s + f->off) : NULL;

	switch (f->type) {
	case F_TEXT:
	case F_SEVERITY:
	case F_KERNEL:
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
		if (!strcmp(f->key, "id")) {
			for (const char *p = v; *p; p++)
				if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
				      *p == '-' || *p == '_' || *p == '.')) {
					perr(pc, line, "id may hold only a-z 0-9 - _ . ('%s')", v);
					break;
				}
		}
		return;
	case F_PROSE:
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
	case F_LIST:
		if (*v)
			list_add(list, v);
		return;
	case F_REGEXES:
		if (!*v)
			return;
		check_regex(pc, line, v);
		list_add(list, v);
		return;
	case F_KINDS: {
		char buf[512], *tok, *save;
		snprintf(buf, sizeof(buf), "%s", v);
		for (tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
			enum incident_kind k = incident_kind_from_name(tok);
			if (k == KIND_NONE)
				perr(pc, line, "unknown kind '%s'", tok);
			else if (s->nr_kinds == ARRAY_SIZE(s->kinds))
				perr(pc, line, "too many kinds");
			else
				s->kinds[s->nr_kinds++] = k;
		}
		return;
	}
	case F_FRAMES: {
		struct frame_pat fp = { NULL, NULL, false };
		const char *sp, *lb;
		if (!*v)
			return;
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
		s->frames = xrealloc(s->frames, (s->nr_frames + 1) * sizeof(*s->frames));
		s->frames[s->nr_frames++] = fp;
		return;
	}
	case F_COUNT: {
		/* "N" or "N in T s" / "N in Ts" / "N in T seconds" */
		char unit[16] = "";
		long n = 0;
		double t = 0;
		int got = sscanf(v, "%ld in %lf %15s", &n, &t, unit);
		if (got < 1 || n < 1 || (got >= 2 && t <= 0)) {
			perr(pc, line, "count is 'N' or 'N in T s', not '%s'", v);
			return;
		}
		s->count_n = n;
		s->count_secs = got >= 2 ? t : 0;
		if (got == 3 && strcmp(unit, "s") && strcmp(unit, "seconds") && strcmp(unit, "sec")) {
			if (!strcmp(unit, "min") || !strcmp(unit, "minutes"))
				s->count_secs = t * 60;
			else
				perr(pc, line, "count unit must be s or min, not '%s'", unit);
		}
		return;
	}
	}
}

struct signature *signature_parse(const char *text, size_t len, const char *path,
				  struct strbuf *err)
{
	struct parse_ctx pc = { path, err, 0 };
	struct signature *s = xcalloc(1, sizeof(*s));
	const struct field *cur = NULL;
	bool seen[ARRAY_SIZE(fields)] = { false };
	unsigned long seen_line[ARRAY_SIZE(fields)] = { 0 };
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
				seen[i] = true;
				seen_line[i] = line;
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
			perr(&pc, seen_line[i], "'%s' is empty", fields[i].key);
	if (s->nr_frames && !s->frames[s->nr_frames - 1].func)
		perr(&pc, line ? line : 1, "frame pattern ends with '|'");
	if (!s->id)
		perr(&pc, line ? line : 1, "missing field 'id'");
	if (!s->title)
		perr(&pc, line ? line : 1, "missing field 'title'");
	if (s->id && !s->nr_kinds && !s->title_regex.nr && !s->text_regex.nr &&
	    !s->nr_frames && !s->kernel && !s->boot_regex.nr && !s->hypervisor && !s->hardware)
		perr(&pc, line ? line : 1, "signature '%s' has no predicate: it would match everything", s->id);
	if (pc.errors) {
		signature_free(s);
		return NULL;
	}
	return s;
}
