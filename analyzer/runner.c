#include "runner.h"
#include "group.h"
#include "util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct job {
	const char *path;
	const char *host;
	struct incident **q;		/* incidents waiting for delivery */
	size_t head, nr, alloc;
	struct scan_stats stats;
	bool failed, done;
};

struct runner {
	const struct runner_ops *ops;
	struct job *jobs;
	size_t nr_jobs;
	size_t next;			/* next job a worker takes */
	size_t delivering;		/* job whose incidents go out now */
	unsigned workers;
	pthread_mutex_t lock;
	pthread_cond_t changed;
};

struct file_ctx {			/* one file being scanned by one worker */
	struct runner *r;
	struct job *job;
	size_t index;
	struct grouper *grouper;
};

/* Grouped, prepared incidents go to the job's queue (or straight out). */
static void enqueue(void *data, struct incident *inc)
{
	struct file_ctx *fc = data;
	struct runner *r = fc->r;
	struct job *job = fc->job;

	if (r->workers <= 1) {		/* no threads: deliver right away */
		r->ops->deliver(r->ops->data, inc);
		return;
	}
	pthread_mutex_lock(&r->lock);
	while (fc->index != r->delivering && job->nr - job->head >= RUNNER_QUEUE_MAX)
		pthread_cond_wait(&r->changed, &r->lock);
	ALLOC_GROW(job->q, job->nr + 1, job->alloc);
	job->q[job->nr++] = inc;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

static void take_incident(void *data, struct incident *inc)
{
	struct file_ctx *fc = data;

	if (fc->r->ops->prepare)
		fc->r->ops->prepare(fc->r->ops->data, inc);
	if (fc->grouper)
		grouper_add(fc->grouper, inc);
	else
		enqueue(fc, inc);
}

static void scan_job(struct runner *r, size_t i)
{
	struct file_ctx fc = { r, &r->jobs[i], i, NULL };
	struct scan_hooks hooks = { take_incident, NULL, &fc };
	struct scan_options opts = { 0 };

	if (r->ops->scan)
		opts = *r->ops->scan;
	if (r->jobs[i].host)
		opts.host = r->jobs[i].host;
	/* Floods never span files. */
	if (r->ops->group)
		fc.grouper = grouper_new(enqueue, &fc);
	r->jobs[i].failed = scan_input(r->jobs[i].path, &opts, &hooks,
				       &r->jobs[i].stats) < 0;
	grouper_finish(fc.grouper);
}

static void *worker_main(void *arg)
{
	struct runner *r = arg;

	for (;;) {
		size_t i;

		pthread_mutex_lock(&r->lock);
		/* Do not run more than 2N files ahead of delivery. */
		while (r->next < r->nr_jobs && r->next >= r->delivering + 2 * r->workers)
			pthread_cond_wait(&r->changed, &r->lock);
		if (r->next >= r->nr_jobs) {
			pthread_mutex_unlock(&r->lock);
			return NULL;
		}
		i = r->next++;
		pthread_mutex_unlock(&r->lock);
		scan_job(r, i);
		pthread_mutex_lock(&r->lock);
		r->jobs[i].done = true;
		pthread_cond_broadcast(&r->changed);
		pthread_mutex_unlock(&r->lock);
	}
}

/* The delivering thread: each job's queue in turn, as it fills. */
static void deliver_all(struct runner *r)
{
	for (size_t i = 0; i < r->nr_jobs; i++) {
		struct job *job = &r->jobs[i];

		pthread_mutex_lock(&r->lock);
		r->delivering = i;
		pthread_cond_broadcast(&r->changed);
		for (;;) {
			while (job->head == job->nr && !job->done)
				pthread_cond_wait(&r->changed, &r->lock);
			if (job->head == job->nr)
				break;
			struct incident *inc = job->q[job->head++];
			pthread_cond_broadcast(&r->changed);
			pthread_mutex_unlock(&r->lock);
			r->ops->deliver(r->ops->data, inc);
			pthread_mutex_lock(&r->lock);
		}
		pthread_mutex_unlock(&r->lock);
		free(job->q);
		job->q = NULL;
		if (r->ops->file_done)
			r->ops->file_done(r->ops->data, job->path, &job->stats, job->failed);
	}
}

unsigned runner_run(char *const *paths, char *const *hosts, size_t nr,
		    unsigned workers, const struct runner_ops *ops)
{
	struct runner r;
	pthread_t *threads = NULL;
	unsigned failed = 0, started = 0;

	memset(&r, 0, sizeof(r));
	r.ops = ops;
	r.nr_jobs = nr;
	r.jobs = xcalloc(nr ? nr : 1, sizeof(*r.jobs));
	r.workers = workers ? workers : 1;
	for (size_t i = 0; i < nr; i++) {
		r.jobs[i].path = paths[i];
		r.jobs[i].host = hosts ? hosts[i] : NULL;
	}
	if (r.workers <= 1 || nr <= 1) {
		r.workers = 1;
		for (size_t i = 0; i < nr; i++) {
			scan_job(&r, i);
			if (ops->file_done)
				ops->file_done(ops->data, paths[i], &r.jobs[i].stats,
					       r.jobs[i].failed);
		}
	} else {
		pthread_mutex_init(&r.lock, NULL);
		pthread_cond_init(&r.changed, NULL);
		threads = xcalloc(r.workers, sizeof(*threads));
		for (unsigned t = 0; t < r.workers; t++)
			if (!pthread_create(&threads[t], NULL, worker_main, &r))
				started++;
		if (!started)
			die("cannot start worker threads");
		deliver_all(&r);
		for (unsigned t = 0; t < started; t++)
			pthread_join(threads[t], NULL);
		pthread_mutex_destroy(&r.lock);
		pthread_cond_destroy(&r.changed);
		free(threads);
	}
	for (size_t i = 0; i < nr; i++)
		failed += r.jobs[i].failed;
	free(r.jobs);
	return failed;
}
