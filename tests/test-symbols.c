/*
** test-symbols: the symbolizer library API that `ksift scan` uses. Compiles
** the fixture (tests/symbols-fixture-*.c) with cc -g -O2 in a temp dir, builds
** incidents in code and checks src/inlined against `addr2line -i -f` run on
** the same binary. Only the test harness runs cc and addr2line, with fixed
** arguments (no log content reaches a shell).
*/
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "incident.h"
#include "strbuf.h"
#include "symbolizer.h"
#include "util.h"

struct fixture {
	char dir[64];
	char vmlinux[128];
};

static int run(const char *cmd)
{
	int rc = system(cmd);
	return rc;
}

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/ksift-tsym.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->vmlinux, sizeof(fx->vmlinux), "%s/vmlinux", fx->dir);
	strbuf_addf(&cmd, "cd %s && cc -g -O2 -no-pie -o vmlinux "
		    "%s/tests/symbols-fixture-main.c %s/tests/symbols-fixture-dup.c "
		    "&& cc -g -O2 -c -o mod_x.ko %s/tests/symbols-fixture-mod.c",
		    fx->dir, KSIFT_SRCDIR, KSIFT_SRCDIR, KSIFT_SRCDIR);
	rc = run(cmd.buf);
	strbuf_release(&cmd);
	if (rc != 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	struct strbuf cmd = STRBUF_INIT;

	strbuf_addf(&cmd, "rm -rf %s", fx->dir);
	run(cmd.buf);
	strbuf_release(&cmd);
	free(fx);
	return 0;
}

/* Values and sizes of every symbol NAME (nm order); returns the count. */
static size_t nm_symbols(const char *file, const char *name, uint64_t *addrs,
			 uint64_t *sizes, size_t max)
{
	struct strbuf cmd = STRBUF_INIT;
	char line[256];
	size_t n = 0;
	FILE *p;

	strbuf_addf(&cmd, "nm -S %s", file);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		unsigned long long a, sz;
		char type, sym[128];
		if (sscanf(line, "%llx %llx %c %127s", &a, &sz, &type, sym) == 4 &&
		    !strcmp(sym, name) && n < max) {
			addrs[n] = a;
			sizes[n++] = sz;
		}
	}
	pclose(p);
	strbuf_release(&cmd);
	return n;
}

/* Symbol value and size from nm. */
static void nm_symbol(const char *file, const char *name, uint64_t *addr,
		      uint64_t *size)
{
	struct strbuf cmd = STRBUF_INIT;
	char line[256];
	FILE *p;
	bool found = false;

	strbuf_addf(&cmd, "nm -S %s", file);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p)) {
		unsigned long long a, s;
		char type, sym[128];
		if (sscanf(line, "%llx %llx %c %127s", &a, &s, &type, sym) == 4 &&
		    !strcmp(sym, name)) {
			*addr = a;
			*size = s;
			found = true;
		}
	}
	pclose(p);
	strbuf_release(&cmd);
	assert_true(found);
}

/* addr2line -i -f pairs for ADDR: funcs[k], srcs[k] with the dir stripped. */
static size_t addr2line(const struct fixture *fx, const char *extra,
			const char *file, uint64_t addr, char funcs[][64],
			char srcs[][128], size_t max)
{
	struct strbuf cmd = STRBUF_INIT;
	char line[256];
	size_t n = 0, dirlen = strlen(fx->dir);
	bool want_func = true;
	FILE *p;

	strbuf_addf(&cmd, "addr2line -i -f %s -e %s 0x%llx", extra, file,
		    (unsigned long long)addr);
	p = popen(cmd.buf, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) && n < max) {
		char *nl = strchr(line, '\n'), *d, *s = line;
		if (nl)
			*nl = '\0';
		if (want_func) {
			snprintf(funcs[n], 64, "%.63s", line);
		} else {
			if (!strncmp(s, fx->dir, dirlen) && s[dirlen] == '/')
				s += dirlen + 1;
			if ((d = strstr(s, " (discriminator")))
				*d = '\0';
			snprintf(srcs[n++], 128, "%.127s", s);
		}
		want_func = !want_func;
	}
	pclose(p);
	strbuf_release(&cmd);
	return n;
}

/* f->src / f->inlined must be addr2line's list as documented in the header. */
static void assert_matches_addr2line(const struct fixture *fx, const char *extra,
				     const char *file, uint64_t addr,
				     const struct frame *f)
{
	char funcs[16][64], srcs[16][128];
	size_t n = addr2line(fx, extra, file, addr, funcs, srcs, 16);

	assert_true(n >= 1);
	assert_non_null(f->src);
	assert_string_equal(f->src, srcs[0]);
	assert_int_equal(f->nr_inlined, n - 1);
	for (size_t i = 0; i + 1 < n; i++) {
		assert_string_equal(f->inlined[i].func, funcs[i]);
		assert_non_null(f->inlined[i].src);
		assert_string_equal(f->inlined[i].src, srcs[i + 1]);
	}
}

static void set_frame(struct frame *f, const char *func, uint64_t off,
		      uint64_t size, const char *module)
{
	memset(f, 0, sizeof(*f));
	f->reliable = true;
	if (func) {
		f->func = xstrdup(func);
		f->off = off;
		f->size = size;
		f->has_off = true;
	}
	if (module)
		f->module = xstrdup(module);
}

static void test_inline_chain(void **state)
{
	struct fixture *fx = *state;
	struct symbolizer_options opts = { .vmlinux = fx->vmlinux,
					   .modules_dir = fx->dir, .quiet = true };
	struct symbolizer *s = symbolizer_new(&opts);
	uint64_t addr, size;
	struct frame f;
	bool saw_two_levels = false;

	nm_symbol(fx->vmlinux, "outer_func", &addr, &size);
	for (uint64_t off = 0; off < size; off++) {
		set_frame(&f, "outer_func", off, size, NULL);
		assert_int_equal(symbolizer_resolve_frame(s, NULL, &f), 0);
		assert_matches_addr2line(fx, "", fx->vmlinux, addr + off, &f);
		if (f.nr_inlined == 2) {
			saw_two_levels = true;
			assert_string_equal(f.inlined[0].func, "leaf_inline");
			assert_string_equal(f.inlined[1].func, "mid_inline");
		}
		frame_release(&f);
	}
	assert_true(saw_two_levels);
	symbolizer_free(s);
}

static void test_module_frames(void **state)
{
	struct fixture *fx = *state;
	struct symbolizer_options opts = { .vmlinux = fx->vmlinux,
					   .modules_dir = fx->dir, .quiet = true };
	struct symbolizer *s = symbolizer_new(&opts);
	char ko[160];
	uint64_t addr, size;
	struct frame f;

	snprintf(ko, sizeof(ko), "%s/mod_x.ko", fx->dir);
	nm_symbol(ko, "mod_func", &addr, &size);
	for (uint64_t off = 0; off < size; off += 3) {
		/* "mod-x" and "mod_x" name the same module. */
		set_frame(&f, "mod_func", off, size, off % 2 ? "mod-x" : "mod_x");
		assert_int_equal(symbolizer_resolve_frame(s, "1.0", &f), 0);
		assert_matches_addr2line(fx, "-j .text", ko, addr + off, &f);
		frame_release(&f);
	}
	/* An unknown module: not resolved, no crash. */
	set_frame(&f, "mod_func", 1, size, "no_such_mod");
	assert_int_equal(symbolizer_resolve_frame(s, "1.0", &f), -1);
	assert_null(f.src);
	frame_release(&f);
	symbolizer_free(s);
}

static void test_annotate_incident_slide(void **state)
{
	struct fixture *fx = *state;
	struct symbolizer_options opts = { .vmlinux = fx->vmlinux, .quiet = true };
	struct symbolizer *s = symbolizer_new(&opts);
	struct incident *inc = incident_new(KIND_OOPS);
	const uint64_t slide = 0x2a000000;
	uint64_t outer, osize, helper_a, hsize;
	struct stack *st;
	struct frame *f;

	nm_symbol(fx->vmlinux, "outer_func", &outer, &osize);
	nm_symbol(fx->vmlinux, "dup_entry", &helper_a, &hsize);
	incident_set_str(&inc->kernel.release, "6.99.0-test", 11);
	st = incident_add_stack(inc, STACK_TASK);
	/* A raw "?" frame first: the slide comes from a later frame. */
	f = stack_add_frame(st);
	f->addr = helper_a + 2 + slide;
	f->has_addr = true;
	f = stack_add_frame(st);
	set_frame(f, "outer_func", 5, osize, NULL);
	f->addr = outer + 5 + slide;
	f->has_addr = true;
	inc->has_ip = true;
	set_frame(&inc->ip, "outer_func", 9, osize, NULL);

	symbolizer_annotate_incident(s, inc);
	assert_matches_addr2line(fx, "", fx->vmlinux, helper_a + 2, &st->frames[0]);
	assert_matches_addr2line(fx, "", fx->vmlinux, outer + 5, &st->frames[1]);
	assert_matches_addr2line(fx, "", fx->vmlinux, outer + 9, &inc->ip);
	incident_free(inc);
	symbolizer_free(s);
}

static void test_no_slide_leaves_raw(void **state)
{
	struct fixture *fx = *state;
	struct symbolizer_options opts = { .vmlinux = fx->vmlinux, .quiet = true };
	struct symbolizer *s = symbolizer_new(&opts);
	struct incident *inc = incident_new(KIND_OOPS);
	struct frame *f = stack_add_frame(incident_add_stack(inc, STACK_TASK));

	f->addr = 0xffffffff81401176ULL;
	f->has_addr = true;
	symbolizer_annotate_incident(s, inc);
	assert_null(f->src);
	assert_int_equal(f->nr_inlined, 0);
	incident_free(inc);
	symbolizer_free(s);
}

static void test_duplicate_statics(void **state)
{
	struct fixture *fx = *state;
	struct symbolizer_options opts = { .vmlinux = fx->vmlinux, .quiet = true };
	struct symbolizer *s = symbolizer_new(&opts);
	uint64_t addrs[4], sizes[4];
	struct frame f;

	/* helper: two statics of different sizes; each size picks its own. */
	assert_int_equal(nm_symbols(fx->vmlinux, "helper", addrs, sizes, 4), 2);
	assert_true(sizes[0] != sizes[1]);
	for (int i = 0; i < 2; i++) {
		set_frame(&f, "helper", 4, sizes[i], NULL);
		assert_int_equal(symbolizer_resolve_frame(s, NULL, &f), 0);
		assert_matches_addr2line(fx, "", fx->vmlinux, addrs[i] + 4, &f);
		frame_release(&f);
	}
	/* same_size: same name and size twice → ambiguous, not guessed. */
	assert_int_equal(nm_symbols(fx->vmlinux, "same_size", addrs, sizes, 4), 2);
	assert_true(sizes[0] == sizes[1]);
	set_frame(&f, "same_size", 4, sizes[0], NULL);
	assert_int_equal(symbolizer_resolve_frame(s, NULL, &f), -1);
	assert_null(f.src);
	frame_release(&f);
	symbolizer_free(s);
}

static void test_missing_debuginfo(void **state)
{
	struct fixture *fx = *state;
	char bad[160];
	struct symbolizer_options opts = { .vmlinux = bad, .quiet = true };
	struct symbolizer *s;
	struct frame f;
	FILE *fp;

	/* A truncated ELF file: no crash, nothing resolved. */
	snprintf(bad, sizeof(bad), "%s/truncated", fx->dir);
	fp = fopen(bad, "w");
	assert_non_null(fp);
	fwrite("\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\2\0>\0", 1, 20, fp);
	fclose(fp);
	s = symbolizer_new(&opts);
	set_frame(&f, "outer_func", 1, 0x38, NULL);
	assert_int_equal(symbolizer_resolve_frame(s, NULL, &f), -1);
	assert_null(f.src);
	frame_release(&f);
	symbolizer_free(s);

	/* No --vmlinux and a debug root without this release. */
	opts.vmlinux = NULL;
	opts.debug_root = fx->dir;
	s = symbolizer_new(&opts);
	set_frame(&f, "outer_func", 1, 0x38, NULL);
	assert_int_equal(symbolizer_resolve_frame(s, "1.2.3", &f), -1);
	assert_int_equal(symbolizer_resolve_frame(s, NULL, &f), -1);
	frame_release(&f);
	symbolizer_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inline_chain),
		cmocka_unit_test(test_module_frames),
		cmocka_unit_test(test_annotate_incident_slide),
		cmocka_unit_test(test_no_slide_leaves_raw),
		cmocka_unit_test(test_duplicate_statics),
		cmocka_unit_test(test_missing_debuginfo),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
