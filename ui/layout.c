/* The screen's layout and repaint: title bar, optional alert banner, body
 * (the top view, and its panes), status bar and message line; the end of
 * every loop pass repaints what is dirty and flushes once. */
#include <string.h>

#include "app_priv.h"
#include "cxm/keymap.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "screen.h"
#include "table.h"
#include "uikeys.h"
#include "uitheme.h"

static const int main_actions[UI_MAIN_VIEWS] = {ACT_VIEW_DASHBOARD, ACT_VIEW_STREAM, ACT_VIEW_KPI,
                                                ACT_VIEW_ALERTS};

static void resize_one(ui_view *v, void *ud)
{
    ui_app *app = ud;
    WINDOW *w = app->priv->w_body;
    ui_panes_invalidate(v);
    if (v->ops->on_resize && w)
        v->ops->on_resize(v, getmaxy(w), getmaxx(w));
    v->dirty = true;
}

void ui_layout_del_windows(struct ui_app_priv *p)
{
    WINDOW **ws[] = {&p->w_title, &p->w_banner, &p->w_body, &p->w_status, &p->w_msg};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        if (*ws[i]) {
            delwin(*ws[i]);
            *ws[i] = NULL;
        }
}

/* The theme's `normal` is every window's background, so a theme with its
 * own background colour (high-contrast) fills the whole screen. */
void ui_layout_backgrounds(struct ui_app_priv *p)
{
    WINDOW *ws[] = {stdscr, p->w_title, p->w_banner, p->w_body, p->w_status, p->w_msg};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        if (ws[i])
            wbkgd(ws[i], ' ' | ui_attr(TH_NORMAL));
}

/* Title, optional alert banner, body, status bar, message line. */
void ui_layout_relayout(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    p->need_relayout = false;
    ui_layout_del_windows(p);
    app->rows = LINES;
    app->cols = COLS;
    p->too_small = app->rows < UI_MIN_ROWS || app->cols < UI_MIN_COLS;
    ui_layout_backgrounds(p);
    werase(stdscr);
    wnoutrefresh(stdscr);
    if (p->too_small) {
        p->need_clear = true;
        return;
    }
    int banner = p->alerts_open > 0;
    int body = app->rows - 3 - banner;
    p->w_title = newwin(1, app->cols, 0, 0);
    if (banner)
        p->w_banner = newwin(1, app->cols, 1, 0);
    p->w_body = newwin(body, app->cols, 1 + banner, 0);
    p->w_status = newwin(1, app->cols, app->rows - 2, 0);
    p->w_msg = newwin(1, app->cols, app->rows - 1, 0);
    if (!p->w_title || !p->w_body || !p->w_status || !p->w_msg || (banner && !p->w_banner)) {
        ui_layout_del_windows(p);
        p->too_small = true;
        return;
    }
    leaveok(p->w_title, TRUE);
    leaveok(p->w_body, TRUE);
    leaveok(p->w_status, TRUE);
    if (p->w_banner)
        leaveok(p->w_banner, TRUE);
    ui_layout_backgrounds(p);
    ui_for_each_view(app, resize_one, app);
    ui_dirty_all(app);
}

static void draw_title(ui_app *app, WINDOW *w)
{
    struct ui_app_priv *p = app->priv;
    int cols = getmaxx(w);
    werase(w);
    ui_put(w, 0, 0, "", cols, TH_TITLE, true);
    int x = ui_put(w, 0, 0, " cxm-console ", cols, TH_TITLE, false);
    memset(p->tab_x, 0, sizeof p->tab_x);
    for (int i = 0; i < UI_MAIN_VIEWS && x < cols; i++) {
        char keys[32], tab[128];
        ui_keymap_keys(main_actions[i], keys, sizeof keys);
        char *sp = strchr(keys, ' ');
        if (sp)
            *sp = '\0';
        if (i == 3 && p->alerts_open)
            snprintf(tab, sizeof tab, " %s %s %s%zu ", keys, _(ui_main_names[i]), ui_glyph_bell(),
                     p->alerts_open);
        else
            snprintf(tab, sizeof tab, " %s %s ", keys, _(ui_main_names[i]));
        p->tab_x[i][0] = x;
        x += ui_put(w, 0, x, tab, cols - x, i == p->cur_main && !p->nstack ? TH_TAB_ACTIVE : TH_TAB,
                    false);
        p->tab_x[i][1] = x;
        x += ui_put(w, 0, x, " ", cols - x, TH_TITLE, false);
    }
    if (p->nstack && x < cols) {
        char sub[160];
        ui_view *top = ui_top_view(app);
        snprintf(sub, sizeof sub, " %s %s ", text_is_utf8() ? "›" : ">", _(top->ops->name));
        x += ui_put(w, 0, x, sub, cols - x, TH_TAB_ACTIVE, false);
    }
    char right[96], kh[32];
    ui_keymap_keys(ACT_HELP, kh, sizeof kh);
    snprintf(right, sizeof right, "%s %s ", kh, _("Help"));
    int rw = text_width(right, strlen(right));
    if (x + rw < cols)
        ui_put(w, 0, cols - rw, right, rw, TH_TITLE, false);
    if (p->demo && x + rw + 8 < cols) {
        char d[32];
        snprintf(d, sizeof d, "[%s] ", _("demo"));
        int dw = text_width(d, strlen(d));
        ui_put(w, 0, cols - rw - dw, d, dw, TH_TITLE, false);
    }
}

static void draw_too_small(ui_app *app)
{
    char line[160];
    werase(stdscr);
    snprintf(line, sizeof line, _("Terminal too small: %dx%d, need at least %dx%d"), app->cols,
             app->rows, UI_MIN_COLS, UI_MIN_ROWS);
    int w = text_width(line, strlen(line));
    int x = w < app->cols ? (app->cols - w) / 2 : 0;
    ui_put(stdscr, app->rows / 2, x, line, app->cols - x, TH_MESSAGE_ERR, false);
    wnoutrefresh(stdscr);
}

/* The end of every loop pass: repaint what is dirty, flush once. */
void ui_layout_pass(void *ud)
{
    ui_app *app = ud;
    struct ui_app_priv *p = app->priv;
    bool any = false;
    app->now_us = time_now_us();
    if (p->need_relayout) {
        ui_layout_relayout(app);
        any = true;
    }
    if (p->too_small) {
        if (any || p->need_clear || p->msg_dirty || p->title_dirty) {
            draw_too_small(app);
            p->msg_dirty = p->title_dirty = p->status_dirty = p->banner_dirty = false;
            any = true;
        }
    } else {
        ui_view *top = ui_top_view(app);
        if (p->title_dirty) {
            draw_title(app, p->w_title);
            wnoutrefresh(p->w_title);
            p->title_dirty = false;
            any = true;
        }
        if (p->w_banner && p->banner_dirty) {
            ui_banner_draw(app, p->w_banner);
            wnoutrefresh(p->w_banner);
            any = true;
        }
        p->banner_dirty = false;
        bool view_drawn = false;
        if (top && top->dirty) {
            top->dirty = false;
            ui_table_hits_reset(); /* clicks go to what is on screen now */
            top->ops->draw(top, p->w_body);
            wnoutrefresh(p->w_body);
            any = view_drawn = true;
        }
        if (top && top->npanes && ui_panes_draw(top, p->w_body, view_drawn))
            any = true;
        if (p->status_dirty) {
            ui_status_draw(app, p->w_status);
            wnoutrefresh(p->w_status);
            p->status_dirty = false;
            any = true;
        }
        /* Last, so the prompt's cursor is where the terminal cursor ends up. */
        if (p->msg_dirty || (any && p->prompt.active)) {
            ui_message_draw(app, p->w_msg);
            wnoutrefresh(p->w_msg);
            p->msg_dirty = false;
            any = true;
        }
    }
    if (any) {
        if (p->need_clear) {
            clearok(curscr, TRUE);
            p->need_clear = false;
        }
        doupdate();
    }
    ui_input_frame_done(app);
}

void ui_layout_resize_view(ui_view *v, ui_app *app)
{
    resize_one(v, app);
}
