/* Unit tests for the HTML writer's escaping, URL rule, JSON-in-script,
   SHA-256 (the CSP hashes) and wall-time parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "sha256.h"
#include "util.h"
#include "walltime.h"

static char *esc_text(const char *s, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	html_textn(&sb, s, n);
	return strbuf_detach(&sb, NULL);
}

static void test_text_and_attr(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	char *t;
	(void)state;

	t = esc_text("</script><img src=x onerror='a'>&\"", 34);
	assert_string_equal(t, "&lt;/script&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&amp;&quot;");
	free(t);
	/* controls as pictures, tab and newline kept in text */
	t = esc_text("a\x1b[31m\x07\tb\nc\x7f", 12);
	assert_string_equal(t, "a\xe2\x90\x9b[31m\xe2\x90\x87\tb\nc\xe2\x90\xa1");
	free(t);
	/* a NUL inside a counted string, invalid UTF-8, C1 controls, overlongs */
	t = esc_text("x\0y\xff\xc2\x85\xc0\xaf\xe2\x82\xac", 11);
	assert_string_equal(t, "x\xe2\x90\x80y\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xe2\x82\xac");
	free(t);
	html_attr(&sb, "a\nb\tc\"");
	assert_string_equal(sb.buf, "a&#10;b&#9;c&quot;");
	strbuf_release(&sb);
}

static void test_urls(void **state)
{
	(void)state;
	assert_true(html_url_ok("https://lore.kernel.org/x?a=1&b=2"));
	assert_true(html_url_ok("HTTP://example.org/"));
	assert_false(html_url_ok("javascript:alert(1)"));
	assert_false(html_url_ok(" https://example.org/"));
	assert_false(html_url_ok("https://"));
	assert_false(html_url_ok("https://a b"));
	assert_false(html_url_ok("https://a\nb"));
	assert_false(html_url_ok("data:text/html,<script>"));
	assert_false(html_url_ok("file:///etc/passwd"));
	assert_false(html_url_ok(NULL));
}

static void test_json_script(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	const char json[] = "[\"</script><!--&\"]";
	(void)state;

	html_json_script(&sb, "d", json, sizeof(json) - 1);
	assert_string_equal(sb.buf, "<script type=\"application/json\" id=\"d\">"
			    "[\"\\u003c/script\\u003e\\u003c!--\\u0026\"]</script>\n");
	strbuf_release(&sb);
}

static void test_sha256(void **state)
{
	char b64[45];
	(void)state;

	/* FIPS 180-4 examples, in base64 as a CSP names them */
	sha256_base64("abc", 3, b64);
	assert_string_equal(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	sha256_base64("", 0, b64);
	assert_string_equal(b64, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	sha256_base64("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, b64);
	assert_string_equal(b64, "JI1qYdIGOLjlwCaTDD5gOaM85Flk/yFn9uzt1BnbBsE=");
}

static void test_walltime_seconds(void **state)
{
	double t;
	(void)state;

	assert_true(walltime_seconds("1970-01-02T00:00:01", &t));
	assert_true(t == 86401.0);
	assert_true(walltime_seconds("2026-11-24T10:11:12.5+01:00", &t));
	assert_true(t == 1795515072.5);
	assert_true(walltime_seconds("2026-11-24 10:11", &t));
	assert_true(walltime_seconds("2026-11-24", &t));
	assert_false(walltime_seconds("Nov 24 10:11:12", &t));
	assert_false(walltime_seconds("2026-13-01", &t));
	assert_false(walltime_seconds("2026-11-24X", &t));
	assert_false(walltime_seconds("2026-11-24T25:00", &t));
	assert_false(walltime_seconds(NULL, &t));
}

/* An incident's section: log strings escaped, unknown record fields shown. */
static void test_incident_section(void **state)
{
	struct incident *inc = incident_new(KIND_WARNING);
	struct strbuf sb = STRBUF_INIT;
	struct match *m;
	(void)state;

	inc->title = xstrdup("WARNING in <b>x</b>");
	inc->host = xstrdup("h\"><script>");
	inc->task.comm = xstrdup("<img src=x>");
	inc->task.pid = 7;
	inc->source.path = "log";
	incident_extra_str(inc, "new_field", "</td><td>");
	m = incident_add_match(inc);
	m->id = xstrdup("bug");
	m->title = xstrdup("t");
	m->links = xcalloc(2, sizeof(char *));
	m->links[0] = xstrdup("javascript:alert(1)");
	m->links[1] = xstrdup("https://example.org/?a=\"b\"");
	m->nr_links = 2;
	html_incident_open(&sb, inc, 3, 0, false);
	assert_non_null(strstr(sb.buf, "id=\"incident-3\""));
	assert_non_null(strstr(sb.buf, "WARNING in &lt;b&gt;x&lt;/b&gt;"));
	assert_non_null(strstr(sb.buf, "data-host=\"h&quot;&gt;&lt;script&gt;\""));
	assert_null(strstr(sb.buf, "<script>"));
	assert_null(strstr(sb.buf, "<img"));
	assert_non_null(strstr(sb.buf, "<code>javascript:alert(1)</code>"));
	assert_null(strstr(sb.buf, "href=\"javascript"));
	assert_non_null(strstr(sb.buf, "href=\"https://example.org/?a=&quot;b&quot;\""));
	assert_non_null(strstr(sb.buf, "<th>new_field</th><td>&lt;/td&gt;&lt;td&gt;</td>"));
	strbuf_release(&sb);
	incident_free(inc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_and_attr),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_json_script),
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_walltime_seconds),
		cmocka_unit_test(test_incident_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
