/* Applying themes to curses (ui/theme.c), the screen (ui/screen.c), the
 * binding table (ui/keymap.c): internal to ui/, used by the app. */
#ifndef CXM_UI_INTERNAL_H
#define CXM_UI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cxm/theme.h"

/* Picks the colour depth (NO_COLOR, has_colors, COLORS, COLOR_PAIRS). Call
 * after the screen is up. */
void ui_theme_init(void);
theme_depth ui_theme_depth(void);
/* Makes t the current theme: colour pairs (palette never redefined). */
void ui_theme_apply(const theme *t);
/* Loads NAME (a file found by theme_find) over the built-in default and
 * applies it. On error the current theme stays and err says FILE:LINE. */
int ui_theme_load(const char *name, char *err, size_t errlen);
/* The next theme name after the current one (from the theme dirs). */
int ui_theme_cycle(char *err, size_t errlen);
const char *ui_theme_name(void);
/* The directories searched after the user's (NULL-terminated). */
const char *const *ui_theme_dirs(void);

#endif
