/* The incident queue: which events it lists (what the checklist applies to),
 * newest first, every status (new, claimed by another console, draft, done,
 * needs-info, and a claim that expired), the filters (status, period,
 * location, employee, mine, only inside an alert) and "next new". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "cxm/checklist.h"
#include "cxm/incidents.h"
#include "cxm/review.h"
#include "cxm/store.h"
#include "store_fixture.h"

#define US 1000000LL
#define T0 (1764000000LL * US)

static store *st;
static checklist *ck;
static char dir[512];

static const char DEF[] =
    "{\"id\": \"dissatisfaction\", \"purpose\": \"dissatisfaction\", \"title\": {\"ru\": \"П\", "
    "\"en\": \"C\"}, \"applies_to\": [\"rating:negative\", \"red_button\"], \"sections\": [{\"id\": "
    "\"s\", \"title\": {\"ru\": \"С\", \"en\": \"S\"}, \"items\": [{\"id\": \"s.a\", \"title\": "
    "{\"ru\": \"А\", \"en\": \"A\"}}]}]}";

static void put(const char *id, int64_t ts, event_type t, const char *rating, rating_polarity p,
                const char *loc, const char *emp)
{
    event e = fx_event(id, ts, t, loc, "d1", emp);
    e.rating = (char *)rating;
    e.polarity = p;
    bool ins;
    assert_int_equal(store_put(st, &e, &ins), 0);
}

static int setup(void **state)
{
    (void)state;
    char err[256], path[600];
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/q.db", dir);
    assert_int_equal(store_open(path, &st, err, sizeof err), 0);
    assert_int_equal(checklist_parse(DEF, strlen(DEF), "t", &ck, err, sizeof err), 0);
    assert_int_equal(store_begin(st), 0);
    put("n1", T0 + 1 * US, EV_RATING, "bad", POL_NEGATIVE, "L1", "e1");
    put("n2", T0 + 2 * US, EV_RED_BUTTON, NULL, POL_NONE, "L1", "e2");
    put("n3", T0 + 3 * US, EV_RATING, "bad", POL_NEGATIVE, "L2", "e1");
    put("n4", T0 + 4 * US, EV_RATING, "bad", POL_NEGATIVE, "L2", "e2");
    put("n5", T0 + 5 * US, EV_RATING, "bad", POL_NEGATIVE, "L2", "e2");
    put("n6", T0 + 6 * US, EV_RATING, "bad", POL_NEGATIVE, "L1", "e1");
    put("p1", T0 + 7 * US, EV_RATING, "super", POL_POSITIVE, "L1", "e1"); /* not an incident */
    put("s1", T0 + 8 * US, EV_SILENT, NULL, POL_NONE, "L1", "e1");        /* nor this */
    assert_int_equal(store_commit(st), 0);
    /* n2 inside an alert (the alert engine's table, written directly) */
    assert_int_equal(sqlite3_exec(store_db(st),
                                  "INSERT INTO alerts (id, rule, scope, scope_key, scope_name, "
                                  "opened_us, window_from_us, window_to_us, trigger_event, matched, "
                                  "ratings, summary, created_us) VALUES (1, 'r', 0, 'L1', 'L1', 0, "
                                  "0, 0, 'n2', 1, 0, 's', 0); INSERT INTO alert_events (alert_id, event_id) VALUES (1, "
                                  "'n2');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    review_entry e;
    /* n3 draft by bob; n4 done by alice; n5 needs info (draft) by alice */
    review_entry_init(&e, "n3", "dissatisfaction");
    snprintf(e.reviewer, sizeof e.reviewer, "bob");
    assert_int_equal(review_save(st, &e, 0, NULL), REVIEW_OK);
    review_entry_init(&e, "n4", "dissatisfaction");
    snprintf(e.reviewer, sizeof e.reviewer, "alice");
    review_entry_toggle(&e, "s.a", true, REVIEW_NO_STAMP);
    e.status = REVIEW_DONE;
    assert_int_equal(review_save(st, &e, 0, NULL), REVIEW_OK);
    review_entry_clear(&e);
    review_entry_init(&e, "n5", "dissatisfaction");
    snprintf(e.reviewer, sizeof e.reviewer, "alice");
    e.needs_info = true;
    assert_int_equal(review_save(st, &e, 0, NULL), REVIEW_OK);
    /* n6 claimed by carol (live at T0+100s), n1 claimed long ago (expired) */
    assert_int_equal(review_claim_take(st, "n6", "carol", 600 * US, T0, NULL), REVIEW_OK);
    assert_int_equal(review_claim_take(st, "n1", "dave", 60 * US, T0 - 3600 * US, NULL), REVIEW_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    checklist_free(ck);
    fx_rmdir(dir);
    return 0;
}

static size_t list(incident_query *q, incident **v)
{
    size_t n;
    char err[256];
    assert_int_equal(incidents_list(st, q, T0 + 100 * US, v, &n, err, sizeof err), 0);
    return n;
}

static void test_statuses(void **state)
{
    (void)state;
    incident_query q = {.c = ck, .from_us = INT64_MIN, .to_us = INT64_MAX, .status = -1};
    incident *v;
    size_t n = list(&q, &v);
    assert_int_equal(n, 6);
    const char *order[] = {"n6", "n5", "n4", "n3", "n2", "n1"};
    const inc_status want[] = {INC_CLAIMED, INC_NEEDS_INFO, INC_DONE, INC_DRAFT, INC_NEW, INC_NEW};
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(v[i].event_id, order[i]);
        assert_int_equal(v[i].status, want[i]);
    }
    assert_string_equal(v[0].claimed_by, "carol");
    assert_int_equal(v[0].claimed_us, T0);
    assert_string_equal(v[2].reviewer, "alice");
    assert_int_equal(v[2].revision, 1);
    assert_true(v[4].in_alert);
    assert_false(v[3].in_alert);
    assert_string_equal(v[5].claimed_by, ""); /* dave's claim expired */
    free(v);
}

static void test_filters(void **state)
{
    (void)state;
    incident *v;
    incident_query q = {.c = ck, .from_us = INT64_MIN, .to_us = INT64_MAX, .status = INC_NEW};
    assert_int_equal(list(&q, &v), 2);
    free(v);
    q.status = -1;
    q.location = "L2";
    assert_int_equal(list(&q, &v), 3);
    free(v);
    q.location = NULL;
    q.employee = "e2";
    assert_int_equal(list(&q, &v), 3); /* n2, n4, n5 */
    free(v);
    q.employee = NULL;
    q.mine = "alice";
    assert_int_equal(list(&q, &v), 2);
    free(v);
    q.mine = "carol"; /* claimed counts as mine */
    assert_int_equal(list(&q, &v), 1);
    assert_string_equal(v[0].event_id, "n6");
    free(v);
    q.mine = NULL;
    q.only_in_alert = true;
    assert_int_equal(list(&q, &v), 1);
    assert_string_equal(v[0].event_id, "n2");
    free(v);
    q.only_in_alert = false;
    q.from_us = T0 + 2 * US;
    q.to_us = T0 + 4 * US; /* [from, to) */
    assert_int_equal(list(&q, &v), 2);
    assert_string_equal(v[0].event_id, "n3");
    free(v);
    q.from_us = INT64_MIN;
    q.to_us = INT64_MAX;
    q.limit = 2;
    assert_int_equal(list(&q, &v), 2);
    free(v);
    char id[64];
    q.limit = 0;
    assert_int_equal(incidents_next_new(st, &q, T0 + 100 * US, NULL, id, sizeof id), 0);
    assert_string_equal(id, "n2");
    assert_int_equal(incidents_next_new(st, &q, T0 + 100 * US, "n2", id, sizeof id), 0);
    assert_string_equal(id, "n1");
    /* once carol's claim expires n6 is new again */
    assert_int_equal(incidents_next_new(st, &q, T0 + 3600 * US, NULL, id, sizeof id), 0);
    assert_string_equal(id, "n6");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statuses),
        cmocka_unit_test(test_filters),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
