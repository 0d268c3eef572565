/*
** The prefilter's tables: which 4-byte window of each literal is its anchor,
** and how the anchors are grouped into buckets. Both aim at few false
** candidates on routine log lines, judged by a small model of log text.
** Run at build time (prefilter_gen.c), not by ksift.
*/
#define _GNU_SOURCE
#include "prefilter_impl.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/*
 * The model: a byte's class follows the previous byte's class with the
 * probabilities below (measured on dmesg output, syslog and syzkaller crash
 * logs, rounded), and within its class a byte is as common as in English
 * text (letters), timestamps and hex (digits), paths, times and key=value
 * pairs (punctuation). Plain letter frequencies alone miss that capitals
 * come in runs ("DENIED", "ADDRCONF"): a bucket of anchors made of capitals
 * then looks far rarer than it is.
 */
enum { CL_LOWER, CL_UPPER, CL_DIGIT, CL_BLANK, CL_PUNCT, CL_OTHER, NR_CLASSES };

static const double class_share[NR_CLASSES] = { .40, .05, .25, .13, .12, .05 };
static const double next_class[NR_CLASSES][NR_CLASSES] = {
	/* lower  upper  digit  blank  punct  other */
	{ .76, .005, .05, .08, .08, .025 },	/* after lower */
	{ .20, .55, .05, .07, .10, .03 },	/* after upper */
	{ .04, .01, .65, .08, .19, .03 },	/* after digit */
	{ .35, .12, .22, .20, .08, .03 },	/* after blank */
	{ .18, .03, .35, .30, .10, .04 },	/* after punct */
	{ .10, .10, .15, .15, .40, .10 },	/* after other */
};

static const char punct[] = ":.-[]_/=,()";

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
	if (c && strchr(punct, c))
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

/*
 * Words that routine lines are full of, whatever the model says: every
 * kernel line in a syslog says "kernel:", ext4 logs its mounts as "EXT4-fs
 * (sda1): ...", mount options read "errors=remount-ro", and systemd, audit
 * and AppArmor ("DENIED") write on most servers all day. No anchor is one of
 * their windows, and a bucket that lets one through counts it as frequent
 * (COMMON_WORD_SHARE per position).
 */
static const char *const common_words[] = {
	"kernel", "EXT4-fs (", "error", "systemd", "audit", "DENIED", "Started", "session",
};
#define COMMON_WORD_SHARE 1e-3
#define MAX_COMMON 64

/*
 * The builder's state: the model's per-byte figures, the common words'
 * windows, and per bucket and window position how many anchors use each
 * byte value and nibble, with the within-class shares the byte values
 * cover (exact[]) and the bucket's cost as last computed.
 */
struct builder {
	double within[256];
	uint8_t class[256];
	uint32_t common[MAX_COMMON];
	size_t nr_common;
	uint8_t byte_n[PF_BUCKETS][PF_WINDOW][256];
	uint8_t lo_n[PF_BUCKETS][PF_WINDOW][16], hi_n[PF_BUCKETS][PF_WINDOW][16];
	uint16_t lo_set[PF_BUCKETS][PF_WINDOW], hi_set[PF_BUCKETS][PF_WINDOW];
	double exact[PF_BUCKETS][PF_WINDOW][NR_CLASSES];
	double cost[PF_BUCKETS];
	uint8_t size[PF_BUCKETS];
};

static void builder_init(struct builder *bd)
{
	for (int c = 0; c < 256; c++) {
		bd->within[c] = within_class((unsigned char)c);
		bd->class[c] = (uint8_t)byte_class((unsigned char)c);
	}
	for (size_t i = 0; i < ARRAY_SIZE(common_words); i++)
		for (size_t o = 0; o + PF_WINDOW <= strlen(common_words[i]); o++) {
			if (bd->nr_common == MAX_COMMON)
				die("prefilter: more than %d common-word windows", MAX_COMMON);
			bd->common[bd->nr_common++] = pf_load(common_words[i] + o);
		}
}

static bool is_common(const struct builder *bd, uint32_t window)
{
	for (size_t i = 0; i < bd->nr_common; i++)
		if (bd->common[i] == window)
			return true;
	return false;
}

/* How often these PF_WINDOW bytes come in this order, per position. */
static double window_share(const struct builder *bd, const unsigned char *s)
{
	double p = class_share[bd->class[s[0]]] * bd->within[s[0]];

	for (int k = 1; k < PF_WINDOW; k++)
		p *= next_class[bd->class[s[k - 1]]][bd->class[s[k]]] * bd->within[s[k]];
	return p;
}

/*
 * The offset of a literal's rarest window, its anchor: the one expected
 * least often, never a common word's window if there is another.
 */
static size_t pick_anchor(const struct builder *bd, const char *lit)
{
	size_t len = strlen(lit), best = 0;
	double best_share = 2;

	for (size_t o = 0; o + PF_WINDOW <= len; o++) {
		double share = window_share(bd, (const unsigned char *)lit + o) *
			       (is_common(bd, pf_load(lit + o)) ? 1 : 1e-6);
		if (share < best_share) {
			best_share = share;
			best = o;
		}
	}
	return best;
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

/*
 * A bucket's expected candidates per position: windows whose four bytes
 * fall in its sets, under the model, plus the common words it lets through.
 * The nibble paths (AVX2, SSSE3) let more through: every byte whose low and
 * high nibbles are both in the sets ("kern" for an anchor "Kern" next to one
 * starting with 'f'). Both kinds cost one hash probe; the nibble ones count
 * twice, which gave the fewest candidates on both kinds of path over dmesg,
 * syslog, syzkaller crash logs and the bench's fleet log (the counts swing
 * with small changes to the model: real n-grams decide).
 */
static double bucket_cost(const struct builder *bd, unsigned b)
{
	double nib[PF_WINDOW][NR_CLASSES] = { { 0 } }, common = 0;

	if (!bd->size[b])
		return 0;
	for (int k = 0; k < PF_WINDOW; k++)
		for (unsigned hs = bd->hi_set[b][k]; hs; hs &= hs - 1) {
			unsigned h = (unsigned)__builtin_ctz(hs);
			for (unsigned ls = bd->lo_set[b][k]; ls; ls &= ls - 1) {
				unsigned c = h << 4 | (unsigned)__builtin_ctz(ls);
				nib[k][bd->class[c]] += bd->within[c];
			}
		}
	for (size_t i = 0; i < bd->nr_common; i++) {
		bool exact = true, nibbles = true;
		for (int k = 0; k < PF_WINDOW; k++) {
			unsigned c = (bd->common[i] >> (8 * k)) & 0xff;
			exact = exact && bd->byte_n[b][k][c];
			nibbles = nibbles && bd->lo_n[b][k][c & 15] && bd->hi_n[b][k][c >> 4];
		}
		common += (exact + 2 * nibbles) * COMMON_WORD_SHARE;
	}
	return chain_share((const double (*)[NR_CLASSES])bd->exact[b]) +
	       2 * chain_share((const double (*)[NR_CLASSES])nib) + common;
}

/* Add (d = 1) or remove (d = -1) an anchor to/from bucket b. */
static void bucket_update(struct builder *bd, unsigned b, const unsigned char *s, int d)
{
	for (int k = 0; k < PF_WINDOW; k++) {
		unsigned c = s[k];
		/* A byte value's share is covered while an anchor uses it. */
		if (d > 0 ? bd->byte_n[b][k][c]++ == 0 : --bd->byte_n[b][k][c] == 0)
			bd->exact[b][k][bd->class[c]] += d * bd->within[c];
		bd->lo_n[b][k][c & 15] = (uint8_t)(bd->lo_n[b][k][c & 15] + d);
		bd->hi_n[b][k][c >> 4] = (uint8_t)(bd->hi_n[b][k][c >> 4] + d);
		bd->lo_set[b][k] = (uint16_t)((bd->lo_set[b][k] & ~(1u << (c & 15))) |
					      (bd->lo_n[b][k][c & 15] ? 1u << (c & 15) : 0));
		bd->hi_set[b][k] = (uint16_t)((bd->hi_set[b][k] & ~(1u << (c >> 4))) |
					      (bd->hi_n[b][k][c >> 4] ? 1u << (c >> 4) : 0));
	}
	bd->size[b] = (uint8_t)(bd->size[b] + d);
}

/* Bucket b's cost were anchor s added (d = 1) or removed (d = -1). */
static double cost_if(struct builder *bd, unsigned b, const unsigned char *s, int d)
{
	double cost;

	bucket_update(bd, b, s, d);
	cost = bucket_cost(bd, b);
	bucket_update(bd, b, s, -d);
	return cost;
}

/*
 * The bucket anchor s, now in bucket a (PF_BUCKETS: none yet), lowers the
 * total cost most by moving to; a when no move lowers it.
 */
static unsigned best_bucket(struct builder *bd, const unsigned char *s, unsigned a)
{
	double saved = a < PF_BUCKETS ? bd->cost[a] - cost_if(bd, a, s, -1) : 0;
	double best_gain = a < PF_BUCKETS ? 1e-15 : -1e300;	/* a move must gain */
	unsigned best = a;

	for (unsigned b = 0; b < PF_BUCKETS; b++) {
		double gain;
		if (b == a || bd->size[b] == PF_PER_BUCKET)
			continue;
		gain = saved - (cost_if(bd, b, s, 1) - bd->cost[b]);
		if (gain > best_gain) {
			best_gain = gain;
			best = b;
		}
	}
	return best;
}

static void move(struct builder *bd, const unsigned char *s, unsigned from, unsigned to)
{
	if (from < PF_BUCKETS) {
		bucket_update(bd, from, s, -1);
		bd->cost[from] = bucket_cost(bd, from);
	}
	bucket_update(bd, to, s, 1);
	bd->cost[to] = bucket_cost(bd, to);
}

/* Does another literal lie inside literal i (an earlier one if equal)? */
static bool redundant(const char *const *lits, size_t nr, size_t i)
{
	for (size_t j = 0; j < nr; j++)
		if (j != i && strstr(lits[i], lits[j]) &&
		    (strlen(lits[j]) < strlen(lits[i]) || j < i))
			return true;
	return false;
}

void pf_build(struct prefilter *pf, const char *const *lits, size_t nr)
{
	struct builder *bd = xcalloc(1, sizeof(*bd));
	uint8_t of[PF_MAX_LITERALS];
	bool moved = true;
	size_t n = 0;

	builder_init(bd);
	/* A literal holding another is dropped: every line holding it holds
	   the shorter one too. */
	for (size_t i = 0; i < nr; i++) {
		if (redundant(lits, nr, i))
			continue;
		pf->lits[n] = lits[i];
		pf->lens[n] = (uint8_t)strlen(lits[i]);
		pf->anchor[n] = (uint8_t)pick_anchor(bd, lits[i]);
		pf->anchor_bytes[n] = pf_load(lits[i] + pf->anchor[n]);
		n++;
	}
	/* Each anchor where it adds the least expected candidates, then
	   single moves while one still lowers the total. */
	for (size_t i = 0; i < n; i++) {
		const unsigned char *s = (const unsigned char *)pf->lits[i] + pf->anchor[i];
		of[i] = (uint8_t)best_bucket(bd, s, PF_BUCKETS);
		move(bd, s, PF_BUCKETS, of[i]);
	}
	for (int pass = 0; moved && pass < 20; pass++) {
		moved = false;
		for (size_t i = 0; i < n; i++) {
			const unsigned char *s = (const unsigned char *)pf->lits[i] + pf->anchor[i];
			unsigned b = best_bucket(bd, s, of[i]);
			if (b == of[i])
				continue;
			move(bd, s, of[i], b);
			of[i] = (uint8_t)b;
			moved = true;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const unsigned char *s = (const unsigned char *)pf->lits[i] + pf->anchor[i];
		unsigned bit = 1u << of[i], h = pf_hash(pf->anchor_bytes[i]);

		pf->next[i] = pf->slot[h];
		pf->slot[h] = (uint8_t)(i + 1);
		for (int k = 0; k < PF_WINDOW; k++) {
			pf->lo[k][s[k] & 0xf] |= (uint8_t)bit;
			pf->hi[k][s[k] >> 4] |= (uint8_t)bit;
			pf->byte_mask[k][s[k]] |= (uint8_t)bit;
		}
	}
	free(bd);
}
