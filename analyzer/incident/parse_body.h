/*
** parse_body: the lines of a report's body that state one fact each, as
** each era's and architecture's printers put them: "CPU: … PID: … Comm: …",
** 2.6/3.x "Pid: N, comm: NAME …" (with the DMI names after the build),
** taint and release, "Hardware name:", "Modules linked in:", "Code:",
** the die banners ("Oops: …", powerpc/s390/riscv "… [#1]"), "#PF:",
** "Workqueue:", a leaked lock's "last function:", old x86 CPU lines, s390's
** "Failing address:". Each function reads one message and records what it
** says in the incident.
**
** Owns nothing. Internal to the parser (not part of the scan API).
*/
#ifndef KSIFT_PARSE_BODY_H
#define KSIFT_PARSE_BODY_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

/* Reads msg when it is such a line; returns true when it was one. */
bool parse_body_line(struct incident *inc, const char *msg, size_t len);

/* A die banner of powerpc, s390 or riscv ("… [#1]"): kept as the "oops" extra. */
void parse_die_banner(struct incident *inc, const char *msg, size_t len);

#endif
