/*
** corescan: an input that is an ELF core dump (plain or compressed as
** systemd-coredump writes it) becomes one coredump record, read by
** symbols/coredump.h with random access to the file; see scan_impl.h.
*/
#include "coredump.h"
#include "scan_impl.h"
#include "testpause.h"
#include "util.h"

#include <sys/stat.h>

int scan_core(const char *path, const struct scan_options *opts,
	      const struct scan_hooks *hooks, struct scan_stats *stats)
{
	struct coredump_reader *own = NULL, *r = opts->cores;
	struct coredump_status cs;
	struct incident *inc;
	struct stat sb;
	int ret = 0;

	test_pause("open");
	if (!r)
		r = own = coredump_reader_new(NULL);
	inc = coredump_read(r, path, &cs);
	for (size_t i = 0; i < cs.nr_warnings; i++)
		warning("%s: %s", path, cs.warnings[i]);
	if (!inc && cs.unsupported) {
		warning("%s: %s", path, cs.error);
	} else if (!inc) {
		error("%s: %s", path, cs.error);
		ret = -1;
	}
	if (cs.read_error)
		ret = -1;
	stats->read_error = ret < 0;
	stats->input_kind = "core dump";
	if (!stat(path, &sb)) {
		stats->bytes = stats->complete_offset = (uint64_t)sb.st_size;
		if (opts->progress)
			opts->progress(opts->progress_data, (uint64_t)sb.st_size);
	}
	if (inc) {
		if (!inc->host && opts->host)
			inc->host = xstrdup(opts->host);
		if (opts->annotate)
			opts->annotate(opts->annotate_data, inc, NULL);
		stats->incidents = 1;
		if (hooks->incident)
			hooks->incident(hooks->data, inc);
		else
			incident_free(inc);
	}
	coredump_status_release(&cs);
	coredump_reader_free(own);
	return ret;
}
