/* Dashboard: one row per employee, grouped by location and desk, live.
 * Rows come from views_dashboard (rollups + one row per employee), so a
 * refresh costs the same on an empty database and on millions of events.
 * Refreshes are coalesced (at most a few a second however fast events come);
 * a row whose employee just got a rating is highlighted for a few seconds. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "search.h"
#include "table.h"
#include "ui.h"
#include "audio.h"
#include "views_ui.h"

#define FLASH_US (3 * 1000000LL)   /* how long a new rating lights its row */
#define REFRESH_MIN_MS 250         /* coalesce live refreshes */
#define FLASH_MAX 64

enum { C_NAME, C_EMO, C_SUPER, C_SOSO, C_BAD, C_BAR, C_CSAT, C_SMILE, C_LAST, C_RED, C_SILENT,
       C_SPARK, C_N };

static const ui_column cols[C_N] = {
    {N_("Employee"), 0, 12, false, 0},  {N_("Emotion"), 12, 0, false, 0},
    {N_("Sup"), 3, 0, true, 0},         {N_("So"), 3, 0, true, 0},
    {N_("Bad"), 3, 0, true, 0},         {N_("Ratings"), 8, 0, false, 120},
    {N_("CSAT"), 4, 0, true, 0},        {N_("Smile"), 5, 0, true, 0},
    {N_("Last rating"), 14, 0, false, 0}, {N_("Red"), 3, 0, true, 0},
    {N_("Sil"), 3, 0, true, 0},         {N_("Hours"), 8, 0, false, 0},
};

typedef struct {
    bool group;          /* a location/desk header line */
    size_t idx;          /* into rows: the group's first row, or the employee */
} item;

typedef struct {
    char emp[VIEWS_ID_MAX];
    int64_t until_us;
} dash_flash;

typedef struct {
    ui_view base;
    ui_table tab;
    views *q;
    views_dash_row *rows;
    size_t n;
    item *items;
    size_t nitems;
    int sort_col;        /* -1: by name within the group */
    bool sort_desc;
    bool stale;
    int64_t last_load_us;   /* monotonic */
    int64_t loaded_hour;    /* the hour the sums were taken in */
    int refresh_timer, flash_timer, hour_timer;
    dash_flash flashes[FLASH_MAX];
    int nflash;
    int spark_hours;
    ui_search search;    /* `/`: only employees whose name, location or desk holds it */
    bool flat;           /* grouping off: the sort crosses locations and desks */
} dash_view;

/* ---- sorting within groups ------------------------------------------------ */

static int g_col;
static bool g_desc, g_flat;

static int cmp_num(double a, double b)
{
    /* "no data" sorts below every number in both directions' natural order */
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b) ? 0 : isnan(a) ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int64_t spark_sum(const views_dash_row *r)
{
    int64_t s = 0;
    for (int i = 0; i < r->spark_hours; i++)
        s += r->spark[i];
    return s;
}

static int cmp_row(const void *pa, const void *pb)
{
    const views_dash_row *a = pa, *b = pb;
    int c = strcmp(a->location_name[0] ? a->location_name : a->location_id,
                   b->location_name[0] ? b->location_name : b->location_id);
    if (!c)
        c = strcmp(a->location_id, b->location_id);
    if (!c)
        c = strcmp(a->desk, b->desk);
    if (g_flat)
        c = 0; /* grouping off: "most bad ratings today" across every site */
    if (c)
        return c; /* groups stay in place whatever the sort */
    switch (g_col) {
    case C_EMO:
        c = (int)a->emo_now - (int)b->emo_now;
        break;
    case C_SUPER:
        c = cmp_num((double)a->pos, (double)b->pos);
        break;
    case C_SOSO:
        c = cmp_num((double)a->neu, (double)b->neu);
        break;
    case C_BAD:
        c = cmp_num((double)a->neg, (double)b->neg);
        break;
    case C_BAR:
        c = cmp_num((double)a->ratings, (double)b->ratings);
        break;
    case C_CSAT:
        c = cmp_num(a->csat, b->csat);
        break;
    case C_SMILE:
        c = cmp_num(a->smile_share, b->smile_share);
        break;
    case C_LAST:
        c = cmp_num((double)a->last_rating_ts, (double)b->last_rating_ts);
        break;
    case C_RED:
        c = cmp_num((double)a->red_buttons, (double)b->red_buttons);
        break;
    case C_SILENT:
        c = cmp_num((double)a->silent, (double)b->silent);
        break;
    case C_SPARK:
        c = cmp_num((double)spark_sum(a), (double)spark_sum(b));
        break;
    default:
        break;
    }
    if (g_desc)
        c = -c;
    if (!c)
        c = strcmp(a->name, b->name);
    if (!c)
        c = strcmp(a->employee_id, b->employee_id);
    return c;
}

static bool same_group(const views_dash_row *a, const views_dash_row *b)
{
    return !strcmp(a->location_id, b->location_id) && !strcmp(a->desk, b->desk);
}

static void build_items(dash_view *v)
{
    g_col = v->sort_col;
    g_desc = v->sort_desc;
    g_flat = v->flat;
    if (v->n > 1)
        qsort(v->rows, v->n, sizeof v->rows[0], cmp_row);
    free(v->items);
    v->items = calloc(v->n * 2 + 1, sizeof *v->items);
    v->nitems = 0;
    if (!v->items)
        return;
    size_t prev = SIZE_MAX;
    for (size_t i = 0; i < v->n; i++) {
        const views_dash_row *r = &v->rows[i];
        /* Case-folded (Cyrillic too, ё = е), as the stream's filter. */
        const char *fields[] = {r->name, r->employee_id, r->location_name, r->desk};
        if (!ui_search_match(&v->search, fields, 4))
            continue;
        if (!v->flat && (prev == SIZE_MAX || !same_group(&v->rows[prev], r)))
            v->items[v->nitems++] = (item){true, i};
        v->items[v->nitems++] = (item){false, i};
        prev = i;
    }
}

/* ---- live refresh --------------------------------------------------------- */

static void on_hour_timer(void *ud);

/* A new hour moves the sparkline and may start a new day (counts back to 0)
 * even when no event arrives. */
static void arm_hour_timer(dash_view *v)
{
    if (v->hour_timer)
        return;
    int64_t now = time_now_us();
    int64_t next = (now / 3600000000LL + 1) * 3600000000LL;
    v->hour_timer = loop_timer_add(v->base.app->lp, (next - now) / 1000 + 50, on_hour_timer, v);
}

static void on_hour_timer(void *ud)
{
    dash_view *v = ud;
    v->hour_timer = 0;
    v->stale = true;
    v->base.dirty = true;
    arm_hour_timer(v);
}

static void reload(dash_view *v)
{
    ui_app *app = v->base.app;
    char keep[VIEWS_ID_MAX] = "";
    size_t sel = ui_table_selected(&v->tab);
    if (sel < v->nitems && !v->items[sel].group)
        snprintf(keep, sizeof keep, "%s", v->rows[v->items[sel].idx].employee_id);
    free(v->rows);
    v->rows = NULL;
    v->n = 0;
    v->stale = false;
    v->last_load_us = time_mono_us();
    v->loaded_hour = app->now_us / 3600000000LL;
    arm_hour_timer(v);
    if (views_dashboard(v->q, app->now_us, v->spark_hours, &v->rows, &v->n) != 0)
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), views_errmsg(v->q));
    build_items(v);
    ui_table_set_rows(&v->tab, v->nitems);
    for (size_t i = 0; keep[0] && i < v->nitems; i++)
        if (!v->items[i].group && !strcmp(v->rows[v->items[i].idx].employee_id, keep)) {
            ui_table_select(&v->tab, i);
            break;
        }
}

static void on_refresh_timer(void *ud)
{
    dash_view *v = ud;
    v->refresh_timer = 0;
    v->base.dirty = true;
}

static void on_flash_timer(void *ud)
{
    dash_view *v = ud;
    v->flash_timer = 0;
    v->base.dirty = true; /* the highlight fades; draw re-arms for the next one */
}

static bool flashing(dash_view *v, const char *emp)
{
    int64_t now = time_mono_us();
    for (int i = 0; i < v->nflash; i++)
        if (v->flashes[i].until_us > now && !strcmp(v->flashes[i].emp, emp))
            return true;
    return false;
}

static void add_flash(dash_view *v, const char *emp)
{
    int64_t now = time_mono_us();
    int slot = -1;
    for (int i = 0; i < v->nflash; i++)
        if (!strcmp(v->flashes[i].emp, emp) || v->flashes[i].until_us <= now) {
            slot = i;
            break;
        }
    if (slot < 0)
        slot = v->nflash < FLASH_MAX ? v->nflash++ : 0;
    snprintf(v->flashes[slot].emp, sizeof v->flashes[slot].emp, "%s", emp);
    v->flashes[slot].until_us = now + FLASH_US;
}

/* The earliest highlight still to fade, so one timer serves them all. */
static void arm_flash_timer(dash_view *v)
{
    int64_t now = time_mono_us(), next = INT64_MAX;
    for (int i = 0; i < v->nflash; i++)
        if (v->flashes[i].until_us > now && v->flashes[i].until_us < next)
            next = v->flashes[i].until_us;
    if (next == INT64_MAX || v->flash_timer)
        return;
    v->flash_timer = loop_timer_add(v->base.app->lp, (next - now) / 1000 + 1, on_flash_timer, v);
}

/* Live refreshes are coalesced: at 1,000 events a second the feed commits
 * hundreds of times a second, and each repaint would otherwise redraw the
 * whole table with what it had. */
static void schedule(dash_view *v)
{
    if (v->refresh_timer)
        return;
    int64_t since_ms = (time_mono_us() - v->last_load_us) / 1000;
    if (since_ms >= REFRESH_MIN_MS)
        v->base.dirty = true;
    else
        v->refresh_timer =
            loop_timer_add(v->base.app->lp, REFRESH_MIN_MS - since_ms, on_refresh_timer, v);
}

static void dash_on_events(ui_view *base, const event *evs, size_t n)
{
    dash_view *v = (dash_view *)base;
    bool matters = evs == NULL;
    for (size_t i = 0; i < n; i++) {
        if (evs[i].type == EV_HEARTBEAT || evs[i].type == EV_CLIP || evs[i].type == EV_SERVED)
            continue;
        matters = true;
        if (evs[i].type == EV_RATING && evs[i].employee_id)
            add_flash(v, evs[i].employee_id);
    }
    if (!matters)
        return;
    v->stale = true;
    schedule(v);
}

/* ---- cells ---------------------------------------------------------------- */

static void bar(const views_dash_row *r, char *buf, size_t cap, int width)
{
    int64_t tot = r->pos + r->neu + r->neg;
    size_t o = 0;
    buf[0] = '\0';
    if (tot <= 0)
        return;
    bool u = ui_glyphs_rich();
    const char *g[3] = {u ? "█" : "+", u ? "▒" : "~", u ? "░" : "-"};
    int64_t parts[3] = {r->pos, r->neu, r->neg};
    int w[3], used = 0;
    for (int i = 0; i < 3; i++) {
        w[i] = (int)(parts[i] * width / tot);
        if (parts[i] > 0 && w[i] == 0)
            w[i] = 1; /* even one bad rating shows */
        used += w[i];
    }
    while (used > width) { /* the rounding-up above may overflow by a cell or two */
        int big = w[0] >= w[1] && w[0] >= w[2] ? 0 : w[1] >= w[2] ? 1 : 2;
        w[big]--;
        used--;
    }
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < w[i] && o + 4 < cap; k++)
            o += (size_t)snprintf(buf + o, cap - o, "%s", g[i]);
}

static void sparkline(const views_dash_row *r, char *buf, size_t cap, int width)
{
    static const char *const blocks[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char ascii[] = "_.-~=+*#";
    int hours = r->spark_hours < width ? r->spark_hours : width;
    int first = r->spark_hours - hours;
    int max = 0;
    for (int i = first; i < r->spark_hours; i++)
        if (r->spark[i] > max)
            max = r->spark[i];
    size_t o = 0;
    bool u = ui_glyphs_rich();
    buf[0] = '\0';
    for (int i = first; i < r->spark_hours && o + 4 < cap; i++) {
        int c = r->spark[i];
        if (c == 0) {
            buf[o++] = ' ';
            buf[o] = '\0';
            continue;
        }
        int lvl = max > 0 ? (c * 7 + max - 1) / max : 0;
        if (lvl > 7)
            lvl = 7;
        if (u)
            o += (size_t)snprintf(buf + o, cap - o, "%s", blocks[lvl]);
        else {
            buf[o++] = ascii[lvl];
            buf[o] = '\0';
        }
    }
}

static void pct(double x, char *buf, size_t cap)
{
    if (isnan(x))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.0f", x);
}

static bool dash_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    dash_view *v = ud;
    if (row >= v->nitems)
        return false;
    const item *it = &v->items[row];
    const views_dash_row *r = &v->rows[it->idx];
    if (it->group) {
        *el = TH_GROUP; /* drawn across the whole line after the table */
        return true;
    }
    char t[16];
    switch (col) {
    case C_NAME:
        snprintf(buf, cap, "%s", r->name);
        break;
    case C_EMO:
        /* the word carries the meaning; the colour only helps */
        if (r->emo_now == EMO_UNKNOWN) {
            snprintf(buf, cap, "  -");
        } else {
            const char *word = ui_emo_label(r->emo_now);
            if (text_width(word, strlen(word)) + 2 > v->tab.widths[C_EMO])
                word = ui_emo_short(r->emo_now);
            snprintf(buf, cap, "%s %s", ui_glyphs_rich() ? "●" : "*", word);
        }
        *el = ui_el_for_emo(r->emo_now);
        break;
    case C_SUPER:
        snprintf(buf, cap, "%lld", (long long)r->pos);
        if (r->pos)
            *el = TH_RATING_SUPER;
        break;
    case C_SOSO:
        snprintf(buf, cap, "%lld", (long long)r->neu);
        if (r->neu)
            *el = TH_RATING_SO_SO;
        break;
    case C_BAD:
        snprintf(buf, cap, "%lld", (long long)r->neg);
        if (r->neg)
            *el = TH_RATING_BAD;
        break;
    case C_BAR:
        bar(r, buf, cap, v->tab.widths[C_BAR] > 0 ? v->tab.widths[C_BAR] : 8);
        *el = TH_BAR;
        break;
    case C_CSAT:
        pct(r->csat, buf, cap);
        break;
    case C_SMILE:
        pct(r->smile_share, buf, cap);
        if (!isnan(r->smile_share))
            strncat(buf, "%", cap - strlen(buf) - 1);
        break;
    case C_LAST:
        if (!r->last_rating[0]) {
            snprintf(buf, cap, "-");
            break;
        }
        /* not today: the date instead of the time */
        if (r->last_rating_ts < time_local_midnight(v->base.app->now_us, 0) ||
            r->last_rating_ts >= time_local_midnight(v->base.app->now_us, 1))
            time_format_local(r->last_rating_ts, "%d.%m", t, sizeof t);
        else
            time_format_local(r->last_rating_ts, "%H:%M", t, sizeof t);
        snprintf(buf, cap, "%s %s %s", ui_smiley(r->last_polarity), t,
                 ui_emo_short(r->last_rating_emo));
        *el = ui_el_for_polarity(r->last_polarity);
        break;
    case C_RED:
        snprintf(buf, cap, "%lld", (long long)r->red_buttons);
        if (r->red_buttons)
            *el = TH_RATING_BAD;
        break;
    case C_SILENT:
        snprintf(buf, cap, "%lld", (long long)r->silent);
        break;
    case C_SPARK:
        sparkline(r, buf, cap, v->tab.widths[C_SPARK] > 0 ? v->tab.widths[C_SPARK] : 8);
        *el = TH_SPARKLINE;
        break;
    }
    return true;
}

static int dash_row_el(void *ud, size_t row)
{
    dash_view *v = ud;
    if (row >= v->nitems)
        return -1;
    if (v->items[row].group)
        return TH_GROUP;
    return flashing(v, v->rows[v->items[row].idx].employee_id) ? TH_HIGHLIGHT_NEW : -1;
}

static void dash_on_sort(void *ud, int col, bool desc)
{
    dash_view *v = ud;
    v->sort_col = col;
    v->sort_desc = desc;
    build_items(v);
}

static const ui_table_ops table_ops = {
    .cell = dash_cell, .row_el = dash_row_el, .on_sort = dash_on_sort};

/* ---- the view ------------------------------------------------------------- */

static void dash_draw(ui_view *base, WINDOW *w)
{
    dash_view *v = (dash_view *)base;
    ui_app *app = base->app;
    int h = getmaxy(w), wd = getmaxx(w);
    /* A new hour moves the sparkline and may start a new day. */
    if (app->now_us / 3600000000LL != v->loaded_hour)
        v->stale = true;
    if (v->stale)
        reload(v);
    werase(w);
    char line[256], date[32];
    time_format_local(app->now_us, "%d.%m.%Y", date, sizeof date);
    snprintf(line, sizeof line,
             _("Today %s: %zu employees. Sup/So/Bad: super, so-so, bad; Sil: silent; Hours: ratings per hour"),
             date, v->n);
    int sx = ui_search_put(&v->search, w, 0, 0, wd); /* what is hidden, said first */
    ui_put(w, 0, sx, line, wd - sx, TH_DIM, true);
    if (!v->n) {
        ui_table_draw(&v->tab, w, 1, 0, 1, wd);
        if (v->base.app->hub) {
            ui_put(w, 3, 2, _("No employees yet: waiting for events from the sources."), wd - 2,
                   TH_NORMAL, false);
            return;
        }
        /* First run with nothing to listen to: say how to add a source. */
        char *dir = config_dir(), cfgline[4200];
        snprintf(cfgline, sizeof cfgline, _("or a [source.NAME] section in %s/config.ini"),
                 dir ? dir : "~/.config/cxm-console");
        free(dir);
        ui_put(w, 3, 2, _("No sources: nothing to show yet. Add one when starting:"), wd - 2,
               TH_NORMAL, false);
        ui_put(w, 4, 4, _("cxm-console --agent PATH|URL   (the site's local agent)"), wd - 4,
               TH_VALUE, false);
        ui_put(w, 5, 4, _("cxm-console --agent-log FILE   or   --cloud URL"), wd - 4, TH_VALUE,
               false);
        ui_put(w, 6, 4, cfgline, wd - 4, TH_VALUE, false);
        ui_put(w, 7, 2, _("(the local agent's socket $XDG_RUNTIME_DIR/cxm-agent.sock is used by itself when it exists)"),
               wd - 2, TH_DIM, false);
        return;
    }
    ui_table_draw(&v->tab, w, 1, 0, h - 1, wd);
    /* A group line spans the whole width, not only the first column. */
    for (int y = 0; y < v->tab.page; y++) {
        size_t row = v->tab.top + (size_t)y;
        if (row >= v->nitems)
            break;
        if (!v->items[row].group)
            continue;
        const views_dash_row *r = &v->rows[v->items[row].idx];
        char group[VIEWS_NAME_MAX + VIEWS_ID_MAX + 16];
        snprintf(group, sizeof group, "%s %s / %s", ui_glyphs_rich() ? "▸" : ">",
                 r->location_name[0] ? r->location_name : r->location_id, r->desk[0] ? r->desk : "-");
        ui_put(w, 2 + y, 0, group, wd, row == v->tab.sel ? TH_SELECTED : TH_GROUP, true);
    }
    arm_flash_timer(v);
}

static void search_apply(ui_view *base)
{
    dash_view *v = (dash_view *)base;
    build_items(v);
    ui_table_set_rows(&v->tab, v->nitems);
    ui_table_select(&v->tab, 0);
}

/* The play key on an employee: the main clip of their latest rating or red
 * button (the moments a supervisor listens to). */
static void play_latest(ui_app *app, dash_view *v, const views_dash_row *r)
{
    views_filter f;
    views_filter_clear(&f);
    f.types = (1u << EV_RATING) | (1u << EV_RED_BUTTON);
    snprintf(f.employee, sizeof f.employee, "%s", r->employee_id);
    snprintf(f.location, sizeof f.location, "%s", r->location_id);
    views_row row;
    views_key top = {INT64_MAX, INT64_MAX};
    if (views_stream_page(v->q, &f, top, false, &row, 1) == 1)
        ui_audio_play_event(app, row.id);
    else
        ui_message(app, UI_MSG_HINT, _("%s has no rating or red button to play"), r->name);
}

static int dash_action(ui_view *base, int action, int key)
{
    dash_view *v = (dash_view *)base;
    (void)key;
    if (action == ACT_FILTER) {
        ui_search_open(&v->search, _("Search employees (name, location, desk): "));
        return UI_HANDLED | UI_REDRAW;
    }
    if (action == ACT_FILTER_CLEAR) {
        ui_search_clear(&v->search);
        return UI_HANDLED | UI_REDRAW;
    }
    if (action == ACT_GROUP_CYCLE) {
        v->flat = !v->flat;
        build_items(v);
        ui_table_set_rows(&v->tab, v->nitems);
        ui_message(base->app, UI_MSG_HINT, "%s",
                   v->flat ? _("Grouping off: sorting crosses locations and desks")
                           : _("Grouped by location and desk"));
        return UI_HANDLED | UI_REDRAW;
    }
    if (action == ACT_OPEN || action == ACT_EMPLOYEE_CARD) {
        size_t sel = ui_table_selected(&v->tab);
        if (sel < v->nitems && !v->items[sel].group)
            ui_card_open(base->app, v->rows[v->items[sel].idx].employee_id);
        return UI_HANDLED | UI_REDRAW;
    }
    if (action == ACT_PLAY_CLIP) {
        size_t sel = ui_table_selected(&v->tab);
        if (sel < v->nitems && !v->items[sel].group)
            play_latest(base->app, v, &v->rows[v->items[sel].idx]);
        return UI_HANDLED | UI_REDRAW;
    }
    if (action == ACT_SORT_NEXT && v->tab.sort_col == C_N - 1) {
        v->tab.sort_col = -1; /* wrap to the default order: by name */
        dash_on_sort(v, -1, false);
        return UI_HANDLED | UI_REDRAW;
    }
    return ui_table_action(&v->tab, action);
}

static void dash_close(ui_view *base)
{
    dash_view *v = (dash_view *)base;
    if (v->refresh_timer)
        loop_timer_cancel(base->app->lp, v->refresh_timer);
    if (v->flash_timer)
        loop_timer_cancel(base->app->lp, v->flash_timer);
    if (v->hour_timer)
        loop_timer_cancel(base->app->lp, v->hour_timer);
    views_free(v->q);
    free(v->rows);
    free(v->items);
    free(v);
}

static const ui_view_ops dash_ops = {
    .name = N_("Dashboard"),
    .ctx = UI_CTX_DASHBOARD | UI_CTX_LIST,
    .draw = dash_draw,
    .on_action = dash_action,
    .on_events = dash_on_events,
    .close = dash_close,
};

ui_view *ui_dashboard_new(ui_app *app)
{
    dash_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->q = views_new(app->st, app->cfg ? &app->cfg->rules : NULL);
    if (!v->q) {
        free(v);
        return NULL;
    }
    v->base.ops = &dash_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->stale = true;
    v->sort_col = -1;
    v->spark_hours = cols[C_SPARK].width; /* one cell per hour */
    ui_table_init(&v->tab, cols, C_N, &table_ops, v);
    ui_table_set_owner(&v->tab, &v->base, "dashboard");
    ui_search_init(&v->search, &v->base, search_apply);
    return &v->base;
}
