/* Views with panes (ui/pane.c, ui/app.c): a two-pane view draws only its
 * dirty panes, marks the focused one without colour, sends keys to the
 * focused pane first (its context before the view's), Tab moves the focus;
 * a leave hook can refuse; pushing never closes another view. Runs curses
 * on a terminal of its own (newterm on /dev/null). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app_priv.h"
#include "uikeys.h"
#include "uitheme.h"

typedef struct {
    ui_view base;
    ui_pane top, bottom;
    int draws_top, draws_bottom, view_actions, top_actions, bottom_actions;
    int last_top_action;
    bool may_leave;
    int leave_asked, closed;
} two_pane;

static void pane_draw(ui_pane *pn, WINDOW *w)
{
    two_pane *v = (two_pane *)pn->view;
    (void)w;
    if (pn == &v->top)
        v->draws_top++;
    else
        v->draws_bottom++;
}

static int top_action(ui_pane *pn, int action, int key)
{
    two_pane *v = (two_pane *)pn->view;
    (void)key;
    v->top_actions++;
    v->last_top_action = action;
    return action == ACT_DOWN ? UI_HANDLED | UI_REDRAW : UI_IGNORED;
}

static int bottom_action(ui_pane *pn, int action, int key)
{
    two_pane *v = (two_pane *)pn->view;
    (void)action;
    (void)key;
    v->bottom_actions++;
    return UI_IGNORED;
}

static void view_draw(ui_view *base, WINDOW *w)
{
    (void)base;
    werase(w);
}

static int view_action(ui_view *base, int action, int key)
{
    two_pane *v = (two_pane *)base;
    (void)action;
    (void)key;
    v->view_actions++;
    return UI_IGNORED;
}

static void view_resize(ui_view *base, int rows, int cols)
{
    two_pane *v = (two_pane *)base;
    ui_pane_place(&v->top, 0, 0, 4, cols);
    ui_pane_place(&v->bottom, 4, 0, rows - 4, cols);
}

static bool view_leave(ui_view *base)
{
    two_pane *v = (two_pane *)base;
    v->leave_asked++;
    return v->may_leave;
}

static void view_close(ui_view *base)
{
    ((two_pane *)base)->closed++;
}

static const ui_view_ops ops = {.name = "Form",
                                .ctx = UI_CTX_DETAIL,
                                .draw = view_draw,
                                .on_action = view_action,
                                .on_resize = view_resize,
                                .close = view_close,
                                .leave = view_leave};
static const ui_pane_ops top_ops = {"Player", UI_CTX_PLAYER, pane_draw, top_action};
static const ui_pane_ops bottom_ops = {"Checklist", UI_CTX_FORM, pane_draw, bottom_action};

static SCREEN *scr;
static FILE *out, *in;

static int setup(void **state)
{
    (void)state;
    out = fopen("/dev/null", "w");
    in = fopen("/dev/null", "r");
    scr = newterm("xterm", out, in);
    if (!scr)
        return -1;
    set_term(scr);
    ui_theme_init();
    ui_keymap_defaults();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    return 0;
}

static void init_view(two_pane *v, ui_app *app)
{
    memset(v, 0, sizeof *v);
    v->base.ops = &ops;
    v->base.app = app;
    v->base.dirty = true;
    assert_int_equal(ui_pane_add(&v->base, &v->top, &top_ops), 0);
    assert_int_equal(ui_pane_add(&v->base, &v->bottom, &bottom_ops), 0);
}

/* The title row of a pane: its text and whether it is in reverse video. */
static void title(ui_pane *pn, char *buf, int cap, bool *reverse)
{
    mvwinnstr(pn->w_title, 0, 0, buf, cap - 1);
    *reverse = (mvwinch(pn->w_title, 0, 2) & A_REVERSE) != 0;
}

static void test_two_panes(void **state)
{
    (void)state;
    struct ui_app_priv priv;
    memset(&priv, 0, sizeof priv);
    ui_app app;
    memset(&app, 0, sizeof app);
    app.priv = &priv;
    app.lp = loop_new();
    two_pane v;
    init_view(&v, &app);
    priv.main[0] = &v.base;
    WINDOW *body = newwin(20, 60, 1, 0);
    view_resize(&v.base, 20, 60);

    /* first draw: both panes (the app clears the view's flag as it draws) */
    v.base.dirty = false;
    assert_true(ui_panes_draw(&v.base, body, false));
    assert_int_equal(v.draws_top, 1);
    assert_int_equal(v.draws_bottom, 1);
    assert_int_equal(getbegy(v.bottom.w_title), 1 + 4);
    assert_int_equal(getmaxy(v.bottom.w_content), 15);
    char t[64];
    bool rev;
    title(&v.top, t, sizeof t, &rev);
    assert_true(t[0] == '>' || !strncmp(t, "▶", 3));
    assert_non_null(strstr(t, "Player"));
    assert_true(rev);
    title(&v.bottom, t, sizeof t, &rev);
    assert_true(t[0] == ' ');
    assert_false(rev);
    /* nothing dirty: nothing drawn */
    assert_false(ui_panes_draw(&v.base, body, false));

    /* keys: the focused pane's context first (Space is not bound in the
     * player yet: bind it there), its handler before the view's */
    assert_int_equal(ui_keymap_bind(KM_CTX_PLAYER, 'j', ACT_DOWN), 0);
    assert_int_equal(ui_keymap_bind(KM_CTX_FORM, 'j', ACT_UP), 0);
    assert_int_equal(ui_focus_ctx(&app), UI_CTX_PLAYER);
    int a = ui_keymap_lookup('j', ui_focus_ctx(&app), v.base.ops->ctx);
    assert_int_equal(a, ACT_DOWN);
    int r = ui_view_action(&app, &v.base, a, 'j');
    assert_true(r & UI_HANDLED);
    assert_int_equal(v.top_actions, 1);
    assert_int_equal(v.view_actions, 0);
    assert_true(v.top.dirty);
    assert_false(v.base.dirty);
    assert_true(ui_panes_draw(&v.base, body, false));
    assert_int_equal(v.draws_top, 2);
    assert_int_equal(v.draws_bottom, 1);
    /* what the pane ignores reaches the view */
    r = ui_view_action(&app, &v.base, ACT_SORT_NEXT, 's');
    assert_int_equal(v.view_actions, 1);

    /* Tab moves the focus between panes (not between main views) */
    ui_global_action(&app, ACT_NEXT_PANE, '\t');
    assert_int_equal(v.base.focus, 1);
    assert_int_equal(priv.cur_main, 0);
    assert_int_equal(ui_focus_ctx(&app), UI_CTX_FORM);
    assert_int_equal(ui_keymap_lookup('j', ui_focus_ctx(&app), v.base.ops->ctx), ACT_UP);
    assert_true(ui_panes_draw(&v.base, body, false));
    title(&v.bottom, t, sizeof t, &rev);
    assert_true(rev);
    assert_true(t[0] == '>' || !strncmp(t, "▶", 3));
    title(&v.top, t, sizeof t, &rev);
    assert_false(rev);
    ui_view_action(&app, &v.base, ACT_DOWN, 'x');
    assert_int_equal(v.bottom_actions, 1);
    ui_global_action(&app, ACT_PREV_PANE, KM_BTAB);
    assert_int_equal(v.base.focus, 0);

    ui_panes_release(&v.base);
    delwin(body);
    ui_keymap_defaults();
    loop_free(app.lp);
}

/* leave() may refuse; a full stack refuses a push instead of closing one. */
static void test_leave_and_push(void **state)
{
    (void)state;
    struct ui_app_priv priv;
    memset(&priv, 0, sizeof priv);
    ui_app app;
    memset(&app, 0, sizeof app);
    app.priv = &priv;
    app.lp = loop_new();
    two_pane main_v, form;
    init_view(&main_v, &app);
    main_v.may_leave = true;
    priv.main[0] = &main_v.base;
    init_view(&form, &app);
    assert_int_equal(ui_push(&app, &form.base), 0);
    assert_int_equal(priv.nstack, 1);
    /* unsaved: q / Esc / switching / quitting all stay */
    assert_false(ui_pop(&app));
    assert_int_equal(priv.nstack, 1);
    ui_switch(&app, 0);
    assert_int_equal(priv.nstack, 1);
    ui_quit(&app);
    assert_false(loop_quitting(app.lp));
    assert_int_equal(form.leave_asked, 3);
    assert_int_equal(form.closed, 0);
    /* a full stack: the new view is refused, none is closed */
    two_pane more[UI_STACK_MAX];
    int refused = 0;
    for (int i = 0; i < UI_STACK_MAX; i++) {
        init_view(&more[i], &app);
        more[i].may_leave = true;
        if (ui_push(&app, &more[i].base) != 0)
            refused++;
    }
    assert_int_equal(refused, 1);
    assert_int_equal(more[UI_STACK_MAX - 1].closed, 1); /* the refused one */
    assert_int_equal(priv.nstack, UI_STACK_MAX);
    assert_int_equal(priv.stack[0], &form.base);
    assert_int_equal(form.closed, 0);
    assert_non_null(strstr(priv.msg, "Too many views"));
    for (int i = 0; i < UI_STACK_MAX - 1; i++)
        assert_true(ui_pop(&app));
    /* once the form agrees, it goes */
    form.may_leave = true;
    assert_true(ui_pop(&app));
    assert_int_equal(form.closed, 1);
    assert_int_equal(priv.nstack, 0);
    ui_quit(&app);
    assert_true(loop_quitting(app.lp));
    if (priv.msg_timer)
        loop_timer_cancel(app.lp, priv.msg_timer);
    loop_free(app.lp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_panes),
        cmocka_unit_test(test_leave_and_push),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
