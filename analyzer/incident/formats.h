/*
** formats: the table of report formats ksift knows — one row per header the
** kernel prints, in the order they are tried. A row says how to recognise
** the header (what the message starts with, holds, or passes), the kind of
** incident it opens, how it joins a report already open, how the header is
** read, the title it gets and which stack names the guilty function, how
** the report ends, and, as documentation, the kernel function that prints
** it with the eras and architectures it was seen on. The README's list of
** supported formats is generated from it (formats-doc, `make formats-doc`).
**
** A new format is a row here, not a branch in the parser. Rows are tried in
** order; the first that matches decides, and a row of KIND_NONE without
** flags says "not a report" (a driver's "INFO: …" message). A report whose
** header was lost is one more row: its test recognises the body line that
** survives (a register dump, "Call Trace:" after nothing), its kind is the
** one the body implies, and titles fall back to that kind's first row
** (format_of_kind()) when no header line of the kind is in the text.
**
** Owns nothing; the table is constant. Pure functions over message bytes.
*/
#ifndef KSIFT_FORMATS_H
#define KSIFT_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident.h"

/* How a header is told (classify.h's start flags are the same bits). */
enum format_flags {
	FMT_CUT_HERE = 1,	/* "------------[ cut here ]------------" */
	FMT_PRELUDE = 2,	/* explains the WARNING that follows */
	FMT_WEAK = 4,		/* an incident only if a stack trace follows */
	FMT_ANYWHERE = 8,	/* `has` may sit anywhere: the message starts with a name */
	FMT_REAL_DEVICE = 16,	/* not for loop/nbd devices (their backing file failed) */
};

/* Which stack names the guilty function (TITLES.md "Which stack"). */
enum func_source {
	FUNC_NONE,		/* the title names no function */
	FUNC_STACK,		/* first meaningful frame: the ip, then the task stack */
	FUNC_STALL,		/* the frame above the first dispatcher the loop ran under */
	FUNC_LOCK,		/* lockdep's "at:" line of the lock taken, then the stack */
	FUNC_HEADER,		/* the header's own function unless generic, then the stack */
	FUNC_ALLOC,		/* the allocation backtrace (a leak's only stack) */
};

/* How the "what happened" part of the title is made. */
enum title_shape {
	TS_FIXED,		/* the row's title, up to " in %F" */
	TS_OOPS,		/* by the fault: paging request / NULL pointer dereference */
	TS_TRAP,		/* the trap's name as printed ("divide error") */
	TS_BUG,			/* "kernel BUG", "BUG: <message>", SLUB's banner */
	TS_WARNING,		/* "WARNING", or specialised by what warned */
	TS_LOCKDEP,		/* by lockdep's message */
	TS_SANITIZER,		/* "KASAN: <bug type> <access>" */
	TS_PANIC,		/* "kernel panic: <message up to its variable part>" */
	TS_SUMMARY,		/* a one-line report's summary (device normalised) */
	TS_SEGFAULT,		/* "segfault in COMM (OBJECT)" */
	TS_OOM,			/* "out of memory: killed VICTIM" */
	TS_FUZZER,		/* syzkaller's failure message, numbers as NUM */
};

/* How the report ends (the segmenter's rule for it). */
enum report_end {
	END_STACK,		/* "---[ end trace", the next report, or unrelated lines after its stack */
	END_ONE_LINE,		/* the header line is the whole report */
	END_SIGNAL_LINE,	/* the line, and the "Code:" line newer kernels print after it */
	END_FLOOD,		/* rate-limited one-liners merge within a window */
	END_KILL_LINE,		/* the OOM killer's "Killed process" line */
	END_TABLE,		/* its own kind of line stops (sysrq tables) */
};

/* Joins a report already open on the same printk caller. */
struct format_join {
	uint64_t kinds;		/* bit per enum incident_kind; 0: joins nothing */
	unsigned within;	/* at most this many lines into it (0: any) */
	bool after_trace;	/* also once its stack has begun */
	bool takes_kind;	/* the report becomes this row's kind */
};

#define KIND_BIT(k) (UINT64_C(1) << (k))
#define ANY_KIND (~UINT64_C(0) & ~KIND_BIT(KIND_NONE))

typedef void (*header_parser)(struct incident *inc, const char *msg, size_t len);

struct report_format {
	/* recognising the header */
	const char *prefix;	/* the message starts with this */
	const char *has;	/* ... and holds this (NULL: nothing more) */
	bool (*test)(const char *msg, size_t len);	/* ... and passes this */
	const char *what;	/* what the test asks, for the documentation */
	enum incident_kind kind;
	unsigned flags;		/* enum format_flags */
	struct format_join join[2];
	/* reading and naming it */
	header_parser parse;	/* what the header line says; NULL: nothing */
	enum title_shape shape;
	const char *title;	/* the title, "%F" for the function */
	enum func_source func;
	enum report_end end;
	/* documentation (README "Supported report formats") */
	const char *printer;	/* the kernel function that prints the header */
	const char *eras;	/* "2.6-6.x" */
	const char *arches;	/* "all", "x86", "arm64, arm" … */
};

/* The row the message matches (leading blanks skipped), NULL for none. */
const struct report_format *format_find(const char *msg, size_t len);

/* The first row of a kind: its title shape, function source and end. */
const struct report_format *format_of_kind(enum incident_kind kind);
/* How reports of this kind end (END_STACK for kinds without a row). */
enum report_end format_kind_end(enum incident_kind kind);

/* The whole table, for the documentation generator and tests. */
const struct report_format *format_table(size_t *nr);
const char *func_source_name(enum func_source src);

/*
 * syzkaller's executor or fuzzer failing ("SYZFAIL: SIGBUS", "2022/10/02
 * 11:34:15 SYZFATAL: executor 4 failed 11 times: …"): where "SYZ" starts in
 * msg, or NULL.
 */
const char *format_fuzzer_failure(const char *msg, size_t len);
/* slab_bug()'s "BUG <cache> (<taint>): MESSAGE" or, before 2.6.3x, "BUG
   <cache>: MESSAGE": where MESSAGE starts in msg, NULL for other lines. */
const char *format_slub_message(const char *msg, size_t len);
/* SLUB debug's "INFO: Allocated in f+0x1/0x2 age=N cpu=N pid=N" (or Freed). */
bool format_is_slub_track(const char *msg, size_t len);

#endif
