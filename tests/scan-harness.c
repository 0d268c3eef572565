#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"
#include "scan-harness.h"

static void keep(void *data, struct incident *inc)
{
	struct seen *s = data;

	if (s->n < MAX_SEEN)
		s->inc[s->n++] = inc;
	else
		incident_free(inc);
}

/* Scan `text` as a log file; fills *s with the incidents found. */
void scan_text(const char *text, struct seen *s)
{
	char path[] = "/tmp/ksift-test-titles-XXXXXX";
	int fd = mkstemp(path);
	struct scan_options opts;
	struct scan_hooks hooks;
	struct scan_stats stats;

	memset(s, 0, sizeof(*s));
	memset(&opts, 0, sizeof(opts));
	memset(&hooks, 0, sizeof(hooks));
	memset(&stats, 0, sizeof(stats));
	hooks.incident = keep;
	hooks.data = s;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	scan_input(path, &opts, &hooks, &stats);
	unlink(path);
}

void release(struct seen *s)
{
	for (size_t i = 0; i < s->n; i++)
		incident_free(s->inc[i]);
}

const char *extra(const struct incident *inc, const char *key)
{
	const struct extra *e = incident_extra(inc, key);
	return e && e->str ? e->str : NULL;
}

/* Scan, then check the first incident's kind, title and corruption. */
struct incident *expect_first(struct seen *s, const char *text,
				     enum incident_kind kind, const char *title,
				     bool corrupted)
{
	scan_text(text, s);
	assert_true(s->n >= 1);
	assert_string_equal(s->inc[0]->title, title);
	assert_int_equal(s->inc[0]->kind, kind);
	if (s->inc[0]->corrupted != corrupted)
		print_message("%s: corrupt_reason %s\n", title, s->inc[0]->corrupt_reason);
	assert_int_equal(s->inc[0]->corrupted, corrupted);
	if (corrupted)
		assert_non_null(s->inc[0]->corrupt_reason);
	return s->inc[0];
}


