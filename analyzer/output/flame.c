#include "flame.h"
#include "json.h"
#include "textsafe.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct fnode {
	const char *name;		/* borrowed from the profile */
	uint64_t count;
	uint32_t parent, child, sibling;	/* 0: none (node 0 is the root) */
	uint32_t depth;
};

struct flame {
	struct fnode *v;
	size_t nr, alloc;
	uint32_t *slots;		/* (parent, name) → node + 1 */
	size_t nr_slots;
	uint32_t max_depth;
};

static uint64_t key_hash(uint32_t parent, const char *name)
{
	uint64_t h = fnv1a64(FNV1A64_INIT, &parent, sizeof(parent));

	return fnv1a64(h, &name, sizeof(name));
}

static void grow(struct flame *f)
{
	size_t n = f->nr_slots ? f->nr_slots * 2 : 4096;
	uint32_t *slots = xcalloc(n, sizeof(*slots));

	for (size_t i = 1; i < f->nr; i++) {
		size_t s = (size_t)key_hash(f->v[i].parent, f->v[i].name) & (n - 1);
		while (slots[s])
			s = (s + 1) & (n - 1);
		slots[s] = (uint32_t)i + 1;
	}
	free(f->slots);
	f->slots = slots;
	f->nr_slots = n;
}

/* The child of parent named name (names are the profile's interned strings). */
static uint32_t child(struct flame *f, uint32_t parent, const char *name)
{
	size_t s;
	struct fnode *n;

	if ((f->nr + 1) * 2 > f->nr_slots)
		grow(f);
	s = (size_t)key_hash(parent, name) & (f->nr_slots - 1);
	for (; f->slots[s]; s = (s + 1) & (f->nr_slots - 1)) {
		n = &f->v[f->slots[s] - 1];
		if (n->parent == parent && n->name == name)
			return f->slots[s] - 1;
	}
	ALLOC_GROW(f->v, f->nr + 1, f->alloc);
	n = &f->v[f->nr];
	memset(n, 0, sizeof(*n));
	n->name = name;
	n->parent = parent;
	n->depth = f->v[parent].depth + 1;
	n->sibling = f->v[parent].child;
	f->v[parent].child = (uint32_t)f->nr;
	if (n->depth > f->max_depth)
		f->max_depth = n->depth;
	f->slots[s] = (uint32_t)f->nr + 1;
	return (uint32_t)f->nr++;
}

static bool add_stack(void *data, const char *const *funcs, const char *const *mods,
		      size_t n, uint64_t count)
{
	struct flame *f = data;
	uint32_t at = 0;

	(void)mods;
	f->v[0].count += count;
	for (size_t i = n; i-- > 0;) {	/* outermost caller first */
		at = child(f, at, funcs[i]);
		f->v[at].count += count;
	}
	return true;
}

void flame_xml_escape(struct strbuf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		size_t len;
		switch (c) {
		case '&': strbuf_addstr(out, "&amp;"); i++; continue;
		case '<': strbuf_addstr(out, "&lt;"); i++; continue;
		case '>': strbuf_addstr(out, "&gt;"); i++; continue;
		case '"': strbuf_addstr(out, "&quot;"); i++; continue;
		case '\'': strbuf_addstr(out, "&#39;"); i++; continue;
		default: break;
		}
		if (c < 0x20 || c == 0x7f) {
			strbuf_addch(out, '?');
			i++;
			continue;
		}
		len = utf8_seq(p + i, n - i);
		if (!len) {
			strbuf_addch(out, '?');
			i++;
			continue;
		}
		strbuf_add(out, p + i, len);
		i += len;
	}
}

/* A warm colour from the name, stable across runs (flamegraph.pl's palette idea). */
static void colour(const char *name, struct strbuf *out)
{
	uint64_t h = fnv1a64(FNV1A64_INIT, name, strlen(name));

	strbuf_addf(out, "rgb(%u,%u,%u)", 205 + (unsigned)(h % 50), 80 + (unsigned)((h >> 8) % 140),
		    (unsigned)((h >> 16) % 55));
}

static void emit(const struct flame *f, uint32_t i, double x, double scale, double height,
		 uint64_t total, struct strbuf *out)
{
	const struct fnode *n = &f->v[i];
	double w = (double)n->count * scale;
	double y = height - (double)(n->depth + 1) * FLAME_ROW;
	size_t chars;

	if (w < FLAME_MIN_WIDTH)
		return;
	if (i) {
		strbuf_addstr(out, "<g><title>");
		flame_xml_escape(out, n->name);
		strbuf_addf(out, " (%llu samples, %.2f%%)</title><rect x=\"%.1f\" y=\"%.1f\" "
			    "width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"",
			    (unsigned long long)n->count, 100.0 * (double)n->count / (double)total,
			    x, y, w, FLAME_ROW - 1);
		colour(n->name, out);
		strbuf_addstr(out, "\"/>");
		chars = (size_t)((w - 6) / 7);
		if (chars >= 3) {
			char buf[256];
			size_t len = strlen(n->name);
			if (len > chars || len >= sizeof(buf)) {
				size_t keep = chars - 2 < sizeof(buf) - 3 ? chars - 2 : sizeof(buf) - 3;
				/* cut on a character boundary, then "…" as two dots */
				while (keep && ((unsigned char)n->name[keep] & 0xc0) == 0x80)
					keep--;
				memcpy(buf, n->name, keep);
				strcpy(buf + keep, "..");
			} else {
				memcpy(buf, n->name, len + 1);
			}
			strbuf_addf(out, "<text x=\"%.1f\" y=\"%.1f\">", x + 3, y + FLAME_ROW - 4);
			flame_xml_escape(out, buf);
			strbuf_addstr(out, "</text>");
		}
		strbuf_addstr(out, "</g>\n");
	}
	for (uint32_t c = n->child; c; c = f->v[c].sibling) {
		emit(f, c, x, scale, height, total, out);
		x += (double)f->v[c].count * scale;
	}
}

void flame_svg(const struct profile *p, const char *title, struct strbuf *out)
{
	struct flame f = { NULL, 0, 0, NULL, 0, 0 };
	double height, scale;

	ALLOC_GROW(f.v, 1, f.alloc);
	memset(&f.v[0], 0, sizeof(f.v[0]));
	f.nr = 1;
	profile_foreach_stack(p, add_stack, &f);
	height = (double)(f.max_depth + 2) * FLAME_ROW + 8;
	scale = f.v[0].count ? (double)(FLAME_WIDTH - 20) / (double)f.v[0].count : 0;
	strbuf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
		    "viewBox=\"0 0 %d %.0f\" font-family=\"monospace\" font-size=\"11\">\n",
		    FLAME_WIDTH, height, FLAME_WIDTH, height);
	strbuf_addf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fbf8f0\"/>\n"
		    "<text x=\"10\" y=\"14\" font-size=\"13\">");
	flame_xml_escape(out, title ? title : "flame graph");
	strbuf_addf(out, " (%llu samples)</text>\n<g transform=\"translate(10,0)\">\n",
		    (unsigned long long)f.v[0].count);
	/* a depth of 1 is the outermost caller: it sits on the bottom row */
	if (f.v[0].count)
		emit(&f, 0, 0, scale, height - 4, f.v[0].count, out);
	strbuf_addstr(out, "</g>\n</svg>\n");
	free(f.v);
	free(f.slots);
}
