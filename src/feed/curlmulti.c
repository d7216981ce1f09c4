/* libcurl's multi_socket interface on the one loop: CURLMOPT_SOCKETFUNCTION
 * tells which fds to watch for what, CURLMOPT_TIMERFUNCTION when to call
 * back anyway; a single ppoll then waits for the terminal, the pipes and
 * every transfer. The watches are registered with the curlmulti as their
 * user pointer, so teardown can drop them all at once. */
#include <poll.h>
#include <stdlib.h>

#include "feed/curlmulti.h"

struct curlmulti {
    CURLM *multi;
    loop *lp;
    int timer;
    curlmulti_done_cb done;
    void *ud;
};

static void drain_done(curlmulti *cm)
{
    int left = 0;
    CURLMsg *m;
    while ((m = curl_multi_info_read(cm->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        /* m dies with the handle's removal, which the owner does inside done. */
        CURL *easy = m->easy_handle;
        CURLcode r = m->data.result;
        cm->done(cm->ud, easy, r);
    }
}

static void on_sock_ready(void *ud, int fd, short rev)
{
    curlmulti *cm = ud;
    int flags = 0;
    if (rev & (POLLIN | POLLHUP))
        flags |= CURL_CSELECT_IN;
    if (rev & POLLOUT)
        flags |= CURL_CSELECT_OUT;
    if (rev & (POLLERR | POLLNVAL))
        flags |= CURL_CSELECT_ERR;
    if (rev & POLLNVAL) /* closed behind our back: never spin on it */
        loop_unwatch_fd(cm->lp, fd);
    int running = 0;
    curl_multi_socket_action(cm->multi, fd, flags, &running);
    drain_done(cm);
}

static int sock_cb(CURL *e, curl_socket_t fd, int what, void *userp, void *sockp)
{
    (void)e;
    (void)sockp;
    curlmulti *cm = userp;
    if (what == CURL_POLL_REMOVE) {
        loop_unwatch_fd(cm->lp, fd);
        return 0;
    }
    short ev = 0;
    if (what & CURL_POLL_IN)
        ev |= POLLIN;
    if (what & CURL_POLL_OUT)
        ev |= POLLOUT;
    loop_watch_fd(cm->lp, fd, ev, on_sock_ready, cm);
    return 0;
}

static void on_timeout(void *ud)
{
    curlmulti *cm = ud;
    cm->timer = 0;
    int running = 0;
    curl_multi_socket_action(cm->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    drain_done(cm);
}

static int timer_cb(CURLM *m, long timeout_ms, void *userp)
{
    (void)m;
    curlmulti *cm = userp;
    if (cm->timer)
        loop_timer_cancel(cm->lp, cm->timer);
    cm->timer = 0;
    if (timeout_ms >= 0)
        cm->timer = loop_timer_add(cm->lp, timeout_ms, on_timeout, cm);
    return 0;
}

bool curlmulti_global_init(void)
{
    /* Never cleaned up: other handles may live until exit. */
    static bool done;
    if (!done && curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK)
        done = true;
    return done;
}

curlmulti *curlmulti_new(loop *lp, curlmulti_done_cb done, void *ud)
{
    if (!curlmulti_global_init())
        return NULL;
    curlmulti *cm = calloc(1, sizeof *cm);
    if (!cm)
        return NULL;
    cm->multi = curl_multi_init();
    if (!cm->multi) {
        free(cm);
        return NULL;
    }
    cm->lp = lp;
    cm->done = done;
    cm->ud = ud;
    curl_multi_setopt(cm->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
    curl_multi_setopt(cm->multi, CURLMOPT_SOCKETDATA, cm);
    curl_multi_setopt(cm->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
    curl_multi_setopt(cm->multi, CURLMOPT_TIMERDATA, cm);
    return cm;
}

CURLMcode curlmulti_add(curlmulti *cm, CURL *easy)
{
    return curl_multi_add_handle(cm->multi, easy);
}

CURLMcode curlmulti_remove(curlmulti *cm, CURL *easy)
{
    return curl_multi_remove_handle(cm->multi, easy);
}

void curlmulti_free(curlmulti *cm)
{
    if (!cm)
        return;
    /* No callback may reach the loop while the handle goes away: a timer
     * armed now would outlive cm. */
    curl_multi_setopt(cm->multi, CURLMOPT_TIMERFUNCTION, NULL);
    if (cm->timer)
        loop_timer_cancel(cm->lp, cm->timer);
    curl_multi_cleanup(cm->multi);
    /* Cached connections may close without a CURL_POLL_REMOVE; their fd
     * numbers would be reused by whatever opens next. */
    loop_unwatch_ud(cm->lp, cm);
    free(cm);
}
