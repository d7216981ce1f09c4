/* The store side of Telegram forwarding (src/store/alerts_tg.c): one claim
 * wins, a live claim keeps others off, an expired one is taken over, a sent
 * alert is never claimed again, max_age holds history back, and with
 * send_clip the "message posted" mark survives a takeover, so the process
 * that takes over sends only the clip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cxm/alert_forward.h"
#include "cxm/store.h"
#include "cxm/timefmt.h"
#include "store/store_internal.h"

static store *open_mem(void)
{
    store *s = NULL;
    char err[512];
    if (store_open(":memory:", &s, err, sizeof err) != 0)
        fail_msg("open: %s", err);
    return s;
}

/* An alert opened `ago_s` seconds ago (event time). */
static void add_alert(store *s, int64_t id, int64_t ago_s)
{
    char sql[512];
    int64_t t = time_now_us() - ago_s * 1000000LL;
    snprintf(sql, sizeof sql,
             "INSERT INTO alerts (id, rule, scope, scope_key, scope_name, opened_us, window_from_us,"
             " window_to_us, trigger_event, matched, ratings, summary, created_us)"
             " VALUES (%lld, 'negative-streak', 0, 'clinic-1', 'Clinic', %lld, %lld, %lld, 'e1', 3,"
             " 0, 's', %lld)",
             (long long)id, (long long)t, (long long)t, (long long)t, (long long)t);
    assert_int_equal(sqlite3_exec(store_db(s), sql, NULL, NULL, NULL), SQLITE_OK);
}

static void expire_claims(store *s)
{
    assert_int_equal(sqlite3_exec(store_db(s), "UPDATE alerts SET tg_claim_until_us = 1", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
}

static void test_one_claim_wins(void **state)
{
    (void)state;
    store *s = open_mem();
    add_alert(s, 1, 10);
    int64_t a = 0, b = 0;
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "A", &a), 1);
    assert_int_equal(a, 1);
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "B", &b), 0); /* A's claim is live */
    assert_int_equal(b, 0);
    /* B cannot mark what A holds */
    assert_int_equal(alerts_tg_sent(s, 1, "B"), 0);
    assert_int_equal(sqlite3_changes(store_db(s)), 0);
    assert_int_equal(alerts_tg_sent(s, 1, "A"), 0);
    expire_claims(s);
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "B", &b), 0); /* sent: never again */
    store_close(s);
}

static void test_takeover_after_expiry(void **state)
{
    (void)state;
    store *s = open_mem();
    add_alert(s, 1, 10);
    int64_t id = 0;
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "A", &id), 1);
    expire_claims(s); /* A died */
    id = 0;
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "B", &id), 1);
    assert_int_equal(id, 1);
    assert_int_equal(alerts_tg_message_posted(s, 1), 0);
    store_close(s);
}

static void test_posted_survives_takeover(void **state)
{
    (void)state;
    store *s = open_mem();
    add_alert(s, 1, 10);
    int64_t id = 0;
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "A", &id), 1);
    assert_int_equal(alerts_tg_message_posted(s, 1), 0);
    assert_int_equal(alerts_tg_posted(s, 1, "A"), 0); /* the message went; the clip is due */
    assert_int_equal(alerts_tg_message_posted(s, 1), 1);
    /* still A's: nobody else takes it while the clip is on its way */
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "B", &id), 0);
    expire_claims(s); /* A died before the clip */
    id = 0;
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "B", &id), 1);
    assert_int_equal(id, 1);
    assert_int_equal(alerts_tg_message_posted(s, 1), 1); /* B sends only the clip */
    assert_int_equal(alerts_tg_sent(s, 1, "B"), 0);
    expire_claims(s);
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "C", &id), 0);
    /* a permanent failure gives the alert back with the mark kept */
    add_alert(s, 2, 10);
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "C", &id), 1);
    assert_int_equal(id, 2);
    assert_int_equal(alerts_tg_posted(s, 2, "C"), 0);
    assert_int_equal(alerts_tg_release(s, 2, "C"), 0);
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "D", &id), 1);
    assert_int_equal(alerts_tg_message_posted(s, 2), 1);
    assert_int_equal(alerts_tg_message_posted(s, 99), 0); /* no such alert */
    store_close(s);
}

static void test_max_age(void **state)
{
    (void)state;
    store *s = open_mem();
    add_alert(s, 1, 3 * 3600); /* history */
    add_alert(s, 2, 60);
    int64_t id = 0;
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "A", &id), 1);
    assert_int_equal(id, 2);
    assert_int_equal(alerts_tg_sent(s, 2, "A"), 0);
    assert_int_equal(alerts_tg_claim(s, 3600, 60, "A", &id), 0);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_claim_wins),
        cmocka_unit_test(test_takeover_after_expiry),
        cmocka_unit_test(test_posted_survives_takeover),
        cmocka_unit_test(test_max_age),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
