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
	char *func;		/* as written: a glob over the suffix-stripped name,
				   or alternatives "copy_net_ns|setup_net";
				   NULL: "|", the start of an alternative pattern */
	char *module;		/* glob, NULL: any (vmlinux or a module) */
	bool gap;		/* "...": any frames may come before the next */
	unsigned long line;	/* where it was written, for messages */
};

/*
 * One "fixed-in:"/"affected-since:" line: "STREAM VERSION SOURCE…", e.g.
 * "el7 3.10.0-862.el7 RHSA-2018:1062". version NULL: "none", the stream
 * never got the fix.
 */
struct fix_entry {
	char *stream, *version, *source;
	unsigned long line;
};

struct fix_list {
	struct fix_entry *v;
	size_t nr, alloc;
};

/*
 * "profile-share: _raw_spin_lock ... tdp_page_fault [kvm] >= 20%": the
 * samples of a profile record whose stack (innermost first) holds the frame
 * pattern make at least min_percent of all its samples.
 */
struct profile_share {
	struct frame_pat *frames;
	size_t nr_frames;
	double min_percent;
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
	struct profile_share *shares;	/* profile-share lines, all must hold */
	size_t nr_shares;
	/* Userspace crashes (kind coredump): executable globs (path, base name
	   or command name), and package terms "NAME-GLOB OP VERSION, …". */
	struct str_list executable;
	char *package;
	long count_n;		/* count: N [in T s]; 0 when absent */
	double count_secs;	/* 0: no time bound */
	struct str_list links, examples, counter_examples;
	/* Fix status per release stream (fixstatus.h). */
	struct fix_list fixed_in, affected_since;
	/* The lock a blocked task waits for: patterns like frame elements. */
	struct str_list waiting_for;
	/* Lifecycle: status NULL is "active"; a retired signature matches nothing. */
	char *status, *superseded_by, *duplicate_of, *owner;
	struct str_list cve;
	/* Examples on kernels that carry the fix: must match with fix_status "fixed". */
	struct str_list fixed_examples;
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
/* false for "status: retired". */
bool signature_is_active(const struct signature *s);

/*
 * Why a frame-pattern element can never match a function name (an offset
 * "+0x3b8/0x400", a "?" marker, an address): a message, or NULL when it is fine.
 */
const char *frame_element_problem(const char *func);

#endif
