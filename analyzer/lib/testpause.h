/*
** testpause: a test hook that makes races deterministic (tests/faults.sh).
**
** With KSIFT_TEST_PAUSE=POINT:FIFO in the environment, ksift stops at every
** pause point named POINT, opens FIFO for reading and reads it to its end.
** A test opens the FIFO for writing — that returns once ksift is waiting
** there — changes the world (removes or truncates a file), then closes it
** and ksift goes on. Points:
**   open  before an input is opened for scanning (after the directory walk
**         and the incremental plan: the walk → open race)
**   read  after each block of a file came in (each read() into the line
**         buffer), before any of it is looked at
** Unset (always, outside tests) it costs one getenv() per point. Meant for
** -j1: with several workers, any of them may take a given pause.
** Owns nothing; keeps no state.
*/
#ifndef KSIFT_TESTPAUSE_H
#define KSIFT_TESTPAUSE_H

void test_pause(const char *point);

#endif
