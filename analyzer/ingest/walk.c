#define _GNU_SOURCE
#include "walk.h"
#include "reader.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_DEPTH 64

static void add_path(struct walk_list *l, const char *p, size_t root_len)
{
	const char *rel;

	ALLOC_GROW(l->paths, l->nr + 1, l->alloc);
	ALLOC_GROW(l->relpaths, l->nr + 1, l->alloc_rel);
	l->paths[l->nr] = xstrdup(p);
	rel = l->paths[l->nr] + root_len;
	while (*rel == '/')
		rel++;
	if (!root_len) {		/* a file named directly: its base name */
		const char *slash = strrchr(l->paths[l->nr], '/');
		rel = slash ? slash + 1 : l->paths[l->nr];
	}
	l->relpaths[l->nr] = rel;
	l->nr++;
}

bool walk_looks_textual(const char *path)
{
	char err[256], buf[8192];
	struct reader *r = reader_open(path, err, sizeof(err));
	ssize_t n, i;
	size_t bad = 0, nul = 0;

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
		if (!c)
			nul++;
		else if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b) ||
			 c == 0x7f)
			bad++;
	}
	/*
	 * Console captures hold a few stray control bytes; binaries hold many.
	 * NUL runs are what an unclean shutdown leaves in a log (normalize.c
	 * drops them): they do not count, as long as the rest is lines of
	 * text — record files (wtmp, lastlog) are NULs and fields, no lines.
	 */
	if (nul && !memchr(buf, '\n', (size_t)n))
		return false;
	return bad * 10 < (size_t)n - nul;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk_dir(struct walk_list *l, const char *dir, int depth, size_t root_len)
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
			/* Follow links to files, never to directories (loops).
			   One that leads nowhere is named, as it would be if it
			   were given itself. */
			if (stat(p, &sb) < 0)
				warning("%s: %s, skipped", p, errno == ENOENT ? "dangling symbolic link" :
					errno == ELOOP ? "symbolic link loop" : strerror(errno));
			else if (S_ISREG(sb.st_mode) && walk_looks_textual(p))
				add_path(l, p, root_len);
			else if (S_ISREG(sb.st_mode))
				warning("%s: binary file skipped", p);
		} else if (S_ISDIR(sb.st_mode)) {
			walk_dir(l, p, depth + 1, root_len);
		} else if (S_ISREG(sb.st_mode)) {
			if (walk_looks_textual(p))
				add_path(l, p, root_len);
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
			add_path(out, "-", 0);
			continue;
		}
		if (stat(args[i], &sb) < 0) {
			error("%s: %s", args[i], strerror(errno));
			out->errors++;
			continue;
		}
		if (S_ISDIR(sb.st_mode))
			walk_dir(out, args[i], 0, strlen(args[i]));
		else
			add_path(out, args[i], 0);
	}
}

void walk_list_release(struct walk_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->paths[i]);
	free(l->paths);
	free(l->relpaths);
	memset(l, 0, sizeof(*l));
}

void walk_keep_shard(struct walk_list *l, unsigned index, unsigned count)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->nr; i++) {
		uint64_t h = fnv1a64(FNV1A64_INIT, l->relpaths[i], strlen(l->relpaths[i]));
		if (h % count == index - 1) {
			l->paths[kept] = l->paths[i];
			l->relpaths[kept] = l->relpaths[i];
			kept++;
		} else {
			free(l->paths[i]);
		}
	}
	l->nr = kept;
}

char *walk_host_from_relpath(const char *relpath)
{
	const char *slash = strchr(relpath, '/');

	if (!slash || slash == relpath)
		return NULL;
	return xstrndup(relpath, (size_t)(slash - relpath));
}
