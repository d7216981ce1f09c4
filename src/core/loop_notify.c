/* loop_notifier: how another thread (libmpv's and libvlc's event threads, a
 * worker) wakes the one loop without touching anything the loop owns. A
 * non-blocking self-pipe watched by the loop; an atomic flag coalesces a
 * burst of notifications into one byte, so a chatty library can neither fill
 * the pipe nor block its own thread, and the loop runs the callback once per
 * burst. notify() is async-signal-safe (one atomic exchange, one write). */
#include "cxm/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

struct loop_notifier {
    loop *lp;
    int fds[2];
    atomic_bool pending;
    loop_notify_cb cb;
    void *ud;
};

static void on_readable(void *ud, int fd, short revents)
{
    loop_notifier *n = ud;
    (void)revents;
    char buf[64];
    while (read(fd, buf, sizeof buf) > 0)
        ;
    /* Clear before the callback: a notify() that lands while the callback
     * runs writes a new byte, so no wakeup is ever lost. */
    atomic_store(&n->pending, false);
    n->cb(n->ud);
}

loop_notifier *loop_notifier_new(loop *lp, loop_notify_cb cb, void *ud)
{
    if (!lp || !cb)
        return NULL;
    loop_notifier *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    if (pipe(n->fds) < 0) {
        free(n);
        return NULL;
    }
    for (int i = 0; i < 2; i++) {
        int fl = fcntl(n->fds[i], F_GETFL);
        fcntl(n->fds[i], F_SETFL, fl | O_NONBLOCK);
        fcntl(n->fds[i], F_SETFD, FD_CLOEXEC);
    }
    n->lp = lp;
    n->cb = cb;
    n->ud = ud;
    atomic_init(&n->pending, false);
    if (loop_watch_fd(lp, n->fds[0], POLLIN, on_readable, n) < 0) {
        close(n->fds[0]);
        close(n->fds[1]);
        free(n);
        return NULL;
    }
    return n;
}

void loop_notifier_notify(loop_notifier *n)
{
    if (!n || atomic_exchange(&n->pending, true))
        return; /* a byte is already on its way */
    int saved = errno;
    ssize_t w;
    do
        w = write(n->fds[1], "", 1);
    while (w < 0 && errno == EINTR);
    /* EAGAIN: the pipe is full, so the loop is certainly going to wake. */
    errno = saved;
}

int loop_notifier_fd(const loop_notifier *n)
{
    return n ? n->fds[0] : -1;
}

void loop_notifier_free(loop_notifier *n)
{
    if (!n)
        return;
    /* Unwatch before closing: the loop must never poll a number that the
     * next open() may reuse (DESIGN §13, the curl extra-fd lesson). */
    loop_unwatch_fd(n->lp, n->fds[0]);
    close(n->fds[0]);
    close(n->fds[1]);
    free(n);
}
