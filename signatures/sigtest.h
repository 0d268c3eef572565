/*
** sigtest: `ksift db test` — run every signature against its examples (must
** match), its counter-examples (must not) and every file of the corpora
** (a match on a file the signature does not list as an example is an
** unexpected match). Files are scanned once each with the real pipeline
** (scan_input), incidents matched with sigdb_match_incident() and finished
** boots with sigdb_match_boot().
**
** Owns nothing after it returns.
*/
#ifndef KSIFT_SIGTEST_H
#define KSIFT_SIGTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"
#include "sigdb.h"

/*
 * Example paths are relative to root (absolute ones are used as they are);
 * root/corpus is always scanned, plus each directory in corpora. Prints one
 * line per miss or unexpected match and a summary; returns their number.
 */
int sigtest_run(struct sigdb *db, const char *root, const char **corpora,
		size_t nr_corpora, bool verbose);

/*
 * `ksift db match`: scan each log and print "LOG:LINE: ID (TITLE)" for every
 * signature that matches an incident or a boot; with results non-NULL also
 * record every incident and condition there. Returns -1 when a log could
 * not be read or a record failed.
 */
int sigtest_match_files(struct sigdb *db, const char *const *paths, size_t n,
			struct results_db *results);

#endif
