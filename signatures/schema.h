/*
** schema: the SQLite schema shared by the compiled signature database and
** the results store (one file may hold both), versioned with
** PRAGMA user_version and migrated forward one step at a time; the file is
** tagged with PRAGMA application_id so a foreign SQLite file is refused
** rather than modified. The SQL is in schema.c and documented in
** signatures/README.md ("Database schema").
**
** Owns nothing: callers own the sqlite3 handle.
*/
#ifndef KSIFT_SCHEMA_H
#define KSIFT_SCHEMA_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define KSIFT_APPLICATION_ID 0x6b736674	/* "ksft" */
#define KSIFT_SCHEMA_VERSION 2

/*
 * Check that db is a ksift database (or empty) and, when writable, migrate it
 * to KSIFT_SCHEMA_VERSION. Returns 0, or -1 with a message in err:
 * not a database, a foreign database, a newer schema, or an SQL error.
 */
int schema_prepare(sqlite3 *db, bool writable, char *err, size_t errlen);

/* Open path with the busy timeout set; NULL + message on failure. */
sqlite3 *schema_open(const char *path, bool writable, char *err, size_t errlen);

#endif
