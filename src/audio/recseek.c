/* Exact positioning in a recording (include/cxm/recseek.h). */
#include "cxm/recseek.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SKIP_CHUNK 4096      /* frames per discarded read */
#define OGG_PAGE_MAX 65307   /* 27 + 255 + 255 * 255 bytes */
#define RUNUP_S 1            /* Opus and MP3: seconds decoded before k */

bool rec_seek_is_exact(int format)
{
    switch (format & SF_FORMAT_TYPEMASK) {
    case SF_FORMAT_OGG:  /* Vorbis, Opus: see the header */
    case SF_FORMAT_MPEG: /* MP3 */
        return false;
    default:
        return true;
    }
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int64_t le64(const unsigned char *p)
{
    return (int64_t)((uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32);
}

/* The Ogg page checksum: CRC-32, polynomial 0x04c11db7, not reflected, with
 * the checksum field taken as zero. */
static uint32_t ogg_crc(const unsigned char *p, size_t len)
{
    uint32_t crc = 0;
    for (size_t i = 0; i < len; i++) {
        crc ^= (uint32_t)(i >= 22 && i < 26 ? 0 : p[i]) << 24;
        for (int b = 0; b < 8; b++)
            crc = crc & 0x80000000u ? crc << 1 ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

/* The length of the Ogg page at buf[at] when one (checksum right) ends
 * exactly at buf[end], else 0. */
static size_t page_len(const unsigned char *buf, size_t end, size_t at)
{
    if (end - at < 27 || memcmp(buf + at, "OggS", 4) != 0 || buf[at + 4] != 0)
        return 0;
    size_t nseg = buf[at + 26], len = 27 + nseg;
    if (end - at < len)
        return 0;
    for (size_t i = 0; i < nseg; i++)
        len += buf[at + 27 + i];
    if (end - at != len || ogg_crc(buf + at, len) != le32(buf + at + 22))
        return 0;
    return len;
}

int64_t rec_ogg_last_page_span(const unsigned char *buf, size_t n)
{
    /* walk back from the end: `end` is where the page we look for must end */
    size_t end = n;
    int64_t last_gp = -1;
    uint32_t serial = 0;
    for (size_t at = n; at-- > 0;) {
        if (!page_len(buf, end, at))
            continue;
        int64_t gp = le64(buf + at + 6);
        uint32_t sn = le32(buf + at + 14);
        if (end == n) {
            if (gp < 0)
                return -1; /* a last page without a granule position */
            last_gp = gp;
            serial = sn;
        } else if (sn != serial) {
            return -1;
        } else if (gp >= 0) {
            return gp <= last_gp ? last_gp - gp : -1;
        }
        end = at;
    }
    return -1;
}

/* rec_ogg_last_page_span() over the file's tail: 3 maximal pages hold the
 * last page and the one before it unless pages between them have no granule
 * position (then -1, and the caller decodes from the start). */
static int64_t file_last_page_span(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    int64_t span = -1;
    unsigned char *buf = NULL;
    if (fseeko(fp, 0, SEEK_END) != 0)
        goto out;
    off_t size = ftello(fp);
    if (size <= 0)
        goto out;
    size_t n = size < 3 * OGG_PAGE_MAX ? (size_t)size : 3 * OGG_PAGE_MAX;
    buf = malloc(n);
    if (buf && fseeko(fp, size - (off_t)n, SEEK_SET) == 0 && fread(buf, 1, n, fp) == n)
        span = rec_ogg_last_page_span(buf, n);
out:
    free(buf);
    fclose(fp);
    return span;
}

static int skip_frames(SNDFILE *sf, int channels, int64_t n)
{
    if (n <= 0)
        return 0;
    float *buf = malloc(sizeof(float) * SKIP_CHUNK * (size_t)(channels > 0 ? channels : 1));
    if (!buf)
        return -1;
    int ret = 0;
    for (int64_t left = n; left > 0;) {
        sf_count_t want = left < SKIP_CHUNK ? left : SKIP_CHUNK;
        if (sf_readf_float(sf, buf, want) != want) {
            ret = -1;
            break;
        }
        left -= want;
    }
    free(buf);
    return ret;
}

int rec_seek_exact(SNDFILE *sf, const SF_INFO *info, const char *path, int64_t k)
{
    if (k < 0 || k > info->frames)
        return -1;
    if (rec_seek_is_exact(info->format))
        return sf_seek(sf, k, SEEK_SET) == k ? 0 : -1;
    int64_t anchor = 0;
    if ((info->format & SF_FORMAT_SUBMASK) == SF_FORMAT_VORBIS) {
        /* sf_seek() is exact while its page search stays off the last page,
         * that is for a frame up to where the page before the last ends
         * (frames are counted from the last granule position backwards). */
        int64_t span = file_last_page_span(path);
        if (span >= 0 && span <= info->frames)
            anchor = k < info->frames - span ? k : info->frames - span;
    } else if ((info->format & SF_FORMAT_SUBMASK) == SF_FORMAT_OPUS ||
               (info->format & SF_FORMAT_TYPEMASK) == SF_FORMAT_MPEG) {
        /* a second of run-up (see the header); other Ogg codecs (FLAC in
         * Ogg) are decoded from the start */
        int64_t runup = (int64_t)info->samplerate * RUNUP_S;
        anchor = k > runup ? k - runup : 0;
    }
    if (anchor > 0 && sf_seek(sf, anchor, SEEK_SET) != anchor)
        return -1;
    /* from there decode and discard: what a decode from the start does too */
    return skip_frames(sf, info->channels, k - anchor);
}
