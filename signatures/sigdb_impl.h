/*
** sigdb_impl: what sigdb.c (loading, index, the public API) and
** sigpred.c (the predicates) share: compiled signatures and the
** evaluation of one signature against one incident or boot.
** Not a public interface: only those two files include it.
*/
#ifndef KSIFT_SIGDB_IMPL_H
#define KSIFT_SIGDB_IMPL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "aliases.h"
#include "sigdb.h"

struct regex_list {
	pcre2_code **v;
	size_t nr;
};

/* One alternative of a frame or lock pattern element. */
struct alt_name {
	char *glob;		/* as written, or a name of its alias group */
	char *sys;		/* for a syscall entry point: the syscall's glob */
	int sys_kind;		/* generic_frame_syscall_name(): 1 native, 2 compat */
};

struct celem {			/* a compiled element: one line of frames: */
	struct alt_name *alts;
	size_t nr_alts;
	const char *text;	/* as written (borrowed from the signature) */
	const char *module;	/* borrowed; NULL: any */
	bool gap;
	unsigned long line;
};

struct cpat {			/* one alternative pattern (between "|" lines) */
	struct celem *e;
	size_t nr;
};

struct csig {			/* a compiled signature */
	struct signature *sig;
	struct regex_list title_re, text_re, boot_re;
	struct cpat *pats;
	size_t nr_pats;
	struct celem *locks;	/* waiting-for, one element per line */
	size_t nr_locks;
	struct cpat *shares;	/* profile-share patterns, one per line */
	size_t nr_shares;
	int limit_warned;	/* set once, atomically */
};

struct idx_entry {			/* literal frame function → signatures */
	char *func;
	size_t *sigs;
	size_t nr, alloc;
};

struct sigdb {
	struct csig *sigs;
	size_t nr;
	struct sig_set set;		/* owns the signatures' sources */
	pcre2_match_context *mctx;
	/* Index: per kind (KIND_NONE = any kind) the signatures with no
	   literal frame function; and a hash of literal functions. */
	size_t *by_kind[KIND__COUNT];
	size_t nr_by_kind[KIND__COUNT], alloc_by_kind[KIND__COUNT];
	struct idx_entry *table;
	size_t table_size;
	size_t *conditions;
	size_t nr_conditions, alloc_conditions;
};

/* What one evaluation is asked for and about. */
struct eval_input {
	const struct incident *inc;	/* NULL for a boot (condition signatures) */
	const struct boot_context *ctx;	/* may be NULL */
	const char *release, *hypervisor, *hardware;
	bool explain;			/* go on after a failure; say why it failed */
};

/*
 * Evaluate c: every predicate row in order. Fills ev (verdicts with
 * evidence or, when explaining, the reason of a failure) and returns
 * PRED_PASS, PRED_FAIL or PRED_DEFER (all passed but one that waits for
 * grouping).
 */
enum pred_result sigpred_evaluate(const struct sigdb *db, struct csig *c,
				  const struct eval_input *in, struct sig_evaluation *ev);
/* Only the predicates left for after grouping (waiting-for). */
enum pred_result sigpred_settle(const struct sigdb *db, struct csig *c,
				const struct incident *inc, struct sig_evaluation *ev);

/* Compile the frame and lock patterns of c with the database's aliases. */
void sigpred_compile(struct csig *c, const struct aliases *aliases);
void sigpred_release(struct csig *c);
/* Every name under which c can be looked up by frame function (index keys). */
void sigpred_index_keys(const struct csig *c, void (*add)(void *data, const char *key),
			void *data);
/* The index key of a frame function: syscall entry points under one name. */
void sigpred_frame_key(const char *func, char *buf, size_t n);

/* ---- sigframes.c: pattern alignment, used by the predicates ------------ */

/* The furthest any attempt got, for "why not". */
struct frames_why {
	size_t best;			/* elements matched (0: none found a frame) */
	const struct cpat *pat;
	const struct frame *last;	/* the frame of element best-1 */
	const struct frame *stop;	/* the frame that ended it; NULL: stack ended */
};

/* Does a name (function or lock) match an element? full: the name with its
   suffixes (".isra.0"), or NULL. */
bool name_matches(const struct celem *e, const char *base, const char *full);
/*
 * Align one pattern with a sequence of frames: between consecutive elements
 * only generic frames (generic_frames.h) may be skipped, after a "..."
 * element any. On success the matched frames are written to ev; why (may
 * be NULL) keeps the furthest failed attempt.
 */
bool match_seq(const struct cpat *pat, const struct frame *const *fr, size_t n,
	       enum incident_kind kind, struct strbuf *ev, struct frames_why *why);
/* Any of the signature's patterns against any of the incident's stacks. */
bool match_frames(const struct csig *c, const struct incident *inc, struct strbuf *ev,
		  struct frames_why *why);
/* Why the frames failed, in words, from what match_frames() kept. */
void frames_failure(const struct csig *c, const struct frames_why *w, struct strbuf *sb);

#endif
