/* The clip a forwarded alert carries ([telegram] send_clip): the main clip
 * (include/cxm/clips.h) of the alert's first triggering event, cut from the
 * desk recordings and encoded off the loop's thread.
 *
 * Telegram shows a voice message (sendVoice) only for Ogg/Opus, and Opus
 * takes 8, 12, 16, 24 or 48 kHz: recordings at one of those rates (the
 * recorders' usual 8 or 16 kHz) go as a voice message. Any other rate goes as
 * the exact WAV through sendDocument: resampling would alter the evidence,
 * and sendAudio wants MP3 or M4A, which would be lossy all the same.
 *
 * The plan (the store and the recordings' headers) is made on the loop's
 * thread; the cut and the encoding (seconds of audio decoded and encoded) run
 * on a thread of their own that touches neither the store nor the screen and
 * wakes the loop with a notifier when the file is ready. */
#include <errno.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxm/i18n.h"
#include "cxm/alert_forward.h"
#include "cxm/alerts.h"
#include "cxm/clips.h"
#include "cxm/recordings.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"

#define CHUNK 4096

struct tgclip {
    char *root;
    rec_list files;
    rec_plan plan;
    bool voice;              /* Ogg/Opus for sendVoice, else WAV for sendDocument */
    char dir[256];           /* our temporary folder, "" when none */
    char wav[300], ogg[300];
    char caption[1400];
    int seconds;
    pthread_t thread;
    bool started;
    loop_notifier *note;
    int rc;                  /* the worker's outcome, read after done */
    char err[512];
};

static bool opus_rate(int rate)
{
    return rate == 8000 || rate == 12000 || rate == 16000 || rate == 24000 || rate == 48000;
}

tgclip *tgclip_plan(store *st, const cxm_config *cfg, int64_t alert_id, char *why, size_t cap)
{
    why[0] = 0;
    if (!cfg->recordings || !cfg->recordings[0]) {
        snprintf(why, cap, _("no [recordings] root"));
        return NULL;
    }
    char (*ids)[EVENT_ID_MAX + 1] = NULL;
    size_t n = 0;
    if (alerts_events(st, alert_id, &ids, &n) != 0 || n == 0) {
        free(ids);
        snprintf(why, cap, _("no triggering event"));
        return NULL;
    }
    views *v = views_new(st, &cfg->rules);
    event ev;
    memset(&ev, 0, sizeof ev);
    int grc = v ? views_event_get(v, ids[0], &ev) : -1;
    free(ids);
    if (grc != 0) {
        views_free(v);
        snprintf(why, cap, _("the first event cannot be read"));
        return NULL;
    }
    tgclip *c = NULL;
    clip_visit visit;
    views_visit_bounds(v, &ev, &visit);
    clip_window w;
    if (!ev.desk || clip_window_of(cfg, &ev, &visit, clip_main_kind(ev.type), &w) != 0) {
        snprintf(why, cap, _("the first event has no clip (no desk)"));
        goto out;
    }
    if (!(c = calloc(1, sizeof *c)) || !(c->root = strdup(cfg->recordings))) {
        snprintf(why, cap, _("out of memory"));
        goto fail;
    }
    char err[1024];
    /* No store: the forwarder only reads headers, it does not index. */
    if (rec_plan_desk(NULL, c->root, ev.desk, w.from_us, w.to_us, &c->files, &c->plan, err,
                      sizeof err) != 0) {
        snprintf(why, cap, _("recordings: %.200s"), err);
        goto fail;
    }
    if (c->plan.ngap || !c->plan.nseg || c->plan.frames <= 0) {
        snprintf(why, cap, _("the recordings do not cover the clip"));
        goto fail;
    }
    if (c->plan.mixed) {
        snprintf(why, cap, _("the clip spans recordings of different formats"));
        goto fail;
    }
    c->voice = opus_rate(c->plan.rate) && c->plan.channels <= 2;
    c->seconds = (int)((c->plan.frames + c->plan.rate / 2) / c->plan.rate);
    if (c->seconds < 1)
        c->seconds = 1;
    char from[16], to[16], desk[160], esc[1000];
    time_format_local(w.from_us, "%H:%M:%S", from, sizeof from);
    time_format_local(w.to_us, "%H:%M:%S", to, sizeof to);
    snprintf(desk, sizeof desk, "%s", ev.desk);
    alerts_tg_escape(desk, esc, sizeof esc);
    snprintf(c->caption, sizeof c->caption, "<b>#%lld</b> %s %s, %s–%s", (long long)alert_id,
             clip_kind_name(clip_main_kind(ev.type)), esc, from, to);
    goto out;
fail:
    tgclip_free(c);
    c = NULL;
out:
    event_clear(&ev);
    views_free(v);
    return c;
}

/* The WAV rec_export_wav wrote, encoded as Ogg/Opus. */
static int to_opus(const char *wav, const char *ogg, char *err, size_t cap)
{
    SF_INFO ii;
    memset(&ii, 0, sizeof ii);
    SNDFILE *in = sf_open(wav, SFM_READ, &ii);
    if (!in) {
        snprintf(err, cap, _("reading the cut: %s"), sf_strerror(NULL));
        return -1;
    }
    SF_INFO oi;
    memset(&oi, 0, sizeof oi);
    oi.samplerate = ii.samplerate;
    oi.channels = ii.channels;
    oi.format = SF_FORMAT_OGG | SF_FORMAT_OPUS;
    SNDFILE *out = sf_open(ogg, SFM_WRITE, &oi);
    if (!out) {
        snprintf(err, cap, _("Ogg/Opus: %s"), sf_strerror(NULL));
        sf_close(in);
        return -1;
    }
    float *buf = malloc(sizeof *buf * CHUNK * (size_t)ii.channels);
    int rc = buf ? 0 : -1;
    if (!buf)
        snprintf(err, cap, _("out of memory"));
    for (sf_count_t got; rc == 0 && (got = sf_readf_float(in, buf, CHUNK)) > 0;)
        if (sf_writef_float(out, buf, got) != got) {
            snprintf(err, cap, _("Ogg/Opus: %s"), sf_strerror(out));
            rc = -1;
        }
    free(buf);
    if (sf_close(out) != 0 && rc == 0) {
        snprintf(err, cap, _("Ogg/Opus: cannot finish the file"));
        rc = -1;
    }
    sf_close(in);
    return rc;
}

static void *worker(void *ud)
{
    tgclip *c = ud;
    c->rc = rec_export_wav(c->root, &c->plan, c->wav, c->err, sizeof c->err);
    if (c->rc == 0 && c->voice)
        c->rc = to_opus(c->wav, c->ogg, c->err, sizeof c->err);
    loop_notifier_notify(c->note);
    return NULL;
}

int tgclip_start(tgclip *c, loop *lp, loop_notify_cb done, void *ud, char *err, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(c->dir, sizeof c->dir, "%s/cxm-tgclip.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(c->dir)) {
        snprintf(err, cap, _("a temporary folder: %s"), strerror(errno));
        c->dir[0] = 0;
        return -1;
    }
    snprintf(c->wav, sizeof c->wav, "%s/clip.wav", c->dir);
    snprintf(c->ogg, sizeof c->ogg, "%s/clip.ogg", c->dir);
    if (!(c->note = loop_notifier_new(lp, done, ud))) {
        snprintf(err, cap, _("out of memory"));
        return -1;
    }
    if (pthread_create(&c->thread, NULL, worker, c) != 0) {
        snprintf(err, cap, _("cannot start a thread"));
        return -1;
    }
    c->started = true;
    return 0;
}

int tgclip_result(tgclip *c, tgclip_file *out, char *err, size_t cap)
{
    if (c->started) { /* done has run: the worker is finishing or finished */
        pthread_join(c->thread, NULL);
        c->started = false;
    }
    if (c->rc != 0) {
        snprintf(err, cap, "%s", c->err);
        return -1;
    }
    out->path = c->voice ? c->ogg : c->wav;
    out->method = c->voice ? "sendVoice" : "sendDocument";
    out->field = c->voice ? "voice" : "document";
    out->filename = c->voice ? "clip.ogg" : "clip.wav";
    out->mime = c->voice ? "audio/ogg" : "audio/wav";
    out->caption = c->caption;
    out->seconds = c->seconds;
    return 0;
}

void tgclip_free(tgclip *c)
{
    if (!c)
        return;
    if (c->started)
        pthread_join(c->thread, NULL);
    loop_notifier_free(c->note);
    if (c->dir[0]) {
        unlink(c->wav);
        unlink(c->ogg);
        rmdir(c->dir);
    }
    rec_plan_free(&c->plan);
    rec_list_free(&c->files);
    free(c->root);
    free(c);
}
