/*
** flame: a profile's flame graph as one self-contained SVG document
** (`ksift show --flame FILE > flame.svg`; the HTML report embeds the same
** bytes). Stacks are merged from the outermost caller up, one box per
** function per depth, as wide as its share of the samples; boxes narrower
** than FLAME_MIN_WIDTH pixels are left out. Every name is escaped for XML
** text and attributes (& < > " ', control bytes and invalid UTF-8 become
** '?'); the document has no script, no link and no external reference, so
** it renders the same under a Content-Security-Policy that allows nothing.
**
** Owns nothing; writes into the caller's strbuf. Memory: one node per
** distinct (caller path, function) prefix, bounded by the profile's stacks.
*/
#ifndef KSIFT_FLAME_H
#define KSIFT_FLAME_H

#include "profile.h"
#include "strbuf.h"

#define FLAME_WIDTH 1200
#define FLAME_ROW 16
#define FLAME_MIN_WIDTH 0.3

/* title: shown above the graph (escaped here); may be NULL. */
void flame_svg(const struct profile *p, const char *title, struct strbuf *out);

/* Append s escaped for XML text and attribute values. */
void flame_xml_escape(struct strbuf *out, const char *s);

#endif
