#include "prefilter.h"
#include "prefilter_impl.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


size_t prefilter_nr_literals(void)
{
	return pf_nr_literals;
}

const char *prefilter_literal(size_t i)
{
	return i < pf_nr_literals ? pf_literals[i] : NULL;
}

bool prefilter_isa_supported(enum prefilter_isa isa)
{
	switch (isa) {
	case PREFILTER_SCALAR:
		return true;
#ifdef PF_HAVE_X86
	case PREFILTER_SSSE3:
		return __builtin_cpu_supports("ssse3");
	case PREFILTER_AVX2:
		return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
	case PREFILTER_AVX512:
		return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
		       __builtin_cpu_supports("avx512vbmi") && __builtin_cpu_supports("popcnt");
#endif
	default:
		return false;
	}
}

static const char *const isa_names[] = { "scalar", "ssse3", "avx2", "avx512", "best" };

const char *prefilter_isa_name(enum prefilter_isa isa)
{
	return isa <= PREFILTER_BEST ? isa_names[isa] : "?";
}

struct prefilter *prefilter_new_isa(enum prefilter_isa want)
{
	struct prefilter *pf = xmalloc(sizeof(*pf));

	/* Built with the program, by prefilter_gen.c: building them takes
	   about a millisecond, serial time at every start. */
	*pf = pf_tables;
	if (want > PREFILTER_BEST)
		want = PREFILTER_BEST;
	pf->isa = want == PREFILTER_BEST ? PREFILTER_AVX512 : want;
	while (!prefilter_isa_supported(pf->isa))
		pf->isa--;
	return pf;
}

struct prefilter *prefilter_new(void)
{
	const char *env = getenv("KSIFT_PREFILTER");
	enum prefilter_isa want = PREFILTER_BEST;

	for (int i = 0; env && i < PREFILTER_BEST; i++)
		if (!strcmp(env, isa_names[i]))
			want = (enum prefilter_isa)i;
	return prefilter_new_isa(want);
}

enum prefilter_isa prefilter_isa(const struct prefilter *pf)
{
	return pf->isa;
}

void prefilter_free(struct prefilter *pf)
{
	free(pf);
}

const char *prefilter_find_counting(const struct prefilter *pf, const char *p,
				    const char *end, size_t *newlines)
{
	*newlines = 0;
	switch (pf->isa) {
#ifdef PF_HAVE_X86
	case PREFILTER_AVX512:
		return pf_find_avx512(pf, p, end, newlines);
	case PREFILTER_AVX2:
		return pf_find_avx2(pf, p, end, newlines);
	case PREFILTER_SSSE3:
		return pf_find_ssse3(pf, p, end, newlines);
#endif
	default:
		return pf_find_scalar(pf, p, p, end, newlines);
	}
}

const char *prefilter_find(const struct prefilter *pf, const char *p, const char *end)
{
	size_t ignored;

	return prefilter_find_counting(pf, p, end, &ignored);
}
