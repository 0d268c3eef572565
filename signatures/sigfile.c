/*
** sigfile: parse the `key: value` signature format (see sigfile.h).
*/
#include "sigfile.h"
#include "framepat.h"
#include "incident.h"
#include "util.h"
#include "version.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const severities[] = { "info", "low", "medium", "high", "critical" };

int sig_severity_rank(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(severities); i++)
		if (!strcmp(name, severities[i]))
			return (int)i;
	return -1;
}

enum field_flags { F_SINGLE = 1, F_REPEAT = 2 };

struct field_desc {
	const char *key;
	size_t offset;
	int flags;
};

#define FIELD(k, m, f) { k, offsetof(struct sig_def, m), f }
static const struct field_desc fields[] = {
	FIELD("id", id, F_SINGLE),
	FIELD("title", title, F_SINGLE),
	FIELD("description", description, F_SINGLE),
	FIELD("severity", severity, F_SINGLE),
	FIELD("kind", kind, F_SINGLE),
	FIELD("title-regex", title_regex, F_SINGLE),
	FIELD("frames", frames, F_REPEAT),
	FIELD("frames-scope", frames_scope, F_SINGLE),
	FIELD("text-regex", text_regex, F_SINGLE),
	FIELD("kernel", kernel, F_SINGLE),
	FIELD("hypervisor", hypervisor, F_SINGLE),
	FIELD("hardware", hardware, F_SINGLE),
	FIELD("boot-regex", boot_regex, F_SINGLE),
	FIELD("count", count, F_SINGLE),
	FIELD("fix", fix, F_SINGLE),
	FIELD("workaround", workaround, F_SINGLE),
	FIELD("links", links, F_SINGLE),
	FIELD("examples", examples, F_SINGLE),
	FIELD("counter-examples", counter_examples, F_SINGLE),
};

void sig_def_free(struct sig_def *def)
{
	if (!def)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		if (fields[i].flags & F_SINGLE)
			free(((struct sig_value *)((char *)def + fields[i].offset))->val);
	}
	for (size_t i = 0; i < def->nr_frames; i++)
		free(def->frames[i].val);
	free(def->frames);
	free(def->origin);
	free(def);
}

const char *sig_list_next(const char **pos, size_t *len)
{
	const char *p = *pos;

	for (;;) {
		const char *eol, *s, *e;

		if (!p || !*p)
			return NULL;
		eol = strchr(p, '\n');
		if (!eol)
			eol = p + strlen(p);
		s = p;
		e = eol;
		p = *eol ? eol + 1 : eol;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		if (e > s) {
			*pos = p;
			*len = e - s;
			return s;
		}
	}
}

bool sig_def_is_condition(const struct sig_def *def)
{
	bool incident_pred = def->kind.val || def->title_regex.val || def->nr_frames ||
			     def->text_regex.val || def->count.val;
	bool host_pred = def->kernel.val || def->hypervisor.val || def->hardware.val ||
			 def->boot_regex.val;

	return host_pred && !incident_pred;
}

static int fail(struct strbuf *err, const char *origin, unsigned line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail(struct strbuf *err, const char *origin, unsigned line,
		const char *fmt, ...)
{
	va_list ap;

	strbuf_reset(err);
	strbuf_addf(err, "%s:%u: ", origin, line);
	va_start(ap, fmt);
	strbuf_vaddf(err, fmt, ap);
	va_end(ap);
	return -1;
}

static bool id_ok(const char *id)
{
	if (!isalnum((unsigned char)*id))
		return false;
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' && *p != '.')
			return false;
	return strlen(id) <= 128;
}

static int check_kinds(struct sig_def *def, struct strbuf *err)
{
	const char *p = def->kind.val;

	while (*p) {
		const char *s;
		char name[64];
		size_t n;
		enum incident_kind k;

		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		s = p;
		while (*p && !isspace((unsigned char)*p) && *p != ',')
			p++;
		n = p - s;
		if (!n)
			break;
		if (n >= sizeof(name))
			return fail(err, def->origin, def->kind.line, "kind: name too long");
		memcpy(name, s, n);
		name[n] = 0;
		k = incident_kind_from_name(name);
		if (k == KIND_NONE || k == KIND_CONDITION)
			return fail(err, def->origin, def->kind.line,
				    "kind: unknown incident kind '%s'", name);
		def->kind_mask |= 1ull << k;
	}
	if (!def->kind_mask)
		return fail(err, def->origin, def->kind.line, "kind: empty value");
	return 0;
}

static int check_count(struct sig_def *def, struct strbuf *err)
{
	unsigned n;
	double secs;
	char unit[8] = "";
	int used = 0;

	if (sscanf(def->count.val, "%u in %lf%7[a-z]%n", &n, &secs, unit, &used) < 2 ||
	    n < 1 || !(secs > 0) || secs > 1e9)
		goto bad;
	if (!used) {
		if (sscanf(def->count.val, "%u in %lf%n", &n, &secs, &used) != 2)
			goto bad;
	}
	if (def->count.val[used])
		goto bad;
	if (!strcmp(unit, "m"))
		secs *= 60;
	else if (!strcmp(unit, "h"))
		secs *= 3600;
	else if (*unit && strcmp(unit, "s"))
		goto bad;
	def->count_n = n;
	def->count_secs = secs;
	return 0;
bad:
	return fail(err, def->origin, def->count.line,
		    "count: expected 'N in T' with T in s, m or h (e.g. '5 in 60s')");
}

static int validate(struct sig_def *def, struct strbuf *err)
{
	char msg[256];
	unsigned bad = 0;

	if (!def->id.val)
		return fail(err, def->origin, 1, "missing field 'id'");
	if (!id_ok(def->id.val))
		return fail(err, def->origin, def->id.line,
			    "id: '%s' must be letters, digits, '-', '_' or '.' (at most 128)",
			    def->id.val);
	if (!def->title.val)
		return fail(err, def->origin, 1, "missing field 'title'");
	if (!def->severity.val)
		return fail(err, def->origin, 1, "missing field 'severity'");
	if (sig_severity_rank(def->severity.val) < 0)
		return fail(err, def->origin, def->severity.line,
			    "severity: '%s' is not one of info, low, medium, high, critical",
			    def->severity.val);
	if (def->kind.val && check_kinds(def, err))
		return -1;
	if (def->count.val && check_count(def, err))
		return -1;
	if (def->frames_scope.val && strcmp(def->frames_scope.val, "all") &&
	    strcmp(def->frames_scope.val, "meaningful") &&
	    strcmp(def->frames_scope.val, "reliable"))
		return fail(err, def->origin, def->frames_scope.line,
			    "frames-scope: '%s' is not one of all, meaningful, reliable",
			    def->frames_scope.val);
	if (def->frames_scope.val && !def->nr_frames)
		return fail(err, def->origin, def->frames_scope.line,
			    "frames-scope without frames");
	for (size_t i = 0; i < def->nr_frames; i++) {
		struct frame_pattern *fp;

		fp = frame_pattern_parse(def->frames[i].val, msg, sizeof(msg), &bad);
		if (!fp)
			return fail(err, def->origin, def->frames[i].val_line + bad, "frames: %s", msg);
		frame_pattern_free(fp);
	}
	if (def->kernel.val) {
		struct kver_ranges r;

		if (kver_ranges_parse(def->kernel.val, &r, msg, sizeof(msg), &bad))
			return fail(err, def->origin, def->kernel.val_line + bad, "%s", msg);
		kver_ranges_free(&r);
	}
	if (!def->kind.val && !def->title_regex.val && !def->nr_frames &&
	    !def->text_regex.val && !def->count.val && !def->kernel.val &&
	    !def->hypervisor.val && !def->hardware.val && !def->boot_regex.val)
		return fail(err, def->origin, def->id.line,
			    "signature '%s' has no predicate: it would match everything",
			    def->id.val);
	if (def->count.val && !def->kind.val && !def->text_regex.val)
		return fail(err, def->origin, def->count.line,
			    "count needs a kind or a text-regex to say what an event is");
	return 0;
}

/* Append a continuation line to the value of the field being read. */
static void add_continuation(struct sig_value *v, const char *s, size_t n,
			     unsigned lineno)
{
	struct strbuf sb = STRBUF_INIT;

	if (!*v->val)
		v->val_line = lineno;
	if (*v->val) {
		strbuf_addstr(&sb, v->val);
		strbuf_addch(&sb, '\n');
	}
	strbuf_add(&sb, s, n);
	free(v->val);
	v->val = strbuf_detach(&sb, NULL);
}

struct sig_def *sig_parse(const char *text, size_t len, const char *origin,
			  struct strbuf *err)
{
	struct sig_def *def = xcalloc(1, sizeof(*def));
	struct sig_value *cur = NULL;
	const char *p = text, *end = text + len;
	unsigned lineno = 0;

	def->origin = xstrdup(origin);
	strbuf_reset(err);
	if (memchr(text, 0, len)) {
		fail(err, origin, 1, "NUL byte in signature file");
		goto bad;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', end - p);
		const char *s, *e, *colon;
		const struct field_desc *fd = NULL;
		struct sig_value *v;

		if (!eol)
			eol = end;
		lineno++;
		s = p;
		e = eol;
		p = eol < end ? eol + 1 : end;
		if (e > s && e[-1] == '\r') {
			fail(err, origin, lineno, "CR line ending (use LF)");
			goto bad;
		}
		if (s < e && *s == '#')
			continue;
		if (s == e || (*s == ' ' || *s == '\t')) {
			while (s < e && isspace((unsigned char)*s))
				s++;
			while (e > s && isspace((unsigned char)e[-1]))
				e--;
			if (s == e)
				continue;	/* blank lines inside a value are dropped */
			if (!cur) {
				fail(err, origin, lineno, "continuation line before any field");
				goto bad;
			}
			add_continuation(cur, s, e - s, lineno);
			continue;
		}
		colon = memchr(s, ':', e - s);
		if (!colon) {
			fail(err, origin, lineno, "expected 'key: value'");
			goto bad;
		}
		for (size_t i = 0; i < ARRAY_SIZE(fields); i++)
			if (strlen(fields[i].key) == (size_t)(colon - s) &&
			    !memcmp(fields[i].key, s, colon - s))
				fd = &fields[i];
		if (!fd) {
			fail(err, origin, lineno, "unknown field '%.*s'", (int)(colon - s), s);
			goto bad;
		}
		if (fd->flags & F_REPEAT) {
			ALLOC_GROW(def->frames, def->nr_frames + 1, def->alloc_frames);
			v = &def->frames[def->nr_frames++];
			memset(v, 0, sizeof(*v));
		} else {
			v = (struct sig_value *)((char *)def + fd->offset);
			if (v->line) {
				fail(err, origin, lineno, "field '%s' repeated (first at line %u)",
				     fd->key, v->line);
				goto bad;
			}
		}
		v->line = lineno;
		v->val_line = lineno;
		s = colon + 1;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		v->val = xstrndup(s, e - s);
		cur = v;
	}
	/* A field with neither a value nor continuation lines is an error. */
	for (size_t i = 0; i < ARRAY_SIZE(fields); i++) {
		struct sig_value *v;

		if (!(fields[i].flags & F_SINGLE))
			continue;
		v = (struct sig_value *)((char *)def + fields[i].offset);
		if (v->line && !*v->val) {
			fail(err, origin, v->line, "field '%s' is empty", fields[i].key);
			goto bad;
		}
	}
	for (size_t i = 0; i < def->nr_frames; i++)
		if (!*def->frames[i].val) {
			fail(err, origin, def->frames[i].line, "field 'frames' is empty");
			goto bad;
		}
	if (validate(def, err))
		goto bad;
	return def;
bad:
	sig_def_free(def);
	return NULL;
}
