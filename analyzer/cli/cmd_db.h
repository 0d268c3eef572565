/*
** cmd_db: the parts of `ksift db` that live in their own files —
** test (cmd_db_test.c), review and diff (cmd_db_review.c).
*/
#ifndef KSIFT_CMD_DB_H
#define KSIFT_CMD_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "sigdb.h"
#include "strbuf.h"

/* what: a directory or .sig file, NULL to look for one; corpus NULL: look. */
int db_test(const char *what, const char *corpus, bool verbose);

/* what: an archive (files, directories) or a results database. */
int db_review(const char *what, const char *dbfile, bool json);
/* old and new: signature directories, .sig files or compiled databases. */
int db_diff(const char *old_sigs, const char *new_sigs, const char *archive);

/*
 * The first of names that is a directory under start or its nearest parent,
 * up to the repository root (a directory holding .git); what was tried is
 * appended to looked. NULL when none.
 */
char *db_find_upward(const char *start, const char *const *names, size_t nr,
		     struct strbuf *looked);

#endif
