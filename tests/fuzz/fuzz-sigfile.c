/*
 * libFuzzer target: what people write by hand and ksift reads as data —
 * the signature-file parser, the aliases file, and the release strings a
 * log prints (release_identify(), and a signature's fix status for them).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aliases.h"
#include "fixstatus.h"
#include "release.h"
#include "sigfile.h"
#include "strbuf.h"

static const char *const releases[] = {
	"4.4.0-137-generic", "3.10.0-1160.el7.x86_64", "5.10.0-26-amd64", "5.14.21-150400.24.46-default",
	"6.1", "5.10.180", "6.7.0-rc3+", NULL,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct signature *s = signature_parse((const char *)data, size, "fuzz.sig", &err);
	struct aliases *a = aliases_parse((const char *)data, size, "aliases", &err);
	struct release_stream rs;
	/* The input's first line as a release, the rest as a build. */
	const char *nl = memchr(data, '\n', size);
	size_t n = nl ? (size_t)(nl - (const char *)data) : size;
	char *rel = strndup((const char *)data, n);
	char *build = nl ? strndup(nl + 1, size - n - 1) : NULL;

	release_identify(rel, build, &rs);
	if (s) {
		(void)signature_is_condition(s);
		for (size_t i = 0; i < sizeof(releases) / sizeof(releases[0]); i++)
			(void)fix_status_of(s, releases[i], NULL, &err);
		(void)fix_status_of(s, rel, build, &err);
	}
	if (a) {
		size_t k;
		(void)aliases_group(a, rel, &k);
	}
	free(rel);
	free(build);
	aliases_free(a);
	signature_free(s);
	strbuf_release(&err);
	return 0;
}
