/* Colour themes (DESIGN §11), curses-free so the parser can be fuzzed.
 * A theme file is lines of
 *     element = FG BG [ATTR...] [mono:ATTR[,ATTR...]]
 * FG/BG: `default`, a colour name (black red green yellow blue magenta cyan
 * white, bright-black ... bright-white), or a number 0-255; a fallback chain
 * `C256/C16/C8` (e.g. `208/bright-yellow/yellow`) says what to use with 256,
 * 16 and 8 colours. Without a chain the parser derives the fallbacks (nearest
 * of the 16 for a 256-colour number, base colour + bold for a bright one with
 * 8 colours). ATTR: bold dim underline reverse italic blink standout normal.
 * `mono:` attributes replace the built-in monochrome look of the element.
 * `#` starts a comment. Unknown elements and bad values are errors with the
 * line number; elements a file does not name keep the built-in default. */
#ifndef CXM_THEME_H
#define CXM_THEME_H

#include <stdbool.h>
#include <stddef.h>

/* The named UI elements: X(id, name-in-theme-files). */
#define THEME_ELEMENTS(X)                                                                          \
    X(TH_NORMAL, "normal")                                                                         \
    X(TH_TITLE, "title")                                                                           \
    X(TH_TAB, "tab")                                                                               \
    X(TH_TAB_ACTIVE, "tab_active")                                                                 \
    X(TH_STATUS, "status")                                                                         \
    X(TH_STATUS_OK, "status_ok")                                                                   \
    X(TH_STATUS_WARN, "status_warn")                                                               \
    X(TH_STATUS_ERR, "status_err")                                                                 \
    X(TH_MESSAGE, "message")                                                                       \
    X(TH_MESSAGE_ERR, "message_err")                                                               \
    X(TH_HEADER, "header")                                                                         \
    X(TH_ROW, "row")                                                                               \
    X(TH_ROW_ALT, "row_alt")                                                                       \
    X(TH_SELECTED, "selected")                                                                     \
    X(TH_HIGHLIGHT_NEW, "highlight_new")                                                           \
    X(TH_GROUP, "group")                                                                           \
    X(TH_EMO_POSITIVE, "emo_positive")                                                             \
    X(TH_EMO_NEGATIVE, "emo_negative")                                                             \
    X(TH_EMO_MIXED, "emo_mixed")                                                                   \
    X(TH_EMO_POKER, "emo_poker")                                                                   \
    X(TH_EMO_UNKNOWN, "emo_unknown")                                                               \
    X(TH_RATING_SUPER, "rating_super")                                                             \
    X(TH_RATING_SO_SO, "rating_so_so")                                                             \
    X(TH_RATING_BAD, "rating_bad")                                                                 \
    X(TH_ALERT_BANNER, "alert_banner")                                                             \
    X(TH_HELP_KEY, "help_key")                                                                     \
    X(TH_DIM, "dim")                                                                               \
    X(TH_BAR, "bar")                                                                               \
    X(TH_SPARKLINE, "sparkline")                                                                   \
    X(TH_BORDER, "border")                                                                         \
    X(TH_PROMPT, "prompt")                                                                         \
    X(TH_LABEL, "label")                                                                           \
    X(TH_VALUE, "value")

typedef enum {
#define THEME_X_ENUM(id, name) id,
    THEME_ELEMENTS(THEME_X_ENUM)
#undef THEME_X_ENUM
        TH_COUNT
} theme_el;

/* Attribute bits (the UI maps them to A_*). */
enum {
    THA_BOLD = 1u << 0,
    THA_DIM = 1u << 1,
    THA_UNDERLINE = 1u << 2,
    THA_REVERSE = 1u << 3,
    THA_ITALIC = 1u << 4,
    THA_BLINK = 1u << 5,
    THA_STANDOUT = 1u << 6
};

#define THEME_DEFAULT_COLOR (-1) /* the terminal's own fg/bg (use_default_colors) */

/* Colour depths a theme resolves for. */
typedef enum { THEME_DEPTH_256, THEME_DEPTH_16, THEME_DEPTH_8, THEME_DEPTH_MONO, THEME_DEPTHS } theme_depth;

typedef struct {
    short fg[3], bg[3];     /* per depth 256/16/8; THEME_DEFAULT_COLOR = terminal default */
    unsigned attrs;         /* THA_* in colour modes */
    unsigned extra8;        /* THA_BOLD when the 8-colour fg stands for a bright one */
    unsigned mono;          /* THA_* in monochrome */
} theme_style;

/* The terminal backgrounds a theme is made for (`background = dark|light|any`
 * in the file): its `default` colours are checked for contrast against them
 * (tests/unit/test_theme_contrast.c). */
enum { THEME_BG_DARK = 1, THEME_BG_LIGHT = 2, THEME_BG_ANY = 3 };

typedef struct {
    char name[64];
    unsigned background;    /* THEME_BG_* (built-in default: dark) */
    theme_style st[TH_COUNT];
} theme;

const char *theme_el_name(theme_el el);
int theme_el_from_name(const char *name); /* -1 when unknown */

/* The built-in default (also what themes/default.theme says). */
void theme_builtin(theme *t);

/* Parses text over *t (start from theme_builtin). Returns 0, or -1 with
 * err = "FILE:LINE: reason" (file = the `file` argument) and *t untouched. */
int theme_parse(theme *t, const char *text, size_t len, const char *file, char *err,
                size_t errlen);
/* Reads and parses a file (max 64 KiB). Same error convention. */
int theme_load_file(theme *t, const char *path, char *err, size_t errlen);

/* Finds NAME.theme: $XDG_CONFIG_HOME/cxm-console/themes, then each of the
 * `dirs` (NULL-terminated). NAME may also be a path containing '/'.
 * Returns a malloc'd path or NULL. */
char *theme_find(const char *name, const char *const *dirs);
/* Lists theme names (sorted, unique) from the same places; *names malloc'd
 * array of malloc'd strings. */
int theme_list(const char *const *dirs, char ***names, size_t *n);
void theme_list_free(char **names, size_t n);

#endif
