/* The one CSV writer of the project: every CSV the program writes (kpi,
 * alerts, exports from the console, causes...) goes through it.
 *
 * - RFC 4180: cells separated by the separator, rows ended by CRLF; a cell is
 *   quoted when it holds the separator, a quote, CR or LF (quotes doubled).
 * - UTF-8 always. Text cells pass the text module's sanitizer
 *   (text_sanitize_utf8): controls, escape sequences, bidi controls and
 *   zero-width characters are made visible, invalid UTF-8 becomes U+FFFD.
 *   Line breaks inside a text cell are kept (as LF, quoted).
 * - Formula neutralisation: a text cell that a spreadsheet would evaluate
 *   (first character, after any leading spaces, one of = + - @ TAB CR LF) is
 *   written with a leading apostrophe ('=HYPERLINK(...) stays text). Numbers
 *   written with csv_int/csv_num are the program's own and stay numbers, so a
 *   negative EmoNPS "-3.5" is not touched: text from feeds never goes through
 *   the numeric calls.
 * - Excel dialect (--excel): a UTF-8 BOM first, ';' as the separator, and
 *   optionally a decimal comma in numbers (for a Russian UI), which is what
 *   Excel in a Russian locale opens by double-click without an import dialog.
 *
 * Usage:
 *     csv_writer w;
 *     csv_begin(&w, stdout, &(csv_options){.excel = true, .decimal_comma = ru});
 *     csv_text(&w, "name"); csv_text(&w, "csat"); csv_end_row(&w);
 *     csv_text(&w, name);   csv_num(&w, 61.5);    csv_end_row(&w);
 *     if (csv_end(&w)) ...write error...
 */
#ifndef CXM_CSV_H
#define CXM_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    bool excel;         /* BOM + ';' separator */
    bool decimal_comma; /* numbers as "3,5" (only with excel: ',' would need quoting otherwise) */
} csv_options;

typedef struct {
    FILE *f;
    char sep;
    bool decimal_comma;
    bool row_started; /* a cell was written in the current row */
    bool failed;      /* out of memory while writing a cell */
} csv_writer;

/* Starts a CSV on f (writes the BOM in the Excel dialect). opts may be NULL
 * (plain RFC 4180, ',' and a decimal point). */
void csv_begin(csv_writer *w, FILE *f, const csv_options *opts);

/* A text cell (NULL is an empty cell): sanitized, neutralised, quoted as
 * needed. */
void csv_text(csv_writer *w, const char *s);
void csv_text_n(csv_writer *w, const char *s, size_t len);
/* Numeric cells, written by the program: never neutralised. A NaN is an
 * empty cell (no value). */
void csv_int(csv_writer *w, long long v);
void csv_num(csv_writer *w, double v);
void csv_empty(csv_writer *w);
/* Ends the row (CRLF). */
void csv_end_row(csv_writer *w);
/* Flushes; 0 when everything was written, -1 on a write (or memory) error. */
int csv_end(csv_writer *w);

/* The shortest "%.Ng" that reads back as exactly v, integers without an
 * exponent; '.' as the decimal point. Shared with the JSON output. */
void csv_format_double(double v, char *out, size_t cap);

#endif
