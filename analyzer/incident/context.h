/*
** context: facts kept per (host, boot) while scanning — kernel release and
** build, taint, hardware, hypervisor, command line, CPU model — plus a bounded
** copy of the boot's early kernel lines so signatures can test "a line seen
** during that boot" (boot-regex) without keeping the whole log.
**
** A new boot starts at "Linux version …", at a journal "-- Boot … --" marker,
** or when the kernel clock jumps back to near zero. When a boot ends (new
** boot, end of input) the scanner hands the finished boot_context to its
** boot_end hook (signature conditions are decided there).
**
** Owns: every string and the line buffer; the tracker owns the contexts and
** frees them; hooks borrow them for the duration of the call.
*/
#ifndef KSIFT_CONTEXT_H
#define KSIFT_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "normalize.h"
#include "strbuf.h"

/* Early-boot lines kept for boot-regex: at most this many, first ones only. */
#define BOOT_LINES_MAX 4000
#define BOOT_BYTES_MAX (512 * 1024)

struct boot_context {
	char *host;		/* NULL when the input names none */
	const char *path;	/* borrowed: the file being scanned */
	unsigned long first_line;	/* where the boot (or the file) starts */
	char *release;		/* "4.4.0-137-generic" */
	char *build;		/* "163-Ubuntu" (text after '#') */
	char *version_line;	/* the whole "Linux version …" message */
	char *tainted;
	char *hardware;		/* "Hardware name:" or "DMI:" */
	char *hypervisor;	/* "Hypervisor detected: KVM" → "KVM" */
	char *cmdline;
	char *cpu_model;
	char *arch;
	bool saw_boot;		/* the log shows this boot starting */
	bool began;		/* this boot's start was observed (Linux version,
				   a journal boot marker, the clock restarting) */
	bool boot_phase;	/* still keeping this boot's early lines */
	unsigned long lines_seen;	/* kernel lines observed in this boot */
	/* Early kernel messages, '\n'-terminated each, with their line numbers. */
	struct strbuf boot_lines;
	unsigned long *boot_lineno;
	size_t nr_boot_lines, alloc_boot_lines;
};

struct context_tracker;

typedef void (*boot_end_fn)(void *data, const struct boot_context *ctx);

struct context_tracker *context_tracker_new(const char *path, boot_end_fn fn,
					    void *data);
/*
 * Called once per boot when its early phase ends (600 s, BOOT_LINES_MAX
 * lines, or the boot's end): everything a boot-level signature tests is
 * known by then.
 */
void context_on_phase_end(struct context_tracker *t, boot_end_fn fn);
/* First line of the earliest boot still in its early phase, ULONG_MAX if none. */
unsigned long context_first_phase_line(const struct context_tracker *t);
/*
 * Observe one kernel line (origin RAW or KERNEL); returns the context of its
 * host's current boot (never NULL). May first end the previous boot.
 */
struct boot_context *context_observe(struct context_tracker *t,
				     const struct kline *l, unsigned long lineno);
/* The current context of a host (NULL host = unnamed), creating it. */
struct boot_context *context_current(struct context_tracker *t, const char *host,
				     size_t host_len);
/*
 * true while some host is in the early part of a boot whose lines are kept
 * for boot-regex: the scanner must then look at every line.
 */
bool context_in_boot_phase(const struct context_tracker *t);
/* Call fn for the current boot of every host. */
void context_foreach(const struct context_tracker *t,
		     void (*fn)(void *data, const struct boot_context *ctx), void *data);
/* End every open boot (calls the hook) and free the tracker. */
void context_tracker_finish(struct context_tracker *t);

#endif
