#include "prefilter_impl.h"
#include "util.h"

/*
 * Every literal that can make a line interesting. Keep in sync with
 * classify_start() and context.c's fact extraction; tests/prefilter.sh
 * fails when a start is missed. A literal that contains another one is
 * dropped when the tables are built: every line holding it holds the
 * shorter one too.
 */
const char *const pf_literals[] = {
	/* incident starts */
	"BUG: ", "INFO: task ", "INFO: rcu", "rcu: INFO", "Internal error",
	"Watchdog detected", "WARNING: ", "general protection fault",
	"stack segment", "kernel BUG", "Kernel panic", "Unable to handle",
	"TCP: ", "Out of socket", "cut here", "invoked oom-killer",
	": segfault at", "traps: ", "KASAN", "KFENCE", "KMSAN", "KCSAN", "UBSAN",
	"unreferenced object", "page allocation failure", "Hardware Error",
	"EDAC", "I/O error", "EXT4-fs error", "XFS (", "BTRFS", "unregister_netdevice",
	"SysRq", "sysrq: ", "Oops", "Out of memory", "proc_dir_entry", "VFS: ", "panicked at ",
	/* what still says "a report" when its header was lost (header_lost.h),
	   and the register dumps announced as something else */
	"#PF: ", "RIP: ", "pc : ", "NMI backtrace", "FAULT_INJECTION",
	/* titles branch: traps, lockdep banners, WARNING preludes, host errors */
	"PANIC: double fault", "divide error", "divide_error", "invalid opcode", "int3: ",
	"INFO: ", "list_add corruption", "list_del corruption", "refcount_t: ", "ODEBUG: ",
	"kobject: ", "kobject_add_internal", "usercopy: ", "DEBUG_LOCKS_WARN_ON",
	"nvme nvme", "-fs error", "Kernel BUG", "kernel stack overflow", "Unhandled fault",
	"BUG ",
	/*
	 * restarts (reboot.h): firmware banners, announced restarts ("sysrq:
	 * Resetting" through "sysrq: ", a panic's "Rebooting in" after its
	 * panic), syzkaller's executor failures. Each literal costs false
	 * candidates in the 8 buckets: as few as reboot.h needs.
	 */
	"SeaBIOS (", "Booting the kernel", "Restarting system", "Power down", "System halted",
	"SYZFA",
	/* userspace crashes: systemd-coredump's "Process N (c) of user U dumped core." */
	" dumped core.",
	/* boot and context facts */
	"Linux version", "Command line", "DMI: ", "Hypervisor detected",
	"Hardware name", "smpboot: CPU0", "Booting paravirtualized", "-- Boot",
	"-- Reboot",
};

const size_t pf_nr_literals = ARRAY_SIZE(pf_literals);
_Static_assert(ARRAY_SIZE(pf_literals) <= PF_MAX_LITERALS, "raise PF_MAX_LITERALS");
