#include "cxm/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int mem_grow(void *arrp, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return 0;
    size_t nc = *cap ? *cap : (first ? first : 1);
    while (nc <= n) {
        if (nc > SIZE_MAX / 2 / size)
            return -1;
        nc *= 2;
    }
    /* arrp points at a T *; all object pointers share one representation on
     * the platforms we build for, so it is read and written as a void *. */
    void *old;
    memcpy(&old, arrp, sizeof old);
    void *p = realloc(old, nc * size);
    if (!p)
        return -1;
    memcpy(arrp, &p, sizeof p);
    *cap = nc;
    return 0;
}
