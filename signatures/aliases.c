/*
** aliases: renamed functions and locks (see aliases.h).
*/
#include "aliases.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define ALIASES_MAX_GROUPS 10000	/* a hand-written list, not a database */

struct alias_group {
	char **names;
	size_t nr;
};

struct aliases {
	struct alias_group *groups;
	size_t nr, alloc;
};

void aliases_free(struct aliases *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nr; i++) {
		for (size_t k = 0; k < a->groups[i].nr; k++)
			free(a->groups[i].names[k]);
		free(a->groups[i].names);
	}
	free(a->groups);
	free(a);
}

size_t aliases_count(const struct aliases *a)
{
	return a ? a->nr : 0;
}

char *const *aliases_group(const struct aliases *a, const char *name, size_t *n)
{
	for (size_t i = 0; a && i < a->nr; i++)
		for (size_t k = 0; k < a->groups[i].nr; k++)
			if (!strcmp(a->groups[i].names[k], name)) {
				*n = a->groups[i].nr;
				return a->groups[i].names;
			}
	*n = 0;
	return NULL;
}

__attribute__((format(printf, 4, 5)))
static void aerr(struct strbuf *err, const char *path, unsigned long line, const char *fmt, ...)
{
	va_list ap;

	strbuf_addf(err, "%s:%lu: ", path, line);
	va_start(ap, fmt);
	strbuf_vaddf(err, fmt, ap);
	va_end(ap);
	strbuf_addch(err, '\n');
}

/* Parse one "a = b = c" line into a new group; false on an error (reported). */
static bool parse_group(struct aliases *a, char *l, const char *path, unsigned long line,
			struct strbuf *err)
{
	struct alias_group g = { NULL, 0 };
	char *tok, *save;
	bool ok = true;

	for (tok = strtok_r(l, "=", &save); tok && ok; tok = strtok_r(NULL, "=", &save)) {
		char *b = tok, *e = tok + strlen(tok);
		size_t n;
		while (*b == ' ' || *b == '\t')
			b++;
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		*e = '\0';
		if (!*b || strpbrk(b, " \t*?[]|")) {
			aerr(err, path, line, "alias '%s' must be one name (no blanks, globs or '|')", b);
			ok = false;
		} else if (aliases_group(a, b, &n)) {
			aerr(err, path, line, "'%s' is already in another group", b);
			ok = false;
		} else {
			for (size_t k = 0; k < g.nr; k++)
				if (!strcmp(g.names[k], b)) {
					aerr(err, path, line, "'%s' is given twice", b);
					ok = false;
				}
			g.names = xrealloc(g.names, (g.nr + 1) * sizeof(*g.names));
			g.names[g.nr++] = xstrdup(b);
		}
	}
	if (ok && g.nr < 2) {
		aerr(err, path, line, "an alias line is 'NAME = OTHER NAME [= …]'");
		ok = false;
	}
	if (ok && a->nr >= ALIASES_MAX_GROUPS) {
		aerr(err, path, line, "more than %d alias groups", ALIASES_MAX_GROUPS);
		ok = false;
	}
	if (!ok) {
		for (size_t k = 0; k < g.nr; k++)
			free(g.names[k]);
		free(g.names);
		return false;
	}
	ALLOC_GROW(a->groups, a->nr + 1, a->alloc);
	a->groups[a->nr++] = g;
	return true;
}

struct aliases *aliases_parse(const char *text, size_t len, const char *path,
			      struct strbuf *err)
{
	struct aliases *a = xcalloc(1, sizeof(*a));
	const char *p = text, *end = text + len;
	unsigned long line = 0;
	bool ok = true;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		char *l = xmemdupz(p, (size_t)(e - p)), *b = l;

		line++;
		p = nl ? nl + 1 : end;
		while (*b == ' ' || *b == '\t')
			b++;
		if (*b && *b != '#' && !parse_group(a, b, path, line, err))
			ok = false;
		free(l);
	}
	if (!ok) {
		aliases_free(a);
		return NULL;
	}
	return a;
}
