/*
** strbuf: a growable, always NUL-terminated byte buffer (after git's strbuf).
**
** Owns: buf. strbuf_release() frees it and resets to empty; strbuf_detach()
** hands the buffer to the caller, who frees it with free().
** Allocation failure aborts via xmalloc (see util.h): ksift treats OOM as fatal.
**
** Invariants, kept by every function here and assumed by every caller:
**   - len < alloc whenever alloc > 0, and buf[len] == '\0' always;
**   - alloc == 0 means buf is strbuf_empty (shared, never written), so an
**     initialised but unused strbuf costs nothing and prints as "";
**   - buf may hold NUL bytes before len (log lines do); len is the length.
** Pointers into buf are valid until the next call that may grow it (any
** add, grow, or detach/release).
*/
#ifndef KSIFT_STRBUF_H
#define KSIFT_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

extern char strbuf_empty[];
#define STRBUF_INIT { 0, 0, strbuf_empty }

/* Empty, with room for hint bytes (0: allocate on first add). */
void strbuf_init(struct strbuf *sb, size_t hint);
/* Free buf; sb is empty (STRBUF_INIT) again and may be reused. */
void strbuf_release(struct strbuf *sb);
/* The buffer (always allocated, NUL-terminated; the caller frees it) and
   its length in *len when len is not NULL; sb is left empty. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Room for extra more bytes (and the NUL) without another allocation. */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* len = 0, allocation kept. */
void strbuf_reset(struct strbuf *sb);
/* Cut (or, within what was written, restore) the length: len must not
   exceed the allocation; a larger one is a bug and dies. */
void strbuf_setlen(struct strbuf *sb, size_t len);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);

#endif
