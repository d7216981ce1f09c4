/* cxm-agent-sim: the test peer that plays a site's local agent (DESIGN §4).
 * It generates events into one ordered sequence at --rate, whether or not
 * anyone listens, and hands that sequence to SSE clients (each resuming by
 * Last-Event-ID) and/or a log file; faults are injected on the way out.
 * Single-threaded: one poll loop, like the console it tests. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <locale.h>
#include <openssl/err.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sim/sim.h"
#include "sim/sim_srv.h"

#define US 1000000LL
#define MAX_FDS 80

sim_faults sim_fault;
FILE *sim_sent_fp;
struct sim_stats sim_stat;

static int sig_pipe[2] = {-1, -1};
static volatile sig_atomic_t got_signal;

int64_t sim_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

int64_t sim_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * US + ts.tv_nsec / 1000;
}

void sim_note_sent(const char *id, size_t len)
{
    if (sim_sent_fp && len)
        fprintf(sim_sent_fp, "%.*s %lld\n", (int)len, id, (long long)sim_now_us());
}

static void on_signal(int signo)
{
    int saved = errno;
    got_signal = signo;
    if (write(sig_pipe[1], "x", 1) < 0) {
        /* the pipe is full: a wakeup is already pending */
    }
    errno = saved;
}

static void usage(FILE *f)
{
    fputs("usage: cxm-agent-sim [OPTIONS]\n"
          "Plays a site's local agent: serves events as SSE (GET /events) and/or appends\n"
          "them to a log, with optional recordings and fault injection. See src/sim/README.md.\n"
          "Listeners and outputs:\n"
          "  --unix PATH               serve SSE on a Unix socket\n"
          "  --tcp HOST:PORT           serve SSE over TCP (port 0 = ephemeral)\n"
          "  --port-file F             write the bound TCP port to F\n"
          "  --tls-cert F --tls-key F  TLS on the TCP listener\n"
          "  --token FILE              require Authorization: Bearer <token> (401 otherwise)\n"
          "  --log FILE                append events as JSON lines\n"
          "  --rotate-every N          rename FILE to FILE.1 and reopen after every N lines\n"
          "  --truncate-every N        copytruncate FILE after every N lines\n"
          "  --log-grace MS            log quiet time around rotations/truncations (default 300)\n"
          "  --recordings DIR          write desk recordings matching the events (DESIGN 6)\n"
          "  --rec-minutes N           length of one recording file (default 10)\n"
          "  --rec-rate HZ             sample rate of the recordings (default 8000)\n"
          "  --sent FILE               one line per event handed out: \"<id> <realtime us>\"\n"
          "Events:\n"
          "  --rate N                  events per second (default 10; 0 = as fast as possible)\n"
          "  --count N                 stop generating after N events (0 = unbounded)\n"
          "  --seed N                  seed of the demo generator (default 1)\n"
          "  --date YYYY-MM-DD | --now demo days from that date, or live timestamps (default)\n"
          "  --events FILE             serve this JSON-lines file, in order, instead\n"
          "  --live-only               a client without Last-Event-ID starts at the live end\n"
          "                            (default: it gets the whole backlog)\n"
          "  --ping S                  send a \": ping\" comment every S seconds\n"
          "  --retry MS                send \"retry: MS\" at the start of every stream\n"
          "  --no-chunked              close-delimited responses instead of chunked\n"
          "Faults (N counts events handed to SSE clients; malformed/repeat also apply to the log):\n"
          "  --fault-drop N            close the connection mid-message every N events\n"
          "  --fault-stall S@N         stall S seconds every N events\n"
          "  --fault-status CODE:N     answer CODE to the first N requests\n"
          "  --fault-malformed N       every N events also send a malformed message\n"
          "  --fault-repeat N          every N events re-send an earlier event\n"
          "  --fault-restart N         every N events close the listener and all clients, reopen\n"
          "Other:\n"
          "  --exit-when-done          exit 0 once --count events are out and every client caught up\n"
          "  -v, --verbose             log requests and faults to stderr\n"
          "  -h, --help\n",
          f);
}

enum {
    O_UNIX = 256, O_TCP, O_PORT_FILE, O_CERT, O_KEY, O_TOKEN, O_LOG, O_ROTATE, O_TRUNCATE,
    O_GRACE, O_REC, O_REC_MIN, O_REC_RATE, O_SENT, O_RATE, O_COUNT, O_SEED, O_DATE, O_NOW,
    O_EVENTS, O_LIVE_ONLY, O_PING, O_RETRY, O_NO_CHUNKED, O_DROP, O_STALL, O_STATUS,
    O_MALFORMED, O_REPEAT, O_RESTART, O_EXIT_DONE
};

static const struct option longopts[] = {
    {"unix", 1, 0, O_UNIX}, {"tcp", 1, 0, O_TCP}, {"port-file", 1, 0, O_PORT_FILE},
    {"tls-cert", 1, 0, O_CERT}, {"tls-key", 1, 0, O_KEY}, {"token", 1, 0, O_TOKEN},
    {"log", 1, 0, O_LOG}, {"rotate-every", 1, 0, O_ROTATE}, {"truncate-every", 1, 0, O_TRUNCATE},
    {"log-grace", 1, 0, O_GRACE}, {"recordings", 1, 0, O_REC}, {"rec-minutes", 1, 0, O_REC_MIN},
    {"rec-rate", 1, 0, O_REC_RATE}, {"sent", 1, 0, O_SENT}, {"rate", 1, 0, O_RATE},
    {"count", 1, 0, O_COUNT}, {"seed", 1, 0, O_SEED}, {"date", 1, 0, O_DATE}, {"now", 0, 0, O_NOW},
    {"events", 1, 0, O_EVENTS}, {"live-only", 0, 0, O_LIVE_ONLY}, {"ping", 1, 0, O_PING},
    {"retry", 1, 0, O_RETRY}, {"no-chunked", 0, 0, O_NO_CHUNKED}, {"fault-drop", 1, 0, O_DROP},
    {"fault-stall", 1, 0, O_STALL}, {"fault-status", 1, 0, O_STATUS},
    {"fault-malformed", 1, 0, O_MALFORMED}, {"fault-repeat", 1, 0, O_REPEAT},
    {"fault-restart", 1, 0, O_RESTART}, {"exit-when-done", 0, 0, O_EXIT_DONE},
    {"verbose", 0, 0, 'v'}, {"help", 0, 0, 'h'}, {0, 0, 0, 0},
};

typedef struct {
    sim_srv_conf srv;
    const char *cert, *key, *token_file, *log, *rec, *sent, *events;
    long rotate, truncate, grace_ms;
    int rec_minutes, rec_rate;
    double rate;
    long count;
    uint64_t seed;
    int64_t date_us; /* < 0 = live */
    bool exit_when_done;
    char host[256], port[16];
} opts;

static bool num(const char *s, long lo, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo)
        return false;
    *out = v;
    return true;
}

static int64_t parse_date(const char *s)
{
    int y, m, d;
    char tail;
    if (sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_isdst = -1};
    time_t t = mktime(&tm);
    return t == (time_t)-1 ? -1 : (int64_t)t * US;
}

static int bad(const char *opt, const char *val)
{
    fprintf(stderr, "cxm-agent-sim: bad value for --%s: %s\n", opt, val);
    return 2;
}

static int parse_opts(int argc, char **argv, opts *o)
{
    int c, idx = -1;
    long v;
    o->srv.retry_ms = -1;
    o->srv.chunked = true;
    o->rate = 10;
    o->seed = 1;
    o->date_us = -1;
    o->grace_ms = 300;
    o->rec_minutes = 10;
    o->rec_rate = 8000;
    while ((c = getopt_long(argc, argv, "vh", longopts, &idx)) != -1) {
        const char *name = idx >= 0 && c >= 256 ? longopts[idx].name : "?";
        char *sep;
        switch (c) {
        case O_UNIX: o->srv.unix_path = optarg; break;
        case O_TCP:
            sep = strrchr(optarg, ':');
            if (!sep || sep == optarg || (size_t)(sep - optarg) >= sizeof o->host ||
                strlen(sep + 1) >= sizeof o->port || !num(sep + 1, 0, &v) || v > 65535)
                return bad(name, optarg);
            snprintf(o->host, sizeof o->host, "%.*s", (int)(sep - optarg), optarg);
            if (o->host[0] == '[') { /* [::1]:8080 */
                memmove(o->host, o->host + 1, strlen(o->host));
                o->host[strcspn(o->host, "]")] = '\0';
            }
            snprintf(o->port, sizeof o->port, "%s", sep + 1);
            o->srv.tcp_host = o->host;
            o->srv.tcp_port = o->port;
            break;
        case O_PORT_FILE: o->srv.port_file = optarg; break;
        case O_CERT: o->cert = optarg; break;
        case O_KEY: o->key = optarg; break;
        case O_TOKEN: o->token_file = optarg; break;
        case O_LOG: o->log = optarg; break;
        case O_REC: o->rec = optarg; break;
        case O_SENT: o->sent = optarg; break;
        case O_EVENTS: o->events = optarg; break;
        case O_LIVE_ONLY: o->srv.live_only = true; break;
        case O_NO_CHUNKED: o->srv.chunked = false; break;
        case O_EXIT_DONE: o->exit_when_done = true; break;
        case O_NOW: o->date_us = -1; break;
        case O_DATE:
            if ((o->date_us = parse_date(optarg)) < 0)
                return bad(name, optarg);
            break;
        case O_ROTATE: if (!num(optarg, 0, &o->rotate)) return bad(name, optarg); break;
        case O_TRUNCATE: if (!num(optarg, 0, &o->truncate)) return bad(name, optarg); break;
        case O_GRACE: if (!num(optarg, 0, &o->grace_ms)) return bad(name, optarg); break;
        case O_COUNT: if (!num(optarg, 0, &o->count)) return bad(name, optarg); break;
        case O_REC_MIN:
            if (!num(optarg, 1, &v) || v > 1440) return bad(name, optarg);
            o->rec_minutes = (int)v;
            break;
        case O_REC_RATE:
            if (!num(optarg, 1000, &v) || v > 192000) return bad(name, optarg);
            o->rec_rate = (int)v;
            break;
        case O_PING:
            if (!num(optarg, 0, &v) || v > 86400) return bad(name, optarg);
            o->srv.ping_s = (int)v;
            break;
        case O_RETRY: if (!num(optarg, 0, &o->srv.retry_ms)) return bad(name, optarg); break;
        case O_RATE: {
            char *end;
            o->rate = strtod(optarg, &end);
            if (end == optarg || *end || !(o->rate >= 0) || o->rate > 1e7)
                return bad(name, optarg);
            break;
        }
        case O_SEED: {
            char *end;
            errno = 0;
            o->seed = strtoull(optarg, &end, 10);
            if (errno || end == optarg || *end)
                return bad(name, optarg);
            break;
        }
        case O_DROP: if (!num(optarg, 1, &sim_fault.drop_every)) return bad(name, optarg); break;
        case O_MALFORMED: if (!num(optarg, 1, &sim_fault.malformed_every)) return bad(name, optarg); break;
        case O_REPEAT: if (!num(optarg, 1, &sim_fault.repeat_every)) return bad(name, optarg); break;
        case O_RESTART: if (!num(optarg, 1, &sim_fault.restart_every)) return bad(name, optarg); break;
        case O_STALL: {
            int s, n = 0;
            long every;
            char tail;
            if (sscanf(optarg, "%d@%ld%n%c", &s, &every, &n, &tail) != 2 || s < 0 || every < 1)
                return bad(name, optarg);
            sim_fault.stall_s = s;
            sim_fault.stall_every = every;
            break;
        }
        case O_STATUS: {
            int code;
            long count;
            char tail;
            if (sscanf(optarg, "%d:%ld%c", &code, &count, &tail) != 2 || code < 100 || code > 599 ||
                count < 0)
                return bad(name, optarg);
            sim_fault.status_code = code;
            sim_fault.status_count = count;
            break;
        }
        case 'v': o->srv.verbose = true; break;
        case 'h': usage(stdout); exit(0);
        default: usage(stderr); return 2;
        }
        idx = -1;
    }
    if (optind < argc) {
        fprintf(stderr, "cxm-agent-sim: unexpected argument: %s\n", argv[optind]);
        return 2;
    }
    if (!o->srv.unix_path && !o->srv.tcp_host && !o->log) {
        fprintf(stderr, "cxm-agent-sim: nothing to serve: give --unix, --tcp and/or --log\n");
        return 2;
    }
    if (!o->cert != !o->key || (o->cert && !o->srv.tcp_host)) {
        fprintf(stderr, "cxm-agent-sim: TLS needs --tls-cert, --tls-key and --tcp\n");
        return 2;
    }
    if (o->rate == 0 && o->count == 0 && !o->events) {
        fprintf(stderr, "cxm-agent-sim: --rate 0 needs --count (or --events)\n");
        return 2;
    }
    if (o->exit_when_done && o->count == 0 && !o->events) {
        fprintf(stderr, "cxm-agent-sim: --exit-when-done needs --count (or --events)\n");
        return 2;
    }
    return 0;
}

static char *read_token(const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[4096];
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    if (!f) {
        fprintf(stderr, "cxm-agent-sim: %s: %s\n", path, strerror(errno));
        return NULL;
    }
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
        n--;
    buf[n] = '\0';
    if (!n) {
        fprintf(stderr, "cxm-agent-sim: %s: empty token\n", path);
        return NULL;
    }
    return strdup(buf);
}

static SSL_CTX *tls_ctx(const char *cert, const char *key)
{
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx || SSL_CTX_use_certificate_chain_file(ctx, cert) != 1 ||
        SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(ctx) != 1) {
        char eb[256];
        ERR_error_string_n(ERR_get_error(), eb, sizeof eb);
        fprintf(stderr, "cxm-agent-sim: TLS setup (%s, %s): %s\n", cert, key, eb);
        SSL_CTX_free(ctx);
        return NULL;
    }
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return ctx;
}

static int setup_signals(void)
{
    if (pipe(sig_pipe))
        return -1;
    for (int i = 0; i < 2; i++) {
        fcntl(sig_pipe[i], F_SETFL, O_NONBLOCK);
        fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return 0;
}

static void print_stats(void)
{
    fprintf(stderr,
            "cxm-agent-sim: generated %llu, sent %llu (repeats %llu, malformed %llu), "
            "requests %llu (refused %llu), drops %llu, stalls %llu, restarts %llu, "
            "log lines %llu (rotations %llu, truncations %llu)\n",
            (unsigned long long)sim_stat.generated, (unsigned long long)sim_stat.sent,
            (unsigned long long)sim_stat.repeats, (unsigned long long)sim_stat.malformed,
            (unsigned long long)sim_stat.requests, (unsigned long long)sim_stat.refused,
            (unsigned long long)sim_stat.drops, (unsigned long long)sim_stat.stalls,
            (unsigned long long)sim_stat.restarts, (unsigned long long)sim_stat.log_lines,
            (unsigned long long)sim_stat.rotations, (unsigned long long)sim_stat.truncations);
}

typedef struct {
    opts *o;
    sim_seq seq;
    sim_gen *gen;
    sim_srv *srv;
    sim_log *log;
    sim_rec *rec;
    bool gen_done;
    int64_t start;
} run_state;

/* Brings the sequence up to what --rate says should exist by now; returns the
 * ms until the next event is due (-1 = none). */
static int generate(run_state *r, int64_t now, int *err)
{
    const opts *o = r->o;
    uint64_t limit = o->count ? (uint64_t)o->count : UINT64_MAX, due = limit;
    if (o->rate > 0) {
        double d = 1.0 + (double)(now - r->start) * o->rate / 1e6;
        due = d < (double)limit ? (uint64_t)d : limit;
    }
    /* bounded per pass so clients are served while a big backlog builds */
    for (int k = 0; k < 20000 && !r->gen_done && r->seq.n < due; k++) {
        const char *desk = NULL;
        int g = sim_gen_next(r->gen, &r->seq, &desk);
        if (g < 0) {
            fprintf(stderr, "cxm-agent-sim: generating events failed\n");
            *err = 1;
            return -1;
        }
        if (g == 0) {
            r->gen_done = true;
            break;
        }
        sim_stat.generated++;
        if (r->rec && sim_rec_cover(r->rec, desk, r->seq.ent[r->seq.n - 1].ts_us)) {
            *err = 1;
            return -1;
        }
    }
    if (r->seq.n >= limit)
        r->gen_done = true;
    if (r->gen_done)
        return -1;
    if (r->seq.n < due || o->rate <= 0)
        return 0;
    int64_t at = r->start + (int64_t)((double)r->seq.n * 1e6 / o->rate);
    return at <= now ? 0 : (int)((at - now + 999) / 1000);
}

static bool done(const run_state *r)
{
    if (!r->gen_done)
        return false;
    if (r->log && !sim_log_idle(r->log, &r->seq))
        return false;
    return !r->srv || sim_srv_caught_up(r->srv, &r->seq);
}

static int min_timeout(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

static int run(run_state *r)
{
    struct pollfd fds[MAX_FDS];
    int err = 0;
    r->start = sim_mono_us();
    while (!got_signal) {
        int64_t now = sim_mono_us();
        int t = generate(r, now, &err);
        if (err)
            return 1;
        if (r->srv) {
            sim_srv_pump(r->srv, &r->seq, now);
            t = min_timeout(t, sim_srv_timeout(r->srv, now));
        }
        if (r->log)
            t = min_timeout(t, sim_log_pump(r->log, &r->seq, now));
        if (sim_sent_fp)
            fflush(sim_sent_fp);
        if (r->o->exit_when_done && done(r))
            return 0;
        /* at most one idle wakeup a second: nothing here needs more */
        t = min_timeout(t, 1000);
        size_t n = r->srv ? sim_srv_pollfds(r->srv, fds, MAX_FDS - 1) : 0;
        fds[n] = (struct pollfd){.fd = sig_pipe[0], .events = POLLIN};
        int p = poll(fds, n + 1, t);
        if (p < 0 && errno != EINTR) {
            perror("cxm-agent-sim: poll");
            return 1;
        }
        if (p > 0 && r->srv)
            sim_srv_handle(r->srv, fds, n, &r->seq);
    }
    return 0;
}

int main(int argc, char **argv)
{
    setlocale(LC_ALL, "");
    setlocale(LC_NUMERIC, "C");
    opts o = {0};
    int rc = parse_opts(argc, argv, &o);
    if (rc)
        return rc;
    run_state r = {.o = &o};
    char *token = NULL;
    SSL_CTX *ctx = NULL;
    char err[512];
    rc = 1;
    if (setup_signals())
        goto out;
    if (o.token_file && !(o.srv.token = token = read_token(o.token_file)))
        goto out;
    if (o.cert && !(o.srv.tls = ctx = tls_ctx(o.cert, o.key)))
        goto out;
    if (o.sent && !(sim_sent_fp = fopen(o.sent, "w"))) {
        fprintf(stderr, "cxm-agent-sim: %s: %s\n", o.sent, strerror(errno));
        goto out;
    }
    if (o.events)
        r.gen = sim_gen_file(o.events, err, sizeof err);
    else
        r.gen = sim_gen_demo(o.seed, o.date_us, o.rec_minutes);
    if (!r.gen) {
        fprintf(stderr, "cxm-agent-sim: %s\n", o.events ? err : "out of memory");
        goto out;
    }
    if (o.rec && !(r.rec = sim_rec_new(o.rec, o.rec_minutes, o.rec_rate)))
        goto out;
    if (o.log && !(r.log = sim_log_open(o.log, o.rotate, o.truncate, (int)o.grace_ms)))
        goto out;
    if ((o.srv.unix_path || o.srv.tcp_host) && !(r.srv = sim_srv_new(&o.srv)))
        goto out;
    rc = run(&r);
    if (r.srv)
        sim_srv_shutdown(r.srv);
out:
    print_stats();
    sim_srv_free(r.srv);
    sim_log_free(r.log);
    sim_rec_free(r.rec);
    sim_gen_free(r.gen);
    sim_seq_free(&r.seq);
    if (sim_sent_fp)
        fclose(sim_sent_fp);
    SSL_CTX_free(ctx);
    free(token);
    return rc;
}
