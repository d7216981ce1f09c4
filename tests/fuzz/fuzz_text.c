/* libFuzzer: whatever the bytes, the text module emits nothing a terminal
 * would act on (nor a bidi control or zero-width character), emits valid UTF-8 (ASCII in ASCII mode), and the widths it
 * reports are the widths of what it wrote. */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inert(const char *s, bool utf8)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        assert(*p >= 0x20 && *p != 0x7f);
        if (*p < 0x80) {
            p++;
            continue;
        }
        assert(utf8);
        int n = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        uint32_t cp = *p & (n == 4 ? 0x07 : n == 3 ? 0x0F : 0x1F);
        assert(*p >= 0xC2 && *p <= 0xF4);
        for (int i = 1; i < n; i++) {
            assert((p[i] & 0xC0) == 0x80);
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        assert(cp >= 0xA0); /* no C1 control */
        /* no bidi control or zero-width character */
        assert(!(cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
                 (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF));
        assert(!(cp >= 0xD800 && cp <= 0xDFFF) && cp <= 0x10FFFF);
        assert(cp >= (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u));
        p += n;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    bool utf8 = data[0] & 1, pad = data[0] & 2;
    int cols = data[1] % 100;
    const char *s = (const char *)data + 2;
    size_t len = size - 2;
    text_set_utf8(utf8);

    size_t cap = len * 4 + 16;
    char *out = malloc(cap);
    assert(out);
    size_t n = text_sanitize_utf8(s, len, out, cap);
    assert(n == strlen(out));
    check_inert(out, true);
    n = text_sanitize(s, len, out, cap);
    assert(n == strlen(out));
    check_inert(out, utf8);
    /* Sanitizing is width-preserving and idempotent. */
    int w = text_width(s, len);
    assert(text_width(out, n) == w);
    char *again = malloc(cap);
    assert(again);
    text_sanitize(out, n, again, cap);
    assert(strcmp(out, again) == 0);
    free(again);

    size_t fcap = (size_t)cols * 4 + 4;
    char *fit = malloc(fcap);
    assert(fit);
    int fw = text_fit(s, len, cols, pad, fit, fcap);
    check_inert(fit, utf8);
    assert(fw == text_width(fit, strlen(fit)));
    assert(fw <= cols);
    if (w <= cols && strlen(out) + 4 + (size_t)(cols - w) <= fcap)
        assert(strncmp(fit, out, strlen(out)) == 0); /* fits: nothing cut */
    if (pad) assert(fw == cols);
    int rw = text_fit_right(s, len, cols, fit, fcap);
    check_inert(fit, utf8);
    assert(rw == text_width(fit, strlen(fit)) && rw <= cols);
    free(fit);
    free(out);
    return 0;
}
