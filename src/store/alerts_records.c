/* The alert records (DESIGN §9): listing, one alert, the triggering events,
 * and the open -> acknowledged -> closed transitions. Each transition is one
 * UPDATE conditional on the current state, so when several consoles share the
 * database exactly one of two racing supervisors wins; the loser is told why
 * from the row as it now is. The engine that opens alerts is alerts.c. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxm/mem.h"
#include "cxm/i18n.h"
#include "cxm/alerts.h"
#include "cxm/timefmt.h"
#include "store/alerts_internal.h"
#include "store/store_internal.h"

#define ALERT_COLS                                                                              \
    "a.id, a.rule, a.scope, a.scope_key, a.state, a.opened_us, a.acked_us, a.acked_by,"        \
    " a.closed_us, a.closed_by, a.comment, a.summary, a.window_from_us, a.window_to_us,"      \
    " a.created_us, (SELECT count(*) FROM alert_events e WHERE e.alert_id = a.id),"            \
    " a.scope_name, a.matched, a.ratings,"                                                     \
    " (SELECT count(*) FROM alert_events e WHERE e.alert_id = a.id AND a.state = 1"             \
    "  AND e.linked_us > a.acked_us)"
static const char sql_list_all[] =
    "SELECT " ALERT_COLS " FROM alerts a ORDER BY a.opened_us DESC, a.id DESC";
static const char sql_list_open[] =
    "SELECT " ALERT_COLS " FROM alerts a WHERE a.state < 2 ORDER BY a.opened_us DESC, a.id DESC";
static const char sql_get[] = "SELECT " ALERT_COLS " FROM alerts a WHERE a.id = ?1";

void alerts_utf8_cut(char *s, size_t cap)
{
    size_t n = strlen(s);
    if (n + 1 < cap)
        return;
    n = cap ? cap - 1 : 0;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    s[n] = 0;
}

void alerts_utf8_mark_cut(char *s, size_t cap)
{
    static const char mark[] = "\xE2\x80\xA6"; /* U+2026 */
    if (cap < sizeof mark)
        return;
    size_t n = strlen(s);
    if (n > cap - sizeof mark)
        n = cap - sizeof mark;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    memcpy(s + n, mark, sizeof mark);
}

void alerts_col_text(sqlite3_stmt *st, int i, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    snprintf(out, cap, "%s", t ? (const char *)t : "");
    alerts_utf8_cut(out, cap);
}

static void read_alert(sqlite3_stmt *st, alert_info *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    alerts_col_text(st, 1, a->rule, sizeof a->rule);
    int sc = sqlite3_column_int(st, 2);
    a->scope = sc >= 0 && sc <= 2 ? (alert_scope)sc : ALERT_SCOPE_LOCATION;
    alerts_col_text(st, 3, a->scope_key, sizeof a->scope_key);
    int state = sqlite3_column_int(st, 4);
    a->state = state >= 0 && state <= 2 ? (alert_state)state : ALERT_OPEN;
    a->opened_us = sqlite3_column_int64(st, 5);
    a->acked_us = sqlite3_column_int64(st, 6);
    alerts_col_text(st, 7, a->acked_by, sizeof a->acked_by);
    a->closed_us = sqlite3_column_int64(st, 8);
    alerts_col_text(st, 9, a->closed_by, sizeof a->closed_by);
    /* a comment stored by an older version may be longer: the cut shows */
    const unsigned char *cm = sqlite3_column_text(st, 10);
    alerts_col_text(st, 10, a->comment, sizeof a->comment);
    if (cm && strlen((const char *)cm) >= sizeof a->comment) {
        alerts_col_text(st, 10, a->comment, sizeof a->comment - 3);
        strcat(a->comment, "\xE2\x80\xA6");
    }
    alerts_col_text(st, 11, a->summary, sizeof a->summary);
    a->window_from_us = sqlite3_column_int64(st, 12);
    a->window_to_us = sqlite3_column_int64(st, 13);
    a->created_us = sqlite3_column_int64(st, 14);
    a->nevents = sqlite3_column_int(st, 15);
    alerts_col_text(st, 16, a->scope_name, sizeof a->scope_name);
    a->matched = sqlite3_column_int64(st, 17);
    a->ratings = sqlite3_column_int64(st, 18);
    a->since_ack = sqlite3_column_int(st, 19);
}

int alerts_list(store *s, int open_only, alert_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, open_only ? sql_list_open : sql_list_all);
    if (!st)
        return -1;
    alert_info *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&v, &cap, len, sizeof *v, 16)) {
            rc = SQLITE_NOMEM;
            break;
        }
        read_alert(st, &v[len++]);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return -1;
    }
    *out = v;
    *n = len;
    return 0;
}

int alerts_get(store *s, int64_t id, alert_info *out)
{
    sqlite3_stmt *st = store_stmt(s, sql_get);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), ret;
    if (rc == SQLITE_ROW) {
        read_alert(st, out);
        ret = 0;
    } else {
        ret = rc == SQLITE_DONE ? ALERTS_NOT_FOUND : -1;
    }
    sqlite3_reset(st);
    return ret;
}

/* Why an update touched no row: the alert is gone or in the wrong state. */
static int why_unchanged(store *s, int64_t id)
{
    alert_info a;
    int rc = alerts_get(s, id, &a);
    if (rc != 0)
        return rc;
    if (a.state == ALERT_CLOSED)
        return ALERTS_ALREADY_CLOSED;
    if (a.state == ALERT_ACKED)
        return ALERTS_ALREADY_ACKED;
    return -1; /* open, yet the update did not apply: a database problem */
}

int alerts_ack(store *s, int64_t id, const char *who)
{
    static const char sql[] =
        "UPDATE alerts SET state = 1, acked_us = ?2, acked_by = ?3 WHERE id = ?1 AND state = 0";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, time_now_us());
    sqlite3_bind_text(st, 3, who ? who : alerts_os_user(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    return sqlite3_changes(store_db(s)) == 1 ? 0 : why_unchanged(s, id);
}

int alerts_close(store *s, int64_t id, const char *who, const char *comment)
{
    static const char sql[] = "UPDATE alerts SET state = 2, closed_us = ?2, closed_by = ?3,"
                              " comment = ?4 WHERE id = ?1 AND state < 2";
    if (comment && strlen(comment) > ALERT_COMMENT_MAX)
        return ALERTS_COMMENT_TOO_LONG;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, time_now_us());
    sqlite3_bind_text(st, 3, who ? who : alerts_os_user(), -1, SQLITE_TRANSIENT);
    if (comment && *comment)
        sqlite3_bind_text(st, 4, comment, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    return sqlite3_changes(store_db(s)) == 1 ? 0 : why_unchanged(s, id);
}

void alerts_strerror(store *s, int rc, int64_t id, char *out, size_t cap)
{
    alert_info a;
    char when[64] = "";
    bool known = (rc == ALERTS_ALREADY_ACKED || rc == ALERTS_ALREADY_CLOSED) && s &&
                 alerts_get(s, id, &a) == 0;
    switch (rc) {
    case 0:
        snprintf(out, cap, "ok");
        break;
    case ALERTS_NOT_FOUND:
        snprintf(out, cap, _("alert %lld not found"), (long long)id);
        break;
    case ALERTS_ALREADY_ACKED:
        if (known) {
            time_format_local(a.acked_us, "%d.%m.%Y %H:%M", when, sizeof when);
            snprintf(out, cap, _("alert %lld is already acknowledged (by %s at %s)"), (long long)id,
                     a.acked_by, when);
        } else {
            snprintf(out, cap, _("alert %lld is already acknowledged"), (long long)id);
        }
        break;
    case ALERTS_ALREADY_CLOSED:
        if (known) {
            time_format_local(a.closed_us, "%d.%m.%Y %H:%M", when, sizeof when);
            snprintf(out, cap, _("alert %lld is already closed (by %s at %s)"), (long long)id,
                     a.closed_by, when);
        } else {
            snprintf(out, cap, _("alert %lld is already closed"), (long long)id);
        }
        break;
    case ALERTS_COMMENT_TOO_LONG:
        snprintf(out, cap, _("alert %lld: comment longer than %d bytes; nothing changed"), (long long)id,
                 ALERT_COMMENT_MAX);
        break;
    default:
        snprintf(out, cap, _("database error: %s"), s ? store_errmsg(s) : "?");
        break;
    }
}

int alerts_events(store *s, int64_t id, char (**ids)[EVENT_ID_MAX + 1], size_t *n)
{
    static const char sql[] = "SELECT ae.event_id FROM alert_events ae"
                              " LEFT JOIN events e ON e.id = ae.event_id"
                              " WHERE ae.alert_id = ?1 ORDER BY e.ts, ae.event_id";
    *ids = NULL;
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    char(*v)[EVENT_ID_MAX + 1] = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&v, &cap, len, sizeof *v, 16)) {
            rc = SQLITE_NOMEM;
            break;
        }
        alerts_col_text(st, 0, v[len], sizeof v[len]);
        len++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return -1;
    }
    *ids = v;
    *n = len;
    return 0;
}

int alerts_event_rows(store *s, int64_t id, alert_event_row **rows, size_t *n)
{
    static const char sql[] =
        "SELECT ae.event_id, e.ts, e.type, e.rating, e.polarity, e.location_id,"
        " coalesce(l.name, e.location_id), e.desk, e.employee_id, coalesce(m.name, ''),"
        " e.clip_url IS NOT NULL OR EXISTS (SELECT 1 FROM clips c WHERE c.event_id = ae.event_id)"
        " FROM alert_events ae JOIN events e ON e.id = ae.event_id" /* a purged event drops out */
        " LEFT JOIN locations l ON l.id = e.location_id"
        " LEFT JOIN employees m ON m.id = e.employee_id"
        " WHERE ae.alert_id = ?1 ORDER BY e.ts, ae.event_id";
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    alert_event_row *v = NULL;
    size_t len = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&v, &cap, len, sizeof *v, 16)) {
            rc = SQLITE_NOMEM;
            break;
        }
        alert_event_row *r = &v[len++];
        memset(r, 0, sizeof *r);
        alerts_col_text(st, 0, r->id, sizeof r->id);
        r->ts_us = sqlite3_column_int64(st, 1);
        int type = sqlite3_column_int(st, 2);
        r->type = type >= 0 && type < EV_TYPE_COUNT ? (event_type)type : EV_RATING;
        alerts_col_text(st, 3, r->rating, sizeof r->rating);
        int pol = sqlite3_column_int(st, 4);
        r->polarity = pol >= POL_NONE && pol <= POL_NEGATIVE ? (rating_polarity)pol : POL_NONE;
        alerts_col_text(st, 5, r->location_id, sizeof r->location_id);
        alerts_col_text(st, 6, r->location_name, sizeof r->location_name);
        alerts_col_text(st, 7, r->desk, sizeof r->desk);
        alerts_col_text(st, 8, r->employee_id, sizeof r->employee_id);
        alerts_col_text(st, 9, r->employee_name, sizeof r->employee_name);
        r->has_clip = sqlite3_column_int(st, 10);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        return -1;
    }
    *rows = v;
    *n = len;
    return 0;
}

size_t alerts_open_count(store *s)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM alerts WHERE state = 0");
    if (!st)
        return 0;
    size_t n = 0;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = (size_t)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return n;
}

const char *alerts_state_name(alert_state st)
{
    switch (st) {
    case ALERT_OPEN:
        return "open";
    case ALERT_ACKED:
        return "acknowledged";
    case ALERT_CLOSED:
        return "closed";
    }
    return "?";
}

const char *alerts_scope_name(alert_scope sc)
{
    switch (sc) {
    case ALERT_SCOPE_LOCATION:
        return "location";
    case ALERT_SCOPE_DESK:
        return "desk";
    case ALERT_SCOPE_EMPLOYEE:
        return "employee";
    }
    return "?";
}

const char *alerts_os_user(void)
{
    static char name[64];
    if (name[0])
        return name;
    struct passwd *pw = getpwuid(getuid());
    const char *u = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : getenv("USER");
    if (u && *u)
        snprintf(name, sizeof name, "%s", u);
    else
        snprintf(name, sizeof name, "uid %ld", (long)getuid());
    return name;
}

int alerts_acked_growth(store *s, alert_growth **out, size_t *n)
{
    static const char sql[] =
        "SELECT a.id, count(*) FROM alerts a JOIN alert_events e ON e.alert_id = a.id"
        " WHERE a.state = 1 AND e.linked_us > a.acked_us GROUP BY a.id";
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (*n == cap) {
            size_t nc = cap ? cap * 2 : 8;
            alert_growth *p = realloc(*out, nc * sizeof *p);
            if (!p)
                break;
            *out = p;
            cap = nc;
        }
        (*out)[*n].id = sqlite3_column_int64(st, 0);
        (*out)[*n].since_ack = sqlite3_column_int(st, 1);
        (*n)++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int alerts_auto_close(store *s, int quiet_s)
{
    static const char sql[] =
        "UPDATE alerts SET state = 2, closed_us = ?2, closed_by = 'system', comment = ?3"
        " WHERE state < 2 AND created_us < ?1 AND coalesce((SELECT max(e.linked_us) FROM"
        " alert_events e WHERE e.alert_id = alerts.id), 0) < ?1";
    if (quiet_s <= 0)
        return 0;
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    int64_t now = time_now_us();
    char comment[128];
    if (quiet_s % 60)
        snprintf(comment, sizeof comment, "closed automatically: no new events for %d s", quiet_s);
    else
        snprintf(comment, sizeof comment, "closed automatically: no new events for %d min", quiet_s / 60);
    sqlite3_bind_int64(st, 1, now - (int64_t)quiet_s * 1000000);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_text(st, 3, comment, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? sqlite3_changes(store_db(s)) : -1;
}
