/*
** fleet_report: text and JSON of ksift report (see fleet_report.h).
*/
#include "fleet_report.h"
#include "html.h"
#include "json.h"
#include "textsafe.h"
#include "util.h"
#include "walltime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Text output: every string from the database through the output
   sanitizer (textsafe.h), padded to width columns when width > 0. */
static void add_safe_pad(struct strbuf *out, const char *s, size_t width)
{
	size_t at = out->len;

	if (s)
		text_escape(out, s, strlen(s), false);
	while (out->len - at < width)
		strbuf_addch(out, ' ');
}

static void add_safe(struct strbuf *out, const char *s)
{
	add_safe_pad(out, s, 0);
}

void fleet_sparkline(const struct fleet_bug *b, struct strbuf *out, size_t max_days)
{
	static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };
	double first, last;
	unsigned long peak = 1;
	size_t nr;

	if (!b->nr_days || !walltime_seconds(b->days[0].day, &first) ||
	    !walltime_seconds(b->days[b->nr_days - 1].day, &last))
		return;
	nr = (size_t)((last - first) / 86400) + 1;
	if (nr > max_days)
		first = last - (double)(max_days - 1) * 86400, nr = max_days;
	for (size_t i = 0; i < b->nr_days; i++)
		if (b->days[i].incidents > peak)
			peak = b->days[i].incidents;
	for (size_t d = 0; d < nr; d++) {
		unsigned long n = 0;
		for (size_t i = 0; i < b->nr_days; i++) {
			double t;
			if (walltime_seconds(b->days[i].day, &t) && (size_t)((t - first) / 86400 + 0.5) == d &&
			    t >= first)
				n = b->days[i].incidents;
		}
		strbuf_addstr(out, n ? blocks[(n * 7 + peak - 1) / peak > 7 ? 7 : (n * 7 + peak - 1) / peak] : " ");
	}
}

struct full_state {
	struct strbuf *out;
	char *host;
};

static void full_line(void *data, const char *host, const char *when, const char *kind,
		      const char *title, const char *bugs, const char *path, long long line)
{
	struct full_state *fs = data;

	(void)path;
	(void)line;
	if (!fs->host || strcmp(fs->host, host ? host : "")) {
		free(fs->host);
		fs->host = xstrdup(host ? host : "");
		strbuf_addstr(fs->out, "  ");
		add_safe(fs->out, *fs->host ? fs->host : "(no host)");
		strbuf_addch(fs->out, '\n');
	}
	strbuf_addstr(fs->out, "    ");
	add_safe_pad(fs->out, when, 28);
	strbuf_addch(fs->out, ' ');
	add_safe_pad(fs->out, kind, 12);
	strbuf_addch(fs->out, ' ');
	add_safe(fs->out, title);
	if (bugs) {
		strbuf_addstr(fs->out, "  [");
		add_safe(fs->out, bugs);
		strbuf_addch(fs->out, ']');
	}
	strbuf_addch(fs->out, '\n');
}

int fleet_report_text(sqlite3 *db, const struct fleet_filters *f, bool full, struct strbuf *out,
		      char *err, size_t errlen)
{
	struct fleet_report r;
	const char *host = NULL;
	size_t shown = 0, fixed = 0;

	if (fleet_read(db, f, &r, err, errlen)) {
		fleet_release(&r);
		return -1;
	}
	strbuf_addstr(out, "Known bugs (hosts, incidents, first and last seen):\n");
	for (size_t i = 0; i < r.nr_bugs; i++) {
		const struct fleet_bug *b = &r.bugs[i];
		if (!b->incidents)
			continue;
		shown++;
		strbuf_addstr(out, "  ");
		add_safe_pad(out, b->id, 36);
		strbuf_addf(out, " %4lu hosts %6lu  ", b->hosts, b->incidents);
		add_safe(out, b->first);
		strbuf_addstr(out, " .. ");
		add_safe(out, b->last);
		strbuf_addstr(out, "  ");
		add_safe(out, b->severity);
		strbuf_addch(out, '\n');
		if (b->nr_days > 1) {
			/* at most the last 60 days, up to the last one seen */
			strbuf_addstr(out, "      per day ");
			fleet_sparkline(b, out, 60);
			strbuf_addstr(out, " to ");
			add_safe(out, b->days[b->nr_days - 1].day);
			strbuf_addch(out, '\n');
		}
	}
	if (!shown)
		strbuf_addstr(out, "  (none)\n");
	/* Still matched where the fix is in: a regression, or another bug. */
	for (size_t i = 0; i < r.nr_bugs; i++) {
		const struct fleet_bug *b = &r.bugs[i];
		if (!b->fixed_incidents)
			continue;
		if (!fixed++)
			strbuf_addstr(out, "\nMatched on kernels that carry the fix (a regression, or "
				      "another bug that looks the same):\n");
		strbuf_addstr(out, "  ");
		add_safe_pad(out, b->id, 36);
		strbuf_addf(out, " %4lu hosts %6lu\n", b->fixed_hosts, b->fixed_incidents);
	}
	strbuf_addstr(out, "\nUnknown crash clusters by hosts (no known bug matched):\n");
	for (size_t i = 0; i < r.nr_clusters; i++) {
		const struct fleet_cluster *c = &r.clusters[i];
		strbuf_addstr(out, "  ");
		add_safe(out, c->hash);
		strbuf_addf(out, " %4lu hosts %6lu  ", c->hosts, c->incidents);
		add_safe(out, c->title);
		strbuf_addstr(out, "  (");
		add_safe(out, c->first);
		strbuf_addstr(out, " .. ");
		add_safe(out, c->last);
		strbuf_addstr(out, ")\n");
		if (c->ex_path) {
			strbuf_addstr(out, "      first: ");
			add_safe(out, *c->ex_host ? c->ex_host : "(no host)");
			strbuf_addch(out, ' ');
			add_safe(out, c->ex_path);
			strbuf_addf(out, ":%lu\n", c->ex_line);
		}
	}
	if (!r.nr_clusters)
		strbuf_addstr(out, "  (none)\n");
	if (full) {
		struct full_state fs = { out, NULL };
		int rc;
		strbuf_addstr(out, "\nPer host, every incident:\n");
		rc = fleet_each_incident(db, f, full_line, &fs, err, errlen);
		free(fs.host);
		fleet_release(&r);
		return rc;
	}
	strbuf_addstr(out, "\nPer host (identical incidents counted once: ×N, first .. last):\n");
	for (size_t i = 0; i < r.nr_rows; i++) {
		const struct fleet_host_row *w = &r.rows[i];
		if (!host || strcmp(host, w->host)) {
			host = w->host;
			strbuf_addstr(out, "  ");
			add_safe(out, *host ? host : "(no host)");
			strbuf_addch(out, '\n');
		}
		strbuf_addf(out, "    \xc3\x97%-5lu ", w->incidents);
		add_safe(out, w->first);
		if (w->incidents > 1 && strcmp(w->first, w->last)) {
			strbuf_addstr(out, " .. ");
			add_safe(out, w->last);
		}
		strbuf_addstr(out, "  ");
		add_safe_pad(out, w->kind, 12);
		strbuf_addch(out, ' ');
		add_safe(out, w->title);
		if (w->bug) {
			strbuf_addstr(out, "  [");
			add_safe(out, w->bug);
			strbuf_addch(out, ']');
		}
		strbuf_addch(out, '\n');
	}
	fleet_release(&r);
	return 0;
}

struct json_state {
	struct json *j;
};

static void json_line(void *data, const char *host, const char *when, const char *kind,
		      const char *title, const char *bugs, const char *path, long long line)
{
	struct json *j = ((struct json_state *)data)->j;

	json_object_begin(j, NULL);
	json_str(j, "host", host && *host ? host : NULL);
	json_str(j, "time", when ? when : "");
	json_str(j, "kind", kind ? kind : "");
	json_str(j, "title", title ? title : "");
	json_str(j, "known_bugs", bugs);
	json_str(j, "path", path ? path : "");
	json_int(j, "line", line);
	json_object_end(j);
}

int fleet_report_json(sqlite3 *db, const struct fleet_filters *f, struct strbuf *out,
		      char *err, size_t errlen)
{
	struct fleet_report r;
	struct strbuf sk = STRBUF_INIT;
	struct json j;
	struct json_state js = { &j };
	int rc;

	if (fleet_read(db, f, &r, err, errlen)) {
		fleet_release(&r);
		return -1;
	}
	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_array_begin(&j, "known_bugs");
	for (size_t i = 0; i < r.nr_bugs; i++) {
		const struct fleet_bug *b = &r.bugs[i];
		json_object_begin(&j, NULL);
		json_str(&j, "id", b->id);
		json_int(&j, "hosts", (long long)b->hosts);
		json_int(&j, "incidents", (long long)b->incidents);
		json_str(&j, "first_seen", b->first);
		json_str(&j, "last_seen", b->last);
		json_str(&j, "severity", b->severity ? b->severity : "");
		json_int(&j, "fixed_hosts", (long long)b->fixed_hosts);
		json_int(&j, "fixed_incidents", (long long)b->fixed_incidents);
		json_array_begin(&j, "per_day");
		for (size_t d = 0; d < b->nr_days; d++) {
			json_object_begin(&j, NULL);
			json_str(&j, "day", b->days[d].day);
			json_int(&j, "incidents", (long long)b->days[d].incidents);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "unknown_clusters");
	for (size_t i = 0; i < r.nr_clusters; i++) {
		const struct fleet_cluster *c = &r.clusters[i];
		json_object_begin(&j, NULL);
		json_str(&j, "hash", c->hash);
		json_str(&j, "title", c->title);
		json_str(&j, "kind", c->kind);
		json_int(&j, "hosts", (long long)c->hosts);
		json_int(&j, "incidents", (long long)c->incidents);
		json_str(&j, "first_seen", c->first);
		json_str(&j, "last_seen", c->last);
		json_object_begin(&j, "example");
		json_str(&j, "host", c->ex_host && *c->ex_host ? c->ex_host : NULL);
		json_str(&j, "path", c->ex_path);
		json_int(&j, "line", (long long)c->ex_line);
		json_str(&j, "time", c->ex_when);
		json_object_end(&j);
		strbuf_reset(&sk);
		fleet_signature_skeleton(c, &sk);
		json_str(&j, "signature", sk.buf);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "per_host");
	for (size_t i = 0; i < r.nr_rows; i++) {
		const struct fleet_host_row *w = &r.rows[i];
		json_object_begin(&j, NULL);
		json_str(&j, "host", *w->host ? w->host : NULL);
		json_str(&j, "kind", w->kind);
		json_str(&j, "title", w->title);
		json_str(&j, "hash", w->hash);
		json_str(&j, "known_bug", w->bug);
		json_int(&j, "incidents", (long long)w->incidents);
		json_str(&j, "first_seen", w->first);
		json_str(&j, "last_seen", w->last);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_array_begin(&j, "timeline");
	rc = fleet_each_incident(db, f, json_line, &js, err, errlen);
	json_array_end(&j);
	json_object_end(&j);
	strbuf_addch(out, '\n');
	strbuf_release(&sk);
	fleet_release(&r);
	return rc;
}

int fleet_report_html(sqlite3 *db, const struct fleet_filters *f, struct strbuf *out,
		      char *err, size_t errlen)
{
	struct fleet_report r;

	if (fleet_read(db, f, &r, err, errlen)) {
		fleet_release(&r);
		return -1;
	}
	html_fleet_write(&r, out);
	fleet_release(&r);
	return 0;
}
