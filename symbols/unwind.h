/*
** unwind: the stacks of a core's threads, through libunwind's remote API
** with ksift's own accessors (unw_create_addr_space + unw_accessors_t):
** registers from the thread's NT_PRSTATUS, memory from core_read() (the
** core's segments, then the mapped files), unwind info from each module's
** .eh_frame_hdr binary-search table over its .eh_frame, found through its
** PT_GNU_EH_FRAME and searched with libunwind's own
** dwarf_search_unwind_table() (what _UPT_find_proc_info() does for a live
** process). libunwind-coredump (_UCD_*) is not used: the one in Debian 12
** (1.6.2) fails on real cores.
**
** Where a module has no CFI (its file is missing, or it has none), libunwind
** falls back to the frame-pointer chain; the frame that step produces, and
** every later one, is marked unreliable (like the kernel's "?" frames): a
** CFI step from guessed registers is a guess too. A frame 0 outside every mapping (a call
** through a bad function pointer) is stepped over by taking the return
** address at the stack pointer, as gdb does.
**
** Bounded: at most MAX frames a thread; a repeated (pc, sp) pair or a stack
** pointer that moves down without a signal frame stops the walk (a loop or
** a corrupt stack); every step may read at most 1 MiB through the accessors
** (libunwind interprets CFI programs and DWARF expressions read from the
** core, which a hostile core could make endless).
**
** Ownership: struct unwinder borrows the core_file (which must outlive it)
** and owns its libunwind address space and per-module tables.
*/
#ifndef KSIFT_UNWIND_H
#define KSIFT_UNWIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

struct unwind_frame {
	uint64_t pc;		/* the frame's instruction pointer / return address */
	uint64_t sp;
	bool reliable;		/* from registers or a CFI step */
	bool signal_frame;	/* a signal trampoline (__restore_rt) */
	/* The address to symbolize: pc - 1 for a return address (the call
	   instruction), pc itself for frame 0 and a frame a signal interrupted. */
	uint64_t lookup_pc;
};

struct unwinder;

struct unwinder *unwinder_new(struct core_file *c);
void unwinder_free(struct unwinder *u);

/*
 * Unwind thread I of the core into OUT (at most MAX frames). Returns the
 * number of frames. *STOP is set to NULL when the stack ended normally
 * (outermost frame reached), else to a short static reason ("depth limit",
 * "loop in the stack", "memory at the stack pointer is not in the core", …).
 */
size_t unwinder_thread(struct unwinder *u, size_t i, struct unwind_frame *out,
		       size_t max, const char **stop);

/* Whether MODULE has unwind info ksift can use (tests, warnings). */
bool unwinder_module_has_cfi(struct unwinder *u, size_t module);

#endif
