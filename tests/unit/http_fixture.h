/* The local HTTP server the clip-link tests talk to (tests/http_range.py:
 * Range requests, a byte rate, a log of every request's Range and
 * Authorization). Include after cmocka.h: failures are cmocka failures. */
#ifndef CXM_TEST_HTTP_FIXTURE_H
#define CXM_TEST_HTTP_FIXTURE_H

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct {
    pid_t pid;
    int port;
    char log[700];
} http_server;

/* Serves the files of `files` at `rate` bytes per second ("0": as fast as
 * it can); its log and port file go into `dir`, named by `name`. Returns once
 * it listens. */
static inline void http_server_start(http_server *s, const char *dir, const char *files,
                                     const char *name, const char *rate)
{
    const char *src = getenv("CXM_SRC");
    if (!src)
        fail_msg("CXM_SRC is not set (ctest sets it)");
    char script[1024], portf[700];
    snprintf(script, sizeof script, "%s/tests/http_range.py", src);
    snprintf(s->log, sizeof s->log, "%s/%s.log", dir, name);
    snprintf(portf, sizeof portf, "%s/%s.port", dir, name);
    char *argv[] = {"python3", script, "--dir", (char *)files, "--log", s->log, "--port-file",
                    portf, "--rate", (char *)rate, NULL};
    if (posix_spawnp(&s->pid, "python3", NULL, NULL, argv, environ) != 0)
        fail_msg("cannot start python3 %s", script);
    for (int i = 0; i < 200; i++) { /* the server writes the file whole, once listening */
        FILE *fp = fopen(portf, "r");
        if (fp) {
            int ok = fscanf(fp, "%d", &s->port) == 1;
            fclose(fp);
            if (ok)
                return;
        }
        int st;
        if (waitpid(s->pid, &st, WNOHANG) == s->pid)
            fail_msg("the HTTP server %s exited", name);
        usleep(50000);
    }
    fail_msg("the HTTP server %s did not start", name);
}

static inline void http_server_stop(http_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        waitpid(s->pid, NULL, 0);
        s->pid = 0;
    }
}

static inline void http_server_url(const http_server *s, const char *path, char *out, size_t cap)
{
    snprintf(out, cap, "http://127.0.0.1:%d%s", s->port, path);
}

#endif
