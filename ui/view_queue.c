/* The incident queue (issue 12): every event the checklist applies to,
 * newest first, with its review status; Enter claims the incident (visible to
 * every console sharing the database) and opens the checklist form. Filters:
 * status, period, location and employee (of the selected row), mine, only
 * incidents inside an alert, and which checklist (dissatisfaction/delight).
 * Another console's claim or save reaches this list through the store's
 * data_version (on_events with no events). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/incidents.h"
#include "cxm/review.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "table.h"
#include "ui.h"
#include "uikeys.h"
#include "view_checklist.h"
#include "views_ui.h"

enum { QP_ALL, QP_TODAY, QP_7D, QP_30D, QP_N };

typedef struct {
    ui_view base;
    ui_table tab;
    incident *rows;
    size_t n;
    bool stale;
    int status;    /* -1 any, else inc_status */
    int period;    /* QP_* */
    char location[130], employee[130];
    bool mine, only_alert;
    int ck;        /* index into the loaded checklists */
    unsigned seen; /* ui_checklists_changes() when last read */
    int expiry_timer; /* fires when the first listed claim frees itself; -1 none */
} queue_view;

enum { QC_TIME, QC_WHERE, QC_EMPLOYEE, QC_WHAT, QC_EMP_EMO, QC_CUST_EMO, QC_CLIP, QC_STATUS, QC_N };
static const ui_column queue_cols[QC_N] = {
    {N_("Time"), 11, 0, false, 0},      {N_("Location / desk"), 0, 14, false, 0},
    {N_("Employee"), 0, 12, false, 0},  {N_("What"), 14, 0, false, 0},
    {N_("Employee emotion"), 9, 0, false, 100}, {N_("Customer emotion"), 9, 0, false, 120},
    {N_("Clip"), 5, 0, false, 90},     {N_("Status"), 0, 14, false, 0},
};

static const checklist *cur_checklist(queue_view *v)
{
    const checklist_set *set = ui_checklists();
    if (!set->n)
        return NULL;
    if (v->ck < 0 || (size_t)v->ck >= set->n)
        v->ck = 0;
    return set->v[v->ck];
}

void ui_incident_status_words(const incident *x, int64_t now_us, char *buf, size_t cap)
{
    char since[16];
    (void)now_us;
    switch (x->status) {
    case INC_CLAIMED:
        time_format_local(x->claimed_us, "%H:%M", since, sizeof since);
        snprintf(buf, cap, _("claimed by %s since %s"), x->claimed_by, since);
        break;
    case INC_DRAFT:
        snprintf(buf, cap, _("draft (%s)"), x->reviewer);
        break;
    case INC_DONE:
        snprintf(buf, cap, _("done (%s)"), x->reviewer);
        break;
    case INC_NEEDS_INFO:
        snprintf(buf, cap, "%s", _("needs info"));
        break;
    default:
        snprintf(buf, cap, "%s", _("new"));
    }
}

void ui_incident_what_words(const incident *x, char *buf, size_t cap)
{
    if (x->type == EV_RATING)
        snprintf(buf, cap, "%s %s", ui_glyph_rating((rating_polarity)x->polarity),
                 ui_rating_word(x->rating));
    else
        snprintf(buf, cap, "%s", ui_event_type_word((event_type)x->type));
}

static bool q_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    queue_view *v = ud;
    if (row >= v->n)
        return false;
    const incident *x = &v->rows[row];
    switch (col) {
    case QC_TIME:
        time_format_local(x->ts_us, "%m-%d %H:%M", buf, cap);
        break;
    case QC_WHERE:
        snprintf(buf, cap, "%s / %s", x->location_name[0] ? x->location_name : x->location_id,
                 x->desk);
        break;
    case QC_EMPLOYEE:
        snprintf(buf, cap, "%s", x->employee_name[0] ? x->employee_name : x->employee_id);
        break;
    case QC_WHAT:
        ui_incident_what_words(x, buf, cap);
        *el = x->type == EV_RATING ? ui_el_for_polarity((rating_polarity)x->polarity) : TH_RATING_BAD;
        break;
    case QC_EMP_EMO:
        snprintf(buf, cap, "%s", ui_emo_short((emo_label)x->emp_label));
        *el = ui_el_for_emo((emo_label)x->emp_label);
        break;
    case QC_CUST_EMO:
        snprintf(buf, cap, "%s", ui_emo_short((emo_label)x->cust_label));
        *el = ui_el_for_emo((emo_label)x->cust_label);
        break;
    case QC_CLIP:
        if (x->has_clip)
            snprintf(buf, cap, "%s", _("clip"));
        else if (v->base.app->cfg && v->base.app->cfg->recordings && x->desk[0])
            snprintf(buf, cap, "%s", _("rec."));
        else
            snprintf(buf, cap, "-");
        break;
    case QC_STATUS:
        ui_incident_status_words(x, v->base.app->now_us, buf, cap);
        if (x->status == INC_NEW)
            *el = TH_HIGHLIGHT_NEW;
        else if (x->status == INC_DONE)
            *el = TH_DIM;
        else if (x->status == INC_NEEDS_INFO || x->status == INC_CLAIMED)
            *el = TH_LABEL;
        break;
    }
    return true;
}

static const ui_table_ops queue_table_ops = {.cell = q_cell};

static void period_range(const queue_view *v, int64_t now, int64_t *from, int64_t *to)
{
    *from = INT64_MIN;
    *to = INT64_MAX;
    if (v->period == QP_TODAY)
        *from = time_local_midnight(now, 0);
    else if (v->period == QP_7D)
        *from = time_local_midnight(now, -6);
    else if (v->period == QP_30D)
        *from = time_local_midnight(now, -29);
}

static void fill_query(queue_view *v, incident_query *q, const checklist *c)
{
    memset(q, 0, sizeof *q);
    q->c = c;
    period_range(v, v->base.app->now_us ? v->base.app->now_us : time_now_us(), &q->from_us,
                 &q->to_us);
    q->status = v->status;
    q->location = v->location[0] ? v->location : NULL;
    q->employee = v->employee[0] ? v->employee : NULL;
    q->mine = v->mine ? ui_reviewer() : NULL;
    q->only_in_alert = v->only_alert;
    q->limit = 2000;
}

/* A forgotten claim frees itself with no write anyone could notice: the
 * queue rereads when the first one it shows expires. */
static void expiry_fire(void *ud)
{
    queue_view *v = ud;
    v->expiry_timer = -1;
    v->stale = true;
    v->base.dirty = true;
}

static void arm_expiry(queue_view *v, int64_t now_us)
{
    ui_app *app = v->base.app;
    if (v->expiry_timer >= 0)
        loop_timer_cancel(app->lp, v->expiry_timer);
    v->expiry_timer = -1;
    int64_t first = INT64_MAX;
    for (size_t i = 0; i < v->n; i++)
        if (v->rows[i].claim_expires_us > 0 && v->rows[i].claim_expires_us < first)
            first = v->rows[i].claim_expires_us;
    if (first == INT64_MAX)
        return;
    int64_t ms = first > now_us ? (first - now_us + 999) / 1000 : 0;
    v->expiry_timer = loop_timer_add(app->lp, ms + 1, expiry_fire, v);
}

static void reload(queue_view *v)
{
    ui_app *app = v->base.app;
    char keep[EVENT_ID_MAX + 1] = "";
    if (v->n)
        snprintf(keep, sizeof keep, "%s", v->rows[ui_table_selected(&v->tab)].event_id);
    free(v->rows);
    v->rows = NULL;
    v->n = 0;
    v->stale = false;
    v->seen = ui_checklists_changes();
    const checklist *c = cur_checklist(v);
    if (!app->st || !c) {
        ui_table_set_rows(&v->tab, 0);
        return;
    }
    incident_query q;
    fill_query(v, &q, c);
    char err[256];
    int64_t now = time_now_us();
    if (incidents_list(app->st, &q, now, &v->rows, &v->n, err, sizeof err) != 0) {
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), err);
        v->n = 0;
    }
    arm_expiry(v, now);
    size_t sel = 0;
    for (size_t i = 0; keep[0] && i < v->n; i++)
        if (!strcmp(v->rows[i].event_id, keep))
            sel = i; /* new incidents must not move the supervisor's selection */
    ui_table_set_rows(&v->tab, v->n);
    ui_table_select(&v->tab, sel);
}

static const char *status_filter_word(int s)
{
    if (s < 0)
        return _("all");
    switch (s) {
    case INC_NEW:
        return _("new");
    case INC_CLAIMED:
        return _("claimed");
    case INC_DRAFT:
        return _("draft");
    case INC_DONE:
        return _("done");
    default:
        return _("needs info");
    }
}

static const char *period_word(int p)
{
    static const char *const w[QP_N] = {N_("all time"), N_("today"), N_("7 days"), N_("30 days")};
    return _(w[p]);
}

static void queue_draw(ui_view *base, WINDOW *w)
{
    queue_view *v = (queue_view *)base;
    int h = getmaxy(w), cols = getmaxx(w);
    if (v->stale || v->seen != ui_checklists_changes())
        reload(v);
    werase(w);
    const checklist *c = cur_checklist(v);
    char line[1024];
    if (!c) {
        ui_put(w, 1, 1, _("No checklist definitions were found (see CHECKLISTS in the manual)."),
               cols - 1, TH_NORMAL, true);
        return;
    }
    size_t nnew = 0;
    for (size_t i = 0; i < v->n; i++)
        nnew += v->rows[i].status == INC_NEW;
    snprintf(line, sizeof line, _("%s: %zu incidents, %zu new. Status: %s; period: %s%s%s%s%s%s%s"),
             checklist_title(c->title_en, c->title_ru), v->n, nnew, status_filter_word(v->status),
             period_word(v->period), v->location[0] ? _("; location ") : "", v->location,
             v->employee[0] ? _("; employee ") : "", v->employee, v->mine ? _("; mine") : "",
             v->only_alert ? _("; only inside alerts") : "");
    ui_put(w, 0, 1, line, cols - 1, TH_TITLE, true);
    char k_open[32], k_st[32], k_per[32], k_mine[32], k_al[32], k_ck[32], k_next[32], k_loc[32],
        k_emp[32], k_clr[32];
    ui_keymap_keys(ACT_OPEN, k_open, sizeof k_open);
    ui_keymap_keys(ACT_QUEUE_STATUS, k_st, sizeof k_st);
    ui_keymap_keys(ACT_QUEUE_PERIOD, k_per, sizeof k_per);
    ui_keymap_keys(ACT_QUEUE_MINE, k_mine, sizeof k_mine);
    ui_keymap_keys(ACT_QUEUE_ALERT, k_al, sizeof k_al);
    ui_keymap_keys(ACT_QUEUE_CHECKLIST, k_ck, sizeof k_ck);
    ui_keymap_keys(ACT_QUEUE_NEXT, k_next, sizeof k_next);
    ui_keymap_keys(ACT_QUEUE_LOCATION, k_loc, sizeof k_loc);
    ui_keymap_keys(ACT_QUEUE_EMPLOYEE, k_emp, sizeof k_emp);
    ui_keymap_keys(ACT_FILTER_CLEAR, k_clr, sizeof k_clr);
    /* every filter key on screen: the location/employee ones were only in
     * the help */
    snprintf(line, sizeof line,
             _("%s: review; %s: next new; %s: status; %s: period; %s/%s: this location/employee; %s: mine; %s: in alerts; %s: no filters; %s: checklist"),
             k_open, k_next, k_st, k_per, k_loc, k_emp, k_mine, k_al, k_clr, k_ck);
    ui_put(w, 1, 1, line, cols - 1, TH_DIM, true);
    if (!v->n) {
        ui_put(w, 3, 1, _("No incidents match."), cols - 1, TH_NORMAL, true);
        return;
    }
    ui_table_draw(&v->tab, w, 2, 0, h - 2, cols);
}

static void open_incident(queue_view *v, const char *event_id)
{
    const checklist *c = cur_checklist(v);
    if (c)
        ui_form_open(v->base.app, event_id, c->id);
    v->stale = true;
}

static int queue_action(ui_view *base, int action, int key)
{
    queue_view *v = (queue_view *)base;
    const incident *x = v->n ? &v->rows[ui_table_selected(&v->tab)] : NULL;
    (void)key;
    switch (action) {
    case ACT_OPEN:
        if (x)
            open_incident(v, x->event_id);
        return UI_HANDLED | UI_REDRAW;
    case ACT_QUEUE_NEXT: {
        const checklist *c = cur_checklist(v);
        incident_query q;
        char id[EVENT_ID_MAX + 1];
        if (!c)
            return UI_HANDLED;
        fill_query(v, &q, c);
        if (incidents_next_new(base->app->st, &q, time_now_us(), NULL, id, sizeof id) == 0)
            open_incident(v, id);
        else
            ui_message(base->app, UI_MSG_HINT, "%s", _("No new incidents"));
        return UI_HANDLED | UI_REDRAW;
    }
    case ACT_QUEUE_STATUS:
        v->status = v->status + 1 >= INC_STATUS_COUNT ? -1 : v->status + 1;
        break;
    case ACT_QUEUE_PERIOD:
        v->period = (v->period + 1) % QP_N;
        break;
    case ACT_QUEUE_LOCATION:
        if (v->location[0] || !x)
            v->location[0] = '\0';
        else
            snprintf(v->location, sizeof v->location, "%s", x->location_id);
        break;
    case ACT_QUEUE_EMPLOYEE:
        if (v->employee[0] || !x)
            v->employee[0] = '\0';
        else
            snprintf(v->employee, sizeof v->employee, "%s", x->employee_id);
        break;
    case ACT_QUEUE_MINE:
        v->mine = !v->mine;
        break;
    case ACT_QUEUE_ALERT:
        v->only_alert = !v->only_alert;
        break;
    case ACT_QUEUE_CHECKLIST:
        v->ck++;
        if ((size_t)v->ck >= ui_checklists()->n)
            v->ck = 0;
        break;
    case ACT_FILTER_CLEAR:
        v->status = -1;
        v->period = QP_ALL;
        v->location[0] = v->employee[0] = '\0';
        v->mine = v->only_alert = false;
        break;
    default:
        return ui_table_action(&v->tab, action);
    }
    v->stale = true;
    return UI_HANDLED | UI_REDRAW;
}

static void queue_on_events(ui_view *base, const event *evs, size_t n)
{
    queue_view *v = (queue_view *)base;
    const checklist *c = cur_checklist(v);
    bool matters = !evs; /* another console claimed or saved: requery */
    for (size_t i = 0; c && !matters && i < n; i++)
        matters = checklist_applies(c, evs[i].type, evs[i].polarity);
    if (matters) {
        v->stale = true;
        base->dirty = true;
    }
}

static void queue_close(ui_view *base)
{
    queue_view *v = (queue_view *)base;
    if (v->expiry_timer >= 0)
        loop_timer_cancel(base->app->lp, v->expiry_timer);
    free(v->rows);
    free(v);
}

static const ui_view_ops queue_ops = {
    .name = N_("Incidents"),
    .ctx = UI_CTX_QUEUE | UI_CTX_LIST,
    .draw = queue_draw,
    .on_action = queue_action,
    .on_events = queue_on_events,
    .close = queue_close,
};

ui_view *ui_queue_new(ui_app *app)
{
    queue_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base.ops = &queue_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->stale = true;
    v->status = -1;
    v->expiry_timer = -1;
    /* the daily work is the dissatisfaction checklist: start there */
    const checklist_set *set = ui_checklists();
    for (size_t i = set->n; i-- > 0;)
        if (set->v[i]->purpose == CK_DISSATISFACTION)
            v->ck = (int)i;
    ui_table_init(&v->tab, queue_cols, QC_N, &queue_table_ops, v);
    return &v->base;
}
