/* The incident queue's query (incidents.h). One prepared statement: the
 * checklist's applies_to is bound as its bit mask (as in the causes report)
 * and the status is computed in SQL so the status filter and the LIMIT agree. */
#include "cxm/incidents.h"
#include "cxm/i18n.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/mem.h"
#include "store/store_internal.h"

/* ?1 from ?2 to ?3 mask ?5 checklist ?6 location ?7 employee ?8 now ?9 only in alert
 * ?10 status (-1 any) ?11 mine ?12 limit */
#define STATUS_EXPR                                                                                \
    "CASE WHEN c.needs_info = 1 THEN 4 WHEN c.status = 1 THEN 3 "                                  \
    "WHEN cl.claimed_by IS NOT NULL THEN 1 WHEN c.revision IS NOT NULL THEN 2 ELSE 0 END"

static const char SQL_LIST[] =
    "SELECT e.id, e.ts, e.tz_offset, e.type, e.polarity, coalesce(e.rating, ''), e.location_id, "
    "coalesce(l.name, ''), coalesce(e.desk, ''), coalesce(e.employee_id, ''), coalesce(m.name, ''), "
    "coalesce(e.emp_label, 0), coalesce(e.cust_label, 0), "
    "EXISTS (SELECT 1 FROM clips k WHERE k.event_id = e.id), "
    "EXISTS (SELECT 1 FROM alert_events a WHERE a.event_id = e.id), " STATUS_EXPR " AS st, "
    "coalesce(cl.claimed_by, ''), coalesce(cl.claimed_us, 0), coalesce(c.reviewer, ''), "
    "coalesce(c.revision, 0), coalesce(cl.expires_us, 0) "
    "FROM events e LEFT JOIN locations l ON l.id = e.location_id "
    "LEFT JOIN employees m ON m.id = e.employee_id "
    "LEFT JOIN checklist_entries c ON c.event_id = e.id AND c.checklist = ?5 "
    "LEFT JOIN checklist_claims cl ON cl.event_id = e.id AND cl.expires_us > ?8 "
    "WHERE e.ts >= ?1 AND e.ts < ?2 AND (?6 IS NULL OR e.location_id = ?6) "
    "AND (?7 IS NULL OR e.employee_id = ?7) "
    "AND ((e.type <> 1 AND ((?3 >> (e.type + 3)) & 1)) OR (e.type = 1 AND (((?3 >> 4) & 1) "
    "OR (e.polarity BETWEEN 1 AND 3 AND ((?3 >> (3 - e.polarity)) & 1))))) "
    "AND (?9 = 0 OR EXISTS (SELECT 1 FROM alert_events a WHERE a.event_id = e.id)) "
    "AND (?10 < 0 OR " STATUS_EXPR " = ?10) "
    "AND (?11 IS NULL OR c.reviewer = ?11 OR cl.claimed_by = ?11) "
    "AND (?13 IS NULL OR e.id <> ?13) "
    "ORDER BY e.ts DESC, e.id DESC LIMIT ?12";

const char *inc_status_name(inc_status s)
{
    static const char *const n[] = {"new", "claimed", "draft", "done", "needs-info"};
    return s >= 0 && s < INC_STATUS_COUNT ? n[s] : "?";
}

static void cpy(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(dst, cap, "%s", t ? (const char *)t : "");
}

static sqlite3_stmt *prepare(store *s, const incident_query *q, int64_t now_us, const char *after,
                             size_t limit)
{
    sqlite3_stmt *st = store_stmt(s, SQL_LIST);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, q->from_us);
    sqlite3_bind_int64(st, 2, q->to_us);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)q->c->applies);
    sqlite3_bind_text(st, 5, q->c->id, -1, SQLITE_TRANSIENT);
    if (q->location)
        sqlite3_bind_text(st, 6, q->location, -1, SQLITE_TRANSIENT);
    if (q->employee)
        sqlite3_bind_text(st, 7, q->employee, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 8, now_us);
    sqlite3_bind_int(st, 9, q->only_in_alert);
    sqlite3_bind_int(st, 10, q->status);
    if (q->mine)
        sqlite3_bind_text(st, 11, q->mine, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 12, (sqlite3_int64)limit);
    if (after)
        sqlite3_bind_text(st, 13, after, -1, SQLITE_TRANSIENT);
    return st;
}

int incidents_list(store *s, const incident_query *q, int64_t now_us, incident **out, size_t *n,
                   char *err, size_t errlen)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = prepare(s, q, now_us, NULL, q->limit ? q->limit : 1000);
    if (!st) {
        snprintf(err, errlen, _("incidents: %s"), store_errmsg(s));
        return -1;
    }
    incident *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&v, &cap, cnt, sizeof *v, 64) != 0) {
            sqlite3_reset(st);
            free(v);
            snprintf(err, errlen, _("out of memory"));
            return -1;
        }
        incident *x = &v[cnt++];
        memset(x, 0, sizeof *x);
        cpy(x->event_id, sizeof x->event_id, st, 0);
        x->ts_us = sqlite3_column_int64(st, 1);
        x->tz_offset_s = sqlite3_column_int(st, 2);
        x->type = sqlite3_column_int(st, 3);
        x->polarity = sqlite3_column_int(st, 4);
        cpy(x->rating, sizeof x->rating, st, 5);
        cpy(x->location_id, sizeof x->location_id, st, 6);
        cpy(x->location_name, sizeof x->location_name, st, 7);
        cpy(x->desk, sizeof x->desk, st, 8);
        cpy(x->employee_id, sizeof x->employee_id, st, 9);
        cpy(x->employee_name, sizeof x->employee_name, st, 10);
        x->emp_label = sqlite3_column_int(st, 11);
        x->cust_label = sqlite3_column_int(st, 12);
        x->has_clip = sqlite3_column_int(st, 13) != 0;
        x->in_alert = sqlite3_column_int(st, 14) != 0;
        x->status = (inc_status)sqlite3_column_int(st, 15);
        cpy(x->claimed_by, sizeof x->claimed_by, st, 16);
        x->claimed_us = sqlite3_column_int64(st, 17);
        cpy(x->reviewer, sizeof x->reviewer, st, 18);
        x->revision = sqlite3_column_int64(st, 19);
        x->claim_expires_us = sqlite3_column_int64(st, 20);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        free(v);
        snprintf(err, errlen, _("incidents: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    *out = v;
    *n = cnt;
    return 0;
}

int incidents_next_new(store *s, const incident_query *q, int64_t now_us, const char *after,
                       char *event_id, size_t cap)
{
    incident_query nq = *q;
    nq.status = INC_NEW;
    sqlite3_stmt *st = prepare(s, &nq, now_us, after, 1);
    if (!st)
        return -1;
    int rc = sqlite3_step(st), ret = 1;
    if (rc == SQLITE_ROW) {
        cpy(event_id, cap, st, 0);
        ret = 0;
    } else if (rc != SQLITE_DONE) {
        ret = -1;
    }
    sqlite3_reset(st);
    return ret;
}
