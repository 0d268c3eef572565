/*
** prefilter_scalar: the parts of the prefilter every path shares: the
** verification of a candidate anchor against its literals, the portable
** byte-at-a-time search the SIMD paths finish with, and newline counting.
** prefilter.c (dispatch) and prefilter_simd.c call these; they call
** nothing back.
*/
#include "prefilter.h"
#include "prefilter_impl.h"

#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
