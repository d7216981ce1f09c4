/* The hub: owns the sources, parses every event line with the configured
 * rules, and at the end of each loop pass writes what arrived in ONE
 * transaction together with the sources' resume positions (SSE cursors, tail
 * offsets) and the alert check, so a crash can never separate an event from
 * the position that says it was read. Duplicates (also across sources) are
 * the rows store_put did not insert. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxm/i18n.h"
#include "cxm/mem.h"
#include "cxm/alerts.h"
#include "cxm/timefmt.h"
#include "cxm/text.h"
#include "feed/feed_internal.h"

#define COMMIT_PACE_MS 20
#define COMMIT_BATCH 2000

typedef struct {
    event ev;
    size_t src;
} pending_ev;

struct hub {
    loop *lp;
    store *st;
    const cxm_config *cfg;
    hub_source **src;
    size_t nsrc;
    pending_ev *pend;
    size_t npend, cappend;
    event *fresh; /* scratch: shallow copies of the inserted events */
    size_t capfresh;
    hub_commit_cb commit_cb;
    void *commit_ud;
    int hb_timeout_ms;
    int retry_timer; /* a failed commit is retried even if nothing else happens */
    int pace_timer;  /* the deferred commit of a small batch */
    int64_t last_commit_us;
    void *http_multi;
    bool flushing;
    bool nowait;      /* the UI thread: never wait for another process's write lock */
    bool busy_logged; /* said once per episode that the lock is held elsewhere */
};

static void on_pass(void *ud);

hub *hub_new(loop *lp, store *st, const cxm_config *cfg)
{
    hub *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->lp = lp;
    h->st = st;
    h->cfg = cfg;
    int hb = cfg && cfg->heartbeat_timeout_s > 0 ? cfg->heartbeat_timeout_s : 30;
    h->hb_timeout_ms = hb * 1000;
    /* Backoff jitter must differ between processes, or they retry in step. */
    srandom((unsigned)(time_now_us() ^ ((int64_t)getpid() << 16)));
    if (loop_on_pass(lp, on_pass, h) < 0) {
        free(h);
        return NULL;
    }
    return h;
}

void hub_set_heartbeat_timeout_ms(hub *h, int ms)
{
    if (ms > 0)
        h->hb_timeout_ms = ms;
}

void hub_set_nowait(hub *h, bool nowait)
{
    h->nowait = nowait;
}

void hub_free(hub *h)
{
    if (!h)
        return;
    h->nowait = false; /* the last commit may wait: nothing read is lost */
    hub_flush(h);
    loop_off_pass(h->lp, on_pass, h);
    if (h->retry_timer)
        loop_timer_cancel(h->lp, h->retry_timer);
    if (h->pace_timer)
        loop_timer_cancel(h->lp, h->pace_timer);
    for (size_t i = 0; i < h->nsrc; i++) {
        hub_source *s = h->src[i];
        if (s->ops && s->ops->free)
            s->ops->free(s->impl);
        free(s->key);
        free(s->tail_path);
        free(s);
    }
    http_multi_free(h);
    for (size_t i = 0; i < h->npend; i++)
        event_clear(&h->pend[i].ev);
    free(h->pend);
    free(h->fresh);
    free(h->src);
    free(h);
}

loop *hub_loop(hub *h)
{
    return h->lp;
}

store *hub_store(hub *h)
{
    return h->st;
}

const cxm_config *hub_config(hub *h)
{
    return h->cfg;
}

int hub_heartbeat_timeout_ms(hub *h)
{
    return h->hb_timeout_ms;
}

void *hub_http_multi(hub *h)
{
    return h->http_multi;
}

void hub_set_http_multi(hub *h, void *m)
{
    h->http_multi = m;
}

void hub_set_commit_cb(hub *h, hub_commit_cb cb, void *ud)
{
    h->commit_cb = cb;
    h->commit_ud = ud;
}

size_t hub_count(const hub *h)
{
    return h->nsrc;
}

const source_status *hub_status(const hub *h, size_t i)
{
    return i < h->nsrc ? &h->src[i]->st : NULL;
}

void hub_log(hub_source *s, const char *fmt, ...)
{
    char msg[512], safe[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Reasons may quote bytes from the feed: never write them raw. */
    text_sanitize(msg, strlen(msg), safe, sizeof safe);
    fprintf(stderr, "cxm-console: %s: %s\n", s->st.name, safe);
}

void hub_clear_error(hub_source *s)
{
    s->st.last_error[0] = s->st.last_error_ru[0] = '\0';
}

void hub_set_error_v(hub_source *s, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    vsnprintf(s->st.last_error, sizeof s->st.last_error, fmt, ap);
    vsnprintf(s->st.last_error_ru, sizeof s->st.last_error_ru, i18n_ru(fmt), again);
    va_end(again);
}

void hub_set_error(hub_source *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hub_set_error_v(s, fmt, ap);
    va_end(ap);
}

void hub_reject(hub_source *s, const char *what, const char *why)
{
    s->st.rejected++;
    hub_log(s, "rejected %s: %s", what, why);
}

static size_t src_index(hub *h, hub_source *s)
{
    for (size_t i = 0; i < h->nsrc; i++)
        if (h->src[i] == s)
            return i;
    return 0;
}

bool hub_deliver(hub_source *s, const char *json, size_t len, const char *what)
{
    hub *h = s->h;
    if (mem_grow(&h->pend, &h->cappend, h->npend, sizeof *h->pend, 256)) {
        hub_reject(s, what, "out of memory");
        return false;
    }
    pending_ev *p = &h->pend[h->npend];
    char why[256];
    int r = event_parse(json, len, h->cfg ? &h->cfg->rules : NULL, &p->ev, why, sizeof why);
    if (r == EVENT_BLANK)
        return false;
    if (r != EVENT_OK) {
        hub_reject(s, what, why);
        return false;
    }
    if (p->ev.type == EV_HEARTBEAT) {
        /* Heartbeats only prove the source alive (the watchdog saw the bytes). */
        event_clear(&p->ev);
        return true;
    }
    p->src = src_index(h, s);
    s->st.received++;
    h->npend++;
    return true;
}

void hub_set_cursor(hub_source *s, const char *last_id)
{
    snprintf(s->cursor, sizeof s->cursor, "%s", last_id ? last_id : "");
    s->cursor_dirty = true;
}

void hub_set_tail(hub_source *s, const char *path, uint64_t dev, uint64_t ino, int64_t off)
{
    if (!s->tail_path || strcmp(s->tail_path, path) != 0) {
        char *p = strdup(path);
        if (!p)
            return;
        free(s->tail_path);
        s->tail_path = p;
    }
    s->tail_dev = dev;
    s->tail_ino = ino;
    s->tail_off = off;
    s->tail_dirty = true;
}

static void retry_flush(void *ud)
{
    hub *h = ud;
    h->retry_timer = 0;
    hub_flush(h);
}

static void schedule_retry(hub *h)
{
    if (!h->retry_timer)
        h->retry_timer = loop_timer_add(h->lp, 250, retry_flush, h);
}

int hub_flush(hub *h)
{
    bool positions = false;
    for (size_t i = 0; i < h->nsrc; i++)
        positions |= h->src[i]->cursor_dirty || h->src[i]->tail_dirty;
    if ((h->npend == 0 && !positions) || h->flushing)
        return 0;
    h->flushing = true;
    if (h->capfresh < h->npend) {
        event *n = realloc(h->fresh, h->npend * sizeof *n);
        if (!n)
            goto fail_nostore;
        h->fresh = n;
        h->capfresh = h->npend;
    }
    uint64_t *dups = calloc(h->nsrc ? h->nsrc : 1, sizeof *dups);
    if (!dups)
        goto fail_nostore;
    int brc = h->nowait ? store_try_begin(h->st) : store_begin(h->st);
    if (brc != 0) {
        free(dups);
        if (brc != STORE_BUSY)
            goto fail;
        /* Another process (an import) holds the write lock: keep it all
         * pending and try again on the retry timer, without waiting here. */
        if (!h->busy_logged)
            fprintf(stderr, "cxm-console: store: the database is locked by another writer; "
                            "new events are kept and committed when it is free\n");
        h->busy_logged = true;
        goto fail_nostore;
    }
    size_t nfresh = 0;
    for (size_t i = 0; i < h->npend; i++) {
        bool ins = false;
        if (store_put(h->st, &h->pend[i].ev, &ins) != 0) {
            free(dups);
            goto fail_rollback;
        }
        if (ins)
            h->fresh[nfresh++] = h->pend[i].ev; /* shallow: owned by pend */
        else
            dups[h->pend[i].src]++;
    }
    for (size_t i = 0; i < h->nsrc; i++) {
        hub_source *s = h->src[i];
        if (s->cursor_dirty && store_cursor_set(h->st, s->key, s->cursor) != 0) {
            free(dups);
            goto fail_rollback;
        }
        if (s->tail_dirty &&
            store_tail_set(h->st, s->tail_path, s->tail_dev, s->tail_ino, s->tail_off) != 0) {
            free(dups);
            goto fail_rollback;
        }
    }
    if (nfresh)
        alerts_check(h->st, h->cfg, h->fresh, nfresh);
    if (store_commit(h->st) != 0) {
        free(dups);
        goto fail_rollback;
    }
    for (size_t i = 0; i < h->nsrc; i++) {
        h->src[i]->st.duplicates += dups[i];
        h->src[i]->cursor_dirty = false;
        h->src[i]->tail_dirty = false;
    }
    free(dups);
    if (nfresh && h->commit_cb)
        h->commit_cb(h->commit_ud, h->fresh, nfresh);
    for (size_t i = 0; i < h->npend; i++)
        event_clear(&h->pend[i].ev);
    h->npend = 0;
    h->flushing = false;
    h->busy_logged = false;
    h->last_commit_us = time_mono_us();
    return 0;

fail_rollback:
    store_rollback(h->st);
fail:
    /* Keep everything pending: the next pass (or the retry timer) tries again;
     * SQLITE_BUSY from another writer is the usual cause. */
    fprintf(stderr, "cxm-console: store: commit failed (will retry): %s\n", store_errmsg(h->st));
fail_nostore:
    schedule_retry(h);
    h->flushing = false;
    return -1;
}

static void on_pace(void *ud)
{
    hub *h = ud;
    h->pace_timer = 0;
    hub_flush(h);
}

/* A busy feed makes a pass per few events; a commit per pass would spend more
 * on commits than on events. Small batches wait up to COMMIT_PACE_MS (the
 * latency budget is 100 ms), big ones and a quiet feed's last events go at once. */
static void on_pass(void *ud)
{
    hub *h = ud;
    /* A failed commit is retried by its timer, not by every pass: with the
     * lock held elsewhere each attempt would only fail again. */
    if (h->retry_timer)
        return;
    if (h->npend == 0 && !h->pace_timer) {
        hub_flush(h); /* positions alone (rejected lines, a rotation) */
        return;
    }
    int64_t since = (time_mono_us() - h->last_commit_us) / 1000;
    if (h->npend >= COMMIT_BATCH || since >= COMMIT_PACE_MS) {
        if (h->pace_timer)
            loop_timer_cancel(h->lp, h->pace_timer);
        h->pace_timer = 0;
        hub_flush(h);
    } else if (!h->pace_timer) {
        h->pace_timer = loop_timer_add(h->lp, COMMIT_PACE_MS - since, on_pace, h);
    }
}

static hub_source *new_source(hub *h, source_kind kind, const char *name, const char *key)
{
    hub_source **n = realloc(h->src, (h->nsrc + 1) * sizeof *n);
    if (!n)
        return NULL;
    h->src = n;
    hub_source *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->h = h;
    s->key = strdup(key);
    if (!s->key) {
        free(s);
        return NULL;
    }
    s->st.kind = kind;
    s->st.state = SRC_ST_IDLE;
    /* A long path or URL keeps its end, which tells sources apart:
     * "agent .../site/front-desk.sock" rather than a cut-off directory. */
    size_t len = strlen(name), cap = sizeof s->st.name;
    const char *sp = strchr(name, ' ');
    if (len < cap || !sp || (size_t)(sp - name) + 5 >= cap) {
        snprintf(s->st.name, cap, "%s", name);
    } else {
        size_t head = (size_t)(sp - name) + 1, keep = cap - 1 - head - 3; /* "..." */
        const char *tail = name + len - keep;
        while (((unsigned char)*tail & 0xC0) == 0x80)
            tail++; /* start on a character */
        snprintf(s->st.name, cap, "%.*s...%s", (int)head, name, tail);
    }
    h->src[h->nsrc++] = s;
    return s;
}

static const char *kind_name(source_kind k)
{
    switch (k) {
    case SRC_AGENT: return "agent";
    case SRC_AGENT_LOG: return "agent-log";
    case SRC_CLOUD: return "cloud";
    case SRC_DEMO: return "demo";
    }
    return "source";
}

int hub_add(hub *h, const source_conf *sc, char *err, size_t errlen)
{
    if (!sc || (!sc->target && sc->kind != SRC_DEMO)) {
        snprintf(err, errlen, _("source without a target"));
        return -1;
    }
    if (sc->kind == SRC_DEMO)
        return hub_add_demo(h, 1);
    char name[512], key[1024];
    snprintf(name, sizeof name, "%s %s", kind_name(sc->kind), sc->target);
    snprintf(key, sizeof key, "%s %s%s%s", kind_name(sc->kind), sc->target,
             sc->location_filter ? " location=" : "", sc->location_filter ? sc->location_filter : "");
    hub_source *s = new_source(h, sc->kind, name, key);
    if (!s) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    int r = sc->kind == SRC_AGENT_LOG ? tail_source_start(s, sc->target, err, errlen)
                                      : http_source_start(s, sc, err, errlen);
    if (r != 0) {
        s->st.state = SRC_ST_FAILED;
        hub_set_error(s, "%s", err);
    }
    return r;
}

int hub_add_demo(hub *h, uint64_t seed)
{
    char key[64];
    snprintf(key, sizeof key, "demo %llu", (unsigned long long)seed);
    hub_source *s = new_source(h, SRC_DEMO, "demo", key);
    if (!s)
        return -1;
    char err[256];
    if (demo_source_start(s, seed, err, sizeof err) != 0) {
        s->st.state = SRC_ST_FAILED;
        hub_set_error(s, "%s", err);
        return -1;
    }
    return 0;
}

const char *hub_state_name(source_state st)
{
    switch (st) {
    case SRC_ST_IDLE: return "idle";
    case SRC_ST_CONNECTING: return "connecting";
    case SRC_ST_CONNECTED: return "connected";
    case SRC_ST_RETRYING: return "retrying";
    case SRC_ST_FAILED: return "failed";
    case SRC_ST_DONE: return "done";
    }
    return "?";
}
