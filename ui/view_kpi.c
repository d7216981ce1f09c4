/* KPIs (DESIGN §8) by employee, desk, location or day (b) over today, 7 days,
 * 30 days or a custom range (t cycles, R asks), with EmoNPS's K adjustable
 * (+/-, within [0.2, 1]). Below the table: the calibration table (ratings
 * under each employee emotion label, over the whole period) and the
 * representative sample size for the period's customers. kpi_run reads the
 * rollups, so a 30-day period over millions of events stays quick; live
 * refreshes are coalesced to one a second. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/kpi.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "search.h"
#include "table.h"
#include "ui.h"
#include "uikeys.h"
#include "views_ui.h"

#define REFRESH_MIN_MS 1000

enum { C_KEY, C_RATINGS, C_CSAT, C_SUPPORT, C_CRIT, C_RESP, C_EMONPS, C_SMILE, C_SILENT, C_N };

static const ui_column cols[C_N] = {
    {N_("Group"), 0, 14, false, 0},    {N_("Ratings"), 7, 0, true, 0},
    {N_("CSAT"), 6, 0, true, 0},       {N_("Support"), 7, 0, true, 0},
    {N_("Critical"), 8, 0, true, 0},   {N_("Response"), 8, 0, true, 0},
    {N_("EmoNPS"), 7, 0, true, 0},     {N_("Smile"), 6, 0, true, 0},
    {N_("Silent"), 6, 0, true, 90},
};

static const kpi_by by_cycle[] = {KPI_BY_EMPLOYEE, KPI_BY_DESK, KPI_BY_LOCATION, KPI_BY_DAY};

typedef struct {
    ui_view base;
    ui_table tab;
    kpi_row *rows;
    size_t n;
    kpi_row all;            /* the whole period: calibration and sample size */
    bool have_all;
    int by_idx;
    views_period period;
    int64_t custom_from, custom_to;
    double k;
    int64_t population;     /* sample-size helper: 0 = the period's customers */
    bool stale;
    int64_t last_load_us;
    int refresh_timer;
    int sort_col;
    bool sort_desc;
    ui_search search;       /* `/`: only the groups whose name or key holds it */
} kpi_view;

static void range(kpi_view *v, int64_t *from, int64_t *to)
{
    if (v->period == VIEWS_PERIOD_CUSTOM) {
        *from = v->custom_from;
        *to = v->custom_to;
    } else {
        views_period_range(v->period, v->base.app->now_us, from, to);
    }
}

static const cxm_rules *rules_of(kpi_view *v, cxm_rules *def)
{
    if (v->base.app->cfg && v->base.app->cfg->rules.scale.nvalues > 0)
        return &v->base.app->cfg->rules;
    rules_default(def);
    return def;
}

/* ---- sorting ---------------------------------------------------------------- */

static int g_col;
static bool g_desc;

static double metric(const kpi_row *r, int col)
{
    switch (col) {
    case C_RATINGS:
        return (double)r->c.ratings_total;
    case C_CSAT:
        return r->v.csat;
    case C_SUPPORT:
        return r->v.support_index;
    case C_CRIT:
        return r->v.criticality_index;
    case C_RESP:
        return r->v.response_rate;
    case C_EMONPS:
        return r->v.emonps;
    case C_SMILE:
        return r->v.smile_share * 100.0; /* kpi gives a fraction */
    case C_SILENT:
        return (double)r->c.silent;
    default:
        return 0;
    }
}

static int cmp_row(const void *pa, const void *pb)
{
    const kpi_row *a = pa, *b = pb;
    int c = 0;
    if (g_col <= C_KEY) {
        c = strcmp(a->name[0] ? a->name : a->key, b->name[0] ? b->name : b->key);
    } else {
        double x = metric(a, g_col), y = metric(b, g_col);
        if (isnan(x) || isnan(y))
            c = isnan(x) && isnan(y) ? 0 : isnan(x) ? -1 : 1;
        else
            c = x < y ? -1 : x > y;
    }
    if (g_desc)
        c = -c;
    return c ? c : strcmp(a->key, b->key);
}

static void sort_rows(kpi_view *v)
{
    g_col = v->sort_col;
    g_desc = v->sort_desc;
    if (v->n > 1)
        qsort(v->rows, v->n, sizeof v->rows[0], cmp_row);
}

/* ---- loading ---------------------------------------------------------------- */

static void reload(kpi_view *v)
{
    ui_app *app = v->base.app;
    cxm_rules def;
    const cxm_rules *rules = rules_of(v, &def);
    kpi_query q;
    memset(&q, 0, sizeof q);
    range(v, &q.from_us, &q.to_us);
    q.k = v->k;
    q.by = by_cycle[v->by_idx];
    char err[256];
    free(v->rows);
    v->rows = NULL;
    v->n = 0;
    v->stale = false;
    v->last_load_us = time_mono_us();
    if (kpi_run(app->st, rules, &q, &v->rows, &v->n, err, sizeof err) != 0) {
        ui_message(app, UI_MSG_ERROR, _("KPI: %s"), err);
        v->rows = NULL;
        v->n = 0;
    }
    size_t kept = 0; /* the search narrows the table; calibration stays the period's */
    for (size_t i = 0; i < v->n; i++) {
        const char *fields[] = {v->rows[i].name, v->rows[i].key};
        if (ui_search_match(&v->search, fields, 2))
            v->rows[kept++] = v->rows[i];
    }
    v->n = kept;
    sort_rows(v);
    ui_table_set_rows(&v->tab, v->n);
    kpi_row *all = NULL;
    size_t nall = 0;
    q.by = KPI_BY_ALL;
    v->have_all = kpi_run(app->st, rules, &q, &all, &nall, err, sizeof err) == 0 && nall == 1;
    if (v->have_all)
        v->all = all[0];
    free(all);
}

static void on_refresh_timer(void *ud)
{
    kpi_view *v = ud;
    v->refresh_timer = 0;
    v->base.dirty = true;
}

static void kpi_on_events(ui_view *base, const event *evs, size_t n)
{
    kpi_view *v = (kpi_view *)base;
    bool matters = evs == NULL;
    for (size_t i = 0; i < n && !matters; i++)
        matters = evs[i].type != EV_HEARTBEAT && evs[i].type != EV_CLIP &&
                  evs[i].type != EV_EMOTION;
    if (!matters)
        return;
    v->stale = true;
    if (v->refresh_timer)
        return;
    int64_t since_ms = (time_mono_us() - v->last_load_us) / 1000;
    if (since_ms >= REFRESH_MIN_MS)
        base->dirty = true;
    else
        v->refresh_timer = loop_timer_add(base->app->lp, REFRESH_MIN_MS - since_ms, on_refresh_timer, v);
}

/* ---- cells ------------------------------------------------------------------ */

static void num(double x, char *buf, size_t cap)
{
    if (isnan(x))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.1f", x);
}

static bool kpi_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    kpi_view *v = ud;
    if (row >= v->n)
        return false;
    const kpi_row *r = &v->rows[row];
    (void)el;
    if (col == C_KEY) {
        /* employees' ids tell namesakes apart; a desk's name already says where */
        if (r->name[0] && strcmp(r->name, r->key) && v->by_idx == 0)
            snprintf(buf, cap, "%s (%s)", r->name, r->key);
        else
            snprintf(buf, cap, "%s", r->name[0] ? r->name : r->key);
    } else if (col == C_RATINGS || col == C_SILENT) {
        snprintf(buf, cap, "%.0f", metric(r, col));
    } else {
        num(metric(r, col), buf, cap);
        if (col == C_CSAT && !isnan(r->v.csat))
            *el = r->v.csat >= 80 ? TH_RATING_SUPER : r->v.csat >= 50 ? TH_RATING_SO_SO : TH_RATING_BAD;
    }
    return true;
}

static void kpi_on_sort(void *ud, int col, bool desc)
{
    kpi_view *v = ud;
    v->sort_col = col;
    v->sort_desc = desc;
    sort_rows(v);
}

static const ui_table_ops table_ops = {.cell = kpi_cell, .on_sort = kpi_on_sort};

/* ---- drawing ---------------------------------------------------------------- */

static const char *period_word(const kpi_view *v)
{
    switch (v->period) {
    case VIEWS_PERIOD_TODAY:
        return _("today");
    case VIEWS_PERIOD_7D:
        return _("7 days");
    case VIEWS_PERIOD_30D:
        return _("30 days");
    default:
        return _("custom");
    }
}

static const char *by_word(kpi_by by)
{
    switch (by) {
    case KPI_BY_EMPLOYEE:
        return _("by employee");
    case KPI_BY_DESK:
        return _("by desk");
    case KPI_BY_LOCATION:
        return _("by location");
    case KPI_BY_DAY:
        return _("by day");
    default:
        return _("all");
    }
}

/* Ratings under each employee label: the plan value for CSAT is the share of
 * positive ratings when the background is positive. */
static int draw_calibration(kpi_view *v, WINDOW *w, int y, int wd)
{
    const kpi_counts *c = &v->all.c;
    char line[512], cell[64];
    ui_put(w, y++, 0, _("Calibration: ratings under each employee emotion (share of the row)"), wd,
           TH_GROUP, true);
    int lw = 14, cw = 14;
    ui_put(w, y, 1, _("Emotion"), lw, TH_HEADER, true);
    int x = lw + 2;
    for (int i = 0; i < c->nvalues && x + cw <= wd; i++, x += cw + 1)
        ui_put_right(w, y, x, ui_rating_word(c->rv[i].value), cw, TH_HEADER);
    ui_put_right(w, y, x, "CSAT", 8, TH_HEADER);
    y++;
    static const emo_label order[] = {EMO_POSITIVE, EMO_MIXED, EMO_POKER, EMO_NEGATIVE, EMO_UNKNOWN};
    cxm_rules def;
    const cxm_rules *rules = rules_of(v, &def);
    for (size_t e = 0; e < sizeof order / sizeof order[0]; e++) {
        emo_label l = order[e];
        int64_t tot = 0, pos = 0;
        for (int i = 0; i < c->nvalues; i++) {
            tot += c->rv[i].by_emo[l];
            if (rules_polarity(rules, c->rv[i].value) == POL_POSITIVE)
                pos += c->rv[i].by_emo[l];
        }
        ui_put(w, y, 1, ui_emo_label(l), lw, ui_el_for_emo(l), true);
        x = lw + 2;
        for (int i = 0; i < c->nvalues && x + cw <= wd; i++, x += cw + 1) {
            int64_t k = c->rv[i].by_emo[l];
            if (tot)
                snprintf(cell, sizeof cell, "%lld (%.0f%%)", (long long)k, 100.0 * (double)k / (double)tot);
            else
                snprintf(cell, sizeof cell, "-");
            ui_put_right(w, y, x, cell, cw, TH_VALUE);
        }
        if (tot)
            snprintf(line, sizeof line, "%.1f", 100.0 * (double)pos / (double)tot);
        else
            snprintf(line, sizeof line, "-");
        ui_put_right(w, y, x, line, 8, TH_VALUE);
        y++;
    }
    return y;
}

static void kpi_draw(ui_view *base, WINDOW *w)
{
    kpi_view *v = (kpi_view *)base;
    int h = getmaxy(w), wd = getmaxx(w);
    if (v->stale)
        reload(v);
    werase(w);
    int64_t from, to;
    range(v, &from, &to);
    char f[32], t[32], line[512];
    time_format_local(from, "%d.%m.%Y", f, sizeof f);
    time_format_local(to - 1, "%d.%m.%Y", t, sizeof t);
    snprintf(line, sizeof line, _("Period: %s (%s - %s), %s, EmoNPS K = %.1f   [t period, b group, +/- K, R range, n sample]"),
             period_word(v), f, t, by_word(by_cycle[v->by_idx]), v->k);
    int sx = ui_search_put(&v->search, w, 0, 0, wd);
    ui_put(w, 0, sx, line, wd - sx, TH_TITLE, true);
    /* calibration (7 lines) and the sample size (1) below the table */
    int below = 9;
    int th = h - 1 - below;
    if (th < 3) {
        th = h - 1;
        below = 0;
    }
    ui_table_draw(&v->tab, w, 1, 0, th, wd);
    if (!v->n && ui_search_active(&v->search)) {
        char k_clear[32];
        ui_keymap_keys(ACT_FILTER_CLEAR, k_clear, sizeof k_clear);
        snprintf(line, sizeof line, _("No row matches the search (%s clears it)."), k_clear);
        ui_put(w, 3, 2, line, wd - 2, TH_DIM, false);
    } else if (!v->n) {
        ui_put(w, 3, 2, _("No data for this period."), wd - 2, TH_DIM, false);
    }
    if (!below || !v->have_all)
        return;
    int y = draw_calibration(v, w, 1 + th, wd);
    int64_t pop = v->population > 0 ? v->population : v->all.v.contacts_base;
    int64_t need = pop > 0 ? kpi_sample_size(pop, 0.95, 0.05) : kpi_sample_size(0, 0.95, 0.05);
    if (pop > 0)
        snprintf(line, sizeof line,
                 _("Sample size: %lld ratings needed for %lld customers (95%%, +/-5%%); have %lld %s"),
                 (long long)need, (long long)pop, (long long)v->all.c.ratings_total,
                 v->all.c.ratings_total >= need ? _("(enough)") : _("(not yet)"));
    else
        snprintf(line, sizeof line,
                 _("Sample size: %lld ratings for a large population (95%%, +/-5%%); have %lld"),
                 (long long)need, (long long)v->all.c.ratings_total);
    if (y < h)
        ui_put(w, y, 0, line, wd, v->all.c.ratings_total >= need ? TH_STATUS_OK : TH_STATUS_WARN, true);
}

/* ---- prompts ---------------------------------------------------------------- */

static void range_done(void *ud, const char *text, bool accepted)
{
    kpi_view *v = ud;
    if (!accepted)
        return;
    char a[64], b[64];
    int64_t from, to;
    if (sscanf(text, "%63s %63s", a, b) != 2 || time_parse_cli(a, &from) != 0 ||
        time_parse_cli(b, &to) != 0) {
        ui_message(v->base.app, UI_MSG_ERROR, _("Expected two dates: FROM TO (DD.MM.YYYY, YYYY-MM-DD or RFC 3339)"));
        return;
    }
    /* a bare date as the end means the whole of that day */
    if (strlen(b) == 10)
        to = time_local_midnight(to, 1);
    if (to <= from) {
        ui_message(v->base.app, UI_MSG_ERROR, "%s", _("The end must be after the start"));
        return;
    }
    v->custom_from = from;
    v->custom_to = to;
    v->period = VIEWS_PERIOD_CUSTOM;
    v->stale = true;
    v->last_load_us = 0;
    v->base.dirty = true;
}

static void ask_range(kpi_view *v)
{
    char init[64], a[16], b[16];
    int64_t from, to;
    range(v, &from, &to);
    time_format_local(from, time_fmt_date(), a, sizeof a);
    time_format_local(to - 1, time_fmt_date(), b, sizeof b);
    snprintf(init, sizeof init, "%s %s", a, b);
    ui_prompt(v->base.app, _("Range FROM TO: "), init, NULL, range_done, v);
}

static void population_done(void *ud, const char *text, bool accepted)
{
    kpi_view *v = ud;
    if (!accepted)
        return;
    char *end;
    long long n = strtoll(text, &end, 10);
    if (end == text || n < 0) {
        ui_message(v->base.app, UI_MSG_ERROR, "%s", _("Expected a number of customers"));
        return;
    }
    v->population = n;
    v->base.dirty = true;
}

static int kpi_action(ui_view *base, int action, int key)
{
    kpi_view *v = (kpi_view *)base;
    ui_app *app = base->app;
    (void)key;
    switch (action) {
    case ACT_PERIOD_CYCLE:
        if (v->period == VIEWS_PERIOD_30D && !v->custom_to) {
            ask_range(v);
            return UI_HANDLED | UI_REDRAW;
        }
        v->period = (views_period)((v->period + 1) % 4);
        break;
    case ACT_PERIOD_CUSTOM:
        ask_range(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_GROUP_CYCLE:
        v->by_idx = (v->by_idx + 1) % (int)(sizeof by_cycle / sizeof by_cycle[0]);
        v->tab.sel = v->tab.top = 0;
        break;
    case ACT_K_INC:
    case ACT_K_DEC:
        v->k += action == ACT_K_INC ? 0.1 : -0.1;
        v->k = round(v->k * 10) / 10;
        if (v->k < 0.2)
            v->k = 0.2;
        if (v->k > 1.0)
            v->k = 1.0;
        ui_message(app, UI_MSG_INFO, _("EmoNPS K = %.1f"), v->k);
        break;
    case ACT_FILTER:
        ui_search_open(&v->search, _("Search (employee, desk, location, day): "));
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_CLEAR:
        ui_search_clear(&v->search);
        return UI_HANDLED | UI_REDRAW;
    case ACT_SAMPLE_SIZE:
        ui_prompt(app, _("Population (customers, 0 = this period's): "), NULL, NULL, population_done, v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_OPEN:
    case ACT_EMPLOYEE_CARD: {
        /* a row by employee is one: its card (other groupings have no one) */
        size_t sel = ui_table_selected(&v->tab);
        if (by_cycle[v->by_idx] == KPI_BY_EMPLOYEE && sel < v->n)
            ui_card_open(app, v->rows[sel].key);
        else if (action == ACT_EMPLOYEE_CARD)
            ui_message(app, UI_MSG_HINT, "%s", _("Group by employee (b) to open a card"));
        return UI_HANDLED | UI_REDRAW;
    }
    default:
        return ui_table_action(&v->tab, action);
    }
    v->stale = true;
    v->last_load_us = 0; /* the user asked: no coalescing */
    return UI_HANDLED | UI_REDRAW;
}

static void kpi_search_apply(ui_view *base)
{
    kpi_view *v = (kpi_view *)base;
    v->stale = true;
    v->last_load_us = 0;
    v->tab.sel = v->tab.top = 0;
}

static void kpi_close(ui_view *base)
{
    kpi_view *v = (kpi_view *)base;
    if (v->refresh_timer)
        loop_timer_cancel(base->app->lp, v->refresh_timer);
    free(v->rows);
    free(v);
}

static const ui_view_ops kpi_ops = {
    .name = N_("KPIs"),
    .ctx = UI_CTX_KPI | UI_CTX_LIST,
    .draw = kpi_draw,
    .on_action = kpi_action,
    .on_events = kpi_on_events,
    .close = kpi_close,
};

ui_view *ui_kpi_new(ui_app *app)
{
    kpi_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base.ops = &kpi_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->stale = true;
    v->k = app->cfg && app->cfg->kpi_k >= 0.2 && app->cfg->kpi_k <= 1.0 ? app->cfg->kpi_k : 0.5;
    v->period = VIEWS_PERIOD_TODAY;
    ui_table_init(&v->tab, cols, C_N, &table_ops, v);
    ui_table_set_owner(&v->tab, &v->base, "kpi");
    ui_search_init(&v->search, &v->base, kpi_search_apply);
    return &v->base;
}
