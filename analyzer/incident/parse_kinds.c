#include "parse_kinds.h"
#include "frame.h"
#include "strbuf.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_func_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static void extra_span(struct incident *inc, const char *key, const char *p, const char *q)
{
	char *v = xmemdupz(p, (size_t)(q - p));
	incident_extra_str(inc, key, v);
	free(v);
}

/* A function token "f+0x1/0x2" or "f" at p; returns its end (name only). */
static const char *func_end(const char *p, const char *end)
{
	while (p < end && is_func_char((unsigned char)*p))
		p++;
	return p;
}

/* A token that names a source file ("lib/foo.c:12:3") rather than a function. */
static bool is_file_token(const char *p, const char *end)
{
	while (p < end && *p != ' ' && *p != '+') {
		if (*p == '/' || *p == ':')
			return true;
		p++;
	}
	return false;
}

static void set_ip_func(struct incident *inc, const char *p, const char *q)
{
	frame_release(&inc->ip);
	memset(&inc->ip, 0, sizeof(inc->ip));
	inc->ip.func = xmemdupz(p, (size_t)(q - p));
	inc->ip.reliable = true;
	inc->has_ip = true;
}

void parse_sanitizer_header(struct incident *inc, const char *msg, size_t len)
{
	static const char *const tools[] = { "KASAN: ", "KFENCE: ", "KMSAN: ", "KCSAN: ", "UBSAN: " };
	const char *end = msg + len, *p = NULL, *type, *in, *q;
	unsigned long long addr;

	for (size_t i = 0; i < ARRAY_SIZE(tools) && !p; i++)
		if ((p = mem_find(msg, len, tools[i])))
			p += strlen(tools[i]);
	if (!p || incident_extra(inc, "bug_type"))
		return;
	type = p;
	in = mem_find(p, (size_t)(end - p), " in ");
	q = mem_find(p, (size_t)(end - p), " on address ");
	if (q && (!in || q < in)) {
		extra_span(inc, "bug_type", type, q);
		incident_extra_str(inc, "on_address", "yes");
		if (parse_hex(q + 12, end, &addr)) {
			char buf[32];
			snprintf(buf, sizeof(buf), "0x%016llx", addr);
			incident_extra_str(inc, "fault_address", buf);
		}
		return;
	}
	if (!in) {
		q = end;
		while (q > type && (q[-1] == ' ' || q[-1] == ':'))
			q--;
		extra_span(inc, "bug_type", type, q);
		return;
	}
	extra_span(inc, "bug_type", type, in);
	p = in + 4;
	if (is_file_token(p, end)) {
		q = p;
		while (q < end && *q != ' ')
			q++;
		extra_span(inc, "location", p, q);
		return;
	}
	q = func_end(p, end);
	if (q == p)
		return;
	extra_span(inc, "report_func", p, q);
	set_ip_func(inc, p, q);
	/* KCSAN: "data-race in f / g" names both sides. */
	if ((p = mem_find(q, (size_t)(end - q), " / "))) {
		const char *g = p + 3, *ge = func_end(g, end);
		if (ge > g)
			extra_span(inc, "report_func2", g, ge);
	}
	if ((p = mem_find(q, (size_t)(end - q), " at addr ")) && parse_hex(p + 9, end, &addr)) {
		char buf[32];
		snprintf(buf, sizeof(buf), "0x%016llx", addr);
		incident_extra_str(inc, "fault_address", buf);
		incident_extra_str(inc, "at_addr", "yes");
	}
}

bool parse_access_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;
	long long size;

	if (mem_starts_with(msg, len, "Read of size "))
		p = msg + 13;
	else if (mem_starts_with(msg, len, "Write of size "))
		p = msg + 14;
	else if (mem_starts_with(msg, len, "Read at addr ") ||	/* tag-based KASAN */
		 mem_starts_with(msg, len, "Write at addr "))
		p = end;
	else
		return false;
	if (incident_extra(inc, "access"))
		return true;
	incident_extra_str(inc, "access", msg[0] == 'R' ? "Read" : "Write");
	if (parse_dec(p, end, &size))
		incident_extra_num(inc, "access_size", size);
	return true;
}

void parse_lockdep_line(struct incident *inc, const char *msg, size_t len, bool *armed)
{
	const char *end = msg + len, *at;
	struct frame f;

	if (mem_find(msg, len, "is trying to acquire") || mem_find(msg, len, "] takes:") ||
	    mem_find(msg, len, "is trying to release lock") ||
	    mem_find(msg, len, "is trying to lock:") ||
	    mem_find(msg, len, "is freeing memory")) {
		*armed = true;
		return;
	}
	/* The lock already held is the next candidate ("lock_func2"). */
	if (mem_find(msg, len, "but task is already holding lock")) {
		*armed = true;
		return;
	}
	at = mem_find(msg, len, ", at: ");
	if (!at)
		return;
	at += 6;
	if (!frame_parse_line(at, (size_t)(end - at), &f, NULL))
		return;
	if (f.func) {
		if (!incident_extra(inc, "first_lock_func"))
			incident_extra_str(inc, "first_lock_func", f.func);
		if (*armed && !incident_extra(inc, "lock_func"))
			incident_extra_str(inc, "lock_func", f.func);
		else if (*armed && !incident_extra(inc, "lock_func2"))
			incident_extra_str(inc, "lock_func2", f.func);
	}
	*armed = false;
	frame_release(&f);
}

void parse_page_alloc_failure(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_find(msg, len, ": page allocation failure: "), *q;
	long long order;

	if (!p)
		return;
	if (!inc->task.comm)
		inc->task.comm = xmemdupz(msg, (size_t)(p - msg));
	if ((q = mem_find(p, (size_t)(end - p), "order:")) && parse_dec(q + 6, end, &order))
		incident_extra_num(inc, "order", order);
	if ((q = mem_find(p, (size_t)(end - p), "mode:"))) {
		const char *m = q + 5, *e = m, *paren;
		while (e < end && *e != ',' && *e != ' ')
			e++;
		extra_span(inc, "mode", m, e);
		paren = memchr(m, '(', (size_t)(e - m));
		extra_span(inc, "gfp_mask", m, paren ? paren : e);
	}
}

/* "sda1" → "sdX", "nvme0n1p2" → "nvmeX", "dm-3" → "dm-X", "loop7" → "loopX". */
static void normalize_device(struct strbuf *sb, const char *dev, size_t n)
{
	size_t keep = 0;

	if (n >= 2 && (!memcmp(dev, "sd", 2) || !memcmp(dev, "vd", 2) ||
		       !memcmp(dev, "hd", 2)))
		keep = 2;
	else if (n >= 3 && !memcmp(dev, "xvd", 3))
		keep = 3;
	else
		while (keep < n && !(dev[keep] >= '0' && dev[keep] <= '9'))
			keep++;
	strbuf_add(sb, dev, keep);
	if (keep < n)
		strbuf_addch(sb, 'X');
}

/* The token after `key` up to one of the stop bytes. */
static bool token_after(const char *msg, size_t len, const char *key, const char *stops,
			const char **tok, size_t *tok_len)
{
	const char *end = msg + len, *p = mem_find(msg, len, key), *q;

	if (!p)
		return false;
	p += strlen(key);
	q = p;
	while (q < end && !strchr(stops, *q))
		q++;
	if (q == p)
		return false;
	*tok = p;
	*tok_len = (size_t)(q - p);
	return true;
}

/*
 * The titles of one-line reports (chosen here, TITLES.md names none): the
 * subsystem and what failed, with device names normalised and the function
 * named when the message gives one, so the same failure on another disk or
 * host gets the same title:
 *   mce: hardware error [in bank N]     EDAC: corrected/uncorrected memory error
 *   I/O error on sdX                    nvme: I/O timeout on nvmeX
 *   EXT4-fs error in ext4_find_entry    XFS: metadata I/O error in xfs_trans_read_buf_map
 *   XFS: corruption detected            XFS: filesystem shut down
 *   BTRFS error / BTRFS critical        unregister_netdevice: waiting for DEV to become free
 */
void parse_device_error(struct incident *inc, const char *msg, size_t len)
{
	struct strbuf title = STRBUF_INIT;
	const char *tok, *end = msg + len;
	size_t tok_len;
	long long v;

	switch (inc->kind) {
	case KIND_MCE: {
		const char *p;
		if (mem_starts_with(msg, len, "EDAC ")) {
			strbuf_addstr(&title, mem_find(msg, len, " UE ") ?
				      "EDAC: uncorrected memory error" : "EDAC: corrected memory error");
			break;
		}
		strbuf_addstr(&title, "mce: hardware error");
		if ((p = mem_find(msg, len, "Bank ")) && parse_dec(p + 5, end, &v)) {
			incident_extra_num(inc, "bank", v);
			strbuf_addf(&title, " in bank %lld", v);
		}
		if ((p = mem_find(msg, len, "CPU ")) && parse_dec(p + 4, end, &v))
			inc->task.cpu = (int)v;
		break;
	}
	case KIND_IO_ERROR:
		if (mem_starts_with(msg, len, "nvme ")) {
			tok = msg + 5;
			tok_len = (size_t)(func_end(tok, end) - tok);
			extra_span(inc, "device", tok, tok + tok_len);
			strbuf_addstr(&title, mem_find(msg, len, " timeout") ?
				      "nvme: I/O timeout on " : "nvme: controller reset on ");
			normalize_device(&title, tok, tok_len);
			break;
		}
		if (!token_after(msg, len, ", dev ", ", ", &tok, &tok_len) &&
		    !token_after(msg, len, "I/O error on dev ", ", ", &tok, &tok_len)) {
			strbuf_addstr(&title, "I/O error");
			break;
		}
		extra_span(inc, "device", tok, tok + tok_len);
		{
			const char *s = mem_find(msg, len, "sector ");
			if (s && parse_dec(s + 7, end, &v))
				incident_extra_num(inc, "sector", v);
		}
		strbuf_addstr(&title, "I/O error on ");
		normalize_device(&title, tok, tok_len);
		break;
	case KIND_FS_ERROR: {
		const char *fs_end = msg;
		while (fs_end < end && *fs_end != ' ' && *fs_end != ':')
			fs_end++;
		if (token_after(msg, len, "(device ", ")", &tok, &tok_len) ||
		    token_after(msg, len, "XFS (", ")", &tok, &tok_len))
			extra_span(inc, "device", tok, tok + tok_len);
		if (mem_starts_with(msg, len, "XFS ")) {
			if (token_after(msg, len, "metadata I/O error in \"", "\"", &tok, &tok_len)) {
				strbuf_addstr(&title, "XFS: metadata I/O error in ");
				strbuf_add(&title, tok, tok_len);
			} else if (token_after(msg, len, "Caller ", "+ ", &tok, &tok_len)) {
				strbuf_addstr(&title, "XFS: internal error in ");
				strbuf_add(&title, tok, tok_len);
			} else if (mem_find(msg, len, "Corruption")) {
				strbuf_addstr(&title, "XFS: corruption detected");
			} else {
				strbuf_addstr(&title, "XFS: filesystem shut down");
			}
			break;
		}
		/* "EXT4-fs error (device sda1): ext4_find_entry:1455: inode #2: …" */
		strbuf_add(&title, msg, (size_t)(fs_end - msg));
		if (mem_starts_with(msg, len, "BTRFS ")) {
			strbuf_addstr(&title, mem_find(msg, len, "critical") ? " critical" : " error");
			break;
		}
		strbuf_addstr(&title, " error");
		if (token_after(msg, len, "): ", ": ", &tok, &tok_len) &&
		    func_end(tok, tok + tok_len) == tok + tok_len) {
			strbuf_addstr(&title, " in ");
			strbuf_add(&title, tok, tok_len);
		}
		break;
	}
	case KIND_NETDEV:
		if (token_after(msg, len, "waiting for ", " ", &tok, &tok_len))
			extra_span(inc, "device", tok, tok + tok_len);
		{
			const char *u = mem_find(msg, len, "Usage count = ");
			if (u && parse_dec(u + 14, end, &v))
				incident_extra_num(inc, "usage_count", v);
		}
		strbuf_addstr(&title, "unregister_netdevice: waiting for DEV to become free");
		break;
	default:
		break;
	}
	if (title.len)
		incident_extra_str(inc, "summary", title.buf);
	strbuf_release(&title);
}
