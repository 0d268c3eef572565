/*
** profile_formats: the text forms a CPU profile reaches a support case in,
** parsed line by line into a profile (profile.h).
**
**   perf script   builtin-script.c: per sample a line from
**                 perf_sample__fprintf_start() ("comm tid [cpu] time: period
**                 event: "), then, with callchains, one line per frame from
**                 sample__fprintf_callchain() ("\t%16lx sym+off (dso)",
**                 innermost first) and a blank line; without, "ip sym (dso)"
**                 on the sample line. Any -F field set with ip,sym works:
**                 fields that are absent are simply not used (-F ip,sym has
**                 no sample line at all, samples end at blank lines).
**   perf report   builtin-report.c with --stdio: "# Samples: 14K of event
**                 'cpu-clock'", the column header, one line per entry
**                 ("  4.76%  comm  dso  [k] sym", with a Children column
**                 first when children are accumulated), and under it the call
**                 graph drawn by ui/stdio/hist.c (callchain__fprintf_graph():
**                 "---sym", "|--1.52%--sym", " --1.38%--sym", continuation
**                 names at the column of their chain). Callee order (the
**                 entry is the innermost frame) and caller order (the chain
**                 starts at the outermost caller) are told apart by where the
**                 entry's own symbol stands. Percentages become samples
**                 against the stated total.
**   folded        stackcollapse-perf.pl / `perf script report
**                 stackcollapse`: "outer;…;inner COUNT", "_[k]"-style
**                 annotations removed.
**
** Owns: the parser's state; profile_parser_free() releases it (not the
** profile).
*/
#ifndef KSIFT_PROFILE_FORMATS_H
#define KSIFT_PROFILE_FORMATS_H

#include <stddef.h>

#include "profile.h"

enum profile_format { PROFILE_PERF_SCRIPT, PROFILE_PERF_REPORT, PROFILE_FOLDED };

const char *profile_format_name(enum profile_format f);

struct profile_parser;

struct profile_parser *profile_parser_new(enum profile_format f, struct profile *p);
/* One line, without its '\n'. Lines that fit no rule are passed over. */
void profile_parser_line(struct profile_parser *pp, const char *line, size_t len);
/* End of input: the last sample (or graph) is added. */
void profile_parser_finish(struct profile_parser *pp);
void profile_parser_free(struct profile_parser *pp);

#endif
