/*
** sigframes: the frame and lock patterns of signatures, compiled with the
** database's aliases (alternatives, syscall entry points under any name),
** the index keys they give, and their alignment against an incident's
** stacks, with where an alignment stopped for "why not" (sigdb_impl.h).
** sigpred.c's predicates call in here; nothing here calls sigpred.c.
*/
#define _GNU_SOURCE
#include "sigdb_impl.h"
#include "frame.h"
#include "generic_frames.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- compiled names ---------------------------------------------------- */

static void alt_add(struct celem *e, const char *glob)
{
	char sys[256];
	struct alt_name *a;

	for (size_t i = 0; i < e->nr_alts; i++)
		if (!strcmp(e->alts[i].glob, glob))
			return;
	e->alts = xrealloc(e->alts, (e->nr_alts + 1) * sizeof(*e->alts));
	a = &e->alts[e->nr_alts++];
	a->glob = xstrdup(glob);
	a->sys_kind = generic_frame_syscall_name(glob, sys, sizeof(sys));
	a->sys = a->sys_kind ? xstrdup(sys) : NULL;
}

/* "copy_net_ns|setup_net", each alternative with the names of its alias group. */
static void compile_element(struct celem *e, const char *text, const struct aliases *al)
{
	char *copy = xstrdup(text), *tok, *save;

	for (tok = strtok_r(copy, "|", &save); tok; tok = strtok_r(NULL, "|", &save)) {
		size_t n;
		char *const *group = aliases_group(al, tok, &n);
		alt_add(e, tok);
		for (size_t k = 0; k < n; k++)
			alt_add(e, group[k]);
	}
	free(copy);
}

static void release_element(struct celem *e)
{
	for (size_t i = 0; i < e->nr_alts; i++) {
		free(e->alts[i].glob);
		free(e->alts[i].sys);
	}
	free(e->alts);
}

static void compile_pattern(struct cpat *p, const struct frame_pat *fp, size_t nr,
			    const struct aliases *al)
{
	p->nr = nr;
	p->e = xcalloc(nr ? nr : 1, sizeof(*p->e));
	for (size_t k = 0; k < nr; k++) {
		compile_element(&p->e[k], fp[k].func, al);
		p->e[k].text = fp[k].func;
		p->e[k].module = fp[k].module;
		p->e[k].gap = fp[k].gap;
		p->e[k].line = fp[k].line;
	}
}

static void release_pattern(struct cpat *p)
{
	for (size_t k = 0; k < p->nr; k++)
		release_element(&p->e[k]);
	free(p->e);
}

void sigpred_compile(struct csig *c, const struct aliases *al)
{
	const struct signature *s = c->sig;
	size_t begin = 0;

	for (size_t i = 0; i <= s->nr_frames; i++) {
		struct cpat *p;
		if (i < s->nr_frames && s->frames[i].func)
			continue;
		if (i > begin) {
			c->pats = xrealloc(c->pats, (c->nr_pats + 1) * sizeof(*c->pats));
			p = &c->pats[c->nr_pats++];
			compile_pattern(p, s->frames + begin, i - begin, al);
		}
		begin = i + 1;
	}
	c->nr_locks = s->waiting_for.nr;
	c->locks = xcalloc(c->nr_locks ? c->nr_locks : 1, sizeof(*c->locks));
	for (size_t i = 0; i < c->nr_locks; i++) {
		compile_element(&c->locks[i], s->waiting_for.v[i], al);
		c->locks[i].text = s->waiting_for.v[i];
	}
	c->nr_shares = s->nr_shares;
	c->shares = xcalloc(c->nr_shares ? c->nr_shares : 1, sizeof(*c->shares));
	for (size_t i = 0; i < c->nr_shares; i++)
		compile_pattern(&c->shares[i], s->shares[i].frames, s->shares[i].nr_frames, al);
}

void sigpred_release(struct csig *c)
{
	for (size_t i = 0; i < c->nr_pats; i++)
		release_pattern(&c->pats[i]);
	free(c->pats);
	for (size_t i = 0; i < c->nr_shares; i++)
		release_pattern(&c->shares[i]);
	free(c->shares);
	for (size_t i = 0; i < c->nr_locks; i++)
		release_element(&c->locks[i]);
	free(c->locks);
}

static bool is_literal(const char *glob)
{
	return !strpbrk(glob, "*?[");
}

void sigpred_frame_key(const char *func, char *buf, size_t n)
{
	char base[256], sys[256];
	int kind;

	frame_base_name(func, buf, n);
	/* Every syscall entry prefix holds "sys_", "SyS_" or "SYSC_". */
	if (!strstr(buf, "sys_") && !strstr(buf, "SyS_") && !strstr(buf, "SYSC_"))
		return;
	snprintf(base, sizeof(base), "%s", buf);
	kind = generic_frame_syscall_name(base, sys, sizeof(sys));
	if (kind)
		snprintf(buf, n, "%s%s", kind == 2 ? "compat_sys_" : "sys_", sys);
}

/*
 * A signature can be found by the functions of one element that every
 * alternative pattern has, when all of its alternatives are literal: the
 * first such element of each pattern gives the keys.
 */
void sigpred_index_keys(const struct csig *c, void (*add)(void *data, const char *key),
			void *data)
{
	const struct celem **pick = xcalloc(c->nr_pats ? c->nr_pats : 1, sizeof(*pick));
	bool all = c->nr_pats > 0;

	for (size_t p = 0; p < c->nr_pats && all; p++) {
		for (size_t k = 0; k < c->pats[p].nr && !pick[p]; k++) {
			bool lit = true;
			for (size_t a = 0; a < c->pats[p].e[k].nr_alts; a++)
				lit &= is_literal(c->pats[p].e[k].alts[a].glob);
			if (lit)
				pick[p] = &c->pats[p].e[k];
		}
		all = pick[p] != NULL;
	}
	for (size_t p = 0; p < c->nr_pats && all; p++)
		for (size_t a = 0; a < pick[p]->nr_alts; a++) {
			char key[256];
			sigpred_frame_key(pick[p]->alts[a].glob, key, sizeof(key));
			add(data, key);
		}
	free(pick);
	if (!all)
		add(data, NULL);	/* no key: by kind */
}

/* Does a name (function or lock) match an element? */
bool name_matches(const struct celem *e, const char *base, const char *full)
{
	char sys[256];
	int kind = -1;

	for (size_t i = 0; i < e->nr_alts; i++) {
		const struct alt_name *a = &e->alts[i];
		if (!fnmatch(a->glob, base, 0) || (full && !fnmatch(a->glob, full, 0)))
			return true;
		if (a->sys) {
			/* Syscall entry points: SyS_ioctl = __x64_sys_ioctl = sys_ioctl. */
			if (kind < 0)
				kind = generic_frame_syscall_name(base, sys, sizeof(sys));
			if (kind == a->sys_kind && !fnmatch(a->sys, sys, 0))
				return true;
		}
	}
	return false;
}

static bool module_matches(const char *pattern, const char *module)
{
	char m1[4096], m2[128];
	const char *slash;
	size_t i;

	if (!module)
		return false;
	/* kvm-intel and kvm_intel are the same module. */
	for (i = 0; module[i] && i < sizeof(m1) - 1; i++)
		m1[i] = module[i] == '-' ? '_' : module[i];
	m1[i] = '\0';
	for (i = 0; pattern[i] && i < sizeof(m2) - 1; i++)
		m2[i] = pattern[i] == '-' ? '_' : pattern[i];
	m2[i] = '\0';
	/* A userspace module is a path: "[libc.so*]" names its file. */
	slash = strrchr(m1, '/');
	return !fnmatch(m2, m1, 0) || (slash && !fnmatch(m2, slash + 1, 0));
}

static bool frame_matches(const struct celem *e, const struct frame *f)
{
	char base[256];

	if (!f->func)
		return false;
	frame_base_name(f->func, base, sizeof(base));
	if (!name_matches(e, base, f->func))
		return false;
	return !e->module || module_matches(e->module, f->module);
}

/* ---- frames: alignment, and where it stopped -------------------------- */


/*
 * Match the pattern against a sequence of frames (reliable ones only).
 * Between two consecutive pattern elements only generic frames (generic_frames.h)
 * may be skipped; after a "..." element any frames may. On success the
 * matched frames are written to ev.
 */
bool match_seq(const struct cpat *pat, const struct frame *const *fr, size_t n,
		      enum incident_kind kind, struct strbuf *ev, struct frames_why *why)
{
	for (size_t start = 0; start < n; start++) {
		size_t fi = start, pi = 0;

		if (!frame_matches(&pat->e[0], fr[start]))
			continue;
		strbuf_reset(ev);
		for (;;) {
			const struct celem *p = &pat->e[pi];
			const struct frame *f = fr[fi];
			strbuf_addf(ev, "%s%s", pi ? " … " : "", f->func);
			if (f->has_off)	/* profiles print no offsets */
				strbuf_addf(ev, "+0x%llx", (unsigned long long)f->off);
			if (f->module)
				strbuf_addf(ev, " [%s]", f->module);
			if (++pi == pat->nr)
				return true;
			fi++;
			while (fi < n && !frame_matches(&pat->e[pi], fr[fi]) &&
			       (p->gap || generic_frame_is(fr[fi]->func, kind)))
				fi++;
			if (fi >= n || !frame_matches(&pat->e[pi], fr[fi])) {
				if (why && pi > why->best) {
					why->best = pi;
					why->pat = pat;
					why->last = f;
					why->stop = fi < n ? fr[fi] : NULL;
				}
				break;
			}
		}
	}
	return false;
}

static bool match_pats(const struct csig *c, const struct frame *const *fr, size_t n,
		       enum incident_kind kind, struct strbuf *ev, struct frames_why *why)
{
	for (size_t p = 0; p < c->nr_pats; p++)
		if (match_seq(&c->pats[p], fr, n, kind, ev, why))
			return true;
	return false;
}

bool match_frames(const struct csig *c, const struct incident *inc, struct strbuf *ev,
			 struct frames_why *why)
{
	const struct frame **fr = NULL;
	size_t alloc = 0;
	bool ok = false;

	/* "? " frames count where every frame is printed so (generic_frames.h) */
	bool unreliable_too = stacks_all_unreliable(inc);

	for (size_t st = 0; st < inc->nr_stacks && !ok; st++) {
		size_t n = 0;
		/* The faulting ip heads the first stack it belongs with. */
		if (st == 0 && inc->has_ip && inc->ip.func) {
			ALLOC_GROW(fr, n + 1, alloc);
			fr[n++] = &inc->ip;
		}
		for (size_t i = 0; i < inc->stacks[st].nr; i++) {
			const struct frame *f = &inc->stacks[st].frames[i];
			if ((!f->reliable && !unreliable_too) || !f->func)
				continue;
			ALLOC_GROW(fr, n + 1, alloc);
			fr[n++] = f;
		}
		ok = n && match_pats(c, fr, n, inc->kind, ev, why);
	}
	if (!ok && !inc->nr_stacks && inc->has_ip && inc->ip.func) {
		const struct frame *one = &inc->ip;
		ok = match_pats(c, &one, 1, inc->kind, ev, why);
	}
	free(fr);
	return ok;
}

static void frame_text(struct strbuf *sb, const struct frame *f)
{
	strbuf_addf(sb, "'%s", f->func);
	if (f->has_off)
		strbuf_addf(sb, "+0x%llx", (unsigned long long)f->off);
	if (f->module)
		strbuf_addf(sb, " [%s]", f->module);
	strbuf_addch(sb, '\'');
}

void frames_failure(const struct csig *c, const struct frames_why *w, struct strbuf *sb)
{
	const struct celem *e;

	if (!w->best) {
		strbuf_addstr(sb, "no frame matches ");
		for (size_t p = 0; p < c->nr_pats; p++) {
			e = &c->pats[p].e[0];
			strbuf_addf(sb, "%s'%s%s%s%s' (line %lu)", p ? " or " : "", e->text,
				    e->module ? " [" : "", e->module ? e->module : "",
				    e->module ? "]" : "", e->line);
		}
		strbuf_addstr(sb, " in any stack");
		return;
	}
	e = &w->pat->e[w->best];
	strbuf_addf(sb, "element %zu '%s%s%s%s' (line %lu) found no frame: the alignment "
		    "matched %zu element%s up to ", w->best + 1, e->text, e->module ? " [" : "",
		    e->module ? e->module : "", e->module ? "]" : "", e->line, w->best,
		    w->best == 1 ? "" : "s");
	frame_text(sb, w->last);
	if (w->stop) {
		strbuf_addstr(sb, " and stopped at ");
		frame_text(sb, w->stop);
		strbuf_addstr(sb, w->pat->e[w->best - 1].gap ? "" :
			      " (not a generic frame, and no '...' before it)");
	} else {
		strbuf_addstr(sb, ", where the stack ends");
	}
}

