/* Clip windows, see include/cxm/clips.h. */
#include "cxm/clips.h"

#include <string.h>

static const char *const kind_names[CLIP_KIND_COUNT] = {"after_rating", "before_red_button",
                                                        "visit", "around"};

const char *clip_kind_name(clip_kind k)
{
    return (unsigned)k < CLIP_KIND_COUNT ? kind_names[k] : "?";
}

int clip_kind_from_name(const char *name)
{
    for (int k = 0; name && k < CLIP_KIND_COUNT; k++)
        if (!strcmp(name, kind_names[k]))
            return k;
    return -1;
}

clip_kind clip_main_kind(event_type t)
{
    return t == EV_RATING ? CLIP_AFTER_RATING : t == EV_RED_BUTTON ? CLIP_BEFORE_RED : CLIP_AROUND;
}

static int len_or(int v, int def)
{
    return v > 0 ? v : def;
}

int clip_window_of(const cxm_config *cfg, const event *ev, const clip_visit *visit, clip_kind k,
                   clip_window *out)
{
    const int64_t S = 1000000;
    int64_t t = ev->ts_us, from = 0, to = 0;
    switch (k) {
    case CLIP_AFTER_RATING:
        if (ev->type != EV_RATING)
            return -1;
        from = t;
        to = t + len_or(cfg ? cfg->clip_after_rating_s : 0, CLIP_DEFAULT_AFTER_RATING_S) * S;
        break;
    case CLIP_BEFORE_RED:
        if (ev->type != EV_RED_BUTTON)
            return -1;
        from = t - len_or(cfg ? cfg->clip_before_red_s : 0, CLIP_DEFAULT_BEFORE_RED_S) * S;
        to = t;
        break;
    case CLIP_VISIT:
        /* A rating or silent ends its own visit; any other event of the visit
         * (arrival, red button, emotion) gets the whole visit once it ended. */
        if (!visit || visit->arrival_us < 0)
            return -1;
        from = visit->arrival_us;
        to = (ev->type == EV_RATING || ev->type == EV_SILENT) ? t : visit->end_us;
        if (to < 0)
            return -1;
        break;
    case CLIP_AROUND: {
        /* Audio lives at desks: an event without one has no recording to cut. */
        if (!ev->desk || !ev->desk[0] || ev->type == EV_CLIP || ev->type == EV_SERVED ||
            ev->type == EV_HEARTBEAT)
            return -1;
        int64_t a = len_or(cfg ? cfg->clip_around_s : 0, CLIP_DEFAULT_AROUND_S) * S;
        from = t - a;
        to = t + a;
        break;
    }
    default:
        return -1;
    }
    if (to <= from)
        return -1;
    out->kind = k;
    out->from_us = from;
    out->to_us = to;
    return 0;
}

int clip_windows(const cxm_config *cfg, const event *ev, const clip_visit *visit, clip_window *out,
                 int max)
{
    int n = 0;
    for (int k = 0; k < CLIP_KIND_COUNT && n < max; k++)
        if (clip_window_of(cfg, ev, visit, (clip_kind)k, &out[n]) == 0)
            n++;
    return n;
}
