/*
** html_incident: one incident as an HTML section (see html.h): title, kind,
** host, task, time, where in the log, what it follows, known-bug matches
** with their evidence and links, the facts (every extra, so fields added
** later show up), a group's members and held-locks graph, the trace with
** source lines and inline chains, and, collapsed, modules, registers,
** code, the kernel messages and the whole record as JSON.
*/
#include "html.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MEMBERS_SHOWN 200
#define GRAPH_LOCKS 6
#define GRAPH_NAMES 4

static void search_text(struct strbuf *out, const struct incident *inc)
{
	strbuf_addstr(out, incident_kind_name(inc->kind));
	strbuf_addch(out, ' ');
	html_attr(out, inc->title);
	strbuf_addch(out, ' ');
	html_attr(out, inc->host);
	strbuf_addch(out, ' ');
	html_attr(out, inc->task.comm);
	for (size_t i = 0; i < inc->nr_matches; i++) {
		strbuf_addch(out, ' ');
		html_attr(out, inc->matches[i].id);
	}
	for (size_t s = 0; s < inc->nr_stacks; s++)
		for (size_t i = 0; i < inc->stacks[s].nr && i < 24; i++)
			if (inc->stacks[s].frames[i].func) {
				strbuf_addch(out, ' ');
				html_attr(out, inc->stacks[s].frames[i].func);
			}
	strbuf_addf(out, " %s", inc->hash);
}

static void frame_line(struct strbuf *out, const struct frame *f)
{
	strbuf_addf(out, "<span class=\"frame%s\">", f->reliable ? "" : " unrel");
	if (!f->reliable)
		strbuf_addstr(out, "? ");
	if (f->func) {
		html_text(out, f->func);
		if (f->has_off)
			strbuf_addf(out, "+0x%llx/0x%llx", (unsigned long long)f->off,
				    (unsigned long long)f->size);
	} else if (f->has_addr) {
		strbuf_addf(out, "0x%llx", (unsigned long long)f->addr);
	}
	if (f->module) {
		strbuf_addstr(out, " [");
		html_text(out, f->module);
		strbuf_addch(out, ']');
	}
	if (f->src) {
		strbuf_addstr(out, " <span class=\"src\">");
		html_text(out, f->src);
		strbuf_addstr(out, "</span>");
	}
	strbuf_addstr(out, "</span>\n");
	/* The inline chain, innermost first as addr2line -i prints it. */
	for (size_t i = 0; i < f->nr_inlined; i++) {
		strbuf_addstr(out, "<span class=\"inl\">inlined: ");
		html_text(out, f->inlined[i].func);
		if (f->inlined[i].src) {
			strbuf_addstr(out, " <span class=\"src\">");
			html_text(out, f->inlined[i].src);
			strbuf_addstr(out, "</span>");
		}
		strbuf_addstr(out, "</span>\n");
	}
}

static void trace(struct strbuf *out, const struct incident *inc, size_t max_frames)
{
	if (inc->has_ip && (inc->ip.func || inc->ip.has_addr)) {
		strbuf_addstr(out, "<div class=\"dim\">faulting instruction</div><pre class=\"trace\">");
		frame_line(out, &inc->ip);
		strbuf_addstr(out, "</pre>");
	}
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		strbuf_addf(out, "<div class=\"dim\">stack (%s)</div><pre class=\"trace\">",
			    stack_context_name(st->context));
		for (size_t i = 0; i < st->nr && i < max_frames; i++)
			frame_line(out, &st->frames[i]);
		if (st->nr > max_frames)
			strbuf_addf(out, "<span class=\"dim\">… %zu more frames</span>\n", st->nr - max_frames);
		strbuf_addstr(out, "</pre>");
	}
}

static void prose(struct strbuf *out, const char *label, const char *text)
{
	if (!text)
		return;
	strbuf_addf(out, "<div><b>%s:</b> <pre>", label);
	html_text(out, text);
	strbuf_addstr(out, "</pre></div>");
}

static void matches(struct strbuf *out, const struct incident *inc, bool compact)
{
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		strbuf_addstr(out, "<div class=\"match\"><b>known bug</b> <code>");
		html_text(out, m->id);
		strbuf_addstr(out, "</code> — ");
		html_text(out, m->title);
		if (m->severity) {
			strbuf_addstr(out, " <span class=\"sev sev-");
			html_attr(out, m->severity);
			strbuf_addstr(out, "\">");
			html_text(out, m->severity);
			strbuf_addstr(out, "</span>");
		}
		if (compact) {		/* the page's first incident of this bug has the rest */
			strbuf_addstr(out, "</div>\n");
			continue;
		}
		prose(out, "fix", m->fix);
		prose(out, "workaround", m->workaround);
		for (size_t l = 0; l < m->nr_links; l++) {
			strbuf_addstr(out, "<div>link: ");
			if (html_url_ok(m->links[l])) {
				strbuf_addstr(out, "<a rel=\"noopener noreferrer\" href=\"");
				html_attr(out, m->links[l]);
				strbuf_addstr(out, "\">");
				html_text(out, m->links[l]);
				strbuf_addstr(out, "</a>");
			} else {	/* not http(s): shown, never followed */
				strbuf_addstr(out, "<code>");
				html_text(out, m->links[l]);
				strbuf_addstr(out, "</code> <span class=\"dim\">(not an http(s) link)</span>");
			}
			strbuf_addstr(out, "</div>");
		}
		if (m->nr_evidence) {
			strbuf_addstr(out, "<details open><summary>why it matched</summary><table>");
			for (size_t e = 0; e < m->nr_evidence; e++) {
				strbuf_addstr(out, "<tr><th>");
				html_text(out, m->evidence[e].predicate);
				strbuf_addstr(out, "</th><td><pre>");
				html_text(out, m->evidence[e].detail);
				strbuf_addstr(out, "</pre></td></tr>");
			}
			strbuf_addstr(out, "</table></details>");
		}
		strbuf_addstr(out, "</div>\n");
	}
}

static void extras(struct strbuf *out, const struct incident *inc)
{
	if (!inc->nr_extras)
		return;
	strbuf_addstr(out, "<table class=\"extras\">");
	for (size_t i = 0; i < inc->nr_extras; i++) {
		const struct extra *e = &inc->extras[i];
		strbuf_addstr(out, "<tr><th>");
		html_text(out, e->key);
		strbuf_addstr(out, "</th><td>");
		if (e->str)
			html_text(out, e->str);
		else
			strbuf_addf(out, "%lld", e->num);
		strbuf_addstr(out, "</td></tr>");
	}
	strbuf_addstr(out, "</table>\n");
}

static void members(struct strbuf *out, const struct incident *inc)
{
	const struct extra *blocked = incident_extra(inc, "blocked_seconds");

	if (!inc->nr_members)
		return;
	strbuf_addf(out, "<details open><summary>%zu members", inc->nr_members);
	if (blocked && !blocked->str)
		strbuf_addf(out, ", blocked for more than %lld s", blocked->num);
	strbuf_addstr(out, "</summary><table class=\"members\"><tr><th>task</th><th class=\"num\">PID</th>"
		      "<th>state</th><th class=\"num\">CPU</th><th class=\"num\">line</th><th>waits for</th></tr>");
	for (size_t i = 0; i < inc->nr_members && i < MEMBERS_SHOWN; i++) {
		const struct incident_member *m = &inc->members[i];
		strbuf_addstr(out, "<tr><td>");
		html_text(out, m->comm);
		strbuf_addf(out, "</td><td class=\"num\">%lld</td><td>", m->pid);
		html_text(out, m->state);
		strbuf_addstr(out, "</td><td class=\"num\">");
		if (m->cpu >= 0)
			strbuf_addf(out, "%d", m->cpu);
		strbuf_addf(out, "</td><td class=\"num\">%lu</td><td>", m->line);
		html_text(out, m->lock);
		strbuf_addstr(out, "</td></tr>");
	}
	strbuf_addstr(out, "</table>");
	if (inc->nr_members > MEMBERS_SHOWN)
		strbuf_addf(out, "<p class=\"dim\">… %zu more (the JSON record below has all)</p>",
			    inc->nr_members - MEMBERS_SHOWN);
	strbuf_addstr(out, "</details>\n");
}

struct waited {
	const char *lock;
	struct strbuf who;		/* waiters, escaped */
	size_t nr;
};

static bool waiter(const struct incident *inc, const char *comm, long long pid)
{
	if (!inc->nr_members)
		return inc->task.pid == pid && inc->task.comm && comm && !strcmp(inc->task.comm, comm);
	for (size_t i = 0; i < inc->nr_members; i++)
		if (inc->members[i].pid == pid && inc->members[i].lock)
			return true;
	return false;
}

static void add_waiter(struct waited *w, size_t *nr, const char *lock, const char *comm,
		       long long pid)
{
	size_t i;

	for (i = 0; i < *nr && strcmp(w[i].lock, lock); i++)
		;
	if (i == *nr) {
		if (*nr == GRAPH_LOCKS)
			return;
		w[i].lock = lock;
		strbuf_init(&w[i].who, 0);
		w[i].nr = 0;
		(*nr)++;
	}
	if (w[i].nr < GRAPH_NAMES) {
		if (w[i].nr)
			strbuf_addstr(&w[i].who, ", ");
		html_text(&w[i].who, comm);
		strbuf_addf(&w[i].who, "/%lld", pid);
	} else if (w[i].nr == GRAPH_NAMES) {
		strbuf_addstr(&w[i].who, ", …");
	}
	w[i].nr++;
}

/*
 * Who waits for which lock held by whom, as lockdep's lists say: waiters on
 * the left (one box per lock, with their count), the lock in the middle,
 * its holders on the right.
 */
static void lock_graph(struct strbuf *out, const struct incident *inc, unsigned long n)
{
	struct waited w[GRAPH_LOCKS];
	size_t nr = 0, rows = 0;
	const struct extra *wf = incident_extra(inc, "waiting_for");

	if (!inc->nr_held)
		return;
	for (size_t i = 0; i < inc->nr_members; i++)
		if (inc->members[i].lock)
			add_waiter(w, &nr, inc->members[i].lock, inc->members[i].comm,
				   inc->members[i].pid);
	if (!inc->nr_members && wf && wf->str)
		add_waiter(w, &nr, wf->str, inc->task.comm, inc->task.pid);
	if (!nr)
		return;
	/* rows: per lock, max(1, holders) */
	size_t *holders = xcalloc(nr, sizeof(size_t));
	for (size_t k = 0; k < nr; k++) {
		for (size_t t = 0; t < inc->nr_held; t++) {
			const struct task_locks *tl = &inc->held[t];
			if (waiter(inc, tl->comm, tl->pid))
				continue;
			for (size_t l = 0; l < tl->nr; l++)
				if (tl->locks[l].name && !strcmp(tl->locks[l].name, w[k].lock)) {
					holders[k]++;
					break;
				}
		}
		rows += holders[k] ? holders[k] : 1;
	}
	strbuf_addf(out, "<div class=\"dim\">held locks (lockdep)</div><svg class=\"locks\" width=\"900\" height=\"%zu\" "
		    "viewBox=\"0 0 900 %zu\" role=\"img\" aria-label=\"who waits for which lock held by whom\">"
		    "<defs><marker id=\"arr-%lu\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
		    "<path d=\"M0 0L8 4L0 8z\" fill=\"#555\"/></marker></defs>\n", rows * 34 + 6, rows * 34 + 6, n);
	size_t row = 0;
	for (size_t k = 0; k < nr; k++) {
		size_t span = holders[k] ? holders[k] : 1;
		double cy = 6 + (row + span / 2.0) * 34 - 17 + 12;
		strbuf_addf(out, "<rect x=\"2\" y=\"%.0f\" width=\"290\" height=\"24\" rx=\"4\" fill=\"#fff1e6\" stroke=\"#d46b08\"/>"
			    "<text x=\"8\" y=\"%.0f\" font-size=\"11\">%zu waiting: %s</text>",
			    cy - 12, cy + 4, w[k].nr, w[k].who.buf);
		strbuf_addf(out, "<line x1=\"292\" y1=\"%.0f\" x2=\"338\" y2=\"%.0f\" stroke=\"#555\" marker-end=\"url(#arr-%lu)\"/>"
			    "<rect x=\"340\" y=\"%.0f\" width=\"220\" height=\"24\" rx=\"12\" fill=\"#f0f5ff\" stroke=\"#1d39c4\"/>"
			    "<text x=\"350\" y=\"%.0f\" font-size=\"11\">", cy, cy, n, cy - 12, cy + 4);
		html_text(out, w[k].lock);
		strbuf_addstr(out, "</text>\n");
		size_t h = 0;
		for (size_t t = 0; t < inc->nr_held; t++) {
			const struct task_locks *tl = &inc->held[t];
			const struct held_lock *hl = NULL;
			if (waiter(inc, tl->comm, tl->pid))
				continue;
			for (size_t l = 0; l < tl->nr && !hl; l++)
				if (tl->locks[l].name && !strcmp(tl->locks[l].name, w[k].lock))
					hl = &tl->locks[l];
			if (!hl)
				continue;
			double hy = 6 + (row + h) * 34 + 12;
			strbuf_addf(out, "<line x1=\"560\" y1=\"%.0f\" x2=\"598\" y2=\"%.0f\" stroke=\"#555\" marker-end=\"url(#arr-%lu)\"/>"
				    "<rect x=\"600\" y=\"%.0f\" width=\"296\" height=\"24\" rx=\"4\" fill=\"#fff0f0\" stroke=\"#cf1322\"/>"
				    "<text x=\"606\" y=\"%.0f\" font-size=\"11\">held by ", cy, hy, n, hy - 12, hy + 4);
			html_text(out, tl->comm);
			strbuf_addf(out, "/%lld", tl->pid);
			if (hl->at) {
				strbuf_addstr(out, " at ");
				html_text(out, hl->at);
			}
			strbuf_addstr(out, "</text>\n");
			h++;
		}
		if (!h)
			strbuf_addf(out, "<text x=\"600\" y=\"%.0f\" font-size=\"11\" fill=\"#888\">no holder in the list</text>",
				    cy + 4);
		row += span;
		strbuf_release(&w[k].who);
	}
	strbuf_addstr(out, "</svg>\n");
	free(holders);
}

static void facts(struct strbuf *out, const struct incident *inc)
{
	strbuf_addstr(out, "<div class=\"facts\">");
	if (inc->host) {
		strbuf_addstr(out, "<span>host <b>");
		html_text(out, inc->host);
		strbuf_addstr(out, "</b></span>");
	}
	if (inc->wall || inc->has_ktime) {
		strbuf_addstr(out, "<span>at ");
		html_text(out, inc->wall_inferred ? inc->wall_inferred : inc->wall);
		if (inc->has_ktime)
			strbuf_addf(out, " [%.6f]", inc->ktime);
		strbuf_addstr(out, "</span>");
	}
	if (inc->task.comm || inc->task.pid >= 0) {
		strbuf_addstr(out, "<span>task <b>");
		html_text(out, inc->task.comm ? inc->task.comm : "?");
		strbuf_addstr(out, "</b>");
		if (inc->task.pid >= 0)
			strbuf_addf(out, " pid %lld", inc->task.pid);
		if (inc->task.state) {
			strbuf_addstr(out, " state ");
			html_text(out, inc->task.state);
		}
		if (inc->task.cpu >= 0)
			strbuf_addf(out, " cpu %d", inc->task.cpu);
		strbuf_addstr(out, "</span>");
	}
	strbuf_addstr(out, "<span class=\"dim\">");
	html_text(out, inc->source.path);
	strbuf_addf(out, ":%lu-%lu</span>", inc->source.line, inc->source.end_line);
	if (inc->kernel.release) {
		strbuf_addstr(out, "<span>kernel ");
		html_text(out, inc->kernel.release);
		strbuf_addstr(out, "</span>");
	}
	if (inc->kernel.tainted && *inc->kernel.tainted) {
		strbuf_addstr(out, "<span>tainted ");
		html_text(out, inc->kernel.tainted);
		strbuf_addstr(out, "</span>");
	}
	strbuf_addf(out, "<span class=\"dim\">hash %s</span></div>\n", inc->hash);
}

static void collapsed(struct strbuf *out, const char *summary, const char *text)
{
	if (!text || !*text)
		return;
	strbuf_addf(out, "<details><summary>%s</summary><pre>", summary);
	html_text(out, text);
	strbuf_addstr(out, "</pre></details>\n");
}

/* The top-level keys of the JSON record that the section above draws. */
static const char *const drawn_keys[] = {
	"kind", "title", "host", "source", "time", "kernel", "task", "ip", "stacks", "modules",
	"registers", "code", "corrupted", "corrupt_reason", "hash", "extra", "members",
	"held_locks", "matches", "follows",
};

/* End of the JSON value starting at p (as json.h writes it: no blanks). */
static const char *json_value_end(const char *p, const char *end)
{
	int depth = 0;
	bool str = false;

	for (; p < end; p++) {
		if (str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				str = false;
			if (!str && !depth)
				return p + 1;
			continue;
		}
		switch (*p) {
		case '"': str = true; break;
		case '{': case '[': depth++; break;
		case '}': case ']':
			if (!depth)
				return p;	/* the end of the enclosing object */
			if (!--depth)
				return p + 1;
			break;
		case ',':
			if (!depth)
				return p;
			break;
		default: break;
		}
	}
	return end;
}

static void other_fields(struct strbuf *out, const char *json, size_t len)
{
	const char *p = json, *end = json + len;
	bool any = false;

	if (p < end && *p == '{')
		p++;
	while (p < end && *p == '"') {
		const char *key = p + 1, *kend = strchr(key, '"'), *v, *vend;
		bool drawn = false;
		if (!kend || kend + 1 >= end || kend[1] != ':')
			break;
		v = kend + 2;
		vend = json_value_end(v, end);
		for (size_t i = 0; i < sizeof(drawn_keys) / sizeof(drawn_keys[0]); i++)
			if (strlen(drawn_keys[i]) == (size_t)(kend - key) &&
			    !memcmp(drawn_keys[i], key, (size_t)(kend - key)))
				drawn = true;
		if (!drawn) {
			if (!any)
				strbuf_addstr(out, "<table class=\"other\">");
			any = true;
			strbuf_addstr(out, "<tr><th>");
			html_textn(out, key, (size_t)(kend - key));
			strbuf_addstr(out, "</th><td><code>");
			html_textn(out, v, (size_t)(vend - v));
			strbuf_addstr(out, "</code></td></tr>");
		}
		p = vend;
		if (p < end && *p == ',')
			p++;
	}
	if (any)
		strbuf_addstr(out, "</table>\n");
}

void html_incident_open(struct strbuf *out, const struct incident *inc, unsigned long n,
			unsigned long follows_n, bool compact)
{
	struct strbuf tmp = STRBUF_INIT;
	const char *sev = html_severity(inc);

	strbuf_addf(out, "<section class=\"inc k-%s\" id=\"incident-%lu\" data-filter data-n=\"%lu\" data-kind=\"%s\" data-host=\"",
		    html_kind_family(inc->kind), n, n, incident_kind_name(inc->kind));
	html_attr(out, inc->host ? inc->host : "");
	strbuf_addstr(out, "\" data-text=\"");
	search_text(out, inc);
	strbuf_addf(out, "\">\n<div class=\"inc-head\"><h3><a href=\"#incident-%lu\">#%lu</a> ", n, n);
	html_text(out, inc->title ? inc->title : "?");
	strbuf_addf(out, "</h3><span class=\"kind\">%s</span><span class=\"sev sev-%s\">%s</span></div>\n",
		    incident_kind_name(inc->kind), sev, sev);
	facts(out, inc);
	if (inc->follows.line) {
		strbuf_addstr(out, "<div class=\"follows\">follows ");
		if (follows_n)
			strbuf_addf(out, "<a href=\"#incident-%lu\">#%lu</a> ", follows_n, follows_n);
		else
			strbuf_addf(out, "line %lu ", inc->follows.line);
		html_text(out, inc->follows.title);
		strbuf_addstr(out, ": ");
		html_text(out, inc->follows.reason);
		strbuf_addstr(out, "</div>\n");
	}
	if (inc->corrupted) {
		strbuf_addstr(out, "<div class=\"follows\">report cut short or unparseable: ");
		html_text(out, inc->corrupt_reason);
		strbuf_addstr(out, "</div>\n");
	}
	matches(out, inc, compact);
	extras(out, inc);
	if (compact) {
		trace(out, inc, HTML_COMPACT_FRAMES);
		strbuf_addf(out, "<p class=\"dim\">shown in short: the page holds more than %d incidents "
			    "(<code>ksift show --id %lu</code> prints this one in full)</p>\n",
			    HTML_SHOW_FULL, n);
		strbuf_addstr(out, "<div class=\"consequences\">\n");
		return;
	}
	members(out, inc);
	lock_graph(out, inc, n);
	trace(out, inc, (size_t)-1);
	if (inc->nr_modules) {
		strbuf_addf(out, "<details><summary>%zu modules</summary><pre>", inc->nr_modules);
		for (size_t i = 0; i < inc->nr_modules; i++) {
			html_text(out, inc->modules[i]);
			strbuf_addch(out, ' ');
		}
		strbuf_addstr(out, "</pre></details>\n");
	}
	collapsed(out, "registers", inc->registers);
	collapsed(out, "code", inc->code);
	if (inc->text.len) {
		strbuf_addf(out, "<details><summary>kernel messages (%zu lines)</summary><pre>", inc->nr_lines);
		html_textn(out, inc->text.buf, inc->text.len);
		strbuf_addstr(out, "</pre></details>\n");
	}
	/* Fields of the JSON record this page does not draw (added after it
	   was written): shown as they are, so nothing recorded is hidden. */
	report_json(inc, &tmp);
	other_fields(out, tmp.buf, tmp.len);
	strbuf_release(&tmp);
	strbuf_addstr(out, "<div class=\"consequences\">\n");
}
