#include "header_lost.h"
#include "util.h"

#include <string.h>

/* "Oops: 0000 [#1] PREEMPT SMP NOPTI": __die_header() with str "Oops". */
static bool is_oops_banner(const char *msg, size_t len)
{
	const char *p = msg + 6, *end = msg + len;
	int digits = 0;

	if (!mem_starts_with(msg, len, "Oops: "))
		return false;
	while (p < end && is_hex_digit((unsigned char)*p)) {
		p++;
		digits++;
	}
	return digits >= 1 && mem_starts_with(p, (size_t)(end - p), " [#");
}

enum incident_kind header_lost_start(const char *msg, size_t len, bool *weak)
{
	*weak = false;
	while (len && (*msg == ' ' || *msg == '\t')) {
		msg++;
		len--;
	}
	if (is_oops_banner(msg, len) || mem_starts_with(msg, len, "#PF: "))
		return KIND_OOPS;
	if (mem_starts_with(msg, len, "RIP: ") || mem_starts_with(msg, len, "pc : ")) {
		*weak = true;
		return KIND_BUG;
	}
	return KIND_NONE;
}

bool header_lost_announced(const char *msg, size_t len)
{
	/* lib/nmi_backtrace.c; and fail_dump() (lib/fault-inject.c), whose
	   dump_stack() in an interrupt shows the interrupted registers and
	   stack after "</IRQ>" */
	while (len && (*msg == ' ' || *msg == '\t')) {
		msg++;
		len--;
	}
	return mem_starts_with(msg, len, "NMI backtrace for cpu") ||
	       mem_starts_with(msg, len, "FAULT_INJECTION: forcing a failure");
}

const char *header_lost_fault(const char *text, size_t len, unsigned long long *addr)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *q;
		if (!nl)
			nl = end;
		q = mem_skip_blanks(p, nl);
		/* "CR2: 0000000000000008" (oops_end) or "CR2: … CR3: …" (__show_regs) */
		if (mem_starts_with(q, (size_t)(nl - q), "CR2: ") &&
		    parse_hex(q + 5, nl, addr))
			return *addr < 4096 ? "null_pointer" : "paging_request";
		p = nl + 1;
	}
	return NULL;
}
