/* The SSE server: non-blocking sockets in the sim's one poll loop. Each
 * client holds only its position in the shared sequence plus a bounded
 * output buffer, so a slow client lags instead of growing memory. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sim/sim_srv.h"

#define MAX_CLIENTS 64
#define REQ_MAX 8192
#define OUT_LOW (64 * 1024)      /* refill below this */
#define OUT_BATCH (256 * 1024)   /* one fill adds about this much */
#define RESTART_GAP_US 300000    /* listener closed this long on --fault-restart */

enum { C_HANDSHAKE, C_REQUEST, C_STREAM, C_CLOSING };

typedef struct {
    int fd;
    SSL *ssl;
    int state;
    bool chunked, drop_after, want_write;
    char req[REQ_MAX];
    size_t reqlen;
    char *out;
    size_t olen, ooff, ocap;
    size_t next;
} client;

struct sim_srv {
    sim_srv_conf c;
    int lfd[2];              /* unix, tcp */
    char port[16];           /* the bound TCP port, kept across restarts */
    client *cl[MAX_CLIENTS];
    size_t ncl;
    int64_t stall_until, reopen_at, next_ping;
    bool restart_pending;
    uint64_t drop_next, stall_next, restart_next;
    unsigned malformed_k;
    char *scratch;
    size_t slen, scap;
};

/* ---- buffers ---- */

static int grow(char **b, size_t *cap, size_t need)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 4096;
    while (n < need)
        n *= 2;
    char *p = realloc(*b, n);
    if (!p)
        return -1;
    *b = p;
    *cap = n;
    return 0;
}

static int out_add(client *c, const char *p, size_t n)
{
    if (c->ooff && c->ooff == c->olen)
        c->ooff = c->olen = 0;
    if (grow(&c->out, &c->ocap, c->olen + n))
        return -1;
    memcpy(c->out + c->olen, p, n);
    c->olen += n;
    return 0;
}

static void scr_add(sim_srv *s, const char *p, size_t n)
{
    if (grow(&s->scratch, &s->scap, s->slen + n) == 0) {
        memcpy(s->scratch + s->slen, p, n);
        s->slen += n;
    }
}

/* Moves the scratch SSE text into the client's output, as one chunk when the
 * response is chunked. */
static void scr_flush(sim_srv *s, client *c)
{
    if (!s->slen)
        return;
    if (c->chunked) {
        char h[24];
        int n = snprintf(h, sizeof h, "%zx\r\n", s->slen);
        out_add(c, h, (size_t)n);
        out_add(c, s->scratch, s->slen);
        out_add(c, "\r\n", 2);
    } else {
        out_add(c, s->scratch, s->slen);
    }
    s->slen = 0;
}

/* ---- listeners ---- */

static int listen_unix(const char *path)
{
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
        fprintf(stderr, "cxm-agent-sim: %s: socket path too long\n", path);
        return -1;
    }
    strcpy(a.sun_path, path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(path); /* a stale socket from a killed run */
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 64)) {
        fprintf(stderr, "cxm-agent-sim: %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static int listen_tcp(sim_srv *s)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = NULL;
    const char *port = s->port[0] ? s->port : s->c.tcp_port;
    int e = getaddrinfo(s->c.tcp_host, port, &hints, &res), fd = -1;
    if (e) {
        fprintf(stderr, "cxm-agent-sim: %s:%s: %s\n", s->c.tcp_host, port, gai_strerror(e));
        return -1;
    }
    for (struct addrinfo *ai = res; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        int one = 1;
        if (fd >= 0 && (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
                        bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 64))) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "cxm-agent-sim: %s:%s: %s\n", s->c.tcp_host, port, strerror(errno));
        return -1;
    }
    if (!s->port[0]) {
        struct sockaddr_storage ss;
        socklen_t sl = sizeof ss;
        char host[64];
        if (getsockname(fd, (struct sockaddr *)&ss, &sl) ||
            getnameinfo((struct sockaddr *)&ss, sl, host, sizeof host, s->port, sizeof s->port,
                        NI_NUMERICHOST | NI_NUMERICSERV)) {
            close(fd);
            return -1;
        }
        if (s->c.port_file) {
            /* write-then-rename: a test polling for the file never reads half */
            char tmp[4200];
            snprintf(tmp, sizeof tmp, "%s.tmp", s->c.port_file);
            FILE *f = fopen(tmp, "w");
            if (!f || fprintf(f, "%s\n", s->port) < 0 || fclose(f) || rename(tmp, s->c.port_file)) {
                fprintf(stderr, "cxm-agent-sim: %s: %s\n", s->c.port_file, strerror(errno));
                close(fd);
                return -1;
            }
        }
    }
    return fd;
}

static int open_listeners(sim_srv *s)
{
    if (s->c.unix_path && (s->lfd[0] = listen_unix(s->c.unix_path)) < 0)
        return -1;
    if (s->c.tcp_host && (s->lfd[1] = listen_tcp(s)) < 0)
        return -1;
    return 0;
}

static void close_client(sim_srv *s, size_t i)
{
    client *c = s->cl[i];
    if (c->ssl)
        SSL_free(c->ssl);
    close(c->fd);
    free(c->out);
    free(c);
    s->cl[i] = s->cl[--s->ncl];
}

static void close_all(sim_srv *s)
{
    while (s->ncl)
        close_client(s, s->ncl - 1);
    for (int k = 0; k < 2; k++)
        if (s->lfd[k] >= 0) {
            close(s->lfd[k]);
            s->lfd[k] = -1;
        }
    if (s->c.unix_path)
        unlink(s->c.unix_path);
}

sim_srv *sim_srv_new(const sim_srv_conf *c)
{
    sim_srv *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->c = *c;
    s->lfd[0] = s->lfd[1] = -1;
    s->drop_next = (uint64_t)sim_fault.drop_every;
    s->stall_next = (uint64_t)sim_fault.stall_every;
    s->restart_next = (uint64_t)sim_fault.restart_every;
    if (open_listeners(s)) {
        sim_srv_free(s);
        return NULL;
    }
    return s;
}

void sim_srv_free(sim_srv *s)
{
    if (!s)
        return;
    close_all(s);
    free(s->scratch);
    free(s);
}

void sim_srv_shutdown(sim_srv *s)
{
    for (size_t i = 0; i < s->ncl; i++) {
        client *c = s->cl[i];
        if (c->ssl && c->state != C_HANDSHAKE)
            SSL_shutdown(c->ssl);
        shutdown(c->fd, SHUT_WR);
    }
}

/* ---- I/O ---- */

/* 1 = all written, 0 = more pending, -1 = the client is gone. */
static int client_write(client *c)
{
    c->want_write = false;
    while (c->ooff < c->olen) {
        size_t n = c->olen - c->ooff;
        if (c->ssl) {
            int w = SSL_write(c->ssl, c->out + c->ooff, n > INT32_MAX ? INT32_MAX : (int)n);
            if (w <= 0) {
                int e = SSL_get_error(c->ssl, w);
                if (e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ) {
                    c->want_write = true;
                    return 0;
                }
                ERR_clear_error();
                return -1;
            }
            c->ooff += (size_t)w;
        } else {
            ssize_t w = send(c->fd, c->out + c->ooff, n, MSG_NOSIGNAL);
            if (w < 0) {
                if (errno == EINTR)
                    continue;
                return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
            }
            c->ooff += (size_t)w;
        }
    }
    c->ooff = c->olen = 0;
    return 1;
}

/* Reads what the client sent: >0 bytes, 0 = nothing now, -1 = closed. */
static ssize_t client_read(client *c, char *buf, size_t cap)
{
    if (c->ssl) {
        int r = SSL_read(c->ssl, buf, (int)cap);
        if (r > 0)
            return r;
        int e = SSL_get_error(c->ssl, r);
        if (e == SSL_ERROR_WANT_READ)
            return 0;
        if (e == SSL_ERROR_WANT_WRITE) {
            c->want_write = true;
            return 0;
        }
        ERR_clear_error();
        return -1;
    }
    ssize_t r = recv(c->fd, buf, cap, 0);
    if (r > 0)
        return r;
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    return -1;
}

static void respond_error(sim_srv *s, client *c, int code, const char *reason, const char *extra)
{
    char b[512];
    int n = snprintf(b, sizeof b,
                     "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n%s\r\n%s\n",
                     code, reason, strlen(reason) + 1, extra ? extra : "", reason);
    out_add(c, b, (size_t)n);
    c->state = C_CLOSING;
    if (s->c.verbose)
        fprintf(stderr, "cxm-agent-sim: -> %d %s\n", code, reason);
}

static const char *status_reason(int code)
{
    switch (code) {
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    default: return "Error";
    }
}

/* The value of header `name` in the request, or NULL; *len set. */
static const char *header(const char *req, const char *name, size_t *len)
{
    size_t nl = strlen(name);
    for (const char *p = strchr(req, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        const char *h = p + 1;
        if (!strncasecmp(h, name, nl) && h[nl] == ':') {
            const char *v = h + nl + 1, *e;
            while (*v == ' ' || *v == '\t')
                v++;
            for (e = v; *e && *e != '\r' && *e != '\n'; e++)
                ;
            while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            *len = (size_t)(e - v);
            return v;
        }
    }
    return NULL;
}

/* Compares without an early exit, so the time says nothing about the token. */
static bool token_ok(const char *want, const char *got, size_t len)
{
    size_t wl = strlen(want);
    unsigned diff = (unsigned)(wl != len);
    for (size_t i = 0; i < len; i++)
        diff |= (unsigned char)got[i] ^ (unsigned char)want[i < wl ? i : 0];
    return diff == 0 && wl > 0;
}

static void handle_request(sim_srv *s, client *c, const sim_seq *seq)
{
    char method[16] = "", target[1024] = "", version[16] = "";
    sim_stat.requests++;
    if (sscanf(c->req, "%15s %1023s %15s", method, target, version) != 3) {
        respond_error(s, c, 400, "Bad Request", NULL);
        return;
    }
    if (s->c.verbose)
        fprintf(stderr, "cxm-agent-sim: %s %s %s\n", method, target, version);
    if (sim_fault.status_code && sim_stat.requests <= (uint64_t)sim_fault.status_count) {
        sim_stat.refused++;
        respond_error(s, c, sim_fault.status_code, status_reason(sim_fault.status_code), NULL);
        return;
    }
    if (strcmp(method, "GET")) {
        respond_error(s, c, 405, "Method Not Allowed", "Allow: GET\r\n");
        return;
    }
    size_t plen = strcspn(target, "?");
    if (plen != 7 || strncmp(target, "/events", 7)) {
        respond_error(s, c, 404, "Not Found", NULL);
        return;
    }
    if (s->c.token) {
        size_t len = 0;
        const char *a = header(c->req, "Authorization", &len);
        if (!a || len < 7 || strncasecmp(a, "Bearer ", 7) || !token_ok(s->c.token, a + 7, len - 7)) {
            respond_error(s, c, 401, "Unauthorized", "WWW-Authenticate: Bearer\r\n");
            return;
        }
    }
    size_t len = 0;
    const char *last = header(c->req, "Last-Event-ID", &len);
    if (last) {
        long i = sim_seq_find(seq, last, len);
        c->next = i >= 0 ? (size_t)i + 1 : 0;
        if (i < 0 && s->c.verbose)
            fprintf(stderr, "cxm-agent-sim: unknown Last-Event-ID %.*s: from the start\n", (int)len, last);
    } else {
        c->next = s->c.live_only ? seq->n : 0;
    }
    c->chunked = s->c.chunked && !strcmp(version, "HTTP/1.1");
    char h[256];
    int n = snprintf(h, sizeof h,
                     "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n%s\r\n",
                     c->chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n");
    out_add(c, h, (size_t)n);
    c->state = C_STREAM;
    if (s->c.retry_ms >= 0) {
        n = snprintf(h, sizeof h, "retry: %ld\n\n", s->c.retry_ms);
        scr_add(s, h, (size_t)n);
        scr_flush(s, c);
    }
}

/* Progress one client as far as it goes without blocking; false = close it. */
static bool client_io(sim_srv *s, client *c, const sim_seq *seq)
{
    if (c->state == C_HANDSHAKE) {
        int r = SSL_accept(c->ssl);
        if (r != 1) {
            int e = SSL_get_error(c->ssl, r);
            if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
                c->want_write = e == SSL_ERROR_WANT_WRITE;
                return true;
            }
            if (s->c.verbose) {
                char eb[256];
                ERR_error_string_n(ERR_get_error(), eb, sizeof eb);
                fprintf(stderr, "cxm-agent-sim: TLS handshake failed: %s\n", eb);
            }
            ERR_clear_error();
            return false;
        }
        c->state = C_REQUEST;
    }
    for (;;) {
        char junk[4096];
        char *buf = c->state == C_REQUEST ? c->req + c->reqlen : junk;
        size_t cap = c->state == C_REQUEST ? REQ_MAX - 1 - c->reqlen : sizeof junk;
        if (cap == 0) {
            respond_error(s, c, 431, "Request Header Fields Too Large", NULL);
            break;
        }
        ssize_t r = client_read(c, buf, cap);
        if (r < 0)
            return false;
        if (r == 0)
            break;
        if (c->state == C_REQUEST) {
            c->reqlen += (size_t)r;
            c->req[c->reqlen] = '\0';
            if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n")) {
                handle_request(s, c, seq);
                break;
            }
        }
    }
    int w = client_write(c);
    if (w < 0 || (w == 1 && (c->state == C_CLOSING || c->drop_after)))
        return false;
    return true;
}

static void accept_all(sim_srv *s, int lfd, bool tls)
{
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            return;
        fcntl(fd, F_SETFL, O_NONBLOCK);
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        client *c = s->ncl < MAX_CLIENTS ? calloc(1, sizeof *c) : NULL;
        if (!c) {
            close(fd);
            continue;
        }
        c->fd = fd;
        c->state = C_REQUEST;
        if (tls) {
            c->ssl = SSL_new(s->c.tls);
            if (!c->ssl || SSL_set_fd(c->ssl, fd) != 1) {
                if (c->ssl)
                    SSL_free(c->ssl);
                close(fd);
                free(c);
                continue;
            }
            c->state = C_HANDSHAKE;
        }
        s->cl[s->ncl++] = c;
    }
}

size_t sim_srv_pollfds(sim_srv *s, struct pollfd *fds, size_t cap)
{
    size_t n = 0;
    for (int k = 0; k < 2; k++)
        if (s->lfd[k] >= 0 && n < cap)
            fds[n++] = (struct pollfd){.fd = s->lfd[k], .events = POLLIN};
    for (size_t i = 0; i < s->ncl && n < cap; i++) {
        client *c = s->cl[i];
        short ev = POLLIN;
        if (c->olen > c->ooff || c->want_write)
            ev |= POLLOUT;
        fds[n++] = (struct pollfd){.fd = c->fd, .events = ev};
    }
    return n;
}

void sim_srv_handle(sim_srv *s, const struct pollfd *fds, size_t n, const sim_seq *seq)
{
    for (size_t j = 0; j < n; j++) {
        if (!fds[j].revents)
            continue;
        if (fds[j].fd == s->lfd[0] || fds[j].fd == s->lfd[1]) {
            accept_all(s, fds[j].fd, fds[j].fd == s->lfd[1] && s->c.tls);
            continue;
        }
        for (size_t i = 0; i < s->ncl; i++)
            if (s->cl[i]->fd == fds[j].fd) {
                if (!client_io(s, s->cl[i], seq))
                    close_client(s, i);
                break;
            }
    }
}

/* ---- streaming and faults ---- */

static void frame(sim_srv *s, const sim_seq *seq, size_t i)
{
    const sim_entry *e = &seq->ent[i];
    if (e->id_len) {
        scr_add(s, "id: ", 4);
        scr_add(s, sim_seq_id(seq, i), e->id_len);
        scr_add(s, "\n", 1);
    }
    scr_add(s, "data: ", 6);
    scr_add(s, sim_seq_json(seq, i), e->json_len);
    scr_add(s, "\n\n", 2);
}

static void fill(sim_srv *s, client *c, const sim_seq *seq, int64_t now)
{
    while (c->next < seq->n && s->slen < OUT_BATCH) {
        uint64_t sent = sim_stat.sent;
        if (sim_fault.restart_every && sent >= s->restart_next) {
            s->restart_next += (uint64_t)sim_fault.restart_every;
            s->restart_pending = true;
            break;
        }
        if (sim_fault.stall_every && sent >= s->stall_next) {
            s->stall_next += (uint64_t)sim_fault.stall_every;
            s->stall_until = now + (int64_t)sim_fault.stall_s * 1000000;
            sim_stat.stalls++;
            break;
        }
        if (sim_fault.drop_every && sent >= s->drop_next) {
            /* half a message, then the connection goes: the client must
             * discard it and resume from the last complete one */
            s->drop_next += (uint64_t)sim_fault.drop_every;
            size_t mark = s->slen;
            frame(s, seq, c->next);
            s->slen = mark + (s->slen - mark) / 2;
            c->drop_after = true;
            sim_stat.drops++;
            break;
        }
        frame(s, seq, c->next);
        sim_note_sent(sim_seq_id(seq, c->next), seq->ent[c->next].id_len);
        c->next++;
        sent = ++sim_stat.sent;
        if (sim_fault.malformed_every && sent % (uint64_t)sim_fault.malformed_every == 0) {
            char b[512];
            scr_add(s, "data: ", 6);
            const char *m = sim_malformed(s->malformed_k++, b, sizeof b);
            scr_add(s, m, strlen(m));
            scr_add(s, "\n\n", 2);
            sim_stat.malformed++;
        }
        if (sim_fault.repeat_every && sent % (uint64_t)sim_fault.repeat_every == 0 && c->next > 1) {
            size_t last = c->next - 1, span = last < 50 ? last : 50;
            size_t back = 1 + (size_t)(sent / (uint64_t)sim_fault.repeat_every) % span;
            frame(s, seq, last - back);
            sim_note_sent(sim_seq_id(seq, last - back), seq->ent[last - back].id_len);
            sim_stat.repeats++;
        }
    }
    scr_flush(s, c);
}

void sim_srv_pump(sim_srv *s, const sim_seq *seq, int64_t now)
{
    if (s->reopen_at) {
        if (now < s->reopen_at)
            return;
        s->reopen_at = 0;
        if (open_listeners(s))
            fprintf(stderr, "cxm-agent-sim: reopening the listener failed; retrying\n"),
                s->reopen_at = now + RESTART_GAP_US;
        return;
    }
    if (now < s->stall_until)
        return;
    bool ping = s->c.ping_s > 0 && now >= s->next_ping;
    if (ping)
        s->next_ping = now + (int64_t)s->c.ping_s * 1000000;
    for (size_t i = 0; i < s->ncl; i++) {
        client *c = s->cl[i];
        if (c->state != C_STREAM || c->drop_after || now < s->stall_until || s->restart_pending)
            continue;
        if (ping) {
            scr_add(s, ": ping\n\n", 8);
            scr_flush(s, c);
        }
        if (c->olen - c->ooff < OUT_LOW)
            fill(s, c, seq, now);
    }
    for (size_t i = 0; i < s->ncl;) {
        int w = client_write(s->cl[i]);
        if (w < 0 || (w == 1 && (s->cl[i]->drop_after || s->cl[i]->state == C_CLOSING)))
            close_client(s, i);
        else
            i++;
    }
    if (s->restart_pending) {
        s->restart_pending = false;
        sim_stat.restarts++;
        if (s->c.verbose)
            fprintf(stderr, "cxm-agent-sim: restart: closing the listener and %zu clients\n", s->ncl);
        close_all(s);
        s->reopen_at = now + RESTART_GAP_US;
    }
}

int sim_srv_timeout(const sim_srv *s, int64_t now)
{
    int64_t at;
    if (s->reopen_at)
        at = s->reopen_at;
    else if (s->stall_until > now)
        at = s->stall_until;
    else if (s->c.ping_s > 0 && s->ncl)
        at = s->next_ping;
    else
        return -1;
    return at <= now ? 0 : (int)((at - now + 999) / 1000);
}

bool sim_srv_caught_up(const sim_srv *s, const sim_seq *seq)
{
    size_t streaming = 0;
    for (size_t i = 0; i < s->ncl; i++) {
        const client *c = s->cl[i];
        if (c->state == C_CLOSING)
            continue;
        if (c->state != C_STREAM || c->next < seq->n || c->olen > c->ooff || c->drop_after)
            return false;
        streaming++;
    }
    return streaming > 0 && !s->reopen_at;
}
