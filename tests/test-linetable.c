/*
** test-linetable: ksift's own .debug_line reader (symbols/linetable.h)
** against libdw's, on the symbols fixture compiled at test time with DWARF 5
** and DWARF 4: every address of every CU must give the file and line libdw
** gives, also when a tiny memory budget makes tables be dropped and decoded
** again. Malformed tables give an error naming the offset, once, and no
** crash. Only the harness runs cc, with fixed arguments.
*/
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linetable.h"
#include "strbuf.h"
#include "util.h"

struct fixture {
	char dir[64];
	char dwarf5[128], dwarf4[128];
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct strbuf cmd = STRBUF_INIT;
	int rc;

	snprintf(fx->dir, sizeof(fx->dir), "/tmp/ksift-tlt.XXXXXX");
	if (!mkdtemp(fx->dir)) {
		free(fx);
		return -1;
	}
	snprintf(fx->dwarf5, sizeof(fx->dwarf5), "%s/v5", fx->dir);
	snprintf(fx->dwarf4, sizeof(fx->dwarf4), "%s/v4", fx->dir);
	strbuf_addf(&cmd, "cd %s && cc -gdwarf-5 -O2 -no-pie -o v5 "
		    "%s/tests/symbols-fixture-main.c %s/tests/symbols-fixture-dup.c "
		    "&& cc -gdwarf-4 -O2 -no-pie -o v4 "
		    "%s/tests/symbols-fixture-main.c %s/tests/symbols-fixture-dup.c "
		    "&& printf 'int main(void) { return 0; }\\n' > nodebug.c "
		    "&& cc -O2 -o nodebug nodebug.c",
		    fx->dir, KSIFT_SRCDIR, KSIFT_SRCDIR, KSIFT_SRCDIR,
		    KSIFT_SRCDIR);
	rc = system(cmd.buf);
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
	if (system(cmd.buf) != 0)
		fprintf(stderr, "could not remove %s\n", fx->dir);
	strbuf_release(&cmd);
	free(fx);
	return 0;
}

/* One CU of the fixture: its line table and the address ranges it covers. */
struct cu_info {
	Dwarf_Die die;
	uint64_t stmt_list;
	const char *comp_dir;
	Dwarf_Addr lo[16], hi[16];
	size_t nr_ranges;
};

/* CU DIEs by walking the unit headers (dwarf_nextcu gives header offsets). */
static size_t collect_cus(Dwarf *dw, struct cu_info *cus, size_t max)
{
	Dwarf_Off off = 0, next;
	size_t hsize, n = 0;

	while (n < max && dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
		struct cu_info *cu = &cus[n];
		Dwarf_Attribute attr;
		Dwarf_Word stmt;
		Dwarf_Addr base, start, end;
		ptrdiff_t r = 0;

		if (!dwarf_offdie(dw, off + hsize, &cu->die)) {
			off = next;
			continue;
		}
		off = next;
		if (dwarf_formudata(dwarf_attr(&cu->die, DW_AT_stmt_list, &attr),
				    &stmt) != 0)
			continue;
		cu->stmt_list = stmt;
		cu->comp_dir = dwarf_formstring(dwarf_attr(&cu->die,
							   DW_AT_comp_dir, &attr));
		cu->nr_ranges = 0;
		while (cu->nr_ranges < 16 &&
		       (r = dwarf_ranges(&cu->die, r, &base, &start, &end)) > 0) {
			cu->lo[cu->nr_ranges] = start;
			cu->hi[cu->nr_ranges++] = end;
		}
		if (cu->nr_ranges)
			n++;
	}
	return n;
}

/*
 * Every address of every range of every CU, and 16 bytes on each side (end
 * of sequence rows, gaps), the CUs interleaved (address i of CU 0, of CU 1,
 * …) so a small budget drops and decodes tables again and again: file and
 * line must be libdw's. Returns the number of addresses with a line.
 */
static size_t compare_with_libdw(const char *path, size_t budget,
				 size_t *bytes_after)
{
	int fd = open(path, O_RDONLY);
	Dwarf *dw;
	struct cu_info cus[8];
	struct line_tables *lt;
	char *err = NULL;
	size_t nr_cus, compared = 0;
	bool more = true;

	assert_true(fd >= 0);
	dw = dwarf_begin(fd, DWARF_C_READ);
	assert_non_null(dw);
	nr_cus = collect_cus(dw, cus, ARRAY_SIZE(cus));
	assert_true(nr_cus >= 2);
	lt = line_tables_new(dwarf_getelf(dw), budget, &err);
	assert_non_null(lt);
	for (uint64_t i = 0; more; i++) {
		more = false;
		for (size_t c = 0; c < nr_cus; c++) {
			/* i-th address of the CU's ranges, each widened by 16. */
			uint64_t addr = 0, k = i;
			Dwarf_Line *ref;
			char *file = NULL;
			int line = -1, ref_line = -1, rc;
			size_t r;

			for (r = 0; r < cus[c].nr_ranges; r++) {
				uint64_t len = cus[c].hi[r] - cus[c].lo[r] + 32;
				if (k < len) {
					addr = cus[c].lo[r] - 16 + k;
					break;
				}
				k -= len;
			}
			if (r == cus[c].nr_ranges)
				continue;
			more = true;
			ref = dwarf_getsrc_die(&cus[c].die, addr);
			rc = line_tables_lookup(lt, cus[c].stmt_list,
						cus[c].comp_dir, addr, &file,
						&line, &err);
			assert_null(err);
			if (!ref) {
				assert_int_equal(rc, 1);
				continue;
			}
			assert_int_equal(rc, 0);
			dwarf_lineno(ref, &ref_line);
			assert_string_equal(file, dwarf_linesrc(ref, NULL, NULL));
			assert_int_equal(line, ref_line);
			free(file);
			compared++;
		}
	}
	/* The file table, as DW_AT_call_file indexes it. */
	for (size_t c = 0; c < nr_cus; c++) {
		Dwarf_Files *files;
		size_t nfiles;

		assert_int_equal(dwarf_getsrcfiles(&cus[c].die, &files, &nfiles), 0);
		for (size_t i = 0; i <= nfiles; i++) {
			char *name = line_tables_file(lt, cus[c].stmt_list,
						      cus[c].comp_dir, i);
			if (i == nfiles) {
				assert_null(name);
				break;
			}
			assert_string_equal(name, dwarf_filesrc(files, i, NULL, NULL));
			free(name);
		}
	}
	*bytes_after = line_tables_bytes(lt);
	line_tables_free(lt);
	dwarf_end(dw);
	close(fd);
	return compared;
}

static void test_same_as_libdw(void **state)
{
	struct fixture *fx = *state;
	size_t big5, small5, big4, small4;

	assert_true(compare_with_libdw(fx->dwarf5, SIZE_MAX, &big5) > 100);
	assert_true(compare_with_libdw(fx->dwarf5, 1, &small5) > 100);
	assert_true(compare_with_libdw(fx->dwarf4, SIZE_MAX, &big4) > 100);
	assert_true(compare_with_libdw(fx->dwarf4, 1, &small4) > 100);
	/* A budget of one byte keeps one table: less than all of them. */
	assert_true(small5 > 0 && small5 < big5);
	assert_true(small4 > 0 && small4 < big4);
}

/* The file's bytes in memory and where its .debug_line starts. */
static unsigned char *load_file(const char *path, size_t *size,
				size_t *line_off, size_t *line_size)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	unsigned char *buf;
	Elf *elf;
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	assert_non_null(fp);
	assert_int_equal(fstat(fileno(fp), &st), 0);
	*size = (size_t)st.st_size;
	buf = xmalloc(*size);
	assert_int_equal(fread(buf, 1, *size, fp), *size);
	fclose(fp);
	elf = elf_memory((char *)buf, *size);
	assert_non_null(elf);
	assert_int_equal(elf_getshdrstrndx(elf, &shstrndx), 0);
	*line_off = 0;
	*line_size = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr shdr;
		gelf_getshdr(scn, &shdr);
		if (!strcmp(elf_strptr(elf, shstrndx, shdr.sh_name), ".debug_line")) {
			*line_off = shdr.sh_offset;
			*line_size = shdr.sh_size;
		}
	}
	elf_end(elf);
	assert_true(*line_off > 0);
	return buf;
}

/* Lookup at .debug_line offset 0 of the patched image: the error, or NULL. */
static char *lookup_error(unsigned char *buf, size_t size, int *rc)
{
	Elf *elf = elf_memory((char *)buf, size);
	struct line_tables *lt;
	char *err = NULL, *file = NULL, *again = NULL;
	int line;

	assert_non_null(elf);
	lt = line_tables_new(elf, SIZE_MAX, &err);
	assert_non_null(lt);
	*rc = line_tables_lookup(lt, 0, "/", 0x401000, &file, &line, &err);
	free(file);
	/* Reported once: the second lookup fails quietly. */
	if (*rc < 0) {
		assert_int_equal(line_tables_lookup(lt, 0, "/", 0x401000, &file,
						    &line, &again), -1);
		assert_null(again);
	}
	if (*rc < 0)
		assert_null(line_tables_file(lt, 0, "/", 1));
	line_tables_free(lt);
	elf_end(elf);
	return err;
}

static void test_malformed(void **state)
{
	struct fixture *fx = *state;
	size_t size, off, lsize;
	unsigned char *orig = load_file(fx->dwarf5, &size, &off, &lsize);
	unsigned char *buf = xmalloc(size);
	char *err;
	int rc;

	/* Unknown version. */
	memcpy(buf, orig, size);
	buf[off + 4] = 9;
	buf[off + 5] = 0;
	err = lookup_error(buf, size, &rc);
	assert_int_equal(rc, -1);
	assert_non_null(err);
	assert_non_null(strstr(err, "offset 0x0"));
	assert_non_null(strstr(err, "version"));
	free(err);

	/* A unit length past the end of the section. */
	memcpy(buf, orig, size);
	memset(buf + off, 0xee, 4);
	err = lookup_error(buf, size, &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "unit length"));
	free(err);

	/* A unit too short for its own header. */
	memcpy(buf, orig, size);
	buf[off] = 8;
	buf[off + 1] = buf[off + 2] = buf[off + 3] = 0;
	err = lookup_error(buf, size, &rc);
	assert_int_equal(rc, -1);
	assert_non_null(err);
	free(err);

	/* Every byte of the first unit's header and program set to 0xff in
	 * turn (then 0x80, a never-ending LEB128): an error or an answer,
	 * never a read past the section (ASan runs this too). */
	for (size_t i = 0; i < lsize && i < 600; i++) {
		for (int v = 0; v < 2; v++) {
			memcpy(buf, orig, size);
			buf[off + i] = v ? 0x80 : 0xff;
			err = lookup_error(buf, size, &rc);
			assert_true(rc >= -1 && rc <= 1);
			assert_true((rc == -1) == (err != NULL));
			free(err);
		}
	}
	free(buf);
	free(orig);
}

static void test_no_debug_line(void **state)
{
	struct fixture *fx = *state;
	struct strbuf path = STRBUF_INIT;
	int fd;
	Elf *elf;
	char *err = NULL;

	strbuf_addf(&path, "%s/nodebug", fx->dir);
	fd = open(path.buf, O_RDONLY);
	assert_true(fd >= 0);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	assert_non_null(elf);
	assert_null(line_tables_new(elf, SIZE_MAX, &err));
	assert_non_null(err);
	assert_non_null(strstr(err, ".debug_line"));
	free(err);
	elf_end(elf);
	close(fd);
	strbuf_release(&path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_libdw),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_no_debug_line),
	};

	elf_version(EV_CURRENT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
