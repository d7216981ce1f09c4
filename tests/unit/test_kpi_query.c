/* kpi_run over the rollups must equal a brute-force count of the raw events
 * for any [from, to) (unaligned, open, tiny, empty), every --by, filters, and
 * time zones whose days do not start on a UTC hour (+05:30, +05:45) or that
 * change offset (DST). The expected side is computed here from the generated
 * events, independently of the store's own code. */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "cxm/kpi.h"
#include "cxm/rules.h"
#include "cxm/store.h"
#include "store_fixture.h"

#define NEV 8000
#define US 1000000LL
/* 2026-03-05T00:00:00Z; the set spans 12 days across the US DST change. */
#define BASE 1772668800000000LL
#define SPAN (12LL * 86400 * US)

static const char *const LOCS[] = {"L1", "L2", "L3"};
static const char *const DESKS[] = {"d1", "d2"};
static const char *const EMPS[] = {"e1", "e2", "e3", "e4", "e5", "e6"};
static const char *const RATINGS[] = {"super", "so_so", "bad", "7", "great"};

typedef struct {
    event ev;
    bool stored; /* false for the duplicates, which must not count */
} gen_ev;

static gen_ev *evs;
static store *st;
static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int pick(int n)
{
    return (int)(next() % (uint64_t)n);
}

static int setup(void **state)
{
    (void)state;
    char err[512];
    if (store_open(":memory:", &st, err, sizeof err) != 0) return -1;
    evs = calloc(NEV, sizeof *evs);
    static char ids[NEV][24];
    static const event_type types[] = {EV_ARRIVAL, EV_ARRIVAL, EV_RATING,     EV_RATING,
                                       EV_RATING,  EV_SILENT,  EV_RED_BUTTON, EV_FORCE_MAJEURE,
                                       EV_SERVED,  EV_EMOTION, EV_CLIP,       EV_HEARTBEAT};
    if (store_begin(st) != 0) return -1;
    for (int i = 0; i < NEV; i++) {
        gen_ev *g = &evs[i];
        /* every 50th event repeats an earlier id (with other content) */
        if (i > 100 && i % 50 == 0)
            snprintf(ids[i], sizeof ids[i], "%s", ids[pick(i)]);
        else
            snprintf(ids[i], sizeof ids[i], "ev.%06d", i);
        event_type t = types[pick((int)(sizeof types / sizeof types[0]))];
        int64_t ts = BASE + (int64_t)(next() % (uint64_t)SPAN);
        int li = pick(3);
        bool no_emp = t == EV_SERVED ? pick(2) : pick(20) == 0;
        g->ev = fx_event(ids[i], ts, t, LOCS[li], t == EV_SERVED && pick(2) ? NULL : DESKS[pick(2)],
                         no_emp ? NULL : EMPS[li * 2 + pick(2)]);
        g->ev.employee_name = g->ev.employee_id ? (char *)"Сотрудник" : NULL;
        if (t == EV_RATING) {
            int r = pick(10) < 9 ? pick(3) : 3 + pick(2);
            g->ev.rating = (char *)RATINGS[r];
            g->ev.polarity = r == 0   ? POL_POSITIVE
                             : r == 1 ? POL_NEUTRAL
                             : r == 2 ? POL_NEGATIVE
                                      : POL_NONE;
        }
        if (t == EV_SERVED) g->ev.count = pick(30);
        if (pick(4)) fx_emotion(&g->ev.emo_employee, (emo_label)pick(EMO_COUNT));
        if (pick(2)) fx_emotion(&g->ev.emo_customer, (emo_label)pick(EMO_COUNT));
        if (t == EV_CLIP) g->ev.ref = ids[pick(i + 1)];
        bool ins = false;
        if (store_put(st, &g->ev, &ins) != 0) return -1;
        g->stored = ins;
        if (i % 3000 == 2999 && (store_commit(st) != 0 || store_begin(st) != 0)) return -1;
    }
    /* the last batch stays uncommitted: kpi_run must see it too */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    store_commit(st);
    store_close(st);
    free(evs);
    return 0;
}

/* ---- the brute force ---- */

typedef struct {
    char key[160];
    int64_t arrivals, served, silent, red, fm, R, P, N, L, emo[EMO_COUNT];
    int64_t rn[5], rby[5][EMO_COUNT];
    int64_t C, cells_served, cells_arrivals;
} expect_row;

static void key_of_day(const event *e, char *key, size_t cap);

/* C's cells, counted here the slow way: local day x location x desk x employee. */
typedef struct {
    char key[200];
    size_t row;
    int64_t served, arrivals;
} expect_cell;

static void cell_key(const event *e, char *key, size_t cap)
{
    char day[16];
    key_of_day(e, day, sizeof day);
    snprintf(key, cap, "%s|%s|%s|%s", day, e->location_id, e->desk ? e->desk : "",
             e->employee_id ? e->employee_id : "");
}

static void key_of(const event *e, kpi_by by, char *key, size_t cap);
static void key_of_day(const event *e, char *key, size_t cap)
{
    key_of(e, KPI_BY_DAY, key, cap);
}

static void key_of(const event *e, kpi_by by, char *key, size_t cap)
{
    time_t t = (time_t)(e->ts_us >= 0 ? e->ts_us / US : -((-e->ts_us + US - 1) / US));
    struct tm tm;
    switch (by) {
    case KPI_BY_EMPLOYEE:
        snprintf(key, cap, "%s", e->employee_id ? e->employee_id : "");
        break;
    case KPI_BY_DESK:
        snprintf(key, cap, "%s/%s", e->location_id, e->desk ? e->desk : "");
        break;
    case KPI_BY_LOCATION:
        snprintf(key, cap, "%s", e->location_id);
        break;
    case KPI_BY_DAY:
        localtime_r(&t, &tm);
        strftime(key, cap, "%Y-%m-%d", &tm);
        break;
    default:
        snprintf(key, cap, "all");
    }
}

static size_t brute(int64_t from, int64_t to, kpi_by by, const char *loc, const char *emp,
                    expect_row *out, size_t cap)
{
    size_t n = 0;
    static expect_cell cells[8192];
    size_t ncells = 0;
    for (int i = 0; i < NEV; i++) {
        const event *e = &evs[i].ev;
        if (!evs[i].stored || e->ts_us < from || e->ts_us >= to) continue;
        if (loc && strcmp(loc, e->location_id)) continue;
        if (emp && strcmp(emp, e->employee_id ? e->employee_id : "")) continue;
        if (e->type == EV_EMOTION || e->type == EV_CLIP || e->type == EV_HEARTBEAT) continue;
        char key[160];
        key_of(e, by, key, sizeof key);
        size_t j = 0;
        while (j < n && strcmp(out[j].key, key))
            j++;
        if (j == n) {
            assert_true(n < cap);
            memset(&out[n], 0, sizeof out[n]);
            snprintf(out[n].key, sizeof out[n].key, "%s", key);
            n++;
        }
        expect_row *x = &out[j];
        if (e->type == EV_ARRIVAL || e->type == EV_SERVED) {
            char ck[200];
            cell_key(e, ck, sizeof ck);
            size_t k = 0;
            while (k < ncells && strcmp(cells[k].key, ck))
                k++;
            if (k == ncells) {
                assert_true(ncells < sizeof cells / sizeof cells[0]);
                memset(&cells[k], 0, sizeof cells[k]);
                snprintf(cells[k].key, sizeof cells[k].key, "%s", ck);
                cells[k].row = j;
                ncells++;
            }
            assert_int_equal(cells[k].row, j);
            if (e->type == EV_ARRIVAL) cells[k].arrivals++;
            else cells[k].served += e->count;
        }
        int el = e->emo_employee.present ? (int)e->emo_employee.label : EMO_UNKNOWN;
        switch (e->type) {
        case EV_ARRIVAL:
            x->arrivals++;
            break;
        case EV_SERVED:
            x->served += e->count;
            break;
        case EV_RED_BUTTON:
            x->red++;
            break;
        case EV_FORCE_MAJEURE:
            x->fm++;
            break;
        case EV_SILENT:
            x->silent++;
            x->emo[el]++;
            break;
        case EV_RATING: {
            x->R++;
            x->emo[el]++;
            x->P += e->polarity == POL_POSITIVE;
            x->N += e->polarity == POL_NEGATIVE;
            x->L += e->polarity == POL_POSITIVE && e->emo_customer.present &&
                    e->emo_customer.label == EMO_POSITIVE;
            int r = 0;
            while (strcmp(RATINGS[r], e->rating))
                r++;
            x->rn[r]++;
            x->rby[r][el]++;
            break;
        }
        default:
            break;
        }
    }
    for (size_t k = 0; k < ncells; k++) {
        expect_row *x = &out[cells[k].row];
        if (cells[k].served > 0) {
            x->C += cells[k].served;
            x->cells_served++;
        } else if (cells[k].arrivals > 0) {
            x->C += cells[k].arrivals;
            x->cells_arrivals++;
        }
    }
    /* a group that only saw `served` with count 0 has nothing to show */
    size_t kept = 0;
    for (size_t j = 0; j < n; j++) {
        const expect_row *x = &out[j];
        if (by == KPI_BY_ALL || x->arrivals || x->served || x->silent || x->red || x->fm || x->R)
            out[kept++] = out[j];
    }
    n = kept;
    if (by == KPI_BY_ALL && n == 0) {
        memset(&out[0], 0, sizeof out[0]);
        snprintf(out[0].key, sizeof out[0].key, "all");
        n = 1;
    }
    return n;
}

static void compare(int64_t from, int64_t to, kpi_by by, const char *loc, const char *emp)
{
    static expect_row want[64];
    size_t nwant = brute(from, to, by, loc, emp, want, 64);
    kpi_query q = {
        .from_us = from, .to_us = to, .by = by, .k = 0.5, .location = loc, .employee = emp};
    kpi_row *rows = NULL;
    size_t nrows = 0;
    char err[256];
    if (kpi_run(st, rules_builtin(), &q, &rows, &nrows, err, sizeof err) != 0)
        fail_msg("kpi_run: %s", err);
    if (nrows != nwant)
        fail_msg("by %s [%lld, %lld): %zu rows, want %zu", kpi_by_name(by), (long long)from,
                 (long long)to, nrows, nwant);
    for (size_t i = 0; i < nrows; i++) {
        const kpi_row *r = &rows[i];
        if (i) assert_true(strcmp(rows[i - 1].key, r->key) < 0);
        const expect_row *x = NULL;
        for (size_t j = 0; j < nwant; j++)
            if (!strcmp(want[j].key, r->key)) x = &want[j];
        if (!x) fail_msg("unexpected row %s", r->key);
        const kpi_counts *c = &r->c;
        if (c->arrivals != x->arrivals || c->served != x->served || c->silent != x->silent ||
            c->red_buttons != x->red || c->force_majeure != x->fm || c->ratings_total != x->R ||
            c->positive != x->P || c->negative != x->N || c->loyal != x->L)
            fail_msg("by %s key %s [%lld, %lld): counts differ (R %lld/%lld, arrivals %lld/%lld)",
                     kpi_by_name(by), r->key, (long long)from, (long long)to,
                     (long long)c->ratings_total, (long long)x->R, (long long)c->arrivals,
                     (long long)x->arrivals);
        for (int l = 0; l < EMO_COUNT; l++)
            assert_int_equal(c->emo[l], x->emo[l]);
        if (c->customers != x->C || c->cells_served != x->cells_served ||
            c->cells_arrivals != x->cells_arrivals)
            fail_msg("by %s key %s [%lld, %lld): C %lld (%lld served + %lld arrivals cells), "
                     "want %lld (%lld + %lld)",
                     kpi_by_name(by), r->key, (long long)from, (long long)to,
                     (long long)c->customers, (long long)c->cells_served,
                     (long long)c->cells_arrivals, (long long)x->C, (long long)x->cells_served,
                     (long long)x->cells_arrivals);
        /* scale values first, in scale order, then the others sorted */
        assert_true(c->nvalues >= 3);
        assert_string_equal(c->rv[0].value, "super");
        assert_string_equal(c->rv[1].value, "so_so");
        assert_string_equal(c->rv[2].value, "bad");
        int extra = (x->rn[3] > 0) + (x->rn[4] > 0);
        assert_int_equal(c->nvalues, 3 + extra);
        if (extra == 2) {
            assert_string_equal(c->rv[3].value, "7");
            assert_string_equal(c->rv[4].value, "great");
        }
        for (int v = 0; v < c->nvalues; v++) {
            int ri = 0;
            while (strcmp(RATINGS[ri], c->rv[v].value))
                ri++;
            assert_int_equal(c->rv[v].n, x->rn[ri]);
            for (int l = 0; l < EMO_COUNT; l++)
                assert_int_equal(c->rv[v].by_emo[l], x->rby[ri][l]);
        }
        kpi_values v;
        kpi_compute(c, 0.5, &v);
        assert_memory_equal(&v, &r->v, sizeof v); /* NANs compare bitwise too */
        if (by == KPI_BY_EMPLOYEE && r->key[0]) assert_string_equal(r->name, "Сотрудник");
    }
    free(rows);
}

/* The parts add up to the whole: for every --by, each count (C included)
 * summed over the groups equals the `all` row, and when every part has
 * customers the support index of `all` lies between its parts' (a mediant). */
static void parts_sum(int64_t from, int64_t to)
{
    kpi_query q = {.from_us = from, .to_us = to, .by = KPI_BY_ALL, .k = 0.5};
    kpi_row *all = NULL, *rows = NULL;
    size_t nall = 0, n = 0;
    assert_int_equal(kpi_run(st, rules_builtin(), &q, &all, &nall, NULL, 0), 0);
    assert_int_equal(nall, 1);
    static const kpi_by bys[] = {KPI_BY_EMPLOYEE, KPI_BY_DESK, KPI_BY_LOCATION, KPI_BY_DAY};
    for (size_t b = 0; b < sizeof bys / sizeof bys[0]; b++) {
        q.by = bys[b];
        assert_int_equal(kpi_run(st, rules_builtin(), &q, &rows, &n, NULL, 0), 0);
        kpi_counts sum;
        memset(&sum, 0, sizeof sum);
        double lo = INFINITY, hi = -INFINITY;
        bool every_part_has_c = true;
        for (size_t i = 0; i < n; i++) {
            const kpi_counts *c = &rows[i].c;
            sum.customers += c->customers;
            sum.served += c->served;
            sum.arrivals += c->arrivals;
            sum.ratings_total += c->ratings_total;
            sum.positive += c->positive;
            sum.negative += c->negative;
            sum.silent += c->silent;
            sum.red_buttons += c->red_buttons;
            sum.cells_served += c->cells_served;
            sum.cells_arrivals += c->cells_arrivals;
            if (c->customers <= 0) {
                every_part_has_c = false;
                continue;
            }
            if (rows[i].v.support_index < lo) lo = rows[i].v.support_index;
            if (rows[i].v.support_index > hi) hi = rows[i].v.support_index;
        }
        const kpi_counts *w = &all[0].c;
        if (sum.customers != w->customers || sum.served != w->served ||
            sum.arrivals != w->arrivals || sum.ratings_total != w->ratings_total ||
            sum.positive != w->positive || sum.negative != w->negative ||
            sum.silent != w->silent || sum.red_buttons != w->red_buttons ||
            sum.cells_served != w->cells_served || sum.cells_arrivals != w->cells_arrivals)
            fail_msg("by %s [%lld, %lld): parts give C %lld, R %lld; all has C %lld, R %lld",
                     kpi_by_name(q.by), (long long)from, (long long)to, (long long)sum.customers,
                     (long long)sum.ratings_total, (long long)w->customers,
                     (long long)w->ratings_total);
        if (every_part_has_c && n > 0) {
            double si = all[0].v.support_index;
            if (!(si >= lo - 1e-9 && si <= hi + 1e-9))
                fail_msg("by %s: support index of all %.3f outside its parts [%.3f, %.3f]",
                         kpi_by_name(q.by), si, lo, hi);
        }
        free(rows);
    }
    free(all);
}

static void test_parts_sum_to_whole(void **state)
{
    (void)state;
    static const char *const zones[] = {"UTC", "Europe/Moscow", "Asia/Kathmandu",
                                        "America/New_York"};
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++) {
        setenv("TZ", zones[z], 1);
        tzset();
        parts_sum(INT64_MIN, INT64_MAX);
        parts_sum(BASE + 123456789, BASE + 3 * 86400 * US + 987654);
        for (int i = 0; i < 4; i++) {
            int64_t a = BASE - 3600 * US + (int64_t)(next() % (uint64_t)(SPAN + 7200 * US));
            parts_sum(a, a + (int64_t)(next() % (uint64_t)(SPAN / 2)));
        }
    }
}

/* The repro: a clinic whose till reports `served`, a petrol station
 * with arrivals only. `all` used to take the clinic's till count alone for
 * C, so its support index (21.1) exceeded both sites' (13.0, 12.1). */
static void test_mixed_sites(void **state)
{
    (void)state;
    setenv("TZ", "Europe/Moscow", 1);
    tzset();
    store *s;
    char err[256];
    assert_int_equal(store_open(":memory:", &s, err, sizeof err), 0);
    int seq = 0;
    char id[32];
    /* clinic: 40 arrivals, till says 50 served, 10 ratings of which 6 super */
    for (int i = 0; i < 40; i++) {
        snprintf(id, sizeof id, "c%d", seq++);
        event e = fx_event(id, BASE + (10 * 3600 + i * 60) * US, EV_ARRIVAL, "clinic", "r1", "e1");
        assert_int_equal(store_put(s, &e, NULL), 0);
    }
    snprintf(id, sizeof id, "c%d", seq++);
    event sv = fx_event(id, BASE + 11 * 3600 * US, EV_SERVED, "clinic", "r1", "e1");
    sv.count = 50;
    assert_int_equal(store_put(s, &sv, NULL), 0);
    for (int i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "c%d", seq++);
        event e = fx_event(id, BASE + (10 * 3600 + i * 60 + 30) * US, EV_RATING, "clinic", "r1",
                           "e1");
        e.rating = (char *)(i < 6 ? "super" : "bad");
        e.polarity = i < 6 ? POL_POSITIVE : POL_NEGATIVE;
        assert_int_equal(store_put(s, &e, NULL), 0);
    }
    /* station: 100 arrivals, no till, 12 ratings of which 8 super */
    for (int i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "s%d", seq++);
        event e = fx_event(id, BASE + (9 * 3600 + i * 60) * US, EV_ARRIVAL, "station", "t1", "e2");
        assert_int_equal(store_put(s, &e, NULL), 0);
    }
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof id, "s%d", seq++);
        event e = fx_event(id, BASE + (9 * 3600 + i * 60 + 30) * US, EV_RATING, "station", "t1",
                           "e2");
        e.rating = (char *)(i < 8 ? "super" : "so_so");
        e.polarity = i < 8 ? POL_POSITIVE : POL_NEUTRAL;
        assert_int_equal(store_put(s, &e, NULL), 0);
    }
    kpi_query q = {.from_us = INT64_MIN, .to_us = INT64_MAX, .by = KPI_BY_LOCATION, .k = 0.5};
    kpi_row *rows, *all;
    size_t n, nall;
    assert_int_equal(kpi_run(s, NULL, &q, &rows, &n, err, sizeof err), 0);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].key, "clinic");
    assert_int_equal(rows[0].c.customers, 50);
    assert_int_equal(kpi_customers_from(&rows[0].c), KPI_CFROM_SERVED);
    assert_string_equal(rows[1].key, "station");
    assert_int_equal(rows[1].c.customers, 100);
    assert_int_equal(kpi_customers_from(&rows[1].c), KPI_CFROM_ARRIVALS);
    q.by = KPI_BY_ALL;
    assert_int_equal(kpi_run(s, NULL, &q, &all, &nall, err, sizeof err), 0);
    assert_int_equal(all[0].c.customers, 150);
    assert_int_equal(all[0].c.served, 50);  /* the raw till counts */
    assert_int_equal(all[0].c.arrivals, 140);
    assert_int_equal(kpi_customers_from(&all[0].c), KPI_CFROM_MIXED);
    assert_true(fabs(all[0].v.support_index - 14.0 / 150 * 100) < 1e-9);
    assert_true(all[0].v.support_index > rows[0].v.support_index - 1e-9 ||
                all[0].v.support_index > rows[1].v.support_index - 1e-9);
    assert_true(all[0].v.support_index <= fmax(rows[0].v.support_index, rows[1].v.support_index));
    assert_true(all[0].v.support_index >= fmin(rows[0].v.support_index, rows[1].v.support_index));
    /* by day: the same one local day, so the same C */
    free(rows);
    q.by = KPI_BY_DAY;
    assert_int_equal(kpi_run(s, NULL, &q, &rows, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].c.customers, 150);
    free(rows);
    free(all);
    store_close(s);
}

static void sweep(void)
{
    static const kpi_by bys[] = {KPI_BY_ALL, KPI_BY_EMPLOYEE, KPI_BY_DESK, KPI_BY_LOCATION,
                                 KPI_BY_DAY};
    for (size_t b = 0; b < sizeof bys / sizeof bys[0]; b++) {
        kpi_by by = bys[b];
        compare(INT64_MIN, INT64_MAX, by, NULL, NULL);
        compare(BASE, BASE + SPAN, by, NULL, NULL);
        compare(BASE + 900 * US, BASE + 86400 * US, by, NULL, NULL); /* aligned */
        compare(BASE + 123456789, BASE + 3 * 86400 * US + 987654, by, NULL, NULL);
        compare(BASE + 5 * 3600 * US + 1, BASE + 5 * 3600 * US + 600 * US, by, NULL,
                NULL);                                         /* inside one bucket */
        compare(BASE + 7 * US, BASE + 7 * US, by, NULL, NULL); /* empty */
        compare(BASE - 86400 * US, BASE + 1, by, NULL, NULL);
        compare(BASE + SPAN - 1000 * US - 3, INT64_MAX, by, NULL, NULL);
        for (int i = 0; i < 6; i++) {
            int64_t a = BASE - 3600 * US + (int64_t)(next() % (uint64_t)(SPAN + 7200 * US));
            int64_t z = a + (int64_t)(next() % (uint64_t)(SPAN / 2));
            compare(a, z, by, NULL, NULL);
        }
        compare(BASE + 777, BASE + 6 * 86400 * US + 1234, by, "L2", NULL);
        compare(BASE + 777, BASE + 6 * 86400 * US + 1234, by, NULL, "e3");
        compare(BASE + 777, BASE + 6 * 86400 * US + 1234, by, "L1", "");
    }
}

static void in_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
    sweep();
}

static void test_utc(void **state)
{
    (void)state;
    in_zone("UTC");
}

static void test_moscow(void **state)
{
    (void)state;
    in_zone("Europe/Moscow");
}

static void test_kolkata(void **state)
{
    (void)state;
    in_zone("Asia/Kolkata");
}

static void test_kathmandu(void **state)
{
    (void)state;
    in_zone("Asia/Kathmandu");
}

static void test_new_york_dst(void **state)
{
    (void)state;
    in_zone("America/New_York");
}

static void test_after_commit_and_reopen_names(void **state)
{
    (void)state;
    assert_int_equal(store_commit(st), 0);
    setenv("TZ", "Asia/Kolkata", 1);
    tzset();
    compare(BASE + 11, BASE + SPAN - 13, KPI_BY_DAY, NULL, NULL);
    compare(BASE + 11, BASE + SPAN - 13, KPI_BY_DESK, NULL, NULL);
    kpi_query q = {.from_us = INT64_MIN, .to_us = INT64_MAX, .by = KPI_BY_DESK, .k = 0.5};
    kpi_row *rows;
    size_t n;
    assert_int_equal(kpi_run(st, NULL, &q, &rows, &n, NULL, 0), 0);
    assert_true(n > 0);
    assert_non_null(strstr(rows[n - 1].name, " / d2"));
    free(rows);
    assert_int_equal(store_begin(st), 0);
}

/* A five-button scale from the config: values listed in its order, the
 * unused ones with 0, off-scale values after them sorted. */
static void test_custom_scale(void **state)
{
    (void)state;
    cxm_rules rules;
    rules_default(&rules);
    snprintf(rules.scale.name, sizeof rules.scale.name, "five");
    rules.scale.nvalues = 5;
    static const char *const vals[] = {"5", "4", "3", "2", "1"};
    static const rating_polarity pol[] = {POL_POSITIVE, POL_POSITIVE, POL_NEUTRAL, POL_NEGATIVE,
                                          POL_NEGATIVE};
    for (int i = 0; i < 5; i++) {
        snprintf(rules.scale.values[i], sizeof rules.scale.values[i], "%s", vals[i]);
        rules.scale.polarity[i] = pol[i];
    }
    store *s;
    char err[256];
    assert_int_equal(store_open(":memory:", &s, err, sizeof err), 0);
    static const char *const pressed[] = {"1", "5", "zz", "5", "2", "aa", "1"};
    char ids[7][8];
    for (int i = 0; i < 7; i++) {
        snprintf(ids[i], sizeof ids[i], "s%d", i);
        event e = fx_event(ids[i], BASE + i * US, EV_RATING, "L1", "d1", "e1");
        e.rating = (char *)pressed[i];
        int k = rules_value_index(&rules, pressed[i]);
        e.polarity = k >= 0 ? pol[k] : POL_NONE;
        fx_emotion(&e.emo_employee, i % 2 ? EMO_POSITIVE : EMO_NEGATIVE);
        assert_int_equal(store_put(s, &e, NULL), 0);
    }
    kpi_query q = {.from_us = INT64_MIN, .to_us = INT64_MAX, .by = KPI_BY_ALL, .k = 0.5};
    kpi_row *rows;
    size_t n;
    assert_int_equal(kpi_run(s, &rules, &q, &rows, &n, err, sizeof err), 0);
    assert_int_equal(n, 1);
    const kpi_counts *c = &rows[0].c;
    static const char *const want[] = {"5", "4", "3", "2", "1", "aa", "zz"};
    static const int64_t wn[] = {2, 0, 0, 1, 2, 1, 1};
    assert_int_equal(c->nvalues, 7);
    for (int i = 0; i < 7; i++) {
        assert_string_equal(c->rv[i].value, want[i]);
        assert_int_equal(c->rv[i].n, wn[i]);
    }
    /* "5" pressed at i = 1 (positive emotion) and i = 3 (positive) */
    assert_int_equal(c->rv[0].by_emo[EMO_POSITIVE], 2);
    /* "1" pressed at i = 0 and 6: negative emotion both times */
    assert_int_equal(c->rv[4].by_emo[EMO_NEGATIVE], 2);
    assert_int_equal(c->ratings_total, 7);
    assert_int_equal(c->positive, 2);
    assert_int_equal(c->negative, 3);
    free(rows);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utc),          cmocka_unit_test(test_moscow),
        cmocka_unit_test(test_kolkata),      cmocka_unit_test(test_kathmandu),
        cmocka_unit_test(test_new_york_dst), cmocka_unit_test(test_after_commit_and_reopen_names),
        cmocka_unit_test(test_custom_scale),
        cmocka_unit_test(test_parts_sum_to_whole),
        cmocka_unit_test(test_mixed_sites),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
