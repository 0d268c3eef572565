/*
** runner: scan a list of inputs with N worker threads and deliver every
** incident to one callback in input order (file order, then line order),
** whatever N is. Workers run the whole per-file pipeline (scan, grouping, and
** the caller's `prepare` step: symbolization, signature matching); the
** delivering thread only formats and stores, so it needs no locking.
**
** Memory stays bounded: a worker that runs ahead of the file being delivered
** holds at most RUNNER_QUEUE_MAX incidents before it waits.
**
** Owns: threads, queues and queued incidents; deliver() receives ownership of
** each incident.
*/
#ifndef KSIFT_RUNNER_H
#define KSIFT_RUNNER_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"
#include "scan.h"

#define RUNNER_QUEUE_MAX 256

struct runner_ops {
	/* In a worker thread, before grouping; may be NULL. */
	void (*prepare)(void *data, struct incident *inc);
	/* In the delivering thread, in input order; owns inc. */
	void (*deliver)(void *data, struct incident *inc);
	/* In the delivering thread after a file's last incident. */
	void (*file_done)(void *data, const char *path, const struct scan_stats *st,
			  bool failed);
	void *data;
	bool group;			/* flood grouping (ksift scan's default) */
	const struct scan_options *scan;
	/*
	 * With more than one worker, plain files of at least 2 * chunk_size
	 * bytes are split into chunks scanned in parallel (0: never). Output
	 * is the same as a whole-file scan (tests/prefilter.sh checks).
	 */
	uint64_t chunk_size;
};

/*
 * hosts[i], when hosts and hosts[i] are not NULL, names the host of lines in
 * paths[i] whose wrapper names none (it overrides ops->scan->host).
 * Returns the number of inputs that failed (unreadable, corrupt).
 */
struct runner_resume {		/* where an incremental scan picks up */
	uint64_t offset;
	unsigned long line_base;
};

/* resume[i], when resume is not NULL, starts paths[i] part-way (never chunked). */
unsigned runner_run(char *const *paths, char *const *hosts,
		    const struct runner_resume *resume, size_t nr,
		    unsigned workers, const struct runner_ops *ops);

#endif
