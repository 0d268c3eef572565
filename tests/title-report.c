/*
** title-report: how well ksift reads labelled corpora it may or may not have
** been tuned on.
**
**   title-report [--min-titles=P] [--min-crash=P] [--max-half-gap=P]
**                [--expected=TSV]... [--corrections=TSV] DIR...
**
** DIR: a corpus laid out like ../shared/corpus/syzkaller-dev (header lines
** TITLE:/ALT:, an empty line, then the raw log). For each log the first
** crash ksift reports is compared with TITLE or any ALT; a log without TITLE
** must give no crash. The logs are also split into two fixed halves by the
** parity of FNV-1a 64 over the file's base name: a rule fit to files helps
** one half and not the other, so each half's figures are printed next to the
** whole's.
**
** --expected=TSV: a corpus of plain logs beside TSV (production/abrt's
** expected.tsv: file, incident count, titles in order '|'-separated with '*'
** for any title and " (corrupted)" for one that must be flagged so; every
** other incident must be uncorrupted). A file is as expected when all of
** that holds.
**
** --corrections=TSV: rows of the same form whose label this tree corrects
** (a fifth column says why): a row here replaces the --expected row of the
** same file name. For labels in ../shared that a fix showed wrong, until the
** shared corpus is updated; each use is printed.
**
** Every log is also put in an era by the first kernel release it prints
** ("Linux version R", "… Not tainted R", "Tainted: FLAGS R", "Kernel R"):
** 2.6, 3.x, 4.x, 5.x, 6.x or "?" when none is printed.
**
** Prints the misses, then the figures. Exit 0 unless a threshold is not
** met or (with --expected) a file is not as expected.
*/
#include "scan.h"
#include "util.h"
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ERA_2_6, ERA_3, ERA_4, ERA_5, ERA_6, ERA_UNKNOWN, NR_ERAS };
static const char *const era_names[NR_ERAS] = { "2.6", "3.x", "4.x", "5.x", "6.x", "?" };

struct score {
	unsigned titled, title_ok, logs, crash_ok;
};

struct era_row {
	struct score labelled;
	unsigned files, files_ok;	/* --expected corpora */
};

struct expect {
	char *title;
	char **alts;
	size_t nr_alts;
	uint64_t body_offset;
};

struct collected {
	struct incident **incs;
	size_t nr, alloc;
	bool crashes_only;
};

/* Kinds that syzkaller-style triage does not call a crash: userspace faults,
   rate-limited network messages, host conditions, hardware/IO/fs errors. */
static bool is_crash_kind(enum incident_kind k)
{
	return k != KIND_SEGFAULT && k != KIND_TCP_MEM && k != KIND_CONDITION &&
	       k != KIND_MCE && k != KIND_IO_ERROR && k != KIND_FS_ERROR;
}

static void collect(void *data, struct incident *inc)
{
	struct collected *c = data;

	if (c->crashes_only && !is_crash_kind(inc->kind)) {
		incident_free(inc);
		return;
	}
	ALLOC_GROW(c->incs, c->nr + 1, c->alloc);
	c->incs[c->nr++] = inc;
}

static void collected_release(struct collected *c)
{
	for (size_t i = 0; i < c->nr; i++)
		incident_free(c->incs[i]);
	free(c->incs);
	memset(c, 0, sizeof(*c));
}

static int scan_collect(const char *path, uint64_t offset, bool crashes_only,
			struct collected *c)
{
	struct scan_options opts = { .start_offset = offset };
	struct scan_hooks hooks = { .incident = collect, .data = c };
	struct scan_stats stats;

	memset(c, 0, sizeof(*c));
	c->crashes_only = crashes_only;
	return scan_input(path, &opts, &hooks, &stats);
}

/* The era of a release string: "2.6.32-431.el6" → 2.6, "4.19.0" → 4.x. */
static int era_of_release(const char *p, const char *end)
{
	if (p >= end || *p < '2' || *p > '6' || p + 1 >= end || p[1] != '.')
		return ERA_UNKNOWN;
	switch (*p) {
	case '2': return mem_starts_with(p, (size_t)(end - p), "2.6") ? ERA_2_6 : ERA_UNKNOWN;
	case '3': return ERA_3;
	case '4': return ERA_4;
	case '5': return ERA_5;
	default: return ERA_6;
	}
}

/* The first kernel release a line prints, as an era (ERA_UNKNOWN: none). */
static int era_of_line(const char *line, size_t n)
{
	static const char *const markers[] = { "Linux version ", "Not tainted ", "Kernel 2.",
					       "Kernel 3." };
	const char *end = line + n, *p;

	for (size_t i = 0; i < ARRAY_SIZE(markers); i++)
		if ((p = mem_find(line, n, markers[i]))) {
			p += strlen(markers[i]);
			if (markers[i][0] == 'K')
				p -= 2;
			return era_of_release(mem_skip_blanks(p, end), end);
		}
	/* "Tainted: G        W  OE   4.4.0-21-generic": flags, then the release. */
	if ((p = mem_find(line, n, "Tainted: "))) {
		p += strlen("Tainted: ");
		while ((p = mem_skip_blanks(p, end)) < end && *p >= 'A' && *p <= 'Z')
			while (p < end && *p != ' ')
				p++;
		return era_of_release(p, end);
	}
	return ERA_UNKNOWN;
}

static int era_of_file(const char *path, uint64_t offset)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int era = ERA_UNKNOWN;

	if (!f)
		return ERA_UNKNOWN;
	if (offset && fseek(f, (long)offset, SEEK_SET) != 0) {
		fclose(f);
		return ERA_UNKNOWN;
	}
	while (era == ERA_UNKNOWN && fgets(line, sizeof(line), f))
		era = era_of_line(line, strlen(line));
	fclose(f);
	return era;
}

static bool read_header(const char *path, struct expect *ex)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	uint64_t off = 0;

	memset(ex, 0, sizeof(*ex));
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);
		const char *v;
		off += n;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			break;
		if ((v = skip_prefix(line, "TITLE: "))) {
			ex->title = xstrdup(v);
		} else if ((v = skip_prefix(line, "ALT: "))) {
			ex->alts = xrealloc(ex->alts, (ex->nr_alts + 1) * sizeof(char *));
			ex->alts[ex->nr_alts++] = xstrdup(v);
		}
	}
	ex->body_offset = off;
	fclose(f);
	return true;
}

static void expect_release(struct expect *ex)
{
	free(ex->title);
	for (size_t a = 0; a < ex->nr_alts; a++)
		free(ex->alts[a]);
	free(ex->alts);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/* The fixed half a file belongs to: 0 for an even FNV-1a of its name. */
static int half_of(const char *path)
{
	const char *base = base_name(path);
	return (int)(fnv1a64(FNV1A64_INIT, base, strlen(base)) & 1);
}

static void score_add(struct score *s, const struct score *d)
{
	s->titled += d->titled;
	s->title_ok += d->title_ok;
	s->logs += d->logs;
	s->crash_ok += d->crash_ok;
}

static double pct(unsigned ok, unsigned n)
{
	return n ? 100.0 * ok / n : 0.0;
}

/* One log of a syzkaller-style corpus; the score it adds. */
static struct score labelled_one(const char *path, const struct expect *ex)
{
	struct score s = { 0, 0, 1, 0 };
	struct collected c;
	const struct incident *first;

	scan_collect(path, ex->body_offset, true, &c);
	first = c.nr ? c.incs[0] : NULL;
	if ((ex->title != NULL) == (first != NULL))
		s.crash_ok = 1;
	else
		printf("crash-mismatch %s: expected %s, got %s\n", base_name(path),
		       ex->title ? ex->title : "(no crash)", first ? first->title : "(no crash)");
	if (ex->title) {
		bool ok = false;
		s.titled = 1;
		if (first) {
			ok = !strcmp(first->title, ex->title);
			for (size_t a = 0; !ok && a < ex->nr_alts; a++)
				ok = !strcmp(first->title, ex->alts[a]);
		}
		s.title_ok = ok;
		if (!ok && first)
			printf("title-miss %s: expected \"%s\", got \"%s\"\n", base_name(path),
			       ex->title, first->title);
	}
	collected_release(&c);
	return s;
}

/* "a|b|c" → the i-th field (NUL-terminated copy in buf), false past the end. */
static bool nth_field(const char *s, size_t i, char *buf, size_t bufsz)
{
	const char *p = s, *bar;

	for (; i; i--) {
		if (!(bar = strchr(p, '|')))
			return false;
		p = bar + 1;
	}
	bar = strchr(p, '|');
	snprintf(buf, bufsz, "%.*s", (int)(bar ? (size_t)(bar - p) : strlen(p)), p);
	return true;
}

/* One file of an --expected corpus: true when ksift reads it as the TSV says. */
static bool expected_one(const char *path, unsigned want, const char *titles)
{
	struct collected c;
	bool ok = true;

	scan_collect(path, 0, false, &c);
	if (c.nr != want) {
		printf("count-miss %s: expected %u incidents, got %zu\n", base_name(path), want,
		       c.nr);
		ok = false;
	}
	for (size_t i = 0; i < c.nr; i++) {
		const struct incident *inc = c.incs[i];
		char t[512];
		bool corrupt = false;
		size_t tl;

		if (!nth_field(titles, i, t, sizeof(t)))
			t[0] = '\0';
		tl = strlen(t);
		if (tl > 12 && !strcmp(t + tl - 12, " (corrupted)")) {
			t[tl - 12] = '\0';
			corrupt = true;
		}
		if (i < want && strcmp(t, "*") && strcmp(t, inc->title)) {
			printf("title-miss %s #%zu: expected \"%s\", got \"%s\"\n", base_name(path),
			       i + 1, t, inc->title);
			ok = false;
		} else if (i >= want) {
			printf("extra %s #%zu: \"%s\"\n", base_name(path), i + 1, inc->title);
		}
		if (i < want && inc->corrupted != corrupt) {
			printf("corrupt-miss %s #%zu: \"%s\" %s (%s)\n", base_name(path), i + 1,
			       inc->title, inc->corrupted ? "flagged corrupted" : "not flagged corrupted",
			       inc->corrupt_reason ? inc->corrupt_reason : "no reason");
			ok = false;
		}
	}
	collected_release(&c);
	return ok;
}

/*
 * The corrected row for `file` in the corrections TSV (see the top), as
 * "count\ttitles" in buf, or NULL.
 */
static const char *corrected_row(const char *corrections, const char *file, char *buf,
				 size_t bufsz)
{
	FILE *f;
	char line[16384];
	const char *found = NULL;
	size_t flen = strlen(file);

	if (!corrections || !(f = fopen(corrections, "r")))
		return NULL;
	while (!found && fgets(line, sizeof(line), f)) {
		char *tab;
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || strncmp(line, file, flen) || line[flen] != '\t')
			continue;
		snprintf(buf, bufsz, "%s", line + flen + 1);
		/* keep "count\ttitles", drop the reasons */
		if ((tab = strchr(buf, '\t')) && (tab = strchr(tab + 1, '\t')))
			*tab = '\0';
		found = buf;
	}
	fclose(f);
	return found;
}

/* Reads TSV rows "file\tcount\ttitles\twhy"; returns files ok / seen. */
static bool run_expected(const char *tsv, const char *corrections, struct era_row *eras,
			 unsigned *ok, unsigned *n)
{
	char fixed[16384];
	FILE *f = fopen(tsv, "r");
	char line[16384], dir[4096];
	const char *slash = strrchr(tsv, '/');

	*ok = *n = 0;
	if (!f) {
		fprintf(stderr, "title-report: cannot open %s\n", tsv);
		return false;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - tsv) : 1, slash ? tsv : ".");
	while (fgets(line, sizeof(line), f)) {
		char *file = line, *count, *titles, *tab, *path;
		int era;
		bool good;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || !line[0] || !(tab = strchr(file, '\t')))
			continue;
		*tab = '\0';
		count = tab + 1;
		if (corrected_row(corrections, file, fixed, sizeof(fixed))) {
			printf("corrected %s: %s (%s)\n", file, fixed, corrections);
			count = fixed;
		}
		titles = strchr(count, '\t');
		if (titles) {
			*titles++ = '\0';
			if ((tab = strchr(titles, '\t')))
				*tab = '\0';
		} else {
			titles = (char *)"";
		}
		path = xmalloc(strlen(dir) + strlen(file) + 2);
		sprintf(path, "%s/%s", dir, file);
		good = expected_one(path, (unsigned)strtoul(count, NULL, 10), titles);
		era = era_of_file(path, 0);
		eras[era].files++;
		eras[era].files_ok += good;
		(*n)++;
		*ok += good;
		free(path);
	}
	fclose(f);
	return true;
}

static void print_score(const char *name, const struct score *s)
{
	printf("  %-16s titles %5.1f%% (%u/%u)   crash %5.1f%% (%u/%u)\n", name,
	       pct(s->title_ok, s->titled), s->title_ok, s->titled,
	       pct(s->crash_ok, s->logs), s->crash_ok, s->logs);
}

int main(int argc, char **argv)
{
	struct walk_list files = { 0 };
	struct score whole = { 0 }, halves[2] = { { 0 }, { 0 } };
	struct era_row eras[NR_ERAS];
	double min_titles = 0, min_crash = 0, max_gap = -1;
	const char **tsvs = xcalloc((size_t)argc, sizeof(char *));
	const char *corrections = NULL;
	char **args = xcalloc((size_t)argc, sizeof(char *));
	int nargs = 0, ntsv = 0, rc = 0;

	memset(eras, 0, sizeof(eras));
	for (int i = 1; i < argc; i++) {
		const char *v;
		if ((v = skip_prefix(argv[i], "--min-titles=")))
			min_titles = atof(v);
		else if ((v = skip_prefix(argv[i], "--min-crash=")))
			min_crash = atof(v);
		else if ((v = skip_prefix(argv[i], "--max-half-gap=")))
			max_gap = atof(v);
		else if ((v = skip_prefix(argv[i], "--expected=")))
			tsvs[ntsv++] = v;
		else if ((v = skip_prefix(argv[i], "--corrections=")))
			corrections = v;
		else
			args[nargs++] = argv[i];
	}
	walk_inputs(&files, args, nargs);
	for (size_t f = 0; f < files.nr; f++) {
		const char *path = files.paths[f];
		struct expect ex;
		struct score s;

		if (!strcmp(base_name(path), "README.md") || !read_header(path, &ex))
			continue;
		s = labelled_one(path, &ex);
		score_add(&whole, &s);
		score_add(&halves[half_of(path)], &s);
		score_add(&eras[era_of_file(path, ex.body_offset)].labelled, &s);
		expect_release(&ex);
	}
	if (whole.logs) {
		double gap;
		printf("labelled corpus (%u logs; halves by FNV-1a of the file name):\n", whole.logs);
		print_score("whole", &whole);
		print_score("half A (even)", &halves[0]);
		print_score("half B (odd)", &halves[1]);
		gap = pct(halves[0].title_ok, halves[0].titled) -
		      pct(halves[1].title_ok, halves[1].titled);
		printf("  half gap: titles %.1f points\n", gap < 0 ? -gap : gap);
		/* the summary lines scripts read */
		printf("titles: %.1f%% (%u/%u)\n", pct(whole.title_ok, whole.titled),
		       whole.title_ok, whole.titled);
		printf("crash: %.1f%% (%u/%u)\n", pct(whole.crash_ok, whole.logs), whole.crash_ok,
		       whole.logs);
		if ((whole.titled && pct(whole.title_ok, whole.titled) < min_titles) ||
		    (whole.logs && pct(whole.crash_ok, whole.logs) < min_crash) ||
		    (max_gap >= 0 && (gap < 0 ? -gap : gap) > max_gap))
			rc = 1;
	}
	for (int t = 0; t < ntsv; t++) {
		unsigned ok, n;
		if (!run_expected(tsvs[t], corrections, eras, &ok, &n))
			rc = 1;
		printf("expected %s: %u/%u files as expected\n", tsvs[t], ok, n);
		if (ok != n)
			rc = 1;
	}
	printf("by era (first kernel release in the log):\n");
	printf("  %-4s %-30s %s\n", "era", "labelled titles / crash", "expected files");
	for (int e = 0; e < NR_ERAS; e++) {
		const struct era_row *r = &eras[e];
		char a[64] = "-", b[32] = "-";
		if (!r->labelled.logs && !r->files)
			continue;
		if (r->labelled.logs)
			snprintf(a, sizeof(a), "%5.1f%% (%u/%u) %5.1f%% (%u/%u)",
				 pct(r->labelled.title_ok, r->labelled.titled), r->labelled.title_ok,
				 r->labelled.titled, pct(r->labelled.crash_ok, r->labelled.logs),
				 r->labelled.crash_ok, r->labelled.logs);
		if (r->files)
			snprintf(b, sizeof(b), "%u/%u", r->files_ok, r->files);
		printf("  %-4s %-30s %s\n", era_names[e], a, b);
	}
	walk_list_release(&files);
	free(args);
	free(tsvs);
	return rc;
}
