/* The employee card (issue 10), pushed above any view (Enter on the
 * dashboard or a KPI row by employee, C on a stream row, an alert, an alert's
 * event or an event's detail). One scrolling page: who and where with the
 * live emotion; KPIs today, 7 days, 30 days and a custom range side by side;
 * the chosen period (t cycles, R asks) day by day with sparklines; the
 * calibration table against the site; their incidents (Enter: the event's
 * detail, with its clips) and their alerts (Enter: the alert's events).
 * E opens the stream filtered on them. Every number comes from
 * include/cxm/card.h, which takes the KPIs from kpi_run. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/card.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "audio.h"
#include "ui.h"
#include "uikeys.h"
#include "views_ui.h"

#define REFRESH_MIN_MS 1000
#define CELLS_MAX 10
#define CELL_TEXT 200

enum { L_TEXT, L_INCIDENT, L_ALERT };

typedef struct {
    short x, w;
    bool right;
    ui_el el;
    char text[CELL_TEXT];
} cell;

typedef struct {
    int kind;
    size_t idx;    /* into data.inc / data.alerts */
    ui_el el;      /* the line's background element (headings) */
    bool full;     /* one cell across the whole width */
    int ncell;
    cell c[CELLS_MAX];
} line;

/* The fixed periods of the summary; the custom one is added when set. */
static const views_period summary_periods[] = {VIEWS_PERIOD_TODAY, VIEWS_PERIOD_7D,
                                               VIEWS_PERIOD_30D};

typedef struct {
    ui_view base;
    char emp[CARD_ID_MAX];
    card_who who;
    bool known;
    card_data data;
    bool have_data;
    kpi_row summary[4];      /* today, 7 days, 30 days, custom */
    views_period period;     /* what the days, calibration, incidents and alerts cover */
    int64_t custom_from, custom_to;
    double k;
    line *lines;
    size_t nlines, cap;
    size_t top;
    long sel;                /* selected line (an incident or alert), -1: none */
    int page;
    int cols_built;          /* the width the lines were laid out for */
    bool stale;
    int64_t last_load_us;
    int refresh_timer;
} card_view;

/* ---- data ------------------------------------------------------------------- */

static const cxm_rules *rules_of(card_view *v, cxm_rules *def)
{
    if (v->base.app->cfg && v->base.app->cfg->rules.scale.nvalues > 0)
        return &v->base.app->cfg->rules;
    rules_default(def);
    return def;
}

static void range_of(card_view *v, views_period p, int64_t *from, int64_t *to)
{
    if (p == VIEWS_PERIOD_CUSTOM) {
        *from = v->custom_from;
        *to = v->custom_to;
    } else {
        views_period_range(p, v->base.app->now_us, from, to);
    }
}

static void reload(card_view *v)
{
    ui_app *app = v->base.app;
    char err[512];
    cxm_rules def;
    const cxm_rules *rules = rules_of(v, &def);
    v->stale = false;
    v->last_load_us = time_mono_us();
    int rc = card_who_get(app->st, v->emp, &v->who, err, sizeof err);
    if (rc < 0) {
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), err);
        return;
    }
    v->known = rc == 0;
    int nsum = v->custom_to > v->custom_from ? 4 : 3;
    for (int i = 0; i < nsum; i++) {
        int64_t from, to;
        range_of(v, i < 3 ? summary_periods[i] : VIEWS_PERIOD_CUSTOM, &from, &to);
        if (card_kpis(app->st, rules, v->emp, from, to, v->k, &v->summary[i], err, sizeof err) != 0) {
            ui_message(app, UI_MSG_ERROR, _("Database error: %s"), err);
            return;
        }
    }
    if (v->have_data)
        card_data_free(&v->data);
    v->have_data = false;
    int64_t from, to;
    range_of(v, v->period, &from, &to);
    if (card_load(app->st, rules, v->emp, v->who.location_id, from, to, v->k, &v->data, err,
                  sizeof err) != 0) {
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), err);
        return;
    }
    v->have_data = true;
    v->cols_built = -1; /* lay the lines out again */
}

/* ---- lines ------------------------------------------------------------------ */

static line *add_line(card_view *v, int kind, size_t idx)
{
    if (v->nlines == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        line *l = realloc(v->lines, cap * sizeof *l);
        if (!l)
            return NULL;
        v->lines = l;
        v->cap = cap;
    }
    line *l = &v->lines[v->nlines++];
    memset(l, 0, sizeof *l);
    l->kind = kind;
    l->idx = idx;
    l->el = TH_NORMAL;
    return l;
}

static void add_cell(line *l, int x, int w, bool right, ui_el el, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void add_cell(line *l, int x, int w, bool right, ui_el el, const char *fmt, ...)
{
    if (!l || l->ncell == CELLS_MAX)
        return;
    cell *c = &l->c[l->ncell++];
    c->x = (short)x;
    c->w = (short)w;
    c->right = right;
    c->el = el;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->text, sizeof c->text, fmt, ap);
    va_end(ap);
}

static void text_line(card_view *v, ui_el el, const char *s)
{
    line *l = add_line(v, L_TEXT, 0);
    if (!l)
        return;
    l->full = true;
    l->el = el;
    add_cell(l, 0, 0, false, el, "%s", s);
}

static void blank(card_view *v)
{
    add_line(v, L_TEXT, 0);
}

static void num(double x, const char *fmt, char *buf, size_t cap)
{
    if (isnan(x))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, fmt, x);
}

static const char *period_word(views_period p)
{
    switch (p) {
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

static void range_words(card_view *v, views_period p, const char *fmt, char *out, size_t cap)
{
    int64_t from, to;
    range_of(v, p, &from, &to);
    char a[24], b[24];
    time_format_local(from, fmt, a, sizeof a);
    time_format_local(to - 1, fmt, b, sizeof b);
    if (!strcmp(a, b))
        snprintf(out, cap, "%s", a);
    else
        snprintf(out, cap, "%s - %s", a, b);
}

/* KPI columns shared by the summary: label, then these. */
static void kpi_cells(line *l, const kpi_row *r, int x0)
{
    char b[32];
    const kpi_values *kv = &r->v;
    add_cell(l, x0, 7, true, TH_VALUE, "%lld", (long long)r->c.ratings_total);
    num(kv->csat, "%.0f", b, sizeof b);
    add_cell(l, x0 + 8, 5, true, TH_VALUE, "%s", b);
    num(kv->support_index, "%.1f", b, sizeof b);
    add_cell(l, x0 + 14, 7, true, TH_VALUE, "%s", b);
    num(kv->criticality_index, "%.1f", b, sizeof b);
    add_cell(l, x0 + 22, 8, true, TH_VALUE, "%s", b);
    num(kv->emonps, "%.0f", b, sizeof b);
    add_cell(l, x0 + 31, 7, true, TH_VALUE, "%s", b);
    num(kv->smile_share * 100.0, "%.0f%%", b, sizeof b);
    add_cell(l, x0 + 39, 6, true, TH_VALUE, "%s", b);
    add_cell(l, x0 + 46, 4, true, r->c.red_buttons ? TH_RATING_BAD : TH_VALUE, "%lld",
             (long long)r->c.red_buttons);
}

static void kpi_header(card_view *v, const char *first, int x0)
{
    line *l = add_line(v, L_TEXT, 0);
    add_cell(l, 1, x0 - 2, false, TH_HEADER, "%s", first);
    add_cell(l, x0, 7, true, TH_HEADER, "%s", _("Ratings"));
    add_cell(l, x0 + 8, 5, true, TH_HEADER, "%s", _("CSAT"));
    add_cell(l, x0 + 14, 7, true, TH_HEADER, "%s", _("Support"));
    add_cell(l, x0 + 22, 8, true, TH_HEADER, "%s", _("Critical"));
    add_cell(l, x0 + 31, 7, true, TH_HEADER, "%s", _("EmoNPS"));
    add_cell(l, x0 + 39, 6, true, TH_HEADER, "%s", _("Smile"));
    add_cell(l, x0 + 46, 4, true, TH_HEADER, "%s", _("Red"));
}

static void build_summary(card_view *v)
{
    char label[96], rw[64];
    const int x0 = 26;
    text_line(v, TH_GROUP, _("KPIs (as on the KPI screen)"));
    kpi_header(v, _("Period"), x0);
    int nsum = v->custom_to > v->custom_from ? 4 : 3;
    for (int i = 0; i < nsum; i++) {
        views_period p = i < 3 ? summary_periods[i] : VIEWS_PERIOD_CUSTOM;
        range_words(v, p, time_fmt_day(), rw, sizeof rw);
        snprintf(label, sizeof label, "%s%s (%s)", p == v->period ? "* " : "", period_word(p), rw);
        line *l = add_line(v, L_TEXT, 0);
        add_cell(l, 1, x0 - 2, false, p == v->period ? TH_LABEL : TH_NORMAL, "%s", label);
        kpi_cells(l, &v->summary[i], x0);
    }
}

static void sparkline(const card_data *d, card_metric m, int width, char *buf, size_t cap)
{
    static const char *const blocks[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
    static const char ascii[] = "_.-~=+*#";
    size_t n = d->ndays < (size_t)width ? d->ndays : (size_t)width;
    size_t first = d->ndays - n;
    double vals[CARD_DAYS_MAX];
    int lv[CARD_DAYS_MAX];
    for (size_t i = 0; i < n; i++)
        vals[i] = card_day_metric(&d->days[first + i], m);
    card_spark_levels(vals, n, m == CARD_M_RATINGS, lv);
    bool rich = ui_glyphs_rich();
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && o + 4 < cap; i++) {
        if (lv[i] < 0)
            buf[o++] = ' ';
        else if (rich)
            o += (size_t)snprintf(buf + o, cap - o, "%s", blocks[lv[i]]);
        else
            buf[o++] = ascii[lv[i]];
        buf[o] = '\0';
    }
}

static void metric_range(const card_data *d, card_metric m, char *buf, size_t cap)
{
    double lo = NAN, hi = NAN;
    for (size_t i = 0; i < d->ndays; i++) {
        double x = card_day_metric(&d->days[i], m);
        if (isnan(x))
            continue;
        if (isnan(lo) || x < lo)
            lo = x;
        if (isnan(hi) || x > hi)
            hi = x;
    }
    if (isnan(lo))
        snprintf(buf, cap, "-");
    else
        snprintf(buf, cap, "%.0f .. %.0f%s", lo, hi, m == CARD_M_SMILE ? "%" : "");
}

static void build_days(card_view *v, int cols)
{
    const card_data *d = &v->data;
    char b[256], rw[64];
    range_words(v, v->period, time_fmt_date(), rw, sizeof rw);
    snprintf(b, sizeof b, _("By day: %s (%s)"), period_word(v->period), rw);
    blank(v);
    text_line(v, TH_GROUP, b);
    /* sparklines first: the shape of the period at a glance */
    int sw = cols - 16 - 16;
    if (sw > (int)d->ndays)
        sw = (int)d->ndays;
    if (sw < 1)
        sw = 1;
    for (int m = 0; m < CARD_M_COUNT; m++) {
        char sp[CARD_DAYS_MAX * 4 + 8], r[48];
        sparkline(d, (card_metric)m, sw, sp, sizeof sp);
        metric_range(d, (card_metric)m, r, sizeof r);
        line *l = add_line(v, L_TEXT, 0);
        add_cell(l, 1, 13, false, TH_LABEL, "%s", _(card_metric_name((card_metric)m)));
        add_cell(l, 15, sw, false, TH_SPARKLINE, "%s", sp);
        add_cell(l, 16 + sw, 15, false, TH_DIM, "%s", r);
    }
    line *h = add_line(v, L_TEXT, 0);
    add_cell(h, 1, 6, false, TH_HEADER, "%s", _("Day"));
    add_cell(h, 8, 7, true, TH_HEADER, "%s", _("Ratings"));
    add_cell(h, 16, 4, true, TH_HEADER, "%s", _("Sup"));
    add_cell(h, 21, 4, true, TH_HEADER, "%s", _("So"));
    add_cell(h, 26, 4, true, TH_HEADER, "%s", _("Bad"));
    add_cell(h, 31, 5, true, TH_HEADER, "%s", _("CSAT"));
    add_cell(h, 37, 6, true, TH_HEADER, "%s", _("Smile"));
    add_cell(h, 44, 7, true, TH_HEADER, "%s", _("EmoNPS"));
    add_cell(h, 52, 6, true, TH_HEADER, "%s", _("Silent"));
    add_cell(h, 59, 4, true, TH_HEADER, "%s", _("Red"));
    /* newest first, like every other list of the console */
    for (size_t i = d->ndays; i-- > 0;) {
        const card_day *day = &d->days[i];
        const kpi_counts *c = &day->c;
        line *l = add_line(v, L_TEXT, 0);
        time_format_local(day->start_us + 12 * 3600LL * 1000000, time_fmt_day(), b, sizeof b);
        add_cell(l, 1, 6, false, day->any ? TH_LABEL : TH_DIM, "%s", b);
        if (!day->any) {
            add_cell(l, 8, 7, true, TH_DIM, "0");
            continue;
        }
        int64_t so = c->ratings_total - c->positive - c->negative;
        add_cell(l, 8, 7, true, TH_VALUE, "%lld", (long long)c->ratings_total);
        add_cell(l, 16, 4, true, c->positive ? TH_RATING_SUPER : TH_VALUE, "%lld",
                 (long long)c->positive);
        add_cell(l, 21, 4, true, so ? TH_RATING_SO_SO : TH_VALUE, "%lld", (long long)so);
        add_cell(l, 26, 4, true, c->negative ? TH_RATING_BAD : TH_VALUE, "%lld",
                 (long long)c->negative);
        num(day->v.csat, "%.0f", b, sizeof b);
        add_cell(l, 31, 5, true, TH_VALUE, "%s", b);
        num(day->v.smile_share * 100.0, "%.0f%%", b, sizeof b);
        add_cell(l, 37, 6, true, TH_VALUE, "%s", b);
        num(day->v.emonps, "%.0f", b, sizeof b);
        add_cell(l, 44, 7, true, TH_VALUE, "%s", b);
        add_cell(l, 52, 6, true, TH_VALUE, "%lld", (long long)c->silent);
        add_cell(l, 59, 4, true, c->red_buttons ? TH_RATING_BAD : TH_VALUE, "%lld",
                 (long long)c->red_buttons);
    }
}

static void build_calibration(card_view *v)
{
    const card_data *d = &v->data;
    cxm_rules def;
    const cxm_rules *rules = rules_of(v, &def);
    const kpi_counts *c = &d->total.c;
    char b[64];
    blank(v);
    text_line(v, TH_GROUP, _("Calibration: their ratings under each of their emotion labels, against the site's"));
    line *h = add_line(v, L_TEXT, 0);
    add_cell(h, 1, 12, false, TH_HEADER, "%s", _("Emotion"));
    int x = 14;
    int nv = c->nvalues < 3 ? c->nvalues : 3; /* the scale's first three fit at 80 columns */
    for (int i = 0; i < nv; i++, x += 9)
        add_cell(h, x, 8, true, TH_HEADER, "%s", ui_rating_word(c->rv[i].value));
    add_cell(h, x, 7, true, TH_HEADER, "%s", _("Ratings"));
    add_cell(h, x + 8, 5, true, TH_HEADER, "%s", _("CSAT"));
    add_cell(h, x + 15, 11, true, TH_HEADER, "%s", _("Site"));
    add_cell(h, x + 27, 10, true, TH_HEADER, "%s", _("Site CSAT"));
    static const emo_label order[] = {EMO_POSITIVE, EMO_MIXED, EMO_POKER, EMO_NEGATIVE,
                                      EMO_UNKNOWN};
    for (size_t e = 0; e < sizeof order / sizeof order[0]; e++) {
        emo_label lab = order[e];
        int64_t tot, pos, stot = 0, spos = 0;
        double csat = card_calibration(c, rules, lab, &tot, &pos);
        double scsat = v->data.have_site ? card_calibration(&d->site.c, rules, lab, &stot, &spos)
                                         : NAN;
        line *l = add_line(v, L_TEXT, 0);
        add_cell(l, 1, 12, false, ui_el_for_emo(lab), "%s", ui_emo_label(lab));
        x = 14;
        for (int i = 0; i < nv; i++, x += 9)
            add_cell(l, x, 8, true, TH_VALUE, "%lld", (long long)c->rv[i].by_emo[lab]);
        add_cell(l, x, 7, true, TH_VALUE, "%lld", (long long)tot);
        num(csat, "%.0f", b, sizeof b);
        add_cell(l, x + 8, 5, true, TH_VALUE, "%s", b);
        add_cell(l, x + 15, 11, true, TH_DIM, "%lld", (long long)stot);
        num(scsat, "%.0f", b, sizeof b);
        add_cell(l, x + 27, 10, true, TH_DIM, "%s", b);
    }
}

static const char *clip_word(card_view *v, const card_incident *x)
{
    if (x->has_clip)
        return ui_glyphs_rich() ? "♪" : "*";
    /* the desk recordings can cut one (DESIGN §6) */
    if (v->base.app->cfg && v->base.app->cfg->recordings && x->desk[0])
        return _("rec");
    return "-";
}

static void build_incidents(card_view *v)
{
    const card_data *d = &v->data;
    char b[256];
    blank(v);
    snprintf(b, sizeof b, _("Incidents: %zu%s (bad and so-so ratings, red buttons; Enter opens one)"),
             d->ninc, d->inc_more ? "+" : "");
    text_line(v, TH_GROUP, b);
    if (!d->ninc) {
        text_line(v, TH_DIM, _("  none in this period"));
        return;
    }
    line *h = add_line(v, L_TEXT, 0);
    add_cell(h, 1, 11, false, TH_HEADER, "%s", _("Time"));
    add_cell(h, 13, 14, false, TH_HEADER, "%s", _("Type"));
    add_cell(h, 28, 11, false, TH_HEADER, "%s", _("Rating"));
    add_cell(h, 40, 6, false, TH_HEADER, "%s", _("Empl."));
    add_cell(h, 47, 6, false, TH_HEADER, "%s", _("Cust."));
    add_cell(h, 54, 8, false, TH_HEADER, "%s", _("Desk"));
    add_cell(h, 63, 6, false, TH_HEADER, "%s", _("Clip"));
    add_cell(h, 70, 8, false, TH_HEADER, "%s", _("Alert"));
    for (size_t i = 0; i < d->ninc; i++) {
        const card_incident *x = &d->inc[i];
        line *l = add_line(v, L_INCIDENT, i);
        time_format_local(x->ts_us, time_fmt_day_time(), b, sizeof b);
        add_cell(l, 1, 11, false, TH_NORMAL, "%s", b);
        add_cell(l, 13, 14, false, x->type == EV_RED_BUTTON ? TH_RATING_BAD : TH_NORMAL, "%s",
                 ui_event_type_word(x->type));
        if (x->type == EV_RATING)
            add_cell(l, 28, 11, false, ui_el_for_polarity(x->polarity), "%s %s",
                     ui_smiley(x->polarity), ui_rating_word(x->rating));
        add_cell(l, 40, 6, false, ui_el_for_emo(x->emo_employee), "%s",
                 ui_emo_short(x->emo_employee));
        add_cell(l, 47, 6, false, ui_el_for_emo(x->emo_customer), "%s",
                 ui_emo_short(x->emo_customer));
        add_cell(l, 54, 8, false, TH_NORMAL, "%s", x->desk);
        add_cell(l, 63, 6, false, TH_VALUE, "%s", clip_word(v, x));
        if (x->in_alert)
            add_cell(l, 70, 8, false, TH_RATING_BAD, "%s", ui_glyph_bell());
    }
}

static void build_alerts(card_view *v)
{
    const card_data *d = &v->data;
    char b[256];
    blank(v);
    snprintf(b, sizeof b, _("Alerts: %zu (about them or holding their events; Enter shows the events)"),
             d->nalerts);
    text_line(v, TH_GROUP, b);
    if (!d->nalerts) {
        text_line(v, TH_DIM, _("  none in this period"));
        return;
    }
    line *h = add_line(v, L_TEXT, 0);
    add_cell(h, 1, 11, false, TH_HEADER, "%s", _("Opened"));
    add_cell(h, 13, 18, false, TH_HEADER, "%s", _("Rule"));
    add_cell(h, 32, 20, false, TH_HEADER, "%s", _("Scope"));
    add_cell(h, 53, 13, false, TH_HEADER, "%s", _("State"));
    add_cell(h, 67, 8, true, TH_HEADER, "%s", _("Events"));
    for (size_t i = 0; i < d->nalerts; i++) {
        const alert_info *a = &d->alerts[i];
        line *l = add_line(v, L_ALERT, i);
        time_format_local(a->opened_us, time_fmt_day_time(), b, sizeof b);
        add_cell(l, 1, 11, false, TH_NORMAL, "%s", b);
        add_cell(l, 13, 18, false, TH_NORMAL, "%s", a->rule);
        add_cell(l, 32, 20, false, TH_NORMAL, "%s", a->scope_name[0] ? a->scope_name : a->scope_key);
        add_cell(l, 53, 13, false, a->state == ALERT_OPEN ? TH_RATING_BAD : TH_NORMAL, "%s",
                 ui_alert_state_word(a->state));
        add_cell(l, 67, 8, true, TH_VALUE, "%d", a->nevents);
    }
}

static void build(card_view *v, int cols)
{
    char sel_id[EVENT_ID_MAX + 24] = "";
    if (v->sel >= 0 && (size_t)v->sel < v->nlines) {
        const line *l = &v->lines[v->sel];
        snprintf(sel_id, sizeof sel_id, "%d:%zu", l->kind, l->idx);
    }
    v->nlines = 0;
    v->cols_built = cols;
    if (!v->have_data)
        return;
    build_summary(v);
    build_days(v, cols);
    build_calibration(v);
    build_incidents(v);
    build_alerts(v);
    /* keep the selection on the same row kind and index (or the first one) */
    long first = -1, keep = -1;
    for (size_t i = 0; i < v->nlines; i++) {
        if (v->lines[i].kind == L_TEXT)
            continue;
        char id[EVENT_ID_MAX + 24];
        snprintf(id, sizeof id, "%d:%zu", v->lines[i].kind, v->lines[i].idx);
        if (first < 0)
            first = (long)i;
        if (sel_id[0] && !strcmp(id, sel_id))
            keep = (long)i;
    }
    v->sel = keep >= 0 ? keep : first;
}

/* ---- drawing ---------------------------------------------------------------- */

static void draw_header(card_view *v, WINDOW *w, int wd)
{
    const card_who *c = &v->who;
    char line1[1024], emo[128] = "", when[32];
    if (c->emo_now != EMO_UNKNOWN) {
        time_format_local(c->emo_ts, time_fmt_day_time(), when, sizeof when);
        snprintf(emo, sizeof emo, "%s %s (%s)", ui_glyphs_rich() ? "●" : "*",
                 ui_emo_label(c->emo_now), when);
    } else {
        snprintf(emo, sizeof emo, "%s", _("no emotion yet"));
    }
    snprintf(line1, sizeof line1, "%s  |  %s / %s  |  ", c->name[0] ? c->name : c->employee_id,
             c->location_name[0] ? c->location_name : c->location_id[0] ? c->location_id : "-",
             c->desk[0] ? c->desk : "-");
    int x = ui_put(w, 0, 0, line1, wd, TH_TITLE, false);
    x += ui_put(w, 0, x, emo, wd - x, ui_el_for_emo(c->emo_now), false);
    if (x < wd)
        ui_put(w, 0, x, "", wd - x, TH_TITLE, true);
    char k_per[32], k_rng[32], k_str[32], k_open[32], hint[512];
    ui_keymap_keys(ACT_PERIOD_CYCLE, k_per, sizeof k_per);
    ui_keymap_keys(ACT_PERIOD_CUSTOM, k_rng, sizeof k_rng);
    ui_keymap_keys(ACT_CARD_STREAM, k_str, sizeof k_str);
    ui_keymap_keys(ACT_OPEN, k_open, sizeof k_open);
    snprintf(hint, sizeof hint, _("%s: period, %s: range, %s: their events in the stream, %s: open the incident or alert"),
             k_per, k_rng, k_str, k_open);
    ui_put(w, 1, 0, hint, wd, TH_DIM, true);
}

static void card_draw(ui_view *base, WINDOW *w)
{
    card_view *v = (card_view *)base;
    int h = getmaxy(w), wd = getmaxx(w);
    if (v->stale)
        reload(v);
    if (v->cols_built != wd)
        build(v, wd);
    werase(w);
    draw_header(v, w, wd);
    if (!v->known) {
        ui_put(w, 3, 2, _("This employee has no events in the database."), wd - 2, TH_NORMAL, false);
        return;
    }
    v->page = h - 2 > 1 ? h - 2 : 1;
    if (v->top + (size_t)v->page > v->nlines)
        v->top = v->nlines > (size_t)v->page ? v->nlines - (size_t)v->page : 0;
    for (int y = 2; y < h; y++) {
        size_t i = v->top + (size_t)(y - 2);
        if (i >= v->nlines)
            break;
        const line *l = &v->lines[i];
        bool sel = (long)i == v->sel;
        if (sel)
            ui_put(w, y, 0, "", wd, TH_SELECTED, true);
        else if (l->el != TH_NORMAL)
            ui_put(w, y, 0, "", wd, l->el, true);
        for (int k = 0; k < l->ncell; k++) {
            const cell *c = &l->c[k];
            int cw = l->full || c->w <= 0 ? wd - c->x : c->w;
            if (c->x >= wd)
                break;
            if (c->x + cw > wd)
                cw = wd - c->x;
            ui_el el = sel ? TH_SELECTED : c->el;
            if (c->right)
                ui_put_right(w, y, c->x, c->text, cw, el);
            else
                ui_put(w, y, c->x, c->text, cw, el, l->full);
        }
    }
}

/* ---- keys ------------------------------------------------------------------- */

static void show_sel(card_view *v)
{
    if (v->sel < 0)
        return;
    size_t s = (size_t)v->sel;
    if (s < v->top)
        v->top = s;
    else if (s >= v->top + (size_t)v->page)
        v->top = s - (size_t)v->page + 1;
}

static long next_sel(card_view *v, long from, int dir)
{
    for (long i = from + dir; i >= 0 && (size_t)i < v->nlines; i += dir)
        if (v->lines[i].kind != L_TEXT)
            return i;
    return -1;
}

/* After a scroll: keep the selection on screen when a selectable line is. */
static void sel_into_view(card_view *v)
{
    if (v->sel >= 0 && (size_t)v->sel >= v->top && (size_t)v->sel < v->top + (size_t)v->page)
        return;
    for (size_t i = v->top; i < v->top + (size_t)v->page && i < v->nlines; i++)
        if (v->lines[i].kind != L_TEXT) {
            v->sel = (long)i;
            return;
        }
}

static void range_done(void *ud, const char *text, bool accepted)
{
    card_view *v = ud;
    if (!accepted)
        return;
    char a[64], b[64];
    int64_t from, to;
    if (sscanf(text, "%63s %63s", a, b) != 2 || time_parse_cli(a, &from) != 0 ||
        time_parse_cli(b, &to) != 0) {
        ui_message(v->base.app, UI_MSG_ERROR, _("Expected two dates: FROM TO (DD.MM.YYYY, YYYY-MM-DD or RFC 3339)"));
        return;
    }
    if (strlen(b) == 10) /* a bare date as the end means the whole of that day */
        to = time_local_midnight(to, 1);
    if (to <= from) {
        ui_message(v->base.app, UI_MSG_ERROR, "%s", _("The end must be after the start"));
        return;
    }
    v->custom_from = from;
    v->custom_to = to;
    v->period = VIEWS_PERIOD_CUSTOM;
    v->stale = true;
    v->base.dirty = true;
}

static void ask_range(card_view *v)
{
    char init[64], a[16], b[16];
    int64_t from, to;
    range_of(v, v->period, &from, &to);
    time_format_local(from, time_fmt_date(), a, sizeof a);
    time_format_local(to - 1, time_fmt_date(), b, sizeof b);
    snprintf(init, sizeof init, "%s %s", a, b);
    ui_prompt(v->base.app, _("Range FROM TO: "), init, NULL, range_done, v);
}

static void open_selected(card_view *v)
{
    if (v->sel < 0 || (size_t)v->sel >= v->nlines)
        return;
    const line *l = &v->lines[v->sel];
    ui_app *app = v->base.app;
    if (l->kind == L_INCIDENT && l->idx < v->data.ninc)
        ui_push(app, ui_detail_new(app, v->data.inc[l->idx].event_id));
    else if (l->kind == L_ALERT && l->idx < v->data.nalerts)
        ui_push(app, ui_alert_events_new(app, v->data.alerts[l->idx].id));
}

static int card_action(ui_view *base, int action, int key)
{
    card_view *v = (card_view *)base;
    ui_app *app = base->app;
    size_t page = v->page > 1 ? (size_t)v->page - 1 : 1;
    long n;
    (void)key;
    switch (action) {
    case ACT_BACK:
        return UI_HANDLED | UI_BACK;
    case ACT_UP:
        if ((n = next_sel(v, v->sel, -1)) >= 0) {
            v->sel = n;
            show_sel(v);
        } else if (v->top) {
            v->top--;
        }
        break;
    case ACT_DOWN:
        if ((n = next_sel(v, v->sel, 1)) >= 0) {
            v->sel = n;
            show_sel(v);
        } else {
            v->top++;
        }
        break;
    case ACT_PAGE_UP:
        v->top = v->top > page ? v->top - page : 0;
        sel_into_view(v);
        break;
    case ACT_PAGE_DOWN:
        v->top += page;
        if (v->top + (size_t)v->page > v->nlines)
            v->top = v->nlines > (size_t)v->page ? v->nlines - (size_t)v->page : 0;
        sel_into_view(v);
        break;
    case ACT_HOME:
        v->top = 0;
        v->sel = next_sel(v, -1, 1);
        break;
    case ACT_END:
        v->top = v->nlines;
        v->sel = next_sel(v, (long)v->nlines, -1);
        show_sel(v);
        v->top = v->nlines > (size_t)v->page ? v->nlines - (size_t)v->page : 0;
        break;
    case ACT_OPEN:
        open_selected(v);
        break;
    case ACT_PLAY_CLIP:
        if (v->sel >= 0 && v->lines[v->sel].kind == L_INCIDENT)
            ui_audio_play_event(app, v->data.inc[v->lines[v->sel].idx].event_id);
        break;
    case ACT_PERIOD_CYCLE:
        if (v->period == VIEWS_PERIOD_30D && !v->custom_to) {
            ask_range(v);
            break;
        }
        v->period = (views_period)((v->period + 1) % 4);
        v->stale = true;
        break;
    case ACT_PERIOD_CUSTOM:
        ask_range(v);
        break;
    case ACT_CARD_STREAM:
        /* the switch closes this card: touch nothing of it afterwards (no
         * UI_REDRAW, which would mark it dirty); the stream is marked */
        ui_stream_focus_employee(app, v->emp, v->who.name);
        return UI_HANDLED;
    default:
        return UI_IGNORED;
    }
    return UI_HANDLED | UI_REDRAW;
}

static void on_refresh_timer(void *ud)
{
    card_view *v = ud;
    v->refresh_timer = 0;
    v->stale = true;
    v->base.dirty = true;
}

/* Their events and their site's (the calibration compares with it) make the
 * card stale; the reload waits a second after the last one. */
static void card_on_events(ui_view *base, const event *evs, size_t n)
{
    card_view *v = (card_view *)base;
    bool ours = evs == NULL;
    for (size_t i = 0; i < n && !ours; i++)
        ours = (evs[i].employee_id && !strcmp(evs[i].employee_id, v->emp)) ||
               (evs[i].location_id && v->who.location_id[0] &&
                !strcmp(evs[i].location_id, v->who.location_id) && evs[i].type != EV_HEARTBEAT);
    if (!ours || v->refresh_timer)
        return;
    int64_t since_ms = (time_mono_us() - v->last_load_us) / 1000;
    if (since_ms >= REFRESH_MIN_MS) {
        v->stale = true;
        base->dirty = true;
    } else {
        v->refresh_timer =
            loop_timer_add(base->app->lp, REFRESH_MIN_MS - since_ms, on_refresh_timer, v);
    }
}

static void card_restyle(ui_view *base)
{
    card_view *v = (card_view *)base;
    v->cols_built = -1; /* the words are in the lines */
}

static void card_close(ui_view *base)
{
    card_view *v = (card_view *)base;
    if (v->refresh_timer)
        loop_timer_cancel(base->app->lp, v->refresh_timer);
    if (v->have_data)
        card_data_free(&v->data);
    free(v->lines);
    free(v);
}

static const ui_view_ops card_ops = {
    .name = N_("Employee card"),
    .ctx = UI_CTX_CARD | UI_CTX_KPI | UI_CTX_LIST,
    .draw = card_draw,
    .on_action = card_action,
    .on_events = card_on_events,
    .on_restyle = card_restyle,
    .close = card_close,
};

ui_view *ui_card_new(ui_app *app, const char *employee_id)
{
    card_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base.ops = &card_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->stale = true;
    v->sel = -1;
    v->cols_built = -1;
    v->period = VIEWS_PERIOD_7D;
    v->k = app->cfg && app->cfg->kpi_k >= 0.2 && app->cfg->kpi_k <= 1.0 ? app->cfg->kpi_k : 0.5;
    ui_copy_text(v->emp, sizeof v->emp, employee_id);
    return &v->base;
}

void ui_card_open(ui_app *app, const char *employee_id)
{
    if (!employee_id || !employee_id[0]) {
        ui_message(app, UI_MSG_HINT, "%s", _("No employee on this row"));
        return;
    }
    ui_push(app, ui_card_new(app, employee_id));
}
