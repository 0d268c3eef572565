#include "reboot.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Hosts followed at once; past that the least recently added is forgotten
   (it then cannot report an unexpected reboot until it prints again). */
#define MAX_HOSTS 64

struct host_state {
	char *host;		/* NULL: lines that name no host */
	bool expected;		/* a panic or restart was announced */
	bool in_firmware;	/* a banner was seen, the kernel has not started */
};

struct reboot_watch {
	struct host_state hosts[MAX_HOSTS];
	size_t nr;
	size_t nr_in_firmware;	/* hosts with in_firmware set: most lines need no lookup */
};

struct reboot_watch *reboot_watch_new(void)
{
	return xcalloc(1, sizeof(struct reboot_watch));
}

void reboot_watch_free(struct reboot_watch *rw)
{
	if (!rw)
		return;
	for (size_t i = 0; i < rw->nr; i++)
		free(rw->hosts[i].host);
	free(rw);
}

bool reboot_is_banner(const char *msg, size_t len)
{
	/* (each must hold a prefilter literal: prefilter_literals.c) */
	return mem_starts_with(msg, len, "SeaBIOS (version ") ||
	       mem_starts_with(msg, len, "Booting the kernel.");
}

bool reboot_is_expected(const char *msg, size_t len)
{
	/*
	 * Each holds a prefilter literal, but for "Rebooting in", which only
	 * follows a panic (already counted). A kexec needs none: no firmware runs.
	 */
	static const char *const restarts[] = {
		"reboot: Restarting system", "reboot: Power down", "reboot: System halted",
		"Restarting system", "Power down", "System halted", "Rebooting in ",
		"sysrq: Resetting", "SysRq : Resetting",
		"sysrq: Trigger a crash", "SysRq : Trigger a crash",
	};

	/* their first bytes: most messages stop here */
	if (!len || !msg[0] || !strchr("rRPSs", msg[0]))
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(restarts); i++)
		if (mem_starts_with(msg, len, restarts[i]))
			return true;
	return false;
}

static void set_in_firmware(struct reboot_watch *rw, struct host_state *h, bool on)
{
	if (h->in_firmware != on)
		rw->nr_in_firmware += on ? 1 : (size_t)-1;
	h->in_firmware = on;
}

static struct host_state *find_host(struct reboot_watch *rw, const struct kline *l)
{
	struct host_state *h;

	for (size_t i = 0; i < rw->nr; i++) {
		h = &rw->hosts[i];
		if (!h->host ? !l->host :
		    (l->host && strlen(h->host) == l->host_len &&
		     !memcmp(h->host, l->host, l->host_len)))
			return h;
	}
	if (rw->nr == MAX_HOSTS) {
		if (rw->hosts[0].in_firmware)
			rw->nr_in_firmware--;
		free(rw->hosts[0].host);
		memmove(&rw->hosts[0], &rw->hosts[1], (MAX_HOSTS - 1) * sizeof(rw->hosts[0]));
		rw->nr--;
	}
	h = &rw->hosts[rw->nr++];
	memset(h, 0, sizeof(*h));
	h->host = l->host ? xmemdupz(l->host, l->host_len) : NULL;
	return h;
}

bool reboot_watch_line(struct reboot_watch *rw, const struct kline *l, unsigned long lineno,
		       enum incident_kind kind)
{
	struct host_state *h;
	bool unexpected;

	if (kind == KIND_REBOOT) {
		h = find_host(rw, l);
		if (h->in_firmware)
			return false;	/* the same restart's next banner */
		unexpected = !h->expected && lineno > 1;
		set_in_firmware(rw, h, true);
		h->expected = false;
		return unexpected;
	}
	if (kind == KIND_PANIC || reboot_is_expected(l->msg, l->msg_len)) {
		h = find_host(rw, l);
		h->expected = true;
		set_in_firmware(rw, h, false);
		return false;
	}
	/* The kernel is running again: its next restart is a new one. */
	if (rw->nr_in_firmware && l->has_ktime)
		set_in_firmware(rw, find_host(rw, l), false);
	return false;
}
