/* See include/cxm/linkfetch.h. The easy handle is set up on the loop's
 * thread (the token is read there, as for playing); the worker only runs the
 * transfer into a temporary file beside the cached one and renames it when
 * it is whole, so a half-fetched link is never taken for a clip. */
#include "cxm/linkfetch.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cxm/cliplink.h"
#include "cxm/i18n.h"
#include "cxm/paths.h"

#define CONNECT_TIMEOUT_MS 10000L
#define TOTAL_TIMEOUT_MS 300000L /* 64 MiB at ~220 kB/s */
#define LOW_SPEED_BYTES 1024L    /* a stalled link: under 1 KiB/s for 30 s */
#define LOW_SPEED_S 30L
#define MAX_REDIRECTS 5L
#define STALE_PART_S 3600 /* a .part older than this is a crash's leftover */

struct linkfetch {
    char origin[300];
    char *dir;
    char *final;             /* dir/HASH.clip */
    char *part;              /* dir/HASH.part.XXXXXX while fetching */
    CURL *easy;
    struct curl_slist *hdrs; /* the Authorization header, wiped after use */
    FILE *out;
    int64_t max_bytes, got;
    atomic_bool cancel;
    pthread_t thread;
    bool started;
    loop_notifier *note;
    /* the outcome, written by the worker before it notifies */
    bool ok, too_big;
    CURLcode code;
    long status;
    int file_errno;
};

/* Two 64-bit FNV-1a over the URL: a file name that does not show the link
 * (its query may hold a signature) and does not collide in practice. */
static void url_hash(const char *url, char out[33])
{
    uint64_t a = 14695981039346656037ULL, b = 0x84222325cbf29ce4ULL;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        a = (a ^ *p) * 1099511628211ULL;
        b = (b ^ (unsigned char)(*p + 0x5b)) * 1099511628211ULL;
    }
    snprintf(out, 33, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
}

typedef struct {
    char *path;
    time_t mtime;
    off_t size;
} cached;

static int newest_first(const void *x, const void *y)
{
    const cached *a = x, *b = y;
    return a->mtime < b->mtime ? 1 : a->mtime > b->mtime ? -1 : 0;
}

/* Keeps the cache to the newest LINKFETCH_CACHE_FILES - 1 files within
 * LINKFETCH_CACHE_BYTES - max (room for the one about to come) and drops
 * leftovers of interrupted fetches. Best effort: a file that cannot be
 * removed only costs room. */
static void prune(const char *dir, int64_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    cached *c = NULL;
    size_t n = 0, cap = 0;
    time_t now = time(NULL);
    for (struct dirent *e; (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        bool clip = l > 5 && !strcmp(e->d_name + l - 5, ".clip");
        bool part = strstr(e->d_name, ".part.") != NULL;
        if (!clip && !part)
            continue;
        char *p = paths_join(dir, e->d_name);
        struct stat st;
        if (!p || lstat(p, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(p);
            continue;
        }
        if (part) {
            if (now - st.st_mtime > STALE_PART_S)
                unlink(p);
            free(p);
            continue;
        }
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 32;
            cached *g = realloc(c, nc * sizeof *c);
            if (!g) {
                free(p);
                break;
            }
            c = g;
            cap = nc;
        }
        c[n++] = (cached){p, st.st_mtime, st.st_size};
    }
    closedir(d);
    if (n)
        qsort(c, n, sizeof *c, newest_first);
    int64_t total = 0, room = LINKFETCH_CACHE_BYTES - max;
    for (size_t i = 0; i < n; i++) {
        total += c[i].size;
        if (i + 1 >= LINKFETCH_CACHE_FILES || total > room)
            unlink(c[i].path);
        free(c[i].path);
    }
    free(c);
}

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    linkfetch *lf = ud;
    size_t len = sz * nm;
    if (lf->got + (int64_t)len > lf->max_bytes) {
        lf->too_big = true;
        return 0; /* aborts the transfer */
    }
    if (fwrite(p, 1, len, lf->out) != len) {
        lf->file_errno = errno ? errno : EIO;
        return 0;
    }
    lf->got += (int64_t)len;
    return len;
}

static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)dt, (void)dn, (void)ut, (void)un;
    linkfetch *lf = ud;
    return atomic_load(&lf->cancel) ? 1 : 0; /* the panel closed: stop */
}

static void drop_headers(linkfetch *lf)
{
    if (lf->easy)
        curl_easy_setopt(lf->easy, CURLOPT_HTTPHEADER, NULL);
    for (struct curl_slist *s = lf->hdrs; s; s = s->next)
        explicit_bzero(s->data, strlen(s->data));
    curl_slist_free_all(lf->hdrs);
    lf->hdrs = NULL;
}

static void *worker(void *ud)
{
    linkfetch *lf = ud;
    lf->code = curl_easy_perform(lf->easy);
    curl_easy_getinfo(lf->easy, CURLINFO_RESPONSE_CODE, &lf->status);
    drop_headers(lf);
    curl_easy_cleanup(lf->easy);
    lf->easy = NULL;
    if (fclose(lf->out) != 0 && !lf->file_errno)
        lf->file_errno = errno;
    lf->out = NULL;
    lf->ok = lf->code == CURLE_OK && lf->status >= 200 && lf->status < 300 && !lf->too_big &&
             !lf->file_errno && !atomic_load(&lf->cancel);
    if (lf->ok && rename(lf->part, lf->final) != 0) {
        lf->file_errno = errno;
        lf->ok = false;
    }
    if (!lf->ok)
        unlink(lf->part);
    loop_notifier_notify(lf->note);
    return NULL;
}

/* The easy handle: the player's rules (cliplink.h) in libcurl's terms. */
static int setup_easy(linkfetch *lf, const char *url, const cliplink_auth *au)
{
    CURL *e = lf->easy = curl_easy_init();
    if (!e)
        return -1;
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (au->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, au->ca_file);
    /* The cloud's token and CA belong to its origin: a redirect from there is
     * an error, as for the player. Any other link may redirect (a CDN). */
    if (!au->source) {
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
        curl_easy_setopt(e, CURLOPT_MAXREDIRS, MAX_REDIRECTS);
        curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    } else {
        curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    }
    if (au->bearer) {
        size_t len = strlen(au->bearer) + 32;
        char *h = malloc(len);
        if (!h)
            return -1;
        snprintf(h, len, "Authorization: Bearer %s", au->bearer);
        lf->hdrs = curl_slist_append(NULL, h);
        explicit_bzero(h, len);
        free(h);
        if (!lf->hdrs)
            return -1;
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, lf->hdrs);
    }
    curl_easy_setopt(e, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)lf->max_bytes);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, TOTAL_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, LOW_SPEED_BYTES);
    curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, LOW_SPEED_S);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, lf);
    curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(e, CURLOPT_XFERINFODATA, lf);
    return 0;
}

linkfetch *linkfetch_start(loop *lp, const cxm_config *cfg, const char *url,
                           const linkfetch_opts *o, loop_notify_cb done, void *ud, char *err,
                           size_t errlen)
{
    static bool global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            snprintf(err, errlen, _("libcurl failed to start"));
            return NULL;
        }
        global_done = true;
    }
    linkfetch *lf = calloc(1, sizeof *lf);
    if (!lf) {
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    atomic_init(&lf->cancel, false);
    lf->max_bytes = o && o->max_bytes > 0 ? o->max_bytes : LINKFETCH_MAX_BYTES;
    if (cliplink_origin(url, lf->origin, sizeof lf->origin) != 0) {
        snprintf(err, errlen, _("not an http(s) clip link"));
        goto fail;
    }
    if (o && o->dir) {
        lf->dir = strdup(o->dir);
    } else {
        char *base = paths_user_dir(PATHS_CACHE);
        lf->dir = base ? paths_join(base, "links") : NULL;
        free(base);
        if (!lf->dir) {
            snprintf(err, errlen, "%s", _("no cache directory for the clip link (set HOME or XDG_CACHE_HOME)"));
            goto fail;
        }
    }
    if (!lf->dir || paths_mkdirs(lf->dir) != 0) {
        snprintf(err, errlen, _("The clip link cannot be kept in %s: %s"), lf->dir ? lf->dir : "?",
                 strerror(errno));
        goto fail;
    }
    char hash[33], name[64];
    url_hash(url, hash);
    snprintf(name, sizeof name, "%s.clip", hash);
    lf->final = paths_join(lf->dir, name);
    snprintf(name, sizeof name, "%s.part.XXXXXX", hash);
    lf->part = paths_join(lf->dir, name);
    if (!lf->final || !lf->part || !(lf->note = loop_notifier_new(lp, done, ud))) {
        snprintf(err, errlen, _("out of memory"));
        goto fail;
    }
    struct stat st;
    if (lstat(lf->final, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
        st.st_size <= lf->max_bytes) {
        /* fetched before: once is enough (the newest-used stay in the cache) */
        utimensat(AT_FDCWD, lf->final, NULL, 0);
        lf->ok = true;
        loop_notifier_notify(lf->note);
        return lf;
    }
    prune(lf->dir, lf->max_bytes);
    cliplink_auth au;
    if (cliplink_auth_for(cfg, url, &au, err, errlen) != 0) {
        char why[512];
        snprintf(why, sizeof why, "%s", err);
        snprintf(err, errlen, _("The clip link is the cloud's, but its token cannot be used: %s"), why);
        goto fail;
    }
    int src = setup_easy(lf, url, &au);
    cliplink_auth_clear(&au);
    if (src != 0) {
        snprintf(err, errlen, _("out of memory"));
        goto fail;
    }
    int fd = mkstemp(lf->part);
    if (fd < 0 || !(lf->out = fdopen(fd, "wb"))) {
        snprintf(err, errlen, _("The clip link cannot be kept in %s: %s"), lf->dir, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(lf->part);
        }
        goto fail;
    }
    if (pthread_create(&lf->thread, NULL, worker, lf) != 0) {
        snprintf(err, errlen, _("cannot start a thread"));
        fclose(lf->out);
        lf->out = NULL;
        unlink(lf->part);
        goto fail;
    }
    lf->started = true;
    return lf;
fail:
    linkfetch_free(lf);
    return NULL;
}

int linkfetch_result(linkfetch *lf, const char **path, char *err, size_t errlen)
{
    if (lf->started) { /* done has run: the worker is finishing or finished */
        pthread_join(lf->thread, NULL);
        lf->started = false;
    }
    if (lf->ok) {
        *path = lf->final;
        return 0;
    }
    if (lf->too_big || lf->code == CURLE_FILESIZE_EXCEEDED) {
        char lim[32];
        if (lf->max_bytes % (1024 * 1024) == 0)
            snprintf(lim, sizeof lim, "%lld MiB", (long long)(lf->max_bytes / (1024 * 1024)));
        else
            snprintf(lim, sizeof lim, "%lld B", (long long)lf->max_bytes);
        snprintf(err, errlen, _("The clip link is larger than %s, not fetched for the level strip and export (%s)"),
                 lim, lf->origin);
    } else if (lf->file_errno) {
        snprintf(err, errlen, _("The clip link cannot be kept in %s: %s"), lf->dir,
                 strerror(lf->file_errno));
    } else if (lf->status >= 300 || lf->code == CURLE_HTTP_RETURNED_ERROR) {
        snprintf(err, errlen, _("The clip link answered HTTP %d (%s)"), (int)lf->status, lf->origin);
    } else {
        /* libcurl's generic text for the code: its detailed buffer may
         * quote the URL, whose query can hold a signature */
        char why[400];
        snprintf(why, sizeof why, "%s: %s", lf->origin,
                 lf->code != CURLE_OK ? curl_easy_strerror(lf->code) : "?");
        snprintf(err, errlen, _("The clip link cannot be reached (%s)"), why);
    }
    return -1;
}

void linkfetch_free(linkfetch *lf)
{
    if (!lf)
        return;
    if (lf->started) {
        atomic_store(&lf->cancel, true);
        pthread_join(lf->thread, NULL);
    }
    loop_notifier_free(lf->note);
    drop_headers(lf);
    if (lf->easy)
        curl_easy_cleanup(lf->easy);
    if (lf->out) {
        fclose(lf->out);
        unlink(lf->part);
    }
    free(lf->dir);
    free(lf->final);
    free(lf->part);
    free(lf);
}
