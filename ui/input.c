/* The keyboard: reads what curses decoded, finishes the job with the key
 * decoder (Meta keys, sequences curses does not know), and hands each key
 * to whoever sees it first: an open prompt, then the focused view, then
 * the app's global actions. Also the screen tests' "frame drawn" hook. */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app_priv.h"
#include "cxm/keydec.h"
#include "cxm/keymap.h"
#include "cxm/timefmt.h"
#include "uikeys.h"

static WINDOW *input_pad; /* keys are read here: a pad never triggers a refresh */
static keydec dec;

static void dispatch_key(ui_app *app, int key);

static bool is_bound(ui_app *app, int key)
{
    return ui_keymap_lookup(key, ui_focus_ctx(app), ui_top_view(app)->ops->ctx) != ACT_NONE;
}

static void dispatch_key(ui_app *app, int key)
{
    struct ui_app_priv *p = app->priv;
    app->now_us = time_now_us();
    if (key == KM_MOUSE) {
        ui_mouse_event(app);
        return;
    }
    if (ui_prompt_key(app, key))
        return;
    /* Not text here: a key typed on the Russian layout that means nothing
     * itself acts as the Latin key in its place (й is q), so nobody has to
     * switch layouts to press a command. */
    if (!(app->cfg && app->cfg->russian_layout_keys_off)) {
        int latin = keymap_layout_latin(key);
        if (latin != key && !is_bound(app, key) && is_bound(app, latin))
            key = latin;
    }
    /* A Meta key nobody binds is most likely Esc and a key typed after it
     * that arrived together (a slow link, a script): take it as the two. */
    if (KM_IS_META(key) && !is_bound(app, key)) {
        dispatch_key(app, 27);
        dispatch_key(app, key & ~KM_META);
        return;
    }
    if (key == KM_SWALLOWED) {
        ui_message(app, UI_MSG_HINT, "%s", _("Unknown key sequence ignored"));
        return;
    }
    if (p->msg[0] && p->msg_level == UI_MSG_ERROR) {
        p->msg[0] = '\0';
        p->msg_dirty = true;
    }
    ui_view *top = ui_top_view(app);
    int action = ui_keymap_lookup(key, ui_focus_ctx(app), top->ops->ctx);
    int r = ui_view_action(app, top, action, key);
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
        ui_global_action(app, action, key);
}

static void on_stdin(void *ud, int fd, short revents)
{
    ui_app *app = ud;
    (void)fd;
    bool got = false;
    int out[KEYDEC_OUT_MAX];
    /* poll() saw bytes, but ncurses may already hold more than one key in
     * its own buffer: drain until it has nothing (DESIGN §13). Curses waits
     * the escape delay after an Esc, so what follows an Esc here arrived
     * within it. */
    for (;;) {
        wint_t ch;
        int rc = wget_wch(input_pad, &ch);
        if (rc == ERR)
            break;
        got = true;
        if (rc == KEY_CODE_YES && ch == KEY_RESIZE) {
            ui_app_resized(app);
            continue;
        }
        int key = ui_key_from_curses(rc, (unsigned)ch);
        if (key == KM_KEY_NONE)
            continue;
        int n = keydec_feed(&dec, key, out);
        for (int i = 0; i < n && !loop_quitting(app->lp); i++)
            dispatch_key(app, out[i]);
        if (loop_quitting(app->lp))
            return;
    }
    int n = keydec_flush(&dec, out);
    for (int i = 0; i < n && !loop_quitting(app->lp); i++)
        dispatch_key(app, out[i]);
    if (got)
        app->priv->input_unreported = true;
    /* The terminal went away (SSH dropped): nothing will ever be read. */
    if (!got && (revents & (POLLHUP | POLLERR | POLLNVAL)))
        loop_quit(app->lp);
}

int ui_input_start(ui_app *app)
{
    keydec_init(&dec);
    input_pad = newpad(1, 1);
    if (!input_pad)
        return -1;
    keypad(input_pad, TRUE);
    nodelay(input_pad, TRUE);
    /* The test hook: a descriptor the tests read "frame N" lines from. */
    const char *fe = getenv("CXM_TEST_FRAME_FD");
    app->priv->frame_fd = -1;
    if (fe && *fe) {
        char *end;
        long fdn = strtol(fe, &end, 10);
        if (!*end && fdn > 2 && fdn < 1024 && fcntl((int)fdn, F_GETFD) != -1) {
            app->priv->frame_fd = (int)fdn;
            fcntl((int)fdn, F_SETFD, FD_CLOEXEC);
        }
    }
    app->priv->input_unreported = true; /* the first frame says "ready" */
    loop_watch_fd(app->lp, STDIN_FILENO, POLLIN, on_stdin, app);
    return 0;
}

void ui_input_stop(ui_app *app)
{
    loop_unwatch_fd(app->lp, STDIN_FILENO);
    if (input_pad)
        delwin(input_pad);
    input_pad = NULL;
}

/* Called at the end of every loop pass, after the repaint: once all the
 * input read so far has been handled and drawn, say so. */
void ui_input_frame_done(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    if (p->frame_fd < 0 || !p->input_unreported || keydec_pending(&dec))
        return;
    p->input_unreported = false;
    char line[32];
    int n = snprintf(line, sizeof line, "frame %lu\n", ++p->frames);
    if (write(p->frame_fd, line, (size_t)n) != n) {
        close(p->frame_fd);
        p->frame_fd = -1; /* the reader went away; the console goes on */
    }
}
