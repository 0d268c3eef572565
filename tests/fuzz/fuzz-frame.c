/* libFuzzer target: the frame-line and IP-line parsers, the register and code
   dump lines (regs.h), and the prefilter
   (every search path this CPU has must give the same answer). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "prefilter.h"
#include "regs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* One per path, for all inputs. */
	static struct prefilter *pf[PREFILTER_BEST];
	static size_t np;
	struct frame f;
	const char *s = (const char *)data, *first = NULL;
	size_t first_nl = 0;

	if (!np)
		for (int isa = PREFILTER_SCALAR; isa < PREFILTER_BEST; isa++)
			if (prefilter_isa_supported((enum prefilter_isa)isa))
				pf[np++] = prefilter_new_isa((enum prefilter_isa)isa);
	memset(&f, 0, sizeof(f));
	if (frame_parse_line(s, size, &f, NULL))
		frame_release(&f);
	memset(&f, 0, sizeof(f));
	if (frame_parse_ip_line(s, size, &f))
		frame_release(&f);
	{
		const char *arch, *rest;
		size_t rest_len;
		(void)regs_is_line(s, size, &arch);
		(void)regs_is_continuation(s, size);
		(void)regs_code_continuation(s, size);
		if (regs_code_start(s, size, &rest, &rest_len) &&
		    (rest < s || rest + rest_len > s + size))
			abort();	/* the code must lie within the line */
	}
	for (size_t k = 0; k < np; k++) {
		size_t nl;
		const char *hit = prefilter_find_counting(pf[k], s, s + size, &nl);
		if (!k) {
			first = hit;
			first_nl = nl;
		} else if (hit != first || nl != first_nl) {
			abort();	/* two paths disagree */
		}
	}
	if (count_newlines(s, size) < first_nl)
		abort();
	return 0;
}
