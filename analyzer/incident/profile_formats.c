#define _GNU_SOURCE
#include "profile_formats.h"
#include "sniff.h"
#include "strbuf.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRAPH_MAX_LEVELS 512
#define SEEN_MAX (1u << 20)

/* The frames of the sample being read: func and module bytes in text. */
struct frame_buf {
	struct strbuf text;
	size_t fo[PROFILE_MAX_DEPTH], fl[PROFILE_MAX_DEPTH];
	size_t mo[PROFILE_MAX_DEPTH], ml[PROFILE_MAX_DEPTH];
	size_t n;
};

struct level {			/* one chain of a perf report call graph */
	size_t col;		/* column its names start at */
	size_t end;		/* path length after its last name */
	double pct, child_pct;
};

struct profile_parser {
	enum profile_format fmt;
	struct profile *p;
	struct frame_buf fb;
	/* perf script: the sample being read */
	bool in_sample;
	struct strbuf comm;
	double time;
	/* perf report: the entry whose graph is being read */
	double total;			/* samples stated in "# Samples:" */
	bool children_mode, entry_open, skip_graph, graph_seen, callee_order, first_name;
	double entry_pct;
	struct strbuf entry_sym, entry_mod;
	struct level levels[GRAPH_MAX_LEVELS];
	size_t nr_levels;
	struct strbuf path;		/* names of the current path, '\0'-separated */
	size_t *path_off;
	size_t path_len, path_alloc;
	/* children mode: names seen below an accepted root (a set) */
	char **seen;
	size_t nr_seen, seen_slots;
};

const char *profile_format_name(enum profile_format f)
{
	static const char *const names[] = { "perf script", "perf report", "folded stacks" };
	return (unsigned)f < ARRAY_SIZE(names) ? names[f] : "?";
}

struct profile_parser *profile_parser_new(enum profile_format f, struct profile *p)
{
	struct profile_parser *pp = xcalloc(1, sizeof(*pp));

	pp->fmt = f;
	pp->p = p;
	strbuf_init(&pp->fb.text, 256);
	strbuf_init(&pp->comm, 32);
	strbuf_init(&pp->entry_sym, 64);
	strbuf_init(&pp->entry_mod, 32);
	strbuf_init(&pp->path, 256);
	pp->time = -1;
	return pp;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * strtod() over a counted line (lines are not NUL-terminated): the number
 * at s, at most 63 bytes of it; *stop (may be NULL) is where it ended.
 */
static double num_at(const char *s, const char *end, const char **stop)
{
	char buf[64], *e;
	size_t n = (size_t)(end - s) < sizeof(buf) - 1 ? (size_t)(end - s) : sizeof(buf) - 1;
	double v;

	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtod(buf, &e);
	if (stop)
		*stop = s + (e - buf);
	return v;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space(**s))
		(*s)++, (*n)--;
	while (*n && (is_space((*s)[*n - 1]) || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static void fb_add(struct frame_buf *fb, const char *f, size_t fl, const char *m, size_t ml)
{
	if (fb->n >= PROFILE_MAX_DEPTH)
		return;
	fb->fo[fb->n] = fb->text.len;
	fb->fl[fb->n] = fl;
	strbuf_add(&fb->text, f, fl);
	fb->mo[fb->n] = fb->text.len;
	fb->ml[fb->n] = ml;
	strbuf_add(&fb->text, m, ml);
	fb->n++;
}

/* Innermost first; reverse when the frames were added outermost first. */
static void fb_flush(struct profile_parser *pp, const char *comm, size_t comm_len,
		     uint64_t count, double time, bool reverse)
{
	struct profile_frame fr[PROFILE_MAX_DEPTH];
	struct frame_buf *fb = &pp->fb;

	for (size_t i = 0; i < fb->n; i++) {
		size_t k = reverse ? fb->n - 1 - i : i;
		fr[i].func = fb->text.buf + fb->fo[k];
		fr[i].func_len = fb->fl[k];
		fr[i].module = fb->text.buf + fb->mo[k];
		fr[i].module_len = fb->ml[k];
	}
	if (fb->n || count)
		profile_add(pp->p, comm, comm_len, fr, fb->n, count, time);
	fb->n = 0;
	strbuf_reset(&fb->text);
}

/*
 * perf's dso as a module name: "[kernel.kallsyms]" and "[unknown]" are
 * none, "[kvm]" is kvm, a path is its file name.
 */
static void dso_module(const char *d, size_t n, const char **m, size_t *ml)
{
	*m = d;
	*ml = 0;
	if (n >= 2 && d[0] == '[' && d[n - 1] == ']') {
		if ((n == 19 && !memcmp(d, "[kernel.kallsyms]", 17)) ||
		    (n > 8 && memmem(d, n, "kallsyms", 8)) || (n == 9 && !memcmp(d, "[unknown]", 9)))
			return;
		*m = d + 1;
		*ml = n - 2;
		return;
	}
	for (size_t i = n; i > 0; i--)
		if (d[i - 1] == '/') {
			*m = d + i;
			*ml = n - i;
			return;
		}
	*ml = n;
}

/*
 * "\tffffffff81855d01 _raw_spin_lock+0x21 ([kernel.kallsyms])": the
 * address, the symbol with its offset (symoff), the dso in parentheses —
 * each optional after the address as the -F fields say.
 */
static void perf_frame(struct profile_parser *pp, const char *s, size_t n)
{
	size_t i = 0, sym, send;
	const char *mod = "";
	size_t ml = 0;

	while (i < n && is_space(s[i]))
		i++;
	while (i < n && is_hex_digit((unsigned char)s[i]))
		i++;
	while (i < n && s[i] == ' ')
		i++;
	sym = i;
	send = n;
	if (n && s[n - 1] == ')') {
		for (size_t k = n - 1; k > sym; k--)
			if (s[k] == '(' && s[k - 1] == ' ') {
				dso_module(s + k + 1, n - k - 2, &mod, &ml);
				send = k - 1;
				break;
			}
	}
	while (send > sym && is_space(s[send - 1]))
		send--;
	/* "+0x21": the offset is not part of the name. */
	for (size_t k = send; k > sym + 1; k--)
		if (s[k - 1] == '+' && k + 1 < send && s[k] == '0' && s[k + 1] == 'x') {
			send = k - 1;
			break;
		}
	fb_add(&pp->fb, s + sym, send - sym, mod, ml);
}

static void script_flush(struct profile_parser *pp)
{
	if (pp->in_sample || pp->fb.n)
		fb_flush(pp, pp->comm.buf, pp->comm.len, 1, pp->time, false);
	pp->in_sample = false;
	strbuf_reset(&pp->comm);
	pp->time = -1;
}

/* perf_sample__fprintf_start(): "comm tid [cpu] time: period event: …". */
static void script_sample_line(struct profile_parser *pp, const char *s, size_t n)
{
	size_t tb = 0, te = 0, i;
	const char *pre;
	size_t pl;

	script_flush(pp);
	pp->in_sample = true;
	/* The time: digits '.' digits ':' after a blank. */
	for (i = 1; i + 2 < n && !te; i++) {
		size_t b, d = 0;
		if (s[i] != '.' || s[i - 1] < '0' || s[i - 1] > '9')
			continue;
		b = i - 1;
		while (b > 0 && s[b - 1] >= '0' && s[b - 1] <= '9')
			b--;
		if (!b || s[b - 1] != ' ')
			continue;
		while (i + 1 + d < n && s[i + 1 + d] >= '0' && s[i + 1 + d] <= '9')
			d++;
		if (d >= 1 && i + 1 + d < n && s[i + 1 + d] == ':') {
			tb = b;
			te = i + 1 + d;
		}
	}
	pre = s;
	pl = te ? tb : n;
	if (te)
		pp->time = num_at(s + tb, s + te, NULL);
	trim(&pre, &pl);
	/* "[038]" cpu, then "51804" or "51800/51804" tid: what is before is comm. */
	if (pl && pre[pl - 1] == ']') {
		size_t k = pl - 1;
		while (k > 0 && pre[k - 1] != '[')
			k--;
		if (k > 0)
			pl = k - 1;
		trim(&pre, &pl);
	}
	{
		size_t k = pl;
		while (k > 0 && ((pre[k - 1] >= '0' && pre[k - 1] <= '9') || pre[k - 1] == '/' ||
				 pre[k - 1] == '-'))
			k--;
		if (k < pl && (k == 0 || is_space(pre[k - 1]))) {
			pl = k;
			trim(&pre, &pl);
		}
	}
	strbuf_add(&pp->comm, pre, pl);
	if (!te)
		return;
	/* After the time: period, then "event: ", then maybe "ip sym (dso)". */
	i = te + 1;
	while (i < n && is_space(s[i]))
		i++;
	{
		size_t k = i;
		while (k < n && s[k] >= '0' && s[k] <= '9')
			k++;
		if (k > i && k < n && is_space(s[k]))
			i = k;
	}
	while (i < n && is_space(s[i]))
		i++;
	for (size_t k = i; k < n; k++)
		if (s[k] == ':' && (k + 1 == n || is_space(s[k + 1]))) {
			profile_set_event(pp->p, s + i, k - i);
			if (k + 1 < n && sniff_is_perf_frame_line(s + k + 1, n - k - 1))
				perf_frame(pp, s + k + 1, n - k - 1);
			break;
		}
}

static void script_line(struct profile_parser *pp, const char *s, size_t n)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (!n) {
		script_flush(pp);	/* the blank line after a callchain */
		return;
	}
	if (s[0] == '#')
		return;			/* perf script --header */
	if (is_space(s[0])) {
		/* "%16s" pads the comm of a sample printed without callchain */
		size_t b = 0;
		while (b < n && is_space(s[b]))
			b++;
		if (!sniff_is_perf_frame_line(s, n) && sniff_is_perf_sample_line(s + b, n - b)) {
			script_sample_line(pp, s + b, n - b);
			return;
		}
		if (sniff_is_perf_frame_line(s, n)) {
			perf_frame(pp, s, n);
			pp->in_sample = true;
		}
		return;			/* srcline and other per-frame extras */
	}
	if (sniff_is_perf_frame_line(s, n) && !sniff_is_perf_sample_line(s, n)) {
		perf_frame(pp, s, n);	/* -F ip,sym unindented */
		pp->in_sample = true;
		return;
	}
	script_sample_line(pp, s, n);
}

/* ---- perf report --stdio ---- */

static uint64_t report_count(const struct profile_parser *pp, double pct)
{
	double total = pp->total > 0 ? pp->total : 100000;
	double c = pct * total / 100.0;

	return c < 0.5 ? 0 : (uint64_t)llround(c);
}

/* A set of names (children mode): open addressing over strdup'ed keys. */
static bool seen_has(const struct profile_parser *pp, const char *name)
{
	size_t s;

	if (!pp->seen_slots)
		return false;
	s = (size_t)fnv1a64(FNV1A64_INIT, name, strlen(name)) & (pp->seen_slots - 1);
	for (; pp->seen[s]; s = (s + 1) & (pp->seen_slots - 1))
		if (!strcmp(pp->seen[s], name))
			return true;
	return false;
}

static void seen_add(struct profile_parser *pp, const char *name)
{
	size_t s;

	if (seen_has(pp, name) || pp->nr_seen >= SEEN_MAX)
		return;
	if ((pp->nr_seen + 1) * 2 > pp->seen_slots) {
		size_t n = pp->seen_slots ? pp->seen_slots * 2 : 1024;
		char **v = xcalloc(n, sizeof(*v));
		for (size_t i = 0; i < pp->seen_slots; i++)
			if (pp->seen[i]) {
				size_t k = (size_t)fnv1a64(FNV1A64_INIT, pp->seen[i],
							   strlen(pp->seen[i])) & (n - 1);
				while (v[k])
					k = (k + 1) & (n - 1);
				v[k] = pp->seen[i];
			}
		free(pp->seen);
		pp->seen = v;
		pp->seen_slots = n;
	}
	s = (size_t)fnv1a64(FNV1A64_INIT, name, strlen(name)) & (pp->seen_slots - 1);
	while (pp->seen[s])
		s = (s + 1) & (pp->seen_slots - 1);
	pp->seen[s] = xstrdup(name);
	pp->nr_seen++;
}

static const char *path_name(const struct profile_parser *pp, size_t i)
{
	return pp->path.buf + pp->path_off[i];
}

static void path_truncate(struct profile_parser *pp, size_t len)
{
	if (len < pp->path_len) {
		strbuf_setlen(&pp->path, pp->path_off[len]);
		pp->path_len = len;
	}
}

static void path_push(struct profile_parser *pp, const char *name, size_t n)
{
	if (pp->path_len >= PROFILE_MAX_DEPTH)
		return;
	ALLOC_GROW(pp->path_off, pp->path_len + 1, pp->path_alloc);
	pp->path_off[pp->path_len++] = pp->path.len;
	strbuf_add(&pp->path, name, n);
	strbuf_addch(&pp->path, '\0');
	if (pp->children_mode && !pp->skip_graph && pp->path_len > 1)
		seen_add(pp, path_name(pp, pp->path_len - 1));
}

/* Samples that end on this path: the chain's share not given to branches. */
static void emit_path(struct profile_parser *pp, size_t len, double pct)
{
	bool outer_first = !pp->callee_order;
	const char *sym = pp->entry_sym.buf;

	if (pct <= 0 || pp->skip_graph)
		return;
	pp->fb.n = 0;
	strbuf_reset(&pp->fb.text);
	for (size_t i = 0; i < len; i++) {
		const char *nm = path_name(pp, i);
		bool entry = !strcmp(nm, sym);
		fb_add(&pp->fb, nm, strlen(nm), entry ? pp->entry_mod.buf : "",
		       entry ? pp->entry_mod.len : 0);
	}
	/* Caller order without children: the chain ends at the entry's symbol. */
	if (outer_first && !pp->children_mode &&
	    (!len || strcmp(path_name(pp, len - 1), sym)))
		fb_add(&pp->fb, sym, strlen(sym), pp->entry_mod.buf, pp->entry_mod.len);
	fb_flush(pp, pp->comm.buf, pp->comm.len, report_count(pp, pct), -1, outer_first);
}

static void level_pop(struct profile_parser *pp)
{
	struct level *l = &pp->levels[--pp->nr_levels];

	emit_path(pp, l->end, l->pct - l->child_pct);
}

static void level_push(struct profile_parser *pp, size_t col, double pct)
{
	if (pp->nr_levels == GRAPH_MAX_LEVELS)
		return;
	pp->levels[pp->nr_levels++] = (struct level){ col, pp->path_len, pct, 0 };
}

/* The entry is over: its graph's last paths, or the entry alone. */
static void entry_end(struct profile_parser *pp)
{
	if (!pp->entry_open)
		return;
	while (pp->nr_levels)
		level_pop(pp);
	if (!pp->graph_seen && !pp->children_mode) {
		/* No call graph (recorded without -g): the entry's own samples. */
		pp->fb.n = 0;
		strbuf_reset(&pp->fb.text);
		fb_add(&pp->fb, pp->entry_sym.buf, pp->entry_sym.len, pp->entry_mod.buf,
		       pp->entry_mod.len);
		fb_flush(pp, pp->comm.buf, pp->comm.len, report_count(pp, pp->entry_pct), -1,
			 false);
	}
	path_truncate(pp, 0);
	pp->entry_open = false;
}

static void graph_name(struct profile_parser *pp, size_t col, const char *name, size_t n)
{
	struct level *top = pp->nr_levels ? &pp->levels[pp->nr_levels - 1] : NULL;

	trim(&name, &n);
	if (!n)
		return;
	if (!pp->first_name) {
		pp->first_name = true;
		pp->callee_order = n == pp->entry_sym.len && !memcmp(name, pp->entry_sym.buf, n);
		if (pp->children_mode) {
			/* Accumulated children: graphs run from the entry to its
			   callees; only a root's graph is read, once. */
			pp->callee_order = false;
			pp->skip_graph = seen_has(pp, pp->entry_sym.buf);
		}
	}
	while (top && top->col > col) {
		level_pop(pp);
		top = pp->nr_levels ? &pp->levels[pp->nr_levels - 1] : NULL;
	}
	if (!top) {
		level_push(pp, col, pp->entry_pct);
		top = &pp->levels[pp->nr_levels - 1];
	}
	path_truncate(pp, top->end);
	path_push(pp, name, n);
	top->end = pp->path_len;
}

static void graph_branch(struct profile_parser *pp, size_t parent_col, double pct,
			 size_t col, const char *name, size_t n)
{
	struct level *top = pp->nr_levels ? &pp->levels[pp->nr_levels - 1] : NULL;

	while (top && top->col > parent_col) {
		level_pop(pp);
		top = pp->nr_levels ? &pp->levels[pp->nr_levels - 1] : NULL;
	}
	if (!top) {
		/* A graph that opens with a branch (caller order): the entry's
		   share is the implicit root's. */
		level_push(pp, parent_col, pp->entry_pct);
		top = &pp->levels[pp->nr_levels - 1];
	}
	top->child_pct += pct;
	path_truncate(pp, top->end);
	level_push(pp, col, pct);
	graph_name(pp, col, name, n);
}

static void report_graph_line(struct profile_parser *pp, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (s[i] == ' ' || s[i] == '|'))
		i++;
	if (i == n)
		return;
	pp->graph_seen = true;
	if (n - i >= 3 && !memcmp(s + i, "---", 3)) {
		graph_name(pp, i + 3, s + i + 3, n - i - 3);
		return;
	}
	if (n - i > 2 && s[i] == '-' && s[i + 1] == '-') {
		const char *pct_end = memmem(s + i + 2, n - i - 2, "%--", 3);
		if (pct_end && i > 0) {
			double pct = num_at(s + i + 2, pct_end, NULL);
			size_t col = (size_t)(pct_end - s) + 3;
			graph_branch(pp, i - 1, pct, col, s + col, n - col);
		}
		return;
	}
	graph_name(pp, i, s + i, n - i);
}

/* "# Samples: 14K of event 'cpu-clock:ppp'" */
static void report_samples_line(struct profile_parser *pp, const char *s, size_t n)
{
	const char *end;
	double v = num_at(s, s + n, &end);
	const char *q;

	if (end == s)
		return;
	if (end == s + n)
		return;
	if (*end == 'K')
		v *= 1e3;
	else if (*end == 'M')
		v *= 1e6;
	else if (*end == 'G')
		v *= 1e9;
	pp->total = v;
	profile_set_total(pp->p, (uint64_t)v);
	q = memchr(s, '\'', n);
	if (q) {
		const char *e = memchr(q + 1, '\'', (size_t)(s + n - q - 1));
		if (e)
			profile_set_event(pp->p, q + 1, (size_t)(e - q - 1));
	}
}

/* "  4.76%  ksift  libc.so.6  [.] internal_fnmatch" (+ a Self column first). */
static bool report_entry_line(struct profile_parser *pp, const char *s, size_t n)
{
	const char *p = s, *e = s + n, *mark = NULL;
	const char *end;
	double pct;

	while (p < e && is_space(*p))
		p++;
	pct = num_at(p, e, &end);
	if (end == p || end >= e || *end != '%')
		return false;
	p = end + 1;
	if (pp->children_mode) {
		while (p < e && is_space(*p))
			p++;
		(void)num_at(p, e, &end);	/* Self: the graph gives more */
		if (end == p || end >= e || *end != '%')
			return false;
		p = end + 1;
	}
	for (const char *k = p; k + 3 < e; k++)
		if (k[0] == '[' && k[2] == ']' && k[3] == ' ' && is_space(k[-1])) {
			mark = k;
			break;
		}
	entry_end(pp);
	pp->entry_open = true;
	pp->graph_seen = pp->skip_graph = pp->first_name = false;
	pp->callee_order = true;
	pp->entry_pct = pct;
	strbuf_reset(&pp->entry_sym);
	strbuf_reset(&pp->entry_mod);
	strbuf_reset(&pp->comm);
	if (mark) {
		const char *sym = mark + 4, *f = p;
		size_t sl = (size_t)(e - sym), fl = (size_t)(mark - p);
		const char *fields[8];
		size_t lens[8], nf = 0;
		trim(&sym, &sl);
		strbuf_add(&pp->entry_sym, sym, sl);
		/* Fields before the mark, two or more blanks apart: comm, dso. */
		trim(&f, &fl);
		while (fl && nf < 8) {
			size_t k = 0;
			while (k < fl && !(is_space(f[k]) && k + 1 < fl && is_space(f[k + 1])))
				k++;
			fields[nf] = f;
			lens[nf++] = k;
			f += k;
			fl -= k;
			trim(&f, &fl);
		}
		if (nf >= 1) {
			const char *m;
			size_t ml;
			dso_module(fields[nf - 1], lens[nf - 1], &m, &ml);
			strbuf_add(&pp->entry_mod, m, ml);
		}
		if (nf >= 2)
			strbuf_add(&pp->comm, fields[nf - 2], lens[nf - 2]);
	} else {
		const char *sym = p;
		size_t sl = (size_t)(e - p);
		trim(&sym, &sl);
		strbuf_add(&pp->entry_sym, sym, sl);
	}
	return true;
}

static void report_line(struct profile_parser *pp, const char *s, size_t n)
{
	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (!n) {
		entry_end(pp);
		return;
	}
	if (s[0] == '#') {
		if (n > 11 && !memcmp(s, "# Samples: ", 11))
			report_samples_line(pp, s + 11, n - 11);
		else if (n > 11 && !memcmp(s, "# Children ", 11))
			pp->children_mode = true;
		else if (n > 11 && !memcmp(s, "# Overhead ", 11))
			pp->children_mode = false;
		return;
	}
	if (report_entry_line(pp, s, n))
		return;
	if (pp->entry_open)
		report_graph_line(pp, s, n);
}

/* ---- folded ---- */

static void folded_line(struct profile_parser *pp, const char *s, size_t n)
{
	size_t i = n, start = 0;
	uint64_t count = 0;

	while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (!sniff_is_folded_line(s, n))
		return;
	i = n;
	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	for (size_t k = i; k < n; k++)
		count = count > UINT64_MAX / 16 ? count : count * 10 + (uint64_t)(s[k] - '0');
	n = i - 1;		/* the blank before the count */
	pp->fb.n = 0;
	strbuf_reset(&pp->fb.text);
	for (size_t k = 0; k <= n; k++)
		if (k == n || s[k] == ';') {
			size_t len = k - start;
			/* flamegraph.pl's annotations: _[k] kernel, _[j] jit, _[i] inlined, _[w] waker */
			if (len > 4 && s[start + len - 4] == '_' && s[start + len - 3] == '[' &&
			    s[start + len - 1] == ']')
				len -= 4;
			if (len)
				fb_add(&pp->fb, s + start, len, "", 0);
			start = k + 1;
		}
	fb_flush(pp, NULL, 0, count, -1, true);
}

void profile_parser_line(struct profile_parser *pp, const char *line, size_t len)
{
	switch (pp->fmt) {
	case PROFILE_PERF_SCRIPT:
		script_line(pp, line, len);
		break;
	case PROFILE_PERF_REPORT:
		report_line(pp, line, len);
		break;
	case PROFILE_FOLDED:
		folded_line(pp, line, len);
		break;
	}
}

void profile_parser_finish(struct profile_parser *pp)
{
	if (pp->fmt == PROFILE_PERF_SCRIPT)
		script_flush(pp);
	else if (pp->fmt == PROFILE_PERF_REPORT)
		entry_end(pp);
}

void profile_parser_free(struct profile_parser *pp)
{
	if (!pp)
		return;
	strbuf_release(&pp->fb.text);
	strbuf_release(&pp->comm);
	strbuf_release(&pp->entry_sym);
	strbuf_release(&pp->entry_mod);
	strbuf_release(&pp->path);
	free(pp->path_off);
	for (size_t i = 0; i < pp->seen_slots; i++)
		free(pp->seen[i]);
	free(pp->seen);
	free(pp);
}
