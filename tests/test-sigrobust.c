/*
** Signature files are untrusted input: thousands of mutations of a valid
** file (bytes replaced, the file cut, junk inserted) must either parse or
** fail with "FILE:LINE: message" — never crash, leak or hang (CI runs this
** under ASan+UBSan) — and whatever parses must compile and match safely,
** including against a record with no title.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "sigdb.h"
#include "sigfile.h"
#include "sigstore.h"
#include "util.h"

static const char valid[] =
	"# comment\n"
	"id: demo-bug\n"
	"title: A demo bug\n"
	"severity: high\n"
	"kind: hung_task, soft_lockup\n"
	"title-regex: ^INFO: task hung in\n"
	"text-regex: blocked for more than \\d+ seconds\n"
	"frames: mutex_lock\n"
	"  copy_net_ns\n"
	"  ...\n"
	"  *unshare* [vmlinux]\n"
	"  |\n"
	"  foo\n"
	"kernel: >= 4.4.0-21, < 4.4.0-140\n"
	"hypervisor: KVM\n"
	"hardware: PowerEdge\n"
	"count: 2 in 60 s\n"
	"description: first\n"
	"  second\n"
	"fix: commit abc\n"
	"workaround: less\n"
	"links: https://example.org/a\n"
	"examples: corpus/a.log\n"
	"counter-examples: corpus/b.log\n";

/* Build a one-signature database from text; NULL when it does not load. */
static struct sigdb *load(const char *text, size_t len, struct strbuf *err)
{
	struct sig_set set = { 0 };
	struct signature *sig;
	struct sig_source *src;

	strbuf_reset(err);
	sig = signature_parse(text, len, "m.sig", err);
	if (!sig)
		return NULL;
	ALLOC_GROW(set.v, 1, set.alloc);
	src = &set.v[set.nr++];
	src->file = xstrdup("m.sig");
	src->path = xstrdup("m.sig");
	src->text = xmemdupz(text, len);
	src->len = len;
	src->sig = sig;
	{
		struct sigdb *db = sigdb_from_set(&set, err);

		sig_set_release(&set);
		return db;
	}
}

static struct incident *hung(bool titled)
{
	static const char *const funcs[] = { "schedule", "mutex_lock", "copy_net_ns",
					     "create_new_namespaces", "SyS_unshare" };
	struct incident *inc = incident_new(KIND_HUNG_TASK);
	struct stack *st = incident_add_stack(inc, STACK_TASK);

	for (size_t i = 0; i < ARRAY_SIZE(funcs); i++) {
		struct frame *f = stack_add_frame(st);

		f->func = xstrdup(funcs[i]);
		f->reliable = true;
	}
	if (titled)
		inc->title = xstrdup("INFO: task hung in copy_net_ns");
	inc->kernel.release = xstrdup("4.4.0-137-generic");
	strbuf_addstr(&inc->text, "INFO: task ip:1 blocked for more than 120 seconds.\n");
	return inc;
}

static void test_valid_loads(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct sigdb *db = load(valid, strlen(valid), &err);

	(void)state;
	if (!db)
		fail_msg("%s", err.buf);
	assert_int_equal(sigdb_size(db), 1);
	sigdb_close(db);
	strbuf_release(&err);
}

/* Regression: a title-regex signature against a record without a title. */
static void test_untitled_record(void **state)
{
	static const char text[] = "id: t\ntitle: t\nkind: hung_task\ntitle-regex: ^INFO\n";
	struct strbuf err = STRBUF_INIT;
	struct sigdb *db = load(text, strlen(text), &err);
	struct incident *inc = hung(false);

	(void)state;
	assert_non_null(db);
	sigdb_match_incident(db, inc, NULL);
	assert_int_equal(inc->nr_matches, 0);
	incident_free(inc);
	inc = hung(true);
	sigdb_match_incident(db, inc, NULL);
	assert_int_equal(inc->nr_matches, 1);
	incident_free(inc);
	sigdb_close(db);
	strbuf_release(&err);
}

static void test_mutations(void **state)
{
	static const char junk[] = { ':', ' ', '\n', '\t', '*', '[', ']', '(', '\\', '.', '#',
				     '^', '$', '?', '{', '0', '|', '\xff', '\x80', ',', '<', '=' };
	struct strbuf err = STRBUF_INIT;
	size_t n = strlen(valid), loaded = 0, rejected = 0;
	uint64_t seed = 42;
	char *buf = xmalloc(n + 64);

	(void)state;
	for (int round = 0; round < 5000; round++) {
		size_t len = n, edits;
		struct sigdb *db;

		memcpy(buf, valid, n);
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		edits = 1 + (seed >> 60) % 4;
		for (size_t e = 0; e < edits; e++) {
			size_t pos;

			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			pos = (seed >> 33) % len;
			switch ((seed >> 20) % 3) {
			case 0:		/* replace a byte */
				buf[pos] = junk[(seed >> 8) % sizeof(junk)];
				break;
			case 1:		/* cut the file short */
				len = pos + 1;
				break;
			default:	/* insert a byte */
				if (len < n + 60) {
					memmove(buf + pos + 1, buf + pos, len - pos);
					buf[pos] = junk[(seed >> 8) % sizeof(junk)];
					len++;
				}
			}
		}
		db = load(buf, len, &err);
		if (!db) {
			/* Every rejection names the file and a line. */
			if (!strstr(err.buf, "m.sig:"))
				fail_msg("round %d: error without FILE:LINE: '%s'", round, err.buf);
			rejected++;
			continue;
		}
		loaded++;
		for (int t = 0; t < 2; t++) {
			struct incident *inc = hung(t);

			sigdb_match_incident(db, inc, NULL);
			incident_free(inc);
		}
		sigdb_close(db);
	}
	/* Both outcomes were exercised. */
	assert_true(loaded > 100);
	assert_true(rejected > 100);
	free(buf);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_loads),
		cmocka_unit_test(test_untitled_record),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
