/*
** Frame patterns: globs, modules, gaps, anchoring, errors; and the pattern
** applied to incidents through a compiled signature (scope, ip, suffixes).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "framepat.h"
#include "incident.h"
#include "sig.h"
#include "sigfile.h"
#include "util.h"

static struct frame_pattern *parse(const char *v)
{
	char err[128];
	unsigned bad;
	struct frame_pattern *fp = frame_pattern_parse(v, err, sizeof(err), &bad);

	assert_non_null(fp);
	return fp;
}

static bool match(const char *pattern, const char *const *funcs, const char *const *mods,
		  size_t n)
{
	struct frame_ref refs[32];
	size_t matched[FRAME_PATTERN_MAX_ELEMS], nr;
	struct frame_pattern *fp = parse(pattern);
	bool ok;

	for (size_t i = 0; i < n; i++) {
		refs[i].func = funcs[i];
		refs[i].module = mods ? mods[i] : NULL;
		refs[i].index = i;
	}
	ok = frame_pattern_match(fp, refs, n, matched, &nr);
	frame_pattern_free(fp);
	return ok;
}

static const char *const stack[] = {
	"mutex_lock", "copy_net_ns", "create_new_namespaces", "unshare_nsproxy_namespaces",
	"unshare",
};
static const char *const mods[] = { NULL, NULL, "kvm", NULL, NULL };

static void test_sequences(void **state)
{
	(void)state;
	assert_true(match("mutex_lock\ncopy_net_ns", stack, NULL, 5));
	assert_true(match("copy_net_ns", stack, NULL, 5));
	assert_false(match("copy_net_ns\nmutex_lock", stack, NULL, 5));	/* order */
	assert_false(match("mutex_lock\ncreate_new_namespaces", stack, NULL, 5));	/* adjacency */
	assert_true(match("mutex_lock\n...\ncreate_new_namespaces", stack, NULL, 5));
	assert_true(match("copy_net_ns\n...\nunshare", stack, NULL, 5));
	assert_true(match("^\nmutex_lock", stack, NULL, 5));
	assert_false(match("^\ncopy_net_ns", stack, NULL, 5));
	assert_false(match("unshare\nfoo", stack, NULL, 5));	/* runs past the end */
	assert_false(match("copy_net_ns", stack, NULL, 0));
}

static void test_globs_modules(void **state)
{
	(void)state;
	assert_true(match("*mutex_lock*\ncopy_net_*", stack, NULL, 5));
	assert_true(match("unshare_nsproxy_namespace?", stack, NULL, 5));
	assert_true(match("create_new_namespaces [kvm]", stack, mods, 5));
	assert_true(match("create_new_namespaces [k*]", stack, mods, 5));
	assert_false(match("copy_net_ns [kvm]", stack, mods, 5));
	assert_true(match("copy_net_ns [vmlinux]", stack, mods, 5));
	assert_false(match("create_new_namespaces [vmlinux]", stack, mods, 5));
}

static void test_errors(void **state)
{
	static const struct { const char *pattern, *msg; unsigned line; } bad[] = {
		{ "...\nfoo", "'...' must follow", 0 },
		{ "foo\n...", "trailing", 1 },
		{ "foo\n...\n...\nbar", "'...' must follow", 2 },
		{ "foo\n^", "'^' must be the first", 1 },
		{ "foo [kvm", "expected 'FUNC [MODULE]'", 0 },
		{ "foo bar", "expected 'FUNC [MODULE]'", 0 },
		{ "fo;o", "bad character", 0 },
		{ "a*b*c*d*e*f", "at most 4", 0 },
		{ "^", "no frame", 0 },
		{ "", "no frame", 0 },
	};
	char err[128];
	unsigned line;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		line = 99;
		assert_null(frame_pattern_parse(bad[i].pattern, err, sizeof(err), &line));
		if (!strstr(err, bad[i].msg))
			fail_msg("%s: got '%s', want '%s'", bad[i].pattern, err, bad[i].msg);
		assert_int_equal(line, bad[i].line);
	}
}

static void test_literals_size(void **state)
{
	struct frame_pattern *fp = parse("mutex_*\n...\ncopy_net_ns\nunshare [vmlinux]");
	const char *lits[4];

	(void)state;
	assert_int_equal(frame_pattern_size(fp), 3);
	assert_int_equal(frame_pattern_literals(fp, lits, 4), 2);
	assert_string_equal(lits[0], "copy_net_ns");
	assert_string_equal(lits[1], "unshare");
	frame_pattern_free(fp);
}

static struct sig *compile(const char *text)
{
	struct strbuf err = STRBUF_INIT;
	struct sig_def *def = sig_parse(text, strlen(text), "t.sig", &err);
	struct sig *s;

	if (!def)
		fail_msg("%s", err.buf);
	s = sig_compile(def, &err);
	if (!s)
		fail_msg("%s", err.buf);
	strbuf_release(&err);
	return s;
}

static void add(struct stack *st, const char *func, const char *mod, bool reliable)
{
	struct frame *f = stack_add_frame(st);

	f->func = xstrdup(func);
	f->module = mod ? xstrdup(mod) : NULL;
	f->reliable = reliable;
	f->has_off = true;
	f->off = 0x10;
	f->size = 0x40;
}

/* The ip tops the first stack; suffixes are cleaned; '?' frames per scope. */
static void test_incident_views(void **state)
{
	struct incident *inc = incident_new(KIND_OOPS);
	struct sig_env *env = sig_env_new();
	struct stack *st;
	struct match m;
	struct sig *s;

	(void)state;
	inc->has_ip = true;
	inc->ip.func = xstrdup("kvm_zap_rmapp");
	inc->ip.module = xstrdup("kvm");
	inc->ip.reliable = true;
	st = incident_add_stack(inc, STACK_TASK);
	add(st, "kvm_unmap_rmapp", "kvm", true);
	add(st, "kvm_vcpu_ioctl", "kvm", false);
	add(st, "shrink_slab.part.40", NULL, true);
	add(st, "mutex_lock", NULL, true);
	add(st, "SyS_unshare", NULL, true);

	s = compile("id: a\ntitle: t\nseverity: low\nframes:\n  kvm_zap_rmapp [kvm]\n  kvm_unmap_rmapp\n");
	assert_true(sig_match_incident(s, env, inc, NULL, &m));
	assert_string_equal(m.evidence[0].predicate, "frames");
	assert_non_null(strstr(m.evidence[0].detail, "kvm_zap_rmapp+0x0/0x0 [kvm] ← kvm_unmap_rmapp+0x10/0x40 [kvm]") ?
			m.evidence[0].detail : strstr(m.evidence[0].detail, "kvm_unmap_rmapp"));
	match_release(&m);
	sig_free(s);

	/* Default scope "all": the '?' frame breaks adjacency. */
	s = compile("id: a\ntitle: t\nseverity: low\nframes:\n  kvm_unmap_rmapp\n  shrink_slab\n");
	assert_false(sig_match_incident(s, env, inc, NULL, &m));
	sig_free(s);
	s = compile("id: a\ntitle: t\nseverity: low\nframes-scope: reliable\nframes:\n  kvm_unmap_rmapp\n  shrink_slab\n");
	assert_true(sig_match_incident(s, env, inc, NULL, &m));
	match_release(&m);
	sig_free(s);
	/* "meaningful" drops mutex_lock, so shrink_slab and unshare become adjacent. */
	s = compile("id: a\ntitle: t\nseverity: low\nframes-scope: meaningful\nframes:\n  shrink_slab\n  unshare\n");
	assert_true(sig_match_incident(s, env, inc, NULL, &m));
	match_release(&m);
	sig_free(s);
	s = compile("id: a\ntitle: t\nseverity: low\nframes:\n  shrink_slab\n  unshare\n");
	assert_false(sig_match_incident(s, env, inc, NULL, &m));
	sig_free(s);
	/* kind gates everything */
	s = compile("id: a\ntitle: t\nseverity: low\nkind: hung_task\nframes:\n  kvm_zap_rmapp\n");
	assert_false(sig_match_incident(s, env, inc, NULL, &m));
	sig_free(s);

	sig_env_free(env);
	incident_free(inc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sequences),
		cmocka_unit_test(test_globs_modules),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_literals_size),
		cmocka_unit_test(test_incident_views),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
