/*
** framepat: ordered frame patterns — `frames:` in a signature.
**
** A pattern is a list of elements, one per line:
**   FUNC-GLOB [MODULE-GLOB]   one frame; fnmatch(3) globs ('*', '?', '[..]')
**   ...                       any number of frames (a gap)
**   ^                         (first element only) anchor at the top frame
** Elements not separated by `...` must match consecutive frames. Without `^`
** the pattern may start at any frame and always may stop before the end.
** Function names are compared after title_clean_func() (compiler suffixes
** like `.part.40` and syscall prefixes like `SyS_` removed), so
** `shrink_slab` matches `shrink_slab.part.40`. A `[module]` element matches
** only frames of that module; `[vmlinux]` matches only core-kernel frames.
**
** Owns: the pattern and its strings; frame_pattern_free() releases them.
*/
#ifndef KSIFT_FRAMEPAT_H
#define KSIFT_FRAMEPAT_H

#include <stdbool.h>
#include <stddef.h>

#define FRAME_PATTERN_MAX_ELEMS 64
#define FRAME_GLOB_MAX 200

struct frame_pattern;

/* One frame as the matcher sees it: borrowed strings. */
struct frame_ref {
	const char *func;	/* cleaned function name */
	const char *module;	/* NULL for vmlinux */
	size_t index;		/* caller's index, reported back in evidence */
};

/*
 * Parse a `frames` value. NULL on error with a message in err and *bad_line
 * (0-based line of the value) set.
 */
struct frame_pattern *frame_pattern_parse(const char *value, char *err,
					  size_t errlen, unsigned *bad_line);
void frame_pattern_free(struct frame_pattern *fp);

/*
 * Match against n frames (top first). On success returns true and stores the
 * positions (into frames[]) of the frames that matched elements in matched[]
 * (room for FRAME_PATTERN_MAX_ELEMS), their count in *nr_matched.
 */
bool frame_pattern_match(const struct frame_pattern *fp, const struct frame_ref *frames,
			 size_t n, size_t *matched, size_t *nr_matched);

/* Number of frame elements (not gaps): used to rank specificity. */
size_t frame_pattern_size(const struct frame_pattern *fp);
/* The literal (glob-free) function names of the pattern, for the index. */
size_t frame_pattern_literals(const struct frame_pattern *fp, const char **out,
			      size_t max);

#endif
