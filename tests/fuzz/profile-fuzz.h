/* Shared by the profile fuzz targets: feed lines, then every consumer. */
#include <stdint.h>
#include <string.h>

#include "flame.h"
#include "profile.h"
#include "profile_formats.h"
#include "report.h"

static void fuzz_sink(void *data, struct incident *inc)
{
	struct strbuf *out = data;
	struct text_style style = { false, true };

	strbuf_reset(out);
	report_json(inc, out);
	report_text(inc, &style, out);
	incident_free(inc);
}

static void fuzz_profile(enum profile_format f, const uint8_t *data, size_t size)
{
	struct profile *p = profile_new(profile_format_name(f));
	struct profile_parser *pp = profile_parser_new(f, p);
	struct strbuf out = STRBUF_INIT;
	const char *s = (const char *)data, *end = s + size;

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		profile_parser_line(pp, s, (size_t)(e - s));
		s = nl ? nl + 1 : end;
	}
	profile_parser_finish(pp);
	profile_parser_free(pp);
	profile_findings(p, 1.0, "fuzz", 1, fuzz_sink, &out);
	strbuf_reset(&out);
	flame_svg(p, "fuzz", &out);
	profile_free(p);
	strbuf_release(&out);
}
