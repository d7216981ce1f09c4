/* Checklist definitions: parsing and validation (checklist.h). Every error
 * names the JSON path of the offending value, so a supervisor editing a
 * definition by hand finds the line without a schema tool. Unknown keys are
 * ignored, as in the event schema (DESIGN §3): a newer definition still
 * loads in an older console. */
#include "cxm/checklist.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/event.h"
#include "cxm/i18n.h"

#define TITLE_MAX 512 /* bytes of one title */

typedef struct {
    const char *name;
    char *err;
    size_t errlen;
    char path[256];
} pctx;

static int perr(pctx *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(pctx *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->err && p->errlen)
        snprintf(p->err, p->errlen, "%s: %s: %s", p->name, p->path[0] ? p->path : "$", msg);
    return -1;
}

/* Path bookkeeping: push appends ".key" or "[i]" and returns the old length
 * for pop. */
static size_t push_key(pctx *p, const char *key)
{
    size_t n = strlen(p->path);
    snprintf(p->path + n, sizeof p->path - n, "%s.%s", n ? "" : "$", key);
    return n;
}

static size_t push_index(pctx *p, int i)
{
    size_t n = strlen(p->path);
    snprintf(p->path + n, sizeof p->path - n, "%s[%d]", n ? "" : "$", i);
    return n;
}

static void pop(pctx *p, size_t n)
{
    p->path[n] = '\0';
}

static int valid_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n;
        unsigned c = *u;
        if (c < 0x80) {
            u++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
        } else {
            return 0;
        }
        unsigned cp = c & (0x3f >> n);
        for (int i = 1; i <= n; i++) {
            if ((u[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (u[i] & 0x3f);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        u += n + 1;
    }
    return 1;
}

static int valid_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CHECKLIST_ID_MAX)
        return 0;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
              *c == '_' || *c == '.' || *c == '-'))
            return 0;
    return 1;
}

/* Reads key `key` of obj as an id string into *out (strdup'd). */
static int get_id(pctx *p, const cJSON *obj, const char *key, char **out)
{
    size_t m = push_key(p, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    int rc = 0;
    if (!v)
        rc = perr(p, _("missing"));
    else if (!cJSON_IsString(v) || !v->valuestring)
        rc = perr(p, _("must be a string"));
    else if (!valid_id(v->valuestring))
        rc = perr(p, _("must be 1-%d characters of A-Z a-z 0-9 _ . -"), CHECKLIST_ID_MAX);
    else if (!(*out = strdup(v->valuestring)))
        rc = perr(p, _("out of memory"));
    pop(p, m);
    return rc;
}

static int get_text(pctx *p, const cJSON *obj, const char *key, char **out)
{
    size_t m = push_key(p, key);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    int rc = 0;
    if (!v)
        rc = perr(p, _("missing"));
    else if (!cJSON_IsString(v) || !v->valuestring)
        rc = perr(p, _("must be a string"));
    else if (!v->valuestring[0])
        rc = perr(p, _("must not be empty"));
    else if (strlen(v->valuestring) > TITLE_MAX)
        rc = perr(p, _("longer than %d bytes"), TITLE_MAX);
    else if (!valid_utf8(v->valuestring))
        rc = perr(p, _("not valid UTF-8"));
    else if (!(*out = strdup(v->valuestring)))
        rc = perr(p, _("out of memory"));
    pop(p, m);
    return rc;
}

/* "title": {"ru": "...", "en": "..."} */
static int get_title(pctx *p, const cJSON *obj, char **en, char **ru)
{
    size_t m = push_key(p, "title");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(obj, "title");
    int rc;
    if (!t)
        rc = perr(p, _("missing"));
    else if (!cJSON_IsObject(t))
        rc = perr(p, _("must be an object {\"ru\": ..., \"en\": ...}"));
    else
        rc = get_text(p, t, "en", en) || get_text(p, t, "ru", ru) ? -1 : 0;
    pop(p, m);
    return rc;
}

static int get_bool(pctx *p, const cJSON *obj, const char *key, bool dflt, bool *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v) {
        *out = dflt;
        return 0;
    }
    if (!cJSON_IsBool(v)) {
        size_t m = push_key(p, key);
        perr(p, _("must be true or false"));
        pop(p, m);
        return -1;
    }
    *out = cJSON_IsTrue(v);
    return 0;
}

static int parse_applies(pctx *p, const cJSON *root, checklist *c)
{
    size_t m = push_key(p, "applies_to");
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "applies_to");
    int rc = 0, i = 0;
    if (!a) {
        rc = perr(p, _("missing"));
    } else if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) == 0) {
        rc = perr(p, _("must be a non-empty array such as [\"rating:negative\", \"red_button\"]"));
    } else {
        const cJSON *v;
        cJSON_ArrayForEach(v, a)
        {
            size_t mi = push_index(p, i++);
            const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
            int t;
            if (!s)
                rc = perr(p, _("must be a string"));
            else if (!strcmp(s, "rating:negative"))
                c->applies |= CK_APPLY_RATING_NEGATIVE;
            else if (!strcmp(s, "rating:neutral"))
                c->applies |= CK_APPLY_RATING_NEUTRAL;
            else if (!strcmp(s, "rating:positive"))
                c->applies |= CK_APPLY_RATING_POSITIVE;
            else if ((t = event_type_from_name(s)) >= 0 && t != EV_HEARTBEAT && t != EV_CLIP &&
                     t != EV_SERVED && t != EV_EMOTION)
                c->applies |= 1u << (CK_APPLY_TYPE_SHIFT + t);
            else
                rc = perr(p,
                          _("unknown; expected rating:negative, rating:neutral, rating:positive, "
                          "rating, silent, arrival, red_button or force_majeure"));
            pop(p, mi);
            if (rc)
                break;
        }
    }
    pop(p, m);
    return rc;
}

static int parse_fields(pctx *p, const cJSON *root, checklist *c)
{
    const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "fields");
    c->field_comment = c->field_needs_info = true;
    if (!f)
        return 0;
    size_t m = push_key(p, "fields");
    int rc = 0, i = 0;
    if (!cJSON_IsArray(f)) {
        rc = perr(p, _("must be an array of \"comment\", \"needs_info\""));
    } else {
        c->field_comment = c->field_needs_info = false;
        const cJSON *v;
        cJSON_ArrayForEach(v, f)
        {
            size_t mi = push_index(p, i++);
            const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
            if (s && !strcmp(s, "comment"))
                c->field_comment = true;
            else if (s && !strcmp(s, "needs_info"))
                c->field_needs_info = true;
            else
                rc = perr(p, _("unknown field; expected \"comment\" or \"needs_info\""));
            pop(p, mi);
            if (rc)
                break;
        }
    }
    pop(p, m);
    return rc;
}

static int parse_items(pctx *p, const cJSON *sec, checklist *c, int si)
{
    size_t m = push_key(p, "items");
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(sec, "items");
    int rc = 0, i = 0;
    if (!items) {
        rc = perr(p, _("missing"));
    } else if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0) {
        rc = perr(p, _("must be a non-empty array of items"));
    } else {
        const cJSON *it;
        cJSON_ArrayForEach(it, items)
        {
            size_t mi = push_index(p, i++);
            if (!cJSON_IsObject(it)) {
                rc = perr(p, _("must be an object {\"id\": ..., \"title\": ...}"));
            } else if (c->nitems >= CHECKLIST_ITEMS_MAX) {
                rc = perr(p, _("more than %d items in the definition"), CHECKLIST_ITEMS_MAX);
            } else {
                checklist_item *ci = &c->items[c->nitems];
                memset(ci, 0, sizeof *ci);
                ci->section = si;
                c->nitems++; /* counted first so checklist_free releases a half-read item */
                rc = get_id(p, it, "id", &ci->id) || get_title(p, it, &ci->title_en, &ci->title_ru)
                         ? -1
                         : 0;
                for (int k = 0; !rc && k < c->nitems - 1; k++)
                    if (!strcmp(c->items[k].id, ci->id)) {
                        size_t mk = push_key(p, "id");
                        rc = perr(p, _("duplicate item id '%s'"), ci->id);
                        pop(p, mk);
                    }
            }
            pop(p, mi);
            if (rc)
                break;
        }
    }
    pop(p, m);
    return rc;
}

static int parse_sections(pctx *p, const cJSON *root, checklist *c)
{
    size_t m = push_key(p, "sections");
    const cJSON *secs = cJSON_GetObjectItemCaseSensitive(root, "sections");
    int rc = 0, i = 0;
    if (!secs) {
        rc = perr(p, _("missing"));
    } else if (!cJSON_IsArray(secs) || cJSON_GetArraySize(secs) == 0) {
        rc = perr(p, _("must be a non-empty array of sections"));
    } else if (cJSON_GetArraySize(secs) > CHECKLIST_SECTIONS_MAX) {
        rc = perr(p, _("more than %d sections"), CHECKLIST_SECTIONS_MAX);
    } else if (!(c->sections = calloc(CHECKLIST_SECTIONS_MAX, sizeof *c->sections)) ||
               !(c->items = calloc(CHECKLIST_ITEMS_MAX, sizeof *c->items))) {
        rc = perr(p, _("out of memory"));
    } else {
        const cJSON *sec;
        cJSON_ArrayForEach(sec, secs)
        {
            size_t mi = push_index(p, i);
            checklist_section *s = &c->sections[i];
            if (!cJSON_IsObject(sec)) {
                rc = perr(p, _("must be an object {\"id\": ..., \"title\": ..., \"items\": [...]}"));
            } else {
                c->nsections = i + 1;
                s->first = c->nitems;
                rc = get_id(p, sec, "id", &s->id) || get_title(p, sec, &s->title_en, &s->title_ru) ||
                             get_bool(p, sec, "staff_related", false, &s->staff_related) ||
                             parse_items(p, sec, c, i)
                         ? -1
                         : 0;
                s->count = c->nitems - s->first;
                for (int k = 0; !rc && k < i; k++)
                    if (!strcmp(c->sections[k].id, s->id)) {
                        size_t mk = push_key(p, "id");
                        rc = perr(p, _("duplicate section id '%s'"), s->id);
                        pop(p, mk);
                    }
            }
            pop(p, mi);
            i++;
            if (rc)
                break;
        }
    }
    pop(p, m);
    return rc;
}

int checklist_parse(const char *json, size_t len, const char *name, checklist **out, char *err,
                    size_t errlen)
{
    pctx p = {.name = name ? name : "checklist", .err = err, .errlen = errlen};
    *out = NULL;
    if (len > CHECKLIST_FILE_MAX)
        return perr(&p, "larger than %d bytes", CHECKLIST_FILE_MAX);
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root) {
        /* cJSON gives the position only; the byte offset finds it in an editor */
        const char *at = cJSON_GetErrorPtr();
        long off = at && at >= json && at <= json + len ? (long)(at - json) : -1;
        return perr(&p, "not valid JSON (near byte %ld)", off);
    }
    /* Trailing bytes after the value (other than whitespace) are an error:
     * two objects concatenated would otherwise silently drop the second. */
    for (const char *q = end; q && q < json + len; q++)
        if (*q && !strchr(" \t\r\n", *q)) {
            cJSON_Delete(root);
            return perr(&p, "text after the JSON object (byte %ld)", (long)(q - json));
        }
    checklist *c = calloc(1, sizeof *c);
    int rc = -1;
    if (!c) {
        perr(&p, "out of memory");
    } else if (!cJSON_IsObject(root)) {
        perr(&p, "must be a JSON object");
    } else if (get_id(&p, root, "id", &c->id) == 0) {
        size_t m = push_key(&p, "purpose");
        const cJSON *pu = cJSON_GetObjectItemCaseSensitive(root, "purpose");
        const char *ps = cJSON_IsString(pu) ? pu->valuestring : NULL;
        if (!pu)
            rc = perr(&p, "missing");
        else if (ps && !strcmp(ps, "dissatisfaction"))
            c->purpose = CK_DISSATISFACTION, rc = 0;
        else if (ps && !strcmp(ps, "delight"))
            c->purpose = CK_DELIGHT, rc = 0;
        else
            rc = perr(&p, "must be \"dissatisfaction\" or \"delight\"");
        pop(&p, m);
        if (rc == 0)
            rc = get_title(&p, root, &c->title_en, &c->title_ru) || parse_applies(&p, root, c) ||
                         parse_fields(&p, root, c) || parse_sections(&p, root, c)
                     ? -1
                     : 0;
    }
    cJSON_Delete(root);
    if (rc != 0) {
        checklist_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

void checklist_free(checklist *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->nitems; i++) {
        free(c->items[i].id);
        free(c->items[i].title_en);
        free(c->items[i].title_ru);
    }
    for (int i = 0; i < c->nsections; i++) {
        free(c->sections[i].id);
        free(c->sections[i].title_en);
        free(c->sections[i].title_ru);
    }
    free(c->items);
    free(c->sections);
    free(c->id);
    free(c->title_en);
    free(c->title_ru);
    free(c->path);
    free(c);
}

const checklist *checklist_find(const checklist_set *set, const char *id)
{
    for (size_t i = 0; set && id && i < set->n; i++)
        if (!strcmp(set->v[i]->id, id))
            return set->v[i];
    return NULL;
}

int checklist_item_index(const checklist *c, const char *item_id)
{
    for (int i = 0; c && item_id && i < c->nitems; i++)
        if (!strcmp(c->items[i].id, item_id))
            return i;
    return -1;
}

bool checklist_applies(const checklist *c, int ev_type, int polarity)
{
    if (!c || ev_type < 0 || ev_type >= EV_TYPE_COUNT)
        return false;
    if (c->applies & (1u << (CK_APPLY_TYPE_SHIFT + ev_type)))
        return true;
    if (ev_type != EV_RATING)
        return false;
    return (polarity == POL_NEGATIVE && (c->applies & CK_APPLY_RATING_NEGATIVE)) ||
           (polarity == POL_NEUTRAL && (c->applies & CK_APPLY_RATING_NEUTRAL)) ||
           (polarity == POL_POSITIVE && (c->applies & CK_APPLY_RATING_POSITIVE));
}

const checklist *checklist_for_event(const checklist_set *set, int ev_type, int polarity,
                                     int purpose)
{
    for (int pass = 0; pass < 2 && set; pass++) {
        int want = purpose >= 0 ? purpose : (pass == 0 ? CK_DISSATISFACTION : CK_DELIGHT);
        if (purpose >= 0 && pass)
            break;
        for (size_t i = 0; i < set->n; i++)
            if ((int)set->v[i]->purpose == want && checklist_applies(set->v[i], ev_type, polarity))
                return set->v[i];
    }
    return NULL;
}

const char *checklist_purpose_name(checklist_purpose p)
{
    return p == CK_DELIGHT ? "delight" : "dissatisfaction";
}

const char *checklist_title(const char *en, const char *ru)
{
    return i18n_pick(en, ru);
}
