/*
** unwind: libunwind's remote API over a core (unwind.h).
*/
#include "config.h"
#include "unwind.h"
#include "cfitable.h"
#include "util.h"

#include <libunwind.h>
#include <stdlib.h>
#include <string.h>

/*
 * libunwind 1.6's own search of a remote .eh_frame_hdr table: exported by
 * libunwind-x86_64 (libunwind-ptrace and -coredump call it) but declared in
 * no public header before unw_get_proc_info_in_range() (1.7). configure
 * checks that it links.
 */
extern int _Ux86_64_dwarf_search_unwind_table(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di, unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);

#define STEP_READ_BUDGET (1u << 20)
#define MAX_FDE_COUNT (1u << 24)

enum cfi_state { CFI_UNKNOWN, CFI_NONE, CFI_TABLE };

struct module_cfi {
	enum cfi_state state;
	unw_dyn_info_t di;
	struct cfi_table made;	/* no .eh_frame_hdr: ksift's own table */
	/* .debug_frame, tried when the table above has no entry for an
	   address of the module. */
	enum cfi_state dbg_state;
	unw_dyn_info_t dbg_di;
	struct cfi_table dbg;
};

struct unwind_ctx {
	struct unwinder *u;
	uint64_t regs[CORE_NREGS];
	uint64_t budget;
};

struct unwinder {
	struct core_file *core;
	unw_addr_space_t as;
	struct module_cfi *cfi;
	size_t nr_cfi;
	/* The modules whose tables ksift made (served by read_word()). */
	size_t *made;
	size_t nr_made, alloc_made;
};

/* libunwind's x86_64 register numbers → struct user_regs_struct slots. */
static int core_reg_of(unw_regnum_t reg)
{
	static const int map[] = {
		[UNW_X86_64_RAX] = CORE_RAX, [UNW_X86_64_RDX] = CORE_RDX,
		[UNW_X86_64_RCX] = CORE_RCX, [UNW_X86_64_RBX] = CORE_RBX,
		[UNW_X86_64_RSI] = CORE_RSI, [UNW_X86_64_RDI] = CORE_RDI,
		[UNW_X86_64_RBP] = CORE_RBP, [UNW_X86_64_RSP] = CORE_RSP,
		[UNW_X86_64_R8] = CORE_R8, [UNW_X86_64_R9] = CORE_R9,
		[UNW_X86_64_R10] = CORE_R10, [UNW_X86_64_R11] = CORE_R11,
		[UNW_X86_64_R12] = CORE_R12, [UNW_X86_64_R13] = CORE_R13,
		[UNW_X86_64_R14] = CORE_R14, [UNW_X86_64_R15] = CORE_R15,
		[UNW_X86_64_RIP] = CORE_RIP,
	};

	if (reg < 0 || (size_t)reg >= ARRAY_SIZE(map))
		return -1;
	return map[reg];
}

static int read_word(struct unwind_ctx *ctx, uint64_t addr, void *out, size_t len)
{
	struct unwinder *u = ctx->u;

	if (ctx->budget < len)
		return -UNW_EINVAL;
	ctx->budget -= len;
	for (size_t i = 0; i < u->nr_made; i++) {
		const struct module_cfi *mc = &u->cfi[u->made[i]];
		for (int k = 0; k < 2; k++) {
			const struct cfi_table *t = k ? &mc->dbg : &mc->made;
			if (t->mem && addr >= t->mem_addr && addr - t->mem_addr < t->mem_len) {
				if (len > t->mem_len - (addr - t->mem_addr))
					return -UNW_EINVAL;
				memcpy(out, t->mem + (addr - t->mem_addr), len);
				return 0;
			}
		}
	}
	return core_read(u->core, addr, out, len) == len ? 0 : -UNW_EINVAL;
}

/* A table made from the file's .eh_frame or .debug_frame (cfitable.h),
 * into T and DI. */
static bool made_table(struct unwinder *u, size_t i, bool debug_frame,
		       struct cfi_table *t, unw_dyn_info_t *di)
{
	struct core_module *m = core_module(u->core, i);

	if (!m || m->path[0] != '/' || !cfi_table_build(u->core, i, debug_frame, t))
		return false;
	memset(di, 0, sizeof(*di));
	di->start_ip = m->start;
	di->end_ip = m->end;
	di->format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di->u.rti.segbase = t->segbase;
	di->u.rti.table_len = t->count * 8 / sizeof(unw_word_t);
	di->u.rti.table_data = t->table;
	ALLOC_GROW(u->made, u->nr_made + 1, u->alloc_made);
	u->made[u->nr_made++] = i;
	return true;
}

/* Size of a DW_EH_PE-encoded value (0: unsupported). */
static size_t enc_size(unsigned enc)
{
	switch (enc & 0x0f) {
	case 0x00: return 8;	/* absptr */
	case 0x02: case 0x0a: return 2;
	case 0x03: case 0x0b: return 4;
	case 0x04: case 0x0c: return 8;
	default: return 0;
	}
}

/* The .eh_frame_hdr of module I, as libunwind's remote table. */
static struct module_cfi *module_cfi(struct unwinder *u, size_t i)
{
	struct module_cfi *mc = &u->cfi[i];
	struct core_module *m;
	unsigned char hdr[4];
	uint64_t count = 0, table;
	size_t psize, csize;

	if (mc->state != CFI_UNKNOWN)
		return mc;
	mc->state = CFI_NONE;
	m = core_module(u->core, i);
	if (!m)
		return mc;
	if (!m->eh_frame_hdr) {
		if (made_table(u, i, false, &mc->made, &mc->di))
			mc->state = CFI_TABLE;
		return mc;
	}
	/* version 1, eh_frame_ptr_enc, fde_count_enc, table_enc (LSB's
	   .eh_frame_hdr); libunwind reads only the sdata4 datarel table. */
	if (core_read(u->core, m->eh_frame_hdr, hdr, 4) != 4 || hdr[0] != 1 ||
	    hdr[3] != 0x3b)
		return mc;
	psize = enc_size(hdr[1]);
	csize = enc_size(hdr[2]);
	if (!psize || !csize || (hdr[2] & 0x70))
		return mc;
	if (core_read(u->core, m->eh_frame_hdr + 4 + psize, &count, csize) != csize)
		return mc;
	if (csize == 2)
		count &= 0xffff;
	else if (csize == 4)
		count &= 0xffffffffu;
	table = m->eh_frame_hdr + 4 + psize + csize;
	if (!count || count > MAX_FDE_COUNT || table >= m->end ||
	    count * 8 > m->end - table)
		return mc;
	memset(&mc->di, 0, sizeof(mc->di));
	mc->di.start_ip = m->start;
	mc->di.end_ip = m->end;
	mc->di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	mc->di.u.rti.name_ptr = 0;
	mc->di.u.rti.segbase = m->eh_frame_hdr;
	mc->di.u.rti.table_len = count * 8 / sizeof(unw_word_t);
	mc->di.u.rti.table_data = table;
	mc->state = CFI_TABLE;
	return mc;
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct unwind_ctx *ctx = arg;
	long mi = core_module_index(ctx->u->core, ip);
	struct module_cfi *mc;
	int r = -UNW_ENOINFO;

	if (mi < 0)
		return -UNW_ENOINFO;
	mc = module_cfi(ctx->u, (size_t)mi);
	if (mc->state == CFI_TABLE && ip >= mc->di.start_ip && ip < mc->di.end_ip)
		r = _Ux86_64_dwarf_search_unwind_table(as, ip, &mc->di, pi, need_unwind_info, arg);
	if (r != -UNW_ENOINFO)
		return r;
	/* Not covered: its .debug_frame may be (a -fno-asynchronous-unwind-tables
	   build's .eh_frame holds only the crt objects' FDEs). */
	if (mc->dbg_state == CFI_UNKNOWN)
		mc->dbg_state = !mc->made.from_debug_frame &&
				made_table(ctx->u, (size_t)mi, true, &mc->dbg, &mc->dbg_di) ?
				CFI_TABLE : CFI_NONE;
	if (mc->dbg_state != CFI_TABLE || ip < mc->dbg_di.start_ip || ip >= mc->dbg_di.end_ip)
		return -UNW_ENOINFO;
	return _Ux86_64_dwarf_search_unwind_table(as, ip, &mc->dbg_di, pi, need_unwind_info, arg);
}

/* The unwind_info libunwind allocates for a table search is freed by the
 * cursor itself (dwarf's put_unwind_info): nothing of ours to release. */
static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	(void)as, (void)pi, (void)arg;
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg)
{
	(void)as, (void)addr, (void)arg;
	return -UNW_ENOINFO;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val,
		      int write, void *arg)
{
	(void)as;
	if (write)
		return -UNW_EINVAL;
	return read_word(arg, addr, val, sizeof(*val));
}

static int access_reg(unw_addr_space_t as, unw_regnum_t reg, unw_word_t *val,
		      int write, void *arg)
{
	struct unwind_ctx *ctx = arg;
	int slot = core_reg_of(reg);

	(void)as;
	if (write || slot < 0)
		return -UNW_EBADREG;
	*val = ctx->regs[slot];
	return 0;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t reg, unw_fpreg_t *val,
			int write, void *arg)
{
	(void)as, (void)reg, (void)val, (void)write, (void)arg;
	return -UNW_EBADREG;
}

static int resume(unw_addr_space_t as, unw_cursor_t *c, void *arg)
{
	(void)as, (void)c, (void)arg;
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			 unw_word_t *off, void *arg)
{
	(void)as, (void)addr, (void)buf, (void)len, (void)off, (void)arg;
	return -UNW_ENOINFO;	/* names come from libdw (coresym.c) */
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

struct unwinder *unwinder_new(struct core_file *c)
{
	struct unwinder *u = xcalloc(1, sizeof(*u));

	u->core = c;
	u->nr_cfi = core_nr_modules(c);
	u->cfi = xcalloc(u->nr_cfi ? u->nr_cfi : 1, sizeof(*u->cfi));
	u->as = unw_create_addr_space(&accessors, 0);
	if (!u->as) {
		free(u->cfi);
		free(u);
		return NULL;
	}
	unw_set_caching_policy(u->as, UNW_CACHE_GLOBAL);
	return u;
}

void unwinder_free(struct unwinder *u)
{
	if (!u)
		return;
	unw_destroy_addr_space(u->as);
	for (size_t i = 0; i < u->nr_cfi; i++) {
		cfi_table_release(&u->cfi[i].made);
		cfi_table_release(&u->cfi[i].dbg);
	}
	free(u->made);
	free(u->cfi);
	free(u);
}

bool unwinder_module_has_cfi(struct unwinder *u, size_t module)
{
	return module < u->nr_cfi && module_cfi(u, module)->state == CFI_TABLE;
}

/* Whether CFI covers the address a step from this frame looks up. */
static bool has_cfi_at(struct unwinder *u, struct unwind_ctx *ctx, uint64_t ip)
{
	unw_proc_info_t pi;

	memset(&pi, 0, sizeof(pi));
	ctx->budget = STEP_READ_BUDGET;
	return find_proc_info(u->as, ip, &pi, 0, ctx) == 0;
}

/* True when ADDR lies in an executable-looking place: a module's mapping. */
static bool in_module(struct unwinder *u, uint64_t addr)
{
	return core_module_index(u->core, addr) >= 0;
}

static bool seen_before(const struct unwind_frame *out, size_t n, uint64_t pc, uint64_t sp)
{
	for (size_t i = 0; i < n; i++)
		if (out[i].pc == pc && out[i].sp == sp)
			return true;
	return false;
}

size_t unwinder_thread(struct unwinder *u, size_t ti, struct unwind_frame *out,
		       size_t max, const char **stop)
{
	const struct core_thread *t = core_thread(u->core, ti);
	struct unwind_ctx ctx;
	unw_cursor_t cur;
	size_t n = 0;
	bool reliable = true;

	*stop = NULL;
	if (!t || !max) {
		*stop = !t ? "no registers" : "depth limit";
		return 0;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.u = u;
	memcpy(ctx.regs, t->regs, sizeof(ctx.regs));
	/* A call through a bad pointer: frame 0 is nowhere; its caller's
	   return address is at the stack pointer (gdb does the same). */
	if (!in_module(u, ctx.regs[CORE_RIP])) {
		uint64_t ret;
		out[n++] = (struct unwind_frame){ .pc = ctx.regs[CORE_RIP],
			.sp = ctx.regs[CORE_RSP], .reliable = true,
			.lookup_pc = ctx.regs[CORE_RIP] };
		if (n >= max) {
			*stop = "depth limit";
			return n;
		}
		if (core_read(u->core, ctx.regs[CORE_RSP], &ret, 8) != 8) {
			*stop = "memory at the stack pointer is not in the core";
			return n;
		}
		if (!in_module(u, ret)) {
			*stop = "the instruction pointer is outside every mapping";
			return n;
		}
		ctx.regs[CORE_RIP] = ret;
		ctx.regs[CORE_RSP] += 8;
	}
	ctx.budget = STEP_READ_BUDGET;
	if (unw_init_remote(&cur, u->as, &ctx) < 0) {
		*stop = "libunwind could not start";
		return n;
	}
	for (;;) {
		unw_word_t pc = 0, sp = 0;
		struct unwind_frame *f;
		bool after_return = n > 0 && !out[n - 1].signal_frame;
		int r;

		if (unw_get_reg(&cur, UNW_REG_IP, &pc) < 0 ||
		    unw_get_reg(&cur, UNW_REG_SP, &sp) < 0) {
			*stop = "registers of a frame unreadable";
			break;
		}
		if (!pc)
			break;		/* the outermost frame's return address is 0 */
		if (seen_before(out, n, pc, sp)) {
			*stop = "loop in the stack";
			break;
		}
		if (n && sp < out[n - 1].sp && !out[n - 1].signal_frame) {
			*stop = "stack pointer moved down (corrupt stack)";
			break;
		}
		f = &out[n++];
		f->pc = pc;
		f->sp = sp;
		f->reliable = reliable;
		f->lookup_pc = after_return ? pc - 1 : pc;
		f->signal_frame = false;	/* known after the step (below) */
		if (n >= max) {
			*stop = "depth limit";
			break;
		}
		/* The next frame is reliable when this step runs on CFI from
		   registers that were not guessed themselves. */
		reliable = reliable && has_cfi_at(u, &ctx, f->lookup_pc);
		ctx.budget = STEP_READ_BUDGET;
		r = unw_step(&cur);
		/*
		 * libunwind 1.6 knows a frame is the sigreturn trampoline only
		 * once it has stepped out of it (its 'S' CFI): the flag read now
		 * is the frame just left's. Its name is at pc (its FDE starts a
		 * byte early for pc - 1), and the next frame was interrupted,
		 * not called: its pc is looked up as is.
		 */
		if (r > 0 && unw_is_signal_frame(&cur) > 0) {
			f->signal_frame = true;
			f->lookup_pc = f->pc;
		}
		if (r == 0) {
			if (!reliable)
				*stop = "the frame-pointer chain ended (no unwind info)";
			break;
		}
		if (r < 0) {
			*stop = ctx.budget < 8 ? "unwind info too large (read limit)" :
				r == -UNW_ENOINFO ? "no unwind info and no frame pointer" :
				r == -UNW_EBADFRAME ? "bad frame" :
				"memory the unwind needs is not in the core";
			break;
		}
	}
	return n;
}
