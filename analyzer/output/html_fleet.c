/*
** html_fleet: the fleet page of ksift report --html (see html.h): known
** bugs with hosts, incidents, first/last seen and a per-day series; a
** hosts × bugs matrix of the top bugs; unknown clusters ranked by hosts
** with their example and a signature skeleton to copy; per host, one row
** per cluster. Its size follows what is shown, not the incidents: long
** lists are cut at a stated limit (the JSON report has everything).
*/
#include "fleet_report.h"
#include "html.h"
#include "util.h"
#include "walltime.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MATRIX_BUGS 12
#define MATRIX_HOSTS 60
#define CLUSTERS_SHOWN 200
#define ROWS_PER_HOST 100
#define HOSTS_OPEN 10		/* the first hosts' tables start open */
#define SPARK_DAYS 90

/* The fleet's span of days, shared by every bug's series so they line up:
   the last day any bug was seen, and up to SPARK_DAYS before it. */
static bool spark_range(const struct fleet_report *r, double *first, double *last)
{
	bool any = false;
	double lo = 0, hi = 0, t;

	for (size_t i = 0; i < r->nr_bugs; i++)
		for (size_t d = 0; d < r->bugs[i].nr_days; d++)
			if (walltime_seconds(r->bugs[i].days[d].day, &t)) {
				lo = any && lo < t ? lo : t;
				hi = any && hi > t ? hi : t;
				any = true;
			}
	if (hi - lo > (SPARK_DAYS - 1) * 86400.0)
		lo = hi - (SPARK_DAYS - 1) * 86400.0;
	*first = lo;
	*last = hi;
	return any;
}

/* Incidents per day as bars over the fleet's span (spark_range). */
static void spark(struct strbuf *out, const struct fleet_bug *b, double first, double last)
{
	double t;
	unsigned long peak = 1;
	size_t nr = (size_t)((last - first) / 86400 + 0.5) + 1;

	for (size_t i = 0; i < b->nr_days; i++)
		if (b->days[i].incidents > peak)
			peak = b->days[i].incidents;
	strbuf_addf(out, "<svg class=\"spark\" width=\"%zu\" height=\"22\" role=\"img\" aria-label=\"incidents per day\">",
		    nr * 4 + 2);
	for (size_t i = 0; i < b->nr_days; i++) {
		if (!walltime_seconds(b->days[i].day, &t) || t < first)
			continue;
		size_t d = (size_t)((t - first) / 86400 + 0.5);
		double h = 2 + 18.0 * (double)b->days[i].incidents / (double)peak;
		strbuf_addf(out, "<rect x=\"%zu\" y=\"%.1f\" width=\"3\" height=\"%.1f\"><title>%s: %lu</title></rect>",
			    d * 4 + 1, 21 - h, h, b->days[i].day, b->days[i].incidents);
	}
	strbuf_addstr(out, "</svg>");
}

static void sev_badge(struct strbuf *out, const char *sev)
{
	static const char *const known[] = { "low", "medium", "high", "critical" };

	if (!sev || !*sev)
		return;
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(sev, known[i])) {
			strbuf_addf(out, "<span class=\"sev sev-%s\">%s</span>", known[i], known[i]);
			return;
		}
	html_text(out, sev);
}

static void bugs_table(struct strbuf *out, const struct fleet_report *r)
{
	double first = 0, last = 0;
	bool days = spark_range(r, &first, &last);
	char from[16] = "", to[16] = "";

	if (days) {
		time_t a = (time_t)first, b = (time_t)last;
		struct tm tm;
		strftime(from, sizeof(from), "%Y-%m-%d", gmtime_r(&a, &tm));
		strftime(to, sizeof(to), "%Y-%m-%d", gmtime_r(&b, &tm));
	}
	strbuf_addstr(out, "<h2>Known bugs</h2>\n");
	if (!r->nr_bugs) {
		strbuf_addstr(out, "<p>None matched.</p>\n");
		return;
	}
	strbuf_addstr(out, "<table class=\"bugs\"><tr><th>bug</th><th>severity</th><th class=\"num\">hosts</th>"
		      "<th class=\"num\">incidents</th><th>first seen</th><th>last seen</th>");
	strbuf_addf(out, "<th>per day, %s to %s</th></tr>\n", from, to);
	for (size_t i = 0; i < r->nr_bugs; i++) {
		const struct fleet_bug *b = &r->bugs[i];
		strbuf_addstr(out, "<tr><td><code>");
		html_text(out, b->id);
		strbuf_addstr(out, "</code></td><td>");
		sev_badge(out, b->severity);
		strbuf_addf(out, "</td><td class=\"num\">%lu</td><td class=\"num\">%lu", b->hosts,
			    b->incidents);
		/* matched where the fix is in: a regression, or another bug */
		if (b->fixed_incidents)
			strbuf_addf(out, " <span class=\"fixed\" title=\"on kernels that carry the fix: "
				    "a regression, or another bug that looks the same\">+%lu on fixed "
				    "kernels</span>", b->fixed_incidents);
		strbuf_addstr(out, "</td><td>");
		html_text(out, b->first);
		strbuf_addstr(out, "</td><td>");
		html_text(out, b->last);
		strbuf_addstr(out, "</td><td>");
		if (days)
			spark(out, b, first, last);
		strbuf_addstr(out, "</td></tr>\n");
	}
	strbuf_addstr(out, "</table>\n");
}

/* Hosts × the top bugs: how many incidents of each bug each host had. */
static void matrix(struct strbuf *out, const struct fleet_report *r)
{
	size_t nb = r->nr_bugs < MATRIX_BUGS ? r->nr_bugs : MATRIX_BUGS, shown = 0, more = 0;

	if (!nb)
		return;
	strbuf_addf(out, "<h2>Hosts × top %zu bugs</h2>\n<div class=\"timeline\"><table class=\"matrix\"><tr><th>host</th>", nb);
	for (size_t b = 0; b < nb; b++) {
		strbuf_addstr(out, "<th><code>");
		html_text(out, r->bugs[b].id);
		strbuf_addstr(out, "</code></th>");
	}
	strbuf_addstr(out, "</tr>\n");
	for (size_t i = 0; i < r->nr_rows;) {
		const char *host = r->rows[i].host;
		unsigned long n[MATRIX_BUGS] = { 0 };
		bool any = false;
		size_t j;
		for (j = i; j < r->nr_rows && !strcmp(r->rows[j].host, host); j++)
			for (size_t b = 0; b < nb; b++)
				if (r->rows[j].bug && !strcmp(r->rows[j].bug, r->bugs[b].id)) {
					n[b] += r->rows[j].incidents;
					any = true;
				}
		i = j;
		if (!any)
			continue;
		if (shown == MATRIX_HOSTS) {
			more++;
			continue;
		}
		shown++;
		strbuf_addstr(out, "<tr><th>");
		html_text(out, *host ? host : "(no host)");
		strbuf_addstr(out, "</th>");
		for (size_t b = 0; b < nb; b++)
			if (n[b])
				strbuf_addf(out, "<td class=\"hit\">%lu</td>", n[b]);
			else
				strbuf_addstr(out, "<td></td>");
		strbuf_addstr(out, "</tr>\n");
	}
	strbuf_addstr(out, "</table></div>\n");
	if (more)
		strbuf_addf(out, "<p class=\"dim\">… and %zu more hosts with known bugs (per host below).</p>\n", more);
}

static void clusters(struct strbuf *out, const struct fleet_report *r)
{
	struct strbuf sk = STRBUF_INIT;
	unsigned long rest = 0;

	strbuf_addstr(out, "<h2>Unknown crash clusters, by hosts</h2>\n");
	if (!r->nr_clusters) {
		strbuf_addstr(out, "<p>None: every crash matched a known bug.</p>\n");
		return;
	}
	for (size_t i = 0; i < r->nr_clusters; i++) {
		const struct fleet_cluster *c = &r->clusters[i];
		if (i >= CLUSTERS_SHOWN) {
			rest += c->incidents;
			continue;
		}
		strbuf_addf(out, "<section class=\"inc k-%s\" id=\"cluster-%zu\" data-filter data-kind=\"",
			    html_kind_family(incident_kind_from_name(c->kind)), i + 1);
		html_attr(out, c->kind);
		strbuf_addstr(out, "\" data-host=\"");
		html_attr(out, c->ex_host);
		strbuf_addstr(out, "\" data-text=\"");
		html_attr(out, c->title);
		strbuf_addch(out, ' ');
		html_attr(out, c->hash);
		strbuf_addf(out, "\"><div class=\"inc-head\"><h3>%lu hosts · %lu incidents — ", c->hosts, c->incidents);
		html_text(out, c->title);
		strbuf_addstr(out, "</h3><span class=\"kind\">");
		html_text(out, c->kind);
		strbuf_addstr(out, "</span></div><div class=\"facts\"><span class=\"dim\">hash ");
		html_text(out, c->hash);
		strbuf_addstr(out, "</span><span>");
		html_text(out, c->first);
		strbuf_addstr(out, " — ");
		html_text(out, c->last);
		strbuf_addstr(out, "</span>");
		if (c->ex_path) {
			strbuf_addstr(out, "<span>first on <b>");
			html_text(out, *c->ex_host ? c->ex_host : "(no host)");
			strbuf_addstr(out, "</b> ");
			html_text(out, c->ex_path);
			strbuf_addf(out, ":%lu</span>", c->ex_line);
		}
		strbuf_addf(out, "</div><details><summary>signature skeleton (ksift db add)</summary>"
			    "<pre id=\"sig-%zu\">", i + 1);
		strbuf_reset(&sk);
		fleet_signature_skeleton(c, &sk);
		html_text(out, sk.buf);
		strbuf_addf(out, "</pre></details><button type=\"button\" data-copy=\"sig-%zu\" hidden>"
			    "copy signature skeleton</button></section>\n", i + 1);
	}
	if (r->nr_clusters > CLUSTERS_SHOWN)
		strbuf_addf(out, "<p class=\"dim\">… %zu more clusters with %lu incidents "
			    "(<code>ksift report --json</code> lists them all).</p>\n",
			    r->nr_clusters - CLUSTERS_SHOWN, rest);
	strbuf_release(&sk);
}

static void host_rows(struct strbuf *out, const struct fleet_report *r)
{
	size_t hosts = 0;

	strbuf_addstr(out, "<h2>Per host</h2>\n<p class=\"dim\">One row per cluster: identical incidents "
		      "counted (×N) with their first and last time.</p>\n");
	for (size_t i = 0; i < r->nr_rows;) {
		const char *host = r->rows[i].host;
		unsigned long total = 0;
		size_t j, shown = 0;
		for (j = i; j < r->nr_rows && !strcmp(r->rows[j].host, host); j++)
			total += r->rows[j].incidents;
		strbuf_addf(out, "<details class=\"host\" data-filter data-text=\"\"%s><summary>",
			    hosts++ < HOSTS_OPEN ? " open" : "");
		html_text(out, *host ? host : "(no host)");
		strbuf_addf(out, " — %lu incidents, %zu clusters</summary><table><tr><th class=\"num\">×</th>"
			    "<th>first</th><th>last</th><th>kind</th><th>title</th><th>known bug</th></tr>\n",
			    total, j - i);
		for (; i < j; i++) {
			const struct fleet_host_row *w = &r->rows[i];
			if (shown++ == ROWS_PER_HOST) {
				strbuf_addf(out, "<tr><td colspan=\"6\" class=\"dim\">… %zu more clusters</td></tr>\n",
					    j - i);
				i = j;
				break;
			}
			strbuf_addstr(out, "<tr data-filter data-kind=\"");
			html_attr(out, w->kind);
			strbuf_addstr(out, "\" data-host=\"");
			html_attr(out, w->host);
			strbuf_addstr(out, "\" data-text=\"");
			html_attr(out, w->title);
			strbuf_addch(out, ' ');
			html_attr(out, w->bug);
			strbuf_addch(out, ' ');
			html_attr(out, w->hash);
			strbuf_addf(out, "\"><td class=\"num\">%lu</td><td>", w->incidents);
			html_text(out, w->first);
			strbuf_addstr(out, "</td><td>");
			if (w->incidents > 1)
				html_text(out, w->last);
			strbuf_addstr(out, "</td><td>");
			html_text(out, w->kind);
			strbuf_addstr(out, "</td><td>");
			html_text(out, w->title);
			strbuf_addstr(out, "</td><td>");
			if (w->bug) {
				strbuf_addstr(out, "<code>");
				html_text(out, w->bug);
				strbuf_addstr(out, "</code>");
			}
			strbuf_addstr(out, "</td></tr>\n");
		}
		strbuf_addstr(out, "</table></details>\n");
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Distinct kinds or hosts of the rows, sorted (borrowed strings). */
static size_t distinct(const struct fleet_report *r, bool hosts, const char ***out)
{
	const char **v = xcalloc(r->nr_rows + 1, sizeof(char *));
	size_t n = 0;

	size_t k = 0;

	for (size_t i = 0; i < r->nr_rows; i++) {
		const char *x = hosts ? r->rows[i].host : r->rows[i].kind;
		if (*x)
			v[n++] = x;
	}
	qsort(v, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(v[i], v[k - 1]))
			v[k++] = v[i];
	n = k;
	*out = v;
	return n;
}

void html_fleet_write(const struct fleet_report *r, struct strbuf *out)
{
	const char **kinds, **hosts;
	size_t nr_kinds = distinct(r, false, &kinds), nr_hosts = distinct(r, true, &hosts);

	html_page_begin(out, "ksift fleet report");
	strbuf_addf(out, "<header class=\"top\"><h1>ksift fleet report</h1><table>"
		    "<tr><th>incidents</th><td>%lu</td></tr><tr><th>hosts</th><td>%lu</td></tr>"
		    "<tr><th>known bugs</th><td>%zu</td></tr><tr><th>unknown clusters</th><td>%zu</td></tr>",
		    r->incidents, r->hosts, r->nr_bugs, r->nr_clusters);
	if (r->incidents) {
		strbuf_addstr(out, "<tr><th>time span</th><td>");
		html_text(out, r->first);
		strbuf_addstr(out, " — ");
		html_text(out, r->last);
		strbuf_addstr(out, "</td></tr>");
	}
	strbuf_addstr(out, "</table></header>\n<main>\n");
	bugs_table(out, r);
	matrix(out, r);
	html_filter_form(out, kinds, nr_kinds, hosts, nr_hosts);
	clusters(out, r);
	host_rows(out, r);
	strbuf_addstr(out, "</main>\n");
	html_page_end(out);
	free(kinds);
	free(hosts);
}
