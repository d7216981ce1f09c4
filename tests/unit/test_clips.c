/* Clip windows (include/cxm/clips.h): kinds per event type, lengths from the
 * config, the visit from its arrival to its rating or silent. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/clips.h"
#include "store_fixture.h"

#define S 1000000LL
#define T 1795418102120000LL

static void test_names(void **state)
{
    (void)state;
    for (int k = 0; k < CLIP_KIND_COUNT; k++)
        assert_int_equal(clip_kind_from_name(clip_kind_name((clip_kind)k)), k);
    assert_int_equal(clip_kind_from_name("before_red"), -1);
    assert_int_equal(clip_kind_from_name(NULL), -1);
    assert_string_equal(clip_kind_name(CLIP_BEFORE_RED), "before_red_button");
    assert_int_equal(clip_main_kind(EV_RATING), CLIP_AFTER_RATING);
    assert_int_equal(clip_main_kind(EV_RED_BUTTON), CLIP_BEFORE_RED);
    assert_int_equal(clip_main_kind(EV_SILENT), CLIP_AROUND);
    assert_int_equal(clip_main_kind(EV_FORCE_MAJEURE), CLIP_AROUND);
}

static void test_defaults_and_config(void **state)
{
    (void)state;
    event r = fx_event("r1", T, EV_RATING, "loc", "reg-2", "e1");
    clip_window w;
    assert_int_equal(clip_window_of(NULL, &r, NULL, CLIP_AFTER_RATING, &w), 0);
    assert_int_equal(w.from_us, T);
    assert_int_equal(w.to_us, T + 20 * S);
    assert_int_equal(clip_window_of(NULL, &r, NULL, CLIP_AROUND, &w), 0);
    assert_int_equal(w.from_us, T - 30 * S);
    assert_int_equal(w.to_us, T + 30 * S);
    assert_int_equal(clip_window_of(NULL, &r, NULL, CLIP_BEFORE_RED, &w), -1);
    assert_int_equal(clip_window_of(NULL, &r, NULL, CLIP_VISIT, &w), -1);

    cxm_config cfg;
    config_defaults(&cfg);
    assert_int_equal(cfg.clip_after_rating_s, CLIP_DEFAULT_AFTER_RATING_S);
    cfg.clip_after_rating_s = 25;
    cfg.clip_before_red_s = 90;
    cfg.clip_around_s = 10;
    assert_int_equal(clip_window_of(&cfg, &r, NULL, CLIP_AFTER_RATING, &w), 0);
    assert_int_equal(w.to_us - w.from_us, 25 * S);
    event b = fx_event("b1", T, EV_RED_BUTTON, "loc", "reg-2", "e1");
    assert_int_equal(clip_window_of(&cfg, &b, NULL, CLIP_BEFORE_RED, &w), 0);
    assert_int_equal(w.from_us, T - 90 * S);
    assert_int_equal(w.to_us, T);
    assert_int_equal(clip_window_of(&cfg, &b, NULL, CLIP_AROUND, &w), 0);
    assert_int_equal(w.from_us, T - 10 * S);
    config_free(&cfg);

    /* No desk, or a non-audio event: no around window. */
    event nd = fx_event("n1", T, EV_FORCE_MAJEURE, "loc", NULL, NULL);
    assert_int_equal(clip_window_of(NULL, &nd, NULL, CLIP_AROUND, &w), -1);
    event hb = fx_event("h1", T, EV_HEARTBEAT, "loc", "reg-2", NULL);
    assert_int_equal(clip_window_of(NULL, &hb, NULL, CLIP_AROUND, &w), -1);
}

static void test_visit(void **state)
{
    (void)state;
    clip_visit v = {T - 300 * S, T};
    event r = fx_event("r1", T, EV_RATING, "loc", "reg-2", "e1");
    clip_window w[CLIP_KIND_COUNT];
    int n = clip_windows(NULL, &r, &v, w, CLIP_KIND_COUNT);
    assert_int_equal(n, 3);
    assert_int_equal(w[0].kind, CLIP_AFTER_RATING);
    assert_int_equal(w[1].kind, CLIP_VISIT);
    assert_int_equal(w[1].from_us, T - 300 * S);
    assert_int_equal(w[1].to_us, T);
    assert_int_equal(w[2].kind, CLIP_AROUND);
    /* A red button inside the visit gets the whole visit once it ended. */
    event b = fx_event("b1", T - 100 * S, EV_RED_BUTTON, "loc", "reg-2", "e1");
    assert_int_equal(clip_window_of(NULL, &b, &v, CLIP_VISIT, &w[0]), 0);
    assert_int_equal(w[0].from_us, T - 300 * S);
    assert_int_equal(w[0].to_us, T);
    /* ... and none while the visit goes on. */
    clip_visit open = {T - 300 * S, -1};
    assert_int_equal(clip_window_of(NULL, &b, &open, CLIP_VISIT, &w[0]), -1);
    /* An arrival after the rating is not this visit's. */
    clip_visit later = {T + S, T};
    assert_int_equal(clip_window_of(NULL, &r, &later, CLIP_VISIT, &w[0]), -1);
    assert_int_equal(clip_windows(NULL, &r, &v, w, 1), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_defaults_and_config),
        cmocka_unit_test(test_visit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
