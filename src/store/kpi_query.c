/* kpi_run: KPI counts per group from the rollups. The query range is cut
 * into whole UTC days (rollup_d), whole quarter-hours (rollup_q) and, only
 * at unaligned edges, raw events; a UTC day is used whole only when it lies
 * in one local calendar day, else it is split (split_day).
 *
 * Every count is also kept per cell (local day x location x desk x
 * employee) for C, the customers (DESIGN §8): a cell counts its `served`
 * when it has any, else its arrivals, and a group's C is the sum over its
 * cells. Deciding per group instead let one site's till counts hide another
 * site's arrivals, so `all` fell outside the range of its parts. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxm/mem.h"
#include "cxm/i18n.h"
#include "cxm/kpi.h"
#include "store/store_internal.h"

#define US 1000000LL

/* One cell's customers sources; row: the group it belongs to. */
typedef struct {
    char *key;
    int64_t served, arrivals;
    size_t row;
} cell;

typedef struct {
    store *s;
    const kpi_query *q;
    const cxm_rules *rules;
    kpi_row *rows;
    size_t n, cap;
    int32_t *idx;
    size_t idxcap;
    cell *cells;
    size_t ncells, cellcap;
    int32_t *cidx;
    size_t cidxcap;
    /* local day cache for --by day: [lo, hi) seconds -> key */
    int64_t day_lo, day_hi;
    char day_key[16];
    char *err;
    size_t errlen;
} run;

static const char SQL_RANGE[] = "SELECT min(bucket), max(bucket) FROM rollup_q";
#define COUNTS_SQL(tab)                                                                            \
    "SELECT bucket, location_id, desk, employee_id, arrivals, served, silent, red_buttons, "       \
    "force_majeure, ratings_total, positive, negative, loyal, emo_unknown, emo_positive, "         \
    "emo_negative, emo_mixed, emo_poker FROM " tab " WHERE bucket >= ?1 AND bucket < ?2 AND "      \
    "(?3 IS NULL OR location_id = ?3) AND (?4 IS NULL OR employee_id = ?4)"
#define RATINGS_SQL(tab)                                                                           \
    "SELECT bucket, location_id, desk, employee_id, rating, emo, n FROM " tab                      \
    " WHERE bucket >= ?1 AND bucket < ?2 AND (?3 IS NULL OR location_id = ?3) AND "                \
    "(?4 IS NULL OR employee_id = ?4)"
static const char SQL_Q_COUNTS[] = COUNTS_SQL("rollup_q");
static const char SQL_D_COUNTS[] = COUNTS_SQL("rollup_d");
static const char SQL_Q_RATINGS[] = RATINGS_SQL("rollup_q_rating");
static const char SQL_D_RATINGS[] = RATINGS_SQL("rollup_d_rating");
static const char SQL_RAW[] =
    "SELECT ts, location_id, coalesce(desk, ''), coalesce(employee_id, ''), type, polarity, "
    "count, emp_label, cust_label, rating FROM events WHERE ts >= ?1 AND ts < ?2 AND "
    "type IN (0, 1, 2, 3, 4, 7) AND (?3 IS NULL OR location_id = ?3) AND "
    "(?4 IS NULL OR coalesce(employee_id, '') = ?4)";
static const char SQL_EMP_NAME[] = "SELECT name FROM employees WHERE id = ?1";
static const char SQL_LOC_NAME[] = "SELECT name FROM locations WHERE id = ?1";

static void fail(run *r, const char *what)
{
    if (r->err && r->errlen) snprintf(r->err, r->errlen, _("%s: %s"), what, store_errmsg(r->s));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return -floor_div(-a, b);
}

/* The local calendar day holding `t` (seconds), cached by its bounds. */
static const char *local_day(run *r, int64_t t)
{
    if (t >= r->day_lo && t < r->day_hi) return r->day_key;
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm)) {
        snprintf(r->day_key, sizeof r->day_key, "?");
        r->day_lo = r->day_hi = 0;
        return r->day_key;
    }
    strftime(r->day_key, sizeof r->day_key, "%Y-%m-%d", &tm);
    struct tm m = tm;
    m.tm_hour = m.tm_min = m.tm_sec = 0;
    m.tm_isdst = -1;
    r->day_lo = (int64_t)mktime(&m);
    m = tm;
    m.tm_hour = m.tm_min = m.tm_sec = 0;
    m.tm_mday += 1;
    m.tm_isdst = -1;
    r->day_hi = (int64_t)mktime(&m);
    if (!(t >= r->day_lo && t < r->day_hi)) /* odd zone rules: cache nothing */
        r->day_lo = r->day_hi = 0;
    return r->day_key;
}

static uint32_t hash_str(const char *p)
{
    uint32_t h = 2166136261u;
    for (; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    return h;
}

static int rehash(run *r, size_t cap)
{
    int32_t *idx = malloc(cap * sizeof *idx);
    if (!idx) return -1;
    memset(idx, 0xff, cap * sizeof *idx);
    for (size_t i = 0; i < r->n; i++) {
        size_t j = hash_str(r->rows[i].key) & (cap - 1);
        while (idx[j] >= 0)
            j = (j + 1) & (cap - 1);
        idx[j] = (int32_t)i;
    }
    free(r->idx);
    r->idx = idx;
    r->idxcap = cap;
    return 0;
}

static kpi_row *group(run *r, const char *key)
{
    if ((r->n + 1) * 2 > r->idxcap && rehash(r, r->idxcap ? r->idxcap * 2 : 64) != 0) return NULL;
    size_t j = hash_str(key) & (r->idxcap - 1);
    for (; r->idx[j] >= 0; j = (j + 1) & (r->idxcap - 1))
        if (strcmp(r->rows[r->idx[j]].key, key) == 0) return &r->rows[r->idx[j]];
    if (mem_grow(&r->rows, &r->cap, r->n, sizeof *r->rows, 16)) return NULL;
    kpi_row *row = &r->rows[r->n];
    memset(row, 0, sizeof *row);
    snprintf(row->key, sizeof row->key, "%s", key);
    /* Every scale value is listed, in scale order, even when never pressed. */
    const rating_scale *sc = &r->rules->scale;
    for (int i = 0; i < sc->nvalues && i < RULES_SCALE_VALUES_MAX; i++)
        snprintf(row->c.rv[i].value, sizeof row->c.rv[i].value, "%s", sc->values[i]);
    row->c.nvalues = sc->nvalues < RULES_SCALE_VALUES_MAX ? sc->nvalues : RULES_SCALE_VALUES_MAX;
    r->idx[j] = (int32_t)r->n++;
    return row;
}

static kpi_row *group_for(run *r, const char *day, const char *loc, const char *desk,
                          const char *emp)
{
    char key[sizeof r->rows[0].key];
    switch (r->q->by) {
    case KPI_BY_EMPLOYEE:
        return group(r, emp);
    case KPI_BY_LOCATION:
        return group(r, loc);
    case KPI_BY_DESK:
        snprintf(key, sizeof key, "%s/%s", loc, desk);
        return group(r, key);
    case KPI_BY_DAY:
        return group(r, day);
    case KPI_BY_ALL:
    default:
        return group(r, "all");
    }
}

static int cell_rehash(run *r, size_t cap)
{
    int32_t *idx = malloc(cap * sizeof *idx);
    if (!idx) return -1;
    memset(idx, 0xff, cap * sizeof *idx);
    for (size_t i = 0; i < r->ncells; i++) {
        size_t j = hash_str(r->cells[i].key) & (cap - 1);
        while (idx[j] >= 0)
            j = (j + 1) & (cap - 1);
        idx[j] = (int32_t)i;
    }
    free(r->cidx);
    r->cidx = idx;
    r->cidxcap = cap;
    return 0;
}

/* Adds a row's arrivals and served to its cell. row: its group's index. */
static int cell_add(run *r, const char *day, const char *loc, const char *desk, const char *emp,
                    size_t row, int64_t arrivals, int64_t served)
{
    if (!arrivals && !served) return 0;
    char key[4 * 256];
    /* \x1f cannot occur in an id, so the joined key is unambiguous. */
    snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s", day, loc, desk, emp);
    if ((r->ncells + 1) * 2 > r->cidxcap && cell_rehash(r, r->cidxcap ? r->cidxcap * 2 : 64) != 0)
        return -1;
    size_t j = hash_str(key) & (r->cidxcap - 1);
    for (; r->cidx[j] >= 0; j = (j + 1) & (r->cidxcap - 1)) {
        cell *c = &r->cells[r->cidx[j]];
        if (strcmp(c->key, key) == 0) {
            c->arrivals += arrivals;
            c->served += served;
            return 0;
        }
    }
    if (mem_grow(&r->cells, &r->cellcap, r->ncells, sizeof *r->cells, 64)) return -1;
    cell *c = &r->cells[r->ncells];
    if (!(c->key = strdup(key))) return -1;
    c->arrivals = arrivals;
    c->served = served;
    c->row = row;
    r->cidx[j] = (int32_t)r->ncells++;
    return 0;
}

/* Each cell's C into its group, once every count (and every split-day
 * subtraction) is in. */
static void cells_to_groups(run *r)
{
    for (size_t i = 0; i < r->ncells; i++) {
        const cell *c = &r->cells[i];
        kpi_counts *g = &r->rows[c->row].c;
        int64_t C = kpi_cell_customers(c->served, c->arrivals);
        if (C <= 0) continue;
        g->customers += C;
        if (c->served > 0)
            g->cells_served++;
        else
            g->cells_arrivals++;
    }
}

static void cells_free(run *r)
{
    for (size_t i = 0; i < r->ncells; i++)
        free(r->cells[i].key);
    free(r->cells);
    free(r->cidx);
}

static void add_counts(kpi_counts *c, const rollup_counts *d, int sign)
{
    c->arrivals += sign * d->arrivals;
    c->served += sign * d->served;
    c->silent += sign * d->silent;
    c->red_buttons += sign * d->red_buttons;
    c->force_majeure += sign * d->force_majeure;
    c->ratings_total += sign * d->ratings_total;
    c->positive += sign * d->positive;
    c->negative += sign * d->negative;
    c->loyal += sign * d->loyal;
    for (int i = 0; i < EMO_COUNT; i++)
        c->emo[i] += sign * d->emo[i];
}

static void add_rating(kpi_counts *c, const char *value, int emo, int64_t n)
{
    if (emo < 0 || emo >= EMO_COUNT) emo = EMO_UNKNOWN;
    int i = 0;
    for (; i < c->nvalues; i++)
        if (strncmp(c->rv[i].value, value, RULES_VALUE_MAX - 1) == 0) break;
    if (i == c->nvalues) {
        if (c->nvalues == RULES_SCALE_VALUES_MAX)
            return; /* no room: still counted in ratings_total */
        snprintf(c->rv[i].value, sizeof c->rv[i].value, "%s", value);
        c->nvalues++;
    }
    c->rv[i].n += n;
    c->rv[i].by_emo[emo] += n;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

static void bind_range(run *r, sqlite3_stmt *st, int64_t lo, int64_t hi)
{
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    if (r->q->location) sqlite3_bind_text(st, 3, r->q->location, -1, SQLITE_STATIC);
    if (r->q->employee) sqlite3_bind_text(st, 4, r->q->employee, -1, SQLITE_STATIC);
}

static int finish(run *r, sqlite3_stmt *st, int rc)
{
    if (rc != SQLITE_DONE) {
        fail(r, _("kpi query"));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return 0;
}

/* Which local day one rollup row counts for: its bucket's own, or (a UTC
 * day split between two local days) a fixed one, and optionally subtracted
 * from another day. */
typedef struct {
    const char *day;   /* NULL: the local day of the row's bucket */
    const char *minus; /* NULL: nothing subtracted */
} target;

/* Adds (sign +1) or removes (-1) one row's counts in its group and cell. */
static kpi_row *put(run *r, const char *day, const char *loc, const char *desk, const char *emp,
                    const rollup_counts *d, int sign)
{
    kpi_row *row = group_for(r, day, loc, desk, emp);
    if (!row) return NULL;
    if (d) {
        add_counts(&row->c, d, sign);
        if (cell_add(r, day, loc, desk, emp, (size_t)(row - r->rows), sign * d->arrivals,
                     sign * d->served) != 0)
            return NULL;
    }
    return row;
}

/* Buckets [lo, hi) in seconds from one rollup level. */
static int scan_rollup(run *r, bool days, int64_t lo, int64_t hi, const target *t)
{
    static const target natural = {NULL, NULL};
    if (!t) t = &natural;
    if (lo >= hi) return 0;
    sqlite3_stmt *st = store_stmt(r->s, days ? SQL_D_COUNTS : SQL_Q_COUNTS);
    if (!st) return fail(r, _("kpi query")), -1;
    bind_range(r, st, lo, hi);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        rollup_counts d;
        int64_t *dst[] = {&d.arrivals,      &d.served,        &d.silent,   &d.red_buttons,
                          &d.force_majeure, &d.ratings_total, &d.positive, &d.negative,
                          &d.loyal,         &d.emo[0],        &d.emo[1],   &d.emo[2],
                          &d.emo[3],        &d.emo[4]};
        for (int k = 0; k < 14; k++)
            *dst[k] = sqlite3_column_int64(st, 4 + k);
        const char *loc = col_text(st, 1), *desk = col_text(st, 2), *emp = col_text(st, 3);
        const char *day = t->day ? t->day : local_day(r, sqlite3_column_int64(st, 0));
        if (!put(r, day, loc, desk, emp, &d, 1) ||
            (t->minus && !put(r, t->minus, loc, desk, emp, &d, -1)))
            return sqlite3_reset(st), -1;
    }
    if (finish(r, st, rc) != 0) return -1;
    st = store_stmt(r->s, days ? SQL_D_RATINGS : SQL_Q_RATINGS);
    if (!st) return fail(r, _("kpi query")), -1;
    bind_range(r, st, lo, hi);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *value = col_text(st, 4);
        int emo = sqlite3_column_int(st, 5);
        int64_t n = sqlite3_column_int64(st, 6);
        const char *loc = col_text(st, 1), *desk = col_text(st, 2), *emp = col_text(st, 3);
        const char *day = t->day ? t->day : local_day(r, sqlite3_column_int64(st, 0));
        kpi_row *row = put(r, day, loc, desk, emp, NULL, 1);
        if (!row) return sqlite3_reset(st), -1;
        add_rating(&row->c, value, emo, n);
        if (t->minus) {
            if (!(row = put(r, t->minus, loc, desk, emp, NULL, -1))) return sqlite3_reset(st), -1;
            add_rating(&row->c, value, emo, -n);
        }
    }
    return finish(r, st, rc);
}

/* Raw events [lo, hi) in microseconds: only the partial quarter-hours. */
static int scan_raw(run *r, int64_t lo, int64_t hi)
{
    if (lo >= hi) return 0;
    sqlite3_stmt *st = store_stmt(r->s, SQL_RAW);
    if (!st) return fail(r, _("kpi query")), -1;
    bind_range(r, st, lo, hi);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t ts = sqlite3_column_int64(st, 0);
        int type = sqlite3_column_int(st, 4);
        int emp =
            sqlite3_column_type(st, 7) == SQLITE_NULL ? EMO_UNKNOWN : sqlite3_column_int(st, 7);
        int cust =
            sqlite3_column_type(st, 8) == SQLITE_NULL ? EMO_UNKNOWN : sqlite3_column_int(st, 8);
        rollup_counts d;
        rollup_delta(type, sqlite3_column_int(st, 5), sqlite3_column_int64(st, 6), emp, cust, &d);
        kpi_row *row = put(r, local_day(r, floor_div(ts, US)), col_text(st, 1), col_text(st, 2),
                           col_text(st, 3), &d, 1);
        if (!row) return sqlite3_reset(st), -1;
        if (type == EV_RATING) add_rating(&row->c, col_text(st, 9), emp, 1);
    }
    return finish(r, st, rc);
}

/* A UTC day can be read whole from rollup_d when it lies in one local day:
 * cells are per local day whatever the grouping. */
static bool day_whole(run *r, int64_t d)
{
    char a[sizeof r->day_key];
    snprintf(a, sizeof a, "%s", local_day(r, d));
    return strcmp(a, local_day(r, d + STORE_DAY_S - 1)) == 0;
}

/* A UTC day [u, u + 1 day) holding a local midnight m: the whole day from
 * rollup_d goes to the local day with the larger part, and the quarter-hours
 * of the smaller part move from it to their own local day. Far fewer rows
 * than reading the whole day from rollup_q (Moscow: 3 h of 24). */
static int split_day(run *r, int64_t u)
{
    char a[sizeof r->day_key], b[sizeof r->day_key];
    snprintf(a, sizeof a, "%s", local_day(r, u));
    int64_t m = r->day_hi;
    bool ok = m > u && m < u + STORE_DAY_S && m % STORE_BUCKET_S == 0;
    if (ok) {
        snprintf(b, sizeof b, "%s", local_day(r, m));
        ok = strcmp(b, local_day(r, u + STORE_DAY_S - 1)) == 0 && strcmp(a, b) != 0;
    }
    if (!ok) /* odd zone rules: quarter-hours, each to its own day */
        return scan_rollup(r, false, u, u + STORE_DAY_S, NULL);
    if (m - u <= STORE_DAY_S / 2) {
        target whole = {b, NULL}, part = {NULL, b};
        return scan_rollup(r, true, u, u + STORE_DAY_S, &whole) ||
               scan_rollup(r, false, u, m, &part);
    }
    target whole = {a, NULL}, part = {NULL, a};
    return scan_rollup(r, true, u, u + STORE_DAY_S, &whole) ||
           scan_rollup(r, false, m, u + STORE_DAY_S, &part);
}

static int scan_buckets(run *r, int64_t b0, int64_t b1)
{
    int64_t d0 = ceil_div(b0, STORE_DAY_S) * STORE_DAY_S;
    int64_t d1 = floor_div(b1, STORE_DAY_S) * STORE_DAY_S;
    if (d0 >= d1) return scan_rollup(r, false, b0, b1, NULL);
    if (scan_rollup(r, false, b0, d0, NULL) != 0 || scan_rollup(r, false, d1, b1, NULL) != 0)
        return -1;
    /* Runs of whole days, each read with one query; split days one by one. */
    int64_t start = d0;
    for (int64_t d = d0; d < d1; d += STORE_DAY_S) {
        if (day_whole(r, d)) continue;
        if (scan_rollup(r, true, start, d, NULL) != 0 || split_day(r, d) != 0) return -1;
        start = d + STORE_DAY_S;
    }
    return scan_rollup(r, true, start, d1, NULL);
}

static int scan(run *r)
{
    sqlite3_stmt *st = store_stmt(r->s, SQL_RANGE);
    if (!st) return fail(r, _("kpi query")), -1;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) return finish(r, st, rc), -1;
    bool empty = sqlite3_column_type(st, 0) == SQLITE_NULL;
    int64_t min_b = sqlite3_column_int64(st, 0), max_b = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (empty) return 0;
    /* Every counted event lies in a rollup bucket, so the data's extent
     * bounds open ends (and keeps the day loop short). */
    int64_t lo = r->q->from_us, hi = r->q->to_us;
    if (lo < min_b * US) lo = min_b * US;
    if (hi > (max_b + STORE_BUCKET_S) * US) hi = (max_b + STORE_BUCKET_S) * US;
    if (lo >= hi) return 0;
    int64_t b0 = ceil_div(lo, STORE_BUCKET_S * US) * STORE_BUCKET_S;
    int64_t b1 = floor_div(hi, STORE_BUCKET_S * US) * STORE_BUCKET_S;
    if (b0 >= b1) return scan_raw(r, lo, hi);
    if (scan_raw(r, lo, b0 * US) != 0 || scan_raw(r, b1 * US, hi) != 0) return -1;
    return scan_buckets(r, b0, b1);
}

/* Copies src into out[cap]; when it does not fit, cuts before the last whole
 * UTF-8 character and returns 1 (so no half character is ever printed). */
static int copy_cut(char *out, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n < cap) {
        memcpy(out, src, n + 1);
        return 0;
    }
    n = cap - 1;
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    memcpy(out, src, n);
    out[n] = 0;
    return 1;
}

/* *out: malloc'd name of `id` from the table `sql` reads ("" when unknown). */
static int name_lookup(store *s, const char *sql, const char *id, char **out)
{
    *out = NULL;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st) return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        *out = strdup(rc == SQLITE_ROW ? col_text(st, 0) : "");
    sqlite3_reset(st);
    return *out ? 0 : -1;
}

int kpi_full_name(store *s, kpi_by by, const char *key, char **out, char *err, size_t errlen)
{
    *out = NULL;
    if (by == KPI_BY_EMPLOYEE || by == KPI_BY_LOCATION) {
        if (name_lookup(s, by == KPI_BY_EMPLOYEE ? SQL_EMP_NAME : SQL_LOC_NAME, key, out) == 0)
            return 0;
    } else if (by == KPI_BY_DESK) {
        /* Ids cannot hold '/', so the key splits back into location and desk. */
        char loc[sizeof ((kpi_row *)0)->key];
        snprintf(loc, sizeof loc, "%s", key);
        char *slash = strchr(loc, '/');
        const char *desk = slash ? slash + 1 : "";
        if (slash) *slash = 0;
        char *lname = NULL;
        if (name_lookup(s, SQL_LOC_NAME, loc, &lname) == 0) {
            size_t n = strlen(lname) + strlen(loc) + strlen(desk) + 4;
            *out = malloc(n);
            if (*out)
                snprintf(*out, n, "%s%s%s", lname[0] ? lname : loc, desk[0] ? " / " : "", desk);
            free(lname);
            if (*out) return 0;
        }
    } else {
        *out = strdup(key);
        if (*out) return 0;
    }
    if (err && errlen) snprintf(err, errlen, _("kpi names: %s"), store_errmsg(s));
    return -1;
}

static int fill_name(run *r, kpi_row *row)
{
    if (r->q->by == KPI_BY_DAY || r->q->by == KPI_BY_ALL) {
        row->name_cut = (unsigned char)copy_cut(row->name, sizeof row->name, row->key);
        return 0;
    }
    char *full = NULL;
    if (kpi_full_name(r->s, r->q->by, row->key, &full, NULL, 0) != 0) return fail(r, _("kpi names query")), -1;
    row->name_cut = (unsigned char)copy_cut(row->name, sizeof row->name, full);
    free(full);
    return 0;
}

/* A group whose counts cancelled out (a split day's empty side) or that
 * only saw `served` with count 0: nothing to show. */
static bool row_empty(const kpi_counts *c)
{
    if (c->arrivals || c->served || c->silent || c->red_buttons || c->force_majeure ||
        c->ratings_total)
        return false;
    for (int i = 0; i < EMO_COUNT; i++)
        if (c->emo[i]) return false;
    return true;
}

/* Values off the scale that cancelled out to zero are not listed. */
static void drop_zero_values(kpi_counts *c, int nscale)
{
    int w = nscale;
    for (int i = nscale; i < c->nvalues; i++)
        if (c->rv[i].n != 0) c->rv[w++] = c->rv[i];
    c->nvalues = w;
}

static int cmp_value(const void *a, const void *b)
{
    return strcmp(((const kpi_rating_count *)a)->value, ((const kpi_rating_count *)b)->value);
}

static int cmp_row(const void *a, const void *b)
{
    return strcmp(((const kpi_row *)a)->key, ((const kpi_row *)b)->key);
}

int kpi_run(struct store *s, const cxm_rules *rules, const kpi_query *q, kpi_row **rows,
            size_t *nrows, char *err, size_t errlen)
{
    cxm_rules defaults;
    if (!rules) {
        rules_default(&defaults);
        rules = &defaults;
    }
    *rows = NULL;
    *nrows = 0;
    run r = {.s = s, .q = q, .rules = rules, .err = err, .errlen = errlen};
    if (err && errlen) err[0] = 0;
    /* Our own uncommitted inserts are still in memory: write them first. */
    if (store_in_tx(s) && store_flush(s) != SQLITE_OK) {
        fail(&r, _("kpi flush query"));
        return -1;
    }
    int ret = q->from_us < q->to_us ? scan(&r) : 0;
    if (ret == 0 && q->by == KPI_BY_ALL && r.n == 0 && !group(&r, "all")) ret = -1;
    if (ret == 0) cells_to_groups(&r);
    cells_free(&r);
    size_t kept = 0;
    for (size_t i = 0; ret == 0 && i < r.n; i++) {
        if (q->by != KPI_BY_ALL && row_empty(&r.rows[i].c)) continue;
        if (kept != i) r.rows[kept] = r.rows[i];
        kpi_row *row = &r.rows[kept++];
        int nscale = rules->scale.nvalues < RULES_SCALE_VALUES_MAX ? rules->scale.nvalues
                                                                   : RULES_SCALE_VALUES_MAX;
        drop_zero_values(&row->c, nscale);
        if (row->c.nvalues > nscale)
            qsort(row->c.rv + nscale, (size_t)(row->c.nvalues - nscale), sizeof row->c.rv[0],
                  cmp_value);
        kpi_compute(&row->c, q->k, &row->v);
        ret = fill_name(&r, row);
    }
    free(r.idx);
    if (ret != 0) {
        if (err && errlen && !err[0]) snprintf(err, errlen, _("out of memory"));
        free(r.rows);
        return -1;
    }
    if (kept) qsort(r.rows, kept, sizeof *r.rows, cmp_row);
    *rows = r.rows;
    *nrows = kept;
    return 0;
}
