/*
** ksift scan: find, parse and report every kernel incident in the inputs.
*/
#include "builtin.h"
#include "coredump.h"
#include "dbpath.h"
#include "options.h"
#include "progress.h"
#include "results.h"
#include "sigdb.h"
#include "symbolizer.h"
#include "runner.h"
#include "report.h"
#include "scan.h"
#include "util.h"
#include "walk.h"
#include "sniff.h"
#include "archive_in.h"
#include "profile.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct scan_sink {
	bool json, quiet;
	const struct sigdb *db;		/* decides what waits for grouping */
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
	bool resumed;			/* read from where the last run stopped */
};

static int record_boot(struct results_db *r, const struct incident *snap)
{
	const struct extra *v = incident_extra(snap, "version_line");
	struct results_boot b = {
		snap->source.path ? snap->source.path : "-", snap->host, snap->source.line,
		snap->kernel.release, snap->kernel.build, snap->kernel.hypervisor,
		snap->kernel.hardware, snap->kernel.arch, snap->kernel.cmdline,
		v ? v->str : NULL, snap->text.buf, snap->text.len,
	};

	return results_record_boot(r, &b);
}

/*
 * A boot's facts and early lines as a record of kind KIND_NONE, so that they
 * reach the results database in input order with the incidents (the line
 * numbers are offsets from the boot's first line: chunked scans rebase
 * source.line only).
 */
static struct incident *boot_snapshot(const struct boot_context *ctx)
{
	struct incident *inc = incident_new(KIND_NONE);
	const char *p = ctx->boot_lines.buf;

	inc->host = ctx->host ? xstrdup(ctx->host) : NULL;
	inc->source.path = ctx->path;
	inc->source.line = inc->source.end_line = ctx->first_line;
	incident_fill_kernel(inc, ctx->release, ctx->build, ctx->hardware, ctx->hypervisor,
			     ctx->arch, ctx->cmdline);
	if (ctx->version_line)
		incident_extra_str(inc, "version_line", ctx->version_line);
	for (size_t i = 0; i < ctx->nr_boot_lines && p; i++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		strbuf_addf(&inc->text, "%lu\t", ctx->boot_lineno[i] - ctx->first_line);
		strbuf_add(&inc->text, p, len);
		strbuf_addch(&inc->text, '\n');
		p = nl ? nl + 1 : NULL;
	}
	return inc;
}

/* In input order, in the delivering thread. */
static void deliver_incident(void *data, struct incident *inc)
{
	struct scan_sink *sink = data;

	if (inc->kind == KIND_NONE) {
		/* A boot's facts, for rematch: recorded, never printed. */
		if (sink->results && record_boot(sink->results, inc) < 0)
			sink->record_errors++;
		incident_free(inc);
		return;
	}
	sigdb_settle(sink->db, inc);
	strbuf_reset(&sink->out);
	if (sink->json)
		report_json(inc, &sink->out);
	else
		report_text(inc, &sink->style, &sink->out);
	fwrite(sink->out.buf, 1, sink->out.len, stdout);
	sink->incidents++;
	if (sink->results) {
		/* The record, so that rematch can match it again without the log. */
		strbuf_reset(&sink->out);
		report_json_record(inc, &sink->out);
		if (sink->out.len)
			sink->out.buf[--sink->out.len] = '\0';	/* the newline */
		if (results_record(sink->results, inc, sink->out.buf) < 0)
			sink->record_errors++;
	}
	incident_free(inc);
}

/* An archive member: its own warnings; the archive is recorded as a file. */
static void member_done(void *data, const char *path, const struct scan_stats *st,
			bool failed)
{
	(void)data;
	(void)failed;
	if (st->cut_lines && !st->members)
		warning("%s: %lu lines longer than 64 KiB were cut", path, st->cut_lines);
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
			/* Read from its start: what this run did not see again is stale. */
			if (!sink->incr[i].resumed && results_forget_unseen(sink->results, path) < 0)
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
	bool snapshots;			/* --results: record every boot too */
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
	if (a->snapshots && (ctx->release || ctx->nr_boot_lines))
		add(scan, boot_snapshot(ctx));
}

/* Does the distribution debug tree hold any vmlinux? Then debuginfo was
   "found": symbolize quietly what it covers. */
static bool debug_root_has_vmlinux(const char *root)
{
	char path[PATH_MAX];
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

/* How much of a file's start identifies it for incremental scans. */
#define INCR_HEAD_BYTES 4096

/* A file's identity now: stat, the hash of its first INCR_HEAD_BYTES,
   compression. */
static bool file_state(const char *path, struct results_file *f)
{
	unsigned char head[INCR_HEAD_BYTES];
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
	/* An archive, a profile or a /proc capture is one thing read whole,
	   never resumed part-way like a growing log: it counts as compressed. */
	if (!f->compressed) {
		enum input_kind k = sniff_input((const char *)head, (size_t)n);
		f->compressed = k != INPUT_LOG && k != INPUT_BINARY;
	}
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

		/* A file shorter than INCR_HEAD_BYTES last time: its start is
		   what it was then, so compare the hash of that many bytes. */
		if (got == 1 && !same_head && prev.size < INCR_HEAD_BYTES && now.size > prev.size) {
			unsigned char head[INCR_HEAD_BYTES];
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
		sink->incr[kept].resumed = rs.offset > 0;
		kept++;
	}
	sink->nr_incr = kept;
	return kept;
}

/* The signatures this scan matches with, in the results database. */
static int put_signatures(struct results_db *r, const struct sigdb *db)
{
	size_t n = sigdb_size(db);
	const struct signature **v = xcalloc(n ? n : 1, sizeof(*v));
	int ret;

	for (size_t i = 0; i < n; i++)
		v[i] = sigdb_signature(db, i);
	ret = results_put_signatures(r, v, n);
	if (!ret)
		ret = results_commit(r);
	free(v);
	return ret;
}

static bool want_color(const char *when)
{
	if (!strcmp(when, "always"))
		return true;
	if (!strcmp(when, "never"))
		return false;
	return isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
}

/* Plain files split into chunks under -j: the size of one (--chunk-size). */
#define SCAN_CHUNK_SIZE (64u << 20)

struct shard {
	unsigned long i, n;	/* n 0: no sharding */
};

/* "10", "2.5%": a share of a profile's samples. */
static int parse_percent(const char *arg, void *value)
{
	double *pct = value;
	char *end;

	*pct = strtod(arg, &end);
	if (*end == '%')
		end++;
	if (*end || !(*pct > 0 && *pct <= 100)) {
		error("scan: --profile-threshold takes a percentage above 0, up to 100");
		return -1;
	}
	return 0;
}

/* "4096", "512M", "64G": bytes. */
static int parse_size(const char *arg, void *value)
{
	uint64_t *bytes = value;
	char *end;

	*bytes = strtoull(arg, &end, 10);
	if (*end == 'K' || *end == 'M' || *end == 'G')
		*bytes <<= *end == 'K' ? 10 : *end == 'M' ? 20 : 30, end++;
	if (*end || !*bytes || arg[0] == '-') {
		error("scan: --archive-max-size takes a number of bytes (suffix K, M or G)");
		return -1;
	}
	return 0;
}

static int parse_shard(const char *arg, void *value)
{
	struct shard *sh = value;
	char *end;

	sh->i = strtoul(arg, &end, 10);
	if (*end == '/')
		sh->n = strtoul(end + 1, &end, 10);
	if (*end || !sh->n || !sh->i || sh->i > sh->n) {
		error("scan: --shard takes I/N with 1 <= I <= N");
		return -1;
	}
	return 0;
}

/* What the command line asked for. */
struct scan_args {
	bool json, quiet, no_prefilter, group, no_db, rescan;
	const char *color, *host, *host_re, *dbfile, *results_file, *sysroot;
	unsigned long jobs, chunk_kib;
	struct archive_limits limits;
	double profile_threshold;
	struct shard shard;
	struct symbolizer_options sym;
};

/* Open the signature database asked for (or the default one). 0 on
   success, *db NULL when there is none; -1 after saying why. */
static int open_signatures(const struct scan_args *a, struct sigdb **db)
{
	struct strbuf err = STRBUF_INIT;
	char *def = a->dbfile ? NULL : dbpath_default();
	const char *use = a->dbfile ? a->dbfile : def;
	int ret = 0;

	*db = NULL;
	/* A database the user named (or set) that is broken is an error. */
	if (!a->no_db && use && !(*db = dbpath_open(use, &err))) {
		error_lines(err.buf);
		ret = -1;
	}
	strbuf_release(&err);
	free(def);
	return ret;
}

/* Symbolize when debuginfo is given, or found in the default tree (then
   quietly: only what it covers, no warning per module). NULL: neither. */
static struct symbolizer *choose_symbolizer(struct symbolizer_options *symopts)
{
	if (symopts->vmlinux || symopts->modules_dir || symopts->debug_root)
		return symbolizer_new(symopts);
	if (debug_root_has_vmlinux("/usr/lib/debug")) {
		symopts->quiet = true;
		return symbolizer_new(symopts);
	}
	return NULL;
}

/* Progress on stderr (a terminal only, progress.h decides): the total
   size of the inputs, for the ETA. */
static void start_progress(struct scan_sink *sink, struct scan_options *opts,
			   const struct walk_list *inputs)
{
	uint64_t total = 0;
	struct stat sb;

	for (size_t i = 0; i < inputs->nr; i++)
		if (!stat(inputs->paths[i], &sb))
			total += (uint64_t)sb.st_size;
	sink->progress = progress_new(total, inputs->nr);
	opts->progress = sink->progress ? progress_add_bytes : NULL;
	opts->progress_data = sink->progress;
}

/* After the run: the summary line, and the results database closed. Returns
   the number of errors this adds. */
static unsigned finish_scan(struct scan_sink *sink, const struct scan_args *a, size_t files,
			    unsigned errors)
{
	if (!a->quiet)
		fprintf(stderr, "ksift: %lu incident%s in %zu file%s%s\n", sink->incidents,
			sink->incidents == 1 ? "" : "s", files, files == 1 ? "" : "s",
			errors ? " (with input errors, see above)" : "");
	if (results_close(sink->results))
		sink->record_errors++;
	sink->results = NULL;
	if (!sink->record_errors)
		return 0;
	error("%s: %lu write%s failed; files not recorded as read are read again "
	      "by the next run", a->results_file, sink->record_errors,
	      sink->record_errors == 1 ? "" : "s");
	return 1;
}

static const char scan_description[] =
	"Find every kernel incident in the logs under PATH (files, directories\n"
	"walked recursively, '-' for stdin; gzip/xz/zstd/bzip2/lz4 by content), in\n"
	"the members of tar/zip/cpio archives (sosreports, supportconfigs), in\n"
	"CPU profiles (perf script, perf report --stdio, folded stacks), in\n"
	"/proc/PID/stack captures and in systemd-coredump's messages, and read\n"
	"every ELF core dump among them (plain or compressed) as one crash record.\n";

/* The parsed options that the sink, the scan and the runner read. */
static void copy_scan_args(struct scan_args *a, struct scan_sink *sink,
			   struct scan_options *opts, struct runner_ops *ops)
{
	sink->json = a->json;
	opts->host = a->host;
	opts->host_forced = a->host != NULL;
	opts->no_prefilter = a->no_prefilter;
	opts->archive_limits = &a->limits;
	opts->profile_threshold = a->profile_threshold;
	ops->group = a->group;
	ops->chunk_size = (uint64_t)a->chunk_kib << 10;
}

/* --results FILE: open (or create) it and record the signatures matched. */
static int open_results(struct scan_sink *sink, const char *path, struct sigdb *db)
{
	char err[1024];

	sink->results_path = path;
	sink->results = results_open(path, err, sizeof(err));
	if (!sink->results) {
		error("%s", err);
		return -1;
	}
	return db ? put_signatures(sink->results, db) : 0;
}

/*
 * With a results database: which files to read and from where. Incremental
 * by default (INPUTS shrinks to the files that changed; the returned array
 * says where each resumes, the caller frees it); --rescan reads every file
 * whole and returns NULL, its stale rows going when it is done.
 */
static struct runner_resume *plan_results(struct scan_sink *sink, const struct scan_args *a,
					  struct walk_list *inputs, char **hosts)
{
	struct runner_resume *resume;
	unsigned long skipped = 0, resumed = 0;

	if (a->rescan) {
		sink->incr = xcalloc(inputs->nr ? inputs->nr : 1, sizeof(*sink->incr));
		for (size_t i = 0; i < inputs->nr; i++) {
			sink->incr[i].path = inputs->paths[i];
			sink->incr[i].record = file_state(inputs->paths[i], &sink->incr[i].now);
		}
		sink->nr_incr = inputs->nr;
		return NULL;
	}
	resume = xcalloc(inputs->nr ? inputs->nr : 1, sizeof(*resume));
	inputs->nr = plan_incremental(sink, inputs->paths, hosts, resume, inputs->nr,
				      &skipped, &resumed);
	if (!a->quiet && (skipped || resumed))
		fprintf(stderr, "ksift: %lu file%s unchanged since the last scan, %lu read from "
			"where it stopped\n", skipped, skipped == 1 ? "" : "s", resumed);
	return resume;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args a = {
		.group = true, .color = "auto", .jobs = 1,
		.chunk_kib = SCAN_CHUNK_SIZE >> 10, .sym = { .debuginfod = true },
		.limits = { ARCHIVE_MAX_MEMBERS, ARCHIVE_MAX_BYTES, ARCHIVE_MAX_RATIO },
		.profile_threshold = PROFILE_THRESHOLD_DEFAULT,
	};
	unsigned long max_members = ARCHIVE_MAX_MEMBERS, max_ratio = ARCHIVE_MAX_RATIO;
	const struct option_spec options[] = {
		OPT_FLAG("json", 0, &a.json, "one JSON object per incident per line (schema: README)"),
		OPT_CHOICE("color", &a.color, "=WHEN", "auto|always|never",
			   "auto (default: on a terminal, unless NO_COLOR), always, never"),
		OPT_CHOICE("colour", &a.color, "=WHEN", "auto|always|never", "the same as --color"),
		OPT_STRING("host", 0, &a.host, "NAME", "host for lines whose wrapper names none"),
		OPT_STRING("host-from-path", 0, &a.host_re, "REGEX",
			   "take that host from the file's path instead: the first\n"
			   "capture group of REGEX (default: the directory right\n"
			   "under the PATH argument, archive/node017/dmesg.2.gz ->\n"
			   "node017); 'none' turns it off"),
		OPT_CALLBACK("shard", &a.shard, "I/N", parse_shard,
			     "scan only shard I (1..N) of the files, by a hash of\n"
			     "their path relative to PATH: N workers cover a tree once"),
		OPT_ULONG("jobs", 'j', &a.jobs, "N", 1, 256,
			  "scan N files at once (output order stays input order);\n"
			  "plain files of 128 MiB and more are split into 64 MiB\n"
			  "chunks scanned in parallel"),
		OPT_ULONG("chunk-size", 0, &a.chunk_kib, "KiB", 1, 1ul << 30,
			  "the size of those chunks (for tests)"),
		OPT_STRING("db", 0, &a.dbfile, "FILE|DIR",
			   "match against this signature database, or the .sig\n"
			   "files of DIR (default: $KSIFT_DB, else the one built\n"
			   "from signatures/)"),
		OPT_FLAG("no-db", 0, &a.no_db, "no known-bug matching"),
		OPT_STRING("vmlinux", 0, &a.sym.vmlinux, "FILE",
			   "symbolize frames against this vmlinux (source lines,\n"
			   "inline chains; see ksift symbolize --help)"),
		OPT_STRING("modules", 0, &a.sym.modules_dir, "DIR",
			   "module debuginfo (NAME.ko or NAME.ko.debug, recursive)"),
		OPT_STRING("debug-root", 0, &a.sym.debug_root, "DIR",
			   "distribution debug tree (default /usr/lib/debug: used\n"
			   "when it holds a vmlinux for an incident's release)"),
		OPT_UNSET("no-debuginfod", &a.sym.debuginfod, "never fetch debuginfo by build ID"),
		OPT_STRING("sysroot", 0, &a.sysroot, "DIR",
			   "look for the files a core dump mapped under DIR (cores\n"
			   "from another machine; default: the paths as they are)"),
		OPT_STRING("results", 0, &a.results_file, "FILE",
			   "also record incidents and their known-bug matches in\n"
			   "the SQLite file FILE (created; re-scans add no rows;\n"
			   "schema in signatures/README.md). Incremental: files\n"
			   "unchanged since the last run are skipped (also when\n"
			   "renamed by rotation), grown ones read from where the\n"
			   "last run stopped, truncated ones read again"),
		OPT_FLAG("rescan", 0, &a.rescan,
			 "with --results, read every file again (e.g. to match\n"
			 "old logs against new signatures)"),
		OPT_FLAG("quiet", 'q', &a.quiet,
			 "no progress or summary on stderr (progress is shown\n"
			 "only when stderr is a terminal)"),
		OPT_UNSET("no-group", &a.group, "report each incident of a flood separately"),
		OPT_FLAG("no-prefilter", 0, &a.no_prefilter,
			 "look at every line (slower; for checking the fast path)"),
		OPT_CALLBACK("profile-threshold", &a.profile_threshold, "PCT", parse_percent,
			     "a function's share of a profile's samples that makes a\n"
			     "finding (lock contention, high CPU; default 10)"),
		OPT_ULONG("archive-max-members", 0, &max_members, "N", 1, 1ul << 40,
			  "archive bomb limit: members per archive (100000)"),
		OPT_CALLBACK("archive-max-size", &a.limits.max_bytes, "BYTES", parse_size,
			     "archive bomb limit: bytes an archive expands to (64G)"),
		OPT_ULONG("archive-max-ratio", 0, &max_ratio, "R", 1, 1ul << 40,
			  "archive bomb limit: expanded bytes per compressed byte\n"
			  "read, checked past 64 MiB (1000)"),
		OPT_END(),
	};
	const struct command_spec cmd = {
		.name = "scan",
		.synopsis = "[options] PATH...",
		.description = scan_description,
		.options = options,
		.footer = "Exit status: 0 no incident, 1 incidents found, 2 usage or input error.\n",
		.min_operands = 0, .max_operands = -1,
	};
	struct scan_sink sink = { 0 };
	struct scan_options opts = { 0 };
	struct runner_ops ops = { .deliver = deliver_incident, .file_done = file_done,
				  .member_done = member_done, .data = &sink, .scan = &opts };
	struct sigdb *db = NULL;
	struct annotator annot = { .sym_lock = PTHREAD_MUTEX_INITIALIZER };
	char **hosts = NULL;
	struct runner_resume *resume = NULL;
	struct walk_list inputs = { 0 };
	unsigned errors = 0;
	int first, ret;

	first = options_parse(&cmd, argc, argv, &ret);
	if (first < 0)
		return ret;
	if (first >= argc) {
		if (isatty(STDIN_FILENO)) {
			options_usage(&cmd, stderr);
			return EXIT_INPUT;
		}
		argv[--first] = "-";
	}
	a.limits.max_members = max_members;
	a.limits.max_ratio = max_ratio;
	copy_scan_args(&a, &sink, &opts, &ops);
	if (open_signatures(&a, &db) < 0) {
		ret = EXIT_INPUT;
		goto out;
	}
	opts.cores = coredump_reader_new(&(struct coredump_options){ .sysroot = a.sysroot,
		.debug_root = a.sym.debug_root, .debuginfod = a.sym.debuginfod });
	annot.sym = choose_symbolizer(&a.sym);
	annot.db = db;
	sink.db = db;
	annot.snapshots = a.results_file != NULL;
	if (db || annot.sym || annot.snapshots) {
		opts.annotate = annotate;
		opts.boot_records = boot_records;
		opts.annotate_data = &annot;
	}
	if (a.results_file && open_results(&sink, a.results_file, db) < 0) {
		ret = EXIT_INPUT;
		goto out;
	}
	strbuf_init(&sink.out, 0);
	sink.style.color = want_color(a.color);
	walk_inputs(&inputs, argv + first, argc - first);
	errors = inputs.errors;
	if (a.shard.n)
		walk_keep_shard(&inputs, (unsigned)a.shard.i, (unsigned)a.shard.n);
	if (!opts.host && !(a.host_re && !strcmp(a.host_re, "none"))) {
		hosts = xcalloc(inputs.nr ? inputs.nr : 1, sizeof(*hosts));
		if (hosts_from_paths(&inputs, a.host_re, hosts) < 0) {
			ret = EXIT_INPUT;
			goto out;
		}
	}
	if (!a.quiet)
		start_progress(&sink, &opts, &inputs);
	if (sink.results)
		resume = plan_results(&sink, &a, &inputs, hosts);
	sink.record_errors_before = sink.record_errors;
	errors += runner_run(inputs.paths, hosts, resume, inputs.nr, (unsigned)a.jobs, &ops);
	progress_finish(sink.progress);
	errors += finish_scan(&sink, &a, inputs.nr, errors);
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
