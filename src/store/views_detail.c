/* Queries behind the event detail (include/cxm/views.h): the whole event by
 * primary key, the other events of its visit, the clip windows it offers
 * (DESIGN §6) and the camera link from the config's template. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxm/i18n.h"
#include "cxm/timefmt.h"
#include "cxm/views.h"
#include "store/store_internal.h"
#include "store/views_priv.h"

static const char SQL_EVENT[] =
    "SELECT e.id, e.ts, e.tz_offset, e.type, e.location_id, l.name, e.desk, e.employee_id, "
    "m.name, e.visit, e.rating, e.polarity, e.camera, e.ref, e.clip_kind, e.clip_url, e.count, "
    "e.period_s, "
    "e.emp_label, e.emp_classified, e.emp_positive, e.emp_negative, e.emp_neutral, e.emp_bursts, "
    "e.cust_label, e.cust_classified, e.cust_positive, e.cust_negative, e.cust_neutral, "
    "e.cust_bursts "
    "FROM events e LEFT JOIN locations l ON l.id = e.location_id "
    "LEFT JOIN employees m ON m.id = e.employee_id WHERE e.id = ?1";

static char *dup_col(sqlite3_stmt *st, int col, bool *oom)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return NULL;
    char *d = strdup((const char *)t);
    if (!d)
        *oom = true;
    return d;
}

static double real_or(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL ? -1.0 : sqlite3_column_double(st, col);
}

static void read_emo(sqlite3_stmt *st, int col, event_emotion *e)
{
    e->present = sqlite3_column_type(st, col) != SQLITE_NULL;
    int l = sqlite3_column_int(st, col);
    e->label = l >= 0 && l < EMO_COUNT ? (emo_label)l : EMO_UNKNOWN;
    e->classified = sqlite3_column_int(st, col + 1) != 0;
    e->positive = real_or(st, col + 2);
    e->negative = real_or(st, col + 3);
    e->neutral = real_or(st, col + 4);
    e->bursts = sqlite3_column_type(st, col + 5) == SQLITE_NULL ? -1 : sqlite3_column_int(st, col + 5);
}

int views_event_get(views *v, const char *id, event *out)
{
    memset(out, 0, sizeof *out);
    sqlite3_stmt *st = store_stmt(views_store(v), SQL_EVENT);
    if (!st) {
        views_set_msg(v, _("event query"));
        return -1;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (rc != SQLITE_DONE)
            views_set_msg(v, _("event query"));
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? 1 : -1;
    }
    bool oom = false;
    views_copy_col(st, 0, out->id, sizeof out->id);
    out->ts_us = sqlite3_column_int64(st, 1);
    out->tz_offset_s = sqlite3_column_int(st, 2);
    int t = sqlite3_column_int(st, 3);
    out->type = t >= 0 && t < EV_TYPE_COUNT ? (event_type)t : EV_HEARTBEAT;
    out->location_id = dup_col(st, 4, &oom);
    out->location_name = dup_col(st, 5, &oom);
    out->desk = dup_col(st, 6, &oom);
    out->employee_id = dup_col(st, 7, &oom);
    out->employee_name = dup_col(st, 8, &oom);
    out->visit = dup_col(st, 9, &oom);
    out->rating = dup_col(st, 10, &oom);
    int p = sqlite3_column_int(st, 11);
    out->polarity = p >= POL_NONE && p <= POL_NEGATIVE ? (rating_polarity)p : POL_NONE;
    out->camera = dup_col(st, 12, &oom);
    out->ref = dup_col(st, 13, &oom);
    out->clip_kind = dup_col(st, 14, &oom);
    out->clip_url = dup_col(st, 15, &oom);
    out->count = sqlite3_column_int64(st, 16);
    out->period_s = sqlite3_column_int64(st, 17);
    read_emo(st, 18, &out->emo_employee);
    read_emo(st, 24, &out->emo_customer);
    sqlite3_reset(st);
    if (oom) {
        event_clear(out);
        views_set_text(v, _("out of memory"));
        return -1;
    }
    return 0;
}

static const char SQL_VISIT_TAIL[] =
    "WHERE e.location_id = ?1 AND e.visit = ?2 ORDER BY e.ts ASC, e.rowid ASC LIMIT ?3";

int views_visit_rows(views *v, const char *location_id, const char *visit, views_row *out,
                     int max)
{
    if (!location_id || !visit || !visit[0] || max <= 0)
        return 0;
    /* Assembled once from two constants; store_stmt caches by pointer. */
    static char sql[1024];
    if (!sql[0])
        snprintf(sql, sizeof sql, "%s%s", views_row_cols_sql(), SQL_VISIT_TAIL);
    sqlite3_stmt *st = store_stmt(views_store(v), sql);
    if (!st) {
        views_set_msg(v, _("visit query"));
        return -1;
    }
    sqlite3_bind_text(st, 1, location_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, visit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, max);
    int n = 0, rc;
    while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW)
        views_read_row(st, &out[n++]);
    if (n < max && rc != SQLITE_DONE) {
        views_set_msg(v, _("visit query"));
        sqlite3_reset(st);
        return -1;
    }
    sqlite3_reset(st);
    return n;
}

/* ---- clip windows ------------------------------------------------------- */

const char *views_clip_kind_name(views_clip_kind k)
{
    return clip_kind_name(k);
}

/* The visit's first arrival, and the first rating or silent at or after it. */
static const char SQL_VISIT_BOUNDS[] =
    "SELECT (SELECT min(ts) FROM events WHERE location_id = ?1 AND visit = ?2 AND type = 0), "
    "(SELECT min(ts) FROM events WHERE location_id = ?1 AND visit = ?2 AND type IN (1, 2) "
    " AND ts >= coalesce((SELECT min(ts) FROM events WHERE location_id = ?1 AND visit = ?2 "
    " AND type = 0), 0))";
static const char SQL_CLIPS[] = "SELECT kind, url FROM clips WHERE event_id = ?1";

/* The URL received for this kind of clip ('' kind = any). */
static void clip_url(views *v, const event *ev, views_clip *c)
{
    c->url[0] = '\0';
    sqlite3_stmt *st = store_stmt(views_store(v), SQL_CLIPS);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, ev->id, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(st, 0);
        if (kind && kind[0] && strcmp(kind, views_clip_kind_name(c->kind)) != 0)
            continue;
        views_copy_col(st, 1, c->url, sizeof c->url);
        if (kind && kind[0])
            break; /* an exact kind beats an unlabelled link */
    }
    sqlite3_reset(st);
}

void views_visit_bounds(views *v, const event *ev, clip_visit *out)
{
    out->arrival_us = out->end_us = -1;
    if (!ev->visit || !ev->visit[0] || !ev->location_id)
        return;
    sqlite3_stmt *st = store_stmt(views_store(v), SQL_VISIT_BOUNDS);
    if (!st)
        return;
    sqlite3_bind_text(st, 1, ev->location_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ev->visit, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (sqlite3_column_type(st, 0) != SQLITE_NULL)
            out->arrival_us = sqlite3_column_int64(st, 0);
        if (sqlite3_column_type(st, 1) != SQLITE_NULL)
            out->end_us = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    /* An arrival after the event is another visit's reuse of the id. */
    if (out->arrival_us > ev->ts_us && (ev->type == EV_RATING || ev->type == EV_SILENT))
        out->arrival_us = -1;
}

int views_clip_windows(views *v, const cxm_config *cfg, const event *ev, views_clip *out,
                       int max)
{
    clip_visit visit;
    views_visit_bounds(v, ev, &visit);
    clip_window w[CLIP_KIND_COUNT];
    int n = clip_windows(cfg, ev, &visit, w, max < CLIP_KIND_COUNT ? max : CLIP_KIND_COUNT);
    for (int i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        out[i].kind = w[i].kind;
        out[i].from_us = w[i].from_us;
        out[i].to_us = w[i].to_us;
        clip_url(v, ev, &out[i]);
    }
    return n;
}

/* ---- camera link -------------------------------------------------------- */

static bool put_enc(char *out, size_t cap, size_t *n, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        bool plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                     (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' || *p == '_' || *p == '~';
        size_t need = plain ? 1 : 3;
        if (*n + need >= cap)
            return false;
        if (plain) {
            out[(*n)++] = (char)*p;
        } else {
            out[(*n)++] = '%';
            out[(*n)++] = hex[*p >> 4];
            out[(*n)++] = hex[*p & 15];
        }
    }
    return true;
}

int views_camera_link(const char *tmpl, const event *ev, char *out, size_t cap)
{
    if (!tmpl || !tmpl[0] || cap == 0)
        return -1;
    char ts[40], unix_s[24];
    time_t secs = (time_t)(ev->ts_us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(unix_s, sizeof unix_s, "%lld", (long long)(ev->ts_us / 1000000));
    static const struct {
        const char *name;
        int field;
    } vars[] = {{"{camera}", 0}, {"{ts}", 1},       {"{ts_unix}", 2}, {"{desk}", 3},
                {"{location}", 4}, {"{employee}", 5}, {"{id}", 6}};
    size_t n = 0;
    for (const char *p = tmpl; *p;) {
        bool done = false;
        if (*p == '{') {
            for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
                size_t len = strlen(vars[i].name);
                if (strncmp(p, vars[i].name, len) != 0)
                    continue;
                const char *val[] = {ev->camera, ts, unix_s, ev->desk, ev->location_id,
                                     ev->employee_id, ev->id};
                if (!put_enc(out, cap, &n, val[vars[i].field]))
                    return -1;
                p += len;
                done = true;
                break;
            }
        }
        if (done)
            continue;
        if (n + 1 >= cap)
            return -1;
        out[n++] = *p++;
    }
    out[n] = '\0';
    return (int)n;
}

/* ---- KPI periods -------------------------------------------------------- */

void views_period_range(views_period p, int64_t now_us, int64_t *from_us, int64_t *to_us)
{
    int days = p == VIEWS_PERIOD_7D ? 7 : p == VIEWS_PERIOD_30D ? 30 : 1;
    *to_us = time_local_midnight(now_us, 1);
    *from_us = time_local_midnight(now_us, 1 - days);
}
