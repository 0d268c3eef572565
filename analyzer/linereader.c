#define _GNU_SOURCE
#include "linereader.h"
#include "testpause.h"
#include "util.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <pthread.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include <stdlib.h>
#include <string.h>

#define BUFSZ (1024 * 1024)
/*
 * Plain files are mapped in windows of this size rather than read(): no
 * copy through the kernel, and peak RSS stays near one window whatever the
 * file size (a window is unmapped when the next one is mapped).
 */
#define MAP_WINDOW (32u << 20)

struct linereader {
	struct reader *r;
	char *buf;		/* BUFSZ + 1 bytes, or the mapped window */
	size_t start, end;	/* unread window */
	uint64_t offset;	/* decompressed offset of buf[start] */
	unsigned long lineno;
	unsigned long cut_lines;
	bool eof, error, skipping;
	uint64_t complete_offset;	/* after the last '\n'-ended line */
	unsigned long complete_lines;
	/* Mapped mode (fd >= 0): buf holds file bytes [win_off, win_off + end). */
	int fd;
	uint64_t win_off, file_size, window;
	char *map;		/* the mapping (page-aligned, may start before buf) */
	size_t map_len;
	/* Set by the SIGBUS handler: pages of the window vanished (the file
	   was truncated under us) and now read as zeros. */
	volatile sig_atomic_t faulted;
	char err[200];		/* our own read errors (else the reader's) */
};

/*
 * A mapped file truncated by another program while we read it (logrotate's
 * copytruncate on a log that was quiet for five minutes) makes every access
 * past its new end fault with SIGBUS. The handler maps zero pages over the
 * rest of the window, so the access completes, and flags the linereader,
 * which then stops at the file's new end and reports it.
 *
 * Why a thread-local: SIGBUS goes to the thread that touched the page, and
 * a signal handler has no other way to find that thread's linereader. It is
 * set only while a linereader has a window mapped (one per thread: a second
 * one in the same thread reads with read() instead). A SIGBUS anywhere else
 * is a bug: the default action (a core dump) then runs as it would have.
 */
static _Thread_local struct linereader *mapped_in_this_thread;
static pthread_once_t sigbus_once = PTHREAD_ONCE_INIT;
/* The handler before ours (the default, or a sanitizer's): written once,
   under sigbus_once, before ours is installed. */
static struct sigaction previous_sigbus;

static void on_sigbus(int sig, siginfo_t *si, void *uctx)
{
	struct linereader *lr = mapped_in_this_thread;
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
	uintptr_t at = (uintptr_t)si->si_addr & ~(page - 1);
	uintptr_t map = lr ? (uintptr_t)lr->map : 0;
	uintptr_t map_end = map + (lr ? (lr->map_len + page - 1) & ~(page - 1) : 0);

	(void)uctx;
	if (lr && at >= map && at < map_end &&
	    mmap((void *)at, map_end - at, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
		lr->faulted = 1;
		return;		/* the faulting access is retried and reads 0 */
	}
	/* Not ours: put the previous handler back; the access faults again
	   and it (or the default action, a core dump) deals with it. */
	(void)sig;
	sigaction(SIGBUS, &previous_sigbus, NULL);
}

static void install_sigbus_handler(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, &previous_sigbus);
}

/* Mapped mode: the file is shorter than when it was opened. */
static void file_shrank(struct linereader *lr, uint64_t now)
{
	if (!lr->error)
		snprintf(lr->err, sizeof(lr->err),
			 "file shrank while being read (%llu bytes when opened, %llu now, "
			 "read up to byte %llu): truncated by another program?",
			 (unsigned long long)lr->file_size, (unsigned long long)now,
			 (unsigned long long)(lr->win_off + lr->end));
	lr->error = true;
}

/*
 * After the SIGBUS handler ran: keep only the window's bytes that are still
 * in the file (what lies past its new end reads as zeros), and stop there.
 */
static void handle_fault(struct linereader *lr)
{
	struct stat sb;
	uint64_t now = 0;

	if (!fstat(lr->fd, &sb))
		now = (uint64_t)sb.st_size;
	if (now < lr->win_off + lr->end)
		lr->end = now > lr->win_off + lr->start ? (size_t)(now - lr->win_off) : lr->start;
	lr->faulted = 0;
	file_shrank(lr, now);
}

static int refill(struct linereader *lr);
static void mark_complete(struct linereader *lr);

struct linereader *linereader_new(struct reader *r)
{
	struct linereader *lr = xcalloc(1, sizeof(*lr));
	uint64_t off = 0;
	struct stat sb;

	lr->r = r;
	lr->window = MAP_WINDOW;
	/* KSIFT_MAP_WINDOW (KiB): tests use tiny windows so lines cross them. */
	if (getenv("KSIFT_MAP_WINDOW")) {
		unsigned long kib = strtoul(getenv("KSIFT_MAP_WINDOW"), NULL, 10);
		if (kib >= 4 && kib <= (1u << 20))
			lr->window = (uint64_t)kib << 10;
	}
	lr->fd = mapped_in_this_thread ? -1 : reader_plain_fd(r, &off);
	if (lr->fd >= 0 && !fstat(lr->fd, &sb) && (uint64_t)sb.st_size > off) {
		pthread_once(&sigbus_once, install_sigbus_handler);
		lr->file_size = (uint64_t)sb.st_size;
		lr->win_off = off;	/* nothing mapped yet: start == end == 0 */
		if (refill(lr) == 0)
			return lr;
		lr->error = lr->eof = false;
		lr->err[0] = '\0';
		if (lr->map)
			munmap(lr->map, lr->map_len);
		lr->map = NULL;
		if (mapped_in_this_thread == lr)
			mapped_in_this_thread = NULL;
	}
	lr->fd = -1;
	lr->buf = xmalloc(BUFSZ + 1);
	return lr;
}

void linereader_free(struct linereader *lr)
{
	if (!lr)
		return;
	if (mapped_in_this_thread == lr)
		mapped_in_this_thread = NULL;
	if (lr->map)
		munmap(lr->map, lr->map_len);
	else if (lr->fd < 0)
		free(lr->buf);
	free(lr);
}

unsigned long linereader_cut_lines(const struct linereader *lr)
{
	return lr->cut_lines;
}

/*
 * Mapped mode: map the next window so that it begins with the unread bytes
 * (rounded down to a page) and runs MAP_WINDOW further.
 */
static int remap(struct linereader *lr)
{
	uint64_t at = lr->win_off + lr->start, page = (uint64_t)sysconf(_SC_PAGESIZE);
	uint64_t map_off = at & ~(page - 1), len;
	struct stat sb;
	char *m;

	if (lr->faulted) {
		handle_fault(lr);
		return -1;
	}
	if (lr->win_off + lr->end >= lr->file_size) {
		lr->eof = true;
		return -1;
	}
	/* Never map past the file's end: a file that shrank since it was
	   opened stops here, reported, instead of faulting. */
	if (fstat(lr->fd, &sb) < 0 || (uint64_t)sb.st_size < lr->file_size) {
		file_shrank(lr, fstat(lr->fd, &sb) < 0 ? 0 : (uint64_t)sb.st_size);
		return -1;
	}
	/* Always reach a window past what is mapped now, so a partial line
	   longer than a window still makes progress. */
	len = lr->win_off + lr->end - map_off + lr->window;
	if (len > lr->file_size - map_off)
		len = lr->file_size - map_off;
	m = mmap(NULL, (size_t)len, PROT_READ, MAP_PRIVATE, lr->fd,
		 (off_t)map_off);
	if (m == MAP_FAILED) {
		snprintf(lr->err, sizeof(lr->err), "cannot map bytes %llu-%llu: %s",
			 (unsigned long long)map_off, (unsigned long long)(map_off + len),
			 strerror(errno));
		lr->error = true;
		return -1;
	}
	if (lr->map)
		munmap(lr->map, lr->map_len);
	lr->map = m;
	lr->map_len = (size_t)len;
	mapped_in_this_thread = lr;
	lr->buf = m + (at - map_off);
	lr->end = (size_t)(map_off + len - at);
	lr->start = 0;
	lr->win_off = at;
	test_pause("read");
	return 0;
}

/* Move the unread tail to the front and read more. 0 ok, -1 error/eof. */
static int refill(struct linereader *lr)
{
	ssize_t n;

	if (lr->eof || lr->error)
		return -1;
	if (lr->fd >= 0)
		return remap(lr);
	if (lr->start) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->end == BUFSZ)
		return 0;
	n = reader_read(lr->r, lr->buf + lr->end, BUFSZ - lr->end);
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

		if (lr->faulted) {	/* part of what memchr saw is not the file's */
			handle_fault(lr);
			scanned = 0;
			continue;
		}
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
	if (lr->err[0])
		return lr->err;
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
		if (lr->faulted) {	/* part of what it saw is not the file's */
			handle_fault(lr);
			continue;
		}
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
