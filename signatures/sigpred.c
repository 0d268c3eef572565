/*
** sigpred: the predicates of a signature, one row each (see sigdb.h); the
** frame and lock patterns they align are sigframes.c's.
**
** A new predicate is a row in `predicates` below: a name, whether a
** signature has it, and a function that adds verdicts to the evaluation.
*/
#define _GNU_SOURCE
#include "sigdb_impl.h"
#include "frame.h"
#include "generic_frames.h"
#include "profile.h"
#include "util.h"
#include "version.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- the evaluation ---------------------------------------------------- */

static void verdict(struct sig_evaluation *ev, const char *pred, enum pred_result r,
		    const char *detail)
{
	struct sig_verdict *v;

	ALLOC_GROW(ev->v, ev->nr + 1, ev->alloc);
	v = &ev->v[ev->nr++];
	v->predicate = pred;
	v->result = r;
	/* Matching (not explaining) leaves failures without a reason: no allocation. */
	v->detail = detail && *detail ? xstrdup(detail) : NULL;
	v->line = 0;
	if (r == PRED_PASS)
		ev->passed++;
	else if (r == PRED_FAIL)
		ev->failed++;
}

/* 1 match, 0 no match, -1 limit hit (warned once). */
static int re_search(const struct sigdb *db, struct csig *c, pcre2_code *re,
		     const char *s, size_t len, size_t *mstart)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)s, len, 0, 0, md, db->mctx);

	if (rc >= 0 && mstart)
		*mstart = pcre2_get_ovector_pointer(md)[0];
	pcre2_match_data_free(md);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_JIT_STACKLIMIT) {
		if (!__atomic_exchange_n(&c->limit_warned, 1, __ATOMIC_RELAXED))
			warning("signature %s: regex hit its match limit; treated as no match",
				c->sig->id);
		return -1;
	}
	return 0;
}

/* The line of s that holds offset start. */
static char *line_at(const char *s, size_t len, size_t start)
{
	size_t b = start, e = start;

	while (b > 0 && s[b - 1] != '\n')
		b--;
	while (e < len && s[e] != '\n')
		e++;
	return xstrndup(s + b, e - b);
}

struct pred_call {
	const struct sigdb *db;
	struct csig *c;
	const struct eval_input *in;
	struct sig_evaluation *ev;
	struct strbuf sb;		/* scratch */
};

#define WHY(pc) ((pc)->in->explain)

static enum pred_result pred_kind(struct pred_call *pc)
{
	const struct signature *s = pc->c->sig;
	enum incident_kind kind = pc->in->inc->kind;

	for (size_t k = 0; k < s->nr_kinds; k++)
		if (s->kinds[k] == kind) {
			verdict(pc->ev, "kind", PRED_PASS, incident_kind_name(kind));
			pc->ev->score += 1;
			return PRED_PASS;
		}
	if (WHY(pc)) {
		strbuf_addf(&pc->sb, "the incident is %s, the signature wants", incident_kind_name(kind));
		for (size_t k = 0; k < s->nr_kinds; k++)
			strbuf_addf(&pc->sb, " %s", incident_kind_name(s->kinds[k]));
	}
	verdict(pc->ev, "kind", PRED_FAIL, pc->sb.buf);
	return PRED_FAIL;
}

static enum pred_result regexes(struct pred_call *pc, const char *pred,
				const struct regex_list *rl, const struct str_list *src,
				const char *text, size_t len, bool whole_line, int weight)
{
	enum pred_result all = PRED_PASS;

	for (size_t i = 0; i < rl->nr; i++) {
		size_t b = 0;
		int rc = text ? re_search(pc->db, pc->c, rl->v[i], text, len, &b) : 0;
		strbuf_reset(&pc->sb);
		if (rc == 1) {
			char *line = whole_line ? line_at(text, len, b) : NULL;
			verdict(pc->ev, pred, PRED_PASS, line ? line : text);
			free(line);
			pc->ev->score += weight;
			continue;
		}
		if (WHY(pc))
			strbuf_addf(&pc->sb, "/%s/ %s", src->v[i], !text ? "has nothing to match "
				    "(no title)" : rc < 0 ? "hit the match limit" : "does not match");
		verdict(pc->ev, pred, PRED_FAIL, pc->sb.buf);
		all = PRED_FAIL;
		if (!WHY(pc))
			break;
	}
	return all;
}

static enum pred_result pred_title(struct pred_call *pc)
{
	const struct incident *inc = pc->in->inc;

	return regexes(pc, "title-regex", &pc->c->title_re, &pc->c->sig->title_regex, inc->title,
		       inc->title ? strlen(inc->title) : 0, false, 2);
}

static enum pred_result pred_text(struct pred_call *pc)
{
	const struct incident *inc = pc->in->inc;

	return regexes(pc, "text-regex", &pc->c->text_re, &pc->c->sig->text_regex,
		       inc->text.buf, inc->text.len, true, 2);
}

static enum pred_result pred_frames(struct pred_call *pc)
{
	struct frames_why why = { 0, NULL, NULL, NULL };

	if (match_frames(pc->c, pc->in->inc, &pc->sb, WHY(pc) ? &why : NULL)) {
		verdict(pc->ev, "frames", PRED_PASS, pc->sb.buf);
		pc->ev->score += 2 * (int)pc->c->sig->nr_frames;
		return PRED_PASS;
	}
	strbuf_reset(&pc->sb);
	if (WHY(pc))
		frames_failure(pc->c, &why, &pc->sb);
	verdict(pc->ev, "frames", PRED_FAIL, pc->sb.buf);
	return PRED_FAIL;
}

/* The lock the blocked tasks wait for: known after grouping (group.h). */
static enum pred_result waiting_for(struct pred_call *pc, bool final)
{
	const struct extra *w = incident_extra(pc->in->inc, "waiting_for");
	const struct extra *who = incident_extra(pc->in->inc, "lock_holders");

	if (!w || !w->str) {
		if (!final) {
			verdict(pc->ev, "waiting-for", PRED_DEFER, "decided after grouping");
			return PRED_DEFER;
		}
		verdict(pc->ev, "waiting-for", PRED_FAIL, WHY(pc) ?
			"the log shows no lock the task waits for (no lockdep held-locks list)" : NULL);
		return PRED_FAIL;
	}
	for (size_t i = 0; i < pc->c->nr_locks; i++) {
		strbuf_reset(&pc->sb);
		if (name_matches(&pc->c->locks[i], w->str, NULL)) {
			strbuf_addstr(&pc->sb, w->str);
			if (who && who->str)
				strbuf_addf(&pc->sb, " (held by %s)", who->str);
			verdict(pc->ev, "waiting-for", PRED_PASS, pc->sb.buf);
			pc->ev->score += 2;
			continue;
		}
		if (WHY(pc))
			strbuf_addf(&pc->sb, "the task waits for %s, not %s", w->str,
				    pc->c->locks[i].text);
		verdict(pc->ev, "waiting-for", PRED_FAIL, pc->sb.buf);
		return PRED_FAIL;
	}
	return PRED_PASS;
}

static enum pred_result pred_waiting(struct pred_call *pc)
{
	return waiting_for(pc, false);
}

static enum pred_result pred_kernel(struct pred_call *pc)
{
	const char *rel = pc->in->release;

	if (version_match(pc->c->sig->kernel, rel) == 1) {
		verdict(pc->ev, "kernel", PRED_PASS, rel);
		pc->ev->score += 3;
		return PRED_PASS;
	}
	if (WHY(pc))
		strbuf_addf(&pc->sb, rel ? "release %s is not '%s'" : "%sthe log shows no release "
			    "to test against '%s'", rel ? rel : "", pc->c->sig->kernel);
	verdict(pc->ev, "kernel", PRED_FAIL, pc->sb.buf);
	return PRED_FAIL;
}

static enum pred_result substring(struct pred_call *pc, const char *pred, const char *have,
				  const char *want)
{
	if (have && strcasestr(have, want)) {
		verdict(pc->ev, pred, PRED_PASS, have);
		pc->ev->score += 1;
		return PRED_PASS;
	}
	if (WHY(pc))
		strbuf_addf(&pc->sb, "'%s' %s '%s'", have ? have : "(not in the log)",
			    "does not contain", want);
	verdict(pc->ev, pred, PRED_FAIL, pc->sb.buf);
	return PRED_FAIL;
}

static enum pred_result pred_hypervisor(struct pred_call *pc)
{
	return substring(pc, "hypervisor", pc->in->hypervisor, pc->c->sig->hypervisor);
}

static enum pred_result pred_hardware(struct pred_call *pc)
{
	return substring(pc, "hardware", pc->in->hardware, pc->c->sig->hardware);
}

static enum pred_result pred_boot(struct pred_call *pc)
{
	const struct boot_context *ctx = pc->in->ctx;
	enum pred_result all = PRED_PASS;

	for (size_t i = 0; i < pc->c->boot_re.nr; i++) {
		size_t b = 0, k = 0;
		char *line;
		strbuf_reset(&pc->sb);
		if (!ctx || re_search(pc->db, pc->c, pc->c->boot_re.v[i], ctx->boot_lines.buf,
				      ctx->boot_lines.len, &b) != 1) {
			if (WHY(pc))
				strbuf_addf(&pc->sb, ctx && ctx->nr_boot_lines ? "/%s/ matches none of "
					    "the boot's %zu early lines" : "/%s/: the log does not show "
					    "this boot's start", pc->c->sig->boot_regex.v[i],
					    ctx ? ctx->nr_boot_lines : 0);
			verdict(pc->ev, "boot-regex", PRED_FAIL, pc->sb.buf);
			all = PRED_FAIL;
			if (!WHY(pc))
				break;
			continue;
		}
		line = line_at(ctx->boot_lines.buf, ctx->boot_lines.len, b);
		/* Which log line: count newlines before the match. */
		for (size_t j = 0; j < b; j++)
			k += ctx->boot_lines.buf[j] == '\n';
		verdict(pc->ev, "boot-regex", PRED_PASS, line);
		pc->ev->v[pc->ev->nr - 1].line = k < ctx->nr_boot_lines ? ctx->boot_lineno[k] : 0;
		free(line);
		pc->ev->score += 2;
	}
	return all;
}

/* Count of events an incident stands for, and over how many seconds. */
static void incident_events(const struct incident *inc, long long *events, double *span)
{
	const struct extra *e = incident_extra(inc, "events");
	const struct extra *last = incident_extra(inc, "last_time");

	if (!e)
		e = incident_extra(inc, "count");
	*events = e ? e->num : 1;
	*span = last && last->str && inc->has_ktime ? atof(last->str) - inc->ktime : 0;
}

static enum pred_result pred_count(struct pred_call *pc)
{
	const struct signature *s = pc->c->sig;
	long long events;
	double span;
	bool ok;

	incident_events(pc->in->inc, &events, &span);
	ok = events >= s->count_n && !(s->count_secs > 0 && span > s->count_secs);
	strbuf_addf(&pc->sb, "%lld events in %.1f s", events, span);
	if (!ok)
		strbuf_addf(&pc->sb, ", the signature wants %ld in %.0f s", s->count_n,
			    s->count_secs);
	verdict(pc->ev, "count", ok ? PRED_PASS : PRED_FAIL, pc->sb.buf);
	pc->ev->score += ok;
	return ok ? PRED_PASS : PRED_FAIL;
}

struct share_walk {
	const struct cpat *pat;
	enum incident_kind kind;
	uint64_t samples;
	struct strbuf ev, path;
	struct frame *frames;		/* the stack as frames for the matcher */
	const struct frame **fr;
	size_t alloc;
};

static bool share_stack(void *data, const char *const *funcs, const char *const *mods,
			size_t n, uint64_t count)
{
	struct share_walk *w = data;

	if (n > w->alloc) {
		w->frames = xrealloc(w->frames, n * sizeof(*w->frames));
		w->fr = xrealloc(w->fr, n * sizeof(*w->fr));
		w->alloc = n;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&w->frames[i], 0, sizeof(w->frames[i]));
		w->frames[i].func = (char *)funcs[i];
		w->frames[i].module = (char *)mods[i];
		w->frames[i].reliable = true;
		w->fr[i] = &w->frames[i];
	}
	if (match_seq(w->pat, w->fr, n, w->kind, &w->path, NULL)) {
		if (!w->samples)
			strbuf_addstr(&w->ev, w->path.buf);
		w->samples += count;
	}
	return true;
}

/*
 * profile-share: the share of the profile's samples whose stack holds the
 * pattern. Only a profile record carries one (with its folded stacks while
 * it is matched); other records are not constrained by it.
 */
static enum pred_result pred_profile_share(struct pred_call *pc)
{
	const struct incident *inc = pc->in->inc;
	const struct profile_summary *ps = inc->profile;
	const struct signature *s = pc->c->sig;

	if (inc->kind != KIND_PROFILE)
		return PRED_PASS;
	if (!ps || !ps->fold || !ps->samples) {
		verdict(pc->ev, "profile-share", PRED_FAIL, WHY(pc) ?
			"the profile's stacks are not at hand (a stored record)" : NULL);
		return PRED_FAIL;
	}
	for (size_t i = 0; i < pc->c->nr_shares; i++) {
		struct share_walk w = { &pc->c->shares[i], inc->kind, 0, STRBUF_INIT,
					STRBUF_INIT, NULL, NULL, 0 };
		double pct;
		bool ok;

		profile_foreach_stack(ps->fold, share_stack, &w);
		pct = 100.0 * (double)w.samples / (double)ps->samples;
		ok = pct >= s->shares[i].min_percent;
		strbuf_reset(&pc->sb);
		if (ok)
			strbuf_addf(&pc->sb, "%.1f%% of %llu samples (>= %g%%): %s", pct,
				    (unsigned long long)ps->samples, s->shares[i].min_percent,
				    w.ev.buf);
		else if (WHY(pc))
			strbuf_addf(&pc->sb, "%.1f%% of %llu samples hold the pattern of line "
				    "%lu, the signature wants %g%%", pct,
				    (unsigned long long)ps->samples, pc->c->shares[i].e[0].line,
				    s->shares[i].min_percent);
		verdict(pc->ev, "profile-share", ok ? PRED_PASS : PRED_FAIL, pc->sb.buf);
		strbuf_release(&w.ev);
		strbuf_release(&w.path);
		free(w.frames);
		free(w.fr);
		if (!ok)
			return PRED_FAIL;
		pc->ev->score += 3;
	}
	return PRED_PASS;
}

/* executable: globs over the executable's path, its base name or the
 * command name (a journal message without COREDUMP_EXE names only that). */
static enum pred_result pred_executable(struct pred_call *pc)
{
	const struct incident *inc = pc->in->inc;
	const struct signature *s = pc->c->sig;
	const struct extra *e = incident_extra(inc, "executable");
	const char *exe = e && e->str ? e->str : NULL;
	const char *base = exe && strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;

	for (size_t i = 0; i < s->executable.nr; i++) {
		const char *g = s->executable.v[i];
		if ((exe && !fnmatch(g, exe, 0)) || (base && !fnmatch(g, base, 0)) ||
		    (inc->task.comm && !fnmatch(g, inc->task.comm, 0))) {
			verdict(pc->ev, "executable", PRED_PASS, exe ? exe : inc->task.comm);
			pc->ev->score += 2;
			return PRED_PASS;
		}
	}
	if (WHY(pc))
		strbuf_addf(&pc->sb, "the executable is %s", exe ? exe : inc->task.comm ?
			    inc->task.comm : "not named by the record");
	verdict(pc->ev, "executable", PRED_FAIL, pc->sb.buf);
	return PRED_FAIL;
}

/*
 * package: the record's packages (the executable's, then every module's
 * that systemd-coredump named). A record that names none is not excluded:
 * most distributions' binaries carry no package note, and the frames
 * already say which bug it is; the evidence says the version was unknown.
 */
static enum pred_result pred_package(struct pred_call *pc)
{
	const struct incident *inc = pc->in->inc;
	const struct extra *pn = incident_extra(inc, "package");
	const struct extra *pv = incident_extra(inc, "package_version");
	const struct extra *all = incident_extra(inc, "packages");
	const char *names[64], *versions[64], *which = NULL;
	char *copy = NULL;
	size_t n = 0;
	int r;

	if (pn && pn->str && pv && pv->str) {
		names[n] = pn->str;
		versions[n++] = pv->str;
	}
	if (all && all->str) {		/* "name version" lines */
		char *save, *line;
		copy = xstrdup(all->str);
		for (line = strtok_r(copy, "\n", &save); line && n < ARRAY_SIZE(names) - 1;
		     line = strtok_r(NULL, "\n", &save)) {
			char *sp = strchr(line, ' ');
			if (!sp)
				continue;
			*sp = '\0';
			names[n] = line;
			versions[n++] = sp + 1;
		}
	}
	names[n] = versions[n] = NULL;
	if (!n) {
		verdict(pc->ev, "package", PRED_PASS, "unknown: the record names no package version");
		free(copy);
		return PRED_PASS;
	}
	r = package_match(pc->c->sig->package, names, versions, &which);
	if (r == 1) {
		for (size_t i = 0; i < n; i++)
			if (names[i] == which)
				strbuf_addf(&pc->sb, "%s %s", names[i], versions[i]);
		verdict(pc->ev, "package", PRED_PASS, pc->sb.buf);
		pc->ev->score += 3;
	} else {
		if (WHY(pc)) {
			strbuf_addstr(&pc->sb, "the record's packages");
			for (size_t i = 0; i < n; i++)
				strbuf_addf(&pc->sb, "%s %s %s", i ? "," : "", names[i], versions[i]);
			strbuf_addf(&pc->sb, " do not satisfy '%s'", pc->c->sig->package);
		}
		verdict(pc->ev, "package", PRED_FAIL, pc->sb.buf);
	}
	free(copy);
	return r == 1 ? PRED_PASS : PRED_FAIL;
}

static bool has_kind(const struct signature *s) { return s->nr_kinds; }
static bool has_title(const struct signature *s) { return s->title_regex.nr; }
static bool has_frames(const struct signature *s) { return s->nr_frames; }
static bool has_text(const struct signature *s) { return s->text_regex.nr; }
static bool has_waiting(const struct signature *s) { return s->waiting_for.nr; }
static bool has_kernel(const struct signature *s) { return s->kernel; }
static bool has_hypervisor(const struct signature *s) { return s->hypervisor; }
static bool has_hardware(const struct signature *s) { return s->hardware; }
static bool has_boot(const struct signature *s) { return s->boot_regex.nr; }
static bool has_count(const struct signature *s) { return s->count_n; }
static bool has_shares(const struct signature *s) { return s->nr_shares; }
static bool has_executable(const struct signature *s) { return s->executable.nr; }
static bool has_package(const struct signature *s) { return s->package; }

static const struct predicate_row {
	const char *name;
	bool (*present)(const struct signature *s);
	enum pred_result (*eval)(struct pred_call *pc);
	bool needs_incident;		/* no meaning for a boot (condition) */
} predicates[] = {
	{ "kind", has_kind, pred_kind, true },
	{ "title-regex", has_title, pred_title, true },
	{ "frames", has_frames, pred_frames, true },
	{ "text-regex", has_text, pred_text, true },
	{ "waiting-for", has_waiting, pred_waiting, true },
	{ "profile-share", has_shares, pred_profile_share, true },
	{ "executable", has_executable, pred_executable, true },
	{ "package", has_package, pred_package, true },
	{ "kernel", has_kernel, pred_kernel, false },
	{ "hypervisor", has_hypervisor, pred_hypervisor, false },
	{ "hardware", has_hardware, pred_hardware, false },
	{ "boot-regex", has_boot, pred_boot, false },
	{ "count", has_count, pred_count, true },
};

enum pred_result sigpred_evaluate(const struct sigdb *db, struct csig *c,
				  const struct eval_input *in, struct sig_evaluation *ev)
{
	struct pred_call pc = { db, c, in, ev, STRBUF_INIT };
	enum pred_result res = PRED_PASS;

	ev->sig = c->sig;
	for (size_t i = 0; i < ARRAY_SIZE(predicates); i++) {
		enum pred_result r;
		if (!predicates[i].present(c->sig))
			continue;
		if (predicates[i].needs_incident && !in->inc) {
			verdict(ev, predicates[i].name, PRED_FAIL, "a boot has no incident to test");
			res = PRED_FAIL;
			break;
		}
		strbuf_reset(&pc.sb);
		r = predicates[i].eval(&pc);
		if (r == PRED_FAIL) {
			res = PRED_FAIL;
			if (!in->explain)
				break;
		} else if (r == PRED_DEFER && res == PRED_PASS) {
			res = PRED_DEFER;
		}
	}
	strbuf_release(&pc.sb);
	ev->result = res;
	return res;
}

enum pred_result sigpred_settle(const struct sigdb *db, struct csig *c,
				const struct incident *inc, struct sig_evaluation *ev)
{
	struct eval_input in = { inc, NULL, NULL, NULL, NULL, true };
	struct pred_call pc = { db, c, &in, ev, STRBUF_INIT };
	enum pred_result r = waiting_for(&pc, true);

	strbuf_release(&pc.sb);
	return r;
}
