/* Audio figures (issue 8), not a test: a 12-hour FLAC recording (8 kHz mono,
 * written here once, kept in $CXM_BENCH_DIR or /tmp), and a 60 s window in
 * its middle:
 *   - play key -> first audio (mpv playback-restart / vlc Playing) for the
 *     first play and for later plays, both backends, ao null (timed);
 *   - export of the window to WAV (index scan + plan + copy);
 *   - the level strip for the window (200 columns).
 * `bench_audio.sh` compares with the mpv command line on the same window.
 * Prints "BENCH_WINDOW <file> <start s> <end s>" for it. */
#include <locale.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cxm/levels.h"
#include "cxm/loop.h"
#include "cxm/player.h"
#include "cxm/recordings.h"
#include "cxm/timefmt.h"

#define RATE 8000
#define HOURS 12
#define T0 1795410000LL /* 2026-11-23 05:00 UTC */

static int make_flac(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && sb.st_size > 0)
        return 0;
    char tmp[1400];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = 1;
    info.format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16;
    SNDFILE *sf = sf_open(tmp, SFM_WRITE, &info);
    if (!sf)
        return -1;
    static short buf[RATE * 10];
    int64_t total = (int64_t)HOURS * 3600 * RATE;
    /* a ramp with a slow "voice" envelope: compresses, but not to nothing */
    for (int64_t k = 0; k < total;) {
        for (int i = 0; i < RATE * 10; i++, k++)
            buf[i] = (short)(((k * 37) & 0x3ff) * ((k / RATE) % 7 + 1));
        if (sf_writef_short(sf, buf, RATE * 10) != RATE * 10)
            return -1;
    }
    sf_close(sf);
    return rename(tmp, path);
}

static double ms(int64_t us)
{
    return (double)us / 1000.0;
}

static void bench_play(player_backend b, const char *root, const rec_plan *plan)
{
    loop *lp = loop_new();
    player_opts o = {b, "null", "/dev/null"};
    char err[256];
    int64_t t0 = time_mono_us();
    player *p = player_new(lp, &o, NULL, NULL, err, sizeof err);
    if (!p) {
        printf("%s: cannot start: %s\n", player_backend_name(b), err);
        loop_free(lp);
        return;
    }
    double create = ms(time_mono_us() - t0);
    double first = -1, later[5];
    int nl = 0;
    for (int round = 0; round < 6; round++) {
        if (player_load(p, root, plan, NULL, false) != 0) {
            printf("%s: refused: %s\n", player_backend_name(b), player_peek(p)->error);
            break;
        }
        int64_t end = time_mono_us() + 10000000;
        while (!player_peek(p)->first_audio_us && player_peek(p)->state != PLAYER_FAILED &&
               time_mono_us() < end)
            loop_run_once(lp, 50);
        const player_status *st = player_peek(p);
        if (!st->first_audio_us) {
            printf("%s: no audio (%s)\n", player_backend_name(b), st->error);
            break;
        }
        double d = ms(st->first_audio_us - st->load_us);
        if (round == 0)
            first = d;
        else
            later[nl++] = d;
        player_stop(p);
    }
    if (first >= 0) {
        printf("%-4s create %.1f ms; play -> first audio: first %.1f ms, then", player_backend_name(b),
               create, first);
        for (int i = 0; i < nl; i++)
            printf(" %.1f", later[i]);
        printf(" ms\n");
    }
    player_free(p);
    loop_free(lp);
}

int main(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    setenv("TZ", "UTC-3", 1);
    const char *dir = getenv("CXM_BENCH_DIR") ? getenv("CXM_BENCH_DIR") : "/tmp/cxm-bench-audio";
    char root[1024], desk[1100], path[1300];
    snprintf(root, sizeof root, "%s", dir);
    snprintf(desk, sizeof desk, "%s/reg-1", root);
    mkdir(root, 0755);
    mkdir(desk, 0755);
    snprintf(path, sizeof path, "%s/2026-11-23T08-00-00+0300.flac", desk);
    int64_t t = time_mono_us();
    if (make_flac(path) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    printf("12-hour FLAC ready (%s) in %.0f ms\n", path, ms(time_mono_us() - t));
    int64_t from = (T0 + 6 * 3600) * 1000000LL, to = from + 60 * 1000000LL;
    printf("BENCH_WINDOW %s %d %d\n", path, 6 * 3600, 6 * 3600 + 60);

    rec_list l;
    rec_plan p;
    char err[512];
    /* export: scan (header already read once by a first pass) + plan + copy */
    rec_plan_desk(NULL, root, "reg-1", from, to, &l, &p, err, sizeof err);
    rec_plan_free(&p);
    rec_list_free(&l);
    char out[1300];
    snprintf(out, sizeof out, "%s/export.wav", root);
    for (int i = 0; i < 3; i++) {
        t = time_mono_us();
        if (rec_plan_desk(NULL, root, "reg-1", from, to, &l, &p, err, sizeof err) != 0 ||
            rec_export_wav(root, &p, out, err, sizeof err) != 0) {
            printf("export failed: %s\n", err);
            return 1;
        }
        printf("export 60 s from the middle of 12 h FLAC: %.1f ms (%lld frames)\n",
               ms(time_mono_us() - t), (long long)p.frames);
        if (i < 2) {
            rec_plan_free(&p);
            rec_list_free(&l);
        }
    }
    for (int i = 0; i < 3; i++) {
        rec_levels lv;
        t = time_mono_us();
        if (rec_levels_compute(root, &p, 200, &lv, err, sizeof err) != 0) {
            printf("levels failed: %s\n", err);
            return 1;
        }
        printf("level strip, 60 s, 200 columns: %.1f ms\n", ms(time_mono_us() - t));
        rec_levels_free(&lv);
    }
    bench_play(PLAYER_MPV, root, &p);
    bench_play(PLAYER_VLC, root, &p);
    rec_plan_free(&p);
    rec_list_free(&l);
    return 0;
}
