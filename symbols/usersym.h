/*
** usersym: debug files of userspace modules (executables, shared objects)
** for the frames of core dumps, found by path and build ID and kept across
** cores (the libc of one fleet is the same in every core).
**
** Where a module's symbols and DWARF come from, first usable wins:
** 1. the file that ran (the core's NT_FILE path, under the sysroot), when
**    its build ID is the one the core recorded — with its separate debuginfo
**    found as symbols/README.md says (DEBUG_ROOT/.build-id/NN/REST.debug,
**    .gnu_debuglink next to it, in .debug/, under DEBUG_ROOT; debuginfod
**    only when allowed);
** 2. DEBUG_ROOT/.build-id/NN/REST.debug by the core's build ID alone (the
**    file is gone or was replaced by an update);
** 3. debuginfod by build ID, when DEBUGINFOD_URLS is set and allowed.
** Nothing found: the frame keeps module + offset and a warning says why.
**
** Ownership: struct usersym owns the debug files (at most USERSYM_MAX_FILES
** open; the least recently used is closed past that) and the debuginfod
** client. Returned debugfiles stay valid until the next usersym_module()
** call or usersym_free().
*/
#ifndef KSIFT_USERSYM_H
#define KSIFT_USERSYM_H

#include <stdbool.h>

#include "debugfile.h"
#include "symbolizer.h"

#define USERSYM_MAX_FILES 64u

struct usersym;

/* Uses opts->debug_root (NULL: /usr/lib/debug), ->debuginfod, ->quiet. */
struct usersym *usersym_new(const struct symbolizer_options *opts);
void usersym_free(struct usersym *s);

/*
 * The debug view of a module. PATH: the file that ran as it can be opened
 * here (NULL when missing or not the build that ran); BUILD_ID: lowercase
 * hex from the core ("" when unknown). Returns NULL when nothing usable is
 * found; then *why (caller frees) says what was tried, once per module (NULL
 * on later calls for the same module).
 */
struct debugfile *usersym_module(struct usersym *s, const char *path,
				 const char *build_id, char **why);

#endif
