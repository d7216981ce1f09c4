/* The line editor's curses widget: draws the visible slice of a lineedit
 * (include/cxm/lineedit.h) in a field, with a marker where text is hidden. */
#include <string.h>

#include "cxm/lineedit.h"
#include "cxm/text.h"
#include "ui.h"

int ui_lineedit_draw(WINDOW *w, int y, int x, int cols, lineedit *le, ui_el el)
{
    if (cols < 2) {
        if (cols == 1)
            ui_put(w, y, x, "", 1, el, true);
        return x;
    }
    /* One column on each side is kept for the "more" markers. */
    le_slice sl;
    le_visible(le, cols - 1, &sl);
    int left = sl.more_left ? 1 : 0;
    if (left) {
        le_visible(le, cols - 2, &sl);
        ui_put(w, y, x, text_is_utf8() ? "…" : "<", 1, TH_DIM, false);
    }
    char buf[4096];
    size_t n = sl.len < sizeof buf - 1 ? sl.len : sizeof buf - 1;
    memcpy(buf, sl.text, n);
    buf[n] = '\0';
    ui_put(w, y, x + left, buf, cols - left, el, true);
    if (sl.more_right)
        ui_put(w, y, x + cols - 1, text_is_utf8() ? "…" : ">", 1, TH_DIM, false);
    return x + left + sl.cursor_col;
}

void ui_copy_text(char *dst, size_t cap, const char *src)
{
    if (!cap)
        return;
    size_t n = strlen(src);
    if (n >= cap) {
        /* Cut at a character boundary, never inside a letter. */
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
            n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}
