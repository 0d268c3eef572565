#define _GNU_SOURCE
#include "linereader.h"
#include "testpause.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Input is read() into this buffer, plain files too. Mapping them instead
 * (no copy through the kernel) was tried: on the development VMs every first
 * touch of a mapped page costs about as much as copying it, or far more (a
 * 200 MiB scan took 0.25 s mapped against 0.12 s read; a bare newline count
 * over the same file 90 ms against 20 ms), because the hypervisor fills its
 * page tables one page at a time. A buffer that stays in the L2 cache makes
 * the copy cheap and the scan over it fast. It must hold a line of
 * LINE_MAX_KEEP bytes with room to spare.
 */
#define BUFSZ (256 * 1024)

struct linereader {
	struct reader *r;
	char *buf;		/* BUFSZ + 1 bytes */
	size_t start, end;	/* unread window */
	size_t read_max;	/* most bytes asked of one reader_read() */
	uint64_t offset;	/* decompressed offset of buf[start] */
	unsigned long lineno;
	unsigned long cut_lines;
	bool eof, error, skipping;
	uint64_t complete_offset;	/* after the last '\n'-ended line */
	unsigned long complete_lines;
};

static void mark_complete(struct linereader *lr);

struct linereader *linereader_new(struct reader *r)
{
	struct linereader *lr = xcalloc(1, sizeof(*lr));
	const char *env = getenv("KSIFT_READ_SIZE");

	lr->r = r;
	lr->buf = xmalloc(BUFSZ + 1);
	lr->read_max = BUFSZ;
	/* KSIFT_READ_SIZE (bytes): tests read in small pieces so that lines
	   and literals cross the refills. */
	if (env) {
		unsigned long n = strtoul(env, NULL, 10);
		if (n >= 1 && n < BUFSZ)
			lr->read_max = n;
	}
	return lr;
}

void linereader_free(struct linereader *lr)
{
	if (!lr)
		return;
	free(lr->buf);
	free(lr);
}

unsigned long linereader_cut_lines(const struct linereader *lr)
{
	return lr->cut_lines;
}

/* Move the unread tail to the front and read more. 0 ok, -1 error/eof. */
static int refill(struct linereader *lr)
{
	size_t want;
	ssize_t n;

	if (lr->eof || lr->error)
		return -1;
	if (lr->start) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->end == BUFSZ)
		return 0;
	want = BUFSZ - lr->end < lr->read_max ? BUFSZ - lr->end : lr->read_max;
	n = reader_read(lr->r, lr->buf + lr->end, want);
	if (n < 0) {
		lr->error = true;
		return -1;
	}
	if (n == 0) {
		lr->eof = true;
		return -1;
	}
	lr->end += (size_t)n;
	test_pause("read");
	return 0;
}

int linereader_next(struct linereader *lr, struct line *out)
{
	size_t scanned = 0;

	for (;;) {
		char *base = lr->buf + lr->start;
		size_t avail = lr->end - lr->start;
		char *nl = memchr(base + scanned, '\n', avail - scanned);

		if (lr->skipping) {
			/* Discard the remainder of an over-long line. */
			if (!nl) {
				lr->offset += avail;
				lr->start = lr->end;	/* all consumed; refill() moves on */
				scanned = 0;
				if (refill(lr) < 0)
					return lr->error ? -1 : 0;
				continue;
			}
			lr->offset += (size_t)(nl - base) + 1;
			lr->start += (size_t)(nl - base) + 1;
			lr->skipping = false;
			mark_complete(lr);
			scanned = 0;
			continue;
		}
		if (nl || avail >= LINE_MAX_KEEP ||
		    ((lr->eof || lr->error) && avail)) {
			size_t len = nl ? (size_t)(nl - base) : avail;
			bool cut = false;

			if (len > LINE_MAX_KEEP) {
				len = LINE_MAX_KEEP;
				cut = true;
			} else if (!nl && avail >= LINE_MAX_KEEP) {
				len = LINE_MAX_KEEP;
				cut = true;
			}
			out->ptr = base;
			out->len = len;
			out->offset = lr->offset;
			out->lineno = ++lr->lineno;
			out->cut = cut;
			if (cut) {
				lr->cut_lines++;
				if (nl) {
					lr->offset += (size_t)(nl - base) + 1;
					lr->start += (size_t)(nl - base) + 1;
					mark_complete(lr);
				} else {
					/* Keep out->ptr valid: skip lazily on next call. */
					lr->offset += avail;
					lr->start = lr->end;
					lr->skipping = true;
				}
			} else {
				size_t adv = nl ? len + 1 : len;
				lr->offset += adv;
				lr->start += adv;
				if (nl)
					mark_complete(lr);
			}
			if (out->len && out->ptr[out->len - 1] == '\r')
				out->len--;
			return 1;
		}
		if (lr->eof || lr->error)
			return lr->error ? -1 : 0;
		scanned = avail;
		if (refill(lr) < 0) {
			if (lr->end > lr->start)
				continue;	/* deliver the unterminated last line */
			return lr->error ? -1 : 0;
		}
		/* refill moved data to the front: keep what was scanned. */
	}
}

const char *linereader_error(const struct linereader *lr)
{
	return reader_error(lr->r) ? reader_error(lr->r) : "read error";
}

unsigned long linereader_lineno(const struct linereader *lr)
{
	return lr->lineno;
}

uint64_t linereader_offset(const struct linereader *lr)
{
	return lr->offset;
}

static void mark_complete(struct linereader *lr)
{
	lr->complete_offset = lr->offset;
	lr->complete_lines = lr->lineno;
}

static void skip_bytes(struct linereader *lr, size_t n)
{
	bool whole = n && lr->buf[lr->start + n - 1] == '\n';

	lr->lineno += count_newlines(lr->buf + lr->start, n);
	lr->offset += n;
	lr->start += n;
	if (whole)
		mark_complete(lr);
}

void linereader_complete(const struct linereader *lr, uint64_t *offset,
			 unsigned long *lines)
{
	*offset = lr->complete_offset;
	*lines = lr->complete_lines;
}

int linereader_skip_to_candidate(struct linereader *lr, const struct prefilter *pf,
				 uint64_t stop)
{
	for (;;) {
		char *base = lr->buf + lr->start;
		size_t avail = lr->end - lr->start;
		const char *hit, *nl;

		size_t nls = 0;

		if (lr->skipping || lr->offset >= stop)
			return 1;	/* linereader_next() finishes the long line */
		/* One pass finds the next candidate and counts the lines before it. */
		hit = avail ? prefilter_find_counting(pf, base, base + avail, &nls) : NULL;
		if (hit) {
			nl = memrchr(base, '\n', (size_t)(hit - base));
			size_t line_start = nl ? (size_t)(nl + 1 - base) : 0;
			if (lr->offset + line_start < stop) {
				/* No newline lies between the line start and the hit. */
				lr->lineno += nls;
				lr->offset += line_start;
				lr->start += line_start;
				if (line_start)
					mark_complete(lr);
				return 1;
			}
		}
		/* The line that starts at or after stop, if it is in the window. */
		if (stop - lr->offset <= avail) {
			size_t lim = (size_t)(stop - lr->offset);
			nl = memchr(base + lim - 1, '\n', avail - (lim - 1));
			if (nl) {
				skip_bytes(lr, (size_t)(nl + 1 - base));
				return 1;
			}
		}
		if (lr->eof || lr->error) {
			/* The unterminated last line holds no literal either. */
			skip_bytes(lr, avail);
			if (avail && base[avail - 1] != '\n')
				lr->lineno++;
			return lr->error ? -1 : 0;
		}
		/*
		 * Keep the partial last line: a literal may continue in the
		 * next read. Skip everything up to it.
		 */
		nl = avail ? memrchr(base, '\n', avail) : NULL;
		if (nl && !hit) {	/* every newline of the window was counted */
			lr->lineno += nls;
			lr->offset += (size_t)(nl + 1 - base);
			lr->start += (size_t)(nl + 1 - base);
			mark_complete(lr);
		} else if (nl) {
			skip_bytes(lr, (size_t)(nl + 1 - base));
		}
		else if (avail >= LINE_MAX_KEEP)
			return 1;	/* an over-long line: let next() cut it */
		refill(lr);
	}
}
