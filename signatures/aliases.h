/*
** aliases: names that mean the same thing across kernel releases — a
** function or a lock renamed upstream (mmap_sem → mmap_lock). The shipped
** list is signatures/aliases, compiled into the signature database next to
** the signatures; frame patterns and waiting-for patterns that name one of
** a group match any of them.
**
**     # comment
**     &mm->mmap_sem = &mm->mmap_lock
**     __alloc_pages_nodemask = __alloc_pages
**
** One group per line, names separated by " = ", no globs (a rename is
** one name). A name may be in one group only. Errors name FILE:LINE.
**
** Owns: the groups and names; aliases_free().
*/
#ifndef KSIFT_ALIASES_H
#define KSIFT_ALIASES_H

#include <stddef.h>

#include "strbuf.h"

struct aliases;

/* NULL with "PATH:LINE: message" lines in err on any error. */
struct aliases *aliases_parse(const char *text, size_t len, const char *path,
			      struct strbuf *err);
void aliases_free(struct aliases *a);

/*
 * The names of the group holding name (name among them), *n of them; NULL
 * when name is in no group (or a is NULL).
 */
char *const *aliases_group(const struct aliases *a, const char *name, size_t *n);

/* Number of groups (for messages). */
size_t aliases_count(const struct aliases *a);

#endif
