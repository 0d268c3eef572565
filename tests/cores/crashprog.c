/*
 * crashprog: crashes in a chosen way, for tests/cores.sh. Built by the test
 * several ways (frame pointers or not, stripped with a separate .debug, no
 * .eh_frame) and its cores unwound by ksift and by gdb.
 *
 *   crashprog null | abort | lib | threads | nullcall | signal | big
 *
 * big: 24 MiB of non-zero heap, then the null crash (a core larger than a
 * small spool limit, tests/cores.sh).
 */
#include <assert.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crashlib.h"

volatile int *volatile target;	/* NULL: the write faults */
volatile int sink;
char *volatile big_heap;

__attribute__((noinline)) void store_value(int v)
{
	*target = v;		/* SIGSEGV */
	sink = v;
}

/* Inlined into its caller: the frame gets an inline chain. */
static inline __attribute__((always_inline)) void checked_store(int v)
{
	if (v > 0)
		store_value(v + 1);
	sink = v;
}

__attribute__((noinline)) void parse_record(int v)
{
	checked_store(v * 2);
	sink = v;
}

__attribute__((noinline)) void handle_request(int v)
{
	parse_record(v + 3);
	sink = v;
}

__attribute__((noinline)) void validate_header(int len)
{
	assert(len < 0 && "header length");
	sink = len;
}

__attribute__((noinline)) void read_header(int len)
{
	validate_header(len + 1);
	sink = len;
}

typedef void (*callback_fn)(int);
volatile callback_fn callback;	/* NULL: the call jumps to 0 */

__attribute__((noinline)) void dispatch_event(int v)
{
	callback(v);
	sink = v;
}

__attribute__((noinline)) void on_signal(int sig)
{
	handle_request(sig);
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t never = PTHREAD_COND_INITIALIZER;

__attribute__((noinline)) void wait_forever(void)
{
	pthread_mutex_lock(&lock);
	for (;;)
		pthread_cond_wait(&never, &lock);
}

__attribute__((noinline)) void *idle_worker(void *arg)
{
	(void)arg;
	wait_forever();
	return NULL;
}

__attribute__((noinline)) void *sleeping_worker(void *arg)
{
	(void)arg;
	for (;;)
		sleep(1000);
	return NULL;
}

__attribute__((noinline)) void *crashing_worker(void *arg)
{
	usleep(200000);		/* the others are asleep by now */
	handle_request((int)(long)arg);
	return NULL;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "null";
	pthread_t t[3];

	if (!strcmp(mode, "null")) {
		handle_request(argc);
	} else if (!strcmp(mode, "abort")) {
		read_header(argc);
	} else if (!strcmp(mode, "lib")) {
		crashlib_entry(argc);
	} else if (!strcmp(mode, "nullcall")) {
		dispatch_event(argc);
	} else if (!strcmp(mode, "signal")) {
		signal(SIGUSR1, on_signal);
		raise(SIGUSR1);
	} else if (!strcmp(mode, "big")) {
		big_heap = malloc(24u << 20);	/* global: the stores must stay */
		if (big_heap)
			memset(big_heap, 0x5a, 24u << 20);
		handle_request(argc);
	} else if (!strcmp(mode, "threads")) {
		pthread_create(&t[0], NULL, idle_worker, NULL);
		pthread_create(&t[1], NULL, sleeping_worker, NULL);
		pthread_create(&t[2], NULL, crashing_worker, (void *)7L);
		pthread_join(t[2], NULL);
	}
	fprintf(stderr, "crashprog: %s did not crash\n", mode);
	return 1;
}
