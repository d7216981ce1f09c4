/* The small value languages inside config values: rating scales, the event
 * list of an alert rule, source kinds. */
#include <stdio.h>
#include <string.h>

#include "cxm/i18n.h"
#include "core/config_internal.h"

static const char *const kind_names[] = {"agent", "agent_log", "cloud", "demo"};

const char *config_source_kind_name(source_kind k)
{
    return (unsigned)k < 4 ? kind_names[k] : "?";
}

int config_source_kind_from_name(const char *name)
{
    for (int i = 0; i < 4; i++)
        if (strcmp(kind_names[i], name) == 0) return i;
    return -1;
}

/* Splits a comma-separated list into trimmed items, calling fn for each.
 * Returns -1 as soon as fn does. */
static int each_item(const char *v, int (*fn)(const char *item, size_t n, void *ctx), void *ctx)
{
    const char *p = v;
    for (;;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *a = p, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (fn(a, (size_t)(b - a), ctx) < 0) return -1;
        if (!comma) return 0;
        p = comma + 1;
    }
}

typedef struct {
    rating_scale *s;
    char *err;
    size_t errlen;
} scale_ctx;

static int scale_item(const char *item, size_t n, void *vctx)
{
    scale_ctx *c = vctx;
    rating_scale *s = c->s;
    if (n == 0) {
        snprintf(c->err, c->errlen, _("empty item (expected VALUE:POLARITY)"));
        return -1;
    }
    const char *colon = memchr(item, ':', n);
    if (!colon) {
        snprintf(c->err, c->errlen, _("'%.*s' has no polarity (expected VALUE:+, VALUE:0 or VALUE:-)"),
                 (int)n, item);
        return -1;
    }
    size_t vn = (size_t)(colon - item);
    while (vn > 0 && (item[vn - 1] == ' ' || item[vn - 1] == '\t'))
        vn--;
    const char *pol = colon + 1;
    size_t pn = n - (size_t)(pol - item);
    while (pn > 0 && (*pol == ' ' || *pol == '\t'))
        pol++, pn--;
    if (vn == 0 || vn >= RULES_VALUE_MAX) {
        snprintf(c->err, c->errlen, _("a value must be 1 to %d bytes"), RULES_VALUE_MAX - 1);
        return -1;
    }
    for (size_t i = 0; i < vn; i++) {
        char ch = item[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '.')) {
            snprintf(c->err, c->errlen, _("'%.*s': only letters, digits, '_', '-' and '.' in a value"),
                     (int)vn, item);
            return -1;
        }
    }
    static const struct {
        const char *name;
        rating_polarity p;
    } pols[] = {{"+", POL_POSITIVE},        {"0", POL_NEUTRAL},       {"-", POL_NEGATIVE},
                {"positive", POL_POSITIVE}, {"neutral", POL_NEUTRAL}, {"negative", POL_NEGATIVE}};
    int found = -1;
    for (int i = 0; i < 6; i++)
        if (strlen(pols[i].name) == pn && memcmp(pols[i].name, pol, pn) == 0) found = i;
    if (found < 0) {
        snprintf(c->err, c->errlen, _("'%.*s': polarity must be +, 0 or -"), (int)n, item);
        return -1;
    }
    for (int i = 0; i < s->nvalues; i++) {
        if (strlen(s->values[i]) == vn && memcmp(s->values[i], item, vn) == 0) {
            snprintf(c->err, c->errlen, _("'%.*s' listed twice"), (int)vn, item);
            return -1;
        }
    }
    if (s->nvalues >= RULES_SCALE_VALUES_MAX) {
        snprintf(c->err, c->errlen, _("more than %d values"), RULES_SCALE_VALUES_MAX);
        return -1;
    }
    memcpy(s->values[s->nvalues], item, vn);
    s->values[s->nvalues][vn] = '\0';
    s->polarity[s->nvalues] = pols[found].p;
    s->nvalues++;
    return 0;
}

int config_parse_scale_values(const char *v, rating_scale *out, char *err, size_t errlen)
{
    rating_scale s;
    memset(&s, 0, sizeof s);
    scale_ctx c = {&s, err, errlen};
    if (each_item(v, scale_item, &c) < 0) return -1;
    if (s.nvalues < 2) {
        snprintf(err, errlen, _("a scale needs at least 2 values"));
        return -1;
    }
    memcpy(out->values, s.values, sizeof s.values);
    memcpy(out->polarity, s.polarity, sizeof s.polarity);
    out->nvalues = s.nvalues;
    return 0;
}

int config_builtin_scale(const char *name, rating_scale *out)
{
    char err[128];
    const char *values = NULL;
    if (strcmp(name, "start3") == 0)
        values = "super:+, so_so:0, bad:-";
    else if (strcmp(name, "nps10") == 0) /* Net Promoter: 9-10 promoters, 0-6 detractors */
        values = "10:+, 9:+, 8:0, 7:0, 6:-, 5:-, 4:-, 3:-, 2:-, 1:-, 0:-";
    if (!values || config_parse_scale_values(values, out, err, sizeof err) < 0) return -1;
    snprintf(out->name, sizeof out->name, "%s", name);
    return 0;
}

typedef struct {
    unsigned mask;
    bool negative, rating;
    char *err;
    size_t errlen;
} events_ctx;

static int event_item(const char *item, size_t n, void *vctx)
{
    events_ctx *c = vctx;
    char name[32];
    if (n == 0 || n >= sizeof name) {
        snprintf(c->err, c->errlen, _("'%.*s' is not an event type"), (int)(n < 40 ? n : 40), item);
        return -1;
    }
    memcpy(name, item, n);
    name[n] = '\0';
    if (strcmp(name, "negative") == 0) {
        c->negative = true;
        c->mask |= 1u << EV_RATING;
        return 0;
    }
    int t = event_type_from_name(name);
    if (t < 0 || t == EV_HEARTBEAT) {
        snprintf(c->err, c->errlen, _("'%s' is not an event type (or 'negative')"), name);
        return -1;
    }
    if (t == EV_RATING) c->rating = true;
    c->mask |= 1u << t;
    return 0;
}

int config_parse_alert_events(const char *v, unsigned *mask, bool *match_negative, char *err,
                              size_t errlen)
{
    events_ctx c = {0, false, false, err, errlen};
    if (each_item(v, event_item, &c) < 0) return -1;
    if (c.negative && c.rating) {
        snprintf(err, errlen,
                 _("'rating' and 'negative' together (negative means the negative ratings)"));
        return -1;
    }
    *mask = c.mask;
    *match_negative = c.negative;
    return 0;
}
