/*
** version: kernel release ordering the way distributions order packages, so
** signatures can say `kernel: >= 4.4.0-21, < 4.4.0-140`.
**
** dpkg (Debian, Ubuntu): deb-version(7) — alternate non-digit and digit runs;
** non-digits compare by character with '~' before everything (even the end)
** and letters before other characters; digit runs compare as numbers.
** rpm (RHEL, Fedora, SUSE): rpmvercmp — split into alphanumeric segments at
** any other character; numeric segments are newer than alpha ones, '~' sorts
** before everything and '^' after the end only.
** kver_cmp() picks rpm when either release looks like an rpm build (".el7",
** ".fc38", ".amzn2", ".oe", ".an8"), else dpkg; both first drop a trailing
** architecture (".x86_64", ".aarch64", …) so `3.10.0-693.17.1.el7.x86_64`
** equals `3.10.0-693.17.1.el7`.
**
** Owns nothing; kver_ranges own their strings (kver_ranges_free()).
*/
#ifndef KSIFT_VERSION_H
#define KSIFT_VERSION_H

#include <stdbool.h>
#include <stddef.h>

/* <0, 0, >0 like strcmp. */
int dpkg_vercmp(const char *a, const char *b);
int rpm_vercmp(const char *a, const char *b);
int kver_cmp(const char *a, const char *b);

/* Length of s without a trailing architecture suffix. */
size_t kver_strip_arch(const char *s);

enum kver_op { KVER_EQ, KVER_NE, KVER_LT, KVER_LE, KVER_GT, KVER_GE };

struct kver_cond { enum kver_op op; char *version; };
/* One line of a `kernel` field: conditions that must all hold. */
struct kver_range { struct kver_cond *conds; size_t nr; };
/* A whole `kernel` field: the release matches when any range holds. */
struct kver_ranges { struct kver_range *ranges; size_t nr; };

/*
 * Parse a `kernel` value: one range per line, conditions separated by ','
 * ("OP VERSION" or a bare VERSION meaning "="). Returns 0, or -1 with a
 * message in err and *bad_line set to the 0-based line of the value at fault.
 */
int kver_ranges_parse(const char *value, struct kver_ranges *out, char *err,
		      size_t errlen, unsigned *bad_line);
bool kver_ranges_match(const struct kver_ranges *r, const char *release);
void kver_ranges_free(struct kver_ranges *r);

#endif
