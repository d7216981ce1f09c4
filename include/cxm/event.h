/* The one event schema both feeds speak (DESIGN §3): parse, validate, classify. */
#ifndef CXM_EVENT_H
#define CXM_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVENT_ID_MAX 128             /* bytes, [A-Za-z0-9._:-] */
#define EVENT_LINE_MAX (64 * 1024)   /* a longer line is rejected */

typedef enum {
    EV_ARRIVAL,
    EV_RATING,
    EV_SILENT,
    EV_RED_BUTTON,
    EV_FORCE_MAJEURE,
    EV_EMOTION,
    EV_CLIP,
    EV_SERVED,
    EV_HEARTBEAT,
    EV_TYPE_COUNT
} event_type;

/* EMO_UNKNOWN = no label and nothing to classify from. */
typedef enum { EMO_UNKNOWN, EMO_POSITIVE, EMO_NEGATIVE, EMO_MIXED, EMO_POKER, EMO_COUNT } emo_label;

typedef enum { POL_NONE, POL_POSITIVE, POL_NEUTRAL, POL_NEGATIVE } rating_polarity;

typedef struct {
    bool present;        /* the block was in the event */
    bool classified;     /* label computed from shares/bursts, not given */
    emo_label label;
    double positive, negative, neutral; /* shares 0..1; < 0 when absent */
    int bursts;                          /* < 0 when absent */
} event_emotion;

struct cxm_rules;

/* Every char * is NUL-terminated, NULL when absent, and owned by the event
 * (released by event_clear). Text is stored exactly as received: only the
 * text module may turn it into something a terminal sees. */
typedef struct {
    char id[EVENT_ID_MAX + 1];
    int64_t ts_us;      /* UTC microseconds since the epoch */
    int tz_offset_s;    /* the offset the source wrote, seconds east of UTC */
    event_type type;
    char *location_id;
    char *location_name;
    char *desk;
    char *employee_id;
    char *employee_name;
    char *visit;
    char *rating;       /* the value as sent ("super", "so_so", "bad", "7", ...) */
    rating_polarity polarity; /* from the configured scale; POL_NONE unless type == EV_RATING */
    char *camera;
    char *ref;          /* EV_CLIP: the event the clip belongs to */
    char *clip_kind;
    char *clip_url;
    int64_t count;      /* EV_SERVED */
    int64_t period_s;   /* EV_SERVED, 0 when absent */
    event_emotion emo_employee;
    event_emotion emo_customer;
    /* Set by event_parse/event_copy: one block holding every string above, so
     * an event costs one allocation. A string set by hand (strdup) outside
     * this block is freed on its own by event_clear. Start from a zeroed
     * event; never set these two yourself. */
    char *arena;
    size_t arena_len;
} event;

enum { EVENT_OK = 0, EVENT_BLANK = 1, EVENT_REJECTED = -1 };

/* Parses one JSON line. Returns EVENT_OK (out filled; caller event_clear()s it),
 * EVENT_BLANK (whitespace only; nothing to do) or EVENT_REJECTED with `why` set
 * to "<field>: <reason>", e.g. "ts: not RFC 3339 with an offset" (a quoted
 * input value in it is already sanitized and cut to 32 columns; 256 bytes are
 * always enough for `why`). A trailing "\n"/"\r\n" and a leading UTF-8 BOM
 * are allowed. A rating may also be a JSON integer ("rating": 7 means "7").
 * JSON null counts as an absent field.
 * `rules` may be NULL for the defaults (scale start3, default emotion rules).
 * Thread-safe; costs about 1 us for a 300-byte event. */
int event_parse(const char *line, size_t len, const struct cxm_rules *rules, event *out,
                char *why, size_t whylen);

/* Serializes an event back to the JSON of DESIGN §3 (one line, no newline).
 * Returns a malloc'd string or NULL on allocation failure. */
char *event_to_json(const event *ev);

/* Deep copy (dst must not hold strings: it is overwritten); returns 0 or -1 on
 * allocation failure (dst is then cleared). */
int event_copy(event *dst, const event *src);
void event_clear(event *ev);

const char *event_type_name(event_type t);       /* "rating", ... */
int event_type_from_name(const char *name);      /* -1 when unknown */
const char *emo_label_name(emo_label l);         /* "positive", ..., "unknown" */
int emo_label_from_name(const char *name);       /* -1 when unknown */

/* Classifies an emotion block without a label by the configured rules. */
emo_label emotion_classify(const event_emotion *e, const struct cxm_rules *rules);

#endif
