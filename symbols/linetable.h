/*
** linetable: the DWARF line tables (.debug_line, versions 2 to 5) of one
** debug file, read by ksift itself instead of libdw's dwarf_getsrclines().
**
** Why not libdw: it keeps every decoded line table (about 100 bytes a row,
** plus its file table) until the Dwarf is closed, and dwarf_getsrcfiles()
** decodes the whole table too: 230 MiB of the 450 MiB peak on the
** benchmark's 18,889 frames. Here a table is decoded on its first lookup into
** 16-byte rows (rows at the same address collapsed to the one a lookup can
** find), and decoded tables are kept under a memory budget: past it the least
** recently used ones are dropped and decoded again if needed.
**
** Lookups mean exactly what libdwfl's dwfl_module_getsrc() means: rows
** sorted by address (an end_sequence row before a normal row at the same
** address, otherwise program order), the last row at or below the address
** wins, and none when that row ends a sequence. File names are built like
** libdw builds them (directory entry + "/" + name unless the name is
** absolute; before DWARF 5, directory 0 is the CU's comp_dir and file 0 does
** not exist).
**
** Ownership: struct line_tables owns the decoded rows and file tables. The
** section bytes belong to the Elf passed to line_tables_new(), which must
** outlive the line_tables. Returned file names are new allocations the
** caller frees.
*/
#ifndef KSIFT_LINETABLE_H
#define KSIFT_LINETABLE_H

#include <stddef.h>
#include <stdint.h>

#include <libelf.h>

struct line_tables;

/*
 * The line tables of ELF (whose .debug_line, .debug_line_str and .debug_str
 * are used as they are in memory: libdwfl has already relocated them for a
 * relocatable module). BUDGET bounds the bytes of decoded tables kept.
 * Returns NULL and sets *err (caller frees) when ELF has no .debug_line.
 */
struct line_tables *line_tables_new(Elf *elf, size_t budget, char **err);
void line_tables_free(struct line_tables *lt);

/*
 * Source location of ADDR (an address as the DWARF has it, i.e. without the
 * Dwfl bias) in the table at OFFSET of .debug_line (a CU's DW_AT_stmt_list);
 * COMP_DIR is that CU's DW_AT_comp_dir (may be NULL).
 * Returns 0 with *file (caller frees) and *line set; 1 when the table has no
 * row for ADDR; -1 when the table is malformed, with *err (caller frees)
 * naming the offset and what is wrong (reported once per table).
 */
int line_tables_lookup(struct line_tables *lt, uint64_t offset,
		       const char *comp_dir, uint64_t addr, char **file,
		       int *line, char **err);

/*
 * Name of file INDEX (a DW_AT_call_file / DW_AT_decl_file value) of the table
 * at OFFSET, or NULL when the index is out of range or the table malformed.
 * The caller frees the result.
 */
char *line_tables_file(struct line_tables *lt, uint64_t offset,
		       const char *comp_dir, uint64_t index);

/* Bytes of decoded tables currently kept (for tests and the budget). */
size_t line_tables_bytes(const struct line_tables *lt);

#endif
