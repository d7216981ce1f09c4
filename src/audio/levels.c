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
    double win_us = (double)(p->to_us - p->from_us);
    /* window time of the segment's first frame, and of one frame */
    double t0 = (double)(sg->from_us - p->from_us), dt = 1e6 / sg->file->rate;
    int ch = info.channels;
    int64_t k = 0, total = sg->to_frame - sg->from_frame;
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
    sf_close(in);
    return 0;
}

int rec_levels_compute(const char *root, const rec_plan *p, int n, rec_levels *out, char *err,
                       size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (n < 1 || n > 4096 || p->to_us <= p->from_us) {
        snprintf(err, errlen, _("bad level strip size"));
        return -1;
    }
    double *sum = calloc((size_t)n, sizeof *sum);
    int64_t *cnt = calloc((size_t)n, sizeof *cnt);
    int maxch = 1;
    for (size_t i = 0; i < p->nseg; i++)
        if (p->seg[i].file->channels > maxch)
            maxch = p->seg[i].file->channels;
    float *buf = malloc(sizeof(float) * CHUNK * (size_t)maxch);
    out->db = calloc((size_t)n, sizeof *out->db);
    out->missing = calloc((size_t)n, sizeof *out->missing);
    int ret = -1;
    if (!sum || !cnt || !buf || !out->db || !out->missing) {
        snprintf(err, errlen, _("out of memory"));
        goto done;
    }
    out->n = n;
    out->bucket_s = (double)(p->to_us - p->from_us) / 1e6 / n;
    for (size_t i = 0; i < p->nseg; i++)
        if (add_segment(root, p, &p->seg[i], sum, cnt, n, buf, err, errlen) != 0)
            goto done;
    /* a bucket is missing when fewer than half its samples were recorded */
    double expect = (double)(p->rate > 0 ? p->rate : 1) * out->bucket_s;
    for (int b = 0; b < n; b++) {
        out->missing[b] = cnt[b] < expect / 2;
        double ms = cnt[b] ? sum[b] / (double)cnt[b] : 0;
        double db = ms > 0 ? 10 * log10(ms) : LEVELS_FLOOR_DB;
        out->db[b] = (float)(db < LEVELS_FLOOR_DB ? LEVELS_FLOOR_DB : db);
    }
    ret = 0;
done:
    free(sum);
    free(cnt);
    free(buf);
    if (ret != 0)
        rec_levels_free(out);
    return ret;
}

static int bucket_of(const rec_levels *l, double t)
{
    int b = (int)(t / l->bucket_s);
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
