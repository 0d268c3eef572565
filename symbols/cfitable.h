/*
** cfitable: unwind tables for modules that have no .eh_frame_hdr, made by
** ksift in the form libunwind's remote table search reads
** (UNW_INFO_FORMAT_REMOTE_TABLE: a sorted array of int32 pairs
** {start_ip - segbase, fde_address - segbase}).
**
** - .eh_frame without .eh_frame_hdr (linked with --no-eh-frame-hdr): the FDEs
**   are read where the module maps them; only the search table is made.
** - only .debug_frame (built with -fno-asynchronous-unwind-tables -g): each
**   CIE and FDE is rewritten in .eh_frame form (CIE id 0, version 1 or 3,
**   augmentation "zR" with absolute 8-byte pointers, FDE addresses moved by
**   the load bias, CIE pointers made relative), with the table, into a
**   buffer that unwind.c serves at an address no mapping uses, within 2 GiB
**   of the module (the table's offsets are 32-bit).
** FDEs with DW_CFA_set_loc, 64-bit DWARF lengths or augmented .debug_frame
** CIEs are left out (their frames fall back to frame pointers).
**
** Sections are read from the module's file (core_module_file()), with
** pread(), at most CFITABLE_MAX_SECTION bytes of each.
**
** Ownership: struct cfi_table owns its buffer; cfi_table_release() frees it.
*/
#ifndef KSIFT_CFITABLE_H
#define KSIFT_CFITABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core.h"

#define CFITABLE_MAX_SECTION (64u << 20)

struct cfi_table {
	uint64_t segbase;	/* what the table's offsets are relative to */
	uint64_t table;		/* address of the table (in mem) */
	size_t count;		/* entries */
	unsigned char *mem;	/* the bytes served at mem_addr */
	uint64_t mem_addr;
	size_t mem_len;
	bool from_debug_frame;
};

/* A table for module I of C from its .eh_frame (else its .debug_frame), or
   only from its .debug_frame when DEBUG_FRAME (a module whose .eh_frame
   covers only some functions: crt objects in a -fno-asynchronous-unwind-tables
   build). false when nothing usable is there. */
bool cfi_table_build(struct core_file *c, size_t i, bool debug_frame, struct cfi_table *out);
void cfi_table_release(struct cfi_table *t);

#endif
