/*
** archive_in: the members of a tar, zip or cpio stream, one at a time, read in
** memory through libarchive (nothing is ever written to disk). The stream
** comes from a reader, so the archive itself may be compressed any way the
** reader knows (tar.gz, tar.xz, tar.zst, tar.bz2) and the compression runs
** in the reader's thread; a member may be compressed again (a rotated
** messages-20240101.gz inside a sosreport): archive_in_member() gives a
** reader that decompresses it.
**
** Archive bombs are stopped by a budget shared by an archive and the
** archives nested in it: a number of members, a total of expanded bytes,
** and a ratio of expanded bytes to the compressed bytes read from the file.
** Crossing one is an error naming the limit and the option that raises it.
**
** Owns: the libarchive handle and the member reader; archive_in_close() frees
** them. The source reader stays the caller's.
*/
#ifndef KSIFT_ARCHIVE_IN_H
#define KSIFT_ARCHIVE_IN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reader.h"

#define ARCHIVE_MAX_MEMBERS 100000
#define ARCHIVE_MAX_BYTES (64ULL << 30)
#define ARCHIVE_MAX_RATIO 1000
/* Below this many expanded bytes the ratio is not checked (tiny archives
   of repetitive text compress very well and are harmless). */
#define ARCHIVE_RATIO_FLOOR (64ULL << 20)

struct archive_limits {
	uint64_t max_members, max_bytes, max_ratio;
};

/* What an archive and those nested in it have used (one per top-level input). */
struct archive_budget {
	struct archive_limits lim;
	uint64_t members, expanded;
	/* Compressed bytes read from the file so far (for the ratio). */
	struct reader *file;
};

struct archive_in;

/* NULL with a message in err when src is not an archive libarchive reads. */
struct archive_in *archive_in_open(struct reader *src, struct archive_budget *budget,
				char *err, size_t errlen);
/*
 * The next regular-file member (directories, links and devices are passed
 * over). 1: *name is its path ("./" and "/" prefixes removed; valid until
 * the next call), 0: no more members, -1: an error (archive_in_error()).
 */
int archive_in_next(struct archive_in *a, const char **name);
/*
 * A reader over the current member's bytes, decompressed when the member
 * itself is compressed; closed by the next archive_in_next() or
 * archive_in_close(). NULL with err set on failure.
 */
struct reader *archive_in_member(struct archive_in *a, char *err, size_t errlen);
/* Why archive_in_next() or a member read failed: corrupt data, a limit. */
const char *archive_in_error(const struct archive_in *a);
/* "tar", "zip", "cpio" (libarchive's name for the format, shortened). */
const char *archive_in_format(const struct archive_in *a);
void archive_in_close(struct archive_in *a);

#endif
