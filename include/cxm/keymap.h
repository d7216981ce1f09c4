/* Key names and the user keymap file (DESIGN §11), curses-free so the parser
 * can be fuzzed. Keys are ints: a Unicode code point (control characters as
 * themselves, so Ctrl-L is 12, Enter is 10, Tab 9, Esc 27), or KM_* for keys
 * with no character. The UI maps curses key codes onto these.
 *
 * Key names: a single character ("q", "?", "ж"), Space, Enter, Tab, BTab,
 * Esc, Backspace, Del, Ins, Up, Down, Left, Right, Home, End, PgUp, PgDn,
 * F1..F12, C-x (Ctrl + letter; ^X is accepted too), M-<key> (Meta/Alt + any
 * of these: M-x, M-Backspace). Case matters for single characters, not for
 * names. */
#ifndef CXM_KEYMAP_H
#define CXM_KEYMAP_H

#include <stddef.h>

enum {
    KM_SPECIAL = 0x200000, /* above every code point */
    KM_UP = KM_SPECIAL,
    KM_DOWN,
    KM_LEFT,
    KM_RIGHT,
    KM_HOME,
    KM_END,
    KM_PGUP,
    KM_PGDN,
    KM_INS,
    KM_DEL,
    KM_BACKSPACE,
    KM_BTAB,
    KM_MOUSE,     /* a mouse event: the UI asks curses what it was */
    KM_SWALLOWED, /* an escape sequence nobody knows, read whole and dropped */
    KM_F0 = KM_SPECIAL + 0x40, /* KM_F0 + n = Fn, n = 1..12 */
    KM_KEY_NONE = -1
};

/* Meta (Alt, or Esc followed by a key within the escape delay): a flag bit
 * OR-ed onto any key above, e.g. KM_META | 'b' is M-b, KM_META | KM_BACKSPACE
 * is M-Backspace. It sits far above KM_SPECIAL so a key with the flag is
 * still a positive int and the flag never collides with a key code; the UI
 * input decoder (i7-input) produces it, the line editor (lineedit.h) reads it. */
#define KM_META 0x40000000
#define KM_META_MASK (~KM_META)
#define KM_IS_META(k) ((k) >= 0 && ((k) & KM_META))

/* Key contexts: where a binding applies. The UI looks a key up in the
 * focused pane's context, then the view's, then global. Names are what the
 * keymap file says (`bind player Space play-pause`). */
enum {
    KM_CTX_GLOBAL,
    KM_CTX_LIST,
    KM_CTX_DASHBOARD,
    KM_CTX_STREAM,
    KM_CTX_KPI,
    KM_CTX_ALERTS,
    KM_CTX_DETAIL,
    KM_CTX_HELP,
    KM_CTX_PLAYER, /* the audio player panel */
    KM_CTX_FORM,   /* the checklist form */
    KM_CTX_QUEUE,  /* the incident queue */
    KM_CTX_CAUSES, /* the causes report */
    KM_CTX_CARD,   /* the employee card */
    KM_CTX_COUNT
};
/* The context for a name ("player"), or -1. */
int keymap_context_from_name(const char *name);
/* The name of a context ("global"), or "?" */
const char *keymap_context_name(int ctx);

#define KM_NAME_MAX 16

/* Returns the key for a name, or KM_KEY_NONE. */
int keymap_key_from_name(const char *name);
/* Writes a readable name ("C-l", "PgDn", "q", "F1"). Returns out. */
char *keymap_key_name(int key, char *out, size_t cap);

/* One parsed directive. */
typedef struct {
    int line;
    int bind;        /* 1 = bind, 0 = unbind */
    int key;
    int action;      /* the id from `lookup`; -1 for unbind */
    int ctx;         /* KM_CTX_*, or -1 when the line names none */
} keymap_directive;

/* Returns the action id for a name, or -1 (the UI passes its actions table). */
typedef int (*keymap_lookup_fn)(const char *name, void *ud);

/* Parses a keymap file's text:
 *     bind [context] <key> <action-name>
 *     unbind [context] <key>
 *     # comment
 * Calls `apply` for each directive in order. Returns 0, or -1 on the first
 * error with err = "FILE:LINE: reason" (nothing after it is applied; the
 * directives before it were). */
typedef void (*keymap_apply_fn)(const keymap_directive *d, void *ud);
int keymap_parse(const char *text, size_t len, const char *file, keymap_lookup_fn lookup,
                 keymap_apply_fn apply, void *ud, char *err, size_t errlen);

/* The Latin character on the same physical key of a US keyboard as a letter
 * of the Russian ЙЦУКЕН layout, keeping the case: й -> q, Й -> Q, х -> [,
 * Х -> {, ж -> ;, э -> ', б -> ,, ю -> ., ё -> `, Ё -> ~ and so on, so a
 * Russian supervisor can press commands without switching layouts. Anything
 * else (Latin, digits, other scripts, KM_* keys) is returned unchanged; the
 * KM_META flag is kept. */
int keymap_layout_latin(int key);

/* $XDG_CONFIG_HOME/cxm-console/keys (malloc'd; the file may not exist). */
char *keymap_default_path(void);

#endif
