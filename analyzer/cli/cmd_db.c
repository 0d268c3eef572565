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
	"usage: ksift db build DIR -o FILE\n"
	"       ksift db export FILE -o DIR\n"
	"       ksift db list [--db FILE]\n"
	"       ksift db show ID [--db FILE]\n"
	"       ksift db add SIGFILE [--db FILE]\n"
	"       ksift db test [DIR|SIGFILE] [--corpus DIR]\n"
	"\n"
	"The database is --db FILE, else $KSIFT_DB, else the one built from\n"
	"signatures/ (signatures/ksift.db in the build tree, or the installed copy).\n"
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
	struct strbuf err = STRBUF_INIT;
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
		return report_err(&err);
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
					printf("MISSING %s: example %s not found\n", s->id, l->v[e]);
					misses++;
					continue;
				}
				scan_for_ids(db, p, &f);
				if (!neg && !found_has(&f, s->id)) {
					printf("MISS    %s: does not match its example %s\n", s->id, p);
					misses++;
				} else if (neg && found_has(&f, s->id)) {
					printf("FALSE   %s: matches its counter-example %s\n", s->id, p);
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
						       f.ids[j], files.paths[k]);
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
	return ret;
}

int cmd_db(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dbfile = NULL, *out = NULL, *corpus = NULL, *sub;
	char *defdb = NULL;
	int c, ret;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(db_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_INPUT : EXIT_CLEAN;
	}
	sub = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': dbfile = optarg; break;
		case 'o': out = optarg; break;
		case 'c': corpus = optarg; break;
		case 'h': fputs(db_usage, stdout); return EXIT_CLEAN;
		default: fputs(db_usage, stderr); return EXIT_INPUT;
		}
	}
	if (!dbfile && strcmp(sub, "build") && strcmp(sub, "test") &&
	    strcmp(sub, "export")) {
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
	else if (!strcmp(sub, "test") && optind >= argc - 1) {
		const char *what = optind < argc ? argv[optind] : KSIFT_SRCDIR "/signatures/bugs";
		ret = db_test(what, corpus ? corpus : KSIFT_SRCDIR "/corpus");
	} else {
		fputs(db_usage, stderr);
		ret = EXIT_INPUT;
	}
	free(defdb);
	return ret;
}
