/* Shared by the alert engine (alerts.c) and the records (alerts_records.c). */
#ifndef CXM_STORE_ALERTS_INTERNAL_H
#define CXM_STORE_ALERTS_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

/* Cuts a string at a UTF-8 character boundary so it fits cap bytes. */
void alerts_utf8_cut(char *s, size_t cap);
/* A text column copied into out (empty for NULL), cut at a character boundary. */
void alerts_col_text(sqlite3_stmt *st, int i, char *out, size_t cap);

/* The engine's own SQL, so tests can check its query plans: the window count
 * (ids: the linked-ids query) of a scope (alert_scope) on the partial index,
 * and the cooldown lookup. */
const char *alerts_window_sql(int scope, bool ids);
const char *alerts_near_sql(void);

#endif
