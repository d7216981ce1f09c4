/* Shared by the alert engine (alerts.c) and the records (alerts_records.c). */
#ifndef CXM_STORE_ALERTS_INTERNAL_H
#define CXM_STORE_ALERTS_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/alerts.h"

/* Cuts a string at a UTF-8 character boundary so it fits cap bytes. */
void alerts_utf8_cut(char *s, size_t cap);
/* For text the caller knows did not fit cap (snprintf said so): cuts it at a
 * character boundary and ends it with U+2026, so no output shows a silent cut
 * or half a character. */
void alerts_utf8_mark_cut(char *s, size_t cap);
/* A text column copied into out (empty for NULL), cut at a character boundary. */
void alerts_col_text(sqlite3_stmt *st, int i, char *out, size_t cap);

/* The engine's own SQL, so tests can check its query plans: the window count
 * (ids: the linked-ids query) of a scope (alert_scope) on the partial index,
 * and the cooldown lookup. */
const char *alerts_window_sql(int scope, bool ids);
const char *alerts_near_sql(void);
/* The walk's own lookups (0 previous alert, 1 next stored alert, 2..4 the
 * next candidate event per scope), for the same plan checks. */
const char *alerts_walk_sql(int which);

/* Re-evaluates one rule over one scope (a: location or employee id, b: the
 * desk for a desk scope) for the crossings in [from, to]. */
int alerts_walk_scope(store *s, const cxm_config *cfg, const alert_rule *r, alert_scope sc,
                      const char *a, const char *b, int64_t from_us, int64_t to_us,
                      alerts_report *rep);

#endif
