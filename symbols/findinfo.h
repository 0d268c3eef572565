/*
** findinfo: where libdwfl looks for the separate debuginfo of a file that
** has none itself (a stripped vmlinux or .ko with a build ID or a
** .gnu_debuglink): ksift's Dwfl_Callbacks.find_debuginfo.
**
** Why not dwfl_standard_find_debuginfo alone: its last resort is debuginfod
** whenever DEBUGINFOD_URLS is set, whatever the caller wants. So it is used
** only when debuginfod is allowed; otherwise the search is local: by build
** ID under the debug root (dwfl_build_id_find_debuginfo, which reads files
** only), then the debuglink name next to the file, in its .debug/ directory
** and under the debug root, a candidate counting only when its build ID is
** the file's.
**
** Ownership: the struct debuginfo_search is the caller's and must outlive the
** Dwfl (debuginfo_search_release frees its debuginfo_path); the found file
** name handed to libdwfl is malloc'd (libdwfl frees it).
*/
#ifndef KSIFT_FINDINFO_H
#define KSIFT_FINDINFO_H

#include <stdbool.h>

#include <elfutils/libdwfl.h>

struct debuginfo_search {
	const char *debug_root;	/* "/usr/lib/debug" or --debug-root */
	bool debuginfod;	/* libdwfl may ask debuginfod (DEBUGINFOD_URLS) */
	/* For Dwfl_Callbacks.debuginfo_path: the build-ID search path. */
	char *debuginfo_path;
};

/* Fills the callbacks for an offline Dwfl searching as SEARCH says. */
void debuginfo_search_callbacks(struct debuginfo_search *search,
				Dwfl_Callbacks *cb);

/* Frees what debuginfo_search_callbacks allocated (not the struct). */
void debuginfo_search_release(struct debuginfo_search *search);

/* Makes MOD's callbacks see SEARCH (sets the module's userdata). */
void debuginfo_search_attach(Dwfl_Module *mod, struct debuginfo_search *search);

#endif
