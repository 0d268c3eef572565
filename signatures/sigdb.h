/*
** sigdb: known-bug signatures loaded for matching. Regexes are compiled once
** with PCRE2 JIT and run with match and depth limits: a limit hit counts as
** "no match" and warns once per signature, so a hostile pattern cannot hang
** a scan. Signatures are indexed by kind and by the literal function names
** of their frame patterns, so an incident is tested against a few candidates.
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

/*
 * Append the signatures inc matches to inc->matches, most specific first,
 * each with its evidence. ctx is the incident's boot (for kernel, hypervisor,
 * hardware and boot-regex); may be NULL.
 */
void sigdb_match_incident(const struct sigdb *db, struct incident *inc,
			  const struct boot_context *ctx);

/*
 * Signatures that test only host and boot (a known-bad kernel build): for a
 * finished boot, each one that matches gives a new record of kind
 * `condition`, handed to add() (which owns it).
 */
void sigdb_match_boot(const struct sigdb *db, const struct boot_context *ctx,
		      void (*add)(void *data, struct incident *inc), void *data);

#endif
