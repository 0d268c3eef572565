/*
** reader: a byte stream from a file, a directory entry or stdin, transparently
** decompressed. The format is chosen from magic bytes, never the file name:
** gzip (concatenated members too), xz (concatenated streams), zstd (frames),
** bzip2 (concatenated streams), lz4 frames (through libarchive's raw format),
** else plain.
**
** Owns: the file descriptor and decoder state; reader_close() frees them.
** Errors: reader_read() returns -1 and reader_error() says what failed and at
** which compressed byte offset; bytes returned before the error stay valid,
** so the caller scans everything read up to the corruption.
*/
#ifndef KSIFT_READER_H
#define KSIFT_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct reader;

/* path "-" reads stdin. Returns NULL and sets errbuf (errno text) on failure. */
struct reader *reader_open(const char *path, char *errbuf, size_t errlen);
/* Starts at byte `offset` of a plain file (incremental scans). */
struct reader *reader_open_at(const char *path, uint64_t offset, char *errbuf,
			      size_t errlen);
/*
 * Raw bytes from the caller instead of a file (an archive member): returns
 * bytes read, 0 at the end, -1 on error after writing why into err.
 */
typedef ssize_t (*reader_source_fn)(void *data, void *buf, size_t n, char *err,
				    size_t errlen);
struct reader *reader_open_source(reader_source_fn fn, void *data, char *errbuf,
				  size_t errlen);
ssize_t reader_read(struct reader *r, char *buf, size_t n);
/*
 * The first READER_PEEK_SIZE decompressed bytes (fewer at the end of input),
 * without consuming them: reader_read() returns them first. Call before
 * reader_start_thread(); later calls return what is left of them. A
 * decompression error met while peeking is returned by reader_read() after
 * the peeked bytes.
 */
#define READER_PEEK_SIZE (64 * 1024)
size_t reader_peek(struct reader *r, const char **head);
/*
 * Decompress in a thread of its own from now on, a few blocks ahead of the
 * consumer, so decompression overlaps parsing. No-op for plain input (which
 * costs nothing to read). Call before the first reader_read().
 */
void reader_start_thread(struct reader *r);
const char *reader_error(const struct reader *r);
/* "plain", "gzip", "xz", "zstd", "bzip2", "lz4". */
const char *reader_format(const struct reader *r);
/* Compressed bytes consumed so far (== decompressed for plain). */
uint64_t reader_raw_offset(struct reader *r);
void reader_close(struct reader *r);

#endif
