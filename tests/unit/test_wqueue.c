/* The deferred-write queue and the hub's no-wait commits: while ANOTHER
 * PROCESS holds BEGIN IMMEDIATE, a write from the UI thread returns at once
 * (queued), nothing is applied out of order, and everything lands after the
 * lock is released; at quit wq_flush waits with the normal timeout.
 *
 * The store's busy timeout is raised to 60 s in these tests, so code that
 * waited for the lock would take a minute per write: the "returns at once"
 * bounds below (2 s) are thirty times looser than that, not a benchmark. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cxm/config.h"
#include "cxm/feed.h"
#include "cxm/loop.h"
#include "cxm/store.h"
#include "cxm/timefmt.h"
#include "cxm/wqueue.h"
#include "store/store_internal.h"
#include "store_fixture.h"

#define SLOW_MS 60000
#define AT_ONCE_US (2 * 1000000)

/* ---- another process holding the write lock ----------------------------- */

typedef struct {
    pid_t pid;
    int release_fd;
} holder;

/* Forks a process that opens `path` with its own connection, runs BEGIN
 * IMMEDIATE plus one insert (source "holder"), and keeps the transaction
 * open until released. Returns once the lock is held. */
static holder hold_lock(const char *path)
{
    int ready[2], go[2];
    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(go), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(ready[0]);
        close(go[1]);
        sqlite3 *db = NULL;
        if (sqlite3_open(path, &db) != SQLITE_OK) _exit(2);
        sqlite3_busy_timeout(db, 10000);
        if (sqlite3_exec(db,
                         "BEGIN IMMEDIATE; INSERT OR REPLACE INTO feed_cursors(source, last_id, updated_us)"
                         " VALUES ('holder', 'x', 0)",
                         NULL, NULL, NULL) != SQLITE_OK)
            _exit(3);
        if (write(ready[1], "L", 1) != 1) _exit(4);
        char c;
        if (read(go[0], &c, 1) < 0) _exit(5);
        int rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(db);
        _exit(rc == SQLITE_OK ? 0 : 6);
    }
    close(ready[1]);
    close(go[0]);
    char c = 0;
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(c, 'L');
    close(ready[0]);
    return (holder){pid, go[1]};
}

static void release_lock(holder *h)
{
    assert_int_equal(write(h->release_fd, "G", 1), 1);
    close(h->release_fd);
    int status = 0;
    assert_int_equal(waitpid(h->pid, &status, 0), h->pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- writes that record what happened ----------------------------------- */

typedef struct {
    char order[16]; /* the done callbacks, in order */
    int rcs[8];
    size_t ndone;
} journal;

typedef struct {
    journal *j;
    char name;
    int ret; /* what the write returns after writing */
    wqueue *q; /* for nested submits */
    bool nest_in_write, nest_in_done;
} wr;

static int do_write(store *st, void *ud);
static void on_done(void *ud, int rc);

static int do_write(store *st, void *ud)
{
    wr *w = ud;
    char src[8] = {'w', w->name, 0};
    assert_true(store_in_tx(st)); /* inside the transaction the queue began */
    if (store_cursor_set(st, src, "v") != 0) return -1;
    if (w->nest_in_write) {
        static wr inner;
        inner = (wr){w->j, (char)(w->name + 1), 0, NULL, false, false};
        assert_int_equal(wq_submit(w->q, do_write, on_done, &inner, NULL), 1);
    }
    return w->ret;
}

static void on_done(void *ud, int rc)
{
    wr *w = ud;
    journal *j = w->j;
    j->order[j->ndone] = w->name;
    j->rcs[j->ndone++] = rc;
    if (w->nest_in_done) {
        static wr after;
        after = (wr){j, (char)(w->name + 1), 0, NULL, false, false};
        wq_submit(w->q, do_write, on_done, &after, NULL);
    }
}

static bool has_cursor(store *st, char name)
{
    char src[8] = {'w', name, 0}, v[16];
    return store_cursor_get(st, src, v, sizeof v) == 0;
}

typedef struct {
    char dir[256], path[300];
} tmpdb;

static void make_db(tmpdb *t)
{
    fx_tmpdir(t->dir, sizeof t->dir);
    snprintf(t->path, sizeof t->path, "%s/cxm.db", t->dir);
    store *st = NULL;
    char err[256];
    assert_int_equal(store_open(t->path, &st, err, sizeof err), 0);
    store_close(st);
}

static store *open_slow(const tmpdb *t)
{
    store *st = NULL;
    char err[256];
    assert_int_equal(store_open(t->path, &st, err, sizeof err), 0);
    store_set_busy_timeout(st, SLOW_MS);
    return st;
}

static void cleanup_db(tmpdb *t)
{
    fx_rmdir(t->dir);
}

/* ---- tests ---------------------------------------------------------------- */

static void test_free_lock_applies_at_once(void **state)
{
    (void)state;
    tmpdb t;
    make_db(&t);
    loop *lp = loop_new();
    store *st = open_slow(&t);
    wqueue *q = wq_new(lp, st);
    journal j = {0};
    wr a = {&j, 'a', 0, q, false, false}, b = {&j, 'b', 7, q, false, false};
    assert_int_equal(wq_submit(q, do_write, on_done, &a, NULL), 0);
    assert_int_equal(j.ndone, 1);
    assert_true(has_cursor(st, 'a'));
    /* A write that returns non-zero is rolled back and its value reported. */
    assert_int_equal(wq_submit(q, do_write, on_done, &b, NULL), 0);
    assert_int_equal(j.rcs[1], 7);
    assert_false(has_cursor(st, 'b'));
    /* Submits from inside a write and from a done callback queue behind. */
    wr c = {&j, 'c', 0, q, true, false}, e = {&j, 'e', 0, q, false, true};
    assert_int_equal(wq_submit(q, do_write, on_done, &c, NULL), 0);
    assert_int_equal(wq_submit(q, do_write, on_done, &e, NULL), 0);
    assert_string_equal(j.order, "abcdef");
    assert_int_equal(wq_pending(q), 0);
    assert_true(has_cursor(st, 'd') && has_cursor(st, 'f'));
    assert_int_equal(store_busy_timeout(st), SLOW_MS);
    wq_free(q);
    store_close(st);
    loop_free(lp);
    cleanup_db(&t);
}

static void test_locked_returns_at_once_lands_after(void **state)
{
    (void)state;
    tmpdb t;
    make_db(&t);
    holder h = hold_lock(t.path);
    loop *lp = loop_new();
    store *st = open_slow(&t);
    wqueue *q = wq_new(lp, st);
    journal j = {0};
    wr a = {&j, 'a', 0, q, false, false}, b = {&j, 'b', 0, q, false, false};

    int64_t t0 = time_mono_us();
    assert_int_equal(wq_submit(q, do_write, on_done, &a, NULL), 1);
    assert_int_equal(wq_submit(q, do_write, on_done, &b, NULL), 1);
    assert_true(time_mono_us() - t0 < AT_ONCE_US);
    assert_int_equal(j.ndone, 0);
    assert_int_equal(wq_pending(q), 2);
    /* The store waits as configured for everything else. */
    assert_int_equal(store_busy_timeout(st), SLOW_MS);
    /* Reads are not blocked by the writer (WAL). */
    assert_false(has_cursor(st, 'a'));
    /* The loop keeps running: retries come from a timer and never wait. */
    t0 = time_mono_us();
    for (int i = 0; i < 10; i++)
        loop_run_once(lp, 30);
    assert_true(time_mono_us() - t0 < 5 * AT_ONCE_US);
    assert_int_equal(j.ndone, 0);
    assert_int_equal(wq_pending(q), 2);

    release_lock(&h);
    int64_t guard = time_mono_us() + 30 * 1000000LL;
    while (wq_pending(q) && time_mono_us() < guard)
        loop_run_once(lp, 100);
    assert_int_equal(wq_pending(q), 0);
    assert_string_equal(j.order, "ab");
    assert_int_equal(j.rcs[0], 0);
    assert_int_equal(j.rcs[1], 0);
    assert_true(has_cursor(st, 'a') && has_cursor(st, 'b'));
    char v[8];
    assert_int_equal(store_cursor_get(st, "holder", v, sizeof v), 0); /* theirs landed too */
    wq_free(q);
    store_close(st);
    loop_free(lp);
    cleanup_db(&t);
}

static void test_flush_at_quit(void **state)
{
    (void)state;
    tmpdb t;
    make_db(&t);
    loop *lp = loop_new();
    store *st = open_slow(&t);
    wqueue *q = wq_new(lp, st);
    journal j = {0};
    wr a = {&j, 'a', 0, q, false, false}, b = {&j, 'b', 0, q, false, false};

    /* Still locked after the waiting: nothing applied, both reported. */
    holder h = hold_lock(t.path);
    store_set_busy_timeout(st, 50);
    assert_int_equal(wq_submit(q, do_write, on_done, &a, NULL), 1);
    assert_int_equal(wq_submit(q, do_write, on_done, &b, NULL), 1);
    assert_int_equal(wq_flush(q), 2);
    assert_string_equal(j.order, "ab");
    assert_int_equal(j.rcs[0], WQ_ERROR);
    assert_int_equal(j.rcs[1], WQ_ERROR);
    assert_int_equal(wq_pending(q), 0);
    release_lock(&h);
    assert_false(has_cursor(st, 'a'));

    /* Queued while locked, the lock goes away: the flush applies it all. */
    memset(&j, 0, sizeof j);
    h = hold_lock(t.path);
    assert_int_equal(wq_submit(q, do_write, on_done, &a, NULL), 1);
    assert_int_equal(wq_submit(q, do_write, on_done, &b, NULL), 1);
    release_lock(&h);
    store_set_busy_timeout(st, STORE_BUSY_TIMEOUT_MS);
    assert_int_equal(wq_flush(q), 0);
    assert_string_equal(j.order, "ab");
    assert_true(has_cursor(st, 'a') && has_cursor(st, 'b'));
    wq_free(q);
    store_close(st);
    loop_free(lp);
    cleanup_db(&t);
}

/* The console's own feed commits: with hub_set_nowait a pass never waits
 * for the lock; the events stay pending and land after it is released. */
static void test_hub_nowait(void **state)
{
    (void)state;
    tmpdb t;
    make_db(&t);
    const char *src = getenv("CXM_SRC");
    char feed[1024];
    snprintf(feed, sizeof feed, "%s/tests/fixtures/events_good.jsonl", src ? src : ".");
    holder h = hold_lock(t.path);
    loop *lp = loop_new();
    store *st = open_slow(&t);
    cxm_config cfg;
    config_defaults(&cfg);
    assert_int_equal(config_add_source(&cfg, SRC_AGENT_LOG, feed), 0);
    hub *hb = hub_new(lp, st, &cfg);
    assert_non_null(hb);
    hub_set_nowait(hb, true);
    char err[256];
    assert_int_equal(hub_add(hb, &cfg.sources[0], err, sizeof err), 0);
    int64_t guard = time_mono_us() + 30 * 1000000LL;
    while (hub_status(hb, 0)->received == 0 && time_mono_us() < guard) {
        int64_t t0 = time_mono_us();
        loop_run_once(lp, 50);
        assert_true(time_mono_us() - t0 < AT_ONCE_US);
    }
    const source_status *s = hub_status(hb, 0);
    assert_true(s->received > 0);
    int64_t t0 = time_mono_us();
    assert_int_equal(hub_flush(hb), -1); /* busy: kept */
    for (int i = 0; i < 5; i++)
        loop_run_once(lp, 30);
    assert_true(time_mono_us() - t0 < 5 * AT_ONCE_US);
    assert_int_equal(store_count_events(st), 0);

    release_lock(&h);
    guard = time_mono_us() + 30 * 1000000LL;
    while (store_count_events(st) < (int64_t)(s->received - s->duplicates) &&
           time_mono_us() < guard)
        loop_run_once(lp, 100);
    assert_int_equal(store_count_events(st), (int64_t)(s->received - s->duplicates));
    hub_free(hb);
    config_free(&cfg);
    store_close(st);
    loop_free(lp);
    cleanup_db(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_lock_applies_at_once),
        cmocka_unit_test(test_locked_returns_at_once_lands_after),
        cmocka_unit_test(test_flush_at_quit),
        cmocka_unit_test(test_hub_nowait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
