/* Unit tests: version ordering, the signature format, frame patterns. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "sigdb.h"
#include "sigfile.h"
#include "title.h"
#include "util.h"
#include "version.h"

static void dpkg_and_rpm_order(void **state)
{
	(void)state;
	/* Ubuntu ABI numbers compare numerically. */
	assert_true(version_cmp("4.4.0-119-generic", "4.4.0-137-generic") < 0);
	assert_true(version_cmp("4.4.0-21-generic", "4.4.0-140") < 0);
	assert_true(version_cmp("5.15.0-91-generic", "5.4.0-150-generic") > 0);
	/* dpkg: '~' sorts before everything, even the end. */
	assert_true(version_cmp_dpkg("1.0~rc1", "1.0") < 0);
	assert_true(version_cmp_dpkg("1.0", "1.0") == 0);
	assert_true(version_cmp_dpkg("1.0a", "1.0") > 0);
	assert_true(version_cmp_dpkg("1.0-1", "1.0.1") < 0);
	/* rpm releases, with and without the arch. */
	assert_true(version_cmp("3.10.0-693.17.1.el7", "3.10.0-693.21.1.el7") < 0);
	assert_true(version_cmp("3.10.0-693.17.1.el7.x86_64", "3.10.0-693.17.1.el7") == 0);
	assert_true(version_cmp("3.10.0-1160.el7", "3.10.0-957.el7") > 0);
	assert_true(version_cmp_rpm("1.0", "1.0.1") < 0);
	assert_true(version_cmp_rpm("2.0a", "2.0") > 0);
	assert_true(version_cmp_rpm("1.0~beta", "1.0") < 0);
	assert_true(version_cmp_rpm("010", "10") == 0);
}

static void predicates(void **state)
{
	(void)state;
	assert_int_equal(version_match(">= 4.4.0-21, < 4.4.0-140", "4.4.0-119-generic"), 1);
	assert_int_equal(version_match(">= 4.4.0-21, < 4.4.0-140", "4.4.0-140-generic"), 0);
	assert_int_equal(version_match(">= 4.4.0-21, < 4.4.0-140", "4.4.0-21-generic"), 1);
	assert_int_equal(version_match("= 3.10.0-693.17.1.el7", "3.10.0-693.17.1.el7.x86_64"), 1);
	assert_int_equal(version_match("3.10.0-693.17.1.el7", "3.10.0-693.21.1.el7.x86_64"), 0);
	assert_int_equal(version_match("4.4.0-137", "4.4.0-137-generic"), 1);
	assert_int_equal(version_match("4.4.0-13", "4.4.0-137-generic"), 0);
	assert_int_equal(version_match("!= 4.4.0-137", "4.4.0-138-generic"), 1);
	assert_int_equal(version_match("> 5.4", "5.15.0-91-generic"), 1);
	assert_int_equal(version_match("<= 4.4.0-137", "4.4.0-137-generic"), 1);
	assert_int_equal(version_match("< 4.4.0-137", "4.4.0-137-generic"), 0);
	assert_int_equal(version_match(">= 4.4", NULL), 0);	/* unknown release */
	assert_int_equal(version_match("=> 4.4", "4.4"), -1);
	assert_int_equal(version_match("", "4.4"), -1);
	assert_int_equal(version_match(">= 4.4 5.0", "4.4"), -1);
}

static struct signature *parse(const char *text, struct strbuf *err)
{
	strbuf_reset(err);
	return signature_parse(text, strlen(text), "t.sig", err);
}

static void every_field(void **state)
{
	struct strbuf err = STRBUF_INIT;
	struct signature *s;

	(void)state;
	s = parse("# a comment\n"
		  "id: demo-bug\n"
		  "title: A demo\n"
		  "description: first line\n"
		  "  second line\n"
		  "severity: high\n"
		  "kind: oops, gpf hung_task\n"
		  "title-regex: ^BUG\n"
		  "  in foo$\n"
		  "frames: foo* [kvm]\n"
		  "  ...\n"
		  "  bar\n"
		  "  |\n"
		  "  baz\n"
		  "text-regex: Oops: \\d+\n"
		  "kernel: >= 4.4.0-21, < 4.4.0-140\n"
		  "hypervisor: KVM\n"
		  "hardware: PowerEdge\n"
		  "boot-regex: SPEC_CTRL\n"
		  "count: 3 in 2 min\n"
		  "fix: commit abc\n"
		  "workaround: reboot\n"
		  "links: https://a\n"
		  "  https://b\n"
		  "examples: a.log\n"
		  "counter-examples: b.log\n", &err);
	assert_non_null(s);
	assert_string_equal(err.buf, "");
	assert_string_equal(s->id, "demo-bug");
	assert_string_equal(s->description, "first line\nsecond line");
	assert_string_equal(s->severity, "high");
	assert_int_equal(s->nr_kinds, 3);
	assert_int_equal(s->kinds[2], KIND_HUNG_TASK);
	assert_int_equal(s->title_regex.nr, 2);
	assert_int_equal(s->nr_frames, 4);
	assert_string_equal(s->frames[0].func, "foo*");
	assert_string_equal(s->frames[0].module, "kvm");
	assert_true(s->frames[0].gap);
	assert_null(s->frames[2].func);		/* alternative separator */
	assert_string_equal(s->kernel, ">= 4.4.0-21, < 4.4.0-140");
	assert_int_equal(s->count_n, 3);
	assert_true(s->count_secs == 120);
	assert_int_equal(s->links.nr, 2);
	assert_int_equal(s->examples.nr, 1);
	assert_int_equal(s->counter_examples.nr, 1);
	assert_false(signature_is_condition(s));
	signature_free(s);
	s = parse("id: c\ntitle: t\nkernel: = 3.10.0-693.17.1.el7\nboot-regex: X\n", &err);
	assert_non_null(s);
	assert_true(signature_is_condition(s));
	signature_free(s);
	strbuf_release(&err);
}

/* Every error names the file and line. */
static void errors(void **state)
{
	static const struct { const char *text, *expect; } cases[] = {
		{ "title: t\nkind: oops\n", "t.sig:2: missing field 'id'" },
		{ "id: x\nkind: oops\n", "missing field 'title'" },
		{ "id: x\ntitle: t\n", "has no predicate" },
		{ "id: x\ntitle: t\nkind: oops\nkind: bug\n", "t.sig:4: field 'kind' given twice" },
		{ "id: x\ntitle: t\nkind: oopz\n", "t.sig:3: unknown kind 'oopz'" },
		{ "id: x\ntitle: t\nkind: oops\nfoo: 1\n", "t.sig:4: unknown field 'foo'" },
		{ "id: x\ntitle: t\ntitle-regex: (unclosed\n", "t.sig:3: regex does not compile at offset 9" },
		{ "id: x\ntitle: t\nkernel: => 4.4\n", "t.sig:3: malformed kernel predicate" },
		{ "id: x\ntitle: t\nseverity: huge\nkind: oops\n", "t.sig:3: severity must be" },
		{ "id: X Y\ntitle: t\nkind: oops\n", "t.sig:1: id may hold only" },
		{ "id: x\ntitle: t\nframes: ...\n", "t.sig:3: a frame pattern cannot start with '...'" },
		{ "id: x\ntitle: t\nframes: foo bar\n", "t.sig:3: frame pattern is 'FUNC' or 'FUNC [MODULE]'" },
		{ "id: x\ntitle: t\nframes: foo\n  |\n", "frame pattern ends with '|'" },
		{ "id: x\ntitle: t\nkind: oops\ncount: many\n", "t.sig:4: count is 'N' or 'N in T s'" },
		{ "  orphan\nid: x\ntitle: t\nkind: oops\n", "t.sig:1: continuation line without a field" },
		{ "id: x\ntitle: t\nkind: oops\nno colon here\n", "t.sig:4: expected 'key: value'" },
		{ "id: x\ntitle: two\n  lines\nkind: oops\n", "t.sig:3: 'title' takes one line" },
	};
	struct strbuf err = STRBUF_INIT;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct signature *s = parse(cases[i].text, &err);
		if (s || !strstr(err.buf, cases[i].expect))
			fail_msg("case %zu: got '%s', want '%s'", i, err.buf, cases[i].expect);
	}
	strbuf_release(&err);
}

/* Build an incident with one task stack of function names. */
static struct incident *incident_with(enum incident_kind kind, const char *ip,
				      const char *const *funcs, size_t n)
{
	struct incident *inc = incident_new(kind);
	struct stack *st = incident_add_stack(inc, STACK_TASK);

	if (ip) {
		const char *sp = strchr(ip, ' ');
		inc->ip.func = sp ? xstrndup(ip, (size_t)(sp - ip)) : xstrdup(ip);
		if (sp)
			inc->ip.module = xstrdup(sp + 1);
		inc->ip.reliable = true;
		inc->has_ip = true;
	}
	for (size_t i = 0; i < n; i++) {
		struct frame *f = stack_add_frame(st);
		const char *sp = strchr(funcs[i], ' ');
		f->func = sp ? xstrndup(funcs[i], (size_t)(sp - funcs[i])) : xstrdup(funcs[i]);
		if (sp)
			f->module = xstrdup(sp + 1);
		f->has_off = true;
	}
	title_assign(inc);
	return inc;
}

static bool matches(const char *sigtext, struct incident *inc)
{
	struct strbuf err = STRBUF_INIT;
	struct sig_set set = { 0 };
	struct sigdb *db;
	bool yes;

	set.v = xcalloc(1, sizeof(*set.v));
	set.v[0].sig = signature_parse(sigtext, strlen(sigtext), "t.sig", &err);
	assert_non_null(set.v[0].sig);
	set.v[0].file = xstrdup("t.sig");
	set.v[0].path = xstrdup("t.sig");
	set.v[0].text = xstrdup(sigtext);
	set.nr = set.alloc = 1;
	db = sigdb_from_set(&set, &err);
	assert_non_null(db);
	for (size_t i = 0; i < inc->nr_matches; i++)
		match_release(&inc->matches[i]);
	inc->nr_matches = 0;
	sigdb_match_incident(db, inc, NULL);
	yes = inc->nr_matches == 1;
	sigdb_close(db);
	strbuf_release(&err);
	return yes;
}

static void frame_patterns(void **state)
{
	static const char *const kvm[] = {
		"kvm_unmap_rmapp kvm", "kvm_handle_hva_range kvm",
		"kvm_mmu_notifier_invalidate_range_start kvm",
		"__mmu_notifier_invalidate_range_start", "change_protection_range",
	};
	static const char *const hung[] = {
		"schedule", "schedule_preempt_disabled", "__mutex_lock_slowpath",
		"mutex_lock", "copy_net_ns", "create_new_namespaces",
	};
	struct incident *a = incident_with(KIND_OOPS, "kvm_zap_rmapp kvm", kvm, ARRAY_SIZE(kvm));
	struct incident *b = incident_with(KIND_HUNG_TASK, NULL, hung, ARRAY_SIZE(hung));

	(void)state;
	/* The ip heads the stack; "..." skips any frames. */
	assert_true(matches("id: a\ntitle: t\nframes: kvm_zap_rmapp [kvm]\n  ...\n"
			    "  kvm_mmu_notifier_invalidate_range_start [kvm]\n", a));
	/* Without "..." only generic frames may come between. */
	assert_false(matches("id: a\ntitle: t\nframes: kvm_zap_rmapp\n"
			     "  kvm_mmu_notifier_invalidate_range_start\n", a));
	assert_true(matches("id: a\ntitle: t\nframes: mutex_lock\n  copy_net_ns\n", b));
	assert_true(matches("id: a\ntitle: t\nframes: schedule\n  copy_net_ns\n", b));
	/* Module globs; kvm-intel and kvm_intel are one module. */
	assert_true(matches("id: a\ntitle: t\nframes: kvm_unmap_* [kv?]\n", a));
	assert_false(matches("id: a\ntitle: t\nframes: kvm_unmap_rmapp [xfs]\n", a));
	assert_false(matches("id: a\ntitle: t\nframes: copy_net_ns [kvm]\n", b));
	/* Alternatives. */
	assert_true(matches("id: a\ntitle: t\nframes: nothing_here\n  |\n  copy_net_ns\n", b));
	/* Kind and title regex narrow further. */
	assert_false(matches("id: a\ntitle: t\nkind: oops\nframes: copy_net_ns\n", b));
	assert_true(matches("id: a\ntitle: t\ntitle-regex: hung in copy_net_ns$\n", b));
	assert_true(strstr(b->matches[0].evidence[0].detail, "copy_net_ns") != NULL);
	incident_free(a);
	incident_free(b);
}

/* A catastrophic pattern hits the match limit: no match, no hang. */
static void match_limit(void **state)
{
	static const char *const f[] = { "foo" };
	struct incident *inc = incident_with(KIND_BUG, NULL, f, 1);

	(void)state;
	/* A 'c' is present, so no shortcut: backtracking is exponential. */
	strbuf_addstr(&inc->text, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaabc\n");
	assert_false(matches("id: slow\ntitle: t\ntext-regex: ^(a|a|aa)*c\n", inc));
	incident_free(inc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(dpkg_and_rpm_order),
		cmocka_unit_test(predicates),
		cmocka_unit_test(every_field),
		cmocka_unit_test(errors),
		cmocka_unit_test(frame_patterns),
		cmocka_unit_test(match_limit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
