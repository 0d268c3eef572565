/*
** html: self-contained HTML pages — the post-mortem of `ksift show --html`
** and the fleet report of `ksift report --html`. One file each: inline CSS,
** inline SVG drawn here, a little plain JavaScript (filter, deep links,
** copy buttons); no request of any kind leaves the page, it opens from
** file:// and reads with JavaScript off.
**
** Safety: every string that comes from a log or a signature file goes
** through html_text()/html_attr() (HTML text and attributes, SVG included),
** html_json_script() (JSON inside <script type="application/json">, where
** '<', '>' and '&' are \u-escaped so "</script>" cannot end the block) or
** html_url() (links: http and https only, anything else is shown as text).
** Control characters show as their Unicode pictures (U+2400…), invalid
** UTF-8 as U+FFFD. A Content-Security-Policy meta tag allows nothing
** external: default-src 'none', and the one inline script and style by
** their SHA-256, computed when the page is written.
**
** The pieces: html_page.c (shell, CSS, JS, escaping), html_timeline.c (the
** SVG timeline), html_incident.c (one incident's section), html_show.c (the
** post-mortem page), html_fleet.c (the fleet page; its data comes from
** scan/fleet.h).
**
** Owns: an html_show collects rendered sections and small summaries of the
** incidents given to it (it frees each incident at once); html_show_free()
** releases it. Everything is written into the caller's strbuf.
*/
#ifndef KSIFT_HTML_H
#define KSIFT_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "fleet.h"
#include "incident.h"
#include "strbuf.h"

/* Escaping (html_page.c). s may be NULL (writes nothing). */
void html_text(struct strbuf *out, const char *s);
void html_textn(struct strbuf *out, const char *s, size_t len);
void html_attr(struct strbuf *out, const char *s);
/* true (and the URL written, attribute-escaped) only for http(s) URLs. */
bool html_url_ok(const char *url);
/* A JSON document (as json.h wrote it) made safe inside <script>. */
void html_json_script(struct strbuf *out, const char *id, const char *json, size_t len);

/* The page shell: head with CSP and CSS, then body; the end adds the script. */
void html_page_begin(struct strbuf *out, const char *title);
void html_page_end(struct strbuf *out);

/* The filter form over [data-filter] items: kinds and hosts offered. */
void html_filter_form(struct strbuf *out, const char *const *kinds, size_t nr_kinds,
		      const char *const *hosts, size_t nr_hosts);

/* Kind colours and severity shapes shared by the timeline and legends. */
const char *html_kind_colour(enum incident_kind kind);
/* The CSS class suffix of its colour: "crash", "hang", … (class k-FAMILY). */
const char *html_kind_family(enum incident_kind kind);
/* One incident's section (html_incident.c), left open: the caller nests its
   consequences and closes it with "</div></section>". follows_n: the
   number of the incident it follows on this page, 0 when not shown.
   compact: head, facts, links, matches, extras and the first frames only
   (pages with more than HTML_SHOW_FULL incidents, past the first ones). */
#define HTML_SHOW_FULL 1000
#define HTML_COMPACT_FRAMES 12
void html_incident_open(struct strbuf *out, const struct incident *inc, unsigned long n,
			unsigned long follows_n, bool compact);
/* "low", "medium", "high", "critical": the match's severity, else the kind's. */
const char *html_severity(const struct incident *inc);
const char *html_kind_severity(enum incident_kind kind);

/*
 * The timeline (html_timeline.c): one lane per host, x the time — wall
 * seconds when every mark has a wall time (wall = true), else kernel
 * seconds within each boot, boots of a lane laid side by side. A mark links
 * to #incident-N; count > 1 draws a band from t to t_end with "×count".
 * Strings are borrowed.
 */
struct html_mark {
	unsigned long n;
	const char *title, *host, *when;	/* when: the time as shown */
	double t, t_end;
	unsigned boot;			/* the lane's boot index (0, 1, …) */
	enum incident_kind kind;
	const char *severity;
	unsigned long count;
};
struct html_boot_mark {
	const char *host, *label;
	unsigned boot;
	double t;			/* wall mode: when it started, if has_t */
	bool has_t;
};
void html_timeline(struct strbuf *out, const struct html_mark *marks, size_t nr,
		   const struct html_boot_mark *boots, size_t nr_boots, bool wall);

/* The post-mortem page of ksift show --html. */
struct html_show;
struct html_show *html_show_new(void);
/* A boot of a host (borrowed for the call). */
void html_show_boot(struct html_show *s, const struct boot_context *ctx);
/* The next incident of the input, in delivery order; takes ownership. */
void html_show_incident(struct html_show *s, struct incident *inc);
/* Inputs are numbered as given; call before each input's boots/incidents. */
void html_show_input(struct html_show *s, const char *path);
void html_show_write(struct html_show *s, struct strbuf *out);
void html_show_free(struct html_show *s);

/* The fleet page of ksift report --html. */
void html_fleet_write(const struct fleet_report *f, struct strbuf *out);

#endif
