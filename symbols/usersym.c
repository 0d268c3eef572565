/*
** usersym: userspace debug files by path and build ID (usersym.h).
*/
#include "config.h"
#include "usersym.h"
#include "dbgd.h"
#include "strbuf.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Modules remembered (found or not): the oldest is forgotten past this. */
#define USERSYM_MAX_ENTRIES 4096u

struct user_entry {
	char *key;		/* build ID, or "path:" + path when none */
	struct debugfile *df;	/* NULL: nothing usable (said once) */
	uint64_t used;		/* last use, for closing the oldest */
};

struct usersym {
	char *debug_root;
	bool debuginfod;
	struct dbgd_lazy dbgd;
	struct user_entry *entries;
	size_t nr, alloc;
	uint64_t clock;
	size_t open_files;
};

struct usersym *usersym_new(const struct symbolizer_options *opts)
{
	struct usersym *s = xcalloc(1, sizeof(*s));
	const char *urls = getenv("DEBUGINFOD_URLS");

	s->debug_root = xstrdup(opts && opts->debug_root ? opts->debug_root : "/usr/lib/debug");
	s->debuginfod = opts && opts->debuginfod && urls && *urls;
	return s;
}

void usersym_free(struct usersym *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr; i++) {
		free(s->entries[i].key);
		debugfile_free(s->entries[i].df);
	}
	free(s->entries);
	dbgd_free(s->dbgd.d);
	free(s->debug_root);
	free(s);
}

/* Past USERSYM_MAX_FILES open files the least recently used one is closed
 * (and forgotten: it is found again if needed). */
static void close_oldest(struct usersym *s, bool open_only)
{
	size_t oldest = SIZE_MAX;

	for (size_t i = 0; i < s->nr; i++)
		if ((s->entries[i].df || !open_only) &&
		    (oldest == SIZE_MAX || s->entries[i].used < s->entries[oldest].used))
			oldest = i;
	if (oldest == SIZE_MAX)
		return;
	if (s->entries[oldest].df)
		s->open_files--;
	debugfile_free(s->entries[oldest].df);
	free(s->entries[oldest].key);
	s->entries[oldest] = s->entries[--s->nr];
}

static struct debugfile *try_open(struct usersym *s, const char *path,
				  const char *build_id, struct strbuf *why)
{
	char *err = NULL;
	struct debugfile *df = debugfile_open(path, NULL, s->debug_root, s->debuginfod, &err);

	if (df && *build_id && debugfile_build_id(df) &&
	    strcmp(debugfile_build_id(df), build_id)) {
		strbuf_addf(why, "%s%s has build ID %s, not %s", why->len ? "; " : "",
			    path, debugfile_build_id(df), build_id);
		debugfile_free(df);
		return NULL;
	}
	if (!df) {
		strbuf_addf(why, "%s%s", why->len ? "; " : "", err ? err : path);
		free(err);
	}
	return df;
}

struct debugfile *usersym_module(struct usersym *s, const char *path,
				 const char *build_id, char **why)
{
	struct strbuf key = STRBUF_INIT, reasons = STRBUF_INIT;
	struct debugfile *df = NULL;
	struct user_entry *e;
	char *found;

	*why = NULL;
	if (*build_id)
		strbuf_addstr(&key, build_id);
	else
		strbuf_addf(&key, "path:%s", path ? path : "");
	for (size_t i = 0; i < s->nr; i++) {
		if (!strcmp(s->entries[i].key, key.buf)) {
			s->entries[i].used = ++s->clock;
			strbuf_release(&key);
			return s->entries[i].df;
		}
	}
	if (path)
		df = try_open(s, path, build_id, &reasons);
	if (!df && *build_id &&
	    (found = dbgd_debug_file(s->debug_root, build_id, s->debuginfod, &s->dbgd))) {
		df = try_open(s, found, build_id, &reasons);
		free(found);
	}
	if (!df) {
		struct strbuf w = STRBUF_INIT;
		if (!path && !*build_id)
			strbuf_addstr(&w, "neither the file nor its build ID is known");
		else if (!path)
			strbuf_addf(&w, "no file, and no debug file for build ID %s under %s/.build-id%s",
				    build_id, s->debug_root,
				    s->debuginfod ? " nor from debuginfod" : "");
		else
			strbuf_add(&w, reasons.buf, reasons.len);
		*why = strbuf_detach(&w, NULL);
	}
	strbuf_release(&reasons);
	if (df && s->open_files >= USERSYM_MAX_FILES)
		close_oldest(s, true);
	if (s->nr >= USERSYM_MAX_ENTRIES)
		close_oldest(s, false);
	ALLOC_GROW(s->entries, s->nr + 1, s->alloc);
	e = &s->entries[s->nr++];
	e->key = strbuf_detach(&key, NULL);
	e->df = df;
	e->used = ++s->clock;
	if (df)
		s->open_files++;
	return df;
}
