#include "workqueue.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static const char *const dump_prefixes[] = {
	"Showing busy workqueues", "workqueue ", "pwq ", "in-flight:", "pending:",
	"inactive:", "delayed:", "pool ", "Showing backtraces of running workers",
	"task:", "Workqueue:",
};

bool workqueue_is_dump_line(const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end);
	size_t n = (size_t)(end - p);

	for (size_t i = 0; i < ARRAY_SIZE(dump_prefixes); i++)
		if (mem_starts_with(p, n, dump_prefixes[i]))
			return true;
	return false;
}

void workqueue_parse_init(struct workqueue_parse *wp)
{
	memset(wp, 0, sizeof(*wp));
	strbuf_init(&wp->in_flight, 0);
	strbuf_init(&wp->busy, 0);
}

/* "cpus=1 node=0 flags=0x0 nice=0" out of a pool or pwq line: up to the
   field that differs between them ("stuck", "active=", "hung="). */
static void pool_attrs(const char *p, const char *end, char *buf, size_t sz)
{
	const char *q = mem_find(p, (size_t)(end - p), "cpus=");
	const char *stop;

	buf[0] = 0;
	if (!q)
		return;
	stop = q;
	while (stop < end && !mem_starts_with(stop, (size_t)(end - stop), " stuck") &&
	       !mem_starts_with(stop, (size_t)(end - stop), " active=") &&
	       !mem_starts_with(stop, (size_t)(end - stop), " hung=") &&
	       !mem_starts_with(stop, (size_t)(end - stop), " workers="))
		stop++;
	snprintf(buf, sz, "%.*s", (int)(stop - q), q);
}

/* "    in-flight: 1234:bad_work_fn BAR(55), 99:other_fn" */
static void add_in_flight(struct workqueue_parse *wp, const char *p, const char *end)
{
	while ((p = mem_skip_blanks(p, end)) < end) {
		const char *item = p, *colon, *fe;
		while (p < end && *p != ',')
			p++;
		colon = memchr(item, ':', (size_t)(p - item));
		if (colon) {
			fe = colon + 1;
			while (fe < p && *fe != ' ')
				fe++;
			strbuf_addf(&wp->in_flight, "%s%s:%.*s(%.*s)", wp->in_flight.len ? ", " : "",
				    wp->cur_wq, (int)(fe - colon - 1), colon + 1,
				    (int)(colon - item), item);
			if (!wp->first_func[0])
				snprintf(wp->first_func, sizeof(wp->first_func), "%.*s",
					 (int)(fe - colon - 1), colon + 1);
		}
		if (p < end)
			p++;
	}
}

void workqueue_parse_line(struct workqueue_parse *wp, struct incident *inc,
			  const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end), *q;
	size_t n = (size_t)(end - p);
	long long v;
	char attrs[96];

	if (mem_starts_with(p, n, "BUG: workqueue lockup")) {
		pool_attrs(p, end, wp->stuck_pool, sizeof(wp->stuck_pool));
		if (wp->stuck_pool[0])
			incident_extra_str(inc, "pool", wp->stuck_pool);
		if ((q = mem_find(p, n, "stuck for ")) && parse_dec(q + 10, end, &v))
			incident_extra_num(inc, "stuck_seconds", v);
		return;
	}
	if (mem_starts_with(p, n, "workqueue ")) {
		const char *name = p + 10, *ne = name;
		while (ne < end && *ne != ':' && *ne != ' ')
			ne++;
		snprintf(wp->cur_wq, sizeof(wp->cur_wq), "%.*s", (int)(ne - name), name);
		strbuf_addf(&wp->busy, "%s%s", wp->busy.len ? ", " : "", wp->cur_wq);
		wp->cur_pwq_stuck = false;
		return;
	}
	if (mem_starts_with(p, n, "pwq ")) {
		pool_attrs(p, end, attrs, sizeof(attrs));
		wp->cur_pwq_stuck = !wp->stuck_pool[0] || !strcmp(attrs, wp->stuck_pool);
		return;
	}
	if (mem_starts_with(p, n, "in-flight:") && wp->cur_pwq_stuck) {
		add_in_flight(wp, p + 10, end);
		return;
	}
	if (mem_starts_with(p, n, "pending:") && wp->cur_pwq_stuck) {
		for (q = p + 8; q < end; q++)
			if (*q == ',')
				wp->pending++;
		wp->pending++;
		return;
	}
	if (mem_starts_with(p, n, "pool "))
		wp->cur_wq[0] = 0;
}

void workqueue_parse_finish(struct workqueue_parse *wp, struct incident *inc)
{
	if (!inc)
		goto out;
	if (wp->in_flight.len)
		incident_extra_str(inc, "in_flight", wp->in_flight.buf);
	if (wp->first_func[0])
		incident_extra_str(inc, "in_flight_func", wp->first_func);
	if (wp->pending)
		incident_extra_num(inc, "pending_works", wp->pending);
	if (wp->busy.len)
		incident_extra_str(inc, "busy_workqueues", wp->busy.buf);
	if (wp->stuck_pool[0]) {
		struct strbuf sum = STRBUF_INIT;
		const struct extra *secs = incident_extra(inc, "stuck_seconds");
		strbuf_addf(&sum, "pool %s stuck", wp->stuck_pool);
		if (secs)
			strbuf_addf(&sum, " for %llds", secs->num);
		if (wp->in_flight.len)
			strbuf_addf(&sum, " behind %s", wp->in_flight.buf);
		if (wp->pending)
			strbuf_addf(&sum, "; %lld work%s pending", wp->pending,
				    wp->pending == 1 ? "" : "s");
		incident_extra_str(inc, "summary", sum.buf);
		strbuf_release(&sum);
	}
out:
	strbuf_release(&wp->in_flight);
	strbuf_release(&wp->busy);
}
