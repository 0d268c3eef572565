/*
** Version ordering: dpkg and rpm rules, and kernel range predicates.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "version.h"

static int sign(int x) { return (x > 0) - (x < 0); }

static void test_dpkg(void **state)
{
	(void)state;
	assert_int_equal(sign(dpkg_vercmp("4.4.0-119-generic", "4.4.0-137-generic")), -1);
	assert_int_equal(sign(dpkg_vercmp("4.4.0-137", "4.4.0-137")), 0);
	assert_int_equal(sign(dpkg_vercmp("1.0~rc1", "1.0")), -1);	/* ~ before end */
	assert_int_equal(sign(dpkg_vercmp("1.0", "1.0a")), -1);
	assert_int_equal(sign(dpkg_vercmp("1.0a", "1.0+")), -1);	/* letters before others */
	assert_int_equal(sign(dpkg_vercmp("1.010", "1.9")), 1);	/* numeric, not lexical */
	assert_int_equal(sign(dpkg_vercmp("1.001", "1.1")), 0);	/* leading zeros */
	assert_int_equal(sign(dpkg_vercmp("5.15.0-97", "5.4.0-150")), 1);
}

static void test_rpm(void **state)
{
	(void)state;
	assert_int_equal(sign(rpm_vercmp("3.10.0-693.17.1.el7", "3.10.0-693.21.1.el7")), -1);
	assert_int_equal(sign(rpm_vercmp("3.10.0-693.21.1.el7", "3.10.0-693.17.1.el7")), 1);
	assert_int_equal(sign(rpm_vercmp("3.10.0-693.el7", "3.10.0-693.el7")), 0);
	assert_int_equal(sign(rpm_vercmp("1.0a", "1.0")), 1);
	assert_int_equal(sign(rpm_vercmp("1.0", "1.0.1")), -1);
	assert_int_equal(sign(rpm_vercmp("2a", "2.0")), -1);	/* numeric newer than alpha */
	assert_int_equal(sign(rpm_vercmp("1.0~rc1", "1.0")), -1);
	assert_int_equal(sign(rpm_vercmp("1.0^git1", "1.0")), 1);
	assert_int_equal(sign(rpm_vercmp("1.0^git1", "1.0.1")), -1);
	assert_int_equal(sign(rpm_vercmp("1_0", "1.0")), 0);	/* separators are equal */
}

static void test_kver(void **state)
{
	(void)state;
	/* Architecture suffixes are ignored; rpm rules for el7. */
	assert_int_equal(kver_cmp("3.10.0-693.17.1.el7.x86_64", "3.10.0-693.17.1.el7"), 0);
	assert_true(kver_cmp("3.10.0-693.17.1.el7", "3.10.0-693.21.1.el7") < 0);
	assert_true(kver_cmp("3.10.0-1160.el7.x86_64", "3.10.0-693.17.1.el7") > 0);
	assert_true(kver_cmp("4.4.0-119-generic", "4.4.0-137-generic") < 0);
	assert_int_equal(kver_strip_arch("5.14.0-70.el9.aarch64"), strlen("5.14.0-70.el9"));
}

static void test_ranges(void **state)
{
	struct kver_ranges r;
	char err[128];
	unsigned bad = 99;

	(void)state;
	assert_int_equal(kver_ranges_parse(">= 4.4.0-21, < 4.4.0-140\n5.4.0-42-generic", &r,
					   err, sizeof(err), &bad), 0);
	assert_int_equal(r.nr, 2);
	assert_true(kver_ranges_match(&r, "4.4.0-137-generic"));
	assert_true(kver_ranges_match(&r, "4.4.0-21-generic"));
	assert_false(kver_ranges_match(&r, "4.4.0-140-generic"));
	assert_false(kver_ranges_match(&r, "4.4.0-20-generic"));
	assert_true(kver_ranges_match(&r, "5.4.0-42-generic"));
	assert_false(kver_ranges_match(&r, "5.4.0-43-generic"));
	assert_false(kver_ranges_match(&r, NULL));
	kver_ranges_free(&r);

	assert_int_equal(kver_ranges_parse("3.10.0-693.17.1.el7", &r, err, sizeof(err), &bad), 0);
	assert_true(kver_ranges_match(&r, "3.10.0-693.17.1.el7.x86_64"));
	assert_false(kver_ranges_match(&r, "3.10.0-693.21.1.el7.x86_64"));
	kver_ranges_free(&r);

	assert_int_equal(kver_ranges_parse("!= 5.10.0-1, > 5.10.0-0", &r, err, sizeof(err), &bad), 0);
	assert_true(kver_ranges_match(&r, "5.10.0-2"));
	assert_false(kver_ranges_match(&r, "5.10.0-1"));
	kver_ranges_free(&r);

	assert_int_equal(kver_ranges_parse(">= 4.4\nfoo", &r, err, sizeof(err), &bad), -1);
	assert_int_equal(bad, 1);
	assert_non_null(strstr(err, "digit"));
	assert_int_equal(kver_ranges_parse(">=", &r, err, sizeof(err), &bad), -1);
	assert_non_null(strstr(err, "missing version"));
	assert_int_equal(kver_ranges_parse("4.4 ; rm", &r, err, sizeof(err), &bad), -1);
	assert_non_null(strstr(err, "bad character"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dpkg),
		cmocka_unit_test(test_rpm),
		cmocka_unit_test(test_kver),
		cmocka_unit_test(test_ranges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
