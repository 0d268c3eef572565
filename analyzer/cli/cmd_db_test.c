/*
** ksift db test [DIR|SIGFILE] [--corpus DIR] [-v]: every signature against
** its examples (must match), fixed-examples (must match, with fix status
** "fixed") and counter-examples (must not match, and must hold an incident
** of the signature's kinds: a counter-example with nothing to match tests
** nothing), then all of them against every file of the corpus: a match on a
** file that is not among the signature's examples is reported, and so is an
** incident two unrelated signatures both match.
**
** Where things are found (and said in the first line of output):
**   signatures  DIR or SIGFILE; without one, signatures/bugs or signatures/
**               in the current directory or the nearest parent, up to the
**               repository root (the directory holding .git);
**   corpus      --corpus DIR (which must exist); without one, corpus/ in the
**               signatures' directory or the nearest parent, up to the
**               repository root. None found: only the examples are tested.
*/
#define _GNU_SOURCE
#include "builtin.h"
#include "cmd_db.h"
#include "sigscan.h"
#include "sigstore.h"
#include "textsafe.h"
#include "util.h"
#include "walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_dir(const char *p)
{
	struct stat sb;

	return !stat(p, &sb) && S_ISDIR(sb.st_mode);
}

static char *join_path(const char *a, const char *b)
{
	char *p;

	if (asprintf(&p, "%s/%s", a, b) < 0)
		die("out of memory");
	return p;
}

/* Under the current directory: the path from it, as the user would type it. */
static char *relative_to_cwd(char *p)
{
	char *cwd = realpath(".", NULL);
	size_t n = cwd ? strlen(cwd) : 0;

	if (cwd && !strncmp(p, cwd, n) && p[n] == '/') {
		char *rel = xstrdup(p + n + 1);
		free(p);
		p = rel;
	}
	free(cwd);
	return p;
}

char *db_find_upward(const char *start, const char *const *names, size_t nr,
		     struct strbuf *looked)
{
	char *dir = realpath(start, NULL);

	for (int depth = 0; dir && depth < 16; depth++) {
		char *git = join_path(dir, ".git"), *slash;
		bool root;
		for (size_t i = 0; i < nr; i++) {
			char *cand = join_path(dir, names[i]);
			if (looked)
				strbuf_addf(looked, "%s%s", looked->len ? ", " : "", cand);
			if (is_dir(cand)) {
				free(git);
				free(dir);
				return relative_to_cwd(cand);
			}
			free(cand);
		}
		root = !access(git, F_OK);
		free(git);
		slash = strrchr(dir, '/');
		if (root || !slash || slash == dir)
			break;
		*slash = '\0';
	}
	free(dir);
	return NULL;
}

/* What one scan of a file found, per incident (after grouping). */
struct found_inc {
	enum incident_kind kind;
	char *title;
	unsigned long line;
	char **ids;		/* matched signatures */
	char **status;		/* their fix status */
	size_t nr;
};

struct found {
	struct found_inc *v;
	size_t nr, alloc;
	unsigned long boots;
};

static void collect(void *data, struct incident *inc, struct sig_evaluation *ev)
{
	struct found *f = data;
	struct found_inc *fi;

	(void)ev;
	ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	fi = &f->v[f->nr++];
	fi->kind = inc->kind;
	fi->title = xstrdup(inc->title ? inc->title : "?");
	fi->line = inc->source.line;
	fi->nr = inc->nr_matches;
	fi->ids = xcalloc(fi->nr ? fi->nr : 1, sizeof(char *));
	fi->status = xcalloc(fi->nr ? fi->nr : 1, sizeof(char *));
	for (size_t i = 0; i < inc->nr_matches; i++) {
		fi->ids[i] = xstrdup(inc->matches[i].id);
		fi->status[i] = xstrdup(inc->matches[i].fix_status ? inc->matches[i].fix_status : "");
	}
	incident_free(inc);
}

static void found_release(struct found *f)
{
	for (size_t i = 0; i < f->nr; i++) {
		for (size_t k = 0; k < f->v[i].nr; k++) {
			free(f->v[i].ids[k]);
			free(f->v[i].status[k]);
		}
		free(f->v[i].ids);
		free(f->v[i].status);
		free(f->v[i].title);
	}
	free(f->v);
	memset(f, 0, sizeof(*f));
}

static int scan_found(const struct sigdb *db, const char *path, struct found *f)
{
	struct sigscan_options o = { db, false, false, NULL };
	struct sigscan_stats st;
	int ret = sigscan_file(path, &o, collect, f, &st);

	f->boots = st.boots;
	return ret;
}

/* The fix status of signature id's match of incident i, or NULL: no match. */
static const char *match_of(const struct found_inc *i, const char *id)
{
	for (size_t k = 0; k < i->nr; k++)
		if (!strcmp(i->ids[k], id))
			return i->status[k];
	return NULL;
}

static bool has_kind(const struct signature *s, enum incident_kind k)
{
	if (!s->nr_kinds)
		return k != KIND_CONDITION;
	for (size_t i = 0; i < s->nr_kinds; i++)
		if (s->kinds[i] == k)
			return true;
	return false;
}

/* "a/b/../../c" → "c", "./x" → "x": the path as a person would write it. */
static char *tidy_path(char *p)
{
	char **part = xcalloc(strlen(p) + 1, sizeof(*part)), *save, *tok;
	size_t n = 0;
	bool abs = p[0] == '/';
	struct strbuf sb = STRBUF_INIT;

	for (tok = strtok_r(p, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..") && n && strcmp(part[n - 1], ".."))
			n--;
		else
			part[n++] = tok;
	}
	if (abs)
		strbuf_addch(&sb, '/');
	for (size_t i = 0; i < n; i++)
		strbuf_addf(&sb, "%s%s", i ? "/" : "", part[i]);
	if (!sb.len)
		strbuf_addch(&sb, '.');
	free(part);
	free(p);
	return strbuf_detach(&sb, NULL);
}

/*
 * An example path is relative to the signature file's directory or to one
 * above it (so "corpus/signatures/x.log" works from signatures/bugs/).
 */
static char *resolve_example(const char *sigpath, const char *rel)
{
	char *dir = xstrdup(sigpath), *slash, *p;

	if (rel[0] == '/')
		return xstrdup(rel);
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	for (int up = 0; up < 5; up++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, dir);
		for (int k = 0; k < up; k++)
			strbuf_addstr(&sb, "/..");
		strbuf_addf(&sb, "/%s", rel);
		p = strbuf_detach(&sb, NULL);
		if (!access(p, R_OK)) {
			free(dir);
			return tidy_path(p);
		}
		free(p);
	}
	free(dir);
	return NULL;
}

static bool listed_in(const struct str_list *l, const char *sigpath, const char *rf)
{
	bool yes = false;

	for (size_t i = 0; rf && i < l->nr && !yes; i++) {
		char *p = resolve_example(sigpath, l->v[i]);
		char *rp = p ? realpath(p, NULL) : NULL;
		yes = rp && !strcmp(rp, rf);
		free(p);
		free(rp);
	}
	return yes;
}

struct tester {
	const struct sigdb *db;
	struct signature **sigs;
	char **paths;
	size_t nr;
	bool verbose;
	unsigned misses, unexpected, empty, overlaps, checked;
};

/* Why a signature does not match any incident of a file: its nearest miss. */
struct near {
	const char *id;
	size_t nr_sigs;
	size_t best_passed;
	struct strbuf why;
	bool any;
	bool verbose_all;		/* -v: every incident's deciding predicate */
	const struct signature *sig;
};

static void nearest(void *data, struct incident *inc, struct sig_evaluation *ev)
{
	struct near *n = data;

	for (size_t i = 0; ev && i < n->nr_sigs; i++) {
		const struct sig_verdict *f;
		if (strcmp(ev[i].sig->id, n->id))
			continue;
		f = sig_evaluation_first_failure(&ev[i]);
		if (n->verbose_all && has_kind(n->sig, inc->kind)) {
			text_printf(stdout, "          line %lu '%s': ", inc->source.line, inc->title ? inc->title : "?");
			if (f)
				text_printf(stdout, "%s fails: %s\n", f->predicate, f->detail ? f->detail : "");
			else
				text_printf(stdout, "matches\n");
		}
		if (f && (!n->any || ev[i].passed > n->best_passed)) {
			n->any = true;
			n->best_passed = ev[i].passed;
			strbuf_reset(&n->why);
			strbuf_addf(&n->why, "nearest: line %lu '%s': %s: %s", inc->source.line,
				    inc->title ? inc->title : "?", f->predicate, f->detail ? f->detail : "");
		}
		break;
	}
	sigdb_evaluations_free(ev, n->nr_sigs);
	incident_free(inc);
}

/* A miss says why: the incident of the file that came closest, and its first failure. */
static void explain_file(const struct tester *t, const struct signature *s, const char *path,
			 bool all)
{
	struct sigscan_options o = { t->db, true, false, NULL };
	struct sigscan_stats st;
	struct near n = { s->id, sigdb_size(t->db), 0, STRBUF_INIT, false, all, s };

	sigscan_file(path, &o, nearest, &n, &st);
	if (!all)
		text_printf(stdout, "          %s\n", n.any ? n.why.buf : st.incidents ?
		       "no incident of the signature's kinds" : "the file holds no incident");
	strbuf_release(&n.why);
}

/* -v: what decided a match: the evidence of each predicate. */
struct evidence_ctx {
	const char *id;
};

static void show_evidence(void *data, struct incident *inc, struct sig_evaluation *ev)
{
	const struct evidence_ctx *x = data;

	(void)ev;
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		if (strcmp(m->id, x->id))
			continue;
		text_printf(stdout, "          line %lu '%s' (fix status %s):\n", inc->source.line,
		       inc->title ? inc->title : "?", m->fix_status ? m->fix_status : "?");
		for (size_t e = 0; e < m->nr_evidence; e++)
			text_printf(stdout, "            %s: %s\n", m->evidence[e].predicate,
			       m->evidence[e].detail ? m->evidence[e].detail : "");
	}
	incident_free(inc);
}

static void print_evidence(const struct sigdb *db, const struct signature *s, const char *path)
{
	struct sigscan_options o = { db, false, false, NULL };
	struct sigscan_stats st;
	struct evidence_ctx x = { s->id };

	sigscan_file(path, &o, show_evidence, &x, &st);
}

enum example_role { ROLE_EXAMPLE, ROLE_FIXED, ROLE_COUNTER };

static void check_example(struct tester *t, size_t si, enum example_role role, const char *rel)
{
	const struct signature *s = t->sigs[si];
	static const char *const names[] = { "example", "fixed-example", "counter-example" };
	char *p = resolve_example(t->paths[si], rel);
	struct found f = { 0 };
	bool matched = false, fixed = true, relevant = false;

	t->checked++;
	if (!p) {
		text_printf(stdout, "MISSING %s: %s %s not found\n", s->id, names[role], rel);
		t->misses++;
		return;
	}
	scan_found(t->db, p, &f);
	for (size_t i = 0; i < f.nr; i++) {
		const char *st = match_of(&f.v[i], s->id);
		relevant |= has_kind(s, f.v[i].kind);
		if (st) {
			matched = true;
			fixed &= !strcmp(st, "fixed");
		}
	}
	if (signature_is_condition(s))
		relevant = f.boots > 0;
	if (role == ROLE_COUNTER) {
		if (matched) {
			text_printf(stdout, "FALSE   %s: matches its counter-example %s\n", s->id, p);
			print_evidence(t->db, s, p);
			t->unexpected++;
		} else if (!relevant) {
			text_printf(stdout, "EMPTY   %s: counter-example %s holds no %s of the signature's kinds: it "
			       "tests nothing\n", s->id, p, signature_is_condition(s) ?
			       "boot showing its kernel" : "incident");
			t->empty++;
		} else if (t->verbose) {
			text_printf(stdout, "ok      %s: counter-example %s does not match:\n", s->id, p);
			explain_file(t, s, p, true);
		}
	} else if (!matched) {
		text_printf(stdout, "MISS    %s: does not match its %s %s\n", s->id, names[role], p);
		explain_file(t, s, p, false);
		t->misses++;
	} else if (role == ROLE_FIXED && !fixed) {
		text_printf(stdout, "MISS    %s: matches its fixed-example %s, but not as fixed\n", s->id, p);
		print_evidence(t->db, s, p);
		t->misses++;
	} else if (t->verbose) {
		text_printf(stdout, "ok      %s: matches its %s %s\n", s->id, names[role], p);
		print_evidence(t->db, s, p);
	}
	found_release(&f);
	free(p);
}

/* Two signatures on one incident: allowed only when one says it is the other's duplicate. */
static bool related(const struct sigdb *db, const char *a, const char *b)
{
	const struct signature *x = sigdb_find(db, a), *y = sigdb_find(db, b);

	return x && y && ((x->duplicate_of && !strcmp(x->duplicate_of, b)) ||
			  (y->duplicate_of && !strcmp(y->duplicate_of, a)));
}

static void check_corpus_file(struct tester *t, const char *file)
{
	struct found f = { 0 };
	char *rf = realpath(file, NULL);

	scan_found(t->db, file, &f);
	for (size_t i = 0; i < f.nr; i++) {
		const struct found_inc *fi = &f.v[i];
		for (size_t k = 0; k < fi->nr; k++) {
			size_t si;
			for (si = 0; si < t->nr && strcmp(t->sigs[si]->id, fi->ids[k]); si++)
				;
			if (si < t->nr && !listed_in(&t->sigs[si]->examples, t->paths[si], rf) &&
			    !listed_in(&t->sigs[si]->fixed_examples, t->paths[si], rf)) {
				text_printf(stdout, "UNEXPECTED %s: matches %s:%lu, which is not among its examples\n",
				       fi->ids[k], file, fi->line);
				t->unexpected++;
			}
			for (size_t o = k + 1; o < fi->nr; o++)
				if (!related(t->db, fi->ids[k], fi->ids[o])) {
					text_printf(stdout, "OVERLAP %s and %s both match %s:%lu '%s'\n", fi->ids[k],
					       fi->ids[o], file, fi->line, fi->title);
					t->overlaps++;
				}
		}
	}
	free(rf);
	found_release(&f);
}

static int read_signatures(const char *what, struct sig_set *set, struct strbuf *err)
{
	if (is_dir(what))
		return sigstore_read_dir(what, set, err);
	if (sigstore_read_file(what, set, err) < 0)
		return -1;
	return sig_set_check(set, err);
}

int db_test(const char *what_arg, const char *corpus_arg, bool verbose)
{
	static const char *const sig_dirs[] = { "signatures/bugs", "signatures" };
	static const char *const corpus_dirs[] = { "corpus" };
	struct sig_set set = { 0 };
	struct strbuf err = STRBUF_INIT, looked = STRBUF_INIT;
	struct walk_list files = { 0 };
	struct tester t;
	struct sigdb *db = NULL;
	char *what = what_arg ? xstrdup(what_arg) : NULL, *corpus = NULL, *start;
	int ret = EXIT_INPUT;

	memset(&t, 0, sizeof(t));
	t.verbose = verbose;
	if (!what && !(what = db_find_upward(".", sig_dirs, ARRAY_SIZE(sig_dirs), &looked))) {
		error("db test: no signature directory (looked for %s); give DIR", looked.buf);
		goto out;
	}
	if (corpus_arg && !is_dir(corpus_arg)) {
		error("db test: --corpus %s: %s", corpus_arg, access(corpus_arg, F_OK) ?
		      strerror(errno) : "not a directory");
		goto out;
	}
	if (read_signatures(what, &set, &err) < 0) {
		error_lines(err.buf);
		goto out;
	}
	strbuf_reset(&looked);
	if (corpus_arg) {
		corpus = xstrdup(corpus_arg);
	} else {
		start = xstrdup(what);
		if (!is_dir(start) && strrchr(start, '/'))
			*strrchr(start, '/') = '\0';
		else if (!is_dir(start))
			strcpy(start, ".");
		corpus = db_find_upward(start, corpus_dirs, 1, &looked);
		free(start);
	}
	text_printf(stdout, "db test: %zu signatures from %s; corpus: %s%s%s\n", set.nr, what,
	       corpus ? corpus : "none", corpus_arg ? " (--corpus)" : corpus ?
	       " (found next to the signatures)" : " (looked for ", corpus || corpus_arg ?
	       "" : looked.buf);
	if (!corpus && !corpus_arg)
		text_printf(stdout, "        only examples are tested)\n");
	t.nr = set.nr;
	t.sigs = xcalloc(t.nr ? t.nr : 1, sizeof(*t.sigs));
	t.paths = xcalloc(t.nr ? t.nr : 1, sizeof(*t.paths));
	for (size_t i = 0; i < t.nr; i++) {
		t.paths[i] = xstrdup(set.v[i].path);
		t.sigs[i] = set.v[i].sig;
	}
	db = sigdb_from_set(&set, &err);
	if (!db) {
		error_lines(err.buf);
		goto out;
	}
	t.db = db;
	for (size_t i = 0; i < t.nr; i++) {
		const struct signature *s = t.sigs[i];
		if (!signature_is_active(s)) {
			if (verbose)
				text_printf(stdout, "retired %s%s%s%s: not tested\n", s->id, s->superseded_by ?
				       " (superseded by " : "", s->superseded_by ? s->superseded_by : "",
				       s->superseded_by ? ")" : "");
			continue;
		}
		for (size_t e = 0; e < s->examples.nr; e++)
			check_example(&t, i, ROLE_EXAMPLE, s->examples.v[e]);
		for (size_t e = 0; e < s->fixed_examples.nr; e++)
			check_example(&t, i, ROLE_FIXED, s->fixed_examples.v[e]);
		for (size_t e = 0; e < s->counter_examples.nr; e++)
			check_example(&t, i, ROLE_COUNTER, s->counter_examples.v[e]);
		if (!s->examples.nr) {
			text_printf(stdout, "MISS    %s: has no examples\n", s->id);
			t.misses++;
		}
	}
	if (corpus) {
		char *arg[1] = { corpus };
		walk_inputs(&files, arg, 1);
		for (size_t k = 0; k < files.nr; k++)
			check_corpus_file(&t, files.paths[k]);
	}
	text_printf(stdout, "db test: %zu signatures, %u example checks, %zu corpus files: "
	       "%u misses, %u unexpected matches, %u empty counter-examples, %u overlaps\n",
	       t.nr, t.checked, files.nr, t.misses, t.unexpected, t.empty, t.overlaps);
	ret = t.misses || t.unexpected || t.empty || t.overlaps ? EXIT_FOUND : EXIT_CLEAN;
out:
	walk_list_release(&files);
	sigdb_close(db);
	sig_set_release(&set);
	for (size_t i = 0; i < t.nr; i++)
		free(t.paths[i]);
	free(t.paths);
	free(t.sigs);
	free(what);
	free(corpus);
	strbuf_release(&err);
	strbuf_release(&looked);
	return ret;
}
