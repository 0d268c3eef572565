/*
** The results store: idempotent recording, the views, forward migration,
** and clear errors for corrupt or foreign files.
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
#include <unistd.h>

#include "incident.h"
#include "results.h"
#include "schema.h"
#include "util.h"

static char path[256];

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/ksift-test-results.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	char side[300];

	(void)state;
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	return 0;
}

static struct incident *make(unsigned long line, const char *host, const char *sig)
{
	struct incident *inc = incident_new(KIND_OOPS);
	struct match *m;

	inc->title = xstrdup("BUG: unable to handle kernel paging request in kvm_zap_rmapp");
	inc->host = xstrdup(host);
	inc->source.path = "/var/log/kern.log";
	inc->source.line = line;
	inc->source.end_line = line + 40;
	inc->wall = xstrdup("2024-06-20T21:07:18");
	inc->ktime = 32668670.771896;
	inc->has_ktime = true;
	inc->kernel.release = xstrdup("4.4.0-119-generic");
	memcpy(inc->hash, "0123456789abcdef", 17);
	if (sig) {
		m = incident_add_match(inc);
		m->id = xstrdup(sig);
		m->severity = xstrdup("critical");
		match_add_evidence(m, "frames", "task stack: kvm_zap_rmapp [kvm]");
	}
	return inc;
}

static long long query_int(const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

static void test_idempotent(void **state)
{
	char err[256];

	(void)state;
	for (int pass = 0; pass < 2; pass++) {
		struct results_db *r = results_open(path, err, sizeof(err));
		struct incident *a = make(10, "hv1", "kvm-zap-rmapp-paging-request");
		struct incident *b = make(90, "hv1", "kvm-zap-rmapp-paging-request");
		struct incident *c = make(10, "hv2", NULL);

		if (!r)
			fail_msg("%s", err);
		c->source.path = "/var/log/other.log";
		assert_int_equal(results_record(r, a, NULL), pass == 0 ? 1 : 0);
		assert_int_equal(results_record(r, b, NULL), pass == 0 ? 1 : 0);
		assert_int_equal(results_record(r, c, NULL), pass == 0 ? 1 : 0);
		assert_int_equal(results_close(r), 0);
		incident_free(a);
		incident_free(b);
		incident_free(c);
	}
	assert_int_equal(query_int("SELECT count(*) FROM incidents"), 3);
	assert_int_equal(query_int("SELECT count(*) FROM incident_matches"), 2);
	assert_int_equal(query_int("SELECT incidents FROM bugs_by_host WHERE host = 'hv1' AND "
				   "signature_id = 'kvm-zap-rmapp-paging-request'"), 2);
	assert_int_equal(query_int("SELECT hosts FROM bugs_seen"), 1);
	assert_int_equal(query_int("PRAGMA user_version"), RESULTS_SCHEMA_VERSION);
	assert_int_equal(query_int("PRAGMA application_id"), RESULTS_APP_ID);
}

static void test_migrate_forward(void **state)
{
	sqlite3 *h;
	char err[256];
	struct results_db *r;

	(void)state;
	r = results_open(path, err, sizeof(err));
	assert_non_null(r);
	results_close(r);
	/* Make it look like a version-1 file: the views (v2) and the files
	   table and unknown_clusters view (v3) did not exist yet. */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "DROP VIEW bugs_by_host; DROP VIEW bugs_seen; "
				      "DROP VIEW unknown_clusters; DROP TABLE files; "
				      /* and what version 5 added */
				      "DROP TABLE boots; DROP TABLE signatures; "
				      "ALTER TABLE incidents DROP COLUMN kernel_build; "
				      "ALTER TABLE incidents DROP COLUMN kernel_stream; "
				      "ALTER TABLE incidents DROP COLUMN record; "
				      "ALTER TABLE incidents DROP COLUMN scan_id; "
				      "ALTER TABLE incident_matches DROP COLUMN fix_status; "
				      "ALTER TABLE incident_matches DROP COLUMN fix_detail; "
				      /* and what version 6 added */
				      "ALTER TABLE incidents DROP COLUMN follows_line; "
				      "ALTER TABLE incidents DROP COLUMN follows_reason; "
				      "ALTER TABLE incidents DROP COLUMN frames; "
				      "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(query_int("SELECT count(*) FROM sqlite_master WHERE type = 'view'"), 0);
	r = results_open(path, err, sizeof(err));
	if (!r)
		fail_msg("%s", err);
	results_close(r);
	assert_int_equal(query_int("PRAGMA user_version"), RESULTS_SCHEMA_VERSION);
	assert_int_equal(query_int("SELECT count(*) FROM sqlite_master WHERE type = 'view'"), 3);
	assert_int_equal(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'files'"), 1);
	assert_int_equal(query_int("SELECT count(*) FROM sqlite_master WHERE name = 'boots'"), 1);
	assert_int_equal(query_int("SELECT count(*) FROM pragma_table_info('incident_matches')"
				   " WHERE name = 'fix_status'"), 1);
	assert_int_equal(query_int("SELECT count(*) FROM pragma_table_info('incidents') WHERE name IN "
				   "('follows_line', 'follows_reason', 'frames')"), 3);
}

static void test_bad_files(void **state)
{
	char err[256];
	FILE *f;
	sqlite3 *h;

	(void)state;
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs("SQLite format 3\0garbage that is not a database page at all..........", f);
	for (int i = 0; i < 200; i++)
		fputs("corrupt corrupt corrupt corrupt\n", f);
	fclose(f);
	assert_null(results_open(path, err, sizeof(err)));
	assert_true(strlen(err) > 0);

	unlink(path);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TABLE customers(name)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_null(results_open(path, err, sizeof(err)));
	assert_non_null(strstr(err, "not a ksift results database"));
	/* The foreign file is left untouched. */
	assert_int_equal(query_int("SELECT count(*) FROM sqlite_master"), 1);
	assert_null(results_open("/nonexistent-dir/x.db", err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idempotent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_forward, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_files, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
