/*
** parse: turn the lines of one segmented incident into a struct incident —
** task, CPU, kernel release/build/taint, hardware, faulting IP, stacks per
** context (task/irq/nmi/…), modules, registers, Code: bytes, and the per-kind
** facts (blocked seconds, stall length, fault address, OOM victim, flood
** counts). Titles and the cluster hash are computed by title.c afterwards.
**
** Owns nothing: returns a new incident the caller frees with incident_free().
*/
#ifndef KSIFT_PARSE_H
#define KSIFT_PARSE_H

#include "context.h"
#include "incident.h"
#include "segmenter.h"

/* ctx may be NULL; its facts fill what the report itself does not say. */
struct incident *parse_incident(const struct raw_incident *ri,
				const struct boot_context *ctx, const char *path);

#endif
