/*
** sigtest: signatures against example logs and the corpus (see sigtest.h).
*/
#include "sigtest.h"
#include "scan.h"
#include "results.h"
#include "sigfile.h"
#include "util.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct hit {
	char *id;
	unsigned long line;
	char *title;
};

struct scanned {
	char *path;		/* canonical */
	bool ok;		/* readable and scanned */
	struct hit *hits;
	size_t nr_hits, alloc_hits;
	unsigned long incidents;
};

struct test_state {
	struct sigdb *db;
	struct scanned *files;
	size_t nr_files, alloc_files;
	struct scanned *cur;
	struct results_db *results;	/* db match --results; NULL otherwise */
	int record_errors;
};

static void add_hits(struct scanned *f, const struct incident *inc)
{
	for (size_t i = 0; i < inc->nr_matches; i++) {
		struct hit *h;

		ALLOC_GROW(f->hits, f->nr_hits + 1, f->alloc_hits);
		h = &f->hits[f->nr_hits++];
		h->id = xstrdup(inc->matches[i].id);
		h->line = inc->source.line;
		h->title = xstrdup(inc->title ? inc->title : "");
	}
}

static void on_incident(void *data, struct incident *inc)
{
	struct test_state *ts = data;

	if (inc->kind != KIND_CONDITION)
		sigdb_match_incident(ts->db, inc, NULL);
	add_hits(ts->cur, inc);
	if (ts->results && results_record(ts->results, inc) < 0)
		ts->record_errors++;
	ts->cur->incidents++;
	incident_free(inc);
}

static void on_condition(void *data, struct incident *inc)
{
	on_incident(data, inc);
}

static void on_boot_end(void *data, const struct boot_context *ctx)
{
	struct test_state *ts = data;

	sigdb_match_boot(ts->db, ctx, on_condition, ts);
}

static char *canonical(const char *path)
{
	char buf[PATH_MAX];

	return realpath(path, buf) ? xstrdup(buf) : xstrdup(path);
}

static struct scanned *find_file(struct test_state *ts, const char *canon)
{
	for (size_t i = 0; i < ts->nr_files; i++)
		if (!strcmp(ts->files[i].path, canon))
			return &ts->files[i];
	return NULL;
}

/* Scan path once; later calls return the cached result. */
static struct scanned *scan_file(struct test_state *ts, const char *path)
{
	char *canon = canonical(path);
	struct scanned *f = find_file(ts, canon);
	struct scan_options opts;
	struct scan_hooks hooks = { on_incident, on_boot_end, ts };
	struct scan_stats stats;

	if (f) {
		free(canon);
		return f;
	}
	ALLOC_GROW(ts->files, ts->nr_files + 1, ts->alloc_files);
	f = &ts->files[ts->nr_files++];
	memset(f, 0, sizeof(*f));
	f->path = canon;
	if (access(canon, R_OK))
		return f;
	memset(&stats, 0, sizeof(stats));
	memset(&opts, 0, sizeof(opts));
	ts->cur = f;
	f->ok = scan_input(canon, &opts, &hooks, &stats) == 0;
	ts->cur = NULL;
	return f;
}

static bool skip_corpus_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] == '.' || (n > 3 && !strcmp(name + n - 3, ".md"));
}

static void walk(struct test_state *ts, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;

	if (!d)
		return;
	while ((de = readdir(d))) {
		if (skip_corpus_name(de->d_name))
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr] = xmalloc(strlen(dir) + strlen(de->d_name) + 2);
		sprintf(names[nr++], "%s/%s", dir, de->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < nr; i++) {
		struct stat st;

		if (!stat(names[i], &st)) {
			if (S_ISDIR(st.st_mode))
				walk(ts, names[i]);
			else if (S_ISREG(st.st_mode))
				scan_file(ts, names[i]);
		}
		free(names[i]);
	}
	free(names);
}

static char *resolve(const char *root, const char *rel, size_t len)
{
	struct strbuf sb = STRBUF_INIT;

	if (rel[0] != '/')
		strbuf_addf(&sb, "%s/", root);
	strbuf_add(&sb, rel, len);
	return strbuf_detach(&sb, NULL);
}

static const struct hit *file_hit(const struct scanned *f, const char *id)
{
	for (size_t i = 0; i < f->nr_hits; i++)
		if (!strcmp(f->hits[i].id, id))
			return &f->hits[i];
	return NULL;
}

/* Is canon listed in the signature's value (examples or counter-examples)? */
static bool listed(const char *root, const char *value, const char *canon)
{
	const char *pos = value, *s;
	size_t len;
	bool found = false;

	while (value && !found && (s = sig_list_next(&pos, &len))) {
		char *p = resolve(root, s, len), *c = canonical(p);

		found = !strcmp(c, canon);
		free(p);
		free(c);
	}
	return found;
}

int sigtest_run(struct sigdb *db, const char *root, const char **corpora,
		size_t nr_corpora, bool verbose)
{
	struct test_state ts = { db, NULL, 0, 0, NULL, NULL, 0 };
	struct strbuf corpus = STRBUF_INIT;
	size_t misses = 0, unexpected = 0, checks = 0;

	/* Examples first, so every listed file is scanned even outside corpus/. */
	for (size_t i = 0; i < sigdb_count(db); i++) {
		const struct sig_def *d = sig_def(sigdb_get(db, i));
		const struct sig_value *lists[2] = { &d->examples, &d->counter_examples };

		for (int l = 0; l < 2; l++) {
			const char *pos = lists[l]->val, *s;
			size_t len;

			while (pos && (s = sig_list_next(&pos, &len))) {
				char *p = resolve(root, s, len);

				scan_file(&ts, p);
				free(p);
			}
		}
	}
	strbuf_addf(&corpus, "%s/corpus", root);
	walk(&ts, corpus.buf);
	for (size_t i = 0; i < nr_corpora; i++)
		walk(&ts, corpora[i]);

	for (size_t i = 0; i < sigdb_count(db); i++) {
		const struct sig_def *d = sig_def(sigdb_get(db, i));
		const char *pos, *s;
		size_t len;

		pos = d->examples.val;
		while (pos && (s = sig_list_next(&pos, &len))) {
			char *p = resolve(root, s, len), *c = canonical(p);
			struct scanned *f = find_file(&ts, c);

			checks++;
			if (!f || !f->ok) {
				printf("MISS %s: %s: cannot read the example\n", d->id.val, p);
				misses++;
			} else if (!file_hit(f, d->id.val)) {
				printf("MISS %s: %s: no match among %lu incident%s\n", d->id.val, p,
				       f->incidents, f->incidents == 1 ? "" : "s");
				misses++;
			} else if (verbose) {
				printf("ok   %s: %s\n", d->id.val, p);
			}
			free(p);
			free(c);
		}
		if (!d->examples.val)
			printf("note %s: no examples\n", d->id.val);
	}
	/* Every match on a file that the signature does not list is unexpected. */
	for (size_t k = 0; k < ts.nr_files; k++) {
		const struct scanned *f = &ts.files[k];

		for (size_t h = 0; h < f->nr_hits; h++) {
			const struct hit *hit = &f->hits[h];
			const struct sig *s = sigdb_find(db, hit->id);
			const struct sig_def *d = s ? sig_def(s) : NULL;
			bool dup = false;

			for (size_t e = 0; e < h; e++)
				dup |= !strcmp(f->hits[e].id, hit->id);
			if (dup || !d)
				continue;
			checks++;
			if (listed(root, d->counter_examples.val, f->path)) {
				printf("UNEXPECTED %s: %s:%lu: matched a counter-example (%s)\n",
				       hit->id, f->path, hit->line, hit->title);
				unexpected++;
			} else if (!listed(root, d->examples.val, f->path)) {
				printf("UNEXPECTED %s: %s:%lu: %s (not listed in examples)\n",
				       hit->id, f->path, hit->line, hit->title);
				unexpected++;
			}
		}
	}
	printf("%zu signatures, %zu files, %zu checks: %zu misses, %zu unexpected matches\n",
	       sigdb_count(db), ts.nr_files, checks, misses, unexpected);
	for (size_t k = 0; k < ts.nr_files; k++) {
		for (size_t h = 0; h < ts.files[k].nr_hits; h++) {
			free(ts.files[k].hits[h].id);
			free(ts.files[k].hits[h].title);
		}
		free(ts.files[k].hits);
		free(ts.files[k].path);
	}
	free(ts.files);
	strbuf_release(&corpus);
	return (int)(misses + unexpected);
}

int sigtest_match_files(struct sigdb *db, const char *const *paths, size_t n,
			struct results_db *results)
{
	struct test_state ts = { db, NULL, 0, 0, NULL, results, 0 };
	int unreadable = 0;

	for (size_t i = 0; i < n; i++) {
		struct scanned *f = scan_file(&ts, paths[i]);

		if (!f->ok) {
			error("%s: cannot scan", paths[i]);
			unreadable++;
			continue;
		}
		for (size_t h = 0; h < f->nr_hits; h++)
			printf("%s:%lu: %s (%s)\n", paths[i], f->hits[h].line, f->hits[h].id,
			       f->hits[h].title);
	}
	for (size_t k = 0; k < ts.nr_files; k++) {
		for (size_t h = 0; h < ts.files[k].nr_hits; h++) {
			free(ts.files[k].hits[h].id);
			free(ts.files[k].hits[h].title);
		}
		free(ts.files[k].hits);
		free(ts.files[k].path);
	}
	free(ts.files);
	return unreadable || ts.record_errors ? -1 : 0;
}
