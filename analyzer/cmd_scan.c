#include "builtin.h"
#include <stdio.h>
int cmd_scan(int argc, char **argv)
{
	(void)argc; (void)argv;
	fputs("ksift: scan: pipeline under construction\n", stderr);
	return EXIT_INPUT;
}
