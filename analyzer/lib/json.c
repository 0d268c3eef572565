#include "json.h"
#include "textsafe.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

void json_init(struct json *j, struct strbuf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

void json_quote(struct strbuf *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	strbuf_addch(out, '"');
	while (p < end) {
		const unsigned char *run = p;
		/* Copy plain ASCII runs in one go. */
		while (p < end && *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
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
		if (*p < 0x20 || *p == 0x7f) {
			strbuf_addf(out, "\\u%04x", *p);
			p++;
			continue;
		}
		{
			size_t n = utf8_seq(p, (size_t)(end - p));
			/* C1 and bidi controls as escapes: the same string to
			   a JSON reader, and inert when the JSON is shown raw */
			if (n > 1 && text_code_point_is_control(utf8_code_point(p, n))) {
				strbuf_addf(out, "\\u%04x", utf8_code_point(p, n));
				p += n;
			} else if (n) {
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
