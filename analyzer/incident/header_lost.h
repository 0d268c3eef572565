/*
** header_lost: reports whose first line is gone (a NUL run or a cut over it,
** a console that dropped it). Their later lines still say what they are, so
** such a report opens on them, flagged corrupted, reason HEADER_LOST_REASON,
** titled from what is there.
**
** x86, arch/x86/mm/fault.c and arch/x86/kernel/dumpstack.c (6.1):
**   show_fault_oops()   "#PF: %s %s in %s mode", "#PF: error_code(0x%04lx) - %s"
**   page_fault_oops() → __die("Oops") → __die_header()
**                       "Oops: %04lx [#%d]%s%s…" (" PREEMPT SMP NOPTI")
**   show_regs() → __show_regs() → show_iret_regs() → show_ip()
**                       "RIP: %04x:%pS", registers, "CR2: %016lx CR3: …"
**   show_trace_log_lvl() "Call Trace:"
** arm64, arch/arm64/kernel/process.c __show_regs(): "pc : %pS", "lr : %pS",
**   and dump_backtrace() "Call trace:".
**
** "Oops: … [#N]" and "#PF:" belong to a page-fault Oops and nothing else:
** they open one (KIND_OOPS). "RIP:" and "pc :" are printed by every
** show_regs(): they open a report only when a stack trace follows (a weak
** start), since oops_end() prints the registers once more, without a
** trace, after "---[ end trace" ("Executive summary in case the oops
** scrolled away"). Register dumps that say why they are printed ("NMI
** backtrace for cpu N", lib/nmi_backtrace.c; "sysrq: Show Regs",
** drivers/tty/sysrq.c; "FAULT_INJECTION: forcing a failure", fail_dump())
** are no lost header.
**
** Pure functions over message bytes; no state.
*/
#ifndef KSIFT_HEADER_LOST_H
#define KSIFT_HEADER_LOST_H

#include <stdbool.h>
#include <stddef.h>

#include "incident.h"

#define HEADER_LOST_REASON "header lost"

/*
 * The kind a message opens when no report is open on its printk key and
 * the report's header was lost, or KIND_NONE. *weak: only if a stack trace
 * follows.
 */
enum incident_kind header_lost_start(const char *msg, size_t len, bool *weak);

/* A register dump announced as such: "NMI backtrace for cpu 3",
   "FAULT_INJECTION: forcing a failure". */
bool header_lost_announced(const char *msg, size_t len);

/*
 * For a header-lost Oops: what failed, as show_fault_oops() would have said
 * it — "null_pointer" when CR2 (the faulting address) is below PAGE_SIZE
 * (4096 on x86), else "paging_request"; NULL when no "CR2:" line survived.
 * Sets *addr to the address.
 */
const char *header_lost_fault(const char *text, size_t len, unsigned long long *addr);

#endif
