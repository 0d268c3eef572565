/*
** textsafe: what may reach a terminal. Every string ksift prints comes, in
** the end, from a log, a file name or a signature file, and any of them may
** hold bytes that a terminal obeys: backspaces that overwrite a title, ESC
** and 8-bit CSI (raw 0x9b, or U+009B encoded as C2 9B) that clear the
** screen or move the cursor, bidi overrides that reorder what is shown.
**
** text_escape() is the one output sanitizer: every text printer (scan,
** show, report, db, explain, and the diagnostics in util.c) passes log- and
** user-derived strings through it. It shows as visible escapes:
**   C0 controls except tab (and newline when asked), DEL   \xNN
**   bytes that are not valid UTF-8 (raw C1 among them)     \xNN
**   U+0080–U+009F (C1 controls, UTF-8 encoded)            \uNNNN
**   U+202A–U+202E, U+2066–U+2069 (bidi overrides)         \uNNNN
** and copies everything else. A backslash stays a backslash: the output is
** for reading, not for parsing back (JSON output has its own escaping).
**
** Owns nothing; appends to the caller's strbuf.
*/
#ifndef KSIFT_TEXTSAFE_H
#define KSIFT_TEXTSAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"

/* Length of the valid UTF-8 sequence at p (1 for ASCII), or 0. */
size_t utf8_seq(const unsigned char *p, size_t n);
/* The code point of the valid sequence of n bytes at p. */
unsigned utf8_code_point(const unsigned char *p, size_t n);
/* C1 (U+0080–U+009F) or a bidi override: never sent as is. */
bool text_code_point_is_control(unsigned cp);

/* Does [s, s + len) hold anything text_escape() would rewrite? */
bool text_needs_escape(const char *s, size_t len, bool keep_newlines);

/* Append [s, s + len) to out with the escapes above. */
void text_escape(struct strbuf *out, const char *s, size_t len, bool keep_newlines);

/*
 * text_escape() into a fixed buffer (NUL-terminated, cut at a whole escape
 * when it fills): for the diagnostics, which must not allocate.
 */
void text_escape_fixed(char *dst, size_t cap, const char *s, size_t len);

/*
 * s itself when it is safe, else its escaped form in scratch (reset first):
 * for printf-style printers. NULL stays NULL.
 */
const char *text_safe(struct strbuf *scratch, const char *s);

/*
 * printf() whose whole output goes through text_escape() (newlines kept):
 * for reports that mix ksift's own words with titles, paths and details
 * from logs and signature files, so that no argument can be missed.
 */
__attribute__((format(printf, 2, 3)))
void text_printf(FILE *f, const char *fmt, ...);

#endif
