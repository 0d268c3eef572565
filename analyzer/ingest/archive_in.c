#include "archive_in.h"
#include "util.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARCHIVE_BUFSZ (256 * 1024)

/* A compressed member's decompressed bytes, counted against the budget. */
struct counted {
	struct archive_in *a;
	struct reader *inner;		/* decompresses the member's raw bytes */
};

struct archive_in {
	struct archive *ar;
	struct reader *src;
	struct archive_budget *budget;
	char *buf;
	char *name;
	struct reader *member;		/* what archive_in_member() returned */
	struct reader *raw_member;	/* under it, for a compressed member */
	struct counted counted;
	bool failed, limit_hit;
	char err[512];
};

static bool over_budget(struct archive_in *a)
{
	struct archive_budget *b = a->budget;
	uint64_t in = b->file ? reader_raw_offset(b->file) : 0;

	if (a->limit_hit)
		return true;
	if (b->expanded > b->lim.max_bytes)
		snprintf(a->err, sizeof(a->err),
			 "archive expands to more than %llu bytes: stopped (an archive bomb? "
			 "--archive-max-size raises the limit)",
			 (unsigned long long)b->lim.max_bytes);
	else if (b->expanded > ARCHIVE_RATIO_FLOOR && in &&
		 b->expanded / in > b->lim.max_ratio)
		snprintf(a->err, sizeof(a->err),
			 "archive expands more than %llu times its size (%llu bytes from %llu): "
			 "stopped (an archive bomb? --archive-max-ratio raises the limit)",
			 (unsigned long long)b->lim.max_ratio, (unsigned long long)b->expanded,
			 (unsigned long long)in);
	else
		return false;
	a->limit_hit = a->failed = true;
	return true;
}

static la_ssize_t read_cb(struct archive *ar, void *data, const void **out)
{
	struct archive_in *a = data;
	ssize_t got;

	(void)ar;
	if (over_budget(a))
		return -1;
	got = reader_read(a->src, a->buf, ARCHIVE_BUFSZ);
	if (got < 0) {
		snprintf(a->err, sizeof(a->err), "%s", reader_error(a->src) ?
			 reader_error(a->src) : "read error");
		a->failed = true;
		return -1;
	}
	a->budget->expanded += (uint64_t)got;
	*out = a->buf;
	return got;
}

struct archive_in *archive_in_open(struct reader *src, struct archive_budget *budget,
				char *err, size_t errlen)
{
	struct archive_in *a = xcalloc(1, sizeof(*a));

	a->src = src;
	a->budget = budget;
	a->buf = xmalloc(ARCHIVE_BUFSZ);
	a->ar = archive_read_new();
	if (!a->ar)
		die("out of memory");
	/* Formats only: the reader below has already decompressed the stream.
	   Zip is read as a stream (its local headers), never by seeking. */
	archive_read_support_format_tar(a->ar);
	archive_read_support_format_gnutar(a->ar);
	archive_read_support_format_cpio(a->ar);
	archive_read_support_format_zip_streamable(a->ar);
	archive_read_support_filter_none(a->ar);
	if (archive_read_open2(a->ar, a, NULL, read_cb, NULL, NULL) != ARCHIVE_OK) {
		snprintf(err, errlen, "%s", a->err[0] ? a->err :
			 archive_error_string(a->ar) ? archive_error_string(a->ar) :
			 "not an archive");
		archive_read_free(a->ar);
		free(a->buf);
		free(a);
		return NULL;
	}
	return a;
}

static void close_member(struct archive_in *a)
{
	reader_close(a->member);
	if (a->raw_member)
		reader_close(a->raw_member);
	a->member = a->raw_member = NULL;
}

/* Remove "./" and "/" prefixes: members are named relative to the archive. */
static const char *clean_name(const char *p)
{
	for (;;) {
		if (p[0] == '/')
			p++;
		else if (p[0] == '.' && p[1] == '/')
			p += 2;
		else
			return p;
	}
}

int archive_in_next(struct archive_in *a, const char **name)
{
	struct archive_entry *e;

	close_member(a);
	for (;;) {
		int rc;

		if (a->failed)
			return -1;
		rc = archive_read_next_header(a->ar, &e);
		if (rc == ARCHIVE_EOF)
			return 0;
		if (rc == ARCHIVE_FATAL || rc == ARCHIVE_RETRY || a->limit_hit) {
			/* A limit or a read error below keeps its own message. */
			if (!a->err[0]) {
				const char *why = archive_error_string(a->ar);
				snprintf(a->err, sizeof(a->err), "corrupt archive: %.400s",
					 why ? why : "unreadable header");
			}
			a->failed = true;
			return -1;
		}
		/* ARCHIVE_WARN (an unknown extended header, say) still gives an entry. */
		if (archive_entry_filetype(e) != AE_IFREG)
			continue;
		if (archive_entry_hardlink(e))	/* a tar hard link has no data */
			continue;
		if (++a->budget->members > a->budget->lim.max_members) {
			snprintf(a->err, sizeof(a->err),
				 "archive has more than %llu members: stopped (an archive bomb? "
				 "--archive-max-members raises the limit)",
				 (unsigned long long)a->budget->lim.max_members);
			a->failed = a->limit_hit = true;
			return -1;
		}
		free(a->name);
		{
			const char *p = archive_entry_pathname(e);
			a->name = xstrdup(clean_name(p ? p : "?"));
		}
		if (!*a->name)
			continue;
		*name = a->name;
		return 1;
	}
}

/* The member's stored bytes; a failure here is the archive's. */
static ssize_t member_raw(void *data, void *buf, size_t n, char *err, size_t errlen)
{
	struct archive_in *a = data;
	la_ssize_t got;

	if (over_budget(a)) {
		snprintf(err, errlen, "%s", a->err);
		return -1;
	}
	got = archive_read_data(a->ar, buf, n);
	if (got < 0) {
		if (!a->err[0]) {
			const char *why = archive_error_string(a->ar);
			snprintf(a->err, sizeof(a->err), "corrupt archive: %.400s",
				 why ? why : "unreadable member data");
		}
		a->failed = true;
		snprintf(err, errlen, "%s", a->err);
		return -1;
	}
	return got;
}

/* A compressed member: its decompressed bytes count as expansion. A
   decompression error is the member's own (the archive goes on). */
static ssize_t member_counted(void *data, void *buf, size_t n, char *err, size_t errlen)
{
	struct counted *c = data;
	ssize_t got;

	if (over_budget(c->a)) {
		snprintf(err, errlen, "%s", c->a->err);
		return -1;
	}
	got = reader_read(c->inner, buf, n);
	if (got < 0) {
		snprintf(err, errlen, "%s", reader_error(c->inner) ? reader_error(c->inner) :
			 "read error");
		return -1;
	}
	c->a->budget->expanded += (uint64_t)got;
	return got;
}

struct reader *archive_in_member(struct archive_in *a, char *err, size_t errlen)
{
	struct reader *raw;

	close_member(a);
	raw = reader_open_source(member_raw, a, err, errlen);
	if (!raw)
		return NULL;
	if (!strcmp(reader_format(raw), "plain")) {
		a->member = raw;
		return raw;
	}
	a->raw_member = raw;
	a->counted.a = a;
	a->counted.inner = raw;
	a->member = reader_open_source(member_counted, &a->counted, err, errlen);
	if (!a->member) {
		reader_close(raw);
		a->raw_member = NULL;
	}
	return a->member;
}

const char *archive_in_error(const struct archive_in *a)
{
	return a->err[0] ? a->err : NULL;
}

const char *archive_in_format(const struct archive_in *a)
{
	int f = archive_format(a->ar) & ARCHIVE_FORMAT_BASE_MASK;

	switch (f) {
	case ARCHIVE_FORMAT_TAR: return "tar";
	case ARCHIVE_FORMAT_ZIP: return "zip";
	case ARCHIVE_FORMAT_CPIO: return "cpio";
	default: return "archive";
	}
}

void archive_in_close(struct archive_in *a)
{
	if (!a)
		return;
	close_member(a);
	archive_read_free(a->ar);
	free(a->name);
	free(a->buf);
	free(a);
}
