/*
** scan: open one input, tell what it is from its first decompressed bytes
** and hand it to the scanner for that kind (scan_impl.h).
*/
#include "scan.h"
#include "coredump.h"
#include "scan_impl.h"
#include "testpause.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void scan_stats_release(struct scan_stats *stats)
{
	for (size_t i = 0; i < stats->nr_facts; i++) {
		struct scan_host_facts *f = &stats->facts[i];
		free(f->host);
		free(f->release);
		free(f->build);
		free(f->hardware);
		free(f->hypervisor);
		free(f->arch);
		free(f->cmdline);
	}
	free(stats->facts);
	stats->facts = NULL;
	stats->nr_facts = 0;
	for (size_t i = 0; i < stats->nr_member_paths; i++)
		free(stats->member_paths[i]);
	free(stats->member_paths);
	stats->member_paths = NULL;
	stats->nr_member_paths = 0;
}

int scan_input(const char *path, const struct scan_options *opts,
	       const struct scan_hooks *hooks, struct scan_stats *stats)
{
	char err[256];
	struct reader *r;
	uint64_t base = opts->start_offset;
	bool chunked = opts->chunk_end > 0;
	enum input_kind kind = INPUT_LOG;
	int ret;

	memset(stats, 0, sizeof(*stats));
	if (!chunked && !base && strcmp(path, "-") && coredump_sniff(path))
		return scan_core(path, opts, hooks, stats);
	if (chunked)
		base = opts->chunk_start > CHUNK_WARMUP ? opts->chunk_start - CHUNK_WARMUP : 0;
	test_pause("open");
	r = reader_open_at(path, base, err, sizeof(err));
	if (!r) {
		error("%s: %s", path, err);
		stats->read_error = true;
		return -1;
	}
	/*
	 * Only a whole input is sniffed: chunks and resumed reads are of plain
	 * logs (the runner and the incremental planner only split or resume
	 * those).
	 */
	if (!chunked && !base) {
		const char *head;
		size_t n = reader_peek(r, &head);
		kind = sniff_input(head, n);
	}
	stats->input_kind = input_kind_name(kind);
	reader_start_thread(r);
	if (kind == INPUT_ARCHIVE) {
		struct archive_budget budget = { { ARCHIVE_MAX_MEMBERS, ARCHIVE_MAX_BYTES,
						   ARCHIVE_MAX_RATIO }, 0, 0, r };
		if (opts->archive_limits)
			budget.lim = *opts->archive_limits;
		ret = scan_archive(r, path, opts, hooks, stats, &budget, 0);
	} else {
		ret = scan_stream(r, kind, path, opts, hooks, stats, NULL);
	}
	reader_close(r);
	return ret;
}
