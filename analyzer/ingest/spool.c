/*
** spool: decompress into a sparse anonymous memory file (spool.h).
*/
#define _GNU_SOURCE
#include "spool.h"
#include "reader.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SPOOL_PAGE 4096u
#define SPOOL_BUF (1u << 20)

uint64_t spool_max_data(void)
{
	const char *env = getenv("KSIFT_SPOOL_MAX_MB");
	char *end;
	unsigned long long mb;

	if (env && *env) {
		mb = strtoull(env, &end, 10);
		if (!*end && mb)
			return (uint64_t)mb << 20;
	}
	return SPOOL_MAX_DATA;
}

ssize_t spool_peek(const char *path, void *buf, size_t n)
{
	char err[256];
	struct reader *r = reader_open(path, err, sizeof(err));
	size_t got = 0;

	if (!r)
		return -1;
	while (got < n) {
		ssize_t k = reader_read(r, (char *)buf + got, n - got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	reader_close(r);
	return (ssize_t)got;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	static const unsigned char zero[SPOOL_PAGE];

	return !memcmp(p, zero, n);
}

static bool write_at(int fd, const unsigned char *p, size_t n, uint64_t off)
{
	while (n) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return true;
}

int spool_input(const char *path, uint64_t max_data,
		bool (*keep)(void *data, int fd, uint64_t offset), void *keep_data,
		struct spool_result *out)
{
	struct reader *r;
	unsigned char *buf;
	size_t have = 0;
	uint64_t off = 0, extra_max = max_data / 4, extra = 0;
	bool eof = false;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	r = reader_open(path, out->err, sizeof(out->err));
	if (!r)
		return -1;
	snprintf(out->format, sizeof(out->format), "%s", reader_format(r));
	out->fd = memfd_create("ksift-spool", MFD_CLOEXEC);
	if (out->fd < 0) {
		snprintf(out->err, sizeof(out->err), "memfd_create: %s", strerror(errno));
		reader_close(r);
		return -1;
	}
	reader_start_thread(r);
	buf = xmalloc(SPOOL_BUF);
	while (!eof) {
		ssize_t k = reader_read(r, (char *)buf + have, SPOOL_BUF - have);
		size_t pos = 0;

		if (k < 0) {
			out->read_error = true;
			snprintf(out->err, sizeof(out->err), "%s", reader_error(r));
			eof = true;
		} else if (k == 0) {
			eof = true;
		} else {
			have += (size_t)k;
		}
		/* Whole pages, and the last partial one at the end. */
		while (have - pos >= SPOOL_PAGE || (eof && pos < have)) {
			size_t n = have - pos < SPOOL_PAGE ? have - pos : SPOOL_PAGE;
			const unsigned char *p = buf + pos;

			if (!all_zero(p, n)) {
				bool store = out->stored + n <= max_data;
				if (!store && keep && extra + n <= extra_max &&
				    keep(keep_data, out->fd, off)) {
					store = true;
					extra += n;
				}
				if (store && !write_at(out->fd, p, n, off)) {
					snprintf(out->err, sizeof(out->err),
						 "cannot keep the decompressed data in memory: %s",
						 strerror(errno));
					out->read_error = true;
					eof = true;
					break;
				}
				if (store)
					out->stored += n;
				else
					out->dropped += n;
			}
			pos += n;
			off += n;
		}
		memmove(buf, buf + pos, have - pos);
		have -= pos;
	}
	free(buf);
	reader_close(r);
	out->size = off;
	if (ftruncate(out->fd, (off_t)off) != 0 && !out->read_error) {
		snprintf(out->err, sizeof(out->err), "ftruncate: %s", strerror(errno));
		out->read_error = true;
	}
	return 0;
}
