/* A clip as one WAV byte stream (pcmstream.h). Decodes a chunk of frames at
 * a time into a little cache; VLC reads sequentially, so a file is sought
 * once per piece and after VLC's own seeks, never per read. */
#include "audio/pcmstream.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/i18n.h"
#include "cxm/recseek.h"

#define CHUNK 4096 /* frames decoded per refill */
#define HDR_PCM 44
#define HDR_FLOAT 46 /* a float fmt chunk carries cbSize */

struct pcm_stream {
    pcm_piece *pieces;
    int64_t *base; /* stream frame where piece i begins; base[n] = total */
    size_t n;
    int rate, channels;
    bool is_float;
    unsigned char hdr[HDR_FLOAT];
    size_t hdr_len, bpf; /* bytes per frame */
    uint64_t pos, size;
    /* the open file and where its next read lands */
    SNDFILE *sf;
    size_t sf_piece;
    int64_t sf_next;
    /* decoded frames [c0, c0 + cn) of the stream, as little-endian bytes */
    unsigned char *cache;
    int64_t c0, cn;
    void *decode; /* CHUNK * channels shorts or floats */
    char err[512];
};

static bool needs_float(int format)
{
    switch (format & SF_FORMAT_SUBMASK) {
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
        return true;
    default: /* 8/16-bit PCM is exact as 16-bit; lossy is decoded to it */
        return false;
    }
}

static void le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xffff);
    le16(p + 2, v >> 16);
}

static void make_header(pcm_stream *s)
{
    unsigned char *h = s->hdr;
    uint32_t data = (uint32_t)(s->size - s->hdr_len);
    unsigned bits = s->is_float ? 32 : 16;
    memcpy(h, "RIFF", 4);
    le32(h + 4, (uint32_t)(s->size - 8));
    memcpy(h + 8, "WAVEfmt ", 8);
    le32(h + 16, s->is_float ? 18 : 16);
    le16(h + 20, s->is_float ? 3 : 1); /* WAVE_FORMAT_IEEE_FLOAT : PCM */
    le16(h + 22, (unsigned)s->channels);
    le32(h + 24, (uint32_t)s->rate);
    le32(h + 28, (uint32_t)(s->rate * s->bpf));
    le16(h + 32, (unsigned)s->bpf);
    le16(h + 34, bits);
    size_t at = 36;
    if (s->is_float) {
        le16(h + at, 0); /* cbSize */
        at += 2;
    }
    memcpy(h + at, "data", 4);
    le32(h + at + 4, data);
}

pcm_stream *pcm_stream_new(const pcm_piece *pieces, size_t n, int rate, int channels, char *err,
                           size_t errlen)
{
    if (!n || rate <= 0 || channels <= 0) {
        snprintf(err, errlen, _("nothing to play"));
        return NULL;
    }
    pcm_stream *s = calloc(1, sizeof *s);
    if (!s)
        goto oom;
    s->n = n;
    s->rate = rate;
    s->channels = channels;
    s->pieces = calloc(n, sizeof *s->pieces);
    s->base = calloc(n + 1, sizeof *s->base);
    if (!s->pieces || !s->base)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        s->pieces[i] = pieces[i];
        if (!(s->pieces[i].path = strdup(pieces[i].path)))
            goto oom;
        s->base[i + 1] = s->base[i] + (pieces[i].to_frame - pieces[i].from_frame);
        s->is_float |= needs_float(pieces[i].format);
    }
    s->bpf = (size_t)channels * (s->is_float ? 4 : 2);
    s->hdr_len = s->is_float ? HDR_FLOAT : HDR_PCM;
    s->size = s->hdr_len + (uint64_t)s->base[n] * s->bpf;
    if (s->size - s->hdr_len > UINT32_MAX) {
        snprintf(err, errlen, _("the clip is too long to play with vlc; use the mpv backend"));
        pcm_stream_free(s);
        return NULL;
    }
    make_header(s);
    s->cache = malloc(CHUNK * s->bpf);
    s->decode = malloc(CHUNK * (size_t)channels * (s->is_float ? sizeof(float) : sizeof(short)));
    if (!s->cache || !s->decode)
        goto oom;
    return s;
oom:
    snprintf(err, errlen, _("out of memory"));
    pcm_stream_free(s);
    return NULL;
}

void pcm_stream_free(pcm_stream *s)
{
    if (!s)
        return;
    if (s->sf)
        sf_close(s->sf);
    for (size_t i = 0; s->pieces && i < s->n; i++)
        free((char *)s->pieces[i].path);
    free(s->pieces);
    free(s->base);
    free(s->cache);
    free(s->decode);
    free(s);
}

uint64_t pcm_stream_size(const pcm_stream *s)
{
    return s->size;
}

int64_t pcm_stream_frames(const pcm_stream *s)
{
    return s->base[s->n];
}

const char *pcm_stream_error(const pcm_stream *s)
{
    return s->err;
}

int pcm_stream_seek(pcm_stream *s, uint64_t offset)
{
    if (offset > s->size)
        return -1;
    s->pos = offset;
    return 0;
}

static size_t piece_of(const pcm_stream *s, int64_t f)
{
    size_t lo = 0, hi = s->n; /* base[lo] <= f < base[hi] */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->base[mid] <= f)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Makes the file of piece i ready to read its frame `at`: a fresh open and
 * rec_seek_exact unless the file is already there (VLC reads on in order),
 * as libsndfile's own seek is not exact in lossy files (recseek.h). */
static int reach(pcm_stream *s, size_t i, int64_t at)
{
    const pcm_piece *pc = &s->pieces[i];
    if (s->sf && s->sf_piece == i && s->sf_next == at)
        return 0;
    if (s->sf) {
        sf_close(s->sf);
        s->sf = NULL;
    }
    SF_INFO info;
    memset(&info, 0, sizeof info);
    if (!(s->sf = sf_open(pc->path, SFM_READ, &info))) {
        snprintf(s->err, sizeof s->err, _("%s: %s"), pc->path, sf_strerror(NULL));
        return -1;
    }
    if (info.samplerate != s->rate || info.channels != s->channels || info.frames < pc->to_frame) {
        snprintf(s->err, sizeof s->err,
                 _("%s: changed since it was indexed (%d Hz, %d ch, %lld frames)"), pc->path,
                 info.samplerate, info.channels, (long long)info.frames);
        goto fail;
    }
    if (rec_seek_exact(s->sf, &info, pc->path, at) != 0) {
        snprintf(s->err, sizeof s->err, _("%s: cannot seek to frame %lld: %s"), pc->path,
                 (long long)at, sf_strerror(s->sf));
        goto fail;
    }
    s->sf_piece = i;
    s->sf_next = at;
    return 0;
fail:
    sf_close(s->sf);
    s->sf = NULL;
    return -1;
}

/* Decodes the chunk that starts at stream frame f into the cache. */
static int refill(pcm_stream *s, int64_t f)
{
    size_t i = piece_of(s, f);
    const pcm_piece *pc = &s->pieces[i];
    int64_t at = pc->from_frame + (f - s->base[i]);
    int64_t want = s->base[i + 1] - f;
    if (want > CHUNK)
        want = CHUNK;
    if (reach(s, i, at) != 0)
        return -1;
    sf_count_t got = s->is_float ? sf_readf_float(s->sf, s->decode, want)
                                 : sf_readf_short(s->sf, s->decode, want);
    if (got != want) {
        snprintf(s->err, sizeof s->err, _("%s: cannot read frames %lld-%lld: %s"), pc->path,
                 (long long)at, (long long)(at + want), sf_strerror(s->sf));
        s->sf_next = -1;
        return -1;
    }
    s->sf_next = at + want;
    size_t samples = (size_t)want * (size_t)s->channels;
    unsigned char *o = s->cache;
    if (s->is_float) {
        const float *in = s->decode;
        for (size_t k = 0; k < samples; k++, o += 4) {
            uint32_t u;
            memcpy(&u, &in[k], 4);
            le32(o, u);
        }
    } else {
        const short *in = s->decode;
        for (size_t k = 0; k < samples; k++, o += 2)
            le16(o, (unsigned)(unsigned short)in[k]);
    }
    s->c0 = f;
    s->cn = want;
    return 0;
}

ssize_t pcm_stream_read(pcm_stream *s, unsigned char *buf, size_t len)
{
    size_t done = 0;
    while (done < len && s->pos < s->size) {
        if (s->pos < s->hdr_len) {
            size_t k = s->hdr_len - (size_t)s->pos;
            if (k > len - done)
                k = len - done;
            memcpy(buf + done, s->hdr + s->pos, k);
            done += k;
            s->pos += k;
            continue;
        }
        uint64_t data = s->pos - s->hdr_len;
        int64_t f = (int64_t)(data / s->bpf);
        if (f < s->c0 || f >= s->c0 + s->cn) {
            if (refill(s, f) != 0)
                return done ? (ssize_t)done : -1;
        }
        uint64_t cache_off = data - (uint64_t)s->c0 * s->bpf;
        size_t k = (size_t)((uint64_t)s->cn * s->bpf - cache_off);
        if (k > len - done)
            k = len - done;
        memcpy(buf + done, s->cache + cache_off, k);
        done += k;
        s->pos += k;
    }
    return (ssize_t)done;
}
