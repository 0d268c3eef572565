#include "dbpath.h"
#include "util.h"

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
