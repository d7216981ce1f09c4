/* Builds a big history for the TUI benchmark and times the view queries on it.
 *   bench_views build DB N [DAYS]   N events over DAYS days ending now (default 365)
 *   bench_views query DB            times every view query, prints figures
 * Events are synthetic but shaped like a real site: 60 employees with Cyrillic
 * names at 6 locations, arrivals, ratings, silent customers, emotions, rare red
 * buttons and force majeure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/store.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"

#define NEMP 60
#define NLOC 6

static const char *const given[] = {"Анна", "Борис", "Ольга", "Пётр", "Мария", "Иван",
                                    "Елена", "Сергей", "Юлия", "Дмитрий"};
static const char *const last[] = {"Петрова", "Иванов", "Смирнова", "Кузнецов", "Попова",
                                   "Соколов"};

static uint64_t rng = 88172645463325252ull;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static int build(const char *path, long n, int days)
{
    store *st;
    char err[256];
    if (store_open(path, &st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    char names[NEMP][64], eids[NEMP][16], lids[NLOC][16], lnames[NLOC][64], desks[NEMP][16];
    for (int i = 0; i < NEMP; i++) {
        snprintf(names[i], sizeof names[i], "%s %s", given[i % 10], last[i % 6]);
        snprintf(eids[i], sizeof eids[i], "e%02d", i);
        snprintf(desks[i], sizeof desks[i], "desk-%d", i % 10);
    }
    for (int i = 0; i < NLOC; i++) {
        snprintf(lids[i], sizeof lids[i], "loc-%d", i);
        snprintf(lnames[i], sizeof lnames[i], "Точка №%d", i + 1);
    }
    int64_t end = time_now_us() - 60 * 1000000LL;
    int64_t span = (int64_t)days * 86400 * 1000000LL;
    int64_t step = span / n;
    int64_t t0 = time_mono_us();
    store_begin(st);
    for (long i = 0; i < n; i++) {
        event e;
        memset(&e, 0, sizeof e);
        snprintf(e.id, sizeof e.id, "ev.%ld", i);
        e.ts_us = end - span + i * step;
        e.tz_offset_s = 3 * 3600;
        int emp = (int)rnd(NEMP);
        e.employee_id = eids[emp];
        e.employee_name = names[emp];
        e.location_id = lids[emp % NLOC];
        e.location_name = lnames[emp % NLOC];
        e.desk = desks[emp];
        e.emo_employee.positive = e.emo_employee.negative = e.emo_employee.neutral = -1;
        e.emo_employee.bursts = -1;
        e.emo_customer = e.emo_employee;
        char visit[32];
        snprintf(visit, sizeof visit, "v%ld", i / 3);
        unsigned r = rnd(1000);
        if (r < 350) {
            e.type = EV_ARRIVAL;
            e.visit = visit;
        } else if (r < 560) {
            e.type = EV_RATING;
            e.visit = visit;
            unsigned q = rnd(10);
            e.rating = q < 6 ? "super" : q < 8 ? "so_so" : "bad";
            e.polarity = q < 6 ? POL_POSITIVE : q < 8 ? POL_NEUTRAL : POL_NEGATIVE;
            e.emo_employee.present = true;
            e.emo_employee.label = (emo_label)(1 + rnd(4));
            e.emo_customer.present = rnd(2);
            e.emo_customer.label = (emo_label)(1 + rnd(4));
        } else if (r < 660) {
            e.type = EV_SILENT;
            e.visit = visit;
        } else if (r < 980) {
            e.type = EV_EMOTION;
            e.emo_employee.present = true;
            e.emo_employee.label = (emo_label)(1 + rnd(4));
        } else if (r < 998) {
            e.type = EV_RED_BUTTON;
        } else {
            e.type = EV_FORCE_MAJEURE;
        }
        bool ins;
        if (store_put(st, &e, &ins) != 0) {
            fprintf(stderr, "put: %s\n", store_errmsg(st));
            return 1;
        }
        if (i % 200000 == 199999) {
            store_commit(st);
            store_begin(st);
        }
    }
    store_commit(st);
    double secs = (double)(time_mono_us() - t0) / 1e6;
    printf("built %ld events in %.1f s (%.0f events/s)\n", n, secs, (double)n / secs);
    store_close(st);
    return 0;
}

static double ms_since(int64_t t0)
{
    return (double)(time_mono_us() - t0) / 1000.0;
}

static void stream_case(views *v, const char *label, const views_filter *f)
{
    views_row rows[60];
    views_key top = {INT64_MAX, INT64_MAX};
    int64_t t0 = time_mono_us();
    int n = views_stream_page(v, f, top, false, rows, 60);
    double first = ms_since(t0);
    /* 200 pages further down, one page at a time, like holding PgDn */
    double worst = first;
    int pages = 0;
    while (n > 0 && pages < 200) {
        int64_t t1 = time_mono_us();
        int m = views_stream_page(v, f, rows[n - 1].key, false, rows, 60);
        double d = ms_since(t1);
        if (d > worst)
            worst = d;
        n = m;
        pages++;
    }
    int64_t t2 = time_mono_us();
    int tail = views_stream_tail(v, f, rows, 60);
    double tl = ms_since(t2);
    printf("stream %-22s first page %7.2f ms, worst of %3d next pages %7.2f ms, end %7.2f ms "
           "(%d rows)\n",
           label, first, pages, worst, tl, tail);
}

static int query(const char *path)
{
    store *st;
    char err[256];
    int64_t t0 = time_mono_us();
    if (store_open(path, &st, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    printf("open %.2f ms\n", ms_since(t0));
    /* A rare employee: five events over the year. Finding them by name must
     * not mean reading millions of rows (idempotent: ids repeat per run). */
    store_begin(st);
    for (int i = 0; i < 5; i++) {
        event e;
        memset(&e, 0, sizeof e);
        snprintf(e.id, sizeof e.id, "rare.%d", i);
        e.ts_us = time_now_us() - (int64_t)(i * 70 + 1) * 86400 * 1000000LL;
        e.type = EV_ARRIVAL;
        e.location_id = "loc-0";
        e.desk = "desk-0";
        e.employee_id = "e-rare";
        e.employee_name = "Редкий Гость";
        e.emo_employee.positive = e.emo_employee.negative = e.emo_employee.neutral = -1;
        e.emo_employee.bursts = e.emo_customer.bursts = -1;
        e.emo_customer.positive = e.emo_customer.negative = e.emo_customer.neutral = -1;
        bool ins;
        store_put(st, &e, &ins);
    }
    store_commit(st);
    views *v = views_new(st, NULL);
    views_dash_row *rows;
    size_t n;
    t0 = time_mono_us();
    if (views_dashboard(v, time_now_us(), 12, &rows, &n) != 0) {
        fprintf(stderr, "%s\n", views_errmsg(v));
        return 1;
    }
    printf("dashboard %zu employees %.2f ms\n", n, ms_since(t0));
    free(rows);
    views_filter f;
    views_filter_clear(&f);
    stream_case(v, "all", &f);
    f.types = 1u << EV_FORCE_MAJEURE;
    stream_case(v, "type=force_majeure", &f);
    views_filter_clear(&f);
    f.types = 1u << EV_SERVED;
    stream_case(v, "type=served (none)", &f);
    views_filter_clear(&f);
    snprintf(f.rating, sizeof f.rating, "bad");
    stream_case(v, "rating=bad", &f);
    views_filter_clear(&f);
    f.emo = EMO_NEGATIVE;
    stream_case(v, "emotion=negative", &f);
    views_filter_clear(&f);
    snprintf(f.employee, sizeof f.employee, "e07");
    stream_case(v, "employee=e07", &f);
    views_filter_clear(&f);
    snprintf(f.location, sizeof f.location, "loc-3");
    stream_case(v, "location=loc-3", &f);
    views_filter_clear(&f);
    snprintf(f.text, sizeof f.text, "сергей");
    stream_case(v, "text=сергей", &f);
    snprintf(f.text, sizeof f.text, "редкий");
    stream_case(v, "text=редкий (5 events)", &f);
    views_filter_clear(&f);
    snprintf(f.employee, sizeof f.employee, "e-rare");
    stream_case(v, "employee=e-rare", &f);
    views_filter_clear(&f);
    snprintf(f.text, sizeof f.text, "ev.123456");
    stream_case(v, "text=ev.123456", &f);
    snprintf(f.text, sizeof f.text, "nobody");
    stream_case(v, "text=nobody", &f);
    event e;
    t0 = time_mono_us();
    if (views_event_get(v, "ev.4000000", &e) == 0) {
        views_row vr[16];
        int k = views_visit_rows(v, e.location_id, e.visit, vr, 16);
        views_clip c[4];
        int nc = views_clip_windows(v, NULL, &e, c, 4);
        printf("detail + visit (%d rows) + clips (%d) %.2f ms\n", k, nc, ms_since(t0));
        event_clear(&e);
    }
    views_free(v);
    store_close(st);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && strcmp(argv[1], "build") == 0)
        return build(argv[2], atol(argv[3]), argc > 4 ? atoi(argv[4]) : 365);
    if (argc == 3 && strcmp(argv[1], "query") == 0)
        return query(argv[2]);
    if (argc == 1) { /* run.sh runs every bench program bare */
        printf("bench_views: driven by tests/bench/bench_tui.sh (build DB N [DAYS] | query DB)\n");
        return 0;
    }
    fprintf(stderr, "usage: bench_views build DB N [DAYS] | query DB\n");
    return 2;
}
