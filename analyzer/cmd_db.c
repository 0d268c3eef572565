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
#include "scan.h"
#include "sigdb.h"
#include "sigstore.h"
#include "util.h"
#include "walk.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char db_usage[] =
	"usage: ksift db build DIR|SIGFILE -o FILE\n"
	"       ksift db export FILE -o DIR\n"
	"       ksift db list [--db FILE]\n"
	"       ksift db show ID [--db FILE]\n"
	"       ksift db add SIGFILE [--db FILE]\n"
	"       ksift db test [DIR|SIGFILE] [--corpus DIR] [-v]\n"
	"       ksift db review ARCHIVE|RESULTS.db [--db FILE] [--json]\n"
	"       ksift db diff OLD NEW --archive PATH\n"
	"\n"
	"The database is --db FILE, else $KSIFT_DB, else the one built from\n"
	"signatures/ (signatures/ksift.db in the build tree, or the installed copy).\n"
	"db test without DIR looks for signatures/bugs or signatures/ here and in\n"
	"the parent directories up to the repository root; its corpus is --corpus\n"
	"DIR or corpus/ next to the signatures (found the same way).\n"
	"OLD and NEW are signature directories, .sig files or compiled databases.\n"
	"Signature format: signatures/README.md.\n";

static int report_err(struct strbuf *err)
{
	if (err->len)
		fputs(err->buf, stderr);
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
	int ret = id ? EXIT_INPUT : EXIT_CLEAN;

	if (sigstore_load(dbfile, &set, &err) < 0) {
		ret = report_err(&err);
		goto out;
	}
	for (size_t i = 0; i < set.nr; i++) {
		const struct signature *s = set.v[i].sig;
		if (!id) {
			printf("%-34s %-8s %s\n", s->id, s->severity ? s->severity : "-", s->title);
		} else if (!strcmp(id, s->id)) {
			fwrite(set.v[i].text, 1, set.v[i].len, stdout);
			ret = EXIT_CLEAN;
		}
	}
	if (id && ret)
		error("%s: no signature '%s'", dbfile, id);
out:
	sig_set_release(&set);
	strbuf_release(&err);
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

struct sigdb *db_load_any(const char *what, struct strbuf *err)
{
	struct sig_set set = { 0 };
	struct stat sb;
	size_t n = strlen(what);
	int ret;

	if (stat(what, &sb) == 0 && S_ISDIR(sb.st_mode))
		ret = sigstore_read_dir(what, &set, err);
	else if (n > 4 && !strcmp(what + n - 4, ".sig"))
		ret = sigstore_read_file(what, &set, err) < 0 ? -1 : sig_set_check(&set, err);
	else
		ret = sigstore_load(what, &set, err);
	if (ret < 0) {
		sig_set_release(&set);
		return NULL;
	}
	return sigdb_from_set(&set, err);
}

int cmd_db(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "archive", required_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbfile = NULL, *out = NULL, *corpus = NULL, *archive = NULL, *sub;
	bool verbose = false, json = false;
	char *defdb = NULL;
	int c, ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(db_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_INPUT : EXIT_CLEAN;
	}
	sub = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:hv", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dbfile = optarg; break;
		case 'o': out = optarg; break;
		case 'c': corpus = optarg; break;
		case 'a': archive = optarg; break;
		case 'v': verbose = true; break;
		case 'J': json = true; break;
		case 'h': fputs(db_usage, stdout); return EXIT_CLEAN;
		default: fputs(db_usage, stderr); return EXIT_INPUT;
		}
	}
	if (!dbfile && strcmp(sub, "build") && strcmp(sub, "test") &&
	    strcmp(sub, "export") && strcmp(sub, "diff")) {
		defdb = dbpath_default();
		dbfile = defdb;
		if (!dbfile) {
			error("db %s: no database: give --db FILE or set KSIFT_DB", sub);
			return EXIT_INPUT;
		}
	}
	if (!strcmp(sub, "build") && optind == argc - 1 && out)
		ret = db_build(argv[optind], out);
	else if (!strcmp(sub, "export") && optind == argc - 1 && out)
		ret = db_export(argv[optind], out);
	else if (!strcmp(sub, "list") && optind == argc)
		ret = db_list_show(dbfile, NULL);
	else if (!strcmp(sub, "show") && optind == argc - 1)
		ret = db_list_show(dbfile, argv[optind]);
	else if (!strcmp(sub, "add") && optind == argc - 1)
		ret = db_add(dbfile, argv[optind]);
	else if (!strcmp(sub, "test") && optind >= argc - 1)
		ret = db_test(optind < argc ? argv[optind] : NULL, corpus, verbose);
	else if (!strcmp(sub, "review") && optind == argc - 1)
		ret = db_review(argv[optind], dbfile, json);
	else if (!strcmp(sub, "diff") && optind == argc - 2 && archive)
		ret = db_diff(argv[optind], argv[optind + 1], archive);
	else {
		fputs(db_usage, stderr);
		ret = EXIT_INPUT;
	}
	free(defdb);
	return ret;
}
