/*
** framepat: parse and match ordered frame patterns (see framepat.h).
**
** Matching places each gap-free segment at its leftmost possible position
** after the previous one; for patterns made of fixed-length segments joined
** by unbounded gaps the leftmost placement never loses a match, so the
** matcher is O(frames × elements) with no backtracking.
*/
#include "framepat.h"
#include "util.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pat_elem {
	char *func;		/* glob */
	char *module;		/* glob, "vmlinux", or NULL for any */
	bool gap;		/* "..." */
	bool literal;		/* func has no glob characters */
};

struct frame_pattern {
	struct pat_elem *elems;
	size_t nr;
	bool anchored;
};

void frame_pattern_free(struct frame_pattern *fp)
{
	if (!fp)
		return;
	for (size_t i = 0; i < fp->nr; i++) {
		free(fp->elems[i].func);
		free(fp->elems[i].module);
	}
	free(fp->elems);
	free(fp);
}

static bool glob_char_ok(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '*' || c == '?' ||
	       c == '[' || c == ']' || c == '-' || c == '!' || c == '$';
}

/* Reject globs that fnmatch() could take long on, and odd characters. */
static int check_glob(const char *g, size_t n, char *err, size_t errlen)
{
	int stars = 0;

	if (n == 0 || n > FRAME_GLOB_MAX) {
		snprintf(err, errlen, "function pattern must be 1 to %d characters",
			 FRAME_GLOB_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!glob_char_ok((unsigned char)g[i])) {
			snprintf(err, errlen, "bad character '%c' in '%.*s'", g[i], (int)n, g);
			return -1;
		}
		stars += g[i] == '*';
	}
	if (stars > 4) {
		snprintf(err, errlen, "at most 4 '*' in '%.*s'", (int)n, g);
		return -1;
	}
	return 0;
}

static int parse_elem(const char *s, size_t n, struct pat_elem *el, char *err,
		      size_t errlen)
{
	const char *sp = memchr(s, ' ', n), *tab = memchr(s, '\t', n);
	const char *fe = sp && (!tab || sp < tab) ? sp : tab ? tab : s + n;
	const char *m;

	memset(el, 0, sizeof(*el));
	if (check_glob(s, fe - s, err, errlen))
		return -1;
	el->func = xstrndup(s, fe - s);
	el->literal = !strpbrk(el->func, "*?[");
	m = fe;
	while (m < s + n && isspace((unsigned char)*m))
		m++;
	if (m < s + n) {
		const char *me = s + n;

		if (*m != '[' || me[-1] != ']' || me - m < 3) {
			snprintf(err, errlen, "expected 'FUNC [MODULE]', got '%.*s'", (int)n, s);
			return -1;
		}
		if (check_glob(m + 1, me - m - 2, err, errlen))
			return -1;
		el->module = xstrndup(m + 1, me - m - 2);
	}
	return 0;
}

struct frame_pattern *frame_pattern_parse(const char *value, char *err,
					  size_t errlen, unsigned *bad_line)
{
	struct frame_pattern *fp = xcalloc(1, sizeof(*fp));
	const char *p = value;
	size_t alloc = 0, nr_frames = 0;
	unsigned lineno = 0;
	bool last_gap = false;

	*bad_line = 0;
	while (*p) {
		const char *eol = strchr(p, '\n'), *s = p, *e;

		if (!eol)
			eol = p + strlen(p);
		e = eol;
		p = *eol ? eol + 1 : eol;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		*bad_line = lineno++;
		if (s == e)
			continue;
		if (e - s == 1 && *s == '^') {
			if (fp->nr || fp->anchored) {
				snprintf(err, errlen, "'^' must be the first element");
				goto bad;
			}
			fp->anchored = true;
			continue;
		}
		if (fp->nr >= FRAME_PATTERN_MAX_ELEMS) {
			snprintf(err, errlen, "more than %d elements", FRAME_PATTERN_MAX_ELEMS);
			goto bad;
		}
		ALLOC_GROW(fp->elems, fp->nr + 1, alloc);
		if (e - s == 3 && !memcmp(s, "...", 3)) {
			if (last_gap || !fp->nr) {
				snprintf(err, errlen, "'...' must follow a frame (a leading gap "
					 "is implicit; use '^' to anchor)");
				goto bad;
			}
			memset(&fp->elems[fp->nr++], 0, sizeof(fp->elems[0]));
			fp->elems[fp->nr - 1].gap = true;
			last_gap = true;
			continue;
		}
		if (parse_elem(s, e - s, &fp->elems[fp->nr], err, errlen)) {
			free(fp->elems[fp->nr].func);
			goto bad;
		}
		fp->nr++;
		nr_frames++;
		last_gap = false;
	}
	if (last_gap) {
		snprintf(err, errlen, "a trailing '...' is implicit: remove it");
		goto bad;
	}
	if (!nr_frames) {
		snprintf(err, errlen, "no frame in pattern");
		goto bad;
	}
	return fp;
bad:
	frame_pattern_free(fp);
	return NULL;
}

static bool elem_match(const struct pat_elem *el, const struct frame_ref *f)
{
	if (!f->func)
		return false;
	if (el->literal ? strcmp(el->func, f->func) : fnmatch(el->func, f->func, 0))
		return false;
	if (!el->module)
		return true;
	if (!strcmp(el->module, "vmlinux"))
		return !f->module;
	return f->module && !fnmatch(el->module, f->module, 0);
}

bool frame_pattern_match(const struct frame_pattern *fp, const struct frame_ref *frames,
			 size_t n, size_t *matched, size_t *nr_matched)
{
	size_t pos = 0, e = 0;

	*nr_matched = 0;
	while (e < fp->nr) {
		size_t seg_end = e, len, start, last_start;
		bool found = false;

		while (seg_end < fp->nr && !fp->elems[seg_end].gap)
			seg_end++;
		len = seg_end - e;
		last_start = e == 0 && fp->anchored ? 0 : n;
		for (start = pos; start + len <= n && start <= last_start; start++) {
			size_t k;

			for (k = 0; k < len; k++)
				if (!elem_match(&fp->elems[e + k], &frames[start + k]))
					break;
			if (k == len) {
				found = true;
				break;
			}
		}
		if (!found)
			return false;
		for (size_t k = 0; k < len; k++)
			matched[(*nr_matched)++] = start + k;
		pos = start + len;
		e = seg_end + 1;	/* skip the gap */
	}
	return true;
}

size_t frame_pattern_size(const struct frame_pattern *fp)
{
	size_t n = 0;

	for (size_t i = 0; i < fp->nr; i++)
		n += !fp->elems[i].gap;
	return n;
}

size_t frame_pattern_literals(const struct frame_pattern *fp, const char **out,
			      size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < fp->nr && n < max; i++)
		if (!fp->elems[i].gap && fp->elems[i].literal)
			out[n++] = fp->elems[i].func;
	return n;
}
