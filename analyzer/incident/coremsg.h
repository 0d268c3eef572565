/*
** coremsg: systemd-coredump's journal message about a crash, as a
** `coredump` record (usercrash.h), also when the core itself is gone.
**
** The printers (systemd 252, Debian 12):
** - src/coredump/coredump.c submit_coredump(): "Process %s (%s) of user %s
**   dumped core." (or "… terminated abnormally without generating a
**   coredump."), then "\nCoredump diverted to PATH" when journald stores
**   the core, then "\n\n" and the stack trace;
** - src/shared/elf-util.c: report_module_metadata() "Module NAME[ from
**   TYPE NAME-VERSION.ARCH][, build-id=HEX]" and parse_buildid() "Module
**   NAME without build-id."; thread_callback() "Stack trace of thread %d:"
**   (threads separated by a blank line, the crashing one first);
**   frame_callback() "#%-2u 0x%016lx %s (%s + 0x%lx)" — frame number, pc,
**   function or "n/a", module or "n/a", pc minus the module's start; and
**   "ELF object binary architecture: %s". systemd 248–250 printed
**   "Found module NAME with build-id: HEX" instead of the Module lines.
** - journal fields (JSON and export formats only): COREDUMP_EXE,
**   COREDUMP_CMDLINE, COREDUMP_SIGNAL, COREDUMP_SIGNAL_NAME, COREDUMP_UID,
**   COREDUMP_PID, COREDUMP_COMM, COREDUMP_FILENAME, COREDUMP_PACKAGE_NAME,
**   COREDUMP_PACKAGE_VERSION, _BOOT_ID.
**
** How the lines arrive (the scan finds them; see analyzer/scan/scan.c):
** journalctl -o short* indents the message's later lines under the first;
** syslog via rsyslog escapes them as "#012" within one line (or, with
** escaping off, writes them bare); -o json and -o export carry the whole
** message in one field.
**
** Ownership: struct coremsg owns what it collected; coremsg_finish()
** returns the record (the caller's) and frees the collector.
*/
#ifndef KSIFT_COREMSG_H
#define KSIFT_COREMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "incident.h"

/* A message's first line: "Process N (comm) of user U dumped core." */
bool coremsg_is_start(const char *msg, size_t len);

struct coremsg;

/* Starts a record from the first line (coremsg_is_start() must hold).
   HOST and WALL may be NULL. */
struct coremsg *coremsg_begin(const char *msg, size_t len, const char *host,
			      const char *wall);
/*
 * One later line of the message (without any wrapper or indentation).
 * Returns false, taking nothing, when the line is not one systemd-coredump
 * prints: then the message has ended.
 */
bool coremsg_add_line(struct coremsg *m, const char *line, size_t len);
/* Every line of a message carried whole ("#012"-escaped or in a journal
   field): the first line is skipped, the rest added; lines that do not
   belong are kept in the text only. */
void coremsg_add_message(struct coremsg *m, const char *msg, size_t len,
			 const char *sep);
/* A journal field (COREDUMP_EXE=…) of the entry. */
void coremsg_add_field(struct coremsg *m, const char *key, const char *val, size_t len);
/* Lines the message has taken so far (1 after coremsg_begin). */
size_t coremsg_lines(const struct coremsg *m);

/* The record; title and hash set. PATH is borrowed by the record. */
struct incident *coremsg_finish(struct coremsg *m, const char *path,
				unsigned long first_line, unsigned long last_line,
				uint64_t offset);
void coremsg_free(struct coremsg *m);

#endif
