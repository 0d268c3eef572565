/*
 * libFuzzer target: flood grouping (group.h) on a stream of incidents the
 * input describes, four bytes each: kind, host, clock step, stack. Checks
 * what group.h promises: every report is counted once (a record's `count`,
 * or 1), no record lists more than GROUP_MEMBERS_HEAD + GROUP_MEMBERS_TAIL
 * members, and `members_omitted` is what its count has beyond them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "group.h"

struct tally {
	unsigned long reports;
};

static void sink(void *data, struct incident *inc)
{
	struct tally *t = data;
	const struct extra *count = incident_extra(inc, "count");
	const struct extra *omitted = incident_extra(inc, "members_omitted");
	long long n = count ? count->num : 1;

	if (inc->nr_members > GROUP_MEMBERS_HEAD + GROUP_MEMBERS_TAIL)
		abort();
	if (count && n != (long long)inc->nr_members + (omitted ? omitted->num : 0))
		abort();
	if (!count && (inc->nr_members || omitted))
		abort();
	t->reports += (unsigned long)n;
	incident_free(inc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum incident_kind kinds[] = {
		KIND_SOFT_LOCKUP, KIND_HUNG_TASK, KIND_RCU_STALL, KIND_SYSRQ_TASKS, KIND_OOPS,
	};
	static const char *const hosts[] = { NULL, "a", "b", "c" };
	struct tally t = { 0 };
	struct grouper *g = grouper_new(sink, &t);
	unsigned long fed = 0;
	double clock = 100;

	/* a long flood from a short input: the last record repeats */
	for (size_t i = 0; i + 4 <= size || (size >= 4 && fed < 4000 && data[0] == 0xff); i += 4) {
		const uint8_t *r = data + (i + 4 <= size ? i : size - 4);
		struct incident *inc = incident_new(kinds[r[0] % 5]);
		struct stack *st = incident_add_stack(inc, STACK_TASK);
		char func[32], comm[32];

		if (hosts[r[1] % 4])
			inc->host = strdup(hosts[r[1] % 4]);
		clock += r[2] < 250 ? r[2] / 10.0 : 100;	/* now and then a gap */
		inc->ktime = clock;
		inc->has_ktime = r[2] != 7;
		inc->source.line = inc->source.end_line = ++fed;
		snprintf(comm, sizeof(comm), "task%u", r[3]);
		inc->task.comm = strdup(comm);
		inc->task.pid = r[3];
		for (unsigned k = 0; k < 3; k++) {
			struct frame *f = stack_add_frame(st);
			snprintf(func, sizeof(func), "f%u_%u", r[3] % 13, k);
			f->func = strdup(func);
			f->reliable = true;
		}
		/* (no title_assign(): grouping reads kind, host, time and
		   frames; 4,000 titles under ASan outlast libFuzzer's timeout) */
		grouper_add(g, inc);
	}
	grouper_finish(g);
	if (t.reports != fed)
		abort();
	return 0;
}
