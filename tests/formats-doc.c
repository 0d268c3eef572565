/*
** formats-doc: print the README's list of supported report formats from
** the report-format table (analyzer/incident/formats.h), one row per header
** with the title it gets, the kernel function that prints it, and the
** kernel eras and architectures it is known on. `make formats-doc` writes
** it into README.md between its "formats:begin"/"formats:end" markers;
** tests/formats-doc.sh fails when the README is out of date.
*/
#include "formats.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char *const eras[] = { "2.6", "3.x", "4.x", "5.x", "6.x" };
static const char *const arches[] = { "x86", "arm", "arm64", "powerpc", "s390", "riscv" };

/* Markdown table cells: a '|' inside one would end it. */
static void put_cell(const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			putchar('\\');
		putchar(*s);
	}
}

/* "2.6-4.x" covers 3.x; "all" covers every era. */
static bool covers_era(const char *range, int era)
{
	int lo = -1, hi = -1;

	if (!strcmp(range, "all"))
		return true;
	for (int e = 0; e < (int)(sizeof(eras) / sizeof(eras[0])); e++) {
		const char *at = strstr(range, eras[e]);
		if (at && lo < 0)
			lo = e;
		if (at)
			hi = e;
	}
	return lo >= 0 && era >= lo && era <= hi;
}

static bool covers_arch(const char *list, const char *arch)
{
	size_t n = strlen(arch);

	if (!strcmp(list, "all"))
		return true;
	for (const char *p = list; (p = strstr(p, arch)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

/* How many header formats each era and architecture has. */
static void print_matrix(const struct report_format *t, size_t nr)
{
	fputs("| era |", stdout);
	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++)
		printf(" %s |", arches[a]);
	fputs("\n|---|", stdout);
	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++)
		fputs("---|", stdout);
	putchar('\n');
	for (int e = 0; e < (int)(sizeof(eras) / sizeof(eras[0])); e++) {
		printf("| %s |", eras[e]);
		for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
			unsigned n = 0;
			for (size_t i = 0; i < nr; i++)
				n += t[i].printer && t[i].kind != KIND_NONE &&
				     covers_era(t[i].eras, e) && covers_arch(t[i].arches, arches[a]);
			printf(" %u |", n);
		}
		putchar('\n');
	}
	putchar('\n');
}

/* A header as the reader sees it: the prefix, then what it must hold. */
static void print_header(const struct report_format *f)
{
	if (f->prefix[0] || f->has) {
		fputs("`", stdout);
		put_cell(f->prefix);
		if (f->has) {
			fputs(f->prefix[0] ? "…" : "… ", stdout);
			put_cell(f->has);
		}
		fputs("…`", stdout);
	}
	if (f->what) {
		fputs(f->prefix[0] || f->has ? " with " : "", stdout);
		put_cell(f->what);
	}
	if (f->flags & FMT_WEAK)
		fputs(" (with a stack after it)", stdout);
}

static void print_title(const struct report_format *f)
{
	if (f->flags & FMT_PRELUDE) {
		fputs("explains the report after it: `", stdout);
		put_cell(f->title ? f->title : "");
		fputs("`", stdout);
		return;
	}
	if (f->flags & FMT_CUT_HERE) {
		fputs("announces the WARNING or BUG after it", stdout);
		return;
	}
	fputs("`", stdout);
	put_cell(f->title ? f->title : "");
	fputs("`", stdout);
}

int main(void)
{
	size_t nr;
	const struct report_format *t = format_table(&nr);

	puts("Header formats known, by kernel era and architecture:\n");
	print_matrix(t, nr);
	puts("| header | kind | title (F: function from) | printed by | eras | arches |");
	puts("|---|---|---|---|---|---|");
	for (size_t i = 0; i < nr; i++) {
		const struct report_format *f = &t[i];
		if (!f->printer)	/* a "not a report" row */
			continue;
		fputs("| ", stdout);
		print_header(f);
		printf(" | %s | ", f->kind == KIND_NONE ? "-" : incident_kind_name(f->kind));
		print_title(f);
		if (f->title && strstr(f->title, "%F"))
			printf(" (%s)", func_source_name(f->func));
		fputs(" | ", stdout);
		put_cell(f->printer);
		printf(" | %s | %s |\n", f->eras, f->arches);
	}
	return 0;
}
