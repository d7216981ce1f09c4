/* The event's life apart from parsing: names, copy, release, and the JSON
 * writer that event_parse reads back to the same event. */
#include <math.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/event.h"

static const char *const type_names[EV_TYPE_COUNT] = {
    "arrival", "rating", "silent", "red_button", "force_majeure",
    "emotion", "clip",   "served", "heartbeat",
};

static const char *const emo_names[EMO_COUNT] = {"unknown", "positive", "negative", "mixed",
                                                 "poker"};

const char *event_type_name(event_type t)
{
    return (unsigned)t < EV_TYPE_COUNT ? type_names[t] : "?";
}

int event_type_from_name(const char *name)
{
    for (int i = 0; name && i < EV_TYPE_COUNT; i++)
        if (strcmp(type_names[i], name) == 0) return i;
    return -1;
}

const char *emo_label_name(emo_label l)
{
    return (unsigned)l < EMO_COUNT ? emo_names[l] : "unknown";
}

int emo_label_from_name(const char *name)
{
    for (int i = 0; name && i < EMO_COUNT; i++)
        if (strcmp(emo_names[i], name) == 0) return i;
    return -1;
}

/* The string members, in one place so clear and copy cannot miss one. */
#define EVENT_STRINGS(ev)                                                                          \
    {                                                                                              \
        &(ev)->location_id, &(ev)->location_name, &(ev)->desk, &(ev)->employee_id,                 \
            &(ev)->employee_name, &(ev)->visit, &(ev)->rating, &(ev)->camera, &(ev)->ref,          \
            &(ev)->clip_kind, &(ev)->clip_url                                                      \
    }
enum { NSTRINGS = 11 };

void event_clear(event *ev)
{
    if (!ev) return;
    char **str[NSTRINGS] = EVENT_STRINGS(ev);
    uintptr_t lo = (uintptr_t)ev->arena, hi = lo + ev->arena_len;
    for (int i = 0; i < NSTRINGS; i++) {
        uintptr_t p = (uintptr_t)*str[i];
        if (*str[i] && !(ev->arena && p >= lo && p < hi)) free(*str[i]);
    }
    free(ev->arena);
    memset(ev, 0, sizeof *ev);
}

int event_copy(event *dst, const event *src)
{
    event tmp = *src;
    char *const *from[NSTRINGS] = EVENT_STRINGS(src);
    char **to[NSTRINGS] = EVENT_STRINGS(&tmp);
    size_t len[NSTRINGS], total = 0;

    for (int i = 0; i < NSTRINGS; i++) {
        len[i] = *from[i] ? strlen(*from[i]) + 1 : 0;
        total += len[i];
    }
    tmp.arena = NULL;
    tmp.arena_len = 0;
    if (total) {
        char *p = malloc(total);
        if (!p) {
            memset(dst, 0, sizeof *dst);
            return -1;
        }
        tmp.arena = p;
        tmp.arena_len = total;
        for (int i = 0; i < NSTRINGS; i++) {
            if (!*from[i]) continue;
            memcpy(p, *from[i], len[i]);
            *to[i] = p;
            p += len[i];
        }
    }
    *dst = tmp;
    return 0;
}

typedef struct {
    char *buf;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_reserve(sbuf *b, size_t more)
{
    if (b->oom || b->len + more + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 512;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *n = realloc(b->buf, cap);
    if (!n) {
        b->oom = true;
        return;
    }
    b->buf = n;
    b->cap = cap;
}

static void sb_put(sbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    if (b->oom) return;
    memcpy(b->buf + b->len, s, n);
    b->len += n;
    b->buf[b->len] = '\0';
}

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) sb_put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Bytes are written as received (the event keeps text verbatim); only what
 * JSON itself forbids is escaped. */
static void sb_json_string(sbuf *b, const char *s)
{
    sb_put(b, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x20 && ch != '"' && ch != '\\') continue;
        sb_put(b, run, (size_t)(s - run));
        if (ch == '"' || ch == '\\') {
            char e[2] = {'\\', (char)ch};
            sb_put(b, e, 2);
        } else {
            sb_printf(b, "\\u%04x", ch);
        }
        run = s + 1;
    }
    sb_put(b, run, (size_t)(s - run));
    sb_put(b, "\"", 1);
}

static void sb_key_string(sbuf *b, const char *key, const char *val)
{
    if (!val) return;
    sb_printf(b, ",\"%s\":", key);
    sb_json_string(b, val);
}

/* The shortest decimal that reads back as the same double. */
static void sb_double(sbuf *b, double d)
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%.15g", d);
    if (strtod(tmp, NULL) != d) snprintf(tmp, sizeof tmp, "%.17g", d);
    sb_put(b, tmp, strlen(tmp));
}

static void sb_emotion(sbuf *b, const char *who, const event_emotion *e, bool *first)
{
    if (!e->present) return;
    sb_printf(b, "%s\"%s\":{", *first ? "" : ",", who);
    *first = false;
    const char *sep = "";
    /* A computed label is left out so a reader classifies it by its own
     * rules; a given "unknown" is kept when there are shares that would
     * otherwise be classified. */
    bool any = e->positive >= 0 || e->negative >= 0 || e->neutral >= 0 || e->bursts >= 0;
    if (!e->classified && (e->label != EMO_UNKNOWN || any)) {
        sb_printf(b, "\"label\":\"%s\"", emo_label_name(e->label));
        sep = ",";
    }
    const char *names[3] = {"positive", "negative", "neutral"};
    double vals[3] = {e->positive, e->negative, e->neutral};
    for (int i = 0; i < 3; i++) {
        if (vals[i] < 0) continue;
        sb_printf(b, "%s\"%s\":", sep, names[i]);
        sb_double(b, vals[i]);
        sep = ",";
    }
    if (e->bursts >= 0) sb_printf(b, "%s\"bursts\":%d", sep, e->bursts);
    sb_put(b, "}", 1);
}

static void sb_ts(sbuf *b, int64_t us, int off)
{
    /* The wall-clock time the source wrote, with its own offset; one RFC 3339
     * cannot express (seconds, as in old local mean times) falls back to UTC. */
    if (off % 60 != 0 || off <= -86400 || off >= 86400) off = 0;
    int64_t local = us + (int64_t)off * 1000000;
    int64_t secs = local / 1000000, frac = local % 1000000;
    if (frac < 0) {
        frac += 1000000;
        secs--;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days--;
    }
    /* civil_from_days (Hinnant) */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    sb_printf(b, "\"%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", (long long)y, (long long)m,
              (long long)d, (long long)(sod / 3600), (long long)(sod / 60 % 60),
              (long long)(sod % 60));
    if (frac % 1000 == 0 && frac)
        sb_printf(b, ".%03lld", (long long)(frac / 1000));
    else if (frac)
        sb_printf(b, ".%06lld", (long long)frac);
    if (off == 0) {
        sb_put(b, "Z\"", 2);
    } else {
        int a = off < 0 ? -off : off;
        sb_printf(b, "%c%02d:%02d\"", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    }
}

char *event_to_json(const event *ev)
{
    sbuf b = {0};
    sb_put(&b, "{\"id\":", 6);
    sb_json_string(&b, ev->id);
    sb_put(&b, ",\"ts\":", 6);
    sb_ts(&b, ev->ts_us, ev->tz_offset_s);
    sb_printf(&b, ",\"type\":\"%s\"", event_type_name(ev->type));
    sb_put(&b, ",\"location\":{\"id\":", 18);
    sb_json_string(&b, ev->location_id ? ev->location_id : "");
    if (ev->location_name) {
        sb_put(&b, ",\"name\":", 8);
        sb_json_string(&b, ev->location_name);
    }
    sb_put(&b, "}", 1);
    sb_key_string(&b, "desk", ev->desk);
    if (ev->employee_id || ev->employee_name) {
        sb_put(&b, ",\"employee\":{\"id\":", 18);
        sb_json_string(&b, ev->employee_id ? ev->employee_id : "");
        if (ev->employee_name) {
            sb_put(&b, ",\"name\":", 8);
            sb_json_string(&b, ev->employee_name);
        }
        sb_put(&b, "}", 1);
    }
    sb_key_string(&b, "visit", ev->visit);
    sb_key_string(&b, "rating", ev->rating);
    if (ev->emo_employee.present || ev->emo_customer.present) {
        bool first = true;
        sb_put(&b, ",\"emotion\":{", 12);
        sb_emotion(&b, "employee", &ev->emo_employee, &first);
        sb_emotion(&b, "customer", &ev->emo_customer, &first);
        sb_put(&b, "}", 1);
    }
    if (ev->clip_kind || ev->clip_url) {
        sb_put(&b, ",\"clip\":{", 9);
        const char *sep = "";
        if (ev->clip_kind) {
            sb_put(&b, "\"kind\":", 7);
            sb_json_string(&b, ev->clip_kind);
            sep = ",";
        }
        if (ev->clip_url) {
            sb_printf(&b, "%s\"url\":", sep);
            sb_json_string(&b, ev->clip_url);
        }
        sb_put(&b, "}", 1);
    }
    sb_key_string(&b, "camera", ev->camera);
    sb_key_string(&b, "ref", ev->ref);
    if (ev->type == EV_SERVED || ev->count) sb_printf(&b, ",\"count\":%lld", (long long)ev->count);
    if (ev->period_s) sb_printf(&b, ",\"period_s\":%lld", (long long)ev->period_s);
    sb_put(&b, "}", 1);
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}
