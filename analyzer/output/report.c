#include "report.h"
#include "textsafe.h"
#include "json.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

static void json_frame(struct json *j, const char *key, const struct frame *f)
{
	char buf[32];

	json_object_begin(j, key);
	json_str(j, "func", f->func);
	if (f->has_off) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->off);
		json_str(j, "off", buf);
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->size);
		json_str(j, "size", f->size ? buf : NULL);
	} else {
		json_null(j, "off");
		json_null(j, "size");
	}
	json_str(j, "module", f->module);
	json_str(j, "build_id", f->build_id);
	if (f->has_addr) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->addr);
		json_str(j, "addr", buf);
	} else {
		json_null(j, "addr");
	}
	json_bool(j, "reliable", f->reliable);
	if (f->src)
		json_str(j, "src", f->src);
	if (f->nr_inlined) {
		json_array_begin(j, "inlined");
		for (size_t i = 0; i < f->nr_inlined; i++) {
			json_object_begin(j, NULL);
			json_str(j, "func", f->inlined[i].func);
			json_str(j, "src", f->inlined[i].src);
			json_object_end(j);
		}
		json_array_end(j);
	}
	json_object_end(j);
}

void report_json(const struct incident *inc, struct strbuf *out)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_str(&j, "kind", incident_kind_name(inc->kind));
	json_str(&j, "title", inc->title);
	json_str(&j, "host", inc->host);

	json_object_begin(&j, "source");
	json_str(&j, "path", inc->source.path);
	json_uint(&j, "line", inc->source.line);
	json_uint(&j, "end_line", inc->source.end_line);
	json_uint(&j, "offset", inc->source.offset);
	json_object_end(&j);

	json_object_begin(&j, "time");
	if (inc->has_ktime)
		json_double(&j, "kernel", inc->ktime, 6);
	else
		json_null(&j, "kernel");
	json_str(&j, "wall", inc->wall);
	if (inc->wall_inferred)
		json_str(&j, "wall_inferred", inc->wall_inferred);
	json_object_end(&j);

	json_object_begin(&j, "kernel");
	json_str(&j, "release", inc->kernel.release);
	json_str(&j, "build", inc->kernel.build);
	json_str(&j, "tainted", inc->kernel.tainted);
	json_str(&j, "hardware", inc->kernel.hardware);
	json_str(&j, "hypervisor", inc->kernel.hypervisor);
	json_str(&j, "arch", inc->kernel.arch);
	json_object_end(&j);

	json_object_begin(&j, "task");
	json_str(&j, "comm", inc->task.comm);
	if (inc->task.pid >= 0)
		json_int(&j, "pid", inc->task.pid);
	else
		json_null(&j, "pid");
	if (inc->task.cpu >= 0)
		json_int(&j, "cpu", inc->task.cpu);
	else
		json_null(&j, "cpu");
	json_str(&j, "state", inc->task.state);
	json_object_end(&j);

	if (inc->has_ip)
		json_frame(&j, "ip", &inc->ip);
	else
		json_null(&j, "ip");

	json_array_begin(&j, "stacks");
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		json_object_begin(&j, NULL);
		json_str(&j, "context", stack_context_name(st->context));
		json_array_begin(&j, "frames");
		for (size_t i = 0; i < st->nr; i++)
			json_frame(&j, NULL, &st->frames[i]);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);

	json_array_begin(&j, "modules");
	for (size_t i = 0; i < inc->nr_modules; i++)
		json_str(&j, NULL, inc->modules[i]);
	json_array_end(&j);

	json_str(&j, "registers", inc->registers);
	json_str(&j, "code", inc->code);
	json_bool(&j, "corrupted", inc->corrupted);
	json_str(&j, "corrupt_reason", inc->corrupt_reason);
	json_str(&j, "hash", inc->hash);

	json_object_begin(&j, "extra");
	for (size_t i = 0; i < inc->nr_extras; i++) {
		if (inc->extras[i].str)
			json_str(&j, inc->extras[i].key, inc->extras[i].str);
		else
			json_int(&j, inc->extras[i].key, inc->extras[i].num);
	}
	json_object_end(&j);

	if (inc->nr_members) {
		json_array_begin(&j, "members");
		for (size_t i = 0; i < inc->nr_members; i++) {
			const struct incident_member *m = &inc->members[i];
			json_object_begin(&j, NULL);
			json_str(&j, "comm", m->comm);
			json_int(&j, "pid", m->pid);
			json_str(&j, "state", m->state);
			if (m->cpu >= 0)
				json_int(&j, "cpu", m->cpu);
			json_uint(&j, "line", m->line);
			if (m->lock)
				json_str(&j, "lock", m->lock);
			json_object_end(&j);
		}
		json_array_end(&j);
	}
	if (inc->nr_held) {
		json_array_begin(&j, "held_locks");
		for (size_t i = 0; i < inc->nr_held; i++) {
			const struct task_locks *tl = &inc->held[i];
			json_object_begin(&j, NULL);
			json_str(&j, "comm", tl->comm);
			json_int(&j, "pid", tl->pid);
			json_array_begin(&j, "locks");
			for (size_t k = 0; k < tl->nr; k++) {
				json_object_begin(&j, NULL);
				json_str(&j, "name", tl->locks[k].name);
				json_str(&j, "addr", tl->locks[k].addr);
				json_str(&j, "at", tl->locks[k].at);
				json_object_end(&j);
			}
			json_array_end(&j);
			json_object_end(&j);
		}
		json_array_end(&j);
	}

	json_array_begin(&j, "matches");
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		json_object_begin(&j, NULL);
		json_str(&j, "id", m->id);
		json_str(&j, "title", m->title);
		json_str(&j, "severity", m->severity);
		json_str(&j, "fix", m->fix);
		json_str(&j, "workaround", m->workaround);
		json_array_begin(&j, "evidence");
		for (size_t e = 0; e < m->nr_evidence; e++) {
			json_object_begin(&j, NULL);
			json_str(&j, "predicate", m->evidence[e].predicate);
			json_str(&j, "detail", m->evidence[e].detail);
			json_object_end(&j);
		}
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	strbuf_addch(out, '\n');
}

/* Text output: log content through the output sanitizer (textsafe.h). */
static void add_safe(struct strbuf *out, const char *s)
{
	if (s)
		text_escape(out, s, strlen(s), false);
}

/* Prose that may span lines: continuation lines indented under the first. */
static void add_prose(struct strbuf *out, const char *s, const char *indent)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		text_escape(out, s, n, false);
		s += n;
		if (*s == '\n') {
			strbuf_addf(out, "\n%s", indent);
			s++;
		}
	}
}

static void text_frame(struct strbuf *out, const struct frame *f)
{
	strbuf_addstr(out, "    ");
	if (!f->reliable)
		strbuf_addstr(out, "? ");
	if (f->func) {
		add_safe(out, f->func);
		if (f->has_off)
			strbuf_addf(out, "+0x%llx/0x%llx", (unsigned long long)f->off,
				    (unsigned long long)f->size);
	} else if (f->has_addr) {
		strbuf_addf(out, "0x%llx", (unsigned long long)f->addr);
	}
	if (f->module) {
		strbuf_addstr(out, " [");
		add_safe(out, f->module);
		strbuf_addch(out, ']');
	}
	if (f->src) {
		strbuf_addstr(out, " (");
		add_safe(out, f->src);
		for (size_t i = 0; i < f->nr_inlined; i++) {
			strbuf_addch(out, ' ');
			add_safe(out, f->inlined[i].src);
		}
		strbuf_addch(out, ')');
	}
	strbuf_addch(out, '\n');
}

void report_text(const struct incident *inc, const struct text_style *style,
		 struct strbuf *out)
{
	const char *bold = style->color ? "\033[1m" : "";
	const char *red = style->color ? "\033[1;31m" : "";
	const char *dim = style->color ? "\033[2m" : "";
	const char *reset = style->color ? "\033[0m" : "";
	size_t max_frames = style->full ? (size_t)-1 : 12;

	strbuf_addstr(out, bold);
	add_safe(out, inc->title ? inc->title : "?");
	strbuf_addf(out, "%s  %s[%s]%s\n", reset, dim, incident_kind_name(inc->kind), reset);
	strbuf_addstr(out, "  where:  ");
	add_safe(out, inc->source.path);
	strbuf_addf(out, ":%lu-%lu", inc->source.line, inc->source.end_line);
	if (inc->host) {
		strbuf_addstr(out, "  host ");
		add_safe(out, inc->host);
	}
	if (inc->wall) {
		strbuf_addstr(out, "  at ");
		add_safe(out, inc->wall);
	}
	if (inc->has_ktime)
		strbuf_addf(out, "  [%.6f]", inc->ktime);
	strbuf_addch(out, '\n');
	if (inc->kernel.release || inc->kernel.hardware) {
		strbuf_addstr(out, "  kernel: ");
		add_safe(out, inc->kernel.release ? inc->kernel.release : "?");
		if (inc->kernel.build) {
			strbuf_addstr(out, " #");
			add_safe(out, inc->kernel.build);
		}
		if (inc->kernel.tainted && *inc->kernel.tainted) {
			strbuf_addstr(out, "  tainted ");
			add_safe(out, inc->kernel.tainted);
		}
		if (inc->kernel.hardware) {
			strbuf_addstr(out, "  on ");
			add_safe(out, inc->kernel.hardware);
		}
		strbuf_addch(out, '\n');
	}
	if (inc->task.comm || inc->task.pid >= 0 || inc->task.cpu >= 0) {
		strbuf_addstr(out, "  task:   ");
		add_safe(out, inc->task.comm ? inc->task.comm : "?");
		if (inc->task.pid >= 0)
			strbuf_addf(out, " pid %lld", inc->task.pid);
		if (inc->task.state) {
			strbuf_addstr(out, " state ");
			add_safe(out, inc->task.state);
		}
		if (inc->task.cpu >= 0)
			strbuf_addf(out, " cpu %d", inc->task.cpu);
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < inc->nr_extras; i++) {
		const struct extra *e = &inc->extras[i];
		strbuf_addstr(out, "  ");
		add_safe(out, e->key);
		strbuf_addstr(out, ": ");
		if (e->str)
			add_safe(out, e->str);
		else
			strbuf_addf(out, "%lld", e->num);
		strbuf_addch(out, '\n');
	}
	if (inc->nr_members) {
		size_t shown = style->full ? inc->nr_members : 20;
		strbuf_addstr(out, "  members:");
		for (size_t i = 0; i < inc->nr_members && i < shown; i++) {
			const struct incident_member *m = &inc->members[i];
			strbuf_addstr(out, i ? ", " : " ");
			add_safe(out, m->comm ? m->comm : "?");
			if (m->pid >= 0)
				strbuf_addf(out, "/%lld", m->pid);
			if (m->state) {
				strbuf_addch(out, ' ');
				add_safe(out, m->state);
			}
			if (m->cpu >= 0 && inc->kind != KIND_HUNG_TASK)
				strbuf_addf(out, " cpu%d", m->cpu);
		}
		{
			/* members a flood counted without keeping (group.h) */
			const struct extra *om = incident_extra(inc, "members_omitted");
			size_t more = (inc->nr_members > shown ? inc->nr_members - shown : 0) +
				      (om && !om->str && om->num > 0 ? (size_t)om->num : 0);
			if (more)
				strbuf_addf(out, " … %zu more", more);
		}
		strbuf_addch(out, '\n');
	}
	if (inc->nr_held) {
		size_t shown = style->full ? inc->nr_held : 8;
		strbuf_addstr(out, "  held locks:\n");
		for (size_t i = 0; i < inc->nr_held && i < shown; i++) {
			const struct task_locks *tl = &inc->held[i];
			strbuf_addstr(out, "    ");
			add_safe(out, tl->comm);
			strbuf_addf(out, "/%lld:", tl->pid);
			if (!tl->nr)
				strbuf_addstr(out, " none");
			for (size_t k = 0; k < tl->nr; k++) {
				strbuf_addstr(out, k ? ", " : " ");
				add_safe(out, tl->locks[k].name ? tl->locks[k].name : "?");
				if (tl->locks[k].at) {
					strbuf_addstr(out, " at ");
					add_safe(out, tl->locks[k].at);
				}
			}
			strbuf_addch(out, '\n');
		}
		if (inc->nr_held > shown)
			strbuf_addf(out, "    … %zu more tasks\n", inc->nr_held - shown);
	}
	if (inc->corrupted) {
		strbuf_addf(out, "  %scorrupted: ", red);
		add_safe(out, inc->corrupt_reason ? inc->corrupt_reason : "?");
		strbuf_addf(out, "%s\n", reset);
	}
	if (inc->has_ip && (inc->ip.func || inc->ip.has_addr)) {
		strbuf_addstr(out, "  ip:\n");
		text_frame(out, &inc->ip);
	}
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		strbuf_addf(out, "  stack (%s):\n", stack_context_name(st->context));
		for (size_t i = 0; i < st->nr && i < max_frames; i++)
			text_frame(out, &st->frames[i]);
		if (st->nr > max_frames)
			strbuf_addf(out, "    … %zu more frames\n", st->nr - max_frames);
	}
	if (inc->nr_modules && style->full) {
		strbuf_addstr(out, "  modules:");
		for (size_t i = 0; i < inc->nr_modules; i++) {
			strbuf_addch(out, ' ');
			add_safe(out, inc->modules[i]);
		}
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		strbuf_addf(out, "  %sknown bug:%s ", bold, reset);
		add_safe(out, m->id);
		strbuf_addstr(out, " — ");
		add_safe(out, m->title);
		strbuf_addch(out, '\n');
		if (m->severity) {
			strbuf_addstr(out, "    severity: ");
			add_safe(out, m->severity);
			strbuf_addch(out, '\n');
		}
		for (size_t e = 0; e < m->nr_evidence; e++) {
			strbuf_addstr(out, "    evidence: ");
			add_safe(out, m->evidence[e].predicate);
			strbuf_addstr(out, ": ");
			add_prose(out, m->evidence[e].detail, "      ");
			strbuf_addch(out, '\n');
		}
		if (m->fix) {
			strbuf_addstr(out, "    fix: ");
			add_prose(out, m->fix, "      ");
			strbuf_addch(out, '\n');
		}
		if (m->workaround) {
			strbuf_addstr(out, "    workaround: ");
			add_prose(out, m->workaround, "      ");
			strbuf_addch(out, '\n');
		}
	}
	strbuf_addf(out, "  %shash ", dim);
	add_safe(out, inc->hash);
	strbuf_addf(out, "%s\n\n", reset);
}
