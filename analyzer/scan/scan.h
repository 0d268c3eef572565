/*
** scan: the pipeline driver for one input (file, or "-" for stdin). What
** the input is comes from its first decompressed bytes (sniff.h):
**   a kernel log: reader → linereader → normalizer → context tracker →
**     segmenter → parser → titles/hash → (symbolizer) → (matcher) → hooks;
**   a CPU profile (perf script, perf report, folded stacks): one record per
**     finding (profile.h);
**   /proc stack captures: one record per task (procstack.h);
**   an archive (tar, zip, cpio; a sosreport or supportconfig): each member
**     is an input of its own, named "ARCHIVE:member/path", with its own line
**     numbers and the bundle's host (bundle.c), one archive level deep.
**
** An input that is an ELF core dump (plain or compressed; see
** symbols/coredump.h) is read as one `coredump` record instead. In logs,
** systemd-coredump's messages become `coredump` records too
** (incident/coremsg.h), and a kernel segfault/trap record is held up to
** SEGFAULT_HOLD_SECONDS of log time (or SEGFAULT_HOLD_LINES lines) for the
** coredump message of the same crash, into which it is merged.
**
** Owns: all per-input state, freed before scan_input() returns.
** Hooks receive each finished incident and take ownership of it (free with
** incident_free()); boot contexts are borrowed for the call only.
*/
#ifndef KSIFT_SCAN_H
#define KSIFT_SCAN_H

#include <stdbool.h>
#include <stdint.h>

#include "context.h"
#include "incident.h"
#include "archive_in.h"
#include "prefilter.h"

struct scan_stats;
struct coredump_reader;

struct scan_hooks {
	/* A finished incident, in input order; the callee owns it. */
	void (*incident)(void *data, struct incident *inc);
	/* A host's boot ended (new boot or end of input). */
	void (*boot_end)(void *data, const struct boot_context *ctx);
	void *data;
	/*
	 * An archive member was scanned: its incidents came before this call.
	 * path is "ARCHIVE:member" and the callee owns it (free()); incidents
	 * borrow it as source.path until then. NULL: the scan keeps the paths
	 * in stats->member_paths (scan_stats_release() frees them).
	 */
	void (*member_done)(void *data, char *path, const struct scan_stats *st, bool failed);
};

struct scan_options {
	const char *host;		/* host for lines whose wrapper names none */
	/* host was named by the user (--host): it wins over a bundle's own. */
	bool host_forced;
	/* Archive bomb limits (archive_in.h); NULL: the defaults. */
	const struct archive_limits *archive_limits;
	/* Profiles: a function's share of samples (percent) that makes a
	   finding; 0: PROFILE_THRESHOLD_DEFAULT. */
	double profile_threshold;
	uint64_t start_offset;		/* resume a plain file here (incremental) */
	unsigned long line_base;	/* lines before start_offset (numbering) */
	/*
	 * Scan only the chunk [chunk_start, chunk_end) of a plain file (both
	 * 0: all of it). Lines are numbered from the chunk's first line; the
	 * runner rebases them. Reading starts CHUNK_WARMUP bytes earlier, so
	 * reports and state that cross the chunk start come out exactly as in a
	 * whole-file scan; reports that start before the chunk are dropped (the
	 * previous chunk finishes them, reading past its end while they are open).
	 */
	uint64_t chunk_start, chunk_end;
	bool no_prefilter;		/* look at every line (for testing) */
	/* Shared among scans (read-only); NULL: scan_input() makes its own. */
	const struct prefilter *prefilter;
	/* Called about every 4 MiB of input read (compressed bytes), from
	   whatever thread scans; may be NULL. */
	void (*progress)(void *data, uint64_t raw_bytes);
	void *progress_data;
	/*
	 * Right after an incident is parsed, in the scanning thread, with the
	 * incident's own boot context (symbolization, signature matching).
	 */
	void (*annotate)(void *data, struct incident *inc, const struct boot_context *ctx);
	/*
	 * When a host's boot ends: add() records that describe the boot itself
	 * (known-bad kernel conditions); they join the output stream.
	 */
	void (*boot_records)(void *data, const struct boot_context *ctx,
			     void (*add)(void *scan, struct incident *inc), void *scan);
	void *annotate_data;
	/* Core dump files (symbols/coredump.h), shared by the workers; NULL:
	   scan_input() makes its own for a core it meets. */
	struct coredump_reader *cores;
};

#define CHUNK_WARMUP (4u << 20)
#define SEGFAULT_HOLD_SECONDS 60.0
#define SEGFAULT_HOLD_LINES 50000ul

/* What a chunk knew about each host at its end (chunked scans only). */
struct scan_host_facts {
	bool began;		/* the chunk saw this boot start: replace, not merge */
	unsigned long boot_line;	/* where that boot starts (chunk's numbering;
					   0: before the chunk) */
	char *host;
	char *release, *build, *hardware, *hypervisor, *arch, *cmdline;
};

struct scan_stats {
	uint64_t bytes;			/* decompressed bytes read */
	unsigned long lines, incidents, cut_lines;	/* lines: of the chunk */
	bool read_error;		/* the input ended early (reported) */
	/* After the last complete line: where a later scan resumes (plain). */
	uint64_t complete_offset;
	unsigned long complete_lines;
	struct scan_host_facts *facts;	/* chunked scans; scan_stats_release() */
	size_t nr_facts;
	/* Archives: members scanned, members skipped (binary, nested too deep). */
	unsigned long members, skipped_members;
	char **member_paths;		/* when hooks->member_done is NULL */
	size_t nr_member_paths;
	const char *input_kind;		/* sniff.h's name for what the input was */
};

void scan_stats_release(struct scan_stats *st);

/*
 * Scan one input. Errors (unreadable, corrupt compression) are reported on
 * stderr as "ksift: PATH: …"; everything read before them is still scanned.
 * Returns 0 when the whole input was read, -1 otherwise.
 */
int scan_input(const char *path, const struct scan_options *opts,
	       const struct scan_hooks *hooks, struct scan_stats *stats);

struct profile;
/*
 * Fold a CPU profile file (perf script, perf report --stdio, folded stacks;
 * compressed or not) for pictures (flame graphs). NULL with err set when it
 * cannot be read or is no profile; a read error part-way is reported and
 * what came before is kept. profile_free() releases it.
 */
struct profile *scan_read_profile(const char *path, char *err, size_t errlen);

#endif
