#include "runner.h"
#include "follows.h"
#include "group.h"
#include "reader.h"
#include "sniff.h"
#include "util.h"
#include "walltime.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct file_facts;

/* What a worker hands to delivery: a record, or the end of an archive member. */
struct qitem {
	struct incident *inc;
	char *member;			/* "ARCHIVE:member" when inc is NULL */
	struct scan_stats member_stats;
	bool member_failed;
};

struct job {
	const char *path;
	const char *host;
	uint64_t chunk_start, chunk_end;	/* both 0: the whole file */
	uint64_t resume_offset;
	unsigned long line_base;
	bool first_chunk, last_chunk;
	struct qitem *q;		/* records waiting for delivery */
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
	/* The delivering side: floods are grouped here, after chunks are
	   stitched back together, so a flood across a chunk edge stays one. */
	struct grouper *grouper;
	struct job *delivering_job;
	struct file_facts *ff;
	struct prefilter *pf;		/* one for all workers (read-only) */
	/* "First cause first": the file being delivered, after grouping. */
	struct follows_tracker *follows;
};

struct file_ctx {			/* one file being scanned by one worker */
	struct runner *r;
	struct job *job;
	size_t index;
	time_t reference;		/* the file's mtime (stdin: now), see walltime.h */
};

static void deliver_one(struct runner *r, struct qitem *it);

/* Prepared incidents go to the job's queue (or straight out). */
static void enqueue(struct file_ctx *fc, struct qitem *it)
{
	struct runner *r = fc->r;
	struct job *job = fc->job;

	if (r->workers <= 1) {		/* no threads: deliver right away */
		deliver_one(r, it);
		return;
	}
	pthread_mutex_lock(&r->lock);
	while (fc->index != r->delivering && job->nr - job->head >= RUNNER_QUEUE_MAX)
		pthread_cond_wait(&r->changed, &r->lock);
	ALLOC_GROW(job->q, job->nr + 1, job->alloc);
	job->q[job->nr++] = *it;
	pthread_cond_broadcast(&r->changed);
	pthread_mutex_unlock(&r->lock);
}

/* An archive member ended: floods never span members (as files). */
static void take_member(void *data, char *path, const struct scan_stats *st, bool failed)
{
	struct qitem it = { NULL, path, *st, failed };

	enqueue(data, &it);
}

static void take_incident(void *data, struct incident *inc)
{
	struct file_ctx *fc = data;
	char when[64];

	if (inc->wall && !inc->wall_inferred &&
	    walltime_infer_year(inc->wall, fc->reference, when, sizeof(when)))
		inc->wall_inferred = xstrdup(when);
	if (fc->r->ops->prepare)
		fc->r->ops->prepare(fc->r->ops->data, inc);
	{
		struct qitem it = { inc, NULL, { 0 }, false };
		enqueue(fc, &it);
	}
}

static void scan_job(struct runner *r, size_t i)
{
	struct file_ctx fc = { r, &r->jobs[i], i, time(NULL) };
	struct scan_hooks hooks = { take_incident, NULL, &fc, take_member };
	struct scan_options opts = { 0 };
	struct stat sb;

	if (strcmp(r->jobs[i].path, "-") && !stat(r->jobs[i].path, &sb) && S_ISREG(sb.st_mode))
		fc.reference = sb.st_mtime;

	if (r->ops->scan)
		opts = *r->ops->scan;
	if (r->jobs[i].host)
		opts.host = r->jobs[i].host;
	opts.chunk_start = r->jobs[i].chunk_start;
	opts.chunk_end = r->jobs[i].chunk_end;
	opts.start_offset = r->jobs[i].resume_offset;
	opts.line_base = r->jobs[i].line_base;
	if (!opts.prefilter)
		opts.prefilter = r->pf;
	r->jobs[i].failed = scan_input(r->jobs[i].path, &opts, &hooks,
				       &r->jobs[i].stats) < 0;
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

/* What earlier chunks of the file being delivered knew; see fix_chunked(). */
struct file_facts {
	unsigned long lines_before;
	struct scan_host_facts *facts;	/* borrowed from the jobs' stats */
	size_t nr;
};

static const struct scan_host_facts *facts_for(const struct file_facts *ff, const char *host)
{
	for (size_t i = ff->nr; i-- > 0;)
		if ((!host && !ff->facts[i].host) ||
		    (host && ff->facts[i].host && !strcmp(host, ff->facts[i].host)))
			return &ff->facts[i];
	return NULL;
}

/*
 * An incident of a later chunk: line numbers become the file's, and boot
 * facts the chunk never saw (its host booted in an earlier chunk) come from
 * what the earlier chunks knew.
 */
static void fix_chunked(const struct file_facts *ff, struct incident *inc)
{
	const struct scan_host_facts *f = facts_for(ff, inc->host);
	const struct extra *flood = incident_extra(inc, "flood");

	incident_rebase_lines(inc, (long)ff->lines_before);
	if (flood && flood->str) {
		/* "HOST:LINE" or "LINE": the flood id holds a line number too. */
		const char *colon = strrchr(flood->str, ':');
		char buf[300];
		unsigned long n = strtoul(colon ? colon + 1 : flood->str, NULL, 10);
		if (colon)
			snprintf(buf, sizeof(buf), "%.*s:%lu", (int)(colon - flood->str),
				 flood->str, n + ff->lines_before);
		else
			snprintf(buf, sizeof(buf), "%lu", n + ff->lines_before);
		incident_extra_str(inc, "flood", buf);
	}
	/* A boot that began before the chunk: as the earlier chunks last saw
	   it, else the host's lines start before any boot is seen (line 1). */
	if (inc->boot_line)
		inc->boot_line += ff->lines_before;
	else
		inc->boot_line = f && f->boot_line ? f->boot_line : 1;
	/* Its chunk saw its boot start: what it has is all there is. */
	if (!f || inc->boot_seen)
		return;
	incident_fill_kernel(inc, f->release, f->build, f->hardware, f->hypervisor,
			     f->arch, f->cmdline);
}

static void facts_absorb(struct file_facts *ff, const struct job *job)
{
	unsigned long base = ff->lines_before;

	ff->lines_before += job->stats.lines;
	for (size_t i = 0; i < job->stats.nr_facts; i++) {
		const struct scan_host_facts *nf = &job->stats.facts[i];
		struct scan_host_facts *old = (struct scan_host_facts *)facts_for(ff, nf->host);
		if (!old) {
			ff->facts = xrealloc(ff->facts, (ff->nr + 1) * sizeof(*ff->facts));
			old = &ff->facts[ff->nr++];
			memset(old, 0, sizeof(*old));
			old->host = nf->host;
		}
		/* A boot that started in this chunk replaces what came before;
		   otherwise later facts win. Strings stay owned by the stats. */
		if (nf->began) {
			const char *h = old->host;
			unsigned long boot_line = old->boot_line;
			*old = *nf;
			old->host = (char *)h;
			old->boot_line = nf->boot_line ? nf->boot_line + base : boot_line;
			continue;
		}
		if (nf->boot_line)
			old->boot_line = nf->boot_line + base;
		if (nf->release) old->release = nf->release;
		if (nf->build) old->build = nf->build;
		if (nf->hardware) old->hardware = nf->hardware;
		if (nf->hypervisor) old->hypervisor = nf->hypervisor;
		if (nf->arch) old->arch = nf->arch;
		if (nf->cmdline) old->cmdline = nf->cmdline;
	}
}

static void deliver_grouped(void *data, struct incident *inc)
{
	struct runner *r = data;

	follows_link(r->follows, inc);
	r->ops->deliver(r->ops->data, inc);
}

/* In the delivering thread, in input order. */
static void deliver_one(struct runner *r, struct qitem *it)
{
	const struct job *job = r->delivering_job;
	struct incident *inc = it->inc;

	if (!inc) {
		if (r->grouper) {
			grouper_finish(r->grouper);
			r->grouper = grouper_new(deliver_grouped, r);
		}
		if (r->ops->member_done)
			r->ops->member_done(r->ops->data, it->member, &it->member_stats,
					    it->member_failed);
		free(it->member);
		return;
	}

	if (job->chunk_end && !job->first_chunk)
		fix_chunked(r->ff, inc);
	if (r->grouper)
		grouper_add(r->grouper, inc);
	else
		deliver_grouped(r, inc);
}

/* A job's incidents are about to be delivered. */
static void begin_job(struct runner *r, struct job *job, struct file_facts *ff)
{
	r->delivering_job = job;
	r->ff = ff;
	if (!job->first_chunk)
		return;
	/* Floods never span files, and neither do boots. */
	grouper_finish(r->grouper);
	r->grouper = r->ops->group ? grouper_new(deliver_grouped, r) : NULL;
	follows_free(r->follows);
	r->follows = follows_new();
	ff->lines_before = 0;
	ff->nr = 0;
}

/* A job's incidents are all delivered; true when its file is complete. */
static bool end_job(struct runner *r, size_t i, size_t file_first)
{
	struct job *job = &r->jobs[i];

	if (job->chunk_end) {
		facts_absorb(r->ff, job);
		if (!job->last_chunk)
			return false;
		job->stats.lines = r->ff->lines_before;
		for (size_t k = file_first; k < i; k++) {
			job->stats.incidents += r->jobs[k].stats.incidents;
			job->stats.cut_lines += r->jobs[k].stats.cut_lines;
			job->failed |= r->jobs[k].failed;
		}
	}
	grouper_finish(r->grouper);
	r->grouper = NULL;
	follows_free(r->follows);
	r->follows = NULL;
	return true;
}

/* The delivering thread: each job's queue in turn, as it fills. */
static void deliver_all(struct runner *r)
{
	struct file_facts ff = { 0, NULL, 0 };
	size_t file_first = 0;

	for (size_t i = 0; i < r->nr_jobs; i++) {
		struct job *job = &r->jobs[i];

		if (job->first_chunk)
			file_first = i;
		pthread_mutex_lock(&r->lock);
		begin_job(r, job, &ff);
		pthread_mutex_unlock(&r->lock);

		pthread_mutex_lock(&r->lock);
		r->delivering = i;
		pthread_cond_broadcast(&r->changed);
		for (;;) {
			while (job->head == job->nr && !job->done)
				pthread_cond_wait(&r->changed, &r->lock);
			if (job->head == job->nr)
				break;
			struct qitem it = job->q[job->head++];
			pthread_cond_broadcast(&r->changed);
			pthread_mutex_unlock(&r->lock);
			deliver_one(r, &it);
			pthread_mutex_lock(&r->lock);
		}
		pthread_mutex_unlock(&r->lock);
		free(job->q);
		job->q = NULL;
		if (end_job(r, i, file_first) && r->ops->file_done)
			r->ops->file_done(r->ops->data, job->path, &job->stats, job->failed);
	}
	free(ff.facts);
}

/* Size of a regular, uncompressed file (only those can be split). */
static uint64_t plain_file_size(const char *path)
{
	struct stat sb;
	char err[64];
	struct reader *rd;
	bool plain;

	if (!strcmp(path, "-") || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return 0;
	rd = reader_open(path, err, sizeof(err));
	if (!rd)
		return 0;
	plain = !strcmp(reader_format(rd), "plain");
	if (plain) {
		/* A plain tar, a profile or a /proc capture is read whole. */
		const char *head;
		size_t n = reader_peek(rd, &head);
		plain = sniff_input(head, n) == INPUT_LOG;
	}
	reader_close(rd);
	/* A core dump is one record, read whole (scan.h), never in chunks. */
	if (plain) {
		unsigned char head[4];
		FILE *f = fopen(path, "rb");
		if (f) {
			if (fread(head, 1, 4, f) == 4 && !memcmp(head, "\x7f" "ELF", 4))
				plain = false;
			fclose(f);
		}
	}
	return plain ? (uint64_t)sb.st_size : 0;
}

unsigned runner_run(char *const *paths, char *const *hosts,
		    const struct runner_resume *resume, size_t nr,
		    unsigned workers, const struct runner_ops *ops)
{
	struct runner r;
	pthread_t *threads = NULL;
	unsigned failed = 0, started = 0;
	uint64_t *sizes, total = 0;

	memset(&r, 0, sizeof(r));
	r.ops = ops;
	r.nr_jobs = nr;
	r.jobs = xcalloc(nr ? nr : 1, sizeof(*r.jobs));
	r.workers = workers ? workers : 1;
	r.nr_jobs = 0;
	sizes = xcalloc(nr ? nr : 1, sizeof(*sizes));
	for (size_t i = 0; i < nr; i++) {
		struct stat sb;
		bool resumed = resume && resume[i].offset;

		if (r.workers > 1 && ops->chunk_size && !resumed)
			sizes[i] = plain_file_size(paths[i]);
		/* Compressed and resumed files count as work too (roughly). */
		total += sizes[i] ? sizes[i] : strcmp(paths[i], "-") && !stat(paths[i], &sb) ?
			 (uint64_t)sb.st_size : 0;
	}
	for (size_t i = 0; i < nr; i++) {
		bool resumed = resume && resume[i].offset;
		uint64_t size = sizes[i];
		/*
		 * Split only a file larger than a worker's fair share of all the
		 * work: two equal files for two workers are scanned whole (each
		 * chunk re-reads CHUNK_WARMUP bytes before its start for nothing).
		 */
		size_t parts = size >= 2 * ops->chunk_size && size * r.workers > total ?
			       (size_t)(size / ops->chunk_size) : 1;

		if (parts > 1)
			r.jobs = xrealloc(r.jobs, (r.nr_jobs + parts + (nr - i)) * sizeof(*r.jobs));
		for (size_t c = 0; c < parts; c++) {
			struct job *job = &r.jobs[r.nr_jobs++];
			memset(job, 0, sizeof(*job));
			job->path = paths[i];
			job->host = hosts ? hosts[i] : NULL;
			job->first_chunk = c == 0;
			job->last_chunk = c == parts - 1;
			if (resumed) {
				job->resume_offset = resume[i].offset;
				job->line_base = resume[i].line_base;
			}
			if (parts > 1) {
				job->chunk_start = size / parts * c;
				job->chunk_end = c == parts - 1 ? UINT64_MAX : size / parts * (c + 1);
			}
		}
	}
	free(sizes);
	if (r.nr_jobs && !(ops->scan && (ops->scan->no_prefilter || ops->scan->prefilter)))
		r.pf = prefilter_new();
	if (r.workers <= 1 || r.nr_jobs <= 1) {
		r.workers = 1;
		struct file_facts ff = { 0, NULL, 0 };
		for (size_t i = 0; i < r.nr_jobs; i++) {
			begin_job(&r, &r.jobs[i], &ff);
			scan_job(&r, i);
			if (end_job(&r, i, i) && ops->file_done)
				ops->file_done(ops->data, r.jobs[i].path, &r.jobs[i].stats,
					       r.jobs[i].failed);
		}
		free(ff.facts);
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
	for (size_t i = 0; i < r.nr_jobs; i++) {
		if (r.jobs[i].last_chunk)
			failed += r.jobs[i].failed;
		scan_stats_release(&r.jobs[i].stats);
	}
	free(r.jobs);
	prefilter_free(r.pf);
	return failed;
}
