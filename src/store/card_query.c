/* The employee card's queries (include/cxm/card.h). KPIs come from kpi_run
 * only (the employee filter, --by day, and the site's location filter), so
 * the card can never disagree with the KPI view or `cxm-console kpi`; this
 * file adds who the employee is, the empty days between, their incidents
 * and their alerts. Every statement is cached by store_stmt and reads by
 * index (employee_id, ts) or by primary key. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/card.h"
#include "cxm/i18n.h"
#include "cxm/timefmt.h"
#include "store/store_internal.h"

static const char SQL_WHO[] =
    "SELECT m.name, coalesce(lv.location_id, m.location_id), l.name, coalesce(lv.desk, m.desk), "
    "lv.emo_label, lv.emo_ts FROM employees m LEFT JOIN live lv ON lv.employee_id = m.id "
    "LEFT JOIN locations l ON l.id = coalesce(lv.location_id, m.location_id) WHERE m.id = ?1";

static const char SQL_INCIDENTS[] =
    "SELECT e.id, e.ts, e.type, coalesce(e.rating, ''), e.polarity, e.emp_label, e.cust_label, "
    "coalesce(e.desk, ''), "
    "e.clip_url IS NOT NULL OR EXISTS (SELECT 1 FROM clips c WHERE c.event_id = e.id), "
    "EXISTS (SELECT 1 FROM alert_events a WHERE a.event_id = e.id) "
    "FROM events e WHERE e.employee_id = ?1 AND e.ts >= ?2 AND e.ts < ?3 AND "
    "((e.type = 1 AND e.polarity IN (2, 3)) OR e.type = 3) ORDER BY e.ts DESC, e.rowid DESC "
    "LIMIT ?4";

/* Alerts about the employee (their own scope) or holding one of their
 * events (a desk or site alert they took part in), opened in the period.
 * An alert's events lie in its window before it opened, or joined it later:
 * reading the employee's events from a week before the period (by the
 * (employee_id, ts) index) keeps a long history out of the query. */
static const char SQL_ALERTS[] =
    "SELECT id FROM alerts WHERE opened_us >= ?2 AND opened_us < ?3 AND ((scope = 2 AND "
    "scope_key = ?1) OR id IN (SELECT ae.alert_id FROM events e JOIN alert_events ae ON "
    "ae.event_id = e.id WHERE e.employee_id = ?1 AND e.ts >= ?2 - 604800000000 AND e.ts < ?3 + "
    "604800000000)) ORDER BY opened_us DESC, id DESC LIMIT ?4";

static void set_err(char *err, size_t errlen, const char *what, store *s)
{
    if (err && errlen) snprintf(err, errlen, _("%s: %s"), what, store_errmsg(s));
}

static int oom(char *err, size_t errlen)
{
    if (err && errlen) snprintf(err, errlen, _("out of memory"));
    return -1;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

static emo_label col_emo(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL) return EMO_UNKNOWN;
    int l = sqlite3_column_int(st, i);
    return l >= 0 && l < EMO_COUNT ? (emo_label)l : EMO_UNKNOWN;
}

int card_who_get(store *s, const char *employee_id, card_who *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->emo_now = EMO_UNKNOWN;
    snprintf(out->employee_id, sizeof out->employee_id, "%s", employee_id);
    sqlite3_stmt *st = store_stmt(s, SQL_WHO);
    if (!st) return set_err(err, errlen, _("card query"), s), -1;
    sqlite3_bind_text(st, 1, employee_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out->name, sizeof out->name, "%s", col_text(st, 0));
        snprintf(out->location_id, sizeof out->location_id, "%s", col_text(st, 1));
        snprintf(out->location_name, sizeof out->location_name, "%s", col_text(st, 2));
        snprintf(out->desk, sizeof out->desk, "%s", col_text(st, 3));
        out->emo_now = col_emo(st, 4);
        out->emo_ts = sqlite3_column_int64(st, 5);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    if (rc == SQLITE_DONE) return 1;
    set_err(err, errlen, _("card query"), s);
    return -1;
}

/* One kpi_run with by = ALL (one row) into *out. */
static int run_all(store *s, const cxm_rules *rules, kpi_query *q, kpi_row *out, char *err,
                   size_t errlen)
{
    kpi_row *rows = NULL;
    size_t n = 0;
    q->by = KPI_BY_ALL;
    if (kpi_run(s, rules, q, &rows, &n, err, errlen) != 0) return -1;
    if (n) *out = rows[0];
    free(rows);
    return 0;
}

/* Every local day of [from, to), each filled from kpi_run --by day. */
static int load_days(store *s, const cxm_rules *rules, kpi_query *q, card_data *d, char *err,
                     size_t errlen)
{
    int64_t first = time_local_midnight(d->from_us, 0);
    size_t n = 0;
    for (int64_t t = first; t < d->to_us && n < 100000; t = time_local_midnight(t, 1)) n++;
    size_t skip = n > CARD_DAYS_MAX ? n - CARD_DAYS_MAX : 0;
    d->days = calloc(n - skip + 1, sizeof *d->days);
    if (!d->days) return oom(err, errlen);
    int64_t t = first;
    for (size_t i = 0; i < n; i++, t = time_local_midnight(t, 1)) {
        if (i < skip) continue;
        card_day *day = &d->days[d->ndays++];
        day->start_us = t;
        /* noon: the date of that day whatever the clock change at midnight */
        time_format_local(t + 12 * 3600LL * 1000000, "%Y-%m-%d", day->day, sizeof day->day);
        kpi_counts zero;
        memset(&zero, 0, sizeof zero);
        kpi_compute(&zero, d->k, &day->v);
    }
    kpi_row *rows = NULL;
    size_t nrows = 0;
    q->by = KPI_BY_DAY;
    int64_t from = q->from_us;
    if (skip) q->from_us = d->days[0].start_us;
    int rc = kpi_run(s, rules, q, &rows, &nrows, err, errlen);
    q->from_us = from;
    if (rc != 0) return -1;
    for (size_t i = 0; i < nrows; i++)
        for (size_t j = 0; j < d->ndays; j++)
            if (!strcmp(d->days[j].day, rows[i].key)) {
                d->days[j].any = true;
                d->days[j].c = rows[i].c;
                d->days[j].v = rows[i].v;
                break;
            }
    free(rows);
    return 0;
}

static int load_incidents(store *s, const char *emp, card_data *d, char *err, size_t errlen)
{
    sqlite3_stmt *st = store_stmt(s, SQL_INCIDENTS);
    if (!st) return set_err(err, errlen, _("card incidents query"), s), -1;
    d->inc = calloc(CARD_INCIDENTS_MAX + 1, sizeof *d->inc);
    if (!d->inc) return sqlite3_reset(st), oom(err, errlen);
    sqlite3_bind_text(st, 1, emp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, d->from_us);
    sqlite3_bind_int64(st, 3, d->to_us);
    sqlite3_bind_int(st, 4, CARD_INCIDENTS_MAX + 1);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (d->ninc == CARD_INCIDENTS_MAX) {
            d->inc_more = true;
            continue;
        }
        card_incident *x = &d->inc[d->ninc++];
        snprintf(x->event_id, sizeof x->event_id, "%s", col_text(st, 0));
        x->ts_us = sqlite3_column_int64(st, 1);
        x->type = (event_type)sqlite3_column_int(st, 2);
        snprintf(x->rating, sizeof x->rating, "%s", col_text(st, 3));
        x->polarity = (rating_polarity)sqlite3_column_int(st, 4);
        x->emo_employee = col_emo(st, 5);
        x->emo_customer = col_emo(st, 6);
        snprintf(x->desk, sizeof x->desk, "%s", col_text(st, 7));
        x->has_clip = sqlite3_column_int(st, 8) != 0;
        x->in_alert = sqlite3_column_int(st, 9) != 0;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return set_err(err, errlen, _("card incidents query"), s), -1;
    return 0;
}

static int load_alerts(store *s, const char *emp, card_data *d, char *err, size_t errlen)
{
    sqlite3_stmt *st = store_stmt(s, SQL_ALERTS);
    if (!st) return set_err(err, errlen, _("card alerts query"), s), -1;
    int64_t ids[CARD_ALERTS_MAX];
    size_t n = 0;
    sqlite3_bind_text(st, 1, emp, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, d->from_us);
    sqlite3_bind_int64(st, 3, d->to_us);
    sqlite3_bind_int(st, 4, CARD_ALERTS_MAX);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < CARD_ALERTS_MAX)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return set_err(err, errlen, _("card alerts query"), s), -1;
    if (!n) return 0;
    d->alerts = calloc(n, sizeof *d->alerts);
    if (!d->alerts) return oom(err, errlen);
    /* alerts_get reads its own statements, so the list above is done first */
    for (size_t i = 0; i < n; i++) {
        int r = alerts_get(s, ids[i], &d->alerts[d->nalerts]);
        if (r == 0)
            d->nalerts++;
        else if (r != ALERTS_NOT_FOUND) /* closed and purged meanwhile: skip it */
            return set_err(err, errlen, _("card alerts query"), s), -1;
    }
    return 0;
}

int card_load(store *s, const cxm_rules *rules, const char *employee_id, const char *location,
              int64_t from_us, int64_t to_us, double k, card_data *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (err && errlen) err[0] = 0;
    out->from_us = from_us;
    out->to_us = to_us;
    out->k = k;
    kpi_query q = {.from_us = from_us, .to_us = to_us, .k = k, .employee = employee_id};
    snprintf(out->total.key, sizeof out->total.key, "all");
    kpi_compute(&out->total.c, k, &out->total.v);
    int rc = run_all(s, rules, &q, &out->total, err, errlen);
    if (rc == 0 && location && location[0]) {
        kpi_query sq = {.from_us = from_us, .to_us = to_us, .k = k, .location = location};
        rc = run_all(s, rules, &sq, &out->site, err, errlen);
        out->have_site = rc == 0;
    }
    if (rc == 0 && from_us < to_us) rc = load_days(s, rules, &q, out, err, errlen);
    if (rc == 0) rc = load_incidents(s, employee_id, out, err, errlen);
    if (rc == 0) rc = load_alerts(s, employee_id, out, err, errlen);
    if (rc != 0) card_data_free(out);
    return rc;
}

int card_kpis(store *s, const cxm_rules *rules, const char *employee_id, int64_t from_us,
              int64_t to_us, double k, kpi_row *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    snprintf(out->key, sizeof out->key, "all");
    kpi_compute(&out->c, k, &out->v);
    kpi_query q = {.from_us = from_us, .to_us = to_us, .k = k, .employee = employee_id};
    return run_all(s, rules, &q, out, err, errlen);
}

void card_data_free(card_data *d)
{
    free(d->days);
    free(d->inc);
    free(d->alerts);
    d->days = NULL;
    d->inc = NULL;
    d->alerts = NULL;
    d->ndays = d->ninc = d->nalerts = 0;
}

double card_calibration(const kpi_counts *c, const cxm_rules *rules, emo_label l, int64_t *total,
                        int64_t *positive)
{
    cxm_rules def;
    if (!rules || rules->scale.nvalues <= 0) {
        rules_default(&def);
        rules = &def;
    }
    int64_t tot = 0, pos = 0;
    if ((unsigned)l < EMO_COUNT)
        for (int i = 0; i < c->nvalues; i++) {
            tot += c->rv[i].by_emo[l];
            if (rules_polarity(rules, c->rv[i].value) == POL_POSITIVE) pos += c->rv[i].by_emo[l];
        }
    if (total) *total = tot;
    if (positive) *positive = pos;
    return tot ? 100.0 * (double)pos / (double)tot : NAN;
}

const char *card_metric_name(card_metric m)
{
    switch (m) {
    case CARD_M_RATINGS: return "Ratings";
    case CARD_M_CSAT: return "CSAT";
    case CARD_M_SMILE: return "Smile share";
    case CARD_M_EMONPS: return "EmoNPS";
    default: return "?";
    }
}

double card_day_metric(const card_day *d, card_metric m)
{
    switch (m) {
    case CARD_M_RATINGS: return (double)d->c.ratings_total;
    case CARD_M_CSAT: return d->v.csat;
    case CARD_M_SMILE: return isnan(d->v.smile_share) ? NAN : d->v.smile_share * 100.0;
    case CARD_M_EMONPS: return d->v.emonps;
    default: return NAN;
    }
}

void card_spark_levels(const double *vals, size_t n, bool from_zero, int *levels)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (isnan(vals[i])) continue;
        if (vals[i] < lo) lo = vals[i];
        if (vals[i] > hi) hi = vals[i];
    }
    if (from_zero && lo > 0) lo = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(vals[i])) {
            levels[i] = -1;
        } else if (hi <= lo) {
            levels[i] = from_zero ? 0 : 3; /* all zero counts; or one flat ratio: mid-height */
        } else {
            int l = (int)lround((vals[i] - lo) / (hi - lo) * 7.0);
            levels[i] = l < 0 ? 0 : l > 7 ? 7 : l;
        }
    }
}
