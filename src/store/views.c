/* Queries behind the dashboard and the event stream (include/cxm/views.h).
 * The stream never counts and never uses OFFSET: a page is the next `max`
 * rows after a key (ts, rowid) in an index order, so the millionth row costs
 * what the first does. The stream's SQL is assembled from constant fragments
 * (one per active filter) and every value is bound. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/mem.h"
#include "cxm/i18n.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "store/store_internal.h"
#include "store/views_priv.h"

enum { F_TYPE1 = 1, F_TYPES = 2, F_RATING = 4, F_EMO = 8, F_EMP = 16, F_LOC = 32, F_TEXT = 64,
       F_TEXT_ID = 128, F_TEXT_EMP1 = 256, F_TEXT_LOC1 = 512, F_ASC = 1024,
       F_NSHAPES = 2048 };

struct views {
    store *st;
    sqlite3 *db;
    cxm_rules rules;
    sqlite3_stmt *shape[F_NSHAPES];
    char text_cached[128];     /* the free text the temp tables hold */
    bool text_any;             /* it resolved to at least one name, desk, id or visit */
    bool text_names;           /* ... and to a name or desk (else only an event id/visit) */
    /* It resolved to exactly one employee (or one location) and nothing else:
     * that index walks in time order, however few events they have. */
    char text_one[VIEWS_ID_MAX];
    bool text_one_is_loc;
    bool temp_ready;
    char msg[256];
};

static void set_msg(views *v, const char *what)
{
    snprintf(v->msg, sizeof v->msg, _("%s: %s"), what, sqlite3_errmsg(v->db));
}

const char *views_errmsg(const views *v)
{
    return v->msg;
}

views *views_new(store *s, const cxm_rules *rules)
{
    views *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->st = s;
    v->db = store_db(s);
    if (rules)
        v->rules = *rules;
    else
        rules_default(&v->rules);
    return v;
}

void views_free(views *v)
{
    if (!v)
        return;
    for (int i = 0; i < F_NSHAPES; i++)
        sqlite3_finalize(v->shape[i]);
    free(v);
}

void views_copy_col(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    if (!t || cap == 0) {
        if (cap)
            out[0] = '\0';
        return;
    }
    size_t len = (size_t)n < cap - 1 ? (size_t)n : cap - 1;
    /* Cut at a character boundary: a half character would show as U+FFFD. */
    if ((size_t)n > len)
        while (len > 0 && (t[len] & 0xC0) == 0x80)
            len--;
    memcpy(out, t, len);
    out[len] = '\0';
}

static double ratio(int64_t num, int64_t den)
{
    return den > 0 ? (double)num / (double)den : NAN;
}

/* ---- dashboard ---------------------------------------------------------- */

static const char SQL_DASH_PEOPLE[] =
    "SELECT m.id, m.name, coalesce(lv.location_id, m.location_id), l.name, "
    "coalesce(lv.desk, m.desk), lv.emo_label, lv.emo_ts, lv.rating, lv.rating_polarity, "
    "lv.rating_ts, lv.rating_emo_label "
    "FROM employees m LEFT JOIN live lv ON lv.employee_id = m.id "
    "LEFT JOIN locations l ON l.id = coalesce(lv.location_id, m.location_id)";

static const char SQL_DASH_ROLLUP[] =
    "SELECT bucket, employee_id, ratings_total, positive, negative, silent, red_buttons, "
    "emo_positive, emo_negative, emo_mixed, emo_poker FROM rollup_q "
    "WHERE bucket >= ?1 AND bucket < ?2 AND employee_id <> ''";

static int dash_cmp(const void *a, const void *b)
{
    const views_dash_row *x = a, *y = b;
    int c = strcmp(x->location_name[0] ? x->location_name : x->location_id,
                   y->location_name[0] ? y->location_name : y->location_id);
    if (c == 0)
        c = strcmp(x->location_id, y->location_id);
    if (c == 0)
        c = strcmp(x->desk, y->desk);
    if (c == 0)
        c = strcmp(x->name, y->name);
    if (c == 0)
        c = strcmp(x->employee_id, y->employee_id);
    return c;
}

static int emp_cmp(const void *key, const void *elem)
{
    return strcmp(key, ((const views_dash_row *)elem)->employee_id);
}

static int by_id_cmp(const void *a, const void *b)
{
    return strcmp(((const views_dash_row *)a)->employee_id, ((const views_dash_row *)b)->employee_id);
}

static int dash_people(views *v, int spark_hours, views_dash_row **rows, size_t *nrows)
{
    sqlite3_stmt *st = store_stmt(v->st, SQL_DASH_PEOPLE);
    if (!st) {
        set_msg(v, _("dashboard query"));
        return -1;
    }
    size_t n = 0, cap = 0;
    views_dash_row *r = NULL;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&r, &cap, n, sizeof *r, 64)) {
            free(r);
            sqlite3_reset(st);
            snprintf(v->msg, sizeof v->msg, _("out of memory"));
            return -1;
        }
        views_dash_row *d = &r[n++];
        memset(d, 0, sizeof *d);
        views_copy_col(st, 0, d->employee_id, sizeof d->employee_id);
        views_copy_col(st, 1, d->name, sizeof d->name);
        if (!d->name[0])
            views_copy_col(st, 0, d->name, sizeof d->name);
        views_copy_col(st, 2, d->location_id, sizeof d->location_id);
        views_copy_col(st, 3, d->location_name, sizeof d->location_name);
        views_copy_col(st, 4, d->desk, sizeof d->desk);
        int lab = sqlite3_column_int(st, 5);
        d->emo_now = lab >= 0 && lab < EMO_COUNT ? (emo_label)lab : EMO_UNKNOWN;
        d->emo_ts = sqlite3_column_int64(st, 6);
        views_copy_col(st, 7, d->last_rating, sizeof d->last_rating);
        int pol = sqlite3_column_int(st, 8);
        d->last_polarity = pol >= POL_NONE && pol <= POL_NEGATIVE ? (rating_polarity)pol : POL_NONE;
        d->last_rating_ts = sqlite3_column_int64(st, 9);
        lab = sqlite3_column_int(st, 10);
        d->last_rating_emo = lab >= 0 && lab < EMO_COUNT ? (emo_label)lab : EMO_UNKNOWN;
        d->spark_hours = spark_hours;
        d->csat = d->smile_share = NAN;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        set_msg(v, _("dashboard query"));
        free(r);
        return -1;
    }
    *rows = r;
    *nrows = n;
    return 0;
}

int views_dashboard(views *v, int64_t now_us, int spark_hours, views_dash_row **rows,
                    size_t *nrows)
{
    *rows = NULL;
    *nrows = 0;
    if (spark_hours < 0)
        spark_hours = 0;
    if (spark_hours > VIEWS_SPARK_MAX)
        spark_hours = VIEWS_SPARK_MAX;
    /* Rollups are written at commit; our own open transaction must flush first. */
    if (store_in_tx(v->st) && store_flush(v->st) != SQLITE_OK) {
        set_msg(v, _("dashboard query"));
        return -1;
    }
    views_dash_row *r = NULL;
    size_t n = 0;
    if (dash_people(v, spark_hours, &r, &n) != 0)
        return -1;
    if (n) /* r is NULL for no rows; qsort(NULL, 0) is undefined */
        qsort(r, n, sizeof *r, by_id_cmp);

    int64_t now_s = now_us / 1000000;
    /* Today is the whole local calendar day, as the KPI view's "today"
     * (views_period_range): events stamped later than now that fall on
     * today count here too, so both views show the same numbers. */
    int64_t today_from, today_to;
    views_period_range(VIEWS_PERIOD_TODAY, now_us, &today_from, &today_to);
    int64_t midnight_s = today_from / 1000000, next_midnight_s = today_to / 1000000;
    int64_t hour_s = now_s - now_s % 3600; /* rollup buckets are UTC; hours are too */
    int64_t spark_from = hour_s - (int64_t)(spark_hours > 0 ? spark_hours - 1 : 0) * 3600;
    int64_t from_s = spark_hours > 0 && spark_from < midnight_s ? spark_from : midnight_s;
    sqlite3_stmt *st = store_stmt(v->st, SQL_DASH_ROLLUP);
    if (!st) {
        set_msg(v, _("dashboard query"));
        free(r);
        return -1;
    }
    sqlite3_bind_int64(st, 1, from_s);
    sqlite3_bind_int64(st, 2, next_midnight_s > now_s + 1 ? next_midnight_s : now_s + 1);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *emp = (const char *)sqlite3_column_text(st, 1);
        views_dash_row *d = emp && n ? bsearch(emp, r, n, sizeof *r, emp_cmp) : NULL;
        if (!d)
            continue; /* an employee named after this query started */
        int64_t bucket = sqlite3_column_int64(st, 0);
        int64_t total = sqlite3_column_int64(st, 2);
        if (bucket >= midnight_s && bucket < next_midnight_s) {
            int64_t pos = sqlite3_column_int64(st, 3), neg = sqlite3_column_int64(st, 4);
            d->ratings += total;
            d->pos += pos;
            d->neg += neg;
            d->neu += total - pos - neg;
            d->silent += sqlite3_column_int64(st, 5);
            d->red_buttons += sqlite3_column_int64(st, 6);
            int64_t ep = sqlite3_column_int64(st, 7);
            d->emo_positive += ep;
            d->emo_contacts += ep + sqlite3_column_int64(st, 8) + sqlite3_column_int64(st, 9) +
                               sqlite3_column_int64(st, 10);
        }
        if (spark_hours > 0 && bucket >= spark_from) {
            int64_t slot = (bucket - spark_from) / 3600;
            if (slot >= 0 && slot < spark_hours)
                d->spark[slot] += (int)(total > INT_MAX ? INT_MAX : total);
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        set_msg(v, _("dashboard query"));
        free(r);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        r[i].csat = ratio(r[i].pos, r[i].ratings) * 100.0;
        r[i].smile_share = ratio(r[i].emo_positive, r[i].emo_contacts) * 100.0;
    }
    if (n)
        qsort(r, n, sizeof *r, dash_cmp);
    *rows = r;
    *nrows = n;
    return 0;
}

/* ---- stream ------------------------------------------------------------- */

void views_filter_clear(views_filter *f)
{
    memset(f, 0, sizeof *f);
    f->emo = -1;
}

bool views_filter_active(const views_filter *f)
{
    return f->types || f->rating[0] || f->emo >= 0 || f->employee[0] || f->location[0] ||
           f->text[0];
}

static const char SQL_ROW_COLS[] =
    "SELECT e.rowid, e.ts, e.id, e.type, e.location_id, l.name, e.desk, e.employee_id, m.name, "
    "e.rating, e.polarity, e.emp_label, e.cust_label, "
    "e.clip_url IS NOT NULL OR EXISTS (SELECT 1 FROM clips c WHERE c.event_id = e.id), e.visit "
    "FROM events e LEFT JOIN locations l ON l.id = e.location_id "
    "LEFT JOIN employees m ON m.id = e.employee_id ";

void views_read_row(sqlite3_stmt *st, views_row *r)
{
    r->key.rowid = sqlite3_column_int64(st, 0);
    r->key.ts_us = sqlite3_column_int64(st, 1);
    views_copy_col(st, 2, r->id, sizeof r->id);
    int t = sqlite3_column_int(st, 3);
    r->type = t >= 0 && t < EV_TYPE_COUNT ? (event_type)t : EV_HEARTBEAT;
    views_copy_col(st, 4, r->location_id, sizeof r->location_id);
    views_copy_col(st, 5, r->location_name, sizeof r->location_name);
    views_copy_col(st, 6, r->desk, sizeof r->desk);
    views_copy_col(st, 7, r->employee_id, sizeof r->employee_id);
    views_copy_col(st, 8, r->employee_name, sizeof r->employee_name);
    views_copy_col(st, 9, r->rating, sizeof r->rating);
    int p = sqlite3_column_int(st, 10);
    r->polarity = p >= POL_NONE && p <= POL_NEGATIVE ? (rating_polarity)p : POL_NONE;
    int e = sqlite3_column_type(st, 11) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 11);
    r->emo_employee = e >= 0 && e < EMO_COUNT ? (emo_label)e : EMO_UNKNOWN;
    e = sqlite3_column_type(st, 12) == SQLITE_NULL ? 0 : sqlite3_column_int(st, 12);
    r->emo_customer = e >= 0 && e < EMO_COUNT ? (emo_label)e : EMO_UNKNOWN;
    r->has_clip = sqlite3_column_int(st, 13) != 0;
    views_copy_col(st, 14, r->visit, sizeof r->visit);
}

const char *views_row_cols_sql(void)
{
    return SQL_ROW_COLS;
}

/* Parameters: ?1 ts, ?2 rowid, ?3 type or type mask, ?4 rating, ?5 label,
 * ?6 employee, ?7 location, ?8 the free text, ?9 limit. */
static sqlite3_stmt *shape_stmt(views *v, unsigned shape)
{
    if (v->shape[shape]) {
        sqlite3_reset(v->shape[shape]);
        sqlite3_clear_bindings(v->shape[shape]);
        return v->shape[shape];
    }
    char sql[2048];
    size_t n = (size_t)snprintf(sql, sizeof sql, "%s", SQL_ROW_COLS);
#define ADD(s) n += (size_t)snprintf(sql + n, sizeof sql - n, "%s", (s))
    /* `ts <= ?1` alone is the index range; the tie on ts is broken by rowid. */
    if (shape & F_ASC)
        ADD("WHERE e.ts >= ?1 AND (e.ts > ?1 OR e.rowid > ?2) ");
    else
        ADD("WHERE e.ts <= ?1 AND (e.ts < ?1 OR e.rowid < ?2) ");
    if (shape & F_TYPE1)
        ADD("AND e.type = ?3 ");
    if (shape & F_TYPES)
        ADD("AND ((1 << e.type) & ?3) <> 0 ");
    if (shape & F_RATING)
        ADD("AND e.type = 1 AND e.rating = ?4 ");
    if (shape & F_EMO)
        ADD("AND coalesce(e.emp_label, 0) = ?5 ");
    if (shape & F_EMP)
        ADD("AND e.employee_id = ?6 ");
    if (shape & F_LOC)
        ADD("AND e.location_id = ?7 ");
    if (shape & F_TEXT)
        ADD("AND (e.employee_id IN (SELECT id FROM temp.views_text_emp) "
            "OR e.location_id IN (SELECT id FROM temp.views_text_loc) "
            "OR e.desk IN (SELECT id FROM temp.views_text_desk) "
            "OR e.id = ?8 OR e.visit = ?8) ");
    /* Only an id or a visit: the primary key and the visit index find the
     * few rows; a walk in time order would read every event first. */
    if (shape & F_TEXT_EMP1)
        ADD("AND e.employee_id = ?10 ");
    if (shape & F_TEXT_LOC1)
        ADD("AND e.location_id = ?10 ");
    if (shape & F_TEXT_ID)
        ADD("AND e.rowid IN (SELECT rowid FROM events WHERE id = ?8 "
            "UNION ALL SELECT rowid FROM events WHERE visit = ?8) ");
    if (shape & F_ASC)
        ADD("ORDER BY e.ts ASC, e.rowid ASC LIMIT ?9");
    else
        ADD("ORDER BY e.ts DESC, e.rowid DESC LIMIT ?9");
#undef ADD
    if (sqlite3_prepare_v3(v->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &v->shape[shape], NULL) !=
        SQLITE_OK) {
        set_msg(v, _("stream query"));
        return NULL;
    }
    return v->shape[shape];
}

static bool one_bit(unsigned m, int *bit)
{
    if (m == 0 || (m & (m - 1)) != 0)
        return false;
    int b = 0;
    while (!(m & (1u << b)))
        b++;
    *bit = b;
    return true;
}

static int fetch(views *v, const views_filter *f, views_key from, bool asc, views_row *out,
                 int max)
{
    if (max <= 0)
        return 0;
    unsigned shape = asc ? F_ASC : 0;
    int type1 = 0;
    if (f && f->types) {
        shape |= one_bit(f->types, &type1) ? F_TYPE1 : F_TYPES;
    }
    if (f && f->rating[0])
        shape |= F_RATING;
    if (f && f->emo >= 0)
        shape |= F_EMO;
    if (f && f->employee[0])
        shape |= F_EMP;
    if (f && f->location[0])
        shape |= F_LOC;
    if (f && f->text[0]) {
        if (views_text_prepare(v, f->text) != 0)
            return -1;
        if (!v->text_any)
            return 0; /* nothing can match: answer without touching the events */
        if (v->text_one[0])
            shape |= v->text_one_is_loc ? F_TEXT_LOC1 : F_TEXT_EMP1;
        else
            shape |= v->text_names ? F_TEXT : F_TEXT_ID;
    }
    sqlite3_stmt *st = shape_stmt(v, shape);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, from.ts_us);
    sqlite3_bind_int64(st, 2, from.rowid);
    if (shape & F_TYPE1)
        sqlite3_bind_int(st, 3, type1);
    if (shape & F_TYPES)
        sqlite3_bind_int64(st, 3, (sqlite3_int64)f->types);
    if (shape & F_RATING)
        sqlite3_bind_text(st, 4, f->rating, -1, SQLITE_STATIC);
    if (shape & F_EMO)
        sqlite3_bind_int(st, 5, f->emo);
    if (shape & F_EMP)
        sqlite3_bind_text(st, 6, f->employee, -1, SQLITE_STATIC);
    if (shape & F_LOC)
        sqlite3_bind_text(st, 7, f->location, -1, SQLITE_STATIC);
    if (shape & (F_TEXT_EMP1 | F_TEXT_LOC1))
        sqlite3_bind_text(st, 10, v->text_one, -1, SQLITE_STATIC);
    if (shape & (F_TEXT | F_TEXT_ID))
        sqlite3_bind_text(st, 8, f->text, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, max);
    int n = 0, rc;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        views_read_row(st, &out[n++]);
    if (n < max && rc != SQLITE_DONE) {
        set_msg(v, _("stream query"));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    if (asc) /* callers always get newest first */
        for (int i = 0, j = n - 1; i < j; i++, j--) {
            views_row tmp = out[i];
            out[i] = out[j];
            out[j] = tmp;
        }
    return n;
}

int views_stream_page(views *v, const views_filter *f, views_key from, bool newer,
                      views_row *out, int max)
{
    return fetch(v, f, from, newer, out, max);
}

int views_stream_tail(views *v, const views_filter *f, views_row *out, int max)
{
    views_key k = {INT64_MIN, INT64_MIN};
    return fetch(v, f, k, true, out, max);
}

static const char SQL_SPAN[] = "SELECT min(ts), max(ts) FROM events";

int views_stream_span(views *v, int64_t *oldest_us, int64_t *newest_us)
{
    sqlite3_stmt *st = store_stmt(v->st, SQL_SPAN);
    if (!st) {
        set_msg(v, _("span query"));
        return -1;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        set_msg(v, _("span query"));
        sqlite3_reset(st);
        return -1;
    }
    int empty = sqlite3_column_type(st, 0) == SQLITE_NULL;
    *oldest_us = sqlite3_column_int64(st, 0);
    *newest_us = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return empty ? 1 : 0;
}

/* ---- free text ---------------------------------------------------------- */

/* The free text is matched in C against the small name tables (case-folded,
 * Cyrillic too, which SQLite's lower() cannot do) and the matches are kept in
 * temp tables, so the event query probes indexes instead of running LIKE over
 * millions of rows. */
static const char SQL_TEXT_NAMES[] = "SELECT id, coalesce(name, '') FROM employees";
static const char SQL_TEXT_LOCS[] = "SELECT id, coalesce(name, '') FROM locations";
static const char SQL_TEXT_DESKS[] =
    "SELECT DISTINCT desk FROM employees WHERE desk IS NOT NULL "
    "UNION SELECT DISTINCT desk FROM live WHERE desk IS NOT NULL";
static const char SQL_TEXT_ID[] =
    "SELECT 1 WHERE EXISTS (SELECT 1 FROM events WHERE id = ?1) "
    "OR EXISTS (SELECT 1 FROM events WHERE visit = ?1)";

static int temp_exec(views *v, const char *sql)
{
    if (sqlite3_exec(v->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
        set_msg(v, _("filter query"));
        return -1;
    }
    return 0;
}

static int collect(views *v, const char *select, const char *insert, const char *needle,
                   int *found, char *last, size_t lastcap)
{
    sqlite3_stmt *st = store_stmt(v->st, select);
    sqlite3_stmt *ins = store_stmt(v->st, insert);
    if (!st || !ins) {
        set_msg(v, _("filter query"));
        return -1;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *name = sqlite3_column_count(st) > 1 ? (const char *)sqlite3_column_text(st, 1)
                                                         : NULL;
        if (!id)
            continue;
        if (!views_text_contains(id, needle) && !(name && views_text_contains(name, needle)))
            continue;
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, id, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            set_msg(v, _("filter query"));
            sqlite3_reset(ins);
            sqlite3_reset(st);
            return -1;
        }
        sqlite3_reset(ins);
        ++*found;
        snprintf(last, lastcap, "%s", id);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        set_msg(v, _("filter query"));
        return -1;
    }
    return 0;
}

int views_text_prepare(views *v, const char *text)
{
    if (v->temp_ready && v->text_cached[0] && strcmp(v->text_cached, text) == 0)
        return 0;
    if (!v->temp_ready) {
        if (temp_exec(v, "CREATE TEMP TABLE IF NOT EXISTS views_text_emp(id TEXT PRIMARY KEY);"
                         "CREATE TEMP TABLE IF NOT EXISTS views_text_loc(id TEXT PRIMARY KEY);"
                         "CREATE TEMP TABLE IF NOT EXISTS views_text_desk(id TEXT PRIMARY KEY);") !=
            0)
            return -1;
        v->temp_ready = true;
    }
    if (temp_exec(v, "DELETE FROM temp.views_text_emp; DELETE FROM temp.views_text_loc;"
                     "DELETE FROM temp.views_text_desk;") != 0)
        return -1;
    int nemp = 0, nloc = 0, ndesk = 0;
    char emp1[VIEWS_ID_MAX] = "", loc1[VIEWS_ID_MAX] = "", desk1[VIEWS_ID_MAX];
    if (collect(v, SQL_TEXT_NAMES, "INSERT OR IGNORE INTO temp.views_text_emp VALUES (?1)", text,
                &nemp, emp1, sizeof emp1) != 0 ||
        collect(v, SQL_TEXT_LOCS, "INSERT OR IGNORE INTO temp.views_text_loc VALUES (?1)", text,
                &nloc, loc1, sizeof loc1) != 0 ||
        collect(v, SQL_TEXT_DESKS, "INSERT OR IGNORE INTO temp.views_text_desk VALUES (?1)", text,
                &ndesk, desk1, sizeof desk1) != 0)
        return -1;
    int found = nemp + nloc + ndesk;
    v->text_one[0] = '\0';
    /* An exact event id or visit would be missed by the single-index walk. */
    bool id_like = false;
    if (found == 1 && ndesk == 0) {
        sqlite3_stmt *st = store_stmt(v->st, SQL_TEXT_ID);
        if (st) {
            sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
            id_like = sqlite3_step(st) == SQLITE_ROW;
            sqlite3_reset(st);
        }
        if (!id_like) {
            snprintf(v->text_one, sizeof v->text_one, "%s", nemp ? emp1 : loc1);
            v->text_one_is_loc = nloc > 0;
        }
    }
    v->text_names = found > 0;
    if (!found) {
        sqlite3_stmt *st = store_stmt(v->st, SQL_TEXT_ID);
        if (!st) {
            set_msg(v, _("filter query"));
            return -1;
        }
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
        found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_reset(st);
    }
    v->text_any = found > 0;
    snprintf(v->text_cached, sizeof v->text_cached, "%s", text);
    return 0;
}

void views_text_forget(views *v)
{
    /* New names may match the same text: resolve it again next time. */
    v->text_cached[0] = '\0';
}

bool views_filter_match(const views_filter *f, const event *ev)
{
    if (f->types && !(f->types & (1u << ev->type)))
        return false;
    if (f->rating[0] && (ev->type != EV_RATING || !ev->rating || strcmp(ev->rating, f->rating)))
        return false;
    if (f->emo >= 0 && (int)(ev->emo_employee.present ? ev->emo_employee.label : EMO_UNKNOWN) !=
                           f->emo)
        return false;
    if (f->employee[0] && (!ev->employee_id || strcmp(ev->employee_id, f->employee)))
        return false;
    if (f->location[0] && (!ev->location_id || strcmp(ev->location_id, f->location)))
        return false;
    if (f->text[0]) {
        const char *fields[] = {ev->employee_id, ev->employee_name, ev->location_id,
                                ev->location_name, ev->desk};
        bool hit = strcmp(ev->id, f->text) == 0 || (ev->visit && strcmp(ev->visit, f->text) == 0);
        for (size_t i = 0; !hit && i < sizeof fields / sizeof fields[0]; i++)
            hit = fields[i] && views_text_contains(fields[i], f->text);
        if (!hit)
            return false;
    }
    return true;
}

sqlite3 *views_db(views *v)
{
    return v->db;
}

store *views_store(views *v)
{
    return v->st;
}

void views_set_msg(views *v, const char *what)
{
    set_msg(v, what);
}

void views_set_text(views *v, const char *msg)
{
    snprintf(v->msg, sizeof v->msg, "%s", msg);
}

bool views_text_contains(const char *hay, const char *needle)
{
    return text_contains_folded(hay, needle); /* Cyrillic and every other script */
}
