/*
** sigfile: the text format of one known-bug signature (signatures/README.md).
**
**     id: kvm-zap-rmapp-paging-request
**     title: Paging request Oops in kvm_zap_rmapp from the mmu notifier
**     kind: oops
**     frames: kvm_zap_rmapp [kvm]
**       ...
**       kvm_mmu_notifier_invalidate_range_start [kvm]
**
** "key: value" lines; a line starting with blanks continues the previous
** field (one value per line for list fields, joined with '\n' for prose).
** '#' at the start of a line is a comment. Unknown keys, duplicate keys,
** missing id/title, malformed predicates and regexes that do not compile
** are errors naming FILE:LINE (regexes also the offset).
**
** Owns: every string and array in struct signature; signature_free().
*/
#ifndef KSIFT_SIGFILE_H
#define KSIFT_SIGFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"
#include "strbuf.h"

struct frame_pat {
	char *func;		/* fnmatch glob over the suffix-stripped name;
				   NULL: "|", the start of an alternative */
	char *module;		/* glob, NULL: any (vmlinux or a module) */
	bool gap;		/* "...": any frames may come before the next */
};

struct str_list {
	char **v;
	size_t nr, alloc;
};

struct signature {
	char *id, *title, *description, *severity, *fix, *workaround;
	enum incident_kind kinds[8];
	size_t nr_kinds;
	struct str_list title_regex, text_regex, boot_regex;
	struct frame_pat *frames;
	size_t nr_frames;
	char *kernel;		/* version predicate, see version.h */
	char *hypervisor, *hardware;	/* case-insensitive substrings */
	/* Userspace crashes (kind coredump): executable globs (path, base name
	   or command name), and package terms "NAME-GLOB OP VERSION, …". */
	struct str_list executable;
	char *package;
	long count_n;		/* count: N [in T s]; 0 when absent */
	double count_secs;	/* 0: no time bound */
	struct str_list links, examples, counter_examples;
	/* Where it came from, for messages. */
	char *path;
	unsigned long line;
};

/*
 * Parse one signature from text (path names it in messages). Errors are
 * appended to err as "PATH:LINE: message\n" lines; returns NULL on any.
 */
struct signature *signature_parse(const char *text, size_t len, const char *path,
				  struct strbuf *err);
void signature_free(struct signature *s);

/* true for a signature that tests only the host and boot (no crash needed). */
bool signature_is_condition(const struct signature *s);

#endif
