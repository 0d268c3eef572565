/*
** sigstore: the compiled signature database file (SQLite). Each signature
** is stored as its exact source text, so `ksift db export` writes back the
** same bytes; the id, kinds and frame functions are columns for sqlite3
** users. Schema versioned with PRAGMA user_version; application_id 'ksig'
** tells a ksift database from any other SQLite file.
**
**     CREATE TABLE signature(id TEXT PRIMARY KEY, file TEXT, title TEXT,
**         severity TEXT, kinds TEXT, functions TEXT, source TEXT NOT NULL);
**
** Owns: nothing across calls; every function opens and closes the file.
** Errors go to err as "FILE: message" and the call returns -1.
*/
#ifndef KSIFT_SIGSTORE_H
#define KSIFT_SIGSTORE_H

#include <stddef.h>

#include "sigfile.h"
#include "strbuf.h"

#define SIGSTORE_APP_ID 0x6b736967	/* 'ksig' */
#define SIGSTORE_VERSION 1

struct sig_source {		/* one signature file's text */
	char *file;		/* base name, e.g. "kvm-zap-rmapp.sig" */
	char *path;		/* where it was read from */
	char *text;
	size_t len;
	struct signature *sig;	/* parsed */
};

struct sig_set {
	struct sig_source *v;
	size_t nr, alloc;
};

/* Read and validate every *.sig file under dir (sorted). -1 on any error. */
int sigstore_read_dir(const char *dir, struct sig_set *out, struct strbuf *err);
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
