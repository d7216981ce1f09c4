/* The libvlc backend (DESIGN §6, §13). libvlc's event callbacks run on VLC's
 * threads: they only record which event came (atomics) and raise the loop's
 * notifier; stopping or releasing inside one would deadlock.
 *
 * VLC is not asked to seek inside the recordings: its :start-time was seen
 * ignored on a loaded machine (2 s early), its :stop-time overshoots by ~50 ms,
 * it stops Ogg started inside a file, and it cannot join files exactly. It
 * plays instead a WAV stream of exactly the window, decoded by libsndfile
 * (pcmstream.c) through libvlc_media_new_callbacks, so a clip starts and ends
 * on its first and last sample, across files too. What stays inexact is said:
 * seeks inside the clip land on VLC's millisecond, and the A-B loop follows
 * its time events (about 0.3 s). A clip link plays by URL, without a token. */
#ifdef CXM_HAVE_VLC
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vlc/vlc.h>

#include "audio/pcmstream.h"
#include "audio/player_priv.h"
#include "cxm/i18n.h"

enum {
    EV_PLAYING = 1,
    EV_PAUSED = 2,
    EV_END = 4,
    EV_ERROR = 8,
    EV_TIME = 16,
    EV_STOPPED = 32,
    EV_FEED = 64,
    EV_AOUT = 128
};

typedef struct {
    libvlc_instance_t *inst;
    libvlc_media_player_t *mp;
    FILE *log;
    atomic_uint pending;
    player *owner;
    bool ended;
    int ab_left;
    /* the window as pieces of files, read by VLC's input thread through the
     * media callbacks; rebuilt only after VLC has stopped */
    pcm_piece *pieces;
    size_t npieces;
    int rate, channels;
    /* a read failure on VLC's thread: the text, then the flag (release) */
    char feed_err[512];
    atomic_bool feed_failed;
} vlcb;

/* What VLC's input thread holds while the media is open. */
typedef struct {
    vlcb *b;
    pcm_stream *s;
} vlc_feed;

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

/* On VLC's input thread: a failure is kept for the loop, which says it. */
static void feed_fail(vlcb *b, const char *why)
{
    if (atomic_load(&b->feed_failed))
        return;
    snprintf(b->feed_err, sizeof b->feed_err, "%s", why);
    atomic_store(&b->feed_failed, true);
    atomic_fetch_or(&b->pending, EV_FEED);
    player_wake(b->owner);
}

static int feed_open(void *opaque, void **datap, uint64_t *sizep)
{
    vlcb *b = opaque;
    vlc_feed *f = calloc(1, sizeof *f);
    char err[512];
    if (!f) {
        feed_fail(b, _("out of memory"));
        return -1;
    }
    f->b = b;
    if (!(f->s = pcm_stream_new(b->pieces, b->npieces, b->rate, b->channels, err, sizeof err))) {
        feed_fail(b, err);
        free(f);
        return -1;
    }
    *datap = f;
    *sizep = pcm_stream_size(f->s);
    return 0;
}

static ssize_t feed_read(void *opaque, unsigned char *buf, size_t len)
{
    vlc_feed *f = opaque;
    ssize_t got = pcm_stream_read(f->s, buf, len);
    if (got < 0)
        feed_fail(f->b, pcm_stream_error(f->s));
    return got;
}

static int feed_seek(void *opaque, uint64_t offset)
{
    vlc_feed *f = opaque;
    return pcm_stream_seek(f->s, offset);
}

static void feed_close(void *opaque)
{
    vlc_feed *f = opaque;
    pcm_stream_free(f->s);
    free(f);
}

/* On any VLC thread (even several at once): the message goes to our log file
 * (stdio locks it), and an audio output that cannot start is noted for the
 * loop. VLC itself would play on in silence, retrying the device every few
 * ms, so a supervisor would see "playing" and hear nothing. */
static void on_log(void *ud, int level, const libvlc_log_t *ctx, const char *fmt, va_list args)
{
    vlcb *b = ud;
    (void)ctx;
    if (b->log) {
        va_list copy;
        va_copy(copy, args);
        vfprintf(b->log, fmt, copy);
        va_end(copy);
        fputc('\n', b->log);
    }
    if (level == LIBVLC_ERROR && strstr(fmt, "failed to create audio output") &&
        !(atomic_fetch_or(&b->pending, EV_AOUT) & EV_AOUT))
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
    char file_arg[1100], aout_arg[80];
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
    } else if (strcmp(out, "auto") != 0) {
        /* a named output (alsa, pulse...), as [audio] output names it for mpv */
        snprintf(aout_arg, sizeof aout_arg, "--aout=%s", out);
        argv[argc++] = aout_arg;
    }
    b->inst = libvlc_new(argc, argv);
    if (!b->inst) {
        snprintf(err, errlen, _("libvlc could not start"));
        free(b);
        return -1;
    }
    if (o->log_path && (b->log = fopen(o->log_path, "a")))
        setvbuf(b->log, NULL, _IOLBF, 0);
    libvlc_log_set(b->inst, on_log, b);
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
    free(b->pieces);
    free(b);
    p->impl = NULL;
}

/* The window's pieces for the media callbacks; VLC has stopped (load). */
static int set_pieces(vlcb *b, const player_timeline *tl)
{
    free(b->pieces);
    b->npieces = 0;
    if (!(b->pieces = calloc(tl->n, sizeof *b->pieces)))
        return -1;
    b->rate = tl->items[0].rate;
    b->channels = tl->items[0].channels;
    for (size_t i = 0; i < tl->n; i++) {
        const player_item *it = &tl->items[i];
        if (it->rate != b->rate || it->channels != b->channels)
            return 1;
        b->pieces[i] = (pcm_piece){it->path, it->from_frame, it->to_frame, it->format};
    }
    b->npieces = tl->n;
    return 0;
}

static libvlc_media_t *media_of(player *p)
{
    vlcb *b = B(p);
    const player_timeline *tl = &p->tl;
    const player_item *it = &tl->items[0];
    if (tl->is_url) {
        if (tl->bearer) {
            /* libvlc 3 has no per-media request header: the cloud would answer 401 */
            player_fail(p, PLAYER_E_INEXACT,
                        _("vlc cannot send the cloud's token with a clip link; use the mpv backend"));
            return NULL;
        }
        libvlc_media_t *m = libvlc_media_new_location(b->inst, it->path);
        if (!m)
            player_fail(p, PLAYER_E_OPEN, _("vlc cannot open %s"), it->path);
        return m;
    }
    int rc = set_pieces(b, tl);
    if (rc != 0) {
        if (rc > 0)
            player_fail(p, PLAYER_E_INEXACT,
                        _("the recordings of this clip differ in rate or channels; export it"));
        else
            player_fail(p, PLAYER_E_OPEN, _("out of memory"));
        return NULL;
    }
    libvlc_media_t *m =
        libvlc_media_new_callbacks(b->inst, feed_open, feed_read, feed_seek, feed_close, b);
    if (!m)
        player_fail(p, PLAYER_E_OPEN, _("vlc cannot open %s"), it->path);
    return m;
}

static int vlc_load(player *p, bool paused)
{
    vlcb *b = B(p);
    b->ended = false;
    b->ab_left = 0;
    atomic_store(&b->pending, 0);
    atomic_store(&b->feed_failed, false);
    libvlc_media_t *m = media_of(p);
    if (!m)
        return -1;
    libvlc_media_player_set_media(b->mp, m);
    libvlc_media_release(m);
    if (paused)
        libvlc_media_player_set_pause(b->mp, 1);
    if (libvlc_media_player_play(b->mp) != 0) {
        player_fail(p, PLAYER_E_OPEN, _("vlc cannot play %s"), p->tl.items[0].path);
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
    libvlc_media_player_set_time(b->mp, (libvlc_time_t)(clip_s * 1000 + 0.5));
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
    if (atomic_load(&b->feed_failed) && p->st.state != PLAYER_FAILED) {
        player_fail(p, PLAYER_E_OPEN, "%s", b->feed_err);
        libvlc_media_player_stop(b->mp); /* it would play on to a wrong end */
        return;
    }
    if ((ev & EV_AOUT) && p->st.state != PLAYER_FAILED) {
        player_fail(p, PLAYER_E_OUTPUT, _("vlc could not open the audio output"));
        libvlc_media_player_stop(b->mp);
        return;
    }
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
            player_set_pos(p, (double)t / 1000);
        /* the A-B loop, done here: VLC 3 has none */
        if (b->ab_left > 0 && p->st.loop_b > 0 && p->st.pos_s >= p->st.loop_b) {
            b->ab_left--;
            libvlc_media_player_set_time(b->mp, (libvlc_time_t)(p->st.loop_a * 1000 + 0.5));
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
