#include "progress.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct progress {
	pthread_mutex_t lock;
	uint64_t total, done;
	unsigned long files, files_done, incidents;
	double start, last_draw;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

struct progress *progress_new(uint64_t total_bytes, unsigned long total_files)
{
	struct progress *p;

	if (!isatty(STDERR_FILENO))
		return NULL;
	p = xcalloc(1, sizeof(*p));
	pthread_mutex_init(&p->lock, NULL);
	p->total = total_bytes;
	p->files = total_files;
	p->start = now();
	return p;
}

static void draw(struct progress *p, bool force)
{
	double t = now(), secs = t - p->start, rate;

	if (!force && t - p->last_draw < 0.2)
		return;
	p->last_draw = t;
	rate = secs > 0 ? (double)p->done / secs : 0;
	fprintf(stderr, "\r\033[K%.0f/%.0f MB, %lu/%lu files, %.0f MB/s, %lu incidents",
		p->done / 1e6, p->total / 1e6, p->files_done, p->files, rate / 1e6,
		p->incidents);
	if (rate > 0 && p->total > p->done)
		fprintf(stderr, ", ETA %.0fs", (double)(p->total - p->done) / rate);
}

void progress_add_bytes(void *arg, uint64_t bytes)
{
	struct progress *p = arg;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->done += bytes;
	draw(p, false);
	pthread_mutex_unlock(&p->lock);
}

void progress_file_done(struct progress *p, unsigned long incidents)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->files_done++;
	p->incidents = incidents;
	draw(p, false);
	pthread_mutex_unlock(&p->lock);
}

void progress_finish(struct progress *p)
{
	if (!p)
		return;
	fputs("\r\033[K", stderr);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
