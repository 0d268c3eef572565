/*
** journal: systemd journal entries in the two forms journalctl writes them
** line by line — -o json (one object per line) and -o export (systemd's
** journal_entry_export(): "NAME=value" per field, binary fields as "NAME",
** a 64-bit little-endian length, the data; an empty line ends the entry) —
** each read into one struct kline: MESSAGE as the message, _HOSTNAME,
** SYSLOG_IDENTIFIER, PRIORITY, the realtime and source-monotonic stamps,
** whether the kernel printed it, and the coredump fields kept in
** kline.fields.
**
** Owns: the entry under construction. Pointers a kline gets from it stay
** valid until the next call on the same reader. Called by normalize only;
** it uses nothing of normalize but the struct kline it fills.
*/
#ifndef KSIFT_JOURNAL_H
#define KSIFT_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "normalize.h"

struct journal_reader;

struct journal_reader *journal_reader_new(void);
void journal_reader_free(struct journal_reader *jr);

/*
 * A "{…}" line of -o json from P to END. Returns true and fills OUT when it
 * is an entry with a MESSAGE; false (OUT untouched past what the caller
 * set) when it is other JSON, which the caller reads as a plain line.
 */
bool journal_parse_json(struct journal_reader *jr, const char *p, const char *end,
			struct kline *out);

/*
 * One line of a -o export stream. The stream starts at a "__CURSOR=" or
 * "__REALTIME_TIMESTAMP=" line and ends at a line that is not a field.
 * Returns false for a line outside it; true when the line was taken: OUT
 * is then the whole entry (at the empty line that ends it, with
 * export_format set) or metadata (ORIGIN_OTHER, no message).
 */
bool journal_feed_export(struct journal_reader *jr, const char *line, size_t len,
			 struct kline *out);

#endif
