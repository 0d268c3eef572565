/*
** testpause: see testpause.h.
*/
#include "testpause.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void test_pause(const char *point)
{
	const char *spec = getenv("KSIFT_TEST_PAUSE");
	size_t n = strlen(point);
	char buf[64];
	ssize_t got;
	int fd;

	if (!spec || strncmp(spec, point, n) || spec[n] != ':')
		return;
	do
		fd = open(spec + n + 1, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return;		/* no FIFO: a test set-up error shows as no pause */
	do
		got = read(fd, buf, sizeof(buf));
	while (got > 0 || (got < 0 && errno == EINTR));
	close(fd);
}
