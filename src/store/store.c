/* The SQLite connection: opening, recognising our files, migrations,
 * transactions, feed positions and the statement cache (DESIGN §5). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "cxm/mem.h"
#include "cxm/i18n.h"
#include "store/store_priv.h"

struct cxm_embedded {
    const char *name;
    const char *text;
};
extern const struct cxm_embedded cxm_schema[];

void store_set_msg(store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
}

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (!err || !errlen) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* "001_init.sql" -> 1; files without a number are not migrations. */
static int migration_number(const char *name)
{
    int n = 0, digits = 0;
    for (; name[digits] >= '0' && name[digits] <= '9' && digits < 6; digits++)
        n = n * 10 + (name[digits] - '0');
    return digits ? n : -1;
}

int store_schema_latest(void)
{
    int latest = 0;
    for (const struct cxm_embedded *m = cxm_schema; m->name; m++) {
        int n = migration_number(m->name);
        if (n > latest) latest = n;
    }
    return latest;
}

sqlite3_stmt *store_stmt(store *s, const char *sql)
{
    for (size_t i = 0; i < s->nstmts; i++) {
        if (s->stmts[i].sql == sql) {
            sqlite3_stmt *st = s->stmts[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    if (mem_grow(&s->stmts, &s->capstmts, s->nstmts, sizeof *s->stmts, 32)) {
        store_set_msg(s, _("out of memory"));
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        store_set_msg(s, "%s", sqlite3_errmsg(s->db));
        return NULL;
    }
    s->stmts[s->nstmts].sql = sql;
    s->stmts[s->nstmts].st = st;
    s->nstmts++;
    s->msg[0] = 0;
    return st;
}

static int exec(store *s, const char *sql)
{
    char *e = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &e);
    if (rc != SQLITE_OK) {
        store_set_msg(s, "%s", e ? e : sqlite3_errstr(rc));
        sqlite3_free(e);
    }
    return rc;
}

/* Single integer from a read-only statement (pragmas, counts). */
static int query_int(store *s, const char *sql, int64_t *out)
{
    sqlite3_stmt *st = store_stmt(s, sql);
    if (!st) return sqlite3_errcode(s->db) ? sqlite3_errcode(s->db) : SQLITE_ERROR;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    } else {
        store_set_msg(s, "%s", sqlite3_errmsg(s->db));
    }
    sqlite3_reset(st);
    return rc;
}

static bool busy(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

static void nap_ms(int ms)
{
    struct timespec ts = {0, ms * 1000L * 1000L};
    nanosleep(&ts, NULL);
}

/* Opening a fresh file from several processes at once (two imports) meets
 * short lock conflicts that SQLite reports as BUSY without waiting (the WAL
 * switch, a reader that saw the file before the switch): retry them. */
#define OPEN_RETRY_MS 20000
#define OPEN_NAP_MS 50

static int apply_migration(store *s, int num, const char *name, const char *text)
{
    int brc;
    for (int waited = 0; busy(brc = exec(s, "BEGIN IMMEDIATE")) && waited < OPEN_RETRY_MS;
         waited += OPEN_NAP_MS)
        nap_ms(OPEN_NAP_MS);
    if (brc != SQLITE_OK) {
        store_set_msg(s, _("migration %s: %s"), name, sqlite3_errmsg(s->db));
        return -1;
    }
    int64_t have = 0;
    /* Another process may have migrated while we waited for the lock. */
    if (query_int(s, "PRAGMA user_version", &have) != SQLITE_OK) goto fail;
    if (have >= num) return exec(s, "COMMIT") == SQLITE_OK ? 0 : -1;
    char pragmas[128];
    snprintf(pragmas, sizeof pragmas, "PRAGMA user_version = %d; PRAGMA application_id = %d;", num,
             STORE_APPLICATION_ID);
    if (exec(s, text) != SQLITE_OK || exec(s, pragmas) != SQLITE_OK) {
        char why[sizeof s->msg];
        memcpy(why, s->msg, sizeof why);
        store_set_msg(s, _("migration %s: %s"), name, why);
        goto fail;
    }
    if (exec(s, "COMMIT") != SQLITE_OK) goto fail;
    return 0;
fail:
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static int migrate(store *s, int upto)
{
    /* An up-to-date database needs no write lock: a reader (kpi, a second
     * console) must open while an import holds the writer's lock. */
    int64_t have = 0;
    if (query_int(s, "PRAGMA user_version", &have) != SQLITE_OK) return -1;
    /* cxm_schema[] is sorted by file name, hence by number. */
    for (const struct cxm_embedded *m = cxm_schema; m->name; m++) {
        int n = migration_number(m->name);
        if (n <= 0 || n > upto || n <= have) continue;
        if (apply_migration(s, n, m->name, m->text) != 0) return -1;
    }
    return 0;
}

/* Reads only, so a file that is not ours stays byte-for-byte untouched. One
 * statement, so one snapshot: a concurrent opener's first migration is seen
 * either whole (tables and our application_id) or not at all. */
static int recognise(store *s, const char *path, int latest, char *err, size_t errlen)
{
    int64_t app = 0, ver = 0, tables = 0;
    sqlite3_stmt *st = store_stmt(s, "SELECT (SELECT application_id FROM pragma_application_id), "
                                     "(SELECT user_version FROM pragma_user_version), "
                                     "(SELECT count(*) FROM sqlite_master)");
    int rc = st ? sqlite3_step(st) : sqlite3_errcode(s->db);
    if (rc == SQLITE_ROW) {
        app = sqlite3_column_int64(st, 0);
        ver = sqlite3_column_int64(st, 1);
        tables = sqlite3_column_int64(st, 2);
        rc = SQLITE_OK;
    } else if (st) {
        rc = sqlite3_reset(st);
    }
    if (st) sqlite3_reset(st);
    if ((rc & 0xff) == SQLITE_NOTADB) {
        set_err(err, errlen, _("%s: not an SQLite database"), path);
        return -1;
    }
    if (rc != SQLITE_OK) {
        set_err(err, errlen, _("%s: cannot read the header: %s"), path, sqlite3_errmsg(s->db));
        return rc;
    }
    if (app != STORE_APPLICATION_ID && (app != 0 || tables > 0)) {
        set_err(err, errlen,
                _("%s: not a cxm-console database (an SQLite file of another application); "
                "refusing to touch it"),
                path);
        return -1;
    }
    if (ver > latest) {
        set_err(err, errlen,
                _("%s: database schema version %lld is newer than this cxm-console (%d); "
                "upgrade cxm-console"),
                path, (long long)ver, latest);
        return -1;
    }
    return 0;
}

static int set_wal(store *s)
{
    for (int waited = 0;; waited += OPEN_NAP_MS) {
        int rc = exec(s, "PRAGMA journal_mode=WAL");
        if (rc == SQLITE_OK) return 0;
        if (!busy(rc) || waited >= OPEN_RETRY_MS) return -1;
        nap_ms(OPEN_NAP_MS);
    }
}

int store_open_upto(const char *path, int max_version, store **out, char *err, size_t errlen)
{
    *out = NULL;
    store *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(path)) || !(s->pend = store_pending_new())) {
        set_err(err, errlen, _("out of memory"));
        if (s) {
            free(s->path);
            free(s);
        }
        return -1;
    }
    int latest = store_schema_latest();
    store_fix_side_files(path);
    int rc = sqlite3_open_v2(
        path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        set_err(err, errlen, _("%s: %s"), path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_extended_result_codes(s->db, 1);
    store_set_busy_timeout(s, STORE_BUSY_TIMEOUT_MS);
    for (int waited = 0;; waited += OPEN_NAP_MS) {
        int rrc = recognise(s, path, latest, err, errlen);
        if (rrc == 0) break;
        if (!busy(rrc) || waited >= OPEN_RETRY_MS) goto fail;
        nap_ms(OPEN_NAP_MS);
    }
    if (strcmp(path, ":memory:") != 0 && path[0] && set_wal(s) != 0) {
        set_err(err, errlen, _("%s: cannot enable WAL: %s"), path, s->msg);
        goto fail;
    }
    if (exec(s, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY") != SQLITE_OK) {
        set_err(err, errlen, _("%s: pragmas: %s"), path, s->msg);
        goto fail;
    }
    if (migrate(s, max_version < latest ? max_version : latest) != 0) {
        set_err(err, errlen, _("%s: %s"), path, s->msg);
        goto fail;
    }
    s->data_version = store_data_version(s);
    *out = s;
    return 0;
fail:
    store_close(s);
    return -1;
}

int store_open(const char *path, store **out, char *err, size_t errlen)
{
    return store_open_upto(path, INT_MAX, out, err, errlen);
}

void store_close(store *s)
{
    if (!s) return;
    if (s->in_tx) store_rollback(s);
    for (size_t i = 0; i < s->nstmts; i++)
        sqlite3_finalize(s->stmts[i].st);
    free(s->stmts);
    store_pending_free(s->pend); /* finalizes its statements before the close */
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

int store_begin(store *s)
{
    if (s->in_tx) {
        store_set_msg(s, _("transaction already open"));
        return -1;
    }
    sqlite3_stmt *st = store_stmt(s, "BEGIN IMMEDIATE");
    if (!st) return -1;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_set_msg(s, _("begin: %s"), sqlite3_errmsg(s->db));
        return -1;
    }
    s->in_tx = true;
    int64_t dv = store_data_version(s);
    if (dv != s->data_version) /* someone else committed: our name cache may lie */
        store_pending_discard(s->pend, true);
    return 0;
}

void store_set_busy_timeout(store *s, int ms)
{
    s->busy_ms = ms > 0 ? ms : 0;
    sqlite3_busy_timeout(s->db, s->busy_ms);
}

int store_busy_timeout(const store *s)
{
    return s->busy_ms;
}

bool store_busy_error(store *s)
{
    return busy(sqlite3_extended_errcode(s->db));
}

int store_try_begin(store *s)
{
    if (s->in_tx) return store_begin(s); /* the error it reports */
    int keep = s->busy_ms;
    sqlite3_busy_timeout(s->db, 0);
    int rc = store_begin(s);
    bool was_busy = rc != 0 && store_busy_error(s);
    sqlite3_busy_timeout(s->db, keep);
    if (rc == 0) return 0;
    return was_busy ? STORE_BUSY : -1;
}

int store_flush(store *s)
{
    return store_pending_flush(s);
}

/* Why a write failed, as " (...)" or "": SQLite reports EFBIG (over
 * `ulimit -f`) only as "disk I/O error" and does not keep the errno. */
static void store_io_cause(store *s, char *out, size_t cap)
{
    int ext = sqlite3_extended_errcode(s->db), e = sqlite3_system_errno(s->db);
    struct rlimit rl;
    out[0] = '\0';
    if (ext != SQLITE_IOERR_WRITE && ext != SQLITE_FULL && (ext & 0xff) != SQLITE_IOERR)
        return;
    if (getrlimit(RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
        snprintf(out, cap, _(" (%s? the file size limit, ulimit -f, is %llu bytes)"), strerror(EFBIG),
                 (unsigned long long)rl.rlim_cur);
    else if (e)
        snprintf(out, cap, " (%s)", strerror(e));
    else if (ext == SQLITE_FULL)
        snprintf(out, cap, " (%s)", strerror(ENOSPC));
}

int store_commit(store *s)
{
    if (!s->in_tx) {
        store_set_msg(s, _("no transaction open"));
        return -1;
    }
    if (store_pending_flush(s) != SQLITE_OK) {
        store_rollback(s);
        return -1;
    }
    sqlite3_stmt *st = store_stmt(s, "COMMIT");
    int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
    if (st) sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        /* "disk I/O error" alone hides the cause (File too large over
         * `ulimit -f`, No space left on device): the errno behind it says it */
        char cause[160];
        store_io_cause(s, cause, sizeof cause);
        store_set_msg(s, _("commit: %s%s"), sqlite3_errmsg(s->db), cause);
        store_rollback(s);
        return -1;
    }
    s->in_tx = false;
    s->data_version = store_data_version(s);
    return 0;
}

void store_rollback(store *s)
{
    store_pending_discard(s->pend, true);
    if (!sqlite3_get_autocommit(s->db)) sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->in_tx = false;
}

bool store_in_tx(const store *s)
{
    return s->in_tx;
}

/* Feed positions: one statement each, in the caller's transaction if any. */
static int step_done(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(s->db));
        return -1;
    }
    return 0;
}

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int store_cursor_get(store *s, const char *source, char *last_id, size_t cap)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT last_id FROM feed_cursors WHERE source = ?1");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ret = 1;
    if (rc == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(st, 0);
        if (cap) snprintf(last_id, cap, "%s", v ? v : "");
        ret = 0;
    } else if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(s->db));
        ret = -1;
    }
    sqlite3_reset(st);
    return ret;
}

int store_cursor_set(store *s, const char *source, const char *last_id)
{
    sqlite3_stmt *st =
        store_stmt(s, "INSERT INTO feed_cursors(source, last_id, updated_us) "
                      "VALUES (?1, ?2, ?3) ON CONFLICT(source) DO UPDATE SET "
                      "last_id = excluded.last_id, updated_us = excluded.updated_us");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, last_id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, now_us());
    return step_done(s, st);
}

int store_tail_get(store *s, const char *path, uint64_t *dev, uint64_t *ino, int64_t *offset)
{
    sqlite3_stmt *st = store_stmt(s, "SELECT dev, ino, offset FROM tail_positions WHERE path = ?1");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    int ret = 1;
    if (rc == SQLITE_ROW) {
        *dev = (uint64_t)sqlite3_column_int64(st, 0);
        *ino = (uint64_t)sqlite3_column_int64(st, 1);
        *offset = sqlite3_column_int64(st, 2);
        ret = 0;
    } else if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(s->db));
        ret = -1;
    }
    sqlite3_reset(st);
    return ret;
}

int store_tail_set(store *s, const char *path, uint64_t dev, uint64_t ino, int64_t offset)
{
    sqlite3_stmt *st = store_stmt(
        s, "INSERT INTO tail_positions(path, dev, ino, offset, updated_us) "
           "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(path) DO UPDATE SET dev = excluded.dev, "
           "ino = excluded.ino, offset = excluded.offset, updated_us = excluded.updated_us");
    if (!st) return -1;
    sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
    /* SQLite integers are signed: the bits round-trip through int64. */
    sqlite3_bind_int64(st, 2, (int64_t)dev);
    sqlite3_bind_int64(st, 3, (int64_t)ino);
    sqlite3_bind_int64(st, 4, offset);
    sqlite3_bind_int64(st, 5, now_us());
    return step_done(s, st);
}

int64_t store_data_version(store *s)
{
    int64_t v = -1;
    if (query_int(s, "PRAGMA data_version", &v) != SQLITE_OK) return -1;
    return v;
}

int64_t store_count_events(store *s)
{
    int64_t n = -1;
    if (query_int(s, "SELECT count(*) FROM events", &n) != SQLITE_OK) return -1;
    return n;
}

const char *store_errmsg(store *s)
{
    if (s->msg[0]) return s->msg;
    return sqlite3_errmsg(s->db);
}

const char *store_path(store *s)
{
    return s->path;
}

struct sqlite3 *store_db(store *s)
{
    return s->db;
}
