/* The store side of forwarding alerts to Telegram: claims that make each alert
 * posted once across every process sharing the database, and the message text.
 * A claim is one guarded UPDATE inside BEGIN IMMEDIATE, so two forwarders that
 * look at once cannot both win; a claim expires, so a process that died after
 * claiming does not keep its alert from being posted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/alert_forward.h"
#include "cxm/alerts.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"
#include "store/alerts_internal.h"
#include "store/store_internal.h"

#define US 1000000LL
#define TG_MAX 4096
#define TG_EVENTS 10

static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

int alerts_tg_claim(store *s, int max_age_s, int claim_s, const char *owner, int64_t *id)
{
    static const char old_sql[] =
        "UPDATE alerts SET tg_state = 3 WHERE tg_state = 0 AND opened_us < ?1";
    static const char next_sql[] =
        "SELECT id FROM alerts WHERE tg_state < 2 AND (tg_state = 0 OR tg_claim_until_us < ?1)"
        " ORDER BY tg_state, id LIMIT 1";
    static const char claim_sql[] =
        "UPDATE alerts SET tg_state = 1, tg_owner = ?2, tg_claim_until_us = ?3"
        " WHERE id = ?1 AND (tg_state = 0 OR (tg_state = 1 AND tg_claim_until_us < ?4))";
    if (store_in_tx(s))
        return 0; /* the caller's batch is open: look at the next tick */
    if (store_begin(s) < 0)
        return -1;
    int64_t now = time_now_us();
    sqlite3_stmt *st = store_stmt(s, old_sql);
    if (!st)
        goto fail;
    sqlite3_bind_int64(st, 1, now - (int64_t)max_age_s * US);
    if (step_done(st) < 0)
        goto fail;
    if (!(st = store_stmt(s, next_sql)))
        goto fail;
    sqlite3_bind_int64(st, 1, now);
    int rc = sqlite3_step(st);
    int64_t cand = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        goto fail;
    int got = 0;
    if (cand) {
        if (!(st = store_stmt(s, claim_sql)))
            goto fail;
        sqlite3_bind_int64(st, 1, cand);
        sqlite3_bind_text(st, 2, owner, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, now + (int64_t)claim_s * US);
        sqlite3_bind_int64(st, 4, now);
        if (step_done(st) < 0)
            goto fail;
        got = sqlite3_changes(store_db(s)) == 1;
    }
    if (store_commit(s) < 0)
        return -1;
    if (got)
        *id = cand;
    return got;
fail:
    store_rollback(s);
    return -1;
}

static int owned_update(store *s, const char *sql, int64_t id, const char *owner, int64_t v)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, owner, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, v);
    return step_done(st);
}

int alerts_tg_extend(store *s, int64_t id, const char *owner, int64_t until_us)
{
    return owned_update(s,
                        "UPDATE alerts SET tg_claim_until_us = ?3 WHERE id = ?1 AND tg_state = 1"
                        " AND tg_owner = ?2",
                        id, owner, until_us);
}

int alerts_tg_sent(store *s, int64_t id, const char *owner)
{
    return owned_update(s,
                        "UPDATE alerts SET tg_state = 2, tg_sent_us = ?3 WHERE id = ?1"
                        " AND tg_state = 1 AND tg_owner = ?2",
                        id, owner, time_now_us());
}

int alerts_tg_posted(store *s, int64_t id, const char *owner)
{
    return owned_update(s,
                        "UPDATE alerts SET tg_sent_us = ?3 WHERE id = ?1 AND tg_state = 1"
                        " AND tg_owner = ?2",
                        id, owner, time_now_us());
}

int alerts_tg_message_posted(store *s, int64_t id)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT tg_sent_us IS NOT NULL FROM alerts WHERE id = ?1");
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st), v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? v : -1;
}

int alerts_tg_release(store *s, int64_t id, const char *owner)
{
    return owned_update(s,
                        "UPDATE alerts SET tg_state = 0, tg_owner = NULL, tg_claim_until_us = ?3"
                        " WHERE id = ?1 AND tg_state = 1 AND tg_owner = ?2",
                        id, owner, 0);
}

/* ---- the message ---------------------------------------------------------- */

size_t alerts_tg_escape(const char *s, char *out, size_t cap)
{
    if (!cap)
        return 0;
    size_t n = strlen(s), tmpcap = n * 6 + 16;
    char *tmp = malloc(tmpcap);
    if (!tmp) {
        out[0] = 0;
        return 0;
    }
    /* control characters (a BEL in a name) become visible, then HTML */
    text_sanitize_utf8(s, n, tmp, tmpcap);
    size_t o = 0;
    for (const char *p = tmp; *p; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '&': rep = "&amp;"; break;
        case '"': rep = "&quot;"; break;
        default: break;
        }
        size_t l = rep ? strlen(rep) : 1;
        if (o + l + 1 > cap)
            break; /* never half an entity */
        if (rep)
            memcpy(out + o, rep, l);
        else
            out[o] = *p;
        o += l;
    }
    /* never half a UTF-8 character either */
    while (o > 0 && ((unsigned char)out[o - 1] & 0xC0) == 0x80) {
        size_t k = o - 1;
        while (k > 0 && ((unsigned char)out[k] & 0xC0) == 0x80)
            k--;
        unsigned char lead = (unsigned char)out[k];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (o - k >= need)
            break;
        o = k;
    }
    out[o] = 0;
    free(tmp);
    return o;
}

static const alert_rule *rule_of(const cxm_config *cfg, const char *name)
{
    for (int i = 0; i < cfg->nalerts; i++)
        if (!strcmp(cfg->alerts[i].name, name))
            return &cfg->alerts[i];
    return NULL;
}

/* Appends to the message if the whole piece fits. */
static bool put(char *out, size_t cap, size_t *len, const char *piece)
{
    size_t l = strlen(piece);
    if (*len + l + 1 > cap)
        return false;
    memcpy(out + *len, piece, l + 1);
    *len += l;
    return true;
}

int alerts_tg_message(store *s, const cxm_config *cfg, int64_t id, char *out, size_t cap)
{
    alert_info a;
    int rc = alerts_get(s, id, &a);
    if (rc)
        return rc;
    if (cap > TG_MAX + 1)
        cap = TG_MAX + 1;
    const alert_rule *r = rule_of(cfg, a.rule);
    bool ru = cfg->lang && !strcmp(cfg->lang, "ru");
    const char *title = a.rule;
    if (r) {
        const char *pref = ru ? r->title_ru : r->title_en, *other = ru ? r->title_en : r->title_ru;
        title = *pref ? pref : *other ? other : a.rule;
    }
    char e1[1024], e2[1024], line[2600], when[64];
    size_t len = 0;
    out[0] = 0;
    alerts_tg_escape(title, e1, sizeof e1);
    snprintf(line, sizeof line, "\xF0\x9F\x94\x94 <b>%s</b>\n", e1); /* U+1F514 bell */
    put(out, cap, &len, line);
    alerts_tg_escape(a.scope_name, e1, sizeof e1);
    time_format_local(a.opened_us, "%Y-%m-%d %H:%M:%S", when, sizeof when);
    snprintf(line, sizeof line, "%s: %s\n%s: %s\n", ru ? "Где" : "Where", e1, ru ? "Когда" : "When",
             when);
    put(out, cap, &len, line);
    alerts_tg_escape(a.summary, e1, sizeof e1);
    snprintf(line, sizeof line, "%s\n", e1);
    put(out, cap, &len, line);
    alert_event_row *ev = NULL;
    size_t n = 0;
    if (alerts_event_rows(s, id, &ev, &n) == 0 && n) {
        snprintf(line, sizeof line, "\n%s:\n", ru ? "Первые события" : "First events");
        put(out, cap, &len, line);
        for (size_t i = 0; i < n && i < TG_EVENTS; i++) {
            time_format_local(ev[i].ts_us, "%H:%M:%S", when, sizeof when);
            alerts_tg_escape(ev[i].rating[0] ? ev[i].rating : event_type_name(ev[i].type), e1,
                             sizeof e1);
            char who[600];
            snprintf(who, sizeof who, "%s%s%s", ev[i].employee_name, ev[i].employee_name[0] ? ", " : "",
                     ev[i].desk);
            alerts_tg_escape(who, e2, sizeof e2);
            snprintf(line, sizeof line, "\xE2\x80\xA2 %s %s%s%s\n", when, e1, e2[0] ? " \xE2\x80\x94 " : "",
                     e2);
            if (!put(out, cap, &len, line))
                break;
        }
        if (n > TG_EVENTS) {
            snprintf(line, sizeof line, ru ? "\xE2\x80\xA6 и ещё %zu\n" : "\xE2\x80\xA6 and %zu more\n",
                     n - TG_EVENTS);
            put(out, cap, &len, line);
        }
    }
    free(ev);
    return 0;
}
