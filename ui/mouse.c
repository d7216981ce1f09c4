/* The mouse (ncurses): a click on a tab switches to it, a click on a table
 * row selects it, the wheel scrolls. Where the terminal has no mouse,
 * mousemask() gives nothing and no event ever arrives. */
#include "app_priv.h"
#include "table.h"

#define WHEEL_STEP 3

void ui_mouse_start(void)
{
    /* Every event the terminal reports must be in the mask, the releases
     * too, though only presses act: ncurses (6.4) discards an event outside
     * the mask and then reads on with a blocking read() even in nodelay
     * mode, so the release after every click froze the whole loop (feeds,
     * timers, the player) until the next key. Position reports stay off
     * (they are not in ALL_MOUSE_EVENTS): they would flood the loop. */
    mousemask(ALL_MOUSE_EVENTS, NULL);
    mouseinterval(0); /* a press is a click: no wait for the release */
}

static void wheel(ui_app *app, int action)
{
    ui_view *top = ui_top_view(app);
    for (int i = 0; i < WHEEL_STEP; i++)
        ui_view_action(app, top, action, action == ACT_UP ? KM_UP : KM_DOWN);
}

void ui_mouse_event(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    MEVENT ev;
    if (getmouse(&ev) != OK || p->prompt.active || p->too_small)
        return;
    if (ev.bstate & BUTTON4_PRESSED) {
        wheel(app, ACT_UP);
        return;
    }
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED) {
        wheel(app, ACT_DOWN);
        return;
    }
#endif
    if (!(ev.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
        return;
    if (ev.y == 0) {
        for (int i = 0; i < UI_MAIN_VIEWS; i++)
            if (ev.x >= p->tab_x[i][0] && ev.x < p->tab_x[i][1]) {
                ui_switch(app, i);
                return;
            }
        return;
    }
    ui_pane_click(app, ev.y, ev.x);
    size_t row;
    ui_table *t = ui_table_hit(ev.y, ev.x, &row);
    if (!t)
        return;
    /* Reach the row with the view's own moves, as the arrow keys would: a
     * view keeps its state right that way (the live stream stops following
     * when the selection leaves the newest row, instead of jumping back).
     * The row is on screen, so this is at most a page of moves. */
    ui_view *top = ui_top_view(app);
    size_t sel = ui_table_selected(t);
    int action = row < sel ? ACT_UP : ACT_DOWN;
    for (size_t n = row < sel ? sel - row : row - sel; n > 0 && ui_table_selected(t) != row; n--)
        if (!(ui_view_action(app, top, action, action == ACT_UP ? KM_UP : KM_DOWN) & UI_HANDLED))
            break;
    if (ui_table_selected(t) != row) /* a table the focused pane does not move */
        ui_table_select(t, row);
    top->dirty = true;
    ui_pane_dirty_focused(app);
}
