/*
** spool: a compressed input (anything reader.h decodes) decompressed into an
** anonymous memory file — memfd_create(), never a named file on disk — for
** readers that need random access, i.e. core dumps
** (systemd-coredump's core.*.zst, .xz, .lz4; gzip'd cores).
**
** Bounded: all-zero 4 KiB pages are not written (they stay holes of the
** sparse memory file, which cost nothing: cores are mostly holes), and at
** most MAX_DATA bytes of data are stored. Past that, each further non-zero
** page is offered to a KEEP callback (a core keeps its thread stacks and
** module headers), and stored only if it says so, up to MAX_DATA / 4 more
** bytes. What was not stored reads as missing, like a truncated file, and
** spool_result says so.
**
** Ownership: the caller owns and closes result.fd.
*/
#ifndef KSIFT_SPOOL_H
#define KSIFT_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Default MAX_DATA: 1 GiB (KSIFT_SPOOL_MAX_MB overrides it, for tests). */
#define SPOOL_MAX_DATA ((uint64_t)1 << 30)

struct spool_result {
	int fd;			/* -1 on failure */
	uint64_t size;		/* decompressed size (the memory file's size) */
	uint64_t stored;	/* non-zero bytes written */
	uint64_t dropped;	/* non-zero bytes past the limits, not kept */
	bool read_error;	/* the stream is corrupt or cut: err says where */
	char err[256];
	char format[8];		/* "zstd", "xz", … */
};

/*
 * KEEP(data, fd, offset) is asked about each page past MAX_DATA (FD holds
 * everything stored so far; OFFSET is the page's offset in the
 * decompressed stream). Returns 0 with *out filled (a read error still gives
 * a descriptor with what came before it), -1 when PATH cannot be opened or
 * no memory file can be made (out->err says why).
 */
int spool_input(const char *path, uint64_t max_data,
		bool (*keep)(void *data, int fd, uint64_t offset), void *keep_data,
		struct spool_result *out);

/* The first N decompressed bytes of PATH into BUF; returns how many, or -1
   when it cannot be opened. */
ssize_t spool_peek(const char *path, void *buf, size_t n);

/* The limit in force: KSIFT_SPOOL_MAX_MB when set, else SPOOL_MAX_DATA. */
uint64_t spool_max_data(void);

#endif
