/*
** sniff: what an input is, from its first (decompressed) bytes — the way a
** support case mixes them: kernel logs, archives of logs (sosreport,
** supportconfig), CPU profiles, /proc stack captures, binaries.
**
**   archive       tar (ustar/GNU magic, or a v7 header whose checksum holds),
**                 zip ("PK\3\4", "PK\5\6"), cpio (odc "070707", newc
**                 "070701"/"070702", binary 070707 either endian)
**   perf report   `perf report --stdio`: its "# Overhead"/"# Children" column
**                 header (builtin-report.c, hists__fprintf_headers())
**   perf script   `perf script` samples: callchain lines "\t%16lx sym+off (dso)"
**                 (builtin-script.c, sample__fprintf_callchain()) or one-line
**                 samples ending in an "ip sym (dso)" triple
**   folded        "a;b;c 123" lines (stackcollapse-perf.pl, perf script
**                 report stackcollapse)
**   proc stacks   /proc/PID/stack dumps: "[<0>] func+0x1c/0x40" at the start
**                 of a line (proc_pid_stack() in fs/proc/base.c prints
**                 "[<0>] %pB"), under `head` "==> /proc/N/stack <==" headers
**                 or behind `grep -H`'s "/proc/N/stack:", and `ps` output
**                 with a WCHAN column (procps prints the header "PID … WCHAN")
**   log           anything else that is text (the kernel log pipeline)
**   binary        not text (walk skips these in directories)
**
** Owns nothing, keeps no state.
*/
#ifndef KSIFT_SNIFF_H
#define KSIFT_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

enum input_kind {
	INPUT_LOG,
	INPUT_ARCHIVE,
	INPUT_PERF_SCRIPT,
	INPUT_PERF_REPORT,
	INPUT_FOLDED,
	INPUT_PROC_STACKS,
	INPUT_BINARY,
	INPUT_CORE,		/* an ELF core dump (e_type ET_CORE) */
};

const char *input_kind_name(enum input_kind k);

/* head: the first bytes of the decompressed input (READER_PEEK_SIZE is plenty). */
enum input_kind sniff_input(const char *head, size_t n);

/* tar, zip or cpio magic at the start of head. */
bool sniff_is_archive(const char *head, size_t n);
/* An ELF core dump's header (e_type ET_CORE, either byte order). */
bool sniff_is_core(const char *head, size_t n);

/* true when the bytes look like text (a few stray control bytes allowed). */
bool sniff_looks_textual(const char *head, size_t n);

/*
 * One line of `perf script` callchain output: "  ffffffff81855d01
 * _raw_spin_lock+0x21 ([kernel.kallsyms])" or, with -F ip,sym, "ffff…
 * _raw_spin_lock". Shared with the perf script parser.
 */
bool sniff_is_perf_frame_line(const char *s, size_t n);
/* "comm tid [cpu] time: …": a perf script sample's first line. */
bool sniff_is_perf_sample_line(const char *s, size_t n);
/* "[<0>] mutex_lock+0x1c/0x40" (or "[<ffffffff8185312f>] …"), optionally
   behind "/proc/N/stack:". */
bool sniff_is_proc_frame_line(const char *s, size_t n);
/* "a;b;c 123" */
bool sniff_is_folded_line(const char *s, size_t n);

#endif
