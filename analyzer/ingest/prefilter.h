/*
** prefilter: the hot path. Most log lines are not kernel incidents; while no
** incident is open and no host is in its boot phase, the scanner jumps from
** one candidate line to the next without normalizing the lines in between.
** A candidate is any line holding one of the prefilter's literals: every
** message that can start an incident (classify_start) or carries a
** boot/context fact (context.c) contains one of them. tests/prefilter.sh
** checks that scanning with and without the prefilter gives the same output
** on every corpus.
**
** The search is Teddy-like (as in Hyperscan and ripgrep): each literal is
** anchored on its rarest 4-byte window, the anchors are grouped into 8
** buckets, and SIMD lookups test many positions at once for "these 4 bytes
** could be the anchor of a literal of bucket b"; candidates are verified
** with memcmp. Paths, the fastest the CPU has is chosen at run time:
**   avx512  AVX-512 VBMI: 64 positions a step, exact byte tables (vpermi2b
**           looks up all 128 ASCII values at once)
**   avx2    32 positions a step, nibble tables (vpshufb)
**   ssse3   16 positions a step, nibble tables
**   scalar  a byte table walk
** Each counts the newlines it passes in the same pass over memory.
**
** Owns: nothing but its tables; prefilter_new() allocates, prefilter_free()
** frees. Read-only after construction, so threads may share one.
*/
#ifndef KSIFT_PREFILTER_H
#define KSIFT_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>

struct prefilter;

enum prefilter_isa {
	PREFILTER_SCALAR,
	PREFILTER_SSSE3,
	PREFILTER_AVX2,
	PREFILTER_AVX512,
	PREFILTER_BEST,		/* prefilter_new_isa(): the fastest available */
};

/*
 * The fastest path this CPU supports. KSIFT_PREFILTER=scalar|ssse3|avx2|avx512
 * in the environment caps it (tests run whole corpora through each path).
 */
struct prefilter *prefilter_new(void);
/* The fastest path the CPU supports that is no faster than `want`. */
struct prefilter *prefilter_new_isa(enum prefilter_isa want);
enum prefilter_isa prefilter_isa(const struct prefilter *pf);
bool prefilter_isa_supported(enum prefilter_isa isa);
const char *prefilter_isa_name(enum prefilter_isa isa);
void prefilter_free(struct prefilter *pf);

/*
 * A position in [p, end) where a literal starts, on the first line of
 * [p, end) that holds any literal (line: up to a '\n'); NULL when none does.
 * Literals that start before p do not count, nor ones that run past end.
 */
const char *prefilter_find(const struct prefilter *pf, const char *p, const char *end);
/*
 * prefilter_find() that also counts the '\n' bytes it passes: in
 * [p, result), or [p, end) when nothing is found. One pass over memory.
 */
const char *prefilter_find_counting(const struct prefilter *pf, const char *p,
				    const char *end, size_t *newlines);
/* Number of '\n' bytes in [p, p + n). */
size_t count_newlines(const char *p, size_t n);

/* The literals searched for (tests plant them). */
size_t prefilter_nr_literals(void);
const char *prefilter_literal(size_t i);

#endif
