/* A clip link fetched whole for the level strip and the export (issue 8, a
 * head office without desk recordings). Two local HTTP servers
 * (tests/http_range.py on 127.0.0.1, logging each request's Authorization
 * header) play the cloud and another host. The fetched link's level strip
 * equals the strip of the same file read as a recording; its export holds
 * exactly the served samples; the link is fetched once; the cloud's token
 * goes to the cloud's origin only (not to another host, not along a
 * redirect); a 404, the size cap and a file that is not sound give messages
 * in the UI language naming the problem; a fetch stopped midway leaves no
 * file behind. */
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/i18n.h"
#include "cxm/levels.h"
#include "cxm/linkfetch.h"
#include "cxm/loop.h"
#include "cxm/recordings.h"
#include "cxm/timefmt.h"
#include "http_fixture.h"
#include "rec_fixture.h"
#include "store_fixture.h"

extern char **environ;

#define S 1000000LL
#define T0 1795410000LL
#define TOKEN "tok-7f3a-cloud-only"
#define RATE 16000
#define SECS 10

typedef struct {
    char dir[512], files[600], root[600], cache[600], token[700], rec[1200];
    http_server cloud, other;
    loop *lp;
    cxm_config cfg;
    char target[128];
    bool done;
} fx;

/* A recording whose loudness changes every half second (loud, quiet,
 * silent), stereo 16-bit: the strip has something to show. */
static int write_varying(const char *path, int format)
{
    SF_INFO info = {.samplerate = RATE, .channels = 2, .format = format};
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        return -1;
    static const double amp[] = {0.9, 0.02, 0.0, 0.5, 0.001};
    short buf[2 * 400];
    for (int64_t k = 0; k < (int64_t)SECS * RATE; k += 400) {
        for (int i = 0; i < 400; i++) {
            int64_t n = k + i;
            double a = amp[(n / (RATE / 2)) % 5];
            double v = a * sin(2 * M_PI * 440.0 * (double)n / RATE);
            buf[2 * i] = (short)lrint(v * 32767);
            buf[2 * i + 1] = (short)lrint(-v * 16000);
        }
        if (sf_writef_short(sf, buf, 400) != 400) {
            sf_close(sf);
            return -1;
        }
    }
    return sf_close(sf);
}

static void copy_file(const char *from, const char *to)
{
    size_t n = 0;
    char *b = fx_slurp(from, &n);
    assert_non_null(b);
    FILE *fp = fopen(to, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(b, 1, n, fp), n);
    fclose(fp);
    free(b);
}

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fx_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->files, sizeof f->files, "%s/www", f->dir);
    snprintf(f->root, sizeof f->root, "%s/rec", f->dir);
    snprintf(f->cache, sizeof f->cache, "%s/cache/links", f->dir);
    snprintf(f->token, sizeof f->token, "%s/token", f->dir);
    mkdir(f->files, 0755);
    /* the recording as a desk would have it, and the same bytes served */
    rx_name(f->root, "reg-2", T0, 3 * 3600, "wav", f->rec, sizeof f->rec);
    if (write_varying(f->rec, SF_FORMAT_WAV | SF_FORMAT_PCM_16))
        fail_msg("cannot write %s", f->rec);
    char path[1200];
    snprintf(path, sizeof path, "%s/clip.wav", f->files);
    copy_file(f->rec, path);
    snprintf(path, sizeof path, "%s/ramp.flac", f->files);
    if (rx_write(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 8000, 2, T0, 5 * 8000))
        fail_msg("cannot write %s", path);
    snprintf(path, sizeof path, "%s/long.wav", f->files);
    if (rx_write(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 2, T0, 60 * 48000))
        fail_msg("cannot write %s", path);
    snprintf(path, sizeof path, "%s/notes.txt", f->files);
    FILE *t = fopen(path, "w");
    fprintf(t, "this is not a sound file, only words about one\n");
    fclose(t);
    t = fopen(f->token, "w");
    fprintf(t, "%s\n", TOKEN);
    fclose(t);
    chmod(f->token, 0600);
    http_server_start(&f->cloud, f->dir, f->files, "cloud", "0");
    /* slow, so that a fetch can be stopped midway */
    http_server_start(&f->other, f->dir, f->files, "other", "2000000");
    snprintf(f->target, sizeof f->target, "http://127.0.0.1:%d/events", f->cloud.port);
    f->cfg.nsources = 1;
    f->cfg.sources[0].kind = SRC_CLOUD;
    f->cfg.sources[0].target = f->target;
    f->cfg.sources[0].token_file = f->token;
    f->lp = loop_new();
    i18n_set_lang(LANG_EN);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    http_server_stop(&f->cloud);
    http_server_stop(&f->other);
    loop_free(f->lp);
    fx_rmdir(f->dir);
    free(f);
    i18n_set_lang(LANG_EN);
    return 0;
}

static char *slurp(const char *path)
{
    size_t n = 0;
    char *s = fx_slurp(path, &n);
    if (!s)
        return strdup("");
    s[n] = '\0';
    return s;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void on_done(void *ud)
{
    fx *f = ud;
    f->done = true;
}

/* Starts a fetch and runs the loop until its `done`; NULL when it did not
 * start (err says why). */
static linkfetch *fetch(fx *f, const char *url, int64_t cap, char *err, size_t errlen)
{
    linkfetch_opts o = {cap, f->cache};
    f->done = false;
    linkfetch *lf = linkfetch_start(f->lp, &f->cfg, url, &o, on_done, f, err, errlen);
    if (!lf)
        return NULL;
    int64_t end = time_mono_us() + 60 * S;
    while (!f->done && time_mono_us() < end)
        loop_run_once(f->lp, 200);
    assert_true(f->done);
    return lf;
}

/* Files in the cache directory, by suffix. */
static int cache_files(fx *f, const char *part)
{
    DIR *d = opendir(f->cache);
    if (!d)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (strstr(e->d_name, part))
            n++;
    closedir(d);
    return n;
}

/* Every sample of a and b, as ints, the same (and the same shape). */
static void assert_same_samples(const char *a, const char *b)
{
    SF_INFO ia = {0}, ib = {0};
    SNDFILE *sa = sf_open(a, SFM_READ, &ia), *sb = sf_open(b, SFM_READ, &ib);
    assert_non_null(sa);
    assert_non_null(sb);
    assert_int_equal(ia.samplerate, ib.samplerate);
    assert_int_equal(ia.channels, ib.channels);
    assert_int_equal(ia.frames, ib.frames);
    assert_int_equal(ia.format & SF_FORMAT_SUBMASK, ib.format & SF_FORMAT_SUBMASK);
    int ba[4096], bb[4096];
    sf_count_t na, nb;
    do {
        na = sf_readf_int(sa, ba, 4096 / ia.channels);
        nb = sf_readf_int(sb, bb, 4096 / ib.channels);
        assert_int_equal(na, nb);
        assert_memory_equal(ba, bb, (size_t)na * (size_t)ia.channels * sizeof(int));
    } while (na > 0);
    sf_close(sa);
    sf_close(sb);
}

/* The cloud's link: the token went there; the strip equals the recording's;
 * the export is the served WAV sample for sample; a second fetch is the
 * cache's (one request in all). */
static void test_cloud_strip_export_once(void **state)
{
    fx *f = *state;
    char url[256], err[512], out[800];
    http_server_url(&f->cloud, "/clip.wav?sig=abc", url, sizeof url);
    linkfetch *lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    const char *path = NULL;
    if (linkfetch_result(lf, &path, err, sizeof err) != 0)
        fail_msg("fetch: %s", err);
    assert_non_null(strstr(path, f->cache));
    assert_null(strstr(path, "clip.wav")); /* named by a hash, not by the link */
    char *log = slurp(f->cloud.log);
    assert_int_equal(count(log, "\"path\": \"/clip.wav?sig=abc\""), 1);
    assert_non_null(strstr(log, "\"authorization\": \"Bearer " TOKEN "\""));
    free(log);

    /* the strip of the link = the strip of the same file as a recording */
    rec_list files;
    rec_plan plan;
    assert_int_equal(rec_plan_desk(NULL, f->root, "reg-2", T0 * S, (T0 + SECS) * S, &files, &plan,
                                   err, sizeof err),
                     0);
    assert_int_equal(plan.nseg, 1);
    assert_int_equal(plan.ngap, 0);
    for (int n = 1; n <= 400; n += 133) {
        rec_levels local, link;
        assert_int_equal(rec_levels_compute(f->root, &plan, n, &local, err, sizeof err), 0);
        if (rec_levels_file(path, n, &link, err, sizeof err) != 0)
            fail_msg("rec_levels_file: %s", err);
        assert_int_equal(link.n, local.n);
        assert_true(fabs(link.bucket_s - local.bucket_s) < 1e-12);
        assert_memory_equal(link.db, local.db, sizeof(float) * (size_t)n);
        assert_memory_equal(link.missing, local.missing, sizeof(bool) * (size_t)n);
        if (n > 100) { /* the strip shows the loud and the silent half-seconds */
            int loud = 0, silent = 0;
            for (int b = 0; b < n; b++) {
                loud += link.db[b] >= LEVELS_LOUD_DB;
                silent += link.db[b] < LEVELS_SILENT_DB;
                assert_false(link.missing[b]);
            }
            assert_true(loud > n / 5);
            assert_true(silent > n / 5);
        }
        rec_levels_free(&local);
        rec_levels_free(&link);
    }
    rec_plan_free(&plan);
    rec_list_free(&files);

    /* the export of the link is exactly the served WAV */
    snprintf(out, sizeof out, "%s/out.wav", f->dir);
    if (rec_export_file_wav(path, out, err, sizeof err) != 0)
        fail_msg("export: %s", err);
    char served[800];
    snprintf(served, sizeof served, "%s/clip.wav", f->files);
    assert_same_samples(out, served);
    linkfetch_free(lf);

    /* fetched once: the second time comes from the cache */
    lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), 0);
    linkfetch_free(lf);
    log = slurp(f->cloud.log);
    assert_int_equal(count(log, "\"path\": \"/clip.wav?sig=abc\""), 1);
    free(log);
}

/* A FLAC link exports as WAV with exactly its samples, at its own rate and
 * channel count; the default cache is under XDG_CACHE_HOME. */
static void test_flac_link_exact(void **state)
{
    fx *f = *state;
    char url[256], err[512], out[800], xdg[600];
    http_server_url(&f->other, "/ramp.flac", url, sizeof url);
    snprintf(xdg, sizeof xdg, "%s/xdg", f->dir);
    setenv("XDG_CACHE_HOME", xdg, 1);
    f->done = false;
    linkfetch *lf = linkfetch_start(f->lp, &f->cfg, url, NULL, on_done, f, err, sizeof err);
    if (!lf)
        fail_msg("start: %s", err);
    int64_t end = time_mono_us() + 60 * S;
    while (!f->done && time_mono_us() < end)
        loop_run_once(f->lp, 200);
    unsetenv("XDG_CACHE_HOME");
    const char *path;
    if (linkfetch_result(lf, &path, err, sizeof err) != 0)
        fail_msg("fetch: %s", err);
    char want[700];
    snprintf(want, sizeof want, "%s/cxm-console/links/", xdg);
    assert_non_null(strstr(path, want));
    snprintf(out, sizeof out, "%s/ramp-out.wav", f->dir);
    if (rec_export_file_wav(path, out, err, sizeof err) != 0)
        fail_msg("export: %s", err);
    assert_int_equal(rx_check(out, 8000, 2, T0 * 8000, 5 * 8000), -1);
    linkfetch_free(lf);
}

/* Another origin (same address, other port) gets no token. */
static void test_other_host_no_token(void **state)
{
    fx *f = *state;
    char url[256], err[512];
    http_server_url(&f->other, "/clip.wav", url, sizeof url);
    linkfetch *lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    const char *path;
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), 0);
    linkfetch_free(lf);
    char *log = slurp(f->other.log);
    assert_non_null(strstr(log, "\"path\": \"/clip.wav\""));
    assert_non_null(strstr(log, "\"authorization\": null"));
    assert_null(strstr(log, TOKEN));
    free(log);
}

/* The cloud redirecting elsewhere: not followed with its token; a message. */
static void test_redirect_keeps_token_home(void **state)
{
    fx *f = *state;
    char to[256], url[512], err[512];
    http_server_url(&f->other, "/clip.wav", to, sizeof to);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/redirect?to=%s", f->cloud.port, to);
    linkfetch *lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    const char *path;
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), -1);
    fprintf(stderr, "redirect: %s\n", err);
    assert_non_null(strstr(err, "HTTP 302"));
    linkfetch_free(lf);
    char *log = slurp(f->other.log);
    assert_null(strstr(log, TOKEN));
    assert_null(strstr(log, "/clip.wav"));
    free(log);
    log = slurp(f->cloud.log);
    assert_non_null(strstr(log, "\"path\": \"/redirect"));
    free(log);
    assert_int_equal(cache_files(f, ".clip"), 0);
}

static void test_404_message(void **state)
{
    fx *f = *state;
    char url[256], err[512], origin[64];
    http_server_url(&f->cloud, "/gone.wav?sig=s3cr3t", url, sizeof url);
    snprintf(origin, sizeof origin, "(http://127.0.0.1:%d)", f->cloud.port);
    const char *path;
    i18n_set_lang(LANG_EN);
    linkfetch *lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), -1);
    fprintf(stderr, "en: %s\n", err);
    assert_non_null(strstr(err, "The clip link answered HTTP 404"));
    assert_non_null(strstr(err, origin));
    assert_null(strstr(err, "s3cr3t"));
    linkfetch_free(lf);
    i18n_set_lang(LANG_RU);
    lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), -1);
    fprintf(stderr, "ru: %s\n", err);
    assert_non_null(strstr(err, "Ссылка на фрагмент ответила HTTP 404"));
    linkfetch_free(lf);
    assert_int_equal(cache_files(f, ".clip"), 0);
    assert_int_equal(cache_files(f, ".part"), 0);
    /* a host that does not answer */
    int port = f->other.port;
    http_server_stop(&f->other);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/clip.wav", port);
    lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), -1);
    fprintf(stderr, "ru: %s\n", err);
    assert_non_null(strstr(err, "Ссылка на фрагмент недоступна"));
    linkfetch_free(lf);
}

static void test_size_cap(void **state)
{
    fx *f = *state;
    char url[256], err[512];
    http_server_url(&f->cloud, "/clip.wav", url, sizeof url);
    linkfetch *lf = fetch(f, url, 1000, err, sizeof err);
    assert_non_null(lf);
    const char *path;
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), -1);
    fprintf(stderr, "cap: %s\n", err);
    assert_non_null(strstr(err, "The clip link is larger than 1000 B"));
    linkfetch_free(lf);
    assert_int_equal(cache_files(f, ".clip"), 0);
    assert_int_equal(cache_files(f, ".part"), 0);
}

/* A link to something that is not sound: fetched, then a clear refusal for
 * the strip and the export, and no file written. */
static void test_not_sound(void **state)
{
    fx *f = *state;
    char url[256], err[512], out[800];
    http_server_url(&f->cloud, "/notes.txt", url, sizeof url);
    linkfetch *lf = fetch(f, url, 0, err, sizeof err);
    assert_non_null(lf);
    const char *path;
    assert_int_equal(linkfetch_result(lf, &path, err, sizeof err), 0);
    rec_levels lv;
    assert_int_equal(rec_levels_file(path, 80, &lv, err, sizeof err), -1);
    fprintf(stderr, "strip: %s\n", err);
    assert_non_null(strstr(err, "not a sound format libsndfile can decode"));
    snprintf(out, sizeof out, "%s/notes.wav", f->dir);
    assert_int_equal(rec_export_file_wav(path, out, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a sound format libsndfile can decode"));
    assert_int_not_equal(access(out, F_OK), 0);
    linkfetch_free(lf);
}

/* The panel closing midway stops the fetch: nothing is kept, and the next
 * fetch of the same link starts afresh. */
static void test_stop_midway(void **state)
{
    fx *f = *state;
    char url[256], err[512];
    http_server_url(&f->other, "/long.wav", url, sizeof url); /* 11.5 MB at 2 MB/s */
    linkfetch_opts o = {0, f->cache};
    f->done = false;
    linkfetch *lf = linkfetch_start(f->lp, &f->cfg, url, &o, on_done, f, err, sizeof err);
    assert_non_null(lf);
    /* wait until the server is sending it */
    int64_t end = time_mono_us() + 30 * S;
    char *log = NULL;
    for (;;) {
        free(log);
        log = slurp(f->other.log);
        if (strstr(log, "/long.wav") || time_mono_us() > end)
            break;
        loop_run_once(f->lp, 50);
    }
    assert_non_null(strstr(log, "/long.wav"));
    free(log);
    linkfetch_free(lf);
    assert_int_equal(cache_files(f, ".clip"), 0);
    assert_int_equal(cache_files(f, ".part"), 0);
}

int main(void)
{
    setlocale(LC_ALL, "");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cloud_strip_export_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flac_link_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_host_no_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redirect_keeps_token_home, setup, teardown),
        cmocka_unit_test_setup_teardown(test_404_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_size_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_sound, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_midway, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
