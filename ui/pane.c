/* Panes inside a view (ui/ui.h): rectangles with their own windows, dirty
 * flags, key contexts and handlers, and one of them focused. */
#include <string.h>

#include "app_priv.h"
#include "cxm/text.h"

int ui_pane_add(ui_view *v, ui_pane *pn, const ui_pane_ops *ops)
{
    if (v->npanes >= UI_PANES_MAX)
        return -1;
    memset(pn, 0, sizeof *pn);
    pn->ops = ops;
    pn->view = v;
    pn->dirty = true;
    v->panes[v->npanes++] = pn;
    return 0;
}

static void drop_windows(ui_pane *pn)
{
    if (pn->w_title)
        delwin(pn->w_title);
    if (pn->w_content)
        delwin(pn->w_content);
    pn->w_title = pn->w_content = NULL;
}

void ui_pane_place(ui_pane *pn, int y, int x, int rows, int cols)
{
    if (pn->y == y && pn->x == x && pn->rows == rows && pn->cols == cols && pn->w_title)
        return;
    drop_windows(pn);
    pn->y = y;
    pn->x = x;
    pn->rows = rows;
    pn->cols = cols;
    pn->dirty = true;
}

ui_pane *ui_pane_focused(ui_view *v)
{
    return v && v->npanes ? v->panes[v->focus < v->npanes ? v->focus : 0] : NULL;
}

void ui_pane_focus(ui_view *v, int i)
{
    if (i < 0 || i >= v->npanes || i == v->focus)
        return;
    v->panes[v->focus]->dirty = true;
    v->focus = i;
    v->panes[i]->dirty = true;
}

void ui_panes_release(ui_view *v)
{
    for (int i = 0; i < v->npanes; i++)
        drop_windows(v->panes[i]);
}

/* The body window moved (relayout): every pane gets new windows. */
void ui_panes_invalidate(ui_view *v)
{
    ui_panes_release(v);
    for (int i = 0; i < v->npanes; i++)
        v->panes[i]->dirty = true;
}

static bool make_windows(ui_pane *pn, WINDOW *body)
{
    if (pn->w_title)
        return true;
    int by, bx, bh, bw;
    getbegyx(body, by, bx);
    getmaxyx(body, bh, bw);
    /* Clipped to the body: a view that asks for too much gets what fits. */
    int rows = pn->rows, cols = pn->cols;
    if (pn->y < 0 || pn->x < 0 || pn->y >= bh || pn->x >= bw || rows < 1 || cols < 1)
        return false;
    if (pn->y + rows > bh)
        rows = bh - pn->y;
    if (pn->x + cols > bw)
        cols = bw - pn->x;
    pn->w_title = newwin(1, cols, by + pn->y, bx + pn->x);
    if (rows > 1)
        pn->w_content = newwin(rows - 1, cols, by + pn->y + 1, bx + pn->x);
    if (!pn->w_title || (rows > 1 && !pn->w_content)) {
        drop_windows(pn);
        return false;
    }
    leaveok(pn->w_title, TRUE);
    wbkgd(pn->w_title, ' ' | ui_attr(TH_NORMAL));
    if (pn->w_content) {
        leaveok(pn->w_content, TRUE);
        wbkgd(pn->w_content, ' ' | ui_attr(TH_NORMAL));
    }
    return true;
}

/* The title row: a marker and reverse video on the focused pane, so focus
 * shows on a monochrome terminal too. */
static void draw_title(ui_pane *pn, bool focused)
{
    WINDOW *w = pn->w_title;
    int cols = getmaxx(w);
    char t[192];
    const char *mark = focused ? (text_is_utf8() ? "▶" : ">") : " ";
    snprintf(t, sizeof t, "%s %s", mark, _(pn->ops->name));
    werase(w);
    ui_el el = focused ? TH_TAB_ACTIVE : TH_HEADER;
    ui_put(w, 0, 0, t, cols, el, true);
    if (focused)
        mvwchgat(w, 0, 0, -1, (ui_attr(el) & ~A_COLOR) | A_REVERSE | A_BOLD,
                 (short)PAIR_NUMBER(ui_attr(el)), NULL);
}

bool ui_panes_draw(ui_view *v, WINDOW *body, bool all)
{
    bool any = false;
    for (int i = 0; i < v->npanes; i++) {
        ui_pane *pn = v->panes[i];
        if (!pn->dirty && !all)
            continue;
        pn->dirty = false;
        if (!make_windows(pn, body))
            continue;
        draw_title(pn, i == v->focus);
        wnoutrefresh(pn->w_title);
        if (pn->w_content) {
            werase(pn->w_content);
            pn->ops->draw(pn, pn->w_content);
            wnoutrefresh(pn->w_content);
        }
        any = true;
    }
    return any;
}

/* A click focuses the pane under it. */
void ui_pane_click(ui_app *app, int sy, int sx)
{
    ui_view *v = ui_top_view(app);
    for (int i = 0; i < v->npanes; i++) {
        ui_pane *pn = v->panes[i];
        if (!pn->w_title)
            continue;
        int by, bx;
        getbegyx(pn->w_title, by, bx);
        int h = pn->w_content ? getmaxy(pn->w_content) + 1 : 1;
        if (sy >= by && sy < by + h && sx >= bx && sx < bx + getmaxx(pn->w_title)) {
            ui_pane_focus(v, i);
            return;
        }
    }
}

void ui_pane_dirty_focused(ui_app *app)
{
    ui_pane *pn = ui_pane_focused(ui_top_view(app));
    if (pn)
        pn->dirty = true;
}
