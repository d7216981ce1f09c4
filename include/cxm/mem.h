/* Growable arrays: the one place the doubling realloc lives. */
#ifndef CXM_MEM_H
#define CXM_MEM_H

#include <stddef.h>

/* Makes room for element index `n` in the array whose pointer is at `arrp`
 * (e.g. &lp->fds) with capacity *cap elements of `size` bytes, doubling from
 * `first`. Returns 0, or -1 on overflow or out of memory, leaving the array
 * and *cap as they were. */
int mem_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first);

#endif
