/* The demo generator: deterministic from (seed, day), events in time order,
 * every event survives event_to_json -> event_parse unchanged in the fields
 * that matter, clips refer to earlier events, the day has a realistic shape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/demo.h"
#include "cxm/event.h"
#include "cxm/timefmt.h"

typedef struct {
    char **json;
    size_t n, cap;
} dump;

static void dump_day(uint64_t seed, int64_t day, dump *out)
{
    demo *d = demo_new(seed, day);
    assert_non_null(d);
    event ev;
    int r;
    memset(out, 0, sizeof *out);
    while ((r = demo_next(d, &ev)) == 1) {
        if (out->n == out->cap) {
            out->cap = out->cap ? out->cap * 2 : 1024;
            out->json = realloc(out->json, out->cap * sizeof *out->json);
            assert_non_null(out->json);
        }
        out->json[out->n] = event_to_json(&ev);
        assert_non_null(out->json[out->n]);
        out->n++;
        event_clear(&ev);
    }
    assert_int_equal(r, 0);
    assert_int_equal(demo_next(d, &ev), 0); /* stays over */
    demo_free(d);
}

static void dump_free(dump *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->json[i]);
    free(d->json);
}

static int64_t day0(void)
{
    int64_t us;
    assert_int_equal(time_parse_cli("2026-11-23", &us), 0);
    return us;
}

static void test_deterministic(void **state)
{
    (void)state;
    dump a, b, c;
    dump_day(7, day0(), &a);
    dump_day(7, day0(), &b);
    dump_day(8, day0(), &c);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_string_equal(a.json[i], b.json[i]);
    int differs = a.n != c.n;
    for (size_t i = 0; !differs && i < a.n; i++)
        differs = strcmp(a.json[i], c.json[i]) != 0;
    assert_true(differs);
    dump_free(&a);
    dump_free(&b);
    dump_free(&c);
}

static int find_id(char (*ids)[EVENT_ID_MAX + 1], size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return (int)i;
    return -1;
}

static void test_round_trip_and_shape(void **state)
{
    (void)state;
    const int64_t start = day0(), end = time_local_midnight(start, 1);
    dump a;
    dump_day(42, start, &a);
    assert_true(a.n > 1000);
    char(*ids)[EVENT_ID_MAX + 1] = calloc(a.n, sizeof *ids);
    char emps[16][16];
    int nemps = 0, ratings = 0, arrivals_clinic = 0, ratings_clinic = 0, silent = 0, served = 0;
    int64_t prev = INT64_MIN;
    assert_non_null(ids);
    for (size_t i = 0; i < a.n; i++) {
        event ev;
        char why[256];
        int rc = event_parse(a.json[i], strlen(a.json[i]), NULL, &ev, why, sizeof why);
        if (rc != EVENT_OK)
            fail_msg("event %zu rejected: %s\n%s", i, why, a.json[i]);
        assert_true(ev.ts_us >= prev);
        assert_true(ev.ts_us >= start && ev.ts_us < end);
        prev = ev.ts_us;
        assert_int_equal(find_id(ids, i, ev.id), -1); /* unique */
        snprintf(ids[i], sizeof ids[i], "%s", ev.id);
        assert_non_null(ev.location_id);
        assert_non_null(ev.desk);
        if (ev.employee_id) {
            int k;
            for (k = 0; k < nemps && strcmp(emps[k], ev.employee_id); k++)
                ;
            if (k == nemps && nemps < 16)
                snprintf(emps[nemps++], sizeof emps[0], "%s", ev.employee_id);
        }
        switch (ev.type) {
        case EV_RATING:
            ratings++;
            ratings_clinic += !strcmp(ev.location_id, "clinic-1");
            assert_non_null(ev.visit);
            assert_true(ev.emo_employee.present);
            break;
        case EV_ARRIVAL:
            arrivals_clinic += !strcmp(ev.location_id, "clinic-1");
            break;
        case EV_SILENT:
            silent++;
            break;
        case EV_SERVED:
            served++;
            assert_true(ev.count > 0);
            assert_int_equal(ev.period_s, 3600);
            break;
        case EV_CLIP:
            /* refers to an earlier event of the same day */
            assert_non_null(ev.ref);
            assert_true(find_id(ids, i, ev.ref) >= 0);
            assert_non_null(ev.clip_url);
            assert_true(!strcmp(ev.clip_kind, "after_rating") || !strcmp(ev.clip_kind, "before_red_button"));
            break;
        case EV_EMOTION:
            assert_true(ev.emo_employee.present);
            assert_int_not_equal(ev.emo_employee.label, EMO_UNKNOWN);
            break;
        default:
            break;
        }
        event_clear(&ev);
    }
    assert_in_range(nemps, 6, 8);
    assert_true(silent > 0 && served > 0 && ratings > 0);
    /* the clinic has no till: response = ratings / arrivals, 10..30 % */
    assert_in_range(ratings_clinic * 100 / arrivals_clinic, 10, 30);
    free(ids);
    dump_free(&a);
}

/* The shares of a labelled employee emotion tell the same story as the label. */
static void test_labels_match_shares(void **state)
{
    (void)state;
    dump a;
    dump_day(3, day0(), &a);
    for (size_t i = 0; i < a.n; i++) {
        event ev;
        char why[256];
        assert_int_equal(event_parse(a.json[i], strlen(a.json[i]), NULL, &ev, why, sizeof why), EVENT_OK);
        if (ev.emo_employee.present && ev.emo_employee.positive >= 0) {
            event_emotion bare = ev.emo_employee;
            bare.label = EMO_UNKNOWN;
            if (emotion_classify(&bare, NULL) != ev.emo_employee.label)
                fail_msg("%s: label %s, shares say %s", ev.id, emo_label_name(ev.emo_employee.label),
                         emo_label_name(emotion_classify(&bare, NULL)));
        }
        event_clear(&ev);
    }
    dump_free(&a);
}

int main(void)
{
    setenv("TZ", "UTC-3", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_round_trip_and_shape),
        cmocka_unit_test(test_labels_match_shares),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
