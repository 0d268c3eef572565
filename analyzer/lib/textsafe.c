#include "textsafe.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

unsigned utf8_code_point(const unsigned char *p, size_t n)
{
	static const unsigned char lead_mask[] = { 0, 0x7f, 0x1f, 0x0f, 0x07 };
	unsigned cp = p[0] & lead_mask[n];

	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3f);
	return cp;
}

bool text_code_point_is_control(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static bool is_unsafe_ascii(unsigned char c, bool keep_newlines)
{
	return (c < 0x20 && c != '\t' && !(keep_newlines && c == '\n')) || c == 0x7f;
}

/*
 * Length of the safe run at p: ASCII text, and valid UTF-8 sequences that
 * are not C1 or bidi controls.
 */
static size_t safe_run(const unsigned char *p, const unsigned char *end, bool keep_newlines)
{
	const unsigned char *q = p;

	while (q < end) {
		size_t n;
		if (*q < 0x80) {
			if (is_unsafe_ascii(*q, keep_newlines))
				break;
			q++;
			continue;
		}
		n = utf8_seq(q, (size_t)(end - q));
		if (!n || text_code_point_is_control(utf8_code_point(q, n)))
			break;
		q += n;
	}
	return (size_t)(q - p);
}

bool text_needs_escape(const char *s, size_t len, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s;

	return safe_run(p, p + len, keep_newlines) != len;
}

void text_escape(struct strbuf *out, const char *s, size_t len, bool keep_newlines)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		size_t run = safe_run(p, end, keep_newlines), n;

		strbuf_add(out, p, run);
		p += run;
		if (p >= end)
			break;
		n = *p < 0x80 ? 1 : utf8_seq(p, (size_t)(end - p));
		if (n > 1) {
			strbuf_addf(out, "\\u%04x", utf8_code_point(p, n));
			p += n;
		} else {
			strbuf_addf(out, "\\x%02x", *p);
			p++;
		}
	}
}

const char *text_safe(struct strbuf *scratch, const char *s)
{
	size_t len;

	if (!s)
		return NULL;
	len = strlen(s);
	if (!text_needs_escape(s, len, false))
		return s;
	strbuf_reset(scratch);
	text_escape(scratch, s, len, false);
	return scratch->buf;
}

void text_escape_fixed(char *dst, size_t cap, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	size_t used = 0;

	if (!cap)
		return;
	while (p < end) {
		size_t run = safe_run(p, end, false), n;
		char esc[16];
		int w;

		if (run > cap - 1 - used)
			run = cap - 1 - used;
		memcpy(dst + used, p, run);
		used += run;
		p += run;
		if (p >= end || used == cap - 1)
			break;
		n = *p < 0x80 ? 1 : utf8_seq(p, (size_t)(end - p));
		if (n > 1)
			w = snprintf(esc, sizeof(esc), "\\u%04x", utf8_code_point(p, n));
		else
			w = snprintf(esc, sizeof(esc), "\\x%02x", *p);
		if ((size_t)w > cap - 1 - used)
			break;
		memcpy(dst + used, esc, (size_t)w);
		used += (size_t)w;
		p += n > 1 ? n : 1;
	}
	dst[used] = '\0';
}

void text_printf(FILE *f, const char *fmt, ...)
{
	struct strbuf raw = STRBUF_INIT, out = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&raw, fmt, ap);
	va_end(ap);
	text_escape(&out, raw.buf, raw.len, true);
	fwrite(out.buf, 1, out.len, f);
	strbuf_release(&raw);
	strbuf_release(&out);
}
