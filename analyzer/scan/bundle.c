/*
** bundle: scan an archive (a sosreport, a supportconfig, a tarball of logs)
** member by member. Each member is an input of its own, named
** "ARCHIVE:member/path", with its own line numbers; a member that is itself
** an archive is opened one level deep ("OUTER:inner.tar.gz:member").
**
** Hosts: lines whose wrapper names no host (a dmesg member) get the
** bundle's own host, read from the member that names it:
**   sosreport     "hostname" at the top of the report, or
**                 sos_commands/general/hostname, sos_commands/host/hostname
**                 (what the hostname plugin saved of `hostname`);
**   supportconfig basic-environment.txt, the `uname -a` output in it
**                 ("Linux HOST 5.14.21-… x86_64 GNU/Linux");
** else the host the archive's own path gives (--host, the directory rules).
** The member naming the host may come after the logs in the archive: the
** records of members read before it wait (at most BUNDLE_HOLD_MAX) and get
** the host once it is known.
*/
#define _GNU_SOURCE
#include "scan_impl.h"
#include "incident.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUNDLE_HOLD_MAX 4096

struct held {			/* a record, or the end of a member */
	struct incident *inc;
	char *member;		/* NULL for a record */
	struct scan_stats st;
	bool failed;
};

struct bundle {
	const char *path;
	const struct scan_options *opts;
	const struct scan_hooks *out;	/* where records go in the end */
	struct scan_stats *stats;	/* keeps member paths when out has no member_done */
	struct scan_hooks hooks;	/* what member scans deliver to */
	char *host;			/* the bundle's own, once read */
	int host_rank;			/* which source gave it: lower wins */
	const char *fallback;		/* from outside the bundle */
	bool resolved;			/* no more waiting for a host */
	struct held *held;
	size_t nr_held, alloc_held, alloc_paths;
};

static const char *bundle_host(const struct bundle *b)
{
	if (b->opts->host_forced)
		return b->opts->host;
	return b->host ? b->host : b->fallback;
}

static void forward(struct bundle *b, struct held *h)
{
	if (h->inc) {
		if (!h->inc->host && bundle_host(b))
			h->inc->host = xstrdup(bundle_host(b));
		if (b->out->incident)
			b->out->incident(b->out->data, h->inc);
		else
			incident_free(h->inc);
	} else if (b->out->member_done) {
		b->out->member_done(b->out->data, h->member, &h->st, h->failed);
	} else {
		/* Records handed out may still point at it. */
		ALLOC_GROW(b->stats->member_paths, b->stats->nr_member_paths + 1,
			   b->alloc_paths);
		b->stats->member_paths[b->stats->nr_member_paths++] = h->member;
	}
}

/* The host is known (or will not be): release what waited for it. */
static void resolve(struct bundle *b)
{
	b->resolved = true;
	for (size_t i = 0; i < b->nr_held; i++)
		forward(b, &b->held[i]);
	b->nr_held = 0;
}

static void hold(struct bundle *b, struct held *h)
{
	if (b->resolved) {
		forward(b, h);
		return;
	}
	ALLOC_GROW(b->held, b->nr_held + 1, b->alloc_held);
	b->held[b->nr_held++] = *h;
	if (b->nr_held >= BUNDLE_HOLD_MAX)
		resolve(b);	/* memory stays bounded: the fallback host it is */
}

static void take_incident(void *data, struct incident *inc)
{
	struct held h = { inc, NULL, { 0 }, false };

	hold(data, &h);
}

static void take_member(void *data, char *path, const struct scan_stats *st, bool failed)
{
	struct held h = { NULL, path, *st, failed };

	h.st.member_paths = NULL;
	h.st.nr_member_paths = 0;
	hold(data, &h);
}

/* The last path component, and the one before it. */
static bool name_is(const char *name, const char *suffix, int max_depth)
{
	size_t n = strlen(name), k = strlen(suffix);
	int depth = 0;

	if (n < k || strcmp(name + n - k, suffix) || (n > k && name[n - k - 1] != '/'))
		return false;
	for (size_t i = 0; i + k < n; i++)
		depth += name[i] == '/';
	return depth <= max_depth;
}

/* A host name as `hostname` prints it: one word of name characters. */
static char *host_word(const char *s, size_t n)
{
	size_t i = 0, b;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	b = i;
	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '.' ||
			 s[i] == '_'))
		i++;
	if (i == b || i - b > 253)
		return NULL;
	if (i < n && s[i] != '\n' && s[i] != '\r' && s[i] != ' ' && s[i] != '\t')
		return NULL;
	return xstrndup(s + b, i - b);
}

/* "Linux HOST 5.14.21-… #1 SMP … x86_64 GNU/Linux" in basic-environment.txt. */
static char *supportconfig_host(const char *s, size_t n)
{
	for (const char *l = s; l < s + n;) {
		const char *nl = memchr(l, '\n', (size_t)(s + n - l));
		size_t len = nl ? (size_t)(nl - l) : (size_t)(s + n - l);
		if (len > 6 && !memcmp(l, "Linux ", 6) && memmem(l, len, "GNU/Linux", 9))
			return host_word(l + 6, len - 6);
		l = nl ? nl + 1 : s + n;
	}
	return NULL;
}

/* Does this member name the bundle's host? Rank: lower is more trusted. */
static void learn_host(struct bundle *b, const char *name, const char *head, size_t n)
{
	char *h = NULL;
	int rank;

	if (name_is(name, "sos_commands/general/hostname", 1) ||
	    name_is(name, "sos_commands/host/hostname", 1))
		rank = 1, h = host_word(head, n);
	else if (name_is(name, "hostname", 1))
		rank = 0, h = host_word(head, n);
	else if (name_is(name, "basic-environment.txt", 1))
		rank = 2, h = supportconfig_host(head, n);
	else
		return;
	if (!h)
		return;
	if (!b->host || rank < b->host_rank) {
		free(b->host);
		b->host = h;
		b->host_rank = rank;
	} else {
		free(h);
	}
	if (!b->resolved)
		resolve(b);
}

static int scan_member(struct bundle *b, struct archive_in *a, const char *name,
		       struct scan_stats *stats, struct archive_budget *budget, int depth)
{
	char err[256], *mpath;
	struct reader *mr;
	struct scan_stats mst;
	struct scan_options mopts = *b->opts;
	const char *head;
	size_t n;
	enum input_kind kind;
	int ret;

	if (asprintf(&mpath, "%s:%s", b->path, name) < 0)
		die("out of memory");
	mr = archive_in_member(a, err, sizeof(err));
	if (!mr) {
		error("%s: %s", mpath, err);
		free(mpath);
		return -1;
	}
	n = reader_peek(mr, &head);
	learn_host(b, name, head, n);
	kind = sniff_input(head, n);
	/* A core is read with random access (coremem.c): not from a stream. */
	if (kind == INPUT_BINARY || kind == INPUT_CORE || (kind == INPUT_ARCHIVE && depth > 0)) {
		warning("%s: %s member skipped", mpath, kind == INPUT_BINARY ? "binary" :
			kind == INPUT_CORE ? "core dump (extract it to read it)" :
			"archive nested more than one level deep:");
		stats->skipped_members++;
		free(mpath);
		return 0;
	}
	memset(&mst, 0, sizeof(mst));
	/* Members scanned once the host is known get it as their own. */
	mopts.host = bundle_host(b);
	if (!b->resolved && !b->opts->host_forced)
		mopts.host = NULL;
	if (kind == INPUT_ARCHIVE)
		ret = scan_archive(mr, mpath, &mopts, &b->hooks, &mst, budget, depth + 1);
	else
		ret = scan_stream(mr, kind, mpath, &mopts, &b->hooks, &mst, budget->file);
	stats->members += kind == INPUT_ARCHIVE ? mst.members : 1;
	stats->skipped_members += mst.skipped_members;
	stats->bytes += mst.bytes;
	stats->lines += mst.lines;
	stats->incidents += mst.incidents;
	stats->cut_lines += mst.cut_lines;
	if (kind == INPUT_ARCHIVE) {
		/* Its members were reported one by one. */
		free(mpath);
	} else {
		b->hooks.member_done(b->hooks.data, mpath, &mst, ret < 0);
	}
	return ret;
}

int scan_archive(struct reader *r, const char *path, const struct scan_options *opts,
		 const struct scan_hooks *hooks, struct scan_stats *stats,
		 struct archive_budget *budget, int depth)
{
	char err[512];
	struct archive_in *a = archive_in_open(r, budget, err, sizeof(err));
	struct bundle b;
	const char *name;
	int got, ret = 0;

	if (!a) {
		error("%s: %s", path, err);
		stats->read_error = true;
		return -1;
	}
	memset(&b, 0, sizeof(b));
	b.path = path;
	b.opts = opts;
	b.out = hooks;
	b.stats = stats;
	b.fallback = opts->host;
	b.hooks.incident = take_incident;
	b.hooks.member_done = take_member;
	b.hooks.data = &b;
	while ((got = archive_in_next(a, &name)) > 0)
		if (scan_member(&b, a, name, stats, budget, depth) < 0 &&
		    archive_in_error(a))
			break;	/* the archive itself broke under the member */
	if (got < 0 || archive_in_error(a)) {
		error("%s: %s (%lu member%s read before)", path,
		      archive_in_error(a) ? archive_in_error(a) : "corrupt archive",
		      stats->members, stats->members == 1 ? "" : "s");
		stats->read_error = true;
		ret = -1;
	}
	resolve(&b);
	free(b.held);
	free(b.host);
	archive_in_close(a);
	return ret;
}
