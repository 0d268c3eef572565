/*
** coredump: one ELF core dump file, plain or compressed, as one incident of
** kind `coredump`: the process (executable, command line, pid, uid), the
** signal (number, name, si_code, fault address or sender), every thread's
** stack — the crashing thread first — unwound by unwind.c and symbolized by
** usersym.c (function + offset from the ELF symbols, file:line and inline
** chain from DWARF when found), each frame with its module's path, build ID
** and module offset. The record's text is rendered the way systemd-coredump
** prints its journal message, so text regexes see the same lines for a core
** and for a journal report of one.
**
** Compressed cores (zstd, xz, lz4 as systemd-coredump writes them, gzip,
** bzip2) are decompressed into an anonymous memory file by spool.h: holes
** cost nothing, data up to spool_max_data() (1 GiB) is kept, and past it
** only the pages of segments holding a thread's stack pointer (and the
** first page of every segment) are kept, up to a quarter more; what is
** dropped is said in a warning.
**
** Limits: COREDUMP_MAX_FRAMES frames per thread, COREDUMP_MAX_ALL_FRAMES per
** core (past that, threads are listed without frames, with the reason in
** their stack's `stopped`).
**
** Ownership: struct coredump_reader owns the debug-file cache (usersym) and
** serialises its use between threads; coredump_read() may be called from
** several threads at once. The incident returned is the caller's; its
** source.path borrows PATH.
*/
#ifndef KSIFT_COREDUMP_H
#define KSIFT_COREDUMP_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

#define COREDUMP_MAX_FRAMES 256u
#define COREDUMP_MAX_ALL_FRAMES 65536u

struct coredump_options {
	const char *sysroot;		/* prefix for the mapped files' paths */
	const char *debug_root;		/* NULL: /usr/lib/debug */
	bool debuginfod;		/* when DEBUGINFOD_URLS is set */
};

struct coredump_reader;

struct coredump_reader *coredump_reader_new(const struct coredump_options *opts);
void coredump_reader_free(struct coredump_reader *r);

/* What reading one core said besides the record. */
struct coredump_status {
	char *error;		/* not a usable core: why (then no record) */
	char **warnings;	/* each one line, without the path */
	size_t nr_warnings;
	bool read_error;	/* the file or its compression is damaged */
	bool unsupported;	/* a core of another machine: error says which */
};
void coredump_status_release(struct coredump_status *st);

/* Whether PATH, decompressed, starts with an ELF core header. */
bool coredump_sniff(const char *path);

/*
 * The record of the core at PATH, or NULL (st->error says why). The title
 * and hash are set (title_assign).
 */
struct incident *coredump_read(struct coredump_reader *r, const char *path,
			       struct coredump_status *st);

#endif
