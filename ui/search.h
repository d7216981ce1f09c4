/* `/` on a list view: a live, case-folded search (Cyrillic too, ё = е:
 * text_contains_folded, as the stream's filter) that narrows the rows as the
 * user types. Enter keeps it, Esc puts back what was there before, x (the
 * filter-clear action) drops it. The view keeps one ui_search, asks
 * ui_search_match for each row when it rebuilds its rows, and is told to
 * rebuild through `apply` after every change. */
#ifndef CXM_UI_SEARCH_H
#define CXM_UI_SEARCH_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"

typedef struct {
    char text[128];
    char before[128];                /* restored on Esc */
    ui_view *view;
    void (*apply)(ui_view *view);    /* rebuild the rows from `text` */
} ui_search;

void ui_search_init(ui_search *s, ui_view *view, void (*apply)(ui_view *view));
/* Opens the prompt (label: translated). */
void ui_search_open(ui_search *s, const char *label);
/* Drops the search; returns true when there was one. */
bool ui_search_clear(ui_search *s);
static inline bool ui_search_active(const ui_search *s)
{
    return s->text[0] != 0;
}
/* True when no search is active or one of the n fields (NULL ones skipped)
 * holds the text, case-folded. */
bool ui_search_match(const ui_search *s, const char *const *fields, size_t n);
/* Draws "search: TEXT | " at (y, x) within cols when a search is active:
 * said first on the view's title line, where a narrow screen cannot cut it
 * off. Returns the columns used (0: no search). */
int ui_search_put(const ui_search *s, WINDOW *w, int y, int x, int cols);

#endif
