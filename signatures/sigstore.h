/*
** sigstore: the compiled signature database file (SQLite). Each signature
** is stored as its exact source text, so `ksift db export` writes back the
** same bytes; the id, kinds and frame functions are columns for sqlite3
** users. Schema versioned with PRAGMA user_version; application_id 'ksig'
** tells a ksift database from any other SQLite file.
**
**     CREATE TABLE signature(id TEXT PRIMARY KEY, file TEXT, title TEXT,
**         severity TEXT, kinds TEXT, functions TEXT, source TEXT NOT NULL);
**     CREATE TABLE aliases(file TEXT NOT NULL, source TEXT NOT NULL);  -- version 2
**
** A signature directory is read recursively (bugs/net/x.sig is "net/x.sig");
** its aliases file is DIR/aliases or, failing that, DIR/../aliases.
**
** Owns: nothing across calls; every function opens and closes the file.
** Errors go to err as "FILE: message" and the call returns -1.
*/
#ifndef KSIFT_SIGSTORE_H
#define KSIFT_SIGSTORE_H

#include <stddef.h>

#include "aliases.h"
#include "sigfile.h"
#include "strbuf.h"

#define SIGSTORE_APP_ID 0x6b736967	/* 'ksig' */
#define SIGSTORE_VERSION 2

struct sig_source {		/* one signature file's text */
	char *file;		/* relative to the directory, e.g. "net/kvm-zap-rmapp.sig" */
	char *path;		/* where it was read from */
	char *text;
	size_t len;
	struct signature *sig;	/* parsed */
};

struct sig_set {
	struct sig_source *v;
	size_t nr, alloc;
	/* Renamed functions and locks (aliases.h); NULL when there is no file. */
	struct aliases *aliases;
	char *aliases_text, *aliases_path;
	size_t aliases_len;
};

/*
 * Read and validate every *.sig file under dir, subdirectories too (sorted
 * by relative path), and the aliases file. -1 on any error.
 */
int sigstore_read_dir(const char *dir, struct sig_set *out, struct strbuf *err);
/* Read an aliases file into the set (replacing any). -1 on an error. */
int sigstore_read_aliases(const char *path, struct sig_set *out, struct strbuf *err);
/*
 * Whole-set checks: superseded-by and duplicate-of name signatures of the
 * set. -1 (errors in err) when one does not.
 */
int sig_set_check(const struct sig_set *set, struct strbuf *err);
/* Read and validate one file. */
int sigstore_read_file(const char *path, struct sig_set *out, struct strbuf *err);
void sig_set_release(struct sig_set *set);

/* Write a new database with exactly these signatures (atomic rename). */
int sigstore_write(const char *dbpath, const struct sig_set *set, struct strbuf *err);
/* Add or replace one signature in a database, in one transaction. */
int sigstore_add(const char *dbpath, const struct sig_source *src, struct strbuf *err);
/* Load every signature of a database (parsed). */
int sigstore_load(const char *dbpath, struct sig_set *out, struct strbuf *err);

#endif
