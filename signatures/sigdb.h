/*
** sigdb: known-bug signatures loaded for matching. Regexes are compiled once
** with PCRE2 JIT and run with match and depth limits: a limit hit counts as
** "no match" and warns once per signature, so a hostile pattern cannot hang
** a scan. Signatures are indexed by kind and by the literal function names
** of their frame patterns, so an incident is tested against a few candidates.
**
** Predicates are rows of one table (sigpred.c), evaluated in order: kind,
** title-regex, frames, text-regex, waiting-for, kernel, hypervisor,
** hardware, boot-regex, count. A match gets evidence from every row, the
** kernel's fix status (fixstatus.h) and the signature's lifecycle fields.
** Retired signatures never match; `ksift explain` still evaluates them.
**
** waiting-for tests the lock a blocked task waits for, which is known only
** once a flood is grouped (group.h): until then the match is pending, and
** sigdb_settle() decides it. Every consumer calls sigdb_settle() on each
** incident it receives after grouping.
**
** Read-only after loading: any number of threads may match concurrently.
** Owns: the signatures and compiled patterns; sigdb_close() frees them.
*/
#ifndef KSIFT_SIGDB_H
#define KSIFT_SIGDB_H

#include "context.h"
#include "incident.h"
#include "sigstore.h"
#include "strbuf.h"

struct sigdb;

/* NULL with a message in err for a missing, corrupt or foreign file. */
struct sigdb *sigdb_open(const char *path, struct strbuf *err);
/* From signatures already read (takes the set's contents). */
struct sigdb *sigdb_from_set(struct sig_set *set, struct strbuf *err);
void sigdb_close(struct sigdb *db);
size_t sigdb_size(const struct sigdb *db);
/* The i-th signature (0 <= i < sigdb_size), in id order. */
const struct signature *sigdb_signature(const struct sigdb *db, size_t i);
/* The signature with this id, or NULL. */
const struct signature *sigdb_find(const struct sigdb *db, const char *id);

/*
 * Append the signatures inc matches to inc->matches, most specific first,
 * each with its evidence. ctx is the incident's boot (for kernel, hypervisor,
 * hardware and boot-regex); may be NULL.
 */
void sigdb_match_incident(const struct sigdb *db, struct incident *inc,
			  const struct boot_context *ctx);

/* After grouping: decide pending matches (waiting-for), drop those that fail. */
void sigdb_settle(const struct sigdb *db, struct incident *inc);

/*
 * Signatures that test only host and boot (a known-bad kernel build): for a
 * finished boot, each one that matches gives a new record of kind
 * `condition`, handed to add() (which owns it).
 */
void sigdb_match_boot(const struct sigdb *db, const struct boot_context *ctx,
		      void (*add)(void *data, struct incident *inc), void *data);

/* ---- why (not): ksift explain, db test -v ------------------------------ */

enum pred_result { PRED_PASS, PRED_FAIL, PRED_DEFER };

struct sig_verdict {
	const char *predicate;	/* "frames", "kernel", … (static) */
	enum pred_result result;
	char *detail;		/* evidence, or why it failed */
	unsigned long line;	/* the log line detail quotes, 0: none */
};

struct sig_evaluation {
	const struct signature *sig;
	struct sig_verdict *v;
	size_t nr, alloc;
	size_t passed, failed;	/* verdicts of each result */
	int score;		/* specificity of what passed */
	enum pred_result result;
};

/*
 * Evaluate every signature (retired ones too) against inc with every
 * predicate, failures explained. *out gets sigdb_size() evaluations in
 * signature order; free with sigdb_evaluations_free().
 */
void sigdb_explain(const struct sigdb *db, const struct incident *inc,
		   const struct boot_context *ctx, struct sig_evaluation **out);
/* Decide the pending verdicts of evaluations made before grouping. */
void sigdb_explain_settle(const struct sigdb *db, const struct incident *inc,
			  struct sig_evaluation *ev);
void sigdb_evaluations_free(struct sig_evaluation *ev, size_t nr);
/* The first failing verdict of an evaluation, NULL when none failed. */
const struct sig_verdict *sig_evaluation_first_failure(const struct sig_evaluation *ev);

#endif
