/* Checklist entries, revisions and claims in SQLite (review.h; tables in
 * data/schema/040_checklists.sql). Every read statement is reset as soon as
 * it is read: a statement left mid-step would hold a read snapshot and hide
 * other supervisors' commits from this connection. */
#include "cxm/review.h"
#include "cxm/i18n.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxm/mem.h"
#include "cxm/timefmt.h"
#include "store/store_priv.h"

static void copy_str(char *dst, size_t cap, const unsigned char *src)
{
    snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

/* ---- the in-memory entry ---- */

void review_entry_init(review_entry *e, const char *event_id, const char *checklist_id)
{
    memset(e, 0, sizeof *e);
    snprintf(e->event_id, sizeof e->event_id, "%s", event_id ? event_id : "");
    snprintf(e->checklist, sizeof e->checklist, "%s", checklist_id ? checklist_id : "");
}

void review_entry_clear(review_entry *e)
{
    free(e->comment);
    free(e->causes);
    e->comment = NULL;
    e->causes = NULL;
    e->ncauses = 0;
}

int review_entry_copy(review_entry *dst, const review_entry *src)
{
    *dst = *src;
    dst->comment = NULL;
    dst->causes = NULL;
    if (src->comment && !(dst->comment = strdup(src->comment)))
        return -1;
    if (src->ncauses) {
        if (!(dst->causes = malloc((size_t)src->ncauses * sizeof *dst->causes))) {
            free(dst->comment);
            dst->comment = NULL;
            dst->ncauses = 0;
            return -1;
        }
        memcpy(dst->causes, src->causes, (size_t)src->ncauses * sizeof *dst->causes);
    }
    return 0;
}

int review_entry_has(const review_entry *e, const char *item)
{
    for (int i = 0; i < e->ncauses; i++)
        if (!strcmp(e->causes[i].item, item))
            return i;
    return -1;
}

int review_entry_toggle(review_entry *e, const char *item, bool on, int64_t at_ms)
{
    int i = review_entry_has(e, item);
    if (on) {
        if (i >= 0) {
            if (at_ms != REVIEW_NO_STAMP)
                e->causes[i].at_ms = at_ms;
            return 0;
        }
        if (strlen(item) > CHECKLIST_ID_MAX)
            return -1;
        review_cause *v = realloc(e->causes, (size_t)(e->ncauses + 1) * sizeof *v);
        if (!v)
            return -1;
        e->causes = v;
        review_cause *c = &v[e->ncauses++];
        memset(c, 0, sizeof *c);
        snprintf(c->item, sizeof c->item, "%s", item);
        c->at_ms = at_ms;
        return 0;
    }
    if (i >= 0) {
        memmove(&e->causes[i], &e->causes[i + 1], (size_t)(e->ncauses - i - 1) * sizeof *e->causes);
        e->ncauses--;
    }
    return 0;
}

void review_entry_set_primary(review_entry *e, const char *item)
{
    for (int i = 0; i < e->ncauses; i++)
        e->causes[i].primary = item && !strcmp(e->causes[i].item, item);
}

const char *review_entry_primary(const review_entry *e)
{
    for (int i = 0; i < e->ncauses; i++)
        if (e->causes[i].primary)
            return e->causes[i].item;
    return NULL;
}

int review_entry_set_comment(review_entry *e, const char *comment)
{
    char *c = NULL;
    if (comment && *comment && !(c = strdup(comment)))
        return -1;
    free(e->comment);
    e->comment = c;
    return 0;
}

bool review_entry_same(const review_entry *a, const review_entry *b)
{
    const char *ca = a->comment ? a->comment : "", *cb = b->comment ? b->comment : "";
    if (a->status != b->status || a->needs_info != b->needs_info || a->no_cause != b->no_cause ||
        a->ncauses != b->ncauses || strcmp(ca, cb))
        return false;
    for (int i = 0; i < a->ncauses; i++) {
        int j = review_entry_has(b, a->causes[i].item);
        if (j < 0 || b->causes[j].primary != a->causes[i].primary ||
            b->causes[j].at_ms != a->causes[i].at_ms)
            return false;
    }
    return true;
}

void review_stamp_format(int64_t at_ms, bool utf8, char *out, size_t cap)
{
    if (at_ms == REVIEW_NO_STAMP) {
        snprintf(out, cap, "%s", "");
        return;
    }
    /* magnitude first: -at_ms of the most negative stamp would overflow */
    uint64_t mag = at_ms < 0 ? (uint64_t)(-(at_ms + 1)) + 1 : (uint64_t)at_ms;
    unsigned long long s = (unsigned long long)((mag + 500) / 1000);
    const char *sign = at_ms < 0 && s ? (utf8 ? "\u2212" : "-") : "+";
    if (s >= 3600)
        snprintf(out, cap, "%s%llu:%02llu:%02llu", sign, s / 3600, s / 60 % 60, s % 60);
    else
        snprintf(out, cap, "%s%02llu:%02llu", sign, s / 60, s % 60);
}

const char *review_status_name(review_status s)
{
    return s == REVIEW_DONE ? "done" : "draft";
}

void review_os_user(char *out, size_t cap)
{
    struct passwd *pw = getpwuid(getuid());
    const char *n = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
    if (!n)
        n = getenv("LOGNAME");
    if (!n || !*n)
        n = getenv("USER");
    if (n && *n)
        snprintf(out, cap, "%.*s", REVIEW_USER_MAX, n);
    else
        snprintf(out, cap, "uid%ld", (long)getuid());
}

/* ---- reads ---- */

static const char SQL_EVENT[] = "SELECT type, polarity, ts FROM events WHERE id = ?1";

int review_event(store *s, const char *event_id, int *type, int *polarity, int64_t *ts_us)
{
    sqlite3_stmt *st = store_stmt(s, SQL_EVENT);
    if (!st)
        return REVIEW_ERROR;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st), ret = REVIEW_NONE;
    if (rc == SQLITE_ROW) {
        *type = sqlite3_column_int(st, 0);
        *polarity = sqlite3_column_int(st, 1);
        *ts_us = sqlite3_column_int64(st, 2);
        ret = REVIEW_OK;
    } else if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(store_db(s)));
        ret = REVIEW_ERROR;
    }
    sqlite3_reset(st);
    return ret;
}

static const char SQL_REV_ONE[] =
    "SELECT r.revision, r.status, r.reviewer, r.saved_us, r.comment, r.needs_info, r.no_cause "
    "FROM checklist_entries c JOIN checklist_revisions r ON r.event_id = c.event_id AND "
    "r.checklist = c.checklist AND r.revision = c.revision "
    "WHERE c.event_id = ?1 AND c.checklist = ?2";
static const char SQL_REV_ALL[] =
    "SELECT revision, status, reviewer, saved_us, comment, needs_info, no_cause "
    "FROM checklist_revisions WHERE event_id = ?1 AND checklist = ?2 ORDER BY revision";
static const char SQL_CAUSES[] = "SELECT item, is_primary, at_ms FROM checklist_causes "
                                 "WHERE event_id = ?1 AND checklist = ?2 AND revision = ?3 "
                                 "ORDER BY ord";

static int fill_row(sqlite3_stmt *st, review_entry *e)
{
    e->revision = sqlite3_column_int64(st, 0);
    e->status = sqlite3_column_int(st, 1) == 1 ? REVIEW_DONE : REVIEW_DRAFT;
    copy_str(e->reviewer, sizeof e->reviewer, sqlite3_column_text(st, 2));
    e->saved_us = sqlite3_column_int64(st, 3);
    const unsigned char *c = sqlite3_column_text(st, 4);
    e->comment = NULL;
    if (c && *c && !(e->comment = strdup((const char *)c)))
        return -1;
    e->needs_info = sqlite3_column_int(st, 5) != 0;
    e->no_cause = sqlite3_column_int(st, 6) != 0;
    return 0;
}

static int load_causes(store *s, review_entry *e)
{
    sqlite3_stmt *st = store_stmt(s, SQL_CAUSES);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, e->event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, e->checklist, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, e->revision);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const unsigned char *item = sqlite3_column_text(st, 0);
        int64_t at = sqlite3_column_type(st, 2) == SQLITE_NULL ? REVIEW_NO_STAMP
                                                               : sqlite3_column_int64(st, 2);
        if (!item || review_entry_toggle(e, (const char *)item, true, at) != 0) {
            sqlite3_reset(st);
            store_set_msg(s, _("out of memory"));
            return -1;
        }
        if (sqlite3_column_int(st, 1))
            e->causes[e->ncauses - 1].primary = true;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return 0;
}

/* The current entry, read inside the caller's transaction (if any). */
static int get_current(store *s, const char *event_id, const char *checklist_id, review_entry *e)
{
    review_entry_init(e, event_id, checklist_id);
    sqlite3_stmt *st = store_stmt(s, SQL_REV_ONE);
    if (!st)
        return REVIEW_ERROR;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, checklist_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st), ret = REVIEW_NONE;
    if (rc == SQLITE_ROW)
        ret = fill_row(st, e) == 0 ? REVIEW_OK : REVIEW_ERROR;
    else if (rc != SQLITE_DONE)
        ret = REVIEW_ERROR;
    if (ret == REVIEW_ERROR)
        store_set_msg(s, "%s", rc == SQLITE_ROW ? _("out of memory") : sqlite3_errmsg(store_db(s)));
    sqlite3_reset(st);
    if (ret == REVIEW_OK && load_causes(s, e) != 0)
        ret = REVIEW_ERROR;
    if (ret == REVIEW_ERROR)
        review_entry_clear(e);
    return ret;
}

/* Reads that must agree with each other (an entry and its causes) share
 * one snapshot. */
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

int review_get(store *s, const char *event_id, const char *checklist_id, review_entry *e)
{
    int b = read_begin(s);
    if (b < 0) {
        review_entry_init(e, event_id, checklist_id);
        store_set_msg(s, "%s", sqlite3_errmsg(store_db(s)));
        return REVIEW_ERROR;
    }
    int rc = get_current(s, event_id, checklist_id, e);
    read_end(s, b);
    return rc;
}

void review_history_free(review_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        review_entry_clear(&v[i]);
    free(v);
}

int review_history(store *s, const char *event_id, const char *checklist_id, review_entry **out,
                   size_t *n)
{
    *out = NULL;
    *n = 0;
    int b = read_begin(s);
    if (b < 0) {
        store_set_msg(s, "%s", sqlite3_errmsg(store_db(s)));
        return REVIEW_ERROR;
    }
    review_entry *v = NULL;
    size_t cnt = 0, cap = 0;
    int ret = REVIEW_OK, rc;
    sqlite3_stmt *st = store_stmt(s, SQL_REV_ALL);
    if (!st) {
        read_end(s, b);
        return REVIEW_ERROR;
    }
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, checklist_id, -1, SQLITE_TRANSIENT);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&v, &cap, cnt, sizeof *v, 4) != 0) {
            ret = REVIEW_ERROR;
            break;
        }
        review_entry_init(&v[cnt], event_id, checklist_id);
        if (fill_row(st, &v[cnt++]) != 0) {
            ret = REVIEW_ERROR;
            break;
        }
    }
    if (ret == REVIEW_OK && rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(store_db(s)));
        ret = REVIEW_ERROR;
    } else if (ret != REVIEW_OK) {
        store_set_msg(s, _("out of memory"));
    }
    sqlite3_reset(st);
    for (size_t i = 0; ret == REVIEW_OK && i < cnt; i++)
        if (load_causes(s, &v[i]) != 0)
            ret = REVIEW_ERROR;
    read_end(s, b);
    if (ret != REVIEW_OK) {
        review_history_free(v, cnt);
        return REVIEW_ERROR;
    }
    *out = v;
    *n = cnt;
    return REVIEW_OK;
}

/* ---- writes ---- */

static const char SQL_INS_REV[] =
    "INSERT INTO checklist_revisions (event_id, checklist, revision, status, reviewer, saved_us, "
    "comment, needs_info, no_cause) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_INS_CAUSE[] =
    "INSERT INTO checklist_causes (event_id, checklist, revision, item, ord, is_primary, at_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_UPSERT_ENTRY[] =
    "INSERT INTO checklist_entries (event_id, checklist, revision, status, reviewer, saved_us, "
    "needs_info, no_cause) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT (event_id, checklist) DO UPDATE SET revision = excluded.revision, "
    "status = excluded.status, reviewer = excluded.reviewer, saved_us = excluded.saved_us, "
    "needs_info = excluded.needs_info, no_cause = excluded.no_cause";
static const char SQL_CLAIM_DROP_ANY[] = "DELETE FROM checklist_claims WHERE event_id = ?1";

static int step_done(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return 0;
}

static int write_revision(store *s, const review_entry *e)
{
    sqlite3_stmt *st = store_stmt(s, SQL_INS_REV);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, e->event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, e->checklist, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, e->revision);
    sqlite3_bind_int(st, 4, e->status == REVIEW_DONE);
    sqlite3_bind_text(st, 5, e->reviewer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, e->saved_us);
    sqlite3_bind_text(st, 7, e->comment ? e->comment : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 8, e->needs_info);
    sqlite3_bind_int(st, 9, e->no_cause);
    if (step_done(s, st) != 0)
        return -1;
    for (int i = 0; i < e->ncauses; i++) {
        if (!(st = store_stmt(s, SQL_INS_CAUSE)))
            return -1;
        sqlite3_bind_text(st, 1, e->event_id, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, e->checklist, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 3, e->revision);
        sqlite3_bind_text(st, 4, e->causes[i].item, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 5, i);
        sqlite3_bind_int(st, 6, e->causes[i].primary);
        if (e->causes[i].at_ms != REVIEW_NO_STAMP)
            sqlite3_bind_int64(st, 7, e->causes[i].at_ms);
        if (step_done(s, st) != 0)
            return -1;
    }
    if (!(st = store_stmt(s, SQL_UPSERT_ENTRY)))
        return -1;
    sqlite3_bind_text(st, 1, e->event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, e->checklist, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, e->revision);
    sqlite3_bind_int(st, 4, e->status == REVIEW_DONE);
    sqlite3_bind_text(st, 5, e->reviewer, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, e->saved_us);
    sqlite3_bind_int(st, 7, e->needs_info);
    sqlite3_bind_int(st, 8, e->no_cause);
    if (step_done(s, st) != 0)
        return -1;
    if (e->status == REVIEW_DONE) {
        if (!(st = store_stmt(s, SQL_CLAIM_DROP_ANY)))
            return -1;
        sqlite3_bind_text(st, 1, e->event_id, -1, SQLITE_TRANSIENT);
        if (step_done(s, st) != 0)
            return -1;
    }
    return 0;
}

int review_save_in_tx(store *s, review_entry *e, int64_t expect_revision, review_entry *current)
{
    if (e->comment && strlen(e->comment) > REVIEW_COMMENT_MAX) {
        store_set_msg(s, _("comment longer than %d bytes"), REVIEW_COMMENT_MAX);
        return REVIEW_ERROR;
    }
    if (!e->reviewer[0])
        review_os_user(e->reviewer, sizeof e->reviewer);
    review_entry cur;
    int rc = get_current(s, e->event_id, e->checklist, &cur);
    if (rc == REVIEW_ERROR)
        return REVIEW_ERROR;
    if (expect_revision >= 0 && cur.revision != expect_revision) {
        if (current)
            *current = cur;
        else
            review_entry_clear(&cur);
        return REVIEW_STALE;
    }
    int64_t prev_rev = e->revision, prev_us = e->saved_us;
    e->revision = cur.revision + 1;
    e->saved_us = time_now_us();
    /* Revisions are ordered by number; keep their times monotonic too, so a
     * clock step back between two saves cannot make history read backwards. */
    if (cur.revision > 0 && e->saved_us <= cur.saved_us)
        e->saved_us = cur.saved_us + 1;
    review_entry_clear(&cur);
    if (write_revision(s, e) != 0) {
        e->revision = prev_rev;
        e->saved_us = prev_us;
        return REVIEW_ERROR;
    }
    return REVIEW_OK;
}

int review_save(store *s, review_entry *e, int64_t expect_revision, review_entry *current)
{
    if (store_begin(s) != 0)
        return REVIEW_ERROR;
    int64_t prev_rev = e->revision, prev_us = e->saved_us;
    int rc = review_save_in_tx(s, e, expect_revision, current);
    if (rc != REVIEW_OK) {
        store_rollback(s);
        return rc;
    }
    if (store_commit(s) != 0) {
        if (store_in_tx(s))
            store_rollback(s);
        e->revision = prev_rev;
        e->saved_us = prev_us;
        return REVIEW_ERROR;
    }
    return REVIEW_OK;
}

/* ---- claims ---- */

static const char SQL_CLAIM_GET[] =
    "SELECT claimed_by, claimed_us, expires_us FROM checklist_claims WHERE event_id = ?1";
static const char SQL_CLAIM_PUT[] =
    "INSERT INTO checklist_claims (event_id, claimed_by, claimed_us, expires_us) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (event_id) DO UPDATE SET "
    "claimed_by = excluded.claimed_by, claimed_us = CASE WHEN claimed_by = excluded.claimed_by "
    "AND expires_us > excluded.claimed_us THEN claimed_us ELSE excluded.claimed_us END, "
    "expires_us = excluded.expires_us";
static const char SQL_CLAIM_DROP[] =
    "DELETE FROM checklist_claims WHERE event_id = ?1 AND claimed_by = ?2";

static int claim_read(store *s, const char *event_id, review_claim *c)
{
    sqlite3_stmt *st = store_stmt(s, SQL_CLAIM_GET);
    if (!st)
        return REVIEW_ERROR;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st), ret = REVIEW_NONE;
    if (rc == SQLITE_ROW) {
        copy_str(c->by, sizeof c->by, sqlite3_column_text(st, 0));
        c->since_us = sqlite3_column_int64(st, 1);
        c->expires_us = sqlite3_column_int64(st, 2);
        ret = REVIEW_OK;
    } else if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(store_db(s)));
        ret = REVIEW_ERROR;
    }
    sqlite3_reset(st);
    return ret;
}

int review_claim_get(store *s, const char *event_id, int64_t now_us, review_claim *c)
{
    int rc = claim_read(s, event_id, c);
    if (rc == REVIEW_OK && c->expires_us <= now_us)
        rc = REVIEW_NONE;
    return rc;
}

int review_claim_take_in_tx(store *s, const char *event_id, const char *user, int64_t ttl_us,
                            int64_t now_us, review_claim *holder)
{
    review_claim c;
    int rc = claim_read(s, event_id, &c);
    if (rc == REVIEW_ERROR)
        return REVIEW_ERROR;
    if (rc == REVIEW_OK && c.expires_us > now_us && strcmp(c.by, user)) {
        if (holder)
            *holder = c;
        return REVIEW_HELD;
    }
    sqlite3_stmt *st = store_stmt(s, SQL_CLAIM_PUT);
    if (!st)
        return REVIEW_ERROR;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, now_us);
    sqlite3_bind_int64(st, 4, now_us + ttl_us);
    return step_done(s, st) == 0 ? REVIEW_OK : REVIEW_ERROR;
}

int review_claim_release_in_tx(store *s, const char *event_id, const char *user)
{
    sqlite3_stmt *st = store_stmt(s, SQL_CLAIM_DROP);
    if (!st)
        return REVIEW_ERROR;
    sqlite3_bind_text(st, 1, event_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, user, -1, SQLITE_TRANSIENT);
    return step_done(s, st) == 0 ? REVIEW_OK : REVIEW_ERROR;
}

/* The same, each in its own transaction (the CLI, tests). */
int review_claim_take(store *s, const char *event_id, const char *user, int64_t ttl_us,
                      int64_t now_us, review_claim *holder)
{
    if (store_begin(s) != 0)
        return REVIEW_ERROR;
    int rc = review_claim_take_in_tx(s, event_id, user, ttl_us, now_us, holder);
    if (rc != REVIEW_OK) {
        store_rollback(s);
        return rc;
    }
    if (store_commit(s) != 0) {
        if (store_in_tx(s))
            store_rollback(s);
        return REVIEW_ERROR;
    }
    return REVIEW_OK;
}

int review_claim_release(store *s, const char *event_id, const char *user)
{
    if (store_begin(s) != 0)
        return REVIEW_ERROR;
    if (review_claim_release_in_tx(s, event_id, user) != REVIEW_OK) {
        store_rollback(s);
        return REVIEW_ERROR;
    }
    if (store_commit(s) != 0) {
        if (store_in_tx(s))
            store_rollback(s);
        return REVIEW_ERROR;
    }
    return REVIEW_OK;
}
