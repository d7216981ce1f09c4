/* A virtual table (DESIGN §2 "big lists are virtual"): it knows only the
 * number of rows; the view supplies cell text through callbacks, and only the
 * visible rows are ever asked for. Widths are in terminal columns; all text
 * goes through the text module, so data can never reach the terminal raw.
 *
 * Typical use in a view:
 *     static const ui_column cols[] = {{N_("Name"), 0, 12, false, 0}, ...};
 *     ui_table_init(&v->tab, cols, n, &ops, v);
 *     ui_table_set_rows(&v->tab, nrows);        // after a query
 *     ui_table_draw(&v->tab, w, 0, 0, rows, cols);
 *     r = ui_table_action(&v->tab, action);     // UI_HANDLED|UI_REDRAW or UI_IGNORED */
#ifndef CXM_UI_TABLE_H
#define CXM_UI_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"

#define UI_TABLE_MAXCOLS 24

typedef struct {
    const char *title;  /* English; translated with _() when drawn */
    int width;          /* fixed columns; 0 = flexible: shares what is left */
    int min_width;      /* a flexible column never gets less (0 = 4) */
    bool right;         /* right-aligned (numbers) */
    int hide_below;     /* hidden when the table is narrower than this (0 = never) */
} ui_column;

typedef struct ui_table ui_table;

typedef struct {
    /* Before drawing: rows [first, first + count) are about to be asked for
     * (fetch one window from the store). Optional. */
    void (*prefetch)(void *ud, size_t first, size_t count);
    /* Cell text (UTF-8, from data is fine: it is sanitized when drawn) and its
     * element (preset to TH_ROW / TH_ROW_ALT; leave it for the default).
     * Return false when the row is gone (drawn empty). */
    bool (*cell)(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el);
    /* Whole-row element overriding the defaults (e.g. TH_HIGHLIGHT_NEW), or
     * -1. Optional. The selection always wins. */
    int (*row_el)(void *ud, size_t row);
    /* The sort column or direction changed: re-query and set_rows. Optional;
     * without it the sort keys do nothing. */
    void (*on_sort)(void *ud, int col, bool desc);
} ui_table_ops;

struct ui_table {
    const ui_column *cols;
    int ncols;
    const ui_table_ops *ops;
    void *ud;
    size_t nrows;
    size_t sel;          /* selected row (< nrows when nrows > 0) */
    size_t top;          /* first visible row */
    int sort_col;        /* -1 = none */
    bool sort_desc;
    bool show_header;
    int page;            /* visible rows at the last draw */
    int widths[UI_TABLE_MAXCOLS]; /* at the last draw; 0 = hidden */
    ui_view *owner;      /* the view showing it (for export messages); NULL = none */
    const char *file_tag; /* export file names: cxm-TAG-YYYYmmdd-HHMMSS.csv */
};

void ui_table_init(ui_table *t, const ui_column *cols, int ncols, const ui_table_ops *ops,
                   void *ud);
/* Sets the row count, keeping the selection in range. */
void ui_table_set_rows(ui_table *t, size_t nrows);
/* Moves the selection (and scrolls so it is visible). */
void ui_table_select(ui_table *t, size_t row);
size_t ui_table_selected(const ui_table *t);
/* Draws into the h x wd rectangle at (y, x): a header line (unless
 * show_header is false) and the visible rows. */
void ui_table_draw(ui_table *t, WINDOW *w, int y, int x, int h, int wd);
/* Handles movement and sort actions (ACT_UP ... ACT_SORT_REVERSE).
 * Returns UI_HANDLED | UI_REDRAW, or UI_IGNORED for other actions. */
int ui_table_action(ui_table *t, int action);
/* Mouse support: the app forgets where tables were before it draws a view,
 * and asks which table row is at a screen position (NULL: none). */
void ui_table_hits_reset(void);
ui_table *ui_table_hit(int screen_y, int screen_x, size_t *row);

/* Export (ui/table_export.c): the view that shows the table, so the export
 * keys (ACT_EXPORT_CSV, ACT_EXPORT_EXCEL, handled by ui_table_action) can say
 * on its message line where the file went. */
void ui_table_set_owner(ui_table *t, ui_view *owner, const char *file_tag);
/* Writes the shown columns of every row to a new CSV file; path receives its
 * name. 0, or -1 with errno set. */
int ui_table_export(ui_table *t, bool excel, char *path, size_t cap, size_t *nrows);
int ui_table_export_action(ui_table *t, bool excel);
/* Where exports go: $CXM_EXPORT_DIR, else the current directory when
 * writable, else $HOME (views that write their own files use it too). */
const char *ui_export_dir(void);

#endif
