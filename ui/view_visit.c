/* The events of one visit (view_visit.h). A visit is short (an arrival, a
 * rating, emotions, a clip, perhaps a red button), so its rows are read
 * whole; new events of the visit reread them. */
#include "view_visit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "table.h"
#include "uikeys.h"
#include "views_ui.h"

#define VISIT_ROWS_MAX 500

enum { VC_TIME, VC_TYPE, VC_RATING, VC_DESK, VC_EMP, VC_EEMO, VC_CEMO, VC_ID, VC_N };
static const ui_column visit_cols[VC_N] = {
    {N_("Time"), 8, 0, false, 0},      {N_("Type"), 12, 0, false, 0},
    {N_("Rating"), 10, 0, false, 0},   {N_("Desk"), 8, 0, false, 0},
    {N_("Employee"), 0, 12, false, 0}, {N_("Empl."), 6, 0, false, 0},
    {N_("Cust."), 6, 0, false, 100},   {N_("Event"), 0, 12, false, 0},
};

typedef struct {
    ui_view base;
    ui_table tab;
    views *q;
    char location[VIEWS_ID_MAX], visit[VIEWS_ID_MAX];
    char from[EVENT_ID_MAX + 1]; /* the event whose detail opened this */
    views_row *rows;
    size_t n;
    bool stale, placed;
} visit_view;

static bool vv_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    visit_view *v = ud;
    if (row >= v->n)
        return false;
    const views_row *r = &v->rows[row];
    switch (col) {
    case VC_TIME:
        time_format_local(r->key.ts_us, "%H:%M:%S", buf, cap);
        break;
    case VC_TYPE:
        snprintf(buf, cap, "%s", ui_event_type_word(r->type));
        if (r->type == EV_RED_BUTTON || r->type == EV_FORCE_MAJEURE)
            *el = TH_RATING_BAD;
        break;
    case VC_RATING:
        if (r->type == EV_RATING) {
            snprintf(buf, cap, "%s %s", ui_smiley(r->polarity), ui_rating_word(r->rating));
            *el = ui_el_for_polarity(r->polarity);
        }
        break;
    case VC_DESK:
        snprintf(buf, cap, "%s", r->desk);
        break;
    case VC_EMP:
        snprintf(buf, cap, "%s", r->employee_name[0] ? r->employee_name : r->employee_id);
        break;
    case VC_EEMO:
        snprintf(buf, cap, "%s", ui_emo_short(r->emo_employee));
        break;
    case VC_CEMO:
        snprintf(buf, cap, "%s", ui_emo_short(r->emo_customer));
        break;
    case VC_ID:
        snprintf(buf, cap, "%s", r->id);
        break;
    }
    return true;
}

/* The event we came from stands out (the selection may move off it). */
static int vv_row_el(void *ud, size_t row)
{
    visit_view *v = ud;
    return row < v->n && !strcmp(v->rows[row].id, v->from) ? TH_HIGHLIGHT_NEW : -1;
}

static const ui_table_ops visit_table_ops = {.cell = vv_cell, .row_el = vv_row_el};

static void reload(visit_view *v)
{
    char keep[EVENT_ID_MAX + 1];
    size_t sel = ui_table_selected(&v->tab);
    snprintf(keep, sizeof keep, "%s", v->placed && sel < v->n ? v->rows[sel].id : v->from);
    int got = views_visit_rows(v->q, v->location, v->visit, v->rows, VISIT_ROWS_MAX);
    if (got < 0) {
        ui_message(v->base.app, UI_MSG_ERROR, _("Database error: %s"), views_errmsg(v->q));
        got = 0;
    }
    v->n = (size_t)got;
    v->stale = false;
    ui_table_set_rows(&v->tab, v->n);
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->rows[i].id, keep))
            ui_table_select(&v->tab, i);
    v->placed = true;
}

static void visit_draw(ui_view *base, WINDOW *w)
{
    visit_view *v = (visit_view *)base;
    int h = getmaxy(w), wd = getmaxx(w);
    if (v->stale)
        reload(v);
    werase(w);
    char line[512], k_open[32], k_back[32];
    const char *place = v->n && v->rows[0].location_name[0] ? v->rows[0].location_name : v->location;
    ui_keymap_keys(ACT_OPEN, k_open, sizeof k_open);
    ui_keymap_keys(ACT_BACK, k_back, sizeof k_back);
    snprintf(line, sizeof line, _("Visit %s at %s: %zu events. %s: open one; %s: back"), v->visit,
             place, v->n, k_open, k_back);
    ui_put(w, 0, 0, line, wd, TH_TITLE, true);
    ui_table_draw(&v->tab, w, 1, 0, h - 1, wd);
}

static int visit_action(ui_view *base, int action, int key)
{
    visit_view *v = (visit_view *)base;
    (void)key;
    size_t sel = ui_table_selected(&v->tab);
    switch (action) {
    case ACT_BACK:
        return UI_HANDLED | UI_BACK;
    case ACT_OPEN:
        if (sel < v->n)
            ui_push(base->app, ui_detail_new(base->app, v->rows[sel].id));
        return UI_HANDLED | UI_REDRAW;
    default:
        return ui_table_action(&v->tab, action);
    }
}

static void visit_on_events(ui_view *base, const event *evs, size_t n)
{
    visit_view *v = (visit_view *)base;
    for (size_t i = 0; i < n; i++)
        if (evs[i].visit && !strcmp(evs[i].visit, v->visit) && evs[i].location_id &&
            !strcmp(evs[i].location_id, v->location)) {
            v->stale = true;
            base->dirty = true;
            return;
        }
    if (!evs) { /* another writer: it may have added to the visit */
        v->stale = true;
        base->dirty = true;
    }
}

static void visit_close(ui_view *base)
{
    visit_view *v = (visit_view *)base;
    views_free(v->q);
    free(v->rows);
    free(v);
}

static const ui_view_ops visit_ops = {
    .name = N_("Visit"),
    .ctx = UI_CTX_LIST,
    .draw = visit_draw,
    .on_action = visit_action,
    .on_events = visit_on_events,
    .close = visit_close,
};

ui_view *ui_visit_new(ui_app *app, const char *location_id, const char *visit, const char *from_id)
{
    visit_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->rows = calloc(VISIT_ROWS_MAX, sizeof *v->rows);
    v->q = views_new(app->st, app->cfg ? &app->cfg->rules : NULL);
    if (!v->rows || !v->q) {
        views_free(v->q);
        free(v->rows);
        free(v);
        return NULL;
    }
    v->base.ops = &visit_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->stale = true;
    snprintf(v->location, sizeof v->location, "%s", location_id ? location_id : "");
    snprintf(v->visit, sizeof v->visit, "%s", visit ? visit : "");
    snprintf(v->from, sizeof v->from, "%s", from_id ? from_id : "");
    ui_table_init(&v->tab, visit_cols, VC_N, &visit_table_ops, v);
    ui_table_set_owner(&v->tab, &v->base, "visit");
    return &v->base;
}
