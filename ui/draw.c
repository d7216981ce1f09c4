/* Drawing helpers: every string reaches curses through the text module
 * (sanitized, measured in columns) with a theme attribute. */
#include <stdlib.h>
#include <string.h>

#include "cxm/text.h"
#include "ui.h"

#define PUT_MAX 1024 /* columns; wider windows are cut */

static int put(WINDOW *w, int y, int x, const char *s, int cols, ui_el el, bool pad, bool right)
{
    if (cols <= 0 || !w)
        return 0;
    if (cols > PUT_MAX)
        cols = PUT_MAX;
    char buf[PUT_MAX * 4 + 4];
    if (!s)
        s = "";
    int used = right ? text_fit_right(s, strlen(s), cols, buf, sizeof buf)
                     : text_fit(s, strlen(s), cols, pad, buf, sizeof buf);
    wattrset(w, ui_attr(el));
    mvwaddstr(w, y, x, buf);
    wattrset(w, A_NORMAL);
    return used;
}

int ui_put(WINDOW *w, int y, int x, const char *s, int cols, ui_el el, bool pad)
{
    return put(w, y, x, s, cols, el, pad, false);
}

int ui_put_right(WINDOW *w, int y, int x, const char *s, int cols, ui_el el)
{
    return put(w, y, x, s, cols, el, true, true);
}

bool ui_glyphs_rich(void)
{
    static int linux_console = -1;
    if (linux_console < 0) {
        const char *term = getenv("TERM");
        linux_console = term && !strncmp(term, "linux", 5);
    }
    return text_is_utf8() && !linux_console;
}

const char *ui_glyph_rating(rating_polarity p)
{
    bool u = ui_glyphs_rich();
    switch (p) {
    case POL_POSITIVE:
        return u ? "☺" : "+";
    case POL_NEGATIVE:
        return u ? "☹" : "-";
    case POL_NEUTRAL:
        return u ? "◦" : "~";
    default:
        return " ";
    }
}

const char *ui_glyph_bell(void)
{
    return ui_glyphs_rich() ? "🔔" : "(!)";
}

ui_el ui_el_for_polarity(rating_polarity p)
{
    switch (p) {
    case POL_POSITIVE:
        return TH_RATING_SUPER;
    case POL_NEGATIVE:
        return TH_RATING_BAD;
    case POL_NEUTRAL:
        return TH_RATING_SO_SO;
    default:
        return TH_ROW;
    }
}

ui_el ui_el_for_emo(emo_label l)
{
    switch (l) {
    case EMO_POSITIVE:
        return TH_EMO_POSITIVE;
    case EMO_NEGATIVE:
        return TH_EMO_NEGATIVE;
    case EMO_MIXED:
        return TH_EMO_MIXED;
    case EMO_POKER:
        return TH_EMO_POKER;
    default:
        return TH_EMO_UNKNOWN;
    }
}

const char *ui_emo_label(emo_label l)
{
    switch (l) {
    case EMO_POSITIVE:
        return _("positive");
    case EMO_NEGATIVE:
        return _("negative");
    case EMO_MIXED:
        return _("mixed");
    case EMO_POKER:
        return _("poker face");
    default:
        return _("unknown");
    }
}
