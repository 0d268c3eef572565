/*
 * libFuzzer target: the output sanitizer (textsafe.h), checked against its
 * promise by an independent reading of what it wrote — no C0 but tab (and
 * newline when kept), no DEL, nothing that is not UTF-8, no C1 and no bidi
 * override — and text_escape_fixed() against text_escape(): the same text,
 * cut at a whole escape, NUL-terminated inside its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "textsafe.h"

static void check_safe(const unsigned char *p, size_t n, int keep_newlines)
{
	for (size_t i = 0; i < n;) {
		unsigned c = p[i], cp, len;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && !(keep_newlines && c == '\n')) || c == 0x7f)
				abort();
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, cp = c & 0x07;
		else
			abort();	/* not a lead byte: invalid UTF-8 out */
		if (i + len > n)
			abort();
		for (unsigned k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				abort();
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
			abort();
		if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			abort();
		i += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf a = STRBUF_INIT, b = STRBUF_INIT;
	char fixed[64];
	const char *s = (const char *)data;
	size_t cap = size ? 1 + data[0] % sizeof(fixed) : sizeof(fixed), flen;

	text_escape(&a, s, size, false);
	check_safe((const unsigned char *)a.buf, a.len, 0);
	/* nothing to escape: the text itself */
	if (!text_needs_escape(s, size, false) && (a.len != size || memcmp(a.buf, s, size)))
		abort();
	text_escape(&b, s, size, true);
	check_safe((const unsigned char *)b.buf, b.len, 1);
	memset(fixed, 'X', sizeof(fixed));
	text_escape_fixed(fixed, cap, s, size);
	flen = strnlen(fixed, cap);
	if (flen == cap || flen > a.len || memcmp(fixed, a.buf, flen))
		abort();
	for (size_t i = cap; i < sizeof(fixed); i++)
		if (fixed[i] != 'X')
			abort();
	strbuf_release(&a);
	strbuf_release(&b);
	return 0;
}
