/*
** walltime: give a year to the wall times syslog prints without one
** (RFC 3164 "Nov 25 02:45:01", journalctl's short and short-precise).
**
** The year comes from a reference time, the log file's mtime (stdin: now):
** every line of a file was written before its mtime, so a date that would
** fall after the reference in the reference's year is from the year
** before — a December line in a file last written in January belongs to
** the previous year. Two days of slack cover time zones (the line is in
** the logging host's local time, the mtime is read in ours) and clock skew.
** Right for files that span less than a year (rotated logs do).
**
** Owns nothing; keeps no state.
*/
#ifndef KSIFT_WALLTIME_H
#define KSIFT_WALLTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define WALLTIME_SLACK (2 * 24 * 3600)

/*
 * "Mmm dd hh:mm:ss[.frac]" → "YYYY-MM-DDThh:mm:ss[.frac]" in out (at least
 * 32 bytes). false when wall is not such a time (already has a year, or
 * is not a date).
 */
bool walltime_infer_year(const char *wall, time_t reference, char *out, size_t outlen);

#endif
