/*
** prefilter_impl: the prefilter's tables and inner functions, private to
** the prefilter's files: prefilter.c (construction, dispatch),
** prefilter_simd.c (SIMD paths), prefilter_scalar.c (verification, the
** scalar path, newline counting; called by both, calls neither),
** prefilter_literals.c (what is searched for), prefilter_build.c (anchors
** and buckets) and prefilter_gen.c (the tables, generated at build time).
*/
#ifndef KSIFT_PREFILTER_IMPL_H
#define KSIFT_PREFILTER_IMPL_H

#include "prefilter.h"

#include <stdint.h>

#define PF_MAX_LITERALS 96
#define PF_BUCKETS 8
#define PF_PER_BUCKET 16
#define PF_WINDOW 4	/* anchor bytes tested per position */
#define PF_HASH_BITS 12

struct prefilter {
	/* Bucket bits per byte value, per window position: a position may
	   start an anchor of bucket b when bit b is set for all four bytes.
	   The AVX-512 path loads the first 128 entries of each as its tables. */
	uint8_t byte_mask[PF_WINDOW][256];
	/* The same per nibble (low, high): looser, for vpshufb's 16 entries. */
	uint8_t lo[PF_WINDOW][16], hi[PF_WINDOW][16];
	/* Anchors by hash: 1 + the first literal whose anchor hashes to a
	   slot (0: none), 1 + the next one with the same hash. Most false
	   candidates of the bucket test stop at their empty slot. */
	uint8_t slot[1 << PF_HASH_BITS];
	uint8_t next[PF_MAX_LITERALS];
	uint8_t lens[PF_MAX_LITERALS];
	uint8_t anchor[PF_MAX_LITERALS];	/* offset of the anchor in the literal */
	uint32_t anchor_bytes[PF_MAX_LITERALS];	/* its 4 bytes, little-endian */
	const char *lits[PF_MAX_LITERALS];
	enum prefilter_isa isa;
};

/* The PF_WINDOW bytes at p as the tables hold them (little-endian). */
static inline uint32_t pf_load(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;

	return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static inline unsigned pf_hash(uint32_t window)
{
	return (window * 2654435761u) >> (32 - PF_HASH_BITS);
}

/* The literals (prefilter_literals.c). */
extern const char *const pf_literals[];
extern const size_t pf_nr_literals;
/* Fill pf's tables for these literals (prefilter_build.c): the build runs
   prefilter_gen.c, which writes them out as pf_tables (prefilter_tables.c). */
void pf_build(struct prefilter *pf, const char *const *lits, size_t nr);
extern const struct prefilter pf_tables;

/*
 * Is the anchor of a literal at p? Returns where that literal starts (never
 * before `begin`, never running past `end`), or NULL.
 */
const char *pf_verify(const struct prefilter *pf, const char *begin, const char *p,
		      const char *end);
/*
 * The scalar search from p, for literals starting at or after begin; adds
 * the newlines before the result (or before end) to *newlines.
 */
const char *pf_find_scalar(const struct prefilter *pf, const char *begin,
			   const char *p, const char *end, size_t *newlines);

#if defined(__x86_64__) || defined(__i386__)
#define PF_HAVE_X86 1
/* Same contract as prefilter_find_counting(). */
const char *pf_find_ssse3(const struct prefilter *pf, const char *p,
			  const char *end, size_t *newlines);
const char *pf_find_avx2(const struct prefilter *pf, const char *p,
			 const char *end, size_t *newlines);
const char *pf_find_avx512(const struct prefilter *pf, const char *p,
			   const char *end, size_t *newlines);
#endif

#endif
