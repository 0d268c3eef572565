/*
** libFuzzer target: the archive walker (sniffing, libarchive's tar, zip and
** cpio readers, member readers with their own decompression, nested
** archives, host files, the bomb budget) and everything a member goes
** through after it, over arbitrary bytes presented as a file. Limits are
** small so that a generated bomb ends in milliseconds.
*/
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "archive_in.h"
#include "report.h"
#include "scan.h"

static void sink(void *data, struct incident *inc)
{
	struct strbuf *out = data;

	strbuf_reset(out);
	report_json(inc, out);
	incident_free(inc);
}

static void member(void *data, char *path, const struct scan_stats *st, bool failed)
{
	(void)data;
	(void)st;
	(void)failed;
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct prefilter *pf;
	struct archive_limits lim = { 64, 16u << 20, 200 };
	struct strbuf out = STRBUF_INIT;
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { sink, NULL, &out, member };
	struct scan_stats stats;
	char path[64];
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return 0;
	if (!pf)
		pf = prefilter_new();
	opts.prefilter = pf;
	opts.archive_limits = &lim;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		scan_input(path, &opts, &hooks, &stats);
		scan_stats_release(&stats);
		/* and the paths kept for callers without member_done */
		hooks.member_done = NULL;
		scan_input(path, &opts, &hooks, &stats);
		scan_stats_release(&stats);
	}
	close(fd);
	strbuf_release(&out);
	return 0;
}
