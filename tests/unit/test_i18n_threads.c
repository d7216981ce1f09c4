/* The catalogue is sorted at first use; worker threads (the Telegram clip
 * worker, audio library callbacks) translate error texts too, so the first
 * lookups may come from several threads at once. They start together here,
 * before anything has sorted the table, and each must find its Russian (a
 * table sorted twice at once, or searched half sorted, misses keys). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/i18n.h"

#define NTHREADS 8

static pthread_barrier_t start;

static void *lookup(void *arg)
{
    (void)arg;
    pthread_barrier_wait(&start);
    intptr_t bad = 0;
    for (int i = 0; i < 200; i++) {
        bad += strcmp(i18n_ru("unknown key '%s' in [%s]"), "неизвестный ключ '%s' в [%s]") != 0;
        bad += strcmp(i18n_ru("cannot start a thread"), "не удаётся запустить поток") != 0;
        bad += strcmp(i18n_ru("Dashboard"), "Панель") != 0;
    }
    return (void *)bad;
}

static void test_first_lookups_from_threads(void **state)
{
    (void)state;
    pthread_t t[NTHREADS];
    assert_int_equal(pthread_barrier_init(&start, NULL, NTHREADS), 0);
    for (int i = 0; i < NTHREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, lookup, NULL), 0);
    intptr_t bad = 0;
    for (int i = 0; i < NTHREADS; i++) {
        void *r;
        assert_int_equal(pthread_join(t[i], &r), 0);
        bad += (intptr_t)r;
    }
    pthread_barrier_destroy(&start);
    assert_int_equal(bad, 0);
    assert_null(i18n_conflict());
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_lookups_from_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
