#define _GNU_SOURCE
#include "normalize.h"
#include "journal.h"
#include "strbuf.h"
#include "util.h"
#include "textsafe.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct normalizer {
	struct strbuf clean;	/* line without ANSI escapes / carriage returns */
	struct strbuf host_escaped;	/* a host name that was not valid UTF-8 */
	/*
	 * Set once a "[ts] host kernel: msg" line (journalctl -o
	 * short-monotonic) was seen: from then on "[ts] host tag: msg" lines
	 * are other programs. Before that, such a shape is more likely a raw
	 * dmesg line like "[ 1.0] e1000e 0000:00:19.0: …".
	 */
	bool short_monotonic;
	struct strbuf mono_host;	/* the host those lines named */
	struct journal_reader *journal;	/* -o json and -o export entries */
	bool kmsg_records;		/* a /dev/kmsg record was seen */
};

struct normalizer *normalizer_new(void)
{
	struct normalizer *n = xcalloc(1, sizeof(*n));

	strbuf_init(&n->clean, 0);
	strbuf_init(&n->host_escaped, 0);
	strbuf_init(&n->mono_host, 0);
	n->journal = journal_reader_new();
	return n;
}

void normalizer_free(struct normalizer *n)
{
	if (!n)
		return;
	strbuf_release(&n->clean);
	strbuf_release(&n->host_escaped);
	strbuf_release(&n->mono_host);
	journal_reader_free(n->journal);
	free(n);
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Bytes past ASCII too: internationalised names, and names that are not
   valid UTF-8 at all (kept, escaped: normalize_line()). */
static bool is_host_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
	       c == '.' || c == '-' || c == '_' || c == ':' || c >= 0x80;
}

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static int month_index(const char *p, const char *end)
{
	if (end - p < 4 || p[3] != ' ')
		return -1;
	for (int i = 0; i < 12; i++)
		if (!memcmp(p, months[i], 3))
			return i;
	return -1;
}

/*
 * Bytes that are not text: C0 controls but tab, DEL, and C1 controls as
 * UTF-8 (C2 80–C2 9F). A NUL run left by an unclean shutdown, a serial
 * line's noise, a backspace in a task name: dropped before anything looks
 * at the line, so "\0\0[ 1.0] BUG: …" is the BUG line it was. ESC and CR
 * are kept for clean_console(), which reads them as the console did.
 * (Invalid UTF-8 stays: it is text in some other encoding, and the output
 * sanitizer shows it escaped.)
 */
static bool is_dropped_byte(const unsigned char *p, const unsigned char *end)
{
	if (*p < 0x20)
		return *p != '\t' && *p != '\x1b' && *p != '\r';
	return *p == 0x7f || (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f);
}

/*
 * Could this 8-byte word hold a byte needs_cleaning() looks for: one below
 * 0x20, DEL, or 0xc2? (The bit tricks of "Bit Twiddling Hacks": exact as to
 * whether any byte matches; a tab also says yes.)
 */
static bool word_suspect(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t del = x ^ (ones * 0x7f), c2 = x ^ (ones * 0xc2);

	return (((x - ones * 0x20) & ~x) | ((del - ones) & ~del) | ((c2 - ones) & ~c2)) & highs;
}

/* Does the line need clean_console()? One pass, as lines go by: a word at
   a time until a word may hold such a byte, then byte by byte. */
static bool needs_cleaning(const char *line, size_t len)
{
	const unsigned char *p = (const unsigned char *)line, *end = p + len;

	for (; end - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, sizeof(w));
		if (word_suspect(w))
			break;
	}
	for (; p < end; p++)
		if (*p < 0x20 ? *p != '\t' : *p == 0x7f || (*p == 0xc2 && is_dropped_byte(p, end)))
			return true;
	return false;
}

/*
 * Remove bytes that are not text (above), ANSI escape sequences and
 * carriage returns (serial consoles). A bare CR means the terminal went back
 * to column 0, so only the text after the last non-trailing CR survives, as
 * on the screen.
 */
static void clean_console(struct strbuf *sb, const char *p, size_t len)
{
	const char *end = p + len, *cr;

	strbuf_reset(sb);
	for (cr = end; cr > p; cr--)
		if (cr[-1] == '\r' && cr < end)
			break;
	if (cr > p)
		p = cr;
	while (p < end) {
		if (*p == '\x1b') {
			p++;
			if (p < end && *p == '[') {		/* CSI … final byte */
				p++;
				while (p < end && !(*p >= 0x40 && *p <= 0x7e))
					p++;
				if (p < end)
					p++;
			} else if (p < end && *p == ']') {	/* OSC … BEL/ST */
				while (p < end && *p != '\a' && *p != '\x1b')
					p++;
				if (p < end)
					p++;
			} else if (p < end) {
				p++;
			}
			continue;
		}
		if (is_dropped_byte((const unsigned char *)p, (const unsigned char *)end)) {
			p += (unsigned char)*p == 0xc2 ? 2 : 1;
			continue;
		}
		if (*p != '\r')
			strbuf_addch(sb, *p);
		p++;
	}
}

/* "[ 12.345678]" → ktime; returns end past ']' or NULL. */
static const char *parse_ktime(const char *p, const char *end, double *kt)
{
	const char *q = p + 1, *dot;
	double v = 0, scale = 0.1;

	if (p >= end || *p != '[')
		return NULL;
	while (q < end && *q == ' ')
		q++;
	if (q >= end || !is_digit((unsigned char)*q))
		return NULL;
	while (q < end && is_digit((unsigned char)*q)) {
		v = v * 10 + (*q - '0');
		q++;
	}
	if (q >= end || *q != '.')
		return NULL;
	dot = q++;
	while (q < end && is_digit((unsigned char)*q)) {
		v += (*q - '0') * scale;
		scale /= 10;
		q++;
	}
	if (q == dot + 1 || q >= end || *q != ']')
		return NULL;
	*kt = v;
	return q + 1;
}

/* "[T123]", "[ T123]", "[C3]"; returns end past ']' or NULL. */
static const char *parse_caller(const char *p, const char *end, char *kind,
				unsigned *id)
{
	const char *q = p + 1;
	unsigned v = 0;
	char k;

	if (p >= end || *p != '[')
		return NULL;
	while (q < end && *q == ' ')
		q++;
	if (q >= end || (*q != 'T' && *q != 'C'))
		return NULL;
	k = *q++;
	if (q >= end || !is_digit((unsigned char)*q))
		return NULL;
	while (q < end && is_digit((unsigned char)*q)) {
		if (v < 100000000)
			v = v * 10 + (unsigned)(*q - '0');
		q++;
	}
	if (q >= end || *q != ']')
		return NULL;
	*kind = k;
	*id = v;
	return q + 1;
}

/* dmesg -T "[Mon Nov 24 10:11:12 2026]". */
static const char *parse_ctime_bracket(const char *p, const char *end,
				       struct kline *out)
{
	const char *q;
	int mon;

	if (end - p < 26 || *p != '[' || p[4] != ' ')
		return NULL;
	mon = month_index(p + 5, end);
	if (mon < 0)
		return NULL;
	q = memchr(p, ']', (size_t)(end - p) < 40 ? (size_t)(end - p) : 40);
	if (!q || q - p < 25)
		return NULL;
	/*
	 * "[Www Mmm dd hh:mm:ss yyyy]", parsed within the bracket: a line is
	 * not NUL-terminated (it may end at the end of the read buffer).
	 */
	{
		const char *f = p + 9;
		long long v[5];
		static const char seps[] = " :: ";	/* after dd, hh, mm, ss */
		for (int i = 0; i < 5; i++) {
			while (f < q && *f == ' ')
				f++;
			f = parse_dec(f, q, &v[i]);
			if (!f || (i < 4 && (f >= q || *f != seps[i])))
				return NULL;
			if (i < 4)
				f++;
		}
		if (v[0] < 1 || v[0] > 31 || v[1] > 23 || v[2] > 59 || v[3] > 60 ||
		    v[4] < 1970 || v[4] > 9999)
			return NULL;
		snprintf(out->wall, sizeof(out->wall), "%04d-%02d-%02dT%02d:%02d:%02d",
			 (int)v[4], mon + 1, (int)v[0], (int)v[1], (int)v[2], (int)v[3]);
	}
	return q + 1;
}

/*
 * busybox syslogd (sysklogd/syslogd.c, timestamp_and_log()) writes the
 * facility and level between host and tag unless started with -S:
 * "Dec  5 10:11:12 host kern.warn kernel: …". Returns past it, or P.
 */
static const char *skip_busybox_priority(const char *p, const char *end, struct kline *out)
{
	static const char *const levels[] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
	};
	const char *dot = NULL, *q = p;

	while (q < end && q - p < 20 && ((*q >= 'a' && *q <= 'z') || is_digit((unsigned char)*q) ||
					 *q == '.')) {
		if (*q == '.')
			dot = q;
		q++;
	}
	if (!dot || dot == p || q >= end || *q != ' ')
		return p;
	for (int i = 0; i < 8; i++)
		if ((size_t)(q - dot - 1) == strlen(levels[i]) && !memcmp(dot + 1, levels[i], (size_t)(q - dot - 1))) {
			out->level = i;
			return q + 1;
		}
	return p;
}

/*
 * util-linux dmesg's other time formats (print_record()): --time-format
 * delta "[<    0.000010>]", reltime "[Dec 5 10:11]" then "[  +0.000010]",
 * and -d (--show-delta) "[  812.493021 <    0.000010>]", whose first
 * number is the kernel time. Returns past the ']' or NULL.
 */
static const char *parse_dmesg_delta(const char *p, const char *end, struct kline *out)
{
	const char *q = p + 1, *close;

	if (p >= end || *p != '[')
		return NULL;
	close = memchr(p, ']', (size_t)(end - p) < 40 ? (size_t)(end - p) : 40);
	if (!close)
		return NULL;
	while (q < close && *q == ' ')
		q++;
	if (q < close && (*q == '<' || *q == '+')) {
		/* a delta only ("%12.06f"), no kernel time; "[<80192868>]" is
		   a frame's address (ARM's dump_backtrace_entry()) */
		const char *dot;
		for (q++; q < close && *q == ' '; q++)
			;
		while (q < close && is_digit((unsigned char)*q))
			q++;
		if (q >= close || *q != '.')
			return NULL;
		for (dot = q++; q < close && is_digit((unsigned char)*q); q++)
			;
		if (q - dot != 7)
			return NULL;
		if (*q == '>')
			q++;
		return q == close ? close + 1 : NULL;
	}
	if (month_index(q, close) >= 0) {
		/* "[Dec 5 10:11]": a minute stamp without the year */
		size_t n = (size_t)(close - q);
		if (n < 10 || q[n - 3] != ':')
			return NULL;
		snprintf(out->wall, sizeof(out->wall), "%.*s", (int)n, q);
		return close + 1;
	}
	/* "[  812.493021 <    0.000010>]" */
	{
		const char *lt = memchr(q, '<', (size_t)(close - q));
		double v = 0, scale = 0.1;
		if (!lt || close[-1] != '>' || !is_digit((unsigned char)*q))
			return NULL;
		while (q < lt && is_digit((unsigned char)*q))
			v = v * 10 + (*q++ - '0');
		if (q >= lt || *q != '.')
			return NULL;
		for (q++; q < lt && is_digit((unsigned char)*q); q++, scale /= 10)
			v += (*q - '0') * scale;
		if (q >= lt || *q != ' ')
			return NULL;
		out->ktime = v;
		out->has_ktime = true;
		return close + 1;
	}
}

/*
 * The part every kernel line may carry after any syslog wrapper:
 * "<4>", "[ 12.3]", "[T12]" or "[C1]", dmesg -T time. One separating space
 * after the last bracket is dropped.
 */
static void parse_kernel_prefix(const char *p, const char *end, struct kline *out)
{
	const char *q;
	bool bracket = false;

	if (end - p >= 3 && p[0] == '<' && is_digit((unsigned char)p[1]) && p[2] == '>') {
		out->level = p[1] - '0';
		p += 3;
	}
	if ((q = parse_ktime(p, end, &out->ktime))) {
		out->has_ktime = true;
		p = q;
		bracket = true;
	} else if ((q = parse_ctime_bracket(p, end, out)) || (q = parse_dmesg_delta(p, end, out))) {
		p = q;
		bracket = true;
	}
	if ((q = parse_caller(p, end, &out->caller_kind, &out->caller_id))) {
		p = q;
		bracket = true;
	}
	if (bracket && p < end && *p == ' ')
		p++;
	/*
	 * 2.6 printk() wrote a message's KERN_* level into the text when the
	 * line before it was left open: RHEL 5's die() ends in " <0>Kernel
	 * panic - not syncing: …". The level is not part of the message.
	 */
	if (p < end && *p == ' ') {
		q = p;
		while (q < end && *q == ' ')
			q++;
		if (end - q > 3 && q[0] == '<' && q[1] >= '0' && q[1] <= '7' && q[2] == '>' &&
		    q[3] != ' ') {
			if (out->level < 0)
				out->level = q[1] - '0';
			p = q + 3;
		}
	}
	out->msg = p;
	out->msg_len = (size_t)(end - p);
}

/*
 * "host tag[pid]: msg" after a syslog timestamp. Sets host/origin and returns
 * the message start, or NULL when the rest does not look like that.
 */
static const char *parse_host_tag(const char *p, const char *end, struct kline *out)
{
	const char *host = p, *tag, *tag_end;

	while (p < end && is_host_char((unsigned char)*p))
		p++;
	if (p == host || p >= end || *p != ' ')
		return NULL;
	/* "host:" would be a tag with no host; reject a trailing colon host. */
	if (p[-1] == ':')
		return NULL;
	out->host = host;
	out->host_len = (size_t)(p - host);
	p = skip_busybox_priority(p + 1, end, out);
	tag = p;
	while (p < end && *p != ':' && *p != '[' && *p != ' ')
		p++;
	tag_end = p;
	if (tag_end == tag)
		return NULL;
	if (p < end && *p == '[') {
		while (p < end && *p != ']')
			p++;
		if (p < end)
			p++;
	}
	if (p >= end || *p != ':')
		return NULL;
	p++;
	if (p < end && *p == ' ')
		p++;
	out->prog = tag;
	out->prog_len = (size_t)(tag_end - tag);
	out->origin = (tag_end - tag == 6 && !memcmp(tag, "kernel", 6)) ?
		ORIGIN_KERNEL : ORIGIN_OTHER;
	return p;
}

/* "Mmm dd hh:mm:ss[.frac] " — RFC3164 / journalctl short(-precise). */
static const char *parse_bsd_time(const char *p, const char *end, struct kline *out)
{
	const char *q = p + 4;

	if (month_index(p, end) < 0 || end - p < 16)
		return NULL;
	if (*q == ' ')
		q++;
	if (!is_digit((unsigned char)*q))
		return NULL;
	while (q < end && is_digit((unsigned char)*q))
		q++;
	if (end - q < 9 || *q != ' ' || !is_digit((unsigned char)q[1]) ||
	    !is_digit((unsigned char)q[2]) || q[3] != ':' || q[6] != ':')
		return NULL;
	q += 9;
	if (q < end && *q == '.') {
		q++;
		while (q < end && is_digit((unsigned char)*q))
			q++;
	}
	if (q >= end || *q != ' ')
		return NULL;
	{
		size_t n = (size_t)(q - p);
		if (n >= sizeof(out->wall))
			n = sizeof(out->wall) - 1;
		memcpy(out->wall, p, n);
		out->wall[n] = '\0';
	}
	return q + 1;
}

/* "YYYY-MM-DDTHH:MM:SS[.frac][Z|±hh:mm|±hhmm] " (also ',' fraction). */
static const char *parse_iso_time(const char *p, const char *end, struct kline *out)
{
	const char *q = p;

	if (end - p < 20 || !is_digit((unsigned char)p[0]) || p[4] != '-' ||
	    p[7] != '-' || (p[10] != 'T' && p[10] != ' ') || p[13] != ':' ||
	    p[16] != ':')
		return NULL;
	q = p + 19;
	if (q < end && (*q == '.' || *q == ',')) {
		q++;
		while (q < end && is_digit((unsigned char)*q))
			q++;
	}
	if (q < end && *q == 'Z')
		q++;
	else if (q < end && (*q == '+' || *q == '-')) {
		q++;
		while (q < end && (is_digit((unsigned char)*q) || *q == ':'))
			q++;
	}
	if (q >= end || *q != ' ')
		return NULL;
	{
		size_t n = (size_t)(q - p);
		if (n >= sizeof(out->wall))
			n = sizeof(out->wall) - 1;
		memcpy(out->wall, p, n);
		out->wall[n] = '\0';
		if (out->wall[10] == ' ')
			out->wall[10] = 'T';
	}
	return q + 1;
}

/*
 * RFC5424 after "<PRI>": "1 TIMESTAMP HOST APP PROCID MSGID SD MSG".
 */
static bool parse_rfc5424(const char *p, const char *end, struct kline *out)
{
	const char *f[5];
	size_t fl[5];
	const char *q;

	if (end - p < 3 || p[0] != '1' || p[1] != ' ')
		return false;
	p += 2;
	if (*p == '-') {
		p += 2;
	} else {
		q = parse_iso_time(p, end, out);
		if (!q)
			return false;
		p = q;
	}
	for (int i = 0; i < 4; i++) {	/* HOST APP PROCID MSGID */
		f[i] = p;
		while (p < end && *p != ' ')
			p++;
		fl[i] = (size_t)(p - f[i]);
		if (p >= end)
			return false;
		p++;
	}
	/* STRUCTURED-DATA: "-" or one or more "[…]" with \] escapes. */
	if (p < end && *p == '-') {
		p++;
	} else {
		/* SD-ELEMENTs; ']' may appear inside a quoted PARAM-VALUE. */
		while (p < end && *p == '[') {
			bool quoted = false;
			p++;
			while (p < end && (quoted || *p != ']')) {
				if (*p == '\\' && p + 1 < end)
					p++;
				else if (*p == '"')
					quoted = !quoted;
				p++;
			}
			if (p < end)
				p++;
		}
	}
	if (p < end && *p == ' ')
		p++;
	if (end - p >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	if (!(fl[0] == 1 && f[0][0] == '-')) {
		out->host = f[0];
		out->host_len = fl[0];
	}
	out->origin = (fl[1] == 6 && !memcmp(f[1], "kernel", 6)) ?
		ORIGIN_KERNEL : ORIGIN_OTHER;
	if (!(fl[1] == 1 && f[1][0] == '-')) {
		out->prog = f[1];
		out->prog_len = fl[1];
	}
	parse_kernel_prefix(p, end, out);
	return true;
}

/* "Oops#1 Part1", "Panic#2 Part3": pstore dmesg-ramoops record headers. */
static bool is_pstore_header(const char *p, const char *end)
{
	static const char *const reasons[] = {
		"Oops#", "Panic#", "Emergency#", "Restart#", "Halt#", "Poweroff#",
		"Unknown#",
	};
	for (size_t i = 0; i < ARRAY_SIZE(reasons); i++)
		if (mem_starts_with(p, (size_t)(end - p), reasons[i]))
			return mem_find(p, (size_t)(end - p), " Part") != NULL;
	return false;
}

/* "Sat 2026-12-05 10:11:12 UTC host kernel: …": journalctl -o short-full
   (format_timestamp(): "%a %Y-%m-%d %H:%M:%S %Z"). Returns past the zone. */
static const char *parse_weekday_time(const char *p, const char *end, struct kline *out)
{
	static const char days[][4] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
	const char *q;
	int d;

	if (end - p < 28 || p[3] != ' ')
		return NULL;
	for (d = 0; d < 7 && memcmp(p, days[d], 3); d++)
		;
	if (d == 7 || !(q = parse_iso_time(p + 4, end, out)))
		return NULL;
	/* the zone: "UTC", "CET", "+0100" */
	while (q < end && *q != ' ' && q - p < 40)
		q++;
	return q < end && *q == ' ' ? q + 1 : NULL;
}

/* "1733393472.123456 host kernel: …": journalctl -o short-unix (seconds
   since the epoch, then microseconds). Returns past the time. */
static const char *parse_unix_time(const char *p, const char *end, struct kline *out)
{
	const char *q = p;
	long long secs = 0;
	time_t t;
	struct tm tm;

	while (q < end && is_digit((unsigned char)*q) && q - p < 12)
		secs = secs * 10 + (*q++ - '0');
	if (q - p < 9 || end - q < 8 || *q != '.')
		return NULL;
	for (int i = 1; i <= 6; i++)
		if (!is_digit((unsigned char)q[i]))
			return NULL;
	if (q[7] != ' ')
		return NULL;
	t = (time_t)secs;
	if (gmtime_r(&t, &tm) && tm.tm_year < 8000) {
		char tmp[80];
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d.%.6sZ",
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, q + 1);
		memcpy(out->wall, tmp, sizeof(out->wall) - 1);
		out->wall[sizeof(out->wall) - 1] = '\0';
	}
	return q + 8;
}

/*
 * A /dev/kmsg record, as `cat /dev/kmsg` and extended netconsole send them
 * (devkmsg_read() → info_print_ext_header(): "PRI,SEQ,USEC,FLAGS[,…];MSG",
 * PRI holding facility and level). Its dictionary lines (" SUBSYSTEM=pci")
 * follow it indented. Returns the message start, or NULL.
 */
static const char *parse_kmsg_record(const char *p, const char *end, struct kline *out)
{
	long long f[3];
	const char *q = p, *semi;

	for (int i = 0; i < 3; i++) {
		if (!(q = parse_dec(q, end, &f[i])) || q >= end || *q != ',')
			return NULL;
		q++;
	}
	semi = memchr(q, ';', (size_t)(end - q) < 64 ? (size_t)(end - q) : 64);
	if (!semi || semi == q || f[0] < 0 || f[2] < 0)
		return NULL;
	/* FLAGS: '-', 'c' (a continuation) or '+' */
	if (*q != '-' && *q != 'c' && *q != '+')
		return NULL;
	out->level = (int)(f[0] & 7);
	out->ktime = (double)f[2] / 1e6;
	out->has_ktime = true;
	/* CONFIG_PRINTK_CALLER adds ",caller=T123" (or C3) after the flags */
	{
		const char *c = mem_find(q, (size_t)(semi - q), ",caller=");
		long long id;
		if (c && c + 9 < semi && (c[8] == 'T' || c[8] == 'C') &&
		    parse_dec(c + 9, semi, &id) == semi && id >= 0 && id < 100000000) {
			out->caller_kind = c[8];
			out->caller_id = (unsigned)id;
		}
	}
	return semi + 1;
}

/*
 * journalctl's short-unix and short-full: after their time, "host tag:
 * msg" or they are not what they looked like (the time and host taken are
 * undone). True when the line was read.
 */
static bool host_tag_after_time(const char *q, const char *end, struct kline *out)
{
	const char *m = parse_host_tag(q, end, out);

	if (m) {
		parse_kernel_prefix(m, end, out);
		return true;
	}
	out->wall[0] = '\0';
	out->host = NULL;
	out->host_len = 0;
	return false;
}

/* "KEY=value" with an upper-case key: a /dev/kmsg dictionary entry. */
static bool is_kmsg_dict_line(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && ((*q >= 'A' && *q <= 'Z') || *q == '_' || is_digit((unsigned char)*q)))
		q++;
	return q > p && q < end && *q == '=';
}

static void normalize_wrapped(struct normalizer *n, const char *line, size_t len,
			      struct kline *out)
{
	const char *p = line, *end = line + len, *q;

	memset(out, 0, sizeof(*out));
	out->level = -1;
	out->origin = ORIGIN_RAW;
	out->msg = line;	/* never NULL, even for an export entry's metadata */
	if (journal_feed_export(n->journal, line, len, out))
		return;
	if (needs_cleaning(line, len)) {
		clean_console(&n->clean, line, len);
		p = n->clean.buf;
		end = p + n->clean.len;
	}
	/* A report quoted in mail (RFC 3676 "> ", nested ">> " or "> > ") is
	   read as the lines it quotes. */
	while (p < end && *p == '>') {
		p++;
		if (p < end && *p == ' ')
			p++;
	}
	out->msg = p;
	out->msg_len = (size_t)(end - p);
	if (p == end)
		return;

	switch (*p) {
	case '{':
		if (journal_parse_json(n->journal, p, end, out))
			return;
		break;
	case '-':
		/* "-- Boot 0f3c… --", "-- Journal begins at … --", "-- Reboot --" */
		if (end - p >= 6 && p[1] == '-' && p[2] == ' ' && end[-1] == '-' &&
		    end[-2] == '-') {
			out->origin = ORIGIN_OTHER;
			out->boot_marker = mem_find(p, (size_t)(end - p), "Boot") ||
					   mem_find(p, (size_t)(end - p), "Reboot");
			return;
		}
		break;
	case '<': {
		/* "<PRI>" then RFC5424, RFC3164, or a console level "<4>". */
		const char *r = p + 1;
		int pri = 0;
		while (r < end && is_digit((unsigned char)*r) && r - p < 4)
			pri = pri * 10 + (*r++ - '0');
		if (r < end && *r == '>' && r > p + 1) {
			r++;
			if (parse_rfc5424(r, end, out)) {
				out->level = pri & 7;
				return;
			}
			if ((q = parse_bsd_time(r, end, out)) &&
			    (q = parse_host_tag(q, end, out))) {
				out->level = pri & 7;
				parse_kernel_prefix(q, end, out);
				return;
			}
			if (r - p > 3) {		/* "<13>msg": PRI, no header */
				out->level = pri & 7;
				parse_kernel_prefix(r, end, out);
				return;
			}
		}
		break;
	}
	case 'O': case 'P': case 'E': case 'R': case 'H': case 'U':
		if (is_pstore_header(p, end)) {
			out->origin = ORIGIN_OTHER;
			return;
		}
		break;
	default:
		break;
	}
	if ((q = parse_bsd_time(p, end, out))) {
		const char *m = parse_host_tag(q, end, out);
		if (m) {
			parse_kernel_prefix(m, end, out);
			return;
		}
		/* A bare time followed by a message (some collectors). */
		out->host = NULL;
		out->host_len = 0;
		parse_kernel_prefix(q, end, out);
		return;
	}
	if (is_digit((unsigned char)*p) && (q = parse_kmsg_record(p, end, out))) {
		n->kmsg_records = true;
		out->msg = q;
		out->msg_len = (size_t)(end - q);
		return;
	}
	/* a /dev/kmsg record's dictionary: " SUBSYSTEM=pci", " DEVICE=+pci:…" */
	if (n->kmsg_records && *p == ' ' && is_kmsg_dict_line(p + 1, end)) {
		out->origin = ORIGIN_OTHER;
		return;
	}
	if (is_digit((unsigned char)*p) && (q = parse_unix_time(p, end, out)) &&
	    host_tag_after_time(q, end, out))
		return;
	if (*p >= 'A' && *p <= 'Z' && (q = parse_weekday_time(p, end, out)) &&
	    host_tag_after_time(q, end, out))
		return;
	if (is_digit((unsigned char)*p) && (q = parse_iso_time(p, end, out))) {
		const char *m = parse_host_tag(q, end, out);
		if (m) {
			parse_kernel_prefix(m, end, out);
			return;
		}
		/* dmesg --time-format=iso: the time, then the message. */
		out->host = NULL;
		out->host_len = 0;
		out->origin = ORIGIN_RAW;
		parse_kernel_prefix(q, end, out);
		return;
	}
	parse_kernel_prefix(p, end, out);
	/*
	 * Serial consoles glue a prompt to the next kernel line:
	 * "syzkaller login: [   16.305150] INFO: …". A short prefix ending in a
	 * blank, then a well-formed timestamp: the line is the kernel's.
	 */
	if (!out->has_ktime && !out->caller_kind) {
		const char *b = memchr(p, '[', (size_t)(end - p) < 80 ? (size_t)(end - p) : 80);
		double kt;
		if (b && b > p && b[-1] == ' ' && parse_ktime(b, end, &kt))
			parse_kernel_prefix(b, end, out);
	}
	/* journalctl -o short-monotonic: "[ 12.345678] host kernel: msg". */
	if (out->has_ktime && !out->caller_kind) {
		struct kline tmp = *out;
		const char *m = parse_host_tag(out->msg, out->msg + out->msg_len, &tmp);
		if (m && (tmp.origin == ORIGIN_KERNEL ||
			  (n->short_monotonic && tmp.host_len == n->mono_host.len &&
			   !memcmp(tmp.host, n->mono_host.buf, tmp.host_len)))) {
			if (!n->short_monotonic) {
				n->short_monotonic = true;
				strbuf_add(&n->mono_host, tmp.host, tmp.host_len);
			}
			*out = tmp;
			out->msg = m;
			out->msg_len = (size_t)(end - m);
		}
	}
}

void normalize_line(struct normalizer *n, const char *line, size_t len,
		    struct kline *out)
{
	normalize_wrapped(n, line, len, out);
	/*
	 * A host name is a key (segmenter, boot context, results database)
	 * and is printed: one that is not valid UTF-8 or holds controls is
	 * kept in its escaped form ("h\xffst"), the same for every line.
	 */
	if (out->host && text_needs_escape(out->host, out->host_len, false)) {
		strbuf_reset(&n->host_escaped);
		text_escape(&n->host_escaped, out->host, out->host_len, false);
		out->host = n->host_escaped.buf;
		out->host_len = n->host_escaped.len;
	}
}
