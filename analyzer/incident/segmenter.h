/*
** segmenter: find where each incident starts and ends in a stream of kernel
** messages, keeping apart lines from different hosts and different printk
** callers ([T123]/[C3]) so interleaved reports do not merge.
**
** An incident opens on a start message (classify_start) and takes the later
** messages of the same (host, caller) while they look like part of a report;
** it ends at "---[ end trace", at the next start on the same key, at the
** first unrelated message after its stack, after a quiet gap of
** SEGMENT_GAP_SECONDS on the kernel clock, at SEGMENT_MAX_LINES, or at the end
** of input (then marked "cut off at end of input").
**
** sysrq dumps (dump.h): after a "sysrq: Show State"-like message the host is
** in a dump; each task (or CPU) block of it opens an incident of its own,
** until a quiet gap, another report on that host, a boot, or
** SEGMENT_DUMP_QUIET messages with no block of the dump.
**
** Owns: open incidents and their copied lines. A finished raw_incident is
** lent to the done callback as soon as it closes (so it is parsed with the
** boot context it belongs to) and freed when it returns. Incidents close in
** the order their ends are seen; the scanner restores input order.
*/
#ifndef KSIFT_SEGMENTER_H
#define KSIFT_SEGMENTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident.h"
#include "normalize.h"

#define SEGMENT_GAP_SECONDS 10.0
#define SEGMENT_MAX_LINES 4000
/* Unrelated messages tolerated between the frames of a report. */
#define SEGMENT_MAX_INTERLEAVED 8
/* ... and only while the report's burst of output lasts. */
#define SEGMENT_INTERLEAVE_SECONDS 0.15
#define SEGMENT_MAX_BYTES (1024 * 1024)
/* Messages of a host that belong to no block before its sysrq dump ends. */
#define SEGMENT_DUMP_QUIET 256
/* Single-line rate-limited messages (tcp_mem) within this window merge. */
#define SEGMENT_FLOOD_WINDOW 60.0

struct seg_line {
	char *msg;		/* NUL-free copy of the kernel message */
	size_t len;
	unsigned long lineno;
	uint64_t offset;
	double ktime;
	bool has_ktime;
	char wall[40];
};

enum seg_end {
	SEG_END_MARKER,		/* "---[ end trace" / "---[ end Kernel panic" */
	SEG_END_NEXT,		/* another incident started on the same key */
	SEG_END_UNRELATED,	/* an unrelated message after the trace */
	SEG_END_GAP,		/* quiet gap on the kernel clock */
	SEG_END_TOO_LONG,	/* SEGMENT_MAX_LINES / SEGMENT_MAX_BYTES reached */
	SEG_END_EOF,		/* input ended while the incident was open */
	SEG_END_BOOT,		/* the host booted again */
};

struct raw_incident {
	enum incident_kind kind;	/* from the start message */
	char *host;			/* NULL when unnamed */
	char caller_kind;
	unsigned caller_id;
	struct seg_line *lines;
	size_t nr, alloc, bytes;
	bool saw_trace;			/* a frame or trace marker was seen */
	bool cut_here;			/* opened by "[ cut here ]" */
	enum incident_kind alone_kind;	/* a prelude's own kind when nothing follows it */
	bool weak;			/* dropped unless a stack trace follows */
	bool printk_marked;		/* its first line had a console level and kernel time */
	bool saw_frame;			/* a frame line was seen */
	bool stack_begun;		/* a trace mark or a reliable frame was seen */
	bool header_lost;		/* opened on a later line (header_lost.h) */
	bool announced;			/* a register dump said why it is printed:
					   held, never reported */
	unsigned unrelated_run;		/* unrelated messages since the last frame */
	enum seg_end end;
	/* tcp_mem floods: messages merged and "callbacks suppressed" counts. */
	unsigned long flood_count, suppressed;
	/* A block of a sysrq dump: the key ('t', 'w', 'l'; 0 otherwise) and
	   the line of the "sysrq: …" message that started the dump. */
	char sysrq;
	unsigned long dump_line;
};

typedef void (*segment_done_fn)(void *data, struct raw_incident *ri);

struct segmenter;

struct segmenter *segmenter_new(segment_done_fn fn, void *data);
/* Feed one kernel message (origin RAW or KERNEL) with its position. */
void segmenter_feed_line(struct segmenter *s, const struct kline *l,
			 unsigned long lineno, uint64_t offset);
/*
 * Past a chunk's end: keep feeding the open incidents (and let starts close
 * them) but open no new ones; they belong to the next chunk.
 */
void segmenter_stop_opening(struct segmenter *s);
/* true when no incident or dump is open: lines without a start can be skipped. */
bool segmenter_idle(const struct segmenter *s);
/* First line of the earliest open incident, ULONG_MAX when none. */
unsigned long segmenter_first_open_line(const struct segmenter *s);
/* Close the open incidents of one host (NULL: the unnamed one). */
void segmenter_close_host(struct segmenter *s, const char *host);
/* Close every open incident (end of input) and free the segmenter. */
void segmenter_finish(struct segmenter *s);

#endif
