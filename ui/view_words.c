/* Words and glyphs the dashboard, stream, detail and KPI views share. */
#include <string.h>

#include "cxm/text.h"
#include "views_ui.h"

const char *ui_event_type_word(event_type t)
{
    static const char *const words[EV_TYPE_COUNT] = {
        N_("arrival"), N_("rating"), N_("silent"),  N_("red button"), N_("force majeure"),
        N_("emotion"), N_("clip"),   N_("served"), N_("heartbeat"),
    };
    return (unsigned)t < EV_TYPE_COUNT ? _(words[t]) : "?";
}

const char *ui_rating_word(const char *value)
{
    if (!value)
        return "";
    /* Only the default scale has catalogue entries; other scales' values
     * (from the config) are shown as configured. */
    if (!strcmp(value, "so_so"))
        return i18n_pick("so-so", _("so_so"));
    if (!strcmp(value, "super") || !strcmp(value, "bad"))
        return _(value);
    return value;
}

const char *ui_smiley(rating_polarity p)
{
    bool u = ui_glyphs_rich();
    switch (p) {
    case POL_POSITIVE:
        return u ? "☺" : ":)";
    case POL_NEUTRAL:
        return u ? "😐" : ":|";
    case POL_NEGATIVE:
        return u ? "☹" : ":(";
    default:
        return "";
    }
}

const char *ui_emo_short(emo_label l)
{
    switch (l) {
    case EMO_POSITIVE:
        return _("pos.");
    case EMO_NEGATIVE:
        return _("neg.");
    case EMO_MIXED:
        return _("mix.");
    case EMO_POKER:
        return _("poker");
    default:
        return "-";
    }
}
