/* The rating scale and the emotion classifier: the two interpretations the
 * parser and the KPIs must agree on, so both read them from one place. */
#include <string.h>

#include "cxm/rules.h"

/* A constant, so callers passing NULL rules need neither a copy nor a lock. */
static const cxm_rules builtin = {
    .scale = {.name = "start3",
              .nvalues = 3,
              .values = {"super", "so_so", "bad"},
              .polarity = {POL_POSITIVE, POL_NEUTRAL, POL_NEGATIVE}},
    .emotion = {.positive_min = 0.50,
                .negative_min = 0.30,
                .mixed_min = 0.25,
                .negative_bursts = 3},
    .future_margin_s = 86400,
};

const cxm_rules *rules_builtin(void)
{
    return &builtin;
}

void rules_default(cxm_rules *r)
{
    *r = builtin;
}

int rules_value_index(const cxm_rules *r, const char *value)
{
    if (!value) return -1;
    for (int i = 0; i < r->scale.nvalues; i++)
        if (strcmp(r->scale.values[i], value) == 0) return i;
    return -1;
}

int rules_polarity(const cxm_rules *r, const char *value)
{
    int i = rules_value_index(r, value);
    return i < 0 ? -1 : (int)r->scale.polarity[i];
}

emo_label emotion_classify(const event_emotion *e, const cxm_rules *rules)
{
    if (!rules) rules = &builtin;
    const emotion_rules *er = &rules->emotion;
    bool any = e->positive >= 0 || e->negative >= 0 || e->neutral >= 0 || e->bursts >= 0;
    if (!any) return EMO_UNKNOWN;
    /* An absent share counts as none of that feeling. */
    double pos = e->positive >= 0 ? e->positive : 0;
    double neg = e->negative >= 0 ? e->negative : 0;
    if (pos >= er->mixed_min && neg >= er->mixed_min) return EMO_MIXED;
    if (neg >= er->negative_min || (e->bursts >= 0 && e->bursts >= er->negative_bursts))
        return EMO_NEGATIVE;
    if (pos >= er->positive_min) return EMO_POSITIVE;
    return EMO_POKER;
}
