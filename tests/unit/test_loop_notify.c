/* loop_notifier: threads hammering notify() wake the loop, every burst is
 * seen (no lost wakeup after the last notify), bursts coalesce (far fewer
 * callbacks than notifies), a full pipe never blocks a notifier, and nothing
 * leaks or races (run under ASan here; TSan where the toolchain allows). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/loop.h"

#define THREADS 4
#define PER_THREAD 20000

typedef struct {
    loop *lp;
    loop_notifier *n;
    atomic_int done_threads;
    atomic_long sent;
    long seen_sent; /* the `sent` count observed by the last callback */
    long callbacks;
} hammer;

static void *worker(void *ud)
{
    hammer *h = ud;
    for (int i = 0; i < PER_THREAD; i++) {
        atomic_fetch_add(&h->sent, 1);
        loop_notifier_notify(h->n);
    }
    atomic_fetch_add(&h->done_threads, 1);
    /* One last notify after `done` is visible: the loop must see it. */
    loop_notifier_notify(h->n);
    return NULL;
}

static void on_notify(void *ud)
{
    hammer *h = ud;
    h->callbacks++;
    h->seen_sent = atomic_load(&h->sent);
    if (atomic_load(&h->done_threads) == THREADS && h->seen_sent == THREADS * PER_THREAD)
        loop_quit(h->lp);
}

static void on_timeout(void *ud)
{
    hammer *h = ud;
    loop_quit(h->lp); /* the assertion below then fails: a wakeup was lost */
}

static void test_threads_hammer(void **state)
{
    (void)state;
    hammer h = {0};
    h.lp = loop_new();
    assert_non_null(h.lp);
    h.n = loop_notifier_new(h.lp, on_notify, &h);
    assert_non_null(h.n);
    atomic_init(&h.done_threads, 0);
    atomic_init(&h.sent, 0);
    loop_timer_add(h.lp, 60000, on_timeout, &h);
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, worker, &h), 0);
    assert_int_equal(loop_run(h.lp), 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(h.seen_sent, THREADS * PER_THREAD);
    assert_true(h.callbacks >= 1);
    /* Coalescing: far fewer callbacks than notifications. */
    assert_true(h.callbacks < THREADS * PER_THREAD);
    loop_notifier_free(h.n);
    loop_free(h.lp);
}

/* No loop running: a notifier whose loop sleeps must not block its thread
 * however often it is called (the pipe would fill at ~64 KiB otherwise). */
static void test_never_blocks(void **state)
{
    (void)state;
    loop *lp = loop_new();
    hammer h = {0};
    h.lp = lp;
    loop_notifier *n = loop_notifier_new(lp, on_notify, &h);
    for (int i = 0; i < 1000000; i++)
        loop_notifier_notify(n);
    /* Exactly one byte is pending: coalesced. */
    char buf[8];
    assert_int_equal(read(loop_notifier_fd(n), buf, sizeof buf), 1);
    loop_notifier_free(n);
    loop_free(lp);
}

/* A notify before the loop runs is delivered on the first pass. */
static void test_early_notify_delivered(void **state)
{
    (void)state;
    hammer h = {0};
    h.lp = loop_new();
    h.n = loop_notifier_new(h.lp, on_notify, &h);
    loop_notifier_notify(h.n);
    assert_int_equal(loop_run_once(h.lp, 1000), 0);
    assert_int_equal(h.callbacks, 1);
    /* Nothing pending now: a pass with no notify does not call back. */
    assert_int_equal(loop_run_once(h.lp, 0), 0);
    assert_int_equal(h.callbacks, 1);
    loop_notifier_free(h.n);
    loop_free(h.lp);
}

static void test_null_args(void **state)
{
    (void)state;
    assert_null(loop_notifier_new(NULL, on_notify, NULL));
    loop_notifier_notify(NULL);
    loop_notifier_free(NULL);
    assert_int_equal(loop_notifier_fd(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_hammer),
        cmocka_unit_test(test_never_blocks),
        cmocka_unit_test(test_early_notify_delivered),
        cmocka_unit_test(test_null_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
