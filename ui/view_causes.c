/* The causes report (issue 12): for a period and a grouping, the incidents,
 * how many were reviewed, the Pareto table of the causes of done checklists
 * with a bar each and the 80 % line, staff-related against not, and the
 * growth points (the top causes of delight). Enter on a cause lists its
 * incidents (time, place, employee, where the cause was heard); there `P`
 * plays an incident's main clip at once and Enter opens the event with its
 * player panel (every clip of it); `e` / `X` export
 * the report as CSV / Excel CSV through the one CSV writer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/causes.h"
#include "cxm/csv.h"
#include "cxm/review.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "audio.h"
#include "table.h"
#include "ui.h"
#include "uikeys.h"
#include "view_checklist.h"

#define BAR_MAX 24
#define GROWTH_MAX 3

enum { CP_ALL, CP_TODAY, CP_7D, CP_30D, CP_N };

typedef struct {
    int row;   /* index into rows */
    int cause; /* index into rows[row].causes, -1 for the group's heading */
} cline;

typedef struct {
    ui_view base;
    int period, by, ck;
    causes_row *rows;
    size_t n;
    causes_row *growth; /* the delight checklist over the same period, --by all */
    size_t ngrowth;
    cline *lines;
    size_t nlines, cur, top;
    bool stale;
    unsigned seen;
} causes_view;

static const checklist *dis_checklist(causes_view *v)
{
    const checklist_set *set = ui_checklists();
    size_t k = 0;
    for (size_t i = 0; i < set->n; i++)
        if (set->v[i]->purpose == CK_DISSATISFACTION && k++ == (size_t)v->ck)
            return set->v[i];
    v->ck = 0;
    for (size_t i = 0; i < set->n; i++)
        if (set->v[i]->purpose == CK_DISSATISFACTION)
            return set->v[i];
    return set->n ? set->v[0] : NULL;
}

static const checklist *delight_checklist(void)
{
    const checklist_set *set = ui_checklists();
    const checklist *d = checklist_find(set, "delight");
    for (size_t i = 0; !d && i < set->n; i++)
        if (set->v[i]->purpose == CK_DELIGHT)
            d = set->v[i];
    return d;
}

static void query_of(causes_view *v, causes_query *q)
{
    int64_t now = v->base.app->now_us ? v->base.app->now_us : time_now_us();
    memset(q, 0, sizeof *q);
    q->from_us = INT64_MIN;
    q->to_us = INT64_MAX;
    q->by = (causes_by)v->by;
    if (v->period == CP_TODAY)
        q->from_us = time_local_midnight(now, 0);
    else if (v->period == CP_7D)
        q->from_us = time_local_midnight(now, -6);
    else if (v->period == CP_30D)
        q->from_us = time_local_midnight(now, -29);
}

static void reload(causes_view *v)
{
    ui_app *app = v->base.app;
    causes_free(v->rows, v->n);
    causes_free(v->growth, v->ngrowth);
    free(v->lines);
    v->rows = v->growth = NULL;
    v->lines = NULL;
    v->n = v->ngrowth = v->nlines = 0;
    v->stale = false;
    v->seen = ui_checklists_changes();
    const checklist *c = dis_checklist(v), *d = delight_checklist();
    if (!c || !app->st)
        return;
    causes_query q;
    query_of(v, &q);
    char err[256];
    if (causes_run(app->st, c, &q, &v->rows, &v->n, err, sizeof err) != 0)
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), err);
    if (d) {
        q.by = CAUSES_BY_ALL;
        causes_run(app->st, d, &q, &v->growth, &v->ngrowth, err, sizeof err);
    }
    size_t cap = v->n;
    for (size_t i = 0; i < v->n; i++)
        cap += v->rows[i].ncauses;
    if (cap && !(v->lines = calloc(cap, sizeof *v->lines)))
        return;
    for (size_t i = 0; i < v->n; i++) {
        v->lines[v->nlines++] = (cline){(int)i, -1};
        for (size_t j = 0; j < v->rows[i].ncauses; j++)
            v->lines[v->nlines++] = (cline){(int)i, (int)j};
    }
    if (v->cur >= v->nlines)
        v->cur = v->nlines ? v->nlines - 1 : 0;
}

static const char *by_word(int by)
{
    static const char *const w[] = {N_("all"), N_("location"), N_("desk"), N_("employee")};
    return _(w[by]);
}

static const char *period_word(int p)
{
    static const char *const w[CP_N] = {N_("all time"), N_("today"), N_("7 days"), N_("30 days")};
    return _(w[p]);
}

static const char *title_of(const checklist *c, const causes_cause *k)
{
    return k->item >= 0 ? checklist_title(c->items[k->item].title_en, c->items[k->item].title_ru)
                        : k->id;
}

static void causes_draw(ui_view *base, WINDOW *w)
{
    causes_view *v = (causes_view *)base;
    int h = getmaxy(w), cols = getmaxx(w);
    if (v->stale || v->seen != ui_checklists_changes())
        reload(v);
    werase(w);
    const checklist *c = dis_checklist(v);
    char line[1024];
    if (!c) {
        ui_put(w, 1, 1, _("No checklist definitions were found (see CHECKLISTS in the manual)."),
               cols - 1, TH_NORMAL, true);
        return;
    }
    snprintf(line, sizeof line, _("%s — period: %s, by %s"), checklist_title(c->title_en, c->title_ru),
             period_word(v->period), by_word(v->by));
    ui_put(w, 0, 1, line, cols - 1, TH_TITLE, true);
    char k_t[32], k_b[32], k_e[32], k_x[32], k_o[32];
    ui_keymap_keys(ACT_CAUSES_PERIOD, k_t, sizeof k_t);
    ui_keymap_keys(ACT_CAUSES_BY, k_b, sizeof k_b);
    ui_keymap_keys(ACT_CAUSES_EXPORT, k_e, sizeof k_e);
    ui_keymap_keys(ACT_CAUSES_EXCEL, k_x, sizeof k_x);
    ui_keymap_keys(ACT_OPEN, k_o, sizeof k_o);
    snprintf(line, sizeof line, _("%s: its incidents; %s: period; %s: group by; %s: CSV; %s: Excel"), k_o,
             k_t, k_b, k_e, k_x);
    ui_put(w, 1, 1, line, cols - 1, TH_DIM, true);
    int y = 2;
    /* growth points: what customers praise most */
    if (v->ngrowth && v->growth[0].ncauses && y < h) {
        const checklist *d = delight_checklist();
        size_t len = (size_t)snprintf(line, sizeof line, "%s ", _("Growth points:"));
        for (size_t j = 0; j < v->growth[0].ncauses && j < GROWTH_MAX && len < sizeof line; j++)
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%s (%lld)", j ? ", " : "",
                                    title_of(d, &v->growth[0].causes[j]),
                                    (long long)v->growth[0].causes[j].count);
        ui_put(w, y++, 1, line, cols - 1, TH_EMO_POSITIVE, true);
    }
    if (!v->nlines) {
        ui_put(w, y + 1, 1, _("(no incidents in the period)"), cols - 1, TH_NORMAL, true);
        return;
    }
    int body = h - y;
    if (body < 1)
        return;
    if (v->cur < v->top)
        v->top = v->cur;
    if (v->cur >= v->top + (size_t)body)
        v->top = v->cur - (size_t)body + 1;
    int tw = cols - 40 - BAR_MAX;
    if (tw < 12)
        tw = 12;
    for (size_t i = v->top; i < v->nlines && y < h; i++, y++) {
        const cline *l = &v->lines[i];
        const causes_row *r = &v->rows[l->row];
        bool sel = i == v->cur;
        if (l->cause < 0) {
            snprintf(line, sizeof line,
                     _("%s: incidents %lld, reviewed %lld, no cause %lld; staff-related %lld, not %lld"),
                     v->by == CAUSES_BY_ALL ? _("All") : (r->name[0] ? r->name : r->key),
                     (long long)r->incidents, (long long)r->reviewed, (long long)r->no_cause,
                     (long long)r->staff_related, (long long)r->not_staff_related);
            ui_put(w, y, 1, line, cols - 1, sel ? TH_SELECTED : TH_GROUP, true);
            continue;
        }
        const causes_cause *k = &r->causes[l->cause];
        bool line80 = !k->bottleneck && (l->cause == 0 || r->causes[l->cause - 1].bottleneck);
        if (line80 && y < h - 1) {
            ui_put(w, y++, 3, _("---- 80 % ----"), cols - 3, TH_DIM, true);
            if (y >= h)
                break;
        }
        char title[512], nums[64], bar[BAR_MAX * 3 + 1];
        text_fit(title_of(c, k), strlen(title_of(c, k)), tw, true, title, sizeof title);
        snprintf(nums, sizeof nums, " %5lld %5.1f%% %5.1f%% %s ", (long long)k->count, k->share * 100,
                 k->cumulative * 100, k->staff_related ? _("staff") : "     ");
        int nb = (int)(k->share * BAR_MAX + 0.5);
        if (nb < 1)
            nb = 1;
        size_t bl = 0;
        for (int b = 0; b < nb; b++)
            bl += (size_t)snprintf(bar + bl, sizeof bar - bl, "%s", base->app->utf8 ? "\u2588" : "#");
        snprintf(line, sizeof line, "%s %s%s", k->bottleneck ? "*" : " ", title, nums);
        ui_el el = sel ? TH_SELECTED : k->bottleneck ? TH_RATING_BAD : TH_NORMAL;
        int used = ui_put(w, y, 2, line, cols - 2 - BAR_MAX, el, false);
        ui_put(w, y, 2 + used, bar, cols - 2 - used, TH_BAR, false);
    }
}

/* ---- drill-down: the incidents of one cause ---- */

typedef struct {
    ui_view base;
    ui_table tab;
    causes_incident *rows;
    size_t n;
    char title[300];
} drill_view;

enum { DC_TIME, DC_PLACE, DC_EMPLOYEE, DC_AT, DC_PRIMARY, DC_EVENT, DC_N };
static const ui_column drill_cols[DC_N] = {
    {N_("Time"), 16, 0, false, 0},
    {N_("Place"), 0, 16, false, 0},
    {N_("Employee"), 0, 12, false, 0},
    {N_("Heard at"), 9, 0, false, 0},
    {N_("Primary"), 8, 0, false, 0},
    {N_("Event"), 0, 12, false, 0},
};

static bool d_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    drill_view *v = ud;
    (void)el;
    if (row >= v->n)
        return false;
    const causes_incident *x = &v->rows[row];
    switch (col) {
    case DC_TIME:
        time_format_local(x->ts_us, "%Y-%m-%d %H:%M", buf, cap);
        break;
    case DC_PLACE:
        snprintf(buf, cap, "%s%s%s", x->location, x->desk[0] ? " / " : "", x->desk);
        break;
    case DC_EMPLOYEE:
        snprintf(buf, cap, "%s", x->employee);
        break;
    case DC_AT:
        review_stamp_format(x->at_ms, v->base.app->utf8, buf, cap);
        if (!buf[0])
            snprintf(buf, cap, "-");
        break;
    case DC_PRIMARY:
        snprintf(buf, cap, "%s", x->primary ? _("yes") : "");
        break;
    case DC_EVENT:
        snprintf(buf, cap, "%s", x->event_id);
        break;
    }
    return true;
}

static const ui_table_ops drill_table_ops = {.cell = d_cell};

static void drill_draw(ui_view *base, WINDOW *w)
{
    drill_view *v = (drill_view *)base;
    werase(w);
    ui_put(w, 0, 1, v->title, getmaxx(w) - 1, TH_TITLE, true);
    ui_table_draw(&v->tab, w, 1, 0, getmaxy(w) - 1, getmaxx(w));
}

static int drill_action(ui_view *base, int action, int key)
{
    drill_view *v = (drill_view *)base;
    (void)key;
    if (action == ACT_BACK)
        return UI_HANDLED | UI_BACK;
    if (action == ACT_OPEN && v->n) {
        ui_push(base->app, ui_detail_new(base->app, v->rows[ui_table_selected(&v->tab)].event_id));
        return UI_HANDLED | UI_REDRAW;
    }
    if (action == ACT_PLAY_CLIP && v->n) {
        ui_audio_play_event(base->app, v->rows[ui_table_selected(&v->tab)].event_id);
        return UI_HANDLED | UI_REDRAW;
    }
    return ui_table_action(&v->tab, action);
}

static void drill_close(ui_view *base)
{
    drill_view *v = (drill_view *)base;
    free(v->rows);
    free(v);
}

static const ui_view_ops drill_ops = {
    .name = N_("Incidents of a cause"),
    .ctx = UI_CTX_CAUSES | UI_CTX_LIST, /* P plays, as in the other lists */
    .draw = drill_draw,
    .on_action = drill_action,
    .close = drill_close,
};

static void drill(causes_view *v)
{
    if (!v->nlines)
        return;
    const cline *l = &v->lines[v->cur];
    if (l->cause < 0)
        return;
    const checklist *c = dis_checklist(v);
    const causes_row *r = &v->rows[l->row];
    const causes_cause *k = &r->causes[l->cause];
    drill_view *d = calloc(1, sizeof *d);
    if (!d)
        return;
    causes_query q;
    query_of(v, &q);
    char err[256];
    if (causes_incidents(v->base.app->st, c, &q, r->key, k->id, &d->rows, &d->n, err, sizeof err)) {
        ui_message(v->base.app, UI_MSG_ERROR, _("Database error: %s"), err);
        free(d);
        return;
    }
    d->base.ops = &drill_ops;
    d->base.app = v->base.app;
    d->base.dirty = true;
    snprintf(d->title, sizeof d->title, _("%s: %zu incidents (P: play the clip; Enter: the event and its clips)"),
             title_of(c, k), d->n);
    ui_table_init(&d->tab, drill_cols, DC_N, &drill_table_ops, d);
    ui_table_set_owner(&d->tab, &d->base, "cause-incidents"); /* w / W export the list */
    ui_table_set_rows(&d->tab, d->n);
    ui_push(v->base.app, &d->base);
}

/* ---- export ---- */

static bool export_excel;

static void export_done(void *ud, const char *path, bool accepted)
{
    causes_view *v = ud;
    if (!accepted || !path || !*path)
        return;
    FILE *f = fopen(path, "wx");
    if (!f) {
        ui_message(v->base.app, UI_MSG_ERROR, _("Cannot write %s (it may exist already)"), path);
        return;
    }
    const checklist *c = dis_checklist(v);
    csv_writer cw;
    csv_options co = {.excel = export_excel, .decimal_comma = export_excel && i18n_get_lang() == LANG_RU};
    csv_begin(&cw, f, &co);
    const char *hdr[] = {"key", "name", "incidents", "reviewed", "no_cause", "cause", "title",
                         "section", "staff_related", "count", "share", "cumulative", "bottleneck",
                         "primary"};
    for (size_t i = 0; i < sizeof hdr / sizeof hdr[0]; i++)
        csv_text(&cw, hdr[i]);
    csv_end_row(&cw);
    for (size_t i = 0; i < v->n; i++)
        for (size_t j = 0; j < v->rows[i].ncauses; j++) {
            const causes_row *r = &v->rows[i];
            const causes_cause *k = &r->causes[j];
            csv_text(&cw, r->key);
            csv_text(&cw, v->by == CAUSES_BY_ALL ? _("All") : r->name);
            csv_int(&cw, (long long)r->incidents);
            csv_int(&cw, (long long)r->reviewed);
            csv_int(&cw, (long long)r->no_cause);
            csv_text(&cw, k->id);
            csv_text(&cw, title_of(c, k));
            csv_text(&cw, k->section >= 0 ? c->sections[k->section].id : "");
            csv_text(&cw, k->staff_related ? "true" : "false");
            csv_int(&cw, (long long)k->count);
            csv_num(&cw, k->share);
            csv_num(&cw, k->cumulative);
            csv_text(&cw, k->bottleneck ? "true" : "false");
            csv_int(&cw, (long long)k->primary);
            csv_end_row(&cw);
        }
    int bad = csv_end(&cw);
    if (fclose(f) != 0 || bad)
        ui_message(v->base.app, UI_MSG_ERROR, _("Cannot write %s"), path);
    else
        ui_message(v->base.app, UI_MSG_INFO, _("Saved %s"), path);
}

static void ask_export(causes_view *v, bool excel)
{
    char name[1024], day[16];
    time_format_local(time_now_us(), "%Y%m%d-%H%M", day, sizeof day);
    /* where the other tables' exports go, so the user finds them together */
    snprintf(name, sizeof name, "%s/causes-%s%s.csv", ui_export_dir(), day, excel ? "-excel" : "");
    export_excel = excel;
    ui_prompt(v->base.app, excel ? _("Export for Excel to file:") : _("Export CSV to file:"), name,
              NULL, export_done, v);
}

static int causes_action(ui_view *base, int action, int key)
{
    causes_view *v = (causes_view *)base;
    (void)key;
    switch (action) {
    case ACT_UP:
        if (v->cur)
            v->cur--;
        return UI_HANDLED | UI_REDRAW;
    case ACT_DOWN:
        if (v->cur + 1 < v->nlines)
            v->cur++;
        return UI_HANDLED | UI_REDRAW;
    case ACT_HOME:
        v->cur = 0;
        return UI_HANDLED | UI_REDRAW;
    case ACT_END:
        v->cur = v->nlines ? v->nlines - 1 : 0;
        return UI_HANDLED | UI_REDRAW;
    case ACT_OPEN:
        drill(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_CAUSES_PERIOD:
        v->period = (v->period + 1) % CP_N;
        break;
    case ACT_CAUSES_BY:
        v->by = (v->by + 1) % 4;
        v->cur = 0;
        break;
    case ACT_CAUSES_EXPORT:
    case ACT_CAUSES_EXCEL:
        ask_export(v, action == ACT_CAUSES_EXCEL);
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_IGNORED;
    }
    v->stale = true;
    return UI_HANDLED | UI_REDRAW;
}

static void causes_on_events(ui_view *base, const event *evs, size_t n)
{
    (void)n;
    if (!evs) { /* another console saved: the numbers moved */
        ((causes_view *)base)->stale = true;
        base->dirty = true;
    }
}

static void causes_close(ui_view *base)
{
    causes_view *v = (causes_view *)base;
    causes_free(v->rows, v->n);
    causes_free(v->growth, v->ngrowth);
    free(v->lines);
    free(v);
}

static const ui_view_ops causes_ops = {
    .name = N_("Causes"),
    .ctx = UI_CTX_CAUSES | UI_CTX_LIST,
    .draw = causes_draw,
    .on_action = causes_action,
    .on_events = causes_on_events,
    .close = causes_close,
};

ui_view *ui_causes_new(ui_app *app)
{
    causes_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base.ops = &causes_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->stale = true;
    return &v->base;
}
