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
#include "cmd_db.h"
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

	struct stat sb;
	bool is_dir = !stat(dir, &sb) && S_ISDIR(sb.st_mode);

	/* Nothing is written unless every signature is valid. */
	if ((is_dir ? sigstore_read_dir(dir, &set, &err) :
	     sigstore_read_file(dir, &set, &err) < 0 ? -1 : sig_set_check(&set, &err)) < 0 ||
	    sigstore_write(out, &set, &err) < 0)
		ret = report_err(&err);
	else
		fprintf(stderr, "ksift: %zu signatures compiled into %s\n", set.nr, out);
	sig_set_release(&set);
	strbuf_release(&err);
	return ret;
}

/* "net/x.sig": every part a plain name (no "", ".", "..", no leading '/'). */
static bool safe_relpath(const char *rel)
{
	const char *p = rel;

	if (!*rel || *rel == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");
		if (!n || p[0] == '.')
			return false;
		p += n;
		if (*p == '/')
			p++;
	}
	return true;
}

/* The directories of rel under dir (rel is safe_relpath()). */
static void make_parents(const char *dir, const char *rel)
{
	for (const char *s = strchr(rel, '/'); s; s = strchr(s + 1, '/')) {
		char *p;
		if (asprintf(&p, "%s/%.*s", dir, (int)(s - rel), rel) < 0)
			die("out of memory");
		mkdir(p, 0777);
		free(p);
	}
}

static int write_file(const char *dir, const char *name, const char *text, size_t len)
{
	char *p;
	FILE *f;
	int ret = 0;

	if (asprintf(&p, "%s/%s", dir, name) < 0)
		die("out of memory");
	f = fopen(p, "wb");
	if (!f || fwrite(text, 1, len, f) != len)
		ret = -1;
	if (f && fclose(f))
		ret = -1;
	if (ret)
		error("%s: %s", p, strerror(errno));
	free(p);
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
		/* A relative path without "." or ".." parts: no writes outside DIR. */
		if (!safe_relpath(set.v[i].file)) {
			error("%s: refusing file name '%s'", dbfile, set.v[i].file);
			ret = EXIT_INPUT;
			continue;
		}
		if (asprintf(&p, "%s/%s", dir, set.v[i].file) < 0)
			die("out of memory");
		make_parents(dir, set.v[i].file);
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
	if (set.aliases_text && write_file(dir, "aliases", set.aliases_text, set.aliases_len) < 0)
		ret = EXIT_INPUT;
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

/* What the db subcommands' options set. */
struct db_args {
	const char *dbfile, *out, *corpus, *archive;
	bool verbose, json;
};

enum db_sub { DB_BUILD, DB_EXPORT, DB_LIST, DB_SHOW, DB_ADD, DB_TEST, DB_REVIEW, DB_DIFF };

static const char db_which[] =
	"The database is --db FILE, else $KSIFT_DB, else the one built from\n"
	"signatures/ (signatures/ksift.db in the build tree, or the installed copy).\n"
	"Signature format: ksift.sig(5) (signatures/ksift.sig.5 in the source).\n";

static void db_usage(FILE *out)
{
	fputs("usage: ksift db build DIR|SIGFILE -o FILE\n"
	      "       ksift db export FILE -o DIR\n"
	      "       ksift db list [--db FILE]\n"
	      "       ksift db show ID [--db FILE]\n"
	      "       ksift db add SIGFILE [--db FILE]\n"
	      "       ksift db test [DIR|SIGFILE] [--corpus DIR] [-v]\n"
	      "       ksift db review ARCHIVE|RESULTS.db [--db FILE|DIR] [--json]\n"
	      "       ksift db diff OLD NEW --archive ARCHIVE|RESULTS.db\n"
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
	const struct option_spec test_opts[] = {
		OPT_STRING("corpus", 0, &a.corpus, "DIR",
			   "the logs every signature is run against (default:\n"
			   "corpus/ next to the signatures, see below)"),
		OPT_FLAG("verbose", 'v', &a.verbose,
			 "for every example and counter-example, the predicates\nthat decided"),
		OPT_END() };
	const struct option_spec review_opts[] = {
		OPT_STRING("db", 0, &a.dbfile, "FILE",
			   "the signatures: a database, a directory of .sig\nfiles or one file"),
		OPT_FLAG("json", 0, &a.json, "one JSON object instead of text"),
		OPT_END() };
	const struct option_spec diff_opts[] = {
		OPT_STRING("archive", 0, &a.archive, "PATH",
			   "logs (files, directories) or a results database"),
		OPT_END() };
	const struct command_spec subs[] = {
		[DB_BUILD] = { .name = "db build", .synopsis = "DIR|SIGFILE -o FILE", .options = out_file,
			       .description = "Validate every signature file under DIR (subdirectories too, and the\n"
					      "aliases file in DIR or its parent) and compile them into FILE;\n"
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
		[DB_TEST] = { .name = "db test", .synopsis = "[DIR|SIGFILE] [--corpus DIR] [-v]",
			      .options = test_opts,
			      .description = "Run every signature against its examples, fixed-examples and\n"
					     "counter-examples, and all of them against the corpus.\n",
			      .footer = "Without DIR: signatures/bugs or signatures/ in this directory or the\n"
					"nearest parent, up to the repository root (the directory holding .git).\n"
					"Without --corpus: corpus/ next to the signatures, found the same way.\n"
					"Exit status: 0 all pass, 1 a miss, an unexpected match, an empty\n"
					"counter-example or an incident two signatures match; 2 usage or input\n"
					"error.\n",
			      .min_operands = 0, .max_operands = 1 },
		[DB_REVIEW] = { .name = "db review", .synopsis = "ARCHIVE|RESULTS.db [--db FILE] [--json]",
				.options = review_opts,
				.description = "Per signature its matches over an archive (incidents, hosts, first and\n"
					       "last seen), the incidents it shares with another signature, the\n"
					       "signatures that never match, and for each unknown cluster the nearest\n"
					       "signature. A results database is matched again from its records.\n",
				.footer = "Exit status: 0, 1 when a signature never matches or an incident has\n"
					  "two unrelated matches, 2 usage or input error.\n",
				.min_operands = 1, .max_operands = 1 },
		[DB_DIFF] = { .name = "db diff", .synopsis = "OLD NEW --archive PATH", .options = diff_opts,
			      .description = "What changing the signatures from OLD to NEW (directories, .sig\n"
					     "files or databases) does to the archive's matches: added, lost,\n"
					     "fix status changed.\n",
			      .min_operands = 2, .max_operands = 2 },
	};
	static const char *const names[] = {
		[DB_BUILD] = "build", [DB_EXPORT] = "export", [DB_LIST] = "list",
		[DB_SHOW] = "show", [DB_ADD] = "add", [DB_TEST] = "test",
		[DB_REVIEW] = "review", [DB_DIFF] = "diff",
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
	if (sub == DB_DIFF && !a.archive) {
		error("db diff: --archive is required");
		options_usage(&subs[sub], stderr);
		return EXIT_INPUT;
	}
	if (!a.dbfile && (sub == DB_LIST || sub == DB_SHOW || sub == DB_ADD || sub == DB_REVIEW)) {
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
	case DB_TEST: ret = db_test(first < argc ? argv[first] : NULL, a.corpus, a.verbose); break;
	case DB_REVIEW: ret = db_review(argv[first], a.dbfile, a.json); break;
	case DB_DIFF: ret = db_diff(argv[first], argv[first + 1], a.archive); break;
	}
	free(defdb);
	return ret;
}
