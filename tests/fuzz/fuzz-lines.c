/*
 * libFuzzer target: the line-level record parsers that the scan reaches only
 * behind a specific header — sysrq task/CPU lines, show_mem() lines,
 * lockdep's held-locks lists, the busy-workqueues dump, hung-task task lines
 * — fed every line of the input in turn, as parse.c does.
 */
#include <stdint.h>
#include <string.h>

#include "dump.h"
#include "group.h"
#include "locks.h"
#include "parse_headers.h"
#include "title.h"
#include "workqueue.h"

static void drop(void *data, struct incident *inc)
{
	(void)data;
	incident_free(inc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *end = s + size, *p = s;
	struct incident *inc = incident_new(KIND_HUNG_TASK);
	struct incident *cpu = incident_new(KIND_SYSRQ_CPUS);
	struct workqueue_parse wq;
	struct mem_info mem;
	struct grouper *g = grouper_new(drop, NULL);

	memset(&mem, 0, sizeof(mem));
	workqueue_parse_init(&wq);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		(void)dump_sysrq_key(p, n);
		(void)dump_is_task_line(p, n);
		(void)dump_is_show_mem_line(p, n);
		(void)locks_is_table_line(p, n);
		(void)workqueue_is_dump_line(p, n);
		dump_parse_task_line(inc, p, n);
		dump_parse_cpu_line(cpu, p, n);
		parse_task_state_line(inc, p, n);
		dump_mem_line(&mem, p, n);
		locks_parse_line(inc, p, n);
		workqueue_parse_line(&wq, inc, p, n);
		p = nl ? nl + 1 : end;
	}
	dump_mem_finish(cpu, &mem);
	workqueue_parse_finish(&wq, inc);
	title_assign(inc);
	title_assign(cpu);
	/* the lists feed lock resolution in the grouper */
	inc->has_ktime = cpu->has_ktime = false;
	grouper_add(g, inc);
	grouper_add(g, cpu);
	grouper_finish(g);
	return 0;
}
