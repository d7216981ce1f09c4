/* The terminal: refusal of dumb terminals, curses setup, colours, crash
 * restore, stderr to a log file. Internal to ui/. */
#ifndef CXM_UI_SCREEN_H
#define CXM_UI_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24

/* Before curses touches the tty: refuses TERM unset/dumb/unknown, terminals
 * without cursor addressing, and stdin/stdout that are not terminals.
 * Returns 0, or -1 with a message for the user. */
int ui_screen_check(char *msg, size_t cap);
/* newterm, modes, ESCDELAY, colours, the crash handler. 0 or -1. */
int ui_screen_start(void);
/* endwin; idempotent (the crash handler and exit paths may both call it). */
void ui_screen_stop(void);
/* Re-reads the tty size after SIGWINCH (resizeterm). True when it changed. */
bool ui_screen_resize(int *rows, int *cols);
/* Points fd 2 at $XDG_STATE_HOME/cxm-console/console.log while curses runs
 * (libraries print there); ui_stderr_restore puts the terminal back. */
void ui_stderr_to_log(void);
void ui_stderr_restore(void);
const char *ui_log_path(void);

#endif
