/*
** dbgd: libdebuginfod, loaded with dlopen() the first time a debug file is
** fetched by build ID rather than linked.
**
** Why: libdebuginfod pulls in libcurl, GnuTLS, Kerberos, LDAP and some
** thirty other libraries. Linked, the dynamic loader maps and relocates all of
** them at every start: 11 ms of a 15 ms `ksift --help`, paid by every scan
** although debuginfod is used only when DEBUGINFOD_URLS is set and a debug
** file is missing locally. (libdw loads it the same way for its own lookups.)
**
** Owns: the library handle and a debuginfod client; dbgd_free() releases both.
** One per symbolizer, used by one thread at a time, like the symbolizer.
*/
#ifndef KSIFT_DBGD_H
#define KSIFT_DBGD_H

#include <stdbool.h>

struct dbgd;

/* NULL when libdebuginfod cannot be loaded or its client not started (a
   missing library is not an error: the debug file is then not fetched). */
struct dbgd *dbgd_new(void);
/* debuginfod_find_debuginfo(): a descriptor (and *path, malloc'd) or < 0. */
int dbgd_find_debuginfo(struct dbgd *d, const unsigned char *build_id, int len,
			char **path);
void dbgd_free(struct dbgd *d);

/* The libdebuginfod client of one symbolizer, loaded at its first use. */
struct dbgd_lazy {
	struct dbgd *d;
	bool tried;
};

/*
 * A debug file by build ID (lowercase hex): DEBUG_ROOT/.build-id/NN/REST.debug,
 * then, when DEBUGINFOD is true, libdebuginfod through LAZY (loaded at the
 * first fetch). Returns the path (caller frees) or NULL.
 */
char *dbgd_debug_file(const char *debug_root, const char *build_id, bool debuginfod,
		      struct dbgd_lazy *lazy);

#endif
