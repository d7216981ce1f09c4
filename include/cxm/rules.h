/* Interpretation rules shared by the parser and the KPIs: the rating scale and
 * the emotion classifier. Filled with defaults, overridden by the config. */
#ifndef CXM_RULES_H
#define CXM_RULES_H

#include "cxm/event.h"

#define RULES_SCALE_VALUES_MAX 16
#define RULES_VALUE_MAX 24

typedef struct {
    char name[32];                                       /* "start3" */
    int nvalues;
    char values[RULES_SCALE_VALUES_MAX][RULES_VALUE_MAX]; /* in display order, best first */
    rating_polarity polarity[RULES_SCALE_VALUES_MAX];
} rating_scale;

/* An unlabelled emotion block is classified (first match wins):
 *   positive >= mixed_min && negative >= mixed_min          -> mixed
 *   negative >= negative_min || bursts >= negative_bursts   -> negative
 *   positive >= positive_min                                -> positive
 *   otherwise (neutral dominates)                           -> poker        */
typedef struct {
    double positive_min;   /* default 0.50 */
    double negative_min;   /* default 0.30 */
    double mixed_min;      /* default 0.25 */
    int negative_bursts;   /* default 3 */
} emotion_rules;

typedef struct cxm_rules {
    rating_scale scale;
    emotion_rules emotion;
    /* An event stamped more than this far ahead of the receiving clock is
     * rejected (a broken clock or a forgery); [feeds] future_margin. */
    int64_t future_margin_s; /* default 86400 */
} cxm_rules;

void rules_default(cxm_rules *r);
/* The defaults as a shared constant (what a NULL rules pointer means). */
const cxm_rules *rules_builtin(void);
/* Polarity of a rating value under the scale; -1 when the value is not on it. */
int rules_polarity(const cxm_rules *r, const char *value);
/* Index of the value on the scale, or -1. */
int rules_value_index(const cxm_rules *r, const char *value);

#endif
