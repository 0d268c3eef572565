/*
** The signature text format: every field, every error with its line, and
** the compile step's regex errors (file:line with the PCRE2 offset).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "sig.h"
#include "sigfile.h"
#include "util.h"

static const char full[] =
	"# a comment line\n"
	"id: demo-bug.1\n"
	"title: A demo bug\n"
	"description:\n"
	"  first line\n"
	"\n"
	"  second line\n"
	"severity: high\n"
	"kind: hung_task, soft_lockup\n"
	"title-regex: ^INFO: task hung in\n"
	"frames:\n"
	"  mutex_lock\n"
	"  copy_net_ns\n"
	"frames: foo [kvm]\n"
	"frames-scope: reliable\n"
	"text-regex: blocked for more than \\d+ seconds\n"
	"kernel: >= 4.4.0-21, < 4.4.0-140\n"
	"  5.4.0-42-generic\n"
	"hypervisor: KVM\n"
	"hardware: PowerEdge\n"
	"boot-regex: SPEC_CTRL\n"
	"count: 2 in 5m\n"
	"fix: commit abc (v4.16)\n"
	"workaround: do less\n"
	"links:\n"
	"  https://example.org/a\n"
	"  https://example.org/b\n"
	"examples:\n"
	"  corpus/a.log\n"
	"counter-examples:\n"
	"  corpus/b.log\n";

static void test_all_fields(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct sig_def *d = sig_parse(full, strlen(full), "demo.sig", &err);
	const char *pos, *s;
	size_t len, n = 0;

	(void)state;
	if (!d)
		fail_msg("%s", err.buf);
	assert_string_equal(d->id.val, "demo-bug.1");
	assert_int_equal(d->id.line, 2);
	assert_string_equal(d->title.val, "A demo bug");
	assert_string_equal(d->description.val, "first line\nsecond line");
	assert_int_equal(d->description.line, 4);
	assert_string_equal(d->severity.val, "high");
	assert_int_equal(d->kind_mask, (1ull << KIND_HUNG_TASK) | (1ull << KIND_SOFT_LOCKUP));
	assert_string_equal(d->title_regex.val, "^INFO: task hung in");
	assert_int_equal(d->nr_frames, 2);
	assert_string_equal(d->frames[0].val, "mutex_lock\ncopy_net_ns");
	assert_int_equal(d->frames[0].val_line, 12);
	assert_string_equal(d->frames[1].val, "foo [kvm]");
	assert_int_equal(d->frames[1].val_line, 14);
	assert_string_equal(d->frames_scope.val, "reliable");
	assert_string_equal(d->text_regex.val, "blocked for more than \\d+ seconds");
	assert_string_equal(d->kernel.val, ">= 4.4.0-21, < 4.4.0-140\n5.4.0-42-generic");
	assert_string_equal(d->hypervisor.val, "KVM");
	assert_string_equal(d->hardware.val, "PowerEdge");
	assert_string_equal(d->boot_regex.val, "SPEC_CTRL");
	assert_int_equal(d->count_n, 2);
	assert_true(d->count_secs == 300.0);
	assert_string_equal(d->fix.val, "commit abc (v4.16)");
	assert_string_equal(d->workaround.val, "do less");
	pos = d->links.val;
	while ((s = sig_list_next(&pos, &len)))
		n++;
	assert_int_equal(n, 2);
	assert_string_equal(d->examples.val, "corpus/a.log");
	assert_string_equal(d->counter_examples.val, "corpus/b.log");
	assert_false(sig_def_is_condition(d));
	sig_def_free(d);
	strbuf_release(&err);
}

static void test_condition(void **state)
{
	static const char text[] = "id: c\ntitle: t\nseverity: info\nkernel: 3.10.0-693.17.1.el7\n"
				   "boot-regex: FEATURE SPEC_CTRL Present\n";
	struct strbuf err = STRBUF_INIT;
	struct sig_def *d = sig_parse(text, strlen(text), "c.sig", &err);

	(void)state;
	assert_non_null(d);
	assert_true(sig_def_is_condition(d));
	sig_def_free(d);
	strbuf_release(&err);
}

/* Each bad file, and the "FILE:LINE: message" it must produce. */
static const struct { const char *text, *want; } bad[] = {
	{ "title: t\nseverity: low\nkind: oops\n", "x.sig:1: missing field 'id'" },
	{ "id: a\nseverity: low\nkind: oops\n", "x.sig:1: missing field 'title'" },
	{ "id: a\ntitle: t\nkind: oops\n", "x.sig:1: missing field 'severity'" },
	{ "id: a b\ntitle: t\nseverity: low\nkind: oops\n", "x.sig:1: id: 'a b' must be" },
	{ "id: -a\ntitle: t\nseverity: low\nkind: oops\n", "x.sig:1: id: '-a' must be" },
	{ "id: a\ntitle: t\nseverity: urgent\nkind: oops\n", "x.sig:3: severity: 'urgent' is not" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops, crash\n", "x.sig:4: kind: unknown incident kind 'crash'" },
	{ "id: a\ntitle: t\nseverity: low\nkind: condition\n", "x.sig:4: kind: unknown incident kind 'condition'" },
	{ "id: a\ntitle: t\nseverity: low\nkind: ,\n", "x.sig:4: kind: empty value" },
	{ "id: a\ntitle: t\nseverity: low\n", "x.sig:1: signature 'a' has no predicate" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\ncolour: red\n", "x.sig:5: unknown field 'colour'" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\njust text\n", "x.sig:5: expected 'key: value'" },
	{ "  indented\nid: a\n", "x.sig:1: continuation line before any field" },
	{ "id: a\nid: b\n", "x.sig:2: field 'id' repeated (first at line 1)" },
	{ "id: a\ntitle:\nseverity: low\nkind: oops\n", "x.sig:2: field 'title' is empty" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\nframes:\n", "x.sig:5: field 'frames' is empty" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\r\n", "x.sig:4: CR line ending" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\ncount: lots\n", "x.sig:5: count: expected 'N in T'" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\ncount: 0 in 5s\n", "x.sig:5: count: expected" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\ncount: 3 in 5d\n", "x.sig:5: count: expected" },
	{ "id: a\ntitle: t\nseverity: low\ncount: 3 in 5s\nhypervisor: KVM\n", "x.sig:4: count needs a kind" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\nframes-scope: most\nframes: a\n", "x.sig:5: frames-scope: 'most'" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\nframes-scope: all\n", "x.sig:5: frames-scope without frames" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\nframes:\n  foo\n  ...\n  ...\n  bar\n", "x.sig:8: frames: '...' must follow" },
	{ "id: a\ntitle: t\nseverity: low\nkernel: >= 4.4.0\n  < x\n", "x.sig:5: kernel: version 'x' must start" },
	{ "id: a\ntitle: t\nseverity: low\nkind: oops\n\0", "x.sig:1: NUL byte" },
};

static void test_errors(void **state)
{
	struct strbuf err = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		size_t len = strlen(bad[i].text);
		struct sig_def *d;

		if (strstr(bad[i].want, "NUL"))
			len++;
		d = sig_parse(bad[i].text, len, "x.sig", &err);
		if (d)
			fail_msg("case %zu parsed, want error '%s'", i, bad[i].want);
		if (strncmp(err.buf, bad[i].want, strlen(bad[i].want)))
			fail_msg("case %zu: got '%s', want '%s'", i, err.buf, bad[i].want);
	}
	strbuf_release(&err);
}

/* Regex errors come from the compile step with file:line and the offset. */
static void test_regex_errors(void **state)
{
	static const struct { const char *text, *want; } re_bad[] = {
		{ "id: a\ntitle: t\nseverity: low\ntitle-regex: foo(\n", "r.sig:4: title-regex: missing closing parenthesis at offset 4" },
		{ "id: a\ntitle: t\nseverity: low\nkind: oops\ntext-regex:\n  a[b\n", "r.sig:6: text-regex: missing terminating ] for character class at offset 3" },
		{ "id: a\ntitle: t\nseverity: low\nboot-regex: (?<n\n", "r.sig:4: boot-regex:" },
		{ "id: a\ntitle: t\nseverity: low\nhypervisor: *KVM\n", "r.sig:4: hypervisor: quantifier does not follow a repeatable item at offset 0" },
		{ "id: a\ntitle: t\nseverity: low\nhardware: \\C\n", "r.sig:4: hardware:" },
	};
	struct strbuf err = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(re_bad); i++) {
		struct sig_def *d = sig_parse(re_bad[i].text, strlen(re_bad[i].text), "r.sig", &err);

		if (!d)
			fail_msg("case %zu: parse failed: %s", i, err.buf);
		assert_null(sig_compile(d, &err));
		if (strncmp(err.buf, re_bad[i].want, strlen(re_bad[i].want)))
			fail_msg("case %zu: got '%s', want '%s'", i, err.buf, re_bad[i].want);
	}
	strbuf_release(&err);
}

/*
 * Signature files are untrusted: thousands of mutations of a valid file
 * (bytes flipped, lines cut, junk inserted) must parse or fail cleanly —
 * run under ASan in CI, this is the loader's robustness test.
 */
static void test_mutations(void **state)
{
	static const char junk[] = { ':', ' ', '\n', '\t', '*', '[', ']', '(', '\\', '.', '#',
				     '^', '$', '?', '{', '0', '\xff', '\x80', ',', '<', '=' };
	struct strbuf err = STRBUF_INIT;
	struct sig_env *env = sig_env_new();
	struct incident *inc = incident_new(KIND_HUNG_TASK);
	size_t n = strlen(full), parsed = 0;
	uint64_t seed = 42;
	char *buf = xmalloc(n + 64);

	(void)state;
	inc->title = xstrdup("INFO: task hung in copy_net_ns");
	strbuf_addstr(&inc->text, "INFO: task ip:1 blocked for more than 120 seconds.\n");
	for (int round = 0; round < 5000; round++) {
		size_t len = n, edits;
		struct sig_def *d;
		struct sig *sg;
		struct match m;

		memcpy(buf, full, n);
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
			case 1:		/* cut the file */
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
		d = sig_parse(buf, len, "m.sig", &err);
		if (!d) {
			assert_true(err.len > 0);
			assert_non_null(strstr(err.buf, "m.sig:"));
			continue;
		}
		sg = sig_compile(d, &err);
		if (!sg)
			continue;
		parsed++;
		if (sig_match_incident(sg, env, inc, NULL, &m))
			match_release(&m);
		sig_free(sg);
	}
	/* Many mutations leave a valid file: the matcher ran on those too. */
	assert_true(parsed > 100);
	free(buf);
	incident_free(inc);
	sig_env_free(env);
	strbuf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_condition),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_regex_errors),
		cmocka_unit_test(test_mutations),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
