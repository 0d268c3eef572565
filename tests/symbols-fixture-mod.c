/* A stand-in for a kernel module: a relocatable object with inlines. */
extern volatile int sink;

static inline __attribute__((always_inline)) void mod_leaf(int x)
{
	sink = x << 2;
	sink |= 1;
}

__attribute__((noinline)) void mod_func(int x)
{
	sink = 1;
	mod_leaf(x);
	sink += 3;
}

__attribute__((noinline)) int mod_other(int x)
{
	mod_leaf(x + 9);
	return sink;
}
