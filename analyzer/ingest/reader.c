#define _GNU_SOURCE
#include "reader.h"
#include "util.h"

#include <archive.h>
#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

enum reader_fmt { FMT_PLAIN, FMT_GZIP, FMT_XZ, FMT_ZSTD, FMT_BZIP2, FMT_LZ4 };

#define IN_BUFSZ (256 * 1024)

struct reader {
	int fd;
	bool own_fd;
	/* reader_open_source(): raw bytes come from here instead of fd. */
	reader_source_fn source;
	void *source_data;
	/* reader_peek(): decoded bytes handed out again before any others. */
	char *peek;
	size_t peek_len, peek_pos;
	enum reader_fmt fmt;
	unsigned char *in;		/* compressed input buffer */
	size_t in_len, in_pos;
	bool in_eof;
	uint64_t raw_off;		/* compressed bytes consumed by decoder */
	uint64_t zstd_block_off;	/* raw_off when the last zstd block decoded */
	uint64_t raw_read;		/* compressed bytes read from fd */
	uint64_t fd_pos;		/* where the next read() of fd starts */
	uint64_t size_at_open;		/* regular files: st_size when opened */
	bool regular;
	bool failed, done;
	char err[256];
	union {
		z_stream z;
		lzma_stream x;
		ZSTD_DStream *zs;
		bz_stream b;
		struct archive *a;	/* lz4: libarchive's raw format */
	} u;
	bool stream_active;		/* a member/frame is being decoded */
	struct decode_thread *dt;	/* set by reader_start_thread() */
};

/*
 * Decoded blocks handed from the decoding thread to the reader: a ring of
 * DT_BLOCKS buffers. A block with len 0 marks the end; status -1 an error
 * (r->err is written before the block is published, under the lock).
 */
#define DT_BLOCKS 4
#define DT_BLOCK_SIZE (1024 * 1024)

struct dt_block {
	char *buf;
	size_t len, pos;
	int status;
	uint64_t raw_off;		/* compressed bytes consumed after this block */
};

struct decode_thread {
	pthread_t th;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct dt_block blocks[DT_BLOCKS];
	unsigned head, count;		/* consumer's block, blocks filled */
	bool stop, finished;
	uint64_t consumer_raw_off;	/* raw offset of what the consumer took */
};

/*
 * At the end of a regular file: one now shorter than where reading stopped,
 * or than it was when opened, was truncated under us (logrotate's
 * copytruncate, a user's "> file"). What was read is scanned, but the rest
 * is gone: an error, so the file is not remembered as read and the exit
 * status says something was lost.
 */
static int check_shrunk(struct reader *r)
{
	struct stat sb;

	if (!r->regular || fstat(r->fd, &sb) < 0)
		return 0;
	if ((uint64_t)sb.st_size >= r->fd_pos && r->fd_pos >= r->size_at_open)
		return 0;
	snprintf(r->err, sizeof(r->err),
		 "file shrank while being read (%llu bytes when opened, %llu now, read up to "
		 "byte %llu): truncated by another program?",
		 (unsigned long long)r->size_at_open, (unsigned long long)sb.st_size,
		 (unsigned long long)r->fd_pos);
	r->failed = true;
	return -1;
}

/*
 * Raw bytes from the file descriptor or the caller's source. On error r->err
 * says why and r->failed is set.
 */
static ssize_t raw_read(struct reader *r, void *buf, size_t n)
{
	ssize_t got;

	if (r->source) {
		got = r->source(r->source_data, buf, n, r->err, sizeof(r->err));
		if (got < 0)
			r->failed = true;
		return got;
	}
	do
		got = read(r->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		snprintf(r->err, sizeof(r->err), "read error at byte %llu: %s",
			 (unsigned long long)r->raw_read, strerror(errno));
		r->failed = true;
	}
	return got;
}

static int fill_input(struct reader *r)
{
	ssize_t n;

	if (r->in_pos < r->in_len || r->in_eof)
		return 0;
	n = raw_read(r, r->in, IN_BUFSZ);
	if (n < 0)
		return -1;
	r->in_len = (size_t)n;
	r->in_pos = 0;
	r->raw_read += (uint64_t)n;
	r->fd_pos += (uint64_t)n;
	if (n == 0) {
		r->in_eof = true;
		return check_shrunk(r);
	}
	return 0;
}

static void fail(struct reader *r, const char *what)
{
	snprintf(r->err, sizeof(r->err),
		 "corrupt %s data near compressed byte %llu: %s",
		 reader_format(r), (unsigned long long)r->raw_off, what);
	r->failed = true;
}

static void truncated(struct reader *r)
{
	snprintf(r->err, sizeof(r->err),
		 "truncated %s stream at compressed byte %llu (unexpected end of file)",
		 reader_format(r), (unsigned long long)r->raw_off);
	r->failed = true;
}

/*
 * lz4 frames (what systemd-coredump writes with Compress=lz4): libarchive's
 * raw format with its lz4 filter, fed from our input buffer. Its read
 * callback hands over the bytes already sniffed, then reads on.
 *
 * libarchive is linked for archives (analyzer/scan/bundle.c) anyway; it
 * used to be dlopen()ed here to spare its start-up cost, which linking it
 * for bundles already pays.
 */
static void lz4_end(struct archive *a)
{
	if (a)
		archive_read_free(a);
}

static la_ssize_t lz4_read_cb(struct archive *a, void *data, const void **buf)
{
	struct reader *r = data;

	(void)a;
	if (fill_input(r) < 0)
		return -1;
	*buf = r->in + r->in_pos;
	{
		size_t k = r->in_len - r->in_pos;
		r->in_pos = r->in_len;
		r->raw_off += k;
		return (la_ssize_t)k;
	}
}

static bool lz4_init(struct reader *r)
{
	struct archive_entry *e;
	struct archive *a = archive_read_new();

	r->u.a = a;
	if (!a) {
		snprintf(r->err, sizeof(r->err), "out of memory starting the lz4 reader");
		return false;
	}
	if (archive_read_support_filter_lz4(a) != ARCHIVE_OK ||
	    archive_read_support_format_raw(a) != ARCHIVE_OK ||
	    archive_read_open(a, r, NULL, lz4_read_cb, NULL) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		const char *msg = archive_error_string(a);
		snprintf(r->err, sizeof(r->err), "corrupt or truncated lz4 stream: %s",
			 msg ? msg : "unreadable");
		lz4_end(a);
		r->u.a = NULL;
		return false;
	}
	return true;
}

static ssize_t read_lz4(struct reader *r, char *buf, size_t n)
{
	la_ssize_t got = archive_read_data(r->u.a, buf, n);

	if (got < 0) {
		const char *msg = archive_error_string(r->u.a);
		if (msg && strstr(msg, "runcated"))
			truncated(r);
		else
			fail(r, msg ? msg : "lz4 decoding error");
		return -1;
	}
	return (ssize_t)got;
}

static bool decoder_init(struct reader *r)
{
	switch (r->fmt) {
	case FMT_PLAIN:
		return true;
	case FMT_GZIP:
		memset(&r->u.z, 0, sizeof(r->u.z));
		/* 16 + MAX_WBITS: gzip wrapper only. */
		return inflateInit2(&r->u.z, 16 + MAX_WBITS) == Z_OK;
	case FMT_XZ:
		r->u.x = (lzma_stream)LZMA_STREAM_INIT;
		/* A 1 GiB dictionary cap bounds memory on hostile input. */
		return lzma_stream_decoder(&r->u.x, 1ULL << 30, LZMA_CONCATENATED) == LZMA_OK;
	case FMT_ZSTD:
		r->u.zs = ZSTD_createDStream();
		if (!r->u.zs)
			return false;
		/* Refuse frames that would need more than 128 MiB windows. */
		ZSTD_DCtx_setParameter(r->u.zs, ZSTD_d_windowLogMax, 27);
		return true;
	case FMT_BZIP2:
		memset(&r->u.b, 0, sizeof(r->u.b));
		return BZ2_bzDecompressInit(&r->u.b, 0, 0) == BZ_OK;
	case FMT_LZ4:
		return lz4_init(r);
	}
	return false;
}

static void decoder_end(struct reader *r)
{
	switch (r->fmt) {
	case FMT_PLAIN:
		break;
	case FMT_GZIP:
		inflateEnd(&r->u.z);
		break;
	case FMT_XZ:
		lzma_end(&r->u.x);
		break;
	case FMT_ZSTD:
		ZSTD_freeDStream(r->u.zs);
		break;
	case FMT_BZIP2:
		BZ2_bzDecompressEnd(&r->u.b);
		break;
	case FMT_LZ4:
		lz4_end(r->u.a);
		break;
	}
}

static enum reader_fmt sniff(const unsigned char *b, size_t n)
{
	if (n >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 8)
		return FMT_GZIP;
	if (n >= 6 && !memcmp(b, "\xfd" "7zXZ\0", 6))
		return FMT_XZ;
	if (n >= 4 && !memcmp(b, "\x28\xb5\x2f\xfd", 4))
		return FMT_ZSTD;
	if (n >= 4 && b[0] == 'B' && b[1] == 'Z' && b[2] == 'h' &&
	    b[3] >= '1' && b[3] <= '9')
		return FMT_BZIP2;
	if (n >= 4 && !memcmp(b, "\x04\x22\x4d\x18", 4))
		return FMT_LZ4;
	return FMT_PLAIN;
}

struct reader *reader_open_at(const char *path, uint64_t offset, char *errbuf,
			      size_t errlen)
{
	struct reader *r = xcalloc(1, sizeof(*r));

	if (!strcmp(path, "-")) {
		r->fd = 0;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			snprintf(errbuf, errlen, "%s", strerror(errno));
			free(r);
			return NULL;
		}
		r->own_fd = true;
		if (offset && lseek(r->fd, (off_t)offset, SEEK_SET) < 0) {
			snprintf(errbuf, errlen, "seek: %s", strerror(errno));
			close(r->fd);
			free(r);
			return NULL;
		}
		r->fd_pos = offset;
		{
			struct stat sb;
			if (!fstat(r->fd, &sb) && S_ISREG(sb.st_mode)) {
				r->regular = true;
				r->size_at_open = (uint64_t)sb.st_size;
			}
		}
	}
	r->in = xmalloc(IN_BUFSZ);
	if (fill_input(r) < 0) {
		snprintf(errbuf, errlen, "%s", r->err);
		reader_close(r);
		return NULL;
	}
	/* Compressed files are only sniffed at their start. */
	r->fmt = offset ? FMT_PLAIN : sniff(r->in, r->in_len);
	r->raw_off = offset;
	if (!decoder_init(r)) {
		if (r->err[0])
			snprintf(errbuf, errlen, "%s", r->err);
		else
			snprintf(errbuf, errlen, "cannot initialise %s decoder", reader_format(r));
		r->fmt = FMT_PLAIN;
		reader_close(r);
		return NULL;
	}
	r->stream_active = true;
	return r;
}

struct reader *reader_open_source(reader_source_fn fn, void *data, char *errbuf,
				  size_t errlen)
{
	struct reader *r = xcalloc(1, sizeof(*r));

	r->fd = -1;
	r->source = fn;
	r->source_data = data;
	r->in = xmalloc(IN_BUFSZ);
	if (fill_input(r) < 0) {
		snprintf(errbuf, errlen, "%s", r->err);
		reader_close(r);
		return NULL;
	}
	r->fmt = sniff(r->in, r->in_len);
	if (!decoder_init(r)) {
		snprintf(errbuf, errlen, "cannot initialise %s decoder", reader_format(r));
		r->fmt = FMT_PLAIN;
		reader_close(r);
		return NULL;
	}
	r->stream_active = true;
	return r;
}

struct reader *reader_open(const char *path, char *errbuf, size_t errlen)
{
	return reader_open_at(path, 0, errbuf, errlen);
}

/* Skip zero padding between/after members (gzip tails, tape blocks). */
static void skip_padding(struct reader *r)
{
	while (r->in_pos < r->in_len && r->in[r->in_pos] == 0) {
		r->in_pos++;
		r->raw_off++;
	}
}

static ssize_t read_gzip(struct reader *r, char *buf, size_t n)
{
	z_stream *z = &r->u.z;

	for (;;) {
		int ret;
		size_t before_in, produced;

		if (fill_input(r) < 0)
			return -1;
		if (!r->stream_active) {
			/* Between members: another member follows, or EOF. */
			skip_padding(r);
			if (r->in_pos == r->in_len) {
				if (r->in_eof)
					return 0;
				continue;
			}
			if (inflateReset(z) != Z_OK) {
				fail(r, "inflateReset");
				return -1;
			}
			r->stream_active = true;
		}
		if (r->in_pos == r->in_len && r->in_eof) {
			truncated(r);
			return -1;
		}
		z->next_in = r->in + r->in_pos;
		z->avail_in = (uInt)(r->in_len - r->in_pos);
		z->next_out = (Bytef *)buf;
		z->avail_out = (uInt)n;
		before_in = z->avail_in;
		ret = inflate(z, Z_NO_FLUSH);
		r->in_pos += before_in - z->avail_in;
		r->raw_off += before_in - z->avail_in;
		produced = n - z->avail_out;
		if (ret == Z_STREAM_END)
			r->stream_active = false;
		else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			fail(r, z->msg ? z->msg : "inflate error");
			if (produced)
				return (ssize_t)produced;	/* error reported next call */
			return -1;
		}
		if (produced)
			return (ssize_t)produced;
	}
}

static ssize_t read_xz(struct reader *r, char *buf, size_t n)
{
	lzma_stream *x = &r->u.x;

	for (;;) {
		lzma_ret ret;
		size_t before_in, produced;

		if (fill_input(r) < 0)
			return -1;
		x->next_in = r->in + r->in_pos;
		x->avail_in = r->in_len - r->in_pos;
		x->next_out = (uint8_t *)buf;
		x->avail_out = n;
		before_in = x->avail_in;
		ret = lzma_code(x, r->in_eof ? LZMA_FINISH : LZMA_RUN);
		r->in_pos += before_in - x->avail_in;
		r->raw_off += before_in - x->avail_in;
		produced = n - x->avail_out;
		if (ret == LZMA_STREAM_END)
			return (ssize_t)produced;	/* 0 means EOF */
		if (ret != LZMA_OK) {
			if (ret == LZMA_BUF_ERROR && r->in_eof)
				truncated(r);
			else
				fail(r, ret == LZMA_DATA_ERROR ? "data error" :
					ret == LZMA_FORMAT_ERROR ? "format error" :
					ret == LZMA_MEMLIMIT_ERROR ? "memory limit" :
					"decoder error");
			if (produced)
				return (ssize_t)produced;
			return -1;
		}
		if (produced)
			return (ssize_t)produced;
		if (r->in_eof && x->avail_in == 0) {
			truncated(r);
			return -1;
		}
	}
}

/*
 * zstd takes its input in slices of ZSTD_SLICE: it consumes a block's bytes
 * as they come and fails only when the block is whole, so what it had
 * consumed then says where the damaged block ends — and the offset where
 * the last block decoded, where it starts. Given all its input at once it
 * consumes nothing before failing, and the damage would be placed at the
 * start of the read (compressed byte 0 for a small file).
 */
#define ZSTD_SLICE 4096

static ssize_t read_zstd(struct reader *r, char *buf, size_t n)
{
	for (;;) {
		ZSTD_inBuffer in;
		ZSTD_outBuffer out = { buf, n, 0 };
		size_t ret;

		if (fill_input(r) < 0)
			return -1;
		if (r->in_pos == r->in_len && r->in_eof) {
			if (r->stream_active) {
				truncated(r);
				return -1;
			}
			return 0;
		}
		in.src = r->in + r->in_pos;
		in.size = r->in_len - r->in_pos < ZSTD_SLICE ? r->in_len - r->in_pos : ZSTD_SLICE;
		in.pos = 0;
		ret = ZSTD_decompressStream(r->u.zs, &out, &in);
		r->in_pos += in.pos;
		r->raw_off += in.pos;
		if (ZSTD_isError(ret)) {
			char what[160];
			/* (a failing call may report nothing consumed: the
			   block ends at most where its input did) */
			snprintf(what, sizeof(what), "%s (the block at compressed bytes %llu-%llu)",
				 ZSTD_getErrorName(ret), (unsigned long long)r->zstd_block_off,
				 (unsigned long long)(r->raw_off + (in.pos ? 0 : in.size)));
			r->raw_off = r->zstd_block_off;
			fail(r, what);
			if (out.pos)
				return (ssize_t)out.pos;
			return -1;
		}
		if (out.pos)	/* a block decoded: the next starts about here */
			r->zstd_block_off = r->raw_off;
		/* ret == 0: a frame ended; the next bytes may start another. */
		r->stream_active = ret != 0;
		if (out.pos)
			return (ssize_t)out.pos;
	}
}

static ssize_t read_bzip2(struct reader *r, char *buf, size_t n)
{
	bz_stream *b = &r->u.b;

	for (;;) {
		int ret;
		size_t before_in, produced;

		if (fill_input(r) < 0)
			return -1;
		if (!r->stream_active) {
			if (r->in_pos == r->in_len) {
				if (r->in_eof)
					return 0;
				continue;
			}
			BZ2_bzDecompressEnd(b);
			memset(b, 0, sizeof(*b));
			if (BZ2_bzDecompressInit(b, 0, 0) != BZ_OK) {
				fail(r, "init");
				return -1;
			}
			r->stream_active = true;
		}
		if (r->in_pos == r->in_len && r->in_eof) {
			truncated(r);
			return -1;
		}
		b->next_in = (char *)r->in + r->in_pos;
		b->avail_in = (unsigned)(r->in_len - r->in_pos);
		b->next_out = buf;
		b->avail_out = (unsigned)n;
		before_in = b->avail_in;
		ret = BZ2_bzDecompress(b);
		r->in_pos += before_in - b->avail_in;
		r->raw_off += before_in - b->avail_in;
		produced = n - b->avail_out;
		if (ret == BZ_STREAM_END)
			r->stream_active = false;
		else if (ret != BZ_OK) {
			fail(r, "bzip2 data error");
			if (produced)
				return (ssize_t)produced;
			return -1;
		}
		if (produced)
			return (ssize_t)produced;
	}
}

static ssize_t decode_some(struct reader *r, char *buf, size_t n)
{
	if (r->failed)
		return -1;
	if (r->done || !n)
		return 0;
	if (n > (1U << 30))
		n = 1U << 30;
	switch (r->fmt) {
	case FMT_PLAIN:
		if (r->in_pos == r->in_len) {
			if (r->in_eof)
				return 0;
			/* Reads of a page or more go straight to the
			   caller's buffer: one copy, not two. */
			if (n >= 4096) {
				ssize_t got = raw_read(r, buf, n);
				if (got < 0)
					return -1;
				r->raw_off += (uint64_t)got;
				r->fd_pos += (uint64_t)got;
				if (got == 0) {
					r->in_eof = true;
					if (check_shrunk(r) < 0)
						return -1;
				}
				return got;
			}
			if (fill_input(r) < 0)
				return -1;
			if (r->in_len == 0)
				return 0;
		}
		{
			size_t k = r->in_len - r->in_pos;
			if (k > n)
				k = n;
			memcpy(buf, r->in + r->in_pos, k);
			r->in_pos += k;
			r->raw_off += k;
			return (ssize_t)k;
		}
	case FMT_GZIP:
		return read_gzip(r, buf, n);
	case FMT_XZ:
		return read_xz(r, buf, n);
	case FMT_ZSTD:
		return read_zstd(r, buf, n);
	case FMT_BZIP2:
		return read_bzip2(r, buf, n);
	case FMT_LZ4:
		return read_lz4(r, buf, n);
	}
	return -1;
}

static void *decode_main(void *arg)
{
	struct reader *r = arg;
	struct decode_thread *dt = r->dt;
	unsigned tail = 0;

	for (;;) {
		struct dt_block *b;
		ssize_t got;
		size_t len = 0;

		pthread_mutex_lock(&dt->lock);
		while (dt->count == DT_BLOCKS && !dt->stop)
			pthread_cond_wait(&dt->cond, &dt->lock);
		if (dt->stop) {
			pthread_mutex_unlock(&dt->lock);
			return NULL;
		}
		pthread_mutex_unlock(&dt->lock);
		b = &dt->blocks[tail];
		/* Fill the block as far as the decoder goes without blocking. */
		do {
			got = decode_some(r, b->buf + len, DT_BLOCK_SIZE - len);
			if (got > 0)
				len += (size_t)got;
		} while (got > 0 && len < DT_BLOCK_SIZE / 2);
		pthread_mutex_lock(&dt->lock);
		b->len = len;
		b->pos = 0;
		b->status = got < 0 && !len ? -1 : 0;
		b->raw_off = r->raw_off;
		dt->count++;
		if (got <= 0 && len) {
			/* Publish the data first; the end (or error) comes next. */
			tail = (tail + 1) % DT_BLOCKS;
			while (dt->count == DT_BLOCKS && !dt->stop)
				pthread_cond_wait(&dt->cond, &dt->lock);
			if (!dt->stop) {
				dt->blocks[tail].len = 0;
				dt->blocks[tail].pos = 0;
				dt->blocks[tail].status = got < 0 ? -1 : 0;
				dt->blocks[tail].raw_off = r->raw_off;
				dt->count++;
			}
		}
		pthread_cond_broadcast(&dt->cond);
		if (got <= 0)
			dt->finished = true;
		pthread_mutex_unlock(&dt->lock);
		if (got <= 0)
			return NULL;
		tail = (tail + 1) % DT_BLOCKS;
	}
}

void reader_start_thread(struct reader *r)
{
	struct decode_thread *dt;

	if (r->fmt == FMT_PLAIN || r->dt)
		return;
	dt = xcalloc(1, sizeof(*dt));
	pthread_mutex_init(&dt->lock, NULL);
	pthread_cond_init(&dt->cond, NULL);
	for (int i = 0; i < DT_BLOCKS; i++)
		dt->blocks[i].buf = xmalloc(DT_BLOCK_SIZE);
	r->dt = dt;
	if (pthread_create(&dt->th, NULL, decode_main, r)) {
		/* No thread: decode in the caller as before. */
		for (int i = 0; i < DT_BLOCKS; i++)
			free(dt->blocks[i].buf);
		pthread_mutex_destroy(&dt->lock);
		pthread_cond_destroy(&dt->cond);
		free(dt);
		r->dt = NULL;
	}
}

size_t reader_peek(struct reader *r, const char **head)
{
	if (!r->peek && !r->dt) {
		r->peek = xmalloc(READER_PEEK_SIZE);
		while (r->peek_len < READER_PEEK_SIZE) {
			ssize_t got = decode_some(r, r->peek + r->peek_len,
						  READER_PEEK_SIZE - r->peek_len);
			if (got <= 0)
				break;	/* an error stays in r->failed for reader_read() */
			r->peek_len += (size_t)got;
		}
	}
	*head = r->peek ? r->peek + r->peek_pos : "";
	return r->peek ? r->peek_len - r->peek_pos : 0;
}

ssize_t reader_read(struct reader *r, char *buf, size_t n)
{
	struct decode_thread *dt = r->dt;
	struct dt_block *b;
	ssize_t ret;

	if (r->peek_pos < r->peek_len) {
		size_t k = r->peek_len - r->peek_pos < n ? r->peek_len - r->peek_pos : n;
		memcpy(buf, r->peek + r->peek_pos, k);
		r->peek_pos += k;
		return (ssize_t)k;
	}
	if (!dt)
		return decode_some(r, buf, n);
	pthread_mutex_lock(&dt->lock);
	while (!dt->count)
		pthread_cond_wait(&dt->cond, &dt->lock);
	b = &dt->blocks[dt->head];
	if (b->status < 0) {
		ret = -1;		/* stays: every later call fails too */
	} else if (!b->len) {
		ret = 0;		/* end of input, stays */
	} else {
		size_t k = b->len - b->pos < n ? b->len - b->pos : n;
		memcpy(buf, b->buf + b->pos, k);
		b->pos += k;
		ret = (ssize_t)k;
		if (b->pos == b->len) {
			dt->consumer_raw_off = b->raw_off;
			dt->head = (dt->head + 1) % DT_BLOCKS;
			dt->count--;
			pthread_cond_broadcast(&dt->cond);
		}
	}
	pthread_mutex_unlock(&dt->lock);
	return ret;
}

const char *reader_error(const struct reader *r)
{
	return r->failed ? r->err : NULL;
}

const char *reader_format(const struct reader *r)
{
	static const char *const names[] = { "plain", "gzip", "xz", "zstd", "bzip2", "lz4" };
	return names[r->fmt];
}

uint64_t reader_raw_offset(struct reader *r)
{
	uint64_t off;

	if (!r->dt)
		return r->raw_off;
	/* The decoding thread owns raw_off; blocks carry it across. */
	pthread_mutex_lock(&r->dt->lock);
	off = r->dt->consumer_raw_off;
	pthread_mutex_unlock(&r->dt->lock);
	return off;
}

void reader_close(struct reader *r)
{
	if (!r)
		return;
	if (r->dt) {
		pthread_mutex_lock(&r->dt->lock);
		r->dt->stop = true;
		pthread_cond_broadcast(&r->dt->cond);
		pthread_mutex_unlock(&r->dt->lock);
		pthread_join(r->dt->th, NULL);
		for (int i = 0; i < DT_BLOCKS; i++)
			free(r->dt->blocks[i].buf);
		pthread_mutex_destroy(&r->dt->lock);
		pthread_cond_destroy(&r->dt->cond);
		free(r->dt);
	}
	if (r->stream_active || r->fmt != FMT_PLAIN)
		decoder_end(r);
	if (r->own_fd)
		close(r->fd);
	free(r->peek);
	free(r->in);
	free(r);
}
