/*
** title-report: measure ksift's titles on a labelled corpus laid out like
** ../shared/corpus/syzkaller-dev (header lines TITLE:/ALT:/CORRUPTED:, an
** empty line, then the raw log). For each log the first incident ksift
** reports is compared with TITLE or any ALT; a log without TITLE must give no
** incident. Prints the misses, then
**   titles: X% (ok/n)        logs with a TITLE that got it (or an ALT)
**   crash: X% (ok/n)         agreement on whether the log holds a crash
** Exit 0 always unless --min-titles/--min-crash thresholds are not met.
*/
#include "scan.h"
#include "util.h"
#include "walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct expect {
	char *title;
	char **alts;
	size_t nr_alts;
	uint64_t body_offset;
};

struct first_seen {
	struct incident *first;
	unsigned long count;
};

/* Kinds that syzkaller-style triage does not call a crash: userspace faults,
   rate-limited network messages, host conditions, hardware/IO/fs errors. */
static bool is_crash_kind(enum incident_kind k)
{
	return k != KIND_SEGFAULT && k != KIND_TCP_MEM && k != KIND_CONDITION &&
	       k != KIND_MCE && k != KIND_IO_ERROR && k != KIND_FS_ERROR;
}

static void keep_first(void *data, struct incident *inc)
{
	struct first_seen *fs = data;

	if (!is_crash_kind(inc->kind)) {
		incident_free(inc);
		return;
	}
	fs->count++;
	if (!fs->first)
		fs->first = inc;
	else
		incident_free(inc);
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
		off += n;
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (!n)
			break;
		if (starts_with(line, "TITLE: ")) {
			ex->title = xstrdup(line + 7);
		} else if (starts_with(line, "ALT: ")) {
			ex->alts = xrealloc(ex->alts, (ex->nr_alts + 1) * sizeof(char *));
			ex->alts[ex->nr_alts++] = xstrdup(line + 5);
		}
	}
	ex->body_offset = off;
	fclose(f);
	return true;
}

int main(int argc, char **argv)
{
	struct walk_list files = { 0 };
	unsigned titled = 0, title_ok = 0, crash_ok = 0, total = 0;
	double min_titles = 0, min_crash = 0;
	int i, nargs = 0;
	char **args = xcalloc((size_t)argc, sizeof(char *));

	for (i = 1; i < argc; i++) {
		if (starts_with(argv[i], "--min-titles="))
			min_titles = atof(argv[i] + 13);
		else if (starts_with(argv[i], "--min-crash="))
			min_crash = atof(argv[i] + 12);
		else
			args[nargs++] = argv[i];
	}
	walk_inputs(&files, args, nargs);
	for (size_t f = 0; f < files.nr; f++) {
		const char *path = files.paths[f];
		struct expect ex;
		struct first_seen fs = { NULL, 0 };
		struct scan_options opts = { 0 };
		struct scan_hooks hooks = { keep_first, NULL, &fs, NULL };
		struct scan_stats stats;
		const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

		if (!strcmp(base, "README.md") || !read_header(path, &ex))
			continue;
		total++;
		opts.start_offset = ex.body_offset;
		scan_input(path, &opts, &hooks, &stats);
		if ((ex.title != NULL) == (fs.first != NULL))
			crash_ok++;
		else
			printf("crash-mismatch %s: expected %s, got %s\n", base,
			       ex.title ? ex.title : "(no crash)",
			       fs.first ? fs.first->title : "(no crash)");
		if (ex.title) {
			bool ok = false;
			titled++;
			if (fs.first) {
				ok = !strcmp(fs.first->title, ex.title);
				for (size_t a = 0; !ok && a < ex.nr_alts; a++)
					ok = !strcmp(fs.first->title, ex.alts[a]);
			}
			if (ok)
				title_ok++;
			else if (fs.first)
				printf("title-miss %s: expected \"%s\", got \"%s\"\n", base,
				       ex.title, fs.first->title);
		}
		incident_free(fs.first);
		free(ex.title);
		for (size_t a = 0; a < ex.nr_alts; a++)
			free(ex.alts[a]);
		free(ex.alts);
	}
	printf("titles: %.1f%% (%u/%u)\n", titled ? 100.0 * title_ok / titled : 0.0,
	       title_ok, titled);
	printf("crash: %.1f%% (%u/%u)\n", total ? 100.0 * crash_ok / total : 0.0,
	       crash_ok, total);
	walk_list_release(&files);
	free(args);
	if ((titled && 100.0 * title_ok / titled < min_titles) ||
	    (total && 100.0 * crash_ok / total < min_crash))
		return 1;
	return 0;
}
