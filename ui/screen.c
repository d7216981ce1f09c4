/* Terminal setup and teardown. The terminal must come back sane on every
 * exit path: normal quit, Ctrl-C/SIGTERM (through the loop's signal pipe,
 * so those end in a normal quit), and crashes (a handler that ends curses
 * and re-raises). */
#include <termios.h>
#include <unistd.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <term.h>
#include <unistd.h>

#include "cxm/paths.h"
#include "screen.h"
#include "ui.h"
#include "uitheme.h"

static SCREEN *scr;
static volatile sig_atomic_t active;
static int saved_stderr = -1;
static char log_path[4096];

int ui_screen_check(char *msg, size_t cap)
{
    const char *term = getenv("TERM");
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        snprintf(msg, cap,
                 "cxm-console: the console needs a terminal on stdin and stdout "
                 "(use the subcommands, e.g. `cxm-console kpi`, from scripts)");
        return -1;
    }
    if (!term || !*term || !strcmp(term, "dumb")) {
        snprintf(msg, cap,
                 "cxm-console: TERM=%s cannot show the console (no cursor addressing). "
                 "Run it in a terminal emulator such as xterm, or set TERM (e.g. xterm-256color); "
                 "the subcommands (kpi, alerts, import) work anywhere.",
                 term && *term ? term : "(unset)");
        return -1;
    }
    int err = 0;
    if (setupterm(term, STDOUT_FILENO, &err) != OK) {
        snprintf(msg, cap,
                 "cxm-console: unknown terminal type TERM=%.64s (no terminfo entry). "
                 "Set TERM to one your system knows, e.g. xterm-256color.",
                 term);
        return -1;
    }
    /* Hard-copy and "generic" entries have no cursor addressing. */
    const char *cup = tigetstr("cup");
    bool bad = cup == NULL || cup == (char *)-1 || tigetflag("hc") > 0 || tigetflag("gn") > 0;
    del_curterm(cur_term);
    if (bad) {
        snprintf(msg, cap,
                 "cxm-console: TERM=%.64s cannot move the cursor, so the console cannot be drawn. "
                 "Use a terminal emulator (xterm-256color, screen, tmux).",
                 term);
        return -1;
    }
    return 0;
}

static void crash_handler(int signo)
{
    /* Not async-signal-safe, but the process is dying anyway and a raw
     * terminal is worse; then the default action (core dump) runs. */
    if (active) {
        active = 0;
        endwin();
    }
    if (saved_stderr >= 0)
        dup2(saved_stderr, STDERR_FILENO);
    static const char note[] = "cxm-console: crashed; terminal restored\n";
    if (write(STDERR_FILENO, note, sizeof note - 1) < 0) {
        /* nothing more to do */
    }
    signal(signo, SIG_DFL);
    raise(signo);
}

/* Sanitizer builds die through _exit after a report (unless told to
 * abort): let them restore the terminal first. Weak, so normal builds
 * link without the sanitizer runtime. */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));

static void sanitizer_death(void)
{
    if (active) {
        active = 0;
        endwin();
    }
    if (saved_stderr >= 0)
        dup2(saved_stderr, STDERR_FILENO);
}

static void install_crash_handlers(void)
{
    if (__sanitizer_set_death_callback)
        __sanitizer_set_death_callback(sanitizer_death);
    static const int sigs[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = crash_handler;
        sa.sa_flags = SA_RESETHAND | SA_NODEFER;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

int ui_screen_start(void)
{
    /* 25 ms tells Esc from an arrow key on any local or SSH link; a user
     * who set ESCDELAY knows better (ncurses reads it itself). */
    const char *ed = getenv("ESCDELAY");
    scr = newterm(NULL, stdout, stdin);
    if (!scr)
        return -1;
    set_term(scr);
    active = 1;
    install_crash_handlers();
    if (!ed || !*ed)
        set_escdelay(25);
    cbreak(); /* not raw: Ctrl-C stays SIGINT, which the loop turns into a clean quit */
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    leaveok(stdscr, TRUE);
    curs_set(0);
    {
        /* XON/XOFF off: Ctrl-S saves the checklist form instead of freezing
         * the terminal's output. After the other mode calls (intrflush
         * rewrites the modes) and saved as the program mode, so curses keeps
         * it across endwin/refresh; the shell's modes come back at exit. */
        struct termios tio;
        if (tcgetattr(STDIN_FILENO, &tio) == 0) {
            tio.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
            if (tcsetattr(STDIN_FILENO, TCSANOW, &tio) == 0)
                def_prog_mode();
        }
    }
    ui_theme_init();
    return 0;
}

void ui_screen_stop(void)
{
    if (!active)
        return;
    active = 0;
    curs_set(1);
    endwin();
    if (scr) {
        delscreen(scr);
        scr = NULL;
    }
}

bool ui_screen_resize(int *rows, int *cols)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        if (ws.ws_row != LINES || ws.ws_col != COLS)
            resizeterm(ws.ws_row, ws.ws_col);
    }
    bool changed = *rows != LINES || *cols != COLS;
    *rows = LINES;
    *cols = COLS;
    return changed;
}

void ui_stderr_to_log(void)
{
    char *state = paths_user_dir(PATHS_STATE);
    char dir[4000];
    if (state && strlen(state) < sizeof dir)
        snprintf(dir, sizeof dir, "%s", state);
    else
        snprintf(dir, sizeof dir, "/tmp/cxm-console-%ld", (long)getuid());
    free(state);
    if (paths_mkdirs(dir))
        return;
    snprintf(log_path, sizeof log_path, "%s/console.log", dir);
    int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        return;
    fflush(stderr);
    saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    dup2(fd, STDERR_FILENO);
    close(fd);
}

void ui_stderr_restore(void)
{
    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
}

const char *ui_log_path(void)
{
    return log_path;
}
