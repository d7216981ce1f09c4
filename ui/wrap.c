/* Text that must be read whole (an alert's closing comment) wrapped over
 * several rows: broken after a space where one fits, else between
 * characters; measured as the text module shows it, so an escaped control
 * takes the columns it is drawn in. Only the last allowed row may be cut, and
 * then it ends in the "…" mark of ui_put. */
#include <string.h>

#include "cxm/text.h"
#include "ui.h"

/* Bytes of the code point at s (an invalid byte counts as one). */
static size_t cp_len(const char *s, size_t n)
{
    uint32_t cp;
    size_t k = text_utf8_decode(s, n, &cp);
    return k ? k : 1;
}

int ui_put_wrapped(WINDOW *w, int y, int x, const char *s, int cols, int maxlines, ui_el el)
{
    if (!w || cols <= 0 || maxlines <= 0)
        return 0;
    if (!s)
        s = "";
    size_t n = strlen(s), i = 0;
    int row = 0;
    do {
        if (row == maxlines - 1 || text_width(s + i, n - i) <= cols) {
            ui_put(w, y + row, x, s + i, cols, el, true); /* the rest, marked if cut */
            return row + 1;
        }
        size_t j = i, brk = 0;
        int used = 0;
        while (j < n) {
            size_t k = cp_len(s + j, n - j);
            int cw = text_width(s + j, k);
            if (used + cw > cols)
                break;
            used += cw;
            j += k;
            if (s[j - 1] == ' ')
                brk = j;
        }
        size_t end = brk > i ? brk : j;
        if (end == i) /* one character wider than the row: show it cut */
            end = i + cp_len(s + i, n - i);
        char seg[4096];
        size_t len = end - i < sizeof seg - 1 ? end - i : sizeof seg - 1;
        memcpy(seg, s + i, len);
        seg[len] = '\0';
        ui_put(w, y + row, x, seg, cols, el, true);
        row++;
        i = end;
        while (i < n && s[i] == ' ') /* a row never starts with the break's spaces */
            i++;
    } while (i < n);
    return row;
}
