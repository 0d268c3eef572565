/* libFuzzer target: the signature-file parser (people write these by hand). */
#include <stdint.h>

#include "sigfile.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	struct signature *s = signature_parse((const char *)data, size, "fuzz.sig", &err);

	if (s)
		(void)signature_is_condition(s);
	signature_free(s);
	strbuf_release(&err);
	return 0;
}
