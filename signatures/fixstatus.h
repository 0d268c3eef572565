/*
** fixstatus: does a kernel carry a signature's fix? From its fixed-in and
** affected-since lines (sigfile.h) and the stream the kernel's release and
** build put it in (release.h):
**
**   affected    the kernel is older than the fix in its stream and branch,
**               or the stream is listed with "none" (never fixed there)
**   fixed       it is as new as the fix: a match is then a regression or
**               another bug that looks the same
**   unaffected  it is older than the bug (affected-since)
**   unknown     neither the stream nor the upstream history decides
**
** In this order: a line of the kernel's stream and branch decides by
** version; else a kernel built from an upstream series at or after the
** mainline fix (fixed-in "upstream 4.17": any 5.4-based kernel) carries it,
** whatever the stream; else "STREAM none" says the stream never got it; an
** upstream kernel of a series with no stable line of its own is affected.
** affected-since is read the same way, its mainline line only for streams
** without a fixed-in line of their own (distributions backport).
**
** Pure: nothing is allocated beyond the caller's strbuf.
*/
#ifndef KSIFT_FIXSTATUS_H
#define KSIFT_FIXSTATUS_H

#include "sigfile.h"
#include "strbuf.h"

enum fix_status {
	FIX_UNKNOWN,
	FIX_AFFECTED,
	FIX_FIXED,
	FIX_UNAFFECTED,
};

const char *fix_status_name(enum fix_status st);

/*
 * The status of a kernel (release, build: either may be NULL) for s, with
 * the reason appended to why ("el7 3.10.0-1160.el7 >= 3.10.0-862.el7
 * (RHSA-2018:1062)").
 */
enum fix_status fix_status_of(const struct signature *s, const char *release,
			      const char *build, struct strbuf *why);

#endif
