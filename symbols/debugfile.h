/*
** debugfile: one debug file (vmlinux or a .ko) opened in its own offline Dwfl
** session, with a name-sorted symbol index built on first use and a bounded
** address → (file:line, inline chain) cache.
**
** Owns: the Dwfl, the index, the cache. debugfile_free() releases all.
** Results written into a struct frame are new allocations the frame owns.
*/
#ifndef KSIFT_DEBUGFILE_H
#define KSIFT_DEBUGFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "incident.h"

struct debugfile;

/*
 * Separate debuginfo (a stripped file's build ID or .gnu_debuglink) is looked
 * for under DEBUG_ROOT, and through debuginfod only when DEBUGINFOD is true
 * (see findinfo.h). Returns NULL and sets *err (caller frees) when the file
 * cannot be used.
 */
struct debugfile *debugfile_open(const char *path, const char *modname,
				 const char *debug_root, bool debuginfod,
				 char **err);
void debugfile_free(struct debugfile *df);

const char *debugfile_path(const struct debugfile *df);
/* Lowercase hex build ID, or NULL when the file has none. */
const char *debugfile_build_id(const struct debugfile *df);

/*
 * The kernel release a vmlinux was built as: R of its linux_banner string
 * "Linux version R (…". NULL when the file has no readable linux_banner (a
 * module, a debug-only file whose .rodata is not in it).
 */
const char *debugfile_kernel_release(struct debugfile *df);

enum sym_lookup { SYM_FOUND, SYM_UNKNOWN, SYM_AMBIGUOUS };
/*
 * Address (in the Dwfl's address space) of symbol NAME; when has_size, only
 * symbols of that size count. *nr_matches is set to the candidates left.
 */
enum sym_lookup debugfile_symbol(struct debugfile *df, const char *name,
				 bool has_size, uint64_t size, uint64_t *addr,
				 unsigned *nr_matches);

/* Whether a symbol NAME starts at ADDR (disambiguates duplicate statics). */
bool debugfile_symbol_at(struct debugfile *df, const char *name, uint64_t addr);

/*
 * The function symbol that ADDR lies in (a raw "[<addr>]" frame): its name
 * (owned by df, valid while it is), and ADDR's offset in it and its size.
 * NULL when ADDR is in no function.
 */
const char *debugfile_symbol_name(struct debugfile *df, uint64_t addr, uint64_t *off,
				  uint64_t *size);

/* True the first time only: callers warn once per file about unknown names. */
bool debugfile_first_unknown(struct debugfile *df);

/*
 * A problem found in the file's DWARF since the last call (e.g. a malformed
 * line table), as "PATH: what", or NULL. Only the first one is kept: callers
 * print it as a warning. The caller frees the result.
 */
char *debugfile_take_warning(struct debugfile *df);

/*
 * For a userspace ELF (executable, shared object, or its .debug file):
 * the Dwfl address of link-time address 0, so Dwfl address = link-time
 * address + debugfile_bias().
 */
uint64_t debugfile_bias(struct debugfile *df);

/*
 * The ELF symbol (function or object) holding ADDR (Dwfl address): its name
 * (owned by DF), *off = ADDR - its start, *size its st_size. NULL when no
 * symbol holds it. .symtab of the file or its debuginfo, else .dynsym.
 */
const char *debugfile_addr_symbol(struct debugfile *df, uint64_t addr, uint64_t *off,
				  uint64_t *size);

/*
 * The DWARF name of the (outermost, not inlined) function holding ADDR —
 * what gdb and systemd-coredump print, e.g. "__libc_start_main_impl" where
 * the ELF symbol is an alias. Owned by DF; NULL when the DWARF has none.
 */
const char *debugfile_addr_function(struct debugfile *df, uint64_t addr);

/* Fill f->src / f->inlined for ADDR. Returns 0, or -1 when no line info. */
int debugfile_resolve(struct debugfile *df, uint64_t addr, struct frame *f);

#endif
