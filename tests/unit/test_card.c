/* The employee card's queries against a small database whose every number
 * is computed by hand below (TZ=UTC, so a local day is a UTC day):
 *
 * Period 2026-03-08 .. 2026-03-10 (three days). Employee e1 "Анна" at L1:
 *   03-07  r0 bad                         (before the period: nowhere)
 *   03-08  a1 a2 arrivals; r1 super (emp +); r2 bad (emp -, clip); rb1 red
 *   03-09  nothing
 *   03-10  a3 a4 a5 arrivals; r3 super (emp +, customer +: loyal);
 *          r4 so_so (emp +); r5 super (emp +); s1 silent (emp poker)
 * Employee e2 at L1: 03-08 q1 super (emp -), q2 bad (emp +).
 * Employee e3 at L2: 03-08 z1 super (emp +)   (another site: not in L1's).
 *
 * e1 over the period: R 5, P 3 -> CSAT 60; C = 2 + 3 arrivals = 5 ->
 * support 60, response 100; S 1, L 1, K 0.5 -> EmoNPS (1 - 2 - 0.5) / 6 =
 * -25; labels over contacts + - + + + poker -> smile 4/6.
 * Days: 03-08 R 2 P 1 CSAT 50, EmoNPS (0 - 1) / 2 = -50, smile 1/2;
 *       03-09 empty (CSAT null); 03-10 R 3 P 2 CSAT 66.7, EmoNPS
 *       (1 - 1 - 0.5) / 4 = -12.5, smile 3/4.
 * Calibration e1: positive 4 ratings (3 positive) 75 %, negative 1 (0) 0 %,
 *   poker none; site L1 (e1 + e2): positive 5 (3) 60 %, negative 2 (1) 50 %.
 * Incidents e1, newest first: r4 (so-so), rb1 (red button, in alert 2), r2
 * (bad, clip). Alerts: 2 (location L1 holding rb1), 1 (scope employee e1);
 * not 3 (L2's) nor 4 (e1's, before the period). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cxm/card.h"
#include "cxm/store.h"
#include "store_fixture.h"

#define US 1000000LL
#define H (3600LL * US)
#define D (24 * H)
#define D8 (1772928000LL * US) /* 2026-03-08T00:00:00Z */

static store *st;
static cxm_rules rules;

static void put(const char *id, int64_t ts, event_type t, const char *loc, const char *emp,
                const char *rating, rating_polarity p, int emp_label, int cust_label)
{
    event e = fx_event(id, ts, t, loc, "d1", emp);
    e.location_name = !strcmp(loc, "L1") ? (char *)"Клиника" : (char *)"АЗС";
    e.employee_name = !strcmp(emp, "e1") ? (char *)"Анна" : (char *)"Другой";
    e.rating = (char *)rating;
    e.polarity = p;
    if (emp_label >= 0) fx_emotion(&e.emo_employee, (emo_label)emp_label);
    if (cust_label >= 0) fx_emotion(&e.emo_customer, (emo_label)cust_label);
    bool ins;
    assert_int_equal(store_put(st, &e, &ins), 0);
    assert_true(ins);
}

static int setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    rules_default(&rules);
    char err[256];
    assert_int_equal(store_open(":memory:", &st, err, sizeof err), 0);
    assert_int_equal(store_begin(st), 0);
    put("r0", D8 - D + 10 * H, EV_RATING, "L1", "e1", "bad", POL_NEGATIVE, EMO_NEGATIVE, -1);
    put("a1", D8 + 10 * H, EV_ARRIVAL, "L1", "e1", NULL, POL_NONE, -1, -1);
    put("r1", D8 + 10 * H + 5 * 60 * US, EV_RATING, "L1", "e1", "super", POL_POSITIVE,
        EMO_POSITIVE, -1);
    put("a2", D8 + 10 * H + 10 * 60 * US, EV_ARRIVAL, "L1", "e1", NULL, POL_NONE, -1, -1);
    put("r2", D8 + 10 * H + 15 * 60 * US, EV_RATING, "L1", "e1", "bad", POL_NEGATIVE,
        EMO_NEGATIVE, -1);
    put("rb1", D8 + 10 * H + 20 * 60 * US, EV_RED_BUTTON, "L1", "e1", NULL, POL_NONE, -1, -1);
    put("q1", D8 + 11 * H, EV_RATING, "L1", "e2", "super", POL_POSITIVE, EMO_NEGATIVE, -1);
    put("q2", D8 + 12 * H, EV_RATING, "L1", "e2", "bad", POL_NEGATIVE, EMO_POSITIVE, -1);
    put("z1", D8 + 13 * H, EV_RATING, "L2", "e3", "super", POL_POSITIVE, EMO_POSITIVE, -1);
    int64_t d10 = D8 + 2 * D;
    put("a3", d10 + 9 * H, EV_ARRIVAL, "L1", "e1", NULL, POL_NONE, -1, -1);
    put("a4", d10 + 9 * H + 1 * US, EV_ARRIVAL, "L1", "e1", NULL, POL_NONE, -1, -1);
    put("a5", d10 + 9 * H + 2 * US, EV_ARRIVAL, "L1", "e1", NULL, POL_NONE, -1, -1);
    put("r3", d10 + 9 * H + 10 * 60 * US, EV_RATING, "L1", "e1", "super", POL_POSITIVE,
        EMO_POSITIVE, EMO_POSITIVE);
    put("r4", d10 + 9 * H + 20 * 60 * US, EV_RATING, "L1", "e1", "so_so", POL_NEUTRAL,
        EMO_POSITIVE, -1);
    put("r5", d10 + 9 * H + 25 * 60 * US, EV_RATING, "L1", "e1", "super", POL_POSITIVE,
        EMO_POSITIVE, -1);
    put("s1", d10 + 9 * H + 30 * 60 * US, EV_SILENT, "L1", "e1", NULL, POL_NONE, EMO_POKER, -1);
    /* a clip for r2 */
    event c = fx_event("c1", D8 + 10 * H + 16 * 60 * US, EV_CLIP, "L1", "d1", "e1");
    c.ref = (char *)"r2";
    c.clip_kind = (char *)"after_rating";
    c.clip_url = (char *)"http://x/r2.wav";
    bool ins;
    assert_int_equal(store_put(st, &c, &ins), 0);
    assert_int_equal(store_commit(st), 0);
    char sql[2048];
    snprintf(sql, sizeof sql,
             "INSERT INTO alerts (id, rule, scope, scope_key, scope_name, opened_us, "
             "window_from_us, window_to_us, trigger_event, matched, ratings, summary, created_us) "
             "VALUES (1, 'bad', 2, 'e1', 'Анна', %lld, 0, 0, 'r2', 1, 0, 's', 0), "
             "(2, 'red', 0, 'L1', 'Клиника', %lld, 0, 0, 'rb1', 1, 0, 's', 0), "
             "(3, 'red', 0, 'L2', 'АЗС', %lld, 0, 0, 'z1', 1, 0, 's', 0), "
             "(4, 'bad', 2, 'e1', 'Анна', %lld, 0, 0, 'r0', 1, 0, 's', 0);"
             "INSERT INTO alert_events (alert_id, event_id) VALUES (1, 'r2'), (2, 'rb1'), "
             "(3, 'z1'), (4, 'r0');",
             (long long)(D8 + 10 * H + 15 * 60 * US), (long long)(D8 + 10 * H + 20 * 60 * US),
             (long long)(D8 + 13 * H), (long long)(D8 - D + 10 * H));
    assert_int_equal(sqlite3_exec(store_db(st), sql, NULL, NULL, NULL), SQLITE_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    return 0;
}

static void load(card_data *d)
{
    char err[256];
    assert_int_equal(card_load(st, &rules, "e1", "L1", D8, D8 + 3 * D, 0.5, d, err, sizeof err), 0);
}

static void test_who(void **state)
{
    (void)state;
    card_who w;
    char err[256];
    assert_int_equal(card_who_get(st, "e1", &w, err, sizeof err), 0);
    assert_string_equal(w.name, "Анна");
    assert_string_equal(w.location_id, "L1");
    assert_string_equal(w.location_name, "Клиника");
    assert_string_equal(w.desk, "d1");
    assert_int_equal(w.emo_now, EMO_POKER); /* the silent's label, the latest */
    assert_int_equal(card_who_get(st, "nobody", &w, err, sizeof err), 1);
}

static void test_totals(void **state)
{
    (void)state;
    card_data d;
    load(&d);
    assert_int_equal(d.total.c.ratings_total, 5);
    assert_int_equal(d.total.c.positive, 3);
    assert_int_equal(d.total.c.customers, 5);
    assert_int_equal(d.total.c.silent, 1);
    assert_int_equal(d.total.c.red_buttons, 1);
    assert_true(fabs(d.total.v.csat - 60.0) < 1e-9);
    assert_true(fabs(d.total.v.support_index - 60.0) < 1e-9);
    assert_true(fabs(d.total.v.response_rate - 100.0) < 1e-9);
    assert_true(fabs(d.total.v.emonps - (-25.0)) < 1e-9);
    assert_true(fabs(d.total.v.smile_share - 4.0 / 6.0) < 1e-9);
    card_data_free(&d);
}

static void test_days(void **state)
{
    (void)state;
    card_data d;
    load(&d);
    assert_int_equal(d.ndays, 3);
    assert_string_equal(d.days[0].day, "2026-03-08");
    assert_string_equal(d.days[1].day, "2026-03-09");
    assert_string_equal(d.days[2].day, "2026-03-10");
    assert_int_equal(d.days[0].start_us, D8);
    assert_true(d.days[0].any);
    assert_false(d.days[1].any);
    assert_true(d.days[2].any);
    assert_int_equal(d.days[0].c.ratings_total, 2);
    assert_int_equal(d.days[0].c.customers, 2);
    assert_true(fabs(card_day_metric(&d.days[0], CARD_M_CSAT) - 50.0) < 1e-9);
    assert_true(fabs(card_day_metric(&d.days[0], CARD_M_EMONPS) - (-50.0)) < 1e-9);
    assert_true(fabs(card_day_metric(&d.days[0], CARD_M_SMILE) - 50.0) < 1e-9);
    assert_true(card_day_metric(&d.days[1], CARD_M_RATINGS) == 0.0);
    assert_true(isnan(card_day_metric(&d.days[1], CARD_M_CSAT)));
    assert_true(isnan(card_day_metric(&d.days[1], CARD_M_EMONPS)));
    assert_int_equal(d.days[2].c.ratings_total, 3);
    assert_int_equal(d.days[2].c.customers, 3);
    assert_true(fabs(card_day_metric(&d.days[2], CARD_M_CSAT) - 200.0 / 3.0) < 1e-9);
    assert_true(fabs(card_day_metric(&d.days[2], CARD_M_EMONPS) - (-12.5)) < 1e-9);
    assert_true(fabs(card_day_metric(&d.days[2], CARD_M_SMILE) - 75.0) < 1e-9);
    /* the days add up to the period */
    int64_t r = 0, c = 0;
    for (size_t i = 0; i < d.ndays; i++) {
        r += d.days[i].c.ratings_total;
        c += d.days[i].c.customers;
    }
    assert_int_equal(r, d.total.c.ratings_total);
    assert_int_equal(c, d.total.c.customers);
    card_data_free(&d);
}

static void test_calibration(void **state)
{
    (void)state;
    card_data d;
    load(&d);
    int64_t tot, pos;
    assert_true(fabs(card_calibration(&d.total.c, &rules, EMO_POSITIVE, &tot, &pos) - 75.0) < 1e-9);
    assert_int_equal(tot, 4);
    assert_int_equal(pos, 3);
    assert_true(fabs(card_calibration(&d.total.c, &rules, EMO_NEGATIVE, &tot, &pos)) < 1e-9);
    assert_int_equal(tot, 1);
    assert_true(isnan(card_calibration(&d.total.c, &rules, EMO_POKER, &tot, &pos)));
    assert_int_equal(tot, 0);
    assert_true(d.have_site);
    assert_true(fabs(card_calibration(&d.site.c, &rules, EMO_POSITIVE, &tot, &pos) - 60.0) < 1e-9);
    assert_int_equal(tot, 5);
    assert_int_equal(pos, 3);
    assert_true(fabs(card_calibration(&d.site.c, &rules, EMO_NEGATIVE, &tot, &pos) - 50.0) < 1e-9);
    assert_int_equal(tot, 2);
    card_data_free(&d);
}

static void test_incidents_alerts(void **state)
{
    (void)state;
    card_data d;
    load(&d);
    assert_int_equal(d.ninc, 3);
    assert_string_equal(d.inc[0].event_id, "r4");
    assert_int_equal(d.inc[0].polarity, POL_NEUTRAL);
    assert_string_equal(d.inc[0].rating, "so_so");
    assert_false(d.inc[0].has_clip);
    assert_string_equal(d.inc[1].event_id, "rb1");
    assert_int_equal(d.inc[1].type, EV_RED_BUTTON);
    assert_true(d.inc[1].in_alert);
    assert_string_equal(d.inc[2].event_id, "r2");
    assert_true(d.inc[2].has_clip);
    assert_int_equal(d.inc[2].emo_employee, EMO_NEGATIVE);
    assert_false(d.inc_more);
    assert_int_equal(d.nalerts, 2);
    assert_int_equal(d.alerts[0].id, 2);
    assert_int_equal(d.alerts[1].id, 1);
    card_data_free(&d);
}

static void test_spark_levels(void **state)
{
    (void)state;
    const double v[] = {2, 0, 4, NAN};
    int l[4];
    card_spark_levels(v, 4, true, l);
    assert_int_equal(l[0], 4); /* 2/4 of 7 = 3.5, rounded away from zero */
    assert_int_equal(l[1], 0);
    assert_int_equal(l[2], 7);
    assert_int_equal(l[3], -1);
    const double f[] = {50, 50};
    card_spark_levels(f, 2, false, l);
    assert_int_equal(l[0], 3);
    const double z[] = {0, 0};
    card_spark_levels(z, 2, true, l);
    assert_int_equal(l[1], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who),           cmocka_unit_test(test_totals),
        cmocka_unit_test(test_days),          cmocka_unit_test(test_calibration),
        cmocka_unit_test(test_incidents_alerts), cmocka_unit_test(test_spark_levels),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
