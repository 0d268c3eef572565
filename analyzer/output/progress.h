/*
** progress: one status line on stderr while a long scan runs — bytes and
** files done, MB/s, incidents found, ETA — redrawn at most five times a
** second, and only on a terminal. Thread-safe: workers report bytes.
** Owns: its mutex; progress_finish() clears the line and frees it.
*/
#ifndef KSIFT_PROGRESS_H
#define KSIFT_PROGRESS_H

#include <stdint.h>

struct progress;

/* NULL when stderr is not a terminal (then every call is a no-op). */
struct progress *progress_new(uint64_t total_bytes, unsigned long total_files);
void progress_add_bytes(void *p, uint64_t bytes);	/* scan_options.progress */
void progress_file_done(struct progress *p, unsigned long incidents);
void progress_finish(struct progress *p);

#endif
