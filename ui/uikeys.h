/* The binding table (ui/keymap.c): generated from actions.def, then changed
 * by the user's keymap file. Internal to ui/. Bindings are (context, key) ->
 * action; within one context a key has one action. */
#ifndef CXM_UI_KEYS_H
#define CXM_UI_KEYS_H

#include <stdbool.h>
#include <stddef.h>

/* Resets to the defaults of actions.def (each action's keys in each of its
 * contexts). */
void ui_keymap_defaults(void);
/* Applies a keymap file (path NULL = the default path; a missing default
 * file is not an error). Returns 0, or -1 with err = "FILE:LINE: reason";
 * the lines before the bad one stay applied. */
int ui_keymap_load(const char *path, char *err, size_t errlen);
/* Binds key to action in one context (KM_CTX_*), taking it from whatever
 * had it there; ctx -1 binds it globally and takes it from every context
 * (a file's `bind KEY ACTION`). Returns 0 or -1 (table full). */
int ui_keymap_bind(int ctx, int key, int action);
/* Removes key from one context, or from every context when ctx is -1. */
void ui_keymap_unbind(int ctx, int key);
/* The action for a key: the pane's contexts, then the view's (UI_CTX_*
 * masks, most specific bit first), then global. ACT_NONE when unbound. */
int ui_keymap_lookup(int key, unsigned pane_ctx, unsigned view_ctx);
/* The action bound to key in exactly this context (KM_CTX_*), or ACT_NONE. */
int ui_keymap_lookup_in(int key, int ctx);
/* The keys of an action as text ("? F1"), over every context; "" when
 * unbound. */
const char *ui_keymap_keys(int action, char *out, size_t cap);
/* The same in one context only (the help screen's sections). */
const char *ui_keymap_keys_in(int action, int ctx, char *out, size_t cap);
/* Converts what wget_wch returned to a keymap.h key (KM_KEY_NONE to ignore). */
int ui_key_from_curses(int rc, unsigned int ch);

#endif
