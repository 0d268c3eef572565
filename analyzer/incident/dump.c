#include "dump.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *action;	/* sysrq.c's action_msg */
	char key;
} sysrq_actions[] = {
	{ "Show Blocked State", 'w' },
	{ "Show State", 't' },
	{ "Show backtrace of all active CPUs", 'l' },
	{ "Show Memory", 'm' },
	{ "Show All Locks Held", 'd' },
	{ "Trigger a crash", 'c' },
	{ "Show Regs", 'p' },
};

char dump_sysrq_key(const char *msg, size_t len)
{
	const char *end = msg + len, *p;

	if (mem_starts_with(msg, len, "sysrq: "))
		p = msg + 7;
	else if (mem_starts_with(msg, len, "SysRq : "))
		p = msg + 8;
	else
		return 0;
	/* 4.x printed both prefixes: "sysrq: SysRq : Show State" */
	if (mem_starts_with(p, (size_t)(end - p), "SysRq : "))
		p += 8;
	for (size_t i = 0; i < ARRAY_SIZE(sysrq_actions); i++) {
		size_t n = strlen(sysrq_actions[i].action);
		/* the whole message: "Show State" must not take "Show State of …" */
		if ((size_t)(end - p) >= n && !memcmp(p, sysrq_actions[i].action, n) &&
		    mem_skip_blanks(p + n, end) == end)
			return sysrq_actions[i].key;
	}
	return 0;
}

enum incident_kind dump_key_kind(char key)
{
	switch (key) {
	case 't': case 'w': return KIND_SYSRQ_TASKS;
	case 'l': return KIND_SYSRQ_CPUS;
	case 'm': return KIND_SYSRQ_MEM;
	case 'd': return KIND_SYSRQ_LOCKS;
	default: return KIND_NONE;
	}
}

bool dump_key_has_members(char key)
{
	return key == 't' || key == 'w' || key == 'l';
}

/* task_state_to_char(): R S D T t X Z P I, and the old x K W N. */
static bool is_state_char(char c)
{
	return c && strchr("RSDTtXZPIxKWN", c) != NULL;
}

/* The message ends with the thread flags: " 0x00000080". */
static bool ends_with_flags(const char *msg, size_t len)
{
	const char *end = msg + len, *p = end;

	while (p > msg && is_hex_digit((unsigned char)p[-1]))
		p--;
	return end - p >= 8 && p - msg >= 3 && p[-1] == 'x' && p[-2] == '0' && p[-3] == ' ';
}

bool dump_is_task_line(const char *msg, size_t len)
{
	if (mem_starts_with(msg, len, "task:"))
		return mem_find(msg, len, " state:") != NULL;
	/* "%-15.15s %c" then the stack/pid/ppid/flags numbers */
	return len > 24 && msg[0] != ' ' && msg[15] == ' ' && is_state_char(msg[16]) &&
	       (msg[17] == ' ' || (msg[17] >= '0' && msg[17] <= '9')) &&
	       ends_with_flags(msg, len);
}

bool dump_is_cpu_line(const char *msg, size_t len)
{
	return mem_starts_with(msg, len, "NMI backtrace for cpu ");
}

static void set_state(struct incident *inc, const char *p, size_t n)
{
	incident_set_str(&inc->task.state, p, n);
}

bool dump_parse_task_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *q;
	long long v;

	if (!dump_is_task_line(msg, len))
		return false;
	if (mem_starts_with(msg, len, "task:")) {
		const char *st = mem_find(msg, len, " state:");
		free(inc->task.comm);
		inc->task.comm = xmemdup_trim(msg + 5, st);
		p = st + 7;
		for (q = p; q < end && *q != ' '; q++)
			;
		set_state(inc, p, (size_t)(q - p));
		if ((p = mem_find(msg, len, " pid:")) && parse_dec(mem_skip_blanks(p + 5, end),
								   end, &v))
			inc->task.pid = v;
		if ((p = mem_find(msg, len, " ppid:")) && parse_dec(mem_skip_blanks(p + 6, end),
								    end, &v))
			incident_extra_num(inc, "ppid", v);
		return true;
	}
	free(inc->task.comm);
	inc->task.comm = xmemdup_trim(msg, msg + 15);
	set_state(inc, msg + 16, 1);
	/* The last three fields are pid, ppid and flags whatever came before
	   (a saved PC on 3.x, "running task", the free stack glued to the state). */
	{
		const char *tok[3];
		if (mem_last_words(msg + 17, end, tok, 3) == 3) {
			if (parse_dec(tok[2], end, &v))
				inc->task.pid = v;
			if (parse_dec(tok[1], end, &v))
				incident_extra_num(inc, "ppid", v);
		}
	}
	return true;
}

bool dump_parse_cpu_line(struct incident *inc, const char *msg, size_t len)
{
	const char *end = msg + len, *p, *at;
	long long cpu;

	if (!dump_is_cpu_line(msg, len))
		return false;
	p = parse_dec(msg + strlen("NMI backtrace for cpu "), end, &cpu);
	if (!p)
		return true;
	inc->task.cpu = (int)cpu;
	/* "… skipped: idling at intel_idle+0x5d/0xa0": the ip of an idle CPU */
	if ((at = mem_find(p, (size_t)(end - p), "idling at "))) {
		const char *f = at + strlen("idling at "), *fe = f;
		while (fe < end && *fe != ' ')
			fe++;
		set_state(inc, "idle", 4);
		if (fe > f && !inc->has_ip) {
			const char *plus = memchr(f, '+', (size_t)(fe - f));
			inc->ip.func = xmemdupz(f, (size_t)((plus ? plus : fe) - f));
			inc->ip.reliable = true;
			inc->has_ip = true;
		}
	}
	return true;
}

static const char *const show_mem_prefixes[] = {
	"Mem-Info:", "active_anon:", "active_file:", "unevictable:", "slab_reclaimable:",
	"mapped:", "kernel_misc_reclaimable:", "free:", "sec_pagetables:", "Node ",
	"lowmem_reserve[]:", "CPU ", "Swap cache stats:", "Free swap", "Total swap",
	"DMA per-cpu:", "DMA32 per-cpu:", "Normal per-cpu:", "HighMem per-cpu:",
	"Movable per-cpu:", "isolated_anon:", "dirty:", "writeback:", "pagetables:",
	"bounce:", "free_pcp:", "shmem:",
};

bool dump_is_show_mem_line(const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end);
	size_t n = (size_t)(end - p);

	if (!n)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(show_mem_prefixes); i++)
		if (mem_starts_with(p, n, show_mem_prefixes[i]))
			return true;
	/* "12345 total pagecache pages", "4194174 pages RAM", "0 pages hwpoisoned" */
	return *p >= '0' && *p <= '9' && (mem_find(p, n, " pages") || mem_find(p, n, " page "));
}

/*
 * Counters from the log are clamped to 2^40 (a petabyte in kB): far above any
 * machine, and low enough that page-size and percentage arithmetic on them
 * cannot overflow whatever garbage a damaged log holds.
 */
#define MEM_MAX (1LL << 40)

static long long clamp_mem(long long v)
{
	return v < 0 ? 0 : v > MEM_MAX ? MEM_MAX : v;
}

/* "key:123" anywhere in the message (a word boundary before key). */
static bool field(const char *msg, size_t len, const char *key, long long *out)
{
	const char *end = msg + len, *p = msg;
	size_t kl = strlen(key);

	while ((p = mem_find(p, (size_t)(end - p), key))) {
		if (p == msg || p[-1] == ' ') {
			const char *v = p + kl;
			return parse_dec(v, end, out) != NULL;
		}
		p += kl;
	}
	return false;
}

void dump_mem_line(struct mem_info *mi, const char *msg, size_t len)
{
	const char *end = msg + len, *p = mem_skip_blanks(msg, end), *q;
	size_t n = (size_t)(end - p);
	long long v;

	if (!n)
		return;
	if (mem_starts_with(p, n, "Mem-Info:")) {
		mi->seen_mem_info = true;
		return;
	}
	if (mem_starts_with(p, n, "Node ")) {
		/* zone lines: "Node 0 DMA32 free:123456kB … present:…kB managed:…kB" */
		if (mem_find(p, n, " free:") && mem_find(p, n, " managed:")) {
			if (field(p, n, "free:", &v))
				mi->zone_free_kb = clamp_mem(mi->zone_free_kb + clamp_mem(v));
			if (field(p, n, "managed:", &v))
				mi->zone_managed_kb = clamp_mem(mi->zone_managed_kb + clamp_mem(v));
			if (field(p, n, "present:", &v))
				mi->zone_present_kb = clamp_mem(mi->zone_present_kb + clamp_mem(v));
		}
		return;
	}
	if (mem_starts_with(p, n, "Free swap") && (q = memchr(p, '=', n)) &&
	    parse_dec(mem_skip_blanks(q + 1, end), end, &v)) {
		mi->swap_free_kb = clamp_mem(v);
		mi->seen_swap = true;
		return;
	}
	if (mem_starts_with(p, n, "Total swap") && (q = memchr(p, '=', n)) &&
	    parse_dec(mem_skip_blanks(q + 1, end), end, &v)) {
		mi->swap_total_kb = clamp_mem(v);
		mi->seen_swap = true;
		return;
	}
	if (*p >= '0' && *p <= '9') {
		q = parse_dec(p, end, &v);
		if (q && mem_starts_with(q, (size_t)(end - q), " pages RAM"))
			mi->ram_pages = clamp_mem(v);
		else if (q && mem_starts_with(q, (size_t)(end - q), " total pagecache pages"))
			mi->pagecache_pages = clamp_mem(v);
		return;
	}
	/* the global counters, in pages */
	if (field(p, n, "free:", &v))
		mi->free_pages = clamp_mem(v);
	if (field(p, n, "slab_reclaimable:", &v))
		mi->slab_reclaimable_pages = clamp_mem(v);
	if (field(p, n, "slab_unreclaimable:", &v))
		mi->slab_unreclaimable_pages = clamp_mem(v);
	if (field(p, n, "active_anon:", &v))
		mi->anon_pages = clamp_mem(mi->anon_pages + clamp_mem(v));
	if (field(p, n, "inactive_anon:", &v))
		mi->anon_pages = clamp_mem(mi->anon_pages + clamp_mem(v));
	if (field(p, n, "active_file:", &v))
		mi->file_pages = clamp_mem(mi->file_pages + clamp_mem(v));
	if (field(p, n, "inactive_file:", &v))
		mi->file_pages = clamp_mem(mi->file_pages + clamp_mem(v));
	if (field(p, n, "shmem:", &v))
		mi->shmem_pages = clamp_mem(v);
	if (field(p, n, "pagetables:", &v))
		mi->pagetables_pages = clamp_mem(v);
}

/* "15.6 GiB", "512 MiB", "900 kB" */
static void human_kb(char *buf, size_t sz, long long kb)
{
	if (kb >= 10LL << 20)
		snprintf(buf, sz, "%.1f GiB", (double)kb / (1 << 20));
	else if (kb >= 10LL << 10)
		snprintf(buf, sz, "%lld MiB", kb >> 10);
	else
		snprintf(buf, sz, "%lld kB", kb);
}

void dump_mem_finish(struct incident *inc, const struct mem_info *mi)
{
	struct strbuf sum = STRBUF_INIT;
	/*
	 * The global counters are in pages; the zone lines say in kB what the
	 * free pages add up to, which gives the page size (4 kB on x86, 16 or
	 * 64 kB on some arm64 and powerpc kernels).
	 */
	long long page_kb = 4, free_kb, total_kb;
	char a[32], b[32];

	if (mi->free_pages > 0 && mi->zone_free_kb > 0) {
		long long ratio = (mi->zone_free_kb + mi->free_pages / 2) / mi->free_pages;
		if (ratio == 4 || ratio == 8 || ratio == 16 || ratio == 64)
			page_kb = ratio;
	}
	free_kb = mi->zone_free_kb ? mi->zone_free_kb : mi->free_pages * page_kb;
	total_kb = mi->zone_managed_kb ? mi->zone_managed_kb : mi->ram_pages * page_kb;
	incident_extra_num(inc, "free_kb", free_kb);
	if (total_kb)
		incident_extra_num(inc, "total_kb", total_kb);
	incident_extra_num(inc, "slab_unreclaimable_kb", mi->slab_unreclaimable_pages * page_kb);
	incident_extra_num(inc, "slab_reclaimable_kb", mi->slab_reclaimable_pages * page_kb);
	incident_extra_num(inc, "anon_kb", mi->anon_pages * page_kb);
	incident_extra_num(inc, "file_kb", mi->file_pages * page_kb);
	if (mi->seen_swap) {
		incident_extra_num(inc, "swap_free_kb", mi->swap_free_kb);
		incident_extra_num(inc, "swap_total_kb", mi->swap_total_kb);
	}

	human_kb(a, sizeof(a), free_kb);
	strbuf_addf(&sum, "free %s", a);
	if (total_kb > 0) {
		human_kb(b, sizeof(b), total_kb);
		strbuf_addf(&sum, " of %s (%lld%%)", b, free_kb * 100 / total_kb);
	}
	human_kb(a, sizeof(a), mi->anon_pages * page_kb);
	strbuf_addf(&sum, ", anon %s", a);
	human_kb(a, sizeof(a), mi->file_pages * page_kb);
	strbuf_addf(&sum, ", file %s", a);
	human_kb(a, sizeof(a), mi->slab_unreclaimable_pages * page_kb);
	strbuf_addf(&sum, ", slab unreclaimable %s", a);
	/* a slab leak: unreclaimable slab holding a good part of the RAM */
	if (total_kb > 0 && mi->slab_unreclaimable_pages * page_kb * 10 >= total_kb)
		strbuf_addf(&sum, " (%lld%% of RAM)",
			    mi->slab_unreclaimable_pages * page_kb * 100 / total_kb);
	if (mi->seen_swap) {
		human_kb(a, sizeof(a), mi->swap_free_kb);
		human_kb(b, sizeof(b), mi->swap_total_kb);
		strbuf_addf(&sum, ", swap free %s of %s", a, b);
	}
	incident_extra_str(inc, "summary", sum.buf);
	strbuf_release(&sum);
}
