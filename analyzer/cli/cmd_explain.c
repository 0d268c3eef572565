/*
** ksift explain LOG: why each incident matches the known bugs it matches,
** and why the closest other signatures do not — the first predicate that
** failed and its reason (for frames: the pattern element that found no
** frame and where the alignment stopped). --signature ID shows every
** predicate of one signature.
*/
#include "builtin.h"
#include "dbpath.h"
#include "options.h"
#include "release.h"
#include "report.h"
#include "sigscan.h"
#include "textsafe.h"
#include "util.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct explain_state {
	const struct sigdb *db;
	unsigned long n, only, closest;
	const char *signature;
	bool found_signature;
};

static void safe(const char *s)
{
	if (s)
		text_printf(stdout, "%s", s);
}

static const char *result_name(enum pred_result r)
{
	return r == PRED_PASS ? "pass" : r == PRED_FAIL ? "FAIL" : "pending";
}

static void print_verdicts(const struct sig_evaluation *ev, bool failures_only)
{
	for (size_t i = 0; i < ev->nr; i++) {
		const struct sig_verdict *v = &ev->v[i];
		if (failures_only && v->result == PRED_PASS)
			continue;
		text_printf(stdout, "      %-12s %-5s ", v->predicate, result_name(v->result));
		if (v->line)
			text_printf(stdout, "line %lu: ", v->line);
		safe(v->detail);
		putchar('\n');
	}
}

static void print_lifecycle(const struct signature *s)
{
	if (!signature_is_active(s)) {
		text_printf(stdout, " (retired");
		if (s->superseded_by) {
			text_printf(stdout, ", superseded by ");
			safe(s->superseded_by);
		}
		text_printf(stdout, ")");
	}
}

/* Near misses first: most predicates holding, fewest failing. */
static int cmp_near(const void *a, const void *b)
{
	const struct sig_evaluation *x = *(const struct sig_evaluation *const *)a;
	const struct sig_evaluation *y = *(const struct sig_evaluation *const *)b;
	double fx = (double)x->passed / (double)(x->passed + x->failed);
	double fy = (double)y->passed / (double)(y->passed + y->failed);

	if (fx != fy)
		return fx > fy ? -1 : 1;
	if (x->passed != y->passed)
		return x->passed > y->passed ? -1 : 1;
	return strcmp(x->sig->id, y->sig->id);
}

static void explain_one(struct explain_state *st, const struct incident *inc,
			const struct sig_evaluation *ev)
{
	size_t nr = sigdb_size(st->db), nr_near = 0;
	struct release_stream rs;
	const struct sig_evaluation **near = xcalloc(nr ? nr : 1, sizeof(*near));

	text_printf(stdout, "#%lu ", st->n);
	safe(inc->title ? inc->title : "?");
	text_printf(stdout, "  [%s]\n  where:  ", incident_kind_name(inc->kind));
	safe(inc->source.path);
	text_printf(stdout, ":%lu-%lu\n", inc->source.line, inc->source.end_line);
	if (inc->kernel.release) {
		text_printf(stdout, "  kernel: ");
		safe(inc->kernel.release);
		if (inc->kernel.build) {
			text_printf(stdout, " #");
			safe(inc->kernel.build);
		}
		if (release_identify(inc->kernel.release, inc->kernel.build, &rs)) {
			text_printf(stdout, " (");
			safe(rs.name);
			if (rs.version[0]) {
				putchar(' ');
				safe(rs.version);
			}
			putchar(')');
		}
		putchar('\n');
	}
	if (st->signature) {
		for (size_t i = 0; i < nr; i++) {
			if (strcmp(ev[i].sig->id, st->signature))
				continue;
			text_printf(stdout, "  %s: %s", st->signature, ev[i].result == PRED_PASS ? "matches" :
			       "does not match");
			print_lifecycle(ev[i].sig);
			text_printf(stdout, "\n");
			print_verdicts(&ev[i], false);
		}
		putchar('\n');
		free(near);
		return;
	}
	if (inc->nr_matches) {
		struct strbuf sb = STRBUF_INIT;
		text_printf(stdout, "  matches:\n");
		for (size_t i = 0; i < inc->nr_matches; i++)
			report_text_match(&sb, &inc->matches[i], "", "");
		fwrite(sb.buf, 1, sb.len, stdout);
		strbuf_release(&sb);
	} else {
		text_printf(stdout, "  matches no known bug\n");
	}
	for (size_t i = 0; i < nr; i++) {
		bool matched = false;
		for (size_t k = 0; k < inc->nr_matches && !matched; k++)
			matched = !strcmp(inc->matches[k].id, ev[i].sig->id);
		if (!matched && ev[i].passed && ev[i].nr)
			near[nr_near++] = &ev[i];
	}
	qsort(near, nr_near, sizeof(*near), cmp_near);
	if (nr_near)
		text_printf(stdout, "  closest that do not match:\n");
	for (size_t i = 0; i < nr_near && i < st->closest; i++) {
		const struct sig_verdict *f = sig_evaluation_first_failure(near[i]);
		text_printf(stdout, "    ");
		safe(near[i]->sig->id);
		text_printf(stdout, " — %zu of %zu predicates hold", near[i]->passed,
		       near[i]->passed + near[i]->failed);
		print_lifecycle(near[i]->sig);
		if (!f && !signature_is_active(near[i]->sig))
			text_printf(stdout, ": it would match, but it is retired");
		putchar('\n');
		if (f) {
			text_printf(stdout, "      first failure: %s: ", f->predicate);
			safe(f->detail);
			putchar('\n');
		}
		for (size_t k = 0; k < near[i]->nr; k++)
			if (near[i]->v[k].result == PRED_PASS) {
				text_printf(stdout, "      holds: %s: ", near[i]->v[k].predicate);
				if (near[i]->v[k].line)
					text_printf(stdout, "line %lu: ", near[i]->v[k].line);
				safe(near[i]->v[k].detail);
				putchar('\n');
			}
	}
	if (nr_near > st->closest)
		text_printf(stdout, "    … %zu more with some predicate holding (--closest N)\n",
		       nr_near - st->closest);
	putchar('\n');
	free(near);
}

static void on_incident(void *data, struct incident *inc, struct sig_evaluation *ev)
{
	struct explain_state *st = data;

	st->n++;
	if (!st->only || st->n == st->only)
		explain_one(st, inc, ev);
	sigdb_evaluations_free(ev, sigdb_size(st->db));
	incident_free(inc);
}

int cmd_explain(int argc, char **argv)
{
	struct explain_state st = { NULL, 0, 0, 3, NULL, false };
	struct sigscan_options o = { NULL, true, false, NULL };
	bool no_group = false;
	const char *dbfile = NULL;
	const struct option_spec options[] = {
		OPT_ULONG("id", 0, &st.only, "N", 1, ULONG_MAX,
			  "only the N-th incident (numbered as in ksift show)"),
		OPT_STRING("signature", 0, &st.signature, "ID", "every predicate of this signature, pass or fail"),
		OPT_ULONG("closest", 0, &st.closest, "N", 0, ULONG_MAX,
			  "how many near misses to show (default 3)"),
		OPT_STRING("db", 0, &dbfile, "FILE|DIR",
			   "signatures: a compiled database, a directory of\n.sig files or one (default: $KSIFT_DB, else the\nbuilt one)"),
		OPT_FLAG("no-group", 0, &no_group, "every report of a flood on its own"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "explain",
		.synopsis = "[--id N] [--signature ID] [--closest N] [--db FILE] [--no-group] LOG",
		.description = "For each incident of LOG: the known bugs it matches with their evidence,\n"
			       "and the signatures that came closest without matching, with the first\n"
			       "predicate that failed and why (for frames: the pattern element that\n"
			       "found no frame and where the alignment stopped).\n",
		.options = options,
		.footer = "Exit status: 0 no incident, 1 incidents found, 2 usage or input error.\n",
		.min_operands = 1, .max_operands = 1,
	};
	struct sigscan_stats stats;
	struct strbuf err = STRBUF_INIT;
	struct sigdb *db;
	char *def = NULL;
	int first, ret;

	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	o.no_group = no_group;
	if (!dbfile)
		dbfile = def = dbpath_default();
	if (!dbfile) {
		error("explain: no signature database: give --db FILE or set KSIFT_DB");
		return EXIT_INPUT;
	}
	db = dbpath_open(dbfile, &err);
	if (!db) {
		error_lines(err.buf);
		strbuf_release(&err);
		free(def);
		return EXIT_INPUT;
	}
	if (st.signature && !sigdb_find(db, st.signature)) {
		error("%s: no signature '%s'", dbfile, st.signature);
		sigdb_close(db);
		strbuf_release(&err);
		free(def);
		return EXIT_INPUT;
	}
	st.db = o.db = db;
	ret = sigscan_file(argv[first], &o, on_incident, &st, &stats);
	if (!stats.incidents)
		text_printf(stdout, "no kernel incident in %s (%lu lines)\n", argv[first], stats.lines);
	else if (st.only > stats.incidents)
		text_printf(stdout, "no incident #%lu: %s has %lu\n", st.only, argv[first], stats.incidents);
	sigdb_close(db);
	strbuf_release(&err);
	free(def);
	return ret < 0 ? EXIT_INPUT : stats.incidents ? EXIT_FOUND : EXIT_CLEAN;
}
