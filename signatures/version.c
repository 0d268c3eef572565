/*
** version: dpkg and rpm version ordering for kernel releases (see version.h).
*/
#include "version.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* dpkg's order(): '~' first, the end, digits (handled apart), letters, rest. */
static int dpkg_order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

static int dpkg_cmp_n(const char *a, const char *ae, const char *b, const char *be)
{
	while (a < ae || b < be) {
		int first_diff = 0;

		while ((a < ae && !isdigit((unsigned char)*a)) ||
		       (b < be && !isdigit((unsigned char)*b))) {
			int ac = a < ae ? dpkg_order((unsigned char)*a) : 0;
			int bc = b < be ? dpkg_order((unsigned char)*b) : 0;

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (a < ae && *a == '0')
			a++;
		while (b < be && *b == '0')
			b++;
		while (a < ae && isdigit((unsigned char)*a) &&
		       b < be && isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (a < ae && isdigit((unsigned char)*a))
			return 1;
		if (b < be && isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

int dpkg_vercmp(const char *a, const char *b)
{
	return dpkg_cmp_n(a, a + strlen(a), b, b + strlen(b));
}

static int rpm_cmp_n(const char *one, const char *oe, const char *two, const char *te)
{
	while (one < oe || two < te) {
		const char *s1, *s2;
		bool isnum;
		size_t l1, l2;
		int rc;

		while (one < oe && !isalnum((unsigned char)*one) && *one != '~' && *one != '^')
			one++;
		while (two < te && !isalnum((unsigned char)*two) && *two != '~' && *two != '^')
			two++;
		/* '~' sorts before everything, including the end. */
		if ((one < oe && *one == '~') || (two < te && *two == '~')) {
			if (!(one < oe && *one == '~'))
				return 1;
			if (!(two < te && *two == '~'))
				return -1;
			one++;
			two++;
			continue;
		}
		/* '^' sorts after the end but before anything else. */
		if ((one < oe && *one == '^') || (two < te && *two == '^')) {
			if (one >= oe)
				return -1;
			if (two >= te)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (one >= oe || two >= te)
			break;
		s1 = one;
		s2 = two;
		isnum = isdigit((unsigned char)*s1);
		if (isnum) {
			while (one < oe && isdigit((unsigned char)*one))
				one++;
			while (two < te && isdigit((unsigned char)*two))
				two++;
		} else {
			while (one < oe && isalpha((unsigned char)*one))
				one++;
			while (two < te && isalpha((unsigned char)*two))
				two++;
		}
		if (two == s2)	/* segment types differ: numeric is newer */
			return isnum ? 1 : -1;
		if (isnum) {
			while (s1 < one && *s1 == '0')
				s1++;
			while (s2 < two && *s2 == '0')
				s2++;
			if ((one - s1) != (two - s2))
				return (one - s1) > (two - s2) ? 1 : -1;
		}
		l1 = one - s1;
		l2 = two - s2;
		rc = memcmp(s1, s2, l1 < l2 ? l1 : l2);
		if (rc)
			return rc < 0 ? -1 : 1;
		if (l1 != l2)
			return l1 < l2 ? -1 : 1;
	}
	if (one >= oe && two >= te)
		return 0;
	return one >= oe ? -1 : 1;
}

int rpm_vercmp(const char *a, const char *b)
{
	return rpm_cmp_n(a, a + strlen(a), b, b + strlen(b));
}

static const char *const arch_suffixes[] = {
	".x86_64", ".aarch64", ".i686", ".i386", ".ppc64le", ".ppc64", ".s390x",
	".armv7hl", ".noarch",
};

size_t kver_strip_arch(const char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < ARRAY_SIZE(arch_suffixes); i++) {
		size_t l = strlen(arch_suffixes[i]);

		if (n > l && !strcmp(s + n - l, arch_suffixes[i]))
			return n - l;
	}
	return n;
}

static bool looks_rpm(const char *s, size_t n)
{
	static const char *const tags[] = { ".el", ".fc", ".amzn", ".oe", ".an", ".mga", ".ol" };

	for (size_t i = 0; i < ARRAY_SIZE(tags); i++) {
		size_t l = strlen(tags[i]);

		for (const char *p = s; p + l < s + n; p++)
			if (!memcmp(p, tags[i], l) && isdigit((unsigned char)p[l]))
				return true;
	}
	return false;
}

int kver_cmp(const char *a, const char *b)
{
	size_t an = kver_strip_arch(a), bn = kver_strip_arch(b);

	if (looks_rpm(a, an) || looks_rpm(b, bn))
		return rpm_cmp_n(a, a + an, b, b + bn);
	return dpkg_cmp_n(a, a + an, b, b + bn);
}

static bool cond_holds(const struct kver_cond *c, const char *release)
{
	int r = kver_cmp(release, c->version);

	switch (c->op) {
	case KVER_EQ: return r == 0;
	case KVER_NE: return r != 0;
	case KVER_LT: return r < 0;
	case KVER_LE: return r <= 0;
	case KVER_GT: return r > 0;
	case KVER_GE: return r >= 0;
	}
	return false;
}

bool kver_ranges_match(const struct kver_ranges *r, const char *release)
{
	if (!release || !*release)
		return false;
	for (size_t i = 0; i < r->nr; i++) {
		bool all = true;

		for (size_t j = 0; j < r->ranges[i].nr && all; j++)
			all = cond_holds(&r->ranges[i].conds[j], release);
		if (all)
			return true;
	}
	return false;
}

void kver_ranges_free(struct kver_ranges *r)
{
	for (size_t i = 0; i < r->nr; i++) {
		for (size_t j = 0; j < r->ranges[i].nr; j++)
			free(r->ranges[i].conds[j].version);
		free(r->ranges[i].conds);
	}
	free(r->ranges);
	r->ranges = NULL;
	r->nr = 0;
}

static bool version_char_ok(int c)
{
	return isalnum(c) || c == '.' || c == '-' || c == '_' || c == '+' ||
	       c == '~' || c == '^' || c == ':';
}

/* Parse one "OP VERSION" condition in [s, e); returns 0 or -1 with err. */
static int parse_cond(const char *s, const char *e, struct kver_cond *c,
		      char *err, size_t errlen)
{
	static const struct { const char *tok; enum kver_op op; } ops[] = {
		{ ">=", KVER_GE }, { "<=", KVER_LE }, { "==", KVER_EQ },
		{ "!=", KVER_NE }, { ">", KVER_GT }, { "<", KVER_LT }, { "=", KVER_EQ },
	};
	const char *v;

	while (s < e && isspace((unsigned char)*s))
		s++;
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	c->op = KVER_EQ;
	for (size_t i = 0; i < ARRAY_SIZE(ops); i++) {
		size_t l = strlen(ops[i].tok);

		if ((size_t)(e - s) >= l && !memcmp(s, ops[i].tok, l)) {
			c->op = ops[i].op;
			s += l;
			break;
		}
	}
	while (s < e && isspace((unsigned char)*s))
		s++;
	if (s == e) {
		snprintf(err, errlen, "kernel: missing version");
		return -1;
	}
	for (v = s; v < e; v++)
		if (!version_char_ok((unsigned char)*v)) {
			snprintf(err, errlen, "kernel: bad character '%c' in version '%.*s' "
				 "(use OP VERSION, e.g. '>= 4.4.0-21')", *v, (int)(e - s), s);
			return -1;
		}
	if (!isdigit((unsigned char)*s)) {
		snprintf(err, errlen, "kernel: version '%.*s' must start with a digit",
			 (int)(e - s), s);
		return -1;
	}
	c->version = xstrndup(s, e - s);
	return 0;
}

int kver_ranges_parse(const char *value, struct kver_ranges *out, char *err,
		      size_t errlen, unsigned *bad_line)
{
	const char *line = value;
	unsigned lineno = 0;
	size_t alloc = 0;

	memset(out, 0, sizeof(*out));
	while (*line) {
		const char *eol = strchr(line, '\n');
		const char *p = line;
		struct kver_range range = { NULL, 0 };
		size_t calloc_ = 0;

		if (!eol)
			eol = line + strlen(line);
		while (p <= eol) {
			const char *comma = memchr(p, ',', eol - p);
			const char *end = comma ? comma : eol;

			ALLOC_GROW(range.conds, range.nr + 1, calloc_);
			if (parse_cond(p, end, &range.conds[range.nr], err, errlen)) {
				*bad_line = lineno;
				ALLOC_GROW(out->ranges, out->nr + 1, alloc);
				out->ranges[out->nr++] = range;
				kver_ranges_free(out);
				return -1;
			}
			range.nr++;
			p = end + 1;
		}
		ALLOC_GROW(out->ranges, out->nr + 1, alloc);
		out->ranges[out->nr++] = range;
		line = *eol ? eol + 1 : eol;
		lineno++;
	}
	if (!out->nr) {
		snprintf(err, errlen, "kernel: empty value");
		*bad_line = 0;
		return -1;
	}
	return 0;
}
