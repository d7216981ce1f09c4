/* The libmpv backend (DESIGN §6, §13). The wakeup callback only raises the
 * loop's notifier; the loop drains mpv_wait_event(h, 0). One clip is one
 * timeline: a single file with per-file start/end (sample-exact for WAV, MP3,
 * OGG), several WAV/FLAC/OGG files as one edl:// (exact), several MP3 files as
 * a playlist with start on the first and end on the last (EDL would shift MP3
 * by the encoder delay). */
#ifdef CXM_HAVE_MPV
#include <mpv/client.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio/player_priv.h"
#include "cxm/i18n.h"
#include "cxm/cliplink.h"

enum { OBS_TIME = 1, OBS_PAUSE, OBS_EOF, OBS_PLPOS, OBS_DURATION };

typedef struct {
    mpv_handle *h;
    FILE *log;
    bool playlist;       /* MP3 across files */
    double offset;       /* mpv time of clip 0 (single file: its start) */
    int64_t entry;       /* playlist: the entry playing */
    double pending_seek; /* mpv time to seek to once the file can seek, < 0 none */
    bool restarted;      /* the first playback restart after loading came */
    bool seeking;        /* a seek of ours is under way (until its restart) */
    bool unpause_pending; /* play asked for while seeking: at the restart */
    bool hold_pos;        /* sought while paused: the target is the position */
    bool paused, eof, loaded;
    int http_status; /* "HTTP error NNN" seen in mpv's log for the link */
} mpvb;

static mpvb *B(player *p)
{
    return p->impl;
}

static int opt(mpv_handle *h, const char *k, const char *v, char *err, size_t errlen)
{
    int rc = mpv_set_option_string(h, k, v);
    if (rc < 0)
        snprintf(err, errlen, _("mpv option %s=%s: %s"), k, v, mpv_error_string(rc));
    return rc < 0 ? -1 : 0;
}

static int mpv_open(player *p, const player_opts *o, char *err, size_t errlen)
{
    mpvb *b = calloc(1, sizeof *b);
    if (!b) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    b->pending_seek = -1;
    b->h = mpv_create();
    if (!b->h) {
        /* the usual cause: LC_NUMERIC is not "C" (DESIGN §13) */
        snprintf(err, errlen, _("libmpv could not start (mpv_create failed)"));
        free(b);
        return -1;
    }
    const char *out = o->output && *o->output ? o->output : "auto";
    int rc = 0;
    /* Never the terminal: the screen belongs to curses. */
    rc |= opt(b->h, "terminal", "no", err, errlen);
    rc |= opt(b->h, "config", "no", err, errlen);
    rc |= opt(b->h, "load-scripts", "no", err, errlen);
    rc |= opt(b->h, "ytdl", "no", err, errlen); /* never hand a link to youtube-dl */
    rc |= opt(b->h, "input-default-bindings", "no", err, errlen);
    rc |= opt(b->h, "video", "no", err, errlen);
    rc |= opt(b->h, "audio-display", "no", err, errlen);
    rc |= opt(b->h, "idle", "yes", err, errlen);
    rc |= opt(b->h, "keep-open", "yes", err, errlen); /* stay at the end: seek back, replay */
    rc |= opt(b->h, "hr-seek", "yes", err, errlen);   /* exact seeks */
    /* An exact seek into an MP3 lands the demuxer on the target's frame, and
     * the decoder, lacking the previous frames (bit reservoir, overlap), puts
     * out ~1900 samples of silence and garbage at the clip's start. Seeking
     * the demuxer a little earlier lets it warm up on audio that hr-seek then
     * drops (measured in test_player: 0 wrong samples after). */
    rc |= opt(b->h, "hr-seek-demuxer-offset", "0.1", err, errlen);
    rc |= opt(b->h, "gapless-audio", "yes", err, errlen);
    rc |= opt(b->h, "audio-client-name", "cxm-console", err, errlen);
    if (!strcmp(out, "null")) {
        rc |= opt(b->h, "ao", "null", err, errlen);
    } else if (!strncmp(out, "pcm:", 4) && out[4]) {
        rc |= opt(b->h, "ao", "pcm", err, errlen);
        rc |= opt(b->h, "ao-pcm-file", out + 4, err, errlen);
    } else if (strcmp(out, "auto") != 0) {
        rc |= opt(b->h, "ao", out, err, errlen); /* an mpv ao name: pulse, alsa, pipewire... */
    }
    if (rc == 0 && mpv_initialize(b->h) < 0) {
        snprintf(err, errlen, _("libmpv could not initialise"));
        rc = -1;
    }
    if (rc != 0) {
        mpv_terminate_destroy(b->h);
        free(b);
        return -1;
    }
    if (o->log_path)
        b->log = fopen(o->log_path, "a");
    /* always: an HTTP error reaches us only as a log line */
    mpv_request_log_messages(b->h, "warn");
    mpv_observe_property(b->h, OBS_TIME, "time-pos", MPV_FORMAT_DOUBLE);
    mpv_observe_property(b->h, OBS_PAUSE, "pause", MPV_FORMAT_FLAG);
    mpv_observe_property(b->h, OBS_EOF, "eof-reached", MPV_FORMAT_FLAG);
    mpv_observe_property(b->h, OBS_PLPOS, "playlist-pos", MPV_FORMAT_INT64);
    mpv_observe_property(b->h, OBS_DURATION, "duration", MPV_FORMAT_DOUBLE);
    p->impl = b;
    mpv_set_wakeup_callback(b->h, player_wake, p);
    return 0;
}

static void mpv_close(player *p)
{
    mpvb *b = B(p);
    if (!b)
        return;
    mpv_set_wakeup_callback(b->h, NULL, NULL);
    mpv_terminate_destroy(b->h);
    if (b->log)
        fclose(b->log);
    free(b);
    p->impl = NULL;
}

static void fmt_time(double t, char *out, size_t cap)
{
    snprintf(out, cap, "%.9f", t < 0 ? 0 : t);
}

/* loadfile with named arguments (the positional form changed in mpv 0.38);
 * kv: n per-file option pairs (name, value). */
static int loadfile_opts(mpvb *b, const char *url, const char *flags, const char *const *kv,
                         int nkv)
{
    enum { MAXO = 8 };
    mpv_node vals[MAXO], items[4], opts_node, args;
    char *okeys[MAXO], *keys[4];
    int no = 0, n = 0;
    for (int i = 0; i < nkv && no < MAXO; i++) {
        okeys[no] = (char *)kv[2 * i];
        vals[no].format = MPV_FORMAT_STRING;
        vals[no++].u.string = (char *)kv[2 * i + 1];
    }
    mpv_node_list olist = {no, vals, okeys};
    opts_node.format = MPV_FORMAT_NODE_MAP;
    opts_node.u.list = &olist;
    keys[n] = "name";
    items[n].format = MPV_FORMAT_STRING;
    items[n++].u.string = "loadfile";
    keys[n] = "url";
    items[n].format = MPV_FORMAT_STRING;
    items[n++].u.string = (char *)url;
    keys[n] = "flags";
    items[n].format = MPV_FORMAT_STRING;
    items[n++].u.string = (char *)flags;
    keys[n] = "options";
    items[n++] = opts_node;
    mpv_node_list alist = {n, items, keys};
    args.format = MPV_FORMAT_NODE_MAP;
    args.u.list = &alist;
    return mpv_command_node(b->h, &args, NULL);
}

static int loadfile(mpvb *b, const char *url, const char *flags, const char *start,
                    const char *end)
{
    const char *kv[4] = {NULL};
    int n = 0;
    if (start) {
        kv[2 * n] = "start";
        kv[2 * n++ + 1] = start;
    }
    if (end) {
        kv[2 * n] = "end";
        kv[2 * n++ + 1] = end;
    }
    return loadfile_opts(b, url, flags, kv, n);
}

/* A clip link: per-file options, so one link's token never stays for the
 * next. TLS is always verified (mpv's default is not to); with a token no
 * redirect is followed, since ffmpeg would send the header along to
 * wherever it points. */
static int load_url(mpvb *b, const player_timeline *tl)
{
    const char *kv[8];
    int n = 0;
    char *hdr = NULL;
    kv[2 * n] = "tls-verify";
    kv[2 * n++ + 1] = "yes";
    if (tl->ca_file) {
        kv[2 * n] = "tls-ca-file";
        kv[2 * n++ + 1] = tl->ca_file;
    }
    if (tl->bearer) {
        size_t len = strlen(tl->bearer) + 32;
        if (!(hdr = malloc(len)))
            return MPV_ERROR_NOMEM;
        snprintf(hdr, len, "Authorization: Bearer %s", tl->bearer);
        kv[2 * n] = "http-header-fields";
        kv[2 * n++ + 1] = hdr;
        kv[2 * n] = "stream-lavf-o";
        kv[2 * n++ + 1] = "max_redirects=0";
    }
    int rc = loadfile_opts(b, tl->items[0].path, "replace", kv, n);
    if (hdr) {
        explicit_bzero(hdr, strlen(hdr));
        free(hdr);
    }
    return rc;
}

static bool is_mp3(int format)
{
    return (format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG;
}

/* mpv cuts decoded audio with mp_aframe_clip_timestamps(): it skips
 * (int)((start - pts) * rate) samples and keeps (int)((end - pts) * rate), both
 * truncated, so a cut placed exactly on a sample boundary depends on the last
 * bit of a double. Measured with ao=pcm (8, 44.1, 48 kHz, one and two files):
 * every EDL start in [k, k + 0.5) frames begins at sample k, every length in
 * (n, n + 0.5) frames plays n samples. A quarter frame into each range keeps
 * the cut in the middle of it. */
static double quarter_frame(const player_item *it)
{
    return it->rate > 0 ? 0.25 / it->rate : 0;
}

/* edl://%LEN%path,start,length;... — %LEN% quotes any byte of the path. */
static char *edl_of(const player_timeline *tl)
{
    size_t cap = 16;
    for (size_t i = 0; i < tl->n; i++)
        cap += strlen(tl->items[i].path) + 80;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t n = (size_t)snprintf(s, cap, "edl://");
    for (size_t i = 0; i < tl->n; i++) {
        const player_item *it = &tl->items[i];
        n += (size_t)snprintf(s + n, cap - n, "%s%%%zu%%%s,%.9f,%.9f", i ? ";" : "",
                              strlen(it->path), it->path, it->start_s + quarter_frame(it),
                              it->end_s - it->start_s + quarter_frame(it));
    }
    return s;
}

static int mpv_load(player *p, bool paused)
{
    mpvb *b = B(p);
    const player_timeline *tl = &p->tl;
    b->paused = paused;
    b->eof = b->loaded = b->restarted = b->seeking = b->unpause_pending = b->hold_pos = false;
    b->entry = 0;
    b->pending_seek = -1;
    b->playlist = false;
    b->offset = 0;
    int flag = paused;
    mpv_set_property(b->h, "pause", MPV_FORMAT_FLAG, &flag);
    mpv_set_property_string(b->h, "ab-loop-a", "no");
    mpv_set_property_string(b->h, "ab-loop-b", "no");
    int rc;
    char s[48], e[48];
    if (tl->is_url) {
        b->http_status = 0;
        rc = load_url(b, tl);
    } else {
        bool mp3 = false;
        for (size_t i = 0; i < tl->n; i++)
            mp3 |= is_mp3(tl->items[i].format);
        if (mp3 && tl->n == 1) {
            /* The start option is an exact seek, rounded to the nearest sample;
             * `end` keeps every sample before it: half a frame past (measured
             * on WAV: any end in (k, k + 1] frames gives k). */
            fmt_time(tl->items[0].start_s, s, sizeof s);
            fmt_time(tl->items[0].end_s + 2 * quarter_frame(&tl->items[0]), e, sizeof e);
            b->offset = tl->items[0].start_s;
            rc = loadfile(b, tl->items[0].path, "replace", s, e);
        } else if (mp3) {
            b->playlist = true;
            rc = 0;
            for (size_t i = 0; rc >= 0 && i < tl->n; i++) {
                fmt_time(tl->items[i].start_s, s, sizeof s);
                fmt_time(tl->items[i].end_s + 2 * quarter_frame(&tl->items[i]), e, sizeof e);
                rc = loadfile(b, tl->items[i].path, i ? "append" : "replace", s, e);
            }
        } else {
            char *edl = edl_of(tl);
            rc = edl ? loadfile(b, edl, "replace", NULL, NULL) : MPV_ERROR_NOMEM;
            free(edl);
        }
    }
    if (rc < 0) {
        player_fail(p, PLAYER_E_OPEN, "mpv: %s", mpv_error_string(rc));
        return -1;
    }
    return 0;
}

static void mpv_stop(player *p)
{
    const char *cmd[] = {"stop", NULL};
    mpv_command(B(p)->h, cmd);
    B(p)->loaded = false;
}

static void set_pause_now(mpvb *b, bool pause)
{
    int flag = pause;
    b->unpause_pending = false;
    mpv_set_property(b->h, "pause", MPV_FORMAT_FLAG, &flag);
}

/* mpv queues a seek but unpauses at once: the audio decoded for the old
 * position would come out first (all of it with an untimed output, a few ms
 * with a sound card). So play waits for the seek's restart. */
static void mpv_set_pause(player *p, bool pause)
{
    mpvb *b = B(p);
    if (!pause && (b->seeking || !b->restarted))
        b->unpause_pending = true;
    else
        set_pause_now(b, pause);
}

static void seek_abs(mpvb *b, double mpv_t);

/* The seek (or the load) has landed: the next one waiting goes now; when
 * none, a play asked for meanwhile starts. */
static void seek_landed(mpvb *b)
{
    b->seeking = false;
    if (!b->playlist && b->pending_seek >= 0) {
        double t = b->pending_seek;
        b->pending_seek = -1;
        seek_abs(b, t);
        if (b->seeking)
            return;
    }
    if (b->unpause_pending)
        set_pause_now(b, false);
}

/* Clip time -> (playlist entry, time in that file). */
static double item_start_in_clip(const player_timeline *tl, size_t i)
{
    double t = 0;
    for (size_t k = 0; k < i && k < tl->n; k++)
        t += tl->items[k].end_s - tl->items[k].start_s;
    return t;
}

static void seek_abs(mpvb *b, double mpv_t)
{
    char t[48];
    fmt_time(mpv_t, t, sizeof t);
    const char *cmd[] = {"seek", t, "absolute+exact", NULL};
    b->seeking = mpv_command(b->h, cmd) >= 0;
    b->hold_pos = b->seeking && b->paused;
}

/* A quarter frame of the audio playing, as quarter_frame(): an exact seek to
 * a sample's own time would otherwise start one sample early or late,
 * depending on the last bit of a double (seen on a link: 50.0 s at 48 kHz
 * played one sample before). */
static double seek_margin(player *p)
{
    int64_t rate = 0;
    if (!p->tl.is_url && p->tl.n)
        rate = p->tl.items[B(p)->playlist ? (size_t)B(p)->entry % p->tl.n : 0].rate;
    else if (mpv_get_property(B(p)->h, "audio-params/samplerate", MPV_FORMAT_INT64, &rate) < 0)
        rate = 0;
    /* rate not known yet (a link whose audio is still opening): 1 us is
     * inside the first half of a frame up to 500 kHz */
    return rate > 0 ? 0.25 / (double)rate : 1e-6;
}

static void mpv_seek(player *p, double clip_s)
{
    mpvb *b = B(p);
    if (!b->playlist) {
        /* A seek between file-loaded and the first playback restart is
         * dropped by mpv (seen under load: the clip then played from its
         * start); keep it until the restart, which comes while paused too. */
        /* One seek of ours in mpv at a time: a later one waits for the
         * restart of the one under way (the last asked for wins), so the
         * restart that lets a waiting play start is the last seek's. */
        if (b->restarted && !b->seeking)
            seek_abs(b, clip_s + b->offset + seek_margin(p));
        else
            b->pending_seek = clip_s + b->offset + seek_margin(p);
        return;
    }
    size_t i = 0;
    while (i + 1 < p->tl.n && clip_s >= item_start_in_clip(&p->tl, i + 1))
        i++;
    double in_file = p->tl.items[i].start_s + clip_s - item_start_in_clip(&p->tl, i);
    in_file += quarter_frame(&p->tl.items[i]);
    if ((int64_t)i == b->entry && b->loaded) {
        seek_abs(b, in_file);
    } else {
        b->pending_seek = in_file;
        int64_t pos = (int64_t)i;
        mpv_set_property(b->h, "playlist-pos", MPV_FORMAT_INT64, &pos);
    }
}

static void mpv_set_speed(player *p, double speed)
{
    /* speed != 1 inserts scaletempo2: the pitch is kept. */
    mpv_set_property(B(p)->h, "speed", MPV_FORMAT_DOUBLE, &speed);
}

static void mpv_set_volume(player *p, int volume)
{
    double v = volume;
    mpv_set_property(B(p)->h, "volume", MPV_FORMAT_DOUBLE, &v);
}

static void mpv_set_loop(player *p, double a, double bpos)
{
    mpvb *b = B(p);
    if (a < 0) {
        mpv_set_property_string(b->h, "ab-loop-a", "no");
        mpv_set_property_string(b->h, "ab-loop-b", "no");
        return;
    }
    if (b->playlist) {
        double base = item_start_in_clip(&p->tl, (size_t)b->entry);
        double from = p->tl.items[b->entry].start_s;
        a = a - base + from;
        bpos = bpos - base + from;
    } else {
        a += b->offset;
        bpos += b->offset;
    }
    char sa[48], sb[48], cnt[16];
    fmt_time(a, sa, sizeof sa);
    fmt_time(bpos, sb, sizeof sb);
    /* ab-loop repeats forever by default (a probe wrote 1.6 GB): bound it. */
    snprintf(cnt, sizeof cnt, "%d", PLAYER_AB_REPEATS);
    mpv_set_property_string(b->h, "ab-loop-count", cnt);
    mpv_set_property_string(b->h, "ab-loop-a", sa);
    mpv_set_property_string(b->h, "ab-loop-b", sb);
}

static void update_state(player *p)
{
    mpvb *b = B(p);
    /* loading until the first playback restart: before it mpv drops seeks */
    if (p->st.state == PLAYER_FAILED || p->st.state == PLAYER_IDLE || !b->loaded || !b->restarted)
        return;
    if (b->eof)
        player_set_state(p, PLAYER_ENDED);
    else
        player_set_state(p, b->paused ? PLAYER_PAUSED : PLAYER_PLAYING);
}

static void on_time(player *p, double t)
{
    mpvb *b = B(p);
    /* While our seek is under way mpv still reports where it was; paused
     * after it, mpv reports the target minus the audio it has buffered ahead
     * (0.15-0.35 s seen under load), though nothing has played from there.
     * The position stays the one asked for until the seek lands, and while
     * paused after it, until play. */
    if (b->seeking || (b->hold_pos && b->paused))
        return;
    double clip;
    if (b->playlist && b->entry >= 0 && (size_t)b->entry < p->tl.n)
        clip = item_start_in_clip(&p->tl, (size_t)b->entry) + t - p->tl.items[b->entry].start_s;
    else
        clip = t - b->offset;
    player_set_pos(p, clip);
}

static int code_of(int mpv_err)
{
    switch (mpv_err) {
    case MPV_ERROR_AO_INIT_FAILED:
        return PLAYER_E_OUTPUT;
    default:
        return PLAYER_E_OPEN;
    }
}

static void mpv_drain(player *p)
{
    mpvb *b = B(p);
    for (;;) {
        mpv_event *ev = mpv_wait_event(b->h, 0);
        if (ev->event_id == MPV_EVENT_NONE)
            break;
        switch (ev->event_id) {
        case MPV_EVENT_LOG_MESSAGE: {
            mpv_event_log_message *m = ev->data;
            const char *he = strstr(m->text, "HTTP error ");
            if (he && p->tl.is_url) {
                b->http_status = atoi(he + 11);
                /* the log may come after END_FILE: complete the failure */
                if (p->st.state == PLAYER_FAILED && p->st.errcode == PLAYER_E_LINK &&
                    !p->st.http_status) {
                    p->st.http_status = b->http_status;
                    p->st.changed |= PLAYER_CH_MESSAGE;
                }
            }
            if (b->log) {
                fprintf(b->log, "mpv[%s] %s: %s", m->prefix, m->level, m->text);
                fflush(b->log);
            }
            break;
        }
        case MPV_EVENT_FILE_LOADED:
            b->loaded = true;
            if (b->playlist && b->pending_seek >= 0) {
                seek_abs(b, b->pending_seek);
                b->pending_seek = -1;
            }
            update_state(p);
            break;
        case MPV_EVENT_PLAYBACK_RESTART: {
            b->restarted = true;
            seek_landed(b); /* a seek kept until now goes, its restart comes next */
            player_first_audio(p);
            update_state(p);
            break;
        }
        case MPV_EVENT_END_FILE: {
            mpv_event_end_file *e = ev->data;
            if (e->reason != MPV_END_FILE_REASON_ERROR || p->st.state == PLAYER_FAILED)
                break;
            if (p->tl.is_url && e->error != MPV_ERROR_AO_INIT_FAILED) {
                /* the error names the link's host (never its path or query,
                 * which may carry a signature) */
                char origin[300];
                if (cliplink_origin(p->tl.items[0].path, origin, sizeof origin) != 0)
                    snprintf(origin, sizeof origin, "?");
                p->st.http_status = b->http_status;
                player_fail(p, PLAYER_E_LINK, "%s", origin);
            } else {
                player_fail(p, code_of(e->error), "mpv: %s", mpv_error_string(e->error));
            }
            break;
        }
        case MPV_EVENT_PROPERTY_CHANGE: {
            mpv_event_property *pr = ev->data;
            if (pr->format == MPV_FORMAT_NONE)
                break;
            if (ev->reply_userdata == OBS_TIME)
                on_time(p, *(double *)pr->data);
            else if (ev->reply_userdata == OBS_PAUSE) {
                b->paused = *(int *)pr->data;
                if (!b->paused)
                    b->hold_pos = false;
            }
            else if (ev->reply_userdata == OBS_EOF) {
                b->eof = *(int *)pr->data;
                if (b->eof) /* a seek to the very end may end without a restart */
                    seek_landed(b);
            }
            else if (ev->reply_userdata == OBS_PLPOS)
                b->entry = *(int64_t *)pr->data;
            else if (ev->reply_userdata == OBS_DURATION && p->tl.is_url)
                p->st.len_s = p->tl.len_s = *(double *)pr->data;
            update_state(p);
            break;
        }
        default:
            break;
        }
    }
}

const player_ops player_mpv_ops = {
    .open = mpv_open,
    .close = mpv_close,
    .load = mpv_load,
    .stop = mpv_stop,
    .set_pause = mpv_set_pause,
    .seek = mpv_seek,
    .set_speed = mpv_set_speed,
    .set_volume = mpv_set_volume,
    .set_loop = mpv_set_loop,
    .drain = mpv_drain,
};
#endif
