/* The alert engine (DESIGN §9) and the alert records. The rules' semantics
 * are spelled out in include/cxm/alerts.h. Cost: alerts_check runs inside the
 * ingest transaction at thousands of events a second, so an event no rule can
 * match costs no query at all, and every window count is a LIMITed range seek
 * on a covering partial index of 010_alerts.sql (it stops at the threshold
 * instead of counting a busy location's whole window). No IN lists anywhere
 * on this path: SQLite builds a temporary table for each one, per statement. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/alerts.h"
#include "cxm/timefmt.h"
#include "store/alerts_internal.h"
#include "store/store_internal.h"

#define US 1000000LL
/* Events linked to one alert when it opens: the newest of the window. Enough
 * for any pile-up a person reads; a flood must not bloat the transaction. */
#define LINK_MAX 200
/* Share rules count at most this many matching ratings before falling back to
 * an exact count (only a scope with thousands of bad ratings in one window). */
#define SHARE_CAP 4096

/* Rule types the partial indexes cover: rating, silent, red_button, force_majeure. */
#define INDEXED_TYPES (1u << EV_RATING | 1u << EV_SILENT | 1u << EV_RED_BUTTON | 1u << EV_FORCE_MAJEURE)

/* ---- window queries ------------------------------------------------------
 * ?1 location or employee id, ?2 desk, ?3 type, ?4..?5 the polarity range
 * (negative only, or all), ?8..?9 the window, ?10 the limit. One variant per
 * scope, with and without the literal type range that lets SQLite use the
 * partial index (see 010_alerts.sql for why it is wrapped in likely()). */
#define W_LOC "location_id = ?1"
#define W_DESK "location_id = ?1 AND desk = ?2"
#define W_EMP "employee_id = ?1"
#define W_WIN " AND type = ?3 AND polarity BETWEEN ?4 AND ?5 AND ts BETWEEN ?8 AND ?9"
#define W_IDX "likely(type BETWEEN 1 AND 4) AND "
#define COUNT_SQL(pre, scope) \
    "SELECT count(*) FROM (SELECT 1 FROM events WHERE " pre scope W_WIN " LIMIT ?10)"
#define IDS_SQL(pre, scope) \
    "SELECT id FROM events WHERE " pre scope W_WIN " ORDER BY ts DESC LIMIT ?10"

static const char *const count_sql[3][2] = {
    {COUNT_SQL(W_IDX, W_LOC), COUNT_SQL("", W_LOC)},
    {COUNT_SQL(W_IDX, W_DESK), COUNT_SQL("", W_DESK)},
    {COUNT_SQL(W_IDX, W_EMP), COUNT_SQL("", W_EMP)},
};
static const char *const ids_sql[3][2] = {
    {IDS_SQL(W_IDX, W_LOC), IDS_SQL("", W_LOC)},
    {IDS_SQL(W_IDX, W_DESK), IDS_SQL("", W_DESK)},
    {IDS_SQL(W_IDX, W_EMP), IDS_SQL("", W_EMP)},
};

const char *alerts_window_sql(int scope, bool ids)
{
    if (scope < 0 || scope > 2)
        return NULL;
    return ids ? ids_sql[scope][0] : count_sql[scope][0];
}


/* The few alerts of a rule + scope within the cooldown: near_alert picks one
 * in C (an ORDER BY here costs a sorter per checked event). */
static const char sql_near[] =
    "SELECT id, state, opened_us FROM alerts WHERE rule = ?1 AND scope_key = ?2"
    " AND opened_us BETWEEN ?3 AND ?4";
const char *alerts_near_sql(void)
{
    return sql_near;
}

static const char sql_link[] = "INSERT OR IGNORE INTO alert_events (alert_id, event_id) VALUES (?1, ?2)";
static const char sql_insert[] =
    "INSERT INTO alerts (rule, scope, scope_key, state, opened_us, window_from_us, window_to_us,"
    " trigger_event, summary, created_us, scope_name, matched, ratings)"
    " VALUES (?1, ?2, ?3, 0, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";


/* The scope an event belongs to under a rule; false when the event lacks
 * the field (a red button without an employee cannot count per employee). */
typedef struct {
    alert_scope scope;
    const char *a, *b; /* ?1 and ?2 of the window queries */
    char key[160];
} scope_ref;

static bool scope_of(const event *ev, alert_scope sc, scope_ref *out)
{
    out->scope = sc;
    out->b = NULL;
    switch (sc) {
    case ALERT_SCOPE_LOCATION:
        if (!ev->location_id || !*ev->location_id)
            return false;
        out->a = ev->location_id;
        snprintf(out->key, sizeof out->key, "%s", ev->location_id);
        return true;
    case ALERT_SCOPE_DESK:
        if (!ev->location_id || !*ev->location_id || !ev->desk || !*ev->desk)
            return false;
        out->a = ev->location_id;
        out->b = ev->desk;
        snprintf(out->key, sizeof out->key, "%s/%s", ev->location_id, ev->desk);
        return true;
    case ALERT_SCOPE_EMPLOYEE:
        if (!ev->employee_id || !*ev->employee_id)
            return false;
        out->a = ev->employee_id;
        snprintf(out->key, sizeof out->key, "%s", ev->employee_id);
        return true;
    }
    return false;
}

static bool rule_matches(const alert_rule *r, const event *ev)
{
    if ((unsigned)ev->type >= 32 || !(r->types_mask & (1u << ev->type)))
        return false;
    return ev->type != EV_RATING || !r->match_negative || ev->polarity == POL_NEGATIVE;
}

/* Count rules look at matching events; share rules at every rating, since a
 * neutral or positive rating can be the one that completes min_ratings. */
static bool rule_triggered_by(const alert_rule *r, const event *ev)
{
    if (r->window_s <= 0)
        return false;
    if (r->count_threshold > 0 && rule_matches(r, ev))
        return true;
    return r->share_threshold > 0 && ev->type == EV_RATING && (r->types_mask & (1u << EV_RATING));
}

static void bind_window(sqlite3_stmt *st, const scope_ref *sr, int type, bool negative_only,
                        int64_t from, int64_t to, int64_t limit)
{
    sqlite3_bind_text(st, 1, sr->a, -1, SQLITE_STATIC);
    if (sr->b)
        sqlite3_bind_text(st, 2, sr->b, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 4, negative_only ? POL_NEGATIVE : POL_NONE);
    sqlite3_bind_int(st, 5, POL_NEGATIVE);
    sqlite3_bind_int(st, 3, type);
    sqlite3_bind_int64(st, 8, from);
    sqlite3_bind_int64(st, 9, to);
    sqlite3_bind_int64(st, 10, limit);
}

static int variant(int type)
{
    return (INDEXED_TYPES & (1u << type)) ? 0 : 1;
}

/* Events of `type` in the scope and window, counted up to `limit` (-1: all). */
static int64_t count_type(store *s, const scope_ref *sr, int type, bool negative_only, int64_t from,
                          int64_t to, int64_t limit)
{
    sqlite3_stmt *st = store_stmt(s, count_sql[sr->scope][variant(type)]);
    if (!st)
        return -1;
    bind_window(st, sr, type, negative_only, from, to, limit);
    int64_t n = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

static bool negative_only_for(const alert_rule *r, int type)
{
    return type == EV_RATING && r->match_negative;
}

/* Matching events of a rule in the window, up to `limit` (-1: all). */
static int64_t count_matching(store *s, const alert_rule *r, const scope_ref *sr, int64_t from,
                              int64_t to, int64_t limit)
{
    int64_t total = 0;
    for (int t = 0; t < EV_TYPE_COUNT; t++) {
        if (!(r->types_mask & (1u << t)))
            continue;
        int64_t n = count_type(s, sr, t, negative_only_for(r, t), from, to,
                               limit < 0 ? -1 : limit - total);
        if (n < 0)
            return -1;
        total += n;
        if (limit >= 0 && total >= limit)
            break;
    }
    return total;
}

static int link_event(store *s, int64_t alert_id, const char *event_id)
{
    sqlite3_stmt *st = store_stmt(s, sql_link);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, alert_id);
    sqlite3_bind_text(st, 2, event_id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Links the newest matching events of the window (only_ratings: the share
 * rule's matching ratings). Returns how many, or -1. */
static int link_window(store *s, const alert_rule *r, const scope_ref *sr, int64_t from,
                       int64_t to, bool only_ratings, int64_t alert_id)
{
    int linked = 0;
    for (int t = 0; t < EV_TYPE_COUNT && linked < LINK_MAX; t++) {
        if (!(r->types_mask & (1u << t)) || (only_ratings && t != EV_RATING))
            continue;
        sqlite3_stmt *st = store_stmt(s, ids_sql[sr->scope][variant(t)]);
        if (!st)
            return -1;
        bind_window(st, sr, t, negative_only_for(r, t), from, to, LINK_MAX - linked);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (link_event(s, alert_id, (const char *)sqlite3_column_text(st, 0)) < 0) {
                sqlite3_reset(st);
                return -1;
            }
            linked++;
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return linked;
}

/* ---- summary text (English; the UI words its own from the counts) ------ */

static void describe_types(const alert_rule *r, const cxm_config *cfg, char *out, size_t cap)
{
    out[0] = 0;
    size_t len = 0;
    for (int t = 0; t < EV_TYPE_COUNT; t++) {
        if (!(r->types_mask & (1u << t)))
            continue;
        char part[160] = "";
        if (t == EV_RATING && r->match_negative) {
            const rating_scale *sc = &cfg->rules.scale;
            int k = 0;
            for (int i = 0; i < sc->nvalues; i++) {
                if (sc->polarity[i] != POL_NEGATIVE)
                    continue;
                size_t pl = strlen(part);
                snprintf(part + pl, sizeof part - pl, "%s%s", k++ ? "/" : "", sc->values[i]);
            }
            if (!k)
                snprintf(part, sizeof part, "negative rating");
        } else {
            snprintf(part, sizeof part, "%s", event_type_name((event_type)t));
        }
        len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", len ? "/" : "", part);
        if (len >= cap)
            break;
    }
}

static void describe_window(int s, char *out, size_t cap)
{
    if (s % 3600 == 0)
        snprintf(out, cap, "%d h", s / 3600);
    else if (s % 60 == 0)
        snprintf(out, cap, "%d min", s / 60);
    else
        snprintf(out, cap, "%d s", s);
}

static void scope_display(const event *ev, alert_scope sc, char *out, size_t cap)
{
    const char *loc = ev->location_name && *ev->location_name ? ev->location_name : ev->location_id;
    switch (sc) {
    case ALERT_SCOPE_LOCATION:
        snprintf(out, cap, "%s", loc);
        break;
    case ALERT_SCOPE_DESK:
        snprintf(out, cap, "%s, %s", ev->desk, loc);
        break;
    case ALERT_SCOPE_EMPLOYEE:
        snprintf(out, cap, "%s", ev->employee_name && *ev->employee_name ? ev->employee_name
                                                                          : ev->employee_id);
        break;
    }
    alerts_utf8_cut(out, cap);
}

static void describe_scope(const event *ev, alert_scope sc, char *out, size_t cap)
{
    const char *loc = ev->location_name && *ev->location_name ? ev->location_name : ev->location_id;
    switch (sc) {
    case ALERT_SCOPE_LOCATION:
        snprintf(out, cap, "at %s", loc);
        break;
    case ALERT_SCOPE_DESK:
        snprintf(out, cap, "at desk %s, %s", ev->desk, loc);
        break;
    case ALERT_SCOPE_EMPLOYEE:
        if (ev->employee_name && *ev->employee_name)
            snprintf(out, cap, "for %s (%s)", ev->employee_name, ev->employee_id);
        else
            snprintf(out, cap, "for employee %s", ev->employee_id);
        break;
    }
}

/* ---- the check ---------------------------------------------------------- */

/* The alert of this rule + scope within the cooldown of t (an unclosed one
 * first). Returns 1 found, 0 none, -1 error. */
static int near_alert(store *s, const alert_rule *r, const char *key, int64_t t, int64_t *id,
                      int *state)
{
    int64_t cd = (int64_t)(r->cooldown_s > 0 ? r->cooldown_s : 0) * US;
    sqlite3_stmt *st = store_stmt(s, sql_near);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, t - cd);
    sqlite3_bind_int64(st, 4, t + cd);
    int rc, found = 0;
    bool best_closed = true;
    int64_t best_dist = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t at = sqlite3_column_int64(st, 2);
        int64_t dist = at > t ? at - t : t - at;
        bool closed = sqlite3_column_int(st, 1) == ALERT_CLOSED;
        /* an unclosed alert first, then the nearest; ties: the earliest */
        if (!found || (!closed && best_closed) || (closed == best_closed && dist < best_dist)) {
            *id = sqlite3_column_int64(st, 0);
            *state = sqlite3_column_int(st, 1);
            best_closed = closed;
            best_dist = dist;
            found = 1;
        }
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? found : -1;
}

/* Share rule at t: 1 crossed (with the counts), 0 not, -1 error. Bounded:
 * first the matching ratings (a window with too few cannot fire), then all
 * ratings only up to the number at which the share would fall below. */
static int share_crossed(store *s, const alert_rule *r, const scope_ref *sr, int64_t from,
                         int64_t to, int64_t *m_out, int64_t *n_out)
{
    double share = r->share_threshold > 1 ? 1 : r->share_threshold;
    int64_t need = (int64_t)ceil(share * (r->min_ratings > 0 ? r->min_ratings : 1) - 1e-9);
    if (need < 1)
        need = 1;
    int64_t m = count_type(s, sr, EV_RATING, r->match_negative, from, to, SHARE_CAP);
    if (m < 0)
        return -1;
    if (m < need)
        return 0;
    int64_t limit = m >= SHARE_CAP ? -1 : (int64_t)floor((double)m / share + 1e-9) + 1;
    if (m >= SHARE_CAP)
        m = count_type(s, sr, EV_RATING, r->match_negative, from, to, -1);
    int64_t n = count_type(s, sr, EV_RATING, false, from, to, limit);
    if (n < 0 || m < 0)
        return -1;
    if (n < r->min_ratings || n == 0 || (double)m < share * (double)n - 1e-9)
        return 0;
    *m_out = m;
    *n_out = n;
    return 1;
}

static int open_alert(store *s, const cxm_config *cfg, const alert_rule *r, const event *ev,
                      const scope_ref *sr, bool by_share, int64_t m, int64_t n)
{
    int64_t t = ev->ts_us, from = t - (int64_t)r->window_s * US;
    char summary[640], types[128], win[32], where[200], sname[256];
    int64_t c = m;
    describe_types(r, cfg, types, sizeof types);
    scope_display(ev, r->scope, sname, sizeof sname);
    describe_window(r->window_s, win, sizeof win);
    describe_scope(ev, r->scope, where, sizeof where);
    /* The count in the summary is the real one (the check stopped at the
     * threshold); linking below caps at LINK_MAX, so count separately. */
    if (by_share) {
        int pct = (int)lround(100.0 * (double)m / (double)n);
        snprintf(summary, sizeof summary, "%lld of %lld ratings %s (%d %%) in %s %s",
                 (long long)m, (long long)n, types, pct, win, where);
    } else {
        c = count_matching(s, r, sr, from, t, -1);
        if (c < 0)
            return -1;
        snprintf(summary, sizeof summary, "%lld %s in %s %s", (long long)c, types, win, where);
    }
    /* alert_info.summary holds 256 bytes */
    alerts_utf8_cut(summary, sizeof ((alert_info *)0)->summary);

    sqlite3_stmt *st = store_stmt(s, sql_insert);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, (int)r->scope);
    sqlite3_bind_text(st, 3, sr->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, t);
    sqlite3_bind_int64(st, 5, from);
    sqlite3_bind_int64(st, 6, t);
    sqlite3_bind_text(st, 7, ev->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, summary, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 9, time_now_us());
    sqlite3_bind_text(st, 10, sname, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, c);
    sqlite3_bind_int64(st, 12, by_share ? n : 0);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    int64_t id = sqlite3_last_insert_rowid(store_db(s));
    return link_window(s, r, sr, from, t, by_share, id) < 0 ? -1 : 0;
}

/* One rule at one event: returns 1 opened, 0 not, -1 error. */
static int check_one(store *s, const cxm_config *cfg, const alert_rule *r, const event *ev)
{
    scope_ref sr;
    if (!scope_of(ev, r->scope, &sr))
        return 0;
    int64_t t = ev->ts_us, from = t - (int64_t)r->window_s * US;

    /* Cooldown first: it is one seek in a small table, and in a pile-up it
     * spares the window counts for every event after the first alert. */
    int64_t near_id = 0;
    int near_state = 0;
    int f = near_alert(s, r, sr.key, t, &near_id, &near_state);
    if (f < 0)
        return -1;
    if (f > 0) {
        if (near_state != ALERT_CLOSED && rule_matches(r, ev))
            return link_event(s, near_id, ev->id) < 0 ? -1 : 0;
        return 0;
    }

    if (r->count_threshold > 0 && rule_matches(r, ev)) {
        int64_t c = count_matching(s, r, &sr, from, t, r->count_threshold);
        if (c < 0)
            return -1;
        if (c >= r->count_threshold)
            return open_alert(s, cfg, r, ev, &sr, false, 0, 0) < 0 ? -1 : 1;
    }
    if (r->share_threshold > 0 && ev->type == EV_RATING && (r->types_mask & (1u << EV_RATING))) {
        int64_t m = 0, n = 0;
        int x = share_crossed(s, r, &sr, from, t, &m, &n);
        if (x < 0)
            return -1;
        if (x > 0)
            return open_alert(s, cfg, r, ev, &sr, true, m, n) < 0 ? -1 : 1;
    }
    return 0;
}

int alerts_check(store *s, const cxm_config *cfg, const event *evs, size_t n)
{
    if (!cfg || cfg->nalerts <= 0 || n == 0)
        return 0;
    /* Which types any rule looks at: the common event costs one test. */
    unsigned any = 0;
    for (int i = 0; i < cfg->nalerts && i < CONFIG_ALERTS_MAX; i++) {
        const alert_rule *r = &cfg->alerts[i];
        if (r->count_threshold > 0)
            any |= r->types_mask;
        if (r->share_threshold > 0 && (r->types_mask & (1u << EV_RATING)))
            any |= 1u << EV_RATING;
    }
    bool own_tx = false;
    int opened = 0;
    for (size_t k = 0; k < n; k++) {
        const event *ev = &evs[k];
        if ((unsigned)ev->type >= 32 || !(any & (1u << ev->type)))
            continue;
        for (int i = 0; i < cfg->nalerts && i < CONFIG_ALERTS_MAX; i++) {
            const alert_rule *r = &cfg->alerts[i];
            if (!rule_triggered_by(r, ev))
                continue;
            /* Opening an alert is several statements: keep them atomic even
             * when the caller is not in a transaction (tests, tools). */
            if (!own_tx && !store_in_tx(s)) {
                if (store_begin(s) < 0)
                    return -1;
                own_tx = true;
            }
            int rc = check_one(s, cfg, r, ev);
            if (rc < 0) {
                if (own_tx)
                    store_rollback(s);
                return -1;
            }
            opened += rc;
        }
    }
    if (own_tx && store_commit(s) < 0)
        return -1;
    return opened;
}

int alerts_rescan(store *s, const cxm_config *cfg, int64_t from_us, int64_t to_us)
{
    static const char sql[] =
        "SELECT e.id, e.ts, e.type, e.location_id, l.name, e.desk, e.employee_id, m.name,"
        " e.rating, e.polarity FROM events e"
        " LEFT JOIN locations l ON l.id = e.location_id"
        " LEFT JOIN employees m ON m.id = e.employee_id"
        " WHERE e.ts BETWEEN ?1 AND ?2 AND ((1 << e.type) & ?3) != 0 ORDER BY e.ts, e.id";
    unsigned any = 0;
    for (int i = 0; i < cfg->nalerts && i < CONFIG_ALERTS_MAX; i++)
        any |= cfg->alerts[i].types_mask | 1u << EV_RATING;
    bool own_tx = !store_in_tx(s);
    if (own_tx && store_begin(s) < 0)
        return -1;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, from_us);
    sqlite3_bind_int64(st, 2, to_us);
    sqlite3_bind_int64(st, 3, any);
    int rc, opened = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        /* Only what the engine reads; the strings live until the next step. */
        event ev;
        memset(&ev, 0, sizeof ev);
        alerts_col_text(st, 0, ev.id, sizeof ev.id);
        ev.ts_us = sqlite3_column_int64(st, 1);
        int type = sqlite3_column_int(st, 2);
        if (type < 0 || type >= EV_TYPE_COUNT)
            continue;
        ev.type = (event_type)type;
        ev.location_id = (char *)sqlite3_column_text(st, 3);
        ev.location_name = (char *)sqlite3_column_text(st, 4);
        ev.desk = (char *)sqlite3_column_text(st, 5);
        ev.employee_id = (char *)sqlite3_column_text(st, 6);
        ev.employee_name = (char *)sqlite3_column_text(st, 7);
        ev.rating = (char *)sqlite3_column_text(st, 8);
        int pol = sqlite3_column_int(st, 9);
        ev.polarity = pol >= POL_NONE && pol <= POL_NEGATIVE ? (rating_polarity)pol : POL_NONE;
        int n = alerts_check(s, cfg, &ev, 1);
        if (n < 0) {
            sqlite3_reset(st);
            goto fail;
        }
        opened += n;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        goto fail;
    if (own_tx && store_commit(s) < 0)
        return -1;
    return opened;
fail:
    if (own_tx)
        store_rollback(s);
    return -1;
}
