/* Event stream: newest first, over a history of any size. The view holds a
 * window of rows around what is on screen and moves it with keyset pages
 * (views_stream_page: "the next N after this (ts, rowid)"), so scrolling the
 * millionth row costs what the first does and nothing is ever counted. The
 * scrollbar is estimated from the selected row's time within the history's
 * span. Follow mode keeps the newest row on top as events arrive; pause
 * freezes the screen and counts what came in meanwhile. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "table.h"
#include "audio.h"
#include "ui.h"
#include "views_ui.h"

#define BUF_MAX 600       /* rows kept around the screen */
#define CHUNK 150         /* rows fetched when the window moves */
#define REFRESH_MIN_MS 100

enum { C_TIME, C_LOC, C_DESK, C_EMP, C_TYPE, C_RATING, C_EEMO, C_CEMO, C_CLIP, C_N };

static const ui_column cols[C_N] = {
    {N_("Time"), 14, 0, false, 0},     {N_("Location"), 0, 8, false, 0},
    {N_("Desk"), 7, 0, false, 0},      {N_("Employee"), 0, 10, false, 0},
    {N_("Type"), 10, 0, false, 0},     {N_("Rating"), 9, 0, false, 0},
    {N_("Empl."), 6, 0, false, 0},     {N_("Cust."), 6, 0, false, 100},
    {N_("Clip"), 4, 0, false, 0},
};

typedef struct {
    ui_view base;
    ui_table tab;
    views *q;
    views_filter f;
    char text_before[128];  /* the free text when the prompt opened (Esc restores it) */
    char employee_name[VIEWS_NAME_MAX]; /* f.employee's name for the filter line, "" = the id */
    views_row *buf;
    size_t nbuf;
    bool at_top, at_bottom; /* the window holds the newest / the oldest matching row */
    bool follow, paused;
    bool stale;
    uint64_t fresh;          /* matching events that arrived while not shown */
    int64_t span_lo, span_hi;
    bool have_span;
    int64_t last_load_us;
    int refresh_timer;
    int rating_idx;          /* position in the rating cycle */
} stream_view;

static stream_view *the_stream; /* for ui_stream_focus_employee */

/* ---- the window of rows ----------------------------------------------------- */

static void db_error(stream_view *v)
{
    ui_message(v->base.app, UI_MSG_ERROR, _("Database error: %s"), views_errmsg(v->q));
}

/* What the screen shows plus a page: following at 1,000 events/s reloads this
 * several times a second. Scrolling extends it by CHUNK. */
static int top_rows(const stream_view *v)
{
    int n = v->base.app->rows * 2;
    return n < 60 ? 60 : n > CHUNK * 2 ? CHUNK * 2 : n;
}

static void load_top(stream_view *v)
{
    views_key top = {INT64_MAX, INT64_MAX};
    int want = top_rows(v);
    int got = views_stream_page(v->q, &v->f, top, false, v->buf, want);
    if (got < 0) {
        db_error(v);
        got = 0;
    }
    v->nbuf = (size_t)got;
    v->at_top = true;
    v->at_bottom = got < want;
    v->tab.sel = v->tab.top = 0;
    ui_table_set_rows(&v->tab, v->nbuf);
    v->fresh = 0;
    v->stale = false;
    v->last_load_us = time_mono_us();
}

static void load_tail(stream_view *v)
{
    int got = views_stream_tail(v->q, &v->f, v->buf, CHUNK * 2);
    if (got < 0) {
        db_error(v);
        got = 0;
    }
    v->nbuf = (size_t)got;
    v->at_bottom = true;
    v->at_top = got < CHUNK * 2;
    ui_table_set_rows(&v->tab, v->nbuf);
    ui_table_select(&v->tab, v->nbuf ? v->nbuf - 1 : 0);
}

/* Older rows after the window; the newest ones fall off when it is full. */
static void extend_down(stream_view *v)
{
    if (v->at_bottom || !v->nbuf)
        return;
    views_row tmp[CHUNK];
    int got = views_stream_page(v->q, &v->f, v->buf[v->nbuf - 1].key, false, tmp, CHUNK);
    if (got < 0) {
        db_error(v);
        return;
    }
    if (got < CHUNK)
        v->at_bottom = true;
    size_t drop = v->nbuf + (size_t)got > BUF_MAX ? v->nbuf + (size_t)got - BUF_MAX : 0;
    if (drop) {
        memmove(v->buf, v->buf + drop, (v->nbuf - drop) * sizeof *v->buf);
        v->nbuf -= drop;
        v->tab.sel -= drop < v->tab.sel ? drop : v->tab.sel;
        v->tab.top -= drop < v->tab.top ? drop : v->tab.top;
        v->at_top = false;
    }
    memcpy(v->buf + v->nbuf, tmp, (size_t)got * sizeof *tmp);
    v->nbuf += (size_t)got;
    v->tab.nrows = v->nbuf;
}

/* Newer rows before the window; the oldest ones fall off when it is full. */
static void extend_up(stream_view *v)
{
    if (v->at_top || !v->nbuf)
        return;
    views_row tmp[CHUNK];
    int got = views_stream_page(v->q, &v->f, v->buf[0].key, true, tmp, CHUNK);
    if (got < 0) {
        db_error(v);
        return;
    }
    if (got < CHUNK)
        v->at_top = true;
    if (v->nbuf + (size_t)got > BUF_MAX) {
        v->nbuf = BUF_MAX - (size_t)got;
        v->at_bottom = false;
    }
    memmove(v->buf + got, v->buf, v->nbuf * sizeof *v->buf);
    memcpy(v->buf, tmp, (size_t)got * sizeof *tmp);
    v->nbuf += (size_t)got;
    v->tab.nrows = v->nbuf;
    v->tab.sel += (size_t)got;
    v->tab.top += (size_t)got;
}

static void span(stream_view *v)
{
    v->have_span = views_stream_span(v->q, &v->span_lo, &v->span_hi) == 0;
}

/* ---- live ------------------------------------------------------------------- */

static void on_refresh_timer(void *ud)
{
    stream_view *v = ud;
    v->refresh_timer = 0;
    v->base.dirty = true;
}

static void stream_on_events(ui_view *base, const event *evs, size_t n)
{
    stream_view *v = (stream_view *)base;
    uint64_t match = 0;
    if (!evs) {
        match = 1; /* another writer: we cannot tell, assume something new */
        v->have_span = false;
    }
    for (size_t i = 0; i < n; i++) {
        if (views_filter_match(&v->f, &evs[i]))
            match++;
        if (v->have_span && evs[i].ts_us > v->span_hi)
            v->span_hi = evs[i].ts_us;
    }
    if (v->f.text[0] && n)
        views_text_forget(v->q); /* a new name may now match the text */
    if (!match)
        return;
    if (v->follow && !v->paused)
        v->stale = true;
    else if (evs)
        v->fresh += match;
    /* Coalesced: the feed may commit hundreds of times a second, and every
     * repaint would redraw the whole table. */
    if (!v->refresh_timer) {
        int64_t since_ms = (time_mono_us() - v->last_load_us) / 1000;
        if (since_ms >= REFRESH_MIN_MS) {
            base->dirty = true;
            v->last_load_us = time_mono_us(); /* also paces the "N new" counter */
        } else {
            v->refresh_timer =
                loop_timer_add(base->app->lp, REFRESH_MIN_MS - since_ms, on_refresh_timer, v);
        }
    }
}

/* ---- cells ------------------------------------------------------------------ */

static bool st_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    stream_view *v = ud;
    if (row >= v->nbuf)
        return false;
    const views_row *r = &v->buf[row];
    switch (col) {
    case C_TIME:
        time_format_local(r->key.ts_us, "%d.%m %H:%M:%S", buf, cap);
        break;
    case C_LOC:
        snprintf(buf, cap, "%s", r->location_name[0] ? r->location_name : r->location_id);
        break;
    case C_DESK:
        snprintf(buf, cap, "%s", r->desk);
        break;
    case C_EMP:
        snprintf(buf, cap, "%s", r->employee_name[0] ? r->employee_name : r->employee_id);
        break;
    case C_TYPE:
        snprintf(buf, cap, "%s", ui_event_type_word(r->type));
        if (r->type == EV_RED_BUTTON || r->type == EV_FORCE_MAJEURE)
            *el = TH_RATING_BAD;
        break;
    case C_RATING:
        if (r->type == EV_RATING) {
            snprintf(buf, cap, "%s %s", ui_smiley(r->polarity), ui_rating_word(r->rating));
            *el = ui_el_for_polarity(r->polarity);
        }
        break;
    case C_EEMO:
        snprintf(buf, cap, "%s", ui_emo_short(r->emo_employee));
        if (r->emo_employee != EMO_UNKNOWN)
            *el = ui_el_for_emo(r->emo_employee);
        break;
    case C_CEMO:
        snprintf(buf, cap, "%s", ui_emo_short(r->emo_customer));
        if (r->emo_customer != EMO_UNKNOWN)
            *el = ui_el_for_emo(r->emo_customer);
        break;
    case C_CLIP:
        /* a clip link came with or for it; else the desk recordings can cut
         * one when a recordings root is configured (DESIGN §6) */
        if (r->has_clip)
            snprintf(buf, cap, "%s", ui_glyphs_rich() ? "♪" : "*");
        else if (v->base.app->cfg && v->base.app->cfg->recordings && r->desk[0] &&
                 (r->type == EV_RATING || r->type == EV_RED_BUTTON || r->type == EV_SILENT ||
                  r->type == EV_FORCE_MAJEURE))
            snprintf(buf, cap, "%s", _("rec"));
        break;
    }
    return true;
}

static const ui_table_ops table_ops = {.cell = st_cell};

/* ---- drawing ---------------------------------------------------------------- */

static void filter_words(stream_view *v, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
#define ADDF(...) o += (size_t)snprintf(out + o, o < cap ? cap - o : 0, __VA_ARGS__)
    for (int t = 0; t < EV_TYPE_COUNT; t++)
        if (v->f.types & (1u << t))
            ADDF(" %s=%s", _("type"), ui_event_type_word((event_type)t));
    if (v->f.rating[0])
        ADDF(" %s=%s", _("rating"), ui_rating_word(v->f.rating));
    if (v->f.emo >= 0)
        ADDF(" %s=%s", _("emotion"), ui_emo_label((emo_label)v->f.emo));
    if (v->f.employee[0])
        ADDF(" %s=%s", _("employee"), v->employee_name[0] ? v->employee_name : v->f.employee);
    if (v->f.location[0])
        ADDF(" %s=%s", _("location"), v->f.location);
    if (v->f.text[0])
        ADDF(" /%s", v->f.text);
#undef ADDF
}

static void scrollbar(stream_view *v, WINDOW *w, int y, int x, int h)
{
    if (h < 2 || !v->nbuf)
        return;
    if (!v->have_span)
        span(v);
    double frac = 0;
    size_t sel = ui_table_selected(&v->tab);
    if (v->have_span && v->span_hi > v->span_lo && sel < v->nbuf)
        frac = (double)(v->span_hi - v->buf[sel].key.ts_us) / (double)(v->span_hi - v->span_lo);
    if (v->at_top && sel == 0)
        frac = 0;
    if (v->at_bottom && sel + 1 == v->nbuf)
        frac = 1;
    frac = frac < 0 ? 0 : frac > 1 ? 1 : frac;
    int thumb = (int)(frac * (h - 1) + 0.5);
    for (int i = 0; i < h; i++)
        ui_put(w, y + i, x, i == thumb ? (ui_glyphs_rich() ? "█" : "#") : (text_is_utf8() ? "│" : "|"), 1,
               i == thumb ? TH_SELECTED : TH_BORDER, false);
}

static void stream_draw(ui_view *base, WINDOW *w)
{
    stream_view *v = (stream_view *)base;
    int h = getmaxy(w), wd = getmaxx(w);
    if (v->stale && v->follow && !v->paused)
        load_top(v);
    werase(w);
    char fw[512], line[768];
    filter_words(v, fw, sizeof fw);
    const char *state = v->paused ? _("PAUSED") : v->follow ? _("LIVE") : _("scrolled");
    if (v->fresh)
        snprintf(line, sizeof line, _("[%s] %llu new (f: follow)  Filter:%s"), state,
                 (unsigned long long)v->fresh, fw[0] ? fw : _(" none"));
    else
        snprintf(line, sizeof line, _("[%s]  Filter:%s"), state, fw[0] ? fw : _(" none"));
    ui_put(w, 0, 0, line, wd, v->paused || v->fresh ? TH_STATUS_WARN : TH_DIM, true);
    if (!v->nbuf) {
        ui_table_draw(&v->tab, w, 1, 0, 1, wd - 1);
        ui_put(w, 3, 2,
               views_filter_active(&v->f) ? _("No events match the filter (x clears it).")
                                          : _("No events yet."),
               wd - 2, TH_NORMAL, false);
        return;
    }
    ui_table_draw(&v->tab, w, 1, 0, h - 1, wd - 1);
    scrollbar(v, w, 2, wd - 1, h - 2);
}

/* ---- keys ------------------------------------------------------------------- */

static void set_follow(stream_view *v, bool on)
{
    v->follow = on;
    if (on) {
        v->paused = false;
        load_top(v);
    }
}

static void text_changed(void *ud, const char *text)
{
    stream_view *v = ud;
    ui_copy_text(v->f.text, sizeof v->f.text, text);
    load_top(v);
    v->base.dirty = true;
}

static void text_done(void *ud, const char *text, bool accepted)
{
    stream_view *v = ud;
    ui_copy_text(v->f.text, sizeof v->f.text, accepted ? text : v->text_before);
    load_top(v);
    v->base.dirty = true;
}

static void cycle_type(stream_view *v)
{
    static const event_type order[] = {EV_RATING, EV_SILENT, EV_RED_BUTTON, EV_FORCE_MAJEURE,
                                       EV_ARRIVAL, EV_EMOTION, EV_CLIP, EV_SERVED};
    size_t n = sizeof order / sizeof order[0], i = 0;
    if (v->f.types) {
        for (i = 0; i < n; i++)
            if (v->f.types == (1u << order[i]))
                break;
        i = i + 1; /* the next type; after the last, none */
    }
    v->f.types = i < n ? 1u << order[i] : 0;
}

static void cycle_rating(stream_view *v)
{
    cxm_rules def;
    const cxm_rules *r = v->base.app->cfg ? &v->base.app->cfg->rules : NULL;
    if (!r || r->scale.nvalues <= 0) {
        rules_default(&def);
        r = &def;
    }
    v->rating_idx = (v->rating_idx + 1) % (r->scale.nvalues + 1);
    if (v->rating_idx == 0)
        v->f.rating[0] = '\0';
    else
        snprintf(v->f.rating, sizeof v->f.rating, "%s", r->scale.values[v->rating_idx - 1]);
}

static void cycle_emo(stream_view *v)
{
    /* any -> positive -> negative -> mixed -> poker -> none given -> any */
    static const int order[] = {-1, EMO_POSITIVE, EMO_NEGATIVE, EMO_MIXED, EMO_POKER, EMO_UNKNOWN};
    size_t n = sizeof order / sizeof order[0], i;
    for (i = 0; i < n; i++)
        if (order[i] == v->f.emo)
            break;
    v->f.emo = order[(i + 1) % n];
}

/* The newest rows at or before `t` (in the newest-first order: after the
 * key {t, max}), with a chunk of newer ones above so Up keeps going; the
 * first of them selected and near the top. Stops following. */
static void jump_to(stream_view *v, int64_t t, const char *said)
{
    ui_app *app = v->base.app;
    views_key k = {t, INT64_MAX};
    int got = views_stream_page(v->q, &v->f, k, false, v->buf, CHUNK);
    if (got < 0) {
        db_error(v);
        return;
    }
    v->follow = false;
    if (got == 0) {
        load_tail(v);
        ui_message(app, UI_MSG_HINT, _("No events at or before %s: the oldest are shown"), said);
        return;
    }
    v->nbuf = (size_t)got;
    v->at_top = false;
    v->at_bottom = got < CHUNK;
    v->tab.sel = v->tab.top = 0;
    ui_table_set_rows(&v->tab, v->nbuf);
    extend_up(v); /* moves sel and top down by what it adds above */
    size_t ctx = v->tab.page > 4 ? 2 : 0; /* a little of what came after */
    v->tab.top = v->tab.sel > ctx ? v->tab.sel - ctx : 0;
    char when[32];
    time_format_local(v->buf[v->tab.sel].key.ts_us, time_fmt_day_time(), when, sizeof when);
    ui_message(app, UI_MSG_INFO, _("At %s: the last event at or before %s"), when, said);
}

static void goto_done(void *ud, const char *text, bool accepted)
{
    stream_view *v = ud;
    if (!accepted)
        return;
    int64_t t;
    bool timed;
    if (time_parse_at(text, v->base.app->now_us, &t, &timed) != 0) {
        ui_message(v->base.app, UI_MSG_ERROR,
                   _("Not a date and time: '%s' (DD.MM.YYYY HH:MM, YYYY-MM-DD HH:MM or HH:MM)"), text);
        return;
    }
    if (!timed)
        t = time_local_midnight(t, 1) - 1; /* a bare date: from the end of that day */
    jump_to(v, t, text);
    v->base.dirty = true;
}

static void ask_goto(stream_view *v)
{
    char init[48], fmt[32];
    const views_row *r = v->tab.sel < v->nbuf ? &v->buf[v->tab.sel] : NULL;
    snprintf(fmt, sizeof fmt, "%s %%H:%%M", time_fmt_date());
    time_format_local(r ? r->key.ts_us : v->base.app->now_us, fmt, init, sizeof init);
    ui_prompt(v->base.app, _("Go to (DD.MM.YYYY HH:MM, YYYY-MM-DD HH:MM or HH:MM): "), init, NULL,
              goto_done, v);
}

static const views_row *selected(stream_view *v)
{
    size_t s = ui_table_selected(&v->tab);
    return s < v->nbuf ? &v->buf[s] : NULL;
}

static int stream_action(ui_view *base, int action, int key)
{
    stream_view *v = (stream_view *)base;
    ui_app *app = base->app;
    const views_row *r = selected(v);
    size_t page = v->tab.page > 0 ? (size_t)v->tab.page : 1;
    (void)key;
    switch (action) {
    case ACT_DOWN:
    case ACT_PAGE_DOWN:
        if (v->tab.sel + page + 1 >= v->nbuf)
            extend_down(v);
        v->follow = false;
        return ui_table_action(&v->tab, action);
    case ACT_UP:
    case ACT_PAGE_UP:
        if (v->tab.sel < page + 1)
            extend_up(v);
        ui_table_action(&v->tab, action);
        if (v->at_top && v->tab.sel == 0 && !v->paused) {
            v->follow = true; /* back at the top: follow again, like less +F */
            if (v->fresh)
                load_top(v);
        }
        return UI_HANDLED | UI_REDRAW;
    case ACT_HOME:
        set_follow(v, !v->paused);
        if (v->paused)
            load_top(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_END:
        v->follow = false;
        load_tail(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FOLLOW:
        set_follow(v, true);
        ui_message(app, UI_MSG_INFO, "%s", _("Following new events"));
        return UI_HANDLED | UI_REDRAW;
    case ACT_PAUSE:
        v->paused = !v->paused;
        if (!v->paused && v->follow)
            load_top(v);
        ui_message(app, UI_MSG_INFO, "%s", v->paused ? _("Stream paused") : _("Stream resumed"));
        return UI_HANDLED | UI_REDRAW;
    case ACT_OPEN:
        if (r)
            ui_push(app, ui_detail_new(app, r->id));
        return UI_HANDLED | UI_REDRAW;
    case ACT_PLAY_CLIP:
        if (r)
            ui_audio_play_event(app, r->id);
        return UI_HANDLED | UI_REDRAW;
    case ACT_EMPLOYEE_CARD:
        if (r)
            ui_card_open(app, r->employee_id);
        return UI_HANDLED | UI_REDRAW;
    case ACT_COPY:
        if (r) {
            if (ui_clipboard_copy(app, r->id) == 0)
                ui_message(app, UI_MSG_INFO, _("Copied %s"), r->id);
            else
                ui_message(app, UI_MSG_ERROR, "%s", _("Cannot copy to the clipboard"));
        }
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER:
        snprintf(v->text_before, sizeof v->text_before, "%s", v->f.text);
        ui_prompt(app, _("Search (name, id, desk, visit): "), v->f.text, text_changed, text_done, v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_STREAM_GOTO:
        ask_goto(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_CLEAR:
        views_filter_clear(&v->f);
        v->rating_idx = 0;
        load_top(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_TYPE:
        cycle_type(v);
        load_top(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_RATING:
        cycle_rating(v);
        load_top(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_EMOTION:
        cycle_emo(v);
        load_top(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_EMPLOYEE:
        if (v->f.employee[0]) {
            v->f.employee[0] = '\0';
        } else if (r && r->employee_id[0]) {
            snprintf(v->f.employee, sizeof v->f.employee, "%s", r->employee_id);
            snprintf(v->employee_name, sizeof v->employee_name, "%s", r->employee_name);
        }
        load_top(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_LOCATION:
        if (v->f.location[0])
            v->f.location[0] = '\0';
        else if (r)
            snprintf(v->f.location, sizeof v->f.location, "%s", r->location_id);
        load_top(v);
        return UI_HANDLED | UI_REDRAW;
    default:
        return ui_table_action(&v->tab, action);
    }
}

void ui_stream_focus_employee(ui_app *app, const char *employee_id, const char *name)
{
    stream_view *v = the_stream;
    if (!v)
        return;
    views_filter_clear(&v->f);
    v->rating_idx = 0;
    snprintf(v->f.employee, sizeof v->f.employee, "%s", employee_id);
    ui_copy_text(v->employee_name, sizeof v->employee_name, name ? name : "");
    v->follow = true;
    v->paused = false;
    load_top(v);
    ui_switch(app, 1);
}

static void stream_close(ui_view *base)
{
    stream_view *v = (stream_view *)base;
    if (v->refresh_timer)
        loop_timer_cancel(base->app->lp, v->refresh_timer);
    if (the_stream == v)
        the_stream = NULL;
    views_free(v->q);
    free(v->buf);
    free(v);
}

static const ui_view_ops stream_ops = {
    .name = N_("Stream"),
    .ctx = UI_CTX_STREAM | UI_CTX_LIST,
    .draw = stream_draw,
    .on_action = stream_action,
    .on_events = stream_on_events,
    .close = stream_close,
};

ui_view *ui_stream_new(ui_app *app)
{
    stream_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->buf = malloc(BUF_MAX * sizeof *v->buf);
    v->q = views_new(app->st, app->cfg ? &app->cfg->rules : NULL);
    if (!v->buf || !v->q) {
        views_free(v->q);
        free(v->buf);
        free(v);
        return NULL;
    }
    v->base.ops = &stream_ops;
    v->base.app = app;
    v->base.dirty = true;
    views_filter_clear(&v->f);
    ui_table_init(&v->tab, cols, C_N, &table_ops, v);
    ui_table_set_owner(&v->tab, &v->base, "stream");
    v->follow = true;
    v->stale = true;
    v->last_load_us = -1000000000LL;
    the_stream = v;
    return &v->base;
}
