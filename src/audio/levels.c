/* The level strip (include/cxm/levels.h): RMS per bucket over all channels,
 * read with libsndfile as floats (decoded for lossy sources). */
#include "cxm/levels.h"
#include "cxm/i18n.h"
#include "cxm/recseek.h"

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 8192

void rec_levels_free(rec_levels *l)
{
    free(l->db);
    free(l->missing);
    memset(l, 0, sizeof *l);
}

/* Adds up to `total` frames of `in` (from where it stands) into the buckets:
 * frame k is at window time t0 + k * dt (us) of a window win_us long. */
static void accumulate(SNDFILE *in, int ch, double t0, double dt, double win_us, int64_t total,
                       double *sum, int64_t *cnt, int n, float *buf)
{
    int64_t k = 0;
    while (k < total) {
        sf_count_t want = total - k < CHUNK ? total - k : CHUNK;
        sf_count_t got = sf_readf_float(in, buf, want);
        if (got <= 0)
            break; /* shorter than its header: the rest reads as missing */
        for (sf_count_t i = 0; i < got; i++) {
            int b = (int)((t0 + (double)(k + i) * dt) / win_us * n);
            if (b < 0 || b >= n)
                continue;
            double s2 = 0;
            for (int c = 0; c < ch; c++) {
                double v = buf[i * ch + c];
                s2 += v * v;
            }
            sum[b] += s2 / ch;
            cnt[b]++;
        }
        k += got;
    }
}

static int add_segment(const char *root, const rec_plan *p, const rec_segment *sg, double *sum,
                       int64_t *cnt, int n, float *buf, char *err, size_t errlen)
{
    char full[2 * REC_PATH_MAX + 2];
    snprintf(full, sizeof full, "%s/%s", root, sg->file->path);
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *in = sf_open(full, SFM_READ, &info);
    if (!in) {
        snprintf(err, errlen, _("%s: %s"), full, sf_strerror(NULL));
        return -1;
    }
    if (info.channels != sg->file->channels || rec_seek_exact(in, &info, full, sg->from_frame) != 0) {
        snprintf(err, errlen, _("%s: changed since it was indexed"), full);
        sf_close(in);
        return -1;
    }
    /* window time of the segment's first frame, and of one frame */
    accumulate(in, info.channels, (double)(sg->from_us - p->from_us), 1e6 / sg->file->rate,
               (double)(p->to_us - p->from_us), sg->to_frame - sg->from_frame, sum, cnt, n, buf);
    sf_close(in);
    return 0;
}

/* The buckets' figures from the sums; a bucket is missing when fewer than
 * half its samples were read. */
static void finish(rec_levels *out, int n, int rate, const double *sum, const int64_t *cnt)
{
    double expect = (double)(rate > 0 ? rate : 1) * out->bucket_s;
    for (int b = 0; b < n; b++) {
        out->missing[b] = cnt[b] < expect / 2;
        double ms = cnt[b] ? sum[b] / (double)cnt[b] : 0;
        double db = ms > 0 ? 10 * log10(ms) : LEVELS_FLOOR_DB;
        out->db[b] = (float)(db < LEVELS_FLOOR_DB ? LEVELS_FLOOR_DB : db);
    }
}

typedef struct {
    double *sum;
    int64_t *cnt;
    float *buf;
} work;

static int alloc_work(work *w, rec_levels *out, int n, int channels, char *err, size_t errlen)
{
    w->sum = calloc((size_t)n, sizeof *w->sum);
    w->cnt = calloc((size_t)n, sizeof *w->cnt);
    w->buf = malloc(sizeof(float) * CHUNK * (size_t)channels);
    out->db = calloc((size_t)n, sizeof *out->db);
    out->missing = calloc((size_t)n, sizeof *out->missing);
    if (!w->sum || !w->cnt || !w->buf || !out->db || !out->missing) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    out->n = n;
    return 0;
}

static void free_work(work *w)
{
    free(w->sum);
    free(w->cnt);
    free(w->buf);
}

int rec_levels_compute(const char *root, const rec_plan *p, int n, rec_levels *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (n < 1 || n > 4096 || p->to_us <= p->from_us) {
        snprintf(err, errlen, _("bad level strip size"));
        return -1;
    }
    int maxch = 1;
    for (size_t i = 0; i < p->nseg; i++)
        if (p->seg[i].file->channels > maxch)
            maxch = p->seg[i].file->channels;
    work w;
    int ret = -1;
    if (alloc_work(&w, out, n, maxch, err, errlen) != 0)
        goto done;
    out->bucket_s = (double)(p->to_us - p->from_us) / 1e6 / n;
    for (size_t i = 0; i < p->nseg; i++)
        if (add_segment(root, p, &p->seg[i], w.sum, w.cnt, n, w.buf, err, errlen) != 0)
            goto done;
    finish(out, n, p->rate, w.sum, w.cnt);
    ret = 0;
done:
    free_work(&w);
    if (ret != 0)
        rec_levels_free(out);
    return ret;
}

int rec_levels_file(const char *path, int n, rec_levels *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (n < 1 || n > 4096) {
        snprintf(err, errlen, _("bad level strip size"));
        return -1;
    }
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *in = sf_open(path, SFM_READ, &info);
    if (!in) {
        snprintf(err, errlen, _("not a sound format libsndfile can decode (%s)"), sf_strerror(NULL));
        return -1;
    }
    if (info.frames <= 0 || info.samplerate <= 0 || info.channels <= 0) {
        snprintf(err, errlen, _("the sound file holds no samples"));
        sf_close(in);
        return -1;
    }
    work w;
    int ret = -1;
    if (alloc_work(&w, out, n, info.channels, err, errlen) != 0)
        goto done;
    /* the same arithmetic as a window of recordings that starts with the file */
    double win_us = (double)info.frames * 1e6 / info.samplerate;
    out->bucket_s = win_us / 1e6 / n;
    accumulate(in, info.channels, 0, 1e6 / info.samplerate, win_us, info.frames, w.sum, w.cnt, n,
               w.buf);
    finish(out, n, info.samplerate, w.sum, w.cnt);
    ret = 0;
done:
    free_work(&w);
    sf_close(in);
    if (ret != 0)
        rec_levels_free(out);
    return ret;
}

/* The bucket a jump starts from: the one half a bucket ahead of t. After a
 * jump the player reports a position a little before where it landed (the
 * sample before the target, or the start of mpv's audio frame), which lies
 * in the previous bucket; from there the same jump would land on the same
 * stretch again, and a repeated key would never move on. So a jump always
 * moves at least half a bucket. */
static int bucket_of(const rec_levels *l, double t)
{
    int b = (int)((t + l->bucket_s / 2) / l->bucket_s);
    return b < 0 ? 0 : b;
}

double rec_levels_next_loud(const rec_levels *l, double t, float loud_db)
{
    int b = bucket_of(l, t);
    /* leave the loud stretch we are in first */
    while (b < l->n && !l->missing[b] && l->db[b] >= loud_db)
        b++;
    for (; b < l->n; b++)
        if (!l->missing[b] && l->db[b] >= loud_db)
            return b * l->bucket_s;
    return -1;
}

double rec_levels_skip_silence(const rec_levels *l, double t, float silent_db)
{
    int b = bucket_of(l, t);
    if (b < l->n && !(l->db[b] < silent_db)) {
        while (b < l->n && !(l->db[b] < silent_db))
            b++; /* to the next silence */
    }
    if (b >= l->n)
        return -1;
    while (b < l->n && l->db[b] < silent_db)
        b++;
    return b < l->n ? b * l->bucket_s : -1;
}
