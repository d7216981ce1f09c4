/* The Pareto arithmetic of the causes report (causes.h), kept apart from the
 * SQL so the numbers are tested on hand-made counts. */
#include "cxm/causes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int causes_by_from_name(const char *name)
{
    static const char *const names[] = {"all", "location", "desk", "employee"};
    for (int i = 0; name && i < 4; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

static int cmp_cause(const void *pa, const void *pb)
{
    const causes_cause *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    /* definition order; items the definition no longer has go last */
    int ia = a->item < 0 ? INT32_MAX : a->item, ib = b->item < 0 ? INT32_MAX : b->item;
    if (ia != ib)
        return ia < ib ? -1 : 1;
    return strcmp(a->id, b->id);
}

int64_t causes_pareto(causes_cause *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_cause);
    int64_t total = 0, before = 0;
    for (size_t i = 0; i < n; i++)
        total += v[i].count;
    for (size_t i = 0; i < n; i++) {
        /* Integer comparison for the 80 % line: before/total < 0.8 exactly,
         * with no rounding at the boundary (e.g. 4 + 4 of 10). */
        v[i].bottleneck = total > 0 && before * 10 < total * 8;
        before += v[i].count;
        v[i].share = total > 0 ? (double)v[i].count / (double)total : 0.0;
        /* the running share, computed from counts so the last one is exactly 1 */
        v[i].cumulative = total > 0 ? (double)before / (double)total : 0.0;
    }
    return total;
}
