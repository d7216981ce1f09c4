/* Server-Sent Events stream parser (WHATWG HTML, "Parsing an event stream").
 * Incremental: push bytes as they arrive, split anywhere; one callback per
 * dispatched message. Lines end in CR, LF or CRLF (a CRLF split across two
 * pushes is one line end); a leading UTF-8 BOM is skipped; ':' lines are
 * comments; unknown fields are ignored. Bytes are passed through unchanged
 * (the event parser validates the JSON and its UTF-8). */
#ifndef CXM_SSE_H
#define CXM_SSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SSE_MESSAGE_MAX (64 * 1024 + 1024) /* an event line (64 KiB) + field names and slack */

typedef struct {
    const char *event;    /* the event type, "message" when none was given */
    const char *data;     /* data lines joined with '\n', NUL-terminated */
    size_t data_len;
    const char *last_id;  /* the stream's last event ID after this message ("" = none) */
} sse_message;

typedef void (*sse_message_cb)(void *ud, const sse_message *m);

/* A message dropped for going over the cap, named by its own `id:` field:
 * id is that id, or NULL when the message had none (id_lost: the line that
 * went over the cap was an `id:` line, so its id cannot be known); prev_id is
 * the stream's last event ID before it, for a reader to find the place. */
typedef struct {
    const char *id;
    bool id_lost;
    const char *prev_id;
    const char *last_id; /* the stream's last event ID after it (the resume point) */
} sse_oversize;

typedef void (*sse_oversize_cb)(void *ud, const sse_oversize *o);

typedef struct sse_parser sse_parser;

/* max_message: cap on one message's data and on one line (0 = SSE_MESSAGE_MAX).
 * A message over the cap is not dispatched: sse_errors() counts it and the
 * stream goes on with the next message. */
sse_parser *sse_new(sse_message_cb cb, void *ud, size_t max_message);
/* Called (with sse_new's ud) for every message over the cap, at the point
 * where it would have been dispatched, before any later message. */
void sse_on_oversize(sse_parser *p, sse_oversize_cb cb);
void sse_free(sse_parser *p);

/* Feeds the next bytes of the stream. */
void sse_push(sse_parser *p, const char *buf, size_t len);

/* A new connection: discards a half-received message and line, expects a BOM
 * again. The last event ID and the retry time persist, as the spec requires. */
void sse_reset(sse_parser *p);

/* Last event ID: set from a dispatched message's stream (an `id:` without NUL),
 * or seeded from the store before the first connection. */
const char *sse_last_event_id(const sse_parser *p);
void sse_set_last_event_id(sse_parser *p, const char *id);

/* Reconnection time from the last valid `retry:` field, -1 when none was seen. */
int64_t sse_retry_ms(const sse_parser *p);

/* Messages dropped for exceeding the cap. */
uint64_t sse_errors(const sse_parser *p);
/* Comment lines seen (servers send ": ping" as a heartbeat). */
uint64_t sse_comments(const sse_parser *p);

#endif
