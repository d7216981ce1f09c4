/* The libvlc backend (DESIGN §6, §13). libvlc's event callbacks run on VLC's
 * threads: they only record which event came (atomics) and raise the loop's
 * notifier; stopping or releasing inside one would deadlock. libvlc is less
 * exact than libmpv and this backend says so instead of playing the wrong
 * audio: a clip across files is refused (libvlc cannot join them exactly),
 * Ogg with a non-zero start is refused (it plays ~0.6 s then stops), and
 * every other clip plays with a warning: the end may overshoot by ~50 ms, and
 * on a loaded machine :start-time was seen ignored (2 s early). */
#ifdef CXM_HAVE_VLC
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vlc/vlc.h>

#include "audio/player_priv.h"
#include "cxm/i18n.h"

enum { EV_PLAYING = 1, EV_PAUSED = 2, EV_END = 4, EV_ERROR = 8, EV_TIME = 16, EV_STOPPED = 32 };

typedef struct {
    libvlc_instance_t *inst;
    libvlc_media_player_t *mp;
    FILE *log;
    atomic_uint pending;
    player *owner;
    double start_s, end_s; /* of the one file, seconds; end < 0: none */
    bool ended;
    int ab_left;
} vlcb;

static vlcb *B(player *p)
{
    return p->impl;
}

/* On a VLC thread: note it, wake the loop, nothing else. */
static void on_event(const struct libvlc_event_t *e, void *ud)
{
    vlcb *b = ud;
    unsigned bit = 0;
    switch (e->type) {
    case libvlc_MediaPlayerPlaying: bit = EV_PLAYING; break;
    case libvlc_MediaPlayerPaused: bit = EV_PAUSED; break;
    case libvlc_MediaPlayerEndReached: bit = EV_END; break;
    case libvlc_MediaPlayerEncounteredError: bit = EV_ERROR; break;
    case libvlc_MediaPlayerTimeChanged: bit = EV_TIME; break;
    case libvlc_MediaPlayerStopped: bit = EV_STOPPED; break;
    default: return;
    }
    atomic_fetch_or(&b->pending, bit);
    player_wake(b->owner);
}

static const libvlc_event_type_t watched[] = {
    libvlc_MediaPlayerPlaying, libvlc_MediaPlayerPaused, libvlc_MediaPlayerEndReached,
    libvlc_MediaPlayerEncounteredError, libvlc_MediaPlayerTimeChanged, libvlc_MediaPlayerStopped};

static int vlc_open(player *p, const player_opts *o, char *err, size_t errlen)
{
    vlcb *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    b->owner = p;
    const char *out = o->output && *o->output ? o->output : "auto";
    char file_arg[1100];
    const char *argv[12];
    int argc = 0;
    argv[argc++] = "--intf=dummy";
    argv[argc++] = "--no-video";
    argv[argc++] = "--quiet";
    argv[argc++] = "--no-stats";
    if (!strcmp(out, "null")) {
        argv[argc++] = "--aout=adummy";
    } else if (!strncmp(out, "pcm:", 4) && out[4]) {
        argv[argc++] = "--aout=afile";
        snprintf(file_arg, sizeof file_arg, "--audiofile-file=%s", out + 4);
        argv[argc++] = file_arg;
        argv[argc++] = "--audiofile-wav";
    }
    b->inst = libvlc_new(argc, argv);
    if (!b->inst) {
        snprintf(err, errlen, _("libvlc could not start"));
        free(b);
        return -1;
    }
    if (o->log_path && (b->log = fopen(o->log_path, "a")))
        libvlc_log_set_file(b->inst, b->log);
    else
        libvlc_log_unset(b->inst);
    b->mp = libvlc_media_player_new(b->inst);
    if (!b->mp) {
        snprintf(err, errlen, _("libvlc could not create a player"));
        libvlc_release(b->inst);
        if (b->log)
            fclose(b->log);
        free(b);
        return -1;
    }
    libvlc_event_manager_t *em = libvlc_media_player_event_manager(b->mp);
    for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++)
        libvlc_event_attach(em, watched[i], on_event, b);
    p->impl = b;
    return 0;
}

static void vlc_close(player *p)
{
    vlcb *b = B(p);
    if (!b)
        return;
    libvlc_media_player_stop(b->mp);
    libvlc_event_manager_t *em = libvlc_media_player_event_manager(b->mp);
    for (size_t i = 0; i < sizeof watched / sizeof watched[0]; i++)
        libvlc_event_detach(em, watched[i], on_event, b);
    libvlc_media_player_release(b->mp);
    libvlc_release(b->inst);
    if (b->log)
        fclose(b->log);
    free(b);
    p->impl = NULL;
}

static bool is_ogg(int format)
{
    return (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_OGG;
}

static int vlc_load(player *p, bool paused)
{
    vlcb *b = B(p);
    const player_timeline *tl = &p->tl;
    b->ended = false;
    b->ab_left = 0;
    atomic_store(&b->pending, 0);
    if (tl->n > 1) {
        player_fail(p, PLAYER_E_INEXACT,
                    _("vlc cannot join %zu recordings exactly; use the mpv backend or export"), tl->n);
        return -1;
    }
    const player_item *it = &tl->items[0];
    if (tl->is_url && tl->bearer) {
        /* libvlc 3 has no per-media request header: the cloud would answer 401 */
        player_fail(p, PLAYER_E_INEXACT,
                    _("vlc cannot send the cloud's token with a clip link; use the mpv backend"));
        return -1;
    }
    if (!tl->is_url && is_ogg(it->format) && it->start_s > 0) {
        player_fail(p, PLAYER_E_INEXACT,
                    _("vlc stops Ogg playback that starts inside a file; use the mpv backend or export"));
        return -1;
    }
    libvlc_media_t *m = tl->is_url ? libvlc_media_new_location(b->inst, it->path)
                                   : libvlc_media_new_path(b->inst, it->path);
    if (!m) {
        player_fail(p, PLAYER_E_OPEN, _("vlc cannot open %s"), it->path);
        return -1;
    }
    b->start_s = tl->is_url ? 0 : it->start_s;
    b->end_s = tl->is_url ? -1 : it->end_s;
    if (!tl->is_url) {
        char o[64];
        snprintf(o, sizeof o, ":start-time=%.6f", it->start_s);
        libvlc_media_add_option(m, o);
        snprintf(o, sizeof o, ":stop-time=%.6f", it->end_s);
        libvlc_media_add_option(m, o);
        player_warn(p, _("vlc is not sample-exact: it may start early on a busy machine and "
                       "stop up to ~50 ms late (the mpv backend is exact)"));
    }
    libvlc_media_player_set_media(b->mp, m);
    libvlc_media_release(m);
    if (paused)
        libvlc_media_player_set_pause(b->mp, 1);
    if (libvlc_media_player_play(b->mp) != 0) {
        player_fail(p, PLAYER_E_OPEN, _("vlc cannot play %s"), it->path);
        return -1;
    }
    if (paused)
        libvlc_media_player_set_pause(b->mp, 1);
    return 0;
}

static void vlc_stop(player *p)
{
    libvlc_media_player_stop(B(p)->mp);
}

static void vlc_set_pause(player *p, bool pause)
{
    vlcb *b = B(p);
    if (b->ended && !pause) {
        /* after the end VLC has stopped: start again */
        b->ended = false;
        libvlc_media_player_stop(b->mp);
        libvlc_media_player_play(b->mp);
        return;
    }
    libvlc_media_player_set_pause(b->mp, pause);
    if (p->st.state != PLAYER_LOADING)
        player_set_state(p, pause ? PLAYER_PAUSED : PLAYER_PLAYING);
}

static void vlc_seek(player *p, double clip_s)
{
    vlcb *b = B(p);
    if (b->ended) {
        b->ended = false;
        libvlc_media_player_stop(b->mp);
        libvlc_media_player_play(b->mp);
        libvlc_media_player_set_pause(b->mp, 1);
    }
    libvlc_media_player_set_time(b->mp, (libvlc_time_t)((b->start_s + clip_s) * 1000 + 0.5));
}

static void vlc_set_speed(player *p, double speed)
{
    /* VLC's audio time-stretch (on by default) keeps the pitch. */
    libvlc_media_player_set_rate(B(p)->mp, (float)speed);
}

static void vlc_set_volume(player *p, int volume)
{
    libvlc_audio_set_volume(B(p)->mp, volume);
}

static void vlc_set_loop(player *p, double a, double bpos)
{
    (void)bpos;
    B(p)->ab_left = a < 0 ? 0 : PLAYER_AB_REPEATS;
    if (a >= 0)
        player_warn(p, _("vlc loops A-B only as exactly as its time events (about 0.3 s)"));
}

static void vlc_drain(player *p)
{
    vlcb *b = B(p);
    unsigned ev = atomic_exchange(&b->pending, 0);
    if (ev & EV_ERROR) {
        player_fail(p, PLAYER_E_OPEN, _("vlc could not play the clip"));
        return;
    }
    if (p->st.state == PLAYER_FAILED)
        return;
    if (ev & EV_PLAYING) {
        player_first_audio(p);
        player_set_state(p, PLAYER_PLAYING);
    }
    if (ev & EV_PAUSED)
        player_set_state(p, PLAYER_PAUSED);
    if (ev & (EV_TIME | EV_PLAYING | EV_PAUSED)) {
        libvlc_time_t t = libvlc_media_player_get_time(b->mp);
        if (t >= 0)
            player_set_pos(p, (double)t / 1000 - b->start_s);
        /* the A-B loop, done here: VLC 3 has none */
        if (b->ab_left > 0 && p->st.loop_b > 0 && p->st.pos_s >= p->st.loop_b) {
            b->ab_left--;
            libvlc_media_player_set_time(
                b->mp, (libvlc_time_t)((b->start_s + p->st.loop_a) * 1000 + 0.5));
        }
    }
    if (ev & EV_END) {
        b->ended = true;
        player_set_pos(p, p->st.len_s);
        player_set_state(p, PLAYER_ENDED);
    }
}

const player_ops player_vlc_ops = {
    .open = vlc_open,
    .close = vlc_close,
    .load = vlc_load,
    .stop = vlc_stop,
    .set_pause = vlc_set_pause,
    .seek = vlc_seek,
    .set_speed = vlc_set_speed,
    .set_volume = vlc_set_volume,
    .set_loop = vlc_set_loop,
    .drain = vlc_drain,
};
#endif
