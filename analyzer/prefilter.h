/*
** prefilter: the hot path. Most log lines are not kernel incidents; while no
** incident is open and no host is in its boot phase, the scanner jumps from
** one candidate line to the next without normalizing the lines in between.
** A candidate is any line holding one of PREFILTER_LITERALS: every message
** that can start an incident (classify_start) or carries a boot/context fact
** (context.c) contains one of them. tests/prefilter.sh checks that scanning
** with and without the prefilter gives the same output on every corpus.
**
** The search is Teddy-like (as in Hyperscan and ripgrep): SSSE3 nibble
** shuffles test 16 positions at once against the first three bytes of all
** literals grouped into 8 buckets; candidates are verified with memcmp.
** Without SSSE3 a scalar table walk does the same.
**
** Owns: nothing but its tables; prefilter_new() allocates, prefilter_free()
** frees. Read-only after construction, so threads may share one.
*/
#ifndef KSIFT_PREFILTER_H
#define KSIFT_PREFILTER_H

#include <stddef.h>

struct prefilter;

struct prefilter *prefilter_new(void);
void prefilter_free(struct prefilter *pf);
/* First position in [p, end) where a literal starts, or NULL. */
const char *prefilter_find(const struct prefilter *pf, const char *p, const char *end);
/*
 * prefilter_find() that also counts the '\n' bytes it passes: in
 * [p, result), or [p, end) when nothing is found. One pass over memory.
 */
const char *prefilter_find_counting(const struct prefilter *pf, const char *p,
				    const char *end, size_t *newlines);
/* Number of '\n' bytes in [p, p + n). */
size_t count_newlines(const char *p, size_t n);

#endif
