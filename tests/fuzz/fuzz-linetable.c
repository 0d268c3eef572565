/*
 * libFuzzer target: ksift's own .debug_line reader (symbols/linetable.c).
 * The input becomes the .debug_line section of a minimal in-memory ELF; the
 * first 8 bytes, read as an address, are looked up in the table at offset 0
 * and at every offset a lookup names, and file indexes 0..3 are resolved.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gelf.h>

#include "linetable.h"

/* ELF header, then .shstrtab's bytes, then .debug_line, then 3 section headers. */
static char *make_elf(const uint8_t *data, size_t size, size_t *len)
{
	static const char shstr[] = "\0.shstrtab\0.debug_line";
	size_t off_shstr = sizeof(Elf64_Ehdr), off_line = off_shstr + sizeof(shstr);
	size_t off_sh = (off_line + size + 7) & ~(size_t)7;
	char *img;
	Elf64_Ehdr *eh;
	Elf64_Shdr *sh;

	*len = off_sh + 3 * sizeof(Elf64_Shdr);
	img = calloc(1, *len);
	if (!img)
		return NULL;
	eh = (Elf64_Ehdr *)img;
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_ehsize = sizeof(Elf64_Ehdr);
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shoff = off_sh;
	eh->e_shnum = 3;
	eh->e_shstrndx = 1;
	memcpy(img + off_shstr, shstr, sizeof(shstr));
	if (size)
		memcpy(img + off_line, data, size);
	sh = (Elf64_Shdr *)(img + off_sh);
	sh[1].sh_name = 1;
	sh[1].sh_type = SHT_STRTAB;
	sh[1].sh_offset = off_shstr;
	sh[1].sh_size = sizeof(shstr);
	sh[1].sh_addralign = 1;
	sh[2].sh_name = 11;
	sh[2].sh_type = SHT_PROGBITS;
	sh[2].sh_offset = off_line;
	sh[2].sh_size = size;
	sh[2].sh_addralign = 1;
	return img;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len;
	uint64_t addr = 0;
	char *img, *err = NULL, *file = NULL;
	Elf *elf;
	struct line_tables *lt;
	int line;

	if (size > 8)
		memcpy(&addr, data, 8);
	img = make_elf(data, size, &len);
	if (!img)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_memory(img, len);
	if (!elf)
		goto out;
	lt = line_tables_new(elf, 4096, &err);
	free(err);
	err = NULL;
	if (lt) {
		/* twice: the second lookup takes the decoded (or evicted) table */
		for (int i = 0; i < 2; i++) {
			if (line_tables_lookup(lt, 0, "/build", addr, &file, &line, &err) == 0)
				free(file);
			free(err);
			err = NULL;
			file = NULL;
		}
		for (uint64_t k = 0; k < 4; k++)
			free(line_tables_file(lt, 0, NULL, k));
		line_tables_free(lt);
	}
	elf_end(elf);
out:
	free(img);
	return 0;
}
