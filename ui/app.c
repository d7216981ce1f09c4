/* The console app's lifecycle: start and stop, the view stack, global
 * actions, signals, feed commits and the clock. One thread, one loop: keys
 * (ui/input.c), feed commits, the clock and signals all arrive as loop
 * callbacks; each pass ends with one repaint (ui/layout.c). */
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "app_priv.h"
#include "audio.h"
#include "view_checklist.h"
#include "cxm/alerts.h"
#include "cxm/keymap.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "screen.h"
#include "table.h"
#include "uikeys.h"
#include "uitheme.h"

const char *const ui_main_names[UI_MAIN_VIEWS] = {N_("Dashboard"), N_("Stream"), N_("KPIs"),
                                                  N_("Alerts")};

int ui_check_terminal(char *msg, size_t cap)
{
    return ui_screen_check(msg, cap);
}

ui_view *ui_top_view(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    return p->nstack ? p->stack[p->nstack - 1] : p->main[p->cur_main];
}

void ui_for_each_view(ui_app *app, void (*fn)(ui_view *v, void *ud), void *ud)
{
    struct ui_app_priv *p = app->priv;
    for (int i = 0; i < UI_MAIN_VIEWS; i++)
        if (p->main[i])
            fn(p->main[i], ud);
    for (int i = 0; i < p->nstack; i++)
        fn(p->stack[i], ud);
}

static void mark_dirty(ui_view *v, void *ud)
{
    (void)ud;
    v->dirty = true;
}

void ui_dirty_all(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    ui_for_each_view(app, mark_dirty, NULL);
    p->title_dirty = p->banner_dirty = p->status_dirty = p->msg_dirty = true;
}

static void close_view(ui_view *v)
{
    if (!v)
        return;
    ui_panes_release(v);
    if (v->ops->close)
        v->ops->close(v);
}

static bool may_leave(ui_view *v)
{
    return !v->ops->leave || v->ops->leave(v);
}

int ui_push(ui_app *app, ui_view *v)
{
    struct ui_app_priv *p = app->priv;
    if (!v)
        return -1;
    if (p->nstack == UI_STACK_MAX) {
        /* Closing the oldest silently could lose a form's unsaved work. */
        close_view(v);
        ui_message(app, UI_MSG_ERROR, "%s", _("Too many views open: close one first (q)"));
        return -1;
    }
    v->app = app;
    ui_table_hits_reset(); /* clicks go to the tables of the view on top */
    p->stack[p->nstack++] = v;
    ui_layout_resize_view(v, app);
    p->title_dirty = true;
    return 0;
}

bool ui_pop(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    if (!p->nstack || !may_leave(p->stack[p->nstack - 1]))
        return false;
    close_view(p->stack[--p->nstack]);
    ui_table_hits_reset();
    ui_top_view(app)->dirty = true;
    p->title_dirty = true;
    return true;
}

void ui_switch(ui_app *app, int main_view)
{
    struct ui_app_priv *p = app->priv;
    if (main_view < 0 || main_view >= UI_MAIN_VIEWS || !p->main[main_view])
        return;
    while (p->nstack)
        if (!ui_pop(app))
            return;
    if (main_view != p->cur_main && !may_leave(p->main[p->cur_main]))
        return;
    if (main_view != p->cur_main)
        ui_table_hits_reset();
    p->cur_main = main_view;
    p->main[main_view]->dirty = true;
    p->title_dirty = true;
}

void ui_quit(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    for (int i = p->nstack - 1; i >= 0; i--)
        if (!may_leave(p->stack[i]))
            return;
    for (int i = 0; i < UI_MAIN_VIEWS; i++)
        if (p->main[i] && !may_leave(p->main[i]))
            return;
    loop_quit(app->lp);
}

static void restyle_view(ui_view *v, void *ud)
{
    (void)ud;
    if (v->ops->on_restyle)
        v->ops->on_restyle(v);
    v->dirty = true;
}

static void restyle(ui_app *app)
{
    ui_for_each_view(app, restyle_view, NULL);
    ui_layout_backgrounds(app->priv);
    ui_dirty_all(app);
    app->priv->need_clear = true;
}

static bool is_help(const ui_view *v);

/* Global actions: what no view took. */
void ui_global_action(ui_app *app, int action, int key)
{
    struct ui_app_priv *p = app->priv;
    char err[512];
    switch (action) {
    case ACT_QUIT:
        ui_quit(app);
        break;
    case ACT_BACK:
        if (p->nstack)
            ui_pop(app);
        else if (key == 27) /* a stray Esc (or a cancelled prompt habit) must not end the session */
            ui_message(app, UI_MSG_HINT, "%s", _("Esc closes views; press q to quit"));
        else
            ui_quit(app);
        break;
    case ACT_HELP:
        if (p->nstack && is_help(ui_top_view(app)))
            ui_pop(app);
        else
            ui_push(app, ui_help_new(app));
        break;
    case ACT_VIEW_DASHBOARD:
    case ACT_VIEW_STREAM:
    case ACT_VIEW_KPI:
    case ACT_VIEW_ALERTS:
        ui_switch(app, action - ACT_VIEW_DASHBOARD);
        break;
    case ACT_VIEW_QUEUE:
    case ACT_VIEW_CAUSES: {
        /* the checklist views open above the main view (q goes back) */
        ui_view *nv = action == ACT_VIEW_QUEUE ? ui_queue_new(app) : ui_causes_new(app);
        if (nv) {
            ui_push(app, nv);
            ui_checklists_report(app);
        }
        break;
    }
    case ACT_NEXT_PANE:
    case ACT_PREV_PANE: {
        /* Between panes on a view that has several; else between views. */
        ui_view *top = ui_top_view(app);
        if (top->npanes > 1) {
            int step = action == ACT_NEXT_PANE ? 1 : top->npanes - 1;
            ui_pane_focus(top, (top->focus + step) % top->npanes);
            break;
        }
        ui_switch(app, (p->cur_main + (action == ACT_NEXT_PANE ? 1 : UI_MAIN_VIEWS - 1)) %
                           UI_MAIN_VIEWS);
        break;
    }
    case ACT_THEME_CYCLE:
        if (ui_theme_cycle(err, sizeof err) == 0)
            ui_message(app, UI_MSG_INFO, _("Theme: %s"), ui_theme_name());
        else
            ui_message(app, UI_MSG_ERROR, _("Theme %s: %s"), "", err);
        restyle(app);
        break;
    case ACT_LANG_TOGGLE:
        i18n_set_lang(i18n_get_lang() == LANG_RU ? LANG_EN : LANG_RU);
        restyle(app);
        ui_message(app, UI_MSG_INFO, "%s", _("Language: English"));
        break;
    case ACT_REDRAW:
        ui_dirty_all(app);
        p->need_clear = true;
        break;
    default: {
        char name[KM_NAME_MAX];
        keymap_key_name(key, name, sizeof name);
        if (action != ACT_NONE) /* bound, but this view has no use for it */
            ui_message(app, UI_MSG_HINT, _("%s (%s) does nothing in this view"), name,
                       ui_action_get(action)->name);
        else
            ui_message(app, UI_MSG_HINT, _("Unbound key: %s (press ? for help)"), name);
        break;
    }
    }
}

/* The focused pane sees an action first, then the view. */
int ui_view_action(ui_app *app, ui_view *v, int action, int key)
{
    (void)app;
    ui_pane *pn = ui_pane_focused(v);
    if (pn && pn->ops->on_action) {
        int r = pn->ops->on_action(pn, action, key);
        if (r & UI_REDRAW)
            pn->dirty = true;
        if (r & UI_HANDLED)
            return r & ~UI_REDRAW;
    }
    int r = v->ops->on_action ? v->ops->on_action(v, action, key) : UI_IGNORED;
    if (r & UI_REDRAW)
        v->dirty = true;
    return r;
}

unsigned ui_focus_ctx(ui_app *app)
{
    ui_pane *pn = ui_pane_focused(ui_top_view(app));
    return pn ? pn->ops->ctx : 0;
}

void ui_app_resized(ui_app *app)
{
    int rows = app->rows, cols = app->cols;
    ui_screen_resize(&rows, &cols);
    app->priv->need_relayout = true;
}

static void on_signal(void *ud, int signo)
{
    ui_app *app = ud;
    if (signo == SIGWINCH)
        ui_app_resized(app);
    else
        loop_quit(app->lp); /* SIGINT, SIGTERM, SIGHUP: a clean exit restores the tty */
}

/* SIGUSR1 asks `ingest` for its status lines; the console has no such
 * lines, and the default action (terminate) would end the session of
 * whoever sent it to the wrong process. Documented as ignored. */
static void on_usr1(void *ud, int signo)
{
    (void)ud;
    (void)signo;
}

typedef struct {
    const event *evs;
    size_t n;
} ev_batch;

static void deliver(ui_view *v, void *ud)
{
    const ev_batch *b = ud;
    if (v->ops->on_events)
        v->ops->on_events(v, b->evs, b->n);
}

static void on_commit(void *ud, const event *evs, size_t n)
{
    ui_app *app = ud;
    ev_batch b = {evs, n};
    app->now_us = time_now_us();
    ui_for_each_view(app, deliver, &b);
    app->priv->status_dirty = true; /* counters */
    ui_status_tick(app);
    /* Our own commit does not move data_version; remember it anyway so the
     * tick does not ask views to requery what they were just given. */
    app->priv->data_version = store_data_version(app->st);
}

static void schedule_tick(ui_app *app);

static void on_tick(void *ud)
{
    ui_app *app = ud;
    struct ui_app_priv *p = app->priv;
    p->clock_timer = 0;
    app->now_us = time_now_us();
    ui_status_tick(app);
    /* Another console or `import` wrote to the same database. */
    int64_t dv = store_data_version(app->st);
    if (dv != p->data_version) {
        p->data_version = dv;
        ev_batch b = {NULL, 0};
        ui_for_each_view(app, deliver, &b);
    }
    schedule_tick(app);
}

static void schedule_tick(ui_app *app)
{
    /* At the next whole second, so the clock never shows a second late. */
    int64_t now = time_now_us();
    int64_t delay = 1000 - (now / 1000) % 1000;
    app->priv->clock_timer = loop_timer_add(app->lp, delay > 0 ? delay : 1000, on_tick, app);
}

static void close_all(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    while (p->nstack)
        close_view(p->stack[--p->nstack]);
    for (int i = 0; i < UI_MAIN_VIEWS; i++) {
        close_view(p->main[i]);
        p->main[i] = NULL;
    }
    /* the player after the views that used it; fd 2 back to the terminal */
    ui_audio_shutdown();
}

int ui_run(const ui_run_opts *o, char *err, size_t errlen)
{
    static struct ui_app_priv priv;
    ui_app app;
    memset(&app, 0, sizeof app);
    memset(&priv, 0, sizeof priv);
    app.priv = &priv;
    app.st = o->st;
    app.cfg = o->cfg;
    app.hub = o->hub;
    app.lp = o->lp;
    app.now_us = time_now_us();
    priv.demo = o->demo;
    if (!(app.wq = wq_new(app.lp, app.st))) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snprintf(priv.db_label, sizeof priv.db_label, "%s", o->db_label ? o->db_label : "");

    int lang = o->lang;
    if (lang < 0 && o->cfg && o->cfg->lang)
        lang = i18n_lang_parse(o->cfg->lang);
    i18n_set_lang(lang >= 0 ? (i18n_lang)lang : i18n_lang_from_env());

    char kerr[512] = "", terr[512] = "";
    ui_keymap_defaults();
    int krc = ui_keymap_load(NULL, kerr, sizeof kerr);

    /* Signals first: ncurses installs its own SIGINT/SIGTERM/SIGWINCH
     * handlers only where none exist, and ours go through the loop. */
    loop_on_signal(app.lp, SIGWINCH, on_signal, &app);
    loop_on_signal(app.lp, SIGINT, on_signal, &app);
    loop_on_signal(app.lp, SIGTERM, on_signal, &app);
    loop_on_signal(app.lp, SIGHUP, on_signal, &app);
    loop_on_signal(app.lp, SIGUSR1, on_usr1, NULL);

    /* setlocale(LC_ALL, "") fails as a whole when any category names a
     * locale that is not installed (LC_MESSAGES=ru_RU.UTF-8 on a box without
     * it), leaving "C" and ASCII; LC_CTYPE alone decides the charset. */
    if (!text_is_utf8() && setlocale(LC_CTYPE, ""))
        text_init();

    ui_stderr_to_log();
    if (ui_screen_start()) {
        ui_stderr_restore();
        wq_free(app.wq);
        snprintf(err, errlen, "cannot initialise the terminal");
        return -1;
    }
    ui_mouse_start();
    app.colour = ui_theme_depth() != THEME_DEPTH_MONO;
    app.utf8 = text_is_utf8();

    const char *tname = o->theme ? o->theme : (o->cfg && o->cfg->theme ? o->cfg->theme : "default");
    int trc = ui_theme_load(tname, terr, sizeof terr);
    if (trc)
        ui_theme_load("builtin", NULL, 0);

    priv.main[0] = ui_dashboard_new(&app);
    priv.main[1] = ui_stream_new(&app);
    priv.main[2] = ui_kpi_new(&app);
    priv.main[3] = ui_alerts_new(&app);
    for (int i = 0; i < UI_MAIN_VIEWS; i++)
        if (!priv.main[i]) {
            close_all(&app);
            ui_screen_stop();
            ui_stderr_restore();
            wq_free(app.wq);
            snprintf(err, errlen, "cannot create the %s view", ui_main_names[i]);
            return -1;
        }
    priv.data_version = store_data_version(app.st);
    ui_status_tick(&app);
    ui_layout_relayout(&app);

    if (trc)
        ui_message(&app, UI_MSG_ERROR, _("Theme %s: %s"), tname, terr);
    else if (krc)
        ui_message(&app, UI_MSG_ERROR, _("Keymap: %s"), kerr);

    if (app.hub) {
        hub_set_commit_cb(app.hub, on_commit, &app);
        hub_set_nowait(app.hub, true); /* a key never waits for an import's lock */
    }
    if (ui_input_start(&app)) {
        if (app.hub)
            hub_set_commit_cb(app.hub, NULL, NULL);
        close_all(&app);
        ui_layout_del_windows(&priv);
        ui_screen_stop();
        ui_stderr_restore();
        wq_free(app.wq);
        snprintf(err, errlen, "cannot read the keyboard");
        return -1;
    }
    loop_on_pass(app.lp, ui_layout_pass, &app);
    schedule_tick(&app);
    ui_layout_pass(&app);

    loop_run(app.lp);
    /* What keys asked to write lands now, before the views go. */
    size_t unsaved = wq_flush(app.wq);

    loop_off_pass(app.lp, ui_layout_pass, &app);
    ui_input_stop(&app);
    if (priv.clock_timer)
        loop_timer_cancel(app.lp, priv.clock_timer);
    if (priv.msg_timer)
        loop_timer_cancel(app.lp, priv.msg_timer);
    if (app.hub)
        hub_set_commit_cb(app.hub, NULL, NULL);
    close_all(&app);
    ui_prompt_cleanup(&app);
    ui_layout_del_windows(&priv);
    ui_screen_stop();
    ui_stderr_restore();
    if (unsaved)
        fprintf(stderr, "cxm-console: %zu change(s) could not be saved: %s\n", unsaved,
                store_errmsg(app.st));
    wq_free(app.wq);
    for (int s = 0; s < 4; s++) {
        static const int sigs[] = {SIGWINCH, SIGINT, SIGTERM, SIGHUP};
        loop_on_signal(app.lp, sigs[s], NULL, NULL);
    }
    return 0;
}

/* The help view is the only pushed view the app itself toggles. */
extern const ui_view_ops ui_help_ops;
static bool is_help(const ui_view *v)
{
    return v && v->ops == &ui_help_ops;
}
