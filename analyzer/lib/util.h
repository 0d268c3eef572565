/*
** util: allocation wrappers that die on OOM, small string helpers, and the
** diagnostics sink (errors and warnings go to stderr as "ksift: FILE:LINE: msg").
** Nothing here keeps state.
*/
#ifndef KSIFT_UTIL_H
#define KSIFT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Grow an array to hold at least n elements (amortised), like git's ALLOC_GROW. */
#define ALLOC_GROW(x, n, alloc) do { \
	if ((n) > (alloc)) { \
		(alloc) = (alloc) * 2 + 8 > (n) ? (alloc) * 2 + 8 : (n); \
		(x) = xrealloc((x), (alloc) * sizeof(*(x))); \
	} \
} while (0)

__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void error(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void warning(const char *fmt, ...);
/*
 * Messages collected in a buffer, one a line ("FILE:LINE: message\n", as
 * the signature loader writes them): each through error(), so each gets
 * the "ksift: " prefix and the output sanitizer.
 */
void error_lines(const char *text);

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* xstrndup that also drops NUL bytes, for text taken from untrusted logs. */
char *xmemdupz(const void *s, size_t n);

bool starts_with(const char *s, const char *prefix);
/* Like starts_with for a counted buffer. */
bool mem_starts_with(const char *s, size_t len, const char *prefix);
const char *skip_prefix(const char *s, const char *prefix);
/*
 * git's skip_prefix_mem(): when the counted buffer [*p, *p + *len) starts
 * with prefix, advance *p and shrink *len past it and return true; else
 * leave both alone and return false. Replaces hand-counted "p + 15, n - 15"
 * offsets, whose count must agree with the literal.
 */
bool mem_skip_prefix(const char **p, size_t *len, const char *prefix);
/* First byte of [p, end) that is not a blank or tab (end if none). */
const char *mem_skip_blanks(const char *p, const char *end);
/* A copy of [p, end) without surrounding blanks; empty when end < p (fields
   of a hostile line that came out of order). NULs are dropped. */
char *xmemdup_trim(const char *p, const char *end);
/*
 * The last space-separated words of [start, end), last first: fills up to max
 * pointers to their first bytes and returns how many there were. For lines
 * whose trailing fields are fixed while the leading ones vary by kernel.
 */
size_t mem_last_words(const char *start, const char *end, const char **word, size_t max);
/* memmem that tolerates n == 0. */
const char *mem_find(const char *hay, size_t n, const char *needle);
/* Where the first needle in [hay, hay + n) ends, or NULL: "find, then
   skip strlen(needle)" without counting the literal by hand. */
const char *mem_find_after(const char *hay, size_t n, const char *needle);
int is_hex_digit(int c);

/*
 * FNV-1a, 64 bits: the one hash ksift uses wherever a stable, portable
 * value is stored or compared across runs (cluster hashes, shards, file
 * heads, host keys). Start with FNV1A64_INIT, feed pieces in order.
 */
#define FNV1A64_INIT 0xcbf29ce484222325ULL
uint64_t fnv1a64(uint64_t h, const void *data, size_t n);
/* Parse [0-9a-f]+ at s; returns end pointer or NULL when no digit. */
const char *parse_hex(const char *s, const char *end, unsigned long long *out);
const char *parse_dec(const char *s, const char *end, long long *out);

#endif
