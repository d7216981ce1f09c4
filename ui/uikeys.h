/* The binding table (ui/keymap.c): generated from actions.def, then changed
 * by the user's keymap file. Internal to ui/. */
#ifndef CXM_UI_KEYS_H
#define CXM_UI_KEYS_H

#include <stddef.h>

#define UI_KEYS_PER_ACTION 8

/* Resets to the defaults of actions.def. */
void ui_keymap_defaults(void);
/* Applies a keymap file (path NULL = the default path; a missing default
 * file is not an error). Returns 0, or -1 with err = "FILE:LINE: reason";
 * the lines before the bad one stay applied. */
int ui_keymap_load(const char *path, char *err, size_t errlen);
/* The action bound to a key (KM_* / code point), or ACT_NONE. */
int ui_keymap_lookup(int key);
/* The keys of an action as text ("? F1"); "" when unbound. */
const char *ui_keymap_keys(int action, char *out, size_t cap);
/* Converts what wget_wch returned to a keymap.h key (KM_KEY_NONE to ignore). */
int ui_key_from_curses(int rc, unsigned int ch);

#endif
