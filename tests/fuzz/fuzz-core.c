/*
 * libFuzzer target: the ELF core reader (symbols/core.c, coremem.c) and the
 * unwinder over it (symbols/unwind.c, libunwind's remote API). The input is
 * the core file, put in an anonymous memory file; every thread is unwound
 * (a few frames), the command line recovered, and memory read at the
 * addresses the registers hold. Mapped files are looked up under a root that
 * does not exist, so no input makes the target read the machine's files.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core.h"
#include "unwind.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_options opts = { "/nonexistent/ksift-fuzz-root", false };
	struct core_file *c;
	char *err = NULL;
	int fd = memfd_create("fuzz-core", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	c = core_open("fuzz", fd, &opts, &err);
	free(err);
	if (c) {
		struct unwinder *u = unwinder_new(c);
		struct unwind_frame fr[16];
		char buf[64], *cmd = core_cmdline(c);

		free(cmd);
		for (size_t t = 0; t < core_nr_threads(c) && t < 4; t++) {
			const char *stop;
			const struct core_thread *th = core_thread(c, t);
			core_read(c, th->regs[CORE_RSP], buf, sizeof(buf));
			core_read(c, th->regs[CORE_RIP], buf, sizeof(buf));
			if (u)
				unwinder_thread(u, t, fr, 16, &stop);
		}
		for (size_t i = 0; i < core_nr_modules(c); i++)
			core_module_file(c, i);
		unwinder_free(u);
		core_close(c);
	}
	close(fd);
	return 0;
}
