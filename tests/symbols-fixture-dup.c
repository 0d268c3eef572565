/* Second translation unit: static functions sharing names with main's. */
extern volatile int sink;

static __attribute__((noinline)) int helper(int x)
{
	for (int i = 0; i < x; i++)
		sink += i * x;
	sink ^= 0x55;
	return sink;
}

/* Same name and (same code so) same size as main's: ambiguous. */
__attribute__((noinline)) static int same_size(int x)
{
	sink = x + 5;
	return sink;
}

int dup_entry(int x)
{
	return helper(x) + 2;
}

int dup_same_entry(int x)
{
	return same_size(x) + 1;
}
