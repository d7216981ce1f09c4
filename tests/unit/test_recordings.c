/* The recordings index, window plans and the WAV export, against recordings
 * written at test time whose samples encode their own position (rec_fixture.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/recordings.h"
#include "cxm/recseek.h"
#include "cxm/store.h"
#include "rec_fixture.h"
#include "store_fixture.h"

#define S 1000000LL
#define T0 1795410000LL /* 2026-11-23T05:00:00Z = 08:00 +03:00 */
#define RATE 8000

static void test_name_parse(void **state)
{
    (void)state;
    int64_t us;
    int off;
    assert_int_equal(rec_name_parse("2026-11-23T08-00-00+0300.wav", &us, &off), 0);
    assert_int_equal(us, T0 * S);
    assert_int_equal(off, 10800);
    assert_int_equal(rec_name_parse("2026-11-23T05-00-00Z.FLAC", &us, &off), 0);
    assert_int_equal(us, T0 * S);
    assert_int_equal(off, 0);
    assert_int_equal(rec_name_parse("2026-11-22T23-30-00-0530.mp3", &us, &off), 0);
    assert_int_equal(us, T0 * S);
    assert_int_equal(off, -19800);
    assert_int_equal(rec_name_parse("2026-11-23T08-00-00.250+0300.ogg", &us, NULL), 0);
    assert_int_equal(us, T0 * S + 250000);
    assert_int_equal(rec_name_parse("2024-02-29T00-00-00Z.opus", &us, NULL), 0);
    assert_int_equal(rec_name_parse("1969-12-31T23-59-59Z.wav", &us, NULL), 0);
    assert_int_equal(us, -S);
    static const char *const bad[] = {
        "", "x.wav", "2026-11-23T08-00-00+0300", "2026-11-23T08-00-00+0300.txt",
        "2026-11-23T08-00-00+0300.wav.tmp", "2026-13-23T08-00-00+0300.wav",
        "2025-02-29T08-00-00+0300.wav", "2026-11-23T24-00-00+0300.wav",
        "2026-11-23T08-60-00+0300.wav", "2026-11-23T08:00:00+03:00.wav",
        "2026-11-23T08-00-00+2400.wav", "2026-11-23T08-00-00.wav", "2026-11-23T08-00-00+03.wav",
        "2026-11-23T08-00-00.1234567890Z.wav", "2026-11-23 08-00-00Z.wav", ".wav",
        "2026-11-23T08-00-00+0300.",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (rec_name_parse(bad[i], &us, NULL) == 0)
            fail_msg("accepted '%s'", bad[i]);
}

static void test_desk_dir(void **state)
{
    (void)state;
    char d[64];
    rec_desk_dir("reg-2", d, sizeof d);
    assert_string_equal(d, "reg-2");
    rec_desk_dir("../etc", d, sizeof d);
    assert_string_equal(d, "_._etc");
    rec_desk_dir("", d, sizeof d);
    assert_string_equal(d, "_");
    rec_desk_dir("кассa 1", d, sizeof d);
    assert_null(strchr(d, '/'));
    assert_null(strchr(d, ' '));
}

typedef struct {
    char dir[512], root[600], out[700];
    store *st;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fx_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->root, sizeof f->root, "%s/rec", f->dir);
    snprintf(f->out, sizeof f->out, "%s/out.wav", f->dir);
    char err[256];
    if (store_open(":memory:", &f->st, err, sizeof err) != 0)
        fail_msg("%s", err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->st);
    fx_rmdir(f->dir);
    free(f);
    return 0;
}

/* One file of `secs` seconds of the desk's ramp, named with offset `off`. */
static void put(fx *f, const char *desk, int64_t start_s, int secs, int off, int format,
                const char *ext, int channels)
{
    char path[1200];
    rx_name(f->root, desk, start_s, off, ext, path, sizeof path);
    if (rx_write(path, format, RATE, channels, start_s, (int64_t)secs * RATE) != 0)
        fail_msg("cannot write %s", path);
}

static void plan(fx *f, const char *desk, int64_t from_us, int64_t to_us, rec_list *l, rec_plan *p)
{
    char err[256];
    if (rec_plan_desk(f->st, f->root, desk, from_us, to_us, l, p, err, sizeof err) != 0)
        fail_msg("%s", err);
}

static void test_scan_cached(void **state)
{
    fx *f = *state;
    put(f, "reg-2", T0, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    put(f, "reg-2", T0 + 10, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    put(f, "reg-3", T0, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    char junk[1200];
    snprintf(junk, sizeof junk, "%s/reg-2/notes.txt", f->root);
    FILE *j = fopen(junk, "w");
    fputs("not a recording", j);
    fclose(j);

    rec_list l;
    rec_scan_stats s;
    char err[256];
    assert_int_equal(rec_scan(f->st, f->root, "reg-2", T0 * S, (T0 + 20) * S, &l, &s, err, sizeof err), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(s.headers_read, 2);
    assert_true(s.stored);
    assert_int_equal(l.v[0].start_us, T0 * S);
    assert_int_equal(l.v[0].frames, 10 * RATE);
    assert_int_equal(l.v[0].rate, RATE);
    assert_int_equal(l.v[0].channels, 1);
    assert_int_equal(l.v[1].start_us, (T0 + 10) * S);
    rec_list_free(&l);

    /* Again: nothing changed, so no header is read (the cheap stat check). */
    assert_int_equal(rec_scan(f->st, f->root, "reg-2", T0 * S, (T0 + 20) * S, &l, &s, err, sizeof err), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(s.headers_read, 0);
    assert_int_equal(s.reused, 2);
    assert_int_equal(l.v[1].frames, 10 * RATE);
    rec_list_free(&l);

    /* The second file grows (a recorder still writing): its header is read again. */
    put(f, "reg-2", T0 + 10, 15, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    assert_int_equal(rec_scan(f->st, f->root, "reg-2", T0 * S, (T0 + 20) * S, &l, &s, err, sizeof err), 0);
    assert_int_equal(s.headers_read, 1);
    assert_int_equal(s.reused, 1);
    assert_int_equal(l.v[1].frames, 15 * RATE);
    rec_list_free(&l);

    /* It vanishes: its row goes. */
    char path[1200];
    rx_name(f->root, "reg-2", T0 + 10, 10800, "wav", path, sizeof path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rec_scan(f->st, f->root, "reg-2", T0 * S, (T0 + 20) * S, &l, &s, err, sizeof err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(s.removed, 1);
    rec_list_free(&l);

    /* A folder that does not exist is no recordings, not an error. */
    assert_int_equal(rec_scan(f->st, f->root, "reg-9", T0 * S, (T0 + 20) * S, &l, &s, err, sizeof err), 0);
    assert_int_equal(l.n, 0);
    /* Without a store everything still works (headers read each time). */
    assert_int_equal(rec_scan(NULL, f->root, "reg-3", T0 * S, (T0 + 5) * S, &l, &s, err, sizeof err), 0);
    assert_int_equal(l.n, 1);
    assert_int_equal(s.headers_read, 1);
    rec_list_free(&l);
}

/* The window [a, b) in seconds from T0 is exported and compared sample by sample. */
static void export_and_check(fx *f, const char *desk, int64_t a_us, int64_t b_us, int channels,
                             size_t want_segs)
{
    rec_list l;
    rec_plan p;
    plan(f, desk, a_us, b_us, &l, &p);
    assert_int_equal(p.ngap, 0);
    assert_int_equal(p.nseg, want_segs);
    char err[512];
    if (rec_export_wav(f->root, &p, f->out, err, sizeof err) != 0)
        fail_msg("%s", err);
    /* Sample index = round((t - file start) * rate), all files on one ramp. */
    int64_t first = T0 * RATE + (2 * (a_us - T0 * S) * RATE + S) / (2 * S),
            last = T0 * RATE + (2 * (b_us - T0 * S) * RATE + S) / (2 * S);
    assert_int_equal(p.frames, last - first);
    assert_int_equal(rx_check(f->out, RATE, channels, first, last - first), -1);
    rec_plan_free(&p);
    rec_list_free(&l);
}

static void test_export_exact(void **state)
{
    fx *f = *state;
    put(f, "reg-2", T0, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    put(f, "reg-2", T0 + 10, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    /* inside one file, at times that are not on a frame */
    export_and_check(f, "reg-2", T0 * S + 1234567, T0 * S + 3000061, 1, 1);
    /* across the boundary */
    export_and_check(f, "reg-2", (T0 + 9) * S + 500, (T0 + 12) * S + 77, 1, 2);
    /* a window ending exactly at the boundary uses one file */
    export_and_check(f, "reg-2", (T0 + 8) * S, (T0 + 10) * S, 1, 1);
}

static void test_export_flac_utc_names(void **state)
{
    fx *f = *state;
    /* FLAC, one file named in UTC, the next in +05:00: same timeline. */
    put(f, "till-1", T0, 10, 0, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, "flac", 2);
    put(f, "till-1", T0 + 10, 10, 5 * 3600, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, "flac", 2);
    export_and_check(f, "till-1", (T0 + 7) * S + 333333, (T0 + 13) * S + 1, 2, 2);
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(f->out, SFM_READ, &info);
    assert_non_null(sf);
    assert_int_equal(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
    sf_close(sf);
}

static void test_gap_overlap(void **state)
{
    fx *f = *state;
    put(f, "reg-2", T0, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    put(f, "reg-2", T0 + 15, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    rec_list l;
    rec_plan p;
    plan(f, "reg-2", (T0 + 8) * S, (T0 + 17) * S, &l, &p);
    assert_int_equal(p.nseg, 2);
    assert_int_equal(p.ngap, 1);
    assert_int_equal(p.gap[0].from_us, (T0 + 10) * S);
    assert_int_equal(p.gap[0].to_us, (T0 + 15) * S);
    assert_null(p.gap[0].unreadable);
    char err[256];
    assert_int_equal(rec_export_wav(f->root, &p, f->out, err, sizeof err), -1);
    assert_int_equal(access(f->out, F_OK), -1); /* nothing written */
    rec_plan_free(&p);
    rec_list_free(&l);

    /* before the first file and after the last */
    plan(f, "reg-2", (T0 - 3) * S, (T0 + 1) * S, &l, &p);
    assert_int_equal(p.ngap, 1);
    assert_int_equal(p.gap[0].from_us, (T0 - 3) * S);
    assert_int_equal(p.gap[0].to_us, T0 * S);
    rec_plan_free(&p);
    rec_list_free(&l);
    plan(f, "reg-2", (T0 + 24) * S, (T0 + 26) * S, &l, &p);
    assert_int_equal(p.ngap, 1);
    assert_int_equal(p.gap[0].from_us, (T0 + 25) * S);
    rec_plan_free(&p);
    rec_list_free(&l);

    /* An overlapping file (T0+5 .. T0+15): the earlier file plays to its end,
     * then the later one from where it left off: still one unbroken ramp. */
    put(f, "reg-2", T0 + 5, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    export_and_check(f, "reg-2", (T0 + 8) * S, (T0 + 17) * S, 1, 3);
    rec_list_free(&l);

    /* gap text in local time */
    rec_gap g = {(T0 + 10) * S, (T0 + 15) * S + 120000, NULL};
    setenv("TZ", "UTC-3", 1);
    tzset();
    char msg[128];
    rec_gap_describe(&g, msg, sizeof msg);
    assert_string_equal(msg, "23.11.2026 08:00:10 - 08:00:15.120 +03:00");
}

static void test_unreadable(void **state)
{
    fx *f = *state;
    put(f, "reg-2", T0, 10, 10800, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "wav", 1);
    char path[1200];
    rx_name(f->root, "reg-2", T0 + 10, 10800, "wav", path, sizeof path);
    FILE *c = fopen(path, "wb");
    fputs("RIFF\x10\0\0\0WAVEjunkjunkjunk", c);
    fclose(c);
    rec_list l;
    rec_plan p;
    plan(f, "reg-2", (T0 + 8) * S, (T0 + 12) * S, &l, &p);
    assert_int_equal(l.n, 2);
    assert_true(l.v[1].error[0] != '\0');
    assert_int_equal(p.ngap, 1);
    assert_non_null(p.gap[0].unreadable);
    assert_non_null(strstr(p.gap[0].unreadable->path, "T08-00-10+0300.wav"));
    rec_plan_free(&p);
    rec_list_free(&l);

    /* A file that vanishes between the plan and the export: a clear error. */
    plan(f, "reg-2", (T0 + 1) * S, (T0 + 2) * S, &l, &p);
    rx_name(f->root, "reg-2", T0, 10800, "wav", path, sizeof path);
    unlink(path);
    char err[512];
    assert_int_equal(rec_export_wav(f->root, &p, f->out, err, sizeof err), -1);
    assert_non_null(strstr(err, "T08-00-00+0300.wav"));
    assert_int_equal(access(f->out, F_OK), -1);
    rec_plan_free(&p);
    rec_list_free(&l);
}

/* Lossy sources (issue 8): libsndfile 1.2.0's sf_seek() in Ogg/Vorbis lands
 * late when its page search ends on the last page (+128 frames at 16 kHz,
 * +720 at 44.1 kHz), while it returns the frame asked for; after a seek in
 * Opus or MP3 the decoded samples differ from those of a decode from the
 * start. The export of a window must hold the samples of libsndfile's decode
 * of the whole file, converted to 16 bits as the export converts: exactly for
 * Vorbis, within `tol` 16-bit steps for MP3 and Opus, which are decoded from
 * 1 s before the window (recseek.h). A window one frame off differs by far
 * more (a step of the chirp is up to 0.27 = 8800 steps). */
static void export_signal(fx *f, const char *desk, const char *ext, int format, int rate,
                          int secs, int64_t a_us, int64_t b_us, int tol, double (*sig)(int64_t, int))
{
    char path[1200];
    rx_name(f->root, desk, T0, 10800, ext, path, sizeof path);
    if (rx_write_signal(path, format, rate, 0, (int64_t)secs * rate, sig) != 0)
        fail_msg("cannot write %s: %s", path, sf_strerror(NULL));
    rec_list l;
    rec_plan p;
    plan(f, desk, a_us, b_us, &l, &p);
    assert_int_equal(p.ngap, 0);
    assert_int_equal(p.nseg, 1);
    char err[512];
    if (rec_export_wav(f->root, &p, f->out, err, sizeof err) != 0)
        fail_msg("%s", err);
    int64_t from = p.seg[0].from_frame, n = p.seg[0].to_frame - from, all = 0;
    int ch = 1;
    float *dec = rx_decode_all(path, &all, &ch);
    assert_non_null(dec);
    assert_true(from + n <= all);
    /* the reference through the export's own conversion: float to PCM_16, clipped */
    char refp[800];
    snprintf(refp, sizeof refp, "%s/ref.wav", f->dir);
    SF_INFO ri = {.samplerate = rate, .channels = ch, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    SNDFILE *r = sf_open(refp, SFM_WRITE, &ri);
    assert_non_null(r);
    sf_command(r, SFC_SET_CLIPPING, NULL, SF_TRUE);
    assert_int_equal(sf_writef_float(r, dec + from * ch, n), n);
    sf_close(r);
    short *want = malloc(sizeof(short) * (size_t)(n * ch)), *got = malloc(sizeof(short) * (size_t)(n * ch));
    memset(&ri, 0, sizeof ri);
    r = sf_open(refp, SFM_READ, &ri);
    assert_int_equal(sf_readf_short(r, want, n), n);
    sf_close(r);
    SF_INFO oi;
    memset(&oi, 0, sizeof oi);
    SNDFILE *o = sf_open(f->out, SFM_READ, &oi);
    assert_non_null(o);
    assert_int_equal(oi.frames, n);
    assert_int_equal(oi.samplerate, rate);
    assert_int_equal(sf_readf_short(o, got, n), n);
    sf_close(o);
    int64_t bad = -1;
    for (int64_t k = 0; k < n * ch && bad < 0; k++)
        if (abs(got[k] - want[k]) > tol)
            bad = k / ch;
    if (bad >= 0)
        fail_msg("%s %d Hz: frame %lld of the window (file frame %lld) is %d, the full decode %d",
                 ext, rate, (long long)bad, (long long)(from + bad), got[bad * ch], want[bad * ch]);
    free(want);
    free(got);
    free(dec);
    rec_plan_free(&p);
    rec_list_free(&l);
}

static void export_lossy(fx *f, const char *desk, const char *ext, int format, int rate,
                         int secs, int64_t a_us, int64_t b_us, int tol)
{
    export_signal(f, desk, ext, format, rate, secs, a_us, b_us, tol, rx_lossy_at);
}

static void test_export_lossy_exact(void **state)
{
    fx *f = *state;
    /* 10 s at 16 kHz: the last Ogg page holds 9.38-10 s (12 s at 44.1 kHz:
     * 11.76-12 s); a window in it, one on inner pages */
    export_lossy(f, "ogg-16k", "ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 16000, 10,
                 (T0 + 9) * S + 500000, (T0 + 9) * S + 900000, 0);
    export_lossy(f, "ogg-16k", "ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 16000, 10,
                 (T0 + 2) * S + 654321, (T0 + 4) * S, 0);
    export_lossy(f, "ogg-44k", "ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100, 12,
                 (T0 + 11) * S + 800000, (T0 + 11) * S + 950000, 0);
    export_lossy(f, "opus-16k", "opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 16000, 10,
                 (T0 + 3) * S + 300000, (T0 + 5) * S + 100000, 164 /* 0.005 */);
    export_lossy(f, "mp3-16k", "mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, 10,
                 (T0 + 4) * S + 40000, (T0 + 6) * S, 1);
    /* a chirp: plain sf_seek here gives samples 0.5 off (no bit reservoir) */
    export_signal(f, "mp3-chirp", "mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 16000, 40,
                  (T0 + 31) * S + 123456, (T0 + 33) * S, 1, rx_chirp_at);
    export_signal(f, "mp3-chirp44", "mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100, 20,
                  (T0 + 12) * S, (T0 + 13) * S + 500000, 1, rx_chirp_at);
    export_signal(f, "opus-chirp", "opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 24000, 20,
                  (T0 + 12) * S + 777, (T0 + 14) * S, 164, rx_chirp_at);
}

/* The Ogg tail reader that keeps Vorbis seeks off the last page: its answer
 * equals the last two granule positions found by walking the pages from the
 * file's start; a damaged or cut last page gives -1 (decode from the start). */
static void test_ogg_tail(void **state)
{
    fx *f = *state;
    char path[1200];
    snprintf(path, sizeof path, "%s/tail.ogg", f->dir);
    assert_int_equal(rx_write_lossy(path, SF_FORMAT_OGG | SF_FORMAT_VORBIS, 16000, 160000), 0);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    static unsigned char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_true(n > 0 && n < sizeof buf);
    int64_t prev = -1, last = -1;
    for (size_t at = 0; at + 27 <= n;) {
        assert_memory_equal(buf + at, "OggS", 4);
        size_t len = 27 + buf[at + 26];
        for (int i = 0; i < buf[at + 26]; i++)
            len += buf[at + 27 + i];
        int64_t gp = 0;
        for (int i = 7; i >= 0; i--)
            gp = gp << 8 | buf[at + 6 + i];
        prev = last;
        last = gp;
        at += len;
    }
    assert_int_equal(last, 160000);
    assert_true(prev > 0 && prev < last);
    assert_int_equal(rec_ogg_last_page_span(buf, n), last - prev);
    assert_int_equal(rec_ogg_last_page_span(buf, n - 1), -1);
    buf[n - 10] ^= 1;
    assert_int_equal(rec_ogg_last_page_span(buf, n), -1);
    assert_int_equal(rec_ogg_last_page_span(buf, 0), -1);
}

/* MP3 from the `lame` command, as recorders write it: with its LAME gapless
 * tag the export holds the recorded samples (offset 0); without one (`lame
 * -t`, or lame's own choice at low bit rates) no decoder can know the encoder
 * delay, and the export is late by it: 1105 samples (576 of lame's + 529 of
 * the decoder's; 25.1 ms at 44.1 kHz), as the man page says. The offset is
 * where the export best matches the recorded tone (rx_lossy_at). */
static int64_t mp3_export_lag(fx *f, const char *desk, const char *lame_opts)
{
    const int rate = 44100;
    char wav[800], mp3[1200], cmd[2400];
    snprintf(wav, sizeof wav, "%s/tone.wav", f->dir);
    assert_int_equal(rx_write_lossy(wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, rate, 6LL * rate), 0);
    rx_name(f->root, desk, T0, 10800, "mp3", mp3, sizeof mp3);
    snprintf(cmd, sizeof cmd, "lame --quiet %s -m m -b 128 '%s' '%s'", lame_opts, wav, mp3);
    if (system(cmd) != 0)
        fail_msg("lame failed: %s", cmd);
    unlink(wav);
    rec_list l;
    rec_plan p;
    plan(f, desk, (T0 + 2) * S, (T0 + 2) * S + 500000, &l, &p);
    char err[512];
    if (rec_export_wav(f->root, &p, f->out, err, sizeof err) != 0)
        fail_msg("%s", err);
    int64_t from = p.seg[0].from_frame, n = 0;
    int ch = 1;
    float *got = rx_decode_all(f->out, &n, &ch);
    assert_non_null(got);
    assert_int_equal(n, rate / 2);
    int64_t best = 0;
    double bv = -1e300;
    for (int64_t lag = -1500; lag <= 1500; lag++) {
        double c = 0;
        for (int64_t k = 0; k < n; k += 2)
            c += got[k] * rx_lossy_at(from + k + lag, rate);
        if (c > bv) {
            bv = c;
            best = lag;
        }
    }
    fprintf(stderr, "mp3 (lame %s) export: sample k holds the recording's sample k%+lld\n", lame_opts,
            (long long)best);
    free(got);
    rec_plan_free(&p);
    rec_list_free(&l);
    return best;
}

static void test_export_mp3_lame(void **state)
{
    fx *f = *state;
    if (system("lame --version >/dev/null 2>&1") != 0) {
        fprintf(stderr, "SKIP test_export_mp3_lame: the lame command is missing (scripts/deps.sh installs it)\n");
        skip();
    }
    assert_int_equal(mp3_export_lag(f, "mp3-tag", ""), 0);
    assert_int_equal(mp3_export_lag(f, "mp3-notag", "-t"), -1105);
}

static void test_frame_math(void **state)
{
    (void)state;
    rec_file f;
    memset(&f, 0, sizeof f);
    f.start_us = 1000000;
    f.rate = 44100;
    f.frames = 44100 * 600;
    for (int64_t k = 0; k < 44100 * 3; k += 97)
        assert_int_equal(rec_frame_at(&f, rec_frame_time(&f, k)), k);
    assert_int_equal(rec_frame_at(&f, f.start_us), 0);
    assert_int_equal(rec_frame_at(&f, f.start_us - 1000000), -44100);
    /* round half up: 0.5 frame of 8 kHz is 62.5 us */
    f.rate = 8000;
    assert_int_equal(rec_frame_at(&f, f.start_us + 62), 0);
    assert_int_equal(rec_frame_at(&f, f.start_us + 63), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_name_parse),
        cmocka_unit_test(test_desk_dir),
        cmocka_unit_test(test_frame_math),
        cmocka_unit_test_setup_teardown(test_scan_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_flac_utc_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_lossy_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ogg_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_export_mp3_lame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_gap_overlap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreadable, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
