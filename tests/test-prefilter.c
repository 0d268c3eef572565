/*
 * Unit tests for the prefilter's search paths: each path the CPU supports
 * (scalar, SSSE3, AVX2, AVX-512) against a plain search, on random text with
 * literals planted at every offset of the 16/32/64-byte steps, across their
 * edges, cut off by the buffer's end, and with bytes that only resemble
 * anchors (same nibbles, same low 7 bits).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefilter.h"
#include "prefilter_impl.h"

#define BUF 600
#define GUARD 80	/* bytes around the searched range, never part of it */

/* A small deterministic generator: the failures must be reproducible. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * What the search must return: NULL when no literal lies wholly in
 * [p, end); else a position on the first line (of [p, end)) holding one.
 * Returns that line's bounds.
 */
static bool first_line_with_literal(const char *p, const char *end,
				    const char **line, const char **line_end)
{
	const char *ls = p;

	while (ls < end) {
		const char *le = memchr(ls, '\n', (size_t)(end - ls));
		if (!le)
			le = end;
		for (size_t i = 0; i < prefilter_nr_literals(); i++) {
			const char *lit = prefilter_literal(i);
			if (memmem(ls, (size_t)(le - ls), lit, strlen(lit))) {
				*line = ls;
				*line_end = le;
				return true;
			}
		}
		ls = le + 1;
	}
	return false;
}

static size_t plain_count(const char *p, const char *end)
{
	size_t n = 0;

	for (; p < end; p++)
		n += *p == '\n';
	return n;
}

/* One search over [p, end) by one path, checked against the plain search. */
static void check_one(const struct prefilter *pf, const char *p, const char *end,
		      bool any, const char *line, const char *line_end,
		      const char *what, uint64_t seed)
{
	const char *got;
	size_t nl = 12345;

	got = prefilter_find_counting(pf, p, end, &nl);
	if (!any) {
		if (got)
			fail_msg("%s, %s, seed %llu: found \"%.20s\" at %td, no literal there",
				 prefilter_isa_name(prefilter_isa(pf)), what,
				 (unsigned long long)seed, got, got - p);
		assert_int_equal(nl, plain_count(p, end));
		return;
	}
	if (!got || got < line || got >= line_end)
		fail_msg("%s, %s, seed %llu: got %td, expected a literal in [%td, %td)",
			 prefilter_isa_name(prefilter_isa(pf)), what, (unsigned long long)seed,
			 got ? got - p : -1, line - p, line_end - p);
	/* A literal starts there and fits. */
	{
		bool starts = false;
		for (size_t i = 0; i < prefilter_nr_literals() && !starts; i++) {
			const char *lit = prefilter_literal(i);
			starts = strlen(lit) <= (size_t)(end - got) && !memcmp(got, lit, strlen(lit));
		}
		assert_true(starts);
	}
	assert_int_equal(nl, plain_count(p, got));
	assert_true(prefilter_find(pf, p, end) == got);
}

/* The search over [p, end) by every path in pf[0..np). */
static void check(struct prefilter *const *pf, size_t np, const char *p, const char *end,
		  const char *what, uint64_t seed)
{
	const char *line = NULL, *line_end = NULL;
	bool any = first_line_with_literal(p, end, &line, &line_end);

	for (size_t k = 0; k < np; k++)
		check_one(pf[k], p, end, any, line, line_end, what, seed);
	/* All paths visit the positions in order: the very same answer. */
	for (size_t k = 1; k < np; k++)
		assert_true(prefilter_find(pf[k], p, end) == prefilter_find(pf[0], p, end));
}

/* Each supported path, built once per test. */
static size_t paths(struct prefilter **out)
{
	size_t n = 0;

	for (int isa = PREFILTER_SCALAR; isa < PREFILTER_BEST; isa++) {
		if (!prefilter_isa_supported((enum prefilter_isa)isa)) {
			printf("# prefilter path %s: not supported here, not tested\n",
			       prefilter_isa_name((enum prefilter_isa)isa));
			continue;
		}
		out[n] = prefilter_new_isa((enum prefilter_isa)isa);
		assert_int_equal(prefilter_isa(out[n]), isa);
		n++;
	}
	return n;
}

static void free_paths(struct prefilter **pf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		prefilter_free(pf[i]);
}

/*
 * Noise that looks like the anchors: letters of the literals, blanks,
 * newlines, and bytes sharing a literal byte's nibbles or low 7 bits.
 */
static char noise(uint64_t *s)
{
	static const char pool[] = "BUGINFOWARNKernelkernel: task_rcuTCP-fs error()[]0123 \n\n";
	uint64_t r = next_rand(s);

	switch (r % 8) {
	case 0:
		return (char)(0x80 | (r >> 8 & 0x7f));	/* low 7 bits of an ASCII byte */
	case 1:
		return (char)((r >> 8) & 0xff);
	default:
		return pool[(r >> 8) % (sizeof(pool) - 1)];
	}
}

/* Every literal at every offset within [0, 64 + 16) of a buffer start that
   is itself at every alignment: the literal and its anchor cross the steps. */
static void test_every_offset(void **state)
{
	struct prefilter *pf[PREFILTER_BEST];
	size_t np = paths(pf);
	char *buf = malloc(BUF + 2 * GUARD);
	uint64_t seed = 1;

	(void)state;
	for (size_t li = 0; li < prefilter_nr_literals(); li++) {
		const char *lit = prefilter_literal(li);
		size_t len = strlen(lit);
		for (size_t align = 0; align < 8; align += 5) {
			for (size_t off = 0; off < 64 + 16; off++) {
				char *p = buf + GUARD + align;
				size_t n = 64 * 3;
				memset(buf, 'x', BUF + 2 * GUARD);
				for (size_t i = 0; i < n; i++)
					p[i] = noise(&seed);
				memcpy(p + off, lit, len);
				check(pf, np, p, p + n, "planted", seed);
				/* The same literal as the buffer's very last bytes. */
				check(pf, np, p, p + off + len, "at the end", seed);
				/* Cut by the end: not a match (unless noise made one). */
				check(pf, np, p, p + off + len - 1, "cut by the end", seed);
				/* Started before the range: it does not count. */
				check(pf, np, p + off + 1, p + n, "starts before", seed);
			}
		}
	}
	free(buf);
	free_paths(pf, np);
}

/* Random lengths and contents, several literals and newlines, all paths. */
static void test_random(void **state)
{
	struct prefilter *pf[PREFILTER_BEST];
	size_t np = paths(pf);
	char *buf = malloc(BUF + 2 * GUARD);
	uint64_t seed = 0x9e3779b97f4a7c15ull;

	(void)state;
	for (int round = 0; round < 10000; round++) {
		size_t n = next_rand(&seed) % BUF, planted = next_rand(&seed) % 4;
		char *p = buf + GUARD + next_rand(&seed) % 64;
		uint64_t at_seed = seed;

		if (p + n > buf + BUF + 2 * GUARD)
			n = (size_t)(buf + BUF + 2 * GUARD - p);
		for (size_t i = 0; i < n; i++)
			p[i] = noise(&seed);
		for (size_t j = 0; j < planted && n; j++) {
			const char *lit = prefilter_literal(next_rand(&seed) % prefilter_nr_literals());
			size_t len = strlen(lit), at = next_rand(&seed) % n;
			/* May run past the end: the part that fits is planted. */
			memcpy(p + at, lit, len < n - at ? len : n - at);
		}
		check(pf, np, p, p + n, "random", at_seed);
	}
	free(buf);
	free_paths(pf, np);
}

/* Long runs without any literal: the newline count over many steps. */
static void test_counts_long_runs(void **state)
{
	struct prefilter *pf[PREFILTER_BEST];
	size_t np = paths(pf);
	size_t n = 1 << 16;
	char *buf = malloc(n);
	uint64_t seed = 7;

	(void)state;
	for (size_t i = 0; i < n; i++)
		buf[i] = (next_rand(&seed) % 9) ? 'a' + (char)(next_rand(&seed) % 26) : '\n';
	for (size_t k = 0; k < np; k++) {
		size_t nl = 0;
		assert_null(prefilter_find_counting(pf[k], buf, buf + n, &nl));
		assert_int_equal(nl, plain_count(buf, buf + n));
		assert_int_equal(count_newlines(buf + 3, n - 5), plain_count(buf + 3, buf + n - 2));
	}
	memcpy(buf + n - 100, "Oops", 4);
	check(pf, np, buf, buf + n, "long run", 7);
	free(buf);
	free_paths(pf, np);
}

/* KSIFT_PREFILTER caps the path (tests/prefilter.sh runs each this way). */
static void test_env_caps_path(void **state)
{
	struct prefilter *pf;

	(void)state;
	setenv("KSIFT_PREFILTER", "scalar", 1);
	pf = prefilter_new();
	assert_int_equal(prefilter_isa(pf), PREFILTER_SCALAR);
	prefilter_free(pf);
	setenv("KSIFT_PREFILTER", "avx2", 1);
	pf = prefilter_new();
	assert_true(prefilter_isa(pf) <= PREFILTER_AVX2);
	assert_int_equal(prefilter_isa(pf), prefilter_isa_supported(PREFILTER_AVX2) ?
			 PREFILTER_AVX2 : prefilter_isa_supported(PREFILTER_SSSE3) ?
			 PREFILTER_SSSE3 : PREFILTER_SCALAR);
	prefilter_free(pf);
	unsetenv("KSIFT_PREFILTER");
	pf = prefilter_new();
	for (int isa = prefilter_isa(pf) + 1; isa < PREFILTER_BEST; isa++)
		assert_false(prefilter_isa_supported((enum prefilter_isa)isa));
	prefilter_free(pf);
}

/* The tables the build generated (pf_tables) are what pf_build() makes. */
static void test_generated_tables(void **state)
{
	struct prefilter *fresh = calloc(1, sizeof(*fresh));

	(void)state;
	pf_build(fresh, pf_literals, pf_nr_literals);
#define SAME(field) assert_memory_equal(fresh->field, pf_tables.field, sizeof(fresh->field))
	SAME(byte_mask);
	SAME(lo);
	SAME(hi);
	SAME(slot);
	SAME(next);
	SAME(lens);
	SAME(anchor);
	SAME(anchor_bytes);
#undef SAME
	for (size_t i = 0; i < PF_MAX_LITERALS; i++) {
		assert_true(!fresh->lits[i] == !pf_tables.lits[i]);
		if (fresh->lits[i])
			assert_string_equal(fresh->lits[i], pf_tables.lits[i]);
	}
	free(fresh);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated_tables),
		cmocka_unit_test(test_every_offset),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_counts_long_runs),
		cmocka_unit_test(test_env_caps_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
