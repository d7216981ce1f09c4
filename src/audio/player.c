/* The player front (include/cxm/player.h): clamping, the A-B cycle, the
 * status and its changed bits; the backends do the playing. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audio/player_priv.h"
#include "cxm/i18n.h"
#include "cxm/timefmt.h"

static const char *const backend_names[PLAYER_BACKEND_COUNT] = {"mpv", "vlc"};

const char *player_backend_name(player_backend b)
{
    return (unsigned)b < PLAYER_BACKEND_COUNT ? backend_names[b] : "?";
}

int player_backend_from_name(const char *name)
{
    for (int i = 0; name && i < PLAYER_BACKEND_COUNT; i++)
        if (!strcasecmp(name, backend_names[i]))
            return i;
    return -1;
}

bool player_backend_available(player_backend b)
{
#ifdef CXM_HAVE_MPV
    if (b == PLAYER_MPV)
        return true;
#endif
#ifdef CXM_HAVE_VLC
    if (b == PLAYER_VLC)
        return true;
#endif
    (void)b;
    return false;
}

static const player_ops *ops_of(player_backend b)
{
#ifdef CXM_HAVE_MPV
    if (b == PLAYER_MPV)
        return &player_mpv_ops;
#endif
#ifdef CXM_HAVE_VLC
    if (b == PLAYER_VLC)
        return &player_vlc_ops;
#endif
    (void)b;
    return NULL;
}

void player_set_state(player *p, player_state s)
{
    if (p->st.state != s) {
        p->st.state = s;
        p->st.changed |= PLAYER_CH_STATE;
    }
}

void player_set_pos(player *p, double pos_s)
{
    if (pos_s < 0)
        pos_s = 0;
    if (p->st.len_s > 0 && pos_s > p->st.len_s)
        pos_s = p->st.len_s;
    if (fabs(pos_s - p->st.pos_s) > 1e-6) {
        p->st.pos_s = pos_s;
        p->st.changed |= PLAYER_CH_POS;
    }
}

void player_fail(player *p, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->st.error, sizeof p->st.error, fmt, ap);
    va_end(ap);
    p->st.errcode = code;
    p->st.changed |= PLAYER_CH_MESSAGE;
    player_set_state(p, PLAYER_FAILED);
}

void player_warn(player *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->st.warning, sizeof p->st.warning, fmt, ap);
    va_end(ap);
    p->st.changed |= PLAYER_CH_MESSAGE;
}

void player_first_audio(player *p)
{
    if (!p->st.first_audio_us)
        p->st.first_audio_us = time_mono_us();
}

void player_wake(void *p)
{
    loop_notifier_notify(((player *)p)->nt);
}

static void changed(player *p)
{
    if (p->st.changed && p->cb)
        p->cb(p->ud);
}

static void on_notify(void *ud)
{
    player *p = ud;
    p->ops->drain(p);
    changed(p);
}

player *player_new(loop *lp, const player_opts *o, player_change_cb on_change, void *ud,
                   char *err, size_t errlen)
{
    const player_ops *ops = ops_of(o->backend);
    if (!ops) {
        snprintf(err, errlen, _("the %s audio backend is not built in"), player_backend_name(o->backend));
        return NULL;
    }
    player *p = calloc(1, sizeof *p);
    if (!p || !(p->nt = loop_notifier_new(lp, on_notify, p))) {
        free(p);
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    p->ops = ops;
    p->lp = lp;
    p->cb = on_change;
    p->ud = ud;
    p->st.speed = 1.0;
    p->st.volume = 100;
    p->st.loop_a = p->st.loop_b = -1;
    if (ops->open(p, o, err, errlen) != 0) {
        loop_notifier_free(p->nt);
        free(p);
        return NULL;
    }
    return p;
}

static void timeline_free(player_timeline *tl)
{
    for (size_t i = 0; i < tl->n; i++)
        free(tl->items[i].path);
    free(tl->items);
    if (tl->bearer)
        explicit_bzero(tl->bearer, strlen(tl->bearer));
    free(tl->bearer);
    free(tl->ca_file);
    memset(tl, 0, sizeof *tl);
}

void player_free(player *p)
{
    if (!p)
        return;
    p->ops->close(p); /* the library's threads are gone after this */
    loop_notifier_free(p->nt);
    timeline_free(&p->tl);
    free(p);
}

static int build_timeline(player *p, const char *root, const rec_plan *plan, const char *url)
{
    player_timeline *tl = &p->tl;
    size_t n = url ? (*url ? 1 : 0) : plan ? plan->nseg : 0;
    if (!n)
        return -1;
    tl->items = calloc(n, sizeof *tl->items);
    if (!tl->items)
        return -1;
    tl->n = n;
    if (url) {
        tl->is_url = true;
        tl->items[0].end_s = -1;
        return (tl->items[0].path = strdup(url)) ? 0 : -1;
    }
    for (size_t i = 0; i < n; i++) {
        const rec_segment *sg = &plan->seg[i];
        player_item *it = &tl->items[i];
        size_t len = strlen(root) + strlen(sg->file->path) + 2;
        if (!(it->path = malloc(len)))
            return -1;
        snprintf(it->path, len, "%s/%s", root, sg->file->path);
        it->rate = sg->file->rate;
        it->channels = sg->file->channels;
        it->from_frame = sg->from_frame;
        it->to_frame = sg->to_frame;
        it->format = sg->file->format;
        it->start_s = (double)sg->from_frame / sg->file->rate;
        it->end_s = (double)sg->to_frame / sg->file->rate;
        tl->len_s += it->end_s - it->start_s;
    }
    return 0;
}

static int load(player *p, const char *root, const rec_plan *plan, const char *url,
                const player_http *h, bool paused)
{
    p->ops->stop(p);
    timeline_free(&p->tl);
    p->st.error[0] = p->st.warning[0] = '\0';
    p->st.errcode = PLAYER_E_NONE;
    p->st.http_status = 0;
    p->st.loop_a = p->st.loop_b = -1;
    p->st.pos_s = 0;
    p->st.first_audio_us = 0;
    p->st.load_us = time_mono_us();
    p->st.changed |= PLAYER_CH_POS | PLAYER_CH_LOOP | PLAYER_CH_MESSAGE;
    int built = build_timeline(p, root, plan, url);
    if (built == 0 && h && h->bearer && !(p->tl.bearer = strdup(h->bearer)))
        built = -1;
    if (built == 0 && h && h->ca_file && !(p->tl.ca_file = strdup(h->ca_file)))
        built = -1;
    if (built != 0) {
        timeline_free(&p->tl);
        player_fail(p, PLAYER_E_EMPTY, _("nothing to play"));
        changed(p);
        return -1;
    }
    p->st.len_s = p->tl.len_s;
    player_set_state(p, PLAYER_LOADING);
    int rc = p->ops->load(p, paused);
    if (rc != 0 && p->st.state != PLAYER_FAILED)
        player_fail(p, PLAYER_E_OPEN, _("cannot load the clip"));
    changed(p);
    return rc;
}

int player_load(player *p, const char *root, const rec_plan *plan, const char *url, bool paused)
{
    return load(p, root, plan, url, NULL, paused);
}

int player_load_url(player *p, const char *url, const player_http *h, bool paused)
{
    return load(p, NULL, NULL, url ? url : "", h, paused);
}

void player_stop(player *p)
{
    p->ops->stop(p);
    player_set_state(p, PLAYER_IDLE);
    changed(p);
}

static bool active(const player *p)
{
    return p->st.state == PLAYER_PLAYING || p->st.state == PLAYER_PAUSED ||
           p->st.state == PLAYER_ENDED || p->st.state == PLAYER_LOADING;
}

void player_toggle_pause(player *p)
{
    if (p->st.state == PLAYER_ENDED) {
        player_replay(p);
        return;
    }
    if (!active(p))
        return;
    p->ops->set_pause(p, p->st.state != PLAYER_PAUSED);
    changed(p);
}

void player_replay(player *p)
{
    if (!active(p))
        return;
    p->ops->seek(p, 0);
    p->ops->set_pause(p, false);
    changed(p);
}

void player_seek(player *p, double pos_s)
{
    if (!active(p))
        return;
    if (pos_s < 0)
        pos_s = 0;
    /* mpv would happily seek before `start` or past `end`: keep to the clip. */
    if (p->st.len_s > 0 && pos_s > p->st.len_s)
        pos_s = p->st.len_s;
    p->ops->seek(p, pos_s);
    player_set_pos(p, pos_s);
    changed(p);
}

void player_seek_by(player *p, double delta_s)
{
    player_seek(p, p->st.pos_s + delta_s);
}

void player_set_speed(player *p, double speed)
{
    if (!(speed >= PLAYER_SPEED_MIN))
        speed = PLAYER_SPEED_MIN;
    if (speed > PLAYER_SPEED_MAX)
        speed = PLAYER_SPEED_MAX;
    speed = round(speed * 100) / 100;
    if (fabs(speed - p->st.speed) < 1e-9)
        return;
    p->st.speed = speed;
    p->st.changed |= PLAYER_CH_SPEED;
    p->ops->set_speed(p, speed);
    changed(p);
}

void player_set_volume(player *p, int volume)
{
    volume = volume < 0 ? 0 : volume > 100 ? 100 : volume;
    if (volume == p->st.volume)
        return;
    p->st.volume = volume;
    p->st.changed |= PLAYER_CH_VOLUME;
    p->ops->set_volume(p, volume);
    changed(p);
}

void player_ab_cycle(player *p)
{
    if (!active(p))
        return;
    if (p->st.loop_a < 0) {
        p->st.loop_a = p->st.pos_s;
    } else if (p->st.loop_b < 0) {
        double a = p->st.loop_a, b = p->st.pos_s;
        if (b < a) {
            double t = a;
            a = b;
            b = t;
        }
        if (b - a < 0.05) /* too short to be a loop: start over */
            return;
        p->st.loop_a = a;
        p->st.loop_b = b;
        p->ops->set_loop(p, a, b);
    } else {
        p->st.loop_a = p->st.loop_b = -1;
        p->ops->set_loop(p, -1, -1);
    }
    p->st.changed |= PLAYER_CH_LOOP;
    changed(p);
}

void player_snapshot(player *p, player_status *out)
{
    *out = p->st;
    p->st.changed = 0;
}

const player_status *player_peek(const player *p)
{
    return &p->st;
}
