/* The hub: the live demo source (today's history at once, nothing from the
 * future), dedupe across sources with per-source counters, the commit
 * callback seeing only new events, and refusal of a readable token file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/config.h"
#include "cxm/feed.h"
#include "cxm/loop.h"
#include "cxm/store.h"
#include "cxm/timefmt.h"

typedef struct {
    size_t calls, events;
    int64_t max_ts;
} commits;

static void on_commit(void *ud, const event *evs, size_t n)
{
    commits *c = ud;
    c->calls++;
    c->events += n;
    for (size_t i = 0; i < n; i++)
        if (evs[i].ts_us > c->max_ts)
            c->max_ts = evs[i].ts_us;
}

/* Commits of small batches are paced (20 ms): let a few passes run. */
static void settle(loop *lp)
{
    for (int i = 0; i < 4; i++)
        loop_run_once(lp, 30);
}

/* The demo has history only after its day starts (~08:00 local): run in a
 * time zone where it is now between 12:00 and 13:00, so the test checks the
 * same thing at any hour of the real clock. */
static void noon_time_zone(void)
{
    time_t t = time(NULL);
    struct tm g;
    gmtime_r(&t, &g);
    int off = 12 - g.tm_hour; /* local = UTC + off hours: -11 .. +12 */
    char tz[32];
    /* POSIX TZ counts west of Greenwich: "CXM-3" is UTC+3. */
    snprintf(tz, sizeof tz, "CXM%c%d", off > 0 ? '-' : '+', off > 0 ? off : -off);
    setenv("TZ", tz, 1);
    tzset();
}

static void test_demo_history(void **state)
{
    (void)state;
    noon_time_zone();
    loop *lp = loop_new();
    store *st;
    char err[256];
    assert_int_equal(store_open(":memory:", &st, err, sizeof err), 0);
    cxm_config cfg;
    config_defaults(&cfg);
    hub *h = hub_new(lp, st, &cfg);
    commits c = {0, 0, 0};
    hub_set_commit_cb(h, on_commit, &c);
    assert_int_equal(hub_add_demo(h, 7), 0);
    int64_t now = time_now_us();
    settle(lp);
    int64_t stored = store_count_events(st);
    int64_t midnight = time_local_midnight(now, 0);
    /* the demo day starts in the morning; at noon there is history */
    assert_true(now - midnight >= 12LL * 3600 * 1000000);
    assert_true(now - midnight < 14LL * 3600 * 1000000);
    assert_true(stored > 0);
    assert_true(c.max_ts <= now + 1000000);
    assert_int_equal(hub_count(h), 1);
    const source_status *s = hub_status(h, 0);
    assert_int_equal(s->state, SRC_ST_CONNECTED);
    /* what the commit callback saw is what was new; a slow start may already
     * have added the first live event */
    assert_int_equal(c.events, s->received - s->duplicates);
    assert_true((int64_t)c.events >= stored && (int64_t)c.events <= stored + 1);
    /* a second demo with the same seed: the same history, all duplicates
     * (a slow machine may let either source's first live event, 2-5 s after
     * its start, slip into this pass: live events are new, never duplicates) */
    assert_int_equal(hub_add_demo(h, 7), 0);
    settle(lp);
    const source_status *s2 = hub_status(h, 1);
    assert_true(s2->received > 0 || stored == 0);
    assert_true(s2->duplicates + 1 >= s2->received);
    assert_int_equal(store_count_events(st), (int64_t)c.events);
    hub_free(h);
    store_close(st);
    config_free(&cfg);
    loop_free(lp);
}

static void test_token_file_mode(void **state)
{
    (void)state;
    loop *lp = loop_new();
    store *st;
    char err[512];
    assert_int_equal(store_open(":memory:", &st, err, sizeof err), 0);
    cxm_config cfg;
    config_defaults(&cfg);
    char tok[] = "/tmp/cxm-test-token-XXXXXX";
    int fd = mkstemp(tok);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "sekrit-token\n", 13), 13);
    close(fd);
    chmod(tok, 0644);
    config_add_source(&cfg, SRC_CLOUD, "https://127.0.0.1:9/events");
    cfg.sources[0].token_file = strdup(tok);
    hub *h = hub_new(lp, st, &cfg);
    assert_int_equal(hub_add(h, &cfg.sources[0], err, sizeof err), -1);
    assert_non_null(strstr(err, "0644"));
    assert_null(strstr(err, "sekrit"));
    const source_status *s = hub_status(h, 0);
    assert_int_equal(s->state, SRC_ST_FAILED);
    assert_non_null(strstr(s->last_error, "group/others"));
    /* plain http for the cloud is refused too: TLS is not optional there */
    config_add_source(&cfg, SRC_CLOUD, "http://127.0.0.1:9/events");
    assert_int_equal(hub_add(h, &cfg.sources[1], err, sizeof err), -1);
    assert_non_null(strstr(err, "https"));
    hub_free(h);
    unlink(tok);
    store_close(st);
    config_free(&cfg);
    loop_free(lp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_history),
        cmocka_unit_test(test_token_file_mode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
