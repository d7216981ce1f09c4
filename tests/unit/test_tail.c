/* The log-tail source through the real hub, loop and store: partial lines,
 * rename rotation, copytruncate, malformed lines, and resuming from the
 * stored (dev, ino, offset) — also when the file was rotated while down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/config.h"
#include "cxm/feed.h"
#include "cxm/loop.h"
#include "cxm/store.h"

static char dir[256], logp[300], rot1[300], rot2[300];
static int next_id;

static void append_raw(const char *path, const char *s)
{
    FILE *f = fopen(path, "a");
    assert_non_null(f);
    fputs(s, f);
    fclose(f);
}

static void append_events(const char *path, int n)
{
    char b[512];
    for (int i = 0; i < n; i++) {
        snprintf(b, sizeof b,
                 "{\"id\": \"tail.%06d\", \"ts\": \"2026-11-23T10:00:%02d+03:00\", \"type\": "
                 "\"arrival\", \"location\": {\"id\": \"clinic-1\"}, \"desk\": \"reg-1\"}\n",
                 next_id, next_id % 60);
        next_id++;
        append_raw(path, b);
    }
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
    loop *lp;
    store *st;
    cxm_config cfg;
    hub *h;
} rig;

static void rig_hub(rig *r)
{
    r->h = hub_new(r->lp, r->st, &r->cfg);
    assert_non_null(r->h);
    char err[256];
    assert_int_equal(hub_add(r->h, &r->cfg.sources[0], err, sizeof err), 0);
}

static void spin_until(rig *r, int64_t want_events, int64_t ms)
{
    int64_t t0 = mono_ms();
    while (mono_ms() - t0 < ms) {
        loop_run_once(r->lp, 50);
        if (want_events >= 0 && store_count_events(r->st) == want_events)
            break;
    }
    /* one more pass so late extras (duplicates) would show */
    loop_run_once(r->lp, 50);
}

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/cxm-test-tail-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(logp, sizeof logp, "%s/agent.log", dir);
    snprintf(rot1, sizeof rot1, "%s/agent.log.1", dir);
    snprintf(rot2, sizeof rot2, "%s/agent.log.2", dir);
    rig *r = calloc(1, sizeof *r);
    r->lp = loop_new();
    char err[256];
    assert_int_equal(store_open(":memory:", &r->st, err, sizeof err), 0);
    config_defaults(&r->cfg);
    config_add_source(&r->cfg, SRC_AGENT_LOG, logp);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    rig *r = *state;
    hub_free(r->h);
    store_close(r->st);
    config_free(&r->cfg);
    loop_free(r->lp);
    free(r);
    unlink(logp);
    unlink(rot1);
    unlink(rot2);
    rmdir(dir);
    return 0;
}

static void test_tail_follows(void **state)
{
    rig *r = *state;
    append_events(logp, 3);
    /* a partial last line: not delivered until its newline arrives */
    append_raw(logp, "{\"id\": \"tail.partial\", \"ts\": \"2026-11-23T10:00:00+03:00\", ");
    rig_hub(r);
    spin_until(r, 3, 2000);
    assert_int_equal(store_count_events(r->st), 3);
    spin_until(r, -1, 300);
    assert_int_equal(store_count_events(r->st), 3);
    append_raw(logp, "\"type\": \"arrival\", \"location\": {\"id\": \"c\"}, \"desk\": \"d\"}\n");
    spin_until(r, 4, 2000);
    assert_int_equal(store_count_events(r->st), 4);

    /* malformed lines are counted and the tail goes on */
    append_raw(logp, "not json at all\n{\"id\": \"x\"}\n");
    append_events(logp, 1);
    spin_until(r, 5, 2000);
    assert_int_equal(store_count_events(r->st), 5);
    const source_status *ss = hub_status(r->h, 0);
    assert_int_equal(ss->rejected, 2);

    /* rename rotation: the writer finishes the old file, then a new one appears */
    assert_int_equal(rename(logp, rot1), 0);
    append_events(rot1, 2);
    append_events(logp, 2);
    spin_until(r, 9, 3000);
    assert_int_equal(store_count_events(r->st), 9);

    /* copytruncate: size drops below our offset, start over at 0 */
    FILE *f = fopen(logp, "w"); /* truncates in place: same inode */
    fclose(f);
    append_events(logp, 1);
    spin_until(r, 10, 3000);
    assert_int_equal(store_count_events(r->st), 10);
    assert_int_equal(hub_status(r->h, 0)->received, 10);
    assert_int_equal(hub_status(r->h, 0)->duplicates, 0);

    /* restart: resume from the stored offset, nothing read twice */
    hub_free(r->h);
    r->h = NULL;
    append_events(logp, 2);
    rig_hub(r);
    spin_until(r, 12, 3000);
    assert_int_equal(store_count_events(r->st), 12);
    assert_int_equal(hub_status(r->h, 0)->received, 2);

    /* down while the log rotates: finish the old inode (now agent.log.2) from
     * the stored offset, then read the new file */
    hub_free(r->h);
    r->h = NULL;
    append_events(logp, 1);
    assert_int_equal(rename(logp, rot2), 0);
    append_events(logp, 2);
    rig_hub(r);
    spin_until(r, 15, 3000);
    assert_int_equal(store_count_events(r->st), 15);
    assert_int_equal(hub_status(r->h, 0)->received, 3);
    assert_int_equal(hub_status(r->h, 0)->duplicates, 0);
}

static void copy_file(const char *from, const char *to)
{
    char b[65536];
    FILE *in = fopen(from, "r"), *out = fopen(to, "w");
    assert_non_null(in);
    assert_non_null(out);
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        fwrite(b, 1, n, out);
    fclose(in);
    fclose(out);
}

/* The loop is busy elsewhere while the log changes several times: what a
 * plain `tail -F` would lose must still arrive. */
static void test_tail_races(void **state)
{
    rig *r = *state;
    append_events(logp, 2);
    rig_hub(r);
    spin_until(r, 2, 2000);
    assert_int_equal(store_count_events(r->st), 2);

    /* two rename rotations before we look: the middle file sits at .1 */
    append_events(logp, 1);
    assert_int_equal(rename(logp, rot1), 0);
    append_events(logp, 3);
    assert_int_equal(rename(logp, rot1), 0); /* the first .1 is gone, we hold it */
    append_events(logp, 2);
    spin_until(r, 8, 3000);
    assert_int_equal(store_count_events(r->st), 8);

    /* copytruncate before we read the last lines, then new lines at the path
     * that reach past our old offset: the copy supplies what we missed, the
     * rewritten file is noticed although it is not shorter */
    append_events(logp, 3);
    copy_file(logp, rot2);
    FILE *f = fopen(logp, "w");
    fclose(f);
    append_events(logp, 8);
    spin_until(r, 19, 3000);
    assert_int_equal(store_count_events(r->st), 19);
    assert_int_equal(hub_status(r->h, 0)->rejected, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_tail_follows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tail_races, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
