/*
** libFuzzer target: the whole pipeline (decompression sniffing, line
** splitting, normalizer, context, segmenter, every parser, titles, JSON and
** text output) over arbitrary bytes presented as a file.
*/
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "report.h"
#include "scan.h"

static void sink(void *data, struct incident *inc)
{
	struct strbuf *out = data;
	struct text_style style = { false, true };

	strbuf_reset(out);
	report_json(inc, out);
	report_text(inc, &style, out);
	incident_free(inc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One for all inputs, as the runner does. */
	static struct prefilter *pf;
	struct strbuf out = STRBUF_INIT;
	struct scan_options opts = { 0 };
	struct scan_hooks hooks = { sink, NULL, &out, NULL };
	struct scan_stats stats;
	char path[64];
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return 0;
	if (!pf)
		pf = prefilter_new();
	opts.prefilter = pf;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		scan_input(path, &opts, &hooks, &stats);
		scan_stats_release(&stats);
		opts.no_prefilter = true;
		scan_input(path, &opts, &hooks, &stats);
		scan_stats_release(&stats);
	}
	close(fd);
	strbuf_release(&out);
	return 0;
}
