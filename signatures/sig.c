/*
** sig: compile one signature and test it against incidents and boots.
*/
#define PCRE2_CODE_UNIT_WIDTH 8
#include "sig.h"
#include "framepat.h"
#include "title.h"
#include "util.h"
#include "version.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum frames_scope { SCOPE_ALL, SCOPE_MEANINGFUL, SCOPE_RELIABLE };

struct sig {
	struct sig_def *def;
	pcre2_code *title_re, *text_re, *hypervisor_re, *hardware_re, *boot_re;
	struct frame_pattern **frames;
	size_t nr_frames;
	struct kver_ranges kernel;
	enum frames_scope scope;
	bool condition;
	bool warned;		/* a PCRE2 limit was hit once already */
};

struct sig_env {
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit_stack;
	pcre2_match_data *md;
};

const struct sig_def *sig_def(const struct sig *s) { return s->def; }
bool sig_is_condition(const struct sig *s) { return s->condition; }

void sig_free(struct sig *s)
{
	if (!s)
		return;
	pcre2_code_free(s->title_re);
	pcre2_code_free(s->text_re);
	pcre2_code_free(s->hypervisor_re);
	pcre2_code_free(s->hardware_re);
	pcre2_code_free(s->boot_re);
	for (size_t i = 0; i < s->nr_frames; i++)
		frame_pattern_free(s->frames[i]);
	free(s->frames);
	kver_ranges_free(&s->kernel);
	sig_def_free(s->def);
	free(s);
}

static int compile_re(const struct sig_def *def, const char *field,
		      const struct sig_value *v, uint32_t flags, pcre2_code **out,
		      struct strbuf *err)
{
	int errcode;
	PCRE2_SIZE erroff;
	PCRE2_UCHAR msg[256];

	if (!v->val)
		return 0;
	/* NEVER_UTF: logs are bytes; a (*UTF) in a signature must not flip modes. */
	*out = pcre2_compile((PCRE2_SPTR)v->val, PCRE2_ZERO_TERMINATED,
			     flags | PCRE2_NEVER_UTF | PCRE2_NEVER_BACKSLASH_C,
			     &errcode, &erroff, NULL);
	if (!*out) {
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		strbuf_reset(err);
		strbuf_addf(err, "%s:%u: %s: %s at offset %zu", def->origin, v->val_line,
			    field, (char *)msg, (size_t)erroff);
		return -1;
	}
	/* JIT is an optimisation: without it (no JIT on this CPU) matching still works. */
	pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
	return 0;
}

struct sig *sig_compile(struct sig_def *def, struct strbuf *err)
{
	struct sig *s = xcalloc(1, sizeof(*s));
	char msg[256];
	unsigned bad;

	s->def = def;
	s->condition = sig_def_is_condition(def);
	if (compile_re(def, "title-regex", &def->title_regex, 0, &s->title_re, err) ||
	    compile_re(def, "text-regex", &def->text_regex, PCRE2_MULTILINE, &s->text_re, err) ||
	    compile_re(def, "hypervisor", &def->hypervisor, PCRE2_CASELESS, &s->hypervisor_re, err) ||
	    compile_re(def, "hardware", &def->hardware, PCRE2_CASELESS, &s->hardware_re, err) ||
	    compile_re(def, "boot-regex", &def->boot_regex, PCRE2_MULTILINE, &s->boot_re, err))
		goto bad;
	if (def->nr_frames)
		s->frames = xcalloc(def->nr_frames, sizeof(*s->frames));
	for (size_t i = 0; i < def->nr_frames; i++) {
		s->frames[i] = frame_pattern_parse(def->frames[i].val, msg, sizeof(msg), &bad);
		if (!s->frames[i]) {
			strbuf_reset(err);
			strbuf_addf(err, "%s:%u: frames: %s", def->origin,
				    def->frames[i].val_line + bad, msg);
			goto bad;
		}
		s->nr_frames++;
	}
	if (def->kernel.val &&
	    kver_ranges_parse(def->kernel.val, &s->kernel, msg, sizeof(msg), &bad)) {
		strbuf_reset(err);
		strbuf_addf(err, "%s:%u: %s", def->origin, def->kernel.val_line + bad, msg);
		goto bad;
	}
	if (def->frames_scope.val && !strcmp(def->frames_scope.val, "meaningful"))
		s->scope = SCOPE_MEANINGFUL;
	else if (def->frames_scope.val && !strcmp(def->frames_scope.val, "reliable"))
		s->scope = SCOPE_RELIABLE;
	return s;
bad:
	sig_free(s);
	return NULL;
}

size_t sig_frame_literals(const struct sig *s, const char **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nr_frames && n < max; i++)
		n += frame_pattern_literals(s->frames[i], out + n, max - n);
	return n;
}

struct sig_env *sig_env_new(void)
{
	struct sig_env *env = xcalloc(1, sizeof(*env));

	env->mctx = pcre2_match_context_create(NULL);
	env->jit_stack = pcre2_jit_stack_create(32 * 1024, 512 * 1024, NULL);
	env->md = pcre2_match_data_create(4, NULL);
	if (!env->mctx || !env->jit_stack || !env->md)
		die("out of memory (pcre2)");
	pcre2_set_match_limit(env->mctx, SIG_MATCH_LIMIT);
	pcre2_set_depth_limit(env->mctx, SIG_DEPTH_LIMIT);
	pcre2_set_heap_limit(env->mctx, SIG_HEAP_LIMIT_KB);
	pcre2_jit_stack_assign(env->mctx, NULL, env->jit_stack);
	return env;
}

void sig_env_free(struct sig_env *env)
{
	if (!env)
		return;
	pcre2_match_data_free(env->md);
	pcre2_jit_stack_free(env->jit_stack);
	pcre2_match_context_free(env->mctx);
	free(env);
}

/*
 * Run re over subject; true on a match with the matched span in so and eo.
 * Limits and errors are "no match"; the first limit hit warns once.
 */
static bool run_re(struct sig *s, struct sig_env *env, pcre2_code *re, const char *field,
		   const char *subject, size_t len, size_t *so, size_t *eo)
{
	int rc = pcre2_match(re, (PCRE2_SPTR)subject, len, 0, 0, env->md, env->mctx);

	if (rc >= 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(env->md);

		*so = ov[0];
		*eo = ov[1] < ov[0] ? ov[0] : ov[1];
		return true;
	}
	if (rc != PCRE2_ERROR_NOMATCH && !s->warned) {
		PCRE2_UCHAR msg[128];

		pcre2_get_error_message(rc, msg, sizeof(msg));
		warning("signature %s: %s: %s; treated as no match", s->def->id.val,
			field, (char *)msg);
		s->warned = true;
	}
	return false;
}

/* The whole line around [so, eo) in buf. */
static char *line_around(const char *buf, size_t len, size_t so)
{
	size_t b = so, e = so;

	while (b > 0 && buf[b - 1] != '\n')
		b--;
	while (e < len && buf[e] != '\n')
		e++;
	return xmemdupz(buf + b, e - b);
}

static void frame_text(struct strbuf *sb, const struct frame *f)
{
	if (!f->reliable)
		strbuf_addstr(sb, "? ");
	strbuf_addstr(sb, f->func ? f->func : "?");
	if (f->has_off)
		strbuf_addf(sb, "+0x%llx/0x%llx", (unsigned long long)f->off,
			    (unsigned long long)f->size);
	if (f->module)
		strbuf_addf(sb, " [%s]", f->module);
}

#define MAX_FRAMES_SEEN 256
#define FUNC_BUF 160

/* Frames of one stack as the pattern sees them, per the signature's scope. */
struct frame_view {
	struct frame_ref refs[MAX_FRAMES_SEEN];
	const struct frame *src[MAX_FRAMES_SEEN];
	char names[MAX_FRAMES_SEEN][FUNC_BUF];
	size_t n;
};

static void view_add(struct frame_view *v, const struct frame *f, enum frames_scope scope,
		     enum incident_kind kind)
{
	if (v->n >= MAX_FRAMES_SEEN || !f->func)
		return;
	if (scope != SCOPE_ALL && !f->reliable)
		return;
	title_clean_func(f->func, v->names[v->n], FUNC_BUF);
	if (scope == SCOPE_MEANINGFUL && title_frame_is_generic(v->names[v->n], kind))
		return;
	v->refs[v->n].func = v->names[v->n];
	v->refs[v->n].module = f->module;
	v->refs[v->n].index = v->n;
	v->src[v->n] = f;
	v->n++;
}

static void build_view(struct frame_view *v, const struct incident *inc, size_t stack,
		       enum frames_scope scope)
{
	const struct stack *st = &inc->stacks[stack];

	v->n = 0;
	/* The faulting ip tops the first stack unless the stack repeats it. */
	if (stack == 0 && inc->has_ip && inc->ip.func &&
	    !(st->nr && st->frames[0].func && !strcmp(st->frames[0].func, inc->ip.func)))
		view_add(v, &inc->ip, scope, inc->kind);
	for (size_t i = 0; i < st->nr; i++)
		view_add(v, &st->frames[i], scope, inc->kind);
}

static bool match_frames(struct sig *s, const struct incident *inc, struct match *m)
{
	struct frame_view *v = xmalloc(sizeof(*v));
	size_t matched[FRAME_PATTERN_MAX_ELEMS], nr;
	bool ok = false;
	size_t nstacks = inc->nr_stacks ? inc->nr_stacks : 0;
	struct stack ip_only = { STACK_TASK, NULL, 0, 0 };

	for (size_t p = 0; p < s->nr_frames && !ok; p++) {
		for (size_t st = 0; st < (nstacks ? nstacks : 1) && !ok; st++) {
			if (nstacks) {
				build_view(v, inc, st, s->scope);
			} else {
				struct incident tmp = *inc;

				/* No stack: the ip alone can still match. */
				tmp.stacks = &ip_only;
				tmp.nr_stacks = 1;
				build_view(v, &tmp, 0, s->scope);
			}
			if (!frame_pattern_match(s->frames[p], v->refs, v->n, matched, &nr))
				continue;
			{
				struct strbuf sb = STRBUF_INIT;

				strbuf_addf(&sb, "%s stack: ",
					    stack_context_name(nstacks ? inc->stacks[st].context
							       : STACK_TASK));
				for (size_t k = 0; k < nr; k++) {
					if (k)
						strbuf_addstr(&sb, " ← ");
					frame_text(&sb, v->src[matched[k]]);
				}
				match_add_evidence(m, "frames", sb.buf);
				strbuf_release(&sb);
			}
			m->specificity += 10 * (int)frame_pattern_size(s->frames[p]);
			ok = true;
		}
	}
	free(v);
	return ok;
}

static bool match_str(struct sig *s, struct sig_env *env, pcre2_code *re,
		      const char *field, const char *value, struct match *m, int weight)
{
	size_t so, eo;

	if (!value || !run_re(s, env, re, field, value, strlen(value), &so, &eo))
		return false;
	match_add_evidence(m, field, value);
	m->specificity += weight;
	return true;
}

static bool match_kernel(struct sig *s, const char *release, struct match *m)
{
	struct strbuf sb = STRBUF_INIT;

	if (!kver_ranges_match(&s->kernel, release))
		return false;
	strbuf_addf(&sb, "%s (kernel: %s)", release, s->def->kernel.val);
	for (char *p = sb.buf; *p; p++)
		if (*p == '\n')
			*p = ';';
	match_add_evidence(m, "kernel", sb.buf);
	strbuf_release(&sb);
	m->specificity += 8;
	return true;
}

/* boot-regex over the boot's kept lines; the evidence names the log line. */
static bool match_boot_lines(struct sig *s, struct sig_env *env,
			     const struct boot_context *ctx, struct match *m,
			     unsigned long *line)
{
	const char *buf = ctx ? ctx->boot_lines.buf : NULL;
	size_t len = ctx ? ctx->boot_lines.len : 0, so, eo, idx = 0;
	struct strbuf sb = STRBUF_INIT;
	char *text;

	if (!buf || !run_re(s, env, s->boot_re, "boot-regex", buf, len, &so, &eo))
		return false;
	for (size_t i = 0; i < so; i++)
		idx += buf[i] == '\n';
	text = line_around(buf, len, so);
	if (idx < ctx->nr_boot_lines && ctx->boot_lineno) {
		strbuf_addf(&sb, "line %lu: %s", ctx->boot_lineno[idx], text);
		if (line)
			*line = ctx->boot_lineno[idx];
	} else {
		strbuf_addstr(&sb, text);
	}
	match_add_evidence(m, "boot-regex", sb.buf);
	strbuf_release(&sb);
	free(text);
	m->specificity += 6;
	return true;
}

static void fill_identity(const struct sig *s, struct match *m)
{
	const struct sig_def *d = s->def;

	m->id = xstrdup(d->id.val);
	m->title = xstrdup(d->title.val);
	m->severity = xstrdup(d->severity.val);
	m->fix = d->fix.val ? xstrdup(d->fix.val) : NULL;
	m->workaround = d->workaround.val ? xstrdup(d->workaround.val) : NULL;
}

/* Events behind the incident and the seconds they span (count predicate). */
static bool match_count(struct sig *s, struct sig_env *env, const struct incident *inc,
			struct match *m)
{
	const struct extra *ev = incident_extra(inc, "events");
	const struct extra *cnt = incident_extra(inc, "count");
	const struct extra *last = incident_extra(inc, "last_time");
	long long events = 1;
	double span = 0;
	char detail[160];

	if (ev && !ev->str)
		events = ev->num;
	else if (cnt && !cnt->str)
		events = cnt->num;
	else if (s->text_re) {
		/* Count the lines of the text the text-regex matches. */
		const char *p = inc->text.buf, *end = p + inc->text.len;

		events = 0;
		while (p < end) {
			const char *eol = memchr(p, '\n', end - p);
			size_t so, eo;

			if (!eol)
				eol = end;
			events += run_re(s, env, s->text_re, "text-regex", p, eol - p, &so, &eo);
			p = eol + 1;
		}
	}
	if (last && inc->has_ktime) {
		double t = last->str ? strtod(last->str, NULL) : (double)last->num;

		if (t > inc->ktime)
			span = t - inc->ktime;
	}
	/* At least N within T: when the events span more than T, assume an even
	 * rate and require N in any T-second window of it. */
	if (events < (long long)s->def->count_n)
		return false;
	if (span > s->def->count_secs &&
	    (double)events * s->def->count_secs / span < (double)s->def->count_n)
		return false;
	snprintf(detail, sizeof(detail), "%lld events in %.1fs (need %u in %gs)",
		 events, span, s->def->count_n, s->def->count_secs);
	match_add_evidence(m, "count", detail);
	m->specificity += 2;
	return true;
}

bool sig_match_incident(struct sig *s, struct sig_env *env, const struct incident *inc,
			const struct boot_context *ctx, struct match *out)
{
	struct match m;
	const char *release, *hyp, *hw;
	size_t so, eo;

	memset(out, 0, sizeof(*out));
	if (s->condition)
		return false;
	memset(&m, 0, sizeof(m));
	if (s->def->kind_mask) {
		if (!(s->def->kind_mask & (1ull << inc->kind)))
			return false;
		match_add_evidence(&m, "kind", incident_kind_name(inc->kind));
		m.specificity += 1;
	}
	if (s->nr_frames && !match_frames(s, inc, &m))
		goto nomatch;
	if (s->title_re && !match_str(s, env, s->title_re, "title-regex", inc->title, &m, 5))
		goto nomatch;
	if (s->text_re) {
		char *line;

		if (!run_re(s, env, s->text_re, "text-regex", inc->text.buf, inc->text.len,
			    &so, &eo))
			goto nomatch;
		line = line_around(inc->text.buf, inc->text.len, so);
		match_add_evidence(&m, "text-regex", line);
		free(line);
		m.specificity += 5;
	}
	if (s->def->count.val && !match_count(s, env, inc, &m))
		goto nomatch;
	release = inc->kernel.release ? inc->kernel.release : ctx ? ctx->release : NULL;
	if (s->def->kernel.val && !match_kernel(s, release, &m))
		goto nomatch;
	hyp = inc->kernel.hypervisor ? inc->kernel.hypervisor : ctx ? ctx->hypervisor : NULL;
	if (s->hypervisor_re && !match_str(s, env, s->hypervisor_re, "hypervisor", hyp, &m, 3))
		goto nomatch;
	hw = inc->kernel.hardware ? inc->kernel.hardware : ctx ? ctx->hardware : NULL;
	if (s->hardware_re && !match_str(s, env, s->hardware_re, "hardware", hw, &m, 3))
		goto nomatch;
	if (s->boot_re && !match_boot_lines(s, env, ctx, &m, NULL))
		goto nomatch;
	fill_identity(s, &m);
	*out = m;
	return true;
nomatch:
	match_release(&m);
	return false;
}

bool sig_match_boot(struct sig *s, struct sig_env *env, const struct boot_context *ctx,
		    struct match *out, unsigned long *line)
{
	struct match m;

	memset(out, 0, sizeof(*out));
	*line = ctx->first_line;
	if (!s->condition)
		return false;
	memset(&m, 0, sizeof(m));
	if (s->def->kernel.val) {
		if (!match_kernel(s, ctx->release, &m))
			goto nomatch;
		if (ctx->version_line)
			match_add_evidence(&m, "kernel-line", ctx->version_line);
	}
	if (s->hypervisor_re &&
	    !match_str(s, env, s->hypervisor_re, "hypervisor", ctx->hypervisor, &m, 3))
		goto nomatch;
	if (s->hardware_re &&
	    !match_str(s, env, s->hardware_re, "hardware", ctx->hardware, &m, 3))
		goto nomatch;
	if (s->boot_re && !match_boot_lines(s, env, ctx, &m, line))
		goto nomatch;
	fill_identity(s, &m);
	*out = m;
	return true;
nomatch:
	match_release(&m);
	return false;
}
