/* alerts replay: the alerts of a period recomputed from the stored events with
 * the current rules (after a rule change, or over a database filled before the
 * rules existed). Every scope with events the rule counts in the period is
 * walked by the engine (alerts.c), which keeps the workflow state of alerts
 * that are still the same alert; alerts of the period whose rule is gone, whose
 * scope changed or whose scope has no such events any more are deleted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/alerts.h"
#include "store/alerts_internal.h"
#include "store/store_internal.h"

static const char *const keys_sql[3] = {
    "SELECT DISTINCT location_id, NULL FROM events WHERE ts BETWEEN ?1 AND ?2"
    " AND ((1 << type) & ?3) != 0 AND location_id != ''",
    "SELECT DISTINCT location_id, desk FROM events WHERE ts BETWEEN ?1 AND ?2"
    " AND ((1 << type) & ?3) != 0 AND location_id != '' AND desk IS NOT NULL AND desk != ''",
    "SELECT DISTINCT employee_id, NULL FROM events WHERE ts BETWEEN ?1 AND ?2"
    " AND ((1 << type) & ?3) != 0 AND employee_id IS NOT NULL AND employee_id != ''",
};

typedef struct {
    char *a, *b, *key;
} scope_row;

typedef struct {
    scope_row *v;
    size_t n, cap;
} scope_list;

static void list_free(scope_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].a);
        free(l->v[i].b);
        free(l->v[i].key);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static char *dup(const char *s)
{
    return s ? strdup(s) : NULL;
}

static int cmp_key(const void *x, const void *y)
{
    return strcmp(((const scope_row *)x)->key, ((const scope_row *)y)->key);
}

/* The scopes with events the rule counts in [from, to], sorted by key. */
static int scopes_of(store *s, const alert_rule *r, int64_t from, int64_t to, scope_list *l)
{
    sqlite3_stmt *st = store_stmt(s, keys_sql[r->scope]);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)r->types_mask);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (l->n == l->cap) {
            size_t nc = l->cap ? l->cap * 2 : 16;
            scope_row *p = realloc(l->v, nc * sizeof *p);
            if (!p)
                break;
            l->v = p;
            l->cap = nc;
        }
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        scope_row *row = &l->v[l->n];
        row->a = dup(a);
        row->b = dup(b);
        size_t kl = strlen(a) + (b ? strlen(b) + 1 : 0) + 1;
        row->key = malloc(kl);
        if (!row->a || (b && !row->b) || !row->key) {
            free(row->a);
            free(row->b);
            free(row->key);
            break;
        }
        /* the engine's scope key (alerts.c scope_of), cut as it cuts it */
        if (b)
            snprintf(row->key, kl, "%s/%s", a, b);
        else
            snprintf(row->key, kl, "%s", a);
        if (strlen(row->key) >= 160)
            row->key[159] = 0;
        l->n++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return -1;
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_key);
    return 0;
}

void alerts_report_free(alerts_report *r)
{
    if (!r)
        return;
    free(r->changes);
    r->changes = NULL;
    r->n = r->cap = 0;
}

static void note_gone(alerts_report *rep, int64_t id, const char *rule, const char *key,
                      int64_t opened, int state)
{
    if (!rep)
        return;
    rep->gone++;
    if (!rep->collect)
        return;
    if (rep->n == rep->cap) {
        size_t nc = rep->cap ? rep->cap * 2 : 16;
        alert_change *p = realloc(rep->changes, nc * sizeof *p);
        if (!p)
            return;
        rep->changes = p;
        rep->cap = nc;
    }
    alert_change *c = &rep->changes[rep->n++];
    memset(c, 0, sizeof *c);
    c->kind = ALERT_CHANGE_GONE;
    c->id = id;
    snprintf(c->rule, sizeof c->rule, "%s", rule);
    snprintf(c->scope_key, sizeof c->scope_key, "%s", key);
    c->opened_us = c->old_opened_us = opened;
    c->state = state >= ALERT_OPEN && state <= ALERT_CLOSED ? (alert_state)state : ALERT_OPEN;
}

/* Alerts of the period the walks did not account for: their rule is gone,
 * its scope changed, or the scope has no counted events in the period. */
static int drop_stale(store *s, const cxm_config *cfg, scope_list *walked, int64_t from, int64_t to,
                      alerts_report *rep)
{
    static const char sql[] =
        "SELECT id, rule, scope, scope_key, opened_us, state FROM alerts"
        " WHERE opened_us BETWEEN ?1 AND ?2";
    static const char del_links[] = "DELETE FROM alert_events WHERE alert_id = ?1";
    static const char del[] = "DELETE FROM alerts WHERE id = ?1";
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *rule = (const char *)sqlite3_column_text(st, 1);
        int sc = sqlite3_column_int(st, 2);
        const char *key = (const char *)sqlite3_column_text(st, 3);
        int i = 0;
        while (i < cfg->nalerts && strcmp(cfg->alerts[i].name, rule) != 0)
            i++;
        bool keep = false;
        if (i < cfg->nalerts && (int)cfg->alerts[i].scope == sc && cfg->alerts[i].window_s > 0) {
            scope_row probe = {.key = (char *)key};
            keep = walked[i].n &&
                   bsearch(&probe, walked[i].v, walked[i].n, sizeof probe, cmp_key) != NULL;
        }
        if (keep)
            continue;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 16;
            int64_t *p = realloc(ids, nc * sizeof *p);
            if (!p) {
                rc = SQLITE_NOMEM;
                break;
            }
            ids = p;
            cap = nc;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
        note_gone(rep, sqlite3_column_int64(st, 0), rule, key, sqlite3_column_int64(st, 4),
                  sqlite3_column_int(st, 5));
    }
    sqlite3_reset(st);
    int ret = rc == SQLITE_DONE ? 0 : -1;
    for (size_t k = 0; k < n && ret == 0; k++) {
        const char *q[2] = {del_links, del};
        for (int j = 0; j < 2 && ret == 0; j++) {
            sqlite3_stmt *d = store_stmt(s, q[j]);
            if (!d) {
                ret = -1;
                break;
            }
            sqlite3_bind_int64(d, 1, ids[k]);
            if (sqlite3_step(d) != SQLITE_DONE)
                ret = -1;
            sqlite3_reset(d);
        }
    }
    free(ids);
    return ret;
}

int alerts_replay(store *s, const cxm_config *cfg, int64_t from_us, int64_t to_us, alerts_report *rep)
{
    scope_list walked[CONFIG_ALERTS_MAX];
    memset(walked, 0, sizeof walked);
    bool own_tx = !store_in_tx(s);
    if (own_tx && store_begin(s) < 0)
        return -1;
    int ret = -1;
    for (int i = 0; i < cfg->nalerts && i < CONFIG_ALERTS_MAX; i++) {
        const alert_rule *r = &cfg->alerts[i];
        if (r->window_s <= 0)
            continue;
        if (scopes_of(s, r, from_us, to_us, &walked[i]) < 0)
            goto out;
        for (size_t k = 0; k < walked[i].n; k++)
            if (alerts_walk_scope(s, cfg, r, r->scope, walked[i].v[k].a, walked[i].v[k].b, from_us,
                                  to_us, rep) < 0)
                goto out;
    }
    if (drop_stale(s, cfg, walked, from_us, to_us, rep) < 0)
        goto out;
    ret = 0;
out:
    for (int i = 0; i < CONFIG_ALERTS_MAX; i++)
        list_free(&walked[i]);
    if (own_tx) {
        if (ret == 0 && store_commit(s) < 0)
            ret = -1;
        else if (ret < 0)
            store_rollback(s);
    }
    return ret;
}

int alerts_rescan(store *s, const cxm_config *cfg, int64_t from_us, int64_t to_us)
{
    alerts_report rep;
    memset(&rep, 0, sizeof rep);
    if (alerts_replay(s, cfg, from_us, to_us, &rep) < 0)
        return -1;
    return rep.opened;
}
