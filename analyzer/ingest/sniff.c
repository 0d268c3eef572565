#define _GNU_SOURCE
#include "sniff.h"
#include "util.h"

#include <string.h>

const char *input_kind_name(enum input_kind k)
{
	static const char *const names[] = { "log", "archive", "perf script", "perf report",
					     "folded stacks", "/proc stacks", "binary",
					     "core dump" };
	return k < ARRAY_SIZE(names) ? names[k] : "?";
}

/*
 * A tar header (POSIX.1-1988 ustar, GNU, or the v7 header before them):
 * the magic at 257, or else a checksum at 148 that matches the header's
 * bytes summed with the checksum field taken as blanks.
 */
static bool is_tar_header(const unsigned char *h, size_t n)
{
	unsigned long want = 0, sum = 0;
	size_t i = 148;
	bool digits = false;

	if (n < 512)
		return false;
	if (!memcmp(h + 257, "ustar", 5))
		return true;
	if (!h[0])
		return false;
	while (i < 156 && h[i] == ' ')
		i++;
	for (; i < 156 && h[i] >= '0' && h[i] <= '7'; i++) {
		want = want * 8 + (unsigned long)(h[i] - '0');
		digits = true;
	}
	if (!digits || (i < 156 && h[i] != ' ' && h[i] != '\0'))
		return false;
	for (i = 0; i < 512; i++)
		sum += i >= 148 && i < 156 ? ' ' : h[i];
	return sum == want;
}

bool sniff_is_archive(const char *head, size_t n)
{
	const unsigned char *h = (const unsigned char *)head;

	if (n >= 4 && (!memcmp(h, "PK\3\4", 4) || !memcmp(h, "PK\5\6", 4)))
		return true;
	if (n >= 6 && (!memcmp(h, "070707", 6) || !memcmp(h, "070701", 6) ||
		       !memcmp(h, "070702", 6)))
		return true;
	if (n >= 26 && ((h[0] == 0xc7 && h[1] == 0x71) || (h[0] == 0x71 && h[1] == 0xc7)))
		return true;
	return is_tar_header(h, n);
}

bool sniff_looks_textual(const char *head, size_t n)
{
	size_t bad = 0, nul = 0;

	if (n >= 4 && !memcmp(head, "\x7f" "ELF", 4))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)head[i];
		if (!c)
			nul++;
		else if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != 0x1b) || c == 0x7f)
			bad++;
	}
	/*
	 * Console captures hold a few stray control bytes; binaries hold many.
	 * NUL runs are what an unclean shutdown leaves in a log (normalize.c
	 * drops them): they do not count, as long as the rest is lines of
	 * text — record files (wtmp, lastlog) are NULs and fields, no lines.
	 */
	if (nul && !memchr(head, '\n', n))
		return false;
	return bad * 10 < n - nul;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

bool sniff_is_perf_frame_line(const char *s, size_t n)
{
	size_t i = 0, h = 0, sym;

	/* perf script indents every callchain entry (sample__fprintf_callchain()
	   pads with blanks or a tab): "Dec  5 04:00:01 web2 kernel: …" starts
	   with hex letters and ends with ')' but is not one. */
	while (i < n && is_space(s[i]))
		i++;
	if (!i)
		return false;
	while (i < n && is_hex(s[i]))
		i++, h++;
	if (!h || h > 16 || i >= n || s[i] != ' ')
		return false;
	while (i < n && s[i] == ' ')
		i++;
	sym = i;
	if (i >= n)
		return false;
	/* A raw stack dump ("ffff8819d1f17dc8 ffff882118dae840 …") is hex
	   words only; a symbol is not, and "[unknown]" is perf's own. */
	{
		size_t k = i;
		bool all_hex = true;
		while (k < n && !is_space(s[k]))
			all_hex &= is_hex(s[k]), k++;
		if (all_hex && k - sym >= 8)
			return false;
		i = k;
	}
	while (i < n && s[i] == ' ')
		i++;
	if (i == n)
		return true;		/* -F ip,sym: no dso */
	/* " (dso)" last; symbols with blanks (C++ signatures) come before it. */
	return s[n - 1] == ')' && memchr(s + sym, '(', n - sym) != NULL;
}

bool sniff_is_proc_frame_line(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 6 && !memcmp(s, "/proc/", 6)) {
		const char *colon = memchr(s, ':', n);
		if (!colon)
			return false;
		i = (size_t)(colon - s) + 1;
	}
	if (n - i < 6 || s[i] != '[' || s[i + 1] != '<')
		return false;
	i += 2;
	{
		size_t h = 0;
		while (i < n && is_hex(s[i]))
			i++, h++;
		if (!h || h > 16)
			return false;
	}
	if (n - i < 3 || s[i] != '>' || s[i + 1] != ']' || s[i + 2] != ' ')
		return false;
	i += 3;
	/* "%pB": symbol+0xoff/0xsize [module], or a bare address. */
	return i < n && !is_space(s[i]);
}

/*
 * stackcollapse-perf.pl and perf's stackcollapse.py print "comm;f1;f2 N":
 * frames are symbol names (C++ and Rust ones hold "::" and blanks, never
 * ": "), so "Test results: failed: 9; error: 4" is a summary, not a stack.
 */
bool sniff_is_folded_line(const char *s, size_t n)
{
	size_t i = n, d = 0;

	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--, d++;
	if (!d || d > 19 || i < 2 || s[i - 1] != ' ')
		return false;
	if (memmem(s, i, ": ", 2))
		return false;
	return !is_space(s[0]) && s[0] != ';';
}

/*
 * A perf script sample line: "qemu-system-x86 51804 [038] 1220433.482117:
 * 250000 cpu-clock: " (process_sample_event() → perf_sample__fprintf_start():
 * comm, tid, [cpu], time with a colon), possibly with "ip sym (dso)" after
 * it when there is no callchain.
 */
bool sniff_is_perf_sample_line(const char *s, size_t n)
{
	for (size_t i = 1; i + 2 < n; i++) {
		size_t b, d = 0;
		if (s[i] != '.' || s[i - 1] < '0' || s[i - 1] > '9')
			continue;
		b = i - 1;
		while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9')
			b--;
		if (b == 0 || s[b - 1] != ' ')
			continue;
		while (i + 1 + d < n && s[i + 1 + d] >= '0' && s[i + 1 + d] <= '9')
			d++;
		if (d >= 3 && d <= 9 && i + 1 + d < n && s[i + 1 + d] == ':')
			return !is_space(s[0]);
	}
	return false;
}

/* Each line of head (the last, possibly cut, line left out). */
#define FOR_EACH_LINE(head, n, l, len)						\
	for (const char *l = (head), *nl_;					\
	     l < (head) + (n) && (nl_ = memchr(l, '\n', (size_t)((head) + (n) - l)));	\
	     l = nl_ + 1)							\
		for (size_t len = (size_t)(nl_ - l) - (nl_ > l && nl_[-1] == '\r'), once_ = 1; \
		     once_; once_ = 0)

/* ELF header of a core dump: e_type (at 16) is ET_CORE (4). Byte order
   from e_ident[EI_DATA]; machines are checked when the core is read. */
bool sniff_is_core(const char *head, size_t n)
{
	const unsigned char *b = (const unsigned char *)head;

	if (n < 18 || memcmp(b, "\x7f" "ELF", 4))
		return false;
	return b[5] == 2 ? (b[16] == 0 && b[17] == 4) : (b[16] == 4 && b[17] == 0);
}

enum input_kind sniff_input(const char *head, size_t n)
{
	size_t lines = 0, perf = 0, proc = 0, folded = 0, semis = 0;
	bool proc_header = false, report_header = false, trace_header = false;

	if (sniff_is_core(head, n))
		return INPUT_CORE;
	if (sniff_is_archive(head, n))
		return INPUT_ARCHIVE;
	if (!sniff_looks_textual(head, n))
		return INPUT_BINARY;
	FOR_EACH_LINE(head, n, l, len) {
		if (!len)
			continue;
		/* builtin-report.c prints its column header after '#' comments. */
		if (len > 10 && (!memcmp(l, "# Overhead ", 11) || !memcmp(l, "# Children ", 11)))
			report_header = true;
		if (l[0] == '#')
			continue;
		lines++;
		if (len > 12 && !memcmp(l, "==> /proc/", 10))
			proc_header = true;
		/* procps's header with a WCHAN column: where each task sleeps */
		if (memmem(l, len, "PID", 3) && memmem(l, len, " WCHAN", 6)) {
			proc_header = true;
			proc++;
		}
		/* A kernel log prints the same "[<addr>] func+off/size" frames
		   (print_trace_address() before 4.x) under show_trace_log_lvl()'s
		   "Call Trace:"; /proc/PID/stack (proc_pid_stack()) prints no
		   header and never a "? " frame. */
		if (memmem(l, len, "Call Trace:", 11))
			trace_header = true;
		if (sniff_is_proc_frame_line(l, len) && !memmem(l, len, "] ? ", 4))
			proc++;
		else if (sniff_is_perf_frame_line(l, len) || sniff_is_perf_sample_line(l, len))
			perf++;
		else if (l[0] == ' ') {
			/* perf script pads the comm ("%16s") of a sample printed
			   without a callchain */
			size_t b = 0;
			while (b < len && l[b] == ' ')
				b++;
			perf += sniff_is_perf_sample_line(l + b, len - b);
		}
		else if (sniff_is_folded_line(l, len)) {
			folded++;
			semis += memchr(l, ';', len) != NULL;
		}
	}
	if (report_header)
		return INPUT_PERF_REPORT;
	if (proc && (proc_header || (!trace_header && proc * 5 >= lines)))
		return INPUT_PROC_STACKS;
	/* perf script: frames under each sample header, or the header lines
	   themselves ending with "ip sym (dso)" (no callchain). */
	if (perf && perf * 2 >= lines)
		return INPUT_PERF_SCRIPT;
	if (folded && semis && folded * 10 >= lines * 9)
		return INPUT_FOLDED;
	return INPUT_LOG;
}
