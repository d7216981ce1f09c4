/* SSE over HTTP(S) or a Unix socket on the libcurl multi interface. curl's
 * sockets and its timeout are handed to the one loop (feed/curlmulti.h), so a
 * single ppoll waits for the terminal, the pipes and every feed. Reconnects use capped exponential backoff with jitter
 * from the server's `retry:`; a stream silent past the heartbeat timeout is
 * declared dead. TLS verification failures, 204 and 4xx are final: retrying
 * cannot fix them and would hammer the server. */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxm/i18n.h"
#include "cxm/rfile.h"
#include "cxm/sse.h"
#include "cxm/timefmt.h"
#include "feed/curlmulti.h"
#include "feed/feed_internal.h"

#define BACKOFF_BASE_MS 500
#define BACKOFF_CAP_MS 30000
#define CONNECT_TIMEOUT_MS 10000
#define TOKEN_MAX 4096

typedef struct {
    hub_source *s;
    curlmulti *cm;
    loop *lp;
    CURL *easy;
    struct curl_slist *hdrs;
    char *url;
    char *unix_path;
    char *token;
    char *ca_file;
    sse_parser *sse;
    bool headers_done;
    bool final;          /* a reason not to reconnect was found */
    long http_code;
    int failures;        /* attempts since the last good event, for the backoff */
    int retry_timer;
    int watchdog_timer;
    int64_t last_rx_us;  /* time_mono_us() of the last byte (or of the attempt) */
    char errbuf[CURL_ERROR_SIZE];
} http_src;

static void connect_now(void *ud);
static void on_transfer_done(void *ud, CURL *easy, CURLcode r);

/* One multi handle per hub: its sources share connections and one set of
 * loop watches. */
static curlmulti *get_multi(hub *h)
{
    curlmulti *cm = hub_http_multi(h);
    if (cm)
        return cm;
    cm = curlmulti_new(hub_loop(h), on_transfer_done, NULL);
    if (cm)
        hub_set_http_multi(h, cm);
    return cm;
}

/* After every source's free: their easy handles must leave the multi first. */
void http_multi_free(hub *h)
{
    curlmulti *cm = hub_http_multi(h);
    if (!cm)
        return;
    curlmulti_free(cm);
    hub_set_http_multi(h, NULL);
}

/* ---- one source ------------------------------------------------------------ */

static void wipe(char *p)
{
    if (p)
        explicit_bzero(p, strlen(p));
}

static void drop_easy(http_src *x)
{
    if (!x->easy)
        return;
    curlmulti_remove(x->cm, x->easy);
    curl_easy_cleanup(x->easy);
    x->easy = NULL;
    /* The header list holds a copy of the token. */
    for (struct curl_slist *l = x->hdrs; l; l = l->next)
        wipe(l->data);
    curl_slist_free_all(x->hdrs);
    x->hdrs = NULL;
}

static void http_free(void *impl)
{
    http_src *x = impl;
    if (!x)
        return;
    drop_easy(x);
    if (x->retry_timer)
        loop_timer_cancel(x->lp, x->retry_timer);
    if (x->watchdog_timer)
        loop_timer_cancel(x->lp, x->watchdog_timer);
    sse_free(x->sse);
    wipe(x->token);
    free(x->token);
    free(x->url);
    free(x->unix_path);
    free(x->ca_file);
    free(x);
}

static const source_ops http_ops = {http_free};

static void set_error(http_src *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_error(http_src *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    hub_set_error_v(x->s, fmt, ap);
    va_end(ap);
}

static void fail_final(http_src *x)
{
    drop_easy(x);
    if (x->watchdog_timer)
        loop_timer_cancel(x->lp, x->watchdog_timer);
    x->watchdog_timer = 0;
    x->s->st.state = SRC_ST_FAILED;
    x->s->st.retry_at_us = 0;
    hub_log(x->s, "%s (not retrying)", x->s->st.last_error);
}

static void schedule_retry(http_src *x)
{
    drop_easy(x);
    if (x->watchdog_timer)
        loop_timer_cancel(x->lp, x->watchdog_timer);
    x->watchdog_timer = 0;
    int64_t base = sse_retry_ms(x->sse);
    if (base < 0)
        base = BACKOFF_BASE_MS;
    int64_t d = base;
    for (int i = 0; i < x->failures && d < BACKOFF_CAP_MS; i++)
        d *= 2;
    if (d > BACKOFF_CAP_MS)
        d = BACKOFF_CAP_MS;
    /* "Equal jitter": at least half the delay, so clients that failed together
     * do not come back together, yet the backoff still grows. */
    if (d > 1)
        d = d / 2 + (int64_t)(random() % (d / 2 + 1));
    x->failures++;
    x->s->st.state = SRC_ST_RETRYING;
    x->s->st.retry_at_us = time_mono_us() + d * 1000;
    if (x->retry_timer)
        loop_timer_cancel(x->lp, x->retry_timer);
    x->retry_timer = loop_timer_add(x->lp, d, connect_now, x);
}

static void on_watchdog(void *ud)
{
    http_src *x = ud;
    x->watchdog_timer = 0;
    int hb = hub_heartbeat_timeout_ms(x->s->h);
    int64_t idle_ms = (time_mono_us() - x->last_rx_us) / 1000;
    if (idle_ms < hb) {
        x->watchdog_timer = loop_timer_add(x->lp, hb - idle_ms, on_watchdog, x);
        return;
    }
    set_error(x, "no data for %.1f s (heartbeat timeout): reconnecting", (double)idle_ms / 1000.0);
    hub_log(x->s, "%s", x->s->st.last_error);
    schedule_retry(x);
}

/* A message over the cap: named by its own id (or said to have none, or an
 * unknown one), never by the next message's. */
static void on_oversize(void *ud, const sse_oversize *o)
{
    http_src *x = ud;
    char what[2 * EVENT_ID_MAX + 96];
    if (o->id && o->id[0])
        snprintf(what, sizeof what, "message id '%.*s'", EVENT_ID_MAX, o->id);
    else if (o->id_lost)
        snprintf(what, sizeof what, "message of unknown id (its id line is over the limit too; after id '%.*s')",
                 EVENT_ID_MAX, o->prev_id);
    else
        snprintf(what, sizeof what, "message without an id (after id '%.*s')", EVENT_ID_MAX,
                 o->prev_id);
    hub_reject(x->s, what, "message over the 64 KiB limit");
    if (o->last_id[0])
        hub_set_cursor(x->s, o->last_id);
}

static void on_message(void *ud, const sse_message *m)
{
    http_src *x = ud;
    char what[EVENT_ID_MAX + 32];
    snprintf(what, sizeof what, "message id '%.*s'", EVENT_ID_MAX, m->last_id);
    /* Only a good event proves the server well: a good header followed by a
     * garbage body must keep backing off, not reconnect at full speed. */
    if (hub_deliver(x->s, m->data, m->data_len, what))
        x->failures = 0;
    if (m->last_id[0])
        hub_set_cursor(x->s, m->last_id);
}

static size_t on_header(char *p, size_t sz, size_t nm, void *ud)
{
    http_src *x = ud;
    size_t n = sz * nm;
    if (!(n <= 2 && (p[0] == '\r' || p[0] == '\n')))
        return n;
    /* End of a header block: decide on the status before any body byte. */
    long code = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 100 && code < 200)
        return n;
    x->http_code = code;
    if (code != 200)
        return 0; /* the done handler reads http_code */
    char *ct = NULL;
    curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
    if (!ct || strncasecmp(ct, "text/event-stream", 17) != 0) {
        set_error(x, "the server answered with Content-Type '%s', not text/event-stream",
                  ct ? ct : "(none)");
        x->final = true;
        return 0;
    }
    x->headers_done = true;
    x->s->st.state = SRC_ST_CONNECTED;
    hub_clear_error(x->s);
    x->last_rx_us = time_mono_us();
    return n;
}

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    http_src *x = ud;
    size_t n = sz * nm;
    if (!x->headers_done)
        return 0;
    x->last_rx_us = time_mono_us();
    sse_push(x->sse, p, n);
    return n;
}

static bool tls_failure(CURLcode r)
{
    return r == CURLE_PEER_FAILED_VERIFICATION || r == CURLE_SSL_CACERT_BADFILE ||
           r == CURLE_SSL_CERTPROBLEM || r == CURLE_SSL_ISSUER_ERROR ||
           r == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

static void on_done(http_src *x, CURLcode r)
{
    long code = x->http_code;
    if (!code)
        curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
    const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(r);
    if (x->final) {
        fail_final(x);
    } else if (tls_failure(r)) {
        set_error(x, "TLS verification failed: %s", detail);
        fail_final(x);
    } else if (code == 204) {
        set_error(x, "HTTP %ld No Content: the server asks not to reconnect", code);
        fail_final(x);
    } else if (code >= 400 && code < 500) {
        set_error(x, "HTTP %ld from the server", code);
        if (code == 401 || code == 403)
            set_error(x, "HTTP %ld: the token was refused", code);
        fail_final(x);
    } else if (code >= 300 && code < 400) {
        set_error(x, "HTTP %ld: redirects are not followed", code);
        fail_final(x);
    } else if (code >= 500) {
        set_error(x, "HTTP %ld from the server: retrying", code);
        schedule_retry(x);
    } else if (r == CURLE_OK || (r == CURLE_PARTIAL_FILE && x->headers_done)) {
        set_error(x, "stream ended: reconnecting");
        schedule_retry(x);
    } else if (x->unix_path && r == CURLE_COULDNT_CONNECT) {
        /* curl words it as "localhost port 80", which misleads for a socket */
        set_error(x, "cannot connect to the Unix socket %s", x->unix_path);
        schedule_retry(x);
    } else {
        /* A broken body (bad chunked encoding, a reset mid-stream) is worth a
         * line in the log, not only the status line that the next attempt
         * overwrites. */
        set_error(x, "%s", detail);
        hub_log(x->s, "%s: reconnecting", x->s->st.last_error);
        schedule_retry(x);
    }
}

/* The multi is the hub's: PRIVATE says which source a transfer is for, and
 * only its current one counts (an older one was already dropped). */
static void on_transfer_done(void *ud, CURL *easy, CURLcode r)
{
    (void)ud;
    http_src *x = NULL;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
    if (x && x->easy == easy)
        on_done(x, r);
}

static void connect_now(void *ud)
{
    http_src *x = ud;
    x->retry_timer = 0;
    drop_easy(x);
    /* The cursor must be in the store before we ask to resume from it. */
    hub_flush(x->s->h);
    char last[EVENT_ID_MAX * 2 + 1] = "";
    if (store_cursor_get(hub_store(x->s->h), x->s->key, last, sizeof last) != 0)
        last[0] = '\0';
    sse_set_last_event_id(x->sse, last);
    sse_reset(x->sse);

    CURL *e = curl_easy_init();
    if (!e) {
        set_error(x, "cannot create a curl handle");
        schedule_retry(x);
        return;
    }
    x->easy = e;
    x->headers_done = false;
    x->http_code = 0;
    x->errbuf[0] = '\0';
    struct curl_slist *h = NULL, *t;
    char line[TOKEN_MAX + 64];
#define ADD(str)                                                                                   \
    do {                                                                                           \
        t = curl_slist_append(h, str);                                                             \
        if (t)                                                                                     \
            h = t;                                                                                 \
    } while (0)
    ADD("Accept: text/event-stream");
    ADD("Cache-Control: no-cache");
    if (last[0]) {
        snprintf(line, sizeof line, "Last-Event-ID: %s", last);
        ADD(line);
    }
    if (x->token) {
        snprintf(line, sizeof line, "Authorization: Bearer %s", x->token);
        ADD(line);
        explicit_bzero(line, sizeof line);
    }
#undef ADD
    x->hdrs = h;
    curl_easy_setopt(e, CURLOPT_URL, x->url);
    if (x->unix_path)
        curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, x->unix_path);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
    if (x->ca_file)
        curl_easy_setopt(e, CURLOPT_CAINFO, x->ca_file);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(e, CURLOPT_PRIVATE, x);
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 64L * 1024);
    x->s->st.state = SRC_ST_CONNECTING;
    x->last_rx_us = time_mono_us();
    if (curlmulti_add(x->cm, e) != CURLM_OK) {
        set_error(x, "cannot start the transfer");
        schedule_retry(x);
        return;
    }
    x->watchdog_timer =
        loop_timer_add(x->lp, hub_heartbeat_timeout_ms(x->s->h), on_watchdog, x);
}

static char *build_url(const char *base, const char *location)
{
    if (!location || !*location)
        return strdup(base);
    char *esc = curl_easy_escape(NULL, location, 0);
    if (!esc)
        return NULL;
    size_t n = strlen(base) + strlen(esc) + 16;
    char *u = malloc(n);
    if (u)
        snprintf(u, n, "%s%slocation=%s", base, strchr(base, '?') ? "&" : "?", esc);
    curl_free(esc);
    return u;
}

int http_source_start(hub_source *s, const source_conf *sc, char *err, size_t errlen)
{
    curlmulti *cm = get_multi(s->h);
    if (!cm) {
        snprintf(err, errlen, _("cannot initialise libcurl"));
        return -1;
    }
    const char *t = sc->target;
    bool is_url = strstr(t, "://") != NULL;
    bool https = is_url && strncasecmp(t, "https://", 8) == 0;
    if (is_url && !https && strncasecmp(t, "http://", 7) != 0) {
        snprintf(err, errlen, _("%s: only http://, https:// or a Unix socket path"), t);
        return -1;
    }
    if (sc->kind == SRC_CLOUD && !https) {
        snprintf(err, errlen, _("cloud feed %s: must be https:// (TLS is always verified)"), t);
        return -1;
    }
    if (sc->token_file && is_url && !https) {
        snprintf(err, errlen, _("%s: refusing to send the token over plain http"), t);
        return -1;
    }
    if (sc->ca_file && access(sc->ca_file, R_OK) != 0) {
        snprintf(err, errlen, _("CA file %s: %s"), sc->ca_file, strerror(errno));
        return -1;
    }
    http_src *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    x->s = s;
    x->cm = cm;
    x->lp = hub_loop(s->h);
    if (sc->token_file && feed_read_token(sc->token_file, &x->token, err, errlen) != 0) {
        free(x);
        return -1;
    }
    x->sse = sse_new(on_message, x, 0);
    if (x->sse)
        sse_on_oversize(x->sse, on_oversize);
    x->url = build_url(is_url ? t : "http://localhost/events", sc->location_filter);
    x->unix_path = is_url ? NULL : strdup(t);
    x->ca_file = sc->ca_file ? strdup(sc->ca_file) : NULL;
    s->impl = x;
    s->ops = &http_ops;
    if (!x->sse || !x->url || (!is_url && !x->unix_path) || (sc->ca_file && !x->ca_file)) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    /* Connect from the loop, once the caller has added every source. */
    s->st.state = SRC_ST_CONNECTING;
    x->retry_timer = loop_timer_add(x->lp, 0, connect_now, x);
    return 0;
}
