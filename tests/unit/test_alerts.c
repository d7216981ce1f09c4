/* The alert engine on constructed events in a real (in-memory) store: the
 * default rules of DESIGN §9, windows, cooldown, share rule, scopes, the
 * open -> acknowledged -> closed transitions and their errors, order and
 * duplicate independence, the rescan, and that the window counts use the
 * partial indexes of 010_alerts.sql. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cxm/alerts.h"
#include "cxm/timefmt.h"
#include "cxm/config.h"
#include "cxm/store.h"
#include "store/alerts_internal.h"
#include "store/store_internal.h"
#include "store_fixture.h"

#define T0 1795421700000000LL /* 2026-11-23T07:35:00Z */
#define MIN (60LL * 1000000)

typedef struct {
    store *s;
    cxm_config cfg;
    int seq;
} fx;

static store *open_mem(void)
{
    store *s = NULL;
    char err[512];
    if (store_open(":memory:", &s, err, sizeof err) != 0)
        fail_msg("open: %s", err);
    return s;
}

/* DESIGN §9's rules written out here, so these tests pin the engine's
 * behaviour independently of the config defaults (checked separately). */
static alert_rule rule_burst(alert_scope sc, int cooldown_s)
{
    alert_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "burst");
    r.types_mask = 1u << EV_RATING | 1u << EV_RED_BUTTON;
    r.match_negative = true;
    r.count_threshold = 3;
    r.window_s = 30 * 60;
    r.scope = sc;
    r.cooldown_s = cooldown_s;
    return r;
}

static alert_rule rule_share(alert_scope sc)
{
    alert_rule r;
    memset(&r, 0, sizeof r);
    snprintf(r.name, sizeof r.name, "unhappy");
    r.types_mask = 1u << EV_RATING;
    r.match_negative = true;
    r.share_threshold = 0.5;
    r.min_ratings = 4;
    r.window_s = 15 * 60;
    r.scope = sc;
    r.cooldown_s = 30 * 60;
    return r;
}

static int setup_rules(void **state, const alert_rule *rules, int n)
{
    fx *f = calloc(1, sizeof *f);
    f->s = open_mem();
    config_defaults(&f->cfg);
    f->cfg.nalerts = n;
    for (int i = 0; i < n; i++)
        f->cfg.alerts[i] = rules[i];
    *state = f;
    return 0;
}

static int setup_burst(void **state)
{
    alert_rule r = rule_burst(ALERT_SCOPE_LOCATION, 30 * 60);
    return setup_rules(state, &r, 1);
}

static int setup_share(void **state)
{
    alert_rule r = rule_share(ALERT_SCOPE_LOCATION);
    return setup_rules(state, &r, 1);
}

static int setup_desk(void **state)
{
    alert_rule r = rule_burst(ALERT_SCOPE_DESK, 30 * 60);
    return setup_rules(state, &r, 1);
}

static int setup_employee(void **state)
{
    alert_rule r = rule_burst(ALERT_SCOPE_EMPLOYEE, 30 * 60);
    return setup_rules(state, &r, 1);
}

static int setup_defaults(void **state)
{
    fx *f = calloc(1, sizeof *f);
    f->s = open_mem();
    config_defaults(&f->cfg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->s);
    config_free(&f->cfg);
    free(f);
    return 0;
}

/* An event with a unique id; `what` is "bad", "so_so", "super" (ratings),
 * "red", "silent", "emotion". */
static event mk(fx *f, int64_t ts, const char *what, const char *loc, const char *desk,
                const char *emp)
{
    static char ids[4096][32];
    int k = f->seq++ % 4096;
    snprintf(ids[k], sizeof ids[k], "ev-%d", f->seq);
    event_type t = EV_RATING;
    if (!strcmp(what, "red"))
        t = EV_RED_BUTTON;
    else if (!strcmp(what, "silent"))
        t = EV_SILENT;
    else if (!strcmp(what, "emotion"))
        t = EV_EMOTION;
    event e = fx_event(ids[k], ts, t, loc, desk, emp);
    if (t == EV_RATING) {
        e.rating = (char *)what;
        e.polarity = !strcmp(what, "bad") ? POL_NEGATIVE : !strcmp(what, "super") ? POL_POSITIVE : POL_NEUTRAL;
    }
    return e;
}

/* Stores one pass of events in one transaction and checks them there, as
 * the hub and import do. Returns what alerts_check returned. */
static int pass(fx *f, const event *evs, size_t n)
{
    assert_int_equal(store_begin(f->s), 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(store_put(f->s, &evs[i], NULL), 0);
    int rc = alerts_check(f->s, &f->cfg, evs, n);
    assert_int_equal(store_commit(f->s), 0);
    return rc;
}

static int put1(fx *f, int64_t ts, const char *what)
{
    event e = mk(f, ts, what, "clinic-1", "reg-1", "e1");
    return pass(f, &e, 1);
}

static size_t nalerts(fx *f, int open_only)
{
    alert_info *a;
    size_t n;
    assert_int_equal(alerts_list(f->s, open_only, &a, &n), 0);
    free(a);
    return n;
}

static alert_info first_alert(fx *f)
{
    alert_info *a, out;
    size_t n;
    assert_int_equal(alerts_list(f->s, 0, &a, &n), 0);
    assert_true(n >= 1);
    out = a[0];
    free(a);
    return out;
}

/* ---- count rule ---- */

static void test_three_opens_exactly_one(void **state)
{
    fx *f = *state;
    assert_int_equal(put1(f, T0, "bad"), 0);
    assert_int_equal(put1(f, T0 + 10 * MIN, "red"), 0);
    assert_int_equal(nalerts(f, 0), 0);
    assert_int_equal(put1(f, T0 + 20 * MIN, "bad"), 1);
    assert_int_equal(nalerts(f, 0), 1);
    alert_info a = first_alert(f);
    assert_string_equal(a.rule, "burst");
    assert_string_equal(a.scope_key, "clinic-1");
    assert_int_equal(a.scope, ALERT_SCOPE_LOCATION);
    assert_int_equal(a.state, ALERT_OPEN);
    assert_int_equal(a.opened_us, T0 + 20 * MIN);
    assert_int_equal(a.window_from_us, T0 - 10 * MIN);
    assert_int_equal(a.window_to_us, T0 + 20 * MIN);
    assert_int_equal(a.nevents, 3);
    assert_non_null(strstr(a.summary, "3 bad/red_button in 30 min at clinic-1"));
    assert_int_equal(a.matched, 3);
    assert_int_equal(a.ratings, 0);
    assert_string_equal(a.scope_name, "clinic-1");
    assert_int_equal(alerts_open_count(f->s), 1);

    /* The pile-up goes on inside the cooldown: no second alert, the event
     * joins the open one. */
    assert_int_equal(put1(f, T0 + 25 * MIN, "bad"), 0);
    assert_int_equal(nalerts(f, 0), 1);
    assert_int_equal(first_alert(f).nevents, 4);

    char(*ids)[EVENT_ID_MAX + 1];
    size_t n;
    assert_int_equal(alerts_events(f->s, a.id, &ids, &n), 0);
    assert_int_equal(n, 4);
    assert_string_equal(ids[0], "ev-1"); /* time order */
    assert_string_equal(ids[3], "ev-4");
    free(ids);
}

static void test_two_do_not(void **state)
{
    fx *f = *state;
    assert_int_equal(put1(f, T0, "bad"), 0);
    assert_int_equal(put1(f, T0 + 5 * MIN, "red"), 0);
    /* neither neutral/positive ratings nor other types count */
    assert_int_equal(put1(f, T0 + 6 * MIN, "so_so"), 0);
    assert_int_equal(put1(f, T0 + 7 * MIN, "super"), 0);
    assert_int_equal(put1(f, T0 + 8 * MIN, "silent"), 0);
    assert_int_equal(put1(f, T0 + 9 * MIN, "emotion"), 0);
    assert_int_equal(nalerts(f, 0), 0);
    assert_int_equal(alerts_open_count(f->s), 0);
    /* and another location's bad rating is not ours */
    event e = mk(f, T0 + 10 * MIN, "bad", "station-7", "till-1", "e9");
    assert_int_equal(pass(f, &e, 1), 0);
    assert_int_equal(nalerts(f, 0), 0);
}

static void test_31_minutes_apart(void **state)
{
    fx *f = *state;
    assert_int_equal(put1(f, T0, "bad"), 0);
    assert_int_equal(put1(f, T0 + 15 * MIN, "bad"), 0);
    assert_int_equal(put1(f, T0 + 31 * MIN, "bad"), 0);
    assert_int_equal(nalerts(f, 0), 0);
    /* the window is inclusive: exactly 30 min still counts */
    assert_int_equal(put1(f, T0 + 45 * MIN, "bad"), 1);
}

static void test_cooldown(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 3; i++)
        put1(f, T0 + i * MIN, "bad");
    assert_int_equal(nalerts(f, 0), 1);
    alert_info a = first_alert(f);
    assert_int_equal(alerts_close(f->s, a.id, "tester", "talked to the desk"), 0);
    /* closed, but within the 30 min cooldown: three more open nothing and
     * are not added to the closed alert */
    for (int i = 10; i < 13; i++)
        assert_int_equal(put1(f, T0 + i * MIN, "bad"), 0);
    assert_int_equal(nalerts(f, 0), 1);
    assert_int_equal(first_alert(f).nevents, 3);
    /* after the cooldown a new pile-up opens a new alert */
    for (int i = 50; i < 52; i++)
        assert_int_equal(put1(f, T0 + i * MIN, "bad"), 0);
    assert_int_equal(put1(f, T0 + 52 * MIN, "bad"), 1);
    assert_int_equal(nalerts(f, 0), 2);
    /* a forgotten open alert does not silence the next episode either */
    for (int i = 100; i < 103; i++)
        put1(f, T0 + i * MIN, "bad");
    assert_int_equal(nalerts(f, 0), 3);
    assert_int_equal(nalerts(f, 1), 2);
}

static void test_out_of_order_and_duplicates(void **state)
{
    fx *f = *state;
    event e[5];
    for (int i = 0; i < 5; i++)
        e[i] = mk(f, T0 + (4 - i) * MIN, "bad", "clinic-1", "reg-1", "e1"); /* newest first */
    assert_int_equal(pass(f, e, 5), 1);
    assert_int_equal(nalerts(f, 0), 1);
    assert_int_equal(first_alert(f).nevents, 5);
    /* the same events checked again (a feed replaying them) open nothing */
    assert_int_equal(store_begin(f->s), 0);
    assert_int_equal(alerts_check(f->s, &f->cfg, e, 5), 0);
    assert_int_equal(store_commit(f->s), 0);
    assert_int_equal(nalerts(f, 0), 1);
}

static void test_without_caller_transaction(void **state)
{
    fx *f = *state;
    event e[3];
    for (int i = 0; i < 3; i++) {
        e[i] = mk(f, T0 + i * MIN, "red", "clinic-1", "reg-2", "e2");
        assert_int_equal(store_put(f->s, &e[i], NULL), 0); /* autocommitted */
    }
    assert_int_equal(alerts_check(f->s, &f->cfg, e, 3), 1);
    assert_int_equal(nalerts(f, 0), 1);
}

/* ---- share rule ---- */

static void test_share(void **state)
{
    fx *f = *state;
    /* 1 of 4 unhappy: nothing */
    put1(f, T0, "bad");
    put1(f, T0 + 1 * MIN, "super");
    put1(f, T0 + 2 * MIN, "super");
    assert_int_equal(put1(f, T0 + 3 * MIN, "so_so"), 0);
    /* 2 of 5 (40 %): nothing */
    assert_int_equal(put1(f, T0 + 4 * MIN, "bad"), 0);
    /* 3 of 6 = 50 % with >= 4 ratings: opens */
    assert_int_equal(put1(f, T0 + 5 * MIN, "bad"), 1);
    alert_info a = first_alert(f);
    assert_string_equal(a.rule, "unhappy");
    assert_int_equal(a.nevents, 3); /* the unhappy ratings of the window */
    assert_non_null(strstr(a.summary, "3 of 6 ratings bad (50 %) in 15 min"));
    assert_int_equal(a.matched, 3);
    assert_int_equal(a.ratings, 6);
}

static void test_share_minimum(void **state)
{
    fx *f = *state;
    /* 3 of 3 bad: 100 %, but fewer than 4 ratings */
    put1(f, T0, "bad");
    put1(f, T0 + 1 * MIN, "bad");
    assert_int_equal(put1(f, T0 + 2 * MIN, "bad"), 0);
    assert_int_equal(nalerts(f, 0), 0);
    /* a happy rating completes the minimum: 3 of 4 */
    assert_int_equal(put1(f, T0 + 3 * MIN, "super"), 1);
}

static void test_share_window(void **state)
{
    fx *f = *state;
    put1(f, T0, "bad");
    put1(f, T0 + 1 * MIN, "bad");
    /* 16 min later the two bad ones have left the 15 min window */
    put1(f, T0 + 17 * MIN, "super");
    assert_int_equal(put1(f, T0 + 17 * MIN + 1, "bad"), 0);
    assert_int_equal(nalerts(f, 0), 0);
}

/* ---- scopes ---- */

static void test_scope_desk(void **state)
{
    fx *f = *state;
    event e[3] = {mk(f, T0, "bad", "clinic-1", "reg-1", "e1"),
                  mk(f, T0 + MIN, "bad", "clinic-1", "reg-2", "e2"),
                  mk(f, T0 + 2 * MIN, "red", "clinic-1", "reg-1", "e1")};
    assert_int_equal(pass(f, e, 3), 0); /* 2 + 1 per desk */
    /* the same desk name at another location is another desk */
    event o = mk(f, T0 + 3 * MIN, "bad", "station-7", "reg-1", "e5");
    assert_int_equal(pass(f, &o, 1), 0);
    event g = mk(f, T0 + 4 * MIN, "bad", "clinic-1", "reg-1", "e3");
    assert_int_equal(pass(f, &g, 1), 1);
    alert_info a = first_alert(f);
    assert_string_equal(a.scope_key, "clinic-1/reg-1");
    assert_string_equal(a.scope_name, "reg-1, clinic-1");
    assert_int_equal(a.scope, ALERT_SCOPE_DESK);
    assert_int_equal(a.nevents, 3);
}

static void test_scope_employee(void **state)
{
    fx *f = *state;
    event e[3] = {mk(f, T0, "bad", "clinic-1", "reg-1", "e17"),
                  mk(f, T0 + MIN, "bad", "clinic-1", "reg-1", "e18"),
                  mk(f, T0 + 2 * MIN, "bad", "clinic-1", "reg-2", "e17")};
    e[0].employee_name = "Анна Петрова";
    assert_int_equal(pass(f, e, 3), 0);
    /* an event without an employee cannot count per employee */
    event none = mk(f, T0 + 3 * MIN, "red", "clinic-1", "reg-1", NULL);
    assert_int_equal(pass(f, &none, 1), 0);
    event g = mk(f, T0 + 4 * MIN, "red", "station-7", "till-1", "e17"); /* moved desks: still e17 */
    g.employee_name = "Анна Петрова";
    assert_int_equal(pass(f, &g, 1), 1);
    alert_info a = first_alert(f);
    assert_string_equal(a.scope_key, "e17");
    assert_non_null(strstr(a.summary, "for Анна Петрова (e17)"));
    assert_string_equal(a.scope_name, "Анна Петрова");
}

/* ---- transitions ---- */

static void test_ack_close(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 3; i++)
        put1(f, T0 + i * MIN, "bad");
    alert_info a = first_alert(f);
    char msg[256];

    assert_int_equal(alerts_ack(f->s, a.id, "anna"), 0);
    assert_int_equal(alerts_open_count(f->s), 0); /* the bell stops */
    assert_int_equal(nalerts(f, 1), 1);           /* still to be closed */
    assert_int_equal(alerts_get(f->s, a.id, &a), 0);
    assert_int_equal(a.state, ALERT_ACKED);
    assert_string_equal(a.acked_by, "anna");
    assert_true(a.acked_us > 0);

    assert_int_equal(alerts_ack(f->s, a.id, "boris"), ALERTS_ALREADY_ACKED);
    alerts_strerror(f->s, ALERTS_ALREADY_ACKED, a.id, msg, sizeof msg);
    assert_non_null(strstr(msg, "already acknowledged (by anna"));
    { /* the one date format of the tables (DD.MM.YYYY HH:MM), not ISO */
        char want[64], when[32];
        time_format_local(a.acked_us, "%d.%m.%Y %H:%M", when, sizeof when);
        snprintf(want, sizeof want, "(by anna at %s)", when);
        assert_non_null(strstr(msg, want));
    }

    assert_int_equal(alerts_close(f->s, a.id, "boris", "queue at reg-1, added a desk"), 0);
    assert_int_equal(alerts_get(f->s, a.id, &a), 0);
    assert_int_equal(a.state, ALERT_CLOSED);
    assert_string_equal(a.closed_by, "boris");
    assert_string_equal(a.acked_by, "anna");
    assert_string_equal(a.comment, "queue at reg-1, added a desk");
    assert_int_equal(nalerts(f, 1), 0);
    assert_int_equal(nalerts(f, 0), 1);

    /* optimistic: a second supervisor acting on it gets a clear error */
    assert_int_equal(alerts_close(f->s, a.id, "anna", "dup"), ALERTS_ALREADY_CLOSED);
    assert_int_equal(alerts_ack(f->s, a.id, "anna"), ALERTS_ALREADY_CLOSED);
    alerts_strerror(f->s, ALERTS_ALREADY_CLOSED, a.id, msg, sizeof msg);
    assert_non_null(strstr(msg, "already closed (by boris"));
    assert_int_equal(alerts_get(f->s, a.id, &a), 0);
    assert_string_equal(a.comment, "queue at reg-1, added a desk"); /* untouched */

    assert_int_equal(alerts_ack(f->s, 9999, "anna"), ALERTS_NOT_FOUND);
    assert_int_equal(alerts_close(f->s, 9999, "anna", NULL), ALERTS_NOT_FOUND);
    alerts_strerror(f->s, ALERTS_NOT_FOUND, 9999, msg, sizeof msg);
    assert_string_equal(msg, "alert 9999 not found");
}

static void test_close_without_ack(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 3; i++)
        put1(f, T0 + i * MIN, "red");
    alert_info a = first_alert(f);
    assert_int_equal(alerts_close(f->s, a.id, NULL, NULL), 0); /* NULL: the OS user */
    assert_int_equal(alerts_get(f->s, a.id, &a), 0);
    assert_int_equal(a.state, ALERT_CLOSED);
    assert_string_equal(a.closed_by, alerts_os_user());
    assert_string_equal(a.comment, "");
    assert_true(alerts_os_user()[0] != 0);
}

/* ---- the default rules of the config (DESIGN §9) ---- */

static void test_config_defaults(void **state)
{
    fx *f = *state;
    assert_int_equal(f->cfg.nalerts, 2);
    /* 3 bad or red_button within 30 min per location */
    put1(f, T0, "bad");
    put1(f, T0 + 10 * MIN, "red");
    assert_int_equal(nalerts(f, 0), 0);
    put1(f, T0 + 20 * MIN, "bad");
    /* only the count rule: the share rule's window holds one rating */
    assert_int_equal(nalerts(f, 0), 1);
    /* an hour later at another location: 2 bad of 4 ratings in 15 min */
    int64_t t = T0 + 120 * MIN;
    event e[4] = {mk(f, t, "super", "station-7", "till-1", "e5"),
                  mk(f, t + MIN, "bad", "station-7", "till-1", "e5"),
                  mk(f, t + 2 * MIN, "so_so", "station-7", "till-2", "e6"),
                  mk(f, t + 3 * MIN, "bad", "station-7", "till-2", "e6")};
    assert_int_equal(pass(f, e, 4), 1);
    assert_int_equal(nalerts(f, 0), 2);
}

/* ---- rescan and cost ---- */

static void test_rescan(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 3; i++) {
        event e = mk(f, T0 + i * MIN, "bad", "clinic-1", "reg-1", "e1");
        assert_int_equal(store_put(f->s, &e, NULL), 0); /* stored without a check */
    }
    assert_int_equal(nalerts(f, 0), 0);
    assert_int_equal(alerts_rescan(f->s, &f->cfg, INT64_MIN, INT64_MAX), 1);
    assert_int_equal(alerts_rescan(f->s, &f->cfg, INT64_MIN, INT64_MAX), 0);
    assert_int_equal(nalerts(f, 0), 1);
    assert_int_equal(first_alert(f).nevents, 3);
}

static void expect_index(store *s, const char *sql, const char *index)
{
    char q[1024];
    snprintf(q, sizeof q, "EXPLAIN QUERY PLAN %s", sql);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(s), q, -1, &st, NULL), SQLITE_OK);
    bool found = false;
    char plan[1024] = "";
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        strncat(plan, d, sizeof plan - strlen(plan) - 2);
        strcat(plan, ";");
        if (strstr(d, index))
            found = true;
    }
    sqlite3_finalize(st);
    if (!found)
        fail_msg("plan without %s: %s", index, plan);
}

static void expect_no_temp(store *s, const char *sql)
{
    char q[1024];
    snprintf(q, sizeof q, "EXPLAIN %s", sql);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(s), q, -1, &st, NULL), SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 1);
        if (!strcmp(op, "OpenEphemeral") || !strcmp(op, "SorterOpen"))
            fail_msg("%s in the plan of %s", op, sql);
    }
    sqlite3_finalize(st);
}

/* The engine's real SQL: each window count is answered from its covering
 * partial index alone (no table row read), the linked ids walk the same index,
 * and no plan builds a temporary table (an IN list or a sorter per event). */
static void test_window_queries_use_the_indexes(void **state)
{
    fx *f = *state;
    static const char *const idx[3] = {"events_alert_location", "events_alert_desk",
                                       "events_alert_employee"};
    char want[96];
    for (int sc = 0; sc < 3; sc++) {
        snprintf(want, sizeof want, "USING COVERING INDEX %s", idx[sc]);
        expect_index(f->s, alerts_window_sql(sc, false), want);
        expect_index(f->s, alerts_window_sql(sc, true), idx[sc]);
        expect_no_temp(f->s, alerts_window_sql(sc, false));
        expect_no_temp(f->s, alerts_window_sql(sc, true));
    }
    expect_index(f->s, alerts_near_sql(), "alerts_rule_scope");
    expect_no_temp(f->s, alerts_near_sql());
    /* the event-time walk: previous and next stored alert, next candidate */
    for (int k = 0; k < 2; k++) {
        expect_index(f->s, alerts_walk_sql(k), "alerts_rule_scope");
        expect_no_temp(f->s, alerts_walk_sql(k));
    }
    for (int sc = 0; sc < 3; sc++) {
        snprintf(want, sizeof want, "USING COVERING INDEX %s", idx[sc]);
        expect_index(f->s, alerts_walk_sql(2 + sc), want);
        expect_no_temp(f->s, alerts_walk_sql(2 + sc));
    }
}

/* A long busy stretch in one pass: 20,000 emotion and positive events with
 * a bad rating every 20 minutes never make 3 in 30 minutes. */
static void test_busy_day_no_alert(void **state)
{
    fx *f = *state;
    enum { N = 20000 };
    event *e = calloc(N, sizeof *e);
    char(*ids)[24] = calloc(N, sizeof *ids);
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "busy-%d", i);
        e[i] = fx_event(ids[i], T0 + (int64_t)i * 1000000, i % 3 ? EV_EMOTION : EV_RATING, "clinic-1",
                        "reg-1", "e1");
        if (e[i].type == EV_RATING) {
            e[i].rating = "super";
            e[i].polarity = POL_POSITIVE;
        }
        /* a bad rating every 20 min: never 3 in 30 min */
        if (i % 1200 == 0) {
            e[i].type = EV_RATING;
            e[i].rating = "bad";
            e[i].polarity = POL_NEGATIVE;
        }
    }
    assert_int_equal(pass(f, e, N), 0);
    assert_int_equal(nalerts(f, 0), 0);
    free(e);
    free(ids);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_three_opens_exactly_one, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_two_do_not, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_31_minutes_apart, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_cooldown, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_order_and_duplicates, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_without_caller_transaction, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_share, setup_share, teardown),
        cmocka_unit_test_setup_teardown(test_share_minimum, setup_share, teardown),
        cmocka_unit_test_setup_teardown(test_share_window, setup_share, teardown),
        cmocka_unit_test_setup_teardown(test_scope_desk, setup_desk, teardown),
        cmocka_unit_test_setup_teardown(test_scope_employee, setup_employee, teardown),
        cmocka_unit_test_setup_teardown(test_ack_close, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_close_without_ack, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_config_defaults, setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_rescan, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_window_queries_use_the_indexes, setup_burst, teardown),
        cmocka_unit_test_setup_teardown(test_busy_day_no_alert, setup_burst, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
