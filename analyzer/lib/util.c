#define _GNU_SOURCE
#include "util.h"
#include "textsafe.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	char msg[8192], safe[8192];
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t len = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;

	/* Messages name paths and quote signature files: through the output
	   sanitizer, without allocating ("out of memory" must get out). */
	text_escape_fixed(safe, sizeof(safe), msg, len);
	/* One message per lock: worker threads report errors too. */
	flockfile(stderr);
	fputs("ksift: ", stderr);
	if (prefix)
		fputs(prefix, stderr);
	fputs(safe, stderr);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("fatal: ", fmt, ap);
	va_end(ap);
	exit(2);
}

void error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(NULL, fmt, ap);
	va_end(ap);
}

void error_lines(const char *text)
{
	while (text && *text) {
		size_t n = strcspn(text, "\n");
		if (n)
			error("%.*s", (int)n, text);
		text += n + (text[n] == '\n');
	}
}

void warning(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

void *xcalloc(size_t nmemb, size_t n)
{
	void *p = calloc(nmemb ? nmemb : 1, n ? n : 1);

	if (!p)
		die("out of memory");
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory (%zu bytes)", n);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xmemdupz(const void *s, size_t n)
{
	const char *in = s;
	char *p = xmalloc(n + 1);
	size_t i, j = 0;

	for (i = 0; i < n; i++)
		if (in[i])
			p[j++] = in[i];
	p[j] = '\0';
	return p;
}

const char *mem_skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

char *xmemdup_trim(const char *p, const char *end)
{
	if (end < p)
		end = p;
	p = mem_skip_blanks(p, end);
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	return xmemdupz(p, (size_t)(end - p));
}

bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool mem_starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && memcmp(s, prefix, n) == 0;
}

const char *skip_prefix(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(s, prefix, n) ? NULL : s + n;
}

bool mem_skip_prefix(const char **p, size_t *len, const char *prefix)
{
	size_t n = strlen(prefix);

	if (*len < n || memcmp(*p, prefix, n))
		return false;
	*p += n;
	*len -= n;
	return true;
}

uint64_t fnv1a64(uint64_t h, const void *data, size_t n)
{
	const unsigned char *u = data;

	for (size_t i = 0; i < n; i++) {
		h ^= u[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

const char *mem_find(const char *hay, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	if (m > n)
		return NULL;
	return memmem(hay, n, needle, m);
}

const char *mem_find_after(const char *hay, size_t n, const char *needle)
{
	const char *p = mem_find(hay, n, needle);
	return p ? p + strlen(needle) : NULL;
}

int is_hex_digit(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

const char *parse_hex(const char *s, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;
	const char *p = s;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
	    is_hex_digit((unsigned char)p[2]))
		p += 2;
	s = p;
	while (p < end && is_hex_digit((unsigned char)*p)) {
		int c = (unsigned char)*p;
		int d = c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
		v = (v << 4) | (unsigned)d;
		p++;
	}
	if (p == s)
		return NULL;
	*out = v;
	return p;
}

const char *parse_dec(const char *s, const char *end, long long *out)
{
	long long v = 0;
	const char *p = s;
	int neg = 0;

	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	s = p;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v < (long long)1e17)
			v = v * 10 + (*p - '0');
		p++;
	}
	if (p == s)
		return NULL;
	*out = neg ? -v : v;
	return p;
}

size_t mem_last_words(const char *start, const char *end, const char **word, size_t max)
{
	const char *p = end, *q;
	size_t found = 0;

	while (found < max && p > start) {
		while (p > start && p[-1] == ' ')
			p--;
		for (q = p; q > start && q[-1] != ' '; q--)
			;
		if (q == p)
			break;
		word[found++] = q;
		p = q;
	}
	return found;
}
