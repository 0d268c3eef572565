#include "dbgd.h"
#include "util.h"

#include <dlfcn.h>
#include <elfutils/debuginfod.h>
#include <stdlib.h>

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
