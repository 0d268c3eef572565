/*
** journal.c: systemd journal entries as journalctl prints them with -o json
** (one JSON object per line) and -o export (journal_entry_export(): field
** lines, an empty line per entry), each read into one struct kline.
*/
#include "journal.h"
#include "strbuf.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One journal entry's fields that matter, from -o json or -o export. */
struct journal_entry {
	struct strbuf msg, host, prog, fields;
	long long realtime, mono;
	int level;
	bool kernel, have_msg;
};

static void entry_reset(struct journal_entry *je)
{
	strbuf_reset(&je->msg);
	strbuf_reset(&je->host);
	strbuf_reset(&je->prog);
	strbuf_reset(&je->fields);
	je->realtime = je->mono = -1;
	je->level = -1;
	je->kernel = je->have_msg = false;
}

struct journal_reader {
	struct journal_entry je;	/* the entry of a JSON line or export lines */
	/* -o export: within an entry, a binary field's data may span lines
	   (its newlines were the line ends). */
	bool export_mode, in_binary, entry_done;
	struct strbuf bin_name, bin;
};

struct journal_reader *journal_reader_new(void)
{
	struct journal_reader *jr = xcalloc(1, sizeof(*jr));

	strbuf_init(&jr->je.msg, 0);
	strbuf_init(&jr->je.host, 0);
	strbuf_init(&jr->je.prog, 0);
	strbuf_init(&jr->je.fields, 0);
	strbuf_init(&jr->bin_name, 0);
	strbuf_init(&jr->bin, 0);
	entry_reset(&jr->je);
	return jr;
}

void journal_reader_free(struct journal_reader *jr)
{
	if (!jr)
		return;
	strbuf_release(&jr->je.msg);
	strbuf_release(&jr->je.host);
	strbuf_release(&jr->je.prog);
	strbuf_release(&jr->je.fields);
	strbuf_release(&jr->bin_name);
	strbuf_release(&jr->bin);
	free(jr);
}

/* ---- journalctl -o json ------------------------------------------------ */

/* Parse a JSON string at p (past the opening quote) into sb; returns end. */
static const char *json_string(const char *p, const char *end, struct strbuf *sb)
{
	while (p < end && *p != '"') {
		if (*p == '\\' && p + 1 < end) {
			p++;
			switch (*p) {
			case 'n': if (sb) strbuf_addch(sb, '\n'); break;
			case 't': if (sb) strbuf_addch(sb, '\t'); break;
			case 'r': if (sb) strbuf_addch(sb, '\r'); break;
			case 'b': case 'f': break;
			case 'u': {
				unsigned long long cp = 0;
				if (end - p >= 5 && parse_hex(p + 1, p + 5, &cp) == p + 5) {
					p += 4;
					if (sb) {
						/* BMP only; surrogates become U+FFFD. */
						if (cp >= 0xd800 && cp <= 0xdfff)
							cp = 0xfffd;
						if (cp < 0x80) {
							if (cp)
								strbuf_addch(sb, (int)cp);
						} else if (cp < 0x800) {
							strbuf_addch(sb, (int)(0xc0 | (cp >> 6)));
							strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
						} else {
							strbuf_addch(sb, (int)(0xe0 | (cp >> 12)));
							strbuf_addch(sb, (int)(0x80 | ((cp >> 6) & 0x3f)));
							strbuf_addch(sb, (int)(0x80 | (cp & 0x3f)));
						}
					}
				}
				break;
			}
			default: if (sb) strbuf_addch(sb, *p); break;
			}
			p++;
			continue;
		}
		if (sb)
			strbuf_addch(sb, *p);
		p++;
	}
	return p < end ? p + 1 : NULL;
}

/* Skip any JSON value; MESSAGE arrays of byte values are decoded into sb. */
static const char *json_value(const char *p, const char *end, struct strbuf *sb)
{
	while (p < end && *p == ' ')
		p++;
	if (p >= end)
		return NULL;
	if (*p == '"')
		return json_string(p + 1, end, sb);
	if (*p == '[') {
		p++;
		while (p < end && *p != ']') {
			long long v;
			const char *q = parse_dec(p, end, &v);
			if (q) {
				if (sb && v > 0 && v < 256)
					strbuf_addch(sb, (int)v);
				p = q;
			} else if (*p == '"') {
				p = json_string(p + 1, end, NULL);
				if (!p)
					return NULL;
			} else {
				p++;
			}
		}
		return p < end ? p + 1 : NULL;
	}
	while (p < end && *p != ',' && *p != '}')
		p++;
	return p;
}

/* The journal fields an entry keeps (coredump records use them). */
static bool kept_field(const char *key)
{
	return !strcmp(key, "_BOOT_ID") || !strcmp(key, "COREDUMP_EXE") ||
	       !strcmp(key, "COREDUMP_CMDLINE") || !strcmp(key, "COREDUMP_SIGNAL") ||
	       !strcmp(key, "COREDUMP_SIGNAL_NAME") || !strcmp(key, "COREDUMP_UID") ||
	       !strcmp(key, "COREDUMP_PID") || !strcmp(key, "COREDUMP_COMM") ||
	       !strcmp(key, "COREDUMP_FILENAME") || !strcmp(key, "COREDUMP_PACKAGE_NAME") ||
	       !strcmp(key, "COREDUMP_PACKAGE_VERSION");
}

/* One field of an entry (MESSAGE is filled by the caller). */
static void entry_field(struct journal_entry *je, const char *key, const char *val,
			size_t len)
{
	if (!strcmp(key, "_HOSTNAME")) {
		strbuf_reset(&je->host);
		strbuf_add(&je->host, val, len);
	} else if (!strcmp(key, "_TRANSPORT")) {
		if (len == 6 && !memcmp(val, "kernel", 6))
			je->kernel = true;
	} else if (!strcmp(key, "SYSLOG_IDENTIFIER")) {
		if (len == 6 && !memcmp(val, "kernel", 6))
			je->kernel = true;
		strbuf_reset(&je->prog);
		strbuf_add(&je->prog, val, len);
	} else if (!strcmp(key, "__REALTIME_TIMESTAMP")) {
		long long v;
		if (parse_dec(val, val + len, &v))
			je->realtime = v;
	} else if (!strcmp(key, "_SOURCE_MONOTONIC_TIMESTAMP")) {
		long long v;
		if (parse_dec(val, val + len, &v))
			je->mono = v;
	} else if (!strcmp(key, "PRIORITY")) {
		if (len == 1 && val[0] >= '0' && val[0] <= '9')
			je->level = val[0] - '0';
	} else if (kept_field(key) && len < 4096 && !memchr(val, '\n', len)) {
		strbuf_addstr(&je->fields, key);
		strbuf_addch(&je->fields, '=');
		strbuf_add(&je->fields, val, len);
		strbuf_addch(&je->fields, '\n');
	}
}

/* The kline of a complete entry. */
static void entry_out(struct journal_entry *je, struct kline *out)
{
	if (je->host.len) {
		out->host = je->host.buf;
		out->host_len = je->host.len;
	}
	if (je->prog.len) {
		out->prog = je->prog.buf;
		out->prog_len = je->prog.len;
	}
	if (je->fields.len) {
		out->fields = je->fields.buf;
		out->fields_len = je->fields.len;
	}
	out->level = je->level;
	if (je->realtime >= 0) {
		time_t t = (time_t)(je->realtime / 1000000);
		struct tm tm;
		if (gmtime_r(&t, &tm) && tm.tm_year < 8000) {
			char tmp[64];
			snprintf(tmp, sizeof(tmp),
				 "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ",
				 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
				 tm.tm_hour, tm.tm_min, tm.tm_sec,
				 (int)(je->realtime % 1000000));
			memcpy(out->wall, tmp, sizeof(out->wall) - 1);
			out->wall[sizeof(out->wall) - 1] = '\0';
		}
	}
	if (je->mono >= 0) {
		out->ktime = (double)je->mono / 1e6;
		out->has_ktime = true;
	}
	out->origin = je->kernel ? ORIGIN_KERNEL : ORIGIN_OTHER;
	/* A journal MESSAGE may itself hold several lines: msg is the first,
	   full_msg all of them. */
	{
		char *nl = memchr(je->msg.buf, '\n', je->msg.len);
		out->msg = je->msg.buf;
		out->msg_len = nl ? (size_t)(nl - je->msg.buf) : je->msg.len;
		out->full_msg = je->msg.buf;
		out->full_msg_len = je->msg.len;
	}
}

bool journal_parse_json(struct journal_reader *jr, const char *p, const char *end,
			struct kline *out)
{
	struct journal_entry *je = &jr->je;
	struct strbuf key = STRBUF_INIT, val = STRBUF_INIT;
	bool ok = false;

	entry_reset(je);
	p++;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == ','))
			p++;
		if (p < end && *p == '}') {
			ok = true;
			break;
		}
		if (p >= end || *p != '"')
			goto out;
		strbuf_reset(&key);
		p = json_string(p + 1, end, &key);
		if (!p)
			goto out;
		while (p < end && *p == ' ')
			p++;
		if (p >= end || *p != ':')
			goto out;
		p++;
		strbuf_reset(&val);
		if (!strcmp(key.buf, "MESSAGE")) {
			p = json_value(p, end, &je->msg);
			je->have_msg = true;
		} else {
			p = json_value(p, end, &val);
		}
		if (!p)
			goto out;
		entry_field(je, key.buf, val.buf, val.len);
	}
out:
	strbuf_release(&key);
	strbuf_release(&val);
	if (!ok || !je->have_msg)
		return false;
	entry_out(je, out);
	return true;
}

/* ---- journalctl -o export ------------------------------------------------ */

/* "NAME" of a field line: upper-case letters, digits, '_', not starting
   with a digit. Returns its length (0: not a name). */
static size_t field_name_len(const char *p, const char *end)
{
	const char *q = p;

	while (q < end && ((*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '_'))
		q++;
	if (q == p || (*p >= '0' && *p <= '9') || q - p > 64)
		return 0;
	return (size_t)(q - p);
}

static void export_field(struct journal_reader *jr, const char *key, const char *val,
			 size_t len)
{
	if (!strcmp(key, "MESSAGE")) {
		strbuf_reset(&jr->je.msg);
		strbuf_add(&jr->je.msg, val, len);
		jr->je.have_msg = true;
	} else {
		entry_field(&jr->je, key, val, len);
	}
}

/*
 * One line of journalctl -o export (systemd's journal_entry_export()
 * writes "NAME=value" per field, or for a value holding newlines or other
 * binary data "NAME", a newline, its length as 64-bit little-endian, the
 * data and a newline; an empty line ends the entry). Returns true when the
 * line was taken (out is then the entry at its end, else metadata).
 */
static bool parse_export_line(struct journal_reader *n, const char *p, const char *end,
			      struct kline *out)
{
	size_t len = (size_t)(end - p), k;

	if (n->in_binary) {
		uint64_t want;
		if (n->bin.len)
			strbuf_addch(&n->bin, '\n');
		strbuf_add(&n->bin, p, len);
		if (n->bin.len >= 8) {
			memcpy(&want, n->bin.buf, 8);
			if (want > (16u << 20)) {
				n->in_binary = false;	/* garbage: drop the field */
			} else if (n->bin.len >= 8 + want) {
				export_field(n, n->bin_name.buf, n->bin.buf + 8, (size_t)want);
				n->in_binary = false;
			}
		}
		out->origin = ORIGIN_OTHER;
		out->msg_len = 0;
		out->export_format = true;
		return true;
	}
	if (!len) {
		out->export_format = true;
		if (n->je.have_msg) {
			entry_out(&n->je, out);
			out->export_format = true;
			/* its strings stay valid until the next line: reset then */
			n->entry_done = true;
			return true;
		}
		entry_reset(&n->je);
		out->origin = ORIGIN_OTHER;
		out->msg_len = 0;
		return true;
	}
	k = field_name_len(p, end);
	if (!k || (k < len && p[k] != '='))
		return false;
	strbuf_reset(&n->bin_name);
	strbuf_add(&n->bin_name, p, k);
	if (k == len) {
		n->in_binary = true;
		strbuf_reset(&n->bin);
	} else {
		export_field(n, n->bin_name.buf, p + k + 1, len - k - 1);
	}
	out->origin = ORIGIN_OTHER;
	out->msg_len = 0;
	out->export_format = true;
	return true;
}

bool journal_feed_export(struct journal_reader *jr, const char *line, size_t len,
			 struct kline *out)
{
	/* Its first field names the format. */
	if (!jr->export_mode && (mem_starts_with(line, len, "__CURSOR=") ||
				 mem_starts_with(line, len, "__REALTIME_TIMESTAMP="))) {
		jr->export_mode = true;
		entry_reset(&jr->je);
	}
	if (!jr->export_mode)
		return false;
	if (jr->entry_done) {	/* the last entry's strings were used */
		entry_reset(&jr->je);
		jr->entry_done = false;
	}
	if (parse_export_line(jr, line, line + len, out))
		return true;
	jr->export_mode = false;	/* not export after all */
	entry_reset(&jr->je);
	return false;
}
