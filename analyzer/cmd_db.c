/*
** ksift db: the known-bug signature database — build, export, list, show,
** add and test (signatures/README.md describes the file format).
*/
#include "config.h"
#include "builtin.h"
#include "sigdb.h"
#include "sigstore.h"
#include "sigtest.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char db_usage[] =
	"usage: ksift db build DIR|FILE -o FILE\n"
	"       ksift db export FILE -o DIR\n"
	"       ksift db list [--db FILE]\n"
	"       ksift db show ID [--db FILE]\n"
	"       ksift db add SIGFILE [--db FILE]\n"
	"       ksift db test [DIR|FILE] [--root DIR] [--corpus DIR]... [-v]\n"
	"       ksift db match [--db FILE | --sigs DIR] [--results FILE] LOG...\n"
	"\n"
	"The default database is $KSIFT_DB, else " KSIFT_DATADIR "/ksift.db\n"
	"(or the one built in " KSIFT_BUILDDIR "/signatures when running uninstalled).\n"
	"'db test' checks each signature against its examples and counter-examples and\n"
	"against every file under ROOT/corpus (default ROOT: " KSIFT_SRCDIR "); exit 1\n"
	"on any miss or unexpected match.\n";

static int usage_error(const char *msg)
{
	if (msg)
		fprintf(stderr, "ksift: db: %s\n", msg);
	fputs(db_usage, stderr);
	return EXIT_INPUT;
}

/* Options shared by subcommands: -o FILE, --db FILE, --root, --corpus, -v. */
struct db_opts {
	const char *out, *db, *root;
	const char **corpora;
	size_t nr_corpora;
	const char *sigs, *results;
	const char **pos;
	size_t nr_pos;
	bool verbose;
};

static int parse_opts(int argc, char **argv, struct db_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->corpora = xcalloc(argc, sizeof(*o->corpora));
	o->pos = xcalloc(argc, sizeof(*o->pos));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((!strcmp(a, "-o") || !strcmp(a, "--db") || !strcmp(a, "--root") ||
		     !strcmp(a, "--sigs") || !strcmp(a, "--results") ||
		     !strcmp(a, "--corpus")) && i + 1 >= argc)
			return usage_error("option needs a value");
		if (!strcmp(a, "-o"))
			o->out = argv[++i];
		else if (!strcmp(a, "--db"))
			o->db = argv[++i];
		else if (!strcmp(a, "--results"))
			o->results = argv[++i];
		else if (!strcmp(a, "--sigs"))
			o->sigs = argv[++i];
		else if (!strcmp(a, "--root"))
			o->root = argv[++i];
		else if (!strcmp(a, "--corpus"))
			o->corpora[o->nr_corpora++] = argv[++i];
		else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			o->verbose = true;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(db_usage, stdout);
			return EXIT_CLEAN + 100;
		} else if (a[0] == '-' && a[1])
			return usage_error("unknown option");
		else
			o->pos[o->nr_pos++] = a;
	}
	return 0;
}

static int db_build(struct db_opts *o)
{
	struct sigdb *db;
	char err[1024];
	int errors, rc = EXIT_CLEAN;

	if (o->nr_pos != 1 || !o->out)
		return usage_error("build needs DIR and -o FILE");
	db = sigdb_new();
	errors = sigdb_load_path(db, o->pos[0]);
	if (errors) {
		error("%d invalid signature file%s; nothing written", errors,
		      errors == 1 ? "" : "s");
		rc = EXIT_INPUT;
	} else if (sigstore_write(db, o->out, err, sizeof(err))) {
		error("%s", err);
		rc = EXIT_INPUT;
	} else {
		fprintf(stderr, "ksift: %zu signatures compiled into %s\n", sigdb_count(db), o->out);
	}
	sigdb_close(db);
	return rc;
}

static struct sigdb *open_db(const char *path)
{
	char err[1024];
	struct sigdb *db = sigdb_open(path, err, sizeof(err));

	if (!db)
		error("%s", err);
	return db;
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	size_t n = strlen(text);

	if (!f || fwrite(text, 1, n, f) != n || fclose(f)) {
		error("%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int db_export(struct db_opts *o)
{
	struct sigdb *db;
	struct strbuf path = STRBUF_INIT;
	int rc = EXIT_CLEAN;

	if (o->nr_pos != 1 || !o->out)
		return usage_error("export needs FILE and -o DIR");
	db = open_db(o->pos[0]);
	if (!db)
		return EXIT_INPUT;
	if (mkdir(o->out, 0777) && errno != EEXIST) {
		error("%s: %s", o->out, strerror(errno));
		rc = EXIT_INPUT;
		goto out;
	}
	for (size_t i = 0; i < sigdb_count(db); i++) {
		const char *file = sigdb_file(db, i);
		struct stat st;

		/* Stored names are plain file names; refuse anything else. */
		if (!*file || strchr(file, '/') || file[0] == '.') {
			error("%s: bad file name '%s' for %s", o->pos[0], file,
			      sig_def(sigdb_get(db, i))->id.val);
			rc = EXIT_INPUT;
			continue;
		}
		strbuf_reset(&path);
		strbuf_addf(&path, "%s/%s", o->out, file);
		if (!stat(path.buf, &st) && i > 0 && !strcmp(sigdb_file(db, i - 1), file)) {
			error("%s: two signatures export to %s", o->pos[0], file);
			rc = EXIT_INPUT;
			continue;
		}
		if (write_file(path.buf, sigdb_source(db, i)))
			rc = EXIT_INPUT;
	}
out:
	strbuf_release(&path);
	sigdb_close(db);
	return rc;
}

static void kinds_of(const struct sig_def *d, struct strbuf *sb)
{
	for (int k = 1; k < KIND__COUNT; k++)
		if (d->kind_mask & (1ull << k)) {
			if (sb->len)
				strbuf_addch(sb, ',');
			strbuf_addstr(sb, incident_kind_name(k));
		}
	if (!sb->len)
		strbuf_addstr(sb, sig_def_is_condition(d) ? "condition" : "any");
}

static int db_list(struct db_opts *o)
{
	struct sigdb *db = open_db(o->db ? o->db : sigdb_default_path());
	struct strbuf kinds = STRBUF_INIT;

	if (!db)
		return EXIT_INPUT;
	for (size_t i = 0; i < sigdb_count(db); i++) {
		const struct sig_def *d = sig_def(sigdb_get(db, i));

		strbuf_reset(&kinds);
		kinds_of(d, &kinds);
		printf("%-36s %-8s %-22s %s\n", d->id.val, d->severity.val, kinds.buf,
		       d->title.val);
	}
	strbuf_release(&kinds);
	sigdb_close(db);
	return EXIT_CLEAN;
}

static int db_show(struct db_opts *o)
{
	struct sigdb *db;
	int rc = EXIT_INPUT;

	if (o->nr_pos != 1)
		return usage_error("show needs an ID");
	db = open_db(o->db ? o->db : sigdb_default_path());
	if (!db)
		return EXIT_INPUT;
	for (size_t i = 0; i < sigdb_count(db); i++)
		if (!strcmp(sig_def(sigdb_get(db, i))->id.val, o->pos[0])) {
			fputs(sigdb_source(db, i), stdout);
			rc = EXIT_CLEAN;
		}
	if (rc)
		error("no signature '%s'", o->pos[0]);
	sigdb_close(db);
	return rc;
}

static int db_add(struct db_opts *o)
{
	struct strbuf text = STRBUF_INIT;
	char err[1024];
	const char *base;
	FILE *f;
	int rc = EXIT_CLEAN;
	char buf[8192];
	size_t n;

	if (o->nr_pos != 1)
		return usage_error("add needs one signature file");
	f = fopen(o->pos[0], "rb");
	if (!f) {
		error("%s: %s", o->pos[0], strerror(errno));
		return EXIT_INPUT;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&text, buf, n);
	fclose(f);
	base = strrchr(o->pos[0], '/');
	if (sigstore_add(o->db ? o->db : sigdb_default_path(), text.buf, text.len, o->pos[0],
			 base ? base + 1 : o->pos[0], err, sizeof(err))) {
		error("%s", err);
		rc = EXIT_INPUT;
	}
	strbuf_release(&text);
	return rc;
}

static int db_match(struct db_opts *o)
{
	struct results_db *results = NULL;
	struct sigdb *db;
	int rc;

	if (!o->nr_pos)
		return usage_error("match needs log files");
	if (o->sigs) {
		db = sigdb_new();
		if (sigdb_load_path(db, o->sigs)) {
			sigdb_close(db);
			return EXIT_INPUT;
		}
	} else {
		db = open_db(o->db ? o->db : sigdb_default_path());
		if (!db)
			return EXIT_INPUT;
	}
	if (o->results) {
		char err[1024];

		results = results_open(o->results, err, sizeof(err));
		if (!results) {
			error("%s", err);
			sigdb_close(db);
			return EXIT_INPUT;
		}
	}
	rc = sigtest_match_files(db, o->pos, o->nr_pos, results) ? EXIT_INPUT : EXIT_CLEAN;
	if (results_close(results))
		rc = EXIT_INPUT;
	sigdb_close(db);
	return rc;
}

int cmd_db(int argc, char **argv)
{
	struct db_opts o;
	const char *sub;
	int rc;

	if (argc < 2)
		return usage_error(NULL);
	sub = argv[1];
	rc = parse_opts(argc - 1, argv + 1, &o);
	if (rc) {
		free(o.corpora);
		free(o.pos);
		return rc == EXIT_CLEAN + 100 ? EXIT_CLEAN : rc;
	}
	if (!strcmp(sub, "build"))
		rc = db_build(&o);
	else if (!strcmp(sub, "export"))
		rc = db_export(&o);
	else if (!strcmp(sub, "list"))
		rc = db_list(&o);
	else if (!strcmp(sub, "show"))
		rc = db_show(&o);
	else if (!strcmp(sub, "add"))
		rc = db_add(&o);
	else if (!strcmp(sub, "test")) {
		struct sigdb *db = sigdb_new();
		const char *path = o.nr_pos ? o.pos[0] : KSIFT_SRCDIR "/signatures";
		const char *root = o.root ? o.root : KSIFT_SRCDIR;

		if (sigdb_load_path(db, path))
			rc = EXIT_INPUT;
		else
			rc = sigtest_run(db, root, o.corpora, o.nr_corpora, o.verbose) ? EXIT_FOUND
									 : EXIT_CLEAN;
		sigdb_close(db);
	} else if (!strcmp(sub, "match")) {
		rc = db_match(&o);
	} else
		rc = usage_error("unknown db subcommand");
	free(o.corpora);
	free(o.pos);
	return rc;
}
