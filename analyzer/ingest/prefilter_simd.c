/*
** The prefilter's SIMD paths (see prefilter.h), one function per instruction
** set, each compiled for its own target so the rest of ksift needs no
** special flags; prefilter.c picks one at run time.
*/
#include "prefilter_impl.h"

#ifdef PF_HAVE_X86
#include <immintrin.h>
#include <stdint.h>

/*
 * The positions of a step that passed the SIMD test, in order: most are no
 * anchor at all (bytes of different anchors of one bucket, or of the loose
 * nibble sets) and stop at an empty hash slot; the rest are compared.
 */
static inline const char *check_candidates(const struct prefilter *pf, uint64_t mask,
					   const char *begin, const char *p, const char *end)
{
	while (mask) {
		unsigned j = (unsigned)__builtin_ctzll(mask);
		const char *lit;

		mask &= mask - 1;
		if (pf->slot[pf_hash(pf_load(p + j))] && (lit = pf_verify(pf, begin, p + j, end)))
			return lit;
	}
	return NULL;
}

/*
 * A literal found in the step at p: add the newlines of the step before it.
 * One that starts before p (its anchor lies further in) has none between
 * its start and p: literals hold no newline.
 */
static inline size_t newlines_before(uint64_t nls, const char *lit, const char *p)
{
	return lit > p ? (size_t)__builtin_popcountll(nls & ((1ull << (lit - p)) - 1)) : 0;
}

__attribute__((target("ssse3")))
static inline __m128i nibble_match(__m128i c, __m128i lo, __m128i hi)
{
	const __m128i low4 = _mm_set1_epi8(0x0f);
	__m128i l = _mm_shuffle_epi8(lo, _mm_and_si128(c, low4));
	__m128i h = _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(c, 4), low4));
	return _mm_and_si128(l, h);
}

__attribute__((target("ssse3")))
const char *pf_find_ssse3(const struct prefilter *pf, const char *p,
			  const char *end, size_t *newlines)
{
#define LOAD(t) _mm_loadu_si128((const __m128i *)(t))
	const __m128i lo0 = LOAD(pf->lo[0]), hi0 = LOAD(pf->hi[0]);
	const __m128i lo1 = LOAD(pf->lo[1]), hi1 = LOAD(pf->hi[1]);
	const __m128i lo2 = LOAD(pf->lo[2]), hi2 = LOAD(pf->hi[2]);
	const __m128i lo3 = LOAD(pf->lo[3]), hi3 = LOAD(pf->hi[3]);
	const __m128i zero = _mm_setzero_si128(), nl = _mm_set1_epi8('\n');
	const char *begin = p, *lit;
	size_t count = 0;

	for (;;) {
		unsigned mask = 0, nls;
		/* The steps without candidates; the newline count stays in a
		   register (a mask kept across the candidate check would not). */
		while (end - p >= 16 + PF_WINDOW - 1) {
			__m128i c0 = LOAD(p), c1 = LOAD(p + 1), c2 = LOAD(p + 2), c3 = LOAD(p + 3);
			__m128i r = _mm_and_si128(
				_mm_and_si128(nibble_match(c0, lo0, hi0), nibble_match(c1, lo1, hi1)),
				_mm_and_si128(nibble_match(c2, lo2, hi2), nibble_match(c3, lo3, hi3)));
			mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(r, zero)) ^ 0xffffu;
			if (mask)
				break;
			count += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c0, nl)));
			p += 16;
		}
		if (!mask)
			break;
		nls = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(LOAD(p), nl));
		if ((lit = check_candidates(pf, mask, begin, p, end))) {
			*newlines += count + newlines_before(nls, lit, p);
			return lit;
		}
		count += (size_t)__builtin_popcount(nls);
		p += 16;
	}
#undef LOAD
	*newlines += count;
	return pf_find_scalar(pf, begin, p, end, newlines);
}

__attribute__((target("avx2")))
static inline __m256i nibble_match256(__m256i c, __m256i lo, __m256i hi)
{
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	__m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(c, low4));
	__m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(c, 4), low4));
	return _mm256_and_si256(l, h);
}

/* The SSSE3 loop 32 positions at a time: vpshufb works per 128-bit lane,
   so the nibble tables are broadcast to both lanes. */
__attribute__((target("avx2,popcnt")))
const char *pf_find_avx2(const struct prefilter *pf, const char *p,
			 const char *end, size_t *newlines)
{
#define BCAST(t) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(t)))
#define LOAD(t) _mm256_loadu_si256((const __m256i *)(t))
	const __m256i lo0 = BCAST(pf->lo[0]), hi0 = BCAST(pf->hi[0]);
	const __m256i lo1 = BCAST(pf->lo[1]), hi1 = BCAST(pf->hi[1]);
	const __m256i lo2 = BCAST(pf->lo[2]), hi2 = BCAST(pf->hi[2]);
	const __m256i lo3 = BCAST(pf->lo[3]), hi3 = BCAST(pf->hi[3]);
	const __m256i zero = _mm256_setzero_si256(), nl = _mm256_set1_epi8('\n');
	const char *begin = p, *lit;
	size_t count = 0;

	for (;;) {
		uint32_t mask = 0, nls;
		while (end - p >= 32 + PF_WINDOW - 1) {
			__m256i c0 = LOAD(p), c1 = LOAD(p + 1), c2 = LOAD(p + 2), c3 = LOAD(p + 3);
			__m256i r = _mm256_and_si256(
				_mm256_and_si256(nibble_match256(c0, lo0, hi0), nibble_match256(c1, lo1, hi1)),
				_mm256_and_si256(nibble_match256(c2, lo2, hi2), nibble_match256(c3, lo3, hi3)));
			mask = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, zero));
			if (mask)
				break;
			count += (size_t)__builtin_popcount(
				(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c0, nl)));
			p += 32;
		}
		if (!mask)
			break;
		nls = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(LOAD(p), nl));
		if ((lit = check_candidates(pf, mask, begin, p, end))) {
			*newlines += count + newlines_before(nls, lit, p);
			return lit;
		}
		count += (size_t)__builtin_popcount(nls);
		p += 32;
	}
#undef BCAST
#undef LOAD
	*newlines += count;
	return pf_find_scalar(pf, begin, p, end, newlines);
}

/*
 * 64 positions a step, and exact: vpermi2b looks each byte's low 7 bits up
 * in a 128-entry table (two registers) per window position, one instruction
 * where the nibble paths need five and still let cross-products through.
 */
__attribute__((target("avx512f,avx512bw,avx512vbmi,popcnt")))
const char *pf_find_avx512(const struct prefilter *pf, const char *p,
			   const char *end, size_t *newlines)
{
#define LOAD(t) _mm512_loadu_si512((const void *)(t))
#define LOOKUP(k, c) _mm512_permutex2var_epi8(t##k##a, (c), t##k##b)
	const __m512i t0a = LOAD(pf->byte_mask[0]), t0b = LOAD(pf->byte_mask[0] + 64);
	const __m512i t1a = LOAD(pf->byte_mask[1]), t1b = LOAD(pf->byte_mask[1] + 64);
	const __m512i t2a = LOAD(pf->byte_mask[2]), t2b = LOAD(pf->byte_mask[2] + 64);
	const __m512i t3a = LOAD(pf->byte_mask[3]), t3b = LOAD(pf->byte_mask[3] + 64);
	const __m512i nl = _mm512_set1_epi8('\n');
	const char *begin = p, *lit;
	size_t count = 0;

	for (;;) {
		uint64_t mask = 0, nls;
		while (end - p >= 64 + PF_WINDOW - 1) {
			__m512i c0 = LOAD(p);
			/* 0x80: a & b & c, one instruction. */
			__m512i r = _mm512_ternarylogic_epi32(LOOKUP(0, c0), LOOKUP(1, LOAD(p + 1)),
							      LOOKUP(2, LOAD(p + 2)), 0x80);
			mask = _mm512_test_epi8_mask(r, LOOKUP(3, LOAD(p + 3)));
			if (mask)
				break;
			count += (size_t)__builtin_popcountll(_mm512_cmpeq_epi8_mask(c0, nl));
			p += 64;
		}
		if (!mask)
			break;
		nls = _mm512_cmpeq_epi8_mask(LOAD(p), nl);
		if ((lit = check_candidates(pf, mask, begin, p, end))) {
			*newlines += count + newlines_before(nls, lit, p);
			return lit;
		}
		count += (size_t)__builtin_popcountll(nls);
		p += 64;
	}
#undef LOOKUP
#undef LOAD
	*newlines += count;
	return pf_find_scalar(pf, begin, p, end, newlines);
}
#endif
