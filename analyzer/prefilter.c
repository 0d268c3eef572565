#define _GNU_SOURCE
#include "prefilter.h"
#include "prefilter_impl.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * Every literal that can make a line interesting. Keep in sync with
 * classify_start() and context.c's fact extraction; tests/prefilter.sh
 * fails when a start is missed. A literal that contains another one is
 * dropped when the tables are built: every line holding it holds the
 * shorter one too.
 */
static const char *const literals[] = {
	/* incident starts */
	"BUG: ", "INFO: task ", "INFO: rcu", "rcu: INFO", "Internal error",
	"Watchdog detected", "WARNING: ", "general protection fault",
	"stack segment", "kernel BUG", "Kernel panic", "Unable to handle",
	"TCP: ", "Out of socket", "cut here", "invoked oom-killer",
	": segfault at", "traps: ", "KASAN", "KFENCE", "KMSAN", "KCSAN", "UBSAN",
	"unreferenced object", "page allocation failure", "Hardware Error",
	"EDAC", "I/O error", "EXT4-fs error", "XFS (", "BTRFS", "unregister_netdevice",
	"SysRq", "sysrq: ", "Oops", "Out of memory",
	/* titles branch: traps, lockdep banners, WARNING preludes, host errors */
	"PANIC: double fault", "divide error", "divide_error", "invalid opcode", "int3: ",
	"INFO: ", "list_add corruption", "list_del corruption", "refcount_t: ", "ODEBUG: ",
	"kobject: ", "kobject_add_internal", "usercopy: ", "DEBUG_LOCKS_WARN_ON",
	"nvme nvme", "-fs error", "Kernel BUG", "kernel stack overflow", "Unhandled fault",
	"BUG ",
	/* boot and context facts */
	"Linux version", "Command line", "DMI: ", "Hypervisor detected",
	"Hardware name", "smpboot: CPU0", "Booting paravirtualized", "-- Boot",
	"-- Reboot",
};

#define NR_LITERALS ARRAY_SIZE(literals)
_Static_assert(NR_LITERALS <= PF_MAX_LITERALS, "raise PF_MAX_LITERALS");

size_t prefilter_nr_literals(void)
{
	return NR_LITERALS;
}

const char *prefilter_literal(size_t i)
{
	return i < NR_LITERALS ? literals[i] : NULL;
}

/*
 * A model of log text to choose anchors and buckets by: a byte's class
 * follows the previous byte's class with the probabilities below (measured
 * on dmesg output, syslog and syzkaller crash logs, rounded), and within its
 * class a byte is as common as in English text (letters), timestamps and
 * hex (digits), paths, times and key=value pairs (punctuation). Plain letter
 * frequencies alone miss that capitals come in runs ("DENIED", "ADDRCONF"):
 * a bucket of anchors made of capitals then looks far rarer than it is.
 */
enum { CL_LOWER, CL_UPPER, CL_DIGIT, CL_BLANK, CL_PUNCT, CL_OTHER, NR_CLASSES };

static const double class_share[NR_CLASSES] = { .40, .05, .25, .13, .12, .05 };
static const double next_class[NR_CLASSES][NR_CLASSES] = {
	/*  lower  upper  digit  blank  punct  other */
	{ .76, .005, .05, .08, .08, .025 },	/* after lower */
	{ .20, .55, .05, .07, .10, .03 },	/* after upper */
	{ .04, .01, .65, .08, .19, .03 },	/* after digit */
	{ .35, .12, .22, .20, .08, .03 },	/* after blank */
	{ .18, .03, .35, .30, .10, .04 },	/* after punct */
	{ .10, .10, .15, .15, .40, .10 },	/* after other */
};

static int byte_class(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return CL_LOWER;
	if (c >= 'A' && c <= 'Z')
		return CL_UPPER;
	if (c >= '0' && c <= '9')
		return CL_DIGIT;
	if (c == ' ')
		return CL_BLANK;
	if (c && strchr(":.-[]_/=,()", c))
		return CL_PUNCT;
	return CL_OTHER;
}

/* A byte's share within its class. */
static double within_class(unsigned char c)
{
	static const double english[26] = {	/* percent, a to z */
		8.2, 1.5, 2.8, 4.3, 12.7, 2.2, 2.0, 6.1, 7.0, 0.15, 0.77, 4.0, 2.4,
		6.7, 7.5, 1.9, 0.095, 6.0, 6.3, 9.1, 2.8, 0.98, 2.4, 0.15, 2.0, 0.074,
	};
	static const char punct[] = ":.-[]_/=,()";
	static const double punct_share[] = { .25, .2, .12, .08, .08, .07, .07, .05, .04, .02, .02 };

	switch (byte_class(c)) {
	case CL_LOWER:
		return english[c - 'a'] / 100;
	case CL_UPPER:
		return english[c - 'A'] / 100;
	case CL_DIGIT:
		return c == '0' ? .28 : c == '1' ? .12 : c == '2' ? .10 : .07;
	case CL_BLANK:
		return 1;
	case CL_PUNCT:
		return punct_share[strchr(punct, c) - punct];
	default:	/* the other printable bytes, tabs, newlines; rarely more */
		return (c >= 0x20 && c < 0x7f) || c == '\t' || c == '\n' ? .04 : .001;
	}
}

/* How often these PF_WINDOW bytes come in this order, per position. */
static double window_share(const unsigned char *s)
{
	double p = class_share[byte_class(s[0])] * within_class(s[0]);

	for (int k = 1; k < PF_WINDOW; k++)
		p *= next_class[byte_class(s[k - 1])][byte_class(s[k])] * within_class(s[k]);
	return p;
}

/*
 * Words that routine lines are full of, whatever the model says: every
 * kernel line in a syslog says "kernel:", ext4 logs its mounts as "EXT4-fs
 * (sda1): ...", mount options read "errors=remount-ro", and systemd, audit
 * and AppArmor ("DENIED") write on most servers all day. No anchor lies
 * inside one, and buckets that would let one of their windows through
 * count it as frequent (COMMON_WORD_SHARE per position).
 */
static const char *const common_words[] = {
	"kernel", "EXT4-fs (", "error", "systemd", "audit", "DENIED", "Started", "session",
};
#define COMMON_WORD_SHARE 1e-3

/* Are these PF_WINDOW bytes part of a common word? */
static bool in_common_word(const unsigned char *w)
{
	for (size_t i = 0; i < ARRAY_SIZE(common_words); i++)
		if (memmem(common_words[i], strlen(common_words[i]), w, PF_WINDOW))
			return true;
	return false;
}

/*
 * The offset of a literal's rarest window, its anchor: the one expected
 * least often, never one inside a common word if there is another.
 */
static size_t pick_anchor(const char *lit)
{
	size_t len = strlen(lit), best = 0;
	double best_share = 2;

	for (size_t o = 0; o + PF_WINDOW <= len; o++) {
		double share = window_share((const unsigned char *)lit + o) *
			       (in_common_word((const unsigned char *)lit + o) ? 1 : 1e-6);
		if (share < best_share) {
			best_share = share;
			best = o;
		}
	}
	return best;
}

/* Does another literal lie inside literal i (an earlier one if equal)? */
static bool redundant(size_t i)
{
	for (size_t j = 0; j < NR_LITERALS; j++)
		if (j != i && strstr(literals[i], literals[j]) &&
		    (strlen(literals[j]) < strlen(literals[i]) || j < i))
			return true;
	return false;
}

/*
 * The bucketing's bookkeeping: per bucket and window position, how many
 * anchors use each byte value and nibble, and what those values cover: per
 * class, their shares within it (exact[]); the share of all log bytes their
 * nibbles cover (lo[], hi[]).
 */
struct buckets {
	double within[256];
	uint8_t byte_n[PF_BUCKETS][PF_WINDOW][256];
	uint8_t lo_n[PF_BUCKETS][PF_WINDOW][16], hi_n[PF_BUCKETS][PF_WINDOW][16];
	double exact[PF_BUCKETS][PF_WINDOW][NR_CLASSES];
	uint8_t size[PF_BUCKETS];
};

/* Add (d = 1) or remove (d = -1) an anchor to/from bucket b. */
static void bucket_update(struct buckets *bk, unsigned b, const unsigned char *s, int d)
{
	for (int k = 0; k < PF_WINDOW; k++) {
		unsigned c = s[k];
		/* A byte value's share is covered while an anchor uses it. */
		if (d > 0 ? bk->byte_n[b][k][c]++ == 0 : --bk->byte_n[b][k][c] == 0)
			bk->exact[b][k][byte_class((unsigned char)c)] += d * bk->within[c];
		bk->lo_n[b][k][c & 15] = (uint8_t)(bk->lo_n[b][k][c & 15] + d);
		bk->hi_n[b][k][c >> 4] = (uint8_t)(bk->hi_n[b][k][c >> 4] + d);
	}
	bk->size[b] = (uint8_t)(bk->size[b] + d);
}

/* Expected share of positions whose bytes fall in sets[k] (per class). */
static double chain_share(const double sets[PF_WINDOW][NR_CLASSES])
{
	double v[NR_CLASSES], sum = 0;

	for (int c = 0; c < NR_CLASSES; c++)
		v[c] = class_share[c] * sets[0][c];
	for (int k = 1; k < PF_WINDOW; k++) {
		double w[NR_CLASSES] = { 0 };
		for (int from = 0; from < NR_CLASSES; from++)
			for (int to = 0; to < NR_CLASSES; to++)
				w[to] += v[from] * next_class[from][to];
		for (int c = 0; c < NR_CLASSES; c++)
			v[c] = w[c] * sets[k][c];
	}
	for (int c = 0; c < NR_CLASSES; c++)
		sum += v[c];
	return sum;
}

/* Does bucket b let the window at w through, exactly or by nibbles? */
static bool bucket_passes(const struct buckets *bk, unsigned b, const unsigned char *w,
			  bool nibbles)
{
	for (int k = 0; k < PF_WINDOW; k++)
		if (nibbles ? !bk->lo_n[b][k][w[k] & 15] || !bk->hi_n[b][k][w[k] >> 4] :
			      !bk->byte_n[b][k][w[k]])
			return false;
	return true;
}

/* The common words' windows a bucket lets through, as a share of positions. */
static double common_share(const struct buckets *bk, unsigned b, bool nibbles)
{
	double share = 0;

	for (size_t i = 0; i < ARRAY_SIZE(common_words); i++) {
		const unsigned char *word = (const unsigned char *)common_words[i];
		for (size_t o = 0; o + PF_WINDOW <= strlen(common_words[i]); o++)
			if (bucket_passes(bk, b, word + o, nibbles))
				share += COMMON_WORD_SHARE;
	}
	return share;
}

/*
 * A bucket's expected candidates per position: windows whose four bytes
 * fall in its sets, under the class model, plus the common words it lets
 * through. The nibble paths (AVX2, SSSE3) let more through: every byte whose
 * low and high nibbles are both in the sets ("kern" for an anchor "Kern" next
 * to one starting with 'f'). Both kinds cost one hash probe; the nibble ones
 * count twice, which gave the fewest candidates on both kinds of path over
 * dmesg, syslog, syzkaller crash logs and the bench's fleet log (the counts
 * swing with small changes to the model: real n-grams decide).
 */
static double bucket_cost(const struct buckets *bk, unsigned b)
{
	double nib[PF_WINDOW][NR_CLASSES] = { { 0 } };

	if (!bk->size[b])
		return 0;
	for (int k = 0; k < PF_WINDOW; k++)
		for (unsigned h = 0; h < 16; h++)
			for (unsigned l = 0; h < 16 && bk->hi_n[b][k][h] && l < 16; l++)
				if (bk->lo_n[b][k][l])
					nib[k][byte_class((unsigned char)(h << 4 | l))] +=
						bk->within[h << 4 | l];
	return chain_share((const double (*)[NR_CLASSES])bk->exact[b]) + common_share(bk, b, false) +
	       2 * (chain_share((const double (*)[NR_CLASSES])nib) + common_share(bk, b, true));
}

/* What moving anchor s from bucket a (PF_BUCKETS: none) to b changes. */
static double move_gain(struct buckets *bk, const unsigned char *s, unsigned a, unsigned b)
{
	double before = bucket_cost(bk, b), after;

	if (a < PF_BUCKETS) {
		before += bucket_cost(bk, a);
		bucket_update(bk, a, s, -1);
	}
	bucket_update(bk, b, s, 1);
	after = bucket_cost(bk, b) + (a < PF_BUCKETS ? bucket_cost(bk, a) : 0);
	bucket_update(bk, b, s, -1);
	if (a < PF_BUCKETS)
		bucket_update(bk, a, s, 1);
	return before - after;
}

/* The bucket anchor s gains most by moving to from a; a when none is better. */
static unsigned best_bucket(struct buckets *bk, const unsigned char *s, unsigned a)
{
	double best_gain = a < PF_BUCKETS ? 1e-12 : -1e300;	/* a move must gain */
	unsigned best = a;

	for (unsigned b = 0; b < PF_BUCKETS; b++) {
		double gain;
		if (b == a || bk->size[b] == PF_PER_BUCKET)
			continue;
		gain = move_gain(bk, s, a, b);
		if (gain > best_gain) {
			best_gain = gain;
			best = b;
		}
	}
	return best;
}

/*
 * Group the anchors into buckets: each where it adds the least expected
 * false candidates, then single moves while one still lowers the total.
 */
static void assign_buckets(struct prefilter *pf, size_t n, uint8_t *of)
{
	struct buckets *bk = xcalloc(1, sizeof(*bk));
	const unsigned char *s;
	bool moved = true;

	for (int c = 0; c < 256; c++)
		bk->within[c] = within_class((unsigned char)c);
	for (size_t i = 0; i < n; i++) {
		s = (const unsigned char *)pf->lits[i] + pf->anchor[i];
		of[i] = (uint8_t)best_bucket(bk, s, PF_BUCKETS);
		bucket_update(bk, of[i], s, 1);
	}
	for (int pass = 0; moved && pass < 50; pass++) {
		moved = false;
		for (size_t i = 0; i < n; i++) {
			unsigned b;
			s = (const unsigned char *)pf->lits[i] + pf->anchor[i];
			b = best_bucket(bk, s, of[i]);
			if (b == of[i])
				continue;
			bucket_update(bk, of[i], s, -1);
			bucket_update(bk, b, s, 1);
			of[i] = (uint8_t)b;
			moved = true;
		}
	}
	free(bk);
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
	struct prefilter *pf = xcalloc(1, sizeof(*pf));
	uint8_t of[PF_MAX_LITERALS];
	size_t n = 0;

	for (size_t i = 0; i < NR_LITERALS; i++) {
		if (redundant(i))
			continue;
		pf->lits[n] = literals[i];
		pf->lens[n] = (uint8_t)strlen(literals[i]);
		pf->anchor[n] = (uint8_t)pick_anchor(literals[i]);
		n++;
	}
	assign_buckets(pf, n, of);
	for (size_t i = 0; i < n; i++) {
		const unsigned char *s = (const unsigned char *)pf->lits[i] + pf->anchor[i];
		unsigned bit = 1u << of[i], h;

		pf->anchor_bytes[i] = pf_load((const char *)s);
		h = pf_hash(pf->anchor_bytes[i]);
		pf->next[i] = pf->slot[h];
		pf->slot[h] = (uint8_t)(i + 1);
		for (int k = 0; k < PF_WINDOW; k++) {
			pf->lo[k][s[k] & 0xf] |= (uint8_t)bit;
			pf->hi[k][s[k] >> 4] |= (uint8_t)bit;
			pf->byte_mask[k][s[k]] |= (uint8_t)bit;
		}
	}
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

const char *pf_verify(const struct prefilter *pf, const char *begin, const char *p,
		      const char *end)
{
	uint32_t here = pf_load(p);

	for (unsigned s = pf->slot[pf_hash(here)]; s; s = pf->next[s - 1]) {
		unsigned i = s - 1;
		const char *lit;
		if (pf->anchor_bytes[i] != here)
			continue;
		/* Compared as addresses only once known to be in range. */
		if ((size_t)(p - begin) < pf->anchor[i])
			continue;
		lit = p - pf->anchor[i];
		if (pf->lens[i] <= (size_t)(end - lit) && !memcmp(lit, pf->lits[i], pf->lens[i]))
			return lit;
	}
	return NULL;
}

const char *pf_find_scalar(const struct prefilter *pf, const char *begin,
			   const char *p, const char *end, size_t *newlines)
{
	const unsigned char *u = (const unsigned char *)p;
	const unsigned char *e = (const unsigned char *)end;
	size_t count = 0;

	for (; e - u >= PF_WINDOW; u++) {
		unsigned m = pf->byte_mask[0][u[0]];
		count += u[0] == '\n';
		if (!m)
			continue;
		m &= pf->byte_mask[1][u[1]] & pf->byte_mask[2][u[2]] & pf->byte_mask[3][u[3]];
		if (m) {
			const char *lit = pf_verify(pf, begin, (const char *)u, end);
			if (lit) {
				/* [lit, u] lies in the literal: no newline in it,
				   and the one at u (none) was counted. */
				*newlines += count;
				return lit;
			}
		}
	}
	*newlines += count + count_newlines((const char *)u, (size_t)(e - u));
	return NULL;
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

size_t count_newlines(const char *p, size_t n)
{
	size_t count = 0, i = 0;
#ifdef __SSE2__
	/*
	 * Subtracting the 0/-1 compare results counts per byte lane; psadbw
	 * folds the lanes before they can overflow (at most 255 rounds).
	 */
	const __m128i nl = _mm_set1_epi8('\n');
	const __m128i zero = _mm_setzero_si128();

	while (i + 16 <= n) {
		__m128i acc = zero;
		size_t rounds = (n - i) / 16;

		if (rounds > 255)
			rounds = 255;
		for (size_t r = 0; r < rounds; r++, i += 16) {
			__m128i c = _mm_loadu_si128((const __m128i *)(p + i));
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(c, nl));
		}
		acc = _mm_sad_epu8(acc, zero);
		count += (size_t)_mm_cvtsi128_si64(acc) +
			 (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
	}
#endif
	for (; i < n; i++)
		count += p[i] == '\n';
	return count;
}
