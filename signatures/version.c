#include "version.h"
#include "release.h"

#include <fnmatch.h>

#include <ctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static bool starts_with_rc(const char *p)
{
	return !strncmp(p, "-rc", 3) && isdigit((unsigned char)p[3]);
}

/* dpkg's order of non-digit characters: '~' first, then end, letters, others. */
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

/* dpkg's verrevcmp over the whole string. */
int version_cmp_dpkg(const char *a, const char *b)
{
	while (*a || *b) {
		int first_diff = 0;

		while ((*a && !isdigit((unsigned char)*a)) || (*b && !isdigit((unsigned char)*b))) {
			int ac = dpkg_order((unsigned char)*a), bc = dpkg_order((unsigned char)*b);
			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (*a == '0')
			a++;
		while (*b == '0')
			b++;
		while (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			if (!first_diff)
				first_diff = *a - *b;
			a++;
			b++;
		}
		if (isdigit((unsigned char)*a))
			return 1;
		if (isdigit((unsigned char)*b))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
}

/* rpm's rpmvercmp: alphanumeric segments, separators only separate. */
int version_cmp_rpm(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 0;
	while (*a || *b) {
		const char *sa, *sb;
		size_t la, lb;
		bool num;

		while (*a && !isalnum((unsigned char)*a) && *a != '~')
			a++;
		while (*b && !isalnum((unsigned char)*b) && *b != '~')
			b++;
		if (*a == '~' || *b == '~') {
			if (*a != '~')
				return 1;
			if (*b != '~')
				return -1;
			a++;
			b++;
			continue;
		}
		if (!*a || !*b)
			break;
		sa = a;
		sb = b;
		num = isdigit((unsigned char)*a);
		if (num) {
			while (isdigit((unsigned char)*a))
				a++;
			while (isdigit((unsigned char)*b))
				b++;
		} else {
			while (isalpha((unsigned char)*a))
				a++;
			while (isalpha((unsigned char)*b))
				b++;
		}
		if (sb == b)	/* segments of different types: numeric is newer */
			return num ? 1 : -1;
		if (num) {
			while (*sa == '0' && sa < a - 1)
				sa++;
			while (*sb == '0' && sb < b - 1)
				sb++;
		}
		la = (size_t)(a - sa);
		lb = (size_t)(b - sb);
		if (num && la != lb)
			return la < lb ? -1 : 1;
		{
			size_t n = la < lb ? la : lb;
			int c = memcmp(sa, sb, n);
			if (c)
				return c;
			if (la != lb)
				return la < lb ? -1 : 1;
		}
	}
	if (!*a && !*b)
		return 0;
	return *a ? 1 : -1;
}

static bool has_rpm_dist(const char *v)
{
	for (const char *p = v; (p = strchr(p, '.')); p++)
		if ((p[1] == 'e' && p[2] == 'l' && isdigit((unsigned char)p[3])) ||
		    (p[1] == 'f' && p[2] == 'c' && isdigit((unsigned char)p[3])) ||
		    !strncmp(p + 1, "amzn", 4))
			return true;
	return false;
}

/* Copy without a trailing ".x86_64"-style architecture. */
static void strip_arch(const char *v, char *out, size_t n)
{
	static const char *const arches[] = {
		".x86_64", ".aarch64", ".ppc64le", ".ppc64", ".s390x", ".i686",
		".i386", ".armv7hl", ".noarch",
	};
	size_t len = strlen(v);

	snprintf(out, n, "%s", v);
	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++) {
		size_t al = strlen(arches[i]);
		if (len > al && len < n && !strcmp(v + len - al, arches[i])) {
			out[len - al] = '\0';
			break;
		}
	}
}

int version_cmp(const char *a, const char *b)
{
	char x[256], y[256];

	strip_arch(a, x, sizeof(x));
	strip_arch(b, y, sizeof(y));
	if (has_rpm_dist(x) || has_rpm_dist(y))
		return version_cmp_rpm(x, y);
	return version_cmp_dpkg(x, y);
}

static bool prefix_match(const char *release, const char *v)
{
	char r[256];
	size_t n = strlen(v);

	strip_arch(release, r, sizeof(r));
	if (!strcmp(r, v))
		return true;
	return !strncmp(release, v, n) && strchr(".-+~_", release[n]) && release[n];
}

int version_match(const char *predicate, const char *release)
{
	const char *p = predicate;
	bool all = true;
	int terms = 0;

	while (*p) {
		char op[3] = "", ver[256];
		size_t n = 0;
		int c;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		while ((*p == '<' || *p == '>' || *p == '=' || *p == '!') && n < 2)
			op[n++] = *p++;
		op[n] = '\0';
		while (*p == ' ')
			p++;
		n = 0;
		while (*p && *p != ',' && *p != ' ' && n < sizeof(ver) - 1)
			ver[n++] = *p++;
		ver[n] = '\0';
		if (!n)
			return -1;
		while (*p == ' ')
			p++;
		if (*p && *p != ',')
			return -1;
		terms++;
		if (strcmp(op, "") && strcmp(op, "=") && strcmp(op, "==") && strcmp(op, "!=") &&
		    strcmp(op, "<") && strcmp(op, "<=") && strcmp(op, ">") && strcmp(op, ">="))
			return -1;
		if (!release) {
			all = false;	/* keep parsing: the syntax must be checked */
			continue;
		}
		c = version_cmp(release, ver);
		if (!op[0] || !strcmp(op, "=") || !strcmp(op, "=="))
			all &= prefix_match(release, ver);
		else if (!strcmp(op, "!="))
			all &= !prefix_match(release, ver);
		else if (!strcmp(op, "<"))
			all &= c < 0;
		else if (!strcmp(op, "<="))
			all &= c <= 0 || prefix_match(release, ver);
		else if (!strcmp(op, ">"))
			all &= c > 0 && !prefix_match(release, ver);
		else
			all &= c >= 0;		/* ">=" */
	}
	return terms ? all : -1;
}

/*
 * Kernel order (Makefile VERSION.PATCHLEVEL.SUBLEVEL, "-rcN" before the
 * release): 5.10 = 5.10.0 < 5.10.1 < 5.11-rc1 < 5.11.
 */
int version_cmp_kernel(const char *a, const char *b)
{
	const char *s[2] = { a, b };
	long v[2][4];

	for (int k = 0; k < 2; k++) {
		const char *p = s[k];
		char *e;
		for (int i = 0; i < 3; i++) {
			v[k][i] = 0;
			if (isdigit((unsigned char)*p)) {
				v[k][i] = strtol(p, &e, 10);
				p = e;
				if (*p == '.' && isdigit((unsigned char)p[1]))
					p++;
			}
		}
		v[k][3] = starts_with_rc(p) ? strtol(p + 3, NULL, 10) : 1L << 30;
	}
	for (int i = 0; i < 4; i++)
		if (v[0][i] != v[1][i])
			return v[0][i] < v[1][i] ? -1 : 1;
	return 0;
}

int version_cmp_order(int order, const char *a, const char *b)
{
	switch (order) {
	case ORDER_KERNEL:
		return version_cmp_kernel(a, b);
	case ORDER_RPM:
		return version_cmp_rpm(a, b);
	default:
		return version_cmp_dpkg(a, b);
	}
}

int package_match(const char *predicate, const char *const *names,
		  const char *const *versions, const char **which)
{
	const char *p = predicate;
	int terms = 0, all = 1;

	if (which)
		*which = NULL;
	while (*p) {
		char name[256], rest[300];
		size_t n = 0, r = 0;
		bool held = false;

		while (*p == ' ' || *p == ',')
			p++;
		if (!*p)
			break;
		while (*p && *p != ' ' && *p != ',' && *p != '<' && *p != '>' && *p != '=' &&
		       *p != '!' && n < sizeof(name) - 1)
			name[n++] = *p++;
		name[n] = '\0';
		while (*p == ' ')
			p++;
		while (*p && *p != ',' && r < sizeof(rest) - 1)
			rest[r++] = *p++;
		/* "qemu-system-x86 >= 1:7.0, < 1:7.2": a comparison with no name
		   before it belongs to the package before it, so one version must
		   hold both (as in the kernel predicate's ranges). */
		for (;;) {
			const char *q = p;
			while (*q == ',' || *q == ' ')
				q++;
			if (*p != ',' || !strchr("<>=!", *q) || !*q)
				break;
			if (r < sizeof(rest) - 2)
				rest[r++] = ',', rest[r++] = ' ';
			p = q;
			while (*p && *p != ',' && r < sizeof(rest) - 1)
				rest[r++] = *p++;
		}
		rest[r] = '\0';
		if (!n || !r || version_match(rest, NULL) < 0)
			return -1;
		terms++;
		if (!names) {
			all = 0;
			continue;
		}
		for (size_t i = 0; names[i]; i++)
			if (!fnmatch(name, names[i], 0) && versions[i] &&
			    version_match(rest, versions[i]) == 1) {
				held = true;
				if (which && !*which)
					*which = names[i];
			}
		all &= held;
	}
	return terms ? all : -1;
}
