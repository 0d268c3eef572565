/*
** html_show: the post-mortem page (ksift show --html): a header with the
** hosts, boots, time span, counts by kind and known bugs; the timeline;
** the filter; then per boot its incidents in time order, each boot's first
** causes leading with their consequences nested under them (follows.h).
** Sections are rendered as incidents arrive (the incident is freed then);
** only they and a small summary per incident are kept.
*/
#include "html.h"
#include "json.h"
#include "util.h"
#include "walltime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct show_item {
	char *html;			/* the section, left open */
	unsigned long n;		/* 1-based, input order */
	unsigned input;
	char *host, *title, *when, *taint;
	unsigned long line, boot_line, follows_line;
	unsigned long parent;		/* n of the incident it follows here, 0 none */
	enum incident_kind kind;
	const char *severity;		/* static */
	double wall, ktime, k_end;
	bool has_wall, has_ktime;
	unsigned long count;
	char **bugs;			/* "id\tseverity\ttitle" */
	size_t nr_bugs;
	size_t boot;			/* index into boots, set when written */
};

struct show_boot {
	unsigned input;
	char *host, *path;
	unsigned long first_line;
	char *release, *build, *hardware, *hypervisor, *cmdline, *cpu;
	bool saw_boot;
};

struct html_show {
	struct show_item *items;
	size_t nr, alloc;
	struct show_boot *boots;
	size_t nr_boots, alloc_boots;
	unsigned input;
	char **paths;
	size_t nr_paths;
};

struct html_show *html_show_new(void)
{
	return xcalloc(1, sizeof(struct html_show));
}

static char *dup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void html_show_input(struct html_show *s, const char *path)
{
	s->paths = xrealloc(s->paths, (s->nr_paths + 1) * sizeof(char *));
	s->paths[s->nr_paths++] = xstrdup(path);
	s->input = (unsigned)s->nr_paths - 1;
}

void html_show_boot(struct html_show *s, const struct boot_context *ctx)
{
	struct show_boot *b;

	ALLOC_GROW(s->boots, s->nr_boots + 1, s->alloc_boots);
	b = &s->boots[s->nr_boots++];
	memset(b, 0, sizeof(*b));
	b->input = s->input;
	b->host = dup(ctx->host);
	b->path = dup(ctx->path);
	b->first_line = ctx->first_line;
	b->release = dup(ctx->release);
	b->build = dup(ctx->build);
	b->hardware = dup(ctx->hardware);
	b->hypervisor = dup(ctx->hypervisor);
	b->cmdline = dup(ctx->cmdline);
	b->cpu = dup(ctx->cpu_model);
	b->saw_boot = ctx->saw_boot;
}

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

void html_show_incident(struct html_show *s, struct incident *inc)
{
	struct show_item *it;
	struct strbuf sb = STRBUF_INIT;
	const struct extra *e;
	const char *wall = inc->wall_inferred ? inc->wall_inferred : inc->wall;

	ALLOC_GROW(s->items, s->nr + 1, s->alloc);
	it = &s->items[s->nr];
	memset(it, 0, sizeof(*it));
	it->n = ++s->nr;
	it->input = s->input;
	it->host = dup(inc->host);
	it->title = dup(inc->title ? inc->title : "?");
	it->taint = dup(inc->kernel.tainted);
	it->line = inc->source.line;
	it->boot_line = inc->boot_line;
	it->follows_line = inc->follows.line;
	it->kind = inc->kind;
	it->severity = html_severity(inc);
	it->has_wall = walltime_seconds(wall, &it->wall);
	it->has_ktime = inc->has_ktime;
	it->ktime = it->k_end = inc->ktime;
	if ((e = incident_extra(inc, "last_time")) && e->str && inc->has_ktime)
		it->k_end = fmax(inc->ktime, atof(e->str));
	e = incident_extra(inc, "count");
	if (!e)
		e = incident_extra(inc, "events");
	it->count = e && !e->str && e->num > 1 ? (unsigned long)e->num : 1;
	if (wall || inc->has_ktime) {
		if (wall)
			strbuf_addstr(&sb, wall);
		if (inc->has_ktime)
			strbuf_addf(&sb, "%s[%.3f]", wall ? " " : "", inc->ktime);
		it->when = strbuf_detach(&sb, NULL);
	}
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		it->bugs = xrealloc(it->bugs, (it->nr_bugs + 1) * sizeof(char *));
		strbuf_addf(&sb, "%s\t%s\t%s", m->id, m->severity ? m->severity : "",
			    m->title ? m->title : "");
		it->bugs[it->nr_bugs++] = strbuf_detach(&sb, NULL);
	}
	/* What it follows: the latest earlier incident of the same input,
	   host and line (links never leave an input). */
	if (inc->follows.line)
		for (size_t j = s->nr - 1; j-- > 0;) {
			const struct show_item *o = &s->items[j];
			if (o->input != it->input)
				break;
			if (o->line == inc->follows.line && same(o->host, it->host)) {
				it->parent = o->n;
				break;
			}
		}
	html_incident_open(&sb, inc, it->n, it->parent, it->n > HTML_SHOW_FULL);
	it->html = strbuf_detach(&sb, NULL);
	incident_free(inc);
}

/* The boot an item belongs to: same input and host, the latest first line
   at or before the item's boot line. */
static size_t boot_of(const struct html_show *s, const struct show_item *it)
{
	size_t best = (size_t)-1;

	for (size_t b = 0; b < s->nr_boots; b++) {
		const struct show_boot *bt = &s->boots[b];
		if (bt->input != it->input || !same(bt->host, it->host))
			continue;
		if (bt->first_line <= (it->boot_line ? it->boot_line : it->line) &&
		    (best == (size_t)-1 || bt->first_line > s->boots[best].first_line))
			best = b;
	}
	return best;
}


#define NEST_MAX 6		/* deeper consequences are listed flat */

struct page {
	struct html_show *s;
	size_t *first_child, *next_sibling;	/* by item index, (size_t)-1: none */
	struct strbuf *out;
};

static void write_item(struct page *pg, size_t i, int depth)
{
	const size_t none = (size_t)-1;
	size_t c;

	strbuf_addstr(pg->out, pg->s->items[i].html);
	if (depth < NEST_MAX)
		for (c = pg->first_child[i]; c != none; c = pg->next_sibling[c])
			write_item(pg, c, depth + 1);
	strbuf_addstr(pg->out, "</div></section>\n");
	if (depth >= NEST_MAX)
		for (c = pg->first_child[i]; c != none; c = pg->next_sibling[c])
			write_item(pg, c, depth);
}

static void boot_header(struct strbuf *out, const struct show_boot *b, const char *taint)
{
	strbuf_addstr(out, "<div class=\"boot\"><h2>");
	html_text(out, b->host ? b->host : "(no host)");
	strbuf_addf(out, " <span class=\"dim\">— %s line %lu of ", b->saw_boot ? "boot at" : "from",
		    b->first_line);
	html_text(out, b->path);
	strbuf_addstr(out, "</span></h2><table>");
#define ROW(label, v) if (v) { strbuf_addstr(out, "<tr><th>" label "</th><td>"); html_text(out, v); \
		strbuf_addstr(out, "</td></tr>"); }
	if (b->release) {
		strbuf_addstr(out, "<tr><th>release</th><td>");
		html_text(out, b->release);
		if (b->build) {
			strbuf_addstr(out, " #");
			html_text(out, b->build);
		}
		strbuf_addstr(out, "</td></tr>");
	}
	ROW("hardware", b->hardware)
	ROW("hypervisor", b->hypervisor)
	ROW("cpu", b->cpu)
	ROW("command line", b->cmdline)
	ROW("taint (last seen)", taint && *taint ? taint : NULL)
#undef ROW
	if (!b->release && !b->hardware && !b->cmdline && !b->hypervisor)
		strbuf_addstr(out, "<tr><td class=\"dim\">the log does not show this boot's kernel</td></tr>");
	strbuf_addstr(out, "</table></div>\n");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct non-NULL strings of the items (host or kind), sorted. */
static size_t distinct(const struct html_show *s, bool hosts, const char ***out)
{
	const char **v = xcalloc(s->nr + 1, sizeof(char *));
	size_t n = 0;

	for (size_t i = 0; i < s->nr; i++) {
		const char *x = hosts ? s->items[i].host : incident_kind_name(s->items[i].kind);
		size_t j;
		if (!x)
			continue;
		for (j = 0; j < n && strcmp(v[j], x); j++)
			;
		if (j == n)
			v[n++] = x;
	}
	qsort(v, n, sizeof(char *), cmp_str);
	*out = v;
	return n;
}

static void summary(struct strbuf *out, const struct html_show *s, const char **hosts,
		    size_t nr_hosts)
{
	double lo = INFINITY, hi = -INFINITY;
	unsigned long counts[KIND__COUNT] = { 0 };
	const char *first = NULL, *last = NULL;

	for (size_t i = 0; i < s->nr; i++) {
		counts[s->items[i].kind]++;
		if (s->items[i].has_wall) {
			if (s->items[i].wall < lo) { lo = s->items[i].wall; first = s->items[i].when; }
			if (s->items[i].wall > hi) { hi = s->items[i].wall; last = s->items[i].when; }
		}
	}
	strbuf_addf(out, "<table><tr><th>incidents</th><td>%zu</td></tr><tr><th>hosts</th><td>", s->nr);
	for (size_t h = 0; h < nr_hosts; h++) {
		if (h)
			strbuf_addstr(out, ", ");
		html_text(out, hosts[h]);
	}
	if (!nr_hosts)
		strbuf_addstr(out, "(the log names none)");
	strbuf_addf(out, "</td></tr><tr><th>boots</th><td>%zu</td></tr>", s->nr_boots);
	if (first) {
		strbuf_addstr(out, "<tr><th>time span</th><td>");
		html_text(out, first);
		strbuf_addstr(out, " — ");
		html_text(out, last);
		strbuf_addstr(out, "</td></tr>");
	}
	strbuf_addstr(out, "<tr><th>by kind</th><td class=\"chips\">");
	for (int k = 0; k < KIND__COUNT; k++)
		if (counts[k])
			strbuf_addf(out, "<span class=\"k-%s\"><i class=\"sw kind\"></i>%s %lu</span>",
				    html_kind_family((enum incident_kind)k),
				    incident_kind_name((enum incident_kind)k), counts[k]);
	strbuf_addstr(out, "</td></tr></table>\n");
}

/* Known bugs found: each signature once, with its count and first incident. */
struct bug_seen {
	const char *bug;		/* "id\tseverity\ttitle", borrowed */
	size_t idlen, count;
	unsigned long first;
};

static void known_bugs(struct strbuf *out, const struct html_show *s)
{
	struct bug_seen *v = NULL;
	size_t nr = 0, alloc = 0;

	for (size_t i = 0; i < s->nr; i++)
		for (size_t b = 0; b < s->items[i].nr_bugs; b++) {
			const char *bug = s->items[i].bugs[b];
			size_t idlen = strcspn(bug, "\t"), k;
			for (k = 0; k < nr; k++)	/* few distinct bugs: a list is enough */
				if (v[k].idlen == idlen && !strncmp(v[k].bug, bug, idlen))
					break;
			if (k == nr) {
				ALLOC_GROW(v, nr + 1, alloc);
				v[nr++] = (struct bug_seen){ bug, idlen, 0, s->items[i].n };
			}
			v[k].count++;
		}
	if (!nr)
		return;
	strbuf_addstr(out, "<h2>Known bugs found</h2><table><tr><th>bug</th><th>severity</th>"
		      "<th class=\"num\">incidents</th><th>first</th></tr>");
	for (size_t k = 0; k < nr; k++) {
		const char *sev = v[k].bug + v[k].idlen + 1, *title = strchr(sev, '\t');
		strbuf_addstr(out, "<tr><td><code>");
		html_textn(out, v[k].bug, v[k].idlen);
		strbuf_addstr(out, "</code> ");
		html_text(out, title ? title + 1 : "");
		strbuf_addstr(out, "</td><td>");
		html_textn(out, sev, title ? (size_t)(title - sev) : strlen(sev));
		strbuf_addf(out, "</td><td class=\"num\">%zu</td><td><a href=\"#incident-%lu\">#%lu</a></td></tr>",
			    v[k].count, v[k].first, v[k].first);
	}
	strbuf_addstr(out, "</table>\n");
	free(v);
}

static void legend(struct strbuf *out)
{
	static const char *const sev[] = { "low", "medium", "high", "critical" };
	static const char *const shapes[] = {
		"<circle cx=\"8\" cy=\"8\" r=\"4.5\" fill=\"#666\"/>",
		"<rect x=\"3.5\" y=\"3.5\" width=\"9\" height=\"9\" fill=\"#666\"/>",
		"<path d=\"M8 2l6 11h-12z\" fill=\"#666\"/>",
		"<path d=\"M8 1l7 7l-7 7l-7-7z\" fill=\"#666\"/>",
	};

	strbuf_addstr(out, "<p class=\"dim\">shape: severity ");
	for (int i = 0; i < 4; i++)
		strbuf_addf(out, "<svg width=\"16\" height=\"16\" aria-hidden=\"true\">%s</svg> %s ",
			    shapes[i], sev[i]);
	strbuf_addstr(out, "· colour: kind · band: a flood, with its count · dashed: a boot. "
		      "Hover or focus a mark for its title; click to go to it.</p>\n");
}

/* A hostless log's lane is named by its file. */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

static void timeline(struct strbuf *out, struct html_show *s)
{
	struct html_mark *m = xcalloc(s->nr + 1, sizeof(*m));
	struct html_boot_mark *bm = xcalloc(s->nr_boots + 1, sizeof(*bm));
	unsigned *boot_rank = xcalloc(s->nr_boots + 1, sizeof(unsigned));
	char **labels = xcalloc(s->nr_boots + 1, sizeof(char *));
	bool wall = s->nr > 0;
	double prev = 0;

	for (size_t i = 0; i < s->nr; i++)
		wall &= s->items[i].has_wall;
	/* A boot's index in its host's lane: boots come per input in order. */
	for (size_t b = 0; b < s->nr_boots; b++) {
		for (size_t o = 0; o < s->nr_boots; o++)
			if (o != b && same(s->boots[o].host, s->boots[b].host) &&
			    (s->boots[b].host || s->boots[o].input == s->boots[b].input) &&
			    (s->boots[o].input < s->boots[b].input ||
			     (s->boots[o].input == s->boots[b].input &&
			      s->boots[o].first_line < s->boots[b].first_line)))
				boot_rank[b]++;
		/* A log that names no host: its lane is the input's. */
		bm[b].host = s->boots[b].host ? s->boots[b].host : base_name(s->paths[s->boots[b].input]);
		bm[b].boot = boot_rank[b];
		labels[b] = xstrdup(s->boots[b].release ? s->boots[b].release : "boot");
		bm[b].label = labels[b];
	}
	for (size_t i = 0; i < s->nr; i++) {
		struct show_item *it = &s->items[i];
		size_t b = it->boot;
		m[i].n = it->n;
		m[i].title = it->title;
		m[i].host = it->host ? it->host : base_name(s->paths[it->input]);
		m[i].when = it->when;
		m[i].kind = it->kind;
		m[i].severity = it->severity;
		m[i].count = it->count;
		m[i].boot = b == (size_t)-1 ? 0 : boot_rank[b];
		if (wall) {
			m[i].t = it->wall;
			m[i].t_end = it->wall + (it->k_end - it->ktime);
			/* the boot started ktime seconds before this */
			if (b != (size_t)-1 && it->has_ktime && (!bm[b].has_t || it->wall - it->ktime < bm[b].t)) {
				bm[b].t = it->wall - it->ktime;
				bm[b].has_t = true;
			}
		} else {
			if (i && s->items[i - 1].boot != b)
				prev = 0;
			m[i].t = it->has_ktime ? it->ktime : prev;
			m[i].t_end = it->has_ktime ? it->k_end : prev;
			prev = m[i].t;
		}
	}
	html_timeline(out, m, s->nr, bm, s->nr_boots, wall);
	for (size_t b = 0; b < s->nr_boots; b++)
		free(labels[b]);
	free(labels);
	free(boot_rank);
	free(bm);
	free(m);
}

/* The data the page's script and tests read: one entry per incident. */
static void data_block(struct strbuf *out, const struct html_show *s)
{
	struct strbuf js = STRBUF_INIT;
	struct json j;

	json_init(&j, &js);
	json_array_begin(&j, NULL);
	for (size_t i = 0; i < s->nr; i++) {
		const struct show_item *it = &s->items[i];
		json_object_begin(&j, NULL);
		json_uint(&j, "n", it->n);
		json_str(&j, "kind", incident_kind_name(it->kind));
		json_str(&j, "host", it->host);
		json_str(&j, "title", it->title);
		json_str(&j, "when", it->when);
		if (it->parent)
			json_uint(&j, "follows", it->parent);
		else
			json_null(&j, "follows");
		json_object_end(&j);
	}
	json_array_end(&j);
	html_json_script(out, "ksift-data", js.buf, js.len);
	strbuf_release(&js);
}

void html_show_write(struct html_show *s, struct strbuf *out)
{
	const size_t none = (size_t)-1;
	struct page pg = { s, xcalloc(s->nr + 1, sizeof(size_t)), xcalloc(s->nr + 1, sizeof(size_t)), out };
	size_t *last_child = xcalloc(s->nr + 1, sizeof(size_t));
	bool *boot_written = xcalloc(s->nr_boots + 1, sizeof(bool));
	const char **hosts, **kinds;
	size_t nr_hosts = distinct(s, true, &hosts), nr_kinds = distinct(s, false, &kinds);
	struct strbuf title = STRBUF_INIT;

	const char **last_taint = xcalloc(s->nr_boots + 1, sizeof(char *));

	for (size_t i = 0; i < s->nr; i++) {
		pg.first_child[i] = pg.next_sibling[i] = last_child[i] = none;
		s->items[i].boot = boot_of(s, &s->items[i]);
		if (s->items[i].boot != none && s->items[i].taint)
			last_taint[s->items[i].boot] = s->items[i].taint;
	}
	/* Children in order; a parent always comes before its children. */
	for (size_t i = 0; i < s->nr; i++) {
		size_t p = s->items[i].parent;
		if (!p)
			continue;
		p--;
		if (last_child[p] == none)
			pg.first_child[p] = i;
		else
			pg.next_sibling[last_child[p]] = i;
		last_child[p] = i;
	}
	strbuf_addstr(&title, "ksift post-mortem: ");
	if (s->nr_paths > 2)
		strbuf_addf(&title, "%zu logs", s->nr_paths);
	else
		for (size_t i = 0; i < s->nr_paths; i++)
			strbuf_addf(&title, "%s%s", i ? ", " : "", s->paths[i]);
	html_page_begin(out, title.buf);
	strbuf_addstr(out, "<header class=\"top\"><h1>");
	html_text(out, title.buf);
	strbuf_addstr(out, "</h1>");
	if (s->nr_paths > 2) {
		strbuf_addstr(out, "<details><summary>the logs</summary><pre>");
		for (size_t i = 0; i < s->nr_paths; i++) {
			html_text(out, s->paths[i]);
			strbuf_addch(out, '\n');
		}
		strbuf_addstr(out, "</pre></details>");
	}
	summary(out, s, hosts, nr_hosts);
	strbuf_addstr(out, "</header>\n<main>\n");
	known_bugs(out, s);
	strbuf_addstr(out, "<h2>Timeline</h2>\n");
	legend(out);
	timeline(out, s);
	strbuf_addstr(out, "<h2>Incidents</h2>\n<p class=\"dim\">Per boot, in time order; what an incident "
		      "most likely follows from (first cause first) holds it, nested.</p>\n");
	html_filter_form(out, kinds, nr_kinds, hosts, nr_hosts);
	if (!s->nr)
		strbuf_addstr(out, "<p>No kernel incident in the input.</p>\n");
	for (size_t i = 0; i < s->nr; i++) {
		struct show_item *it = &s->items[i];
		size_t b = it->boot;
		if (it->parent)
			continue;
		if (b != none && !boot_written[b]) {
			boot_header(out, &s->boots[b], last_taint[b]);
			boot_written[b] = true;
		}
		write_item(&pg, i, 0);
	}
	data_block(out, s);
	strbuf_addstr(out, "</main>\n");
	html_page_end(out);
	strbuf_release(&title);
	free(hosts);
	free(kinds);
	free(boot_written);
	free(last_taint);
	free(last_child);
	free(pg.first_child);
	free(pg.next_sibling);
}

void html_show_free(struct html_show *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr; i++) {
		struct show_item *it = &s->items[i];
		free(it->html);
		free(it->host);
		free(it->title);
		free(it->when);
		free(it->taint);
		for (size_t b = 0; b < it->nr_bugs; b++)
			free(it->bugs[b]);
		free(it->bugs);
	}
	free(s->items);
	for (size_t b = 0; b < s->nr_boots; b++) {
		struct show_boot *bt = &s->boots[b];
		free(bt->host);
		free(bt->path);
		free(bt->release);
		free(bt->build);
		free(bt->hardware);
		free(bt->hypervisor);
		free(bt->cmdline);
		free(bt->cpu);
	}
	free(s->boots);
	for (size_t i = 0; i < s->nr_paths; i++)
		free(s->paths[i]);
	free(s->paths);
	free(s);
}
