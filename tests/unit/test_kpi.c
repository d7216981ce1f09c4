/* KPI formulas (DESIGN §8) on hand-computed fixtures, null denominators,
 * the silent coefficient K, and the Cochran sample size. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/kpi.h"

#define EPS 1e-9

static void near(double got, double want)
{
    if (!(fabs(got - want) < EPS)) fail_msg("got %.12g, want %.12g", got, want);
}

/* R=10 (P=6, so_so 1, N=3), S=5, L=4, served 40, arrivals 50; C = 40 (one
 * cell, from its till count) */
static kpi_counts fixture(void)
{
    kpi_counts c;
    memset(&c, 0, sizeof c);
    c.ratings_total = 10;
    c.positive = 6;
    c.negative = 3;
    c.silent = 5;
    c.loyal = 4;
    c.served = 40;
    c.arrivals = 50;
    c.customers = 40;
    c.cells_served = 1;
    c.emo[EMO_UNKNOWN] = 3;
    c.emo[EMO_POSITIVE] = 6;
    c.emo[EMO_NEGATIVE] = 2;
    c.emo[EMO_MIXED] = 3;
    c.emo[EMO_POKER] = 1;
    return c;
}

static void test_full(void **state)
{
    (void)state;
    kpi_counts c = fixture();
    kpi_values v;
    kpi_compute(&c, 0.5, &v);
    assert_int_equal(v.contacts_base, 40);
    near(v.csat, 60.0);
    near(v.support_index, 15.0);
    near(v.criticality_index, 10.0); /* (R - P) / C: so_so counts as critical */
    near(v.response_rate, 25.0);
    near(v.emonps, (4.0 - 4.0 - 2.5) / 15.0 * 100.0);
    near(v.smile_share, 6.0 / 12.0);
    near(v.loyal, 4);
    near(v.critics, 4);
    near(v.passive, 2 + 2.5);
}

static void test_silent_k(void **state)
{
    (void)state;
    kpi_counts c = fixture();
    kpi_values v;
    kpi_compute(&c, 0.2, &v);
    near(v.emonps, (4.0 - 4.0 - 1.0) / 15.0 * 100.0);
    near(v.passive, 2 + 0.8 * 5);
    kpi_compute(&c, 1.0, &v);
    near(v.emonps, -5.0 / 15.0 * 100.0);
    near(v.passive, 2.0);
    /* loyal + critics + passive + K*S == R + S: every contact is somewhere */
    for (double k = 0.2; k <= 1.0; k += 0.1) {
        kpi_compute(&c, k, &v);
        near(v.loyal + v.critics + v.passive + k * 5, 15.0);
    }
}

static void test_contacts_base_fallbacks(void **state)
{
    (void)state;
    kpi_counts c = fixture();
    kpi_values v;
    /* the group's C is what the cells gave, not its own served/arrivals */
    c.customers = 50;
    kpi_compute(&c, 0.5, &v);
    assert_int_equal(v.contacts_base, 50);
    near(v.support_index, 12.0);
    near(v.response_rate, 20.0);
    c.customers = 0;
    kpi_compute(&c, 0.5, &v);
    assert_int_equal(v.contacts_base, 0);
    assert_true(isnan(v.support_index));
    assert_true(isnan(v.criticality_index));
    assert_true(isnan(v.response_rate));
    near(v.csat, 60.0); /* independent of C */
}

static void test_cell_rule(void **state)
{
    (void)state;
    assert_int_equal(kpi_cell_customers(40, 50), 40);
    assert_int_equal(kpi_cell_customers(0, 50), 50);
    assert_int_equal(kpi_cell_customers(0, 0), 0);
    assert_int_equal(kpi_cell_customers(-3, 7), 7);
    kpi_counts c;
    memset(&c, 0, sizeof c);
    assert_int_equal(kpi_customers_from(&c), KPI_CFROM_NONE);
    assert_null(kpi_cfrom_name(KPI_CFROM_NONE));
    c.cells_served = 2;
    assert_string_equal(kpi_cfrom_name(kpi_customers_from(&c)), "served");
    c.cells_arrivals = 1;
    assert_string_equal(kpi_cfrom_name(kpi_customers_from(&c)), "mixed");
    c.cells_served = 0;
    assert_string_equal(kpi_cfrom_name(kpi_customers_from(&c)), "arrivals");
}

static void test_null_denominators(void **state)
{
    (void)state;
    kpi_counts c;
    memset(&c, 0, sizeof c);
    kpi_values v;
    kpi_compute(&c, 0.5, &v);
    assert_true(isnan(v.csat));
    assert_true(isnan(v.support_index));
    assert_true(isnan(v.criticality_index));
    assert_true(isnan(v.response_rate));
    assert_true(isnan(v.emonps));
    assert_true(isnan(v.smile_share));
    near(v.loyal, 0);
    near(v.critics, 0);
    near(v.passive, 0);

    /* only silent customers: CSAT null, EmoNPS defined */
    c.silent = 4;
    c.emo[EMO_UNKNOWN] = 4;
    kpi_compute(&c, 0.5, &v);
    assert_true(isnan(v.csat));
    near(v.emonps, -50.0);
    assert_true(isnan(v.smile_share)); /* contacts, but none labelled */
    c.emo[EMO_POKER] = 1;
    kpi_compute(&c, 0.5, &v);
    near(v.smile_share, 0.0);
}

static void test_sample_size(void **state)
{
    (void)state;
    assert_int_equal(kpi_sample_size(1500, 0.95, 0.05), 306);
    assert_int_equal(kpi_sample_size(0, 0.95, 0.05), 385);
    assert_int_equal(kpi_sample_size(-1, 0.95, 0.05), 385);
    assert_int_equal(kpi_sample_size(100, 0.95, 0.05), 80);
    assert_int_equal(kpi_sample_size(1000, 0.95, 0.05), 278);
    assert_int_equal(kpi_sample_size(0, 0.99, 0.05), 664);
    assert_int_equal(kpi_sample_size(0, 0.90, 0.05), 271);
    assert_int_equal(kpi_sample_size(10000, 0.95, 0.03), 965);
    assert_int_equal(kpi_sample_size(50, 0.95, 0.05), 45);
    assert_int_equal(kpi_sample_size(1, 0.95, 0.05), 1);
    assert_int_equal(kpi_sample_size(1500, 0, 0.05), -1);
    assert_int_equal(kpi_sample_size(1500, 1, 0.05), -1);
    assert_int_equal(kpi_sample_size(1500, 1.5, 0.05), -1);
    assert_int_equal(kpi_sample_size(1500, 0.95, 0), -1);
    assert_int_equal(kpi_sample_size(1500, 0.95, 1), -1);
    assert_int_equal(kpi_sample_size(1500, NAN, 0.05), -1);
}

static void test_by_names(void **state)
{
    (void)state;
    const char *names[] = {"employee", "desk", "location", "day", "all"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int by = kpi_by_from_name(names[i]);
        assert_true(by >= 0);
        assert_string_equal(kpi_by_name((kpi_by)by), names[i]);
    }
    assert_int_equal(kpi_by_from_name("week"), -1);
    assert_int_equal(kpi_by_from_name(NULL), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full),
        cmocka_unit_test(test_silent_k),
        cmocka_unit_test(test_contacts_base_fallbacks),
        cmocka_unit_test(test_cell_rule),
        cmocka_unit_test(test_null_denominators),
        cmocka_unit_test(test_sample_size),
        cmocka_unit_test(test_by_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
