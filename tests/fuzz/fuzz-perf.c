/*
** libFuzzer target: the perf parsers (perf script samples and callchains,
** perf report --stdio entries and call graphs in both orders), the
** profile's analysis (findings, contention attribution) and its flame
** graph, over arbitrary lines. The first byte picks the format.
*/
#include "profile-fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	fuzz_profile(data[0] & 1 ? PROFILE_PERF_REPORT : PROFILE_PERF_SCRIPT, data + 1, size - 1);
	return 0;
}
