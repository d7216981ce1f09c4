/* libFuzzer: the key decoder never crashes, never holds more than its
 * buffer, and only produces keys the keymap can name. Bytes are units;
 * 0xFF is "nothing more within the delay" (flush); 0xFE n is curses key
 * KM_SPECIAL + n % 16; 0xFD a b is the code point 0x400 + a * 256 + b. */
#include <stdint.h>
#include <stdlib.h>

#include "cxm/keydec.h"
#include "cxm/keymap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const int *out, int n)
{
    if (n < 0 || n > KEYDEC_OUT_MAX)
        abort();
    for (int i = 0; i < n; i++) {
        int k = out[i];
        int base = k & ~KM_META;
        if (k < 0 || (KM_IS_META(k) && (base == 27 || base == KM_MOUSE || base == KM_SWALLOWED)))
            abort();
        if (base > 0x10FFFF && base < KM_SPECIAL)
            abort();
        if (k == KM_SWALLOWED || k == KM_MOUSE)
            continue;
        char name[KM_NAME_MAX];
        keymap_key_name(k, name, sizeof name);
        if (!name[0])
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    keydec d;
    keydec_init(&d);
    int out[KEYDEC_OUT_MAX];
    for (size_t i = 0; i < size; i++) {
        int in = data[i];
        if (in == 0xFF) {
            check(out, keydec_flush(&d, out));
            if (keydec_pending(&d))
                abort();
            continue;
        }
        if (in == 0xFE && i + 1 < size)
            in = KM_SPECIAL + data[++i] % 16;
        else if (in == 0xFD && i + 2 < size) {
            in = 0x400 + data[i + 1] * 256 + data[i + 2];
            i += 2;
        }
        check(out, keydec_feed(&d, in, out));
        if (d.n < 0 || d.n > KEYDEC_SEQ_MAX)
            abort();
    }
    check(out, keydec_flush(&d, out));
    return 0;
}
