/*
** results: keep scan results in SQLite (`ksift scan --results FILE.db`) —
** one row per incident (host, wall and kernel time, kind, title, hash,
** kernel release, source path and line) and one per matched signature, with
** views bugs_by_host and bugs_seen (schema.c, README "Results database").
**
** Recording is idempotent: an incident is keyed by (source path, line, kind,
** title), so scanning the same file again adds no rows. Writes are batched
** in a transaction committed every RESULTS_BATCH incidents, on
** results_commit() and at close.
** A corrupt or foreign file is an error from results_open(), never a crash.
**
** Owns: the sqlite3 handle and prepared statements; results_close()
** commits and releases them. Not thread-safe: one writer per handle (other
** processes may write the same file: WAL and a busy timeout).
*/
#ifndef KSIFT_RESULTS_H
#define KSIFT_RESULTS_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

#define RESULTS_BATCH 1000

struct results_db;

struct results_db *results_open(const char *path, char *err, size_t errlen);
/* Returns 1 when the incident was new, 0 when already recorded, -1 on error (warned). */
int results_record(struct results_db *r, const struct incident *inc);
/* Commit what is pending (`ksift scan` does after each file); 0 or -1 (warned). */
int results_commit(struct results_db *r);
/* Drop what is pending (a file whose incidents could not all be recorded). */
int results_rollback(struct results_db *r);
/* Commits; returns 0, or -1 when the final commit failed (warned). */
int results_close(struct results_db *r);

/*
 * Incremental scans: what an earlier run read of a file. done_offset and
 * done_lines are the byte offset and line count after its last complete
 * line (a partial last line is read again next time).
 */
struct results_file {
	long long dev, inode, size, mtime;
	char head_hash[17];		/* FNV-1a of the first 4 KiB, hex */
	long long done_offset, done_lines;
	int compressed;
};

/*
 * Does the file recorded under `path` still hold what `rec` describes? Then
 * a file with the same identity under another name is a copy, not that file
 * renamed, and is scanned on its own.
 */
typedef bool (*results_still_there_fn)(const char *path, const struct results_file *rec);

/*
 * The earlier state of a file: by its path, else by its (dev, inode) (a log
 * renamed by rotation), else by identical content (head hash and size) under
 * another name (renamed across file systems, copied then removed) — in both
 * cases only a record whose own path no longer holds it (still_there says
 * no). 1 found (prev filled), 0 none, -1 error (warned).
 */
int results_file_lookup(struct results_db *r, const char *path,
			const struct results_file *now, struct results_file *prev,
			results_still_there_fn still_there);
/* Remember a file's state after scanning it (in the file's transaction). */
int results_file_done(struct results_db *r, const char *path, const struct results_file *f);

#endif
