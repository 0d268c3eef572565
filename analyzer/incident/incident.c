#include "incident.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[KIND__COUNT] = {
	[KIND_NONE] = "none",
	[KIND_OOPS] = "oops",
	[KIND_GPF] = "gpf",
	[KIND_BUG] = "bug",
	[KIND_WARNING] = "warning",
	[KIND_HUNG_TASK] = "hung_task",
	[KIND_SOFT_LOCKUP] = "soft_lockup",
	[KIND_HARD_LOCKUP] = "hard_lockup",
	[KIND_RCU_STALL] = "rcu_stall",
	[KIND_PANIC] = "panic",
	[KIND_TCP_MEM] = "tcp_mem",
	[KIND_SEGFAULT] = "segfault",
	[KIND_OOM] = "oom",
	[KIND_KASAN] = "kasan",
	[KIND_KFENCE] = "kfence",
	[KIND_KMSAN] = "kmsan",
	[KIND_KCSAN] = "kcsan",
	[KIND_UBSAN] = "ubsan",
	[KIND_LOCKDEP] = "lockdep",
	[KIND_KMEMLEAK] = "kmemleak",
	[KIND_PAGE_ALLOC_FAILURE] = "page_alloc_failure",
	[KIND_MCE] = "mce",
	[KIND_IO_ERROR] = "io_error",
	[KIND_FS_ERROR] = "fs_error",
	[KIND_NETDEV] = "netdev_wait",
	[KIND_WORKQUEUE_LOCKUP] = "workqueue_lockup",
	[KIND_TRAP] = "trap",
	[KIND_SYSRQ_TASKS] = "sysrq_tasks",
	[KIND_SYSRQ_CPUS] = "sysrq_cpus",
	[KIND_SYSRQ_MEM] = "sysrq_mem",
	[KIND_CONDITION] = "condition",
	[KIND_TASK_DUMP] = "task_dump",
	[KIND_SYSRQ_LOCKS] = "sysrq_locks",
	[KIND_REBOOT] = "unexpected_reboot",
	[KIND_FUZZER_FAILURE] = "fuzzer_failure",
	[KIND_PROFILE] = "profile",
	[KIND_PROC_STACK] = "proc_stack",
	[KIND_COREDUMP] = "coredump",
};

const char *incident_kind_name(enum incident_kind kind)
{
	if ((unsigned)kind >= KIND__COUNT || !kind_names[kind])
		return "unknown";
	return kind_names[kind];
}

enum incident_kind incident_kind_from_name(const char *name)
{
	for (int k = 1; k < KIND__COUNT; k++)
		if (kind_names[k] && !strcmp(kind_names[k], name))
			return (enum incident_kind)k;
	return KIND_NONE;
}

const char *stack_context_name(enum stack_context ctx)
{
	switch (ctx) {
	case STACK_TASK: return "task";
	case STACK_IRQ: return "irq";
	case STACK_SOFTIRQ: return "softirq";
	case STACK_NMI: return "nmi";
	case STACK_EXCEPTION: return "exception";
	case STACK_ALLOC: return "alloc";
	case STACK_FREE: return "free";
	case STACK_THREAD: return "thread";
	default: return "other";
	}
}

static void rows_free(struct profile_row *rows, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(rows[i].name);
		free(rows[i].module);
		for (size_t k = 0; k < rows[i].nr_path; k++)
			free(rows[i].path[k]);
		free(rows[i].path);
	}
	free(rows);
}

void profile_summary_free(struct profile_summary *ps)
{
	if (!ps)
		return;
	free(ps->format);
	free(ps->event);
	free(ps->finding);
	free(ps->func);
	rows_free(ps->comms, ps->nr_comms);
	rows_free(ps->self, ps->nr_self);
	rows_free(ps->paths, ps->nr_paths);
	rows_free(ps->contention, ps->nr_contention);
	free(ps);
}

struct incident *incident_new(enum incident_kind kind)
{
	struct incident *inc = xcalloc(1, sizeof(*inc));

	inc->kind = kind;
	inc->task.pid = -1;
	inc->task.cpu = -1;
	strbuf_init(&inc->text, 0);
	return inc;
}

void frame_release(struct frame *f)
{
	free(f->func);
	free(f->module);
	free(f->build_id);
	free(f->src);
	for (size_t i = 0; i < f->nr_inlined; i++) {
		free(f->inlined[i].func);
		free(f->inlined[i].src);
	}
	free(f->inlined);
	memset(f, 0, sizeof(*f));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void frame_copy(struct frame *dst, const struct frame *src)
{
	*dst = *src;
	dst->func = dup_or_null(src->func);
	dst->module = dup_or_null(src->module);
	dst->build_id = dup_or_null(src->build_id);
	dst->src = dup_or_null(src->src);
	dst->inlined = NULL;
	dst->nr_inlined = 0;
	if (src->nr_inlined) {
		dst->inlined = xcalloc(src->nr_inlined, sizeof(*dst->inlined));
		for (size_t i = 0; i < src->nr_inlined; i++) {
			dst->inlined[i].func = dup_or_null(src->inlined[i].func);
			dst->inlined[i].src = dup_or_null(src->inlined[i].src);
		}
		dst->nr_inlined = src->nr_inlined;
	}
}

void match_release(struct match *m)
{
	free(m->id);
	free(m->title);
	free(m->severity);
	free(m->fix);
	free(m->workaround);
	for (size_t i = 0; i < m->nr_evidence; i++) {
		free(m->evidence[i].predicate);
		free(m->evidence[i].detail);
	}
	free(m->evidence);
	free(m->fix_status);
	free(m->fix_detail);
	free(m->status);
	free(m->superseded_by);
	free(m->duplicate_of);
	free(m->owner);
	for (size_t i = 0; i < m->nr_cves; i++)
		free(m->cves[i]);
	free(m->cves);
	for (size_t i = 0; i < m->nr_links; i++)
		free(m->links[i]);
	free(m->links);
	memset(m, 0, sizeof(*m));
}

void incident_free(struct incident *inc)
{
	if (!inc)
		return;
	free(inc->title);
	free(inc->host);
	free(inc->wall);
	free(inc->wall_inferred);
	free(inc->kernel.release);
	free(inc->kernel.build);
	free(inc->kernel.tainted);
	free(inc->kernel.hardware);
	free(inc->kernel.arch);
	free(inc->kernel.hypervisor);
	free(inc->kernel.cmdline);
	free(inc->task.comm);
	free(inc->task.state);
	frame_release(&inc->ip);
	for (size_t i = 0; i < inc->nr_stacks; i++) {
		for (size_t j = 0; j < inc->stacks[i].nr; j++)
			frame_release(&inc->stacks[i].frames[j]);
		free(inc->stacks[i].frames);
		free(inc->stacks[i].stopped);
	}
	free(inc->stacks);
	for (size_t i = 0; i < inc->nr_modules; i++)
		free(inc->modules[i]);
	free(inc->modules);
	free(inc->registers);
	free(inc->code);
	for (size_t i = 0; i < inc->nr_extras; i++) {
		free(inc->extras[i].key);
		free(inc->extras[i].str);
	}
	free(inc->extras);
	for (size_t i = 0; i < inc->nr_members; i++) {
		free(inc->members[i].comm);
		free(inc->members[i].state);
		free(inc->members[i].lock);
	}
	free(inc->members);
	for (size_t i = 0; i < inc->nr_held; i++)
		task_locks_release(&inc->held[i]);
	free(inc->held);
	profile_summary_free(inc->profile);
	free(inc->corrupt_reason);
	free(inc->follows.title);
	free(inc->follows.reason);
	for (size_t i = 0; i < inc->nr_matches; i++)
		match_release(&inc->matches[i]);
	free(inc->matches);
	strbuf_release(&inc->text);
	free(inc);
}

struct stack *incident_add_stack(struct incident *inc, enum stack_context ctx)
{
	struct stack *st;

	ALLOC_GROW(inc->stacks, inc->nr_stacks + 1, inc->alloc_stacks);
	st = &inc->stacks[inc->nr_stacks++];
	memset(st, 0, sizeof(*st));
	st->context = ctx;
	return st;
}

struct frame *stack_add_frame(struct stack *st)
{
	struct frame *f;

	ALLOC_GROW(st->frames, st->nr + 1, st->alloc);
	f = &st->frames[st->nr++];
	memset(f, 0, sizeof(*f));
	f->reliable = true;
	return f;
}

void incident_add_module(struct incident *inc, const char *name, size_t len)
{
	ALLOC_GROW(inc->modules, inc->nr_modules + 1, inc->alloc_modules);
	inc->modules[inc->nr_modules++] = xmemdupz(name, len);
}

void incident_fill_kernel(struct incident *inc, const char *release, const char *build,
			  const char *hardware, const char *hypervisor, const char *arch,
			  const char *cmdline)
{
#define FILL(dst, src) do { if (!(dst) && (src)) (dst) = xstrdup(src); } while (0)
	FILL(inc->kernel.release, release);
	FILL(inc->kernel.build, build);
	FILL(inc->kernel.hardware, hardware);
	FILL(inc->kernel.hypervisor, hypervisor);
	FILL(inc->kernel.arch, arch);
	FILL(inc->kernel.cmdline, cmdline);
#undef FILL
}

void incident_set_str(char **field, const char *s, size_t len)
{
	free(*field);
	*field = s ? xmemdupz(s, len) : NULL;
}

static struct extra *extra_slot(struct incident *inc, const char *key)
{
	struct extra *e;

	for (size_t i = 0; i < inc->nr_extras; i++)
		if (!strcmp(inc->extras[i].key, key)) {
			free(inc->extras[i].str);
			inc->extras[i].str = NULL;
			return &inc->extras[i];
		}
	ALLOC_GROW(inc->extras, inc->nr_extras + 1, inc->alloc_extras);
	e = &inc->extras[inc->nr_extras++];
	e->key = xstrdup(key);
	e->str = NULL;
	e->num = 0;
	return e;
}

void incident_extra_str(struct incident *inc, const char *key, const char *val)
{
	extra_slot(inc, key)->str = xstrdup(val);
}

void incident_extra_num(struct incident *inc, const char *key, long long val)
{
	extra_slot(inc, key)->num = val;
}

const struct extra *incident_extra(const struct incident *inc, const char *key)
{
	for (size_t i = 0; i < inc->nr_extras; i++)
		if (!strcmp(inc->extras[i].key, key))
			return &inc->extras[i];
	return NULL;
}

struct incident_member *incident_add_member(struct incident *inc)
{
	struct incident_member *m;

	ALLOC_GROW(inc->members, inc->nr_members + 1, inc->alloc_members);
	m = &inc->members[inc->nr_members++];
	memset(m, 0, sizeof(*m));
	m->pid = -1;
	m->cpu = -1;
	return m;
}

struct task_locks *incident_add_task_locks(struct incident *inc, const char *comm,
					   size_t comm_len, long long pid)
{
	struct task_locks *tl;

	ALLOC_GROW(inc->held, inc->nr_held + 1, inc->alloc_held);
	tl = &inc->held[inc->nr_held++];
	memset(tl, 0, sizeof(*tl));
	tl->comm = xmemdupz(comm, comm_len);
	tl->pid = pid;
	return tl;
}

struct held_lock *task_locks_add(struct task_locks *tl)
{
	struct held_lock *hl;

	ALLOC_GROW(tl->locks, tl->nr + 1, tl->alloc);
	hl = &tl->locks[tl->nr++];
	memset(hl, 0, sizeof(*hl));
	return hl;
}

void task_locks_release(struct task_locks *tl)
{
	for (size_t i = 0; i < tl->nr; i++) {
		free(tl->locks[i].name);
		free(tl->locks[i].addr);
		free(tl->locks[i].at);
	}
	free(tl->locks);
	free(tl->comm);
}

struct match *incident_add_match(struct incident *inc)
{
	struct match *m;

	ALLOC_GROW(inc->matches, inc->nr_matches + 1, inc->alloc_matches);
	m = &inc->matches[inc->nr_matches++];
	memset(m, 0, sizeof(*m));
	return m;
}

void match_add_evidence(struct match *m, const char *pred, const char *detail)
{
	m->evidence = xrealloc(m->evidence, (m->nr_evidence + 1) * sizeof(*m->evidence));
	m->evidence[m->nr_evidence].predicate = xstrdup(pred);
	m->evidence[m->nr_evidence].detail = detail ? xstrdup(detail) : NULL;
	m->evidence[m->nr_evidence].line = 0;
	m->nr_evidence++;
}

/* "line N: " + text, N from the evidence's line. */
static void line_detail(struct match_evidence *e, const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "line %lu: %s", e->line, text);
	free(e->detail);
	e->detail = strbuf_detach(&sb, NULL);
}

void match_add_line_evidence(struct match *m, const char *pred, unsigned long line,
			     const char *text)
{
	struct match_evidence *e;

	match_add_evidence(m, pred, NULL);
	e = &m->evidence[m->nr_evidence - 1];
	e->line = line;
	line_detail(e, text);
}

void incident_rebase_lines(struct incident *inc, long delta)
{
	if (!delta)
		return;
	inc->source.line += (unsigned long)delta;
	inc->source.end_line += (unsigned long)delta;
	for (size_t i = 0; i < inc->nr_members; i++)
		inc->members[i].line += (unsigned long)delta;
	for (size_t i = 0; i < inc->nr_matches; i++)
		for (size_t k = 0; k < inc->matches[i].nr_evidence; k++) {
			struct match_evidence *e = &inc->matches[i].evidence[k];
			const char *colon;
			char *text;
			if (!e->line || !e->detail || !(colon = strstr(e->detail, ": ")))
				continue;
			e->line += (unsigned long)delta;
			text = xstrdup(colon + 2);
			line_detail(e, text);
			free(text);
		}
}
