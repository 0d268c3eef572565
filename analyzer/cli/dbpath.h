/*
** dbpath: which signature database ksift uses when none is named: $KSIFT_DB,
** else signatures/ksift.db in the build tree (running ./analyzer/ksift
** uninstalled), else the installed PKGDATADIR/ksift.db. Returns a new string
** the caller frees, or NULL when none exists.
*/
#ifndef KSIFT_DBPATH_H
#define KSIFT_DBPATH_H

#include "sigdb.h"
#include "strbuf.h"

char *dbpath_default(void);

/*
 * The signatures of `what`: a compiled database, a directory of .sig files
 * (read as db build reads it) or one .sig file; NULL with errors in err.
 */
struct sigdb *dbpath_open(const char *what, struct strbuf *err);

#endif
