/*
** release: which release stream a kernel belongs to, recognised from the two
** strings the kernel prints about itself — the release (uname -r, e.g.
** "4.4.0-137-generic") and the build version (uname -v without its '#',
** e.g. "163-Ubuntu SMP Mon Sep 24 …" or "1 SMP Debian 5.10.197-1 (2023-09-29)").
** A stream is one line of kernels whose versions are ordered by one rule:
**
**   upstream                  vanilla kernels ("5.10.180", "6.1.0-rc3"): kernel order
**   elN, elNuek               RHEL and rebuilds (CentOS, Alma, Rocky, Oracle RHCK;
**                             Oracle UEK): rpm order of the release ("3.10.0-693.17.1.el7")
**   fcN, amznN                Fedora, Amazon Linux: rpm order
**   suse                      SUSE and openSUSE ("5.14.21-150400.24.46-default"): rpm order
**   ubuntu-SERIES[-FLAVOUR]   Ubuntu: dpkg order of ABI.upload ("4.4.0-137.163");
**                             SERIES is the release the kernel was built for
**                             (xenial; "~18.04.1" → bionic), FLAVOUR a derivative
**                             kernel with its own ABI numbers (aws, azure, …)
**   debian-SERIES[-backports] Debian: dpkg order of the package version
**                             ("5.10.197-1"), which only the build text shows
**
** Each kernel also has a branch (its upstream series, "4.15"; for SUSE the
** service pack base "5.14.21-150400"), because one stream can carry several
** (Ubuntu HWE kernels, Amazon Linux 4.14 and 5.10).
**
** Pure functions over the two strings; nothing is allocated.
*/
#ifndef KSIFT_RELEASE_H
#define KSIFT_RELEASE_H

#include <stdbool.h>
#include <stddef.h>

enum release_order {
	ORDER_KERNEL,		/* 5.10 < 5.10.1 < 5.11-rc1 < 5.11 */
	ORDER_DPKG,
	ORDER_RPM,
};

struct release_stream {
	char name[48];		/* "ubuntu-xenial"; "" when not recognised */
	char version[96];	/* in the stream's order; "" when the log does not show it */
	char branch[40];	/* "4.4"; SUSE "5.14.21-150400" */
	char base[16];		/* upstream series the kernel is built from: "4.4" */
	enum release_order order;
};

/*
 * Recognise the stream of a release (build may be NULL). Returns false and
 * leaves out->name empty when the release matches no known stream; base is
 * still filled when the release starts with a version.
 */
bool release_identify(const char *release, const char *build, struct release_stream *out);

/*
 * A stream name as written in a signature's fixed-in/affected-since line:
 * the forms above. Returns false for anything else.
 */
bool release_stream_name_valid(const char *name);

/* The order and branch a version written for stream `name` has. */
enum release_order release_stream_order(const char *name);
void release_version_branch(const char *stream, const char *version, char *out, size_t n);

/* "4.15" from "4.15.0-29-generic"; false when s does not start with N.N. */
bool release_series(const char *s, char *out, size_t n);
/* Compare two "X.Y" series numerically. */
int release_series_cmp(const char *a, const char *b);

#endif
