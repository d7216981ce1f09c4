/* Forwarding new alerts to a Telegram chat (issue 9, DESIGN §9), off unless
 * [telegram] token_file and chat_id are set. Every console and ingest process
 * sharing the database runs a forwarder; the store decides which one posts an
 * alert (a claim with a guarded UPDATE), so each alert is posted exactly once.
 * The forwarder lives in the one loop: libcurl multi, sequential sends,
 * backoff with jitter, Telegram's 429 retry_after, migrate_to_chat_id; 401,
 * 403, 404 and a 400 other than a migration stop it for good. */
#ifndef CXM_ALERT_FORWARD_H
#define CXM_ALERT_FORWARD_H

#include <stddef.h>
#include <stdint.h>

#include "cxm/config.h"
#include "cxm/loop.h"
#include "cxm/store.h"

/* ---- the store side (src/store/alerts_tg.c) ---- */

/* Claims the oldest alert still to forward (or whose claim expired), for
 * claim_s seconds, after marking alerts opened (event time) more than max_age_s
 * ago as not to be forwarded. 1 claimed (*id), 0 nothing to do, -1 error. */
int alerts_tg_claim(store *s, int max_age_s, int claim_s, const char *owner, int64_t *id);
/* Keeps the claim until `until_us` (wall clock) while a retry waits. */
int alerts_tg_extend(store *s, int64_t id, const char *owner, int64_t until_us);
/* Sent: never again. */
int alerts_tg_sent(store *s, int64_t id, const char *owner);
/* The message is posted and the clip is to follow ([telegram] send_clip):
 * remembered with the claim kept, so whoever holds the alert next (this
 * process after a retry, another after the claim expired) sends only the
 * clip. */
int alerts_tg_posted(store *s, int64_t id, const char *owner);
/* 1 when the message of alert `id` has been posted (the clip may be due),
 * 0 not yet, -1 error. */
int alerts_tg_message_posted(store *s, int64_t id);
/* Gives the claim back (a permanent failure: another process or a fixed
 * configuration may post it). */
int alerts_tg_release(store *s, int64_t id, const char *owner);

/* The message of alert `id` in Telegram's HTML: rule title, place, time,
 * summary, the first events; every text from feeds or the config sanitized
 * (control characters made visible) and HTML-escaped; at most 4096 bytes.
 * Returns 0, ALERTS_NOT_FOUND (-2) or -1. */
int alerts_tg_message(store *s, const cxm_config *cfg, int64_t id, char *out, size_t cap);

/* HTML-escapes sanitized text into out (always terminated); bytes written. */
size_t alerts_tg_escape(const char *s, char *out, size_t cap);

/* ---- Bot API replies (src/feed/tg_reply.c, fuzzed) ---- */
typedef struct {
    int ok;                       /* 1 "ok": true, 0 false, -1 not a reply */
    int64_t retry_after;          /* parameters.retry_after, or -1 */
    int64_t migrate_to_chat_id;   /* parameters.migrate_to_chat_id, or 0 */
    char description[256];        /* sanitized; "" when absent */
} tg_reply;
void tg_reply_parse(const char *body, size_t len, tg_reply *out);

/* ---- the clip of an alert (src/feed/tgclip.c, [telegram] send_clip) ---- */
typedef struct tgclip tgclip;
typedef struct {
    const char *path;      /* the file to upload */
    const char *method;    /* "sendVoice" (Ogg/Opus) or "sendDocument" (WAV) */
    const char *field;     /* "voice" or "document" */
    const char *filename, *mime;
    const char *caption;   /* HTML, escaped */
    int seconds;
} tgclip_file;
/* Plans the main clip of the alert's first triggering event from the
 * recordings under cfg->recordings (loop thread: reads the store and the
 * files' headers). NULL with the reason in why when there is none to send
 * (no root, no desk, the window not wholly recorded). */
tgclip *tgclip_plan(store *st, const cxm_config *cfg, int64_t alert_id, char *why, size_t cap);
/* Cuts and encodes on a thread of its own; `done` runs on the loop's thread
 * when the file is ready (or failed). 0, or -1 with err (done not called). */
int tgclip_start(tgclip *c, loop *lp, loop_notify_cb done, void *ud, char *err, size_t cap);
/* After done: 0 and the file (valid until tgclip_free), or -1 with why. */
int tgclip_result(tgclip *c, tgclip_file *out, char *err, size_t cap);
/* Waits for the worker, removes the files. NULL is fine. */
void tgclip_free(tgclip *c);

/* ---- the forwarder (src/feed/tgfwd.c) ---- */
typedef struct tgfwd tgfwd;
typedef void (*tgfwd_log_cb)(void *ud, const char *msg);

/* NULL with err "" when forwarding is off; NULL with the reason in err when
 * the [telegram] section cannot be used (token file readable by others...). */
tgfwd *tgfwd_new(loop *lp, store *st, const cxm_config *cfg, char *err, size_t errlen);
void tgfwd_set_log(tgfwd *f, tgfwd_log_cb cb, void *ud);
/* New alerts may be waiting (after a commit): look now instead of at the next poll. */
void tgfwd_kick(tgfwd *f);
/* "idle", "sending", "retrying in 4 s", "stopped: HTTP 401 ..." */
void tgfwd_state(const tgfwd *f, char *out, size_t cap);
/* The same in the UI language, for the screen. */
void tgfwd_state_text(const tgfwd *f, char *out, size_t cap);
/* Alerts posted by this process. */
uint64_t tgfwd_sent(const tgfwd *f);
void tgfwd_free(tgfwd *f);

#endif
