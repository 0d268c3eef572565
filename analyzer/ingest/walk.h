/*
** walk: expand the command line's inputs into the list of files to scan.
** Directories are walked recursively in sorted order; in directories, files
** that look binary after decompression are skipped with a warning, except
** ELF core dumps (plain or compressed), which are inputs too (a file named
** explicitly is always scanned). Unreadable entries are reported and
** the walk goes on.
**
** Owns: the path strings in the list; walk_list_release() frees them.
*/
#ifndef KSIFT_WALK_H
#define KSIFT_WALK_H

#include <stdbool.h>
#include <stddef.h>

struct walk_list {
	char **paths;
	/* The path relative to the argument it was found under ("node017/
	   dmesg.2.gz" for archive/node017/dmesg.2.gz given "archive/"); the
	   file name itself for a file named directly. Points into paths[i]. */
	const char **relpaths;
	size_t nr, alloc, alloc_rel;
	unsigned errors;	/* unreadable entries reported */
};

void walk_inputs(struct walk_list *out, char **args, int nr_args);
void walk_list_release(struct walk_list *l);
/*
 * Keep only the files of shard `index` (1-based) of `count`: FNV-1a of the
 * relative path modulo count. Deterministic across machines and runs, so N
 * workers cover an archive exactly once.
 */
void walk_keep_shard(struct walk_list *l, unsigned index, unsigned count);
/* The host a relative path names: its first directory ("node017/…"), or NULL. */
char *walk_host_from_relpath(const char *relpath);
enum walk_kind { WALK_TEXT, WALK_CORE, WALK_BINARY };
/* What the first bytes of the (decompressed) file are (sniff.h): text or an
   archive of text, an ELF core dump (e_type ET_CORE), or another binary.
   Unreadable: WALK_TEXT (the scan reports why). */
enum walk_kind walk_classify(const char *path);
/* true when the first bytes of the (decompressed) file look like text or
   an archive (sniff.h). */
bool walk_looks_textual(const char *path);
/* true when B (N bytes) starts with the ELF header of a core dump. */
bool walk_is_core_header(const unsigned char *b, size_t n);

#endif
