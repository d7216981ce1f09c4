/* The checklist form (issue 12): the player panel on top (the incident's
 * main clip starts when the form opens; ui/player_panel.c), the checklist
 * below, by section, then the fields (comment, needs-info, no cause found).
 * Keyboard only: j/k or arrows move, Space or the item's number toggles it,
 * `*` marks the primary cause, `t` stamps the playback position on the cause
 * ("at +00:07", relative to the event; again: removes it), Tab/BTab go from
 * the player to the sections and the fields and around (every player key
 * works while the player pane has the focus; the checklist keys it does not
 * take still act on the checklist), Enter on the comment opens the line
 * editor, Ctrl-S saves, `D`
 * marks done (needs a cause or "no cause found"), `N` saves and opens the
 * next new incident, `H` shows the revision history. Drafts autosave shortly
 * after each change. A save against a revision another supervisor replaced
 * is refused with their name and time; the user reloads or overwrites. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/incidents.h"
#include "cxm/review.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "app_priv.h"
#include "player_panel.h"
#include "ui.h"
#include "uikeys.h"
#include "view_checklist.h"
#include "views_ui.h"

#define AUTOSAVE_MS 800
/* the player pane: its title row, the incident's line, the panel */
#define PLAY_ROWS (2 + PLAYER_PANEL_ROWS)

typedef enum { FR_SECTION, FR_ITEM, FR_COMMENT, FR_NEEDS_INFO, FR_NO_CAUSE } fr_kind;
typedef struct {
    fr_kind kind;
    int idx; /* section or item index */
} frow;

typedef struct {
    ui_view base;
    ui_pane play_pane, list_pane;
    player_panel *pp;
    char event_id[EVENT_ID_MAX + 1];
    const checklist *c;
    event ev;
    bool have_ev;
    review_entry e;     /* what the form shows */
    review_entry saved; /* what is in the store (the revision the edits are based on) */
    frow rows[CHECKLIST_ITEMS_MAX + CHECKLIST_SECTIONS_MAX + 3];
    int nrows, cur, top;
    bool unsaved;
    int timer;          /* autosave timer id, -1 none */
    int next_timer;     /* `N`: opens next_id on the loop's next turn, -1 none */
    char next_id[EVENT_ID_MAX + 1];
    bool may_leave;     /* the user answered "leave without saving" */
    bool show_history;
    bool saving;        /* a save is queued or running (wqueue) */
    int resave;         /* -1 none, else the status to save with once it lands */
    char claim_note[160];
} form_view;

/* The open form (one at a time): queued writes and prompts answer to it
 * only while it is still open. */
static form_view *live_form;

/* ---- rows ---- */

static void build_rows(form_view *v)
{
    v->nrows = 0;
    for (int s = 0; s < v->c->nsections; s++) {
        v->rows[v->nrows++] = (frow){FR_SECTION, s};
        for (int i = 0; i < v->c->sections[s].count; i++)
            v->rows[v->nrows++] = (frow){FR_ITEM, v->c->sections[s].first + i};
    }
    if (v->c->field_comment)
        v->rows[v->nrows++] = (frow){FR_COMMENT, 0};
    if (v->c->field_needs_info)
        v->rows[v->nrows++] = (frow){FR_NEEDS_INFO, 0};
    v->rows[v->nrows++] = (frow){FR_NO_CAUSE, 0};
    v->cur = 1; /* the first item */
}

static int section_of_row(const form_view *v, int r)
{
    for (; r >= 0; r--)
        if (v->rows[r].kind == FR_SECTION)
            return v->rows[r].idx;
    return 0;
}

/* ---- saving ---- */

static void mark_changed(form_view *v);

static void load_entry(form_view *v)
{
    ui_app *app = v->base.app;
    review_entry_clear(&v->e);
    review_entry_clear(&v->saved);
    if (review_get(app->st, v->event_id, v->c->id, &v->saved) == REVIEW_ERROR)
        ui_message(app, UI_MSG_ERROR, _("Database error: %s"), store_errmsg(app->st));
    if (review_entry_copy(&v->e, &v->saved) != 0)
        review_entry_init(&v->e, v->event_id, v->c->id);
    v->unsaved = false;
    v->list_pane.dirty = v->base.dirty = true;
}

static void cancel_timer(form_view *v)
{
    if (v->timer >= 0)
        loop_timer_cancel(v->base.app->lp, v->timer);
    v->timer = -1;
}

static void conflict_done(void *ud, const char *text, bool accepted);

/* Saves go through the app's deferred-write queue (wqueue.h): a key never
 * waits for another process's write lock; the outcome arrives in
 * save_landed. One save at a time, so each is based on the revision the
 * previous one made. */
static int64_t claim_ttl_us(const ui_app *app)
{
    return (int64_t)(app->cfg && app->cfg->claim_expiry_s ? app->cfg->claim_expiry_s : 1800) *
           1000000;
}

typedef struct {
    review_entry e;
    int64_t expect;
    review_entry now; /* the current entry when stale */
    int64_t claim_ttl_us;
    int rc;
    bool quiet;
    form_view *v;
} save_job;

static int save_write(store *st, void *ud)
{
    save_job *j = ud;
    memset(&j->now, 0, sizeof j->now);
    j->rc = review_save_in_tx(st, &j->e, j->expect, &j->now);
    if (j->rc != REVIEW_OK)
        return 1;
    /* A supervisor still filling the form keeps the incident: each save
     * renews the claim, so only a form left untouched for claim_expiry
     * frees it. Someone else's live claim is left alone (HELD). */
    if (review_claim_take_in_tx(st, j->e.event_id, j->e.reviewer, j->claim_ttl_us, time_now_us(),
                                NULL) == REVIEW_ERROR)
        return 1;
    return 0;
}

static void save_free(void *ud)
{
    save_job *j = ud;
    review_entry_clear(&j->e);
    review_entry_clear(&j->now);
    free(j);
}

static bool save(form_view *v, review_status status, bool quiet);

static void save_landed(void *ud, int wrc)
{
    save_job *j = ud;
    form_view *v = j->v;
    ui_checklists_changed();
    if (v != live_form)
        return; /* the form was closed meanwhile; the write stands */
    ui_app *app = v->base.app;
    v->saving = false;
    v->list_pane.dirty = v->base.dirty = true;
    if (wrc == 0 && j->rc == REVIEW_OK) {
        review_entry_clear(&v->saved);
        v->saved = j->e;
        memset(&j->e, 0, sizeof j->e);
        v->e.status = v->saved.status;
        v->e.revision = v->saved.revision;
        v->e.saved_us = v->saved.saved_us;
        snprintf(v->e.reviewer, sizeof v->e.reviewer, "%s", v->saved.reviewer);
        v->unsaved = !review_entry_same(&v->e, &v->saved);
        if (!j->quiet)
            ui_message(app, UI_MSG_INFO, _("Saved revision %lld (%s)"), (long long)v->saved.revision,
                       _(review_status_name(v->saved.status)));
        if (v->resave >= 0) {
            review_status st = (review_status)v->resave;
            v->resave = -1;
            save(v, st, false);
        } else if (v->unsaved && v->e.status == REVIEW_DRAFT) {
            save(v, REVIEW_DRAFT, true);
        }
        return;
    }
    v->resave = -1;
    if (j->rc == REVIEW_STALE) {
        char when[32], label[256];
        time_format_local(j->now.saved_us, "%H:%M:%S", when, sizeof when);
        /* the message line is narrow: who, when, and the two choices */
        snprintf(label, sizeof label, _("%s saved revision %lld at %s; r reload, o overwrite:"),
                 j->now.reviewer, (long long)j->now.revision, when);
        /* their revision becomes the base: an overwrite replaces it knowingly */
        v->saved.revision = j->now.revision;
        ui_prompt(app, label, NULL, NULL, conflict_done, v);
        return;
    }
    ui_message(app, UI_MSG_ERROR, _("Not saved: %s"), store_errmsg(app->st));
}

/* Queues a save as a new revision; false when it could not be queued. */
static bool save(form_view *v, review_status status, bool quiet)
{
    ui_app *app = v->base.app;
    cancel_timer(v);
    if (v->saving) {
        v->resave = (int)status; /* after the one in flight */
        return true;
    }
    save_job *j = calloc(1, sizeof *j);
    if (!j || review_entry_copy(&j->e, &v->e) != 0) {
        free(j);
        return false;
    }
    j->e.status = status;
    snprintf(j->e.reviewer, sizeof j->e.reviewer, "%s", ui_reviewer());
    j->expect = v->saved.revision;
    j->claim_ttl_us = claim_ttl_us(app);
    j->quiet = quiet;
    j->v = v;
    v->saving = true;
    if (wq_submit(app->wq, save_write, save_landed, j, save_free) < 0) {
        v->saving = false;
        save_free(j);
        ui_message(app, UI_MSG_ERROR, "%s", _("Not saved: out of memory"));
        return false;
    }
    return true;
}

static void conflict_done(void *ud, const char *text, bool accepted)
{
    form_view *v = ud;
    if (v != live_form)
        return;
    if (accepted && text && (text[0] == 'r' || text[0] == 'R' || !strncmp(text, "к", 2))) {
        load_entry(v);
        ui_message(v->base.app, UI_MSG_INFO, "%s", _("Reloaded the other supervisor's revision"));
    } else if (accepted && text && (text[0] == 'o' || text[0] == 'O' || !strncmp(text, "щ", 2))) {
        save(v, v->e.status, false);
    } else {
        ui_message(v->base.app, UI_MSG_HINT, "%s", _("Not saved; your changes are still here"));
    }
}

static void autosave_fire(void *ud)
{
    form_view *v = ud;
    v->timer = -1;
    /* a done entry changes only by an explicit save (it must stay complete) */
    if (v->unsaved && v->e.status == REVIEW_DRAFT && !v->saving)
        save(v, REVIEW_DRAFT, true);
}

static void mark_changed(form_view *v)
{
    v->unsaved = !review_entry_same(&v->e, &v->saved) || v->saved.revision == 0;
    v->list_pane.dirty = true;
    cancel_timer(v);
    if (v->unsaved && v->e.status == REVIEW_DRAFT)
        v->timer = loop_timer_add(v->base.app->lp, AUTOSAVE_MS, autosave_fire, v);
}

static bool can_be_done(form_view *v)
{
    if (v->e.ncauses || v->e.no_cause)
        return true;
    ui_message(v->base.app, UI_MSG_ERROR, "%s",
               _("Done needs at least one cause, or \"no cause found\""));
    return false;
}

/* ---- editing ---- */

static void toggle_item(form_view *v, int item)
{
    const char *id = v->c->items[item].id;
    bool on = review_entry_has(&v->e, id) < 0;
    review_entry_toggle(&v->e, id, on, REVIEW_NO_STAMP);
    if (on)
        v->e.no_cause = false;
    mark_changed(v);
}

/* `t`: where the cause is heard in the clip. Stamps the position on the
 * cause at the cursor (marking it when it is not), or removes the stamp it
 * has. */
static void stamp_item(form_view *v, int item)
{
    ui_app *app = v->base.app;
    const char *id = v->c->items[item].id;
    int k = review_entry_has(&v->e, id);
    if (k >= 0 && v->e.causes[k].at_ms != REVIEW_NO_STAMP) {
        v->e.causes[k].at_ms = REVIEW_NO_STAMP;
        mark_changed(v);
        return;
    }
    int64_t at;
    if (!v->pp || !player_panel_position(v->pp, &at)) {
        ui_message(app, UI_MSG_HINT, "%s",
                   _("No clip is playing: nothing to stamp (Tab to the player, Space plays)"));
        return;
    }
    if (k < 0) {
        toggle_item(v, item);
        k = review_entry_has(&v->e, id);
        if (k < 0)
            return;
    }
    v->e.causes[k].at_ms = at;
    mark_changed(v);
}

static void comment_done(void *ud, const char *text, bool accepted)
{
    form_view *v = ud;
    if (v != live_form || !accepted)
        return;
    review_entry_set_comment(&v->e, text);
    mark_changed(v);
}

static void edit_comment(form_view *v)
{
    ui_prompt(v->base.app, _("Comment:"), v->e.comment, NULL, comment_done, v);
}

static void activate(form_view *v)
{
    const frow *r = &v->rows[v->cur];
    switch (r->kind) {
    case FR_ITEM:
        toggle_item(v, r->idx);
        break;
    case FR_COMMENT:
        edit_comment(v);
        break;
    case FR_NEEDS_INFO:
        v->e.needs_info = !v->e.needs_info;
        mark_changed(v);
        break;
    case FR_NO_CAUSE:
        v->e.no_cause = !v->e.no_cause;
        if (v->e.no_cause)
            while (v->e.ncauses)
                review_entry_toggle(&v->e, v->e.causes[0].item, false, REVIEW_NO_STAMP);
        mark_changed(v);
        break;
    default:
        break;
    }
}

static void form_move(form_view *v, int dir)
{
    int r = v->cur;
    do
        r += dir;
    while (r >= 0 && r < v->nrows && v->rows[r].kind == FR_SECTION);
    if (r >= 0 && r < v->nrows)
        v->cur = r;
}

static bool is_stop(const form_view *v, int r)
{
    return (v->rows[r].kind == FR_ITEM && r > 0 && v->rows[r - 1].kind == FR_SECTION) ||
           v->rows[r].kind >= FR_COMMENT;
}

/* Tab: the first item of the next section, then the fields, then the
 * player pane (BTab the other way round). */
static void jump(form_view *v, int dir)
{
    for (int r = v->cur + dir; r >= 0 && r < v->nrows; r += dir)
        if (is_stop(v, r)) {
            v->cur = r;
            return;
        }
    ui_pane_focus(&v->base, 1); /* past the last field (or the first section) */
}

/* Into the checklist from the player: its first section, or (BTab) the
 * last field. */
static void enter_list(form_view *v, int dir)
{
    int r = dir > 0 ? 0 : v->nrows - 1;
    while (r >= 0 && r < v->nrows && !is_stop(v, r))
        r += dir;
    if (r >= 0 && r < v->nrows)
        v->cur = r;
    ui_pane_focus(&v->base, 0);
    v->list_pane.dirty = true;
}

/* ---- drawing ---- */

static void play_draw(ui_pane *pn, WINDOW *w)
{
    form_view *v = (form_view *)pn->view;
    int cols = getmaxx(w);
    char line[1024], t[32];
    werase(w);
    if (!v->have_ev) {
        ui_put(w, 0, 1, _("The event is not in the database"), cols - 1, TH_NORMAL, true);
        return;
    }
    time_format_local(v->ev.ts_us, "%Y-%m-%d %H:%M:%S", t, sizeof t);
    const char *what = v->ev.type == EV_RATING ? ui_rating_word(v->ev.rating)
                                               : ui_event_type_word(v->ev.type);
    snprintf(line, sizeof line, "%s  %s  %s / %s  %s  [%s]", t, what,
             v->ev.location_name ? v->ev.location_name : v->ev.location_id,
             v->ev.desk ? v->ev.desk : "", v->ev.employee_name ? v->ev.employee_name
                                                               : (v->ev.employee_id ? v->ev.employee_id : ""),
             v->event_id);
    int used = ui_put(w, 0, 1, line, cols - 1,
                      v->ev.type == EV_RATING ? ui_el_for_polarity(v->ev.polarity) : TH_RATING_BAD, false);
    if (v->claim_note[0] && 1 + used + 4 < cols)
        ui_put(w, 0, 1 + used + 3, v->claim_note, cols - used - 4, TH_LABEL, true);
    if (v->pp)
        player_panel_draw(v->pp, w, 1, cols);
}

static void draw_history(form_view *v, WINDOW *w)
{
    ui_app *app = v->base.app;
    int h = getmaxy(w), cols = getmaxx(w);
    review_entry *hist = NULL;
    size_t n = 0;
    werase(w);
    ui_put(w, 0, 1, _("Revision history (H: back to the form)"), cols - 1, TH_TITLE, true);
    if (review_history(app->st, v->event_id, v->c->id, &hist, &n) != REVIEW_OK) {
        ui_put(w, 1, 1, store_errmsg(app->st), cols - 1, TH_MESSAGE_ERR, true);
        return;
    }
    int y = 1;
    for (size_t i = n; i-- > 0 && y < h; y++) { /* newest first on screen */
        char line[2048], when[32];
        size_t len = 0;
        time_format_local(hist[i].saved_us, "%Y-%m-%d %H:%M:%S", when, sizeof when);
        len += (size_t)snprintf(line + len, sizeof line - len, "%3lld  %-8s %-12s %s  ",
                                (long long)hist[i].revision, _(review_status_name(hist[i].status)),
                                hist[i].reviewer, when);
        for (int k = 0; k < hist[i].ncauses && len < sizeof line; k++) {
            int it = checklist_item_index(v->c, hist[i].causes[k].item);
            len += (size_t)snprintf(line + len, sizeof line - len, "%s%s%s", k ? ", " : "",
                                    it >= 0 ? checklist_title(v->c->items[it].title_en,
                                                              v->c->items[it].title_ru)
                                            : hist[i].causes[k].item,
                                    hist[i].causes[k].primary ? "*" : "");
        }
        if (hist[i].no_cause && len < sizeof line)
            len += (size_t)snprintf(line + len, sizeof line - len, "%s", _("no cause found"));
        if (hist[i].comment && len < sizeof line)
            snprintf(line + len, sizeof line - len, "  \"%s\"", hist[i].comment);
        ui_put(w, y, 1, line, cols - 1, TH_NORMAL, true);
    }
    if (!n)
        ui_put(w, 1, 1, _("Nothing saved yet"), cols - 1, TH_DIM, true);
    review_history_free(hist, n);
}

static void list_draw(ui_pane *pn, WINDOW *w)
{
    form_view *v = (form_view *)pn->view;
    if (v->show_history) {
        draw_history(v, w);
        return;
    }
    int h = getmaxy(w), cols = getmaxx(w);
    werase(w);
    char line[1024];
    const char *st = v->saved.revision ? _(review_status_name(v->saved.status)) : _("new");
    snprintf(line, sizeof line, _("%s — revision %lld, %s%s"), checklist_title(v->c->title_en, v->c->title_ru),
             (long long)v->saved.revision, st, v->unsaved ? _(", unsaved changes") : "");
    ui_put(w, 0, 1, line, cols - 1, v->unsaved ? TH_LABEL : TH_TITLE, true);
    int body = h - 2; /* the title line and the key hint line */
    if (body < 1)
        return;
    if (v->cur < v->top + 1)
        v->top = v->cur > 0 ? v->cur - 1 : 0;
    if (v->cur >= v->top + body)
        v->top = v->cur - body + 1;
    for (int r = v->top, y = 1; r < v->nrows && y <= body; r++, y++) {
        const frow *fr = &v->rows[r];
        bool sel = r == v->cur;
        ui_el el = sel ? TH_SELECTED : TH_NORMAL;
        switch (fr->kind) {
        case FR_SECTION: {
            const checklist_section *s = &v->c->sections[fr->idx];
            snprintf(line, sizeof line, "%s%s", checklist_title(s->title_en, s->title_ru),
                     s->staff_related ? _(" (staff-related)") : "");
            ui_put(w, y, 1, line, cols - 1, TH_GROUP, true);
            break;
        }
        case FR_ITEM: {
            const checklist_item *it = &v->c->items[fr->idx];
            int k = review_entry_has(&v->e, it->id);
            int num = fr->idx - v->c->sections[it->section].first + 1;
            char nb[16] = "  ", at[48] = "";
            if (num <= 9)
                snprintf(nb, sizeof nb, "%d", num);
            if (k >= 0 && v->e.causes[k].at_ms != REVIEW_NO_STAMP) {
                char stamp[32];
                review_stamp_format(v->e.causes[k].at_ms, v->base.app->utf8, stamp, sizeof stamp);
                snprintf(at, sizeof at, "  %s %s", _("at"), stamp);
            }
            snprintf(line, sizeof line, "%s%2s [%s] %s%s%s", sel ? ">" : " ", nb, k >= 0 ? "x" : " ",
                     checklist_title(it->title_en, it->title_ru),
                     k >= 0 && v->e.causes[k].primary ? _("  * primary") : "", at);
            ui_put(w, y, 1, line, cols - 1, el, true);
            break;
        }
        case FR_COMMENT:
            snprintf(line, sizeof line, "%s %s %s", sel ? ">" : " ", _("Comment:"),
                     v->e.comment && *v->e.comment ? v->e.comment : _("(Enter to write)"));
            ui_put(w, y, 1, line, cols - 1, el, true);
            break;
        case FR_NEEDS_INFO:
            snprintf(line, sizeof line, "%s    [%s] %s", sel ? ">" : " ", v->e.needs_info ? "x" : " ",
                     _("Needs more information from the employee"));
            ui_put(w, y, 1, line, cols - 1, el, true);
            break;
        case FR_NO_CAUSE:
            snprintf(line, sizeof line, "%s    [%s] %s", sel ? ">" : " ", v->e.no_cause ? "x" : " ",
                     _("No cause found"));
            ui_put(w, y, 1, line, cols - 1, el, true);
            break;
        }
    }
    char k_t[32], k_p[32], k_s[32], k_d[32], k_n[32], k_h[32], k_a[32];
    ui_keymap_keys(ACT_FORM_TOGGLE, k_t, sizeof k_t);
    ui_keymap_keys(ACT_FORM_PRIMARY, k_p, sizeof k_p);
    ui_keymap_keys(ACT_FORM_STAMP, k_a, sizeof k_a);
    ui_keymap_keys(ACT_FORM_SAVE, k_s, sizeof k_s);
    ui_keymap_keys(ACT_FORM_DONE, k_d, sizeof k_d);
    ui_keymap_keys(ACT_FORM_NEXT, k_n, sizeof k_n);
    ui_keymap_keys(ACT_FORM_HISTORY, k_h, sizeof k_h);
    snprintf(line, sizeof line,
             _("%s/1-9: toggle; %s: primary; %s: stamp the clip position; %s: save; %s: done; %s: save, next new; %s: history"),
             k_t, k_p, k_a, k_s, k_d, k_n, k_h);
    ui_put(w, h - 1, 1, line, cols - 1, TH_DIM, true);
}

static void form_draw(ui_view *base, WINDOW *w)
{
    (void)base;
    werase(w); /* the panes draw the body */
}

/* ---- keys ---- */

/* Closing the form frees it, and the key that asked is still being
 * dispatched to its pane: the switch happens on the loop's next turn. */
static void next_fire(void *ud)
{
    form_view *v = ud;
    ui_app *app = v->base.app;
    char id[EVENT_ID_MAX + 1], ck[CHECKLIST_ID_MAX + 1];
    v->next_timer = -1;
    snprintf(id, sizeof id, "%s", v->next_id);
    snprintf(ck, sizeof ck, "%s", v->c->id);
    v->may_leave = true;
    if (ui_top_view(app) == &v->base && ui_pop(app))
        ui_form_open(app, id, ck);
}

static void open_next(form_view *v)
{
    ui_app *app = v->base.app;
    incident_query q = {.c = v->c, .from_us = INT64_MIN, .to_us = INT64_MAX, .status = INC_NEW};
    if (incidents_next_new(app->st, &q, time_now_us(), v->event_id, v->next_id,
                           sizeof v->next_id) != 0) {
        ui_message(app, UI_MSG_HINT, "%s", _("No new incidents"));
        return;
    }
    if (v->next_timer < 0)
        v->next_timer = loop_timer_add(app->lp, 0, next_fire, v);
}

static int list_action(ui_pane *pn, int action, int key)
{
    form_view *v = (form_view *)pn->view;
    (void)key;
    if (v->show_history && action != ACT_FORM_HISTORY && action != ACT_BACK)
        return UI_HANDLED;
    switch (action) {
    case ACT_UP:
        form_move(v, -1);
        break;
    case ACT_DOWN:
        form_move(v, 1);
        break;
    case ACT_NEXT_PANE:
    case ACT_FORM_SECTION_NEXT:
        jump(v, 1);
        break;
    case ACT_PREV_PANE:
    case ACT_FORM_SECTION_PREV:
        jump(v, -1);
        break;
    case ACT_FORM_TOGGLE:
    case ACT_OPEN:
        activate(v);
        break;
    case ACT_FORM_ITEM1: case ACT_FORM_ITEM2: case ACT_FORM_ITEM3:
    case ACT_FORM_ITEM4: case ACT_FORM_ITEM5: case ACT_FORM_ITEM6:
    case ACT_FORM_ITEM7: case ACT_FORM_ITEM8: case ACT_FORM_ITEM9: {
        const checklist_section *s = &v->c->sections[section_of_row(v, v->cur)];
        int n = action - ACT_FORM_ITEM1;
        if (n < s->count) {
            toggle_item(v, s->first + n);
            for (int r = 0; r < v->nrows; r++)
                if (v->rows[r].kind == FR_ITEM && v->rows[r].idx == s->first + n)
                    v->cur = r;
        }
        break;
    }
    case ACT_FORM_STAMP:
        if (v->rows[v->cur].kind == FR_ITEM)
            stamp_item(v, v->rows[v->cur].idx);
        break;
    case ACT_FORM_PRIMARY:
        if (v->rows[v->cur].kind == FR_ITEM) {
            const char *id = v->c->items[v->rows[v->cur].idx].id;
            int k = review_entry_has(&v->e, id);
            if (k < 0) {
                toggle_item(v, v->rows[v->cur].idx);
                k = review_entry_has(&v->e, id);
            }
            review_entry_set_primary(&v->e, v->e.causes[k].primary ? NULL : id);
            mark_changed(v);
        }
        break;
    case ACT_FORM_SAVE:
        if (v->e.status == REVIEW_DONE && !can_be_done(v))
            break;
        save(v, v->e.status, false);
        break;
    case ACT_FORM_DONE:
        if (can_be_done(v))
            save(v, REVIEW_DONE, false);
        break;
    case ACT_FORM_NEXT:
        if (!v->unsaved || save(v, v->e.status == REVIEW_DONE && can_be_done(v) ? REVIEW_DONE
                                                                                 : REVIEW_DRAFT,
                                true))
            open_next(v);
        return UI_HANDLED | UI_REDRAW;
    case ACT_FORM_HISTORY:
        v->show_history = !v->show_history;
        break;
    case ACT_BACK:
        if (v->show_history) {
            v->show_history = false;
            break;
        }
        return UI_IGNORED; /* the view's leave() decides */
    default:
        return UI_IGNORED;
    }
    pn->dirty = true;
    return UI_HANDLED | UI_REDRAW;
}

/* The player pane: Tab/BTab go into the checklist, the player keys play;
 * the rest goes on to the view (and so to the checklist). */
static int play_action(ui_pane *pn, int action, int key)
{
    form_view *v = (form_view *)pn->view;
    (void)key;
    switch (action) {
    case ACT_NEXT_PANE:
    case ACT_FORM_SECTION_NEXT:
        enter_list(v, 1);
        return UI_HANDLED | UI_REDRAW;
    case ACT_PREV_PANE:
    case ACT_FORM_SECTION_PREV:
        enter_list(v, -1);
        return UI_HANDLED | UI_REDRAW;
    default:
        return v->pp ? player_panel_action(v->pp, action) : UI_IGNORED;
    }
}

static int form_action(ui_view *base, int action, int key)
{
    form_view *v = (form_view *)base;
    if (action == ACT_BACK)
        return UI_HANDLED | UI_BACK;
    /* keys the player pane does not take act on the checklist */
    if (ui_pane_focused(base) == &v->play_pane)
        return list_action(&v->list_pane, action, key);
    return UI_IGNORED;
}

static void leave_done(void *ud, const char *text, bool accepted)
{
    form_view *v = ud;
    if (v != live_form || !accepted || !text)
        return;
    if (text[0] == 's' || text[0] == 'S' || !strncmp(text, "ы", 2)) {
        if (!save(v, v->e.status == REVIEW_DONE ? REVIEW_DONE : REVIEW_DRAFT, false))
            return;
    } else if (!(text[0] == 'd' || text[0] == 'D' || !strncmp(text, "в", 2))) {
        return;
    }
    v->may_leave = true;
    ui_pop(v->base.app);
}

static bool form_leave(ui_view *base)
{
    form_view *v = (form_view *)base;
    if (v->may_leave || !v->unsaved)
        return true;
    ui_prompt(base->app, _("Unsaved changes. s: save and leave, d: discard and leave:"), NULL, NULL,
              leave_done, v);
    return false;
}

static void form_on_events(ui_view *base, const event *evs, size_t n)
{
    (void)evs;
    (void)n;
    form_view *v = (form_view *)base;
    v->list_pane.dirty = true; /* another supervisor's save shows in the history */
}

typedef struct {
    char event_id[EVENT_ID_MAX + 1];
    char user[REVIEW_USER_MAX + 1];
    int64_t ttl_us;
    bool release;
    int rc;
    review_claim holder;
    form_view *v;
} claim_job;

static int claim_write(store *st, void *ud)
{
    claim_job *j = ud;
    j->rc = j->release ? review_claim_release_in_tx(st, j->event_id, j->user)
                       : review_claim_take_in_tx(st, j->event_id, j->user, j->ttl_us, time_now_us(),
                                                 &j->holder);
    return j->rc == REVIEW_ERROR ? 1 : 0;
}

static void claim_landed(void *ud, int wrc)
{
    claim_job *j = ud;
    ui_checklists_changed();
    form_view *v = j->v;
    if (!v || v != live_form)
        return;
    if (j->rc == REVIEW_HELD) {
        char since[16];
        time_format_local(j->holder.since_us, "%H:%M", since, sizeof since);
        snprintf(v->claim_note, sizeof v->claim_note, _("Claimed by %s since %s"), j->holder.by, since);
        v->play_pane.dirty = true;
    } else if (wrc != 0) {
        ui_message(v->base.app, UI_MSG_ERROR, _("Database error: %s"), store_errmsg(v->base.app->st));
    }
}

static void claim_submit(ui_app *app, form_view *v, const char *event_id, bool release)
{
    claim_job *j = calloc(1, sizeof *j);
    if (!j)
        return;
    snprintf(j->event_id, sizeof j->event_id, "%s", event_id);
    snprintf(j->user, sizeof j->user, "%s", ui_reviewer());
    j->ttl_us = claim_ttl_us(app);
    j->release = release;
    j->v = v;
    if (wq_submit(app->wq, claim_write, claim_landed, j, free) < 0)
        free(j);
}

static void form_close(ui_view *base)
{
    form_view *v = (form_view *)base;
    cancel_timer(v);
    if (v->next_timer >= 0)
        loop_timer_cancel(base->app->lp, v->next_timer);
    player_panel_free(v->pp); /* the clip ends with the form */
    if (live_form == v)
        live_form = NULL;
    /* leaving frees the incident for the others unless it stays a draft in
     * progress: the claim then expires by itself */
    if (v->saved.status == REVIEW_DONE || !v->saved.revision)
        claim_submit(base->app, NULL, v->event_id, true);
    ui_checklists_changed();
    review_entry_clear(&v->e);
    review_entry_clear(&v->saved);
    if (v->have_ev)
        event_clear(&v->ev);
    free(v);
}

static void form_resize(ui_view *base, int rows, int cols)
{
    form_view *v = (form_view *)base;
    int top = rows > 16 ? PLAY_ROWS : rows / 2;
    ui_pane_place(&v->play_pane, 0, 0, top, cols);
    ui_pane_place(&v->list_pane, top, 0, rows - top, cols);
}

static const ui_view_ops form_ops = {
    .name = N_("Checklist"),
    .ctx = UI_CTX_FORM | UI_CTX_LIST,
    .draw = form_draw,
    .on_action = form_action,
    .on_events = form_on_events,
    .on_resize = form_resize,
    .close = form_close,
    .leave = form_leave,
};

static const ui_pane_ops play_pane_ops = {N_("Player"), UI_CTX_PLAYER, play_draw, play_action};
static const ui_pane_ops list_pane_ops = {N_("Checklist"), UI_CTX_FORM, list_draw, list_action};

static void load_event(form_view *v)
{
    ui_app *app = v->base.app;
    views *vw = views_new(app->st, app->cfg ? &app->cfg->rules : NULL);
    if (!vw)
        return;
    if (views_event_get(vw, v->event_id, &v->ev) == 0)
        v->have_ev = true;
    views_free(vw);
}

void ui_form_open(ui_app *app, const char *event_id, const char *checklist_id)
{
    const checklist *c = checklist_find(ui_checklists(), checklist_id);
    if (!c || !app->st)
        return;
    form_view *v = calloc(1, sizeof *v);
    if (!v)
        return;
    v->base.ops = &form_ops;
    v->base.app = app;
    v->base.dirty = true;
    v->timer = v->next_timer = -1;
    v->c = c;
    snprintf(v->event_id, sizeof v->event_id, "%s", event_id);
    review_entry_init(&v->e, event_id, c->id);
    review_entry_init(&v->saved, event_id, c->id);
    build_rows(v);
    load_event(v);
    load_entry(v);
    /* claiming tells the other consoles; a claim of someone else is shown,
     * not enforced (two supervisors may still disagree: revisions decide) */
    v->resave = -1;
    live_form = v;
    claim_submit(app, v, event_id, false);
    ui_pane_add(&v->base, &v->list_pane, &list_pane_ops);
    ui_pane_add(&v->base, &v->play_pane, &play_pane_ops);
    v->pp = player_panel_new(app, &v->play_pane.dirty);
    if (ui_push(app, &v->base) == 0) {
        /* the checklist first: that is where the keys go */
        ui_pane_focus(&v->base, 0);
        form_resize(&v->base, app->rows - 2, app->cols);
        /* the clip plays while the supervisor fills the checklist; when it
         * cannot, the panel says why */
        if (v->pp && v->have_ev) {
            player_panel_set_event(v->pp, &v->ev);
            player_panel_autoplay(v->pp);
        }
    }
}
