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
    rec_levels_free(&lv);
    assert_int_equal(rec_levels_compute(root, &p, 0, &lv, err, sizeof err), -1);
    rec_plan_free(&p);
    rec_list_free(&l);
    fx_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
