/*
** parse_headers: the header and body lines that the classic kinds share —
** the "CPU: … PID: … Comm: …" line, taint and release, hung-task, lockup,
** fault, WARNING, panic and segfault lines (the body lines that say one
** fact each are parse_body.h). Each function reads one message and
** records what it says in the incident.
**
** Owns nothing. Internal to the parser (not part of the scan API).
*/
#ifndef KSIFT_PARSE_HEADERS_H
#define KSIFT_PARSE_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

/* "… Not tainted 4.4.0-137-generic #163-Ubuntu"; true when it named a release. */
bool parse_taint_release(struct incident *inc, const char *msg, size_t len);
/* "CPU: 21 PID: 40312 Comm: qemu-system-x86 Not tainted …" */
void parse_cpu_line(struct incident *inc, const char *msg, size_t len);
/* "INFO: task ip:1747 blocked for more than 120 seconds." */
void parse_hung_header(struct incident *inc, const char *msg, size_t len);
/* The hung task's state line (old and "task:… state:…" forms). */
bool parse_task_state_line(struct incident *inc, const char *msg, size_t len);
/* "watchdog: BUG: soft lockup - CPU#38 stuck for 22s! [comm:pid]", hard lockups. */
void parse_lockup_header(struct incident *inc, const char *msg, size_t len);
/* "BUG: unable to handle …", "NULL pointer dereference at …": extras fault, fault_address. */
void parse_fault_header(struct incident *inc, const char *msg, size_t len);
/* "kernel BUG at f.c:1!", WARNING forms: extra "location". */
void parse_location(struct incident *inc, const char *msg, size_t len);
/* The function a WARNING line names: extra "warning_func". */
void parse_warning_func(struct incident *inc, const char *msg, size_t len);
/* The WARNING line: location and function (the first such line only). */
void parse_warning_header(struct incident *inc, const char *msg, size_t len);
/* "Kernel panic - not syncing: MSG": extra "panic_message". */
void parse_panic_header(struct incident *inc, const char *msg, size_t len);
/* "comm[pid]: segfault at …" */
void parse_segfault(struct incident *inc, const char *msg, size_t len);

#endif
