/* One-line input on the message line (filters, custom periods, comments).
 * While open it owns the keyboard; the owner hears each edit (live filter)
 * and the end (Enter accepts, Esc or ^G cancels). */
#include <stdlib.h>
#include <string.h>

#include "app_priv.h"
#include "cxm/keymap.h"
#include "cxm/text.h"

static size_t to_utf8(const ui_prompt_state *p, char *out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < p->len && n + 5 < cap; i++) {
        unsigned c = (unsigned)p->buf[i];
        if (c < 0x80) {
            out[n++] = (char)c;
        } else if (c < 0x800) {
            out[n++] = (char)(0xC0 | (c >> 6));
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[n++] = (char)(0xE0 | (c >> 12));
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[n++] = (char)(0xF0 | (c >> 18));
            out[n++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[n++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[n++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[n] = '\0';
    return n;
}

static void from_utf8(ui_prompt_state *p, const char *s)
{
    p->len = 0;
    const unsigned char *u = (const unsigned char *)s;
    while (*u && p->len < UI_PROMPT_MAX) {
        unsigned c = *u, need = 0;
        if (c < 0x80)
            need = 0;
        else if ((c & 0xE0) == 0xC0)
            need = 1, c &= 0x1F;
        else if ((c & 0xF0) == 0xE0)
            need = 2, c &= 0x0F;
        else if ((c & 0xF8) == 0xF0)
            need = 3, c &= 0x07;
        else {
            u++;
            continue;
        }
        u++;
        for (unsigned i = 0; i < need && (*u & 0xC0) == 0x80; i++, u++)
            c = (c << 6) | (*u & 0x3F);
        if (c >= 0x20 && c != 0x7F)
            p->buf[p->len++] = (wchar_t)c;
    }
    p->cur = p->len;
}

void ui_prompt(ui_app *app, const char *label, const char *initial, ui_prompt_change_fn on_change,
               ui_prompt_fn on_done, void *ud)
{
    ui_prompt_state *p = &app->priv->prompt;
    memset(p, 0, sizeof *p);
    p->active = true;
    snprintf(p->label, sizeof p->label, "%s", label ? label : "");
    if (initial)
        from_utf8(p, initial);
    p->on_change = on_change;
    p->on_done = on_done;
    p->ud = ud;
    app->priv->msg_dirty = true;
}

static void finish(ui_app *app, bool accepted)
{
    ui_prompt_state *p = &app->priv->prompt;
    char text[UI_PROMPT_MAX * 4 + 1];
    to_utf8(p, text, sizeof text);
    p->active = false;
    app->priv->msg_dirty = true;
    curs_set(0);
    if (p->on_done)
        p->on_done(p->ud, text, accepted);
}

static void changed(ui_app *app)
{
    ui_prompt_state *p = &app->priv->prompt;
    app->priv->msg_dirty = true;
    if (p->on_change) {
        char text[UI_PROMPT_MAX * 4 + 1];
        to_utf8(p, text, sizeof text);
        p->on_change(p->ud, text);
    }
}

static bool is_word(wchar_t c)
{
    return c != ' ' && c != '\t';
}

bool ui_prompt_key(ui_app *app, int key)
{
    ui_prompt_state *p = &app->priv->prompt;
    if (!p->active)
        return false;
    /* A Meta key the prompt has no use for is not swallowed: the caller
     * takes it as Esc (closing the prompt) followed by the key. */
    if (KM_IS_META(key))
        return false;
    if (key == KM_SWALLOWED)
        return true;
    switch (key) {
    case '\n':
        finish(app, true);
        return true;
    case 27:
    case 7: /* ^G */
        finish(app, false);
        return true;
    case KM_LEFT:
        if (p->cur > 0)
            p->cur--;
        break;
    case KM_RIGHT:
        if (p->cur < p->len)
            p->cur++;
        break;
    case KM_HOME:
    case 1: /* ^A */
        p->cur = 0;
        break;
    case KM_END:
    case 5: /* ^E */
        p->cur = p->len;
        break;
    case KM_BACKSPACE:
        if (p->cur > 0) {
            memmove(&p->buf[p->cur - 1], &p->buf[p->cur], (p->len - p->cur) * sizeof p->buf[0]);
            p->cur--;
            p->len--;
            changed(app);
        }
        return true;
    case KM_DEL:
    case 4: /* ^D */
        if (p->cur < p->len) {
            memmove(&p->buf[p->cur], &p->buf[p->cur + 1],
                    (p->len - p->cur - 1) * sizeof p->buf[0]);
            p->len--;
            changed(app);
        }
        return true;
    case 21: /* ^U */
        memmove(p->buf, &p->buf[p->cur], (p->len - p->cur) * sizeof p->buf[0]);
        p->len -= p->cur;
        p->cur = 0;
        changed(app);
        return true;
    case 23: { /* ^W */
        size_t s = p->cur;
        while (s > 0 && !is_word(p->buf[s - 1]))
            s--;
        while (s > 0 && is_word(p->buf[s - 1]))
            s--;
        memmove(&p->buf[s], &p->buf[p->cur], (p->len - p->cur) * sizeof p->buf[0]);
        p->len -= p->cur - s;
        p->cur = s;
        changed(app);
        return true;
    }
    default:
        /* Printable characters only: controls never enter a filter. */
        if (key >= 0x20 && key < KM_SPECIAL && key != 0x7F && !(key >= 0x80 && key < 0xA0) &&
            p->len < UI_PROMPT_MAX) {
            memmove(&p->buf[p->cur + 1], &p->buf[p->cur], (p->len - p->cur) * sizeof p->buf[0]);
            p->buf[p->cur++] = (wchar_t)key;
            p->len++;
            changed(app);
        }
        return true;
    }
    app->priv->msg_dirty = true;
    return true;
}

void ui_prompt_draw(ui_app *app, WINDOW *w)
{
    ui_prompt_state *p = &app->priv->prompt;
    int cols = getmaxx(w);
    werase(w);
    int x = ui_put(w, 0, 0, p->label, cols / 2, TH_PROMPT, false);
    x += ui_put(w, 0, x, " ", 1, TH_PROMPT, false);
    int room = cols - x - 1;
    if (room < 1)
        return;
    /* Text left of the cursor, scrolled so the cursor stays visible. */
    char before[UI_PROMPT_MAX * 4 + 1], all[UI_PROMPT_MAX * 4 + 1];
    ui_prompt_state tmp = *p;
    tmp.len = p->cur;
    to_utf8(&tmp, before, sizeof before);
    to_utf8(p, all, sizeof all);
    int wbefore = text_width(before, strlen(before));
    size_t skip = 0;
    while (wbefore - text_width(before, skip) > room - 1 && skip < strlen(before)) {
        skip++;
        while (skip < strlen(before) && ((unsigned char)before[skip] & 0xC0) == 0x80)
            skip++;
    }
    ui_put(w, 0, x, all + skip, room, TH_NORMAL, true);
    int cx = x + wbefore - text_width(before, skip);
    wmove(w, 0, cx < cols ? cx : cols - 1);
    curs_set(1);
}
