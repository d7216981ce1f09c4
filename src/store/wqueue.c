/* The deferred-write queue (wqueue.h). A FIFO of closures; only the head is
 * ever tried, so the order of writes is the order of keys. The retry timer
 * exists only while something waits, so an idle console never wakes for it. */
#include <stdlib.h>

#include "cxm/wqueue.h"

#define BACKOFF_FIRST_MS 20
#define BACKOFF_MAX_MS 1000
/* At quit: the store's busy timeout this many times over before giving up. */
#define FLUSH_ATTEMPTS 3

typedef struct wq_item {
    struct wq_item *next;
    wq_write_fn write;
    wq_done_fn done;
    wq_free_fn ud_free;
    void *ud;
} wq_item;

struct wqueue {
    loop *lp;
    store *st;
    wq_item *head, *tail;
    size_t n;
    int timer;
    int backoff_ms;
    bool running; /* inside a write: a nested submit must queue, not recurse */
    size_t failed; /* done(WQ_ERROR) so far, for wq_flush's count */
};

enum { TRY_DONE, TRY_BUSY };

wqueue *wq_new(loop *lp, store *st)
{
    wqueue *q = calloc(1, sizeof *q);
    if (!q) return NULL;
    q->lp = lp;
    q->st = st;
    q->backoff_ms = BACKOFF_FIRST_MS;
    return q;
}

static void finish(wqueue *q, wq_item *it, int rc)
{
    if (rc == WQ_ERROR) q->failed++;
    if (it->done) it->done(it->ud, rc);
    if (it->ud_free) it->ud_free(it->ud);
    free(it);
}

static wq_item *pop(wqueue *q)
{
    wq_item *it = q->head;
    q->head = it->next;
    if (!q->head) q->tail = NULL;
    q->n--;
    return it;
}

/* One attempt at the head. `wait`: the store's normal busy timeout (quit). */
static int try_head(wqueue *q, bool wait)
{
    wq_item *it = q->head;
    int b = wait ? store_begin(q->st) : store_try_begin(q->st);
    if (b != 0) {
        if (b == STORE_BUSY || (wait && store_busy_error(q->st))) return TRY_BUSY;
        finish(q, pop(q), WQ_ERROR);
        return TRY_DONE;
    }
    q->running = true;
    int rc = it->write(q->st, it->ud);
    q->running = false;
    if (rc == 0) {
        if (store_commit(q->st) != 0) rc = WQ_ERROR;
    } else {
        store_rollback(q->st);
    }
    finish(q, pop(q), rc);
    return TRY_DONE;
}

static void on_timer(void *ud);

static void schedule(wqueue *q)
{
    if (q->timer || !q->head) return;
    q->timer = loop_timer_add(q->lp, q->backoff_ms, on_timer, q);
    q->backoff_ms = q->backoff_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : q->backoff_ms * 2;
}

/* Applies from the head until the lock is taken by someone else. */
static void drain(wqueue *q)
{
    while (q->head) {
        if (try_head(q, false) == TRY_BUSY) {
            schedule(q);
            return;
        }
        q->backoff_ms = BACKOFF_FIRST_MS;
    }
}

static void on_timer(void *ud)
{
    wqueue *q = ud;
    q->timer = 0;
    drain(q);
}

int wq_submit(wqueue *q, wq_write_fn write, wq_done_fn done, void *ud, wq_free_fn ud_free)
{
    wq_item *it = calloc(1, sizeof *it);
    if (!it) return -1;
    it->write = write;
    it->done = done;
    it->ud = ud;
    it->ud_free = ud_free;
    bool first = q->head == NULL;
    if (q->tail)
        q->tail->next = it;
    else
        q->head = it;
    q->tail = it;
    q->n++;
    if (!first || q->running || q->timer) return 1;
    if (try_head(q, false) == TRY_DONE) {
        drain(q); /* anything a done callback queued */
        return 0;
    }
    schedule(q);
    return 1;
}

size_t wq_pending(const wqueue *q)
{
    return q ? q->n : 0;
}

size_t wq_flush(wqueue *q)
{
    if (!q) return 0;
    size_t failed_before = q->failed;
    int attempts = 0;
    while (q->head) {
        if (try_head(q, true) == TRY_DONE) {
            attempts = 0;
            continue;
        }
        if (++attempts < FLUSH_ATTEMPTS) continue;
        /* Still locked after all that waiting: the writes behind would meet
         * the same lock, and applying them out of order is not an option. */
        while (q->head)
            finish(q, pop(q), WQ_ERROR);
    }
    if (q->timer) {
        loop_timer_cancel(q->lp, q->timer);
        q->timer = 0;
    }
    q->backoff_ms = BACKOFF_FIRST_MS;
    return q->failed - failed_before;
}

void wq_free(wqueue *q)
{
    if (!q) return;
    wq_flush(q);
    free(q);
}
