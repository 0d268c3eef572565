/*
** ksift db: the known-bug signature database.
**   build DIR -o FILE   validate every signature file in DIR and compile them into FILE
**   export FILE -o DIR  write the signatures back as text, byte for byte
**   list | show ID      what a database holds
**   add FILE.sig        add or replace one signature (one transaction)
**   test [DIR|FILE]     every signature against its examples and
**                       counter-examples, and all of them against corpus/
*/
#define _GNU_SOURCE
#include "builtin.h"
#include "dbpath.h"
#include "options.h"
#include "textsafe.h"
#include "scan.h"
#include "sigdb.h"
#include "sigstore.h"
#include "util.h"
#include "walk.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int report_err(struct strbuf *err)
{
	if (err->len)
		error_lines(err->buf);
	return EXIT_INPUT;
}

static int db_build(const char *dir, const char *out)
{
	struct sig_set set = { 0 };
	struct strbuf err = STRBUF_INIT;
	int ret = EXIT_CLEAN;

	/* Nothing is written unless every signature is valid. */
	if (sigstore_read_dir(dir, &set, &err) < 0 || sigstore_write(out, &set, &err) < 0)
		ret = report_err(&err);
	else
		fprintf(stderr, "ksift: %zu signatures compiled into %s\n", set.nr, out);
	sig_set_release(&set);
	strbuf_release(&err);
	return ret;
}

static int db_export(const char *dbfile, const char *dir)
{
	struct sig_set set = { 0 };
	struct strbuf err = STRBUF_INIT;
	int ret = EXIT_CLEAN;

	if (sigstore_load(dbfile, &set, &err) < 0) {
		ret = report_err(&err);
		goto out;
	}
	if (mkdir(dir, 0777) < 0 && errno != EEXIST) {
		error("%s: %s", dir, strerror(errno));
		ret = EXIT_INPUT;
		goto out;
	}
	for (size_t i = 0; i < set.nr; i++) {
		char *p;
		FILE *f;
		/* The stored file name, never a path: no writes outside DIR. */
		if (strchr(set.v[i].file, '/') || set.v[i].file[0] == '.') {
			error("%s: refusing file name '%s'", dbfile, set.v[i].file);
			ret = EXIT_INPUT;
			continue;
		}
		if (asprintf(&p, "%s/%s", dir, set.v[i].file) < 0)
			die("out of memory");
		f = fopen(p, "wb");
		if (!f || fwrite(set.v[i].text, 1, set.v[i].len, f) != set.v[i].len) {
			error("%s: %s", p, strerror(errno));
			ret = EXIT_INPUT;
		}
		if (f && fclose(f)) {
			error("%s: %s", p, strerror(errno));
			ret = EXIT_INPUT;
		}
		free(p);
	}
out:
	sig_set_release(&set);
	strbuf_release(&err);
	return ret;
}

static int db_list_show(const char *dbfile, const char *id)
{
	struct sig_set set = { 0 };
	struct strbuf err = STRBUF_INIT;
	struct strbuf safe = STRBUF_INIT, safe2 = STRBUF_INIT, safe3 = STRBUF_INIT;
	int ret = id ? EXIT_INPUT : EXIT_CLEAN;

	if (sigstore_load(dbfile, &set, &err) < 0) {
		ret = report_err(&err);
		goto out;
	}
	for (size_t i = 0; i < set.nr; i++) {
		const struct signature *s = set.v[i].sig;
		if (!id) {
			printf("%-34s %-8s %s\n", text_safe(&safe, s->id),
			       s->severity ? text_safe(&safe2, s->severity) : "-",
			       text_safe(&safe3, s->title));
		} else if (!strcmp(id, s->id)) {
			strbuf_reset(&safe);
			text_escape(&safe, set.v[i].text, set.v[i].len, true);
			fwrite(safe.buf, 1, safe.len, stdout);
			ret = EXIT_CLEAN;
		}
	}
	if (id && ret)
		error("%s: no signature '%s'", dbfile, id);
out:
	sig_set_release(&set);
	strbuf_release(&err);
	strbuf_release(&safe);
	strbuf_release(&safe2);
	strbuf_release(&safe3);
	return ret;
}

static int db_add(const char *dbfile, const char *sigfile)
{
	struct sig_set set = { 0 };
	struct strbuf err = STRBUF_INIT;
	int ret = EXIT_CLEAN;

	if (sigstore_read_file(sigfile, &set, &err) < 0 || sigstore_add(dbfile, &set.v[0], &err) < 0)
		ret = report_err(&err);
	sig_set_release(&set);
	strbuf_release(&err);
	return ret;
}

/* ---- db test ----------------------------------------------------------- */

struct found {				/* signature ids a scan matched */
	char **ids;
	size_t nr, alloc;
	const struct sigdb *db;
};

static void found_add(struct found *f, const char *id)
{
	for (size_t i = 0; i < f->nr; i++)
		if (!strcmp(f->ids[i], id))
			return;
	ALLOC_GROW(f->ids, f->nr + 1, f->alloc);
	f->ids[f->nr++] = xstrdup(id);
}

static void test_annotate(void *data, struct incident *inc, const struct boot_context *ctx)
{
	sigdb_match_incident(((struct found *)data)->db, inc, ctx);
}

static void test_boot(void *data, const struct boot_context *ctx,
		      void (*add)(void *scan, struct incident *inc), void *scan)
{
	sigdb_match_boot(((struct found *)data)->db, ctx, add, scan);
}

static void test_collect(void *data, struct incident *inc)
{
	struct found *f = data;

	for (size_t i = 0; i < inc->nr_matches; i++)
		found_add(f, inc->matches[i].id);
	incident_free(inc);
}

static int scan_for_ids(const struct sigdb *db, const char *path, struct found *f)
{
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { test_collect, NULL, f };
	struct scan_stats stats;

	f->db = db;
	opts.annotate = test_annotate;
	opts.boot_records = test_boot;
	opts.annotate_data = f;
	return scan_input(path, &opts, &hooks, &stats);
}

static void found_release(struct found *f)
{
	for (size_t i = 0; i < f->nr; i++)
		free(f->ids[i]);
	free(f->ids);
	memset(f, 0, sizeof(*f));
}

static bool found_has(const struct found *f, const char *id)
{
	for (size_t i = 0; i < f->nr; i++)
		if (!strcmp(f->ids[i], id))
			return true;
	return false;
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
	for (int up = 0; up < 4; up++) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addstr(&sb, dir);
		for (int k = 0; k < up; k++)
			strbuf_addstr(&sb, "/..");
		strbuf_addf(&sb, "/%s", rel);
		p = strbuf_detach(&sb, NULL);
		if (!access(p, R_OK)) {
			free(dir);
			return p;
		}
		free(p);
	}
	free(dir);
	return NULL;
}

static bool listed_in(const struct str_list *l, const char *sigpath, const char *file)
{
	char *rf = realpath(file, NULL);
	bool yes = false;

	for (size_t i = 0; rf && i < l->nr && !yes; i++) {
		char *p = resolve_example(sigpath, l->v[i]);
		char *rp = p ? realpath(p, NULL) : NULL;
		yes = rp && !strcmp(rp, rf);
		free(p);
		free(rp);
	}
	free(rf);
	return yes;
}

static int db_test(const char *what, const char *corpus)
{
	struct sig_set set = { 0 };
	struct strbuf err = STRBUF_INIT, safe = STRBUF_INIT;
	struct stat sb;
	struct sigdb *db;
	struct walk_list files = { 0 };
	char *corpus_arg[1];
	unsigned misses = 0, unexpected = 0, checked = 0;
	int ret;

	if (stat(what, &sb) == 0 && S_ISDIR(sb.st_mode))
		ret = sigstore_read_dir(what, &set, &err);
	else
		ret = sigstore_read_file(what, &set, &err);
	if (ret < 0) {
		sig_set_release(&set);
		ret = report_err(&err);
		strbuf_release(&err);
		return ret;
	}
	/* Keep the paths: the db takes the set. */
	char **paths = xcalloc(set.nr, sizeof(char *));
	struct signature **sigs = xcalloc(set.nr, sizeof(*sigs));
	size_t nr = set.nr;
	for (size_t i = 0; i < nr; i++) {
		paths[i] = xstrdup(set.v[i].path);
		sigs[i] = set.v[i].sig;
	}
	db = sigdb_from_set(&set, &err);
	if (!db) {
		ret = report_err(&err);
		goto out;
	}
	for (size_t i = 0; i < nr; i++) {
		const struct signature *s = sigs[i];
		for (int neg = 0; neg < 2; neg++) {
			const struct str_list *l = neg ? &s->counter_examples : &s->examples;
			for (size_t e = 0; e < l->nr; e++) {
				char *p = resolve_example(paths[i], l->v[e]);
				struct found f = { 0 };
				checked++;
				if (!p) {
					printf("MISSING %s: example %s not found\n", s->id,
					       text_safe(&safe, l->v[e]));
					misses++;
					continue;
				}
				scan_for_ids(db, p, &f);
				if (!neg && !found_has(&f, s->id)) {
					printf("MISS    %s: does not match its example %s\n", s->id,
					       text_safe(&safe, p));
					misses++;
				} else if (neg && found_has(&f, s->id)) {
					printf("FALSE   %s: matches its counter-example %s\n", s->id,
					       text_safe(&safe, p));
					unexpected++;
				}
				found_release(&f);
				free(p);
			}
		}
		if (!s->examples.nr) {
			printf("MISS    %s: has no examples\n", s->id);
			misses++;
		}
	}
	/* Every corpus file: a match must be one the signature lists. */
	corpus_arg[0] = (char *)corpus;
	if (corpus && stat(corpus, &sb) == 0) {
		walk_inputs(&files, corpus_arg, 1);
		for (size_t k = 0; k < files.nr; k++) {
			struct found f = { 0 };
			scan_for_ids(db, files.paths[k], &f);
			for (size_t j = 0; j < f.nr; j++)
				for (size_t i = 0; i < nr; i++)
					if (!strcmp(sigs[i]->id, f.ids[j]) &&
					    !listed_in(&sigs[i]->examples, paths[i], files.paths[k])) {
						printf("UNEXPECTED %s: matches %s, which is not among its examples\n",
						       f.ids[j], text_safe(&safe, files.paths[k]));
						unexpected++;
					}
			found_release(&f);
		}
	}
	printf("db test: %zu signatures, %u example checks, %zu corpus files: "
	       "%u misses, %u unexpected matches\n", nr, checked, files.nr, misses, unexpected);
	ret = misses || unexpected ? EXIT_FOUND : EXIT_CLEAN;
out:
	walk_list_release(&files);
	sigdb_close(db);
	for (size_t i = 0; i < nr; i++)
		free(paths[i]);
	free(paths);
	free(sigs);
	strbuf_release(&err);
	strbuf_release(&safe);
	return ret;
}

/* What the db subcommands' options set. */
struct db_args {
	const char *dbfile, *out, *corpus;
};

enum db_sub { DB_BUILD, DB_EXPORT, DB_LIST, DB_SHOW, DB_ADD, DB_TEST };

static const char db_which[] =
	"The database is --db FILE, else $KSIFT_DB, else the one built from\n"
	"signatures/ (signatures/ksift.db in the build tree, or the installed copy).\n"
	"Signature format: signatures/README.md.\n";

static void db_usage(FILE *out)
{
	fputs("usage: ksift db build DIR -o FILE\n"
	      "       ksift db export FILE -o DIR\n"
	      "       ksift db list [--db FILE]\n"
	      "       ksift db show ID [--db FILE]\n"
	      "       ksift db add SIGFILE [--db FILE]\n"
	      "       ksift db test [DIR|SIGFILE] [--corpus DIR]\n"
	      "\n'ksift db COMMAND --help' describes one.\n", out);
	fputs(db_which, out);
}

int cmd_db(int argc, char **argv)
{
	struct db_args a = { 0 };
	const struct option_spec out_dir[] = {
		OPT_STRING("output", 'o', &a.out, "DIR", "where the .sig files go"), OPT_END() };
	const struct option_spec out_file[] = {
		OPT_STRING("output", 'o', &a.out, "FILE", "the database to write"), OPT_END() };
	const struct option_spec db_only[] = {
		OPT_STRING("db", 0, &a.dbfile, "FILE", "the signature database"), OPT_END() };
	const struct option_spec corpus[] = {
		OPT_STRING("corpus", 0, &a.corpus, "DIR",
			   "the logs every signature is run against\n"
			   "(default: corpus/ of the source tree)"),
		OPT_END() };
	const struct command_spec subs[] = {
		[DB_BUILD] = { .name = "db build", .synopsis = "DIR -o FILE", .options = out_file,
			       .description = "Validate every signature file in DIR and compile them into FILE;\n"
					      "nothing is written unless all are valid.\n",
			       .min_operands = 1, .max_operands = 1 },
		[DB_EXPORT] = { .name = "db export", .synopsis = "FILE -o DIR", .options = out_dir,
				.description = "Write the signatures of FILE back as text, byte for byte.\n",
				.min_operands = 1, .max_operands = 1 },
		[DB_LIST] = { .name = "db list", .synopsis = "[--db FILE]", .options = db_only,
			      .description = "One line per signature: id, kinds, title.\n",
			      .footer = db_which, .min_operands = 0, .max_operands = 0 },
		[DB_SHOW] = { .name = "db show", .synopsis = "ID [--db FILE]", .options = db_only,
			      .description = "One signature in full.\n", .footer = db_which,
			      .min_operands = 1, .max_operands = 1 },
		[DB_ADD] = { .name = "db add", .synopsis = "SIGFILE [--db FILE]", .options = db_only,
			     .description = "Add or replace one signature (one transaction).\n",
			     .footer = db_which, .min_operands = 1, .max_operands = 1 },
		[DB_TEST] = { .name = "db test", .synopsis = "[DIR|SIGFILE] [--corpus DIR]",
			      .options = corpus,
			      .description = "Run every signature against its examples and counter-examples,\n"
					     "and all of them against the corpus (default DIR: the shipped\n"
					     "signatures/bugs).\n",
			      .footer = "Exit status: 0 all pass, 1 a miss or an unexpected match, 2 usage\n"
					"or input error.\n",
			      .min_operands = 0, .max_operands = 1 },
	};
	static const char *const names[] = {
		[DB_BUILD] = "build", [DB_EXPORT] = "export", [DB_LIST] = "list",
		[DB_SHOW] = "show", [DB_ADD] = "add", [DB_TEST] = "test",
	};
	char *defdb = NULL;
	size_t sub;
	int first, ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		db_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_INPUT : EXIT_CLEAN;
	}
	for (sub = 0; sub < ARRAY_SIZE(names) && strcmp(argv[1], names[sub]); sub++)
		;
	if (sub == ARRAY_SIZE(names)) {
		error("db: '%s' is not a db command", argv[1]);
		db_usage(stderr);
		return EXIT_INPUT;
	}
	first = options_parse(&subs[sub], argc - 1, argv + 1, &ret);
	if (first < 0)
		return ret;
	first++;	/* an index into argv again */
	if ((sub == DB_BUILD || sub == DB_EXPORT) && !a.out) {
		error("db %s: -o is required", names[sub]);
		options_usage(&subs[sub], stderr);
		return EXIT_INPUT;
	}
	if (!a.dbfile && (sub == DB_LIST || sub == DB_SHOW || sub == DB_ADD)) {
		defdb = dbpath_default();
		a.dbfile = defdb;
		if (!a.dbfile) {
			error("db %s: no database: give --db FILE or set KSIFT_DB", names[sub]);
			return EXIT_INPUT;
		}
	}
	switch ((enum db_sub)sub) {
	case DB_BUILD: ret = db_build(argv[first], a.out); break;
	case DB_EXPORT: ret = db_export(argv[first], a.out); break;
	case DB_LIST: ret = db_list_show(a.dbfile, NULL); break;
	case DB_SHOW: ret = db_list_show(a.dbfile, argv[first]); break;
	case DB_ADD: ret = db_add(a.dbfile, argv[first]); break;
	case DB_TEST:
		ret = db_test(first < argc ? argv[first] : KSIFT_SRCDIR "/signatures/bugs",
			      a.corpus ? a.corpus : KSIFT_SRCDIR "/corpus");
		break;
	}
	free(defdb);
	return ret;
}
