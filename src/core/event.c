/* Parsing and validating one event line (DESIGN §3). The first problem found
 * is reported as "<field>: <reason>", fields checked in a fixed order so the
 * same bad line always gives the same reason. */
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "cxm/event.h"
#include "cxm/i18n.h"
#include "cxm/rules.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"

/* cJSON allocates every node, key and string separately: about sixty
 * malloc/free pairs for a typical event, most of the parse time. While this
 * thread parses an event line, cJSON's allocations come from a per-thread
 * bump arena that is reset afterwards instead of freed node by node. Outside
 * that window the hooks are plain malloc/free, so other cJSON users are
 * unaffected. The hooks are installed before main(), while there is only one
 * thread. */
typedef struct chunk {
    struct chunk *next;
    size_t cap, used;
    max_align_t data[];
} chunk;

static _Thread_local struct {
    chunk *head; /* the newest chunk; the last one in the list is kept */
    bool active;
    size_t allocs;
} arena;

static pthread_once_t arena_once = PTHREAD_ONCE_INIT;
static pthread_key_t arena_key;

/* The chunk a thread keeps is released when the thread ends. */
static void arena_thread_exit(void *head)
{
    free(head);
}

static void arena_key_create(void)
{
    pthread_key_create(&arena_key, arena_thread_exit);
}

static void *arena_malloc(size_t n)
{
    if (!arena.active) return malloc(n);
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    chunk *c = arena.head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 64 * 1024 ? n : 64 * 1024;
        chunk *nc = malloc(sizeof *nc + cap);
        if (!nc) return NULL;
        nc->cap = cap;
        nc->used = 0;
        nc->next = c;
        if (!c) {
            /* The thread's first chunk is the one reset keeps (the list's
             * tail): it is released when the thread ends. */
            pthread_once(&arena_once, arena_key_create);
            pthread_setspecific(arena_key, nc);
        }
        arena.head = c = nc;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    arena.allocs++;
    return p;
}

static void arena_free(void *p)
{
    if (!arena.active) free(p);
}

static void arena_reset(void)
{
    arena.active = false;
    chunk *c = arena.head;
    while (c && c->next) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    arena.head = c;
    if (c) c->used = 0;
}

__attribute__((constructor)) static void install_hooks(void)
{
    cJSON_Hooks h = {arena_malloc, arena_free};
    cJSON_InitHooks(&h);
}

/* The strings an event keeps, gathered from the JSON tree before one block is
 * allocated for all of them. */
enum {
    S_LOC_ID,
    S_LOC_NAME,
    S_DESK,
    S_EMP_ID,
    S_EMP_NAME,
    S_VISIT,
    S_RATING,
    S_CAMERA,
    S_REF,
    S_CLIP_KIND,
    S_CLIP_URL,
    S_NSTR
};

typedef struct {
    const cJSON *id, *ts, *type, *location, *desk, *employee, *visit, *rating, *emotion, *clip,
        *camera, *ref, *count, *period_s;
} fields;

typedef struct {
    const char *s[S_NSTR];
    char why[256];
} parse_ctx;

static int fail(parse_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parse_ctx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, sizeof c->why, fmt, ap);
    va_end(ap);
    return -1;
}

/* A received value quoted in a reason: short, and safe to print anywhere. */
static const char *quoted(const char *v, char *buf, size_t cap)
{
    text_fit(v, strlen(v), 32, false, buf, cap);
    return buf;
}

static bool absent(const cJSON *v)
{
    return !v || cJSON_IsNull(v);
}

static bool is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

static void pick_fields(const cJSON *root, fields *f)
{
    memset(f, 0, sizeof *f);
    /* One pass over the members instead of a lookup per field; the first
     * occurrence of a duplicated key wins, as with cJSON_GetObjectItem. */
    for (const cJSON *it = root->child; it; it = it->next) {
        const char *k = it->string;
        const cJSON **slot = NULL;
        switch (k[0]) {
        case 'i':
            slot = strcmp(k, "id") == 0 ? &f->id : NULL;
            break;
        case 't':
            slot = strcmp(k, "ts") == 0 ? &f->ts : strcmp(k, "type") == 0 ? &f->type : NULL;
            break;
        case 'l':
            slot = strcmp(k, "location") == 0 ? &f->location : NULL;
            break;
        case 'd':
            slot = strcmp(k, "desk") == 0 ? &f->desk : NULL;
            break;
        case 'e':
            slot = strcmp(k, "employee") == 0  ? &f->employee
                   : strcmp(k, "emotion") == 0 ? &f->emotion
                                               : NULL;
            break;
        case 'v':
            slot = strcmp(k, "visit") == 0 ? &f->visit : NULL;
            break;
        case 'r':
            slot = strcmp(k, "rating") == 0 ? &f->rating : strcmp(k, "ref") == 0 ? &f->ref : NULL;
            break;
        case 'c':
            slot = strcmp(k, "clip") == 0     ? &f->clip
                   : strcmp(k, "camera") == 0 ? &f->camera
                   : strcmp(k, "count") == 0  ? &f->count
                                              : NULL;
            break;
        case 'p':
            slot = strcmp(k, "period_s") == 0 ? &f->period_s : NULL;
            break;
        default:
            break;
        }
        if (slot && !*slot) *slot = it;
    }
}

static const cJSON *member(const cJSON *obj, const char *name)
{
    for (const cJSON *it = obj->child; it; it = it->next)
        if (strcmp(it->string, name) == 0) return it;
    return NULL;
}

/* An id or ref: [A-Za-z0-9._:-], 1..EVENT_ID_MAX bytes. */
static int check_id(parse_ctx *c, const char *field, const cJSON *v, const char **out)
{
    if (absent(v)) return fail(c, _("%s: missing"), field);
    if (!cJSON_IsString(v)) return fail(c, _("%s: not a string"), field);
    const char *s = v->valuestring;
    size_t n = strlen(s);
    if (n == 0) return fail(c, _("%s: empty"), field);
    if (n > EVENT_ID_MAX) return fail(c, _("%s: longer than %d bytes"), field, EVENT_ID_MAX);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '.' || ch == '_' || ch == ':' || ch == '-')
            continue;
        if (ch >= 0x20 && ch < 0x7f) return fail(c, _("%s: character '%c' not allowed"), field, ch);
        return fail(c, _("%s: byte 0x%02x not allowed"), field, ch);
    }
    *out = s;
    return 0;
}

/* An optional text field; null counts as absent. */
static int opt_string(parse_ctx *c, const char *field, const cJSON *v, const char **out)
{
    if (absent(v)) return 0;
    if (!cJSON_IsString(v)) return fail(c, _("%s: not a string"), field);
    *out = v->valuestring;
    return 0;
}

static int req_string(parse_ctx *c, const char *field, const cJSON *v, const char **out)
{
    if (absent(v)) return fail(c, _("%s: missing"), field);
    if (opt_string(c, field, v, out) < 0) return -1;
    if (!**out) return fail(c, _("%s: empty"), field);
    return 0;
}

static int opt_count(parse_ctx *c, const char *field, const cJSON *v, int64_t *out)
{
    if (absent(v)) return 0;
    double d = v->valuedouble;
    /* 2^53: beyond it a JSON number is no longer an exact integer. */
    if (!cJSON_IsNumber(v) || !(d >= 0) || d > 9007199254740992.0 || d != floor(d))
        return fail(c, _("%s: not a non-negative integer"), field);
    *out = (int64_t)d;
    return 0;
}

static int parse_emotion(parse_ctx *c, const char *field, const cJSON *o, const cxm_rules *rules,
                         event_emotion *e)
{
    e->positive = e->negative = e->neutral = -1;
    e->bursts = -1;
    if (absent(o)) return 0;
    if (!cJSON_IsObject(o)) return fail(c, _("%s: not an object"), field);
    e->present = true;
    bool labelled = false;
    for (const cJSON *it = o->child; it; it = it->next) {
        const char *k = it->string;
        double *share = strcmp(k, "positive") == 0   ? &e->positive
                        : strcmp(k, "negative") == 0 ? &e->negative
                        : strcmp(k, "neutral") == 0  ? &e->neutral
                                                     : NULL;
        if (share) {
            if (absent(it) || *share >= 0) continue;
            if (!cJSON_IsNumber(it)) return fail(c, _("%s.%s: not a number"), field, k);
            if (!(it->valuedouble >= 0 && it->valuedouble <= 1))
                return fail(c, _("%s.%s: out of range 0..1"), field, k);
            *share = it->valuedouble;
        } else if (strcmp(k, "bursts") == 0) {
            if (absent(it) || e->bursts >= 0) continue;
            double b = it->valuedouble;
            if (!cJSON_IsNumber(it) || !(b >= 0) || b > 1e6 || b != floor(b))
                return fail(c, _("%s.bursts: not a non-negative integer"), field);
            e->bursts = (int)b;
        } else if (strcmp(k, "label") == 0) {
            if (absent(it) || labelled) continue;
            char q[160];
            if (!cJSON_IsString(it)) return fail(c, _("%s.label: not a string"), field);
            int l = emo_label_from_name(it->valuestring);
            if (l < 0)
                return fail(c, _("%s.label: unknown label '%s'"), field,
                            quoted(it->valuestring, q, sizeof q));
            e->label = (emo_label)l;
            labelled = true;
        }
    }
    if (!labelled) {
        e->label = emotion_classify(e, rules);
        e->classified = e->label != EMO_UNKNOWN;
    }
    return 0;
}

static int parse_location(parse_ctx *c, const cJSON *loc)
{
    if (absent(loc)) return fail(c, _("location: missing"));
    if (!cJSON_IsObject(loc)) return fail(c, _("location: not an object"));
    if (req_string(c, "location.id", member(loc, "id"), &c->s[S_LOC_ID]) < 0) return -1;
    return opt_string(c, "location.name", member(loc, "name"), &c->s[S_LOC_NAME]);
}

static int parse_employee(parse_ctx *c, const cJSON *emp)
{
    if (absent(emp)) return 0;
    if (!cJSON_IsObject(emp)) return fail(c, _("employee: not an object"));
    if (req_string(c, "employee.id", member(emp, "id"), &c->s[S_EMP_ID]) < 0) return -1;
    return opt_string(c, "employee.name", member(emp, "name"), &c->s[S_EMP_NAME]);
}

static int parse_clip(parse_ctx *c, const cJSON *clip)
{
    if (absent(clip)) return 0;
    if (!cJSON_IsObject(clip)) return fail(c, _("clip: not an object"));
    if (opt_string(c, "clip.kind", member(clip, "kind"), &c->s[S_CLIP_KIND]) < 0) return -1;
    return opt_string(c, "clip.url", member(clip, "url"), &c->s[S_CLIP_URL]);
}

/* Rating values are strings; a 0-10 survey may send a bare integer, kept as
 * its decimal text so both forms mean the same scale value. */
static int parse_rating(parse_ctx *c, const cJSON *v, const cxm_rules *rules, char *numbuf,
                        size_t cap, rating_polarity *pol)
{
    char q[160];
    if (absent(v)) return fail(c, _("rating: missing (required for rating)"));
    if (cJSON_IsNumber(v) && v->valuedouble == floor(v->valuedouble) &&
        fabs(v->valuedouble) < 1e9) {
        snprintf(numbuf, cap, "%d", (int)v->valuedouble);
        c->s[S_RATING] = numbuf;
    } else if (req_string(c, "rating", v, &c->s[S_RATING]) < 0) {
        return -1;
    }
    int p = rules_polarity(rules, c->s[S_RATING]);
    if (p < 0)
        return fail(c, _("rating: '%s' is not a value of scale %s"),
                    quoted(c->s[S_RATING], q, sizeof q), rules->scale.name);
    *pol = (rating_polarity)p;
    return 0;
}

/* ---- U+0000 inside strings ----
 * cJSON hands out C strings, so a NUL (escaped as \u0000 or a raw byte) would
 * silently cut a value: "coll.1\u0000A" and "coll.1\u0000B" would be one id.
 * A line that holds one is parsed a second time from a copy in which every
 * NUL is replaced by a marker character the line does not otherwise contain
 * (a noncharacter, U+FDD0..U+FDEF); the walk over that tree names the field. */

/* A \u escape cJSON turns into U+0000: \u0000 itself, and (a quirk of its
 * hex reader, which yields 0 for a non-hex digit) \u with four characters
 * that are not all hex digits. */
static bool nul_escape(const char *p, size_t avail, bool *bad)
{
    *bad = false;
    if (avail < 6 || p[1] != 'u') return false;
    for (int k = 2; k < 6; k++)
        if (!strchr("0123456789abcdefABCDEF", p[k]) || p[k] == '\0') {
            *bad = true;
            return true;
        }
    return memcmp(p + 2, "0000", 4) == 0;
}

/* Whether the raw text holds a NUL byte or an escape that decodes to one. */
static bool raw_has_nul(const char *s, size_t n)
{
    if (memchr(s, '\0', n)) return true;
    for (const char *p = s, *e = s + n; (p = memchr(p, '\\', (size_t)(e - p))) != NULL; p += 2) {
        bool bad;
        if (nul_escape(p, (size_t)(e - p), &bad)) return true;
        if (e - p < 2) break;
    }
    return false;
}

static bool has_ci(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(s + i, needle, k) == 0) return true;
    return false;
}

/* The marker: UTF-8 bytes in utf8[4], escape in esc[7]. False when every
 * candidate already occurs in the line. */
static bool pick_marker(const char *s, size_t n, char utf8[4], char esc[7])
{
    for (unsigned cp = 0xFDD0; cp <= 0xFDEF; cp++) {
        utf8[0] = (char)0xEF;
        utf8[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        utf8[2] = (char)(0x80 | (cp & 0x3F));
        utf8[3] = '\0';
        snprintf(esc, 7, "\\u%04X", cp);
        bool raw = false;
        for (size_t i = 0; i + 3 <= n && !raw; i++)
            raw = memcmp(s + i, utf8, 3) == 0;
        if (!raw && !has_ci(s, n, esc)) return true;
    }
    return false;
}

/* A copy of s[0..n) with each NUL inside a string (raw or escaped) replaced
 * by the marker. cJSON skips a raw NUL between tokens as if it were a space;
 * such a NUL becomes a space here and sets *outside. */
static char *mark_nuls(const char *s, size_t n, const char *utf8, const char *esc, size_t *outlen,
                       bool *outside, bool *bad_escape)
{
    char *o = malloc(n * 3 + 1);
    if (!o) return NULL;
    size_t k = 0;
    bool in_str = false;
    *outside = *bad_escape = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0') {
            if (in_str) {
                memcpy(o + k, utf8, 3);
                k += 3;
            } else {
                o[k++] = ' ';
                *outside = true;
            }
        } else if (s[i] == '"') {
            in_str = !in_str;
            o[k++] = s[i];
        } else if (s[i] == '\\' && i + 1 < n) {
            bool bad;
            if (nul_escape(s + i, n - i, &bad)) {
                if (bad) *bad_escape = true;
                memcpy(o + k, esc, 6);
                k += 6;
                i += 5;
            } else {
                o[k++] = s[i];
                o[k++] = s[++i];
            }
        } else {
            o[k++] = s[i];
        }
    }
    o[k] = '\0';
    *outlen = k;
    return o;
}

/* Depth-first: the first member name or string value holding the marker;
 * its path ("employee.name", "x[2].y") goes into path. */
static int find_marker(const cJSON *node, const char *marker, char *path, size_t cap, bool *in_name)
{
    for (const cJSON *it = node->child; it; it = it->next) {
        size_t len = strlen(path);
        if (cJSON_IsArray(node)) {
            int idx = 0;
            for (const cJSON *j = node->child; j != it; j = j->next)
                idx++;
            snprintf(path + len, cap - len, "[%d]", idx);
        } else if (it->string) {
            const char *cut = strstr(it->string, marker);
            snprintf(path + len, cap - len, "%s%.*s", len ? "." : "",
                     (int)(cut ? (size_t)(cut - it->string) : strlen(it->string)), it->string);
            if (cut) {
                *in_name = true;
                return 1;
            }
        }
        if (cJSON_IsString(it) && strstr(it->valuestring, marker)) return 1;
        if ((cJSON_IsObject(it) || cJSON_IsArray(it)) && find_marker(it, marker, path, cap, in_name))
            return 1;
        path[len] = '\0';
    }
    return 0;
}

/* Called when raw_has_nul(): sets the reason; 0 when the line turns out to
 * be invalid JSON anyway (the normal parse reports that). */
static int nul_reason(parse_ctx *c, const char *line, size_t len)
{
    char utf8[4], esc[7];
    if (!pick_marker(line, len, utf8, esc)) return fail(c, _("json: contains U+0000 (NUL)"));
    size_t n;
    bool outside, bad_escape;
    char *copy = mark_nuls(line, len, utf8, esc, &n, &outside, &bad_escape);
    if (!copy) return fail(c, _("line: out of memory"));
    cJSON *root = cJSON_ParseWithLengthOpts(copy, n, NULL, 0);
    int rc = outside ? fail(c, _("json: NUL byte outside a string")) : 0;
    if (root) {
        char path[256] = "";
        bool in_name = false;
        if (find_marker(root, utf8, path, sizeof path, &in_name)) {
            char q[160];
            /* a member name is shown safe: it came from the feed */
            text_fit(path, strlen(path), 48, false, q, sizeof q);
            const char *what = bad_escape ? "U+0000 (NUL) or a bad \\u escape" : "U+0000 (NUL)";
            rc = in_name ? fail(c, _("%s: member name contains %s"), q[0] ? q : "json", what)
                         : fail(c, _("%s: contains %s"), q[0] ? q : "json", what);
        }
        cJSON_Delete(root);
    }
    free(copy);
    return rc;
}

/* 2000-01-01T00:00:00Z: no feed of ours predates it; an earlier stamp is a
 * device whose clock was reset. */
#define TS_MIN_US (946684800LL * 1000000)

static int check_ts(parse_ctx *c, int64_t ts_us, const cxm_rules *rules)
{
    if (ts_us < TS_MIN_US) return fail(c, _("ts: before 2000-01-01"));
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    int64_t m = rules->future_margin_s > 0 ? rules->future_margin_s : 0;
    int64_t limit_s = (int64_t)now.tv_sec + m;
    if (ts_us / 1000000 >= limit_s && ts_us > limit_s * 1000000) {
        if (m % 3600 == 0)
            return fail(c, _("ts: more than %lldh in the future"), (long long)(m / 3600));
        if (m % 60 == 0)
            return fail(c, _("ts: more than %lldm in the future"), (long long)(m / 60));
        return fail(c, _("ts: more than %llds in the future"), (long long)m);
    }
    return 0;
}

static bool needs_desk(event_type t)
{
    return t == EV_ARRIVAL || t == EV_RATING || t == EV_SILENT || t == EV_RED_BUTTON ||
           t == EV_FORCE_MAJEURE || t == EV_EMOTION;
}

static int validate(parse_ctx *c, const cJSON *root, const cxm_rules *rules, event *ev,
                    char *numbuf, size_t numcap)
{
    fields f;
    char q[160];
    const char *id = NULL, *ts = NULL, *type = NULL;

    if (!cJSON_IsObject(root)) return fail(c, _("json: not an object"));
    pick_fields(root, &f);
    if (check_id(c, "id", f.id, &id) < 0) return -1;
    if (absent(f.ts)) return fail(c, _("ts: missing"));
    if (!cJSON_IsString(f.ts)) return fail(c, _("ts: not a string"));
    ts = f.ts->valuestring;
    if (time_parse_rfc3339(ts, strlen(ts), &ev->ts_us, &ev->tz_offset_s) < 0)
        return fail(c, _("ts: not RFC 3339 with an offset"));
    if (check_ts(c, ev->ts_us, rules) < 0) return -1;
    if (absent(f.type)) return fail(c, _("type: missing"));
    if (!cJSON_IsString(f.type)) return fail(c, _("type: not a string"));
    type = f.type->valuestring;
    int t = event_type_from_name(type);
    if (t < 0) return fail(c, _("type: unknown type '%s'"), quoted(type, q, sizeof q));
    ev->type = (event_type)t;
    const char *tname = event_type_name(ev->type);
    if (parse_location(c, f.location) < 0) return -1;

    if (needs_desk(ev->type) && absent(f.desk))
        return fail(c, _("desk: missing (required for %s)"), tname);
    if (!absent(f.desk) && req_string(c, "desk", f.desk, &c->s[S_DESK]) < 0) return -1;
    if (parse_employee(c, f.employee) < 0 || opt_string(c, "visit", f.visit, &c->s[S_VISIT]) < 0)
        return -1;
    if (ev->type == EV_RATING &&
        parse_rating(c, f.rating, rules, numbuf, numcap, &ev->polarity) < 0)
        return -1;

    if (ev->type == EV_EMOTION && absent(f.emotion))
        return fail(c, _("emotion: missing (required for emotion)"));
    if (!absent(f.emotion)) {
        if (!cJSON_IsObject(f.emotion)) return fail(c, _("emotion: not an object"));
        if (ev->type == EV_EMOTION && absent(member(f.emotion, "employee")))
            return fail(c, _("emotion.employee: missing (required for emotion)"));
        if (parse_emotion(c, "emotion.employee", member(f.emotion, "employee"), rules,
                          &ev->emo_employee) < 0 ||
            parse_emotion(c, "emotion.customer", member(f.emotion, "customer"), rules,
                          &ev->emo_customer) < 0)
            return -1;
    } else {
        parse_emotion(c, "", NULL, rules, &ev->emo_employee);
        parse_emotion(c, "", NULL, rules, &ev->emo_customer);
    }

    if (ev->type == EV_CLIP) {
        if (absent(f.ref)) return fail(c, _("ref: missing (required for clip)"));
        if (absent(f.clip)) return fail(c, _("clip: missing (required for clip)"));
    }
    if (!absent(f.ref) && check_id(c, "ref", f.ref, &c->s[S_REF]) < 0) return -1;
    if (parse_clip(c, f.clip) < 0 || opt_string(c, "camera", f.camera, &c->s[S_CAMERA]) < 0)
        return -1;
    if (ev->type == EV_SERVED && absent(f.count))
        return fail(c, _("count: missing (required for served)"));
    if (opt_count(c, "count", f.count, &ev->count) < 0 ||
        opt_count(c, "period_s", f.period_s, &ev->period_s) < 0)
        return -1;

    memcpy(ev->id, id, strlen(id) + 1);
    return 0;
}

/* Copies the gathered strings into one block and points the event at it. */
static int adopt_strings(event *ev, const char *const s[S_NSTR])
{
    char **dst[S_NSTR] = {&ev->location_id,   &ev->location_name, &ev->desk,    &ev->employee_id,
                          &ev->employee_name, &ev->visit,         &ev->rating,  &ev->camera,
                          &ev->ref,           &ev->clip_kind,     &ev->clip_url};
    size_t len[S_NSTR], total = 0;
    for (int i = 0; i < S_NSTR; i++) {
        len[i] = s[i] ? strlen(s[i]) + 1 : 0;
        total += len[i];
    }
    if (total == 0) return 0;
    char *p = malloc(total);
    if (!p) return -1;
    ev->arena = p;
    ev->arena_len = total;
    for (int i = 0; i < S_NSTR; i++) {
        if (!s[i]) continue;
        memcpy(p, s[i], len[i]);
        *dst[i] = p;
        p += len[i];
    }
    return 0;
}

int event_parse(const char *line, size_t len, const struct cxm_rules *rules, event *out, char *why,
                size_t whylen)
{
    parse_ctx c;
    char numbuf[16];

    memset(out, 0, sizeof *out);
    if (why && whylen) why[0] = '\0';
    if (!rules) rules = rules_builtin();
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len > EVENT_LINE_MAX) {
        if (why) snprintf(why, whylen, _("line: longer than %d bytes"), EVENT_LINE_MAX);
        return EVENT_REJECTED;
    }
    size_t start = 0;
    /* Editors on other systems put a byte-order mark at the start of a file. */
    if (len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) start = 3;
    while (start < len && is_ws(line[start]))
        start++;
    if (start == len) return EVENT_BLANK;

    memset(&c, 0, sizeof c);
    bool nul = raw_has_nul(line + start, len - start);
    if (nul && nul_reason(&c, line + start, len - start) < 0) {
        if (why && whylen) snprintf(why, whylen, "%s", c.why);
        return EVENT_REJECTED;
    }
    const char *end = NULL;
    arena.active = true;
    arena.allocs = 0;
    cJSON *root = cJSON_ParseWithLengthOpts(line + start, len - start, &end, 0);
    /* Someone replaced the hooks: the tree is on the heap after all. */
    bool heap_tree = arena.allocs == 0;
    arena.active = false;
    memset(&c, 0, sizeof c);
    int rc;
    if (!root) {
        size_t at = end && end >= line + start ? (size_t)(end - line) : start;
        fail(&c, "json: invalid JSON near byte %zu", (at < len ? at : len) + 1);
        rc = -1;
    } else {
        size_t at = (size_t)(end - line);
        while (at < len && is_ws(line[at]))
            at++;
        if (at < len)
            rc = fail(&c, "json: unexpected data after the object at byte %zu", at + 1);
        else if (nul) /* a NUL the marker copy could not place: never keep a cut string */
            rc = fail(&c, "json: contains U+0000 (NUL)");
        else
            rc = validate(&c, root, rules, out, numbuf, sizeof numbuf);
        if (rc == 0 && adopt_strings(out, c.s) < 0) rc = fail(&c, "line: out of memory");
        if (heap_tree) cJSON_Delete(root);
    }
    arena_reset();
    if (rc < 0) {
        if (why && whylen) snprintf(why, whylen, "%s", c.why);
        event_clear(out);
        return EVENT_REJECTED;
    }
    return EVENT_OK;
}
