/*
** sigdb: the known-bug signature database — a set of compiled signatures
** with an index, loaded from a compiled SQLite file (sigdb_open) or straight
** from signature text files (sigdb_load_path, for `ksift db build/test`),
** and the matcher `ksift scan` calls.
**
** Index: each incident is tested only against the signatures that could
** match it — those indexed under a function name its frames contain (every
** `frames` alternative is indexed under its longest glob-free function name)
** plus, for its kind, those whose frame patterns have no literal name or
** that have no frames at all. So cost grows with candidates, not with the
** size of the database.
**
** Ownership: a sigdb owns its signatures, their source text and the PCRE2
** state. sigdb_match_incident() appends to inc->matches (inc owns them);
** sigdb_match_boot() hands each new condition incident to emit, which owns
** it. Matching may be called from several threads: calls are serialised
** by a mutex inside the sigdb (PCRE2 scratch space, index, warning flags).
** Loading (sigdb_add_text, sigdb_load_path) must not run concurrently with
** anything else on the same sigdb.
*/
#ifndef KSIFT_SIGDB_H
#define KSIFT_SIGDB_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "incident.h"
#include "sig.h"

struct sigdb;

/* Open a compiled database; NULL + message on a missing, corrupt or foreign file. */
struct sigdb *sigdb_open(const char *path, char *err, size_t errlen);
void sigdb_close(struct sigdb *db);

/*
 * The database `ksift scan` and `ksift db list/show/add` use without --db:
 * $KSIFT_DB when set, else PKGDATADIR/ksift.db, else (running from the build
 * tree, nothing installed) BUILDDIR/signatures/ksift.db. Static storage.
 */
const char *sigdb_default_path(void);

/* An empty in-memory set. */
struct sigdb *sigdb_new(void);
/*
 * Add every `*.sig` under path (a directory, searched recursively, or one
 * file). Each invalid file prints "ksift: FILE:LINE: message"; returns the
 * number of errors (0 = all loaded).
 */
int sigdb_load_path(struct sigdb *db, const char *path);
/*
 * Parse, compile and add one signature from text. origin names it in
 * messages; file is the name it is exported under. Returns 0, or -1 with
 * the message in err (a duplicate id is an error).
 */
int sigdb_add_text(struct sigdb *db, const char *text, size_t len, const char *origin,
		   const char *file, struct strbuf *err);

size_t sigdb_count(const struct sigdb *db);
/* The i-th signature in id order (valid until the db changes). */
const struct sig *sigdb_get(const struct sigdb *db, size_t i);
const struct sig *sigdb_find(const struct sigdb *db, const char *id);
/* Source text and export file name of a signature. */
const char *sigdb_source(const struct sigdb *db, size_t i);
const char *sigdb_file(const struct sigdb *db, size_t i);

/* Append the matching signatures to inc->matches, most specific first. ctx may be NULL. */
void sigdb_match_incident(struct sigdb *db, struct incident *inc,
			  const struct boot_context *ctx);

typedef void (*sigdb_emit_fn)(void *data, struct incident *inc);
/*
 * For a finished boot: each condition signature (only host/boot predicates)
 * that holds becomes a new KIND_CONDITION incident (title, host, source
 * path/line, kernel facts, evidence lines as text, one match) passed to
 * emit, which owns it. Returns how many were emitted.
 */
size_t sigdb_match_boot(struct sigdb *db, const struct boot_context *ctx,
			sigdb_emit_fn emit, void *data);

/* Test stats for `make bench`: candidates examined since creation. */
unsigned long long sigdb_candidates_tested(struct sigdb *db);

#endif
