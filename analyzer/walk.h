/*
** walk: expand the command line's inputs into the list of files to scan.
** Directories are walked recursively in sorted order; in directories, files
** that look binary after decompression are skipped with a warning (a file
** named explicitly is always scanned). Unreadable entries are reported and
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
	size_t nr, alloc;
	unsigned errors;	/* unreadable entries reported */
};

void walk_inputs(struct walk_list *out, char **args, int nr_args);
void walk_list_release(struct walk_list *l);
/* true when the first bytes of the (decompressed) file look like text. */
bool walk_looks_textual(const char *path);

#endif
