#include "prefilter.h"
#include "util.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define HAVE_X86 1
#endif

/*
 * Every literal that can make a line interesting. Keep in sync with
 * classify_start() and context.c's fact extraction; tests/prefilter.sh
 * fails when a start is missed. Longer literals verify faster.
 */
static const char *const literals[] = {
	/* incident starts */
	"BUG: ", "INFO: task ", "INFO: rcu", "rcu: INFO", "Internal error",
	"Watchdog detected", "WARNING: ", "general protection fault",
	"stack segment", "kernel BUG", "Kernel panic", "Unable to handle",
	"TCP: ", "Out of socket", "cut here", "invoked oom-killer",
	": segfault at", "traps: ", "KASAN", "KFENCE", "KMSAN", "KCSAN", "UBSAN",
	"unreferenced object", "page allocation failure", "Hardware Error",
	"EDAC", "I/O error", "EXT4-fs error", "XFS (", "BTRFS", "unregister_netdevice",
	"SysRq", "sysrq: ", "Oops", "Out of memory",
	/* titles branch: traps, lockdep banners, WARNING preludes, host errors */
	"PANIC: double fault", "divide error", "divide_error", "invalid opcode", "int3: ",
	"INFO: ", "list_add corruption", "list_del corruption", "refcount_t: ", "ODEBUG: ",
	"kobject: ", "kobject_add_internal", "usercopy: ", "DEBUG_LOCKS_WARN_ON",
	"nvme nvme", "-fs error", "Kernel BUG", "kernel stack overflow", "Unhandled fault",
	"BUG ",
	/* restarts (reboot.h): firmware banners, announced restarts */
	"SeaBIOS (", "Booting from Hard", "Booting the kernel", "reboot: ", "Rebooting in",
	"Starting new kernel", "Restarting system", ": Resetting", ": Trigger a crash",
	"SYZFAIL: ", "SYZFATAL: ",
	/* boot and context facts */
	"Linux version", "Command line", "DMI: ", "Hypervisor detected",
	"Hardware name", "smpboot: CPU0", "Booting paravirtualized", "-- Boot",
	"-- Reboot",
};

#define NR_LITERALS ARRAY_SIZE(literals)
#define NR_BUCKETS 8
#define MAX_PER_BUCKET 16
#define WINDOW 4	/* anchor bytes tested per position */

struct prefilter {
	uint8_t lo[WINDOW][16], hi[WINDOW][16];	/* bucket bits per nibble, per position */
	uint8_t byte_mask[WINDOW][256];	/* scalar: bucket bits per byte */
	uint8_t members[NR_BUCKETS][MAX_PER_BUCKET];
	uint8_t lens[NR_LITERALS];
	uint8_t anchor[NR_LITERALS];	/* offset of the window searched */
	uint32_t anchor_bytes[NR_LITERALS];	/* those bytes, little-endian */
	uint8_t nr_members[NR_BUCKETS];
	bool ssse3, avx2, popcnt;
};

/*
 * How common a byte is in routine log text: lowercase letters and blanks
 * are everywhere, capitals and punctuation much less so. Used to anchor each
 * literal on its rarest 3-byte window, which keeps false candidates (and so
 * verification work) low.
 */
static int byte_commonness(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return 4;
	if (c == ' ')
		return 5;
	if (c >= '0' && c <= '9')
		return 3;
	if (c >= 'A' && c <= 'Z')
		return 2;
	return 1;
}

/* Share of log bytes per high nibble: text is mostly 0x6_/0x7_, ' ', digits. */
static const double hi_nibble_share[16] = {
	0.005, 0.005, 0.15, 0.08, 0.03, 0.03, 0.34, 0.34,
	0.005, 0.005, 0.005, 0.005, 0.005, 0.005, 0.005, 0.005,
};

/* Expected share of positions a bucket with these nibble sets flags. */
static double bucket_cost(const uint8_t lo[WINDOW][16], const uint8_t hi[WINDOW][16], unsigned bit)
{
	double p = 1.0;

	for (int k = 0; k < WINDOW; k++) {
		double l = 0, h = 0;
		for (int n = 0; n < 16; n++) {
			if (lo[k][n] & bit)
				l += 1.0 / 16;
			if (hi[k][n] & bit)
				h += hi_nibble_share[n];
		}
		p *= l * h;
	}
	return p;
}

struct prefilter *prefilter_new(void)
{
	struct prefilter *pf = xcalloc(1, sizeof(*pf));

	for (size_t i = 0; i < NR_LITERALS; i++) {
		const unsigned char *s = (const unsigned char *)literals[i];
		size_t len = strlen(literals[i]), best = 0;
		int best_score = 1 << 30;
		unsigned b, best_b = 0;
		double best_cost = 1e9;

		for (size_t o = 0; o + WINDOW <= len; o++) {
			int score = 0;
			for (int k = 0; k < WINDOW; k++)
				score += byte_commonness(s[o + k]);
			if (score < best_score) {
				best_score = score;
				best = o;
			}
		}
		s += best;
		/*
		 * Greedy bucketing: put the anchor where it widens its bucket's
		 * nibble sets the least, so few positions pass the SIMD test.
		 */
		for (b = 0; b < NR_BUCKETS; b++) {
			uint8_t lo[WINDOW][16], hi[WINDOW][16];
			double before, after;
			if (pf->nr_members[b] == MAX_PER_BUCKET)
				continue;
			memcpy(lo, pf->lo, sizeof(lo));
			memcpy(hi, pf->hi, sizeof(hi));
			before = pf->nr_members[b] ? bucket_cost((const uint8_t (*)[16])lo,
								 (const uint8_t (*)[16])hi, 1u << b) : 0;
			for (int k = 0; k < WINDOW; k++) {
				lo[k][s[k] & 0xf] |= (uint8_t)(1u << b);
				hi[k][s[k] >> 4] |= (uint8_t)(1u << b);
			}
			after = bucket_cost((const uint8_t (*)[16])lo, (const uint8_t (*)[16])hi, 1u << b);
			if (after - before < best_cost) {
				best_cost = after - before;
				best_b = b;
			}
		}
		b = best_b;
		pf->members[b][pf->nr_members[b]++] = (uint8_t)i;
		pf->lens[i] = (uint8_t)len;
		pf->anchor[i] = (uint8_t)best;
		pf->anchor_bytes[i] = 0;
		for (int k = 0; k < WINDOW; k++)
			pf->anchor_bytes[i] |= (uint32_t)s[k] << (8 * k);
		for (int k = 0; k < WINDOW; k++) {
			pf->lo[k][s[k] & 0xf] |= (uint8_t)(1u << b);
			pf->hi[k][s[k] >> 4] |= (uint8_t)(1u << b);
			pf->byte_mask[k][s[k]] |= (uint8_t)(1u << b);
		}
	}
#ifdef HAVE_X86
	pf->ssse3 = __builtin_cpu_supports("ssse3");
	pf->avx2 = __builtin_cpu_supports("avx2");
	pf->popcnt = __builtin_cpu_supports("popcnt");
#endif
	return pf;
}

void prefilter_free(struct prefilter *pf)
{
	free(pf);
}

/*
 * Is an anchor of a literal from one of `buckets` at p? Returns where that
 * literal starts (never before `begin`), or NULL.
 */
static const char *verify(const struct prefilter *pf, unsigned buckets,
			  const char *begin, const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	uint32_t here = 0;

	for (int k = 0; k < WINDOW; k++)
		here |= (uint32_t)u[k] << (8 * k);

	while (buckets) {
		unsigned b = (unsigned)__builtin_ctz(buckets);
		buckets &= buckets - 1;
		for (unsigned m = 0; m < pf->nr_members[b]; m++) {
			unsigned i = pf->members[b][m];
			const char *lit = p - pf->anchor[i];
			if (pf->anchor_bytes[i] != here)
				continue;
			if (lit >= begin && pf->lens[i] <= (size_t)(end - lit) &&
			    !memcmp(lit, literals[i], pf->lens[i]))
				return lit;
		}
	}
	return NULL;
}

static const char *find_scalar(const struct prefilter *pf, const char *begin,
			       const char *p, const char *end)
{
	const unsigned char *u = (const unsigned char *)p;
	const unsigned char *e = (const unsigned char *)end;

	for (; u + WINDOW <= e; u++) {
		unsigned m = pf->byte_mask[0][u[0]];
		if (!m)
			continue;
		m &= pf->byte_mask[1][u[1]] & pf->byte_mask[2][u[2]] & pf->byte_mask[3][u[3]];
		if (m) {
			const char *lit = verify(pf, m, begin, (const char *)u, end);
			if (lit)
				return lit;
		}
	}
	return NULL;
}

#ifdef HAVE_X86
__attribute__((target("ssse3")))
static inline __m128i nibble_match(__m128i c, __m128i lo, __m128i hi)
{
	const __m128i low4 = _mm_set1_epi8(0x0f);
	__m128i l = _mm_shuffle_epi8(lo, _mm_and_si128(c, low4));
	__m128i h = _mm_shuffle_epi8(hi, _mm_and_si128(_mm_srli_epi16(c, 4), low4));
	return _mm_and_si128(l, h);
}

__attribute__((target("ssse3")))
static const char *find_ssse3(const struct prefilter *pf, const char *p,
			      const char *end)
{
	const __m128i lo0 = _mm_loadu_si128((const __m128i *)pf->lo[0]);
	const __m128i hi0 = _mm_loadu_si128((const __m128i *)pf->hi[0]);
	const __m128i lo1 = _mm_loadu_si128((const __m128i *)pf->lo[1]);
	const __m128i hi1 = _mm_loadu_si128((const __m128i *)pf->hi[1]);
	const __m128i lo2 = _mm_loadu_si128((const __m128i *)pf->lo[2]);
	const __m128i hi2 = _mm_loadu_si128((const __m128i *)pf->hi[2]);
	const __m128i lo3 = _mm_loadu_si128((const __m128i *)pf->lo[3]);
	const __m128i hi3 = _mm_loadu_si128((const __m128i *)pf->hi[3]);
	const __m128i zero = _mm_setzero_si128();
	const char *begin = p;

	while (end - p >= 16 + WINDOW) {
		__m128i c0 = _mm_loadu_si128((const __m128i *)p);
		__m128i c1 = _mm_loadu_si128((const __m128i *)(p + 1));
		__m128i c2 = _mm_loadu_si128((const __m128i *)(p + 2));
		__m128i c3 = _mm_loadu_si128((const __m128i *)(p + 3));
		__m128i r = _mm_and_si128(
			_mm_and_si128(nibble_match(c0, lo0, hi0), nibble_match(c1, lo1, hi1)),
			_mm_and_si128(nibble_match(c2, lo2, hi2), nibble_match(c3, lo3, hi3)));
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(r, zero)) ^ 0xffffu;

		if (mask) {
			uint8_t bits[16];
			_mm_storeu_si128((__m128i *)bits, r);
			while (mask) {
				unsigned j = (unsigned)__builtin_ctz(mask);
				const unsigned char *u = (const unsigned char *)p + j;
				/* Nibble sets are loose; exact bytes cut most candidates. */
				unsigned m = bits[j] & pf->byte_mask[0][u[0]] &
					     pf->byte_mask[1][u[1]] & pf->byte_mask[2][u[2]] &
					     pf->byte_mask[3][u[3]];
				mask &= mask - 1;
				if (!m)
					continue;
				const char *lit = verify(pf, m, begin, p + j, end);
				if (lit)
					return lit;
			}
		}
		p += 16;
	}
	return find_scalar(pf, begin, p, end);
}
#endif

#ifdef HAVE_X86
__attribute__((target("avx2")))
static inline __m256i nibble_match256(__m256i c, __m256i lo, __m256i hi)
{
	const __m256i low4 = _mm256_set1_epi8(0x0f);
	__m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(c, low4));
	__m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(c, 4), low4));
	return _mm256_and_si256(l, h);
}

/*
 * The SSSE3 loop 32 positions at a time (vpshufb works per 128-bit lane, so
 * the nibble tables are broadcast to both lanes), counting the newlines it
 * passes in the same pass (popcnt comes with every AVX2 CPU).
 */
__attribute__((target("avx2,popcnt")))
static const char *find_avx2_counting(const struct prefilter *pf, const char *p,
				      const char *end, size_t *newlines)
{
#define BCAST(t) _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(t)))
	const __m256i lo0 = BCAST(pf->lo[0]), hi0 = BCAST(pf->hi[0]);
	const __m256i lo1 = BCAST(pf->lo[1]), hi1 = BCAST(pf->hi[1]);
	const __m256i lo2 = BCAST(pf->lo[2]), hi2 = BCAST(pf->hi[2]);
	const __m256i lo3 = BCAST(pf->lo[3]), hi3 = BCAST(pf->hi[3]);
#undef BCAST
	const __m256i zero = _mm256_setzero_si256(), nl = _mm256_set1_epi8('\n');
	const char *begin = p, *lit;
	size_t count = 0;

	while (end - p >= 32 + WINDOW) {
		__m256i c0 = _mm256_loadu_si256((const __m256i *)p);
		__m256i c1 = _mm256_loadu_si256((const __m256i *)(p + 1));
		__m256i c2 = _mm256_loadu_si256((const __m256i *)(p + 2));
		__m256i c3 = _mm256_loadu_si256((const __m256i *)(p + 3));
		__m256i r = _mm256_and_si256(
			_mm256_and_si256(nibble_match256(c0, lo0, hi0), nibble_match256(c1, lo1, hi1)),
			_mm256_and_si256(nibble_match256(c2, lo2, hi2), nibble_match256(c3, lo3, hi3)));
		unsigned mask = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(r, zero));
		unsigned nls = (unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(c0, nl));

		while (mask) {
			unsigned j = (unsigned)__builtin_ctz(mask);
			const unsigned char *u = (const unsigned char *)p + j;
			unsigned m = pf->byte_mask[0][u[0]] & pf->byte_mask[1][u[1]] &
				     pf->byte_mask[2][u[2]] & pf->byte_mask[3][u[3]];
			mask &= mask - 1;
			if (m && (lit = verify(pf, m, begin, p + j, end))) {
				/* Newlines before the literal's start, which may lie in
				   an earlier block: count that part the slow way. */
				if (lit >= p)
					count += (size_t)__builtin_popcount(
						nls & ((1u << (lit - p)) - 1));
				else
					count -= count_newlines(lit, (size_t)(p - lit));
				*newlines = count;
				return lit;
			}
		}
		count += (size_t)__builtin_popcount(nls);
		p += 32;
	}
	lit = find_scalar(pf, begin, p, end);
	/* A literal found by its anchor may start before p (in a block
	   already counted): then take those newlines back out. */
	if (lit && lit < p)
		count -= count_newlines(lit, (size_t)(p - lit));
	else
		count += count_newlines(p, (size_t)((lit ? lit : end) - p));
	*newlines = count;
	return lit;
}

#endif

const char *prefilter_find_counting(const struct prefilter *pf, const char *p,
				    const char *end, size_t *newlines)
{
	const char *lit;

#ifdef HAVE_X86
	if (pf->avx2 && pf->popcnt)
		return find_avx2_counting(pf, p, end, newlines);
	if (pf->ssse3)
		lit = find_ssse3(pf, p, end);
	else
#endif
		lit = find_scalar(pf, p, p, end);
	*newlines = count_newlines(p, (size_t)((lit ? lit : end) - p));
	return lit;
}

const char *prefilter_find(const struct prefilter *pf, const char *p, const char *end)
{
#ifdef HAVE_X86
	if (pf->avx2 && pf->popcnt) {
		size_t ignored;
		return find_avx2_counting(pf, p, end, &ignored);
	}
	if (pf->ssse3)
		return find_ssse3(pf, p, end);
#endif
	return find_scalar(pf, p, p, end);
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
