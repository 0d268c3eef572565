/*
** sigstore: the signature tables of a ksift SQLite file — write a whole
** compiled set (`ksift db build`), add or replace one signature in a
** transaction (`ksift db add`), and read them back (sigdb_open, in sigdb.h).
**
** The source text of each signature is stored byte for byte, so export is
** an exact round trip; the other columns (title, severity, kinds, fix,
** function names) are there for people querying with sqlite3.
**
** Owns nothing beyond each call.
*/
#ifndef KSIFT_SIGSTORE_H
#define KSIFT_SIGSTORE_H

#include <stddef.h>

#include "sigdb.h"

/*
 * Write every signature of db to a new database at path: built in
 * "PATH.tmp.PID" and renamed over path only when complete, so an error
 * leaves nothing behind. Returns 0, or -1 with a message in err.
 */
int sigstore_write(struct sigdb *db, const char *path, char *err, size_t errlen);

/*
 * Validate one signature and add it to the database at path (created when
 * missing), replacing a signature with the same id. One IMMEDIATE
 * transaction, WAL mode and a busy timeout make concurrent writers safe.
 * Returns 0, or -1 with a message in err ("FILE:LINE: …" for a bad file).
 */
int sigstore_add(const char *path, const char *text, size_t len, const char *origin,
		 const char *file, char *err, size_t errlen);

#endif
