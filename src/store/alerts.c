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


static const char sql_link[] =
    "INSERT OR IGNORE INTO alert_events (alert_id, event_id, linked_us) VALUES (?1, ?2, ?3)";
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
    sqlite3_bind_text(st, 2, event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, time_now_us());
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

/* Links every matching event in [from, to] (what a pile-up brought after
 * its alert), up to a bound a flood cannot pass. */
static int link_range(store *s, const alert_rule *r, const scope_ref *sr, int64_t from, int64_t to,
                      int64_t alert_id)
{
    for (int t = 0; t < EV_TYPE_COUNT; t++) {
        if (!(r->types_mask & (1u << t)))
            continue;
        sqlite3_stmt *st = store_stmt(s, ids_sql[sr->scope][variant(t)]);
        if (!st)
            return -1;
        bind_window(st, sr, t, negative_only_for(r, t), from, to, 50 * LINK_MAX);
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (link_event(s, alert_id, (const char *)sqlite3_column_text(st, 0)) < 0) {
                sqlite3_reset(st);
                return -1;
            }
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return 0;
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
    int n = 0;
    switch (sc) {
    case ALERT_SCOPE_LOCATION:
        n = snprintf(out, cap, "%s", loc);
        break;
    case ALERT_SCOPE_DESK:
        n = snprintf(out, cap, "%s, %s", ev->desk, loc);
        break;
    case ALERT_SCOPE_EMPLOYEE:
        n = snprintf(out, cap, "%s", ev->employee_name && *ev->employee_name ? ev->employee_name
                                                                          : ev->employee_id);
        break;
    }
    if (n >= (int)cap)
        alerts_utf8_mark_cut(out, cap);
}

static void describe_scope(const event *ev, alert_scope sc, char *out, size_t cap)
{
    const char *loc = ev->location_name && *ev->location_name ? ev->location_name : ev->location_id;
    int n = 0;
    switch (sc) {
    case ALERT_SCOPE_LOCATION:
        n = snprintf(out, cap, "at %s", loc);
        break;
    case ALERT_SCOPE_DESK:
        n = snprintf(out, cap, "at desk %s, %s", ev->desk, loc);
        break;
    case ALERT_SCOPE_EMPLOYEE:
        if (ev->employee_name && *ev->employee_name)
            n = snprintf(out, cap, "for %s (%s)", ev->employee_name, ev->employee_id);
        else
            n = snprintf(out, cap, "for employee %s", ev->employee_id);
        break;
    }
    if (n >= (int)cap)
        alerts_utf8_mark_cut(out, cap);
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

/* ---- event-time evaluation ----------------------------------------------
 * What the alerts of a set of events are (the reference the property test of
 * tests/unit/test_alerts_order.c implements by brute force):
 * - A rule and scope "cross" at a time te when an event it looks at lies at
 *   te (a matching event for the count, any rating for the share) and the
 *   window [te - window, te] holds enough (every event of the scope stamped
 *   in it counts, ties at te included).
 * - Alerts open greedily in time: at the first crossing, then at the first
 *   crossing more than `cooldown` after the previous alert, and so on. So the
 *   cooldown keeps one alert per pile-up, and the set depends on the events
 *   alone, never on the order or the batches in which they were stored.
 * - An alert holds the matching events of its window (the newest LINK_MAX)
 *   and the matching events up to `cooldown` after it while it is not closed.
 * A stored event at t changes only the crossings in [t, t + window]. The walk
 * below re-evaluates those (only where no alert's cooldown makes them moot)
 * and reconciles the stored alerts with what it finds: an alert of the same
 * pile-up (opening within the cooldown) keeps its row, id and workflow state
 * and moves; one no longer crossing is deleted; a new one is inserted. Once
 * past the changed times, the walk stops as soon as the old and the new
 * alerts agree again (the greedy choice only depends on the previous alert),
 * so an event in order costs a few index seeks, and a late one the crossings
 * of the windows it falls into. */

static const char sql_prev[] =
    "SELECT id, opened_us FROM alerts WHERE rule = ?1 AND scope_key = ?2 AND opened_us < ?3"
    " ORDER BY opened_us DESC LIMIT 1";
static const char sql_head[] =
    "SELECT id, opened_us, state FROM alerts WHERE rule = ?1 AND scope_key = ?2"
    " AND opened_us >= ?3 AND id != ?4 AND opened_us <= ?5 ORDER BY opened_us, id LIMIT 1";
static const char sql_absorb[] =
    "SELECT id, state FROM alerts WHERE rule = ?1 AND scope_key = ?2"
    " AND opened_us BETWEEN ?3 AND ?4 ORDER BY opened_us DESC LIMIT 1";
static const char sql_del_links[] = "DELETE FROM alert_events WHERE alert_id = ?1";
static const char sql_del[] = "DELETE FROM alerts WHERE id = ?1";
static const char sql_update[] =
    "UPDATE alerts SET opened_us = ?2, window_from_us = ?3, window_to_us = ?4, trigger_event = ?5,"
    " summary = ?6, scope_name = ?7, matched = ?8, ratings = ?9 WHERE id = ?1";
static const char sql_trigger[] =
    "SELECT e.id, e.ts, e.type, e.location_id, l.name, e.desk, e.employee_id, m.name,"
    " e.rating, e.polarity FROM events e"
    " LEFT JOIN locations l ON l.id = e.location_id"
    " LEFT JOIN employees m ON m.id = e.employee_id WHERE e.id = ?1";

#define NEXT_SQL(pre, scope) \
    "SELECT ts FROM events WHERE " pre scope W_WIN " ORDER BY ts LIMIT 1"
#define MINID_SQL(pre, scope) "SELECT min(id) FROM events WHERE " pre scope W_WIN
static const char *const next_sql[3][2] = {
    {NEXT_SQL(W_IDX, W_LOC), NEXT_SQL("", W_LOC)},
    {NEXT_SQL(W_IDX, W_DESK), NEXT_SQL("", W_DESK)},
    {NEXT_SQL(W_IDX, W_EMP), NEXT_SQL("", W_EMP)},
};
static const char *const minid_sql[3][2] = {
    {MINID_SQL(W_IDX, W_LOC), MINID_SQL("", W_LOC)},
    {MINID_SQL(W_IDX, W_DESK), MINID_SQL("", W_DESK)},
    {MINID_SQL(W_IDX, W_EMP), MINID_SQL("", W_EMP)},
};

const char *alerts_near_sql(void)
{
    return sql_absorb;
}

const char *alerts_walk_sql(int which)
{
    switch (which) {
    case 0: return sql_prev;
    case 1: return sql_head;
    case 2: return next_sql[0][0];
    case 3: return next_sql[1][0];
    case 4: return next_sql[2][0];
    default: return NULL;
    }
}

#define NONE INT64_MAX

typedef struct {
    store *s;
    const cxm_config *cfg;
    const alert_rule *r;
    scope_ref sr;
    int64_t W, cd;
    int64_t hi;                  /* the changed crossings end here */
    int64_t L;                   /* unconsumed stored alerts open at or after L */
    int64_t last;                /* the newest alert of the new sequence, or NONE */
    int64_t old_last;            /* the newest stored alert consumed, or NONE */
    int64_t skip_id;             /* the stored alert just reused (its twins go) */
    int64_t limit;               /* replay of a period: alerts after it are not touched */
    int64_t cq[EV_TYPE_COUNT];   /* candidate cache: the first ts >= cq[t] is cr[t] */
    int64_t cr[EV_TYPE_COUNT];
    alerts_report *rep;
} walker;

static bool cand_type(const alert_rule *r, int t)
{
    if (!(r->types_mask & (1u << t)))
        return false;
    return r->count_threshold > 0 || (r->share_threshold > 0 && t == EV_RATING);
}

/* Ratings a candidate search looks at: only negative ones for a count rule
 * under match_negative, all of them as soon as a share is measured. */
static bool cand_negative_only(const alert_rule *r, int t)
{
    return t == EV_RATING && r->match_negative && !(r->share_threshold > 0);
}

static int64_t next_of_type(walker *w, int t, int64_t x)
{
    if (w->cq[t] != NONE && w->cq[t] <= x && x <= w->cr[t])
        return w->cr[t];
    sqlite3_stmt *st = store_stmt(w->s, next_sql[w->sr.scope][variant(t)]);
    if (!st)
        return -1;
    bind_window(st, &w->sr, t, cand_negative_only(w->r, t), x, NONE, 1);
    int rc = sqlite3_step(st);
    int64_t v = NONE;
    if (rc == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    w->cq[t] = x;
    w->cr[t] = v;
    return v;
}

/* The first time >= x at which the rule looks at an event; NONE or -1. */
static int64_t next_candidate(walker *w, int64_t x)
{
    int64_t best = NONE;
    for (int t = 0; t < EV_TYPE_COUNT; t++) {
        if (!cand_type(w->r, t))
            continue;
        int64_t v = next_of_type(w, t, x);
        if (v == -1)
            return -1;
        if (v < best)
            best = v;
    }
    return best;
}

/* Smallest event id at exactly te among the types (negative-only ratings
 * when neg) into out; "" when none. */
static int min_id_at(walker *w, int64_t te, bool only_ratings, char *out, size_t cap)
{
    out[0] = 0;
    for (int t = 0; t < EV_TYPE_COUNT; t++) {
        if (!(w->r->types_mask & (1u << t)) || (only_ratings && t != EV_RATING))
            continue;
        sqlite3_stmt *st = store_stmt(w->s, minid_sql[w->sr.scope][variant(t)]);
        if (!st)
            return -1;
        bool neg = only_ratings ? false : negative_only_for(w->r, t);
        bind_window(st, &w->sr, t, neg, te, te, 1);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            const char *id = (const char *)sqlite3_column_text(st, 0);
            if (!out[0] || strcmp(id, out) < 0)
                snprintf(out, cap, "%s", id);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return -1;
    }
    return 0;
}

typedef struct {
    bool by_share;
    int64_t m, n; /* share: matching and all ratings */
    char trigger[EVENT_ID_MAX + 1];
} crossing;

/* Does the rule cross at te? 1 yes (with what), 0 no, -1 error. */
static int crosses(walker *w, int64_t te, crossing *c)
{
    const alert_rule *r = w->r;
    int64_t from = te - w->W;
    memset(c, 0, sizeof *c);
    if (r->count_threshold > 0) {
        /* a matching event at te? (always, unless ratings of any polarity
         * are candidates because the rule also measures a share) */
        int64_t here = 1;
        if (r->share_threshold > 0)
            here = count_matching(w->s, r, &w->sr, te, te, 1);
        if (here < 0)
            return -1;
        if (here > 0) {
            int64_t k = count_matching(w->s, r, &w->sr, from, te, r->count_threshold);
            if (k < 0)
                return -1;
            if (k >= r->count_threshold)
                return min_id_at(w, te, false, c->trigger, sizeof c->trigger) < 0 ? -1 : 1;
        }
    }
    if (r->share_threshold > 0 && (r->types_mask & (1u << EV_RATING))) {
        int64_t here = count_type(w->s, &w->sr, EV_RATING, false, te, te, 1);
        if (here < 0)
            return -1;
        if (here == 0)
            return 0;
        int x = share_crossed(w->s, r, &w->sr, from, te, &c->m, &c->n);
        if (x <= 0)
            return x;
        c->by_share = true;
        return min_id_at(w, te, true, c->trigger, sizeof c->trigger) < 0 ? -1 : 1;
    }
    return 0;
}

/* The trigger event as the summary needs it (names from their tables).
 * Strings point into *st's row: valid until it is reset. */
static sqlite3_stmt *load_trigger(store *s, const char *id, event *ev)
{
    sqlite3_stmt *st = store_stmt(s, sql_trigger);
    if (!st)
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    memset(ev, 0, sizeof *ev);
    alerts_col_text(st, 0, ev->id, sizeof ev->id);
    ev->ts_us = sqlite3_column_int64(st, 1);
    int type = sqlite3_column_int(st, 2);
    ev->type = type >= 0 && type < EV_TYPE_COUNT ? (event_type)type : EV_RATING;
    ev->location_id = (char *)sqlite3_column_text(st, 3);
    ev->location_name = (char *)sqlite3_column_text(st, 4);
    ev->desk = (char *)sqlite3_column_text(st, 5);
    ev->employee_id = (char *)sqlite3_column_text(st, 6);
    ev->employee_name = (char *)sqlite3_column_text(st, 7);
    ev->rating = (char *)sqlite3_column_text(st, 8);
    if (!ev->location_id)
        ev->location_id = "";
    if (!ev->desk)
        ev->desk = "";
    if (!ev->employee_id)
        ev->employee_id = "";
    return st;
}

static int exec_id(store *s, const char *sql, int64_t id)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void report(walker *w, alert_change_kind kind, int64_t id, int64_t opened, int64_t old_opened,
                   int state)
{
    alerts_report *rp = w->rep;
    if (!rp)
        return;
    if (kind == ALERT_CHANGE_OPENED)
        rp->opened++;
    else if (kind == ALERT_CHANGE_GONE)
        rp->gone++;
    else if (kind == ALERT_CHANGE_MOVED)
        rp->moved++;
    else
        rp->kept++;
    if (!rp->collect || kind == ALERT_CHANGE_KEPT)
        return;
    if (rp->n == rp->cap) {
        size_t nc = rp->cap ? rp->cap * 2 : 16;
        alert_change *p = realloc(rp->changes, nc * sizeof *p);
        if (!p)
            return; /* the counts stay right; the list is shorter */
        rp->changes = p;
        rp->cap = nc;
    }
    alert_change *c = &rp->changes[rp->n++];
    memset(c, 0, sizeof *c);
    c->kind = kind;
    c->id = id;
    snprintf(c->rule, sizeof c->rule, "%s", w->r->name);
    snprintf(c->scope_key, sizeof c->scope_key, "%s", w->sr.key);
    c->opened_us = opened;
    c->old_opened_us = old_opened;
    c->state = state < 0 ? ALERT_OPEN : (alert_state)state;
}

static int delete_alert(walker *w, int64_t id, int64_t opened, int state)
{
    if (exec_id(w->s, sql_del_links, id) < 0 || exec_id(w->s, sql_del, id) < 0)
        return -1;
    report(w, ALERT_CHANGE_GONE, id, opened, opened, state);
    return 0;
}

/* Writes the alert at te: a new row (id == 0) or the row `id` moved or
 * refreshed. relink: its links are rebuilt (the window and what it absorbs). */
static int write_alert(walker *w, int64_t te, const crossing *c, int64_t id, bool relink)
{
    const alert_rule *r = w->r;
    int64_t from = te - w->W;
    event ev;
    sqlite3_stmt *tst = load_trigger(w->s, c->trigger, &ev);
    if (!tst)
        return -1;
    char summary[640], types[128], win[32], where[200], sname[256];
    describe_types(r, w->cfg, types, sizeof types);
    scope_display(&ev, r->scope, sname, sizeof sname);
    describe_window(r->window_s, win, sizeof win);
    describe_scope(&ev, r->scope, where, sizeof where);
    sqlite3_reset(tst);
    int64_t matched = c->m;
    if (c->by_share) {
        int pct = (int)lround(100.0 * (double)c->m / (double)c->n);
        snprintf(summary, sizeof summary, "%lld of %lld ratings %s (%d %%) in %s %s",
                 (long long)c->m, (long long)c->n, types, pct, win, where);
    } else {
        matched = count_matching(w->s, r, &w->sr, from, te, -1);
        if (matched < 0)
            return -1;
        snprintf(summary, sizeof summary, "%lld %s in %s %s", (long long)matched, types, win, where);
    }
    if (strlen(summary) >= sizeof ((alert_info *)0)->summary)
        alerts_utf8_mark_cut(summary, sizeof ((alert_info *)0)->summary);

    sqlite3_stmt *st = store_stmt(w->s, id ? sql_update : sql_insert);
    if (!st)
        return -1;
    if (id) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, te);
        sqlite3_bind_int64(st, 3, from);
        sqlite3_bind_int64(st, 4, te);
        sqlite3_bind_text(st, 5, c->trigger, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, summary, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, sname, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 8, matched);
        sqlite3_bind_int64(st, 9, c->by_share ? c->n : 0);
    } else {
        sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, (int)r->scope);
        sqlite3_bind_text(st, 3, w->sr.key, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 4, te);
        sqlite3_bind_int64(st, 5, from);
        sqlite3_bind_int64(st, 6, te);
        sqlite3_bind_text(st, 7, c->trigger, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, summary, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 9, time_now_us());
        sqlite3_bind_text(st, 10, sname, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 11, matched);
        sqlite3_bind_int64(st, 12, c->by_share ? c->n : 0);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (!id) {
        id = sqlite3_last_insert_rowid(store_db(w->s));
        relink = true;
    } else if (relink && exec_id(w->s, sql_del_links, id) < 0) {
        return -1;
    }
    if (link_window(w->s, r, &w->sr, from, te, c->by_share, id) < 0)
        return -1;
    /* what the pile-up brought after it (stored before the alert existed) */
    if (relink && link_range(w->s, r, &w->sr, te, te + w->cd, id) < 0)
        return -1;
    return 0;
}

typedef struct {
    int64_t id, opened;
    int state;
} stored_alert;

/* The first stored alert not consumed yet: 1 found, 0 none, -1 error. */
static int head(walker *w, stored_alert *h)
{
    sqlite3_stmt *st = store_stmt(w->s, sql_head);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, w->r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, w->sr.key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, w->L);
    sqlite3_bind_int64(st, 4, w->skip_id);
    sqlite3_bind_int64(st, 5, w->limit);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        h->id = sqlite3_column_int64(st, 0);
        h->opened = sqlite3_column_int64(st, 1);
        h->state = sqlite3_column_int(st, 2);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Deletes the unconsumed stored alerts that open before `until`. */
static int drop_before(walker *w, int64_t until)
{
    stored_alert h;
    int f;
    while ((f = head(w, &h)) > 0 && h.opened < until) {
        if (delete_alert(w, h.id, h.opened, h.state) < 0)
            return -1;
        w->old_last = h.opened;
    }
    return f < 0 ? -1 : 0;
}

/* The new sequence has an alert at te: reuse the stored alert of the same
 * pile-up or insert one. Returns 1 when a stored alert already stood at te
 * unchanged beyond the changed times (the two sequences agree again). */
static int place_alert(walker *w, int64_t te, const crossing *c)
{
    if (drop_before(w, te > INT64_MIN + w->cd ? te - w->cd : INT64_MIN) < 0)
        return -1;
    stored_alert h;
    int f = head(w, &h);
    if (f < 0)
        return -1;
    int synced = 0;
    if (f > 0 && h.opened <= te + w->cd) {
        w->old_last = h.opened;
        if (h.opened != te) {
            if (write_alert(w, te, c, h.id, true) < 0)
                return -1;
            report(w, ALERT_CHANGE_MOVED, h.id, te, h.opened, h.state);
        } else {
            if (te <= w->hi && write_alert(w, te, c, h.id, false) < 0)
                return -1;
            report(w, ALERT_CHANGE_KEPT, h.id, te, te, h.state);
            synced = te > w->hi;
        }
        /* twins of the same pile-up (left by an older engine) go */
        w->skip_id = h.id;
        int d = drop_before(w, te + w->cd + 1);
        w->skip_id = 0;
        if (d < 0)
            return -1;
    } else {
        if (write_alert(w, te, c, 0, true) < 0)
            return -1;
        report(w, ALERT_CHANGE_OPENED, sqlite3_last_insert_rowid(store_db(w->s)), te, te, ALERT_OPEN);
    }
    w->last = te;
    if (w->L < te + w->cd + 1)
        w->L = te + w->cd + 1;
    return synced;
}

static int prev_alert(walker *w, int64_t before, int64_t *opened)
{
    sqlite3_stmt *st = store_stmt(w->s, sql_prev);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, w->r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, w->sr.key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, before);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *opened = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Re-evaluates one rule + scope whose crossings changed in the sorted,
 * disjoint intervals iv[k] = [lo, hi]. */
static int walk(walker *w, const int64_t (*iv)[2], size_t niv)
{
    for (int t = 0; t < EV_TYPE_COUNT; t++)
        w->cq[t] = NONE;
    size_t k = 0;
    while (k < niv) {
        int64_t lo = iv[k][0];
        w->hi = iv[k][1];
        k++;
        int64_t p;
        int f = prev_alert(w, lo, &p);
        if (f < 0)
            return -1;
        w->last = w->old_last = f ? p : NONE;
        w->L = lo;
        int64_t x = lo;
        for (;;) {
            if (w->last != NONE && x <= w->last + w->cd)
                x = w->last + w->cd + 1;
            while (k < niv && iv[k][0] <= x) {
                if (iv[k][1] > w->hi)
                    w->hi = iv[k][1];
                k++;
            }
            if (x > w->hi) {
                stored_alert h;
                int hf = head(w, &h);
                if (hf < 0)
                    return -1;
                if ((!hf || h.opened >= x) && (w->old_last == NONE || w->old_last + w->cd < x))
                    break; /* from x on, the stored alerts are the right ones */
            }
            int64_t te = next_candidate(w, x);
            if (te == -1)
                return -1;
            if (w->limit != NONE && (te == NONE || te > w->limit)) {
                /* a replayed period ends here, whatever the rules say after */
                if (drop_before(w, w->limit + 1) < 0)
                    return -1;
                break;
            }
            if (te == NONE) {
                /* nothing crosses any more: what was stored up to here goes
                 * (later ones belong to events no longer stored: kept) */
                if (drop_before(w, x > w->hi ? x : w->hi + 1) < 0)
                    return -1;
                break;
            }
            while (k < niv && iv[k][0] <= te) { /* te lies in a later interval */
                if (iv[k][1] > w->hi)
                    w->hi = iv[k][1];
                k++;
            }
            crossing c;
            int x2 = crosses(w, te, &c);
            if (x2 < 0)
                return -1;
            /* an alert kept unchanged past the changed times: the stop
             * test of the next turn ends the walk */
            if (x2 > 0 && place_alert(w, te, &c) < 0)
                return -1;
            x = te + 1;
        }
    }
    return 0;
}

/* ---- batches ------------------------------------------------------------ */

/* Does the event change what a rule counts? (A count rule counts matching
 * events; a share counts every rating.) */
static bool rule_counts(const alert_rule *r, const event *ev)
{
    if (r->window_s <= 0 || (unsigned)ev->type >= 32 || !(r->types_mask & (1u << ev->type)))
        return false;
    if (r->count_threshold > 0 && rule_matches(r, ev))
        return true;
    return r->share_threshold > 0 && ev->type == EV_RATING;
}

typedef struct {
    const event *ev;
    scope_ref sr;
} batch_item;

static int cmp_item(const void *a, const void *b)
{
    const batch_item *x = a, *y = b;
    int c = strcmp(x->sr.key, y->sr.key);
    if (c)
        return c;
    return x->ev->ts_us < y->ev->ts_us ? -1 : x->ev->ts_us > y->ev->ts_us;
}

/* A matching event up to `cooldown` after an alert that is not closed joins
 * it (those stored before the alert existed were linked when it opened). */
static int absorb(store *s, const alert_rule *r, const scope_ref *sr, const event *ev)
{
    int64_t cd = (int64_t)(r->cooldown_s > 0 ? r->cooldown_s : 0) * US;
    sqlite3_stmt *st = store_stmt(s, sql_absorb);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, sr->key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, ev->ts_us - cd);
    sqlite3_bind_int64(st, 4, ev->ts_us);
    int rc = sqlite3_step(st);
    int64_t id = 0;
    if (rc == SQLITE_ROW && sqlite3_column_int(st, 1) != ALERT_CLOSED)
        id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return -1;
    return id ? link_event(s, id, ev->id) : 0;
}

static void walker_init(walker *w, store *s, const cxm_config *cfg, const alert_rule *r,
                        alerts_report *rep)
{
    memset(w, 0, sizeof *w);
    w->s = s;
    w->cfg = cfg;
    w->r = r;
    w->W = (int64_t)r->window_s * US;
    w->cd = (int64_t)(r->cooldown_s > 0 ? r->cooldown_s : 0) * US;
    w->rep = rep;
    w->limit = NONE;
}

/* One rule over a batch: group by scope, merge [t, t + window] per scope,
 * walk, then let the matching events join the alerts they fall after. */
static int check_rule(store *s, const cxm_config *cfg, const alert_rule *r, const event *evs,
                      size_t n, alerts_report *rep)
{
    batch_item *it = NULL;
    int64_t(*iv)[2] = NULL;
    size_t m = 0;
    int ret = -1;
    for (size_t k = 0; k < n; k++) {
        if (!rule_counts(r, &evs[k]))
            continue;
        if (!it && !(it = malloc(n * sizeof *it)))
            goto out;
        if (!scope_of(&evs[k], r->scope, &it[m].sr))
            continue;
        it[m++].ev = &evs[k];
    }
    if (!m) {
        ret = 0;
        goto out;
    }
    if (m > 1)
        qsort(it, m, sizeof *it, cmp_item);
    if (!(iv = malloc(m * sizeof *iv)))
        goto out;
    walker w;
    walker_init(&w, s, cfg, r, rep);
    for (size_t a = 0; a < m;) {
        size_t b = a, niv = 0;
        while (b < m && strcmp(it[b].sr.key, it[a].sr.key) == 0) {
            int64_t lo = it[b].ev->ts_us;
            int64_t hi = lo > NONE - 1 - w.W ? NONE - 1 : lo + w.W;
            if (niv && lo <= iv[niv - 1][1] + 1) {
                if (hi > iv[niv - 1][1])
                    iv[niv - 1][1] = hi;
            } else {
                iv[niv][0] = lo;
                iv[niv][1] = hi;
                niv++;
            }
            b++;
        }
        w.sr = it[a].sr;
        if (walk(&w, (const int64_t(*)[2])iv, niv) < 0)
            goto out;
        for (size_t k = a; k < b; k++)
            if (rule_matches(r, it[k].ev) && absorb(s, r, &it[k].sr, it[k].ev) < 0)
                goto out;
        a = b;
    }
    ret = 0;
out:
    free(it);
    free(iv);
    return ret;
}

int alerts_check(store *s, const cxm_config *cfg, const event *evs, size_t n)
{
    if (!cfg || cfg->nalerts <= 0 || n == 0)
        return 0;
    /* Which types any rule looks at: the common event costs one test. */
    unsigned any = 0;
    for (int i = 0; i < cfg->nalerts && i < CONFIG_ALERTS_MAX; i++)
        any |= cfg->alerts[i].types_mask;
    size_t k = 0;
    while (k < n && ((unsigned)evs[k].type >= 32 || !(any & (1u << evs[k].type))))
        k++;
    if (k == n)
        return 0;
    /* Reconciling is several statements: keep them atomic even when the
     * caller is not in a transaction (tests, tools). */
    bool own_tx = !store_in_tx(s);
    if (own_tx && store_begin(s) < 0)
        return -1;
    alerts_report rep;
    memset(&rep, 0, sizeof rep);
    for (int i = 0; i < cfg->nalerts && i < CONFIG_ALERTS_MAX; i++) {
        if (check_rule(s, cfg, &cfg->alerts[i], evs + k, n - k, &rep) < 0) {
            if (own_tx)
                store_rollback(s);
            return -1;
        }
    }
    if (own_tx && store_commit(s) < 0)
        return -1;
    return rep.opened;
}

int alerts_walk_scope(store *s, const cxm_config *cfg, const alert_rule *r, alert_scope sc,
                      const char *a, const char *b, int64_t from_us, int64_t to_us,
                      alerts_report *rep)
{
    event ev;
    memset(&ev, 0, sizeof ev);
    ev.location_id = (char *)(sc == ALERT_SCOPE_EMPLOYEE ? NULL : a);
    ev.desk = (char *)b;
    ev.employee_id = (char *)(sc == ALERT_SCOPE_EMPLOYEE ? a : NULL);
    walker w;
    walker_init(&w, s, cfg, r, rep);
    if (!scope_of(&ev, sc, &w.sr))
        return 0;
    if (to_us > NONE - 1)
        to_us = NONE - 1;
    w.limit = to_us;
    int64_t iv[1][2] = {{from_us, to_us}};
    return walk(&w, (const int64_t(*)[2])iv, 1);
}
