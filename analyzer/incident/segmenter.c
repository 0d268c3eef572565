#include "segmenter.h"
#include "classify.h"
#include "dump.h"
#include "formats.h"
#include "header_lost.h"
#include "locks.h"
#include "reboot.h"
#include "workqueue.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define MAX_OPEN 64
/* Lines a pending "[ cut here ]"/prelude may hold before its WARNING. */
#define PENDING_MAX_LINES 8

/* Kinds reported in one message: the incident is that line alone. */
static bool is_single_line_kind(enum incident_kind kind)
{
	return kind != KIND_NONE && format_kind_end(kind) == END_ONE_LINE;
}

#define MAX_DUMPS 16

/* A sysrq t/w/l dump in progress on one host. */
struct dump {
	char *host;
	char caller_kind;		/* of the "sysrq: …" message */
	unsigned caller_id;
	char key;
	unsigned long line;
	double last_ktime;
	bool has_ktime;
	unsigned quiet;			/* messages since the last block line */
};

struct segmenter {
	segment_done_fn fn;
	void *data;
	struct raw_incident *open[MAX_OPEN];
	size_t nr_open;
	struct dump dumps[MAX_DUMPS];
	size_t nr_dumps;
	bool no_new;			/* segmenter_stop_opening() */
	struct reboot_watch *reboots;
};

struct segmenter *segmenter_new(segment_done_fn fn, void *data)
{
	struct segmenter *s = xcalloc(1, sizeof(*s));

	s->fn = fn;
	s->data = data;
	s->reboots = reboot_watch_new();
	return s;
}

static void raw_incident_free(struct raw_incident *ri)
{
	for (size_t i = 0; i < ri->nr; i++)
		free(ri->lines[i].msg);
	free(ri->lines);
	free(ri->host);
	free(ri);
}

static bool same_host(const char *host, const struct kline *l)
{
	if (!host || !l->host)
		return !host && !l->host;
	return strlen(host) == l->host_len && !memcmp(host, l->host, l->host_len);
}

static bool same_key(const struct raw_incident *ri, const struct kline *l)
{
	if (ri->caller_kind != l->caller_kind || ri->caller_id != l->caller_id)
		return false;
	return same_host(ri->host, l);
}

static struct dump *find_dump(struct segmenter *s, const struct kline *l)
{
	for (size_t i = 0; i < s->nr_dumps; i++)
		if (same_host(s->dumps[i].host, l))
			return &s->dumps[i];
	return NULL;
}

static void end_dump(struct segmenter *s, struct dump *d)
{
	free(d->host);
	*d = s->dumps[--s->nr_dumps];
}

static void start_dump(struct segmenter *s, const struct kline *l, char key,
		       unsigned long lineno)
{
	struct dump *d;

	if (s->nr_dumps == MAX_DUMPS)	/* that many hosts dumping at once: oldest goes */
		end_dump(s, &s->dumps[0]);
	d = &s->dumps[s->nr_dumps++];
	memset(d, 0, sizeof(*d));
	d->host = l->host ? xmemdupz(l->host, l->host_len) : NULL;
	d->caller_kind = l->caller_kind;
	d->caller_id = l->caller_id;
	d->key = key;
	d->line = lineno;
	d->last_ktime = l->ktime;
	d->has_ktime = l->has_ktime;
}

/*
 * Does this message open the next block of the dump? Tasks are shown by
 * the task that pressed the key, on its printk caller; each CPU prints its
 * own NMI backtrace, on its own caller.
 */
static bool is_dump_block_start(const struct dump *d, const struct kline *l)
{
	if (d->key == 'l')
		return dump_is_cpu_line(l->msg, l->msg_len);
	return d->caller_kind == l->caller_kind && d->caller_id == l->caller_id &&
	       dump_is_task_line(l->msg, l->msg_len);
}

static unsigned long first_lineno(const struct raw_incident *ri)
{
	return ri->nr ? ri->lines[0].lineno : 0;
}

/*
 * A "WARNING: <text>" with no stack after it counts when printk itself
 * marked the line (a console level and the kernel clock: "<4>[ 85.50]
 * WARNING: …"): a WARN() whose stack the console dropped, or the kernel's
 * own warning without one. A program's message on the console has neither.
 */
static bool kept_without_stack(const struct raw_incident *ri)
{
	return ri->kind == KIND_WARNING && ri->printk_marked;
}

static void close_at(struct segmenter *s, size_t i, enum seg_end why)
{
	struct raw_incident *ri = s->open[i];

	/* Keep open[] in start order: shift rather than swap. */
	memmove(&s->open[i], &s->open[i + 1], (s->nr_open - i - 1) * sizeof(s->open[0]));
	s->nr_open--;
	ri->end = why;
	if (ri->kind == KIND_NONE)
		ri->kind = ri->alone_kind;	/* a prelude nothing followed */
	/* A lone "[ cut here ]" that never got its WARNING/BUG line is noise;
	   so is a "WARNING: <text>" with no stack (a program's message). */
	if (ri->kind != KIND_NONE && !(ri->weak && !ri->saw_trace && !kept_without_stack(ri)))
		s->fn(s->data, ri);
	raw_incident_free(ri);
}

static void append(struct raw_incident *ri, const struct kline *l,
		   unsigned long lineno, uint64_t offset)
{
	struct seg_line *sl;

	ALLOC_GROW(ri->lines, ri->nr + 1, ri->alloc);
	sl = &ri->lines[ri->nr++];
	sl->msg = xmemdupz(l->msg, l->msg_len);
	sl->len = strlen(sl->msg);
	sl->lineno = lineno;
	sl->offset = offset;
	sl->ktime = l->ktime;
	sl->has_ktime = l->has_ktime;
	memcpy(sl->wall, l->wall, sizeof(sl->wall));
	ri->bytes += sl->len + 1;
}

static struct raw_incident *open_incident(struct segmenter *s, enum incident_kind kind,
					  const struct kline *l)
{
	struct raw_incident *ri;

	if (s->nr_open == MAX_OPEN)	/* pathological interleaving: oldest goes */
		close_at(s, 0, SEG_END_TOO_LONG);
	ri = xcalloc(1, sizeof(*ri));
	ri->kind = kind;
	ri->host = l->host ? xmemdupz(l->host, l->host_len) : NULL;
	ri->caller_kind = l->caller_kind;
	ri->caller_id = l->caller_id;
	s->open[s->nr_open++] = ri;
	return ri;
}

static const struct seg_line *last_line(const struct raw_incident *ri)
{
	return ri->nr ? &ri->lines[ri->nr - 1] : NULL;
}

/* A frame printed with "? " (a stale word the unwinder found). */
static bool is_unreliable_frame(const char *msg, size_t len)
{
	const char *p = mem_skip_blanks(msg, msg + len), *end = msg + len;

	while (p < end && *p == '[') {		/* "[<ffffffff81234567>] " */
		const char *q = memchr(p, ']', (size_t)(end - p));
		if (!q)
			return false;
		p = mem_skip_blanks(q + 1, end);
	}
	return p < end && *p == '?';
}

/* Does a header of this format join the open incident (formats.h)? */
static bool format_joins(const struct raw_incident *ri, const struct report_format *row,
			 bool *takes_kind)
{
	for (size_t k = 0; k < ARRAY_SIZE(row->join); k++) {
		const struct format_join *j = &row->join[k];
		if ((j->kinds & KIND_BIT(ri->kind)) && (!j->within || ri->nr <= j->within) &&
		    (j->after_trace || !ri->stack_begun)) {
			*takes_kind = j->takes_kind;
			return true;
		}
	}
	return false;
}

/* Does the start message (its row, kind and flags) belong to the open incident? */
static bool start_continues(const struct raw_incident *ri, const struct report_format *row,
			    enum incident_kind kind, unsigned flags, bool *takes_kind)
{
	*takes_kind = false;
	/*
	 * "[ cut here ]" is followed by the WARNING/BUG it announces; since
	 * 4.x, WARN()'s own message ("NETDEV WATCHDOG: …") comes in between,
	 * and a prelude ("refcount_t: underflow") comes before the cut.
	 */
	if (ri->kind == KIND_NONE && ri->cut_here && ri->nr <= PENDING_MAX_LINES)
		return true;
	/* ...and on some arches and kernels the message comes right after
	   the WARNING line ("ODEBUG: free active …" on arm 5.10). */
	if (kind == KIND_NONE && (flags & START_PRELUDE) && ri->kind == KIND_WARNING &&
	    !ri->saw_trace && ri->nr <= 3)
		return true;
	/* A panic after the registers oops_end() prints again once the report
	   is over is not that report's (header_lost.h). */
	if (kind == KIND_PANIC && ri->header_lost && ri->weak)
		return false;
	return row && kind != KIND_NONE && format_joins(ri, row, takes_kind);
}

static bool is_ratelimit_line(const char *msg, size_t len)
{
	return mem_starts_with(msg, len, "net_ratelimit: ") &&
	       mem_find(msg, len, " callbacks suppressed");
}

/*
 * sysrq messages and the blocks of a dump. Returns true when the message
 * was consumed here; ri/i are the open incident on the message's key.
 */
static bool feed_dump_line(struct segmenter *s, const struct kline *l, unsigned long lineno,
			   uint64_t offset, struct raw_incident *ri, size_t i)
{
	struct dump *d = find_dump(s, l);
	char key;

	if (d && l->has_ktime && d->has_ktime &&
	    (l->ktime - d->last_ktime > SEGMENT_GAP_SECONDS || l->ktime < d->last_ktime - 1.0)) {
		end_dump(s, d);
		d = NULL;
	}
	key = dump_sysrq_key(l->msg, l->msg_len);
	if (key) {
		enum incident_kind kind = dump_key_kind(key);
		if (d)
			end_dump(s, d);
		if (ri)
			close_at(s, i, SEG_END_NEXT);
		/* sysrq-p's registers and stack are announced: no lost header */
		if (!s->no_new && key == 'p') {
			ri = open_incident(s, KIND_NONE, l);
			ri->announced = true;
			append(ri, l, lineno, offset);
		}
		if (s->no_new || kind == KIND_NONE)
			return true;
		if (dump_key_has_members(key)) {
			start_dump(s, l, key, lineno);
		} else {
			ri = open_incident(s, kind, l);
			append(ri, l, lineno, offset);
		}
		return true;
	}
	if (!d)
		return false;
	if (is_dump_block_start(d, l)) {
		/* In a chunk's tail the block belongs to the next chunk, but
		   it still ends the one before it. */
		if (ri)
			close_at(s, i, SEG_END_NEXT);
		d->quiet = 0;
		if (l->has_ktime)
			d->last_ktime = l->ktime;
		if (s->no_new)
			return true;
		ri = open_incident(s, dump_key_kind(d->key), l);
		ri->sysrq = d->key;
		ri->dump_line = d->line;
		append(ri, l, lineno, offset);
		return true;
	}
	if (ri && ri->sysrq) {
		d->quiet = 0;
		if (l->has_ktime)
			d->last_ktime = l->ktime;
	} else if (++d->quiet > SEGMENT_DUMP_QUIET) {
		end_dump(s, d);
	}
	return false;
}

/*
 * A message that starts a report (its format row, kind and flags): it joins
 * the open report ri (index i) when the table says so, stands alone as a
 * one-line report, or closes ri and opens a report of its own.
 */
static void feed_start(struct segmenter *s, const struct kline *l, unsigned long lineno,
		       uint64_t offset, struct raw_incident *ri, size_t i,
		       const struct report_format *row, enum incident_kind kind, unsigned flags,
		       enum incident_kind alone)
{
	bool takes_kind;
	struct dump *d = find_dump(s, l);
	/* another report on the dump's printk caller: the dump is over */
	if (d && d->caller_kind == l->caller_kind && d->caller_id == l->caller_id)
		end_dump(s, d);
	if (ri && ri->kind == KIND_TCP_MEM && kind == KIND_TCP_MEM) {
		ri->flood_count++;
		append(ri, l, lineno, offset);
		return;
	}
	if (ri && start_continues(ri, row, kind, flags, &takes_kind)) {
		if (ri->kind == KIND_NONE || takes_kind) {
			ri->kind = kind;
			ri->weak = flags & START_WEAK;
			ri->printk_marked = l->level >= 0 && l->has_ktime;
			ri->unrelated_run = 0;	/* (other CPUs' frames before it) */
		}
		append(ri, l, lineno, offset);
		return;
	}
	/*
	 * One-line reports (I/O errors, "unregister_netdevice: waiting")
	 * are printed between the lines of other reports: they stand
	 * alone and leave the open report open.
	 */
	if (is_single_line_kind(kind) && !s->no_new) {
		struct raw_incident *one = open_incident(s, kind, l);
		append(one, l, lineno, offset);
		close_at(s, s->nr_open - 1, SEG_END_MARKER);
		return;
	}
	if (ri)
		close_at(s, i, SEG_END_NEXT);
	if (s->no_new)
		return;
	ri = open_incident(s, kind, l);
	ri->alone_kind = alone;
	ri->cut_here = flags & (START_CUT_HERE | START_PRELUDE);
	ri->weak = flags & START_WEAK;
	/* printk's own marks: a console level and the kernel clock */
	ri->printk_marked = l->level >= 0 && l->has_ktime;
	if (kind == KIND_TCP_MEM)
		ri->flood_count = 1;
	append(ri, l, lineno, offset);
}

/*
 * A line while only a "[ cut here ]" or a prelude is open (its header has
 * not come yet). Returns true when the line was dealt with here; false:
 * it is the report's own (WARN()'s message) and is appended as usual.
 */
static bool feed_pending_line(struct segmenter *s, const struct kline *l,
			      struct raw_incident *ri, size_t i)
{
	/*
	 * Before its header a report has no stack yet: frames here are
	 * another CPU's, printed in between. They are not kept and count
	 * apart from the report's own lines.
	 */
	enum line_role role = classify_cont(l->msg, l->msg_len);

	if (role == ROLE_FRAME || role == ROLE_TRACE_MARK || role == ROLE_STACK_WORDS) {
		if (++ri->unrelated_run > SEGMENT_MAX_INTERLEAVED)
			close_at(s, i, SEG_END_UNRELATED);
		return true;
	}
	/* A "[ cut here ]" that no WARNING/BUG followed; a prelude that is a
	   report alone ends at the first line not of one. */
	if (ri->nr >= PENDING_MAX_LINES || ri->alone_kind != KIND_NONE) {
		close_at(s, i, SEG_END_UNRELATED);
		return true;
	}
	return false;
}

/*
 * A report whose header was lost opens on a later line that says what it is
 * (header_lost.h). Returns true when the message was consumed here; ri/i
 * are the open incident on the message's key.
 */
static bool feed_header_lost(struct segmenter *s, const struct kline *l, unsigned long lineno,
			     uint64_t offset, struct raw_incident *ri, size_t i)
{
	bool weak;
	enum incident_kind kind;

	if (s->no_new)
		return false;
	if (!ri && header_lost_announced(l->msg, l->msg_len)) {
		ri = open_incident(s, KIND_NONE, l);
		ri->announced = true;
		append(ri, l, lineno, offset);
		return true;
	}
	kind = header_lost_start(l->msg, l->msg_len, &weak);
	if (kind == KIND_NONE)
		return false;
	/* A die banner after a report's stack is the next report's. */
	if (ri && !(ri->saw_trace && !weak && ri->kind != KIND_NONE))
		return false;
	if (ri)
		close_at(s, i, SEG_END_NEXT);
	ri = open_incident(s, kind, l);
	ri->header_lost = true;
	ri->weak = weak;
	append(ri, l, lineno, offset);
	return true;
}

/*
 * A line for the open report RI (the I-th open one) that starts nothing:
 * whether it ends the report (by its kind's end rule, an end marker,
 * too much interleaved noise, the size bound) or belongs to it.
 */
static void feed_open_report(struct segmenter *s, struct raw_incident *ri, size_t i,
			     const struct kline *l, unsigned long lineno, uint64_t offset)
{
	enum line_role role;

	if (ri->kind == KIND_TCP_MEM) {
		if (is_ratelimit_line(l->msg, l->msg_len)) {
			long long n = 0;
			parse_dec(l->msg + strlen("net_ratelimit: "), l->msg + l->msg_len, &n);
			ri->suppressed += (unsigned long)(n > 0 ? n : 0);
			append(ri, l, lineno, offset);
		} else {
			close_at(s, i, SEG_END_UNRELATED);
		}
		return;
	}
	/* show_mem() and lockdep's list end where their kind of message ends */
	if ((ri->kind == KIND_SYSRQ_MEM && !dump_is_show_mem_line(l->msg, l->msg_len)) ||
	    (ri->kind == KIND_SYSRQ_LOCKS && !locks_is_table_line(l->msg, l->msg_len))) {
		close_at(s, i, SEG_END_UNRELATED);
		return;
	}
	if (format_kind_end(ri->kind) == END_SIGNAL_LINE) {
		/* "Code: …" follows a segfault line on newer kernels. */
		if (mem_starts_with(l->msg, l->msg_len, "Code: ") && ri->nr == 1) {
			append(ri, l, lineno, offset);
			return;
		}
		close_at(s, i, SEG_END_UNRELATED);
		return;
	}
	role = classify_cont(l->msg, l->msg_len);
	/* A register dump without its header is a report only with a stack
	   right after the registers (header_lost.h). */
	if (ri->header_lost && ri->weak && !ri->saw_trace && role == ROLE_OTHER) {
		close_at(s, i, SEG_END_UNRELATED);
		return;
	}
	/* A lost header's banner ("Oops: 0000 [#1] SMP") is followed by its
	   registers and stack within a few dozen lines (__die() → show_regs());
	   a banner quoted in prose is not a report that runs on and on. */
	if (ri->header_lost && !ri->saw_trace && role == ROLE_OTHER &&
	    ri->nr >= SEGMENT_MAX_INTERLEAVED * 8) {
		close_at(s, i, SEG_END_UNRELATED);
		return;
	}
	if (role == ROLE_END) {
		append(ri, l, lineno, offset);
		close_at(s, i, SEG_END_MARKER);
		return;
	}
	/*
	 * Lockdep prints the dependency chain (frames) before the report's
	 * own "stack backtrace:"; only a trace mark starts the stack there.
	 */
	/* the ip a 2.6 x86_64 Oops header announced is not the stack */
	if (role == ROLE_FRAME && ri->nr == 1 &&
	    classify_announces_ip(ri->lines[0].msg, ri->lines[0].len))
		role = ROLE_REPORT;
	if (role == ROLE_TRACE_MARK || (role == ROLE_FRAME && ri->kind != KIND_LOCKDEP)) {
		ri->saw_trace = true;
		/* "? f" words before any trace mark or reliable frame are
		   another CPU's stack printed in between */
		ri->stack_begun |= role == ROLE_TRACE_MARK || !is_unreliable_frame(l->msg, l->msg_len);
	}
	else if (role == ROLE_OTHER && !ri->saw_trace && ri->kind == KIND_WORKQUEUE_LOCKUP &&
		 !workqueue_is_dump_line(l->msg, l->msg_len)) {
		/* the busy-workqueues dump is over and no worker stack follows */
		close_at(s, i, SEG_END_UNRELATED);
		return;
	} else if (role == ROLE_OTHER && ri->saw_trace && ri->kind != KIND_OOM) {
		/*
		 * Other messages without a caller id get printed between the
		 * frames of a report: skip a few before deciding it ended.
		 */
		/* Program output without a kernel timestamp is not the kernel's. */
		if (!l->has_ktime && ri->nr && ri->lines[0].has_ktime)
			return;
		/* Before its first frame a trace can wait behind more noise. */
		if (++ri->unrelated_run > (ri->saw_frame ? SEGMENT_MAX_INTERLEAVED :
					   SEGMENT_MAX_INTERLEAVED * 8)) {
			close_at(s, i, SEG_END_UNRELATED);
			return;
		}
		return;
	}
	/*
	 * After unrelated messages, the stack goes on only in the same burst
	 * of output (a report prints its frames within milliseconds); later
	 * frames are another story, and the report ended at the first of them.
	 */
	if ((role == ROLE_FRAME || role == ROLE_TRACE_MARK) && ri->unrelated_run) {
		const struct seg_line *last = last_line(ri);
		if (!l->has_ktime || !last || !last->has_ktime ||
		    l->ktime - last->ktime > SEGMENT_INTERLEAVE_SECONDS) {
			close_at(s, i, SEG_END_UNRELATED);
			return;
		}
	}
	if (role == ROLE_FRAME || role == ROLE_TRACE_MARK)
		ri->unrelated_run = 0;
	if (role == ROLE_FRAME)
		ri->saw_frame = true;
	append(ri, l, lineno, offset);
	/* The OOM report ends with the kill line. */
	if (format_kind_end(ri->kind) == END_KILL_LINE &&
	    (mem_find(l->msg, l->msg_len, "Killed process ") ||
	     mem_find(l->msg, l->msg_len, "Kill process "))) {
		close_at(s, i, SEG_END_MARKER);
		return;
	}
	if (ri->nr >= SEGMENT_MAX_LINES || ri->bytes >= SEGMENT_MAX_BYTES)
		close_at(s, i, SEG_END_TOO_LONG);
}

void segmenter_feed_line(struct segmenter *s, const struct kline *l,
			 unsigned long lineno, uint64_t offset)
{
	struct raw_incident *ri = NULL;
	size_t i;
	unsigned flags;
	enum incident_kind kind;
	const struct report_format *row;
	enum incident_kind alone;

	for (i = 0; i < s->nr_open; i++)
		if (same_key(s->open[i], l)) {
			ri = s->open[i];
			break;
		}
	/* A quiet gap on the kernel clock ends the open incident. */
	if (ri && l->has_ktime) {
		const struct seg_line *last = last_line(ri);
		double gap = ri->kind == KIND_TCP_MEM ? SEGMENT_FLOOD_WINDOW :
			     SEGMENT_GAP_SECONDS;
		if (last && last->has_ktime &&
		    (l->ktime - last->ktime > gap || l->ktime < last->ktime - 1.0)) {
			close_at(s, i, SEG_END_GAP);
			ri = NULL;
		}
	}
	if (feed_dump_line(s, l, lineno, offset, ri, i))
		return;
	row = format_find(l->msg, l->msg_len);
	kind = row ? row->kind : KIND_NONE;
	flags = row ? row->flags & (START_CUT_HERE | START_PRELUDE | START_WEAK) : 0;
	if (!reboot_watch_line(s->reboots, l, lineno, kind) && kind == KIND_REBOOT)
		kind = KIND_NONE;	/* a restart that was announced, or the log's start */
	/* A prelude that is a report of its own kind when nothing follows it
	   (formats.h): pending until then. */
	alone = KIND_NONE;
	if ((flags & START_PRELUDE) && kind != KIND_NONE) {
		alone = kind;
		kind = KIND_NONE;
	}
	if (kind != KIND_NONE || flags) {
		feed_start(s, l, lineno, offset, ri, i, row, kind, flags, alone);
		return;
	}
	if (feed_header_lost(s, l, lineno, offset, ri, i))
		return;
	if (!ri)
		return;
	/* A register dump that said why it is printed (sysrq-p, "NMI
	   backtrace"): its lines are its own, held until it ends, never a
	   report (header_lost.h). */
	if (ri->kind == KIND_NONE && ri->announced) {
		append(ri, l, lineno, offset);
		return;
	}
	if (ri->kind == KIND_NONE && feed_pending_line(s, l, ri, i))
		return;
	feed_open_report(s, ri, i, l, lineno, offset);
}

void segmenter_stop_opening(struct segmenter *s)
{
	s->no_new = true;
}

bool segmenter_idle(const struct segmenter *s)
{
	return s->nr_open == 0 && (s->no_new || s->nr_dumps == 0);
}

unsigned long segmenter_first_open_line(const struct segmenter *s)
{
	return s->nr_open ? first_lineno(s->open[0]) : (unsigned long)-1;
}

void segmenter_close_host(struct segmenter *s, const char *host)
{
	size_t i = 0;

	while (i < s->nr_open) {
		const char *h = s->open[i]->host;
		if ((!h && !host) || (h && host && !strcmp(h, host)))
			close_at(s, i, SEG_END_BOOT);
		else
			i++;
	}
	i = 0;
	while (i < s->nr_dumps) {
		const char *h = s->dumps[i].host;
		if ((!h && !host) || (h && host && !strcmp(h, host)))
			end_dump(s, &s->dumps[i]);
		else
			i++;
	}
}

void segmenter_finish(struct segmenter *s)
{
	if (!s)
		return;
	while (s->nr_open)
		close_at(s, 0, SEG_END_EOF);
	while (s->nr_dumps)
		end_dump(s, &s->dumps[0]);
	reboot_watch_free(s->reboots);
	free(s);
}
