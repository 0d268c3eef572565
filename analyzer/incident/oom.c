#include "oom.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OOM: "mysqld invoked oom-killer: gfp_mask=…, order=0, oom_score_adj=0" and
   "Out of memory: Killed process 1234 (mysqld) …", "oom-kill:constraint=…" */
void parse_oom_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p;

	if ((p = mem_find(msg, len, " invoked oom-killer: "))) {
		if (!inc->task.comm)
			inc->task.comm = xmemdup_trim(msg, p);
		const char *o = mem_find(msg, len, "order=");
		long long v;
		if (o && parse_dec(o + 6, end, &v))
			incident_extra_num(inc, "order", v);
		o = mem_find(msg, len, "gfp_mask=");
		if (o) {
			const char *q = o + 9;
			while (q < end && *q != ',' && *q != ' ')
				q++;
			char *g = xmemdupz(o + 9, (size_t)(q - o - 9));
			incident_extra_str(inc, "gfp_mask", g);
			free(g);
		}
		return;
	}
	if ((p = mem_find(msg, len, "oom-kill:constraint="))) {
		const char *q = p + strlen("oom-kill:constraint=");
		const char *c = q;
		while (q < end && *q != ',')
			q++;
		char *cons = xmemdupz(c, (size_t)(q - c));
		incident_extra_str(inc, "constraint", cons);
		free(cons);
		if ((p = mem_find(msg, len, "oom_memcg="))) {
			q = p + 10;
			c = q;
			while (q < end && *q != ',')
				q++;
			char *m = xmemdupz(c, (size_t)(q - c));
			incident_extra_str(inc, "memcg", m);
			free(m);
		}
		return;
	}
	if ((p = mem_find(msg, len, "Killed process ")) || (p = mem_find(msg, len, "Kill process "))) {
		const char *o = memchr(p, '(', (size_t)(end - p));
		const char *c = o ? memchr(o, ')', (size_t)(end - o)) : NULL;
		long long pid;
		const char *num = p + (p[4] == 'e' ? 15 : 13);
		if (parse_dec(num, end, &pid))
			incident_extra_num(inc, "victim_pid", pid);
		if (o && c) {
			char *v = xmemdupz(o + 1, (size_t)(c - o - 1));
			incident_extra_str(inc, "victim", v);
			free(v);
		}
		if (mem_starts_with(msg, len, "Memory cgroup out of memory"))
			incident_extra_str(inc, "scope", "memcg");
		else if (!incident_extra(inc, "scope"))
			incident_extra_str(inc, "scope", "global");
	}
}



/* "kmalloc-256            4743520KB    4743520KB" (or the header line). */
static bool slab_table_row(struct oom_slab *t, const char *p, size_t n)
{
	const char *end = p + n, *q = p;
	long long used;
	size_t len, i;

	if (mem_starts_with(p, n, "Name ") && mem_find(p, n, "Used"))
		return true;
	while (q < end && *q != ' ')
		q++;
	len = (size_t)(q - p);
	q = mem_skip_blanks(q, end);
	if (!len || !(q = parse_dec(q, end, &used)) || end - q < 2 || q[0] != 'K' || q[1] != 'B')
		return false;
	t->total_kb += used;
	/* Keep the OOM_SLAB_TOP largest, in order. */
	for (i = t->nr; i > 0 && t->top[i - 1].used_kb < used; i--)
		if (i < OOM_SLAB_TOP)
			t->top[i] = t->top[i - 1];
	if (i < OOM_SLAB_TOP) {
		snprintf(t->top[i].name, sizeof(t->top[i].name), "%.*s",
			 (int)(len < 63 ? len : 63), p);
		t->top[i].used_kb = used;
		if (t->nr < OOM_SLAB_TOP)
			t->nr++;
	}
	return true;
}

static void slab_table_finish(struct incident *inc, const struct oom_slab *t)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < t->nr; i++)
		strbuf_addf(&sb, "%s%s %lldkB", i ? ", " : "", t->top[i].name, t->top[i].used_kb);
	incident_extra_str(inc, "unreclaimable_slab", sb.buf);
	incident_extra_num(inc, "unreclaimable_slab_kb", t->total_kb);
	if (t->total_kb > 0)
		incident_extra_num(inc, "top_slab_percent", t->top[0].used_kb * 100 / t->total_kb);
	strbuf_release(&sb);
}


bool oom_slab_line(struct oom_slab *t, struct incident *inc, const char *msg, size_t len)
{
	/* The "Unreclaimable slab info" table: a slab leak shows up as one
	   cache holding most of the kernel's memory. */
	if (mem_starts_with(msg, len, "Unreclaimable slab info:")) {
		t->in_table = true;
		return true;
	}
	if (t->in_table) {
		if (slab_table_row(t, msg, len))
			return true;
		t->in_table = false;
	}
	parse_oom_line(inc, msg, len);
	return false;
}

void oom_slab_finish(struct oom_slab *t, struct incident *inc)
{
	if (t->nr)
		slab_table_finish(inc, t);
}
