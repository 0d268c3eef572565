/*
** usercrash: signals, userspace generic frames, titles, hashes, text and
** merging of `coredump` records (usercrash.h).
*/
#define _GNU_SOURCE
#include "usercrash.h"
#include "frame.h"
#include "strbuf.h"
#include "title.h"
#include "util.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* x86_64 Linux numbering (arch/x86/include/uapi/asm/signal.h). */
static const char *const signal_names[] = {
	NULL, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
	"SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR",
	"SIGSYS",
};

const char *usercrash_signal_name(int signo)
{
	if (signo <= 0 || (size_t)signo >= ARRAY_SIZE(signal_names))
		return NULL;
	return signal_names[signo];
}

int usercrash_signal_number(const char *name)
{
	if (!name)
		return 0;
	if (!strncmp(name, "SIG", 3))
		name += 3;
	for (size_t i = 1; i < ARRAY_SIZE(signal_names); i++)
		if (!strcmp(signal_names[i] + 3, name))
			return (int)i;
	return 0;
}

struct code_name {
	int signo, code;	/* signo 0: any signal */
	const char *name;
};

/* include/uapi/asm-generic/siginfo.h */
static const struct code_name code_names[] = {
	{ 11, 1, "SEGV_MAPERR" }, { 11, 2, "SEGV_ACCERR" }, { 11, 3, "SEGV_BNDERR" },
	{ 11, 4, "SEGV_PKUERR" }, { 11, 5, "SEGV_ACCADI" }, { 11, 6, "SEGV_ADIDERR" },
	{ 11, 7, "SEGV_ADIPERR" }, { 11, 8, "SEGV_MTEAERR" }, { 11, 9, "SEGV_MTESERR" },
	{ 11, 10, "SEGV_CPERR" },
	{ 7, 1, "BUS_ADRALN" }, { 7, 2, "BUS_ADRERR" }, { 7, 3, "BUS_OBJERR" },
	{ 7, 4, "BUS_MCEERR_AR" }, { 7, 5, "BUS_MCEERR_AO" },
	{ 4, 1, "ILL_ILLOPC" }, { 4, 2, "ILL_ILLOPN" }, { 4, 3, "ILL_ILLADR" },
	{ 4, 4, "ILL_ILLTRP" }, { 4, 5, "ILL_PRVOPC" }, { 4, 6, "ILL_PRVREG" },
	{ 4, 7, "ILL_COPROC" }, { 4, 8, "ILL_BADSTK" }, { 4, 9, "ILL_BADIADDR" },
	{ 8, 1, "FPE_INTDIV" }, { 8, 2, "FPE_INTOVF" }, { 8, 3, "FPE_FLTDIV" },
	{ 8, 4, "FPE_FLTOVF" }, { 8, 5, "FPE_FLTUND" }, { 8, 6, "FPE_FLTRES" },
	{ 8, 7, "FPE_FLTINV" }, { 8, 8, "FPE_FLTSUB" },
	{ 5, 1, "TRAP_BRKPT" }, { 5, 2, "TRAP_TRACE" }, { 5, 3, "TRAP_BRANCH" },
	{ 5, 4, "TRAP_HWBKPT" }, { 5, 5, "TRAP_UNK" },
	{ 0, 0, "SI_USER" }, { 0, 0x80, "SI_KERNEL" }, { 0, -1, "SI_QUEUE" },
	{ 0, -2, "SI_TIMER" }, { 0, -3, "SI_MESGQ" }, { 0, -4, "SI_ASYNCIO" },
	{ 0, -5, "SI_SIGIO" }, { 0, -6, "SI_TKILL" },
};

const char *usercrash_sigcode_name(int signo, int code)
{
	for (size_t i = 0; i < ARRAY_SIZE(code_names); i++)
		if (code_names[i].code == code &&
		    (code_names[i].signo == signo || (!code_names[i].signo && (code <= 0 || code == 0x80))))
			return code_names[i].name;
	return NULL;
}

/*
 * Userspace crash machinery, as fnmatch(3) globs over the name with
 * compiler suffixes and glibc's "__GI_" alias prefix removed. Each group is
 * what glibc 2.36 (Debian 12), libstdc++ and GLib put on the crashing
 * thread's stack above the function that misbehaved.
 */
static const char *const user_generic[] = {
	/* signal delivery, abort(), assert(), fortify and stack checks */
	"raise", "gsignal", "abort", "__pthread_kill_implementation",
	"__pthread_kill_internal", "pthread_kill*", "__pthread_kill*", "__restore_rt",
	"__assert_fail*", "__assert_perror_fail", "__libc_message*", "__libc_fatal",
	"__fortify_fail*", "__chk_fail", "__*_chk", "__stack_chk_fail*", "__abort_msg",
	/* the allocator's corruption checks and entry points */
	"malloc_printerr", "_int_free*", "_int_malloc", "_int_realloc", "_int_memalign",
	"__libc_free", "free", "cfree", "__libc_malloc", "malloc", "__libc_calloc",
	"calloc", "__libc_realloc", "realloc", "tcache_*", "unlink_chunk*",
	"malloc_consolidate", "sysmalloc", "__libc_memalign", "_mid_memalign",
	/* string and memory functions (and their SIMD variants) */
	"__mem*_avx*", "__mem*_sse*", "__mem*_evex*", "__mem*_erms", "__str*_avx*",
	"__str*_sse*", "__str*_evex*", "__stp*_avx*", "__stp*_sse*", "__wcs*",
	"__wmem*", "memcpy", "memmove", "memset", "memcmp", "memchr", "strlen",
	"strnlen", "strcmp", "strncmp", "strcpy", "strncpy", "strchr", "strrchr",
	"strcat", "strstr", "__memcmpeq*", "__strcasecmp*", "__strncasecmp*",
	/* stdio formatting that relays a bad argument */
	"__vfprintf_internal", "__printf_buffer*", "vfprintf", "printf_positional",
	"__vsnprintf_internal", "vsnprintf", "__vsprintf_internal",
	/* process and thread start */
	"__libc_start_call_main", "__libc_start_main*", "_start", "start_thread",
	"clone", "clone3", "__clone*",
	/* locks and waits (glibc futex paths) */
	"__lll_lock_wait*", "__pthread_mutex_lock*", "___pthread_mutex_lock",
	"pthread_mutex_lock", "__futex_abstimed_wait*", "futex_wait*",
	"__pthread_cond_wait*", "___pthread_cond_wait", "pthread_cond_wait*",
	/* C++ runtime: termination and unwinding */
	"__cxa_throw", "__cxa_rethrow", "__cxa_pure_virtual", "__cxa_call_terminate",
	"_Unwind_*", "__gxx_personality_v0", "_ZSt9terminatev",
	"_ZN10__cxxabiv111__terminateEPFvvE", "_ZN10__cxxabiv112__unexpectedEPFvvE",
	"_ZN9__gnu_cxx27__verbose_terminate_handlerEv", "_ZSt10unexpectedv",
	/* GLib assertions and fatal logging (qemu, libvirt) */
	"g_assertion_message*", "g_log", "g_logv", "g_log_structured*",
	"g_log_writer_*", "g_log_default_handler", "g_error*", "g_abort",
	"g_return_if_fail_warning", "g_assert_warning", "_g_log_abort",
};

static const char *strip_gi(const char *name)
{
	return !strncmp(name, "__GI_", 5) && name[5] ? name + 5 : name;
}

bool usercrash_generic_frame(const char *func)
{
	char base[256];

	if (!func || !*func)
		return true;
	frame_base_name(strip_gi(func), base, sizeof(base));
	if (!base[0])
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(user_generic); i++)
		if (!fnmatch(user_generic[i], base, 0))
			return true;
	return false;
}

static const char *extra_s(const struct incident *inc, const char *key)
{
	const struct extra *e = incident_extra(inc, key);

	return e && e->str ? e->str : NULL;
}

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

/* The executable's base name, else the command name. */
static const char *exe_name(const struct incident *inc)
{
	const char *exe = extra_s(inc, "executable");

	if (exe && *base_name(exe))
		return base_name(exe);
	return inc->task.comm;
}

static const struct stack *crashed_stack(const struct incident *inc)
{
	for (size_t s = 0; s < inc->nr_stacks; s++)
		if (inc->stacks[s].context == STACK_THREAD && inc->stacks[s].crashed)
			return &inc->stacks[s];
	return inc->nr_stacks && inc->stacks[0].context == STACK_THREAD ? &inc->stacks[0] : NULL;
}

/* A frame's key in titles and hashes: its cleaned function name, or
   "module+0xOFF" when it has none; empty when it is generic or unknown. */
static void frame_key(const struct frame *f, char *buf, size_t n)
{
	buf[0] = 0;
	if (f->func && strcmp(f->func, "n/a")) {
		if (usercrash_generic_frame(f->func))
			return;
		frame_base_name(strip_gi(f->func), buf, n);
	} else if (f->module && f->has_module_off) {
		snprintf(buf, n, "%s+0x%llx", base_name(f->module),
			 (unsigned long long)f->module_off);
	}
}

void usercrash_title(struct incident *inc)
{
	const struct stack *st = crashed_stack(inc);
	const char *sig = extra_s(inc, "signal"), *exe = exe_name(inc);
	struct strbuf sb = STRBUF_INIT;
	uint64_t h = FNV1A64_INIT;
	char key[256], first[256] = "";
	size_t used = 0;

	h = fnv1a64(h, "coredump\n", 9);
	if (exe)
		h = fnv1a64(h, exe, strlen(exe));
	h = fnv1a64(h, "\n", 1);
	for (size_t i = 0; st && i < st->nr && used < HASH_FRAMES; i++) {
		frame_key(&st->frames[i], key, sizeof(key));
		if (!key[0])
			continue;
		if (!used)
			memcpy(first, key, sizeof(first));
		h = fnv1a64(h, key, strlen(key));
		h = fnv1a64(h, "\n", 1);
		used++;
	}
	snprintf(inc->hash, sizeof(inc->hash), "%016llx", (unsigned long long)h);
	strbuf_addstr(&sb, sig ? sig : "crash");
	if (first[0]) {
		strbuf_addf(&sb, " in %s", first);
		if (exe)
			strbuf_addf(&sb, " (%s)", exe);
	} else if (exe) {
		strbuf_addf(&sb, " in %s", exe);
	}
	free(inc->title);
	inc->title = strbuf_detach(&sb, NULL);
}

static void add_line(struct incident *inc, const char *s)
{
	strbuf_addstr(&inc->text, s);
	strbuf_addch(&inc->text, '\n');
	inc->nr_lines++;
}

void usercrash_render_text(struct incident *inc)
{
	struct strbuf sb = STRBUF_INIT;
	const struct extra *uid = incident_extra(inc, "uid");
	const char *sig = extra_s(inc, "signal"), *code = extra_s(inc, "signal_code");
	const char *addr = extra_s(inc, "fault_address"), *exe = extra_s(inc, "executable");
	const char *cmd = extra_s(inc, "cmdline");

	strbuf_reset(&inc->text);
	inc->nr_lines = 0;
	/* systemd-coredump's submit_coredump(): the message's first line. */
	strbuf_addf(&sb, "Process %lld (%s) of user ", inc->task.pid,
		    inc->task.comm ? inc->task.comm : "n/a");
	if (uid && !uid->str)
		strbuf_addf(&sb, "%lld", uid->num);
	else
		strbuf_addstr(&sb, "n/a");
	strbuf_addstr(&sb, " dumped core.");
	add_line(inc, sb.buf);
	add_line(inc, "");
	if (sig) {
		const struct extra *num = incident_extra(inc, "signal_number");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "Signal: %lld (%s)", num && !num->str ? num->num : 0, sig);
		if (code)
			strbuf_addf(&sb, " code %s", code);
		if (addr)
			strbuf_addf(&sb, " address %s", addr);
		add_line(inc, sb.buf);
	}
	if (exe) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "Executable: %s", exe);
		add_line(inc, sb.buf);
	}
	if (cmd) {
		strbuf_reset(&sb);
		strbuf_addf(&sb, "Command Line: %s", cmd);
		add_line(inc, sb.buf);
	}
	for (size_t s = 0; s < inc->nr_stacks; s++) {
		const struct stack *st = &inc->stacks[s];
		if (st->context != STACK_THREAD)
			continue;
		add_line(inc, "");
		strbuf_reset(&sb);
		strbuf_addf(&sb, "Stack trace of thread %lld:", st->tid);
		add_line(inc, sb.buf);
		/* elf-util.c frame_callback(): "#%-2u 0x%016" PRIx64 " %s (%s + 0x%" PRIx64 ")" */
		for (size_t i = 0; i < st->nr; i++) {
			const struct frame *f = &st->frames[i];
			strbuf_reset(&sb);
			strbuf_addf(&sb, "#%-2zu 0x%016llx %s (%s + 0x%llx)", i,
				    (unsigned long long)f->addr, f->func ? f->func : "n/a",
				    f->module ? base_name(f->module) : "n/a",
				    (unsigned long long)f->module_off);
			add_line(inc, sb.buf);
		}
	}
	strbuf_release(&sb);
}

void usercrash_add_source(struct incident *inc, const char *name)
{
	const char *cur = extra_s(inc, "sources");
	struct strbuf sb = STRBUF_INIT;

	if (cur) {
		const char *p = cur;
		size_t n = strlen(name);
		while ((p = strstr(p, name))) {
			if ((p == cur || p[-1] == ',') && (p[n] == 0 || p[n] == ','))
				return;
			p += n;
		}
		strbuf_addf(&sb, "%s,", cur);
	}
	strbuf_addstr(&sb, name);
	incident_extra_str(inc, "sources", sb.buf);
	strbuf_release(&sb);
}

bool usercrash_wall_seconds(const char *wall, double *out)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct tm tm;
	const char *p;
	char *end;
	double frac = 0;
	long zone = 0;

	if (!wall)
		return false;
	memset(&tm, 0, sizeof(tm));
	if ((p = strptime(wall, "%Y-%m-%dT%H:%M:%S", &tm)) ||
	    (p = strptime(wall, "%Y-%m-%d %H:%M:%S", &tm))) {
		;
	} else if (strlen(wall) >= 15 && wall[3] == ' ') {
		const char *m = strstr(months, (char[4]){ wall[0], wall[1], wall[2], 0 });
		if (!m || (m - months) % 3)
			return false;
		tm.tm_mon = (int)((m - months) / 3);
		tm.tm_year = 100;
		p = strptime(wall + 4, "%d %H:%M:%S", &tm);
		if (!p)
			return false;
	} else {
		return false;
	}
	if (*p == '.' || *p == ',') {
		frac = strtod(p, &end);
		if (*p == ',')
			frac = 0;
		p = end;
	}
	if ((*p == '+' || *p == '-') && strlen(p) >= 5) {
		int hh = (p[1] - '0') * 10 + (p[2] - '0');
		int mm = p[3] == ':' ? (p[4] - '0') * 10 + (p[5] - '0') : (p[3] - '0') * 10 + (p[4] - '0');
		zone = (hh * 3600L + mm * 60L) * (*p == '-' ? -1 : 1);
	}
	*out = (double)timegm(&tm) - (double)zone + frac;
	return true;
}

bool usercrash_same_crash(const struct incident *core, const struct incident *seg,
			  double max_seconds)
{
	const struct stack *st = crashed_stack(core);
	double a, b;

	if ((core->host == NULL) != (seg->host == NULL) ||
	    (core->host && strcmp(core->host, seg->host)))
		return false;
	if (seg->task.pid < 0 ||
	    (seg->task.pid != core->task.pid && !(st && st->tid == seg->task.pid)))
		return false;
	if (usercrash_wall_seconds(core->wall, &a) && usercrash_wall_seconds(seg->wall, &b))
		return a - b <= max_seconds && b - a <= max_seconds;
	return true;
}

/* The signal a kernel line implies: "segfault at" is SIGSEGV; traps name
   theirs (arch/x86/kernel/traps.c do_error_trap() → show_signal()). */
static const char *kernel_signal(const struct incident *seg)
{
	const char *trap = extra_s(seg, "trap");

	if (!trap)
		return "SIGSEGV";
	if (strstr(trap, "invalid opcode"))
		return "SIGILL";
	if (strstr(trap, "divide error"))
		return "SIGFPE";
	if (strstr(trap, "int3"))
		return "SIGTRAP";
	return "SIGSEGV";
}

void usercrash_merge_kernel(struct incident *core, const struct incident *seg)
{
	static const char *const keys[] = { "fault_address", "user_ip", "error_code",
					    "object", "trap" };
	struct strbuf text = STRBUF_INIT;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		const struct extra *e = incident_extra(seg, keys[i]);
		if (!e || incident_extra(core, keys[i]))
			continue;
		if (e->str)
			incident_extra_str(core, keys[i], e->str);
		else
			incident_extra_num(core, keys[i], e->num);
	}
	if (!incident_extra(core, "signal")) {
		const char *sig = kernel_signal(seg);
		incident_extra_str(core, "signal", sig);
		incident_extra_num(core, "signal_number", usercrash_signal_number(sig));
	}
	if (!core->task.comm && seg->task.comm)
		core->task.comm = xstrdup(seg->task.comm);
	if (!core->wall && seg->wall)
		core->wall = xstrdup(seg->wall);
	if (!core->wall_inferred && seg->wall_inferred)
		core->wall_inferred = xstrdup(seg->wall_inferred);
	if (!core->kernel.release && seg->kernel.release)
		core->kernel.release = xstrdup(seg->kernel.release);
	/* The kernel's lines first: they were printed first. */
	strbuf_add(&text, seg->text.buf, seg->text.len);
	strbuf_add(&text, core->text.buf, core->text.len);
	strbuf_release(&core->text);
	core->text = text;
	core->nr_lines += seg->nr_lines;
	if (seg->source.line && (!core->source.line || seg->source.line < core->source.line)) {
		core->source.line = seg->source.line;
		core->source.offset = seg->source.offset;
	}
	if (seg->source.end_line > core->source.end_line)
		core->source.end_line = seg->source.end_line;
	usercrash_add_source(core, "kernel");
}
