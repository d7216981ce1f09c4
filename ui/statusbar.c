/* The status bar (sources, database, clock), the alert banner and the
 * message line. Everything here is redrawn only when it changed; the clock
 * is the one idle reason to wake up, once a second. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "app_priv.h"
#include "cxm/alert_forward.h"
#include "cxm/alerts.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/wqueue.h"
#include "uikeys.h"

#define MSG_FADE_MS 6000

/* A source's reason in the UI language (the feed keeps both). */
static const char *ui_source_error(const source_status *s)
{
    return i18n_pick(s->last_error, s->last_error_ru[0] ? s->last_error_ru : s->last_error);
}

static void msg_expire(void *ud)
{
    ui_app *app = ud;
    app->priv->msg_timer = 0;
    app->priv->msg[0] = '\0';
    app->priv->msg_dirty = true;
}

void ui_message(ui_app *app, ui_msg_level lvl, const char *fmt, ...)
{
    struct ui_app_priv *p = app->priv;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->msg, sizeof p->msg, fmt, ap);
    va_end(ap);
    p->msg_level = lvl;
    p->msg_dirty = true;
    if (p->msg_timer)
        loop_timer_cancel(app->lp, p->msg_timer);
    p->msg_timer = 0;
    if (lvl != UI_MSG_ERROR && app->lp)
        p->msg_timer = loop_timer_add(app->lp, MSG_FADE_MS, msg_expire, app);
}

void ui_message_draw(ui_app *app, WINDOW *w)
{
    struct ui_app_priv *p = app->priv;
    if (p->prompt.active) {
        ui_prompt_draw(app, w);
        return;
    }
    int cols = getmaxx(w);
    werase(w);
    if (p->msg[0]) {
        ui_put(w, 0, 0, p->msg, cols, p->msg_level == UI_MSG_ERROR ? TH_MESSAGE_ERR : TH_MESSAGE,
               true);
        return;
    }
    /* Idle hint: how to get help and out, with the keys as bound. */
    char kh[64], kq[64], line[256];
    ui_keymap_keys(ACT_HELP, kh, sizeof kh);
    ui_keymap_keys(ACT_BACK, kq, sizeof kq);
    snprintf(line, sizeof line, "%s %s   %s %s", kh, _("help"), kq, _("back/quit"));
    ui_put(w, 0, 0, line, cols, TH_DIM, true);
}

static const char *state_text(const source_status *s, int64_t now_mono, char *buf, size_t cap,
                              ui_el *el)
{
    switch (s->state) {
    case SRC_ST_CONNECTED:
        *el = TH_STATUS_OK;
        return _("connected");
    case SRC_ST_CONNECTING:
        *el = TH_STATUS_WARN;
        return _("connecting");
    case SRC_ST_RETRYING: {
        int64_t left = (s->retry_at_us - now_mono + 999999) / 1000000;
        if (left < 0)
            left = 0;
        snprintf(buf, cap, _("retrying in %d s"), (int)left);
        *el = TH_STATUS_WARN;
        return buf;
    }
    case SRC_ST_FAILED:
        *el = TH_STATUS_ERR;
        return _("failed");
    case SRC_ST_DONE:
        *el = TH_STATUS;
        return _("finished"); /* not "done": that key is a review's status */
    default:
        *el = TH_STATUS;
        return _("idle");
    }
}

/* Fits a source's name ("agent /run/.../cxm-agent.sock") into cols columns
 * by dropping characters from the LEFT of its target, keeping the kind:
 * "agent …/cxm-agent.sock"; of a path or URL the end says which one it is. */
static int put_tail(WINDOW *w, int x, const char *s, int cols, ui_el el)
{
    if (cols <= 0)
        return 0;
    size_t len = strlen(s);
    if (text_width(s, len) <= cols)
        return ui_put(w, 0, x, s, cols, el, false);
    const char *dots = ui_glyphs_rich() ? "…" : "...";
    const char *sp = strchr(s, ' ');
    size_t head = sp ? (size_t)(sp - s) + 1 : 0;
    if (!strncmp(s + head, dots, strlen(dots)))
        head += strlen(dots); /* already shortened by the hub */
    int dw = text_width(s, head) + text_width(dots, strlen(dots));
    if (cols <= dw + 4) { /* too narrow for a kind: the tail alone */
        head = 0;
        dw = text_width(dots, strlen(dots));
    }
    if (cols <= dw)
        return ui_put(w, 0, x, s, cols, el, false);
    size_t i = head;
    while (i < len && text_width(s + i, len - i) > cols - dw) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++; /* a character boundary */
    }
    char buf[1024];
    const char *kind_end = sp ? sp + 1 : s;
    snprintf(buf, sizeof buf, "%.*s%s%s", head ? (int)(kind_end - s) : 0, s, dots, s + i);
    return ui_put(w, 0, x, buf, cols, el, false);
}

/* The Telegram forwarder of this console (NULL: off), for its state. */
static tgfwd *status_tg;
static char tg_text[360];  /* the English state: compared, never shown */
static char tg_shown[360]; /* the same in the UI language */

void ui_status_set_forwarder(tgfwd *f)
{
    status_tg = f;
}

void ui_status_draw(ui_app *app, WINDOW *w)
{
    struct ui_app_priv *p = app->priv;
    int cols = getmaxx(w);
    /* Names shift when a state or a counter changes width; curses would
     * send that as character deletes, which some terminals (tmux) apply
     * wrongly next to a multibyte "…": redraw the cells instead. */
    idcok(w, FALSE);
    werase(w);
    ui_put(w, 0, 0, "", cols, TH_STATUS, true);
    /* Right: the clock, always; then the database as room allows. */
    int clock_w = text_width(p->clock_text, strlen(p->clock_text));
    int right = cols - clock_w - 1;
    ui_put(w, 0, right, p->clock_text, clock_w, TH_STATUS, false);
    if (status_tg && tg_text[0]) { /* Telegram's state, left of the clock */
        char seg[400];
        snprintf(seg, sizeof seg, "TG: %s ", tg_shown);
        int tw = text_width(seg, strlen(seg));
        if (tw > right / 3)
            tw = right / 3;
        right -= tw;
        ui_put(w, 0, right, seg, tw, strncmp(tg_text, "idle", 4) ? TH_STATUS_WARN : TH_STATUS, false);
    }
    int x = 0;
    int64_t mono = time_mono_us();
    size_t n = app->hub ? hub_count(app->hub) : 0;
    if (!n)
        x += ui_put(w, 0, x, _("no sources"), right - x - 1, TH_STATUS_WARN, false);
    /* Each source gets an equal share: name, state, counters, then the
     * error if there is room (the message line carries it in full). */
    char db[400];
    snprintf(db, sizeof db, "%s %s", _("DB"), p->db_label[0] ? p->db_label : _("temporary"));
    int db_w = text_width(db, strlen(db));
    int reserve = cols >= 120 ? (db_w < right / 3 ? db_w : right / 3) + 2 : 0;
    int budget = n ? (right - reserve - 1) / (int)n : 0;
    for (size_t i = 0; i < n && budget > 3; i++) {
        const source_status *s = hub_status(app->hub, i);
        if (!s)
            continue;
        int end = x + budget, lim = end - 1; /* one space before the next */
        if (i)
            x += ui_put(w, 0, x, text_is_utf8() ? "│ " : "| ", end - x, TH_STATUS, false);
        char buf[64], seg[512];
        ui_el el;
        const char *st = state_text(s, mono, buf, sizeof buf, &el);
        char r[48], d[48], j[48];
        snprintf(r, sizeof r, _("recv %llu"), (unsigned long long)s->received);
        snprintf(d, sizeof d, _("dup %llu"), (unsigned long long)s->duplicates);
        snprintf(j, sizeof j, _("rej %llu"), (unsigned long long)s->rejected);
        snprintf(seg, sizeof seg, " %s %s %s", r, d, j);
        /* State and counters come first; the name gets what is left (at
         * least a few columns), shortened from the left. */
        int st_w = text_width(st, strlen(st)), seg_w = text_width(seg, strlen(seg));
        int name_w = lim - x - st_w - 1 - seg_w;
        if (name_w < 8)
            name_w = lim - x - st_w - 1;
        int name_cap = budget * 2 / 3 > 28 ? budget * 2 / 3 : 28;
        if (name_w > name_cap)
            name_w = name_cap;
        x += put_tail(w, x, s->name, name_w, TH_STATUS);
        x += ui_put(w, 0, x, " ", lim - x, TH_STATUS, false);
        x += ui_put(w, 0, x, st, lim - x, el, false);
        if (text_width(seg, strlen(seg)) <= lim - x)
            x += ui_put(w, 0, x, seg, lim - x, s->rejected ? TH_STATUS_WARN : TH_STATUS, false);
        if ((s->state == SRC_ST_RETRYING || s->state == SRC_ST_FAILED) && s->last_error[0] &&
            lim - x > 12) {
            snprintf(seg, sizeof seg, " (%s)", ui_source_error(s));
            x += ui_put(w, 0, x, seg, lim - x, el, false);
        }
        x += ui_put(w, 0, x, " ", end - x, TH_STATUS, false);
    }
    int room = right - x - 2;
    if (room > 8) {
        if (db_w > room)
            db_w = room;
        ui_put(w, 0, right - 1 - db_w, db, db_w, TH_STATUS, false);
    }
}

void ui_banner_draw(ui_app *app, WINDOW *w)
{
    int cols = getmaxx(w);
    if (!app->priv->alerts_open) { /* the line stays, empty */
        werase(w);
        return;
    }
    char keys[64], line[256], text[200];
    ui_keymap_keys(ACT_VIEW_ALERTS, keys, sizeof keys);
    snprintf(text, sizeof text, _("%zu open alert(s) — press %s to review"),
             app->priv->alerts_open, keys[0] ? keys : "?");
    snprintf(line, sizeof line, " %s %s", ui_glyph_bell(), text);
    ui_put(w, 0, 0, line, cols, TH_ALERT_BANNER, true);
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* A source that starts failing (or fails differently) says so once on the
 * message line: the status bar has room for a few words only. */
static void report_sources(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    size_t n = app->hub ? hub_count(app->hub) : 0;
    for (size_t i = 0; i < n && i < sizeof p->src_err_hash / sizeof p->src_err_hash[0]; i++) {
        const source_status *s = hub_status(app->hub, i);
        if (!s)
            continue;
        if (s->state == SRC_ST_CONNECTED) {
            /* Recovered: its error leaves the message line (unless something
             * else was said since), and the next failure is news again. */
            size_t nl = strlen(s->name);
            if (p->src_err_hash[i] && p->msg_level == UI_MSG_ERROR &&
                !strncmp(p->msg, s->name, nl) && p->msg[nl] == ':')
                ui_message(app, UI_MSG_INFO, _("%s: connected again"), s->name);
            p->src_err_hash[i] = 0;
            continue;
        }
        bool bad = s->state == SRC_ST_RETRYING || s->state == SRC_ST_FAILED;
        uint32_t h = bad && s->last_error[0] ? hash_str(s->last_error) : 0;
        if (!h || h == p->src_err_hash[i])
            continue; /* retrying <-> connecting with the same error: said already */
        p->src_err_hash[i] = h;
        ui_message(app, UI_MSG_ERROR, "%s: %s", s->name, ui_source_error(s));
    }
}

bool ui_status_tick(ui_app *app)
{
    struct ui_app_priv *p = app->priv;
    bool changed = false;
    report_sources(app);
    char clock[16];
    time_format_local(app->now_us, "%H:%M:%S", clock, sizeof clock);
    if (strcmp(clock, p->clock_text)) {
        snprintf(p->clock_text, sizeof p->clock_text, "%s", clock);
        p->status_dirty = changed = true;
    }
    size_t open = app->st ? alerts_open_count(app->st) : 0;
    if (open != p->alerts_open) {
        if (open > p->alerts_open)
            beep(); /* a new alert: the bell */
        p->alerts_open = open;
        p->banner_dirty = p->title_dirty = changed = true;
    }
    if (status_tg) {
        char t[sizeof tg_text];
        tgfwd_state(status_tg, t, sizeof t);
        if (strcmp(t, tg_text)) {
            bool stopped = !strncmp(t, "stopped", 7);
            snprintf(tg_text, sizeof tg_text, "%s", t);
            tgfwd_state_text(status_tg, tg_shown, sizeof tg_shown);
            p->status_dirty = changed = true;
            if (stopped) /* a permanent failure: said once, in full */
                ui_message(app, UI_MSG_ERROR, _("Telegram forwarding %s"), tg_shown);
        }
    }
    if (app->st && app->cfg)
        changed |= ui_status_alert_chores(app);
    return changed;
}

/* Acknowledged alerts that keep absorbing events ring again every
 * [alerts] rering_after events; quiet alerts close themselves after
 * [alerts] auto_close. Levels are remembered per alert id. */
#define RERING_MAX 64
static struct {
    int64_t id;
    int level;
} rering[RERING_MAX];

/* Auto-close is a write like an ack: it goes through the write queue, so
 * another process's write lock never freezes the console, and when it lands
 * every view rereads (our own commit does not move data_version). */
static bool auto_close_queued;
static int auto_closed; /* how many the last run closed */

static int auto_close_run(store *st, void *ud)
{
    ui_app *app = ud;
    auto_closed = alerts_auto_close(st, app->cfg->alert_auto_close_s);
    return auto_closed < 0 ? -1 : 0; /* a count is not a failure: commit */
}

static void auto_close_done(void *ud, int rc)
{
    ui_app *app = ud;
    auto_close_queued = false;
    if (rc == 0 && auto_closed > 0)
        ui_alerts_changed_here(app);
}

bool ui_status_alert_chores(ui_app *app)
{
    static int64_t last_close_us;
    bool changed = false;
    if (app->cfg->alert_auto_close_s > 0 && !auto_close_queued && app->wq &&
        app->now_us - last_close_us >= 10 * 1000000LL) {
        last_close_us = app->now_us;
        auto_close_queued = true; /* before: done may run inside wq_submit */
        if (wq_submit(app->wq, auto_close_run, auto_close_done, app, NULL) < 0)
            auto_close_queued = false;
    }
    int every = app->cfg->alert_rering_after;
    if (every <= 0)
        return changed;
    alert_growth *g = NULL;
    size_t n = 0;
    if (alerts_acked_growth(app->st, &g, &n) != 0)
        return changed;
    for (size_t i = 0; i < n; i++) {
        int level = g[i].since_ack / every, k = 0;
        while (k < RERING_MAX && rering[k].id && rering[k].id != g[i].id)
            k++;
        if (k == RERING_MAX)
            k = (int)(g[i].id % RERING_MAX); /* full: reuse a slot */
        if (rering[k].id != g[i].id) {
            rering[k].id = g[i].id;
            rering[k].level = 0;
        }
        if (level > rering[k].level) {
            rering[k].level = level;
            beep();
            ui_message(app, UI_MSG_ERROR, _("Alert %lld: %d more events since it was acknowledged"),
                       (long long)g[i].id, g[i].since_ack);
            changed = true;
        }
    }
    free(g);
    return changed;
}