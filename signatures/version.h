/*
** version: order kernel releases the way package managers do, and test a
** release against a signature's `kernel:` predicate.
**
** dpkg (Debian/Ubuntu: "4.4.0-119-generic" < "4.4.0-137-generic") and rpm
** (RHEL/Fedora: "3.10.0-693.17.1.el7" < "3.10.0-693.21.1.el7") differ in how
** they treat separators; releases with an rpm dist tag (.elN, .fcN, .amznN)
** are compared like rpm, everything else like dpkg. A trailing architecture
** (".x86_64") is ignored. Pure functions; nothing is allocated.
*/
#ifndef KSIFT_VERSION_H
#define KSIFT_VERSION_H

#include <stdbool.h>

/* <0, 0, >0 like strcmp. */
int version_cmp_dpkg(const char *a, const char *b);
int version_cmp_rpm(const char *a, const char *b);
/* Upstream kernel order: 5.10 < 5.10.1 < 5.11-rc1 < 5.11. */
int version_cmp_kernel(const char *a, const char *b);
/* By a release stream's order (enum release_order, release.h). */
int version_cmp_order(int order, const char *a, const char *b);
/* Picks the scheme from the strings (rpm when either has a dist tag). */
int version_cmp(const char *a, const char *b);

/*
 * A predicate: comma-separated terms, all of which must hold. A term is
 * "OP VERSION" with OP one of < <= > >= = !=, or a bare VERSION meaning "=".
 * "=" matches the release exactly or as a prefix followed by a separator
 * ("4.4.0-137" matches "4.4.0-137-generic"; "3.10.0-693.17.1.el7" matches
 * "3.10.0-693.17.1.el7.x86_64"). Returns -1 for a malformed predicate, else
 * 1 when the release satisfies it and 0 when not.
 */
int version_match(const char *predicate, const char *release);

/*
 * A package predicate: comma-separated terms "NAME OP VERSION" (NAME a shell
 * glob, OP as above; a bare "NAME VERSION" means "="), all of which must
 * hold. PACKAGES (NAME and VERSION pairs, NULL-terminated by a NULL name)
 * are the record's: a term holds when some package whose name matches its
 * glob has a version that satisfies it (dpkg or rpm order as above), and
 * fails when none does. Returns -1 for a malformed predicate (PACKAGES may
 * then be NULL: a syntax check), else 1 or 0; *which (when not NULL) is set
 * to the first package that satisfied a term.
 */
int package_match(const char *predicate, const char *const *names,
		  const char *const *versions, const char **which);

#endif
