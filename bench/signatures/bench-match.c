/*
** bench-match: cost of known-bug matching. Generates S signatures (95% with
** frame patterns over a pool of function names, 5% with only a kind and a
** title/text regex) and I incidents (16-frame stacks drawn from the same
** pool, ~1 KiB of text), matches every incident through signatures/sigdb.h
** (the matcher `ksift scan` uses) and prints the rate.
**
** usage: bench-match [SIGNATURES [INCIDENTS]]   (defaults 10000 100000)
** Deterministic: a fixed-seed xorshift generator, no input files.
*/
#include "incident.h"
#include "sigdb.h"
#include "sigstore.h"
#include "util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define POOL 40000
#define FRAMES 16

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static const enum incident_kind kinds[] = {
	KIND_OOPS, KIND_GPF, KIND_BUG, KIND_WARNING, KIND_HUNG_TASK, KIND_SOFT_LOCKUP,
	KIND_RCU_STALL, KIND_KASAN,
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	size_t nsigs = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	size_t nincs = argc > 2 ? strtoul(argv[2], NULL, 10) : 100000;
	struct sig_set set = { 0 };
	struct sigdb *db;
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned long long matches = 0;
	double t0, tc, t1, t2;

	t0 = now();
	for (size_t i = 0; i < nsigs; i++) {
		enum incident_kind k = kinds[rng_next(&seed) % ARRAY_SIZE(kinds)];

		strbuf_reset(&text);
		strbuf_addf(&text, "id: gen-%06zu\ntitle: generated %zu\nseverity: medium\nkind: %s\n",
			    i, i, incident_kind_name(k));
		if (i % 20 == 19) {
			strbuf_addf(&text, "title-regex: in func_%05u$\ntext-regex: marker-%zu\n",
				    (unsigned)(rng_next(&seed) % POOL), i);
		} else {
			unsigned a = rng_next(&seed) % POOL, b = rng_next(&seed) % POOL;

			strbuf_addf(&text, "frames: func_%05u\n  ...\n  func_%05u*\n", a, b);
		}
		strbuf_addstr(&text, "fix: none\n");
		{
			struct sig_source *src;

			ALLOC_GROW(set.v, set.nr + 1, set.alloc);
			src = &set.v[set.nr++];
			src->file = xstrdup("gen.sig");
			src->path = xstrdup("gen.sig");
			src->len = text.len;
			src->text = xstrdup(text.buf);
			src->sig = signature_parse(text.buf, text.len, "gen.sig", &err);
			if (!src->sig)
				die("%s", err.buf);
		}
	}
	tc = now();
	db = sigdb_from_set(&set, &err);
	if (!db)
		die("%s", err.buf);
	/* Build the index outside the timed loop: it is built once per scan. */
	{
		struct incident *warm = incident_new(KIND_OOPS);

		sigdb_match_incident(db, warm, NULL);
		incident_free(warm);
	}
	t1 = now();
	for (size_t n = 0; n < nincs; n++) {
		struct incident *inc = incident_new(kinds[rng_next(&seed) % ARRAY_SIZE(kinds)]);
		struct stack *st = incident_add_stack(inc, STACK_TASK);
		char name[32];
		unsigned top = 0;

		for (int f = 0; f < FRAMES; f++) {
			struct frame *fr = stack_add_frame(st);
			unsigned id = rng_next(&seed) % POOL;

			if (!f)
				top = id;
			snprintf(name, sizeof(name), "func_%05u", id);
			fr->func = xstrdup(name);
			fr->reliable = true;
		}
		snprintf(name, sizeof(name), "in func_%05u", top);
		inc->title = xstrdup(name);
		for (int l = 0; l < 16; l++)
			strbuf_addf(&inc->text, "[ 1234.%06d] a kernel message line number %d of "
				    "the report with some words\n", l, l);
		sigdb_match_incident(db, inc, NULL);
		matches += inc->nr_matches;
		incident_free(inc);
	}
	t2 = now();
	if (sigdb_size(db) != nsigs)
		die("loaded %zu of %zu signatures", sigdb_size(db), nsigs);
	printf("signatures: %zu parsed in %.2fs, compiled (PCRE2 JIT) and indexed in %.3fs\n", nsigs,
	       tc - t0, t1 - tc);
	printf("incidents:  %zu matched in %.2fs = %.0f incidents/s (%.1f us each)\n", nincs,
	       t2 - t1, nincs / (t2 - t1), (t2 - t1) * 1e6 / nincs);
	printf("matches: %llu\n", matches);
	strbuf_release(&text);
	strbuf_release(&err);
	sigdb_close(db);
	sig_set_release(&set);
	return 0;
}
