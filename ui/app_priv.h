/* The app's private state, shared by app.c, statusbar.c, prompt.c and
 * message.c. Views never see this. */
#ifndef CXM_UI_APP_PRIV_H
#define CXM_UI_APP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "cxm/lineedit.h"
#include "ui.h"

#define UI_MAIN_VIEWS 4
#define UI_STACK_MAX 8
#define UI_MSG_MAX 512
#define UI_PROMPT_MAX 1024 /* characters */

typedef struct {
    bool active;
    char label[128];
    lineedit *le;       /* the text being edited (include/cxm/lineedit.h) */
    le_history *hist;   /* this prompt's history (by label), not owned */
    ui_prompt_change_fn on_change;
    ui_prompt_fn on_done;
    void *ud;
} ui_prompt_state;

struct ui_app_priv {
    ui_view *main[UI_MAIN_VIEWS];
    int cur_main;
    ui_view *stack[UI_STACK_MAX];
    int nstack;

    WINDOW *w_title, *w_banner, *w_body, *w_status, *w_msg;
    bool too_small;
    bool title_dirty, banner_dirty, status_dirty, msg_dirty, body_clear;
    bool need_clear;                 /* ^L / theme: clearok(curscr) */

    char msg[UI_MSG_MAX];
    ui_msg_level msg_level;
    int msg_timer;
    ui_prompt_state prompt;

    size_t alerts_open;
    int64_t data_version;
    int clock_timer;
    char clock_text[16];
    char db_label[256];
    bool demo;
    bool need_relayout;
    /* The screen tests' hook (CXM_TEST_FRAME_FD): -1 when off. */
    int frame_fd;
    bool input_unreported; /* input was read since the last "frame" line */
    unsigned long frames;
    int tab_x[UI_MAIN_VIEWS][2]; /* title tabs' columns [from, to), for clicks */
    /* What the message line last said about each source, to report a new
     * failure once instead of every second. */
    uint32_t src_err_hash[CONFIG_SOURCES_MAX + 4];              /* the banner appeared or went */
};

/* message / prompt (ui/prompt.c) */
void ui_prompt_draw(ui_app *app, WINDOW *w);
/* Frees the editor and every prompt's history (end of the session). */
void ui_prompt_cleanup(ui_app *app);
/* Returns true when a prompt consumed the key. */
bool ui_prompt_key(ui_app *app, int key);

/* status bar and banner (ui/statusbar.c) */
void ui_status_draw(ui_app *app, WINDOW *w);
void ui_banner_draw(ui_app *app, WINDOW *w);
void ui_message_draw(ui_app *app, WINDOW *w);
/* Once a second: clock, retry countdowns, alerts count. True when the
 * status bar or banner changed. */
bool ui_status_tick(ui_app *app);
/* Re-ringing acknowledged alerts and auto-closing quiet ones (status tick). */
bool ui_status_alert_chores(ui_app *app);
/* An alert changed by a write of this process (ack, close, auto-close):
 * the alert views reread, the banner, tab counter and bell follow now. */
void ui_alerts_changed_here(ui_app *app);

/* lifecycle and the view stack (ui/app.c) */
extern const char *const ui_main_names[UI_MAIN_VIEWS];
ui_view *ui_top_view(ui_app *app);
/* Calls fn for every open view: the main views, then the pushed ones. */
void ui_for_each_view(ui_app *app, void (*fn)(ui_view *v, void *ud), void *ud);
/* What no view took (ui/app.c). */
void ui_global_action(ui_app *app, int action, int key);
/* Runs an action through the view (its focused pane first): a UI_* mask. */
int ui_view_action(ui_app *app, ui_view *v, int action, int key);
/* The focused pane's UI_CTX_* bits (0 without panes). */
unsigned ui_focus_ctx(ui_app *app);
/* The terminal changed size (KEY_RESIZE or SIGWINCH). */
void ui_app_resized(ui_app *app);

/* layout and repaint (ui/layout.c) */
void ui_layout_relayout(ui_app *app);
void ui_layout_del_windows(struct ui_app_priv *p);
void ui_layout_backgrounds(struct ui_app_priv *p);
/* The view's window has this size now (tells the view, marks it dirty). */
void ui_layout_resize_view(ui_view *v, ui_app *app);
/* The loop's end-of-pass callback: repaints what is dirty, flushes once. */
void ui_layout_pass(void *ud);

/* the keyboard (ui/input.c) */
int ui_input_start(ui_app *app);
void ui_input_stop(ui_app *app);
/* End of a loop pass: reports a drawn frame to the test hook. */
void ui_input_frame_done(ui_app *app);

/* the mouse (ui/mouse.c): reads the pending curses mouse event */
void ui_mouse_start(void);
void ui_mouse_event(ui_app *app);

/* panes (ui/pane.c) */
void ui_panes_release(ui_view *v);    /* before the view is closed */
void ui_panes_invalidate(ui_view *v); /* the body window was recreated */
/* Draws the dirty panes (all of them when `all`); true if any was drawn. */
bool ui_panes_draw(ui_view *v, WINDOW *body, bool all);
void ui_pane_click(ui_app *app, int screen_y, int screen_x);
void ui_pane_dirty_focused(ui_app *app);

#endif
