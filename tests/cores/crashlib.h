/* crashlib: a shared library that crashes, for tests/cores.sh. */
#ifndef CRASHLIB_H
#define CRASHLIB_H
void crashlib_entry(int v);
#endif
