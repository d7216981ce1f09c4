/* The level strip: a recording written at test time with silence, a loud tone
 * and a quiet one at known seconds, and a gap; the envelope, the missing
 * buckets, and the jumps to the next loud stretch and over silence. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/levels.h"
#include "rec_fixture.h"
#include "store_fixture.h"

#define S 1000000LL
#define T0 1795410000LL
#define RATE 8000

/* amplitude per second of a 10 s file: 0 = digital silence */
static const double amp[10] = {0, 0, 0.5, 0.003, 0.003, 0.5, 0.5, 0, 0.003, 0.003};

static void write_tones(const char *path)
{
    SF_INFO info = {0};
    info.samplerate = RATE;
    info.channels = 1;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    static float buf[10 * RATE];
    for (int k = 0; k < 10 * RATE; k++)
        buf[k] = (float)(amp[k / RATE] * sin(2 * M_PI * 440.0 * k / RATE));
    assert_int_equal(sf_writef_float(sf, buf, 10 * RATE), 10 * RATE);
    sf_close(sf);
}

static void test_levels(void **state)
{
    (void)state;
    char dir[512], root[600], path[1200], err[256];
    fx_tmpdir(dir, sizeof dir);
    snprintf(root, sizeof root, "%s/rec", dir);
    rx_name(root, "reg-2", T0, 10800, "wav", path, sizeof path);
    write_tones(path);
    rec_list l;
    rec_plan p;
    /* window [T0, T0 + 12 s): the last 2 s are not recorded */
    assert_int_equal(rec_plan_desk(NULL, root, "reg-2", T0 * S, (T0 + 12) * S, &l, &p, err, sizeof err), 0);
    rec_levels lv;
    assert_int_equal(rec_levels_compute(root, &p, 12, &lv, err, sizeof err), 0);
    assert_int_equal(lv.n, 12);
    assert_true(fabs(lv.bucket_s - 1.0) < 1e-9);
    assert_true(lv.db[0] <= LEVELS_FLOOR_DB + 0.01);            /* silence */
    assert_true(lv.db[2] > -10 && lv.db[2] < -8);               /* 0.5 sine: -9 dB RMS */
    assert_true(lv.db[3] > -54 && lv.db[3] < -50);              /* 0.003 sine: -53.5 dB */
    for (int b = 0; b < 10; b++)
        assert_false(lv.missing[b]);
    assert_true(lv.missing[10] && lv.missing[11]);

    /* next loud: from 0 -> 2 s; from inside the first loud second -> 5 s; after 6 -> none */
    assert_true(fabs(rec_levels_next_loud(&lv, 0, LEVELS_LOUD_DB) - 2.0) < 1e-9);
    assert_true(fabs(rec_levels_next_loud(&lv, 2.5, LEVELS_LOUD_DB) - 5.0) < 1e-9);
    assert_true(rec_levels_next_loud(&lv, 6.5, LEVELS_LOUD_DB) < 0);
    /* skip silence: in silence at 0 -> 2 s; in sound at 2.5 -> past the quiet 3-5 -> 5 s */
    assert_true(fabs(rec_levels_skip_silence(&lv, 0.5, LEVELS_SILENT_DB) - 2.0) < 1e-9);
    assert_true(fabs(rec_levels_skip_silence(&lv, 2.5, LEVELS_SILENT_DB) - 5.0) < 1e-9);
    assert_true(rec_levels_skip_silence(&lv, 7.5, LEVELS_SILENT_DB) < 0); /* silent to the end */
    /* from a little before a stretch (the player reports the sample before
     * the one a jump landed on, or its audio frame's start) the same key
     * moves on, not back to it: a jump moves at least half a bucket */
    assert_true(fabs(rec_levels_next_loud(&lv, 1.7, LEVELS_LOUD_DB) - 5.0) < 1e-9);
    assert_true(fabs(rec_levels_next_loud(&lv, 1.4, LEVELS_LOUD_DB) - 2.0) < 1e-9);
    assert_true(fabs(rec_levels_next_loud(&lv, 2.0 - 1.0 / 8000, LEVELS_LOUD_DB) - 5.0) < 1e-9);
    assert_true(fabs(rec_levels_skip_silence(&lv, 2.0 - 1.0 / 8000, LEVELS_SILENT_DB) - 5.0) < 1e-9);
    rec_levels_free(&lv);
    assert_int_equal(rec_levels_compute(root, &p, 0, &lv, err, sizeof err), -1);
    rec_plan_free(&p);
    rec_list_free(&l);
    fx_rmdir(dir);
}

/* The level strip of a lossy recording reads the samples libsndfile decodes
 * from the file's start (include/cxm/recseek.h): a window in the last Ogg
 * page (where sf_seek() landed 720 frames late at 44.1 kHz), one on inner
 * pages, Opus and MP3. The tone steps loud/quiet every 1500 frames, so a
 * shift changes the buckets by decibels; the expected strip is computed
 * from the full decode with the same bucket rule. */
static void levels_signal(const char *root, const char *desk, const char *ext, int format, int rate,
                          int secs, int64_t a_us, int64_t b_us, int n, double tol_db,
                          double (*sig)(int64_t, int))
{
    char path[1200], err[256];
    rx_name(root, desk, T0, 10800, ext, path, sizeof path);
    if (rx_write_signal(path, format, rate, 0, (int64_t)secs * rate, sig) != 0)
        fail_msg("cannot write %s: %s", path, sf_strerror(NULL));
    rec_list l;
    rec_plan p;
    assert_int_equal(rec_plan_desk(NULL, root, desk, a_us, b_us, &l, &p, err, sizeof err), 0);
    assert_int_equal(p.nseg, 1);
    rec_levels lv;
    if (rec_levels_compute(root, &p, n, &lv, err, sizeof err) != 0)
        fail_msg("%s", err);
    int64_t all = 0;
    int ch = 1;
    float *dec = rx_decode_all(path, &all, &ch);
    assert_non_null(dec);
    const rec_segment *sg = &p.seg[0];
    assert_true(sg->to_frame <= all);
    double *sum = calloc((size_t)n, sizeof *sum), win = (double)(p.to_us - p.from_us),
           t0 = (double)(sg->from_us - p.from_us), dt = 1e6 / rate;
    int64_t *cnt = calloc((size_t)n, sizeof *cnt);
    for (int64_t k = 0; k < sg->to_frame - sg->from_frame; k++) {
        int b = (int)((t0 + (double)k * dt) / win * n);
        if (b < 0 || b >= n)
            continue;
        double v = dec[(sg->from_frame + k) * ch];
        sum[b] += v * v;
        cnt[b]++;
    }
    for (int b = 0; b < n; b++) {
        double want = cnt[b] && sum[b] > 0 ? 10 * log10(sum[b] / (double)cnt[b]) : LEVELS_FLOOR_DB;
        if (want < LEVELS_FLOOR_DB)
            want = LEVELS_FLOOR_DB;
        if (fabs(lv.db[b] - want) > tol_db)
            fail_msg("%s %d Hz: bucket %d is %.3f dB, the full decode gives %.3f dB", ext, rate, b,
                     lv.db[b], want);
    }
    free(sum);
    free(cnt);
    free(dec);
    rec_levels_free(&lv);
    rec_plan_free(&p);
    rec_list_free(&l);
}

static void levels_lossy(const char *root, const char *desk, const char *ext, int format, int rate,
                         int secs, int64_t a_us, int64_t b_us, int n, double tol_db)
{
    levels_signal(root, desk, ext, format, rate, secs, a_us, b_us, n, tol_db, rx_lossy_at);
}

static void test_levels_lossy(void **state)
{
    (void)state;
    char dir[512], root[600];
    fx_tmpdir(dir, sizeof dir);
    snprintf(root, sizeof root, "%s/rec", dir);
    /* 12 s at 44.1 kHz: the last page holds 11.76-12 s */
    levels_lossy(root, "ogg-44k", "ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 12,
                 (T0 + 11) * S + 800000, (T0 + 11) * S + 950000, 15, 1e-3);
    levels_lossy(root, "ogg-44k", "ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 12,
                 (T0 + 5) * S + 100000, (T0 + 6) * S, 30, 1e-3);
    levels_lossy(root, "opus-16k", "opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 16000, 10,
                 (T0 + 3) * S + 300000, (T0 + 5) * S + 100000, 40, 0.1);
    levels_lossy(root, "mp3-16k", "mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, 10,
                 (T0 + 4) * S + 40000, (T0 + 6) * S, 40, 1e-3);
    /* a chirp, where plain sf_seek in MP3 decodes garbage for a while */
    levels_signal(root, "mp3-chirp", "mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, 40,
                  (T0 + 31) * S + 123456, (T0 + 33) * S, 40, 1e-3, rx_chirp_at);
    fx_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_levels_lossy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
