/*
** incident: the structured record of one kernel incident (DESIGN.md,
** "Incident record"). Parsers fill it, the symbolizer adds src/inlined to
** frames, the matcher adds matches, sinks print it.
**
** The struct is public on purpose: it is a record that every stage reads.
** Owns: every pointer inside (strings, arrays, frames, extras, matches).
** incident_free() releases all of it. Strings are NUL-free C strings copied
** from the log; they may hold invalid UTF-8 (the JSON writer repairs it).
*/
#ifndef KSIFT_INCIDENT_H
#define KSIFT_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

enum incident_kind {
	KIND_NONE = 0,
	KIND_OOPS,		/* paging request, NULL dereference, generic Oops */
	KIND_GPF,		/* general protection fault, stack segment fault */
	KIND_BUG,		/* kernel BUG at, BUG: <misc> */
	KIND_WARNING,
	KIND_HUNG_TASK,
	KIND_SOFT_LOCKUP,
	KIND_HARD_LOCKUP,
	KIND_RCU_STALL,
	KIND_PANIC,
	KIND_TCP_MEM,
	KIND_SEGFAULT,
	KIND_OOM,
	KIND_KASAN,
	KIND_KFENCE,
	KIND_KMSAN,
	KIND_KCSAN,
	KIND_UBSAN,
	KIND_LOCKDEP,
	KIND_KMEMLEAK,
	KIND_PAGE_ALLOC_FAILURE,
	KIND_MCE,
	KIND_IO_ERROR,
	KIND_FS_ERROR,
	KIND_NETDEV,		/* unregister_netdevice: waiting for DEV */
	KIND_WORKQUEUE_LOCKUP,
	KIND_TRAP,		/* divide error, invalid opcode, int3, double fault */
	KIND_SYSRQ_TASKS,
	KIND_SYSRQ_CPUS,
	KIND_SYSRQ_MEM,
	KIND_CONDITION,		/* a known-bad host state from a signature */
	KIND_TASK_DUMP,		/* a group of tasks/CPUs (floods, sysrq) */
	KIND_SYSRQ_LOCKS,	/* sysrq-d: "Showing all locks held in the system" */
	KIND_REBOOT,		/* the firmware banner with no panic or restart before it */
	KIND_FUZZER_FAILURE,	/* syzkaller's executor gave up: "SYZFAIL:", "SYZFATAL:" */
	KIND_PROFILE,		/* a finding of a CPU profile (perf script/report, folded) */
	KIND_PROC_STACK,	/* one task of a /proc/PID/stack capture */
	KIND_COREDUMP,		/* a userspace process dumped core (core file, systemd-coredump) */
	KIND__COUNT
};

const char *incident_kind_name(enum incident_kind kind);
/* Returns KIND_NONE for an unknown name. */
enum incident_kind incident_kind_from_name(const char *name);

struct inline_frame {
	char *func;
	char *src;		/* "file:line", NULL when unknown */
};

struct frame {
	char *func;		/* NULL when the line printed only an address */
	uint64_t off, size;	/* valid when has_off */
	uint64_t addr;		/* valid when has_addr */
	char *module;		/* "[kvm]" → "kvm"; NULL for vmlinux */
	char *build_id;		/* "[kvm 1a2b…]" → "1a2b…" */
	/* Userspace frames: the address relative to the module's load address
	   (systemd-coredump's "(libc.so.6 + 0x3cfb2)"), stable across ASLR. */
	uint64_t module_off;
	bool has_module_off;
	bool has_off, has_addr;
	bool reliable;		/* false for "? func" frames */
	/* Filled by the symbolizer (symbols/); NULL/0 until then. */
	char *src;
	struct inline_frame *inlined;
	size_t nr_inlined;
};

enum stack_context {
	STACK_TASK, STACK_IRQ, STACK_SOFTIRQ, STACK_NMI, STACK_EXCEPTION,
	STACK_ALLOC,		/* KASAN/KFENCE "Allocated by" */
	STACK_FREE,		/* "Freed by" */
	STACK_OTHER,
	STACK_THREAD,		/* a userspace thread of a core dump */
};
const char *stack_context_name(enum stack_context ctx);

struct stack {
	enum stack_context context;
	long long tid;		/* STACK_THREAD: the thread's id (0: unknown) */
	bool crashed;		/* STACK_THREAD: the thread that took the signal */
	char *stopped;		/* why the unwinder stopped early; NULL: ended normally */
	struct frame *frames;
	size_t nr, alloc;
};

/* A per-kind fact: blocked seconds, stall duration, OOM victim, … */
struct extra {
	char *key;
	char *str;		/* string value, or NULL for a number */
	long long num;
};

struct match_evidence {
	char *predicate;	/* "frames", "kernel", "boot-regex", … */
	char *detail;		/* the line or value that matched */
	unsigned long line;	/* the log line detail quotes ("line N: …"), 0: none */
};

struct match {
	char *id, *title, *severity, *fix, *workaround;
	struct match_evidence *evidence;
	size_t nr_evidence;
	int specificity;	/* higher first */
	/* Does this kernel carry the fix: "affected", "fixed", "unaffected",
	   "unknown"; fix_detail says why. */
	char *fix_status, *fix_detail;
	/* The signature's lifecycle: status "active"; NULL when not given. */
	char *status, *superseded_by, *duplicate_of, *owner;
	char **cves, **links;	/* links: any scheme as written (sinks check) */
	size_t nr_cves, nr_links;
	/* The matcher's: a predicate decided only after grouping (the lock a
	   flood waits for), NULL when none is left. */
	const void *pending;
};

struct incident_member {	/* one task/CPU of a grouped flood or dump */
	char *comm;
	long long pid;
	char *state;
	int cpu;
	unsigned long line;
	char *lock;		/* the lock it waits for, from a held-locks table */
};

/* One entry of a lockdep held-locks list: " #2: ffff… (pernet_ops_rwsem){++++}-{3:3},
   at: cleanup_net+0x9b/0xa50". */
struct held_lock {
	char *name;		/* the lock class: "pernet_ops_rwsem", "&rq->lock" */
	char *addr;		/* the lock's address; NULL on kernels that omit it */
	char *at;		/* where it was taken: "cleanup_net+0x9b/0xa50" */
};

/* "3 locks held by kworker/u4:7/338:" and the lines under it. */
struct task_locks {
	char *comm;
	long long pid;
	struct held_lock *locks;
	size_t nr, alloc;
};

/* One row of a profile's tables: a comm, a function, a call path. */
struct profile_row {
	char *name;		/* comm or function; NULL for a bare call path */
	char *module;		/* a function's module; NULL: vmlinux or unknown */
	unsigned long long samples;
	char **path;		/* a call path, outermost caller first; NULL: none */
	size_t nr_path;
};

struct profile;			/* the folded stacks (profile.h) */

/* What a profile record says about the whole profile (kind profile). */
struct profile_summary {
	char *format;		/* "perf script", "perf report", "folded stacks" */
	char *event;		/* "cpu-clock", "cycles"; NULL when not printed */
	unsigned long long samples;
	double duration;	/* seconds between first and last sample; < 0: unknown */
	double threshold;	/* percent of samples that makes a finding */
	char *finding;		/* "lock contention", "high CPU" */
	char *func;		/* the function the finding is in */
	unsigned long long finding_samples;
	struct profile_row *comms, *self, *paths, *contention;
	size_t nr_comms, nr_self, nr_paths, nr_contention;
	/* Borrowed while the record is matched against signatures (the
	   profile-share predicate reads every stack); NULL afterwards. */
	const struct profile *fold;
};

struct incident {
	enum incident_kind kind;
	char *title;
	char *host;			/* NULL when the input names none */

	struct {
		const char *path;	/* borrowed from the scan: outlives records */
		unsigned long line, end_line;	/* 1-based, decompressed input */
		uint64_t offset;	/* byte offset of the first line */
	} source;

	double ktime;			/* kernel timestamp of the first line */
	bool has_ktime;
	char *wall;			/* ISO-8601 wall time, may lack a year */
	char *wall_inferred;		/* wall lacks a year: with one (walltime.h) */

	struct {
		char *release, *build, *tainted, *hardware, *arch;
		char *hypervisor, *cmdline;
	} kernel;

	struct {
		char *comm, *state;
		long long pid;		/* -1 when unknown */
		int cpu;		/* -1 when unknown */
	} task;

	struct frame ip;
	bool has_ip;
	size_t ip_stack;		/* stacks printed before the ip line */

	struct stack *stacks;
	size_t nr_stacks, alloc_stacks;

	char **modules;
	size_t nr_modules, alloc_modules;

	char *registers;		/* register dump lines, '\n'-joined */
	char *code;			/* the Code: bytes */

	struct extra *extras;
	size_t nr_extras, alloc_extras;

	struct incident_member *members;
	size_t nr_members, alloc_members;

	/* Held-locks lists the report printed (lockdep, khungtaskd, sysrq-d). */
	struct task_locks *held;
	size_t nr_held, alloc_held;

	bool corrupted;
	char *corrupt_reason;

	/* The boot context the parser used was seen from the boot's start. */
	bool boot_seen;
	/*
	 * The boot this incident belongs to, as the line (same numbering as
	 * source.line) where its host's boot starts in this input, or where
	 * the host's lines start when the log does not show the boot; 0 when
	 * unknown (records that describe a boot rather than happen in it).
	 */
	unsigned long boot_line;

	/*
	 * The earlier incident of the same boot this one most likely follows
	 * from (follows.h): its source.line in the same input (0: none), its
	 * title and why. Set in delivery order, after grouping.
	 */
	struct {
		unsigned long line;
		char *title;
		const char *rule;	/* static: "panic", "lock", "task", "taint", "cpu" */
		char *reason;
	} follows;

	char hash[17];			/* 16 hex digits, see cluster_hash() */

	struct match *matches;
	size_t nr_matches, alloc_matches;

	/* Kind profile: the profile's tables (incident_free() frees them). */
	struct profile_summary *profile;

	/* The kernel messages of the incident, one per line, wrappers stripped. */
	struct strbuf text;
	size_t nr_lines;
};

/*
 * The functions below never fail (allocation failure dies, util.h). The
 * "add" functions return a zeroed element inside the incident: it is valid
 * until the next add of the same kind (the array may move) and is owned and
 * freed by the incident. Strings passed in are copied.
 */

/* A new, empty incident of this kind; incident_free() releases it. */
struct incident *incident_new(enum incident_kind kind);
void profile_summary_free(struct profile_summary *ps);
/* Everything the incident owns, then the incident; NULL is ignored. */
void incident_free(struct incident *inc);

struct stack *incident_add_stack(struct incident *inc, enum stack_context ctx);
struct frame *stack_add_frame(struct stack *st);
/* The strings a frame owns (func, module, src, inlined); f itself stays. */
void frame_release(struct frame *f);
/* dst becomes a deep copy of src (dst's old contents are not freed). */
void frame_copy(struct frame *dst, const struct frame *src);

/* Append a copy of name[0..len) to the modules list. */
void incident_add_module(struct incident *inc, const char *name, size_t len);
/* Fill the kernel facts the report itself did not give (NULL: unknown). */
void incident_fill_kernel(struct incident *inc, const char *release, const char *build,
			  const char *hardware, const char *hypervisor, const char *arch,
			  const char *cmdline);
/* *field = a copy of s[0..len) (NULL when s is NULL); the old value is freed. */
void incident_set_str(char **field, const char *s, size_t len);
/* Set extra key (replacing any value it had; val is copied). */
void incident_extra_str(struct incident *inc, const char *key, const char *val);
void incident_extra_num(struct incident *inc, const char *key, long long val);
/* The extra named key, or NULL. Valid until the next incident_extra_*()
   call on inc. */
const struct extra *incident_extra(const struct incident *inc, const char *key);
struct incident_member *incident_add_member(struct incident *inc);
/* A task's held-locks list (lockdep), comm copied; locks added to it with
   task_locks_add(). */
struct task_locks *incident_add_task_locks(struct incident *inc, const char *comm,
					   size_t comm_len, long long pid);
struct held_lock *task_locks_add(struct task_locks *tl);
void task_locks_release(struct task_locks *tl);
struct match *incident_add_match(struct incident *inc);
/* Append evidence (pred and detail copied; detail may be NULL). */
void match_add_evidence(struct match *m, const char *pred, const char *detail);
/* Evidence quoting log line `line`: its detail reads "line N: text". */
void match_add_line_evidence(struct match *m, const char *pred, unsigned long line,
			     const char *text);
/*
 * Move every line number of an incident by delta: its source, its members,
 * and evidence quoting log lines. Chunked and resumed scans number lines
 * from where they started; this makes them the file's (scan.c, runner.c).
 */
void incident_rebase_lines(struct incident *inc, long delta);
/* Everything m owns; m is zeroed (the slot itself belongs to the incident). */
void match_release(struct match *m);

#endif
