/* The recordings index (include/cxm/recordings.h): one desk folder at a time,
 * only the files that may hold the window asked for. A header is read with
 * libsndfile when a file is new or its size or mtime changed; everything else
 * comes from the store. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cxm/mem.h"
#include "cxm/i18n.h"
#include "cxm/recordings.h"
#include "store/store_internal.h"

#define DAY_US (86400LL * 1000000)

static const char SQL_ROWS[] =
    "SELECT path, start_us, frames, rate, channels, format, size, mtime_ns, error FROM recordings "
    "WHERE root = ?1 AND dir = ?2 AND start_us >= ?3 AND start_us < ?4";
static const char SQL_PUT[] =
    "INSERT OR REPLACE INTO recordings(root, path, dir, start_us, frames, rate, channels, format, "
    "size, mtime_ns, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char SQL_DEL[] = "DELETE FROM recordings WHERE root = ?1 AND path = ?2";

void rec_list_free(rec_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* Rows the store remembers for this folder and horizon. */
static int load_rows(store *s, const char *root, const char *dir, int64_t lo, int64_t hi,
                     rec_list *rows)
{
    sqlite3_stmt *st = store_stmt(s, SQL_ROWS);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, lo);
    sqlite3_bind_int64(st, 4, hi);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (mem_grow(&rows->v, &cap, rows->n, sizeof *rows->v, 16)) {
            sqlite3_reset(st);
            return -1;
        }
        rec_file *f = &rows->v[rows->n++];
        memset(f, 0, sizeof *f);
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(f->path, sizeof f->path, "%s", t ? (const char *)t : "");
        f->start_us = sqlite3_column_int64(st, 1);
        f->frames = sqlite3_column_int64(st, 2);
        f->rate = sqlite3_column_int(st, 3);
        f->channels = sqlite3_column_int(st, 4);
        f->format = sqlite3_column_int(st, 5);
        f->size = sqlite3_column_int64(st, 6);
        f->mtime_ns = sqlite3_column_int64(st, 7);
        t = sqlite3_column_text(st, 8);
        if (t)
            snprintf(f->error, sizeof f->error, "%s", (const char *)t);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static void read_header(const char *root, rec_file *f)
{
    char full[2 * REC_PATH_MAX + 2];
    snprintf(full, sizeof full, "%s/%s", root, f->path);
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(full, SFM_READ, &info);
    f->error[0] = '\0';
    if (!sf) {
        snprintf(f->error, sizeof f->error, "%s", sf_strerror(NULL));
        f->frames = f->rate = f->channels = f->format = 0;
        return;
    }
    f->frames = info.frames > 0 ? info.frames : 0;
    f->rate = info.samplerate;
    f->channels = info.channels;
    f->format = info.format;
    sf_close(sf);
    if (f->rate <= 0 || f->channels <= 0) {
        snprintf(f->error, sizeof f->error, "no sample rate or channels in the header");
        f->frames = 0;
    }
}

static int by_start(const void *a, const void *b)
{
    const rec_file *x = a, *y = b;
    if (x->start_us != y->start_us)
        return x->start_us < y->start_us ? -1 : 1;
    return strcmp(x->path, y->path);
}

static const rec_file *find_row(const rec_list *rows, const char *path)
{
    for (size_t i = 0; i < rows->n; i++)
        if (!strcmp(rows->v[i].path, path))
            return &rows->v[i];
    return NULL;
}

static int put_row(store *s, const char *root, const char *dir, const rec_file *f)
{
    sqlite3_stmt *st = store_stmt(s, SQL_PUT);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, f->path, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, dir, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, f->start_us);
    sqlite3_bind_int64(st, 5, f->frames);
    sqlite3_bind_int(st, 6, f->rate);
    sqlite3_bind_int(st, 7, f->channels);
    sqlite3_bind_int(st, 8, f->format);
    sqlite3_bind_int64(st, 9, f->size);
    sqlite3_bind_int64(st, 10, f->mtime_ns);
    if (f->error[0])
        sqlite3_bind_text(st, 11, f->error, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 11);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int del_row(store *s, const char *root, const char *path)
{
    sqlite3_stmt *st = store_stmt(s, SQL_DEL);
    if (!st)
        return -1;
    sqlite3_bind_text(st, 1, root, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

/* Writes what changed. The index is a cache: a store that refuses (read-only,
 * busy) costs only the header reads next time. */
static bool remember(store *s, const char *root, const char *dir, const rec_list *now,
                     const bool *fresh, const rec_list *rows, const bool *seen)
{
    bool own = !store_in_tx(s);
    if (own && store_begin(s) != 0)
        return false;
    bool ok = true;
    for (size_t i = 0; ok && i < now->n; i++)
        if (fresh[i])
            ok = put_row(s, root, dir, &now->v[i]) == 0;
    for (size_t i = 0; ok && i < rows->n; i++)
        if (!seen[i])
            ok = del_row(s, root, rows->v[i].path) == 0;
    if (!own)
        return ok;
    if (ok && store_commit(s) == 0)
        return true;
    store_rollback(s);
    return false;
}

int rec_scan(store *s, const char *root, const char *desk, int64_t from_us, int64_t to_us,
             rec_list *out, rec_scan_stats *stats, char *err, size_t errlen)
{
    rec_scan_stats dummy;
    if (!stats)
        stats = &dummy;
    memset(stats, 0, sizeof *stats);
    memset(out, 0, sizeof *out);
    char dir[256], full[REC_PATH_MAX + 300];
    rec_desk_dir(desk, dir, sizeof dir);
    /* A recorder rotates its files at least daily: a file that started more
     * than a day before the window cannot reach into it. */
    int64_t lo = from_us - DAY_US, hi = to_us;
    rec_list rows = {0};
    if (s && load_rows(s, root, dir, lo, hi, &rows) != 0) {
        rec_list_free(&rows); /* the index is a cache: go on without it */
        s = NULL;
    }
    snprintf(full, sizeof full, "%s/%s", root, dir);
    DIR *d = opendir(full);
    if (!d && errno != ENOENT) {
        snprintf(err, errlen, _("%s: %s"), full, strerror(errno));
        rec_list_free(&rows);
        return -1;
    }
    size_t cap = 0, fcap = 0;
    bool *fresh = NULL, *seen = calloc(rows.n ? rows.n : 1, sizeof *seen);
    int ret = seen ? 0 : -1;
    struct dirent *de;
    while (ret == 0 && d && (de = readdir(d))) {
        int64_t start;
        if (rec_name_parse(de->d_name, &start, NULL) != 0 || start < lo || start >= hi)
            continue;
        struct stat sb;
        if (fstatat(dirfd(d), de->d_name, &sb, 0) != 0 || !S_ISREG(sb.st_mode))
            continue;
        if (mem_grow(&out->v, &cap, out->n, sizeof *out->v, 16) ||
            mem_grow(&fresh, &fcap, out->n, sizeof *fresh, 16)) {
            ret = -1;
            break;
        }
        rec_file *f = &out->v[out->n];
        memset(f, 0, sizeof *f);
        if ((size_t)snprintf(f->path, sizeof f->path, "%s/%s", dir, de->d_name) >= sizeof f->path)
            continue;
        f->start_us = start;
        f->size = (int64_t)sb.st_size;
        f->mtime_ns = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
        const rec_file *r = find_row(&rows, f->path);
        if (r)
            seen[r - rows.v] = true;
        if (r && r->size == f->size && r->mtime_ns == f->mtime_ns && r->start_us == start) {
            *f = *r;
            fresh[out->n] = false;
            stats->reused++;
        } else {
            read_header(root, f);
            fresh[out->n] = true;
            stats->headers_read++;
        }
        out->n++;
    }
    if (d)
        closedir(d);
    if (ret == 0) {
        for (size_t i = 0; i < rows.n; i++)
            stats->removed += !seen[i];
        if (s && (stats->headers_read || stats->removed))
            stats->stored = remember(s, root, dir, out, fresh, &rows, seen);
        if (out->n)
            qsort(out->v, out->n, sizeof *out->v, by_start);
    } else {
        snprintf(err, errlen, _("out of memory"));
        rec_list_free(out);
    }
    free(fresh);
    free(seen);
    rec_list_free(&rows);
    return ret;
}
