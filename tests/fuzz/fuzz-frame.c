/* libFuzzer target: the frame-line and IP-line parsers, and the prefilter. */
#include <stdint.h>
#include <string.h>

#include "frame.h"
#include "prefilter.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct frame f;
	struct prefilter *pf = prefilter_new();
	const char *s = (const char *)data;

	memset(&f, 0, sizeof(f));
	if (frame_parse_line(s, size, &f, NULL))
		frame_release(&f);
	memset(&f, 0, sizeof(f));
	if (frame_parse_ip_line(s, size, &f))
		frame_release(&f);
	(void)prefilter_find(pf, s, s + size);
	(void)count_newlines(s, size);
	prefilter_free(pf);
	return 0;
}
