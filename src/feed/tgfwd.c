/* The Telegram forwarder: posts each new alert once (the store's claim decides
 * which process posts it), one request at a time per chat, on the libcurl
 * multi interface in the one loop (never blocking it). 429 waits retry_after;
 * 5xx and network errors retry with capped exponential backoff and jitter; a
 * 400 with migrate_to_chat_id follows the migration; 401, 403, 404 and other
 * 400s stop forwarding (said once): retrying cannot fix them. The bot token
 * lives in the URL, so the URL is never logged.
 *
 * With [telegram] send_clip the alert's clip follows its message (sendVoice,
 * multipart, src/feed/tgclip.c). The claim is held until both are posted;
 * the store remembers that the message went, so a retry or another process
 * taking over sends only the clip: each is posted once. A clip that cannot
 * be made (no recordings) or that Telegram refuses (400) is logged and
 * skipped: the message stands, and nothing else waits for it. */
#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cxm/i18n.h"
#include "cxm/alert_forward.h"
#include "cxm/alerts.h"
#include "cxm/timefmt.h"
#include "feed/curlmulti.h"
#include "feed/feed_internal.h"

#define POLL_MS 1000          /* look for alerts other processes raised */
#define CLAIM_S 60            /* a claim outlives a process that died by this much */
#define REQ_TIMEOUT_MS 30000
#define BACKOFF_BASE_MS 1000
#define BACKOFF_CAP_MS 60000
#define BODY_MAX 65536
#define DEFAULT_API "https://api.telegram.org"

typedef enum { F_IDLE, F_SENDING, F_WAITING, F_STOPPED } fstate;

struct tgfwd {
    loop *lp;
    store *st;
    const cxm_config *cfg;
    curlmulti *cm;
    CURL *easy;
    struct curl_slist *hdrs;
    curl_mime *mime;
    int tick_timer, retry_timer;
    char *token, *api;
    int64_t chat_id;
    char owner[96];
    fstate state;
    int64_t alert_id;      /* the claimed alert, 0 = none */
    bool msg_done;         /* its message is posted: the clip is what is due */
    bool clip_req;         /* the request in flight is the clip's */
    tgclip *clip;          /* being made or made, for alert_id */
    int failures;
    int64_t retry_at_us;
    char *payload;
    char body[BODY_MAX + 1];
    size_t body_len;
    char errbuf[CURL_ERROR_SIZE];
    char stopped_why[320];
    uint64_t sent;
    tgfwd_log_cb log;
    void *log_ud;
};

static void tick(void *ud);
static void send_claimed(tgfwd *f);

static void logf_(tgfwd *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(tgfwd *f, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (f->log)
        f->log(f->log_ud, msg);
}

/* ---- one transfer at a time ----------------------------------------------- */

static size_t on_body(char *p, size_t sz, size_t nm, void *ud)
{
    tgfwd *f = ud;
    size_t n = sz * nm, room = BODY_MAX - f->body_len;
    memcpy(f->body + f->body_len, p, n < room ? n : room);
    f->body_len += n < room ? n : room;
    f->body[f->body_len] = 0;
    return n;
}

static void drop_easy(tgfwd *f)
{
    if (f->easy) {
        curlmulti_remove(f->cm, f->easy);
        curl_easy_cleanup(f->easy);
        f->easy = NULL;
    }
    curl_slist_free_all(f->hdrs);
    f->hdrs = NULL;
    curl_mime_free(f->mime);
    f->mime = NULL;
    free(f->payload);
    f->payload = NULL;
}

/* ---- scheduling ------------------------------------------------------------ */

static void schedule_tick(tgfwd *f, int64_t ms)
{
    if (f->tick_timer)
        loop_timer_cancel(f->lp, f->tick_timer);
    f->tick_timer = loop_timer_add(f->lp, ms, tick, f);
}

static void stop(tgfwd *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void stop(tgfwd *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->stopped_why, sizeof f->stopped_why, fmt, ap);
    va_end(ap);
    f->state = F_STOPPED;
    if (f->alert_id)
        alerts_tg_release(f->st, f->alert_id, f->owner);
    f->alert_id = 0;
    tgclip_free(f->clip);
    f->clip = NULL;
    if (f->tick_timer)
        loop_timer_cancel(f->lp, f->tick_timer);
    f->tick_timer = 0;
    logf_(f, "telegram: %s; forwarding stopped (not retrying)", f->stopped_why);
}

static void on_retry(void *ud)
{
    tgfwd *f = ud;
    f->retry_timer = 0;
    f->state = F_IDLE;
    if (f->alert_id) { /* still ours: the same alert again */
        alerts_tg_extend(f->st, f->alert_id, f->owner, time_now_us() + CLAIM_S * 1000000LL);
        send_claimed(f);
        return;
    }
    tick(f);
}

static void wait_retry(tgfwd *f, int64_t ms)
{
    f->state = F_WAITING;
    f->retry_at_us = time_mono_us() + ms * 1000;
    /* keep the claim while waiting, so nobody else posts it meanwhile */
    alerts_tg_extend(f->st, f->alert_id, f->owner, time_now_us() + (ms / 1000 + CLAIM_S) * 1000000LL);
    f->retry_timer = loop_timer_add(f->lp, ms, on_retry, f);
}

static void backoff(tgfwd *f)
{
    int64_t d = BACKOFF_BASE_MS;
    for (int i = 0; i < f->failures && d < BACKOFF_CAP_MS; i++)
        d *= 2;
    if (d > BACKOFF_CAP_MS)
        d = BACKOFF_CAP_MS;
    d = d / 2 + (int64_t)(random() % (d / 2 + 1)); /* equal jitter */
    f->failures++;
    wait_retry(f, d);
}

/* ---- one request ----------------------------------------------------------- */

static char *json_payload(int64_t chat, const char *text)
{
    size_t n = strlen(text), cap = n * 6 + 128, o = 0;
    char *p = malloc(cap);
    if (!p)
        return NULL;
    o += (size_t)snprintf(p, cap, "{\"chat_id\":%lld,\"parse_mode\":\"HTML\","
                                  "\"disable_web_page_preview\":true,\"text\":\"",
                          (long long)chat);
    for (const unsigned char *s = (const unsigned char *)text; *s; s++) {
        if (*s == '"' || *s == '\\') {
            p[o++] = '\\';
            p[o++] = (char)*s;
        } else if (*s == '\n') {
            p[o++] = '\\';
            p[o++] = 'n';
        } else if (*s < 0x20) {
            o += (size_t)snprintf(p + o, cap - o, "\\u%04x", *s);
        } else {
            p[o++] = (char)*s;
        }
    }
    snprintf(p + o, cap - o, "\"}");
    return p;
}

static void clip_stage(tgfwd *f);

/* The alert is posted (its message, and its clip when one was due). */
static void finish_alert(tgfwd *f)
{
    tgclip_free(f->clip); /* its files go first: once marked, it is done */
    f->clip = NULL;
    alerts_tg_sent(f->st, f->alert_id, f->owner);
    f->sent++;
    f->alert_id = 0;
    f->msg_done = false;
    f->failures = 0;
    f->state = F_IDLE;
    schedule_tick(f, 0);
}

static void start_easy(tgfwd *f, const char *method)
{
    char url[8300];
    snprintf(url, sizeof url, "%s/bot%s/%s", f->api, f->token, method);
    f->body_len = 0;
    f->body[0] = 0;
    f->errbuf[0] = 0;
    curl_easy_setopt(f->easy, CURLOPT_URL, url);
    explicit_bzero(url, sizeof url);
    curl_easy_setopt(f->easy, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(f->easy, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(f->easy, CURLOPT_ERRORBUFFER, f->errbuf);
    curl_easy_setopt(f->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(f->easy, CURLOPT_TIMEOUT_MS, (long)REQ_TIMEOUT_MS);
    curl_easy_setopt(f->easy, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(f->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(f->easy, CURLOPT_PRIVATE, f);
    if (curlmulti_add(f->cm, f->easy) != CURLM_OK) {
        drop_easy(f);
        backoff(f);
        return;
    }
    f->state = F_SENDING;
}

/* The clip as multipart/form-data: chat_id, the file, its caption. */
static void upload_clip(tgfwd *f)
{
    tgclip_file cf;
    char err[512];
    if (tgclip_result(f->clip, &cf, err, sizeof err) != 0) {
        logf_(f, "telegram: alert %lld: no clip (%s); the message stands", (long long)f->alert_id,
              err);
        finish_alert(f);
        return;
    }
    char chat[32], secs[16];
    snprintf(chat, sizeof chat, "%lld", (long long)f->chat_id);
    snprintf(secs, sizeof secs, "%d", cf.seconds);
    f->easy = curl_easy_init();
    f->mime = f->easy ? curl_mime_init(f->easy) : NULL;
    curl_mimepart *p;
    bool ok = f->mime && (p = curl_mime_addpart(f->mime)) && !curl_mime_name(p, "chat_id") &&
              !curl_mime_data(p, chat, CURL_ZERO_TERMINATED) &&
              (p = curl_mime_addpart(f->mime)) && !curl_mime_name(p, "caption") &&
              !curl_mime_data(p, cf.caption, CURL_ZERO_TERMINATED) &&
              (p = curl_mime_addpart(f->mime)) && !curl_mime_name(p, "parse_mode") &&
              !curl_mime_data(p, "HTML", CURL_ZERO_TERMINATED) &&
              (p = curl_mime_addpart(f->mime)) && !curl_mime_name(p, "duration") &&
              !curl_mime_data(p, secs, CURL_ZERO_TERMINATED) &&
              (p = curl_mime_addpart(f->mime)) && !curl_mime_name(p, cf.field) &&
              !curl_mime_filedata(p, cf.path) && !curl_mime_filename(p, cf.filename) &&
              !curl_mime_type(p, cf.mime);
    if (!ok) {
        drop_easy(f);
        backoff(f);
        return;
    }
    curl_easy_setopt(f->easy, CURLOPT_MIMEPOST, f->mime);
    f->clip_req = true;
    start_easy(f, cf.method);
}

static void on_clip_ready(void *ud)
{
    tgfwd *f = ud;
    if (f->state == F_STOPPED || !f->clip)
        return;
    upload_clip(f);
}

/* After the message: the clip, made once (a retry uploads the same file). */
static void clip_stage(tgfwd *f)
{
    if (f->clip) {
        upload_clip(f);
        return;
    }
    char why[512];
    if (!(f->clip = tgclip_plan(f->st, f->cfg, f->alert_id, why, sizeof why))) {
        logf_(f, "telegram: alert %lld: no clip (%s); the message stands", (long long)f->alert_id,
              why);
        finish_alert(f);
        return;
    }
    /* Cutting and encoding may take a while: the claim must outlive it. */
    alerts_tg_extend(f->st, f->alert_id, f->owner, time_now_us() + CLAIM_S * 1000000LL);
    if (tgclip_start(f->clip, f->lp, on_clip_ready, f, why, sizeof why) != 0) {
        logf_(f, "telegram: alert %lld: no clip (%s); the message stands", (long long)f->alert_id,
              why);
        finish_alert(f);
        return;
    }
    f->state = F_SENDING;
}

static void send_claimed(tgfwd *f)
{
    if (f->msg_done) { /* never the message twice, even if send_clip was turned off since */
        if (f->cfg->telegram.send_clip)
            clip_stage(f);
        else
            finish_alert(f);
        return;
    }
    char text[4200];
    int rc = alerts_tg_message(f->st, f->cfg, f->alert_id, text, sizeof text);
    if (rc == ALERTS_NOT_FOUND) { /* a replay removed it meanwhile */
        f->alert_id = 0;
        f->state = F_IDLE;
        schedule_tick(f, 0);
        return;
    }
    if (rc < 0) {
        backoff(f);
        return;
    }
    f->payload = json_payload(f->chat_id, text);
    f->easy = curl_easy_init();
    if (!f->payload || !f->easy) {
        drop_easy(f);
        backoff(f);
        return;
    }
    f->hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(f->easy, CURLOPT_HTTPHEADER, f->hdrs);
    curl_easy_setopt(f->easy, CURLOPT_POSTFIELDS, f->payload);
    f->clip_req = false;
    start_easy(f, "sendMessage");
}

static void on_done(tgfwd *f, CURLcode r)
{
    long code = 0;
    curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &code);
    tg_reply rep;
    tg_reply_parse(f->body, f->body_len, &rep);
    char neterr[CURL_ERROR_SIZE + 32];
    snprintf(neterr, sizeof neterr, "%s", f->errbuf[0] ? f->errbuf : curl_easy_strerror(r));
    drop_easy(f);
    if (r != CURLE_OK) {
        logf_(f, "telegram: %s; retrying", neterr);
        backoff(f);
        return;
    }
    if (code == 200 && rep.ok == 1) {
        if (f->clip_req || !f->cfg->telegram.send_clip) {
            finish_alert(f);
            return;
        }
        alerts_tg_posted(f->st, f->alert_id, f->owner);
        f->msg_done = true;
        f->failures = 0;
        clip_stage(f);
        return;
    }
    if (code == 429) {
        int64_t s = rep.retry_after > 0 ? rep.retry_after : 5;
        if (s > 3600)
            s = 3600;
        logf_(f, "telegram: too many requests; waiting %lld s as asked", (long long)s);
        wait_retry(f, s * 1000);
        return;
    }
    if (code == 400 && rep.migrate_to_chat_id) {
        logf_(f, "telegram: the chat moved to %lld; following it (set chat_id = %lld in the config)",
              (long long)rep.migrate_to_chat_id, (long long)rep.migrate_to_chat_id);
        f->chat_id = rep.migrate_to_chat_id;
        wait_retry(f, 0);
        return;
    }
    if (code >= 500 || code == 0) {
        logf_(f, "telegram: HTTP %ld; retrying", code);
        backoff(f);
        return;
    }
    if (f->clip_req && code == 400) { /* this file, not the bot or the chat */
        logf_(f, "telegram: alert %lld: the clip was refused (HTTP 400%s%s); the message stands",
              (long long)f->alert_id, rep.description[0] ? ": " : "", rep.description);
        finish_alert(f);
        return;
    }
    stop(f, "HTTP %ld%s%s", code, rep.description[0] ? ": " : "", rep.description);
}

static void on_transfer_done(void *ud, CURL *easy, CURLcode r)
{
    tgfwd *f = ud;
    if (easy == f->easy)
        on_done(f, r);
}

static void tick(void *ud)
{
    tgfwd *f = ud;
    f->tick_timer = 0;
    if (f->state == F_STOPPED)
        return;
    if (f->state == F_IDLE) {
        int64_t id = 0;
        int got = alerts_tg_claim(f->st, f->cfg->telegram.max_age_s, CLAIM_S, f->owner, &id);
        if (got > 0) {
            f->alert_id = id;
            /* a process that died after the message leaves only the clip */
            f->msg_done = alerts_tg_message_posted(f->st, id) == 1;
            send_claimed(f);
        }
    }
    if (!f->tick_timer && f->state != F_STOPPED)
        f->tick_timer = loop_timer_add(f->lp, POLL_MS, tick, f);
}

/* ---- public ---------------------------------------------------------------- */

tgfwd *tgfwd_new(loop *lp, store *st, const cxm_config *cfg, char *err, size_t errlen)
{
    err[0] = 0;
    const telegram_conf *t = &cfg->telegram;
    if (!t->token_file && !t->chat_id_set)
        return NULL;
    if (!t->token_file || !t->chat_id_set) {
        snprintf(err, errlen, _("[telegram]: %s missing"), t->token_file ? "chat_id" : "token_file");
        return NULL;
    }
    if (!curlmulti_global_init()) {
        snprintf(err, errlen, _("telegram: libcurl failed to start"));
        return NULL;
    }
    tgfwd *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, _("out of memory"));
        return NULL;
    }
    if (feed_read_token(t->token_file, &f->token, err, errlen) != 0) {
        free(f);
        return NULL;
    }
    const char *api = t->api_base ? t->api_base : DEFAULT_API;
    size_t al = strlen(api);
    while (al > 0 && api[al - 1] == '/')
        al--;
    f->api = strndup(api, al);
    f->cm = curlmulti_new(lp, on_transfer_done, f);
    if (!f->api || !f->cm) {
        snprintf(err, errlen, _("out of memory"));
        tgfwd_free(f);
        return NULL;
    }
    f->lp = lp;
    f->st = st;
    f->cfg = cfg;
    f->chat_id = t->chat_id;
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    snprintf(f->owner, sizeof f->owner, "%s:%ld:%p", host, (long)getpid(), (void *)f);
    f->tick_timer = loop_timer_add(lp, 0, tick, f);
    return f;
}

void tgfwd_set_log(tgfwd *f, tgfwd_log_cb cb, void *ud)
{
    if (!f)
        return;
    f->log = cb;
    f->log_ud = ud;
}

void tgfwd_kick(tgfwd *f)
{
    if (f && f->state == F_IDLE)
        schedule_tick(f, 0);
}

/* tr is the identity for the machine-readable status line (ingest prints it;
 * scripts grep it) and _() for the status bar. */
static void state_text(const tgfwd *f, char *out, size_t cap,
                       const char *(*tr)(const char *) __attribute__((format_arg(1))))
{
    if (!f) {
        snprintf(out, cap, "%s", tr("off"));
        return;
    }
    switch (f->state) {
    case F_IDLE: snprintf(out, cap, "%s", tr("idle")); break;
    case F_SENDING: snprintf(out, cap, "%s", tr("sending")); break;
    case F_WAITING: {
        int64_t s = (f->retry_at_us - time_mono_us() + 999999) / 1000000;
        snprintf(out, cap, tr("retrying in %lld s"), (long long)(s > 0 ? s : 0));
        break;
    }
    case F_STOPPED: snprintf(out, cap, "%s: %s", tr("stopped"), f->stopped_why); break;
    }
}

__attribute__((format_arg(1))) static const char *same(const char *s)
{
    return s;
}

__attribute__((format_arg(1))) static const char *local(const char *s)
{
    return i18n_tr(s);
}

void tgfwd_state(const tgfwd *f, char *out, size_t cap)
{
    state_text(f, out, cap, same);
}

void tgfwd_state_text(const tgfwd *f, char *out, size_t cap)
{
    state_text(f, out, cap, local);
}

uint64_t tgfwd_sent(const tgfwd *f)
{
    return f ? f->sent : 0;
}

void tgfwd_free(tgfwd *f)
{
    if (!f)
        return;
    if (f->alert_id && f->state != F_STOPPED && f->st)
        alerts_tg_release(f->st, f->alert_id, f->owner);
    tgclip_free(f->clip);
    f->clip = NULL;
    if (f->cm) {
        /* The easy handle leaves the multi before the multi goes. */
        drop_easy(f);
        curlmulti_free(f->cm);
    }
    if (f->lp) {
        if (f->tick_timer)
            loop_timer_cancel(f->lp, f->tick_timer);
        if (f->retry_timer)
            loop_timer_cancel(f->lp, f->retry_timer);
    }
    if (f->token) {
        explicit_bzero(f->token, strlen(f->token));
        free(f->token);
    }
    free(f->api);
    free(f);
}
