/* See player_panel.h. The panel owns the clip (window, recordings, level
 * strip, the fetched copy of a clip link); the player itself is the
 * console's one player (audio.c). */
#include "player_panel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "cxm/linkfetch.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "uikeys.h"
#include "views_ui.h"

struct player_panel {
    ui_app *app;
    bool *dirty;
    event ev;
    bool have_ev;
    int kind;               /* the clip kind shown, -1 = main */
    ui_clip clip;
    bool prepared, loaded;  /* this clip is in the player */
    int strip_cols;         /* the level strip was computed for this width */
    char note[256];         /* the last message worth keeping on the panel */
    /* A clip link (no recordings of the whole window here) is fetched whole
     * for the level strip and the export; the player streams it itself. */
    enum { LINK_NONE, LINK_LOADING, LINK_READY, LINK_FAILED } link;
    linkfetch *lf;
    const char *link_file;  /* the fetched clip (owned by lf) when READY */
    char link_err[512];     /* why there is no strip / export, when FAILED */
    char strip_err[512];    /* why the fetched link has no strip (its format) */
};

static void on_player(void *ud)
{
    player_panel *pp = ud;
    *pp->dirty = true;
}

player_panel *player_panel_new(ui_app *app, bool *dirty)
{
    player_panel *pp = calloc(1, sizeof *pp);
    if (!pp)
        return NULL;
    pp->app = app;
    pp->dirty = dirty;
    pp->kind = -1;
    ui_audio_listen(on_player, pp);
    return pp;
}

void player_panel_free(player_panel *pp)
{
    if (!pp)
        return;
    ui_audio_listen(NULL, NULL);
    /* the clip it played ends with the panel */
    if (pp->loaded) {
        player *p = ui_audio_player(pp->app);
        if (p)
            player_stop(p);
    }
    linkfetch_free(pp->lf);
    ui_clip_free(&pp->clip);
    if (pp->have_ev)
        event_clear(&pp->ev);
    free(pp);
}

/* The fetch of the clip link ended (on the loop's thread). */
static void on_fetched(void *ud)
{
    player_panel *pp = ud;
    if (pp->link != LINK_LOADING)
        return;
    char err[512];
    if (linkfetch_result(pp->lf, &pp->link_file, err, sizeof err) == 0) {
        pp->link = LINK_READY;
        pp->strip_cols = 0; /* the strip is computed at the next draw */
    } else {
        pp->link = LINK_FAILED;
        snprintf(pp->link_err, sizeof pp->link_err, "%s", err);
        ui_message(pp->app, UI_MSG_ERROR, "%s", err);
    }
    *pp->dirty = true;
}

static void fetch_link(player_panel *pp)
{
    linkfetch_free(pp->lf);
    pp->lf = NULL;
    pp->link_file = NULL;
    pp->link_err[0] = '\0';
    pp->strip_err[0] = '\0';
    pp->link = LINK_NONE;
    const ui_clip *c = &pp->clip;
    if (!c->url[0] || c->have_plan || c->problem[0])
        return;
    char err[512];
    pp->lf = linkfetch_start(pp->app->lp, pp->app->cfg, c->url, NULL, on_fetched, pp, err, sizeof err);
    if (pp->lf) {
        pp->link = LINK_LOADING;
    } else {
        pp->link = LINK_FAILED;
        snprintf(pp->link_err, sizeof pp->link_err, "%s", err);
        ui_message(pp->app, UI_MSG_ERROR, "%s", err);
    }
}

static void prepare(player_panel *pp)
{
    ui_clip_free(&pp->clip);
    pp->loaded = false;
    pp->strip_cols = 0;
    ui_clip_prepare(pp->app, &pp->ev, pp->kind, &pp->clip);
    pp->prepared = true;
    pp->kind = (int)pp->clip.w.kind;
    fetch_link(pp);
    /* the lists' play key started this very clip: go on with it (Enter after
     * P must not restart what the supervisor is listening to) */
    pp->loaded = ui_audio_adopt(&pp->clip);
}

void player_panel_set_event(player_panel *pp, const event *ev)
{
    if (pp->have_ev)
        event_clear(&pp->ev);
    pp->have_ev = event_copy(&pp->ev, ev) == 0;
    pp->kind = -1;
    pp->note[0] = '\0';
    if (pp->have_ev)
        prepare(pp);
    *pp->dirty = true;
}

bool player_panel_autoplay(player_panel *pp)
{
    if (!pp->have_ev || pp->loaded || pp->clip.problem[0])
        return false;
    if (ui_audio_play(pp->app, &pp->clip) == 0)
        pp->loaded = true;
    *pp->dirty = true;
    return pp->loaded;
}

bool player_panel_position(player_panel *pp, int64_t *rel_ms)
{
    if (!pp->have_ev || !pp->loaded)
        return false;
    player *p = ui_audio_player(pp->app);
    if (!p)
        return false;
    const player_status *st = player_peek(p);
    int64_t d_us = ui_clip_window_time(&pp->clip, st->pos_s) - pp->clip.event_us;
    *rel_ms = d_us >= 0 ? (d_us + 500) / 1000 : -((-d_us + 500) / 1000);
    return true;
}

/* "−00:12" / "+00:20" (ASCII '-' without UTF-8). */
static void rel_time(ui_app *app, int64_t d_us, char *out, size_t cap)
{
    int64_t s = (d_us >= 0 ? d_us + 500000 : -d_us + 500000) / 1000000;
    const char *sign = d_us < -499999 ? (app->utf8 ? "\u2212" : "-") : "+";
    if (s >= 3600)
        snprintf(out, cap, "%s%lld:%02lld:%02lld", sign, (long long)(s / 3600),
                 (long long)(s / 60 % 60), (long long)(s % 60));
    else
        snprintf(out, cap, "%s%02lld:%02lld", sign, (long long)(s / 60), (long long)(s % 60));
}

static const player_status *status(player_panel *pp)
{
    static const player_status idle = {.speed = 1.0, .volume = 100, .loop_a = -1, .loop_b = -1};
    if (!pp->loaded)
        return &idle;
    player *p = ui_audio_player(pp->app);
    return p ? player_peek(p) : &idle;
}

static const char *state_word(player_state s)
{
    switch (s) {
    case PLAYER_LOADING: return _("opening");
    case PLAYER_PLAYING: return _("playing");
    case PLAYER_PAUSED: return _("paused");
    case PLAYER_ENDED: return _("at the end");
    case PLAYER_FAILED: return _("failed");
    default: return _("stopped");
    }
}

static void compute_strip(player_panel *pp, int cols)
{
    if (pp->strip_cols == cols || cols < 1)
        return;
    bool from_link = pp->link == LINK_READY;
    if (!from_link && (!pp->clip.have_plan || !pp->clip.plan.nseg))
        return;
    rec_levels_free(&pp->clip.lv);
    char err[256];
    const char *root = pp->app->cfg ? pp->app->cfg->recordings : NULL;
    /* a link is the whole clip: its strip spans the file */
    if (from_link) {
        /* export tries on and names the same format problem itself */
        if (rec_levels_file(pp->link_file, cols, &pp->clip.lv, err, sizeof err) != 0) {
            bool first = !pp->strip_err[0];
            snprintf(pp->strip_err, sizeof pp->strip_err, _("Level strip: %s"), err);
            if (first)
                ui_message(pp->app, UI_MSG_ERROR, "%s", pp->strip_err);
        }
    } else if (root && rec_levels_compute(root, &pp->clip.plan, cols, &pp->clip.lv, err, sizeof err) != 0) {
        snprintf(pp->note, sizeof pp->note, _("Level strip: %s"), err);
    }
    pp->strip_cols = cols;
}

/* Column of a window time on a strip of `cols` columns. */
static int col_of(const ui_clip *c, int64_t t_us, int cols)
{
    double f = (double)(t_us - c->w.from_us) / (double)(c->w.to_us - c->w.from_us);
    int x = (int)(f * cols);
    return x < 0 ? 0 : x >= cols ? cols - 1 : x;
}

void player_panel_draw(player_panel *pp, WINDOW *w, int y, int cols)
{
    ui_app *app = pp->app;
    for (int r = 0; r < PLAYER_PANEL_ROWS; r++) {
        wmove(w, y + r, 0);
        wclrtoeol(w);
    }
    if (!pp->have_ev || cols < 20)
        return;
    const ui_clip *c = &pp->clip;
    const player_status *st = status(pp);
    char line[1024], a[32], b[32], pos[32];
    if (c->problem[0] && !c->url[0]) {
        snprintf(line, sizeof line, "%s %s", _("Player:"), c->problem);
        ui_put(w, y, 0, line, cols, TH_MESSAGE_ERR, false);
    } else {
        rel_time(app, c->w.from_us - c->event_us, a, sizeof a);
        rel_time(app, c->w.to_us - c->event_us, b, sizeof b);
        rel_time(app, ui_clip_window_time(c, st->pos_s) - c->event_us, pos, sizeof pos);
        char keys[32];
        ui_keymap_keys(ACT_PLAYER_PLAY, keys, sizeof keys);
        snprintf(line, sizeof line, "%s %s  %s %s %s  %s  x%.2f  %s %d%%  %s: %s",
                 st->state == PLAYER_PLAYING ? (app->utf8 ? "\u25B6" : ">") : "=",
                 clip_kind_name(c->w.kind), a, pos, b, state_word(st->state), st->speed, _("vol"),
                 st->volume, keys, _("play/pause"));
        ui_put(w, y, 0, line, cols, TH_VALUE, false);
    }
    int sw = cols - 2;
    /* the position bar */
    if (sw > 4) {
        int64_t now_t = ui_clip_window_time(c, st->pos_s);
        int px = col_of(c, now_t, sw);
        for (int x = 0; x < sw; x++)
            mvwaddstr(w, y + 1, 1 + x, x < px ? "=" : x == px ? "o" : "-");
    }
    /* the level strip: one column per bucket, 8 heights from -60 to 0 dBFS */
    compute_strip(pp, sw);
    static const char *const blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
                                         "\u2585", "\u2586", "\u2587", "\u2588"};
    static const char ascii[] = "._-=+*#@";
    if (c->lv.n == sw) {
        for (int x = 0; x < sw; x++) {
            if (c->lv.missing[x]) {
                wattron(w, A_DIM);
                mvwaddstr(w, y + 2, 1 + x, app->utf8 ? "\u00D7" : "x");
                wattroff(w, A_DIM);
                continue;
            }
            double db = c->lv.db[x];
            int h = db <= -60 ? 0 : db >= 0 ? 7 : (int)((db + 60) / 60 * 8);
            h = h > 7 ? 7 : h;
            bool loud = db >= LEVELS_LOUD_DB;
            if (loud)
                wattron(w, A_BOLD);
            if (db <= LEVELS_FLOOR_DB + 1)
                mvwaddstr(w, y + 2, 1 + x, " ");
            else if (app->utf8)
                mvwaddstr(w, y + 2, 1 + x, blocks[h]);
            else
                mvwaddch(w, y + 2, 1 + x, (chtype)ascii[h]);
            if (loud)
                wattroff(w, A_BOLD);
        }
    } else if (pp->link == LINK_LOADING) {
        char ld[160];
        snprintf(ld, sizeof ld, "%s%s", _("loading the level strip"), app->utf8 ? "\u2026" : "...");
        ui_put(w, y + 2, 1, ld, sw, TH_DIM, false);
    } else if (pp->link == LINK_FAILED || pp->strip_err[0]) {
        ui_put(w, y + 2, 1, pp->strip_err[0] ? pp->strip_err : pp->link_err, sw, TH_MESSAGE_ERR,
               false);
    } else {
        ui_put(w, y + 2, 1, _("(no level strip: the clip is a link, or not recorded)"), sw, TH_DIM, false);
    }
    /* marks under the strip: the event's moment, A and B, the position */
    if (sw > 4) {
        if (c->event_us >= c->w.from_us && c->event_us <= c->w.to_us)
            mvwaddstr(w, y + 3, 1 + col_of(c, c->event_us, sw), "^");
        if (st->loop_a >= 0)
            mvwaddstr(w, y + 3, 1 + col_of(c, ui_clip_window_time(c, st->loop_a), sw), "A");
        if (st->loop_b >= 0)
            mvwaddstr(w, y + 3, 1 + col_of(c, ui_clip_window_time(c, st->loop_b), sw), "B");
    }
    /* the notice line: failures, missing seconds, SSH, warnings */
    char msg[512] = "";
    ui_el el = TH_DIM;
    if (st->state == PLAYER_FAILED) {
        ui_audio_describe(st, msg, sizeof msg);
        el = TH_MESSAGE_ERR;
    } else if (c->have_plan && c->plan.ngap) {
        char g[128];
        rec_gap_describe(&c->plan.gap[0], g, sizeof g);
        snprintf(msg, sizeof msg, _("Not recorded: %s (%zu gap(s); skipped, marked x)"), g,
                 c->plan.ngap);
        el = TH_MESSAGE_ERR;
    } else if (ui_audio_remote()) {
        char k[32];
        ui_keymap_keys(ACT_PLAYER_EXPORT, k, sizeof k);
        snprintf(msg, sizeof msg,
                 _("Over SSH: sound plays on the host the console runs on. %s exports the clip"), k);
    } else if (st->warning[0]) {
        snprintf(msg, sizeof msg, "%s", st->warning);
    } else if (pp->note[0]) {
        snprintf(msg, sizeof msg, "%s", pp->note);
    }
    ui_put(w, y + 4, 0, msg, cols, el, false);
}

static void export_clip(player_panel *pp)
{
    ui_app *app = pp->app;
    const ui_clip *c = &pp->clip;
    const char *root = app->cfg ? app->cfg->recordings : NULL;
    if (pp->link == LINK_LOADING) {
        ui_message(app, UI_MSG_HINT, "%s",
                   _("The clip link is still being fetched: export it when the level strip shows"));
        return;
    }
    if (pp->link == LINK_FAILED && !c->have_plan) {
        ui_message(app, UI_MSG_ERROR, _("Export failed: %s"), pp->link_err);
        return;
    }
    if (pp->link != LINK_READY && (!c->have_plan || !root)) {
        ui_message(app, UI_MSG_ERROR, "%s", c->problem[0] ? c->problem : _("Nothing to export"));
        return;
    }
    if (pp->link != LINK_READY && c->plan.ngap) {
        char g[128];
        rec_gap_describe(&c->plan.gap[0], g, sizeof g);
        ui_message(app, UI_MSG_ERROR, _("Not exported: not recorded %s"), g);
        return;
    }
    const char *home = getenv("HOME");
    char path[1024], err[1024], safe_id[EVENT_ID_MAX + 1];
    rec_desk_dir(c->event_id, safe_id, sizeof safe_id);
    snprintf(path, sizeof path, "%s/cxm-clip-%s-%s.wav", home && *home ? home : ".", safe_id,
             clip_kind_name(c->w.kind));
    int rc = pp->link == LINK_READY ? rec_export_file_wav(pp->link_file, path, err, sizeof err)
                                    : rec_export_wav(root, &c->plan, path, err, sizeof err);
    if (rc != 0)
        ui_message(app, UI_MSG_ERROR, _("Export failed: %s"), err);
    else
        ui_message(app, UI_MSG_INFO, _("Exported to %s"), path);
}

static void next_kind(player_panel *pp, int dir)
{
    clip_window w[CLIP_KIND_COUNT];
    clip_visit visit = {-1, -1};
    int n = clip_windows(pp->app->cfg, &pp->ev, &visit, w, CLIP_KIND_COUNT);
    /* the visit window needs the store: ui_clip_prepare tells when it is absent */
    int kinds[CLIP_KIND_COUNT], nk = 0;
    for (int i = 0; i < n; i++)
        kinds[nk++] = (int)w[i].kind;
    if (pp->ev.visit && (pp->ev.type == EV_RATING || pp->ev.type == EV_SILENT)) {
        bool has = false;
        for (int i = 0; i < nk; i++)
            has |= kinds[i] == CLIP_VISIT;
        if (!has)
            kinds[nk++] = CLIP_VISIT;
    }
    if (nk < 2)
        return;
    int cur = 0;
    for (int i = 0; i < nk; i++)
        if (kinds[i] == pp->kind)
            cur = i;
    pp->kind = kinds[(cur + dir + nk) % nk];
    prepare(pp);
    ui_message(pp->app, UI_MSG_INFO, _("Clip: %s"), clip_kind_name((clip_kind)pp->kind));
}

int player_panel_action(player_panel *pp, int action)
{
    if (!pp->have_ev)
        return UI_IGNORED;
    ui_app *app = pp->app;
    player *p = NULL;
    bool needs_player = action != ACT_PLAYER_EXPORT && action != ACT_PLAYER_NEXT_CLIP &&
                        action != ACT_PLAYER_PREV_CLIP;
    switch (action) {
    case ACT_PLAYER_PLAY: case ACT_PLAYER_BACK: case ACT_PLAYER_FORWARD: case ACT_PLAYER_BACK_LONG:
    case ACT_PLAYER_FORWARD_LONG: case ACT_PLAYER_SLOWER: case ACT_PLAYER_FASTER:
    case ACT_PLAYER_SPEED_RESET: case ACT_PLAYER_AB_LOOP: case ACT_PLAYER_VOLUME_DOWN:
    case ACT_PLAYER_VOLUME_UP: case ACT_PLAYER_REPLAY: case ACT_PLAYER_NEXT_LOUD:
    case ACT_PLAYER_SKIP_SILENCE: case ACT_PLAYER_EXPORT: case ACT_PLAYER_NEXT_CLIP:
    case ACT_PLAYER_PREV_CLIP:
        break;
    default:
        return UI_IGNORED;
    }
    if (needs_player) {
        if (!pp->loaded) {
            /* the first key of any kind starts the clip */
            if (ui_audio_play(app, &pp->clip) == 0)
                pp->loaded = true;
            *pp->dirty = true;
            if (action == ACT_PLAYER_PLAY || !pp->loaded)
                return UI_HANDLED | UI_REDRAW;
        }
        if (!(p = ui_audio_player(app)))
            return UI_HANDLED;
    }
    const player_status *st = p ? player_peek(p) : NULL;
    switch (action) {
    case ACT_PLAYER_PLAY: player_toggle_pause(p); break;
    case ACT_PLAYER_BACK: player_seek_by(p, -5); break;
    case ACT_PLAYER_FORWARD: player_seek_by(p, 5); break;
    case ACT_PLAYER_BACK_LONG: player_seek_by(p, -30); break;
    case ACT_PLAYER_FORWARD_LONG: player_seek_by(p, 30); break;
    case ACT_PLAYER_SLOWER: player_set_speed(p, st->speed - 0.1); break;
    case ACT_PLAYER_FASTER: player_set_speed(p, st->speed + 0.1); break;
    case ACT_PLAYER_SPEED_RESET: player_set_speed(p, 1.0); break;
    case ACT_PLAYER_AB_LOOP: player_ab_cycle(p); break;
    case ACT_PLAYER_VOLUME_DOWN: player_set_volume(p, st->volume - 5); break;
    case ACT_PLAYER_VOLUME_UP: player_set_volume(p, st->volume + 5); break;
    case ACT_PLAYER_REPLAY: player_replay(p); break;
    case ACT_PLAYER_NEXT_LOUD:
    case ACT_PLAYER_SKIP_SILENCE: {
        const ui_clip *c = &pp->clip;
        if (!c->lv.n) {
            ui_message(app, UI_MSG_HINT, "%s", _("No level strip for this clip"));
            break;
        }
        double wt = (double)(ui_clip_window_time(c, st->pos_s) - c->w.from_us) / 1e6;
        double to = action == ACT_PLAYER_NEXT_LOUD
                        ? rec_levels_next_loud(&c->lv, wt, LEVELS_LOUD_DB)
                        : rec_levels_skip_silence(&c->lv, wt, LEVELS_SILENT_DB);
        if (to < 0)
            ui_message(app, UI_MSG_HINT, "%s",
                       action == ACT_PLAYER_NEXT_LOUD ? _("No louder stretch after this point")
                                                      : _("Silent to the end"));
        else
            player_seek(p, ui_clip_player_pos(c, c->w.from_us + (int64_t)(to * 1e6)));
        break;
    }
    case ACT_PLAYER_EXPORT: export_clip(pp); break;
    case ACT_PLAYER_NEXT_CLIP: next_kind(pp, 1); break;
    case ACT_PLAYER_PREV_CLIP: next_kind(pp, -1); break;
    default: break;
    }
    *pp->dirty = true;
    return UI_HANDLED | UI_REDRAW;
}
