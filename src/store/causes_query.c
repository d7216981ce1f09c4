/* The causes report's queries (causes.h). Which incidents a definition
 * applies to is bound as its CK_APPLY_* bit mask, so the statements stay
 * prepared and constant whatever the definition says. One read transaction
 * covers all the statements of a report: its numbers come from one snapshot
 * even while another supervisor saves. */
#include "cxm/causes.h"
#include "cxm/i18n.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/event.h"
#include "cxm/mem.h"
#include "cxm/review.h"
#include "store/store_internal.h"

/* ?1 from, ?2 to, ?3 applies mask, ?4 grouping, ?5 checklist, ?6 location, ?7 employee */
#define GROUP_KEY                                                                                  \
    "CASE ?4 WHEN 1 THEN e.location_id WHEN 2 THEN e.location_id || '/' || coalesce(e.desk, '') " \
    "WHEN 3 THEN coalesce(e.employee_id, '') ELSE 'all' END"
#define INCIDENT_WHERE                                                                             \
    "e.ts >= ?1 AND e.ts < ?2 AND (?6 IS NULL OR e.location_id = ?6) "                            \
    "AND (?7 IS NULL OR e.employee_id = ?7) "                                                      \
    "AND ((e.type <> 1 AND ((?3 >> (e.type + 3)) & 1)) OR (e.type = 1 AND (((?3 >> 4) & 1) "      \
    "OR (e.polarity BETWEEN 1 AND 3 AND ((?3 >> (3 - e.polarity)) & 1)))))"

static const char SQL_ROWS[] =
    "SELECT " GROUP_KEY " AS k, count(*), count(c.event_id), coalesce(sum(c.no_cause), 0) "
    "FROM events e LEFT JOIN checklist_entries c ON c.event_id = e.id AND c.checklist = ?5 "
    "AND c.status = 1 WHERE " INCIDENT_WHERE " GROUP BY k ORDER BY k";
static const char SQL_CAUSES[] =
    "SELECT " GROUP_KEY " AS k, x.item, count(*), sum(x.is_primary) "
    "FROM events e JOIN checklist_entries c ON c.event_id = e.id AND c.checklist = ?5 "
    "AND c.status = 1 JOIN checklist_causes x ON x.event_id = c.event_id AND "
    "x.checklist = c.checklist AND x.revision = c.revision WHERE " INCIDENT_WHERE
    " GROUP BY k, x.item";
static const char SQL_DRILL[] =
    "SELECT e.id, e.ts, x.at_ms, x.is_primary, coalesce(l.name, e.location_id), e.desk, "
    "coalesce(m.name, e.employee_id) "
    "FROM events e LEFT JOIN locations l ON l.id = e.location_id "
    "LEFT JOIN employees m ON m.id = e.employee_id JOIN checklist_entries c ON c.event_id = e.id AND c.checklist = ?5 "
    "AND c.status = 1 JOIN checklist_causes x ON x.event_id = c.event_id AND "
    "x.checklist = c.checklist AND x.revision = c.revision WHERE " INCIDENT_WHERE
    " AND x.item = ?8 AND " GROUP_KEY " = ?9 ORDER BY e.ts DESC, e.id";
static const char SQL_EMP_NAME[] = "SELECT name FROM employees WHERE id = ?1";
static const char SQL_LOC_NAME[] = "SELECT name FROM locations WHERE id = ?1";

static void bind_query(sqlite3_stmt *st, const checklist *c, const causes_query *q)
{
    sqlite3_bind_int64(st, 1, q->from_us);
    sqlite3_bind_int64(st, 2, q->to_us);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)c->applies);
    sqlite3_bind_int(st, 4, (int)q->by);
    sqlite3_bind_text(st, 5, c->id, -1, SQLITE_TRANSIENT);
    if (q->location)
        sqlite3_bind_text(st, 6, q->location, -1, SQLITE_TRANSIENT);
    if (q->employee)
        sqlite3_bind_text(st, 7, q->employee, -1, SQLITE_TRANSIENT);
}

static int fail(store *s, char *err, size_t errlen, const char *what)
{
    snprintf(err, errlen, _("%s: %s"), what, sqlite3_errmsg(store_db(s)));
    return -1;
}

/* *out: malloc'd name of `id` from the table `sql` reads ("" when unnamed). */
static int name_of(store *s, const char *sql, const char *id, char **out)
{
    *out = NULL;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    const unsigned char *t = rc == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        *out = strdup(t ? (const char *)t : "");
    sqlite3_reset(st);
    return *out ? 0 : -1;
}

/* Keeps `whole` in r->name, or, when it does not fit, its head cut at a
 * character boundary and marked with U+2026 there and the whole text in
 * r->name_whole (takes `whole` over). */
static void set_name(causes_row *r, char *whole)
{
    size_t n = strlen(whole);
    if (n < sizeof r->name) {
        memcpy(r->name, whole, n + 1);
        free(whole);
        return;
    }
    n = sizeof r->name - 4;
    while (n > 0 && ((unsigned char)whole[n] & 0xC0) == 0x80)
        n--;
    memcpy(r->name, whole, n);
    memcpy(r->name + n, "\xE2\x80\xA6", 4);
    r->name_whole = whole;
}

static int fill_name(store *s, causes_by by, causes_row *r)
{
    r->name[0] = '\0';
    char *whole = NULL;
    if (by == CAUSES_BY_LOCATION || by == CAUSES_BY_EMPLOYEE) {
        if (name_of(s, by == CAUSES_BY_LOCATION ? SQL_LOC_NAME : SQL_EMP_NAME, r->key, &whole) != 0)
            return -1;
        if (!whole[0]) {
            free(whole);
            whole = strdup(r->key);
        }
    } else if (by == CAUSES_BY_DESK) {
        /* ids cannot hold '/', so the key splits back into location and desk */
        char loc[sizeof r->key];
        snprintf(loc, sizeof loc, "%s", r->key);
        char *slash = strchr(loc, '/');
        const char *desk = slash ? slash + 1 : "";
        if (slash)
            *slash = '\0';
        char *lname = NULL;
        if (name_of(s, SQL_LOC_NAME, loc, &lname) != 0)
            return -1;
        size_t cap = strlen(lname) + strlen(loc) + strlen(desk) + 4;
        if ((whole = malloc(cap)))
            snprintf(whole, cap, "%s%s%s", lname[0] ? lname : loc, desk[0] ? " / " : "", desk);
        free(lname);
    } else {
        return 0;
    }
    if (!whole)
        return -1;
    set_name(r, whole);
    return 0;
}

static causes_row *row_of(causes_row *rows, size_t n, const char *key)
{
    /* rows are sorted by key (the query's ORDER BY uses the same collation) */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(rows[mid].key, key);
        if (!c)
            return &rows[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int add_cause(causes_row *r, size_t *cap, const checklist *c, const char *item, int64_t count,
                     int64_t primary)
{
    if (mem_grow(&r->causes, cap, r->ncauses, sizeof *r->causes, 8) != 0)
        return -1;
    causes_cause *k = &r->causes[r->ncauses++];
    memset(k, 0, sizeof *k);
    snprintf(k->id, sizeof k->id, "%s", item);
    k->item = checklist_item_index(c, item);
    k->section = k->item >= 0 ? c->items[k->item].section : -1;
    k->staff_related = k->section >= 0 && c->sections[k->section].staff_related;
    k->count = count;
    k->primary = primary;
    if (k->staff_related)
        r->staff_related += count;
    else
        r->not_staff_related += count;
    return 0;
}

void causes_free(causes_row *rows, size_t n)
{
    for (size_t i = 0; rows && i < n; i++) {
        free(rows[i].causes);
        free(rows[i].name_whole);
    }
    free(rows);
}

static int run_locked(store *s, const checklist *c, const causes_query *q, causes_row **out,
                      size_t *nout, char *err, size_t errlen)
{
    causes_row *rows = NULL;
    size_t n = 0, cap = 0;
    size_t *ccap = NULL;
    int rc, ret = -1;
    sqlite3_stmt *st = store_stmt(s, SQL_ROWS);
    if (!st)
        return fail(s, err, errlen, _("causes query"));
    bind_query(st, c, q);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&rows, &cap, n, sizeof *rows, 8) != 0) {
            sqlite3_reset(st);
            snprintf(err, errlen, _("out of memory"));
            goto out;
        }
        causes_row *r = &rows[n++];
        memset(r, 0, sizeof *r);
        const unsigned char *k = sqlite3_column_text(st, 0);
        snprintf(r->key, sizeof r->key, "%s", k ? (const char *)k : "");
        r->incidents = sqlite3_column_int64(st, 1);
        r->reviewed = sqlite3_column_int64(st, 2);
        r->no_cause = sqlite3_column_int64(st, 3);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        fail(s, err, errlen, _("causes query"));
        goto out;
    }
    if (n && !(ccap = calloc(n, sizeof *ccap))) {
        snprintf(err, errlen, _("out of memory"));
        goto out;
    }
    if (!(st = store_stmt(s, SQL_CAUSES))) {
        fail(s, err, errlen, _("causes query"));
        goto out;
    }
    bind_query(st, c, q);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *k = sqlite3_column_text(st, 0), *item = sqlite3_column_text(st, 1);
        causes_row *r = row_of(rows, n, k ? (const char *)k : "");
        if (!r || !item)
            continue; /* cannot happen: every cause's incident is counted in SQL_ROWS */
        if (add_cause(r, &ccap[r - rows], c, (const char *)item, sqlite3_column_int64(st, 2),
                      sqlite3_column_int64(st, 3)) != 0) {
            sqlite3_reset(st);
            snprintf(err, errlen, _("out of memory"));
            goto out;
        }
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        fail(s, err, errlen, _("causes query"));
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        causes_pareto(rows[i].causes, rows[i].ncauses);
        if (fill_name(s, q->by, &rows[i]) != 0) {
            fail(s, err, errlen, _("causes names query"));
            goto out;
        }
    }
    ret = 0;
out:
    free(ccap);
    if (ret != 0) {
        causes_free(rows, n);
        rows = NULL;
        n = 0;
    }
    *out = rows;
    *nout = n;
    return ret;
}

/* One snapshot for the whole report, unless the caller already has one. */
static int read_begin(store *s)
{
    if (store_in_tx(s))
        return 0;
    return sqlite3_exec(store_db(s), "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? 1 : -1;
}

static void read_end(store *s, int began)
{
    if (began == 1)
        sqlite3_exec(store_db(s), "COMMIT", NULL, NULL, NULL);
}

int causes_run(store *s, const checklist *c, const causes_query *q, causes_row **rows, size_t *nrows,
               char *err, size_t errlen)
{
    *rows = NULL;
    *nrows = 0;
    int b = read_begin(s);
    if (b < 0)
        return fail(s, err, errlen, _("causes query"));
    int rc = run_locked(s, c, q, rows, nrows, err, errlen);
    read_end(s, b);
    return rc;
}

int causes_incidents(store *s, const checklist *c, const causes_query *q, const char *row_key,
                     const char *item, causes_incident **out, size_t *n, char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, SQL_DRILL);
    if (!st)
        return fail(s, err, errlen, _("causes query"));
    bind_query(st, c, q);
    sqlite3_bind_text(st, 8, item, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 9, row_key, -1, SQLITE_TRANSIENT);
    causes_incident *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&v, &cap, cnt, sizeof *v, 16) != 0) {
            sqlite3_reset(st);
            free(v);
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
        causes_incident *x = &v[cnt++];
        const unsigned char *id = sqlite3_column_text(st, 0);
        snprintf(x->event_id, sizeof x->event_id, "%s", id ? (const char *)id : "");
        x->ts_us = sqlite3_column_int64(st, 1);
        x->at_ms = sqlite3_column_type(st, 2) == SQLITE_NULL ? REVIEW_NO_STAMP
                                                             : sqlite3_column_int64(st, 2);
        x->primary = sqlite3_column_int(st, 3) != 0;
        const unsigned char *loc = sqlite3_column_text(st, 4), *desk = sqlite3_column_text(st, 5),
                            *emp = sqlite3_column_text(st, 6);
        snprintf(x->location, sizeof x->location, "%s", loc ? (const char *)loc : "");
        snprintf(x->desk, sizeof x->desk, "%s", desk ? (const char *)desk : "");
        snprintf(x->employee, sizeof x->employee, "%s", emp ? (const char *)emp : "");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return fail(s, err, errlen, _("causes query"));
    }
    *out = v;
    *n = cnt;
    return 0;
}
