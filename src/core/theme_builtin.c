/* The built-in theme: what themes/default.theme says, compiled in so the
 * console looks right with no theme files installed, plus the monochrome
 * look of each element (used with NO_COLOR or no colour support). */
#include "cxm/theme.h"

#include <string.h>

static const char builtin_text[] =
    "name = default\n"
    "background   = dark\n"
    "normal       = default default\n"
    "title        = 231/bright-white/white 24/blue/blue bold\n"
    "tab          = 252/white/white 236/black/black\n"
    "tab_active   = 16/black/black 39/bright-cyan/cyan\n"
    "status       = 252/white/white 236/black/black\n"
    "status_ok    = 114/bright-green/green 236/black/black\n"
    "status_warn  = 221/bright-yellow/yellow 236/black/black bold\n"
    "status_err   = 210/bright-red/red 236/black/black bold\n"
    "message      = default default\n"
    "message_err  = 203/bright-red/red default bold\n"
    "header       = 153/bright-cyan/cyan default bold\n"
    "row          = default default\n"
    "row_alt      = default 234/default/default\n"
    "selected     = 16/black/black 117/bright-cyan/cyan\n"
    "highlight_new = 16/black/black 221/bright-yellow/yellow\n"
    "group        = 180/yellow/yellow default bold\n"
    "emo_positive = 114/bright-green/green default\n"
    "emo_negative = 203/bright-red/red default bold\n"
    "emo_mixed    = 221/bright-yellow/yellow default\n"
    "emo_poker    = 147/white/white default\n"
    "emo_unknown  = 244/bright-black/white default\n"
    "rating_super = 114/bright-green/green default bold\n"
    "rating_so_so = 221/bright-yellow/yellow default\n"
    "rating_bad   = 203/bright-red/red default bold\n"
    "alert_banner = 231/bright-white/white 124/red/red bold\n"
    "help_key     = 117/bright-cyan/cyan default bold\n"
    "dim          = 244/bright-black/white default\n"
    "bar          = 110/cyan/cyan default\n"
    "sparkline    = 117/bright-cyan/cyan default\n"
    "border       = 242/bright-black/white default\n"
    "prompt       = 221/bright-yellow/yellow default bold\n"
    "label        = 250/white/white default\n"
    "value        = 231/bright-white/white default bold\n"
    ;

/* Monochrome must still tell states apart: reverse for bars and selection,
 * bold for what demands attention, dim for what does not. */
static const struct {
    theme_el el;
    unsigned mono;
} mono_defaults[] = {
    {TH_TITLE, THA_REVERSE | THA_BOLD},   {TH_TAB, THA_REVERSE},
    {TH_TAB_ACTIVE, THA_BOLD | THA_UNDERLINE}, {TH_STATUS, THA_REVERSE},
    {TH_STATUS_OK, THA_REVERSE},          {TH_STATUS_WARN, THA_REVERSE | THA_BOLD},
    {TH_STATUS_ERR, THA_REVERSE | THA_BOLD | THA_UNDERLINE},
    {TH_MESSAGE_ERR, THA_BOLD},           {TH_HEADER, THA_BOLD | THA_UNDERLINE},
    {TH_SELECTED, THA_REVERSE},           {TH_HIGHLIGHT_NEW, THA_BOLD | THA_UNDERLINE},
    {TH_GROUP, THA_BOLD},                 {TH_EMO_NEGATIVE, THA_BOLD},
    {TH_EMO_MIXED, THA_UNDERLINE},        {TH_EMO_UNKNOWN, THA_DIM},
    {TH_RATING_SUPER, THA_BOLD},          {TH_RATING_BAD, THA_BOLD | THA_UNDERLINE},
    {TH_ALERT_BANNER, THA_REVERSE | THA_BOLD}, {TH_HELP_KEY, THA_BOLD},
    {TH_DIM, THA_DIM},                    {TH_PROMPT, THA_BOLD},
    {TH_VALUE, THA_BOLD},
};

void theme_builtin(theme *t)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < TH_COUNT; i++)
        for (int d = 0; d < 3; d++)
            t->st[i].fg[d] = t->st[i].bg[d] = THEME_DEFAULT_COLOR;
    for (size_t i = 0; i < sizeof mono_defaults / sizeof mono_defaults[0]; i++)
        t->st[mono_defaults[i].el].mono = mono_defaults[i].mono;
    t->background = THEME_BG_DARK;
    char err[8];
    /* Cannot fail: tests parse the same text from themes/default.theme. */
    (void)theme_parse(t, builtin_text, sizeof builtin_text - 1, "builtin", err, sizeof err);
}
