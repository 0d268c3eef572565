/*
** walltime: see walltime.h.
*/
#include "walltime.h"

#include <stdio.h>
#include <string.h>

static int month_of(const char *s)
{
	static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

	for (int m = 0; m < 12; m++)
		if (!strncmp(s, names + 3 * m, 3))
			return m;
	return -1;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool walltime_infer_year(const char *wall, time_t reference, char *out, size_t outlen)
{
	int mon, day, hh, mm, ss, used = 0;
	struct tm ref;
	const char *frac;

	if (!wall || (mon = month_of(wall)) < 0 || wall[3] != ' ')
		return false;
	if (sscanf(wall + 4, "%d %d:%d:%d%n", &day, &hh, &mm, &ss, &used) != 4 ||
	    day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
	    ss < 0 || ss > 60)
		return false;
	frac = wall + 4 + used;
	if (*frac && (*frac != '.' || strspn(frac + 1, "0123456789") != strlen(frac + 1)))
		return false;
	{
		static const int days[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
		if (day > days[mon])
			return false;	/* Apr 31: no such day */
	}
	if (!localtime_r(&reference, &ref))
		return false;
	/* The latest year, at most eight back (Feb 29), in which that date is
	   a real day and not after the reference. */
	for (int year = ref.tm_year + 1900; year > ref.tm_year + 1900 - 8; year--) {
		struct tm t = { 0 };
		time_t when;

		if (mon == 1 && day == 29 && !is_leap(year))
			continue;
		t.tm_year = year - 1900;
		t.tm_mon = mon;
		t.tm_mday = day;
		t.tm_hour = hh;
		t.tm_min = mm;
		t.tm_sec = ss;
		t.tm_isdst = -1;
		when = mktime(&t);
		if (when != (time_t)-1 && when > reference + WALLTIME_SLACK)
			continue;
		snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d%.9s", year, mon + 1, day,
			 hh, mm, ss, frac);
		return true;
	}
	return false;
}
