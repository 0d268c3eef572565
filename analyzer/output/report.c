#include "report.h"
#include "textsafe.h"
#include "json.h"
#include "release.h"
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
	if (f->has_module_off) {
		snprintf(buf, sizeof(buf), "0x%llx", (unsigned long long)f->module_off);
		json_str(j, "module_off", buf);
	}
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

static void json_incident(const struct incident *inc, struct strbuf *out, bool with_text);

static void json_rows(struct json *j, const char *key, const struct profile_row *rows,
		      size_t nr, unsigned long long total)
{
	json_array_begin(j, key);
	for (size_t i = 0; i < nr; i++) {
		const struct profile_row *r = &rows[i];
		json_object_begin(j, NULL);
		if (r->name)
			json_str(j, "name", r->name);
		if (r->module)
			json_str(j, "module", r->module);
		json_uint(j, "samples", r->samples);
		json_double(j, "share", total ? 100.0 * (double)r->samples / (double)total : 0, 2);
		if (r->nr_path) {
			json_array_begin(j, "path");
			for (size_t k = 0; k < r->nr_path; k++)
				json_str(j, NULL, r->path[k]);
			json_array_end(j);
		}
		json_object_end(j);
	}
	json_array_end(j);
}

/* "profile": the tables of a profile record (README, "JSON output"). */
static void json_profile(struct json *j, const struct profile_summary *ps)
{
	json_object_begin(j, "profile");
	json_str(j, "format", ps->format);
	json_str(j, "event", ps->event);
	json_uint(j, "samples", ps->samples);
	if (ps->duration >= 0)
		json_double(j, "duration", ps->duration, 6);
	else
		json_null(j, "duration");
	json_double(j, "threshold", ps->threshold, 2);
	json_str(j, "finding", ps->finding);
	json_str(j, "func", ps->func);
	json_uint(j, "finding_samples", ps->finding_samples);
	json_double(j, "share", ps->samples ? 100.0 * (double)ps->finding_samples /
		    (double)ps->samples : 0, 2);
	json_rows(j, "comms", ps->comms, ps->nr_comms, ps->samples);
	json_rows(j, "self", ps->self, ps->nr_self, ps->samples);
	json_rows(j, "paths", ps->paths, ps->nr_paths, ps->samples);
	json_rows(j, "contention", ps->contention, ps->nr_contention, ps->samples);
	json_object_end(j);
}

void report_json(const struct incident *inc, struct strbuf *out)
{
	json_incident(inc, out, false);
}

void report_json_record(const struct incident *inc, struct strbuf *out)
{
	json_incident(inc, out, true);
}

/* Where, when, which kernel and task: the record's context. */
static void json_context(struct json *j, const struct incident *inc)
{
	json_object_begin(j, "source");
	json_str(j, "path", inc->source.path);
	json_uint(j, "line", inc->source.line);
	json_uint(j, "end_line", inc->source.end_line);
	json_uint(j, "offset", inc->source.offset);
	json_object_end(j);

	json_object_begin(j, "time");
	if (inc->has_ktime)
		json_double(j, "kernel", inc->ktime, 6);
	else
		json_null(j, "kernel");
	json_str(j, "wall", inc->wall);
	if (inc->wall_inferred)
		json_str(j, "wall_inferred", inc->wall_inferred);
	json_object_end(j);

	json_object_begin(j, "kernel");
	json_str(j, "release", inc->kernel.release);
	json_str(j, "build", inc->kernel.build);
	{
		struct release_stream rs;
		bool known = release_identify(inc->kernel.release, inc->kernel.build, &rs);
		json_str(j, "stream", known ? rs.name : NULL);
		json_str(j, "stream_version", known && rs.version[0] ? rs.version : NULL);
	}
	json_str(j, "tainted", inc->kernel.tainted);
	json_str(j, "hardware", inc->kernel.hardware);
	json_str(j, "hypervisor", inc->kernel.hypervisor);
	json_str(j, "arch", inc->kernel.arch);
	json_object_end(j);

	json_object_begin(j, "task");
	json_str(j, "comm", inc->task.comm);
	if (inc->task.pid >= 0)
		json_int(j, "pid", inc->task.pid);
	else
		json_null(j, "pid");
	if (inc->task.cpu >= 0)
		json_int(j, "cpu", inc->task.cpu);
	else
		json_null(j, "cpu");
	json_str(j, "state", inc->task.state);
	json_object_end(j);
}

static void json_stacks(struct json *j, const struct incident *inc)
{
	json_array_begin(j, "stacks");
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		json_object_begin(j, NULL);
		json_str(j, "context", stack_context_name(st->context));
		if (st->context == STACK_THREAD) {
			json_int(j, "tid", st->tid);
			json_bool(j, "crashed", st->crashed);
			json_str(j, "stopped", st->stopped);
		}
		json_array_begin(j, "frames");
		for (size_t i = 0; i < st->nr; i++)
			json_frame(j, NULL, &st->frames[i]);
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

/* A group's members and lockdep's held-locks lists. */
static void json_groups(struct json *j, const struct incident *inc)
{
	if (inc->nr_members) {
		json_array_begin(j, "members");
		for (size_t i = 0; i < inc->nr_members; i++) {
			const struct incident_member *m = &inc->members[i];
			json_object_begin(j, NULL);
			json_str(j, "comm", m->comm);
			json_int(j, "pid", m->pid);
			json_str(j, "state", m->state);
			if (m->cpu >= 0)
				json_int(j, "cpu", m->cpu);
			json_uint(j, "line", m->line);
			if (m->lock)
				json_str(j, "lock", m->lock);
			json_object_end(j);
		}
		json_array_end(j);
	}
	if (inc->nr_held) {
		json_array_begin(j, "held_locks");
		for (size_t i = 0; i < inc->nr_held; i++) {
			const struct task_locks *tl = &inc->held[i];
			json_object_begin(j, NULL);
			json_str(j, "comm", tl->comm);
			json_int(j, "pid", tl->pid);
			json_array_begin(j, "locks");
			for (size_t k = 0; k < tl->nr; k++) {
				json_object_begin(j, NULL);
				json_str(j, "name", tl->locks[k].name);
				json_str(j, "addr", tl->locks[k].addr);
				json_str(j, "at", tl->locks[k].at);
				json_object_end(j);
			}
			json_array_end(j);
			json_object_end(j);
		}
		json_array_end(j);
	}
}

static void json_matches(struct json *j, const struct incident *inc)
{
	json_array_begin(j, "matches");
	for (size_t i = 0; i < inc->nr_matches; i++) {
		const struct match *m = &inc->matches[i];
		json_object_begin(j, NULL);
		json_str(j, "id", m->id);
		json_str(j, "title", m->title);
		json_str(j, "severity", m->severity);
		json_str(j, "fix", m->fix);
		json_str(j, "workaround", m->workaround);
		json_str(j, "fix_status", m->fix_status);
		json_str(j, "fix_detail", m->fix_detail);
		json_str(j, "status", m->status);
		json_str(j, "superseded_by", m->superseded_by);
		json_str(j, "duplicate_of", m->duplicate_of);
		json_str(j, "owner", m->owner);
		json_array_begin(j, "cve");
		for (size_t k = 0; k < m->nr_cves; k++)
			json_str(j, NULL, m->cves[k]);
		json_array_end(j);
		json_array_begin(j, "links");
		for (size_t k = 0; k < m->nr_links; k++)
			json_str(j, NULL, m->links[k]);
		json_array_end(j);
		json_array_begin(j, "evidence");
		for (size_t e = 0; e < m->nr_evidence; e++) {
			json_object_begin(j, NULL);
			json_str(j, "predicate", m->evidence[e].predicate);
			json_str(j, "detail", m->evidence[e].detail);
			json_object_end(j);
		}
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
}

static void json_incident(const struct incident *inc, struct strbuf *out, bool with_text)
{
	struct json j;

	json_init(&j, out);
	json_object_begin(&j, NULL);
	json_str(&j, "kind", incident_kind_name(inc->kind));
	json_str(&j, "title", inc->title);
	json_str(&j, "host", inc->host);

	json_context(&j, inc);

	if (inc->has_ip)
		json_frame(&j, "ip", &inc->ip);
	else
		json_null(&j, "ip");

	json_stacks(&j, inc);

	json_array_begin(&j, "modules");
	for (size_t i = 0; i < inc->nr_modules; i++)
		json_str(&j, NULL, inc->modules[i]);
	json_array_end(&j);

	json_str(&j, "registers", inc->registers);
	json_str(&j, "code", inc->code);
	json_bool(&j, "corrupted", inc->corrupted);
	json_str(&j, "corrupt_reason", inc->corrupt_reason);
	json_str(&j, "hash", inc->hash);
	if (inc->follows.line) {
		json_object_begin(&j, "follows");
		json_uint(&j, "line", inc->follows.line);
		json_str(&j, "title", inc->follows.title);
		json_str(&j, "rule", inc->follows.rule);
		json_str(&j, "reason", inc->follows.reason);
		json_object_end(&j);
	} else {
		json_null(&j, "follows");
	}

	json_object_begin(&j, "extra");
	for (size_t i = 0; i < inc->nr_extras; i++) {
		if (inc->extras[i].str)
			json_str(&j, inc->extras[i].key, inc->extras[i].str);
		else
			json_int(&j, inc->extras[i].key, inc->extras[i].num);
	}
	json_object_end(&j);

	json_groups(&j, inc);

	if (inc->profile)
		json_profile(&j, inc->profile);

	json_matches(&j, inc);
	if (with_text)
		json_strn(&j, "text", inc->text.buf, inc->text.len);
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
	if (f->module && f->has_module_off) {	/* userspace: where in the file */
		strbuf_addstr(out, " [");
		add_safe(out, f->module);
		strbuf_addf(out, " +0x%llx]", (unsigned long long)f->module_off);
	} else if (f->module) {
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

/* One line: "    label: value" with prose indented under it. */
static void text_field(struct strbuf *out, const char *label, const char *value)
{
	if (!value)
		return;
	strbuf_addf(out, "    %s: ", label);
	add_prose(out, value, "      ");
	strbuf_addch(out, '\n');
}

static void text_list(struct strbuf *out, const char *label, char *const *v, size_t n)
{
	if (!n)
		return;
	strbuf_addf(out, "    %s:", label);
	for (size_t k = 0; k < n; k++) {
		strbuf_addch(out, ' ');
		add_safe(out, v[k]);
	}
	strbuf_addch(out, '\n');
}

/*
 * A known-bug match. On a kernel that carries the fix (or predates the bug)
 * it is still shown, as what it is: this looks like the bug, so it is a
 * regression or another bug that looks the same.
 */
void report_text_match(struct strbuf *out, const struct match *m, const char *bold,
		       const char *reset)
{
	bool fixed = m->fix_status && !strcmp(m->fix_status, "fixed");
	bool before = m->fix_status && !strcmp(m->fix_status, "unaffected");

	strbuf_addf(out, "  %s%s:%s ", bold, fixed || before ? "looks like known bug" :
		    "known bug", reset);
	add_safe(out, m->id);
	strbuf_addstr(out, " — ");
	add_safe(out, m->title);
	strbuf_addch(out, '\n');
	text_field(out, "severity", m->severity);
	if (m->fix_status) {
		strbuf_addstr(out, "    fix status: ");
		add_safe(out, m->fix_status);
		if (fixed) {
			strbuf_addstr(out, " — matches ");
			add_safe(out, m->id);
			strbuf_addstr(out, ", but this kernel carries its fix: a regression, or "
				      "another bug");
		} else if (before) {
			strbuf_addstr(out, " — matches ");
			add_safe(out, m->id);
			strbuf_addstr(out, ", but this kernel predates the bug: another bug");
		}
		if (m->fix_detail && *m->fix_detail) {
			strbuf_addstr(out, " (");
			add_safe(out, m->fix_detail);
			strbuf_addch(out, ')');
		}
		strbuf_addch(out, '\n');
	}
	for (size_t e = 0; e < m->nr_evidence; e++) {
		strbuf_addstr(out, "    evidence: ");
		add_safe(out, m->evidence[e].predicate);
		strbuf_addstr(out, ": ");
		add_prose(out, m->evidence[e].detail, "      ");
		strbuf_addch(out, '\n');
	}
	text_field(out, "fix", m->fix);
	text_field(out, "workaround", m->workaround);
	text_field(out, "status", m->status);
	text_field(out, "same bug as", m->duplicate_of);
	text_field(out, "superseded by", m->superseded_by);
	text_field(out, "owner", m->owner);
	text_list(out, "cve", m->cves, m->nr_cves);
	text_list(out, "links", m->links, m->nr_links);
}

/* A call path, outermost first, as "a → b → c" (long ones keep both ends). */
static void text_path(struct strbuf *out, char *const *path, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		if (n > 12 && k == 4) {
			strbuf_addf(out, " → … %zu more", n - 10);
			k = n - 7;
			continue;
		}
		strbuf_addstr(out, k ? " → " : "");
		add_safe(out, path[k]);
	}
}

static double pct(unsigned long long part, unsigned long long total)
{
	return total ? 100.0 * (double)part / (double)total : 0;
}

/* "label name N%, name N%" for the first rows of a profile table. */
static void text_shares(struct strbuf *out, const char *label, const struct profile_row *rows,
			size_t nr, size_t max, unsigned long long total)
{
	if (!nr)
		return;
	strbuf_addstr(out, label);
	for (size_t i = 0; i < nr && i < max; i++) {
		strbuf_addstr(out, i ? ", " : " ");
		add_safe(out, rows[i].name);
		strbuf_addf(out, " %.1f%%", pct(rows[i].samples, total));
	}
	strbuf_addch(out, '\n');
}

/* The profile's tables: who spins where, and what else burns the CPU. */
static void text_profile(struct strbuf *out, const struct profile_summary *ps, bool full)
{
	size_t rows = full ? (size_t)-1 : 5;

	strbuf_addf(out, "  profile: %llu samples", ps->samples);
	if (ps->event) {
		strbuf_addstr(out, " of ");
		add_safe(out, ps->event);
	}
	if (ps->duration >= 0)
		strbuf_addf(out, " over %.1f s", ps->duration);
	strbuf_addstr(out, " (");
	add_safe(out, ps->format);
	strbuf_addstr(out, ")\n");
	if (ps->nr_contention) {
		strbuf_addstr(out, "  lock contention (samples spinning, by the function taking the lock):\n");
		for (size_t i = 0; i < ps->nr_contention && i < rows; i++) {
			const struct profile_row *r = &ps->contention[i];
			size_t at;
			strbuf_addf(out, "    %5.1f%%  ", pct(r->samples, ps->samples));
			at = out->len;
			add_safe(out, r->name);
			while (out->len < at + 28)
				strbuf_addch(out, ' ');
			strbuf_addch(out, ' ');
			text_path(out, r->path, r->nr_path);
			strbuf_addch(out, '\n');
		}
	}
	text_shares(out, "  top functions (self):", ps->self, ps->nr_self, rows, ps->samples);
	text_shares(out, "  by comm:", ps->comms, ps->nr_comms, rows, ps->samples);
	if (full && ps->nr_paths) {
		strbuf_addstr(out, "  top call paths:\n");
		for (size_t i = 0; i < ps->nr_paths; i++) {
			strbuf_addf(out, "    %5.1f%%  ", pct(ps->paths[i].samples, ps->samples));
			text_path(out, ps->paths[i].path, ps->paths[i].nr_path);
			strbuf_addch(out, '\n');
		}
	}
}

/* "kernel: RELEASE #BUILD (STREAM VERSION)  tainted …  on HARDWARE". */
static void text_kernel(struct strbuf *out, const struct incident *inc)
{
	if (inc->kernel.release || inc->kernel.hardware) {
		struct release_stream rs;
		strbuf_addstr(out, "  kernel: ");
		add_safe(out, inc->kernel.release ? inc->kernel.release : "?");
		if (inc->kernel.build) {
			strbuf_addstr(out, " #");
			add_safe(out, inc->kernel.build);
		}
		if (release_identify(inc->kernel.release, inc->kernel.build, &rs)) {
			strbuf_addstr(out, " (");
			add_safe(out, rs.name);
			if (rs.version[0]) {
				strbuf_addch(out, ' ');
				add_safe(out, rs.version);
			}
			strbuf_addch(out, ')');
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
}

/* A group's members and lockdep's held-locks lists, cut unless full. */
static void text_groups(struct strbuf *out, const struct incident *inc,
			const struct text_style *style)
{
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
}

/* The stacks (a core's threads after the first only when full). */
static void text_stacks(struct strbuf *out, const struct incident *inc,
			const struct text_style *style)
{
	size_t max_frames = style->full ? (size_t)-1 : 12;

	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		/* A core's other threads: in full (show) only. */
		if (st->context == STACK_THREAD && s > 0 && !style->full) {
			strbuf_addf(out, "  … %zu more threads (ksift show lists them)\n",
				    inc->nr_stacks - s);
			break;
		}
		if (st->context == STACK_THREAD)
			strbuf_addf(out, "  thread %lld%s:\n", st->tid, st->crashed ? " (crashed)" : "");
		else
			strbuf_addf(out, "  stack (%s):\n", stack_context_name(st->context));
		for (size_t i = 0; i < st->nr && i < max_frames; i++)
			text_frame(out, &st->frames[i]);
		if (st->nr > max_frames)
			strbuf_addf(out, "    … %zu more frames\n", st->nr - max_frames);
		if (st->stopped) {
			strbuf_addstr(out, "    (unwinding stopped: ");
			add_safe(out, st->stopped);
			strbuf_addstr(out, ")\n");
		}
	}
}

void report_text(const struct incident *inc, const struct text_style *style,
		 struct strbuf *out)
{
	const char *bold = style->color ? "\033[1m" : "";
	const char *red = style->color ? "\033[1;31m" : "";
	const char *dim = style->color ? "\033[2m" : "";
	const char *reset = style->color ? "\033[0m" : "";

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
	text_kernel(out, inc);
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
			add_prose(out, e->str, "    ");
		else
			strbuf_addf(out, "%lld", e->num);
		strbuf_addch(out, '\n');
	}
	text_groups(out, inc, style);
	if (inc->profile)
		text_profile(out, inc->profile, style->full);
	if (inc->follows.line) {
		strbuf_addf(out, "  %sfollows:%s line %lu, ", bold, reset, inc->follows.line);
		add_safe(out, inc->follows.title);
		strbuf_addstr(out, " (");
		add_safe(out, inc->follows.reason);
		strbuf_addstr(out, ")\n");
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
	text_stacks(out, inc, style);
	if (inc->nr_modules && style->full) {
		strbuf_addstr(out, "  modules:");
		for (size_t i = 0; i < inc->nr_modules; i++) {
			strbuf_addch(out, ' ');
			add_safe(out, inc->modules[i]);
		}
		strbuf_addch(out, '\n');
	}
	for (size_t i = 0; i < inc->nr_matches; i++)
		report_text_match(out, &inc->matches[i], bold, reset);
	strbuf_addf(out, "  %shash ", dim);
	add_safe(out, inc->hash);
	strbuf_addf(out, "%s\n\n", reset);
}
