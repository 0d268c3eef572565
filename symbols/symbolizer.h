/*
** symbolizer: turn kernel frames (func+0xOFF/0xSIZE [module], raw addresses)
** into source locations and inline chains from vmlinux and module debuginfo,
** in-process through libdwfl (elfutils).
**
** Lazy: symbolizer_new() opens nothing. The first frame of a release opens that
** release's vmlinux; the first frame of a module opens that module's .ko. Each
** debug file gets its own Dwfl session, a sorted symbol-name index built once,
** and a per-address result cache.
**
** Ownership: struct symbolizer is opaque and owns every Dwfl, index and cache;
** symbolizer_free() releases all of it. The strings that resolving writes into
** a struct frame (f->src, f->inlined[i].func/.src) are freshly allocated and
** owned by the frame (frame_release() frees them); earlier values are freed.
**
** Mapping of `addr2line -i -f` output (pairs (func_k, src_k), k = 0..n,
** innermost first) to the frame: f->src = src_0 (the line-table location,
** inside the innermost inlined function); f->inlined[i] (i = 0..n-1) is the
** i-th inlined function, innermost first: .func = its name (func_i), .src =
** where it was inlined into its caller (src_{i+1}). The outermost function is
** the frame's own f->func. So the addr2line list is f->src, then each
** inlined[i].src in order. See symbols/README.md.
**
** Not thread-safe: one struct symbolizer holds libdwfl sessions and caches
** that every call may change, so it is used by one thread at a time. The
** scan (-j) resolves frames in the delivering thread only (cmd_scan.c);
** code that wants to symbolize from several threads makes one symbolizer
** per thread.
*/
#ifndef KSIFT_SYMBOLIZER_H
#define KSIFT_SYMBOLIZER_H

#include <stdbool.h>
#include <stdint.h>

#include "incident.h"

struct symbolizer_options {
	const char *vmlinux;		/* explicit vmlinux (used for every release) */
	const char *modules_dir;	/* searched recursively for NAME.ko(.debug) */
	const char *debug_root;		/* NULL = /usr/lib/debug */
	bool debuginfod;		/* fetch by build ID when DEBUGINFOD_URLS is set */
	bool quiet;			/* no warnings on stderr */
};

struct symbolizer;

/* Copies the option strings. Opens nothing yet. */
struct symbolizer *symbolizer_new(const struct symbolizer_options *opts);
void symbolizer_free(struct symbolizer *s);

/*
 * Fill f->src and f->inlined for one frame of a kernel with the given release
 * (may be NULL = use --vmlinux). A frame with only an address is resolved as
 * a vmlinux address as is (no slide; see symbolizer_resolve_frame_slide).
 * Returns 0 if resolved, -1 if not (missing debuginfo is warned once per module).
 */
int symbolizer_resolve_frame(struct symbolizer *s, const char *release,
			     struct frame *f);

/*
 * Like symbolizer_resolve_frame; a vmlinux frame with no symbol but an address
 * is looked up at addr - slide when has_slide.
 */
int symbolizer_resolve_frame_slide(struct symbolizer *s, const char *release,
				   struct frame *f, bool has_slide,
				   uint64_t slide);

/*
 * The KASLR slide of a vmlinux frame that prints both its address and
 * func+off: addr - (symbol address + off). Returns false when the frame has
 * not both, is a module frame, or the symbol is unknown or ambiguous.
 */
bool symbolizer_frame_slide(struct symbolizer *s, const char *release,
			    const struct frame *f, uint64_t *slide);

/* Every frame of every stack and the ip of one incident (release from
 * inc->kernel.release); derives the KASLR slide from frames that carry both
 * addr and func+off. */
void symbolizer_annotate_incident(struct symbolizer *s, struct incident *inc);

#endif
