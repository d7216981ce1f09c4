/* Opening a database that must not (or cannot) be written: reports on a
 * read-only copy, a 0444 file, a read-only directory or mount.
 *
 * An ordinary read-only open of a WAL database still creates the -wal and
 * -shm side files when they are missing, with the database file's mode: a
 * 0444 database then gets 0444 side files that lock its owner out once they
 * chmod the database back to 0644; in a read-only directory the open fails
 * ("attempt to write a readonly database"). So the side files are used only
 * when they already exist; otherwise the file is read with immutable=1 (no
 * side files, no locks), which is exact for a copy nobody writes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store_priv.h"
#include "cxm/i18n.h"

static void ro_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void ro_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (err && errlen) vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* "file:" URI of path with immutable=1; characters with a meaning in a URI
 * are %-escaped. malloc'd. */
static char *immutable_uri(const char *path)
{
    size_t n = strlen(path);
    char *u = malloc(n * 3 + 32);
    if (!u) return NULL;
    size_t k = 0;
    k += (size_t)sprintf(u, "file:");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/._-~", *p))
            u[k++] = (char)*p;
        else
            k += (size_t)sprintf(u + k, "%%%02X", *p);
    }
    strcpy(u + k, "?immutable=1");
    return u;
}

bool store_path_writable(const char *path)
{
    struct stat sb;
    if (!strcmp(path, ":memory:") || stat(path, &sb) != 0) return true; /* created: needs writing */
    /* a file nobody may write (0444) is read-only by its owner's decision,
     * even for root, whom access() would let write it */
    if ((sb.st_mode & 0222) == 0 || access(path, W_OK) != 0) return false;
    char *dir = strdup(path);
    if (!dir) return true;
    char *slash = strrchr(dir, '/');
    const char *d = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
    bool ok = access(d, W_OK) == 0;
    free(dir);
    return ok;
}

int store_open_readonly(const char *path, store **out, char *note, size_t notecap, char *err, size_t errlen)
{
    *out = NULL;
    if (note && notecap) note[0] = '\0';
    struct stat sb;
    if (stat(path, &sb) != 0) {
        ro_err(err, errlen, _("%s: %s"), path, strerror(errno));
        return -1;
    }
    size_t n = strlen(path) + 8;
    char *wal = malloc(n), *shm = malloc(n);
    store *s = calloc(1, sizeof *s);
    char *uri = NULL;
    int rc = -1;
    if (!wal || !shm || !s || !(s->path = strdup(path)) || !(s->pend = store_pending_new())) {
        ro_err(err, errlen, _("out of memory"));
        goto out;
    }
    snprintf(wal, n, "%s-wal", path);
    snprintf(shm, n, "%s-shm", path);
    struct stat wsb;
    bool have_wal = stat(wal, &wsb) == 0, have_shm = access(shm, F_OK) == 0;
    const char *open_name = path;
    int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    if (!(have_wal && have_shm)) {
        if (have_wal && wsb.st_size > 0) {
            ro_err(err, errlen,
                   _("%s: read-only, and %s holds changes not yet in the database while %s is "
                   "missing and cannot be created here: copy the three files somewhere writable"),
                   path, wal, shm);
            goto out;
        }
        if (!(uri = immutable_uri(path))) {
            ro_err(err, errlen, _("out of memory"));
            goto out;
        }
        open_name = uri;
        flags |= SQLITE_OPEN_URI;
        if (note && notecap)
            snprintf(note, notecap,
                     _("%s is read-only and its -wal/-shm files cannot be created: reading it as it "
                     "is on disk (changes made meanwhile are not seen)"),
                     path);
    }
    int src = sqlite3_open_v2(open_name, &s->db, flags, NULL);
    if (src != SQLITE_OK) {
        ro_err(err, errlen, _("%s: %s"), path, s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(src));
        goto out;
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_stmt *st = store_stmt(s, "SELECT (SELECT application_id FROM pragma_application_id), "
                                     "(SELECT user_version FROM pragma_user_version), "
                                     "(SELECT count(*) FROM sqlite_master)");
    int qrc = st ? sqlite3_step(st) : sqlite3_errcode(s->db);
    if (qrc != SQLITE_ROW) {
        ro_err(err, errlen, _("%s: cannot read the header: %s"), path, sqlite3_errmsg(s->db));
        if (st) sqlite3_reset(st);
        goto out;
    }
    int64_t app = sqlite3_column_int64(st, 0), ver = sqlite3_column_int64(st, 1),
            tables = sqlite3_column_int64(st, 2);
    sqlite3_reset(st);
    int latest = store_schema_latest();
    if (app != STORE_APPLICATION_ID && (app != 0 || tables > 0)) {
        ro_err(err, errlen, _("%s: not a cxm-console database (an SQLite file of another application)"), path);
        goto out;
    }
    if (ver > latest) {
        ro_err(err, errlen,
               _("%s: database schema version %lld is newer than this cxm-console (%d); upgrade cxm-console"),
               path, (long long)ver, latest);
        goto out;
    }
    if (ver < latest) {
        ro_err(err, errlen,
               _("%s: database schema version %lld is older than this cxm-console's (%d) and the "
               "database is read-only: open it once with write access to upgrade it"),
               path, (long long)ver, latest);
        goto out;
    }
    s->data_version = store_data_version(s);
    *out = s;
    s = NULL;
    rc = 0;
out:
    store_close(s);
    free(uri);
    free(wal);
    free(shm);
    return rc;
}

/* SQLite gives new side files the database file's mode; a writer that
 * finds them without the owner's write bit (left by an open of the file
 * while it was 0444) would fail with "attempt to write a readonly database".
 * Once the database itself is writable by its owner again, so are they. */
void store_fix_side_files(const char *path)
{
    struct stat db;
    if (!strcmp(path, ":memory:") || stat(path, &db) != 0) return;
    const char *sfx[] = {"-wal", "-shm"};
    for (int i = 0; i < 2; i++) {
        char side[4096];
        struct stat sb;
        if (snprintf(side, sizeof side, "%s%s", path, sfx[i]) >= (int)sizeof side) continue;
        if (stat(side, &sb) == 0 && (sb.st_uid == geteuid() || geteuid() == 0) &&
            !(sb.st_mode & S_IWUSR) && (db.st_mode & S_IWUSR))
            chmod(side, (sb.st_mode & 07777) | S_IWUSR);
    }
}
