/*
** linereader: split a reader's bytes into lines with bounded memory.
**
** A line is returned without its '\n' and without a trailing '\r'. Lines
** longer than LINE_MAX_KEEP bytes are cut there; the rest of that physical
** line is skipped (counted in truncated_lines) so a 1 GB line costs no RAM.
** Owns: its buffer; the returned pointer is valid until the next call.
*/
#ifndef KSIFT_LINEREADER_H
#define KSIFT_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prefilter.h"
#include "reader.h"

#define LINE_MAX_KEEP (64 * 1024)

struct linereader;

struct line {
	const char *ptr;
	size_t len;
	uint64_t offset;	/* byte offset of the line in the decompressed input */
	unsigned long lineno;	/* 1-based */
	bool cut;		/* longer than LINE_MAX_KEEP, truncated */
};

struct linereader *linereader_new(struct reader *r);
/* 1: a line, 0: end of input, -1: read error (reader_error() says why;
   the partial last line before the error has already been returned). */
int linereader_next(struct linereader *lr, struct line *out);
unsigned long linereader_cut_lines(const struct linereader *lr);
/* Why linereader_next() returned -1 (the reader's error: a file truncated
   under us, a read or decompression error). */
const char *linereader_error(const struct linereader *lr);
/*
 * Skip whole lines until the next line holding a prefilter candidate, so the
 * following linereader_next() returns it. Line numbers and offsets stay
 * exact. 1: positioned, 0: end of input, -1: read error.
 */
int linereader_skip_to_candidate(struct linereader *lr, const struct prefilter *pf,
				 uint64_t stop);
/* stop: never skip the first line that starts at or after this offset. */
/* Offset and line count just after the last complete ('\n'-ended) line. */
void linereader_complete(const struct linereader *lr, uint64_t *offset,
			 unsigned long *lines);
/* Lines consumed so far (returned or skipped) and the decompressed offset. */
unsigned long linereader_lineno(const struct linereader *lr);
uint64_t linereader_offset(const struct linereader *lr);
void linereader_free(struct linereader *lr);

#endif
