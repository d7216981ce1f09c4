/* SSE stream parser following the WHATWG "event stream interpretation" steps.
 * State survives between pushes, so a message, a line, a CRLF pair or the BOM
 * may be split at any byte. */
#include "cxm/sse.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *p;
    size_t len, cap;
} buf;

struct sse_parser {
    sse_message_cb cb;
    sse_oversize_cb over_cb;
    void *ud;
    size_t max;

    buf line;
    bool line_over;   /* the current line exceeded max: the rest is dropped */
    bool pending_cr;  /* the last byte was CR: a following LF belongs to it */
    int bom_seen;     /* bytes of the BOM matched so far; 3 = past the BOM check */

    buf data;
    buf event;
    buf id_buf;       /* "last event ID buffer" */
    buf last_id;      /* "last event ID string", updated at dispatch */
    bool msg_bad;     /* this message went over the cap */
    bool msg_id_set;  /* this message had a usable `id:` field */
    bool msg_id_lost; /* an `id:` line of this message went over the cap */

    int64_t retry_ms;
    uint64_t errors, comments;
};

static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};

static int buf_reserve(buf *b, size_t need)
{
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need)
        cap *= 2;
    char *n = realloc(b->p, cap);
    if (!n)
        return -1;
    b->p = n;
    b->cap = cap;
    return 0;
}

static int buf_set(buf *b, const char *s, size_t n)
{
    if (buf_reserve(b, n + 1) < 0)
        return -1;
    memcpy(b->p, s, n);
    b->len = n;
    b->p[n] = '\0';
    return 0;
}

sse_parser *sse_new(sse_message_cb cb, void *ud, size_t max_message)
{
    sse_parser *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cb = cb;
    p->ud = ud;
    p->max = max_message ? max_message : SSE_MESSAGE_MAX;
    p->retry_ms = -1;
    if (buf_set(&p->last_id, "", 0) < 0 || buf_set(&p->id_buf, "", 0) < 0 ||
        buf_set(&p->event, "", 0) < 0 || buf_set(&p->data, "", 0) < 0) {
        sse_free(p);
        return NULL;
    }
    return p;
}

void sse_on_oversize(sse_parser *p, sse_oversize_cb cb)
{
    p->over_cb = cb;
}

void sse_free(sse_parser *p)
{
    if (!p)
        return;
    free(p->line.p);
    free(p->data.p);
    free(p->event.p);
    free(p->id_buf.p);
    free(p->last_id.p);
    free(p);
}

static void reset_message(sse_parser *p)
{
    p->data.len = 0;
    p->data.p[0] = '\0';
    p->event.len = 0;
    p->event.p[0] = '\0';
    p->msg_bad = false;
    p->msg_id_set = false;
    p->msg_id_lost = false;
}

void sse_reset(sse_parser *p)
{
    reset_message(p);
    p->line.len = 0;
    p->line_over = false;
    p->pending_cr = false;
    p->bom_seen = 0;
    /* An id from a message that never completed must not leak into the resume
     * point: only dispatched ids count. */
    buf_set(&p->id_buf, p->last_id.p, p->last_id.len);
}

const char *sse_last_event_id(const sse_parser *p)
{
    return p->last_id.p;
}

void sse_set_last_event_id(sse_parser *p, const char *id)
{
    if (!id)
        id = "";
    size_t n = strlen(id);
    buf_set(&p->last_id, id, n);
    buf_set(&p->id_buf, id, n);
}

int64_t sse_retry_ms(const sse_parser *p)
{
    return p->retry_ms;
}

uint64_t sse_errors(const sse_parser *p)
{
    return p->errors;
}

uint64_t sse_comments(const sse_parser *p)
{
    return p->comments;
}

static void dispatch(sse_parser *p)
{
    if (p->msg_bad) {
        p->errors++;
        /* Name the dropped message by its own id, never by a neighbour's:
         * the previous id is still in last_id until the update below. */
        char *prev = p->over_cb ? strdup(p->last_id.p) : NULL;
        buf_set(&p->last_id, p->id_buf.p, p->id_buf.len);
        if (p->over_cb) {
            sse_oversize o = {
                .id = p->msg_id_set && !p->msg_id_lost ? p->id_buf.p : NULL,
                .id_lost = p->msg_id_lost,
                .prev_id = prev ? prev : "",
                .last_id = p->last_id.p,
            };
            p->over_cb(p->ud, &o);
        }
        free(prev);
        reset_message(p);
        return;
    }
    buf_set(&p->last_id, p->id_buf.p, p->id_buf.len);
    if (p->data.len == 0) {
        reset_message(p);
        return;
    }
    p->data.len--; /* the LF after the last data line */
    p->data.p[p->data.len] = '\0';
    sse_message m = {
        .event = p->event.len ? p->event.p : "message",
        .data = p->data.p,
        .data_len = p->data.len,
        .last_id = p->last_id.p,
    };
    if (p->cb)
        p->cb(p->ud, &m);
    reset_message(p);
}

static bool is_field(const char *f, size_t n, const char *name)
{
    return strlen(name) == n && memcmp(f, name, n) == 0;
}

static void process_line(sse_parser *p, const char *l, size_t n, bool over)
{
    if (n == 0 && !over) {
        dispatch(p);
        return;
    }
    if (l[0] == ':') {
        p->comments++;
        return;
    }
    if (over) {
        /* A truncated field cannot be interpreted safely: the whole message is
         * lost. When it was the id, the message's id is unknown. */
        p->msg_bad = true;
        if (n >= 3 && memcmp(l, "id:", 3) == 0)
            p->msg_id_lost = true;
        return;
    }
    const char *colon = memchr(l, ':', n);
    size_t fn = colon ? (size_t)(colon - l) : n;
    const char *v = colon ? colon + 1 : l + n;
    size_t vn = colon ? n - fn - 1 : 0;
    if (vn > 0 && v[0] == ' ') {
        v++;
        vn--;
    }
    if (is_field(l, fn, "data")) {
        if (p->msg_bad)
            return;
        if (p->data.len + vn + 1 > p->max) {
            p->msg_bad = true;
            return;
        }
        if (buf_reserve(&p->data, p->data.len + vn + 2) < 0) {
            p->msg_bad = true;
            return;
        }
        memcpy(p->data.p + p->data.len, v, vn);
        p->data.len += vn;
        p->data.p[p->data.len++] = '\n';
        p->data.p[p->data.len] = '\0';
    } else if (is_field(l, fn, "event")) {
        buf_set(&p->event, v, vn);
    } else if (is_field(l, fn, "id")) {
        if (!memchr(v, '\0', vn)) {
            buf_set(&p->id_buf, v, vn);
            p->msg_id_set = true;
        }
    } else if (is_field(l, fn, "retry")) {
        if (vn == 0)
            return;
        int64_t ms = 0;
        for (size_t i = 0; i < vn; i++) {
            if (v[i] < '0' || v[i] > '9')
                return;
            if (ms < (int64_t)1 << 40) /* saturate instead of overflowing */
                ms = ms * 10 + (v[i] - '0');
        }
        p->retry_ms = ms;
    }
}

static void line_append(sse_parser *p, const char *s, size_t n)
{
    if (p->line_over || n == 0)
        return;
    if (p->line.len + n > p->max) {
        /* Keep what fits so a long comment is still known to be a comment. */
        size_t fit = p->max - p->line.len;
        if (fit && buf_reserve(&p->line, p->line.len + fit + 1) == 0) {
            memcpy(p->line.p + p->line.len, s, fit);
            p->line.len += fit;
        }
        p->line_over = true;
        return;
    }
    if (buf_reserve(&p->line, p->line.len + n + 1) < 0) {
        p->line_over = true;
        return;
    }
    memcpy(p->line.p + p->line.len, s, n);
    p->line.len += n;
}

static void end_line(sse_parser *p)
{
    const char *l = p->line.len ? p->line.p : "";
    process_line(p, l, p->line.len, p->line_over);
    p->line.len = 0;
    p->line_over = false;
}

/* Splits into lines; the common case (a whole line inside the chunk, nothing
 * buffered) is processed in place without a copy. */
static void push_lines(sse_parser *p, const char *s, size_t n)
{
    size_t i = 0;
    if (p->pending_cr && n > 0) {
        p->pending_cr = false;
        if (s[0] == '\n')
            i = 1;
    }
    while (i < n) {
        size_t j = i;
        while (j < n && s[j] != '\n' && s[j] != '\r')
            j++;
        if (j == n) {
            line_append(p, s + i, n - i);
            return;
        }
        if (p->line.len == 0 && !p->line_over && j - i <= p->max) {
            process_line(p, j > i ? s + i : "", j - i, false);
        } else {
            line_append(p, s + i, j - i);
            end_line(p);
        }
        if (s[j] == '\r') {
            if (j + 1 < n) {
                if (s[j + 1] == '\n')
                    j++;
            } else {
                p->pending_cr = true;
            }
        }
        i = j + 1;
    }
}

void sse_push(sse_parser *p, const char *s, size_t n)
{
    while (p->bom_seen < 3 && n > 0) {
        if ((unsigned char)s[0] == bom[p->bom_seen]) {
            p->bom_seen++;
            s++;
            n--;
            continue;
        }
        /* Not a BOM after all: the bytes matched so far are ordinary text. */
        int had = p->bom_seen;
        p->bom_seen = 3;
        if (had)
            push_lines(p, (const char *)bom, (size_t)had);
    }
    if (n)
        push_lines(p, s, n);
}
