#include "json.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct strbuf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Length of a valid UTF-8 sequence at p, or 0. */
static size_t utf8_seq(const unsigned char *p, size_t n)
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

void json_quote(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	strbuf_addch(out, '"');
	while (p < end) {
		const unsigned char *run = p;
		/* Copy plain ASCII runs in one go. */
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p > run)
			strbuf_add(out, run, (size_t)(p - run));
		if (p >= end)
			break;
		switch (*p) {
		case '"': strbuf_addstr(out, "\\\""); p++; continue;
		case '\\': strbuf_addstr(out, "\\\\"); p++; continue;
		case '\n': strbuf_addstr(out, "\\n"); p++; continue;
		case '\t': strbuf_addstr(out, "\\t"); p++; continue;
		case '\r': strbuf_addstr(out, "\\r"); p++; continue;
		default: break;
		}
		if (*p < 0x20) {
			strbuf_addf(out, "\\u%04x", *p);
			p++;
			continue;
		}
		{
			size_t n = utf8_seq(p, (size_t)(end - p));
			if (n) {
				strbuf_add(out, p, n);
				p += n;
			} else {
				strbuf_addstr(out, "\xef\xbf\xbd");	/* U+FFFD */
				p++;
			}
		}
	}
	strbuf_addch(out, '"');
}

static void key(struct json *j, const char *k)
{
	if (j->need_comma[j->depth])
		strbuf_addch(j->out, ',');
	j->need_comma[j->depth] = true;
	if (k) {
		json_quote(j->out, k, strlen(k));
		strbuf_addch(j->out, ':');
	}
}

void json_object_begin(struct json *j, const char *k)
{
	key(j, k);
	strbuf_addch(j->out, '{');
	if (j->depth < 63)
		j->depth++;
	j->need_comma[j->depth] = false;
}

void json_object_end(struct json *j)
{
	strbuf_addch(j->out, '}');
	if (j->depth)
		j->depth--;
}

void json_array_begin(struct json *j, const char *k)
{
	key(j, k);
	strbuf_addch(j->out, '[');
	if (j->depth < 63)
		j->depth++;
	j->need_comma[j->depth] = false;
}

void json_array_end(struct json *j)
{
	strbuf_addch(j->out, ']');
	if (j->depth)
		j->depth--;
}

void json_strn(struct json *j, const char *k, const char *val, size_t len)
{
	key(j, k);
	if (!val)
		strbuf_addstr(j->out, "null");
	else
		json_quote(j->out, val, len);
}

void json_str(struct json *j, const char *k, const char *val)
{
	json_strn(j, k, val, val ? strlen(val) : 0);
}

void json_int(struct json *j, const char *k, long long val)
{
	key(j, k);
	strbuf_addf(j->out, "%lld", val);
}

void json_uint(struct json *j, const char *k, unsigned long long val)
{
	key(j, k);
	strbuf_addf(j->out, "%llu", val);
}

void json_double(struct json *j, const char *k, double val, int decimals)
{
	key(j, k);
	strbuf_addf(j->out, "%.*f", decimals, val);
}

void json_bool(struct json *j, const char *k, bool val)
{
	key(j, k);
	strbuf_addstr(j->out, val ? "true" : "false");
}

void json_null(struct json *j, const char *k)
{
	key(j, k);
	strbuf_addstr(j->out, "null");
}
