/*
** release: recognise a kernel's release stream (see release.h).
**
** What each distribution puts in the two strings, from its kernel packaging:
**   Ubuntu   release "4.4.0-137-generic" (ABI 137, flavour generic); the build
**            "#163-Ubuntu SMP …" holds the upload number, "#167~18.04.1-Ubuntu"
**            a kernel built for another series (HWE).
**   Debian   release "5.10.0-26-cloud-amd64" (ABI 26: several uploads share
**            it); Debian's version.patch prints the package version in the
**            build, "#1 SMP Debian 5.10.197-1 (2023-09-29)", and in the "CPU:"
**            line of every report, "#1 Debian 5.10.197-1".
**   RPM      the whole package release is the kernel release, with a dist
**            tag: ".el7", ".el8_9", ".el7uek", ".fc39", ".amzn2".
**   SUSE     "5.14.21-150400.24.46-default": 1504 = SLE 15 SP4.
*/
#include "release.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct named {
	const char *key, *name;
};

/* Ubuntu: the series whose GA kernel is each upstream series. */
static const struct named ubuntu_ga[] = {
	{ "3.2", "precise" }, { "3.13", "trusty" }, { "3.16", "utopic" }, { "3.19", "vivid" },
	{ "4.2", "wily" }, { "4.4", "xenial" }, { "4.8", "yakkety" }, { "4.10", "zesty" },
	{ "4.13", "artful" }, { "4.15", "bionic" }, { "4.18", "cosmic" }, { "5.0", "disco" },
	{ "5.3", "eoan" }, { "5.4", "focal" }, { "5.8", "groovy" }, { "5.11", "hirsute" },
	{ "5.13", "impish" }, { "5.15", "jammy" }, { "5.19", "kinetic" }, { "6.2", "lunar" },
	{ "6.5", "mantic" }, { "6.8", "noble" }, { "6.11", "oracular" }, { "6.14", "plucky" },
};

/* Ubuntu: "~18.04.1" in the build names the series the kernel was built for. */
static const struct named ubuntu_numbers[] = {
	{ "12.04", "precise" }, { "14.04", "trusty" }, { "14.10", "utopic" },
	{ "15.04", "vivid" }, { "15.10", "wily" }, { "16.04", "xenial" },
	{ "16.10", "yakkety" }, { "17.04", "zesty" }, { "17.10", "artful" },
	{ "18.04", "bionic" }, { "18.10", "cosmic" }, { "19.04", "disco" },
	{ "19.10", "eoan" }, { "20.04", "focal" }, { "20.10", "groovy" },
	{ "21.04", "hirsute" }, { "21.10", "impish" }, { "22.04", "jammy" },
	{ "22.10", "kinetic" }, { "23.04", "lunar" }, { "23.10", "mantic" },
	{ "24.04", "noble" }, { "24.10", "oracular" }, { "25.04", "plucky" },
};

/* Debian: the release whose kernel is each upstream series. */
static const struct named debian_ga[] = {
	{ "3.2", "wheezy" }, { "3.16", "jessie" }, { "4.9", "stretch" }, { "4.19", "buster" },
	{ "5.10", "bullseye" }, { "6.1", "bookworm" }, { "6.12", "trixie" },
};

/* Debian: "+deb11u3", "~deb10u1", "~bpo11+1" name the release by number. */
static const struct named debian_numbers[] = {
	{ "7", "wheezy" }, { "8", "jessie" }, { "9", "stretch" }, { "10", "buster" },
	{ "11", "bullseye" }, { "12", "bookworm" }, { "13", "trixie" },
};

/* Ubuntu kernel flavours of the main kernel (same ABI numbers as generic). */
static const char *const ubuntu_main_flavours[] = {
	"generic", "lowlatency", "generic-lpae", "generic-64k", "lowlatency-64k",
	"generic-pae", "server", "virtual",
};

/* Derivative Ubuntu kernels: their own ABI numbering, their own stream. */
static const char *const ubuntu_derivatives[] = {
	"aws", "azure", "gcp", "gke", "gkeop", "kvm", "oracle", "oem", "raspi", "raspi2",
	"ibm", "nvidia", "intel-iotg", "azure-fde", "aws-fips", "fips",
};

/* Debian kernel flavours end in the architecture. */
static const char *const debian_arches[] = {
	"amd64", "arm64", "686", "686-pae", "armmp", "armmp-lpae", "powerpc64le", "s390x",
	"marvell", "rpi", "octeon", "loongson-3", "4kc-malta", "5kc-malta", "mips32r2el",
	"mips64r2el", "riscv64",
};

/* SUSE kernel flavours. */
static const char *const suse_flavours[] = {
	"default", "azure", "preempt", "rt", "kvmsmall", "64kb", "vanilla", "pae", "xen",
	"lpae", "zfcpdump", "debug",
};

static const char *lookup(const struct named *t, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].key, key))
			return t[i].name;
	return NULL;
}

static bool known_name(const struct named *t, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].name) == len && !strncmp(t[i].name, name, len))
			return true;
	return false;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

bool release_series(const char *s, char *out, size_t n)
{
	const char *p = s;

	if (!s || !isdigit((unsigned char)*p))
		return false;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != '.' || !isdigit((unsigned char)p[1]))
		return false;
	p++;
	while (isdigit((unsigned char)*p))
		p++;
	snprintf(out, n, "%.*s", (int)(p - s), s);
	return true;
}

int release_series_cmp(const char *a, const char *b)
{
	char *e;
	long am = strtol(a, &e, 10), an = *e == '.' ? strtol(e + 1, NULL, 10) : 0;
	long bm = strtol(b, &e, 10), bn = *e == '.' ? strtol(e + 1, NULL, 10) : 0;

	if (am != bm)
		return am < bm ? -1 : 1;
	return an < bn ? -1 : an > bn;
}

/* Copy [p, p+len) into a fixed buffer, cut to fit. */
static void copy_n(char *out, size_t n, const char *p, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* "5.14.21-150400.24.46" → "5.14.21-150400": the part up to the first '.' after '-'. */
static void suse_branch(const char *version, char *out, size_t n)
{
	const char *dash = strchr(version, '-'), *dot = dash ? strchr(dash, '.') : NULL;

	copy_n(out, n, version, dot ? (size_t)(dot - version) : strlen(version));
}

enum release_order release_stream_order(const char *name)
{
	if (!strcmp(name, "upstream"))
		return ORDER_KERNEL;
	if (starts_with(name, "ubuntu-") || starts_with(name, "debian-"))
		return ORDER_DPKG;
	return ORDER_RPM;
}

void release_version_branch(const char *stream, const char *version, char *out, size_t n)
{
	if (!strcmp(stream, "suse"))
		suse_branch(version, out, n);
	else if (!release_series(version, out, n))
		snprintf(out, n, "%s", version);
}

static bool all_digits(const char *p, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* "X.Y.Z-N-FLAVOUR": the offsets of N and of FLAVOUR, or false. */
static bool abi_and_flavour(const char *release, const char **abi, size_t *abi_len,
			    const char **flavour)
{
	const char *dash = strchr(release, '-'), *p;

	if (!dash)
		return false;
	p = dash + 1;
	while (isdigit((unsigned char)*p))
		p++;
	if (p == dash + 1 || *p != '-' || !p[1])
		return false;
	*abi = dash + 1;
	*abi_len = (size_t)(p - *abi);
	*flavour = p + 1;
	return true;
}

/* The rpm dist tag: ".el7" → el7, ".el8_9" → el8, ".el7uek" → el7uek, ".fc39", ".amzn2". */
static bool rpm_dist(const char *release, char *name, size_t n)
{
	for (const char *p = strchr(release, '.'); p; p = strchr(p + 1, '.')) {
		const char *q = p + 1, *d;
		size_t pre;
		if (starts_with(q, "el"))
			pre = 2;
		else if (starts_with(q, "fc"))
			pre = 2;
		else if (starts_with(q, "amzn"))
			pre = 4;
		else
			continue;
		d = q + pre;
		if (!isdigit((unsigned char)*d))
			continue;
		while (isdigit((unsigned char)*d))
			d++;
		if (pre == 2 && q[0] == 'e' && starts_with(d, "uek"))
			d += 3;
		copy_n(name, n, q, (size_t)(d - q));
		/* "el7uek" keeps its suffix; "el8_9" is el8 (the minor release). */
		return true;
	}
	return false;
}

static void strip_arch(const char *release, char *out, size_t n)
{
	static const char *const arches[] = {
		".x86_64", ".aarch64", ".ppc64le", ".ppc64", ".s390x", ".i686", ".i386",
		".armv7hl", ".noarch",
	};
	size_t len = strlen(release);

	copy_n(out, n, release, len);
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++) {
		size_t al = strlen(arches[i]);
		if (len > al && !strcmp(release + len - al, arches[i])) {
			out[len - al < n ? len - al : n - 1] = '\0';
			return;
		}
	}
}

/* A version token in the build: "Debian 5.10.197-1" → "5.10.197-1". */
static bool build_word_after(const char *build, const char *marker, char *out, size_t n)
{
	const char *p = build ? strstr(build, marker) : NULL, *q;

	if (!p)
		return false;
	p += strlen(marker);
	if (!isdigit((unsigned char)*p))
		return false;
	for (q = p; *q && *q != ' ' && *q != ')' && *q != '('; q++)
		;
	copy_n(out, n, p, (size_t)(q - p));
	return true;
}

/* Debian release number → codename from "+deb11u3", "~deb10u1", "~bpo11+1". */
static const char *debian_from_version(const char *v, bool *backports)
{
	const char *p;
	char num[8];
	size_t k = 0;

	*backports = false;
	if ((p = strstr(v, "~bpo")))
		*backports = true, p += 4;
	else if ((p = strstr(v, "deb")) && (p[-1] == '+' || p[-1] == '~'))
		p += 3;
	else
		return NULL;
	while (isdigit((unsigned char)p[k]) && k < sizeof(num) - 1) {
		num[k] = p[k];
		k++;
	}
	num[k] = '\0';
	return k ? lookup(debian_numbers, ARRAY_SIZE(debian_numbers), num) : NULL;
}

static bool identify_debian(const char *release, const char *build, const char *flavour,
			    struct release_stream *out)
{
	char pkg[64] = "";
	const char *codename = NULL;
	bool backports = false;

	if (!build_word_after(build, "Debian ", pkg, sizeof(pkg)) &&
	    !(flavour && in_list(debian_arches, ARRAY_SIZE(debian_arches), flavour)) &&
	    !(flavour && (starts_with(flavour, "cloud-") || starts_with(flavour, "rt-")) &&
	      in_list(debian_arches, ARRAY_SIZE(debian_arches), strchr(flavour, '-') + 1)))
		return false;
	if (pkg[0])
		codename = debian_from_version(pkg, &backports);
	if (!codename)
		codename = lookup(debian_ga, ARRAY_SIZE(debian_ga), out->base);
	if (!codename)
		return false;
	snprintf(out->name, sizeof(out->name), "debian-%s%s", codename,
		 backports ? "-backports" : "");
	snprintf(out->version, sizeof(out->version), "%s", pkg);
	(void)release;
	out->order = ORDER_DPKG;
	/* The package version's series; the release's when it is not shown. */
	if (!pkg[0] || !release_series(pkg, out->branch, sizeof(out->branch)))
		snprintf(out->branch, sizeof(out->branch), "%s", out->base);
	return true;
}

static bool identify_ubuntu(const char *release, const char *build, struct release_stream *out)
{
	const char *abi, *flavour, *tag = build ? strstr(build, "-Ubuntu") : NULL;
	const char *codename = NULL;
	size_t abi_len;
	char upload[32] = "";

	if (!abi_and_flavour(release, &abi, &abi_len, &flavour))
		return false;
	if (!tag && !in_list(ubuntu_main_flavours, ARRAY_SIZE(ubuntu_main_flavours), flavour) &&
	    !in_list(ubuntu_derivatives, ARRAY_SIZE(ubuntu_derivatives), flavour))
		return false;
	if (tag) {
		/* "163-Ubuntu", "167~18.04.1-Ubuntu": the upload, then the series. */
		const char *u = tag;
		while (u > build && u[-1] != ' ' && u[-1] != '#')
			u--;
		copy_n(upload, sizeof(upload), u, (size_t)(tag - u));
		{
			const char *tilde = memchr(u, '~', (size_t)(tag - u));
			if (tilde) {
				char num[8];
				const char *d = tilde + 1;
				size_t k = 0;
				while (k < sizeof(num) - 1 && (isdigit((unsigned char)d[k]) ||
							       d[k] == '.'))
					k++;
				/* "18.04.1" → "18.04" */
				if (k > 5)
					k = 5;
				copy_n(num, sizeof(num), d, k);
				codename = lookup(ubuntu_numbers, ARRAY_SIZE(ubuntu_numbers), num);
			}
		}
	}
	if (!codename)
		codename = lookup(ubuntu_ga, ARRAY_SIZE(ubuntu_ga), out->base);
	if (!codename)
		return false;
	if (in_list(ubuntu_main_flavours, ARRAY_SIZE(ubuntu_main_flavours), flavour))
		snprintf(out->name, sizeof(out->name), "ubuntu-%s", codename);
	else
		snprintf(out->name, sizeof(out->name), "ubuntu-%s-%.20s", codename, flavour);
	/* "4.4.0-137" + ".163": dpkg orders it as the package version. */
	snprintf(out->version, sizeof(out->version), "%.*s%s%s",
		 (int)(abi + abi_len - release), release, upload[0] ? "." : "", upload);
	snprintf(out->branch, sizeof(out->branch), "%s", out->base);
	out->order = ORDER_DPKG;
	return true;
}

static bool identify_suse(const char *release, struct release_stream *out)
{
	const char *first = strchr(release, '-'), *last = strrchr(release, '-');

	/* "5.14.21-150400.24.46-default": a dotted release number, the flavour last. */
	if (!first || first == last || !in_list(suse_flavours, ARRAY_SIZE(suse_flavours), last + 1))
		return false;
	for (const char *p = first + 1; p < last; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return false;
	copy_n(out->version, sizeof(out->version), release, (size_t)(last - release));
	suse_branch(out->version, out->branch, sizeof(out->branch));
	snprintf(out->name, sizeof(out->name), "suse");
	out->order = ORDER_RPM;
	return true;
}

/* "5.10.180", "6.1", "6.7.0-rc3", "5.15.0+": a vanilla build. */
static bool identify_upstream(const char *release, struct release_stream *out)
{
	const char *p = release;
	int dots = 0;
	size_t len;

	while (isdigit((unsigned char)*p) || (*p == '.' && isdigit((unsigned char)p[1]))) {
		dots += *p == '.';
		p++;
	}
	if (dots < 1 || dots > 2)
		return false;
	if (starts_with(p, "-rc")) {
		const char *d = p + 3;
		if (!all_digits(d, strspn(d, "0123456789")))
			return false;
		p = d + strspn(d, "0123456789");
	}
	len = (size_t)(p - release);
	if (*p == '+')
		p++;
	if (*p)
		return false;
	copy_n(out->version, sizeof(out->version), release, len);
	snprintf(out->name, sizeof(out->name), "upstream");
	snprintf(out->branch, sizeof(out->branch), "%s", out->base);
	out->order = ORDER_KERNEL;
	return true;
}

bool release_identify(const char *release, const char *build, struct release_stream *out)
{
	char dist[24];
	const char *abi, *flavour = NULL;
	size_t abi_len;

	memset(out, 0, sizeof(*out));
	if (!release || !release_series(release, out->base, sizeof(out->base)))
		return false;
	if (rpm_dist(release, dist, sizeof(dist))) {
		snprintf(out->name, sizeof(out->name), "%s", dist);
		strip_arch(release, out->version, sizeof(out->version));
		snprintf(out->branch, sizeof(out->branch), "%s", out->base);
		out->order = ORDER_RPM;
		return true;
	}
	if (!abi_and_flavour(release, &abi, &abi_len, &flavour))
		flavour = NULL;
	if (identify_debian(release, build, flavour, out) || identify_ubuntu(release, build, out) ||
	    identify_suse(release, out) || identify_upstream(release, out))
		return true;
	out->name[0] = out->version[0] = out->branch[0] = '\0';
	return false;
}

bool release_stream_name_valid(const char *name)
{
	const char *p;

	if (!strcmp(name, "upstream") || !strcmp(name, "suse"))
		return true;
	if ((p = skip_prefix(name, "el")) || (p = skip_prefix(name, "fc")) ||
	    (p = skip_prefix(name, "amzn"))) {
		size_t d = strspn(p, "0123456789");
		return d && (!p[d] || (name[0] == 'e' && !strcmp(p + d, "uek")));
	}
	if ((p = skip_prefix(name, "ubuntu-"))) {
		size_t len = strcspn(p, "-");
		if (!known_name(ubuntu_numbers, ARRAY_SIZE(ubuntu_numbers), p, len))
			return false;
		return !p[len] || in_list(ubuntu_derivatives, ARRAY_SIZE(ubuntu_derivatives),
					  p + len + 1);
	}
	if ((p = skip_prefix(name, "debian-"))) {
		size_t len = strcspn(p, "-");
		if (!known_name(debian_numbers, ARRAY_SIZE(debian_numbers), p, len))
			return false;
		return !p[len] || !strcmp(p + len, "-backports");
	}
	return false;
}
