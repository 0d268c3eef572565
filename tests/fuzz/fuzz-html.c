/*
 * libFuzzer target: any bytes, as a log string, through the HTML escaper and
 * into an incident's section, and as a wall time. The escaped text must hold
 * no markup character and be valid UTF-8 (the page is UTF-8).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "util.h"
#include "walltime.h"

static int utf8_ok(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t len = s[i] < 0x80 ? 1 : (s[i] & 0xe0) == 0xc0 ? 2 : (s[i] & 0xf0) == 0xe0 ? 3 :
			     (s[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (!len || i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		i += len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	char *s = xmemdupz(data, size);
	struct incident *inc;
	double t;

	html_textn(&sb, (const char *)data, size);
	if (memchr(sb.buf, '<', sb.len) || memchr(sb.buf, '>', sb.len) ||
	    memchr(sb.buf, '"', sb.len) || memchr(sb.buf, '\'', sb.len) ||
	    !utf8_ok((const unsigned char *)sb.buf, sb.len))
		abort();
	strbuf_reset(&sb);
	html_attr(&sb, s);
	if (memchr(sb.buf, '"', sb.len) || memchr(sb.buf, '\n', sb.len))
		abort();
	(void)html_url_ok(s);
	(void)walltime_seconds(s, &t);
	inc = incident_new(KIND_WARNING);
	inc->title = xstrdup(s);
	inc->host = xstrdup(s);
	inc->task.comm = xstrdup(s);
	incident_extra_str(inc, s, s);
	strbuf_reset(&sb);
	html_incident_open(&sb, inc, 1, 0, size & 1);
	incident_free(inc);
	strbuf_release(&sb);
	free(s);
	return 0;
}
