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

#include <sqlite3.h>

#include "context.h"
#include "incident.h"
#include "sigfile.h"

#define RESULTS_BATCH 1000

struct results_db;

struct results_db *results_open(const char *path, char *err, size_t errlen);
/*
 * Record an incident and its matches. record is its JSON with the kernel
 * messages (report_json_record()), kept for `ksift rematch`; NULL keeps
 * what is stored. An incident already recorded (the same file read again)
 * gets this reading's facts, and its matches replace the stored ones.
 * Returns 1 when the incident was new, 0 when already recorded, -1 on error
 * (warned).
 */
int results_record(struct results_db *r, const struct incident *inc, const char *record);
/* Replace the stored matches of incident `id` by inc's (rematch). */
int results_put_matches(struct results_db *r, long long id, const struct incident *inc);

/* A boot as the scan saw it: what rematch needs for host and boot predicates. */
struct results_boot {
	const char *path, *host;
	unsigned long first_line;
	const char *release, *build, *hypervisor, *hardware, *arch, *cmdline, *version_line;
	const char *lines;	/* "OFFSET	message
" per early line, OFFSET from first_line */
	size_t lines_len;
};
int results_record_boot(struct results_db *r, const struct results_boot *b);

/*
 * After a file was read from its start: delete its incidents and boots that
 * this run did not record again (a signature that no longer matches a
 * condition, a report no longer found).
 */
int results_forget_unseen(struct results_db *r, const char *path);

/* The signatures in use, with lifecycle and fix data (the signatures table). */
int results_put_signatures(struct results_db *r, const struct signature *const *sigs, size_t n);

/*
 * Run one SQL statement (a constant, never input) in the current
 * transaction; text binds ?1 when given, and with_scan_id binds this run's
 * scan id to the next parameter. Returns the rows changed, or -1 (warned).
 */
int results_exec(struct results_db *r, const char *sql, const char *text, bool with_scan_id);

/* The handle, for the readers in results_read.c (same module). */
sqlite3 *results_handle(struct results_db *r);

/* ---- reading back (results_read.c): matching again without the logs --- */

/* One stored incident row; strings valid during the callback only. */
struct results_row {
	long long id;
	const char *path, *host;
	unsigned long line;
	const char *kind;
	bool has_record;	/* the row holds a record (readable or not) */
};

/*
 * The incident rebuilt from its stored record (kind, title, kernel, task,
 * ip, stacks, extras, text, hash); NULL when the row has none (recorded
 * before schema 5) or it cannot be read (warned). path is borrowed.
 */
struct incident *results_load_incident(struct results_db *r, long long id, const char *path,
				       unsigned long line);

/*
 * Each incident row matching the SQL condition `where` over incidents
 * (NULL: all; a constant string, never input), in (path, host, line)
 * order, with its rebuilt incident (NULL without a record) which fn owns.
 * fn must not delete incident rows (collect, delete after). fn returning
 * non-zero stops; that value is returned.
 */
typedef int (*results_incident_fn)(void *data, const struct results_row *row,
				   struct incident *inc);
int results_each_incident(struct results_db *r, const char *where, results_incident_fn fn,
			  void *data);

/* The boot of path and host that line belongs to (the last one starting at or
   before it), NULL when none is stored. Free with results_boot_free(). */
struct boot_context *results_boot_at(struct results_db *r, const char *path, const char *host,
				     unsigned long line);
void results_boot_free(struct boot_context *ctx);
/* Each stored boot (borrowed by fn for the call). */
typedef int (*results_boot_fn)(void *data, long long boot_id, struct boot_context *ctx);
int results_each_boot(struct results_db *r, results_boot_fn fn, void *data);
/* Commit what is pending (`ksift scan` does after each file); 0 or -1 (warned). */
int results_commit(struct results_db *r);
/* Keep everything in one transaction until results_commit() (no batches). */
void results_hold(struct results_db *r);
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
