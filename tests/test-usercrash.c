/* Unit tests for userspace crash records (incident/usercrash.h,
   incident/coremsg.h): signal and si_code names, the generic frames a title
   skips, titles and hashes (stable across addresses and hosts), wall
   times, systemd-coredump message lines as systemd 252 prints them
   (elf-util.c frame_callback(), report_module_metadata()), and when a
   kernel segfault line and a coredump record are one crash. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "coremsg.h"
#include "incident.h"
#include "usercrash.h"

static void signals(void **state)
{
	(void)state;
	assert_string_equal(usercrash_signal_name(11), "SIGSEGV");
	assert_string_equal(usercrash_signal_name(6), "SIGABRT");
	assert_null(usercrash_signal_name(0));
	assert_null(usercrash_signal_name(65));
	assert_int_equal(usercrash_signal_number("SIGBUS"), 7);
	assert_int_equal(usercrash_signal_number("SEGV"), 11);
	assert_int_equal(usercrash_signal_number("SIGNOPE"), 0);
	assert_string_equal(usercrash_sigcode_name(11, 1), "SEGV_MAPERR");
	assert_string_equal(usercrash_sigcode_name(11, 2), "SEGV_ACCERR");
	assert_string_equal(usercrash_sigcode_name(7, 2), "BUS_ADRERR");
	assert_string_equal(usercrash_sigcode_name(6, -6), "SI_TKILL");
	assert_string_equal(usercrash_sigcode_name(11, 0x80), "SI_KERNEL");
	assert_null(usercrash_sigcode_name(11, 77));
}

static void generic_frames(void **state)
{
	(void)state;
	assert_true(usercrash_generic_frame("__GI_raise"));
	assert_true(usercrash_generic_frame("__pthread_kill_implementation"));
	assert_true(usercrash_generic_frame("__assert_fail_base.cold"));
	assert_true(usercrash_generic_frame("__memmove_avx_unaligned_erms"));
	assert_true(usercrash_generic_frame("malloc_printerr"));
	assert_true(usercrash_generic_frame("g_assertion_message_expr"));
	assert_true(usercrash_generic_frame("_ZSt9terminatev"));
	assert_true(usercrash_generic_frame(NULL));
	assert_false(usercrash_generic_frame("ngx_resolver_copy"));
	assert_false(usercrash_generic_frame("qemu_clipboard_request"));
	assert_false(usercrash_generic_frame("freeze_thaw"));	/* not "free" */
}

static struct incident *crash(const char *host, uint64_t slide, const char *const *funcs)
{
	struct incident *inc = incident_new(KIND_COREDUMP);
	struct stack *st = incident_add_stack(inc, STACK_THREAD);

	inc->host = host ? strdup(host) : NULL;
	inc->task.pid = 100;
	inc->task.comm = strdup("prog");
	incident_extra_str(inc, "signal", "SIGABRT");
	incident_extra_str(inc, "executable", "/usr/sbin/prog");
	st->tid = 101;
	st->crashed = true;
	for (size_t i = 0; funcs[i]; i++) {
		struct frame *f = stack_add_frame(st);
		f->func = strdup(funcs[i]);
		f->addr = slide + 0x1000 * i;
		f->has_addr = true;
		f->module = strdup("/usr/sbin/prog");
		f->module_off = 0x1000 * i;
		f->has_module_off = true;
		f->reliable = true;
	}
	usercrash_title(inc);
	return inc;
}

static void titles_and_hashes(void **state)
{
	static const char *const a[] = { "__pthread_kill_implementation", "__GI_raise",
		"__GI_abort", "__assert_fail", "validate_header", "read_header", "main", NULL };
	static const char *const b[] = { "__pthread_kill_implementation", "raise",
		"abort", "__assert_fail", "validate_header.isra.0", "read_header", "main", NULL };
	static const char *const c[] = { "raise", "abort", "parse_body", "main", NULL };
	struct incident *x = crash("web1", 0x55d0c2a00000, a);
	struct incident *y = crash("web2", 0x5600aa000000, b);
	struct incident *z = crash("web1", 0x55d0c2a00000, c);

	(void)state;
	assert_string_equal(x->title, "SIGABRT in validate_header (prog)");
	/* ASLR, hosts, __GI_ aliases and compiler suffixes do not change it. */
	assert_string_equal(x->hash, y->hash);
	assert_string_not_equal(x->hash, z->hash);
	incident_free(x);
	incident_free(y);
	incident_free(z);
}

static void wall_times(void **state)
{
	double a, b;

	(void)state;
	assert_true(usercrash_wall_seconds("2025-12-05T02:45:01Z", &a));
	assert_true(usercrash_wall_seconds("2025-12-05T03:45:03+01:00", &b));
	assert_true(b - a > 1.99 && b - a < 2.01);
	assert_true(usercrash_wall_seconds("Dec  5 02:45:01", &a));
	assert_true(usercrash_wall_seconds("Dec 05 02:45:02.500000", &b));
	assert_true(b - a > 1.49 && b - a < 1.51);
	assert_false(usercrash_wall_seconds("yesterday", &a));
	assert_false(usercrash_wall_seconds(NULL, &a));
}

static struct incident *parse(const char *const *lines, const char *host, const char *wall)
{
	struct coremsg *m = coremsg_begin(lines[0], strlen(lines[0]), host, wall);
	size_t n = 1;

	for (; lines[n]; n++)
		if (!coremsg_add_line(m, lines[n], strlen(lines[n])))
			break;
	return coremsg_finish(m, "test.log", 1, n, 0);
}

static void journal_message(void **state)
{
	static const char *const lines[] = {
		"Process 2211 (nginx) of user 33 dumped core.",
		"",
		"Module nginx from deb nginx-core-1.18.0-6.amd64",
		"Module libc.so.6, build-id=93ac61ec5a8eb1396f9fbd350e3169a558528a40",
		"Module libfoo.so without build-id.",
		"Stack trace of thread 2213:",
		"#0  0x00007f4c8c0a5eec __pthread_kill_implementation (libc.so.6 + 0x8aeec)",
		"#1  0x000055d0c2a3b0a9 n/a (nginx + 0x3b0a9)",
		"#2  0x000055d0c2a3d41e ngx_resolver_process_a (nginx + 0x3d41e)",
		"",
		"Stack trace of thread 2211:",
		"#0  0x00007f4c8c0a1f16 __futex_abstimed_wait_common (libc.so.6 + 0x86f16)",
		"ELF object binary architecture: AMD x86-64",
		"Dec  5 02:45:02 web1 nginx[1]: not a line of the message",
		NULL,
	};
	struct incident *inc = parse(lines, "web1", "Dec  5 02:45:02");
	const struct stack *st = &inc->stacks[0];

	(void)state;
	assert_int_equal(inc->kind, KIND_COREDUMP);
	assert_int_equal(inc->source.end_line, 13);	/* the last line stays out */
	assert_int_equal(inc->task.pid, 2211);
	assert_string_equal(inc->task.comm, "nginx");
	assert_int_equal(incident_extra(inc, "uid")->num, 33);
	assert_string_equal(incident_extra(inc, "package")->str, "nginx-core");
	assert_string_equal(incident_extra(inc, "package_version")->str, "1.18.0-6");
	assert_int_equal(inc->nr_stacks, 2);
	assert_int_equal(st->tid, 2213);
	assert_true(st->crashed);
	assert_false(inc->stacks[1].crashed);
	assert_int_equal(st->nr, 3);
	assert_null(st->frames[1].func);		/* "n/a" */
	assert_string_equal(st->frames[1].module, "nginx");
	assert_int_equal(st->frames[1].module_off, 0x3b0a9);
	assert_int_equal(st->frames[0].addr, 0x7f4c8c0a5eec);
	assert_string_equal(st->frames[0].build_id, "93ac61ec5a8eb1396f9fbd350e3169a558528a40");
	/* The unnamed frame keys the title and hash by module and offset. */
	assert_string_equal(inc->title, "crash in nginx+0x3b0a9 (nginx)");
	incident_free(inc);
	assert_true(coremsg_is_start("Process 1 (a) of user 0 dumped core.", 36));
	assert_true(coremsg_is_start("Process 9 (we) of user 7) of user 0 dumped core.", 48));
	assert_false(coremsg_is_start("Process 1 (a) of user x dumped core.", 36));
	assert_false(coremsg_is_start("Process one (a) of user 0 dumped core.", 38));
}

static void one_crash_or_two(void **state)
{
	static const char *const lines[] = {
		"Process 880 (haproxy) of user 108 dumped core.",
		"Stack trace of thread 884:",
		"#0  0x00005581e9bd6c8e sample_conv_regsub (haproxy + 0x1d6c8e)",
		NULL,
	};
	struct incident *core = parse(lines, "lb2", "Dec 05 03:10:45");
	struct incident *seg = incident_new(KIND_SEGFAULT);

	(void)state;
	seg->host = strdup("lb2");
	seg->wall = strdup("Dec 05 03:10:44");
	seg->task.pid = 884;		/* the kernel prints the thread's id */
	seg->source.line = 1;
	seg->source.end_line = 1;
	strbuf_addstr(&seg->text, "haproxy[884]: segfault at 0 ip 00005581e9bd6c8e\n");
	seg->nr_lines = 1;
	incident_extra_str(seg, "fault_address", "0x0");
	assert_true(usercrash_same_crash(core, seg, 60));
	seg->task.pid = 880;		/* or the process's */
	assert_true(usercrash_same_crash(core, seg, 60));
	seg->task.pid = 881;
	assert_false(usercrash_same_crash(core, seg, 60));
	seg->task.pid = 884;
	free(seg->wall);
	seg->wall = strdup("Dec 05 03:05:00");
	assert_false(usercrash_same_crash(core, seg, 60));
	free(seg->wall);
	seg->wall = strdup("Dec 05 03:10:44");
	free(seg->host);
	seg->host = strdup("lb3");
	assert_false(usercrash_same_crash(core, seg, 60));
	free(seg->host);
	seg->host = strdup("lb2");
	usercrash_merge_kernel(core, seg);
	assert_string_equal(incident_extra(core, "sources")->str, "journal,kernel");
	assert_string_equal(incident_extra(core, "signal")->str, "SIGSEGV");
	assert_string_equal(incident_extra(core, "fault_address")->str, "0x0");
	assert_int_equal(core->source.line, 1);
	assert_true(strncmp(core->text.buf, "haproxy[884]: segfault", 22) == 0);
	usercrash_add_source(core, "kernel");	/* once only */
	assert_string_equal(incident_extra(core, "sources")->str, "journal,kernel");
	incident_free(seg);
	incident_free(core);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(signals),
		cmocka_unit_test(generic_frames),
		cmocka_unit_test(titles_and_hashes),
		cmocka_unit_test(wall_times),
		cmocka_unit_test(journal_message),
		cmocka_unit_test(one_crash_or_two),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
