/*
** normalize: recognise the wrapper format of one log line and strip it down to
** the kernel message, keeping the wrapper's fields.
**
** Formats (any mix within one file): raw dmesg "[ 12.345678] msg"; console
** level "<4>"; printk caller ids "[T123]"/"[C3]" alone or after the timestamp;
** dmesg -T "[Mon Nov 24 10:11:12 2026]", dmesg -d and --time-format=delta or
** reltime; RFC3164 syslog "Mon DD HH:MM:SS host [fac.level] tag[pid]: msg"
** (with or without "<PRI>"; busybox writes the facility); RFC5424; ISO-8601
** (rsyslog high precision, journalctl short-iso, dmesg --time-format=iso);
** /dev/kmsg records "PRI,SEQ,USEC,FLAGS;msg"; mail quotes "> "; journalctl
** short, short-precise, short-full, short-unix, short-monotonic, -o json and
** -o export (an entry's field
** lines give one kline, at the blank line that ends it; multi-line fields in
** export's binary form are reassembled: journal.h); journal separators ("-- Boot …
** --"); pstore headers ("Oops#1 Part1"); serial consoles (CR, ANSI escapes).
**
** Owns: a scratch buffer for rewritten messages (ANSI removal, JSON
** unescaping). Pointers in struct kline point into the input line or that
** scratch and are valid until the next normalize_line() call.
*/
#ifndef KSIFT_NORMALIZE_H
#define KSIFT_NORMALIZE_H

#include <stdbool.h>
#include <stddef.h>

enum line_origin {
	ORIGIN_RAW,	/* no wrapper naming a program: dmesg, console, pstore */
	ORIGIN_KERNEL,	/* a wrapper says the kernel printed it */
	ORIGIN_OTHER,	/* another program, or wrapper metadata */
};

struct kline {
	const char *msg;
	size_t msg_len;
	const char *host;	/* NULL when the wrapper names none */
	size_t host_len;
	char wall[40];		/* ISO-8601 when a year is known, else as printed */
	double ktime;
	bool has_ktime;
	char caller_kind;	/* 'T', 'C' or 0 */
	unsigned caller_id;
	int level;		/* console/syslog level 0-7, -1 when unknown */
	enum line_origin origin;
	bool boot_marker;	/* journal "-- Boot … --" / "-- Reboot --" */
	/* The program the wrapper names (syslog tag, RFC5424 APP-NAME,
	   journal SYSLOG_IDENTIFIER); NULL when none. */
	const char *prog;
	size_t prog_len;
	/* Journal JSON/export: the whole MESSAGE (msg is its first line) and
	   the entry's COREDUMP_* and _BOOT_ID fields as "KEY=VALUE\n" lines
	   (values with newlines are left out). NULL when none. */
	const char *full_msg;
	size_t full_msg_len;
	const char *fields;
	size_t fields_len;
	/* The input is journalctl -o export: every line matters (the scan
	   turns its prefilter off for the rest of the file). */
	bool export_format;
};

struct normalizer;

struct normalizer *normalizer_new(void);
void normalizer_free(struct normalizer *n);
void normalize_line(struct normalizer *n, const char *line, size_t len,
		    struct kline *out);

#endif
