/*
** The signature database: compile the shipped signatures to SQLite and read
** them back byte for byte, ranking and evidence of matches, the index,
** condition records, PCRE2 limits, concurrent `db add`, corrupt and foreign
** database files.
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "incident.h"
#include "sigdb.h"
#include "sigstore.h"
#include "util.h"

static char tmpdir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/ksift-test-sigdb.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	/* Our own temporary directory only: the path comes from mkdtemp. */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *tmp_path(const char *name)
{
	char *p = xmalloc(strlen(tmpdir) + strlen(name) + 2);

	sprintf(p, "%s/%s", tmpdir, name);
	unlink(p);
	return p;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	fclose(f);
	return strbuf_detach(&sb, NULL);
}

static void test_compile_round_trip(void **state)
{
	struct sigdb *src = sigdb_new(), *back;
	char *db = tmp_path("rt.db"), err[512];

	(void)state;
	assert_int_equal(sigdb_load_path(src, KSIFT_SRCDIR "/signatures/bugs"), 0);
	assert_true(sigdb_count(src) >= 16);
	assert_int_equal(sigstore_write(src, db, err, sizeof(err)), 0);
	back = sigdb_open(db, err, sizeof(err));
	if (!back)
		fail_msg("%s", err);
	assert_int_equal(sigdb_count(back), sigdb_count(src));
	for (size_t i = 0; i < sigdb_count(src); i++) {
		char path[512], *text;

		snprintf(path, sizeof(path), KSIFT_SRCDIR "/signatures/bugs/%s", sigdb_file(back, i));
		text = slurp(path);
		assert_string_equal(sigdb_source(back, i), text);
		assert_string_equal(sig_def(sigdb_get(back, i))->id.val,
				    sig_def(sigdb_get(src, i))->id.val);
		free(text);
	}
	assert_non_null(sigdb_find(back, "rhel7-ibrs-693.17.1"));
	assert_null(sigdb_find(back, "no-such-bug"));
	sigdb_close(back);
	sigdb_close(src);
	free(db);
}

static void add_text(struct sigdb *db, const char *text)
{
	struct strbuf err = STRBUF_INIT;

	if (sigdb_add_text(db, text, strlen(text), "mem.sig", "mem.sig", &err))
		fail_msg("%s", err.buf);
	strbuf_release(&err);
}

static struct incident *hung_copy_net_ns(void)
{
	static const char *const funcs[] = {
		"schedule", "schedule_preempt_disabled", "__mutex_lock_slowpath", "mutex_lock",
		"copy_net_ns", "create_new_namespaces", "unshare_nsproxy_namespaces", "SyS_unshare",
	};
	struct incident *inc = incident_new(KIND_HUNG_TASK);
	struct stack *st = incident_add_stack(inc, STACK_TASK);

	for (size_t i = 0; i < ARRAY_SIZE(funcs); i++) {
		struct frame *f = stack_add_frame(st);

		f->func = xstrdup(funcs[i]);
		f->reliable = true;
	}
	inc->title = xstrdup("INFO: task hung in copy_net_ns");
	inc->kernel.release = xstrdup("4.4.0-137-generic");
	strbuf_addstr(&inc->text, "INFO: task ip:1747 blocked for more than 120 seconds.\n"
		      "      Not tainted 4.4.0-137-generic #163-Ubuntu\n");
	return inc;
}

static void test_rank_and_evidence(void **state)
{
	struct sigdb *db = sigdb_new();
	struct incident *inc = hung_copy_net_ns();

	(void)state;
	add_text(db, "id: broad\ntitle: any hung task\nseverity: low\nkind: hung_task\n");
	add_text(db, "id: specific\ntitle: netns\nseverity: high\nkind: hung_task\n"
		 "frames:\n  mutex_lock\n  copy_net_ns\ntext-regex: blocked for more than \\d+\n"
		 "kernel: >= 4.4.0-21, < 4.4.0-140\nfix: upgrade\nworkaround: less churn\n");
	add_text(db, "id: wrong-kernel\ntitle: t\nseverity: high\nkind: hung_task\n"
		 "frames:\n  copy_net_ns\nkernel: >= 5.0\n");
	add_text(db, "id: wrong-kind\ntitle: t\nseverity: high\nkind: oops\nframes:\n  copy_net_ns\n");
	sigdb_match_incident(db, inc, NULL);
	assert_int_equal(inc->nr_matches, 2);
	assert_string_equal(inc->matches[0].id, "specific");
	assert_string_equal(inc->matches[1].id, "broad");
	assert_string_equal(inc->matches[0].fix, "upgrade");
	assert_string_equal(inc->matches[0].workaround, "less churn");
	assert_string_equal(inc->matches[0].severity, "high");
	assert_int_equal(inc->matches[0].nr_evidence, 4);
	assert_string_equal(inc->matches[0].evidence[1].predicate, "frames");
	assert_string_equal(inc->matches[0].evidence[1].detail,
			    "task stack: mutex_lock ← copy_net_ns");
	assert_string_equal(inc->matches[0].evidence[2].predicate, "text-regex");
	assert_string_equal(inc->matches[0].evidence[2].detail,
			    "INFO: task ip:1747 blocked for more than 120 seconds.");
	assert_string_equal(inc->matches[0].evidence[3].predicate, "kernel");
	assert_non_null(strstr(inc->matches[0].evidence[3].detail, "4.4.0-137-generic"));
	incident_free(inc);
	sigdb_close(db);
}

/* The index keeps unrelated signatures from being tested at all. */
static void test_index(void **state)
{
	struct sigdb *db = sigdb_new();
	struct incident *inc = hung_copy_net_ns();
	char text[256];

	(void)state;
	for (int i = 0; i < 500; i++) {
		snprintf(text, sizeof(text), "id: s%03d\ntitle: t\nseverity: low\nkind: hung_task\n"
			 "frames:\n  func_%d\n  ...\n  other_%d\n", i, i, i);
		add_text(db, text);
	}
	add_text(db, "id: hit\ntitle: t\nseverity: low\nframes:\n  copy_net_ns\n");
	add_text(db, "id: oops-only\ntitle: t\nseverity: low\nkind: oops\ntitle-regex: x\n");
	sigdb_match_incident(db, inc, NULL);
	assert_int_equal(inc->nr_matches, 1);
	assert_string_equal(inc->matches[0].id, "hit");
	assert_true(sigdb_candidates_tested(db) <= 2);
	incident_free(inc);
	sigdb_close(db);
}

static void emit_collect(void *data, struct incident *inc)
{
	struct incident **out = data;

	assert_null(*out);
	*out = inc;
}

static void test_condition(void **state)
{
	struct sigdb *db = sigdb_new();
	struct boot_context ctx;
	unsigned long linenos[3] = { 7, 8, 9 };
	struct incident *got = NULL;

	(void)state;
	add_text(db, "id: ibrs\ntitle: IBRS build\nseverity: medium\n"
		 "kernel: 3.10.0-693.17.1.el7\nboot-regex: FEATURE SPEC_CTRL Present\nfix: update\n");
	memset(&ctx, 0, sizeof(ctx));
	ctx.host = "vm1";
	ctx.path = "boot.log";
	ctx.first_line = 1;
	ctx.release = "3.10.0-693.17.1.el7.x86_64";
	ctx.version_line = "Linux version 3.10.0-693.17.1.el7.x86_64 (mockbuild@) #1 SMP";
	strbuf_init(&ctx.boot_lines, 0);
	strbuf_addstr(&ctx.boot_lines, "Hypervisor detected: KVM\nFEATURE SPEC_CTRL Present\n"
		      "FEATURE IBPB_SUPPORT Present\n");
	ctx.boot_lineno = linenos;
	ctx.nr_boot_lines = 3;
	assert_int_equal(sigdb_match_boot(db, &ctx, emit_collect, &got), 1);
	assert_non_null(got);
	assert_int_equal(got->kind, KIND_CONDITION);
	assert_string_equal(got->host, "vm1");
	assert_int_equal(got->source.line, 8);
	assert_int_equal(got->nr_matches, 1);
	assert_string_equal(got->matches[0].id, "ibrs");
	assert_string_equal(got->matches[0].evidence[2].predicate, "boot-regex");
	assert_string_equal(got->matches[0].evidence[2].detail, "line 8: FEATURE SPEC_CTRL Present");
	assert_non_null(strstr(got->text.buf, "FEATURE SPEC_CTRL Present"));
	assert_int_equal(strlen(got->hash), 16);
	incident_free(got);
	got = NULL;

	/* A later build does not match. */
	ctx.release = "3.10.0-693.21.1.el7.x86_64";
	assert_int_equal(sigdb_match_boot(db, &ctx, emit_collect, &got), 0);
	/* Nor does the same build without the boot line. */
	ctx.release = "3.10.0-693.17.1.el7.x86_64";
	strbuf_reset(&ctx.boot_lines);
	strbuf_addstr(&ctx.boot_lines, "Hypervisor detected: KVM\n");
	ctx.nr_boot_lines = 1;
	assert_int_equal(sigdb_match_boot(db, &ctx, emit_collect, &got), 0);
	assert_null(got);
	strbuf_release(&ctx.boot_lines);
	sigdb_close(db);
}

/* A catastrophic pattern hits the PCRE2 limits: no match, no hang. */
static void test_pcre_limits(void **state)
{
	struct sigdb *db = sigdb_new();
	struct incident *inc = incident_new(KIND_OOPS);
	time_t start = time(NULL);

	(void)state;
	add_text(db, "id: evil\ntitle: t\nseverity: low\nkind: oops\ntext-regex: ^(a|a?)+(a|a?)+(a|a?)+$\n");
	for (int i = 0; i < 3000; i++)
		strbuf_addch(&inc->text, 'a');
	strbuf_addch(&inc->text, 'b');
	for (int round = 0; round < 3; round++)
		sigdb_match_incident(db, inc, NULL);
	assert_int_equal(inc->nr_matches, 0);
	assert_true(time(NULL) - start < 20);
	incident_free(inc);
	sigdb_close(db);
}

static void test_concurrent_add(void **state)
{
	char *db = tmp_path("concurrent.db"), err[512];
	pid_t kids[2];
	struct sigdb *back;

	(void)state;
	for (int k = 0; k < 2; k++) {
		kids[k] = fork();
		assert_true(kids[k] >= 0);
		if (kids[k] == 0) {
			int failures = 0;

			for (int i = 0; i < 25; i++) {
				char text[256], name[64];

				snprintf(text, sizeof(text), "id: w%d-%02d\ntitle: t\nseverity: low\n"
					 "kind: oops\nframes:\n  f%d_%d\n", k, i, k, i);
				snprintf(name, sizeof(name), "w%d-%02d.sig", k, i);
				failures += sigstore_add(db, text, strlen(text), name, name, err,
							 sizeof(err)) != 0;
			}
			_exit(failures ? 1 : 0);
		}
	}
	for (int k = 0; k < 2; k++) {
		int status;

		assert_int_equal(waitpid(kids[k], &status, 0), kids[k]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	back = sigdb_open(db, err, sizeof(err));
	if (!back)
		fail_msg("%s", err);
	assert_int_equal(sigdb_count(back), 50);
	sigdb_close(back);

	/* A bad file is refused with its line and leaves the database as it was. */
	assert_int_equal(sigstore_add(db, "id: bad\ntitle: t\nseverity: low\nkind: nope\n", 42,
				      "bad.sig", "bad.sig", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "bad.sig:4: kind: unknown"));
	/* Replacing an id keeps one row. */
	assert_int_equal(sigstore_add(db, "id: w0-00\ntitle: new\nseverity: low\nkind: oops\n", 45,
				      "w0-00.sig", "w0-00.sig", err, sizeof(err)), 0);
	back = sigdb_open(db, err, sizeof(err));
	assert_non_null(back);
	assert_int_equal(sigdb_count(back), 50);
	assert_string_equal(sig_def(sigdb_find(back, "w0-00"))->title.val, "new");
	sigdb_close(back);
	free(db);
}

static void write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void test_corrupt_and_foreign(void **state)
{
	char *junk = tmp_path("junk.db"), *foreign = tmp_path("foreign.db");
	char *good = tmp_path("good.db"), *cut = tmp_path("cut.db"), err[512];
	struct sigdb *src = sigdb_new();
	sqlite3 *h;
	char *text;
	size_t n;
	FILE *f;

	(void)state;
	write_bytes(junk, "this is not a database, just text\n", 34);
	assert_null(sigdb_open(junk, err, sizeof(err)));
	assert_non_null(strstr(err, "not a database"));

	assert_int_equal(sqlite3_open(foreign, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_null(sigdb_open(foreign, err, sizeof(err)));
	assert_non_null(strstr(err, "not a ksift database"));

	assert_null(sigdb_open("/nonexistent/ksift.db", err, sizeof(err)));
	assert_non_null(strstr(err, "cannot read"));

	/* A real database cut short. */
	assert_int_equal(sigdb_load_path(src, KSIFT_SRCDIR "/signatures/bugs"), 0);
	assert_int_equal(sigstore_write(src, good, err, sizeof(err)), 0);
	text = slurp(good);	/* binary: slurp keeps the bytes, stops at none */
	f = fopen(good, "rb");
	fseek(f, 0, SEEK_END);
	n = (size_t)ftell(f);
	fclose(f);
	write_bytes(cut, text, n / 3);
	free(text);
	{
		struct sigdb *x = sigdb_open(cut, err, sizeof(err));

		assert_null(x);
		assert_true(strlen(err) > 0);
	}
	/* A signature row edited into garbage. */
	assert_int_equal(sqlite3_open(good, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "UPDATE signatures SET source = 'garbage' WHERE id = "
				      "'tcp-mem-exhausted'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_null(sigdb_open(good, err, sizeof(err)));
	assert_non_null(strstr(err, "corrupt signature database"));
	/* A newer schema is refused. */
	assert_int_equal(sqlite3_open(good, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_null(sigdb_open(good, err, sizeof(err)));
	assert_non_null(strstr(err, "newer"));
	sigdb_close(src);
	free(junk);
	free(foreign);
	free(good);
	free(cut);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_round_trip),
		cmocka_unit_test(test_rank_and_evidence),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_condition),
		cmocka_unit_test(test_pcre_limits),
		cmocka_unit_test(test_concurrent_add),
		cmocka_unit_test(test_corrupt_and_foreign),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
