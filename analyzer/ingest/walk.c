#define _GNU_SOURCE
#include "walk.h"
#include "reader.h"
#include "sniff.h"
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

bool walk_is_core_header(const unsigned char *b, size_t n)
{
	return sniff_is_core((const char *)b, n);
}

bool walk_looks_textual(const char *path)
{
	return walk_classify(path) == WALK_TEXT;
}

enum walk_kind walk_classify(const char *path)
{
	char err[256];
	const char *head;
	struct reader *r = reader_open(path, err, sizeof(err));
	enum input_kind kind;
	size_t n;

	if (!r)
		return WALK_TEXT;	/* let the scan report the error */
	n = reader_peek(r, &head);
	kind = n ? sniff_input(head, n) : INPUT_LOG;
	reader_close(r);
	return kind == INPUT_CORE ? WALK_CORE : kind == INPUT_BINARY ? WALK_BINARY : WALK_TEXT;
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
			else if (S_ISREG(sb.st_mode) && walk_classify(p) != WALK_BINARY)
				add_path(l, p, root_len);
			else if (S_ISREG(sb.st_mode))
				warning("%s: binary file skipped", p);
		} else if (S_ISDIR(sb.st_mode)) {
			walk_dir(l, p, depth + 1, root_len);
		} else if (S_ISREG(sb.st_mode)) {
			if (walk_classify(p) != WALK_BINARY)
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
