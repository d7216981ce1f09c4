/* See audio.h. */
#include "audio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxm/cliplink.h"
#include "cxm/views.h"

static struct {
    player *p;
    ui_app *app;
    int saved_stderr;
    void (*cb)(void *);
    void *ud;
    ui_clip now;          /* what plays, for the lists' play key */
    bool failed_once;
    /* what was last loaded into the player: a detail opened on it adopts it */
    char loaded_id[EVENT_ID_MAX + 1];
    clip_window loaded_w;
    bool loaded_link;
    char last_fail[512]; /* the failure last put on the message line */
} A = {.saved_stderr = -1};

bool ui_audio_remote(void)
{
    const char *ssh = getenv("SSH_CONNECTION"), *pulse = getenv("PULSE_SERVER");
    return ssh && *ssh && !(pulse && *pulse);
}

/* $CXM_AUDIO_LOG, else $XDG_STATE_HOME/cxm-console/audio.log (~/.local/state). */
static void log_path(char *out, size_t cap)
{
    const char *e = getenv("CXM_AUDIO_LOG");
    if (e && *e) {
        snprintf(out, cap, "%s", e);
        return;
    }
    const char *st = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
    char dir[900];
    if (st && *st)
        snprintf(dir, sizeof dir, "%s/cxm-console", st);
    else if (home && *home)
        snprintf(dir, sizeof dir, "%s/.local/state/cxm-console", home);
    else
        snprintf(dir, sizeof dir, "/tmp");
    /* mkdir -p of the last two levels is enough for the usual layouts */
    char parent[900];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash && slash != parent) {
        *slash = '\0';
        mkdir(parent, 0700);
    }
    mkdir(dir, 0700);
    snprintf(out, cap, "%s/audio.log", dir);
}

static void on_change(void *ud)
{
    (void)ud;
    /* A failure that comes later (an HTTP error, the audio output) reaches
     * the message line even when no panel is on screen (the lists' play key);
     * once per distinct text: the HTTP status may complete it afterwards. */
    const player_status *st = A.p ? player_peek(A.p) : NULL;
    if (st && A.app && st->state == PLAYER_FAILED) {
        char msg[sizeof A.last_fail];
        ui_audio_describe(st, msg, sizeof msg);
        if (msg[0] && strcmp(msg, A.last_fail) != 0) {
            snprintf(A.last_fail, sizeof A.last_fail, "%s", msg);
            ui_message(A.app, UI_MSG_ERROR, "%s", msg);
        }
    }
    if (A.cb)
        A.cb(A.ud);
}

player *ui_audio_player(ui_app *app)
{
    if (A.p)
        return A.p;
    char logp[1024], err[256];
    log_path(logp, sizeof logp);
    /* The libraries' threads may write to fd 2 (ALSA probing, VLC): from
     * now on it is the log file, never the terminal curses draws on. */
    int fd = open(logp, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd >= 0) {
        A.saved_stderr = dup(2);
        dup2(fd, 2);
        close(fd);
    }
    player_opts o;
    memset(&o, 0, sizeof o);
    int b = player_backend_from_name(app->cfg ? app->cfg->audio_backend : "mpv");
    o.backend = b < 0 ? PLAYER_MPV : (player_backend)b;
    const char *out = getenv("CXM_AUDIO_OUTPUT");
    o.output = out && *out ? out : app->cfg ? app->cfg->audio_output : "auto";
    o.log_path = logp;
    A.app = app;
    A.p = player_new(app->lp, &o, on_change, NULL, err, sizeof err);
    if (!A.p) {
        ui_message(app, UI_MSG_ERROR, _("The audio player cannot start (%s): see %s"), err, logp);
        ui_audio_shutdown();
        return NULL;
    }
    return A.p;
}

void ui_audio_listen(void (*cb)(void *ud), void *ud)
{
    A.cb = cb;
    A.ud = ud;
}

void ui_audio_shutdown(void)
{
    player_free(A.p);
    A.p = NULL;
    A.loaded_id[0] = '\0';
    ui_clip_free(&A.now);
    if (A.saved_stderr >= 0) {
        dup2(A.saved_stderr, 2);
        close(A.saved_stderr);
        A.saved_stderr = -1;
    }
    A.cb = NULL;
}

void ui_clip_free(ui_clip *c)
{
    rec_plan_free(&c->plan);
    rec_list_free(&c->files);
    rec_levels_free(&c->lv);
    memset(c, 0, sizeof *c);
}

void ui_clip_prepare(ui_app *app, const event *ev, int k, ui_clip *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->event_id, sizeof c->event_id, "%s", ev->id);
    c->event_us = ev->ts_us;
    clip_kind kind = k >= 0 ? (clip_kind)k : clip_main_kind(ev->type);
    views *q = views_new(app->st, app->cfg ? &app->cfg->rules : NULL);
    views_clip vc[CLIP_KIND_COUNT];
    int n = q ? views_clip_windows(q, app->cfg, ev, vc, CLIP_KIND_COUNT) : 0;
    views_free(q);
    int found = -1;
    for (int i = 0; i < n; i++)
        if (vc[i].kind == kind)
            found = i;
    if (found < 0) {
        snprintf(c->problem, sizeof c->problem, _("This event has no %s clip"), clip_kind_name(kind));
        return;
    }
    c->w.kind = kind;
    c->w.from_us = vc[found].from_us;
    c->w.to_us = vc[found].to_us;
    /* Only an http(s) link is fetched; the sim's and the demo's links are
     * paths into the recordings, which the index below covers. */
    if (cliplink_playable(vc[found].url))
        snprintf(c->url, sizeof c->url, "%s", vc[found].url);
    const char *root = app->cfg ? app->cfg->recordings : NULL;
    if (!root || !ev->desk) {
        if (!c->url[0])
            snprintf(c->problem, sizeof c->problem, "%s",
                     _("No recordings folder is configured and no clip link came for this event"));
        return;
    }
    char err[512];
    if (rec_plan_desk(app->st, root, ev->desk, c->w.from_us, c->w.to_us, &c->files, &c->plan, err,
                      sizeof err) != 0) {
        if (!c->url[0])
            snprintf(c->problem, sizeof c->problem, _("Recordings: %s"), err);
        return;
    }
    c->have_plan = true;
    bool whole = c->plan.nseg && !c->plan.ngap;
    if (!whole && c->url[0]) {
        /* The recordings here do not hold the whole window: the feed's link
         * does (a head office has no desk recordings at all). */
        rec_plan_free(&c->plan);
        rec_list_free(&c->files);
        c->have_plan = false;
        return;
    }
    c->url[0] = '\0'; /* the window is wholly here: sample-exact, no network */
    for (size_t i = 0; i < c->plan.ngap; i++)
        if (c->plan.gap[i].unreadable) {
            snprintf(c->problem, sizeof c->problem, _("Cannot read the recording %s: %s"),
                     c->plan.gap[i].unreadable->path, c->plan.gap[i].unreadable->error);
            return;
        }
    if (!c->plan.nseg)
        snprintf(c->problem, sizeof c->problem, "%s", _("Nothing of this clip is recorded"));
}

int64_t ui_clip_window_time(const ui_clip *c, double pos_s)
{
    if (!c->have_plan || !c->plan.nseg)
        return c->w.from_us + (int64_t)(pos_s * 1e6);
    double cum = 0;
    for (size_t i = 0; i < c->plan.nseg; i++) {
        const rec_segment *s = &c->plan.seg[i];
        double len = (double)(s->to_frame - s->from_frame) / s->file->rate;
        if (pos_s < cum + len || i + 1 == c->plan.nseg)
            return s->from_us + (int64_t)((pos_s - cum) * 1e6);
        cum += len;
    }
    return c->w.to_us;
}

double ui_clip_player_pos(const ui_clip *c, int64_t t_us)
{
    if (!c->have_plan || !c->plan.nseg)
        return (double)(t_us - c->w.from_us) / 1e6;
    double cum = 0;
    for (size_t i = 0; i < c->plan.nseg; i++) {
        const rec_segment *s = &c->plan.seg[i];
        double len = (double)(s->to_frame - s->from_frame) / s->file->rate;
        if (t_us < s->to_us)
            return cum + (t_us > s->from_us ? (double)(t_us - s->from_us) / 1e6 : 0);
        cum += len;
    }
    return cum;
}

int ui_audio_play(ui_app *app, const ui_clip *c)
{
    if (c->problem[0]) {
        ui_message(app, UI_MSG_ERROR, "%s", c->problem);
        return -1;
    }
    player *p = ui_audio_player(app);
    if (!p)
        return -1;
    A.last_fail[0] = '\0';
    const char *root = app->cfg ? app->cfg->recordings : NULL;
    bool use_plan = c->have_plan && c->plan.nseg;
    int rc;
    if (use_plan) {
        rc = player_load(p, root, &c->plan, NULL, false);
    } else {
        /* the cloud's token goes to the cloud's own host only */
        cliplink_auth au;
        char err[512];
        if (cliplink_auth_for(app->cfg, c->url, &au, err, sizeof err) != 0) {
            ui_message(app, UI_MSG_ERROR, _("The clip link is the cloud's, but its token cannot be used: %s"),
                       err);
            return -1;
        }
        player_http h = {au.bearer, au.ca_file};
        rc = player_load_url(p, c->url, &h, false);
        cliplink_auth_clear(&au);
    }
    A.loaded_id[0] = '\0';
    if (rc == 0) {
        snprintf(A.loaded_id, sizeof A.loaded_id, "%s", c->event_id);
        A.loaded_w = c->w;
        A.loaded_link = !use_plan;
    }
    if (rc != 0) {
        char msg[512];
        ui_audio_describe(player_peek(p), msg, sizeof msg);
        ui_message(app, UI_MSG_ERROR, "%s", msg);
        return -1;
    }
    if (use_plan && c->plan.ngap) {
        char g[128];
        rec_gap_describe(&c->plan.gap[0], g, sizeof g);
        ui_message(app, UI_MSG_HINT, _("Not recorded: %s (skipped)"), g);
    } else if (ui_audio_remote()) {
        ui_message(app, UI_MSG_HINT, "%s",
                   _("Sound plays on the host the console runs on, not on your computer"));
    }
    return 0;
}

void ui_audio_play_event(ui_app *app, const char *event_id)
{
    views *q = views_new(app->st, app->cfg ? &app->cfg->rules : NULL);
    event ev;
    int rc = q ? views_event_get(q, event_id, &ev) : -1;
    views_free(q);
    if (rc != 0) {
        ui_message(app, UI_MSG_ERROR, _("%s: not found"), event_id);
        return;
    }
    ui_clip_free(&A.now);
    ui_clip_prepare(app, &ev, -1, &A.now);
    if (ui_audio_play(app, &A.now) == 0 && !A.now.plan.ngap && !ui_audio_remote())
        ui_message(app, UI_MSG_INFO, _("Playing the %s clip of %s; Enter opens the player"),
                   clip_kind_name(A.now.w.kind), event_id);
    event_clear(&ev);
}

bool ui_audio_adopt(const ui_clip *c)
{
    if (!A.p || !A.loaded_id[0] || c->problem[0] || strcmp(A.loaded_id, c->event_id) != 0 ||
        A.loaded_w.kind != c->w.kind || A.loaded_w.from_us != c->w.from_us ||
        A.loaded_w.to_us != c->w.to_us || A.loaded_link != !(c->have_plan && c->plan.nseg))
        return false;
    player_state s = player_peek(A.p)->state;
    return s == PLAYER_LOADING || s == PLAYER_PLAYING || s == PLAYER_PAUSED || s == PLAYER_ENDED;
}

void ui_audio_describe(const player_status *st, char *out, size_t cap)
{
    switch (st->errcode) {
    case PLAYER_E_OUTPUT:
        snprintf(out, cap, "%s", _("Audio output failed: no sound device here (export the clip instead)"));
        break;
    case PLAYER_E_OPEN:
        snprintf(out, cap, _("Cannot play the clip: %s"), st->error);
        break;
    case PLAYER_E_INEXACT:
        snprintf(out, cap, _("The vlc player cannot play this clip exactly: %s"), st->error);
        break;
    case PLAYER_E_INIT:
        snprintf(out, cap, _("The audio player cannot start: %s"), st->error);
        break;
    case PLAYER_E_LINK:
        if (st->http_status)
            snprintf(out, cap, _("The clip link answered HTTP %d (%s)"), st->http_status, st->error);
        else
            snprintf(out, cap, _("The clip link cannot be reached (%s)"), st->error);
        break;
    case PLAYER_E_EMPTY:
        snprintf(out, cap, "%s", _("Nothing to play"));
        break;
    default:
        snprintf(out, cap, "%s", st->warning);
        break;
    }
}
