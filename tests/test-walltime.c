/* Unit tests for giving a year to syslog wall times (walltime.h): the file's
   mtime year, the year before for dates after it (year wrap), slack, leap
   days, fractions, and what is left alone. Times are read in UTC. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "walltime.h"

/* A UTC date as time_t. */
static time_t utc(int y, int mon, int d, int h, int m)
{
	struct tm t = { 0 };

	t.tm_year = y - 1900;
	t.tm_mon = mon - 1;
	t.tm_mday = d;
	t.tm_hour = h;
	t.tm_min = m;
	return timegm(&t);
}

static const char *infer(const char *wall, time_t ref)
{
	static char out[64];

	if (!walltime_infer_year(wall, ref, out, sizeof(out)))
		return "(none)";
	return out;
}

static void same_year_as_mtime(void **state)
{
	(void)state;
	assert_string_equal(infer("Nov 25 02:45:01", utc(2026, 11, 30, 6, 25)),
			    "2026-11-25T02:45:01");
	/* Space-padded day, as syslog prints it. */
	assert_string_equal(infer("Mar  3 14:09:40", utc(2026, 3, 4, 0, 0)),
			    "2026-03-03T14:09:40");
}

static void year_wrap(void **state)
{
	time_t jan = utc(2027, 1, 3, 10, 0);

	(void)state;
	/* Rotated on Jan 3: December lines are from the year before. */
	assert_string_equal(infer("Dec 30 23:50:01", jan), "2026-12-30T23:50:01");
	assert_string_equal(infer("Jan  2 08:00:00", jan), "2027-01-02T08:00:00");
	/* A line a day after the mtime (another time zone) is still this year. */
	assert_string_equal(infer("Jan  4 09:00:00", jan), "2027-01-04T09:00:00");
	/* Beyond the slack: last year's. */
	assert_string_equal(infer("Jan  8 09:00:00", jan), "2026-01-08T09:00:00");
}

static void leap_day(void **state)
{
	(void)state;
	/* No Feb 29 in 2027 or 2026: the last leap year. */
	assert_string_equal(infer("Feb 29 12:00:00", utc(2027, 3, 1, 0, 0)),
			    "2024-02-29T12:00:00");
	assert_string_equal(infer("Feb 29 12:00:00", utc(2028, 3, 1, 0, 0)),
			    "2028-02-29T12:00:00");
}

static void fractions_kept(void **state)
{
	(void)state;
	assert_string_equal(infer("Nov 24 10:11:12.516514", utc(2026, 11, 24, 12, 0)),
			    "2026-11-24T10:11:12.516514");
}

static void left_alone(void **state)
{
	time_t ref = utc(2026, 6, 1, 0, 0);

	(void)state;
	assert_string_equal(infer("2026-11-24T10:11:12", ref), "(none)");
	assert_string_equal(infer("Foo 24 10:11:12", ref), "(none)");
	assert_string_equal(infer("Apr 31 10:11:12", ref), "(none)");
	assert_string_equal(infer("Nov 24 25:11:12", ref), "(none)");
	assert_string_equal(infer("Nov 24 10:11:12 trailing", ref), "(none)");
	assert_string_equal(infer("Nov", ref), "(none)");
	assert_false(walltime_infer_year(NULL, ref, NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_year_as_mtime),
		cmocka_unit_test(year_wrap),
		cmocka_unit_test(leap_day),
		cmocka_unit_test(fractions_kept),
		cmocka_unit_test(left_alone),
	};
	setenv("TZ", "UTC", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
