/* The app's private state, shared by app.c, statusbar.c, prompt.c and
 * message.c. Views never see this. */
#ifndef CXM_UI_APP_PRIV_H
#define CXM_UI_APP_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include "ui.h"

#define UI_MAIN_VIEWS 4
#define UI_STACK_MAX 8
#define UI_MSG_MAX 512
#define UI_PROMPT_MAX 256

typedef struct {
    bool active;
    char label[128];
    wchar_t buf[UI_PROMPT_MAX + 1];
    size_t len, cur;
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
    /* What the message line last said about each source, to report a new
     * failure once instead of every second. */
    uint32_t src_err_hash[CONFIG_SOURCES_MAX + 4];              /* the banner appeared or went */
};

/* message / prompt (ui/prompt.c) */
void ui_prompt_draw(ui_app *app, WINDOW *w);
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

/* the title bar (ui/app.c) */
ui_view *ui_top_view(ui_app *app);

#endif
