/* The SSE server of cxm-agent-sim: listeners (Unix socket, TCP, TLS on TCP),
 * HTTP request handling and the per-client stream with fault injection. */
#ifndef CXM_SIM_SRV_H
#define CXM_SIM_SRV_H

#include <openssl/ssl.h>
#include <poll.h>

#include "sim/sim.h"

typedef struct {
    const char *unix_path;   /* NULL = none */
    const char *tcp_host;    /* NULL = none */
    const char *tcp_port;
    const char *port_file;
    SSL_CTX *tls;            /* on the TCP listener; NULL = plain */
    const char *token;       /* NULL = no authentication */
    int ping_s;              /* 0 = no pings */
    long retry_ms;           /* < 0 = no retry: line */
    bool chunked;
    bool live_only;          /* a client without Last-Event-ID starts at the end */
    bool verbose;
} sim_srv_conf;

typedef struct sim_srv sim_srv;

sim_srv *sim_srv_new(const sim_srv_conf *c);
void sim_srv_free(sim_srv *s);
/* Fills fds (capacity cap) with what to wait for; returns how many. */
size_t sim_srv_pollfds(sim_srv *s, struct pollfd *fds, size_t cap);
/* Handles the results of poll() for the fds sim_srv_pollfds gave. */
void sim_srv_handle(sim_srv *s, const struct pollfd *fds, size_t n, const sim_seq *seq);
/* Streams what is new to every client; runs faults, pings and restarts. */
void sim_srv_pump(sim_srv *s, const sim_seq *seq, int64_t now_mono);
/* ms until the server needs a pass without I/O (-1 = never). */
int sim_srv_timeout(const sim_srv *s, int64_t now_mono);
/* Some client streams and every client has been handed all of seq. */
bool sim_srv_caught_up(const sim_srv *s, const sim_seq *seq);
/* Tells every client the stream ends (close_notify / FIN) before exit. */
void sim_srv_shutdown(sim_srv *s);

#endif
