/* KPI benchmark (issue 2): builds a 5,000,000-event database over 30 days
 * (16 employees, 3 locations) with store_put in big transactions, or reuses
 * the one given, then times `kpi --by employee` for the 30 days (median of
 * several runs; target < 100 ms). Prints figures; not a timed test.
 *   bench_kpi [DB [EVENTS]]      DB is kept when given, else a temp file */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cxm/kpi.h"
#include "cxm/rules.h"
#include "cxm/store.h"

#define US 1000000LL
#define DAYS 30

static int64_t mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

static int64_t cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

static uint64_t rng = 88172645463325252ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Local midnight `days` ago, the start of the benchmark's period. */
static int64_t period_start(int64_t end_us, int days)
{
    time_t t = (time_t)(end_us / US);
    struct tm tm;
    localtime_r(&t, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_mday -= days;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * US;
}

static int build(store *s, int64_t from, int64_t to, long n)
{
    static const char *const locs[] = {"clinic-1", "fuel-7", "bank-3"};
    static const char *const loc_names[] = {"Клиника на Ленина", "АЗС №7", "Банк, отделение 3"};
    static const char *const desks[] = {"reg-1", "reg-2", "reg-3", "reg-4", "reg-5", "reg-6"};
    static const char *const ratings[] = {"super", "so_so", "bad"};
    static const rating_polarity pol[] = {POL_POSITIVE, POL_NEUTRAL, POL_NEGATIVE};
    char emp_ids[16][8], emp_names[16][64];
    for (int i = 0; i < 16; i++) {
        snprintf(emp_ids[i], sizeof emp_ids[i], "e%02d", i + 1);
        snprintf(emp_names[i], sizeof emp_names[i], "Сотрудник %d", i + 1);
    }
    int64_t step = (to - from) / n;
    int64_t t0 = mono_us(), c0 = cpu_us();
    if (store_begin(s) != 0) return -1;
    for (long i = 0; i < n; i++) {
        event e;
        memset(&e, 0, sizeof e);
        int emp = (int)rnd(16), loc = emp % 3;
        snprintf(e.id, sizeof e.id, "bench.%s.%09ld", locs[loc], i);
        e.ts_us = from + i * step + (int64_t)rnd((uint32_t)step);
        e.tz_offset_s = 3 * 3600;
        e.location_id = (char *)locs[loc];
        e.location_name = (char *)loc_names[loc];
        e.desk = (char *)desks[emp % 6];
        e.employee_id = emp_ids[emp];
        e.employee_name = emp_names[emp];
        e.emo_employee.positive = e.emo_employee.negative = e.emo_employee.neutral = -1;
        e.emo_employee.bursts = -1;
        e.emo_customer = e.emo_employee;
        uint32_t k = rnd(100);
        e.type = k < 30   ? EV_ARRIVAL
                 : k < 48 ? EV_RATING
                 : k < 58 ? EV_SILENT
                 : k < 60 ? EV_RED_BUTTON
                 : k < 61 ? EV_FORCE_MAJEURE
                 : k < 63 ? EV_SERVED
                 : k < 95 ? EV_EMOTION
                          : EV_CLIP;
        char ref[EVENT_ID_MAX + 1];
        if (e.type == EV_RATING) {
            int r = (int)rnd(3);
            e.rating = (char *)ratings[r];
            e.polarity = pol[r];
            e.emo_customer.present = rnd(2);
            e.emo_customer.label = (emo_label)rnd(EMO_COUNT);
            e.visit = e.id;
        }
        if (e.type == EV_RATING || e.type == EV_SILENT || e.type == EV_EMOTION) {
            e.emo_employee.present = true;
            e.emo_employee.label = (emo_label)rnd(EMO_COUNT);
        }
        if (e.type == EV_SERVED) {
            e.count = rnd(20);
            e.period_s = 900;
        }
        if (e.type == EV_CLIP) {
            snprintf(ref, sizeof ref, "bench.%s.%09ld", locs[loc], i > 10 ? i - 10 : 0);
            e.ref = ref;
            e.clip_kind = (char *)"after_rating";
            e.clip_url = (char *)"https://cloud.example/clip.ogg";
        }
        if (store_put(s, &e, NULL) != 0) {
            fprintf(stderr, "put: %s\n", store_errmsg(s));
            return -1;
        }
        if (i % 200000 == 199999 && (store_commit(s) != 0 || store_begin(s) != 0)) return -1;
    }
    if (store_commit(s) != 0) return -1;
    double secs = (double)(mono_us() - t0) / 1e6, cpu = (double)(cpu_us() - c0) / 1e6;
    /* CPU time too: on a shared machine the wall clock measures the neighbours */
    printf("insert: %ld events in %.2f s = %.0f events/s (store_put, transactions of 200k); "
           "CPU %.2f s = %.2f us/event\n",
           n, secs, (double)n / secs, cpu, cpu * 1e6 / (double)n);
    return 0;
}

static double cpu_ms_median; /* of the last time_kpi: CPU time, for a shared machine */

static double time_kpi(store *s, kpi_by by, int64_t from, int64_t to, int runs, size_t *nrows)
{
    int64_t t[16], c[16];
    kpi_query q = {.from_us = from, .to_us = to, .by = by, .k = 0.5};
    for (int i = 0; i < runs; i++) {
        kpi_row *rows = NULL;
        char err[256];
        int64_t t0 = mono_us(), c0 = cpu_us();
        if (kpi_run(s, rules_builtin(), &q, &rows, nrows, err, sizeof err) != 0) {
            fprintf(stderr, "kpi: %s\n", err);
            exit(1);
        }
        t[i] = mono_us() - t0;
        c[i] = cpu_us() - c0;
        free(rows);
    }
    qsort(t, (size_t)runs, sizeof t[0], cmp_i64);
    qsort(c, (size_t)runs, sizeof c[0], cmp_i64);
    cpu_ms_median = (double)c[runs / 2] / 1000.0;
    return (double)t[runs / 2] / 1000.0;
}

int main(int argc, char **argv)
{
    char tmp[] = "/tmp/cxm-bench-kpi-XXXXXX";
    char path[128];
    bool keep = argc > 1;
    long n = argc > 2 ? atol(argv[2]) : 5000000;
    if (keep) {
        snprintf(path, sizeof path, "%s", argv[1]);
    } else {
        if (!mkdtemp(tmp)) return 1;
        snprintf(path, sizeof path, "%s/kpi.db", tmp);
    }
    store *s;
    char err[512];
    if (store_open(path, &s, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    /* The data ends "now", so --from/--to of the last 30 days cover it. */
    int64_t now = (int64_t)time(NULL) * US;
    int64_t to = period_start(now, -1); /* tomorrow's local midnight */
    int64_t from = period_start(now, DAYS - 1);
    int64_t have = store_count_events(s);
    if (have <= 0) {
        if (build(s, from, now, n) != 0) return 1;
    } else {
        printf("reusing %s (%lld events)\n", path, (long long)have);
        /* reused data may be older: measure over its own last 30 days */
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(store_db(s), "SELECT max(ts) FROM events", -1, &st, NULL) ==
                SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            int64_t last = sqlite3_column_int64(st, 0);
            to = period_start(last, -1);
            from = period_start(last, DAYS - 1);
        }
        sqlite3_finalize(st);
    }
    size_t nrows = 0;
    double ms = time_kpi(s, KPI_BY_EMPLOYEE, from, to, 9, &nrows);
    printf("kpi --by employee, %d days, %zu rows: median %.2f ms of 9 runs (target < 100 ms), "
           "CPU %.2f ms\n",
           DAYS, nrows, ms, cpu_ms_median);
    static const kpi_by others[] = {KPI_BY_ALL, KPI_BY_LOCATION, KPI_BY_DESK, KPI_BY_DAY};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        ms = time_kpi(s, others[i], from, to, 5, &nrows);
        printf("kpi --by %-8s %zu rows: median %.2f ms, CPU %.2f ms\n", kpi_by_name(others[i]),
               nrows, ms, cpu_ms_median);
    }
    /* an unaligned window exercises the raw-event edges */
    ms = time_kpi(s, KPI_BY_EMPLOYEE, from + 7 * 60 * US + 123, to - 11 * 60 * US, 5, &nrows);
    printf("kpi --by employee, unaligned edges: median %.2f ms, CPU %.2f ms\n", ms, cpu_ms_median);
    store_close(s);
    if (!keep) {
        char cmd[200];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", tmp);
    }
    return 0;
}
