/* Event detail (pushed above the stream, the alerts or the dashboard): the
 * player panel on top (its own pane and `player` key context: the event's
 * clips, ui/player_panel.c), then every stored field, the other events of the
 * same visit, the clip windows the event offers (DESIGN §6) and the camera
 * link from the config's template. Tab moves between the two panes. `y` copies the camera link (or the
 * id when there is none) to the user's own clipboard with OSC 52. All data
 * text is drawn through ui_put, i.e. the text module. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/mem.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "player_panel.h"
#include "ui.h"
#include "uikeys.h"
#include "view_visit.h"
#include "views_ui.h"

#define VISIT_MAX 32
#define LINE_MAX_ 1024

typedef struct {
    char label[64];
    char value[LINE_MAX_];
    ui_el el;
    bool heading;
} line;

typedef struct {
    ui_view base;
    ui_pane play, info;
    player_panel *pp;
    bool pp_set;
    views *q;
    char id[EVENT_ID_MAX + 1];
    bool found;
    event ev;
    char link[1024];
    line *lines;
    size_t nlines, cap;
    size_t top;
    int page;
    bool stale;
} detail_view;

static void add(detail_view *v, const char *label, ui_el el, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add(detail_view *v, const char *label, ui_el el, const char *fmt, ...)
{
    if (mem_grow(&v->lines, &v->cap, v->nlines, sizeof *v->lines, 64))
        return;
    line *l = &v->lines[v->nlines++];
    memset(l, 0, sizeof *l);
    snprintf(l->label, sizeof l->label, "%s", label ? label : "");
    l->el = el;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->value, sizeof l->value, fmt, ap);
    va_end(ap);
}

static void heading(detail_view *v, const char *title)
{
    add(v, NULL, TH_GROUP, "%s", title);
    v->lines[v->nlines - 1].heading = true;
}

static const char *or_dash(const char *s)
{
    return s && s[0] ? s : "-";
}

static void emo_line(detail_view *v, const char *label, const event_emotion *e)
{
    if (!e->present) {
        add(v, label, TH_DIM, "-");
        return;
    }
    char shares[160] = "";
    size_t o = 0;
    if (e->positive >= 0)
        o += (size_t)snprintf(shares + o, sizeof shares - o, " %s %.2f", _("positive"), e->positive);
    if (e->negative >= 0)
        o += (size_t)snprintf(shares + o, sizeof shares - o, " %s %.2f", _("negative"), e->negative);
    if (e->neutral >= 0)
        o += (size_t)snprintf(shares + o, sizeof shares - o, " %s %.2f", _("neutral"), e->neutral);
    if (e->bursts >= 0)
        snprintf(shares + o, sizeof shares - o, " %s %d", _("bursts"), e->bursts);
    add(v, label, ui_el_for_emo(e->label), "%s%s%s", ui_emo_label(e->label),
        e->classified ? _(" (classified)") : "", shares);
}

static void build(detail_view *v)
{
    ui_app *app = v->base.app;
    v->nlines = 0;
    v->stale = false;
    if (v->found)
        event_clear(&v->ev);
    int rc = views_event_get(v->q, v->id, &v->ev);
    v->found = rc == 0;
    if (rc < 0)
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), views_errmsg(v->q));
    if (!v->found) {
        add(v, _("Event"), TH_MESSAGE_ERR, _("%s: not found"), v->id);
        return;
    }
    const event *e = &v->ev;
    char t[64], t2[64];
    heading(v, _("Event"));
    add(v, _("Id"), TH_VALUE, "%s", e->id);
    time_format_rfc3339_local(e->ts_us, t, sizeof t);
    add(v, _("Time"), TH_VALUE, "%s (%s %+03d:%02d)", t, _("source offset"), e->tz_offset_s / 3600,
        abs(e->tz_offset_s % 3600) / 60);
    add(v, _("Type"), TH_VALUE, "%s", ui_event_type_word(e->type));
    add(v, _("Location"), TH_VALUE, "%s (%s)", or_dash(e->location_name), or_dash(e->location_id));
    add(v, _("Desk"), TH_VALUE, "%s", or_dash(e->desk));
    add(v, _("Employee"), TH_VALUE, "%s (%s)", or_dash(e->employee_name), or_dash(e->employee_id));
    add(v, _("Visit"), TH_VALUE, "%s", or_dash(e->visit));
    if (e->type == EV_RATING)
        add(v, _("Rating"), ui_el_for_polarity(e->polarity), "%s %s", ui_smiley(e->polarity),
            ui_rating_word(e->rating));
    emo_line(v, _("Employee emotion"), &e->emo_employee);
    emo_line(v, _("Customer emotion"), &e->emo_customer);
    if (e->type == EV_SERVED)
        add(v, _("Served"), TH_VALUE, "%lld / %lld s", (long long)e->count, (long long)e->period_s);
    if (e->ref)
        add(v, _("For event"), TH_VALUE, "%s", e->ref);
    if (e->clip_url)
        add(v, _("Clip link"), TH_VALUE, "%s (%s)", e->clip_url, or_dash(e->clip_kind));
    add(v, _("Camera"), TH_VALUE, "%s", or_dash(e->camera));
    v->link[0] = '\0';
    if (views_camera_link(app->cfg ? app->cfg->camera_url : NULL, e, v->link, sizeof v->link) > 0)
        add(v, _("Camera link"), TH_VALUE, "%s", v->link);
    else
        add(v, _("Camera link"), TH_DIM, "%s", _("no camera_url template in the config"));

    heading(v, _("Clip windows"));
    views_clip c[CLIP_KIND_COUNT];
    int nc = views_clip_windows(v->q, app->cfg, e, c, CLIP_KIND_COUNT);
    if (nc <= 0)
        add(v, NULL, TH_DIM, "%s", _("none for this event"));
    for (int i = 0; i < nc; i++) {
        time_format_local(c[i].from_us, "%H:%M:%S", t, sizeof t);
        time_format_local(c[i].to_us, "%H:%M:%S", t2, sizeof t2);
        add(v, views_clip_kind_name(c[i].kind), TH_VALUE, "%s - %s (%lld s)%s%s", t, t2,
            (long long)((c[i].to_us - c[i].from_us) / 1000000), c[i].url[0] ? "  " : "",
            c[i].url[0] ? c[i].url : "");
    }
    if (nc > 0 && !(app->cfg && app->cfg->recordings))
        add(v, NULL, TH_DIM, "%s", _("No recordings folder is configured: only received clip links play."));

    heading(v, _("Same visit"));
    views_row vr[VISIT_MAX];
    int nv = views_visit_rows(v->q, e->location_id, e->visit, vr, VISIT_MAX);
    if (nv <= 0)
        add(v, NULL, TH_DIM, "%s", e->visit ? _("no other events") : _("no visit id"));
    if (nv > 1) {
        char k_visit[32];
        ui_keymap_keys(ACT_VISIT_OPEN, k_visit, sizeof k_visit);
        add(v, NULL, TH_DIM, _("%s: list them, Enter opens one"), k_visit);
    }
    for (int i = 0; i < nv; i++) {
        time_format_local(vr[i].key.ts_us, "%H:%M:%S", t, sizeof t);
        bool self = !strcmp(vr[i].id, e->id);
        add(v, t, self ? TH_HIGHLIGHT_NEW : TH_VALUE, "%s %s %s%s  %s", self ? ">" : " ",
            ui_event_type_word(vr[i].type),
            vr[i].type == EV_RATING ? ui_smiley(vr[i].polarity) : "",
            vr[i].type == EV_RATING ? ui_rating_word(vr[i].rating) : "", vr[i].id);
    }
}

#define DV(pn) ((detail_view *)(pn)->view)

/* The view's own draw: the panes draw everything. */
static void detail_draw(ui_view *base, WINDOW *w)
{
    detail_view *v = (detail_view *)base;
    if (v->stale)
        build(v);
    if (v->found && !v->pp_set && v->pp) {
        player_panel_set_event(v->pp, &v->ev);
        v->pp_set = true;
    }
    werase(w);
}

static void play_draw(ui_pane *pn, WINDOW *w)
{
    detail_view *v = DV(pn);
    werase(w);
    if (v->pp)
        player_panel_draw(v->pp, w, 0, getmaxx(w));
}

static int play_action(ui_pane *pn, int action, int key)
{
    detail_view *v = DV(pn);
    (void)key;
    return v->pp ? player_panel_action(v->pp, action) : UI_IGNORED;
}

static void info_draw(ui_pane *pn, WINDOW *w)
{
    detail_view *v = DV(pn);
    int h = getmaxy(w), wd = getmaxx(w);
    if (v->stale)
        build(v);
    werase(w);
    char k_copy[32], k_back[32], hint[256];
    ui_keymap_keys(ACT_COPY, k_copy, sizeof k_copy);
    ui_keymap_keys(ACT_BACK, k_back, sizeof k_back);
    snprintf(hint, sizeof hint, _("%s: copy the camera link (or the id) to your clipboard; %s: back"),
             k_copy, k_back);
    ui_put(w, 0, 0, hint, wd, TH_DIM, true);
    v->page = h - 1 > 1 ? h - 1 : 1;
    if (v->top + (size_t)v->page > v->nlines)
        v->top = v->nlines > (size_t)v->page ? v->nlines - (size_t)v->page : 0;
    int lw = 18;
    for (int y = 1; y < h; y++) {
        size_t i = v->top + (size_t)(y - 1);
        if (i >= v->nlines)
            break;
        const line *l = &v->lines[i];
        if (l->heading) {
            ui_put(w, y, 0, l->value, wd, TH_GROUP, true);
            continue;
        }
        ui_put(w, y, 1, l->label, lw, TH_LABEL, true);
        ui_put(w, y, lw + 2, l->value, wd - lw - 2, l->el, false);
    }
}

static int detail_action(ui_view *base, int action, int key)
{
    detail_view *v = (detail_view *)base;
    ui_app *app = base->app;
    (void)key;
    v->info.dirty = true;
    size_t page = v->page > 1 ? (size_t)v->page - 1 : 1;
    switch (action) {
    case ACT_BACK:
        return UI_HANDLED | UI_BACK;
    case ACT_UP:
        if (v->top)
            v->top--;
        break;
    case ACT_DOWN:
        v->top++;
        break;
    case ACT_PAGE_UP:
        v->top = v->top > page ? v->top - page : 0;
        break;
    case ACT_PAGE_DOWN:
        v->top += page;
        break;
    case ACT_HOME:
        v->top = 0;
        break;
    case ACT_END:
        v->top = v->nlines;
        break;
    case ACT_EMPLOYEE_CARD:
        ui_card_open(app, v->found && v->ev.employee_id ? v->ev.employee_id : "");
        break;
    case ACT_VISIT_OPEN:
        if (v->found && v->ev.visit && v->ev.visit[0])
            ui_push(app, ui_visit_new(app, v->ev.location_id, v->ev.visit, v->id));
        else
            ui_message(app, UI_MSG_HINT, "%s", _("This event has no visit id"));
        break;
    case ACT_COPY: {
        const char *what = v->link[0] ? v->link : v->id;
        if (ui_clipboard_copy(app, what) == 0)
            ui_message(app, UI_MSG_INFO, _("Copied %s"), what);
        else
            ui_message(app, UI_MSG_ERROR, "%s", _("Cannot copy to the clipboard"));
        break;
    }
    default:
        return UI_IGNORED;
    }
    return UI_HANDLED | UI_REDRAW;
}

static void detail_on_events(ui_view *base, const event *evs, size_t n)
{
    detail_view *v = (detail_view *)base;
    for (size_t i = 0; i < n; i++) {
        /* a clip for this event, or another event of its visit */
        bool ours = (evs[i].ref && !strcmp(evs[i].ref, v->id)) ||
                    (v->found && evs[i].visit && v->ev.visit && !strcmp(evs[i].visit, v->ev.visit));
        if (ours) {
            v->stale = true;
            base->dirty = true;
            v->info.dirty = true;
            return;
        }
    }
}

static void detail_close(ui_view *base)
{
    detail_view *v = (detail_view *)base;
    player_panel_free(v->pp);
    if (v->found)
        event_clear(&v->ev);
    views_free(v->q);
    free(v->lines);
    free(v);
}

static void detail_resize(ui_view *base, int rows, int cols)
{
    detail_view *v = (detail_view *)base;
    int ph = PLAYER_PANEL_ROWS + 1; /* + its title row */
    if (ph > rows / 2)
        ph = rows / 2;
    ui_pane_place(&v->play, 0, 0, ph, cols);
    ui_pane_place(&v->info, ph, 0, rows - ph, cols);
}

static const ui_pane_ops play_ops = {N_("Player"), UI_CTX_PLAYER, play_draw, play_action};
static const ui_pane_ops info_ops = {N_("Event"), UI_CTX_DETAIL | UI_CTX_LIST, info_draw, NULL};

static const ui_view_ops detail_ops = {
    .name = N_("Event"),
    .ctx = UI_CTX_DETAIL | UI_CTX_LIST,
    .draw = detail_draw,
    .on_action = detail_action,
    .on_events = detail_on_events,
    .on_resize = detail_resize,
    .close = detail_close,
};

ui_view *ui_detail_new(ui_app *app, const char *event_id)
{
    detail_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->q = views_new(app->st, app->cfg ? &app->cfg->rules : NULL);
    if (!v->q) {
        free(v);
        return NULL;
    }
    v->base.ops = &detail_ops;
    v->base.app = app;
    v->base.dirty = true;
    /* the player first: it has the focus, so Space plays at once */
    ui_pane_add(&v->base, &v->play, &play_ops);
    ui_pane_add(&v->base, &v->info, &info_ops);
    v->pp = player_panel_new(app, &v->play.dirty);
    snprintf(v->id, sizeof v->id, "%s", event_id ? event_id : "");
    v->stale = true;
    return &v->base;
}
