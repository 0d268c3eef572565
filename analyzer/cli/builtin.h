/*
** builtin: one function per ksift subcommand (after git's builtin directory).
** Each takes argv with argv[0] the subcommand name and returns the exit status:
** 0 nothing found / success, 1 incidents found (scan, show) or test failures,
** 2 usage or input error.
*/
#ifndef KSIFT_BUILTIN_H
#define KSIFT_BUILTIN_H

enum {
	EXIT_CLEAN = 0,
	EXIT_FOUND = 1,
	EXIT_INPUT = 2,
};

int cmd_scan(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_symbolize(int argc, char **argv);

#endif
