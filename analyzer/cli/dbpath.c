#define _GNU_SOURCE
#include "dbpath.h"
#include "sigstore.h"
#include "util.h"

#include <string.h>
#include <sys/stat.h>

#include <stdlib.h>
#include <unistd.h>

char *dbpath_default(void)
{
	static const char *const candidates[] = {
		KSIFT_BUILDDIR "/signatures/ksift.db",
		KSIFT_DATADIR "/ksift.db",
	};
	const char *env = getenv("KSIFT_DB");

	if (env && *env)
		return xstrdup(env);
	for (size_t i = 0; i < ARRAY_SIZE(candidates); i++)
		if (!access(candidates[i], R_OK))
			return xstrdup(candidates[i]);
	return NULL;
}

struct sigdb *dbpath_open(const char *what, struct strbuf *err)
{
	struct sig_set set = { 0 };
	struct stat sb;
	size_t n = strlen(what);
	int ret;

	if (stat(what, &sb) == 0 && S_ISDIR(sb.st_mode))
		ret = sigstore_read_dir(what, &set, err);
	else if (n > 4 && !strcmp(what + n - 4, ".sig"))
		ret = sigstore_read_file(what, &set, err) < 0 ? -1 : sig_set_check(&set, err);
	else
		ret = sigstore_load(what, &set, err);
	if (ret < 0) {
		sig_set_release(&set);
		return NULL;
	}
	return sigdb_from_set(&set, err);
}

