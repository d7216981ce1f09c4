/* libFuzzer: the line editor under any mix of pasted bytes, keys (Meta and
 * Russian Meta included) and field widths keeps its invariants: the text is
 * valid UTF-8 without controls, the cursor is on a character boundary, and
 * the visible slice fits the field and measures as the text module says. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/keymap.h"
#include "cxm/lineedit.h"
#include "cxm/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int named[] = {KM_LEFT, KM_RIGHT, KM_HOME, KM_END, KM_BACKSPACE, KM_DEL, KM_UP,
                            KM_DOWN, 0x01,    0x02,     0x04,    0x05,   0x06,         0x08,
                            0x0B,    0x0E,    0x10,     0x15,    0x17,   0x19,         0x7F};

static void check(lineedit *le, int cols)
{
    const char *t = le_text(le);
    size_t len = le_len(le), k = 0;
    if (strlen(t) != len || le_cursor(le) > len) abort();
    while (k < len) {
        uint32_t cp;
        size_t n = text_utf8_decode(t + k, len - k, &cp);
        if (n == 0 || cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) abort();
        k += n;
    }
    if (le_cursor(le) < len && ((unsigned char)t[le_cursor(le)] & 0xC0) == 0x80) abort();
    le_slice s;
    le_visible(le, cols, &s);
    if (s.width > cols || s.width != text_width(s.text, s.len)) abort();
    size_t off = (size_t)(s.text - t);
    if (cols > 0 && (le_cursor(le) < off || le_cursor(le) > off + s.len)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    text_set_utf8(true);
    lineedit *le = le_new();
    le_history *h = le_history_new(3);
    if (!le || !h) abort();
    le_set_history(le, h);
    size_t i = 0;
    while (i < size) {
        uint8_t op = data[i++];
        switch (op % 5) {
        case 0: { /* paste the next few bytes */
            size_t n = (op >> 3) < size - i ? (op >> 3) : size - i;
            le_insert_str(le, (const char *)data + i, n);
            i += n;
            break;
        }
        case 1:
            le_handle_key(le, named[(op >> 3) % (sizeof named / sizeof *named)]);
            break;
        case 2: { /* any code point, maybe with Meta */
            if (size - i < 3) {
                i = size;
                break;
            }
            int cp = (data[i] << 16 | data[i + 1] << 8 | data[i + 2]) & 0x1FFFFF;
            i += 3;
            le_handle_key(le, (op & 0x80) ? (cp | KM_META) : cp);
            break;
        }
        case 3:
            le_history_add(h, le_text(le));
            break;
        default:
            le_set_limit(le, op >> 5);
            break;
        }
        check(le, op % 13);
    }
    le_set_history(le, NULL);
    le_free(le);
    le_history_free(h);
    return 0;
}
