/* Alerts (DESIGN §9): the list of alerts and, pushed above it with Enter, the
 * events that triggered one, each with its clip. `a` acknowledges, `c` closes
 * with a comment typed on the prompt line. Acting on an alert another
 * supervisor got to first shows who and when (the store's update is
 * conditional on the state, so two consoles can never both win).
 *
 * The summary is worded here from the alert's counts and its rule, in the
 * UI language; the stored English summary is the fallback when the rule is
 * no longer in the config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/alerts.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "app_priv.h"
#include "search.h"
#include "table.h"
#include "audio.h"
#include "ui.h"
#include "uikeys.h"
#include "views_ui.h"

/* ---- shared wording ---------------------------------------------------- */

static const char *const type_words[EV_TYPE_COUNT] = {
    N_("arrival"), N_("rating"), N_("silent"),  N_("red button"), N_("force majeure"),
    N_("emotion"), N_("clip"),   N_("served"), N_("heartbeat"),
};

const char *ui_alert_state_word(alert_state st)
{
    switch (st) {
    case ALERT_OPEN:
        return _("open");
    case ALERT_ACKED:
        return _("acknowledged");
    default:
        return _("closed");
    }
}

static void window_words(int64_t us, char *out, size_t cap)
{
    int s = (int)(us / 1000000);
    if (s > 0 && s % 3600 == 0)
        snprintf(out, cap, _("%d h"), s / 3600);
    else if (s % 60 == 0)
        snprintf(out, cap, _("%d min"), s / 60);
    else
        snprintf(out, cap, _("%d s"), s);
}

static const alert_rule *find_rule(const cxm_config *cfg, const char *name)
{
    for (int i = 0; cfg && i < cfg->nalerts && i < CONFIG_ALERTS_MAX; i++)
        if (!strcmp(cfg->alerts[i].name, name))
            return &cfg->alerts[i];
    return NULL;
}

/* "bad/red button": what the rule counts, in the UI language. */
static void rule_words(const cxm_config *cfg, const alert_rule *r, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (int t = 0; t < EV_TYPE_COUNT && len < cap; t++) {
        if (!(r->types_mask & (1u << t)))
            continue;
        if (t == EV_RATING && r->match_negative) {
            int k = 0;
            for (int i = 0; i < cfg->rules.scale.nvalues && len < cap; i++)
                if (cfg->rules.scale.polarity[i] == POL_NEGATIVE) {
                    len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "/" : "",
                                            _(cfg->rules.scale.values[i]));
                    k++;
                }
            if (!k && len < cap)
                len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "/" : "",
                                        _("negative rating"));
        } else {
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? "/" : "", _(type_words[t]));
        }
    }
}

static void summary_words(const ui_app *app, const alert_info *a, char *out, size_t cap)
{
    const alert_rule *r = find_rule(app->cfg, a->rule);
    if (!r || a->matched <= 0) {
        snprintf(out, cap, "%s", a->summary);
        return;
    }
    char what[160], win[32];
    rule_words(app->cfg, r, what, sizeof what);
    window_words(a->window_to_us - a->window_from_us, win, sizeof win);
    if (a->ratings > 0)
        snprintf(out, cap, _("%lld of %lld ratings %s (%d %%) in %s"), (long long)a->matched,
                 (long long)a->ratings, what, (int)(100 * a->matched / a->ratings), win);
    else
        snprintf(out, cap, _("%lld %s in %s"), (long long)a->matched, what, win);
}

/* The rule's title in the UI language ([alert.NAME] title_ru/title_en), its
 * name when the config gives none or the rule is gone. */
static const char *rule_title(const ui_app *app, const char *name)
{
    for (int i = 0; app->cfg && i < app->cfg->nalerts && i < CONFIG_ALERTS_MAX; i++) {
        const alert_rule *r = &app->cfg->alerts[i];
        if (strcmp(r->name, name) != 0)
            continue;
        const char *t = i18n_pick(r->title_en[0] ? r->title_en : r->title_ru,
                                  r->title_ru[0] ? r->title_ru : r->title_en);
        return t && *t ? t : name;
    }
    return name;
}

static void when_words(int64_t us, char *out, size_t cap)
{
    if (us)
        time_format_local(us, "%d.%m.%Y %H:%M", out, cap);
    else
        snprintf(out, cap, "-");
}

/* ---- acting on an alert (both views) ------------------------------------ */

/* Bumped by every ack/close made here: our own writes do not move the
 * database's data_version, so a view under the one that acted would not
 * hear of them; each view rereads when this moved since it last read. */
static unsigned changes;

static void report(ui_app *app, int rc, int64_t id, const char *done_fmt)
{
    alert_info a;
    char when[32];
    if (rc == 0) {
        ui_message(app, UI_MSG_INFO, done_fmt, (long long)id);
        return;
    }
    if ((rc == ALERTS_ALREADY_ACKED || rc == ALERTS_ALREADY_CLOSED) && alerts_get(app->st, id, &a) == 0) {
        if (rc == ALERTS_ALREADY_CLOSED) {
            when_words(a.closed_us, when, sizeof when);
            ui_message(app, UI_MSG_ERROR, _("Alert %lld is already closed (by %s at %s)"),
                       (long long)id, a.closed_by, when);
        } else {
            when_words(a.acked_us, when, sizeof when);
            ui_message(app, UI_MSG_ERROR, _("Alert %lld is already acknowledged (by %s at %s)"),
                       (long long)id, a.acked_by, when);
        }
    } else if (rc == ALERTS_NOT_FOUND) {
        ui_message(app, UI_MSG_ERROR, _("Alert %lld no longer exists"), (long long)id);
    } else if (rc == ALERTS_COMMENT_TOO_LONG) {
        ui_message(app, UI_MSG_ERROR, _("Comment longer than %d bytes: the alert stays open"),
                   ALERT_COMMENT_MAX);
    } else {
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), store_errmsg(app->st));
    }
}

/* Our own write: the banner, the tab counter and the bell follow at once,
 * not at the next clock tick. */
void ui_alerts_changed_here(ui_app *app)
{
    changes++;
    ui_status_tick(app);
    app->priv->status_dirty = app->priv->title_dirty = app->priv->banner_dirty = true;
    ui_dirty_all(app);
}

/* Acks and closes go through the deferred-write queue: another process's
 * write lock (an import) never freezes the keys; the outcome is reported
 * when the write lands. */
typedef struct {
    ui_app *app;
    int64_t id;
    char *comment; /* NULL: acknowledge */
} alert_write;

static int alert_write_run(store *st, void *ud)
{
    alert_write *w = ud;
    if (w->comment)
        return alerts_close(st, w->id, alerts_os_user(), w->comment);
    return alerts_ack(st, w->id, alerts_os_user());
}

static void alert_write_done(void *ud, int rc)
{
    alert_write *w = ud;
    report(w->app, rc == WQ_ERROR ? -1 : rc, w->id,
           w->comment ? _("Alert %lld closed") : _("Alert %lld acknowledged"));
    ui_alerts_changed_here(w->app);
}

static void alert_write_free(void *ud)
{
    alert_write *w = ud;
    free(w->comment);
    free(w);
}

static void alert_submit(ui_app *app, int64_t id, const char *comment)
{
    alert_write *w = calloc(1, sizeof *w);
    if (w && comment && !(w->comment = strdup(comment))) {
        free(w);
        w = NULL;
    }
    if (!w) {
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), "out of memory");
        return;
    }
    w->app = app;
    w->id = id;
    int rc = wq_submit(app->wq, alert_write_run, alert_write_done, w, alert_write_free);
    if (rc < 0)
        alert_write_free(w);
    if (rc == 1)
        ui_message(app, UI_MSG_HINT,
                   _("Alert %lld: the database is busy (another writer); saved as soon as it is free"),
                   (long long)id);
}

static void ack(ui_app *app, int64_t id)
{
    alert_submit(app, id, NULL);
}

/* The prompt outlives nothing: while it is open it takes every key, so the
 * view that asked is still there when it answers. */
typedef struct {
    ui_view *view;   /* marked stale after the close */
    bool *stale;
    int64_t id;
} close_req;

static close_req pending_close;

static void close_done(void *ud, const char *text, bool accepted)
{
    close_req *c = ud;
    if (!accepted) {
        ui_message(c->view->app, UI_MSG_HINT, _("Alert %lld left as it was"), (long long)c->id);
        return;
    }
    alert_submit(c->view->app, c->id, text ? text : "");
    *c->stale = true;
    c->view->dirty = true;
}

static void ask_close(ui_view *v, bool *stale, int64_t id)
{
    char label[128];
    alert_info a;
    /* closed meanwhile (here or by another supervisor): say so before
     * asking for a comment that could not be saved */
    if (alerts_get(v->app->st, id, &a) == 0 && a.state == ALERT_CLOSED) {
        report(v->app, ALERTS_ALREADY_CLOSED, id, NULL);
        *stale = true;
        v->dirty = true;
        return;
    }
    pending_close = (close_req){v, stale, id};
    snprintf(label, sizeof label, _("Close alert %lld, comment:"), (long long)id);
    ui_prompt(v->app, label, NULL, NULL, close_done, &pending_close);
}

/* Which committed events can have opened or joined an alert. */
static bool events_matter(const ui_app *app, const event *evs, size_t n)
{
    if (!evs)
        return true; /* the database changed under us: another console, an import */
    unsigned mask = 1u << EV_RATING;
    for (int i = 0; app->cfg && i < app->cfg->nalerts && i < CONFIG_ALERTS_MAX; i++)
        mask |= app->cfg->alerts[i].types_mask;
    for (size_t i = 0; i < n; i++)
        if ((unsigned)evs[i].type < 32 && (mask & (1u << evs[i].type)))
            return true;
    return false;
}

/* ---- the events of one alert (pushed) ----------------------------------- */

typedef struct {
    ui_view base;
    ui_table tab;
    int64_t id;
    alert_info a;
    bool have;
    alert_event_row *rows;
    size_t n;
    bool stale;
    unsigned seen; /* `changes` when last read */
} events_view;

enum { EC_TIME, EC_TYPE, EC_RATING, EC_DESK, EC_EMPLOYEE, EC_CLIP, EC_ID, EC_N };
static const ui_column events_cols[EC_N] = {
    {N_("Time"), 8, 0, false, 0},      {N_("Type"), 14, 0, false, 0},
    {N_("Rating"), 10, 0, false, 0},   {N_("Desk"), 0, 10, false, 0},
    {N_("Employee"), 0, 12, false, 0}, {N_("Clip"), 10, 0, false, 0},
    {N_("Event"), 0, 12, false, 110},
};

static bool ev_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    events_view *v = ud;
    if (row >= v->n)
        return false;
    const alert_event_row *r = &v->rows[row];
    switch (col) {
    case EC_TIME:
        time_format_local(r->ts_us, "%H:%M:%S", buf, cap);
        break;
    case EC_TYPE:
        snprintf(buf, cap, "%s", _(type_words[r->type]));
        if (r->type == EV_RED_BUTTON || r->type == EV_FORCE_MAJEURE)
            *el = TH_RATING_BAD;
        break;
    case EC_RATING:
        if (r->rating[0]) {
            snprintf(buf, cap, "%s %s", ui_glyph_rating(r->polarity), _(r->rating));
            *el = ui_el_for_polarity(r->polarity);
        }
        break;
    case EC_DESK:
        snprintf(buf, cap, "%s, %s", r->desk, r->location_name);
        break;
    case EC_EMPLOYEE:
        snprintf(buf, cap, "%s", r->employee_name[0] ? r->employee_name : r->employee_id);
        break;
    case EC_CLIP:
        /* A clip URL came with or for the event; else the desk recordings
         * can cut one (DESIGN §6) when a recordings root is configured. */
        if (r->has_clip)
            snprintf(buf, cap, "%s", _("clip"));
        else if (v->base.app->cfg && v->base.app->cfg->recordings && r->desk[0])
            snprintf(buf, cap, "%s", _("recording"));
        else
            snprintf(buf, cap, "-");
        break;
    case EC_ID:
        snprintf(buf, cap, "%s", r->id);
        break;
    }
    return true;
}

static const ui_table_ops events_table_ops = {.cell = ev_cell};

static void events_reload(events_view *v)
{
    ui_app *app = v->base.app;
    free(v->rows);
    v->rows = NULL;
    v->n = 0;
    v->have = alerts_get(app->st, v->id, &v->a) == 0;
    if (alerts_event_rows(app->st, v->id, &v->rows, &v->n) < 0)
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), store_errmsg(app->st));
    ui_table_set_rows(&v->tab, v->n);
    v->stale = false;
    v->seen = changes;
}

static void events_draw(ui_view *base, WINDOW *w)
{
    events_view *v = (events_view *)base;
    ui_app *app = base->app;
    int h = getmaxy(w), cols = getmaxx(w);
    if (v->stale || v->seen != changes)
        events_reload(v);
    werase(w);
    if (!v->have) {
        char line[96];
        snprintf(line, sizeof line, _("Alert %lld no longer exists"), (long long)v->id);
        ui_put(w, 0, 1, line, cols - 1, TH_NORMAL, true);
        return;
    }
    const alert_info *a = &v->a;
    char line[1024], what[512], when[32], win_from[16], win_to[16];
    snprintf(line, sizeof line, "%s #%lld  %s  %s  %s", a->state == ALERT_OPEN ? ui_glyph_bell() : " ",
             (long long)a->id, ui_alert_state_word(a->state), rule_title(app, a->rule), a->scope_name);
    ui_put(w, 0, 0, line, cols, a->state == ALERT_OPEN ? TH_ALERT_BANNER : TH_TITLE, true);
    summary_words(app, a, what, sizeof what);
    time_format_local(a->window_from_us, "%H:%M", win_from, sizeof win_from);
    time_format_local(a->window_to_us, "%H:%M", win_to, sizeof win_to);
    when_words(a->opened_us, when, sizeof when);
    snprintf(line, sizeof line, _("%s; opened %s (window %s-%s)"), what, when, win_from, win_to);
    ui_put(w, 1, 1, line, cols - 1, TH_VALUE, true);
    int y = 2;
    if (a->acked_us) {
        when_words(a->acked_us, when, sizeof when);
        snprintf(line, sizeof line, _("Acknowledged by %s at %s"), a->acked_by, when);
        ui_put(w, y++, 1, line, cols - 1, TH_LABEL, true);
    }
    if (a->closed_us) {
        /* The comment is what the manager wrote: shown whole, wrapped, as
         * long as the events table keeps a few rows; cut with a mark only
         * past that. */
        when_words(a->closed_us, when, sizeof when);
        char closed[sizeof a->comment + 512];
        snprintf(closed, sizeof closed, _("Closed by %s at %s: %s"), a->closed_by, when,
                 a->comment[0] ? a->comment : "-");
        int room = h - y - 4; /* the hint line, the table's header and two rows */
        y += ui_put_wrapped(w, y, 1, closed, cols - 1, room > 1 ? room : 1, TH_LABEL);
    }
    char k_open[32], k_ack[32], k_close[32];
    ui_keymap_keys(ACT_OPEN, k_open, sizeof k_open);
    ui_keymap_keys(ACT_ALERT_ACK, k_ack, sizeof k_ack);
    ui_keymap_keys(ACT_ALERT_CLOSE, k_close, sizeof k_close);
    snprintf(line, sizeof line, _("%zu events. %s: event detail and clips; %s: acknowledge; %s: close"),
             v->n, k_open, k_ack, k_close);
    ui_put(w, y++, 1, line, cols - 1, TH_DIM, true);
    ui_table_draw(&v->tab, w, y, 0, h - y, cols);
}

static int events_action(ui_view *base, int action, int key)
{
    events_view *v = (events_view *)base;
    (void)key;
    switch (action) {
    case ACT_BACK:
        return UI_HANDLED | UI_BACK;
    case ACT_OPEN:
        if (v->n)
            ui_push(base->app, ui_detail_new(base->app, v->rows[ui_table_selected(&v->tab)].id));
        return UI_HANDLED | UI_REDRAW;
    case ACT_PLAY_CLIP:
        if (v->n)
            ui_audio_play_event(base->app, v->rows[ui_table_selected(&v->tab)].id);
        return UI_HANDLED | UI_REDRAW;
    case ACT_EMPLOYEE_CARD:
        if (v->n)
            ui_card_open(base->app, v->rows[ui_table_selected(&v->tab)].employee_id);
        return UI_HANDLED | UI_REDRAW;
    case ACT_ALERT_ACK:
        ack(base->app, v->id);
        v->stale = true;
        return UI_HANDLED | UI_REDRAW;
    case ACT_ALERT_CLOSE:
        ask_close(base, &v->stale, v->id);
        return UI_HANDLED | UI_REDRAW;
    default:
        return ui_table_action(&v->tab, action);
    }
}

static void events_on_events(ui_view *base, const event *evs, size_t n)
{
    events_view *v = (events_view *)base;
    if (events_matter(base->app, evs, n)) {
        v->stale = true;
        base->dirty = true;
    }
}

static void events_close(ui_view *base)
{
    events_view *v = (events_view *)base;
    free(v->rows);
    free(v);
}

static const ui_view_ops events_ops = {
    .name = N_("Alert events"),
    .ctx = UI_CTX_ALERTS | UI_CTX_LIST,
    .draw = events_draw,
    .on_action = events_action,
    .on_events = events_on_events,
    .close = events_close,
};

static ui_view *events_new(ui_app *app, int64_t id)
{
    events_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base.ops = &events_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->id = id;
    v->stale = true;
    ui_table_init(&v->tab, events_cols, EC_N, &events_table_ops, v);
    ui_table_set_owner(&v->tab, &v->base, "alert-events");
    return &v->base;
}

/* ---- the list ------------------------------------------------------------ */

typedef struct {
    ui_view base;
    ui_table tab;
    alert_info *rows;
    size_t n;
    size_t nopen, nacked, nall; /* over every alert, whatever the search shows */
    bool stale;
    unsigned seen; /* `changes` when last read */
    ui_search search; /* `/`: only alerts whose scope or rule holds it */
} alerts_view;

enum { AC_STATE, AC_OPENED, AC_RULE, AC_SCOPE, AC_EVENTS, AC_BY, AC_WHAT, AC_N };
static const ui_column alert_cols[AC_N] = {
    {N_("State"), 14, 0, false, 0},  {N_("Opened"), 14, 0, false, 0},
    {N_("Rule"), 16, 0, false, 110}, {N_("Scope"), 20, 0, false, 0},
    {N_("Events"), 7, 0, true, 0},   {N_("By"), 12, 0, false, 130},
    {N_("What"), 0, 16, false, 0},
};

static bool al_cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    alerts_view *v = ud;
    if (row >= v->n)
        return false;
    const alert_info *a = &v->rows[row];
    switch (col) {
    case AC_STATE:
        snprintf(buf, cap, "%s %s", a->state == ALERT_OPEN ? ui_glyph_bell() : " ", ui_alert_state_word(a->state));
        break;
    case AC_OPENED:
        /* the year only costs columns here; the events view has it. Seconds:
         * two alerts of one place and minute stay apart */
        time_format_local(a->opened_us, time_fmt_day_time_sec(), buf, cap);
        break;
    case AC_RULE:
        snprintf(buf, cap, "%s", rule_title(v->base.app, a->rule));
        break;
    case AC_SCOPE:
        snprintf(buf, cap, "%s", a->scope_name[0] ? a->scope_name : a->scope_key);
        break;
    case AC_EVENTS:
        snprintf(buf, cap, "%d", a->nevents);
        break;
    case AC_BY:
        snprintf(buf, cap, "%s", a->state == ALERT_CLOSED ? a->closed_by : a->acked_by);
        break;
    case AC_WHAT:
        summary_words(v->base.app, a, buf, cap);
        if (a->state == ALERT_ACKED && a->since_ack > 0) {
            size_t l = strlen(buf);
            snprintf(buf + l, cap - l, _(" / +%d since acknowledged"), a->since_ack);
        }
        if (a->state == ALERT_CLOSED && a->comment[0]) {
            size_t l = strlen(buf);
            snprintf(buf + l, cap - l, " / %s", a->comment);
        }
        break;
    }
    (void)el;
    return true;
}

static int al_row_el(void *ud, size_t row)
{
    alerts_view *v = ud;
    if (row >= v->n)
        return -1;
    switch (v->rows[row].state) {
    case ALERT_OPEN:
        return TH_RATING_BAD;
    case ALERT_CLOSED:
        return TH_DIM;
    default:
        return -1;
    }
}

static int sort_col = AC_OPENED;
static bool sort_desc = true;

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_alert(const void *pa, const void *pb)
{
    const alert_info *a = pa, *b = pb;
    int c = 0;
    switch (sort_col) {
    case AC_STATE:
        c = cmp_i64(a->state, b->state);
        break;
    case AC_RULE:
        c = strcmp(a->rule, b->rule);
        break;
    case AC_SCOPE:
        c = strcmp(a->scope_name, b->scope_name);
        break;
    case AC_EVENTS:
        c = cmp_i64(a->nevents, b->nevents);
        break;
    case AC_BY:
        c = strcmp(a->state == ALERT_CLOSED ? a->closed_by : a->acked_by,
                   b->state == ALERT_CLOSED ? b->closed_by : b->acked_by);
        break;
    default:
        break;
    }
    if (!c)
        c = cmp_i64(a->opened_us, b->opened_us);
    if (!c)
        c = cmp_i64(a->id, b->id);
    return sort_desc ? -c : c;
}

static void sort_rows(alerts_view *v)
{
    if (v->n > 1)
        qsort(v->rows, v->n, sizeof v->rows[0], cmp_alert);
}

static void al_on_sort(void *ud, int col, bool desc)
{
    alerts_view *v = ud;
    sort_col = col;
    sort_desc = desc;
    sort_rows(v);
}

static const ui_table_ops alerts_table_ops = {.cell = al_cell, .row_el = al_row_el, .on_sort = al_on_sort};

static void alerts_reload(alerts_view *v)
{
    ui_app *app = v->base.app;
    int64_t keep = v->n ? v->rows[ui_table_selected(&v->tab)].id : 0;
    free(v->rows);
    v->rows = NULL;
    v->n = v->nopen = v->nacked = v->nall = 0;
    v->stale = false;
    v->seen = changes;
    if (!app->st)
        return;
    if (alerts_list(app->st, 0, &v->rows, &v->n) < 0) {
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), store_errmsg(app->st));
        return;
    }
    size_t kept = 0;
    for (size_t i = 0; i < v->n; i++) {
        const alert_info *a = &v->rows[i];
        v->nopen += a->state == ALERT_OPEN;
        v->nacked += a->state == ALERT_ACKED;
        const char *fields[] = {a->scope_name, a->scope_key, rule_title(app, a->rule), a->rule};
        if (ui_search_match(&v->search, fields, 4))
            v->rows[kept++] = *a;
    }
    v->nall = v->n;
    v->n = kept;
    sort_rows(v);
    size_t sel = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (v->rows[i].id == keep)
            sel = i; /* new alerts must not move the supervisor's selection */
    }
    ui_table_set_rows(&v->tab, v->n);
    ui_table_select(&v->tab, sel);
}

static void alerts_draw(ui_view *base, WINDOW *w)
{
    alerts_view *v = (alerts_view *)base;
    ui_app *app = base->app;
    int h = getmaxy(w), cols = getmaxx(w);
    if (v->stale || v->seen != changes)
        alerts_reload(v);
    werase(w);
    char line[512], k_open[32], k_ack[32], k_close[32];
    ui_keymap_keys(ACT_OPEN, k_open, sizeof k_open);
    ui_keymap_keys(ACT_ALERT_ACK, k_ack, sizeof k_ack);
    ui_keymap_keys(ACT_ALERT_CLOSE, k_close, sizeof k_close);
    snprintf(line, sizeof line, _("Open %zu, acknowledged %zu, all %zu. %s: events; %s: acknowledge; %s: close"),
             v->nopen, v->nacked, v->nall, k_open, k_ack, k_close);
    int sx = ui_search_put(&v->search, w, 0, 1, cols - 1);
    ui_put(w, 0, 1 + sx, line, cols - 1 - sx, v->nopen ? TH_ALERT_BANNER : TH_DIM, true);
    if (!v->n && v->nall) {
        char k_clear[32];
        ui_keymap_keys(ACT_FILTER_CLEAR, k_clear, sizeof k_clear);
        snprintf(line, sizeof line, _("No alert matches the search (%s clears it)."), k_clear);
        ui_put(w, 2, 1, line, cols - 1, TH_NORMAL, true);
        return;
    }
    if (!v->n) {
        int nrules = app->cfg ? app->cfg->nalerts : 0;
        snprintf(line, sizeof line, _("No alerts yet. %d rule(s) watch the events ([alert.NAME] in the config)."),
                 nrules);
        ui_put(w, 2, 1, line, cols - 1, TH_NORMAL, true);
        return;
    }
    ui_table_draw(&v->tab, w, 1, 0, h - 1, cols);
}

static const alert_info *selected(alerts_view *v)
{
    return v->n ? &v->rows[ui_table_selected(&v->tab)] : NULL;
}

/* An employee's alert: theirs; a desk's or a site's: the employee of the
 * event that crossed the threshold (the last of its events). */
static void open_alert_card(ui_app *app, const alert_info *a)
{
    if (a->scope == ALERT_SCOPE_EMPLOYEE) {
        ui_card_open(app, a->scope_key);
        return;
    }
    alert_event_row *rows = NULL;
    size_t n = 0;
    if (alerts_event_rows(app->st, a->id, &rows, &n) == 0 && n)
        ui_card_open(app, rows[n - 1].employee_id);
    else
        ui_card_open(app, "");
    free(rows);
}

static int alerts_action(ui_view *base, int action, int key)
{
    alerts_view *v = (alerts_view *)base;
    const alert_info *a = selected(v);
    (void)key;
    switch (action) {
    case ACT_OPEN:
        if (a)
            ui_push(base->app, events_new(base->app, a->id));
        return UI_HANDLED | UI_REDRAW;
    case ACT_PLAY_CLIP:
        if (a) {
            /* the event that crossed the threshold: the last of its triggers */
            char(*ids)[EVENT_ID_MAX + 1] = NULL;
            size_t nids = 0;
            if (alerts_events(base->app->st, a->id, &ids, &nids) == 0 && nids)
                ui_audio_play_event(base->app, ids[nids - 1]);
            free(ids);
        }
        return UI_HANDLED | UI_REDRAW;
    case ACT_EMPLOYEE_CARD:
        if (a)
            open_alert_card(base->app, a);
        return UI_HANDLED | UI_REDRAW;
    case ACT_ALERT_ACK:
        if (a) {
            ack(base->app, a->id);
            v->stale = true;
        }
        return UI_HANDLED | UI_REDRAW;
    case ACT_ALERT_CLOSE:
        if (a)
            ask_close(base, &v->stale, a->id);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER:
        ui_search_open(&v->search, _("Search alerts (scope: employee, desk, location; rule): "));
        return UI_HANDLED | UI_REDRAW;
    case ACT_FILTER_CLEAR:
        ui_search_clear(&v->search);
        return UI_HANDLED | UI_REDRAW;
    default:
        return ui_table_action(&v->tab, action);
    }
}

static void alerts_search_apply(ui_view *base)
{
    alerts_view *v = (alerts_view *)base;
    v->stale = true; /* the reload keeps the selected alert when it still shows */
}

static void alerts_on_events(ui_view *base, const event *evs, size_t n)
{
    alerts_view *v = (alerts_view *)base;
    if (events_matter(base->app, evs, n)) {
        v->stale = true;
        base->dirty = true;
    }
}

static void alerts_close_view(ui_view *base)
{
    alerts_view *v = (alerts_view *)base;
    free(v->rows);
    free(v);
}

static const ui_view_ops alerts_ops = {
    .name = N_("Alerts"),
    .ctx = UI_CTX_ALERTS | UI_CTX_LIST,
    .draw = alerts_draw,
    .on_action = alerts_action,
    .on_events = alerts_on_events,
    .close = alerts_close_view,
};

ui_view *ui_alerts_new(ui_app *app)
{
    alerts_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->base.ops = &alerts_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->stale = true;
    ui_table_init(&v->tab, alert_cols, AC_N, &alerts_table_ops, v);
    ui_table_set_owner(&v->tab, &v->base, "alerts");
    ui_search_init(&v->search, &v->base, alerts_search_apply);
    sort_col = v->tab.sort_col = AC_OPENED;
    sort_desc = v->tab.sort_desc = true;
    return &v->base;
}

ui_view *ui_alert_events_new(ui_app *app, int64_t alert_id)
{
    return events_new(app, alert_id);
}
