/*
** fixstatus: a kernel's status against a signature's fix data (see fixstatus.h).
*/
#include "fixstatus.h"
#include "release.h"
#include "version.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

const char *fix_status_name(enum fix_status st)
{
	switch (st) {
	case FIX_AFFECTED: return "affected";
	case FIX_FIXED: return "fixed";
	case FIX_UNAFFECTED: return "unaffected";
	default: return "unknown";
	}
}

/* "4.17", "4.17.0", "4.17-rc3": a mainline release (no stable part). */
static bool is_mainline(const char *v)
{
	const char *p = v;
	int dots = 0;

	while (isdigit((unsigned char)*p) || *p == '.') {
		if (*p == '.')
			dots++;
		p++;
	}
	if (*p && strncmp(p, "-rc", 3))
		return false;
	if (dots < 2)
		return true;
	/* "4.17.0": the third number is 0 */
	return p >= v + 2 && p[-1] == '0' && p[-2] == '.';
}

/* The line of list l for the kernel's stream and branch, or NULL. */
static const struct fix_entry *entry_for(const struct fix_list *l, const struct release_stream *k)
{
	char branch[48];

	for (size_t i = 0; i < l->nr; i++) {
		if (strcmp(l->v[i].stream, k->name))
			continue;
		if (!l->v[i].version)
			return &l->v[i];		/* "none": every branch */
		release_version_branch(k->name, l->v[i].version, branch, sizeof(branch));
		if (!strcmp(branch, k->branch))
			return &l->v[i];
	}
	return NULL;
}

/* The mainline line of l ("upstream 4.17"), or NULL. */
static const struct fix_entry *mainline_of(const struct fix_list *l)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i].stream, "upstream") && l->v[i].version &&
		    is_mainline(l->v[i].version))
			return &l->v[i];
	return NULL;
}

/*
 * Compare the kernel's version with a line's; Ubuntu versions are cut to
 * what both sides show (a release without its upload number: "4.4.0-128"
 * against "4.4.0-128.154" is the same ABI).
 */
static int cmp_versions(const struct release_stream *k, const char *line_version)
{
	char cut[96];

	snprintf(cut, sizeof(cut), "%s", line_version);
	if (!strncmp(k->name, "ubuntu-", 7)) {
		const char *dash = strchr(k->version, '-');
		char *ldash = strchr(cut, '-');
		if (dash && !strchr(dash, '.') && ldash && strchr(ldash, '.'))
			*strchr(ldash, '.') = '\0';
	}
	return version_cmp_order(k->order, k->version, cut);
}

static void say(struct strbuf *why, const struct release_stream *k, const char *rel,
		const char *what, const struct fix_entry *e)
{
	if (!why)
		return;
	strbuf_addf(why, "%s %s %s", k->name[0] ? k->name : "kernel",
		    k->version[0] ? k->version : rel, what);
	if (e)
		strbuf_addf(why, " %s %s (%s)", e->stream, e->version ? e->version : "none",
			    e->source);
}

/* Older than the bug? affected-since in its stream, or a mainline series after the kernel's. */
static const struct fix_entry *entry_for(const struct fix_list *l, const struct release_stream *k);

static bool predates(const struct signature *s, const struct release_stream *k,
		     const char *rel, struct strbuf *why)
{
	const struct fix_entry *e = k->name[0] ? entry_for(&s->affected_since, k) : NULL;

	if (e && k->version[0] && cmp_versions(k, e->version) < 0) {
		say(why, k, rel, "< affected-since", e);
		return true;
	}
	/* A stream with its own fixed-in line has the bug, whatever its base:
	   distributions backport (RHEL 7's 3.10 carries much of 4.x). */
	if (e || (k->name[0] && entry_for(&s->fixed_in, k)))
		return false;
	e = mainline_of(&s->affected_since);
	if (e && k->base[0] && release_series_cmp(k->base, e->version) < 0) {
		if (why)
			strbuf_addf(why, "%s is built from %s, before the bug: affected-since %s %s (%s)",
				    rel, k->base, e->stream, e->version, e->source);
		return true;
	}
	return false;
}

enum fix_status fix_status_of(const struct signature *s, const char *release,
			      const char *build, struct strbuf *why)
{
	struct release_stream k;
	const struct fix_entry *e, *main;
	const char *rel = release ? release : "?";

	if (!s->fixed_in.nr && !s->affected_since.nr) {
		if (why)
			strbuf_addstr(why, "the signature has no fixed-in data");
		return FIX_UNKNOWN;
	}
	release_identify(release, build, &k);
	if (predates(s, &k, rel, why))
		return FIX_UNAFFECTED;
	e = k.name[0] ? entry_for(&s->fixed_in, &k) : NULL;
	if (e && e->version && k.version[0]) {
		bool fixed = cmp_versions(&k, e->version) >= 0;
		say(why, &k, rel, fixed ? ">= fixed-in" : "< fixed-in", e);
		return fixed ? FIX_FIXED : FIX_AFFECTED;
	}
	/* Built from a series after the mainline fix: carried, even in a
	   stream that never backported it ("none" is about older series). */
	main = mainline_of(&s->fixed_in);
	if (main && k.base[0] && release_series_cmp(k.base, main->version) >= 0) {
		if (why)
			strbuf_addf(why, "%s is built from %s, after the mainline fix %s (%s)", rel,
				    k.base, main->version, main->source);
		return FIX_FIXED;
	}
	if (e && !e->version) {
		say(why, &k, rel, "is not fixed:", e);
		return FIX_AFFECTED;
	}
	if (!strcmp(k.name, "upstream") && main) {
		if (why)
			strbuf_addf(why, "upstream %s: no %s stable line; mainline fix %s (%s)",
				    k.version, k.branch, main->version, main->source);
		return FIX_AFFECTED;
	}
	if (why) {
		if (!release)
			strbuf_addstr(why, "the log does not show the kernel release");
		else if (!k.name[0])
			strbuf_addf(why, "%s: release stream not recognised", rel);
		else if (e)
			strbuf_addf(why, "%s: the log does not show the %s package version", rel, k.name);
		else
			strbuf_addf(why, "%s %s: stream %s not listed in fixed-in", k.name,
				    k.version[0] ? k.version : rel, k.name);
	}
	return FIX_UNKNOWN;
}
