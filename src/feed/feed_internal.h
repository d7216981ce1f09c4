/* Between the hub (hub.c) and its sources (http.c, tail.c, demo_live.c).
 * A source hands the hub raw event lines; the hub parses, batches, dedupes
 * and commits them with the source's resume position in one transaction. */
#ifndef CXM_FEED_INTERNAL_H
#define CXM_FEED_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/feed.h"

typedef struct hub_source hub_source;

typedef struct {
    void (*free)(void *impl);
} source_ops;

struct hub_source {
    hub *h;
    source_status st;
    char *key;          /* cursor key in the store: "<kind> <target>[?location=..]" */
    void *impl;
    const source_ops *ops;

    /* Resume positions waiting for the next commit. */
    bool cursor_dirty;
    char cursor[EVENT_ID_MAX * 2 + 1];
    bool tail_dirty;
    char *tail_path;
    uint64_t tail_dev, tail_ino;
    int64_t tail_off;
};

loop *hub_loop(hub *h);
store *hub_store(hub *h);
const cxm_config *hub_config(hub *h);
int hub_heartbeat_timeout_ms(hub *h);

/* One event line (JSON) from a source. `what` names it in a rejection message
 * ("message id X", "line at offset N"). True when it was a valid event (a
 * heartbeat included). */
bool hub_deliver(hub_source *s, const char *json, size_t len, const char *what);
/* Counts and logs a rejection that happened before parsing (e.g. an SSE
 * message over the size cap). */
void hub_reject(hub_source *s, const char *what, const char *why);
/* The position after the last delivered line/message; committed with it. */
void hub_set_cursor(hub_source *s, const char *last_id);
void hub_set_tail(hub_source *s, const char *path, uint64_t dev, uint64_t ino, int64_t off);
/* Commits what is pending now (a source about to reconnect wants its cursor
 * in the store first). */
int hub_flush(hub *h);
void hub_log(hub_source *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sources. Each returns 0 or -1 with err set (the source is then FAILED). */
int http_source_start(hub_source *s, const source_conf *sc, char *err, size_t errlen);
int tail_source_start(hub_source *s, const char *path, char *err, size_t errlen);
int demo_source_start(hub_source *s, uint64_t seed, char *err, size_t errlen);

/* The libcurl multi handle shared by a hub's HTTP sources (http.c). */
void http_multi_free(hub *h);
void *hub_http_multi(hub *h);
void hub_set_http_multi(hub *h, void *m);

/* Reads a secret token from a file only its owner can read (mode 0600 or
 * stricter); trailing whitespace dropped. *out is malloc'd (wipe, then free). */
int feed_read_token(const char *path, char **out, char *err, size_t errlen);

#endif
