/*
** html_timeline: the SVG timeline of a post-mortem (see html.h). Drawn here,
** not by a library: lanes per host, marks coloured by kind and shaped by
** severity, floods as bands with their count, boots as dashed ticks.
*/
#include "html.h"
#include "util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TL_WIDTH 1100.0		/* the drawing area, px */
#define TL_LEFT 150.0		/* lane labels */
#define TL_LANE 34.0
#define TL_TOP 24.0
#define BOOT_GAP 0.04		/* kernel mode: a boot's gap, as a share of the lane */

struct lane {
	const char *host;
	/* kernel mode: each boot's span and its start on the lane */
	double *span, *start;
	unsigned nr_boots;
	double total;
};

static bool same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static size_t lane_of(struct lane *lanes, size_t nr, const char *host)
{
	for (size_t i = 0; i < nr; i++)
		if (same(lanes[i].host, host))
			return i;
	return nr;
}

static void grow_boots(struct lane *l, unsigned boot)
{
	if (boot < l->nr_boots)
		return;
	l->span = xrealloc(l->span, (boot + 1) * sizeof(double));
	l->start = xrealloc(l->start, (boot + 1) * sizeof(double));
	for (unsigned b = l->nr_boots; b <= boot; b++)
		l->span[b] = l->start[b] = 0;
	l->nr_boots = boot + 1;
}

static void shape(struct strbuf *out, const char *sev, double x, double y, const char *fill)
{
	if (!strcmp(sev, "critical"))
		strbuf_addf(out, "<path d=\"M%.1f %.1fl7 7l-7 7l-7-7z\" fill=\"%s\"/>", x, y - 7, fill);
	else if (!strcmp(sev, "high"))
		strbuf_addf(out, "<path d=\"M%.1f %.1fl6 11h-12z\" fill=\"%s\"/>", x, y - 6, fill);
	else if (!strcmp(sev, "medium"))
		strbuf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"9\" height=\"9\" fill=\"%s\"/>",
			    x - 4.5, y - 4.5, fill);
	else
		strbuf_addf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4.5\" fill=\"%s\"/>", x, y, fill);
}

static void wall_label(char *buf, size_t n, double t, double range)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, n, range > 3 * 86400 ? "%Y-%m-%d" : range > 86400 ? "%m-%d %H:%M" : "%H:%M:%S", &tm);
}

/* Wall mode: ticks at round steps across [lo, hi]. */
static void wall_axis(struct strbuf *out, double lo, double hi, double y)
{
	static const double steps[] = { 1, 5, 10, 30, 60, 300, 600, 1800, 3600, 6 * 3600,
					12 * 3600, 86400, 7 * 86400, 30 * 86400, 365 * 86400 };
	double range = hi - lo, step = steps[0];
	char buf[64];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		step = steps[i];
		if (range / step <= 8)
			break;
	}
	for (double t = ceil(lo / step) * step; t <= hi; t += step) {
		double x = TL_LEFT + (t - lo) / range * TL_WIDTH;
		wall_label(buf, sizeof(buf), t, range);
		strbuf_addf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e6ea\"/>"
			    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
			    x, TL_TOP - 6, x, y, x, TL_TOP - 10, buf);
	}
}

void html_timeline(struct strbuf *out, const struct html_mark *marks, size_t nr,
		   const struct html_boot_mark *boots, size_t nr_boots, bool wall)
{
	struct lane *lanes = xcalloc(nr + nr_boots + 1, sizeof(*lanes));
	size_t nr_lanes = 0;
	double lo = INFINITY, hi = -INFINITY, height;

	/* Lanes in order of first appearance; boot spans (kernel mode). */
	for (size_t i = 0; i < nr_boots + nr; i++) {
		const char *host = i < nr_boots ? boots[i].host : marks[i - nr_boots].host;
		size_t l = lane_of(lanes, nr_lanes, host);
		if (l == nr_lanes)
			lanes[nr_lanes++].host = host;
		if (i < nr_boots) {
			grow_boots(&lanes[l], boots[i].boot);
			if (wall && boots[i].has_t) {
				lo = fmin(lo, boots[i].t);
				hi = fmax(hi, boots[i].t);
			}
			continue;
		}
		const struct html_mark *m = &marks[i - nr_boots];
		grow_boots(&lanes[l], m->boot);
		lanes[l].span[m->boot] = fmax(lanes[l].span[m->boot], fmax(m->t, m->t_end));
		lo = fmin(lo, m->t);
		hi = fmax(hi, fmax(m->t, m->t_end));
	}
	if (!wall) {
		for (size_t l = 0; l < nr_lanes; l++) {
			double sum = 0;
			for (unsigned b = 0; b < lanes[l].nr_boots; b++) {
				lanes[l].span[b] = fmax(lanes[l].span[b] * 1.02, 1.0);
				sum += lanes[l].span[b];
			}
			for (unsigned b = 0; b < lanes[l].nr_boots; b++) {
				lanes[l].start[b] = lanes[l].total;
				lanes[l].total += lanes[l].span[b] + sum * BOOT_GAP;
			}
		}
	}
	if (!(hi > lo)) {		/* one instant, or nothing: a minute around it */
		lo = isfinite(lo) ? lo - 30 : 0;
		hi = lo + 60;
	}
	height = TL_TOP + nr_lanes * TL_LANE + 8;
	strbuf_addf(out, "<div class=\"timeline\"><svg id=\"timeline\" role=\"img\" aria-label=\"timeline\" "
		    "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		    TL_LEFT + TL_WIDTH + 30, height, TL_LEFT + TL_WIDTH + 30, height);
	if (wall)
		wall_axis(out, lo, hi, height - 4);
	else
		strbuf_addf(out, "<text x=\"%.0f\" y=\"%.0f\">kernel time, each boot from 0 s "
			    "(the log gives no wall-clock year for every incident)</text>\n",
			    TL_LEFT, TL_TOP - 10);
	for (size_t l = 0; l < nr_lanes; l++) {
		double y = TL_TOP + l * TL_LANE + TL_LANE / 2;
		strbuf_addf(out, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#c9ced4\"/>",
			    TL_LEFT, y, TL_LEFT + TL_WIDTH, y);
		strbuf_addf(out, "<text x=\"4\" y=\"%.1f\">", y + 4);
		if (lanes[l].host)
			html_textn(out, lanes[l].host, strlen(lanes[l].host) > 22 ? 22 : strlen(lanes[l].host));
		else
			strbuf_addstr(out, "(no host)");
		strbuf_addstr(out, "</text>\n");
	}
	/* Boots: a dashed tick where each starts. */
	for (size_t i = 0; i < nr_boots; i++) {
		size_t l = lane_of(lanes, nr_lanes, boots[i].host);
		double y = TL_TOP + l * TL_LANE, x;
		if (wall && !boots[i].has_t)
			continue;
		x = wall ? TL_LEFT + (boots[i].t - lo) / (hi - lo) * TL_WIDTH :
		    TL_LEFT + lanes[l].start[boots[i].boot] / lanes[l].total * TL_WIDTH;
		strbuf_addf(out, "<g class=\"bootmark\"><title>");
		html_text(out, boots[i].label);
		strbuf_addf(out, "</title><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			    "stroke=\"#555\" stroke-dasharray=\"3 2\"/><text x=\"%.1f\" y=\"%.1f\">boot</text></g>\n",
			    x, y + 3, x, y + TL_LANE - 3, x + 2, y + 10);
	}
	for (size_t i = 0; i < nr; i++) {
		const struct html_mark *m = &marks[i];
		size_t l = lane_of(lanes, nr_lanes, m->host);
		double y = TL_TOP + l * TL_LANE + TL_LANE / 2, x, x2;
		const char *fill = html_kind_colour(m->kind);

		if (wall) {
			x = TL_LEFT + (m->t - lo) / (hi - lo) * TL_WIDTH;
			x2 = TL_LEFT + (fmax(m->t_end, m->t) - lo) / (hi - lo) * TL_WIDTH;
		} else {
			double base = lanes[l].start[m->boot], tot = lanes[l].total;
			x = TL_LEFT + (base + m->t) / tot * TL_WIDTH;
			x2 = TL_LEFT + (base + fmax(m->t_end, m->t)) / tot * TL_WIDTH;
		}
		strbuf_addf(out, "<a class=\"mark\" href=\"#incident-%lu\" data-n=\"%lu\"><title>#%lu ",
			    m->n, m->n, m->n);
		html_text(out, m->title);
		strbuf_addf(out, " (%s", incident_kind_name(m->kind));
		if (m->host) {
			strbuf_addstr(out, ", ");
			html_text(out, m->host);
		}
		if (m->when) {
			strbuf_addstr(out, ", ");
			html_text(out, m->when);
		}
		if (m->count > 1)
			strbuf_addf(out, ", %lu reports", m->count);
		strbuf_addstr(out, ")</title>");
		if (m->count > 1) {
			double w = fmax(x2 - x, 8);
			strbuf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"12\" rx=\"3\" "
				    "fill=\"%s\" fill-opacity=\"0.35\" stroke=\"%s\"/>"
				    "<text x=\"%.1f\" y=\"%.1f\">\xc3\x97%lu</text>",
				    x, y - 6, w, fill, fill, x, y - 8, m->count);
		} else {
			shape(out, m->severity, x, y, fill);
		}
		strbuf_addstr(out, "</a>\n");
	}
	strbuf_addstr(out, "</svg></div>\n<p id=\"tl-caption\" class=\"dim\" aria-live=\"polite\"></p>\n");
	for (size_t l = 0; l < nr_lanes; l++) {
		free(lanes[l].span);
		free(lanes[l].start);
	}
	free(lanes);
}
