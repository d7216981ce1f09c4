/* The view queries (include/cxm/views.h) on a real temp database: dashboard
 * sums from the rollups, keyset paging that visits every row exactly once in
 * both directions, every filter, free text with Cyrillic case folding, the
 * event detail, clip windows and the camera link. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "cxm/store.h"
#include "cxm/timefmt.h"
#include "cxm/kpi.h"
#include "cxm/views.h"
#include "store_fixture.h"

#define S 1000000LL
#define MIN (60 * S)

typedef struct {
    char dir[256];
    store *st;
    views *v;
    int64_t noon;   /* "now" for the tests: local noon today */
} fx;

static void put(fx *f, event *e)
{
    bool ins = false;
    assert_int_equal(store_put(f->st, e, &ins), 0);
    assert_true(ins);
}

/* Three employees at two locations; e1 has a Cyrillic name. Times are
 * minutes before noon. */
static int setup(void **state)
{
    setenv("TZ", "MSK-3", 1);
    tzset();
    fx *f = calloc(1, sizeof *f);
    fx_tmpdir(f->dir, sizeof f->dir);
    char path[300], err[256];
    snprintf(path, sizeof path, "%s/v.db", f->dir);
    assert_int_equal(store_open(path, &f->st, err, sizeof err), 0);
    f->v = views_new(f->st, NULL);
    assert_non_null(f->v);
    f->noon = time_local_midnight(time_now_us(), 0) + 12 * 3600 * S;
    int64_t t0 = f->noon - 180 * MIN;

    assert_int_equal(store_begin(f->st), 0);
    /* yesterday: must not count in today's sums */
    event y = fx_event("y1", f->noon - 24 * 3600 * S, EV_RATING, "clinic-1", "reg-1", "e1");
    y.rating = "bad";
    y.polarity = POL_NEGATIVE;
    put(f, &y);

    event a = fx_event("a1", t0, EV_ARRIVAL, "clinic-1", "reg-1", "e1");
    a.location_name = "Клиника на Ленина";
    a.employee_name = "Анна Петрова";
    a.visit = "v1";
    put(f, &a);
    event em = fx_event("m1", t0 + 1 * MIN, EV_EMOTION, "clinic-1", "reg-1", "e1");
    fx_emotion(&em.emo_employee, EMO_POSITIVE);
    put(f, &em);
    event r1 = fx_event("r1", t0 + 2 * MIN, EV_RATING, "clinic-1", "reg-1", "e1");
    r1.visit = "v1";
    r1.rating = "super";
    r1.polarity = POL_POSITIVE;
    r1.camera = "cam 3/a";
    fx_emotion(&r1.emo_employee, EMO_POSITIVE);
    fx_emotion(&r1.emo_customer, EMO_POSITIVE);
    put(f, &r1);
    event r2 = fx_event("r2", t0 + 70 * MIN, EV_RATING, "clinic-1", "reg-1", "e1");
    r2.rating = "bad";
    r2.polarity = POL_NEGATIVE;
    fx_emotion(&r2.emo_employee, EMO_NEGATIVE);
    put(f, &r2);
    event s1 = fx_event("s1", t0 + 80 * MIN, EV_SILENT, "clinic-1", "reg-1", "e1");
    fx_emotion(&s1.emo_employee, EMO_POKER);
    put(f, &s1);
    event rb = fx_event("rb1", t0 + 90 * MIN, EV_RED_BUTTON, "clinic-1", "reg-1", "e1");
    put(f, &rb);

    event b = fx_event("b1", t0 + 5 * MIN, EV_RATING, "clinic-1", "reg-2", "e2");
    b.employee_name = "Boris Ivanov";
    b.rating = "so_so";
    b.polarity = POL_NEUTRAL;
    put(f, &b);
    event c = fx_event("c1", t0 + 6 * MIN, EV_RATING, "petrol-7", "till-1", "e3");
    c.location_name = "АЗС №7";
    c.employee_name = "Ёлкин Пётр";
    c.rating = "super";
    c.polarity = POL_POSITIVE;
    c.clip_kind = "after_rating";
    c.clip_url = "https://x/c1.ogg";
    put(f, &c);
    /* 40 arrivals at one desk, some sharing a timestamp, for paging */
    for (int i = 0; i < 40; i++) {
        char id[32];
        snprintf(id, sizeof id, "p%02d", i);
        event p = fx_event(id, t0 + 100 * MIN + (i / 3) * S, EV_ARRIVAL, "petrol-7", "till-1", "e3");
        put(f, &p);
    }
    assert_int_equal(store_commit(f->st), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    views_free(f->v);
    store_close(f->st);
    fx_rmdir(f->dir);
    free(f);
    return 0;
}

static const views_dash_row *find(const views_dash_row *r, size_t n, const char *emp)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i].employee_id, emp) == 0)
            return &r[i];
    return NULL;
}

/* The console's first frame comes before any event: an empty database must
 * give zero rows, not a sort of a NULL array (UBSan aborts on that). */
static void test_dashboard_empty(void **state)
{
    (void)state;
    char dir[256], path[300], err[512];
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/empty.db", dir);
    store *st = NULL;
    assert_int_equal(store_open(path, &st, err, sizeof err), 0);
    views *v = views_new(st, NULL);
    assert_non_null(v);
    views_dash_row *rows = NULL;
    size_t n = 99;
    assert_int_equal(views_dashboard(v, time_now_us(), 8, &rows, &n), 0);
    assert_int_equal(n, 0);
    free(rows);
    views_free(v);
    store_close(st);
    fx_rmdir(dir);
}

static void test_dashboard(void **state)
{
    fx *f = *state;
    views_dash_row *r = NULL;
    size_t n = 0;
    assert_int_equal(views_dashboard(f->v, f->noon, 6, &r, &n), 0);
    assert_int_equal(n, 3);
    /* grouped by location name ("АЗС №7" before "Клиника..."), then desk */
    assert_string_equal(r[0].employee_id, "e3");
    assert_string_equal(r[1].employee_id, "e1");
    assert_string_equal(r[2].employee_id, "e2");
    const views_dash_row *e1 = find(r, n, "e1");
    assert_string_equal(e1->name, "Анна Петрова");
    assert_string_equal(e1->location_name, "Клиника на Ленина");
    assert_string_equal(e1->desk, "reg-1");
    assert_int_equal(e1->ratings, 2);
    assert_int_equal(e1->pos, 1);
    assert_int_equal(e1->neg, 1);
    assert_int_equal(e1->neu, 0);
    assert_int_equal(e1->silent, 1);
    assert_int_equal(e1->red_buttons, 1);
    assert_true(fabs(e1->csat - 50.0) < 1e-9);
    /* contacts with a label: r1 positive, r2 negative, s1 poker */
    assert_int_equal(e1->emo_contacts, 3);
    assert_true(fabs(e1->smile_share - 100.0 / 3.0) < 1e-9);
    assert_string_equal(e1->last_rating, "bad");
    assert_int_equal(e1->last_polarity, POL_NEGATIVE);
    assert_int_equal(e1->last_rating_emo, EMO_NEGATIVE);
    /* sparkline: 6 hours 07..12 ending with the noon hour; r1 at 09:02, r2 at 10:10 */
    int total = 0;
    for (int i = 0; i < 6; i++)
        total += e1->spark[i];
    assert_int_equal(total, 2);
    assert_int_equal(e1->spark[2], 1); /* 09:00 */
    assert_int_equal(e1->spark[3], 1); /* 10:00 */
    const views_dash_row *e2 = find(r, n, "e2");
    assert_int_equal(e2->neu, 1);
    assert_true(isnan(e2->smile_share));
    free(r);
}

/* "Today" is one definition: the dashboard and the KPI view's today count
 * the same events, those stamped later than now on today's date included,
 * and neither counts tomorrow's. */
static void test_today_one_definition(void **state)
{
    fx *f = *state;
    assert_int_equal(store_begin(f->st), 0);
    event later = fx_event("later1", f->noon + 3 * 3600 * S, EV_RATING, "clinic-1", "reg-1", "e1");
    later.rating = "super";
    later.polarity = POL_POSITIVE;
    put(f, &later);
    event tmrw = fx_event("tmrw1", f->noon + 13 * 3600 * S, EV_RATING, "clinic-1", "reg-1", "e1");
    tmrw.rating = "bad";
    tmrw.polarity = POL_NEGATIVE;
    put(f, &tmrw);
    assert_int_equal(store_commit(f->st), 0);

    views_dash_row *r = NULL;
    size_t n = 0;
    assert_int_equal(views_dashboard(f->v, f->noon, 6, &r, &n), 0);
    const views_dash_row *e1 = find(r, n, "e1");
    assert_int_equal(e1->ratings, 3); /* r1, r2 and the one at 15:00 */
    assert_int_equal(e1->pos, 2);

    kpi_query q = {.by = KPI_BY_EMPLOYEE, .k = 0.5};
    views_period_range(VIEWS_PERIOD_TODAY, f->noon, &q.from_us, &q.to_us);
    kpi_row *rows = NULL;
    size_t nrows = 0;
    char err[256];
    assert_int_equal(kpi_run(f->st, NULL, &q, &rows, &nrows, err, sizeof err), 0);
    for (size_t i = 0; i < n; i++) {
        const kpi_row *k = NULL;
        for (size_t j = 0; j < nrows; j++)
            if (!strcmp(rows[j].key, r[i].employee_id)) k = &rows[j];
        int64_t kr = k ? k->c.ratings_total : 0, kp = k ? k->c.positive : 0;
        assert_int_equal(r[i].ratings, kr);
        assert_int_equal(r[i].pos, kp);
        assert_int_equal(r[i].silent, k ? k->c.silent : 0);
    }
    free(rows);
    free(r);
}

static int page_all(fx *f, const views_filter *flt, views_row *all, int cap, int page)
{
    views_key k = {INT64_MAX, INT64_MAX};
    int total = 0;
    for (;;) {
        int got = views_stream_page(f->v, flt, k, false, all + total, page);
        assert_true(got >= 0);
        if (got == 0)
            break;
        total += got;
        assert_true(total <= cap);
        k = all[total - 1].key;
    }
    return total;
}

static void test_stream_paging(void **state)
{
    fx *f = *state;
    views_row all[100];
    int n = page_all(f, NULL, all, 100, 7);
    assert_int_equal(n, 49); /* every stored event once */
    for (int i = 1; i < n; i++) {
        bool ordered = all[i - 1].key.ts_us > all[i].key.ts_us ||
                       (all[i - 1].key.ts_us == all[i].key.ts_us &&
                        all[i - 1].key.rowid > all[i].key.rowid);
        assert_true(ordered);
    }
    assert_string_equal(all[0].id, "p39");
    assert_string_equal(all[n - 1].id, "y1");
    /* newer from the middle gives the rows just above it, newest first */
    views_row up[5];
    int got = views_stream_page(f->v, NULL, all[20].key, true, up, 5);
    assert_int_equal(got, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(up[i].id, all[15 + i].id);
    views_row tail[3];
    assert_int_equal(views_stream_tail(f->v, NULL, tail, 3), 3);
    assert_string_equal(tail[2].id, "y1");
    assert_string_equal(tail[0].id, all[n - 3].id);
    int64_t lo, hi;
    assert_int_equal(views_stream_span(f->v, &lo, &hi), 0);
    assert_true(lo == all[n - 1].key.ts_us && hi == all[0].key.ts_us);
}

static void test_stream_row_fields(void **state)
{
    fx *f = *state;
    views_filter flt;
    views_filter_clear(&flt);
    snprintf(flt.text, sizeof flt.text, "c1");
    views_row r[4];
    assert_int_equal(views_stream_page(f->v, &flt, (views_key){INT64_MAX, INT64_MAX}, false, r, 4), 1);
    assert_string_equal(r[0].id, "c1");
    assert_string_equal(r[0].employee_name, "Ёлкин Пётр");
    assert_string_equal(r[0].location_name, "АЗС №7");
    assert_string_equal(r[0].rating, "super");
    assert_int_equal(r[0].polarity, POL_POSITIVE);
    assert_true(r[0].has_clip);
}

static int count(fx *f, const views_filter *flt)
{
    views_row all[100];
    return page_all(f, flt, all, 100, 50);
}

static void test_stream_filters(void **state)
{
    fx *f = *state;
    views_filter flt;
    views_filter_clear(&flt);
    assert_false(views_filter_active(&flt));
    flt.types = 1u << EV_RATING;
    assert_int_equal(count(f, &flt), 5);
    flt.types = (1u << EV_RATING) | (1u << EV_SILENT);
    assert_int_equal(count(f, &flt), 6);
    flt.types = 1u << EV_FORCE_MAJEURE;
    assert_int_equal(count(f, &flt), 0);
    views_filter_clear(&flt);
    snprintf(flt.rating, sizeof flt.rating, "bad");
    assert_int_equal(count(f, &flt), 2);
    views_filter_clear(&flt);
    flt.emo = EMO_POSITIVE;
    assert_int_equal(count(f, &flt), 2);
    flt.emo = EMO_UNKNOWN;
    assert_int_equal(count(f, &flt), 49 - 4); /* m1 r1 r2 s1 are labelled */
    views_filter_clear(&flt);
    snprintf(flt.employee, sizeof flt.employee, "e1");
    assert_int_equal(count(f, &flt), 7);
    snprintf(flt.location, sizeof flt.location, "petrol-7");
    assert_int_equal(count(f, &flt), 0);
    views_filter_clear(&flt);
    snprintf(flt.location, sizeof flt.location, "petrol-7");
    assert_int_equal(count(f, &flt), 41);
    /* free text: names case-folded (Cyrillic, ё = е), desks, visits, ids */
    views_filter_clear(&flt);
    snprintf(flt.text, sizeof flt.text, "анна");
    assert_true(views_filter_active(&flt));
    assert_int_equal(count(f, &flt), 7);
    snprintf(flt.text, sizeof flt.text, "ЕЛКИН");
    assert_int_equal(count(f, &flt), 41);
    snprintf(flt.text, sizeof flt.text, "ленина");
    assert_int_equal(count(f, &flt), 8);
    snprintf(flt.text, sizeof flt.text, "reg-2");
    assert_int_equal(count(f, &flt), 1);
    snprintf(flt.text, sizeof flt.text, "v1");
    assert_int_equal(count(f, &flt), 2);
    snprintf(flt.text, sizeof flt.text, "nobody at all");
    assert_int_equal(count(f, &flt), 0);
    /* combined */
    snprintf(flt.text, sizeof flt.text, "анна");
    flt.types = 1u << EV_RATING;
    assert_int_equal(count(f, &flt), 3); /* y1 r1 r2 */
}

static void test_filter_match_live(void **state)
{
    (void)state;
    views_filter flt;
    views_filter_clear(&flt);
    event e = fx_event("z9", 0, EV_RATING, "clinic-1", "reg-1", "e1");
    e.employee_name = "Анна Петрова";
    e.rating = "super";
    assert_true(views_filter_match(&flt, &e));
    snprintf(flt.text, sizeof flt.text, "ПЕТРОВА");
    assert_true(views_filter_match(&flt, &e));
    flt.types = 1u << EV_SILENT;
    assert_false(views_filter_match(&flt, &e));
    views_filter_clear(&flt);
    snprintf(flt.rating, sizeof flt.rating, "bad");
    assert_false(views_filter_match(&flt, &e));
    views_filter_clear(&flt);
    flt.emo = EMO_UNKNOWN;
    assert_true(views_filter_match(&flt, &e));
    fx_emotion(&e.emo_employee, EMO_MIXED);
    assert_false(views_filter_match(&flt, &e));
}

static void test_detail(void **state)
{
    fx *f = *state;
    event e;
    assert_int_equal(views_event_get(f->v, "nope", &e), 1);
    assert_int_equal(views_event_get(f->v, "r1", &e), 0);
    assert_int_equal(e.type, EV_RATING);
    assert_string_equal(e.employee_name, "Анна Петрова");
    assert_string_equal(e.visit, "v1");
    assert_string_equal(e.camera, "cam 3/a");
    assert_true(e.emo_customer.present);
    assert_int_equal(e.emo_customer.label, EMO_POSITIVE);

    views_row vr[8];
    int n = views_visit_rows(f->v, e.location_id, e.visit, vr, 8);
    assert_int_equal(n, 2);
    assert_string_equal(vr[0].id, "a1");
    assert_string_equal(vr[1].id, "r1");

    cxm_config cfg;
    memset(&cfg, 0, sizeof cfg); /* only the clip lengths matter here */
    cfg.clip_after_rating_s = 25;
    cfg.clip_around_s = 30;
    views_clip c[CLIP_KIND_COUNT];
    n = views_clip_windows(f->v, &cfg, &e, c, CLIP_KIND_COUNT);
    assert_int_equal(n, 3);
    assert_int_equal(c[0].kind, CLIP_AFTER_RATING);
    assert_true(c[0].to_us - c[0].from_us == 25 * S);
    assert_int_equal(c[1].kind, CLIP_VISIT);
    assert_true(c[1].from_us == vr[0].key.ts_us && c[1].to_us == e.ts_us);
    assert_int_equal(c[2].kind, CLIP_AROUND);
    assert_true(c[2].to_us - c[2].from_us == 2 * (int64_t)cfg.clip_around_s * S);

    char link[256];
    assert_true(views_camera_link("http://nvr/{camera}?t={ts_unix}&d={desk}", &e, link,
                                  sizeof link) > 0);
    char want[256];
    snprintf(want, sizeof want, "http://nvr/cam%%203%%2Fa?t=%lld&d=reg-1",
             (long long)(e.ts_us / S));
    assert_string_equal(link, want);
    assert_int_equal(views_camera_link(NULL, &e, link, sizeof link), -1);
    assert_int_equal(views_camera_link("{camera}", &e, link, 4), -1);
    event_clear(&e);

    assert_int_equal(views_event_get(f->v, "rb1", &e), 0);
    n = views_clip_windows(f->v, NULL, &e, c, CLIP_KIND_COUNT);
    assert_int_equal(n, 2);
    assert_int_equal(c[0].kind, CLIP_BEFORE_RED);
    assert_true(c[0].to_us == e.ts_us && c[0].from_us == e.ts_us - 60 * S);
    event_clear(&e);

    assert_int_equal(views_event_get(f->v, "c1", &e), 0);
    n = views_clip_windows(f->v, NULL, &e, c, CLIP_KIND_COUNT);
    assert_true(n >= 1);
    assert_string_equal(c[0].url, "https://x/c1.ogg");
    event_clear(&e);
}

static void test_period(void **state)
{
    fx *f = *state;
    int64_t a, b;
    views_period_range(VIEWS_PERIOD_TODAY, f->noon, &a, &b);
    assert_true(b - a == 24 * 3600 * S && a == f->noon - 12 * 3600 * S);
    views_period_range(VIEWS_PERIOD_7D, f->noon, &a, &b);
    assert_true(b - a == 7 * 24 * 3600 * S);
    views_period_range(VIEWS_PERIOD_30D, f->noon, &a, &b);
    assert_true(b - a == 30 * 24 * 3600 * S);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dashboard_empty),
        cmocka_unit_test_setup_teardown(test_dashboard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_row_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stream_filters, setup, teardown),
        cmocka_unit_test(test_filter_match_live),
        cmocka_unit_test_setup_teardown(test_detail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_period, setup, teardown),
        cmocka_unit_test_setup_teardown(test_today_one_definition, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
