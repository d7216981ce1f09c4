/* time_parse_at: the moments a person types at the stream's "go to" prompt. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cxm/timefmt.h"

/* 2026-12-02 12:00 local (UTC+3) */
#define NOW INT64_C(1764666000000000)

static int64_t at(const char *s, bool want_time)
{
    int64_t us = 0;
    bool timed = !want_time;
    if (time_parse_at(s, NOW, &us, &timed) != 0)
        fail_msg("rejected: %s", s);
    assert_int_equal(timed, want_time);
    return us;
}

static void test_forms(void **state)
{
    (void)state;
    /* 2026-11-23 10:15 at UTC+3 = 07:15Z */
    const int64_t t = INT64_C(1795418100000000);
    assert_int_equal(at("2026-11-23 10:15", true), t);
    assert_int_equal(at("2026-11-23T10:15", true), t);
    assert_int_equal(at("23.11.2026 10:15", true), t);
    assert_int_equal(at("  23.11.2026 10:15  ", true), t);
    assert_int_equal(at("23.11.2026 10:15:30", true), t + 30000000);
    assert_int_equal(at("23.11.2026", false), t - (10 * 3600 + 15 * 60) * INT64_C(1000000));
    assert_int_equal(at("2026-11-23", false), t - (10 * 3600 + 15 * 60) * INT64_C(1000000));
    assert_int_equal(at("2026-11-23T07:15:00Z", true), t);
    assert_int_equal(at("2026-11-23T10:15:02", true), t + 2000000); /* local, no offset */
    /* a time alone is on the day of `now` (12:00 local on 02.12.2026) */
    assert_int_equal(at("09:30", true), NOW - (2 * 3600 + 30 * 60) * INT64_C(1000000));
    assert_int_equal(at("00:00", true), NOW - 12 * 3600 * INT64_C(1000000));
}

static void test_rejected(void **state)
{
    (void)state;
    static const char *bad[] = {
        "", "   ", "10", "10:5", "24:00", "10:60", "10:15:60", "1:05",
        "32.11.2026 10:15", "23.13.2026 10:15", "2026-11-23 25:00", "2026-11-23 10:15 x",
        "2026-11-23x10:15", "23.11.26 10:15", "вчера", "2026-11-23T10:15+03:00",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t us = 42;
        if (time_parse_at(bad[i], NOW, &us, NULL) == 0)
            fail_msg("accepted: '%s'", bad[i]);
    }
    assert_int_equal(time_parse_at(NULL, NOW, &(int64_t){0}, NULL), -1);
}

int main(void)
{
    setenv("TZ", "UTC-3", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
