/*
** dbpath: which signature database ksift uses when none is named: $KSIFT_DB,
** else signatures/ksift.db in the build tree (running ./analyzer/ksift
** uninstalled), else the installed PKGDATADIR/ksift.db. Returns a new string
** the caller frees, or NULL when none exists.
*/
#ifndef KSIFT_DBPATH_H
#define KSIFT_DBPATH_H

char *dbpath_default(void);

#endif
