/*
** scan-harness: the cmocka tests' way to run a hand-written log through the
** whole scan pipeline and look at the incidents it gives (test-titles,
** test-formats). The incidents kept belong to the struct seen until
** release().
*/
#ifndef KSIFT_SCAN_HARNESS_H
#define KSIFT_SCAN_HARNESS_H

#include <stdbool.h>

#include "incident.h"

#define MAX_SEEN 8

struct seen {
	struct incident *inc[MAX_SEEN];
	size_t n;
};

/* Scan `text` as a log file; fills *s with the incidents found. */
void scan_text(const char *text, struct seen *s);
void release(struct seen *s);
/* A string extra of the incident, NULL when absent. */
const char *extra(const struct incident *inc, const char *key);
/* Scan, then check the first incident's kind, title and corruption. */
struct incident *expect_first(struct seen *s, const char *text, enum incident_kind kind,
			      const char *title, bool corrupted);

/* A kernel timestamp: T("12.5") "msg" → "[  12.5] msg". */
#define T(ts) "[  " ts "] "

#endif
