/* The one event loop (DESIGN §2): a single ppoll over the terminal, feed
 * sockets, libcurl's sockets, player pipes and a signal self-pipe, with the
 * next timer as its timeout. Nothing busy-waits; an idle loop wakes only for
 * the timers that exist (the clock: once a second at most). */
#ifndef CXM_LOOP_H
#define CXM_LOOP_H

#include <stdbool.h>
#include <stdint.h>

typedef struct loop loop;
typedef void (*loop_fd_cb)(void *ud, int fd, short revents);
typedef void (*loop_timer_cb)(void *ud);
typedef void (*loop_signal_cb)(void *ud, int signo);
typedef void (*loop_pass_cb)(void *ud);

/* Blocks the handled signals (SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGUSR1,
 * SIGCHLD) and ignores SIGPIPE. Create the loop before any library starts a
 * thread (libmpv, libvlc, libcurl's resolver) so those threads inherit the mask. */
loop *loop_new(void);
void loop_free(loop *lp);

/* Watches fd for POLLIN/POLLOUT; a second call for the same fd replaces it. */
int loop_watch_fd(loop *lp, int fd, short events, loop_fd_cb cb, void *ud);
void loop_unwatch_fd(loop *lp, int fd);
/* Drops every fd watch registered with this user pointer (owner teardown). */
void loop_unwatch_ud(loop *lp, void *ud);

/* One-shot timer after delay_ms (monotonic). Returns an id > 0. */
int loop_timer_add(loop *lp, int64_t delay_ms, loop_timer_cb cb, void *ud);
void loop_timer_cancel(loop *lp, int id);

/* The callback runs in the loop (never in signal context). A blocked signal
 * without a callback keeps its default action when ppoll lets it through
 * (SIGTERM still terminates, SIGWINCH is ignored). cb == NULL restores SIG_DFL. */
void loop_on_signal(loop *lp, int signo, loop_signal_cb cb, void *ud);
/* Called at the end of every pass, before the wait: batch commits, doupdate(). */
int loop_on_pass(loop *lp, loop_pass_cb cb, void *ud);
void loop_off_pass(loop *lp, loop_pass_cb cb, void *ud);

/* A notifier wakes the loop from any other thread (libmpv/libvlc event
 * callbacks, workers): create it on the loop's thread; notify() is safe from
 * any thread and from a signal handler, never blocks, and coalesces: several
 * notifies before the loop wakes run `cb` once, on the loop's thread, in the
 * same ppoll as everything else. Free it on the loop's thread after the
 * threads that notify have stopped. */
typedef struct loop_notifier loop_notifier;
typedef void (*loop_notify_cb)(void *ud);
loop_notifier *loop_notifier_new(loop *lp, loop_notify_cb cb, void *ud);
void loop_notifier_notify(loop_notifier *n);
int loop_notifier_fd(const loop_notifier *n); /* the read end (tests) */
void loop_notifier_free(loop_notifier *n);

int loop_run(loop *lp);                 /* until loop_quit */
int loop_run_once(loop *lp, int max_wait_ms); /* one pass; -1 = wait as needed */
void loop_quit(loop *lp);
bool loop_quitting(const loop *lp);
uint64_t loop_wakeups(const loop *lp);  /* returns from the wait, for the idle benchmark */

#endif
