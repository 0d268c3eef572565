/*
** reboot: notice a host that restarted without saying why. A console log
** that goes on into the firmware's boot banner ("SeaBIOS (version …",
** the decompressor's "Booting the kernel.")
** after the kernel had been running, with no panic and no orderly restart
** message in between, records an "unexpected kernel reboot": a hardware or
** hypervisor watchdog reset, a triple fault, lost power, a host that was
** killed. syslog archives never carry firmware banners, so they never
** report one.
**
** Owns: the per-host state (hosts' names copied); reboot_watch_free()
** frees it. One watch per scanned stream, like the segmenter that uses it.
*/
#ifndef KSIFT_REBOOT_H
#define KSIFT_REBOOT_H

#include <stdbool.h>

#include "incident.h"
#include "normalize.h"

struct reboot_watch;

struct reboot_watch *reboot_watch_new(void);
void reboot_watch_free(struct reboot_watch *rw);

/* A firmware or boot-loader banner line (the message starts with it). */
bool reboot_is_banner(const char *msg, size_t len);
/* The kernel announcing a restart it was asked for or decided on. */
bool reboot_is_expected(const char *msg, size_t len);

/*
 * Feed every message the segmenter sees, in order, with the kind
 * classify_start() gave it (KIND_REBOOT: a banner; KIND_PANIC: a panic
 * report). Returns true when this message is the banner of an unexpected
 * reboot: the first banner of a restart, on a host whose earlier output
 * (lineno > 1) announced no panic and no restart.
 */
bool reboot_watch_line(struct reboot_watch *rw, const struct kline *l, unsigned long lineno,
		       enum incident_kind kind);

#endif
