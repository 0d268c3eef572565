/*
** core_impl: what core.c (headers, notes, modules) and coremem.c (memory,
** mapped files) share. Not for other modules: they use core.h.
*/
#ifndef KSIFT_CORE_IMPL_H
#define KSIFT_CORE_IMPL_H

#include "core.h"

#include <elf.h>

struct core_segment {
	uint64_t vaddr, memsz;
	uint64_t offset;
	uint64_t filesz;		/* bytes present in the file (cut at its end) */
};

struct core_mapping {
	uint64_t start, end;
	uint64_t offset;		/* in bytes */
	char *path;
	size_t module;
};

struct core_page {
	uint64_t key;			/* source << 48 | page number; 0 = empty */
	uint32_t len;			/* bytes valid (short at a file's end) */
	unsigned char *data;
};

struct core_file {
	char *name;
	int fd;
	uint64_t file_size;
	char *sysroot;

	struct core_segment *segs;
	size_t nr_segs, alloc_segs;
	uint64_t segs_missing;		/* bytes of PT_LOAD data past the file's end */
	bool segs_dropped;

	struct core_thread *threads;
	size_t nr_threads, alloc_threads, nr_threads_total;
	struct core_process proc;
	unsigned char auxv_head[64];
	size_t auxv_len;

	struct core_mapping *mappings;
	size_t nr_mappings, alloc_mappings;
	struct core_module *modules;
	size_t nr_modules, alloc_modules;
	long executable;

	struct core_page *pages;	/* CORE_PAGE_CACHE slots */
	unsigned char *page_data;

	char **warnings;
	size_t nr_warnings, alloc_warnings, warnings_dropped;
	uint64_t bytes_read;
};

__attribute__((format(printf, 2, 3)))
void core_warn(struct core_file *c, const char *fmt, ...);
/* pread() until LEN bytes or the end; returns the bytes read. */
size_t core_pread(struct core_file *c, int fd, void *buf, size_t len, uint64_t off);

/* coremem.c */
void core_cache_init(struct core_file *c);
void core_add_segment(struct core_file *c, const Elf64_Phdr *p);
/* Sorts the segments and warns about what the file lacks. */
void core_finish_segments(struct core_file *c);
/* End of the segment holding ADDR (0 when none). */
uint64_t core_segment_end(const struct core_file *c, uint64_t addr);
/* Bias, build ID and PT_GNU_EH_FRAME of a module, from its ELF headers. */
void core_module_headers(struct core_file *c, struct core_module *m);
void core_memory_release(struct core_file *c);
const struct core_mapping *core_mapping_at(const struct core_file *c, uint64_t addr);

#endif
