/*
** usercrash: what every `coredump` record shares, wherever it came from (a
** core file read by symbols/coredump.c, a systemd-coredump journal message
** parsed by coremsg.c, a kernel segfault line merged into either).
**
** - Signal names and si_code names (include/uapi/asm-generic/siginfo.h).
** - Userspace generic frames: the signal, abort and assertion machinery of
**   glibc, its allocator's corruption checks, string functions, thread and
**   process start, C++ and GLib termination helpers — what a crash passes
**   through on its way to the kernel but that never names the bug.
** - Title and cluster hash (title.c calls usercrash_title() for the kind):
**   title "SIGSEGV in ngx_http_parse_chunked (nginx)"; hash FNV-1a 64 over
**   "coredump\n", the executable's base name and "\n", then the first
**   HASH_FRAMES meaningful frames of the crashing thread, each as its
**   function name (compiler suffixes and glibc's __GI_ alias prefix
**   removed) or, for a frame without one, "module+0xOFFSET", each followed
**   by "\n". Addresses, hosts and the signal are not part of it: stable
**   across ASLR, hosts and rebuilds that keep function names.
** - The record's text, rendered like systemd-coredump's journal message
**   when the record came from a core (usercrash_render_text()).
** - Merging a kernel segfault/trap record into the coredump record of the
**   same crash (usercrash_same_crash(), usercrash_merge_kernel()).
**
** Extras of a coredump record (JSON `extra`): executable, cmdline, signal,
** signal_number, signal_code, fault_address, sender_pid, sender_uid, uid,
** threads, sources ("core", "journal", with ",kernel" when a kernel line was
** merged), core_file, package, package_version, boot_id, warnings, and from
** a merged kernel line user_ip, error_code, object, trap.
**
** Owns nothing; keeps no state.
*/
#ifndef KSIFT_USERCRASH_H
#define KSIFT_USERCRASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident.h"

/* "SIGSEGV" for 11; NULL when unknown. */
const char *usercrash_signal_name(int signo);
/* 11 for "SIGSEGV" or "SEGV"; 0 when unknown. */
int usercrash_signal_number(const char *name);
/* "SEGV_MAPERR" for (11, 1), "SI_TKILL" for (_, -6); NULL when unknown. */
const char *usercrash_sigcode_name(int signo, int code);

/* true when FUNC is userspace crash machinery (see above). */
bool usercrash_generic_frame(const char *func);

/* Title and hash of a coredump record (from its extras and first stack). */
void usercrash_title(struct incident *inc);

/* inc->text as systemd-coredump would print the record. */
void usercrash_render_text(struct incident *inc);

/* Adds NAME to the comma-separated `sources` extra (once). */
void usercrash_add_source(struct incident *inc, const char *name);

/*
 * Whether SEG (a kernel segfault/trap record) and CORE (a coredump record)
 * are one crash: same host, the kernel line's pid (a thread id) is the
 * process's or its crashing thread's, and their wall times (when both
 * have one) are within MAX_SECONDS.
 */
bool usercrash_same_crash(const struct incident *core, const struct incident *seg,
			  double max_seconds);
/* Moves SEG's facts and text into CORE (sources gain "kernel"); the
   caller frees SEG. CORE's source lines grow to cover SEG's. */
void usercrash_merge_kernel(struct incident *core, const struct incident *seg);

/*
 * Seconds since the epoch of a wall time as records carry it (ISO-8601
 * with or without zone, "Mmm dd hh:mm:ss[.frac]" read in a fixed year):
 * only differences between two times of one log mean anything. false when
 * not a time.
 */
bool usercrash_wall_seconds(const char *wall, double *out);

#endif
