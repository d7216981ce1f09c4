/* The deferred-write queue: how the UI thread writes to the store without
 * ever waiting for another process's write lock (another console, an
 * import). A write is tried at once with store_try_begin; when another
 * connection holds the lock it stays queued and is retried on a loop timer
 * with backoff (20 ms doubling to 1 s), and its `done` callback reports the
 * outcome when it has landed. Writes are applied in the order they were
 * submitted, each in its own transaction. Nothing is lost at quit: wq_flush
 * applies what is left, waiting for the lock as long as the store's normal
 * busy timeout allows. Owned by and used on the loop's thread only. */
#ifndef CXM_WQUEUE_H
#define CXM_WQUEUE_H

#include <stddef.h>

#include "cxm/loop.h"
#include "cxm/store.h"

typedef struct wqueue wqueue;

/* The write, inside a transaction the queue has begun: returns 0 to commit,
 * anything else to roll back; the value goes to `done`. It must not begin or
 * commit a transaction itself. */
typedef int (*wq_write_fn)(store *st, void *ud);
/* The outcome, once: what `write` returned, or WQ_ERROR when the transaction
 * could not be begun or committed (store_errmsg says why; a lock still held
 * by another process at wq_flush ends this way too). */
typedef void (*wq_done_fn)(void *ud, int rc);
typedef void (*wq_free_fn)(void *ud);

#define WQ_ERROR (-1000)

wqueue *wq_new(loop *lp, store *st);
/* Flushes (wq_flush), then frees. */
void wq_free(wqueue *q);

/* Queues a write. When nothing is queued before it, it is tried at once.
 * Returns 0 when it was applied now (done has already run), 1 when it is
 * queued because another connection holds the write lock (done runs later,
 * from the loop), -1 when out of memory (nothing queued, done not called).
 * ud_free (may be NULL) is called on ud after done. */
int wq_submit(wqueue *q, wq_write_fn write, wq_done_fn done, void *ud, wq_free_fn ud_free);

/* Writes queued and not yet applied. */
size_t wq_pending(const wqueue *q);

/* Applies every queued write now, waiting for the lock (the store's busy
 * timeout, a few times over) as the last thing before quitting. Returns how
 * many could not be applied (their done got WQ_ERROR). */
size_t wq_flush(wqueue *q);

#endif
