/* Value syntaxes of the config, shared by config.c and its tests/fuzzer. */
#ifndef CXM_CONFIG_INTERNAL_H
#define CXM_CONFIG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cxm/config.h"

/* "super:+, so_so:0, bad:-" (polarity +, 0, - or positive, neutral, negative). */
int config_parse_scale_values(const char *v, rating_scale *out, char *err, size_t errlen);
/* The scales known by name alone: start3, nps10. */
int config_builtin_scale(const char *name, rating_scale *out);
/* "negative, red_button": event type names, plus "negative" (negative ratings). */
int config_parse_alert_events(const char *v, unsigned *mask, bool *match_negative, char *err,
                              size_t errlen);
int config_source_kind_from_name(const char *name);

#endif
