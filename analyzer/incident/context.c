#include "context.h"
#include "incident.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct context_tracker {
	const char *path;
	boot_end_fn fn;
	void *data;
	struct boot_context **ctx;	/* one per host, current boot */
	double *last_ktime;
	size_t nr, alloc, alloc_kt;
	size_t last;			/* index of the last host seen (cache) */
	size_t nr_in_boot;		/* hosts whose boot_phase is set */
	boot_end_fn phase_fn;
	/*
	 * Hosts by name, for fleet logs where hundreds interleave: open
	 * addressing, 1 + the index in ctx (0: empty), a power of two in
	 * size and at most half full. The host-less context (NULL host) is
	 * apart: 1 + its index in no_host, 0 while there is none.
	 */
	size_t *slots, nr_slots, no_host;
	size_t *host_len;		/* per ctx: its host name's length */
	size_t alloc_len;
};

struct context_tracker *context_tracker_new(const char *path, boot_end_fn fn,
					    void *data)
{
	struct context_tracker *t = xcalloc(1, sizeof(*t));

	t->path = path;
	t->fn = fn;
	t->data = data;
	return t;
}

static void context_release(struct boot_context *c)
{
	free(c->host);
	free(c->release);
	free(c->build);
	free(c->version_line);
	free(c->tainted);
	free(c->hardware);
	free(c->hypervisor);
	free(c->cmdline);
	free(c->cpu_model);
	free(c->arch);
	strbuf_release(&c->boot_lines);
	free(c->boot_lineno);
}

static void context_reset(struct boot_context *c, const char *path,
			  unsigned long lineno)
{
	char *host = c->host;

	c->host = NULL;
	context_release(c);
	memset(c, 0, sizeof(*c));
	c->host = host;
	c->path = path;
	c->first_line = lineno;
	strbuf_init(&c->boot_lines, 0);
}

static void set_boot_phase(struct context_tracker *t, struct boot_context *c, bool on);

static void end_boot(struct context_tracker *t, size_t i, unsigned long lineno)
{
	set_boot_phase(t, t->ctx[i], false);
	if (t->fn)
		t->fn(t->data, t->ctx[i]);
	context_reset(t->ctx[i], t->path, lineno);
	t->ctx[i]->began = true;
}

static size_t host_hash(const char *host, size_t len)
{
	uint64_t h = fnv1a64(FNV1A64_INIT, host, len);

	return (size_t)(h ^ h >> 29);
}

static bool same_host(const struct context_tracker *t, size_t i, const char *host, size_t len)
{
	const char *h = t->ctx[i]->host;

	return h && host && t->host_len[i] == len && !memcmp(h, host, len);
}

/* The slot of host in the index: its own, or the empty one it would take. */
static size_t host_slot(const struct context_tracker *t, const char *host, size_t len)
{
	size_t mask = t->nr_slots - 1, s = host_hash(host, len) & mask;

	while (t->slots[s] && !same_host(t, t->slots[s] - 1, host, len))
		s = (s + 1) & mask;
	return s;
}

/* Index host i (named) in slots, growing them first when half full. */
static void index_host(struct context_tracker *t, size_t i)
{
	if (2 * (t->nr + 1) > t->nr_slots) {
		free(t->slots);
		t->nr_slots = t->nr_slots ? 2 * t->nr_slots : 64;
		t->slots = xcalloc(t->nr_slots, sizeof(*t->slots));
		for (size_t j = 0; j < t->nr; j++)
			if (t->ctx[j]->host && j != i)
				t->slots[host_slot(t, t->ctx[j]->host, t->host_len[j])] = j + 1;
	}
	t->slots[host_slot(t, t->ctx[i]->host, t->host_len[i])] = i + 1;
}

static size_t find_host(struct context_tracker *t, const char *host, size_t len)
{
	size_t s;

	if (t->nr) {
		const char *h = t->ctx[t->last]->host;
		if ((!h && !host) || same_host(t, t->last, host, len))
			return t->last;
	}
	if (!host && t->no_host)
		return t->last = t->no_host - 1;
	if (host && t->nr_slots && t->slots[s = host_slot(t, host, len)])
		return t->last = t->slots[s] - 1;
	ALLOC_GROW(t->ctx, t->nr + 1, t->alloc);
	ALLOC_GROW(t->host_len, t->nr + 1, t->alloc_len);
	t->host_len[t->nr] = len;
	ALLOC_GROW(t->last_ktime, t->nr + 1, t->alloc_kt);
	t->ctx[t->nr] = xcalloc(1, sizeof(struct boot_context));
	context_reset(t->ctx[t->nr], t->path, 1);
	t->ctx[t->nr]->host = host ? xmemdupz(host, len) : NULL;
	t->last_ktime[t->nr] = -1;
	if (host)
		index_host(t, t->nr);
	else
		t->no_host = t->nr + 1;
	return t->last = t->nr++;
}

struct boot_context *context_current(struct context_tracker *t, const char *host,
				     size_t host_len)
{
	/* find_host() may grow t->ctx: read it after the call. */
	size_t i = find_host(t, host, host_len);

	return t->ctx[i];
}

/* Copy the rest of the message after `prefix` into *field (trimmed). */
static bool take_after(char **field, const char *msg, size_t len, const char *prefix)
{
	const char *p = mem_find(msg, len, prefix), *end = msg + len;

	if (!p)
		return false;
	p += strlen(prefix);
	while (p < end && *p == ' ')
		p++;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	incident_set_str(field, p, (size_t)(end - p));
	return true;
}

/* "Linux version 4.4.0-137-generic (buildd@…) (gcc …) #163-Ubuntu SMP …" */
static void parse_version_line(struct boot_context *c, const char *msg, size_t len)
{
	const char *end = msg + len, *p = msg + strlen("Linux version "), *q;

	incident_set_str(&c->version_line, msg, len);
	q = p;
	while (q < end && *q != ' ')
		q++;
	incident_set_str(&c->release, p, (size_t)(q - p));
	/*
	 * The build version (UTS_VERSION, uname -v) is the rest of the banner
	 * after the compiler notes: "#163-Ubuntu SMP Mon Sep 24 …",
	 * "#1 SMP Debian 5.10.197-1 (2023-09-29)". All of it is kept: the
	 * distribution's package version is in there (release.h).
	 */
	for (p = q; p < end; p++)
		if (*p == '#' && p > msg && p[-1] == ' ') {
			q = end;
			while (q > p + 1 && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			p++;
			incident_set_str(&c->build, p, (size_t)(q - p));
			break;
		}
	/* the release's flavour or the compiler's target names the
	   architecture: "6.1.0-13-arm64", "5.14.0-362.el9.s390x",
	   "aarch64-linux-gnu-gcc", "6.1.0-13-686-pae" (first match decides) */
	static const struct { const char *word, *arch; } arches[] = {
		{ "x86_64", "x86_64" }, { "amd64", "x86_64" }, { "aarch64", "arm64" },
		{ "arm64", "arm64" }, { "ppc64", "powerpc" }, { "powerpc", "powerpc" },
		{ "s390", "s390" }, { "riscv", "riscv" }, { "i686", "i386" }, { "i386", "i386" },
		{ "-686", "i386" }, { "armv7", "arm" }, { "armmp", "arm" }, { "armhf", "arm" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (mem_find(msg, len, arches[i].word)) {
			incident_set_str(&c->arch, arches[i].arch, strlen(arches[i].arch));
			break;
		}
}

static void observe_facts(struct boot_context *c, const char *msg, size_t len)
{
	const char *p;

	switch (msg[0]) {
	case 'C':
		if (mem_starts_with(msg, len, "Command line: "))
			take_after(&c->cmdline, msg, len, "Command line: ");
		break;
	case 'K':
		if (mem_starts_with(msg, len, "Kernel command line: "))
			take_after(&c->cmdline, msg, len, "Kernel command line: ");
		break;
	case 'D':
		if (mem_starts_with(msg, len, "DMI: ") && !c->hardware)
			take_after(&c->hardware, msg, len, "DMI: ");
		break;
	case 'H':
		if (mem_starts_with(msg, len, "Hypervisor detected: "))
			take_after(&c->hypervisor, msg, len, "Hypervisor detected: ");
		else if (mem_starts_with(msg, len, "Hardware name: "))
			take_after(&c->hardware, msg, len, "Hardware name: ");
		break;
	case 'B':
		if (mem_starts_with(msg, len, "Booting paravirtualized kernel on ") &&
		    !c->hypervisor && !mem_find(msg, len, "bare hardware"))
			take_after(&c->hypervisor, msg, len, "kernel on ");
		break;
	case 's':
		if (mem_starts_with(msg, len, "smpboot: CPU0: ") && !c->cpu_model) {
			const char *end = msg + len;
			p = msg + strlen("smpboot: CPU0: ");
			const char *paren = mem_find(p, (size_t)(end - p), " (");
			incident_set_str(&c->cpu_model, p,
					 (size_t)((paren ? paren : end) - p));
		}
		break;
	default:
		break;
	}
}

static void set_boot_phase(struct context_tracker *t, struct boot_context *c, bool on)
{
	if (c->boot_phase == on)
		return;
	c->boot_phase = on;
	if (on) {
		t->nr_in_boot++;
	} else {
		t->nr_in_boot--;
		if (t->phase_fn)
			t->phase_fn(t->data, c);
	}
}

void context_on_phase_end(struct context_tracker *t, boot_end_fn fn)
{
	t->phase_fn = fn;
}

unsigned long context_first_phase_line(const struct context_tracker *t)
{
	unsigned long first = (unsigned long)-1;

	if (!t->nr_in_boot)
		return first;
	for (size_t i = 0; i < t->nr; i++)
		if (t->ctx[i]->boot_phase && t->ctx[i]->first_line < first)
			first = t->ctx[i]->first_line;
	return first;
}

/*
 * Keep the early lines of a boot the log shows starting ("Linux version"):
 * the first BOOT_LINES_MAX lines or BOOT_BYTES_MAX bytes, and only the
 * first 600 seconds on the kernel clock — a long-running host's syslog
 * would otherwise fill the buffer with routine messages.
 */
static void keep_boot_line(struct context_tracker *t, struct boot_context *c,
			   const struct kline *l, unsigned long lineno)
{
	if (!c->boot_phase)
		return;
	if (c->nr_boot_lines >= BOOT_LINES_MAX ||
	    c->boot_lines.len + l->msg_len + 1 > BOOT_BYTES_MAX ||
	    (l->has_ktime && l->ktime > 600.0)) {
		set_boot_phase(t, c, false);
		return;
	}
	strbuf_add(&c->boot_lines, l->msg, l->msg_len);
	strbuf_addch(&c->boot_lines, '\n');
	ALLOC_GROW(c->boot_lineno, c->nr_boot_lines + 1, c->alloc_boot_lines);
	c->boot_lineno[c->nr_boot_lines++] = lineno;
}

bool context_in_boot_phase(const struct context_tracker *t)
{
	return t->nr_in_boot > 0;
}

struct boot_context *context_observe(struct context_tracker *t,
				     const struct kline *l, unsigned long lineno)
{
	size_t i;
	struct boot_context *c;
	bool version;

	if (l->boot_marker) {
		/* A journal boot separator applies to every host in the stream. */
		for (i = 0; i < t->nr; i++)
			if (t->ctx[i]->lines_seen)
				end_boot(t, i, lineno);
		if (!t->nr)
			find_host(t, NULL, 0);
		return t->ctx[t->last];
	}
	i = find_host(t, l->host, l->host_len);
	c = t->ctx[i];
	if (!l->msg_len)
		return c;
	version = l->msg[0] == 'L' && mem_starts_with(l->msg, l->msg_len, "Linux version ");
	/* A new boot: "Linux version", or the clock restarting near zero. */
	if ((version && c->lines_seen) ||
	    (l->has_ktime && t->last_ktime[i] > 60.0 && l->ktime < 10.0)) {
		end_boot(t, i, lineno);
		c = t->ctx[i];
	}
	if (l->has_ktime)
		t->last_ktime[i] = l->ktime;
	c->lines_seen++;
	if (version) {
		c->saw_boot = true;
		c->began = true;
		set_boot_phase(t, c, true);
		c->first_line = lineno;
		parse_version_line(c, l->msg, l->msg_len);
	} else {
		observe_facts(c, l->msg, l->msg_len);
	}
	keep_boot_line(t, c, l, lineno);
	return c;
}

void context_foreach(const struct context_tracker *t,
		     void (*fn)(void *data, const struct boot_context *ctx), void *data)
{
	for (size_t i = 0; i < t->nr; i++)
		fn(data, t->ctx[i]);
}

void context_tracker_finish(struct context_tracker *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nr; i++) {
		set_boot_phase(t, t->ctx[i], false);
		if (t->fn)
			t->fn(t->data, t->ctx[i]);
		context_release(t->ctx[i]);
		free(t->ctx[i]);
	}
	free(t->ctx);
	free(t->slots);
	free(t->host_len);
	free(t->last_ktime);
	free(t);
}
