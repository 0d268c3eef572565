/*
** report: the two views of an incident — one JSON object per line for
** pipelines (schema in README.md, "JSON output"), and a readable block for
** people (colour only when asked: the caller decides from isatty/NO_COLOR).
** Owns nothing; writes into the caller's strbuf.
*/
#ifndef KSIFT_REPORT_H
#define KSIFT_REPORT_H

#include <stdbool.h>

#include "incident.h"
#include "strbuf.h"

/* One JSON object and a trailing newline. */
void report_json(const struct incident *inc, struct strbuf *out);

struct text_style {
	bool color;
	bool full;		/* every frame and register line (ksift show) */
};
void report_text(const struct incident *inc, const struct text_style *style,
		 struct strbuf *out);

#endif
