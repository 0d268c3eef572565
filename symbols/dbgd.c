#include "dbgd.h"
#include "util.h"

#include "strbuf.h"

#include <dlfcn.h>
#include <elfutils/debuginfod.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The soname: what libdebuginfod-dev's libdebuginfod.so points at. */
#define DEBUGINFOD_SONAME "libdebuginfod.so.1"

struct dbgd {
	void *lib;
	debuginfod_client *client;
	/* Typed as in <elfutils/debuginfod.h>, so a changed prototype fails
	   to compile instead of being called wrongly. */
	__typeof__(debuginfod_begin) *begin;
	__typeof__(debuginfod_find_debuginfo) *find_debuginfo;
	__typeof__(debuginfod_end) *end;
};

struct dbgd *dbgd_new(void)
{
	struct dbgd *d = xcalloc(1, sizeof(*d));

	d->lib = dlopen(DEBUGINFOD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!d->lib)
		goto fail;
	/* POSIX: a void * from dlsym() converts to a function pointer. */
	*(void **)&d->begin = dlsym(d->lib, "debuginfod_begin");
	*(void **)&d->find_debuginfo = dlsym(d->lib, "debuginfod_find_debuginfo");
	*(void **)&d->end = dlsym(d->lib, "debuginfod_end");
	if (!d->begin || !d->find_debuginfo || !d->end)
		goto fail;
	d->client = d->begin();
	if (!d->client)
		goto fail;
	return d;
fail:
	dbgd_free(d);
	return NULL;
}

int dbgd_find_debuginfo(struct dbgd *d, const unsigned char *build_id, int len,
			char **path)
{
	return d->find_debuginfo(d->client, build_id, len, path);
}

void dbgd_free(struct dbgd *d)
{
	if (!d)
		return;
	if (d->client)
		d->end(d->client);
	if (d->lib)
		dlclose(d->lib);
	free(d);
}

/* "ab12…" → bytes; returns the byte count or 0 when not hex. */
static size_t hex_to_bytes(const char *hex, unsigned char *out, size_t max)
{
	size_t n = strlen(hex) / 2;

	if (strlen(hex) % 2 || n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		if (!is_hex_digit((unsigned char)hex[2 * i]) ||
		    !is_hex_digit((unsigned char)hex[2 * i + 1]) ||
		    sscanf(hex + 2 * i, "%2x", &v) != 1)
			return 0;
		out[i] = (unsigned char)v;
	}
	return n;
}

char *dbgd_debug_file(const char *debug_root, const char *build_id, bool debuginfod,
		      struct dbgd_lazy *lazy)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned char bytes[64];
	size_t n = hex_to_bytes(build_id, bytes, sizeof(bytes));
	char *path = NULL;
	struct stat st;
	int fd;

	if (!n)
		return NULL;
	strbuf_addf(&sb, "%s/.build-id/%.2s/%s.debug", debug_root, build_id, build_id + 2);
	if (stat(sb.buf, &st) == 0 && S_ISREG(st.st_mode))
		return strbuf_detach(&sb, NULL);
	strbuf_release(&sb);
	if (!debuginfod)
		return NULL;
	if (!lazy->tried) {
		lazy->tried = true;
		lazy->d = dbgd_new();
	}
	if (!lazy->d)
		return NULL;
	fd = dbgd_find_debuginfo(lazy->d, bytes, (int)n, &path);
	if (fd < 0)
		return NULL;
	close(fd);
	return path;
}
