#define _GNU_SOURCE
#include "walk.h"
#include "reader.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 64

static void add_path(struct walk_list *l, const char *p)
{
	ALLOC_GROW(l->paths, l->nr + 1, l->alloc);
	l->paths[l->nr++] = xstrdup(p);
}

bool walk_looks_textual(const char *path)
{
	char err[256], buf[8192];
	struct reader *r = reader_open(path, err, sizeof(err));
	ssize_t n, i;
	size_t bad = 0;

	if (!r)
		return true;	/* let the scan report the error */
	n = reader_read(r, buf, sizeof(buf));
	reader_close(r);
	if (n <= 0)
		return true;
	if (n >= 4 && !memcmp(buf, "\x7f" "ELF", 4))
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)buf[i];
		if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b) ||
		    c == 0x7f)
			bad++;
	}
	/* Console captures hold a few stray control bytes; binaries hold many. */
	return bad * 10 < (size_t)n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(struct walk_list *l, const char *dir, int depth)
{
	DIR *d;
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, alloc = 0;

	if (depth > MAX_DEPTH) {
		error("%s: directories nested too deep, skipped", dir);
		l->errors++;
		return;
	}
	d = opendir(dir);
	if (!d) {
		error("%s: %s", dir, strerror(errno));
		l->errors++;
		return;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ALLOC_GROW(names, nr + 1, alloc);
		names[nr++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), cmp_str);
	for (size_t i = 0; i < nr; i++) {
		char *p;
		struct stat sb;
		size_t dl = strlen(dir);

		if (asprintf(&p, "%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/",
			     names[i]) < 0)
			die("out of memory");
		if (lstat(p, &sb) < 0) {
			error("%s: %s", p, strerror(errno));
			l->errors++;
		} else if (S_ISLNK(sb.st_mode)) {
			/* Follow links to files, never to directories (loops). */
			if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && walk_looks_textual(p))
				add_path(l, p);
		} else if (S_ISDIR(sb.st_mode)) {
			walk_dir(l, p, depth + 1);
		} else if (S_ISREG(sb.st_mode)) {
			if (walk_looks_textual(p))
				add_path(l, p);
			else
				warning("%s: binary file skipped", p);
		}
		free(p);
		free(names[i]);
	}
	free(names);
}

void walk_inputs(struct walk_list *out, char **args, int nr_args)
{
	for (int i = 0; i < nr_args; i++) {
		struct stat sb;

		if (!strcmp(args[i], "-")) {
			add_path(out, "-");
			continue;
		}
		if (stat(args[i], &sb) < 0) {
			error("%s: %s", args[i], strerror(errno));
			out->errors++;
			continue;
		}
		if (S_ISDIR(sb.st_mode))
			walk_dir(out, args[i], 0);
		else
			add_path(out, args[i]);
	}
}

void walk_list_release(struct walk_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->paths[i]);
	free(l->paths);
	memset(l, 0, sizeof(*l));
}
