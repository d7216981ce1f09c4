/* The event loop: timer order, fd callbacks, signal delivery inside the wait,
 * and that nothing spins (wakeups are counted). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/loop.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

typedef struct {
    loop *lp;
    int order[16];
    int n;
} rec;

typedef struct {
    rec *r;
    int tag;
} tag_ud;

static void on_timer(void *ud)
{
    tag_ud *t = ud;
    t->r->order[t->r->n++] = t->tag;
    if (t->tag == 99)
        loop_quit(t->r->lp);
}

static void test_timers_in_order(void **state)
{
    (void)state;
    loop *lp = loop_new();
    rec r = {lp, {0}, 0};
    tag_ud a = {&r, 30}, b = {&r, 10}, c = {&r, 11}, d = {&r, 20}, e = {&r, 99}, x = {&r, 55};
    loop_timer_add(lp, 60, on_timer, &a);
    loop_timer_add(lp, 20, on_timer, &b);
    loop_timer_add(lp, 20, on_timer, &c); /* same deadline: FIFO */
    loop_timer_add(lp, 40, on_timer, &d);
    int cancel = loop_timer_add(lp, 50, on_timer, &x);
    loop_timer_add(lp, 80, on_timer, &e);
    loop_timer_cancel(lp, cancel);
    int64_t t0 = now_ms();
    assert_int_equal(loop_run(lp), 0);
    int64_t el = now_ms() - t0;
    assert_int_equal(r.n, 5);
    int want[] = {10, 11, 20, 30, 99};
    assert_memory_equal(r.order, want, sizeof want);
    assert_true(el >= 79);
    /* one wakeup per distinct deadline, give or take a scheduling hiccup */
    assert_true(loop_wakeups(lp) <= 8);
    loop_free(lp);
}

typedef struct {
    loop *lp;
    int fd;
    int calls;
    char got[16];
    int passes;
} fdrec;

static void on_readable(void *ud, int fd, short rev)
{
    fdrec *f = ud;
    assert_true(rev & POLLIN);
    ssize_t n = read(fd, f->got, sizeof f->got - 1);
    assert_true(n > 0);
    f->got[n] = '\0';
    f->calls++;
    loop_quit(f->lp);
}

static void on_pass(void *ud)
{
    ((fdrec *)ud)->passes++;
}

static void write_later(void *ud)
{
    fdrec *f = ud;
    assert_int_equal(write(f->fd, "ping", 4), 4);
}

static void test_fd_callback(void **state)
{
    (void)state;
    loop *lp = loop_new();
    int p[2];
    assert_int_equal(pipe(p), 0);
    fdrec f = {lp, p[1], 0, {0}, 0};
    loop_watch_fd(lp, p[0], POLLIN, on_readable, &f);
    loop_on_pass(lp, on_pass, &f);
    loop_timer_add(lp, 30, write_later, &f);
    assert_int_equal(loop_run(lp), 0);
    assert_int_equal(f.calls, 1);
    assert_string_equal(f.got, "ping");
    assert_true(f.passes >= 1);
    /* unwatched: no more callbacks */
    loop_unwatch_fd(lp, p[0]);
    assert_int_equal(write(p[1], "x", 1), 1);
    loop_run_once(lp, 20);
    assert_int_equal(f.calls, 1);
    close(p[0]);
    close(p[1]);
    loop_free(lp);
}

typedef struct {
    loop *lp;
    int other_fd;
    int calls_a, calls_b;
} unw;

static void cb_a(void *ud, int fd, short rev)
{
    unw *u = ud;
    (void)fd;
    (void)rev;
    u->calls_a++;
    /* removing another ready fd inside a callback: it must not be called */
    loop_unwatch_fd(u->lp, u->other_fd);
}

static void cb_b(void *ud, int fd, short rev)
{
    unw *u = ud;
    (void)fd;
    (void)rev;
    u->calls_b++;
}

static void test_unwatch_inside_callback(void **state)
{
    (void)state;
    loop *lp = loop_new();
    int p1[2], p2[2];
    assert_int_equal(pipe(p1), 0);
    assert_int_equal(pipe(p2), 0);
    assert_int_equal(write(p1[1], "a", 1), 1);
    assert_int_equal(write(p2[1], "b", 1), 1);
    unw u = {lp, -1, 0, 0};
    loop_watch_fd(lp, p1[0], POLLIN, cb_a, &u);
    loop_watch_fd(lp, p2[0], POLLIN, cb_b, &u);
    u.other_fd = p2[0];
    loop_run_once(lp, 100);
    /* p1 is first in the poll set: its callback ran and removed p2's watch */
    assert_int_equal(u.calls_a, 1);
    assert_int_equal(u.calls_b, 0);
    close(p1[0]);
    close(p1[1]);
    close(p2[0]);
    close(p2[1]);
    loop_free(lp);
}

typedef struct {
    loop *lp;
    int signo;
    int count;
} sigrec;

static void on_sig(void *ud, int signo)
{
    sigrec *s = ud;
    s->signo = signo;
    s->count++;
    loop_quit(s->lp);
}

static void test_signal_delivered_in_loop(void **state)
{
    (void)state;
    loop *lp = loop_new();
    sigrec s = {lp, 0, 0};
    loop_on_signal(lp, SIGUSR1, on_sig, &s);
    loop_on_signal(lp, SIGTERM, on_sig, &s);
    /* blocked outside the wait: the handler has not run yet */
    kill(getpid(), SIGUSR1);
    assert_int_equal(s.count, 0);
    int64_t t0 = now_ms();
    loop_run(lp);
    assert_true(now_ms() - t0 < 1000);
    assert_int_equal(s.count, 1);
    assert_int_equal(s.signo, SIGUSR1);
    kill(getpid(), SIGTERM);
    loop_run(lp);
    assert_int_equal(s.count, 2);
    assert_int_equal(s.signo, SIGTERM);
    loop_on_signal(lp, SIGUSR1, NULL, NULL);
    loop_on_signal(lp, SIGTERM, NULL, NULL);
    loop_free(lp);
}

static void nop_timer(void *ud)
{
    (void)ud;
}

static void test_no_busy_wait(void **state)
{
    (void)state;
    loop *lp = loop_new();
    /* idle for 300 ms with a watched but silent fd: exactly one wakeup */
    int p[2];
    assert_int_equal(pipe(p), 0);
    fdrec f = {lp, p[1], 0, {0}, 0};
    loop_watch_fd(lp, p[0], POLLIN, on_readable, &f);
    int64_t t0 = now_ms();
    uint64_t w0 = loop_wakeups(lp);
    loop_run_once(lp, 300);
    assert_true(now_ms() - t0 >= 299);
    assert_int_equal(loop_wakeups(lp) - w0, 1);
    /* a timer 250 ms away: the wait lasts until it, not less */
    loop_timer_add(lp, 250, nop_timer, NULL);
    w0 = loop_wakeups(lp);
    t0 = now_ms();
    while (now_ms() - t0 < 240)
        loop_run_once(lp, -1);
    assert_true(loop_wakeups(lp) - w0 <= 2);
    close(p[0]);
    close(p[1]);
    loop_free(lp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_timers_in_order),
        cmocka_unit_test(test_fd_callback),
        cmocka_unit_test(test_unwatch_inside_callback),
        cmocka_unit_test(test_signal_delivered_in_loop),
        cmocka_unit_test(test_no_busy_wait),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
