/* The one event loop (DESIGN §2). Signals are blocked from loop_new on and are
 * only delivered inside ppoll(), so a handler can never interrupt a callback
 * half way through; handlers just record the signal and write to a self-pipe
 * (the pipe matters only when a signal lands on a thread that left it
 * unblocked). Timers are a binary min-heap on a monotonic deadline. */
#define _GNU_SOURCE /* ppoll */
#include "cxm/mem.h"
#include "cxm/loop.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOOP_NSIG 65

typedef struct {
    int fd;
    short events;
    loop_fd_cb cb;
    void *ud;
    uint64_t serial; /* tells a replaced/re-added watch from the one ppoll saw */
} fd_watch;

typedef struct {
    int64_t deadline_ms;
    uint64_t seq; /* FIFO among equal deadlines */
    int id;
    loop_timer_cb cb;
    void *ud;
} timer_ent;

typedef struct {
    loop_pass_cb cb;
    void *ud;
} pass_ent;

struct loop {
    fd_watch *fds;
    size_t nfds, capfds;
    uint64_t next_serial;

    timer_ent *heap;
    size_t nheap, capheap;
    uint64_t next_seq;
    int next_timer_id;

    pass_ent *passes;
    size_t npasses, cappasses;

    loop_signal_cb sig_cb[LOOP_NSIG];
    void *sig_ud[LOOP_NSIG];
    sigset_t orig_mask;  /* the wait's mask: the caller's, with ours unblocked */
    sigset_t saved_mask; /* the caller's, restored by loop_free */
    int sigpipe[2];

    struct pollfd *pfds; /* scratch for ppoll */
    uint64_t *pserial;
    size_t cappfds;

    uint64_t wakeups;
    bool quit;
};

/* Only one loop per process may own the signal handlers; the flags are
 * process-wide because a signal handler has no user pointer. */
static volatile sig_atomic_t sig_pending[LOOP_NSIG];
static volatile sig_atomic_t sig_any;
static int sig_write_fd = -1;

static const int handled_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGUSR1, SIGCHLD};

static void on_signal(int signo)
{
    int saved = errno;
    if (signo > 0 && signo < LOOP_NSIG)
        sig_pending[signo] = 1;
    sig_any = 1;
    if (sig_write_fd >= 0) {
        unsigned char b = (unsigned char)signo;
        ssize_t r = write(sig_write_fd, &b, 1);
        (void)r; /* a full pipe already holds a wakeup */
    }
    errno = saved;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int set_nonblock_cloexec(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
        return -1;
    return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

static void drain_sigpipe(int fd)
{
    unsigned char buf[64];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

loop *loop_new(void)
{
    loop *lp = calloc(1, sizeof *lp);
    if (!lp)
        return NULL;
    if (pipe(lp->sigpipe) < 0) {
        free(lp);
        return NULL;
    }
    set_nonblock_cloexec(lp->sigpipe[0]);
    set_nonblock_cloexec(lp->sigpipe[1]);
    sig_write_fd = lp->sigpipe[1];
    lp->next_timer_id = 1;

    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++)
        sigaddset(&block, handled_signals[i]);
    /* Threads started later (libmpv, curl's resolver) inherit this mask, so
     * these signals can only arrive in our ppoll. */
    pthread_sigmask(SIG_BLOCK, &block, &lp->saved_mask);
    lp->orig_mask = lp->saved_mask;
    /* A signal that is handled must not be blocked in the wait's mask even if
     * the caller had it blocked before. */
    for (size_t i = 0; i < sizeof handled_signals / sizeof handled_signals[0]; i++)
        sigdelset(&lp->orig_mask, handled_signals[i]);
    signal(SIGPIPE, SIG_IGN);
    return lp;
}

void loop_free(loop *lp)
{
    if (!lp)
        return;
    /* Signals still pending were meant for this loop: ignore them while the
     * mask is restored (a late SIGUSR1 must not kill a process that is
     * shutting down), then give the default actions back. */
    struct sigaction ign, dfl;
    memset(&ign, 0, sizeof ign);
    memset(&dfl, 0, sizeof dfl);
    ign.sa_handler = SIG_IGN;
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&ign.sa_mask);
    sigemptyset(&dfl.sa_mask);
    for (int s = 1; s < LOOP_NSIG; s++)
        if (lp->sig_cb[s])
            sigaction(s, &ign, NULL);
    pthread_sigmask(SIG_SETMASK, &lp->saved_mask, NULL);
    for (int s = 1; s < LOOP_NSIG; s++)
        if (lp->sig_cb[s])
            sigaction(s, &dfl, NULL);
    if (sig_write_fd == lp->sigpipe[1])
        sig_write_fd = -1;
    close(lp->sigpipe[0]);
    close(lp->sigpipe[1]);
    free(lp->fds);
    free(lp->heap);
    free(lp->passes);
    free(lp->pfds);
    free(lp->pserial);
    free(lp);
}

static fd_watch *find_fd(loop *lp, int fd)
{
    for (size_t i = 0; i < lp->nfds; i++)
        if (lp->fds[i].fd == fd)
            return &lp->fds[i];
    return NULL;
}

int loop_watch_fd(loop *lp, int fd, short events, loop_fd_cb cb, void *ud)
{
    if (fd < 0 || !cb)
        return -1;
    fd_watch *w = find_fd(lp, fd);
    if (!w) {
        if (mem_grow(&lp->fds, &lp->capfds, lp->nfds, sizeof *lp->fds, 8))
            return -1;
        w = &lp->fds[lp->nfds++];
    }
    w->fd = fd;
    w->events = events;
    w->cb = cb;
    w->ud = ud;
    w->serial = ++lp->next_serial;
    return 0;
}

void loop_unwatch_fd(loop *lp, int fd)
{
    for (size_t i = 0; i < lp->nfds; i++)
        if (lp->fds[i].fd == fd) {
            lp->fds[i] = lp->fds[--lp->nfds];
            return;
        }
}

void loop_unwatch_ud(loop *lp, void *ud)
{
    for (size_t i = 0; i < lp->nfds;)
        if (lp->fds[i].ud == ud)
            lp->fds[i] = lp->fds[--lp->nfds];
        else
            i++;
}

/* --- timers: min-heap ordered by (deadline, seq) --- */

static bool timer_before(const timer_ent *a, const timer_ent *b)
{
    return a->deadline_ms < b->deadline_ms || (a->deadline_ms == b->deadline_ms && a->seq < b->seq);
}

static void heap_swap(loop *lp, size_t a, size_t b)
{
    timer_ent t = lp->heap[a];
    lp->heap[a] = lp->heap[b];
    lp->heap[b] = t;
}

static void heap_up(loop *lp, size_t i)
{
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!timer_before(&lp->heap[i], &lp->heap[p]))
            break;
        heap_swap(lp, i, p);
        i = p;
    }
}

static void heap_down(loop *lp, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < lp->nheap && timer_before(&lp->heap[l], &lp->heap[m]))
            m = l;
        if (r < lp->nheap && timer_before(&lp->heap[r], &lp->heap[m]))
            m = r;
        if (m == i)
            return;
        heap_swap(lp, i, m);
        i = m;
    }
}

static void heap_remove_at(loop *lp, size_t i)
{
    lp->heap[i] = lp->heap[--lp->nheap];
    if (i < lp->nheap) {
        heap_up(lp, i);
        heap_down(lp, i);
    }
}

int loop_timer_add(loop *lp, int64_t delay_ms, loop_timer_cb cb, void *ud)
{
    if (!cb)
        return -1;
    if (mem_grow(&lp->heap, &lp->capheap, lp->nheap, sizeof *lp->heap, 16))
        return -1;
    if (delay_ms < 0)
        delay_ms = 0;
    int id = lp->next_timer_id++;
    if (lp->next_timer_id <= 0) /* wrapped after 2^31 timers: ids stay > 0 */
        lp->next_timer_id = 1;
    timer_ent *t = &lp->heap[lp->nheap];
    t->deadline_ms = mono_ms() + delay_ms;
    t->seq = lp->next_seq++;
    t->id = id;
    t->cb = cb;
    t->ud = ud;
    lp->nheap++;
    heap_up(lp, lp->nheap - 1);
    return id;
}

void loop_timer_cancel(loop *lp, int id)
{
    if (id <= 0)
        return;
    /* The heap holds a handful of timers (sources, clock, curl): a scan is cheaper
     * than keeping an index map in sync. */
    for (size_t i = 0; i < lp->nheap; i++)
        if (lp->heap[i].id == id) {
            heap_remove_at(lp, i);
            return;
        }
}

void loop_on_signal(loop *lp, int signo, loop_signal_cb cb, void *ud)
{
    if (signo <= 0 || signo >= LOOP_NSIG)
        return;
    lp->sig_cb[signo] = cb;
    lp->sig_ud[signo] = ud;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = cb ? on_signal : SIG_DFL;
    sigfillset(&sa.sa_mask);
    /* libmpv and other libraries expect SA_RESTART (DESIGN §13). */
    sa.sa_flags = SA_RESTART;
    sigaction(signo, &sa, NULL);
    if (cb) {
        /* Make sure it is blocked outside the wait even if not in the default set. */
        sigset_t one;
        sigemptyset(&one);
        sigaddset(&one, signo);
        pthread_sigmask(SIG_BLOCK, &one, NULL);
        sigdelset(&lp->orig_mask, signo);
    }
}

int loop_on_pass(loop *lp, loop_pass_cb cb, void *ud)
{
    if (mem_grow(&lp->passes, &lp->cappasses, lp->npasses, sizeof *lp->passes, 4))
        return -1;
    lp->passes[lp->npasses].cb = cb;
    lp->passes[lp->npasses].ud = ud;
    lp->npasses++;
    return 0;
}

void loop_off_pass(loop *lp, loop_pass_cb cb, void *ud)
{
    for (size_t i = 0; i < lp->npasses; i++)
        if (lp->passes[i].cb == cb && lp->passes[i].ud == ud) {
            memmove(&lp->passes[i], &lp->passes[i + 1], (lp->npasses - i - 1) * sizeof *lp->passes);
            lp->npasses--;
            return;
        }
}

void loop_quit(loop *lp)
{
    lp->quit = true;
}

bool loop_quitting(const loop *lp)
{
    return lp->quit;
}

uint64_t loop_wakeups(const loop *lp)
{
    return lp->wakeups;
}

static void dispatch_signals(loop *lp)
{
    if (!sig_any)
        return;
    sig_any = 0;
    drain_sigpipe(lp->sigpipe[0]);
    for (int s = 1; s < LOOP_NSIG; s++)
        if (sig_pending[s]) {
            sig_pending[s] = 0;
            if (lp->sig_cb[s])
                lp->sig_cb[s](lp->sig_ud[s], s);
        }
}

static void dispatch_timers(loop *lp)
{
    int64_t now = mono_ms();
    /* Timers added by a callback in this pass wait for the next one, so a
     * timer that re-arms itself with delay 0 cannot starve the fds. */
    uint64_t seq_limit = lp->next_seq;
    while (lp->nheap > 0 && lp->heap[0].deadline_ms <= now && lp->heap[0].seq < seq_limit) {
        timer_ent t = lp->heap[0];
        heap_remove_at(lp, 0);
        t.cb(t.ud);
        if (lp->quit)
            return;
    }
}

static int ensure_pfds(loop *lp, size_t n)
{
    if (n <= lp->cappfds)
        return 0;
    size_t cap = n * 2;
    struct pollfd *p = realloc(lp->pfds, cap * sizeof *p);
    if (!p)
        return -1;
    lp->pfds = p;
    uint64_t *s = realloc(lp->pserial, cap * sizeof *s);
    if (!s)
        return -1;
    lp->pserial = s;
    lp->cappfds = cap;
    return 0;
}

int loop_run_once(loop *lp, int max_wait_ms)
{
    size_t n = lp->nfds + 1;
    if (ensure_pfds(lp, n) < 0)
        return -1;
    lp->pfds[0].fd = lp->sigpipe[0];
    lp->pfds[0].events = POLLIN;
    lp->pfds[0].revents = 0;
    for (size_t i = 0; i < lp->nfds; i++) {
        lp->pfds[i + 1].fd = lp->fds[i].fd;
        lp->pfds[i + 1].events = lp->fds[i].events;
        lp->pfds[i + 1].revents = 0;
        lp->pserial[i + 1] = lp->fds[i].serial;
    }

    int64_t wait = max_wait_ms < 0 ? -1 : max_wait_ms;
    if (lp->nheap > 0) {
        int64_t d = lp->heap[0].deadline_ms - mono_ms();
        if (d < 0)
            d = 0;
        if (wait < 0 || d < wait)
            wait = d;
    }
    if (sig_any || lp->quit)
        wait = 0;
    struct timespec ts, *tsp = NULL;
    if (wait >= 0) {
        ts.tv_sec = wait / 1000;
        ts.tv_nsec = (long)(wait % 1000) * 1000000L;
        tsp = &ts;
    }
    int r = ppoll(lp->pfds, n, tsp, &lp->orig_mask);
    lp->wakeups++;
    if (r < 0 && errno != EINTR)
        return -1;

    dispatch_signals(lp);
    if (r > 0) {
        for (size_t i = 1; i < n && !lp->quit; i++) {
            if (!lp->pfds[i].revents)
                continue;
            fd_watch *w = find_fd(lp, lp->pfds[i].fd);
            /* Skip a watch removed or replaced by an earlier callback this pass:
             * its fd number may already belong to a new socket. */
            if (!w || w->serial != lp->pserial[i])
                continue;
            w->cb(w->ud, w->fd, lp->pfds[i].revents);
        }
    }
    if (!lp->quit)
        dispatch_timers(lp);
    dispatch_signals(lp);
    for (size_t i = 0; i < lp->npasses; i++)
        lp->passes[i].cb(lp->passes[i].ud);
    return 0;
}

int loop_run(loop *lp)
{
    lp->quit = false;
    while (!lp->quit)
        if (loop_run_once(lp, -1) < 0)
            return -1;
    return 0;
}
