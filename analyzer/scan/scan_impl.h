/*
** scan_impl: the scanners behind scan_input(), one per kind of input, for
** scan.c and bundle.c only. Each reads r to its end (or error), delivers
** records through hooks, fills stats (not zeroed here) and returns 0, or -1
** after reporting an input error as "ksift: PATH: …".
**
** progress_reader: the reader whose compressed offset is the file's progress
** (the archive's, for its members); NULL: r itself.
*/
#ifndef KSIFT_SCAN_IMPL_H
#define KSIFT_SCAN_IMPL_H

#include "archive_in.h"
#include "reader.h"
#include "scan.h"
#include "sniff.h"

int scan_log(struct reader *r, const char *path, const struct scan_options *opts,
	     const struct scan_hooks *hooks, struct scan_stats *stats,
	     struct reader *progress_reader);
/* perf script, perf report, folded stacks: kind says which. */
int scan_profile(struct reader *r, enum input_kind kind, const char *path,
		 const struct scan_options *opts, const struct scan_hooks *hooks,
		 struct scan_stats *stats);
int scan_proc(struct reader *r, const char *path, const struct scan_options *opts,
	      const struct scan_hooks *hooks, struct scan_stats *stats);
/*
 * Every member of the archive r as an input of its own; members that are
 * archives are opened when depth is 0. budget: shared with nested archives.
 */
int scan_archive(struct reader *r, const char *path, const struct scan_options *opts,
		 const struct scan_hooks *hooks, struct scan_stats *stats,
		 struct archive_budget *budget, int depth);
/*
 * A core dump file (coredump_sniff() said so): one coredump record. Cores
 * are read with random access, so only a file on disk is one (not stdin, not
 * an archive member, not a chunk).
 */
int scan_core(const char *path, const struct scan_options *opts,
	      const struct scan_hooks *hooks, struct scan_stats *stats);
/* Any reader: its kind sniffed, then the scanner for it (not archives). */
int scan_stream(struct reader *r, enum input_kind kind, const char *path,
		const struct scan_options *opts, const struct scan_hooks *hooks,
		struct scan_stats *stats, struct reader *progress_reader);

#endif
