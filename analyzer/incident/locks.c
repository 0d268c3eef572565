#include "locks.h"
#include "util.h"

#include <string.h>

/* "kworker/u4:7/338" → comm "kworker/u4:7", pid 338 (comms may hold '/'). */
static bool split_task(const char *p, const char *end, const char **comm_end,
		       long long *pid)
{
	const char *slash = NULL;

	for (const char *q = p; q < end; q++)
		if (*q == '/')
			slash = q;
	if (!slash || slash == p || !parse_dec(slash + 1, end, pid))
		return false;
	*comm_end = slash;
	return true;
}

/* "3 locks held by kworker/u4:7/338:", "1 lock held by …", "no locks held by …." */
static bool parse_header(struct incident *inc, const char *p, size_t n)
{
	const char *end = p + n, *by, *comm, *comm_end, *task_end;
	long long count, pid;

	if (mem_starts_with(p, n, "no locks held by ")) {
		comm = p + strlen("no locks held by ");
	} else {
		const char *q = parse_dec(p, end, &count);
		if (!q || count < 0)
			return false;
		if (!mem_starts_with(q, (size_t)(end - q), " locks held by ") &&
		    !mem_starts_with(q, (size_t)(end - q), " lock held by "))
			return false;
		by = mem_find(q, (size_t)(end - q), " held by ");
		comm = by + strlen(" held by ");
	}
	task_end = end;
	while (task_end > comm && (task_end[-1] == ':' || task_end[-1] == '.' ||
				   task_end[-1] == ' '))
		task_end--;
	if (!split_task(comm, task_end, &comm_end, &pid))
		return false;
	incident_add_task_locks(inc, comm, (size_t)(comm_end - comm), pid);
	return true;
}

/*
 * " #2: ffffffff8a576f30 (pernet_ops_rwsem){++++}-{3:3}, at: cleanup_net+0x9b/0xa50"
 * " #0:  (&mm->mmap_sem){++++++}, at: [<ffffffff8106ee3a>] __do_page_fault+0x17a/0x4b0"
 */
static bool parse_lock(struct incident *inc, const char *p, size_t n)
{
	const char *end = p + n, *q, *open, *close, *at;
	struct task_locks *tl;
	struct held_lock *hl;
	long long idx;

	if (!inc->nr_held || n < 4 || p[0] != '#')
		return false;
	q = parse_dec(p + 1, end, &idx);
	if (!q || q >= end || *q != ':')
		return false;
	q = mem_skip_blanks(q + 1, end);
	open = memchr(q, '(', (size_t)(end - q));
	/* The class name ends at the ')' just before the usage bits "{+.+.}";
	   names hold parentheses of their own: "((wq_completion)netns)". */
	close = open ? mem_find(open, (size_t)(end - open), "){") : NULL;
	if (!open || !close)
		return false;
	tl = &inc->held[inc->nr_held - 1];
	hl = task_locks_add(tl);
	hl->name = xmemdupz(open + 1, (size_t)(close - open - 1));
	if (open > q)
		hl->addr = xmemdup_trim(q, open);
	at = mem_find(close, (size_t)(end - close), ", at: ");
	if (at) {
		at = mem_skip_blanks(at + strlen(", at: "), end);
		/* old kernels print the address first */
		if (at < end && *at == '[') {
			const char *rb = memchr(at, ']', (size_t)(end - at));
			if (rb)
				at = mem_skip_blanks(rb + 1, end);
		}
		q = at;
		while (q < end && *q != ' ')
			q++;
		if (q > at)
			hl->at = xmemdupz(at, (size_t)(q - at));
	}
	return true;
}

bool locks_parse_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end);
	size_t n = (size_t)(end - p);

	if (!n)
		return false;
	if (*p == '#')
		return parse_lock(inc, p, n);
	if ((*p >= '0' && *p <= '9') || *p == 'n')
		return parse_header(inc, p, n);
	return false;
}

bool locks_is_table_line(const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end);
	size_t n = (size_t)(end - p);
	long long v;
	const char *q;

	if (!n || mem_starts_with(p, n, "Showing all locks held") ||
	    mem_starts_with(p, n, "=====") || mem_starts_with(p, n, "no locks held by "))
		return true;
	if (*p == '#')
		return (q = parse_dec(p + 1, end, &v)) && q < end && *q == ':';
	return (q = parse_dec(p, end, &v)) &&
	       (mem_starts_with(q, (size_t)(end - q), " locks held by ") ||
		mem_starts_with(q, (size_t)(end - q), " lock held by "));
}

static const struct task_locks *find_task(const struct task_locks *tables, size_t nr,
					  const char *comm, long long pid)
{
	for (size_t i = 0; i < nr; i++) {
		if (pid >= 0 && tables[i].pid == pid)
			return &tables[i];
		if (pid < 0 && comm && !strcmp(tables[i].comm, comm))
			return &tables[i];
	}
	return NULL;
}

const struct held_lock *locks_waited_for(const struct task_locks *tables, size_t nr,
					 const char *comm, long long pid)
{
	const struct task_locks *tl = find_task(tables, nr, comm, pid);

	return tl && tl->nr ? &tl->locks[tl->nr - 1] : NULL;
}

static bool same_lock(const struct held_lock *a, const struct held_lock *b)
{
	if (a->addr && b->addr)
		return !strcmp(a->addr, b->addr);
	return a->name && b->name && !strcmp(a->name, b->name);
}

size_t locks_holders(const struct task_locks *tables, size_t nr, const struct held_lock *lock,
		     bool (*is_waiter)(void *data, const char *comm, long long pid),
		     void *data, struct strbuf *out)
{
	size_t found = 0;

	for (size_t i = 0; i < nr; i++) {
		const struct task_locks *tl = &tables[i];
		if (is_waiter && is_waiter(data, tl->comm, tl->pid))
			continue;
		for (size_t k = 0; k < tl->nr; k++) {
			if (!same_lock(&tl->locks[k], lock))
				continue;
			strbuf_addf(out, "%s%s/%lld", found ? ", " : "", tl->comm, tl->pid);
			if (tl->locks[k].at)
				strbuf_addf(out, " at %s", tl->locks[k].at);
			found++;
			break;
		}
	}
	return found;
}
