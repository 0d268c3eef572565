/* crashlib: the crash happens inside this shared library. */
#include "crashlib.h"

struct table {
	int *slots;
	int size;
};

static struct table empty;	/* slots == NULL */
volatile int crashlib_sink;

__attribute__((noinline)) static void table_insert(struct table *t, int key)
{
	t->slots[key % 7] = key;	/* SIGSEGV: no slots */
	crashlib_sink = key;
}

__attribute__((noinline)) void crashlib_entry(int v)
{
	table_insert(&empty, v + 40);
	crashlib_sink = v;
}
