/* RFC 3339 parsing (strict), command-line dates, local formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "cxm/timefmt.h"

static int64_t p(const char *s, int *off)
{
    int64_t us = 0;
    if (time_parse_rfc3339(s, strlen(s), &us, off) != 0) fail_msg("rejected: %s", s);
    return us;
}

static void test_valid(void **state)
{
    (void)state;
    int off;
    assert_int_equal(p("1970-01-01T00:00:00Z", &off), 0);
    assert_int_equal(off, 0);
    assert_int_equal(p("1970-01-01T03:00:00+03:00", &off), 0);
    assert_int_equal(off, 10800);
    assert_int_equal(p("1969-12-31T19:00:00-05:00", &off), 0);
    assert_int_equal(off, -18000);
    assert_int_equal(p("2026-11-23T10:15:02.120+03:00", NULL), INT64_C(1795418102120000));
    assert_int_equal(p("2026-11-23t07:15:02.12z", NULL), INT64_C(1795418102120000));
    /* Fractions: 1..9 digits, kept to the microsecond (truncated). */
    assert_int_equal(p("1970-01-01T00:00:00.1Z", NULL), 100000);
    assert_int_equal(p("1970-01-01T00:00:00.123456789Z", NULL), 123456);
    assert_int_equal(p("1970-01-01T00:00:00.000001Z", NULL), 1);
    /* Leap days and a leap second. */
    assert_int_equal(p("2024-02-29T00:00:00Z", NULL), INT64_C(1709164800000000));
    assert_int_equal(p("2000-02-29T00:00:00Z", NULL), INT64_C(951782400000000));
    assert_int_equal(p("2016-12-31T23:59:60Z", NULL), INT64_C(1483228800000000));
    assert_int_equal(p("1900-01-01T00:00:00Z", NULL), INT64_C(-2208988800000000));
    assert_int_equal(p("2026-11-23T10:15:02+05:45", &off), INT64_C(1795408202000000));
    assert_int_equal(off, 5 * 3600 + 45 * 60);
}

static void test_invalid(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "2026-11-23",
        "2026-11-23T10:15:02",      /* no offset */
        "2026-11-23T10:15:02+0300", /* offset without colon */
        "2026-11-23T10:15:02+03",
        "2026-11-23 10:15:02Z", /* space instead of T */
        "2026-11-23T10:15Z",    /* no seconds */
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-02-29T00:00:00Z", /* not a leap year */
        "1900-02-29T00:00:00Z", /* century, not leap */
        "2026-11-00T00:00:00Z",
        "2026-11-23T24:00:00Z",
        "2026-11-23T23:60:00Z",
        "2026-11-23T23:59:61Z",
        "2026-11-23T10:15:02.Z",           /* empty fraction */
        "2026-11-23T10:15:02.1234567890Z", /* 10 digits */
        "2026-11-23T10:15:02+24:00",
        "2026-11-23T10:15:02+03:60",
        "2026-11-23T10:15:02Zjunk",
        "2026-11-23T10:15:02+03:00 ",
        "+2026-11-23T10:15:02Z",
        "26-11-23T10:15:02Z",
        "2026-1-23T10:15:02Z",
        "2026-11-23T1:15:02Z",
        "2026/11/23T10:15:02Z",
        "2026-11-23T10:15:02,5Z",
        "２026-11-23T10:15:02Z",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        int64_t us;
        if (time_parse_rfc3339(bad[i], strlen(bad[i]), &us, NULL) == 0)
            fail_msg("accepted: '%s'", bad[i]);
    }
    /* Length is honoured: no reading past it. */
    int64_t us;
    assert_int_equal(time_parse_rfc3339("2026-11-23T10:15:02Z", 19, &us, NULL), -1);
}

static void test_cli_and_local(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Moscow", 1);
    tzset();
    int64_t us;
    assert_int_equal(time_parse_cli("2026-11-23", &us), 0);
    assert_int_equal(us, p("2026-11-23T00:00:00+03:00", NULL));
    assert_int_equal(time_parse_cli("2026-11-23T10:00:00Z", &us), 0);
    assert_int_equal(us, p("2026-11-23T13:00:00+03:00", NULL));
    assert_int_equal(time_parse_cli("2026-02-30", &us), -1);
    /* ДД.ММ.ГГГГ is the same local midnight */
    int64_t iso = 0, dotted = 0;
    assert_int_equal(time_parse_cli("2026-11-23", &iso), 0);
    assert_int_equal(time_parse_cli("23.11.2026", &dotted), 0);
    assert_true(iso == dotted);
    assert_int_equal(time_parse_cli("30.02.2026", &us), -1);
    assert_int_equal(time_parse_cli("23.13.2026", &us), -1);
    assert_int_equal(time_parse_cli("2.11.20266", &us), -1);
    assert_int_equal(time_parse_cli("23-11-2026", &us), -1);
    assert_int_equal(time_parse_cli("yesterday", &us), -1);
    assert_int_equal(time_parse_cli("2026-11-23T10:00:00", &us), -1);

    int64_t t = p("2026-11-23T10:15:02.120+03:00", NULL);
    assert_int_equal(time_local_midnight(t, 0), p("2026-11-23T00:00:00+03:00", NULL));
    assert_int_equal(time_local_midnight(t, 1), p("2026-11-24T00:00:00+03:00", NULL));
    assert_int_equal(time_local_midnight(t, -23), p("2026-10-31T00:00:00+03:00", NULL));

    char buf[64];
    time_format_rfc3339_local(t, buf, sizeof buf);
    assert_string_equal(buf, "2026-11-23T10:15:02.120+03:00");
    time_format_local(t, "%H:%M:%S", buf, sizeof buf);
    assert_string_equal(buf, "10:15:02");

    /* A zone with daylight saving: midnight is 24 h apart except on change days. */
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    assert_int_equal(time_parse_cli("2026-03-29", &us), 0);
    assert_int_equal(us, p("2026-03-29T00:00:00+01:00", NULL));
    assert_int_equal(time_local_midnight(us, 1), p("2026-03-30T00:00:00+02:00", NULL));
    time_format_rfc3339_local(p("2026-07-01T12:00:00Z", NULL), buf, sizeof buf);
    assert_string_equal(buf, "2026-07-01T14:00:00.000+02:00");
    time_format_rfc3339_local(-1, buf, sizeof buf);
    assert_string_equal(buf, "1970-01-01T00:59:59.999+01:00");
}

static void test_clocks(void **state)
{
    (void)state;
    int64_t a = time_mono_us(), b = time_mono_us();
    assert_true(b >= a);
    int64_t now = time_now_us();
    assert_true(now > INT64_C(1700000000000000));
    assert_true(llabs(now / 1000000 - (int64_t)time(NULL)) <= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_cli_and_local),
        cmocka_unit_test(test_clocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
