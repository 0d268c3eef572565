/*
** procstack: /proc stack captures, in the shapes people collect them when
** tasks hang, read into one record per task (kind proc_stack) that the
** grouper partitions by stack exactly like a sysrq `w` dump.
**
** What prints each piece:
**   /proc/PID/stack   proc_pid_stack() in fs/proc/base.c: one "[<0>] %pB\n"
**                     line per frame, innermost first ("[<%pK>]" before
**                     4.16 printed the address: "[<ffffffff8185312f>]");
**   /proc/PID/wchan   proc_pid_wchan(): the function name, no newline;
**   /proc/PID/status  proc_pid_status(): "Name:\tip", "State:\tD (disk sleep)";
**   /proc/PID/comm    comm_show(): the comm;
**   ps                procps: a header naming its columns (PID, S/STAT,
**                     WCHAN, COMMAND/COMM/CMD), then one row per task.
** The shapes around them:
**   `head /proc/N/stack`     "==> /proc/1747/stack <==" before each file;
**   `grep -H . /proc/N/…`       "/proc/1747/stack:[<0>] mutex_lock+0x1c/0x40";
**   for loops                a line naming the pid (and comm) before each
**                            stack: "1747 ip", "== 1747 (ip) ==";
**   `ps` output anywhere in the capture gives state and comm by pid.
** The state is known only from status or ps lines; a task in D gets the
** title "task hung in FUNC", others "task sleeping in FUNC", "task running
** in FUNC", and a task whose state is not known "task in FUNC". A task seen
** only in ps (no stack) becomes a record when it is in D and ps showed its
** wchan: a one-frame stack.
**
** Memory: PROC_MAX_TASKS tasks of PROC_MAX_FRAMES frames.
** Owns: its tasks until proc_parser_finish() hands out the records.
*/
#ifndef KSIFT_PROCSTACK_H
#define KSIFT_PROCSTACK_H

#include <stddef.h>

#include "incident.h"

#define PROC_MAX_TASKS 100000
#define PROC_MAX_FRAMES 128

struct proc_parser;

/* path: the input's name, borrowed by the records (source.path). */
struct proc_parser *proc_parser_new(const char *path);
void proc_parser_line(struct proc_parser *pp, const char *line, size_t len,
		      unsigned long lineno);
/* One record per task, in input order, to add() (which owns each). */
void proc_parser_finish(struct proc_parser *pp, void (*add)(void *data, struct incident *inc),
			void *data);
void proc_parser_free(struct proc_parser *pp);

#endif
