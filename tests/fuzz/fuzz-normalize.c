/* libFuzzer target: one line through the wrapper-format normalizer. */
#include <stdint.h>
#include <string.h>

#include "normalize.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct normalizer *n = normalizer_new();
	struct kline k;

	normalize_line(n, (const char *)data, size, &k);
	/* The message must lie inside the input or the normalizer's scratch. */
	if (k.msg_len)
		(void)memchr(k.msg, 0, k.msg_len);
	if (k.host_len)
		(void)memchr(k.host, 0, k.host_len);
	normalize_line(n, (const char *)data, size, &k);
	normalizer_free(n);
	return 0;
}
