/*
** findinfo: the separate-debuginfo search (see findinfo.h for why it is
** ours and not dwfl_standard_find_debuginfo's whenever debuginfod is off).
*/
#include "config.h"
#include "findinfo.h"
#include "strbuf.h"
#include "util.h"

#include <elfutils/libdwelf.h>
#include <fcntl.h>
#include <libelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether the ELF file open on FD carries MOD's build ID (or MOD has none:
 * then nothing can be checked and the debuglink name is trusted). */
static bool build_id_matches(Dwfl_Module *mod, int fd)
{
	const unsigned char *want;
	const void *have;
	GElf_Addr vaddr;
	int n = dwfl_module_build_id(mod, &want, &vaddr);
	Elf *elf;
	bool ok;

	if (n <= 0)
		return true;
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf)
		return false;
	ok = dwelf_elf_gnu_build_id(elf, &have) == n && !memcmp(want, have, (size_t)n);
	elf_end(elf);
	return ok;
}

static int open_candidate(Dwfl_Module *mod, const char *path, char **found)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (!build_id_matches(mod, fd)) {
		close(fd);
		return -1;
	}
	*found = xstrdup(path);
	return fd;
}

/* The debuglink name in FILE's directory, its .debug/ and under the root. */
static int find_by_debuglink(Dwfl_Module *mod, const struct debuginfo_search *search,
			     const char *file_name, const char *link,
			     char **found)
{
	char *abs = file_name ? realpath(file_name, NULL) : NULL;
	const char *slash;
	struct strbuf dir = STRBUF_INIT, path = STRBUF_INIT;
	int fd = -1;

	if (!abs || !link || strchr(link, '/'))
		goto out;
	slash = strrchr(abs, '/');
	strbuf_add(&dir, abs, (size_t)(slash - abs));
	strbuf_addf(&path, "%s/%s", dir.buf, link);
	/* The file itself may carry the link to a copy of itself. */
	if (strcmp(path.buf, abs) && (fd = open_candidate(mod, path.buf, found)) >= 0)
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s/.debug/%s", dir.buf, link);
	if ((fd = open_candidate(mod, path.buf, found)) >= 0)
		goto out;
	strbuf_reset(&path);
	strbuf_addf(&path, "%s%s/%s", search->debug_root, dir.buf, link);
	fd = open_candidate(mod, path.buf, found);
out:
	strbuf_release(&dir);
	strbuf_release(&path);
	free(abs);
	return fd;
}

static int find_debuginfo(Dwfl_Module *mod, void **userdata,
			  const char *modname, Dwarf_Addr base,
			  const char *file_name, const char *debuglink_file,
			  GElf_Word debuglink_crc, char **debuginfo_file_name)
{
	const struct debuginfo_search *search = userdata ? *userdata : NULL;
	int fd;

	/* No search attached yet: the safe answer is the local one. */
	if (search && search->debuginfod)
		return dwfl_standard_find_debuginfo(mod, userdata, modname, base,
						    file_name, debuglink_file,
						    debuglink_crc,
						    debuginfo_file_name);
	fd = dwfl_build_id_find_debuginfo(mod, userdata, modname, base,
					  file_name, debuglink_file,
					  debuglink_crc, debuginfo_file_name);
	if (fd >= 0 || !search)
		return fd;
	return find_by_debuglink(mod, search, file_name, debuglink_file,
				 debuginfo_file_name);
}

void debuginfo_search_callbacks(struct debuginfo_search *search,
				Dwfl_Callbacks *cb)
{
	memset(cb, 0, sizeof(*cb));
	cb->find_debuginfo = find_debuginfo;
	cb->section_address = dwfl_offline_section_address;
	/* dwfl_build_id_find_debuginfo looks in the absolute directories of
	 * this path for .build-id/NN/REST.debug. */
	free(search->debuginfo_path);
	search->debuginfo_path = realpath(search->debug_root, NULL);
	if (!search->debuginfo_path)
		search->debuginfo_path = xstrdup(search->debug_root);
	cb->debuginfo_path = &search->debuginfo_path;
}

void debuginfo_search_release(struct debuginfo_search *search)
{
	free(search->debuginfo_path);
	search->debuginfo_path = NULL;
}

void debuginfo_search_attach(Dwfl_Module *mod, struct debuginfo_search *search)
{
	void **userdata = NULL;

	if (dwfl_module_info(mod, &userdata, NULL, NULL, NULL, NULL, NULL, NULL) &&
	    userdata)
		*userdata = search;
}
