/*
** sig: one compiled signature — its definition (sigfile.h) plus compiled
** PCRE2 patterns (JIT), frame patterns and kernel ranges — and the test of
** one signature against one incident or one finished boot.
**
** PCRE2 runs with a match limit and a depth limit (and a bounded JIT stack):
** a pattern that hits a limit counts as "no match", and the first time that
** happens for a signature one warning names it. Signature files are untrusted.
**
** Owns: a sig owns its sig_def and compiled patterns (sig_free()); a
** sig_env owns the PCRE2 match context/data and is not thread-safe: use one
** per thread.
*/
#ifndef KSIFT_SIG_H
#define KSIFT_SIG_H

#include <stdbool.h>
#include <stddef.h>

#include "context.h"
#include "incident.h"
#include "sigfile.h"
#include "strbuf.h"

#define SIG_MATCH_LIMIT 200000
#define SIG_DEPTH_LIMIT 2000
#define SIG_HEAP_LIMIT_KB 4096

struct sig;
struct sig_env;

/*
 * Compile a parsed definition; takes ownership of def (freed on failure).
 * NULL on error with "ORIGIN:LINE: field: message at offset N" in err.
 */
struct sig *sig_compile(struct sig_def *def, struct strbuf *err);
void sig_free(struct sig *s);
const struct sig_def *sig_def(const struct sig *s);
bool sig_is_condition(const struct sig *s);
/* Literal function names of all frame patterns (for the index). */
size_t sig_frame_literals(const struct sig *s, const char **out, size_t max);

struct sig_env *sig_env_new(void);
void sig_env_free(struct sig_env *env);

/*
 * Test s against inc (ctx may be NULL: boot predicates then fail). On a
 * match fills *out (zeroed first; release with match_release()) with id,
 * title, severity, fix, workaround, evidence and specificity; returns true.
 */
bool sig_match_incident(struct sig *s, struct sig_env *env, const struct incident *inc,
			const struct boot_context *ctx, struct match *out);

/*
 * For condition signatures: test the finished boot; on a match fill *out as
 * above and set *line to the log line of the strongest evidence.
 */
bool sig_match_boot(struct sig *s, struct sig_env *env, const struct boot_context *ctx,
		    struct match *out, unsigned long *line);

#endif
