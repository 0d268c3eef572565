/*
** core: a bounded reader of ELF core files (ELFCLASS64, little-endian,
** EM_X86_64; other machines are refused with a message naming them).
**
** What it reads, and the kernel function that writes each part
** (fs/binfmt_elf.c, elf_core_dump() → fill_note_info()/write_note_info()):
** - PT_LOAD program headers: the memory segments (vma_dump_size() decides
**   what was dumped: p_filesz < p_memsz means the rest was left out, as for
**   read-only file-backed text, of which only the ELF header page is kept);
** - PT_NOTE: NT_PRSTATUS per thread (fill_prstatus(), struct elf_prstatus:
**   the registers as struct user_regs_struct), NT_PRPSINFO (fill_psinfo():
**   pr_fname = comm, pr_psargs = the first 80 bytes of the command line),
**   NT_SIGINFO (fill_siginfo_note(): the siginfo_t that killed the process),
**   NT_AUXV (fill_auxv_note()), NT_FILE (fill_files_note(): every
**   file-backed mapping with its page offset and path). The dumping thread's
**   NT_PRSTATUS comes first (fill_note_info() starts with it; gdb's gcore
**   writes the signalled thread first too): thread 0 is the crashing one.
**
** Memory is read by address: from the core's PT_LOAD data when dumped, else
** from the file NT_FILE names for that address (read-only text is not
** dumped), when that file's build ID is the one the core's copy of its ELF
** header page shows. Nothing is read whole: headers and notes are read with
** pread() in small windows, memory one 4 KiB page at a time through a cache
** of CORE_PAGE_CACHE pages, so a 50 GiB sparse core costs what its notes and
** the pages an unwind touches cost.
**
** Every size in the file is untrusted: program headers, notes and segments
** are checked against the file size (a truncated core keeps what it has,
** with a warning), and the counts are capped (CORE_MAX_*); what was left out
** is said in a warning. Warnings are kept in the core_file (the first
** CORE_MAX_WARNINGS, then a count) for the caller to print and record.
**
** Ownership: core_open() takes a descriptor it does not close (the caller's);
** struct core_file owns everything else (module descriptors, strings,
** caches); core_close() frees it. Returned pointers are valid until then.
*/
#ifndef KSIFT_CORE_H
#define KSIFT_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits on what one core may make ksift keep. */
#define CORE_MAX_SEGMENTS (1u << 17)	/* PT_LOADs indexed (vm.max_map_count is 65530) */
#define CORE_MAX_THREADS 16384u		/* NT_PRSTATUS notes kept */
#define CORE_MAX_NOTES_BYTES ((uint64_t)256 << 20)	/* PT_NOTE bytes walked */
#define CORE_MAX_FILE_NOTE (16u << 20)	/* NT_FILE descriptor size */
#define CORE_MAX_MAPPINGS 65536u	/* NT_FILE entries */
#define CORE_MAX_WARNINGS 32u
#define CORE_PAGE_CACHE 256u		/* 4 KiB pages cached (1 MiB) */

/* struct user_regs_struct (arch/x86/include/asm/user_64.h), in its order. */
enum core_reg {
	CORE_R15, CORE_R14, CORE_R13, CORE_R12, CORE_RBP, CORE_RBX, CORE_R11,
	CORE_R10, CORE_R9, CORE_R8, CORE_RAX, CORE_RCX, CORE_RDX, CORE_RSI,
	CORE_RDI, CORE_ORIG_RAX, CORE_RIP, CORE_CS, CORE_EFLAGS, CORE_RSP,
	CORE_SS, CORE_FS_BASE, CORE_GS_BASE, CORE_DS, CORE_ES, CORE_FS, CORE_GS,
	CORE_NREGS
};

struct core_thread {
	long long tid;			/* pr_pid of its NT_PRSTATUS */
	int cursig;			/* pr_cursig */
	uint64_t regs[CORE_NREGS];
};

struct core_process {
	bool has_psinfo;
	char comm[17];			/* pr_fname */
	char psargs[81];		/* pr_psargs */
	long long pid, ppid, uid, gid;	/* -1 when unknown */
	bool has_siginfo;
	int signo, code, err;		/* si_signo, si_code, si_errno */
	bool has_fault_addr;		/* si_code > 0 for a fault signal */
	uint64_t fault_addr;		/* si_addr */
	bool has_sender;		/* si_code <= 0: kill(), tgkill(), … */
	long long sender_pid, sender_uid;
	/* From NT_AUXV (0 when absent). */
	uint64_t at_phdr, at_entry, at_base, at_execfn, at_sysinfo_ehdr;
};

enum core_file_state {
	CORE_FILE_UNTRIED,	/* not needed yet */
	CORE_FILE_OK,		/* opened; its build ID is the one the core's header page shows */
	CORE_FILE_UNVERIFIED,	/* opened; the core kept no copy of its header to compare */
	CORE_FILE_MISSING,	/* cannot be opened */
	CORE_FILE_MISMATCH,	/* another build than the one that ran */
};

/* One mapped file (a run of NT_FILE mappings of one path) or the vDSO. */
struct core_module {
	char *path;			/* NT_FILE name, " (deleted)" removed; "[vdso]" */
	char *name;			/* its base name */
	uint64_t start, end;		/* lowest mapping start, highest end */
	uint64_t base;			/* where file offset 0 is mapped */
	bool has_base;
	uint64_t bias;			/* runtime address - link-time address */
	bool has_bias;
	char build_id[129];		/* lowercase hex, "" when unknown */
	bool build_id_from_core;	/* read from the dumped header page */
	uint64_t eh_frame_hdr;		/* runtime address of PT_GNU_EH_FRAME, 0: none */
	/* systemd's package note (.note.package) in the dumped header page:
	   {"type":"rpm","name":…,"version":…}; NULL when none. */
	char *package, *package_version;
	bool is_executable;		/* holds AT_PHDR (or AT_ENTRY) */
	bool deleted;			/* the path ended in " (deleted)" */
	enum core_file_state file_state;
	char *file_path;		/* the file actually opened (after the sysroot) */
	int fd;				/* -1 until opened */
	uint64_t file_size;
};

struct core_file;

struct core_options {
	/* Prefix for NT_FILE paths when looking for the mapped files (cores
	   from another machine); NULL: the paths as they are. */
	const char *sysroot;
	/* Only the headers, notes and segments: no modules, no mapped file
	   opened (deciding what to keep of a large compressed core). */
	bool headers_only;
};

/*
 * Reads the core's headers and notes from FD (not closed by core_close).
 * NAME is used in messages. Returns NULL with *err (caller frees) when FD is
 * not a usable core: not ELF, not ET_CORE, another machine or class, no
 * program headers. A damaged core that still has something is opened, with
 * warnings.
 */
struct core_file *core_open(const char *name, int fd, const struct core_options *opts,
			    char **err);
void core_close(struct core_file *c);

const char *core_name(const struct core_file *c);
const struct core_process *core_process(const struct core_file *c);
size_t core_nr_threads(const struct core_file *c);
/* Thread I (0 = the crashing thread). */
const struct core_thread *core_thread(const struct core_file *c, size_t i);
/* Threads the core holds, including those past CORE_MAX_THREADS. */
size_t core_nr_threads_total(const struct core_file *c);

size_t core_nr_modules(const struct core_file *c);
/* Module I; the first call for a module's file opens and checks it. */
struct core_module *core_module(struct core_file *c, size_t i);
/* The file of module I as it can be read here, when it is the build that
   ran (opened and checked on first call); NULL otherwise. */
const char *core_module_file(struct core_file *c, size_t i);
/* The file offsets [*off_start, *off_end) of the PT_LOAD segment whose
   memory holds ADDR (end by its p_memsz: an upper bound). False: none. */
bool core_segment_of(const struct core_file *c, uint64_t addr, uint64_t *off_start,
		     uint64_t *off_end);
/* PT_LOAD segment I (sorted by address): false past the last. */
struct core_segment_info {
	uint64_t vaddr, memsz, offset, filesz;
};
bool core_segment_info(const struct core_file *c, size_t i, struct core_segment_info *out);

/* The module whose mappings hold ADDR, or -1. */
long core_module_index(const struct core_file *c, uint64_t addr);
/* The main executable's module, or -1. */
long core_executable(const struct core_file *c);

/*
 * Copy up to LEN bytes of the crashed process's memory at ADDR into BUF:
 * the core's data, else the mapped file's. Returns how many contiguous bytes
 * could be read from ADDR on (0: none).
 */
size_t core_read(struct core_file *c, uint64_t addr, void *buf, size_t len);
/* Only what the core itself holds (no file fallback). */
size_t core_read_dumped(struct core_file *c, uint64_t addr, void *buf, size_t len);

/*
 * The command line: argv recovered from the process's initial stack (the
 * strings the kernel's create_elf_tables() laid out, found through the
 * auxiliary vector's copy), joined by spaces; else pr_psargs. NULL when
 * neither is known. Caller frees.
 */
char *core_cmdline(struct core_file *c);

/* Problems found so far, in order ("truncated: …", "FILE: missing", …). */
size_t core_nr_warnings(const struct core_file *c);
const char *core_warning(const struct core_file *c, size_t i);
/* Warnings beyond CORE_MAX_WARNINGS that were counted but not kept. */
size_t core_warnings_dropped(const struct core_file *c);

/* Bytes pread() from the core and from mapped files (for tests/bench). */
uint64_t core_bytes_read(const struct core_file *c);

#endif
