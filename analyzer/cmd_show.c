#include "builtin.h"
#include <stdio.h>
int cmd_show(int argc, char **argv)
{
	(void)argc; (void)argv;
	fputs("ksift: show: under construction\n", stderr);
	return EXIT_INPUT;
}
