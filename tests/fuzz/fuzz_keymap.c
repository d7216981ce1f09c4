/* libFuzzer: the keymap parser and key names never crash; every applied
 * directive has a valid key, and a bind a known action. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/keymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int lookup(const char *name, void *ud)
{
    (void)ud;
    static const char *const names[] = {"quit", "help", "up", "down", "filter"};
    for (int i = 0; i < 5; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

static void apply(const keymap_directive *d, void *ud)
{
    (void)ud;
    if (d->key == KM_KEY_NONE || d->line <= 0)
        abort();
    if (d->bind && (d->action < 0 || d->action > 4))
        abort();
    char name[KM_NAME_MAX];
    keymap_key_name(d->key, name, sizeof name);
    if (keymap_key_from_name(name) != d->key)
        abort(); /* names round-trip, so help shows what the file can say */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    keymap_parse((const char *)data, size, "fuzz", lookup, apply, NULL, err, sizeof err);
    if (size < 64) {
        char s[64];
        memcpy(s, data, size);
        s[size] = '\0';
        int k = keymap_key_from_name(s);
        char name[KM_NAME_MAX];
        keymap_key_name(k, name, sizeof name);
    }
    return 0;
}
