/* The clip as a WAV byte stream (src/audio/pcmstream.c), which the vlc
 * backend plays: read whole, it is a WAV that libsndfile opens and that holds
 * exactly the window's samples (16-bit, and 32-bit float for 24-bit sources);
 * read in odd pieces after arbitrary seeks, it gives the same bytes; a file
 * gone is a read error that names it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "audio/pcmstream.h"
#include "rec_fixture.h"
#include "store_fixture.h"

#define T0 1795410000LL
#define RATE 8000

typedef struct {
    char dir[512], a[1200], b[1200], c[1200], out[1200];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fx_tmpdir(f->dir, sizeof f->dir);
    rx_name(f->dir, "d", T0, 0, "wav", f->a, sizeof f->a);
    rx_name(f->dir, "d", T0 + 10, 0, "flac", f->b, sizeof f->b);
    rx_name(f->dir, "e", T0, 0, "wav", f->c, sizeof f->c);
    snprintf(f->out, sizeof f->out, "%s/stream.wav", f->dir);
    if (rx_write(f->a, SF_FORMAT_WAV | SF_FORMAT_PCM_16, RATE, 2, T0, 10 * RATE) ||
        rx_write(f->b, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, RATE, 2, T0 + 10, 10 * RATE) ||
        rx_write(f->c, SF_FORMAT_WAV | SF_FORMAT_PCM_24, RATE, 1, T0, 10 * RATE))
        fail_msg("cannot write the recordings");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    fx_rmdir(f->dir);
    free(f);
    return 0;
}

static unsigned char *read_all(pcm_stream *s, size_t piece)
{
    size_t size = (size_t)pcm_stream_size(s);
    unsigned char *buf = malloc(size + 1);
    size_t at = 0;
    assert_int_equal(pcm_stream_seek(s, 0), 0);
    for (;;) {
        size_t want = piece < size + 1 - at ? piece : size + 1 - at;
        ssize_t got = pcm_stream_read(s, buf + at, want);
        assert_true(got >= 0);
        if (got == 0)
            break;
        at += (size_t)got;
    }
    assert_int_equal(at, size);
    return buf;
}

static void write_file(const char *path, const unsigned char *b, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(b, 1, n, fp), n);
    fclose(fp);
}

/* 2 s before the boundary to 3 s after it: WAV then FLAC, stereo. */
static void test_two_files(void **state)
{
    fx *f = *state;
    pcm_piece pc[2] = {{f->a, 8 * RATE, 10 * RATE, SF_FORMAT_WAV | SF_FORMAT_PCM_16},
                       {f->b, 0, 3 * RATE, SF_FORMAT_FLAC | SF_FORMAT_PCM_16}};
    char err[256];
    pcm_stream *s = pcm_stream_new(pc, 2, RATE, 2, err, sizeof err);
    assert_non_null(s);
    assert_int_equal(pcm_stream_frames(s), 5 * RATE);
    assert_int_equal(pcm_stream_size(s), 44 + 5 * RATE * 4);
    unsigned char *whole = read_all(s, 1 << 16);
    write_file(f->out, whole, (size_t)pcm_stream_size(s));
    assert_int_equal(rx_check(f->out, RATE, 2, (T0 + 8) * RATE, 5 * RATE), -1);

    /* odd pieces, odd seeks (inside a frame, across the boundary, the header) */
    unsigned char *odd = read_all(s, 7);
    assert_memory_equal(odd, whole, (size_t)pcm_stream_size(s));
    srand(7);
    for (int i = 0; i < 300; i++) {
        uint64_t at = (uint64_t)rand() % pcm_stream_size(s);
        size_t len = 1 + (size_t)rand() % 5000;
        unsigned char buf[5000];
        assert_int_equal(pcm_stream_seek(s, at), 0);
        ssize_t got = pcm_stream_read(s, buf, len);
        size_t left = (size_t)(pcm_stream_size(s) - at);
        assert_int_equal(got, len < left ? len : left);
        assert_memory_equal(buf, whole + at, (size_t)got);
    }
    assert_int_equal(pcm_stream_seek(s, pcm_stream_size(s) + 1), -1);
    free(odd);
    free(whole);
    pcm_stream_free(s);
}

/* A 24-bit source is carried as 32-bit float, which holds it exactly. */
static void test_24bit_as_float(void **state)
{
    fx *f = *state;
    pcm_piece pc = {f->c, 1234, 1234 + 3 * RATE, SF_FORMAT_WAV | SF_FORMAT_PCM_24};
    char err[256];
    pcm_stream *s = pcm_stream_new(&pc, 1, RATE, 1, err, sizeof err);
    assert_non_null(s);
    unsigned char *whole = read_all(s, 4096);
    write_file(f->out, whole, (size_t)pcm_stream_size(s));
    /* the floats are the source's own, as libsndfile decodes it */
    float got[3 * RATE], want[3 * RATE];
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(f->out, SFM_READ, &info);
    assert_non_null(sf);
    assert_int_equal(info.format, SF_FORMAT_WAV | SF_FORMAT_FLOAT);
    assert_int_equal(sf_readf_float(sf, got, 3 * RATE), 3 * RATE);
    sf_close(sf);
    memset(&info, 0, sizeof info);
    assert_non_null(sf = sf_open(f->c, SFM_READ, &info));
    assert_int_equal(sf_seek(sf, 1234, SEEK_SET), 1234);
    assert_int_equal(sf_readf_float(sf, want, 3 * RATE), 3 * RATE);
    sf_close(sf);
    assert_memory_equal(got, want, sizeof got);
    assert_true(want[0] != 0.0f);
    free(whole);
    pcm_stream_free(s);
}

static void test_file_gone(void **state)
{
    fx *f = *state;
    pcm_piece pc = {f->a, 0, RATE, SF_FORMAT_WAV | SF_FORMAT_PCM_16};
    char err[256];
    pcm_stream *s = pcm_stream_new(&pc, 1, RATE, 2, err, sizeof err);
    assert_non_null(s);
    unlink(f->a);
    unsigned char buf[100];
    assert_int_equal(pcm_stream_read(s, buf, 44), 44); /* the header needs no file */
    assert_int_equal(pcm_stream_read(s, buf, sizeof buf), -1);
    assert_non_null(strstr(pcm_stream_error(s), f->a));
    pcm_stream_free(s);
    assert_null(pcm_stream_new(&pc, 0, RATE, 2, err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_24bit_as_float, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_gone, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
