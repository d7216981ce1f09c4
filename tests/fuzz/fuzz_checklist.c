/* libFuzzer: the checklist definition parser never crashes or leaks, a
 * failure always names the file and a JSON path, and an accepted definition
 * is self-consistent (sections partition the items, ids unique and valid). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/checklist.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    checklist *c = NULL;
    char err[512];
    if (checklist_parse((const char *)data, size, "fuzz", &c, err, sizeof err) != 0) {
        if (c || strncmp(err, "fuzz: $", 7) != 0)
            abort();
        return 0;
    }
    if (!c || c->nsections < 1 || c->nitems < 1 || c->nitems > CHECKLIST_ITEMS_MAX || !c->applies)
        abort();
    int next = 0;
    for (int s = 0; s < c->nsections; s++) {
        if (c->sections[s].first != next || c->sections[s].count < 1)
            abort();
        next += c->sections[s].count;
    }
    if (next != c->nitems)
        abort();
    for (int i = 0; i < c->nitems; i++) {
        if (checklist_item_index(c, c->items[i].id) != i || !c->items[i].title_en[0] ||
            !c->items[i].title_ru[0] || strlen(c->items[i].id) > CHECKLIST_ID_MAX)
            abort();
        if (c->items[i].section < 0 || c->items[i].section >= c->nsections)
            abort();
    }
    checklist_free(c);
    return 0;
}
