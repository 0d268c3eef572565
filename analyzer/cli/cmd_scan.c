/*
** ksift scan: find, parse and report every kernel incident in the inputs.
*/
#include "builtin.h"
#include "dbpath.h"
#include "progress.h"
#include "results.h"
#include "sigdb.h"
#include "coredump.h"
#include "symbolizer.h"
#include "runner.h"
#include "report.h"
#include "scan.h"
#include "util.h"
#include "walk.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char scan_usage[] =
	"usage: ksift scan [options] PATH...\n"
	"\n"
	"Find every kernel incident in the logs under PATH (files, directories\n"
	"walked recursively, '-' for stdin; gzip/xz/zstd/bzip2/lz4 by content),\n"
	"every userspace crash in systemd-coredump's messages, and read every ELF\n"
	"core dump among them (plain or compressed) as one crash record.\n"
	"\n"
	"  --json            one JSON object per incident per line (schema: README)\n"
	"  --color=WHEN      auto (default: on a terminal, unless NO_COLOR), always, never\n"
	"  --host NAME       host for lines whose wrapper names none\n"
	"  --host-from-path REGEX\n"
	"                    take that host from the file's path instead: the first\n"
	"                    capture group of REGEX (default: the directory right\n"
	"                    under the PATH argument, archive/node017/dmesg.2.gz ->\n"
	"                    node017); 'none' turns it off\n"
	"  --shard I/N       scan only shard I (1..N) of the files, by a hash of\n"
	"                    their path relative to PATH: N workers cover a tree once\n"
	"  -j, --jobs N      scan N files at once (output order stays input order);\n"
	"                    plain files of 128 MiB and more are split into 64 MiB\n"
	"                    chunks scanned in parallel (--chunk-size KiB)\n"
	"  --db FILE         match against this signature database (default: $KSIFT_DB,\n"
	"                    else the one built from signatures/)\n"
	"  --no-db           no known-bug matching\n"
	"  --vmlinux FILE    symbolize frames against this vmlinux (source lines,\n"
	"                    inline chains; see ksift symbolize --help)\n"
	"  --modules DIR     module debuginfo (NAME.ko or NAME.ko.debug, recursive)\n"
	"  --debug-root DIR  distribution debug tree (default /usr/lib/debug: used\n"
	"                    when it holds a vmlinux for an incident's release)\n"
	"  --no-debuginfod   never fetch debuginfo by build ID\n"
	"  --sysroot DIR     look for the files a core dump mapped under DIR (cores\n"
	"                    from another machine; default: the paths as they are)\n"
	"  --results FILE    also record incidents and their known-bug matches in\n"
	"                    the SQLite file FILE (created; re-scans add no rows;\n"
	"                    schema in signatures/README.md). Incremental: files\n"
	"                    unchanged since the last run are skipped (also when\n"
	"                    renamed by rotation), grown ones read from where the\n"
	"                    last run stopped, truncated ones read again\n"
	"  --rescan          with --results, read every file again (e.g. to match\n"
	"                    old logs against new signatures)\n"
	"  -q, --quiet       no progress or summary on stderr (progress is shown\n"
	"                    only when stderr is a terminal)\n"
	"  --no-group        report each incident of a flood separately\n"
	"  --no-prefilter    look at every line (slower; for checking the fast path)\n"
	"  -h, --help        this text\n"
	"\n"
	"Exit status: 0 no incident, 1 incidents found, 2 usage or input error.\n";

struct scan_sink {
	bool json, quiet;
	struct progress *progress;
	struct text_style style;
	struct strbuf out;
	unsigned long incidents;
	struct results_db *results;	/* --results: one writer, this thread */
	const char *results_path;
	unsigned long record_errors;
	unsigned long record_errors_before;	/* at the start of this file */
	/* --results: each scanned file's state, recorded when it is done. */
	struct incr_file *incr;
	size_t nr_incr, next_incr;
};

struct incr_file {
	const char *path;
	struct results_file now;	/* identity when the scan started */
	bool record;
};

/* In input order, in the delivering thread. */
static void deliver_incident(void *data, struct incident *inc)
{
	struct scan_sink *sink = data;

	strbuf_reset(&sink->out);
	if (sink->json)
		report_json(inc, &sink->out);
	else
		report_text(inc, &sink->style, &sink->out);
	fwrite(sink->out.buf, 1, sink->out.len, stdout);
	sink->incidents++;
	if (sink->results && results_record(sink->results, inc) < 0)
		sink->record_errors++;
	incident_free(inc);
}

static void file_done(void *data, const char *path, const struct scan_stats *st,
		      bool failed)
{
	struct scan_sink *sink = data;
	/* Some of this file's incidents did not make it into the database
	   (a full disk): it must not be remembered as read. */
	bool lost = sink->record_errors > sink->record_errors_before;

	/* Where the next run picks up, in the same transaction as the file's
	   incidents (files are done in input order). A file that failed is
	   not remembered: the next run reads it again. */
	for (size_t i = sink->next_incr; i < sink->nr_incr; i++)
		if (sink->incr[i].path == path) {
			struct results_file f = sink->incr[i].now;
			sink->next_incr = i + 1;
			if (!sink->incr[i].record || failed || lost)
				break;
			f.done_offset = (long long)st->complete_offset;
			f.done_lines = (long long)st->complete_lines;
			if (results_file_done(sink->results, path, &f) < 0)
				sink->record_errors++;
			break;
		}
	/* One transaction per file: an interrupted scan keeps whole files.
	   What a file with losses did record is kept too: its rows are
	   keyed, so the next run's reading it again adds only the rest. */
	if (sink->results && results_commit(sink->results))
		sink->record_errors++;
	if (sink->results && sink->record_errors > sink->record_errors_before)
		error("%s: not recorded as read in %s: the next run reads it again", path,
		      sink->results_path);
	sink->record_errors_before = sink->record_errors;
	progress_file_done(sink->progress, sink->incidents);
	if (st->cut_lines)
		warning("%s: %lu lines longer than 64 KiB were cut", path, st->cut_lines);
	fflush(stdout);
}

/*
 * The host each file's path names: the first capture group of `re`, or the
 * directory right under the scanned root. -1 when re does not compile.
 */
static int hosts_from_paths(const struct walk_list *in, const char *re, char **hosts)
{
	pcre2_code *code = NULL;
	pcre2_match_data *md = NULL;
	pcre2_match_context *mc = NULL;
	int errcode;
	PCRE2_SIZE erroff;

	if (re) {
		code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &errcode,
				     &erroff, NULL);
		if (!code) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(errcode, msg, sizeof(msg));
			error("--host-from-path: %s at offset %zu", (char *)msg, (size_t)erroff);
			return -1;
		}
		md = pcre2_match_data_create_from_pattern(code, NULL);
		mc = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(mc, 100000);
		pcre2_set_depth_limit(mc, 1000);
	}
	for (size_t i = 0; i < in->nr; i++) {
		if (!code) {
			hosts[i] = walk_host_from_relpath(in->relpaths[i]);
			continue;
		}
		if (pcre2_match(code, (PCRE2_SPTR)in->paths[i], PCRE2_ZERO_TERMINATED, 0, 0,
				md, mc) >= 2) {
			PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
			if (ov[2] != PCRE2_UNSET && ov[3] > ov[2])
				hosts[i] = xstrndup(in->paths[i] + ov[2], ov[3] - ov[2]);
		}
	}
	pcre2_match_data_free(md);
	pcre2_match_context_free(mc);
	pcre2_code_free(code);
	return 0;
}

struct annotator {
	struct sigdb *db;		/* read-only: matched from any thread */
	struct symbolizer *sym;		/* not thread-safe: one thread at a time */
	pthread_mutex_t sym_lock;
};

/* In the scanning thread: source lines, then known bugs, with the
   incident's own boot. */
static void annotate(void *data, struct incident *inc, const struct boot_context *ctx)
{
	struct annotator *a = data;

	if (a->sym) {
		pthread_mutex_lock(&a->sym_lock);
		symbolizer_annotate_incident(a->sym, inc);
		pthread_mutex_unlock(&a->sym_lock);
	}
	if (a->db)
		sigdb_match_incident(a->db, inc, ctx);
}

static void boot_records(void *data, const struct boot_context *ctx,
			 void (*add)(void *scan, struct incident *inc), void *scan)
{
	struct annotator *a = data;

	if (a->db)
		sigdb_match_boot(a->db, ctx, add, scan);
}

/* Does the distribution debug tree hold any vmlinux? Then debuginfo was
   "found": symbolize quietly what it covers. */
static bool debug_root_has_vmlinux(const char *root)
{
	char path[4096];
	DIR *d;
	struct dirent *de;
	bool yes = false;

	snprintf(path, sizeof(path), "%s/boot", root);
	d = opendir(path);
	if (!d)
		return false;
	while (!yes && (de = readdir(d)))
		yes = !strncmp(de->d_name, "vmlinux-", 8);
	closedir(d);
	return yes;
}

/* FNV-1a (hex) of the first max bytes of a file; false when unreadable. */
static bool head_hash(const char *path, size_t max, char out[17], unsigned char *head,
		      ssize_t *got)
{
	uint64_t h = FNV1A64_INIT;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, head, max);
	close(fd);
	if (n < 0)
		return false;
	h = fnv1a64(h, head, (size_t)n);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
	if (got)
		*got = n;
	return true;
}

/* A file's identity now: stat, the hash of its first 4 KiB, compression. */
static bool file_state(const char *path, struct results_file *f)
{
	unsigned char head[4096];
	struct stat sb;
	ssize_t n;

	memset(f, 0, sizeof(*f));
	if (!strcmp(path, "-") || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return false;
	if (!head_hash(path, sizeof(head), f->head_hash, head, &n))
		return false;
	f->dev = (long long)sb.st_dev;
	f->inode = (long long)sb.st_ino;
	f->size = (long long)sb.st_size;
	f->mtime = (long long)sb.st_mtime;
	f->compressed = n >= 4 && ((head[0] == 0x1f && head[1] == 0x8b) ||
				   !memcmp(head, "\xfd" "7zX", 4) ||
				   !memcmp(head, "\x28\xb5\x2f\xfd", 4) ||
				   !memcmp(head, "BZh", 3));
	return true;
}

/*
 * A recorded file still there under its own name, with the start and at
 * least the length it had: another file of the same identity is a copy (a
 * second host's identical log, an archive copied aside) and gets scanned.
 * Renamed away, replaced, or truncated (copytruncate): it moved, and the
 * new name is the same file.
 */
static bool recorded_file_still_there(const char *path, const struct results_file *rec)
{
	struct results_file cur;

	return file_state(path, &cur) && cur.dev == rec->dev && cur.inode == rec->inode &&
	       !strcmp(cur.head_hash, rec->head_hash) && cur.size >= rec->size;
}

/*
 * Incremental scans with --results: drop files unchanged since the last
 * run (or seen before under another name: rotation, copies), resume grown
 * plain files after their last complete line, read truncated or replaced
 * ones again. Compacts paths[] and hosts[] in place; fills resume[].
 */
static size_t plan_incremental(struct scan_sink *sink, char **paths, char **hosts,
			       struct runner_resume *resume, size_t nr,
			       unsigned long *skipped, unsigned long *resumed)
{
	size_t kept = 0;

	sink->incr = xcalloc(nr ? nr : 1, sizeof(*sink->incr));
	for (size_t i = 0; i < nr; i++) {
		struct results_file now, prev;
		bool known = file_state(paths[i], &now);
		int got = known ? results_file_lookup(sink->results, paths[i], &now, &prev,
						       recorded_file_still_there) : 0;
		bool same_head = got == 1 && !strcmp(prev.head_hash, now.head_hash);

		/* A file shorter than 4 KiB last time: its start is what it was
		   then, so compare the hash of that many bytes. */
		if (got == 1 && !same_head && prev.size < 4096 && now.size > prev.size) {
			unsigned char head[4096];
			char h[17];
			same_head = head_hash(paths[i], (size_t)prev.size, h, head, NULL) &&
				    !strcmp(h, prev.head_hash);
		}
		struct runner_resume rs = { 0, 0 };

		if (same_head && prev.size == now.size &&
		    (prev.mtime == now.mtime || prev.done_offset > 0)) {
			/* Unchanged, or the same content under a new name. */
			(*skipped)++;
			now.done_offset = prev.done_offset;
			now.done_lines = prev.done_lines;
			if (results_file_done(sink->results, paths[i], &now) < 0 ||
			    results_commit(sink->results) < 0)
				sink->record_errors++;
			free(paths[i]);
			if (hosts)
				free(hosts[i]);
			continue;
		}
		if (same_head && !now.compressed && prev.dev == now.dev &&
		    prev.inode == now.inode && now.size > prev.size &&
		    prev.done_offset <= now.size) {
			rs.offset = (uint64_t)prev.done_offset;	/* grown: only what is new */
			rs.line_base = (unsigned long)prev.done_lines;
			(*resumed)++;
		}
		paths[kept] = paths[i];
		if (hosts)
			hosts[kept] = hosts[i];
		resume[kept] = rs;
		sink->incr[kept].path = paths[kept];
		sink->incr[kept].now = now;
		sink->incr[kept].record = known;
		kept++;
	}
	sink->nr_incr = kept;
	return kept;
}

static bool want_color(const char *when)
{
	if (!strcmp(when, "always"))
		return true;
	if (!strcmp(when, "never"))
		return false;
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

int cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "color", required_argument, NULL, 'C' },
		{ "colour", required_argument, NULL, 'C' },
		{ "host", required_argument, NULL, 'H' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "no-prefilter", no_argument, NULL, 'P' },
		{ "no-group", no_argument, NULL, 'G' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "host-from-path", required_argument, NULL, 'R' },
		{ "db", required_argument, NULL, 'D' },
		{ "vmlinux", required_argument, NULL, 'V' },
		{ "modules", required_argument, NULL, 'M' },
		{ "debug-root", required_argument, NULL, 'B' },
		{ "no-debuginfod", no_argument, NULL, 'F' },
		{ "sysroot", required_argument, NULL, 'Y' },
		{ "no-db", no_argument, NULL, 'N' },
		{ "results", required_argument, NULL, 'r' },
		{ "rescan", no_argument, NULL, 'A' },
		{ "shard", required_argument, NULL, 'S' },
		{ "chunk-size", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_sink sink = { 0 };
	struct scan_options opts = { 0 };
	struct runner_ops ops = { NULL, deliver_incident, file_done, &sink, true, &opts,
				  64u << 20 };
	unsigned long jobs = 1, shard_i = 0, shard_n = 0;
	const char *host_re = NULL, *dbfile = NULL, *results_file = NULL;
	bool no_db = false;
	struct sigdb *db = NULL;
	struct annotator annot = { NULL, NULL, PTHREAD_MUTEX_INITIALIZER };
	struct symbolizer_options symopts = { NULL, NULL, NULL, true, false };
	char **hosts = NULL;
	struct runner_resume *resume = NULL;
	bool rescan = false;
	char *end;
	struct walk_list inputs = { 0 };
	const char *sysroot = NULL;
	struct coredump_options coreopts = { 0 };
	const char *color = "auto";
	bool quiet = false;
	unsigned errors = 0;
	int c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "qhj:", longopts, NULL)) != -1) {
		switch (c) {
		case 'J': sink.json = true; break;
		case 'C':
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") &&
			    strcmp(optarg, "never")) {
				error("scan: --color takes auto, always or never");
				return EXIT_INPUT;
			}
			color = optarg;
			break;
		case 'H': opts.host = optarg; break;
		case 'q': quiet = true; break;
		case 'P': opts.no_prefilter = true; break;
		case 'G': ops.group = false; break;
		case 'R': host_re = optarg; break;
		case 'K':
			/* KiB; for tests: chunking normally starts at 128 MiB files */
			ops.chunk_size = strtoull(optarg, &end, 10) << 10;
			if (*end || !ops.chunk_size) {
				error("scan: --chunk-size takes a size in KiB");
				return EXIT_INPUT;
			}
			break;
		case 'D': dbfile = optarg; break;
		case 'V': symopts.vmlinux = optarg; break;
		case 'M': symopts.modules_dir = optarg; break;
		case 'B': symopts.debug_root = optarg; break;
		case 'F': symopts.debuginfod = false; break;
		case 'Y': sysroot = optarg; break;
		case 'N': no_db = true; break;
		case 'r': results_file = optarg; break;
		case 'A': rescan = true; break;
		case 'S':
			shard_i = strtoul(optarg, &end, 10);
			if (*end == '/')
				shard_n = strtoul(end + 1, &end, 10);
			if (*end || !shard_n || !shard_i || shard_i > shard_n) {
				error("scan: --shard takes I/N with 1 <= I <= N");
				return EXIT_INPUT;
			}
			break;
		case 'j':
			jobs = strtoul(optarg, &end, 10);
			if (*end || !jobs || jobs > 256) {
				error("scan: -j takes a number of threads from 1 to 256");
				return EXIT_INPUT;
			}
			break;
		case 'h': fputs(scan_usage, stdout); return EXIT_CLEAN;
		default: fputs(scan_usage, stderr); return EXIT_INPUT;
		}
	}
	if (optind >= argc) {
		if (isatty(STDIN_FILENO)) {
			fputs(scan_usage, stderr);
			return EXIT_INPUT;
		}
		argv[--optind] = "-";
	}
	if (!no_db) {
		struct strbuf err = STRBUF_INIT;
		char *def = dbfile ? NULL : dbpath_default();
		const char *use = dbfile ? dbfile : def;
		if (use && !(db = sigdb_open(use, &err))) {
			/* A database the user named (or set) that is broken is an error. */
			fputs(err.buf, stderr);
			strbuf_release(&err);
			free(def);
			ret = EXIT_INPUT;
			goto out;
		}
		strbuf_release(&err);
		free(def);
	}
	/* Symbolize when debuginfo is given, or found in the default tree. */
	if (symopts.vmlinux || symopts.modules_dir || symopts.debug_root) {
		annot.sym = symbolizer_new(&symopts);
	} else if (debug_root_has_vmlinux("/usr/lib/debug")) {
		symopts.quiet = true;	/* only what it covers; no warning per module */
		annot.sym = symbolizer_new(&symopts);
	}
	annot.db = db;
	if (db || annot.sym) {
		opts.annotate = annotate;
		opts.boot_records = boot_records;
		opts.annotate_data = &annot;
	}
	if (results_file) {
		char err[1024];

		sink.results_path = results_file;
		sink.results = results_open(results_file, err, sizeof(err));
		if (!sink.results) {
			error("%s", err);
			ret = EXIT_INPUT;
			goto out;
		}
	}
	coreopts.sysroot = sysroot;
	coreopts.debug_root = symopts.debug_root;
	coreopts.debuginfod = symopts.debuginfod;
	opts.cores = coredump_reader_new(&coreopts);
	strbuf_init(&sink.out, 4096);
	sink.style.color = want_color(color);
	walk_inputs(&inputs, argv + optind, argc - optind);
	errors = inputs.errors;
	if (shard_n)
		walk_keep_shard(&inputs, (unsigned)shard_i, (unsigned)shard_n);
	if (!opts.host && !(host_re && !strcmp(host_re, "none"))) {
		hosts = xcalloc(inputs.nr ? inputs.nr : 1, sizeof(*hosts));
		if (hosts_from_paths(&inputs, host_re, hosts) < 0) {
			ret = EXIT_INPUT;
			goto out;
		}
	}
	if (!quiet) {
		uint64_t total = 0;
		struct stat sb;
		for (size_t i = 0; i < inputs.nr; i++)
			if (!stat(inputs.paths[i], &sb))
				total += (uint64_t)sb.st_size;
		sink.progress = progress_new(total, inputs.nr);
		opts.progress = sink.progress ? progress_add_bytes : NULL;
		opts.progress_data = sink.progress;
	}
	if (sink.results && !rescan) {
		unsigned long skipped = 0, resumed = 0;
		resume = xcalloc(inputs.nr ? inputs.nr : 1, sizeof(*resume));
		inputs.nr = plan_incremental(&sink, inputs.paths, hosts, resume, inputs.nr,
					     &skipped, &resumed);
		if (!quiet && (skipped || resumed))
			fprintf(stderr, "ksift: %lu file%s unchanged since the last scan, %lu read from "
				"where it stopped\n", skipped, skipped == 1 ? "" : "s", resumed);
	}
	sink.record_errors_before = sink.record_errors;
	errors += runner_run(inputs.paths, hosts, resume, inputs.nr, (unsigned)jobs, &ops);
	progress_finish(sink.progress);
	if (!quiet)
		fprintf(stderr, "ksift: %lu incident%s in %zu file%s%s\n", sink.incidents,
			sink.incidents == 1 ? "" : "s", inputs.nr, inputs.nr == 1 ? "" : "s",
			errors ? " (with input errors, see above)" : "");
	if (results_close(sink.results))
		sink.record_errors++;
	sink.results = NULL;
	if (sink.record_errors) {
		error("%s: %lu write%s failed; files not recorded as read are read again "
		      "by the next run", results_file, sink.record_errors,
		      sink.record_errors == 1 ? "" : "s");
		errors++;
	}
	ret = errors ? EXIT_INPUT : sink.incidents ? EXIT_FOUND : EXIT_CLEAN;
out:
	results_close(sink.results);
	free(resume);
	free(sink.incr);
	for (size_t i = 0; hosts && i < inputs.nr; i++)
		free(hosts[i]);
	free(hosts);
	sigdb_close(db);
	symbolizer_free(annot.sym);
	coredump_reader_free(opts.cores);
	walk_list_release(&inputs);
	strbuf_release(&sink.out);
	return ret;
}
