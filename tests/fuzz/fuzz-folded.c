/*
** libFuzzer target: the folded-stack parser ("a;b;c 123"), the profile's
** analysis and flame graph, and the /proc stack capture parser (head
** headers, grep -H prefixes, for-loop headers, ps listings) over the same
** bytes.
*/
#include "procstack.h"
#include "profile-fuzz.h"

static void proc_sink(void *data, struct incident *inc)
{
	(void)data;
	incident_free(inc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proc_parser *pp = proc_parser_new("fuzz");
	const char *s = (const char *)data, *end = s + size;
	unsigned long lineno = 0;

	fuzz_profile(PROFILE_FOLDED, data, size);
	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		proc_parser_line(pp, s, (size_t)(e - s), ++lineno);
		s = nl ? nl + 1 : end;
	}
	proc_parser_finish(pp, proc_sink, NULL);
	proc_parser_free(pp);
	return 0;
}
