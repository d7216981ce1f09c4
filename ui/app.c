/* The console app: owns the screen, the view stack and the keyboard. One
 * thread, one loop: keys, feed commits, the clock and signals all arrive as
 * loop callbacks; each pass ends with one repaint and one doupdate(). */
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "app_priv.h"
#include "cxm/alerts.h"
#include "cxm/keymap.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "screen.h"
#include "uikeys.h"
#include "uitheme.h"

static const int main_actions[UI_MAIN_VIEWS] = {ACT_VIEW_DASHBOARD, ACT_VIEW_STREAM, ACT_VIEW_KPI,
                                                ACT_VIEW_ALERTS};
static const char *const main_names[UI_MAIN_VIEWS] = {N_("Dashboard"), N_("Stream"), N_("KPIs"),
                                                      N_("Alerts")};

static WINDOW *input_pad; /* keys are read here: a pad never triggers a refresh */

int ui_check_terminal(char *msg, size_t cap)
{
    return ui_screen_check(msg, cap);
}

ui_view *ui_top_view(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    return p->nstack ? p->stack[p->nstack - 1] : p->main[p->cur_main];
}

static void for_each_view(ui_app *app, void (*fn)(ui_view *v, void *ud), void *ud)
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
    for_each_view(app, mark_dirty, NULL);
    p->title_dirty = p->banner_dirty = p->status_dirty = p->msg_dirty = true;
}

static void resize_view(ui_view *v, void *ud)
{
    ui_app *app = ud;
    WINDOW *w = app->priv->w_body;
    if (v->ops->on_resize && w)
        v->ops->on_resize(v, getmaxy(w), getmaxx(w));
    v->dirty = true;
}

static void del_windows(struct ui_app_priv *p)
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
static void set_backgrounds(struct ui_app_priv *p)
{
    WINDOW *ws[] = {stdscr, p->w_title, p->w_banner, p->w_body, p->w_status, p->w_msg};
    for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++)
        if (ws[i])
            wbkgd(ws[i], ' ' | ui_attr(TH_NORMAL));
}

/* Title, optional alert banner, body, status bar, message line. */
static void relayout(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    p->need_relayout = false;
    del_windows(p);
    app->rows = LINES;
    app->cols = COLS;
    p->too_small = app->rows < UI_MIN_ROWS || app->cols < UI_MIN_COLS;
    set_backgrounds(p);
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
        del_windows(p);
        p->too_small = true;
        return;
    }
    leaveok(p->w_title, TRUE);
    leaveok(p->w_body, TRUE);
    leaveok(p->w_status, TRUE);
    if (p->w_banner)
        leaveok(p->w_banner, TRUE);
    set_backgrounds(p);
    for_each_view(app, resize_view, app);
    ui_dirty_all(app);
}

static void draw_title(ui_app *app, WINDOW *w)
{
    struct ui_app_priv *p = app->priv;
    int cols = getmaxx(w);
    werase(w);
    ui_put(w, 0, 0, "", cols, TH_TITLE, true);
    int x = ui_put(w, 0, 0, " cxm-console ", cols, TH_TITLE, false);
    for (int i = 0; i < UI_MAIN_VIEWS && x < cols; i++) {
        char keys[32], tab[128];
        ui_keymap_keys(main_actions[i], keys, sizeof keys);
        char *sp = strchr(keys, ' ');
        if (sp)
            *sp = '\0';
        if (i == 3 && p->alerts_open)
            snprintf(tab, sizeof tab, " %s %s %s%zu ", keys, _(main_names[i]), ui_glyph_bell(),
                     p->alerts_open);
        else
            snprintf(tab, sizeof tab, " %s %s ", keys, _(main_names[i]));
        x += ui_put(w, 0, x, tab, cols - x, i == p->cur_main && !p->nstack ? TH_TAB_ACTIVE : TH_TAB,
                    false);
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
static void on_pass(void *ud)
{
    ui_app *app = ud;
    struct ui_app_priv *p = app->priv;
    bool any = false;
    app->now_us = time_now_us();
    if (p->need_relayout) {
        relayout(app);
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
        if (top && top->dirty) {
            top->dirty = false;
            top->ops->draw(top, p->w_body);
            wnoutrefresh(p->w_body);
            any = true;
        }
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
    if (!any)
        return;
    if (p->need_clear) {
        clearok(curscr, TRUE);
        p->need_clear = false;
    }
    doupdate();
}

static void close_view(ui_view *v)
{
    if (v && v->ops->close)
        v->ops->close(v);
}

void ui_push(ui_app *app, ui_view *v)
{
    struct ui_app_priv *p = app->priv;
    if (!v)
        return;
    if (p->nstack == UI_STACK_MAX) {
        close_view(p->stack[0]);
        memmove(p->stack, p->stack + 1, (UI_STACK_MAX - 1) * sizeof p->stack[0]);
        p->nstack--;
    }
    v->app = app;
    p->stack[p->nstack++] = v;
    resize_view(v, app);
    p->title_dirty = true;
}

void ui_pop(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    if (!p->nstack)
        return;
    close_view(p->stack[--p->nstack]);
    ui_top_view(app)->dirty = true;
    p->title_dirty = true;
}

void ui_switch(ui_app *app, int main_view)
{
    struct ui_app_priv *p = app->priv;
    if (main_view < 0 || main_view >= UI_MAIN_VIEWS || !p->main[main_view])
        return;
    while (p->nstack)
        ui_pop(app);
    p->cur_main = main_view;
    p->main[main_view]->dirty = true;
    p->title_dirty = true;
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
    for_each_view(app, restyle_view, NULL);
    set_backgrounds(app->priv);
    ui_dirty_all(app);
    app->priv->need_clear = true;
}

static bool is_help(const ui_view *v);

/* Global actions: what no view took. */
static void global_action(ui_app *app, int action, int key)
{
    struct ui_app_priv *p = app->priv;
    char err[512];
    switch (action) {
    case ACT_QUIT:
        loop_quit(app->lp);
        break;
    case ACT_BACK:
        if (p->nstack)
            ui_pop(app);
        else if (key == 27) /* a stray Esc (or a cancelled prompt habit) must not end the session */
            ui_message(app, UI_MSG_HINT, "%s", _("Esc closes views; press q to quit"));
        else
            loop_quit(app->lp);
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
    case ACT_NEXT_PANE:
    case ACT_PREV_PANE:
        ui_switch(app, (p->cur_main + (action == ACT_NEXT_PANE ? 1 : UI_MAIN_VIEWS - 1)) %
                           UI_MAIN_VIEWS);
        break;
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

static void dispatch_key(ui_app *app, int key)
{
    struct ui_app_priv *p = app->priv;
    app->now_us = time_now_us();
    if (ui_prompt_key(app, key))
        return;
    if (p->msg[0] && p->msg_level == UI_MSG_ERROR) {
        p->msg[0] = '\0';
        p->msg_dirty = true;
    }
    int action = ui_keymap_lookup(key);
    ui_view *top = ui_top_view(app);
    int r = top && top->ops->on_action ? top->ops->on_action(top, action, key) : UI_IGNORED;
    if (r & UI_REDRAW)
        top->dirty = true;
    if (r & UI_QUIT) {
        loop_quit(app->lp);
        return;
    }
    if (r & UI_BACK) {
        if (p->nstack && ui_top_view(app) == top)
            ui_pop(app);
        return;
    }
    if (!(r & UI_HANDLED))
        global_action(app, action, key);
}

static void on_resize(ui_app *app)
{
    int rows = app->rows, cols = app->cols;
    ui_screen_resize(&rows, &cols);
    app->priv->need_relayout = true;
}

/* ncurses hands over a sequence it does not know (a key the terminfo entry
 * lacks, Alt+key) as Esc followed by its bytes, which all arrived together.
 * Taken as keys, that Esc would close views and the rest would run random
 * actions; swallow the whole sequence instead. A lone Esc has nothing
 * behind it: ncurses already waited ESCDELAY for more. */
static bool swallow_escape_sequence(ui_app *app)
{
    wint_t ch;
    int rc = wget_wch(input_pad, &ch);
    if (rc == ERR)
        return false;
    if (rc == OK && (ch == '[' || ch == 'O')) {
        /* CSI / SS3: parameters, then one final byte in 0x40..0x7E. */
        for (int i = 0; i < 32; i++) {
            rc = wget_wch(input_pad, &ch);
            if (rc != OK || (ch >= 0x40 && ch <= 0x7E))
                break;
        }
    }
    ui_message(app, UI_MSG_HINT, "%s", _("Unknown key sequence ignored"));
    return true;
}

static void on_stdin(void *ud, int fd, short revents)
{
    ui_app *app = ud;
    (void)fd;
    bool got = false;
    /* poll() saw bytes, but ncurses may already hold more than one key in
     * its own buffer: drain until it has nothing (DESIGN §13). */
    for (;;) {
        wint_t ch;
        int rc = wget_wch(input_pad, &ch);
        if (rc == ERR)
            break;
        got = true;
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
            on_resize(app);
            continue;
        }
        int key = ui_key_from_curses(rc, (unsigned)ch);
        if (key == 27 && swallow_escape_sequence(app))
            continue;
        if (key != KM_KEY_NONE)
            dispatch_key(app, key);
        if (loop_quitting(app->lp))
            break;
    }
    /* The terminal went away (SSH dropped): nothing will ever be read. */
    if (!got && (revents & (POLLHUP | POLLERR | POLLNVAL)))
        loop_quit(app->lp);
}

static void on_signal(void *ud, int signo)
{
    ui_app *app = ud;
    if (signo == SIGWINCH)
        on_resize(app);
    else
        loop_quit(app->lp); /* SIGINT, SIGTERM, SIGHUP: a clean exit restores the tty */
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
    for_each_view(app, deliver, &b);
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
        for_each_view(app, deliver, &b);
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
    app.colour = ui_theme_depth() != THEME_DEPTH_MONO;
    app.utf8 = text_is_utf8();
    input_pad = newpad(1, 1);
    keypad(input_pad, TRUE);
    nodelay(input_pad, TRUE);

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
            delwin(input_pad);
            ui_screen_stop();
            ui_stderr_restore();
            wq_free(app.wq);
            snprintf(err, errlen, "cannot create the %s view", main_names[i]);
            return -1;
        }
    priv.data_version = store_data_version(app.st);
    ui_status_tick(&app);
    relayout(&app);

    if (trc)
        ui_message(&app, UI_MSG_ERROR, _("Theme %s: %s"), tname, terr);
    else if (krc)
        ui_message(&app, UI_MSG_ERROR, _("Keymap: %s"), kerr);

    if (app.hub) {
        hub_set_commit_cb(app.hub, on_commit, &app);
        hub_set_nowait(app.hub, true); /* a key never waits for an import's lock */
    }
    loop_watch_fd(app.lp, STDIN_FILENO, POLLIN, on_stdin, &app);
    loop_on_pass(app.lp, on_pass, &app);
    schedule_tick(&app);
    on_pass(&app);

    loop_run(app.lp);
    /* What keys asked to write lands now, before the views go. */
    size_t unsaved = wq_flush(app.wq);

    loop_off_pass(app.lp, on_pass, &app);
    loop_unwatch_fd(app.lp, STDIN_FILENO);
    if (priv.clock_timer)
        loop_timer_cancel(app.lp, priv.clock_timer);
    if (priv.msg_timer)
        loop_timer_cancel(app.lp, priv.msg_timer);
    if (app.hub)
        hub_set_commit_cb(app.hub, NULL, NULL);
    close_all(&app);
    del_windows(&priv);
    delwin(input_pad);
    input_pad = NULL;
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

int ui_clipboard_copy(ui_app *app, const char *text)
{
    (void)app;
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(text);
    if (n > 74994) /* xterm's default limit on the whole sequence is 100000 */
        return -1;
    char *out = malloc(n / 3 * 4 + 16 + 16);
    if (!out)
        return -1;
    size_t o = 0;
    memcpy(out, "\033]52;c;", 7);
    o = 7;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned char)text[i] << 16;
        if (i + 1 < n)
            v |= (unsigned char)text[i + 1] << 8;
        if (i + 2 < n)
            v |= (unsigned char)text[i + 2];
        out[o++] = b64[(v >> 18) & 63];
        out[o++] = b64[(v >> 12) & 63];
        out[o++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[o++] = '\a';
    /* Curses has flushed its buffer at the last doupdate, so the sequence
     * cannot land inside one of its own. */
    size_t off = 0;
    int rc = 0;
    while (off < o) {
        ssize_t w = write(STDOUT_FILENO, out + off, o - off);
        if (w <= 0) {
            rc = -1;
            break;
        }
        off += (size_t)w;
    }
    free(out);
    return rc;
}

/* The help view is the only pushed view the app itself toggles. */
extern const ui_view_ops ui_help_ops;
static bool is_help(const ui_view *v)
{
    return v && v->ops == &ui_help_ops;
}
