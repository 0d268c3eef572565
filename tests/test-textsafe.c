/* Unit tests for the output sanitizer (textsafe.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "textsafe.h"

static void escaped(const char *in, size_t len, bool nl, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	text_escape(&sb, in, len, nl);
	assert_string_equal(sb.buf, want);
	assert_int_equal(text_needs_escape(in, len, nl), strcmp(in, want) != 0 || len != strlen(in));
	strbuf_release(&sb);
}
#define ESC(in, nl, want) escaped(in, sizeof(in) - 1, nl, want)

static void controls(void **state)
{
	(void)state;
	ESC("plain text\tand tab", false, "plain text\tand tab");
	ESC("bs\b\b\bDEL\x7f", false, "bs\\x08\\x08\\x08DEL\\x7f");
	ESC("a\nb", false, "a\\x0ab");
	ESC("a\nb", true, "a\nb");
	ESC("nul\0x", false, "nul\\x00x");
	ESC("\x1b[2J", false, "\\x1b[2J");
}

static void c1_bidi_and_invalid(void **state)
{
	(void)state;
	ESC("csi \xc2\x9b" "2J raw \x9b" "2J", false, "csi \\u009b2J raw \\x9b2J");
	ESC("rtl \xe2\x80\xae" "x\xe2\x80\xac \xe2\x81\xa6" "y\xe2\x81\xa9", false,
	    "rtl \\u202ex\\u202c \\u2066y\\u2069");
	/* text in other scripts stays; broken sequences are bytes */
	ESC("caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80", false, "caf\xc3\xa9 \xe6\x97\xa5 \xf0\x9f\x98\x80");
	ESC("cut \xe6\x97", false, "cut \\xe6\\x97");
	ESC("over \xc0\xaf \xed\xa0\x80", false, "over \\xc0\\xaf \\xed\\xa0\\x80");
}

static void fixed_buffer(void **state)
{
	char buf[12];

	(void)state;
	text_escape_fixed(buf, sizeof(buf), "ab\x1b" "cdefgh", 9);
	assert_string_equal(buf, "ab\\x1bcdefg");
	/* an escape that does not fit is left out whole */
	text_escape_fixed(buf, 6, "abc\x1b", 4);
	assert_string_equal(buf, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(controls),
		cmocka_unit_test(c1_bidi_and_invalid),
		cmocka_unit_test(fixed_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
