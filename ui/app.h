/* The TUI front end: cmd_console.c prepares the store, config, loop and hub
 * (in that order, loop before anything that starts threads) and hands over. */
#ifndef CXM_UI_APP_H
#define CXM_UI_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "cxm/config.h"
#include "cxm/feed.h"
#include "cxm/loop.h"
#include "cxm/store.h"

typedef struct {
    store *st;
    const cxm_config *cfg;
    hub *hub;             /* may be NULL */
    loop *lp;
    const char *theme;    /* --theme, else cfg->theme, else "default" */
    int lang;             /* LANG_EN/LANG_RU from --lang; -1 = cfg->lang or the locale */
    const char *db_label; /* shown in the status bar */
    bool demo;
} ui_run_opts;

/* Refuses terminals that cannot show the console (TERM=dumb, unknown,
 * not a tty) with a message: call before anything else touches the tty. */
int ui_check_terminal(char *msg, size_t cap);

/* Runs the console until the user quits or SIGINT/SIGTERM/SIGHUP.
 * Returns 0, or -1 with err set (the terminal is restored either way). */
int ui_run(const ui_run_opts *o, char *err, size_t errlen);

/* The console's Telegram forwarder (issue 9; NULL: off), shown in the
 * status bar; a permanent failure is said once on the message line. */
struct tgfwd;
void ui_status_set_forwarder(struct tgfwd *f);

#endif
