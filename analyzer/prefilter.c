#include "prefilter.h"
#include "prefilter_impl.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

size_t prefilter_nr_literals(void)
{
	return pf_nr_literals;
}

const char *prefilter_literal(size_t i)
{
	return i < pf_nr_literals ? pf_literals[i] : NULL;
}

bool prefilter_isa_supported(enum prefilter_isa isa)
{
	switch (isa) {
	case PREFILTER_SCALAR:
		return true;
#ifdef PF_HAVE_X86
	case PREFILTER_SSSE3:
		return __builtin_cpu_supports("ssse3");
	case PREFILTER_AVX2:
		return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
	case PREFILTER_AVX512:
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
		       __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("popcnt");
#endif
	default:
		return false;
	}
}

static const char *const isa_names[] = { "scalar", "ssse3", "avx2", "avx512", "best" };

const char *prefilter_isa_name(enum prefilter_isa isa)
{
	return isa <= PREFILTER_BEST ? isa_names[isa] : "?";
}

struct prefilter *prefilter_new_isa(enum prefilter_isa want)
{
	struct prefilter *pf = xmalloc(sizeof(*pf));

	/* Built with the program, by prefilter_gen.c: building them takes
	   about a millisecond, serial time at every start. */
	*pf = pf_tables;
	if (want > PREFILTER_BEST)
		want = PREFILTER_BEST;
	pf->isa = want == PREFILTER_BEST ? PREFILTER_AVX512 : want;
	while (!prefilter_isa_supported(pf->isa))
		pf->isa--;
	return pf;
}

struct prefilter *prefilter_new(void)
{
	const char *env = getenv("KSIFT_PREFILTER");
	enum prefilter_isa want = PREFILTER_BEST;

	for (int i = 0; env && i < PREFILTER_BEST; i++)
		if (!strcmp(env, isa_names[i]))
			want = (enum prefilter_isa)i;
	return prefilter_new_isa(want);
}

enum prefilter_isa prefilter_isa(const struct prefilter *pf)
{
	return pf->isa;
}

void prefilter_free(struct prefilter *pf)
{
	free(pf);
}

const char *pf_verify(const struct prefilter *pf, const char *begin, const char *p,
		      const char *end)
{
	uint32_t here = pf_load(p);

	for (unsigned s = pf->slot[pf_hash(here)]; s; s = pf->next[s - 1]) {
		unsigned i = s - 1;
		const char *lit;
		if (pf->anchor_bytes[i] != here)
			continue;
		/* Compared as addresses only once known to be in range. */
		if ((size_t)(p - begin) < pf->anchor[i])
			continue;
		lit = p - pf->anchor[i];
		if (pf->lens[i] <= (size_t)(end - lit) && !memcmp(lit, pf->lits[i], pf->lens[i]))
			return lit;
	}
	return NULL;
}

const char *pf_find_scalar(const struct prefilter *pf, const char *begin,
			   const char *p, const char *end, size_t *newlines)
{
	const unsigned char *u = (const unsigned char *)p;
	const unsigned char *e = (const unsigned char *)end;
	size_t count = 0;

	for (; e - u >= PF_WINDOW; u++) {
		unsigned m = pf->byte_mask[0][u[0]];
		count += u[0] == '\n';
		if (!m)
			continue;
		m &= pf->byte_mask[1][u[1]] & pf->byte_mask[2][u[2]] & pf->byte_mask[3][u[3]];
		if (m) {
			const char *lit = pf_verify(pf, begin, (const char *)u, end);
			if (lit) {
				/* [lit, u] lies in the literal: no newline in it,
				   and the one at u (none) was counted. */
				*newlines += count;
				return lit;
			}
		}
	}
	*newlines += count + count_newlines((const char *)u, (size_t)(e - u));
	return NULL;
}

const char *prefilter_find_counting(const struct prefilter *pf, const char *p,
				    const char *end, size_t *newlines)
{
	*newlines = 0;
	switch (pf->isa) {
#ifdef PF_HAVE_X86
	case PREFILTER_AVX512:
		return pf_find_avx512(pf, p, end, newlines);
	case PREFILTER_AVX2:
		return pf_find_avx2(pf, p, end, newlines);
	case PREFILTER_SSSE3:
		return pf_find_ssse3(pf, p, end, newlines);
#endif
	default:
		return pf_find_scalar(pf, p, p, end, newlines);
	}
}

const char *prefilter_find(const struct prefilter *pf, const char *p, const char *end)
{
	size_t ignored;

	return prefilter_find_counting(pf, p, end, &ignored);
}

size_t count_newlines(const char *p, size_t n)
{
	size_t count = 0, i = 0;
#ifdef __SSE2__
	/*
	 * Subtracting the 0/-1 compare results counts per byte lane; psadbw
	 * folds the lanes before they can overflow (at most 255 rounds).
	 */
	const __m128i nl = _mm_set1_epi8('\n');
	const __m128i zero = _mm_setzero_si128();

	while (i + 16 <= n) {
		__m128i acc = zero;
		size_t rounds = (n - i) / 16;

		if (rounds > 255)
			rounds = 255;
		for (size_t r = 0; r < rounds; r++, i += 16) {
			__m128i c = _mm_loadu_si128((const __m128i *)(p + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(c, nl));
		}
		acc = _mm_sad_epu8(acc, zero);
		count += (size_t)_mm_cvtsi128_si64(acc) +
			 (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
	}
#endif
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}
