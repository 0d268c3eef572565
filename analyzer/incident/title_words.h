/*
** title_words: how a message printed with a report becomes the constant
** part of a title — variable words (addresses, numbers, task and device
** names) dropped, replaced by NUM or cut, so the same bug on another host or
** boot gets the same title (TITLES.md). Pure functions appending to a
** strbuf the caller owns.
*/
#ifndef KSIFT_TITLE_WORDS_H
#define KSIFT_TITLE_WORDS_H

#include <stdbool.h>

#include "strbuf.h"

/* [w, we) is exactly lit. */
bool title_word_is(const char *w, const char *we, const char *lit);
bool title_word_has_digit(const char *w, const char *we);
/*
 * A header message without its variable parts: words holding numbers or
 * addresses dropped; it ends at "at X"/"on X"/"in process …", " - ", a
 * bracketed detail, a word ending in '!' and (stop_at_colon) in ':'.
 */
void title_add_stable_words(struct strbuf *sb, const char *p, const char *end,
			    bool stop_at_colon);
/* As printed, "+0x14/0x20" offsets dropped, numbers as NUM (syzkaller's). */
void title_add_numbers_as_num(struct strbuf *sb, const char *p, const char *end);
/* A panic message up to its first variable part ("… ldisc for ptm3 ---
   error -12." → "… ldisc"), numbers kept before it as NUM. */
void title_add_panic_words(struct strbuf *sb, const char *p, const char *end);

#endif
