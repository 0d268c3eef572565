#include "procstack.h"
#include "frame.h"
#include "title.h"
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum proc_file { PF_NONE, PF_STACK, PF_STATUS, PF_COMM, PF_WCHAN, PF_OTHER };

struct task {
	long long pid;
	char *comm, *state, *wchan;
	struct frame *frames;
	size_t nr_frames;
	unsigned long first, last;
	bool has_stack;
};

struct ps_cols {		/* a ps header: column indices, -1 absent */
	int pid, state, wchan, comm, nr;
	bool comm_last;		/* COMMAND/CMD/ARGS: the rest of the row */
};

struct proc_parser {
	const char *path;
	struct task *tasks;
	size_t nr, alloc;
	struct task *cur;		/* the task lines are about now */
	enum proc_file file;		/* which /proc file its lines come from */
	struct ps_cols ps;
	bool in_ps;
	bool named;			/* cur was named by a header, not guessed */
	bool full;			/* PROC_MAX_TASKS reached */
};

struct proc_parser *proc_parser_new(const char *path)
{
	struct proc_parser *pp = xcalloc(1, sizeof(*pp));

	pp->path = path;
	return pp;
}

static void task_release(struct task *t)
{
	free(t->comm);
	free(t->state);
	free(t->wchan);
	for (size_t i = 0; i < t->nr_frames; i++)
		frame_release(&t->frames[i]);
	free(t->frames);
}

void proc_parser_free(struct proc_parser *pp)
{
	if (!pp)
		return;
	for (size_t i = 0; i < pp->nr; i++)
		task_release(&pp->tasks[i]);
	free(pp->tasks);
	free(pp);
}

static struct task *find_task(struct proc_parser *pp, long long pid)
{
	if (pid < 0)
		return NULL;
	if (pp->cur && pp->cur->pid == pid)
		return pp->cur;
	for (size_t i = pp->nr; i-- > 0;)
		if (pp->tasks[i].pid == pid)
			return &pp->tasks[i];
	return NULL;
}

/* The task with this pid (-1: a new one whose pid is not known). */
static struct task *task_for(struct proc_parser *pp, long long pid, unsigned long lineno)
{
	struct task *t = find_task(pp, pid);

	if (t)
		return t;
	if (pp->nr >= PROC_MAX_TASKS) {
		pp->full = true;
		return NULL;
	}
	ALLOC_GROW(pp->tasks, pp->nr + 1, pp->alloc);
	pp->cur = NULL;		/* the array may have moved */
	t = &pp->tasks[pp->nr++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->first = t->last = lineno;
	return t;
}

/* A pid: decimal digits, at most 9 of them (lines are counted, not NUL-ended). */
static long long pid_at(const char *s, size_t n)
{
	long long v = 0;

	for (size_t i = 0; i < n && i < 9 && isdigit((unsigned char)s[i]); i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

static void set_str(char **dst, const char *s, size_t n)
{
	while (n && (s[0] == ' ' || s[0] == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if (!n)
		return;
	free(*dst);
	*dst = xmemdupz(s, n < 64 ? n : 64);
}

/* "/proc/1747/stack" at s: the pid and which file. Returns the bytes used. */
static size_t proc_path(const char *s, size_t n, long long *pid, enum proc_file *file)
{
	size_t i = 6;
	long long v = 0;

	if (n < 8 || memcmp(s, "/proc/", 6) || !isdigit((unsigned char)s[6]))
		return 0;
	while (i < n && isdigit((unsigned char)s[i]) && v < 100000000)
		v = v * 10 + (s[i++] - '0');
	/* /proc/PID/task/TID/stack: the thread is the task */
	if (i + 6 < n && !memcmp(s + i, "/task/", 6) && isdigit((unsigned char)s[i + 6])) {
		i += 6;
		v = 0;
		while (i < n && isdigit((unsigned char)s[i]) && v < 100000000)
			v = v * 10 + (s[i++] - '0');
	}
	if (i >= n || s[i] != '/')
		return 0;
	*pid = v;
	i++;
	if (n - i >= 5 && !memcmp(s + i, "stack", 5))
		*file = PF_STACK, i += 5;
	else if (n - i >= 6 && !memcmp(s + i, "status", 6))
		*file = PF_STATUS, i += 6;
	else if (n - i >= 4 && !memcmp(s + i, "comm", 4))
		*file = PF_COMM, i += 4;
	else if (n - i >= 5 && !memcmp(s + i, "wchan", 5))
		*file = PF_WCHAN, i += 5;
	else {
		*file = PF_OTHER;
		while (i < n && s[i] != ':' && s[i] != ' ')
			i++;
	}
	return i;
}

static void add_frame(struct task *t, const char *s, size_t n, unsigned long lineno)
{
	struct frame f;

	/* "[<0>] ": proc_pid_stack() hides the address since 4.16 ("[<%pK>]"
	   before): only the symbol is left to read. */
	if (n > 6 && !memcmp(s, "[<0>] ", 6)) {
		s += 6;
		n -= 6;
	}
	if (!frame_parse_line(s, n, &f, NULL))
		return;
	/* "0xffffffffffffffff": the end marker old kernels printed, no frame. */
	if (!f.func) {
		frame_release(&f);
		return;
	}
	if (t->nr_frames >= PROC_MAX_FRAMES) {
		frame_release(&f);
		return;
	}
	t->frames = xrealloc(t->frames, (t->nr_frames + 1) * sizeof(*t->frames));
	t->frames[t->nr_frames++] = f;
	t->has_stack = true;
	t->last = lineno;
}

/* A line of a /proc file the capture says the current task's lines come from. */
static void file_line(struct task *t, enum proc_file file,
		      const char *s, size_t n, unsigned long lineno)
{
	switch (file) {
	case PF_STACK:
		add_frame(t, s, n, lineno);
		break;
	case PF_STATUS:
		/* proc_pid_status(): "Name:\t%s", "State:\t%s (%s)" */
		if (n > 5 && !memcmp(s, "Name:", 5))
			set_str(&t->comm, s + 5, n - 5);
		else if (n > 7 && !memcmp(s, "State:", 6)) {
			size_t i = 6;
			while (i < n && (s[i] == ' ' || s[i] == '\t'))
				i++;
			if (i < n)
				set_str(&t->state, s + i, 1);
		}
		break;
	case PF_COMM:
		set_str(&t->comm, s, n);
		break;
	case PF_WCHAN:
		set_str(&t->wchan, s, n);
		break;
	default:
		break;
	}
	if (lineno > t->last && file != PF_OTHER)
		t->last = lineno;
}

/* "  PID S WCHAN  COMMAND": procps's header, upper case column names. */
static bool ps_header(struct proc_parser *pp, const char *s, size_t n)
{
	struct ps_cols c = { -1, -1, -1, -1, 0, false };
	size_t i = 0;

	while (i < n) {
		size_t b;
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		b = i;
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
#define COL(name) (i - b == strlen(name) && !memcmp(s + b, name, i - b))
		if (COL("PID"))
			c.pid = c.nr;
		else if (COL("S") || COL("STAT") || COL("STATE"))
			c.state = c.nr;
		else if (COL("WCHAN") || (i - b > 6 && !memcmp(s + b, "WCHAN", 5)))
			c.wchan = c.nr;
		else if (COL("COMMAND") || COL("CMD") || COL("ARGS")) {
			c.comm = c.nr;
			c.comm_last = true;
		} else if (COL("COMM") || COL("UCMD"))
			c.comm = c.nr;
		else {
			for (size_t k = b; k < i; k++)
				if (!isupper((unsigned char)s[k]) && s[k] != '%' && s[k] != '_')
					return false;
		}
#undef COL
		c.nr++;
	}
	if (c.pid < 0 || (c.state < 0 && c.wchan < 0))
		return false;
	pp->ps = c;
	pp->in_ps = true;
	return true;
}

static bool ps_row(struct proc_parser *pp, const char *s, size_t n, unsigned long lineno)
{
	const char *tok[32];
	size_t len[32], nt = 0, i = 0;
	long long pid = -1;
	struct task *t;
	bool exists;

	while (i < n && nt < 32) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == n)
			break;
		tok[nt] = s + i;
		if ((int)nt == pp->ps.comm && pp->ps.comm_last) {
			len[nt++] = n - i;
			break;
		}
		while (i < n && s[i] != ' ' && s[i] != '\t')
			i++;
		len[nt] = (size_t)(s + i - tok[nt]);
		nt++;
	}
	if ((int)nt <= pp->ps.pid)
		return false;
	for (size_t k = 0; k < len[pp->ps.pid]; k++)
		if (!isdigit((unsigned char)tok[pp->ps.pid][k]))
			return false;
	pid = pid_at(tok[pp->ps.pid], len[pp->ps.pid]);
	exists = find_task(pp, pid) != NULL;
	t = task_for(pp, pid, lineno);
	if (!t)
		return true;
	if (!exists)
		t->first = t->last = lineno;
	if (pp->ps.state >= 0 && (int)nt > pp->ps.state && isalpha((unsigned char)tok[pp->ps.state][0]))
		set_str(&t->state, tok[pp->ps.state], 1);
	if (pp->ps.wchan >= 0 && (int)nt > pp->ps.wchan && strcmp(tok[pp->ps.wchan], "-") &&
	    len[pp->ps.wchan] > 1)
		set_str(&t->wchan, tok[pp->ps.wchan], len[pp->ps.wchan]);
	if (pp->ps.comm >= 0 && (int)nt > pp->ps.comm && !t->comm) {
		const char *c = tok[pp->ps.comm];
		size_t cl = len[pp->ps.comm];
		/* "[kworker/u97:2]": ps shows kernel threads' args in brackets */
		if (cl > 2 && c[0] == '[' && c[cl - 1] == ']')
			c++, cl -= 2;
		else if (pp->ps.comm_last) {
			/* a command line: its program's file name */
			size_t k = 0;
			while (k < cl && c[k] != ' ')
				k++;
			cl = k;
			for (size_t j = cl; c[0] == '/' && j > 0; j--)
				if (c[j - 1] == '/') {
					c += j;
					cl -= j;
					break;
				}
		}
		set_str(&t->comm, c, cl);
	}
	return true;
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == '/' || c == '-' ||
	       c == ':';
}

/*
 * A loop's line about the task that follows: "1747 ip", "== 1747 (ip) ==",
 * "pid 1747 comm ip". The first all-digit word is the pid; the comm is the
 * first other word after it, else the last one before it.
 */
static bool task_header(struct proc_parser *pp, const char *s, size_t n, unsigned long lineno)
{
	static const char *const keywords[] = { "pid", "comm", "task", "tid", "name",
						"stack", "process", "thread", "state" };
	const char *w[16];
	size_t wl[16], nw = 0, i = 0;
	long pid_word = -1;
	const char *comm = NULL;
	size_t comm_len = 0;
	struct task *t;

	while (i < n && nw < 16) {
		while (i < n && !is_word_char(s[i]))
			i++;
		if (i == n)
			break;
		w[nw] = s + i;
		while (i < n && is_word_char(s[i]))
			i++;
		wl[nw] = (size_t)(s + i - w[nw]);
		/* "pid:" and "(ip)" punctuation around words is not theirs */
		while (wl[nw] && w[nw][wl[nw] - 1] == ':')
			wl[nw]--;
		if (wl[nw])
			nw++;
	}
	for (size_t k = 0; k < nw && pid_word < 0; k++) {
		bool digits = wl[k] <= 9;
		for (size_t j = 0; j < wl[k] && digits; j++)
			digits = isdigit((unsigned char)w[k][j]);
		if (digits)
			pid_word = (long)k;
	}
	if (pid_word < 0 || nw > 6)
		return false;
	/* the first word after the pid that names no field, else the last before */
	for (size_t pass = 0; pass < 2 && !comm; pass++)
		for (size_t k = 0; k < nw; k++) {
			size_t at = pass == 0 ? k : nw - 1 - k;
			bool kw = false;
			if (pass == 0 ? at <= (size_t)pid_word : at >= (size_t)pid_word)
				continue;
			for (size_t j = 0; j < ARRAY_SIZE(keywords); j++)
				kw |= wl[at] == strlen(keywords[j]) &&
				      !strncasecmp(w[at], keywords[j], wl[at]);
			if (!kw && !isdigit((unsigned char)w[at][0])) {
				comm = w[at];
				comm_len = wl[at];
				break;
			}
		}
	t = task_for(pp, pid_at(w[pid_word], wl[pid_word]), lineno);
	if (!t)
		return true;
	if (comm)
		set_str(&t->comm, comm, comm_len);
	if (!t->has_stack)
		t->first = lineno;
	pp->cur = t;
	pp->file = PF_STACK;
	pp->named = true;
	return true;
}

void proc_parser_line(struct proc_parser *pp, const char *s, size_t n, unsigned long lineno)
{
	long long pid;
	enum proc_file file;
	size_t used;

	while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (!n) {
		pp->in_ps = false;
		return;
	}
	/* `head`: "==> /proc/1747/stack <==" */
	if (n > 12 && !memcmp(s, "==> ", 4) && !memcmp(s + n - 4, " <==", 4)) {
		used = proc_path(s + 4, n - 8, &pid, &file);
		pp->in_ps = false;
		if (used) {
			pp->cur = task_for(pp, pid, lineno);
			pp->file = file;
			pp->named = true;
			/* the task is reported from its stack's header on */
			if (pp->cur && file == PF_STACK && !pp->cur->has_stack)
				pp->cur->first = lineno;
		} else {
			pp->cur = NULL;
			pp->file = PF_NONE;
		}
		return;
	}
	/* `grep -H`: "/proc/1747/stack:[<0>] …" */
	if ((used = proc_path(s, n, &pid, &file)) && used < n && s[used] == ':') {
		struct task *t = task_for(pp, pid, lineno);
		if (t) {
			pp->cur = t;
			pp->file = file;
			pp->named = true;
			file_line(t, file, s + used + 1, n - used - 1, lineno);
		}
		return;
	}
	if (n > 1 && s[0] == '[' && s[1] == '<') {
		struct task *t = pp->file == PF_STACK || pp->file == PF_NONE ? pp->cur : NULL;
		/* Frames after a gap with no line naming their task: another task. */
		if (t && !pp->named && t->has_stack && t->last + 1 < lineno)
			t = NULL;
		if (!t) {
			t = task_for(pp, -1, lineno);
			pp->named = false;
			pp->file = PF_STACK;
		}
		pp->cur = t;
		if (t)
			add_frame(t, s, n, lineno);
		return;
	}
	if (ps_header(pp, s, n))
		return;
	if (pp->in_ps && ps_row(pp, s, n, lineno))
		return;
	pp->in_ps = false;
	if (pp->cur && pp->file != PF_STACK && pp->file != PF_NONE) {
		file_line(pp->cur, pp->file, s, n, lineno);
		return;
	}
	if (pp->cur && pp->file == PF_STACK && n > 6 && !memcmp(s, "State:", 6)) {
		file_line(pp->cur, PF_STATUS, s, n, lineno);
		return;
	}
	if (task_header(pp, s, n, lineno))
		return;
	/* A lone word between a loop's header and its stack: comm, then wchan. */
	if (pp->cur && !pp->cur->has_stack) {
		size_t k = 0;
		while (k < n && is_word_char(s[k]))
			k++;
		if (k == n)
			set_str(pp->cur->comm ? &pp->cur->wchan : &pp->cur->comm, s, n);
	}
}

static struct incident *task_record(const struct proc_parser *pp, struct task *t)
{
	struct incident *inc = incident_new(KIND_PROC_STACK);
	struct stack *st = incident_add_stack(inc, STACK_TASK);

	inc->source.path = pp->path;
	inc->source.line = t->first;
	inc->source.end_line = t->last > t->first ? t->last : t->first;
	inc->task.pid = t->pid;
	inc->task.comm = t->comm;
	inc->task.state = t->state;
	t->comm = t->state = NULL;
	if (t->has_stack) {
		st->frames = t->frames;
		st->nr = st->alloc = t->nr_frames;
		t->frames = NULL;
		t->nr_frames = 0;
	} else {
		struct frame *f = stack_add_frame(st);
		f->func = t->wchan;
		f->reliable = true;
		t->wchan = NULL;
	}
	title_assign(inc);
	return inc;
}

static int by_first_line(const void *a, const void *b)
{
	const struct task *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

void proc_parser_finish(struct proc_parser *pp, void (*add)(void *data, struct incident *inc),
			void *data)
{
	/* Records go out in input order (the grouper needs it). */
	pp->cur = NULL;
	if (pp->nr > 1)
		qsort(pp->tasks, pp->nr, sizeof(*pp->tasks), by_first_line);
	for (size_t i = 0; i < pp->nr; i++) {
		struct task *t = &pp->tasks[i];
		bool blocked = t->state && !strcmp(t->state, "D");
		if (!t->has_stack && !(blocked && t->wchan))
			continue;
		add(data, task_record(pp, t));
	}
}
