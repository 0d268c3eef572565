/* Fixture for tests/symbols.sh: inline chains and duplicate static names. */
volatile int sink;

/* What a kernel's init/version.c defines: the release this was built as. */
const char linux_banner[] = "Linux version 6.99.0-test (fixture@ksift) (cc) #1 SMP\n";

static inline __attribute__((always_inline)) void leaf_inline(int x)
{
	sink = x * 3;
	sink += x;
}

static inline __attribute__((always_inline)) void mid_inline(int x)
{
	leaf_inline(x + 1);
	sink ^= x;
}

__attribute__((noinline)) void outer_func(int x)
{
	mid_inline(x);
	sink -= 7;
}

/* A static twin of helper() lives in symbols-fixture-dup.c with another size. */
static __attribute__((noinline)) int helper(int x)
{
	sink = x;
	return sink + 1;
}

int dup_entry(int x);
int dup_same_entry(int x);

__attribute__((noinline)) static int same_size(int x)
{
	sink = x + 5;
	return sink;
}

int main(int argc, char **argv)
{
	(void)argv;
	outer_func(argc);
	return helper(argc) + dup_entry(argc) + same_size(argc) +
	       dup_same_entry(argc);
}
