/* Figures, not a test: the cost of exact positioning in lossy recordings
 * (include/cxm/recseek.h). Ogg/Vorbis files of 1 and 12 hours, Opus and MP3
 * of 1 hour, 16 kHz mono (written once, kept in $CXM_BENCH_DIR or /tmp);
 * for each, rec_seek_exact() to the middle and the first 60 s read, next to
 * libsndfile's own sf_seek() (fast, but not exact in these formats). */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cxm/recseek.h"

#define RATE 16000

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int make(const char *path, int format, int hours)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size > 0)
        return 0;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    SF_INFO info = {.samplerate = RATE, .channels = 1, .format = format};
    SNDFILE *sf = sf_open(tmp, SFM_WRITE, &info);
    if (!sf)
        return -1;
    static float buf[4096];
    int64_t total = (int64_t)hours * 3600 * RATE;
    uint32_t x = 1;
    for (int64_t k = 0; k < total; k += 4096) {
        /* noise under a slow syllable-like envelope: not trivially compressible */
        for (int i = 0; i < 4096; i++) {
            x = x * 1103515245u + 12345u;
            double env = ((k + i) / 2400) % 3 ? 0.3 : 0.02;
            buf[i] = (float)(env * ((double)(x >> 16) / 32768.0 - 1));
        }
        if (sf_writef_float(sf, buf, 4096) != 4096) {
            sf_close(sf);
            return -1;
        }
    }
    sf_close(sf);
    return rename(tmp, path);
}

static void measure(const char *path, const char *what)
{
    static float buf[60 * RATE];
    for (int i = 0; i < 4; i++) {
        int exact = i % 2 == 0, tail = i >= 2;
        SF_INFO info;
        memset(&info, 0, sizeof info);
        double t = now_ms();
        SNDFILE *sf = sf_open(path, SFM_READ, &info);
        if (!sf) {
            printf("%s: %s\n", path, sf_strerror(NULL));
            return;
        }
        /* the middle, and the last 60 s (Vorbis: into the last Ogg page) */
        int64_t k = tail ? info.frames - 60 * RATE : info.frames / 2;
        int ok = exact ? rec_seek_exact(sf, &info, path, k) == 0 : sf_seek(sf, k, SEEK_SET) == k;
        double t1 = now_ms();
        ok = ok && sf_readf_float(sf, buf, 60 * RATE) == 60 * RATE;
        double t2 = now_ms();
        sf_close(sf);
        printf("%-12s %-18s to %-6s (%5.2f h): %8.1f ms, then 60 s read %6.1f ms%s\n", what,
               exact ? "rec_seek_exact" : "sf_seek (inexact)", tail ? "end-60s" : "middle",
               (double)k / RATE / 3600, t1 - t, t2 - t1, ok ? "" : "  FAILED");
    }
}

int main(void)
{
    const char *dir = getenv("CXM_BENCH_DIR");
    if (!dir || !*dir)
        dir = "/tmp";
    static const struct {
        const char *name, *what;
        int format, hours;
    } f[] = {
        {"recseek-1h.ogg", "Vorbis 1 h", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1},
        {"recseek-12h.ogg", "Vorbis 12 h", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 12},
        {"recseek-1h.opus", "Opus 1 h", SF_FORMAT_OGG | SF_FORMAT_OPUS, 1},
        {"recseek-1h.mp3", "MP3 1 h", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 1},
    };
    printf("16 kHz mono; measured on a shared, busy machine\n");
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, f[i].name);
        double t = now_ms();
        if (make(path, f[i].format, f[i].hours) != 0) {
            printf("%s: cannot write: %s\n", path, sf_strerror(NULL));
            continue;
        }
        if (now_ms() - t > 100)
            printf("%s written in %.0f s\n", path, (now_ms() - t) / 1e3);
        measure(path, f[i].what);
    }
    return 0;
}
