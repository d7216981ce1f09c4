/* Shared by the view query modules in src/store (views.c, views_detail.c). */
#ifndef CXM_VIEWS_PRIV_H
#define CXM_VIEWS_PRIV_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#include "cxm/views.h"

/* Copies a text column, cut at a character boundary to fit cap. */
void views_copy_col(sqlite3_stmt *st, int col, char *out, size_t cap);
/* The columns every views_row query selects, then FROM ... with the joins. */
const char *views_row_cols_sql(void);
void views_read_row(sqlite3_stmt *st, views_row *r);
/* Resolves free text into the temp tables of matching employees, locations
 * and desks; sets whether anything at all can match. */
int views_text_prepare(views *v, const char *text);
/* Case-insensitive (ASCII and Cyrillic) substring test on UTF-8. */
bool views_text_contains(const char *hay, const char *needle);
sqlite3 *views_db(views *v);
struct store *views_store(views *v);
void views_set_msg(views *v, const char *what);  /* what: sqlite3_errmsg */
void views_set_text(views *v, const char *msg);

#endif
