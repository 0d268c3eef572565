/*
** regs: the register dumps each architecture's show_regs() prints inside a
** report, and the code dump after them. A table says which lines belong to
** a dump and which architecture prints them (x86_64 and i386 __show_regs(),
** arm64 __show_regs(), powerpc __show_regs(), s390 show_registers(), riscv
** __show_regs()); rows that continue the line above them (s390's GPRS rows
** and PSW bits) and the multi-line code dumps (powerpc show_instructions(),
** s390 show_code()) are told here too. The parser keeps what they say.
**
** Owns nothing; the tables are constant. Pure functions over message bytes.
*/
#ifndef KSIFT_REGS_H
#define KSIFT_REGS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Is the message (leading blanks skipped) a line of a register dump? *arch
 * (may be NULL) is set to the architecture whose printer prints it, or to
 * NULL when several print it alike ("CR2:", "pc :").
 */
bool regs_is_line(const char *msg, size_t len, const char **arch);

/*
 * Does the message open a register dump: the first line a show_regs()
 * prints ("RIP: ", "EIP: ", "NIP:", "pstate:", "pc :", "epc :", "Krnl PSW :")?
 * Inside a stack trace such a dump is an interrupted context's (x86
 * show_regs_if_on_stack(), powerpc show_stack()'s exception frames).
 */
bool regs_opens_dump(const char *msg, size_t len);

/* Does the message continue the register dump of the line above it? */
bool regs_is_continuation(const char *msg, size_t len);

/*
 * Does the message open a multi-line code dump ("Instruction dump:",
 * "Krnl Code: …")? *rest is the code on the same line (may be empty).
 */
bool regs_code_start(const char *msg, size_t len, const char **rest, size_t *rest_len);

/* Does the message continue the code dump opened above it? */
bool regs_code_continuation(const char *msg, size_t len);

#endif
