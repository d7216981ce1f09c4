/* Recordings written at test time with libsndfile: sample k of a file that
 * starts at Unix second T holds the low 16 bits of the absolute frame number
 * T * rate + k (as cxm-agent-sim's recordings do), so any sample tells where
 * it came from. Channel 1 (if any) holds the bitwise complement. */
#ifndef CXM_TEST_REC_FIXTURE_H
#define CXM_TEST_REC_FIXTURE_H

#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static inline int16_t rx_value(int64_t abs_frame, int ch)
{
    uint16_t v = (uint16_t)(abs_frame & 0xffff);
    return (int16_t)(ch ? (uint16_t)~v : v);
}

/* "DIR/DESK/<local start with offset>.EXT" for a start in Unix seconds, the
 * name written with the given offset (seconds east of UTC). */
static inline void rx_name(const char *root, const char *desk, int64_t start_s, int off_s,
                           const char *ext, char *out, size_t cap)
{
    time_t t = (time_t)(start_s + off_s);
    struct tm tm;
    gmtime_r(&t, &tm);
    char stamp[40];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H-%M-%S", &tm);
    int a = off_s < 0 ? -off_s : off_s;
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", root, desk);
    mkdir(root, 0755);
    mkdir(dir, 0755);
    snprintf(out, cap, "%s/%s%c%02d%02d.%s", dir, stamp, off_s < 0 ? '-' : '+', a / 3600,
             a / 60 % 60, ext);
}

/* Writes a ramp recording; format e.g. SF_FORMAT_WAV | SF_FORMAT_PCM_16. */
static inline int rx_write(const char *path, int format, int rate, int channels, int64_t start_s,
                           int64_t frames)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = rate;
    info.channels = channels;
    info.format = format;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        return -1;
    enum { CH = 4096 };
    short *buf = malloc(sizeof(short) * CH * (size_t)channels);
    int64_t base = start_s * rate;
    for (int64_t k = 0; k < frames;) {
        int64_t n = frames - k < CH ? frames - k : CH;
        for (int64_t i = 0; i < n; i++)
            for (int c = 0; c < channels; c++)
                buf[i * channels + c] = rx_value(base + k + i, c);
        if (sf_writef_short(sf, buf, n) != n) {
            free(buf);
            sf_close(sf);
            return -1;
        }
        k += n;
    }
    free(buf);
    return sf_close(sf);
}

/* A lossy recording (Ogg/Vorbis, Opus, MP3) of a 440 Hz tone whose loudness
 * steps between 0.5 and 0.02 every 1500 frames, so a shifted window shows in
 * the samples and in the level strip. Written in chunks (libvorbis crashes on
 * one very large write). */
static inline double rx_lossy_at(int64_t k, int rate)
{
    double a = (k / 1500) % 2 ? 0.02 : 0.5;
    return a * sin(2 * 3.14159265358979 * (440.0 + (double)(k % 7000) / 70) * (double)k / rate);
}

/* A chirp (200 Hz rising, repeating every 30 s): a signal an MP3 encoder
 * spends its bit reservoir on, so a decoder restarted without the frames
 * before (plain sf_seek in MP3) gets it wrong for a while; the steady tone
 * above does not show that. */
static inline double rx_chirp_at(int64_t k, int rate)
{
    double t = (double)(k % (30LL * rate)) / rate;
    return 0.5 * sin(2 * M_PI * (200 * t + 20 * t * t));
}

static inline int rx_write_signal(const char *path, int format, int rate, int64_t first,
                                  int64_t frames, double (*sig)(int64_t, int));

static inline int rx_write_lossy(const char *path, int format, int rate, int64_t frames)
{
    return rx_write_signal(path, format, rate, 0, frames, rx_lossy_at);
}

/* Writes sig(first + k) for k in [0, frames): mono floats. */
static inline int rx_write_signal(const char *path, int format, int rate, int64_t first,
                                  int64_t frames, double (*sig)(int64_t, int))
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.samplerate = rate;
    info.channels = 1;
    info.format = format;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        return -1;
    float buf[4096];
    for (int64_t k = 0; k < frames;) {
        int64_t n = frames - k < 4096 ? frames - k : 4096;
        for (int64_t i = 0; i < n; i++)
            buf[i] = (float)sig(first + k + i, rate);
        if (sf_writef_float(sf, buf, n) != n) {
            sf_close(sf);
            return -1;
        }
        k += n;
    }
    return sf_close(sf);
}

/* The whole file as libsndfile decodes it read from its start, without any
 * sf_seek: the reference a window of a lossy file must equal. Interleaved
 * floats; NULL when unreadable. */
static inline float *rx_decode_all(const char *path, int64_t *frames, int *channels)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return NULL;
    float *v = malloc(sizeof(float) * (size_t)(info.frames + 1) * (size_t)info.channels);
    *frames = v ? sf_readf_float(sf, v, info.frames) : 0;
    *channels = info.channels;
    sf_close(sf);
    return v;
}

/* Checks that a WAV holds exactly the ramp from absolute frame `first` for
 * `frames` frames; returns the index of the first wrong frame, -1 when all
 * match, -2 when unreadable or of another length/format. */
static inline int64_t rx_check(const char *path, int rate, int channels, int64_t first,
                               int64_t frames)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf)
        return -2;
    if (info.samplerate != rate || info.channels != channels || info.frames != frames) {
        fprintf(stderr, "%s: %d Hz %d ch %lld frames, want %d %d %lld\n", path, info.samplerate,
                info.channels, (long long)info.frames, rate, channels, (long long)frames);
        sf_close(sf);
        return -2;
    }
    short *buf = malloc(sizeof(short) * 4096 * (size_t)channels);
    int64_t bad = -1;
    for (int64_t k = 0; k < frames && bad < 0;) {
        sf_count_t n = sf_readf_short(sf, buf, 4096);
        if (n <= 0) {
            bad = k;
            break;
        }
        for (sf_count_t i = 0; i < n && bad < 0; i++)
            for (int c = 0; c < channels; c++)
                if (buf[i * channels + c] != rx_value(first + k + i, c)) {
                    fprintf(stderr, "%s: frame %lld ch %d = %d, want %d\n", path,
                            (long long)(k + i), c, buf[i * channels + c],
                            rx_value(first + k + i, c));
                    bad = k + i;
                    break;
                }
        k += n;
    }
    free(buf);
    sf_close(sf);
    return bad;
}

#endif
