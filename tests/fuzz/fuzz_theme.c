/* libFuzzer: the theme file parser never crashes, and a failed parse leaves
 * the theme exactly as it was. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static theme base;
    static int init;
    if (!init) {
        theme_builtin(&base);
        init = 1;
    }
    theme t = base;
    char err[256];
    if (theme_parse(&t, (const char *)data, size, "fuzz", err, sizeof err) != 0) {
        if (memcmp(&t, &base, sizeof t) != 0)
            abort();
        if (strncmp(err, "fuzz:", 5) != 0)
            abort();
        return 0;
    }
    for (int i = 0; i < TH_COUNT; i++)
        for (int d = 0; d < 3; d++) {
            if (t.st[i].fg[d] < -1 || t.st[i].fg[d] > 255 || t.st[i].bg[d] < -1 ||
                t.st[i].bg[d] > 255)
                abort();
            if (d > 0 && (t.st[i].fg[d] > 15 || t.st[i].bg[d] > 15))
                abort();
        }
    return 0;
}
