/* Clip links (issue 8): an event whose feed carried an http(s) clip URL plays
 * that URL. Two local HTTP servers (tests/http_range.py on 127.0.0.1, which
 * honour Range and log every request's Range and Authorization headers) play
 * the cloud and another host. libmpv with ao=pcm writes exactly what it
 * played, so the samples are compared with the served WAV; the logs show
 * that a seek is a Range request and that the cloud's token went to the
 * cloud's origin only (not to another host, not along a redirect); a 404 and
 * an unreachable host give messages in the UI language. */
#include <locale.h>
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

#include "audio.h"
#include "cxm/cliplink.h"
#include "cxm/i18n.h"
#include "cxm/loop.h"
#include "cxm/player.h"
#include "cxm/timefmt.h"
#include "http_fixture.h"
#include "rec_fixture.h"
#include "store_fixture.h"

extern char **environ;

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libmpv.so\n"; /* libmpv 0.35's own cycle, see test_player.c */
}

#define S 1000000LL
#define T0 1795410000LL
#define TOKEN "tok-7f3a-cloud-only"

typedef struct {
    char dir[512], files[600], pcm[700], mlog[700], token[700];
    http_server cloud, other;
    loop *lp;
    cxm_config cfg;
    char target[128];
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fx_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->files, sizeof f->files, "%s/www", f->dir);
    snprintf(f->pcm, sizeof f->pcm, "%s/played.wav", f->dir);
    snprintf(f->mlog, sizeof f->mlog, "%s/player.log", f->dir);
    snprintf(f->token, sizeof f->token, "%s/token", f->dir);
    mkdir(f->files, 0755);
    char path[1200];
    snprintf(path, sizeof path, "%s/clip.wav", f->files);
    if (rx_write(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 1, T0, 10 * 8000))
        fail_msg("cannot write %s", path);
    snprintf(path, sizeof path, "%s/long.wav", f->files);
    if (rx_write(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 48000, 2, T0, 60 * 48000))
        fail_msg("cannot write %s", path);
    FILE *t = fopen(f->token, "w");
    fprintf(t, "%s\n", TOKEN);
    fclose(t);
    chmod(f->token, 0600);
    /* 4 MB/s: the 11 MB file cannot have been read whole before the seek */
    http_server_start(&f->cloud, f->dir, f->files, "cloud", "4000000");
    http_server_start(&f->other, f->dir, f->files, "other", "4000000");
    /* The cloud feed: its origin is 127.0.0.1:cloud.port; the other server
     * is the same address on another port, so another origin. */
    snprintf(f->target, sizeof f->target, "http://127.0.0.1:%d/events", f->cloud.port);
    f->cfg.nsources = 1;
    f->cfg.sources[0].kind = SRC_CLOUD;
    f->cfg.sources[0].target = f->target;
    f->cfg.sources[0].token_file = f->token;
    f->lp = loop_new();
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
    FILE *fp = fopen(path, "r");
    if (!fp)
        return strdup("");
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (fread(s, 1, (size_t)n, fp) != (size_t)n)
        s[0] = '\0';
    fclose(fp);
    return s;
}

static player *open_player(fx *f, const char *output)
{
    player_opts o = {PLAYER_MPV, output, f->mlog};
    char err[256];
    player *p = player_new(f->lp, &o, NULL, NULL, err, sizeof err);
    if (!p)
        fail_msg("player_new: %s", err);
    return p;
}

static player_state run_until(fx *f, player *p, player_state want)
{
    int64_t end = time_mono_us() + 30 * S;
    while (time_mono_us() < end) {
        const player_status *st = player_peek(p);
        if (st->state == want || st->state == PLAYER_FAILED)
            break;
        loop_run_once(f->lp, 100);
    }
    return player_peek(p)->state;
}

/* Plays url as the console does (cliplink decides the token); returns the
 * final state; the played samples are in f->pcm. */
static player_state play_link(fx *f, const char *url, double seek_to, bool want_status,
                              player_status *out)
{
    cliplink_auth au;
    char err[256];
    assert_int_equal(cliplink_auth_for(&f->cfg, url, &au, err, sizeof err), 0);
    player_http h = {au.bearer, au.ca_file};
    unlink(f->pcm);
    char o[800];
    snprintf(o, sizeof o, "pcm:%s", f->pcm);
    player *p = open_player(f, o);
    bool paused = seek_to >= 0;
    player_state s = PLAYER_FAILED;
    if (player_load_url(p, url, &h, paused) == 0) {
        if (paused && run_until(f, p, PLAYER_PAUSED) == PLAYER_PAUSED) {
            player_seek(p, seek_to);
            player_toggle_pause(p);
        }
        s = run_until(f, p, PLAYER_ENDED);
    }
    /* mpv's log line with the HTTP status may come after its END_FILE */
    int64_t end = time_mono_us() + 10 * S;
    while (s == PLAYER_FAILED && player_peek(p)->errcode == PLAYER_E_LINK && want_status &&
           !player_peek(p)->http_status && time_mono_us() < end)
        loop_run_once(f->lp, 100);
    *out = *player_peek(p);
    player_free(p); /* ao_pcm completes its file on close */
    cliplink_auth_clear(&au);
    return s;
}

static void test_origin(void **state)
{
    (void)state;
    char o[300];
    assert_true(cliplink_playable("https://cloud.example/c/1.ogg"));
    assert_true(cliplink_playable("HTTP://h:8080/x"));
    assert_false(cliplink_playable("reg-2/2026-11-23T09-00-00+0300.wav"));
    assert_false(cliplink_playable("file:///etc/passwd"));
    assert_false(cliplink_playable("http:///nohost"));
    assert_false(cliplink_playable(NULL));
    assert_int_equal(cliplink_origin("https://Cloud.Example/c/1.ogg?sig=1", o, sizeof o), 0);
    assert_string_equal(o, "https://cloud.example:443");
    assert_int_equal(cliplink_origin("http://u:pw@h.example:8080/x", o, sizeof o), 0);
    assert_string_equal(o, "http://h.example:8080");
    assert_int_equal(cliplink_origin("https://[::1]:9443/x", o, sizeof o), 0);
    assert_string_equal(o, "https://[::1]:9443");
    assert_int_equal(cliplink_origin("https://h:99999/x", o, sizeof o), -1);
    /* the token follows the origin, not a look-alike host or another scheme/port */
    cxm_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.nsources = 1;
    cfg.sources[0].kind = SRC_CLOUD;
    cfg.sources[0].target = "https://cloud.example/events";
    cfg.sources[0].token_file = "/nonexistent/token"; /* never read for other hosts */
    cliplink_auth au;
    char err[256];
    const char *others[] = {"https://cloud.example.evil.test/x", "http://cloud.example/x",
                            "https://cloud.example:8443/x", "https://evil.test/?h=cloud.example",
                            "https://cloud.example@evil.test/x"};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        assert_int_equal(cliplink_auth_for(&cfg, others[i], &au, err, sizeof err), 0);
        assert_null(au.bearer);
        assert_null(au.source);
    }
    /* the cloud's own origin: its token is wanted, and a missing file says so */
    assert_int_equal(cliplink_auth_for(&cfg, "https://CLOUD.example:443/c.ogg", &au, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "/nonexistent/token"));
}

/* The whole clip from the cloud: exact samples, the token sent there. */
static void test_cloud_link_exact_with_token(void **state)
{
    fx *f = *state;
    char url[256];
    http_server_url(&f->cloud, "/clip.wav", url, sizeof url);
    player_status st;
    assert_int_equal(play_link(f, url, -1, false, &st), PLAYER_ENDED);
    assert_int_equal(rx_check(f->pcm, 8000, 1, T0 * 8000, 10 * 8000), -1);
    char *log = slurp(f->cloud.log);
    assert_non_null(strstr(log, "\"path\": \"/clip.wav\""));
    assert_non_null(strstr(log, "\"authorization\": \"Bearer " TOKEN "\""));
    assert_non_null(strstr(log, "\"range\": \"bytes=")); /* mpv asks in ranges */
    free(log);
}

/* Another host (same address, other port: another origin) gets no token. */
static void test_other_host_no_token(void **state)
{
    fx *f = *state;
    char url[256];
    http_server_url(&f->other, "/clip.wav", url, sizeof url);
    player_status st;
    assert_int_equal(play_link(f, url, -1, false, &st), PLAYER_ENDED);
    assert_int_equal(rx_check(f->pcm, 8000, 1, T0 * 8000, 10 * 8000), -1);
    char *log = slurp(f->other.log);
    assert_non_null(strstr(log, "\"path\": \"/clip.wav\""));
    assert_null(strstr(log, TOKEN));
    assert_non_null(strstr(log, "\"authorization\": null"));
    free(log);
}

/* The cloud redirecting elsewhere: the token is not carried along (the link
 * fails with a message instead). */
static void test_redirect_keeps_token_home(void **state)
{
    fx *f = *state;
    char to[256], url[512];
    http_server_url(&f->other, "/clip.wav", to, sizeof to);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/redirect?to=%s", f->cloud.port, to);
    player_status st;
    assert_int_equal(play_link(f, url, -1, false, &st), PLAYER_FAILED);
    assert_int_equal(st.errcode, PLAYER_E_LINK);
    char *log = slurp(f->other.log);
    assert_null(strstr(log, TOKEN));
    free(log);
    log = slurp(f->cloud.log);
    assert_non_null(strstr(log, "\"path\": \"/redirect"));
    free(log);
}

/* A seek in a long link is a Range request, and lands on the exact sample:
 * the played samples are the source's from 50 s to its end. */
static void test_seek_is_range_and_exact(void **state)
{
    fx *f = *state;
    char url[256];
    http_server_url(&f->other, "/long.wav", url, sizeof url);
    player_status st;
    assert_int_equal(play_link(f, url, 50.0, false, &st), PLAYER_ENDED);
    assert_true(st.len_s > 59.99 && st.len_s < 60.01);
    assert_int_equal(rx_check(f->pcm, 48000, 2, T0 * 48000 + 50 * 48000, 10 * 48000), -1);
    char *log = slurp(f->other.log);
    long far = 0;
    for (char *q = log; (q = strstr(q, "\"range\": \"bytes=")); q++) {
        long v = strtol(q + 16, NULL, 10);
        if (v > far)
            far = v;
    }
    /* 50 s into 48 kHz stereo 16-bit is byte 9.6 MB: the seek asked for it */
    fprintf(stderr, "farthest Range start: %ld\n", far);
    assert_true(far > 9000000);
    free(log);
}

static void test_http_404_message(void **state)
{
    fx *f = *state;
    char url[256], msg[512];
    http_server_url(&f->cloud, "/gone.wav", url, sizeof url);
    player_status st;
    assert_int_equal(play_link(f, url, -1, true, &st), PLAYER_FAILED);
    assert_int_equal(st.errcode, PLAYER_E_LINK);
    assert_int_equal(st.http_status, 404);
    assert_true(st.changed & PLAYER_CH_MESSAGE);
    i18n_set_lang(LANG_EN);
    ui_audio_describe(&st, msg, sizeof msg);
    fprintf(stderr, "en: %s\n", msg);
    assert_non_null(strstr(msg, "The clip link answered HTTP 404"));
    char origin[64];
    snprintf(origin, sizeof origin, "http://127.0.0.1:%d", f->cloud.port);
    assert_non_null(strstr(msg, origin));
    assert_null(strstr(msg, "gone.wav")); /* the host, never the path (it may hold a signature) */
    i18n_set_lang(LANG_RU);
    ui_audio_describe(&st, msg, sizeof msg);
    fprintf(stderr, "ru: %s\n", msg);
    assert_non_null(strstr(msg, "Ссылка на фрагмент ответила HTTP 404"));
}

static void test_unreachable_message(void **state)
{
    fx *f = *state;
    char url[256], msg[512];
    /* a port that was listening and is not any more */
    int port = f->other.port;
    http_server_stop(&f->other);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/clip.wav", port);
    player_status st;
    assert_int_equal(play_link(f, url, -1, false, &st), PLAYER_FAILED);
    assert_int_equal(st.errcode, PLAYER_E_LINK);
    assert_int_equal(st.http_status, 0);
    i18n_set_lang(LANG_RU);
    ui_audio_describe(&st, msg, sizeof msg);
    assert_non_null(strstr(msg, "Ссылка на фрагмент недоступна"));
}

int main(void)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C"); /* libmpv (DESIGN §13) */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_origin),
        cmocka_unit_test_setup_teardown(test_cloud_link_exact_with_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_host_no_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_redirect_keeps_token_home, setup, teardown),
        cmocka_unit_test_setup_teardown(test_seek_is_range_and_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_http_404_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unreachable_message, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
