/* See csv.h. Cells are assembled in memory before they are written because
 * both the quoting and the formula check depend on the sanitized text, not on
 * the bytes a feed sent. */
#include "cxm/csv.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/text.h"

static const char BOM[] = "\xEF\xBB\xBF";

void csv_begin(csv_writer *w, FILE *f, const csv_options *opts)
{
    w->f = f;
    w->sep = opts && opts->excel ? ';' : ',';
    w->decimal_comma = opts && opts->decimal_comma;
    w->row_started = false;
    w->failed = false;
    if (opts && opts->excel)
        fputs(BOM, f);
}

static void start_cell(csv_writer *w)
{
    if (w->row_started)
        putc(w->sep, w->f);
    w->row_started = true;
}

/* Writes s[0..n) as one cell, quoted when RFC 4180 requires it. */
static void put_raw_cell(csv_writer *w, const char *s, size_t n, bool apostrophe)
{
    bool quote = false;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == w->sep || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
    start_cell(w);
    if (quote)
        putc('"', w->f);
    if (apostrophe)
        putc('\'', w->f);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            putc('"', w->f);
        putc(s[i], w->f);
    }
    if (quote)
        putc('"', w->f);
}

/* What Excel, LibreOffice and Google Sheets start a formula (or a DDE call)
 * with; TAB and CR are on the list because some importers strip them and then
 * see the '=' behind them. Leading spaces are skipped for the same reason. */
static bool looks_like_formula(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ')
        i++;
    return i < n && strchr("=+-@\t\r\n", s[i]) != NULL;
}

void csv_text_n(csv_writer *w, const char *s, size_t len)
{
    if (!s || len == 0) {
        csv_empty(w);
        return;
    }
    /* Each input byte yields at most 3 output bytes (an invalid byte becomes
     * U+FFFD), plus 3 for a dotted circle at the start of every line. */
    if (len > (SIZE_MAX - 8) / 6) {
        w->failed = true;
        csv_empty(w);
        return;
    }
    char stackbuf[1024];
    size_t cap = len * 6 + 8;
    char *buf = cap <= sizeof stackbuf ? stackbuf : malloc(cap);
    if (!buf) {
        w->failed = true;
        csv_empty(w);
        return;
    }
    /* Line breaks stay line breaks (a multi-line comment is one cell); CRLF
     * becomes LF, every other control is made visible by the sanitizer. */
    size_t used = 0, i = 0;
    while (i <= len) {
        const char *nl = memchr(s + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t seg = end - i;
        if (nl && seg > 0 && s[end - 1] == '\r')
            seg--;
        used += text_sanitize_utf8(s + i, seg, buf + used, cap - used);
        if (!nl)
            break;
        buf[used++] = '\n';
        i = end + 1;
    }
    put_raw_cell(w, buf, used, looks_like_formula(buf, used));
    if (buf != stackbuf)
        free(buf);
}

void csv_text(csv_writer *w, const char *s)
{
    csv_text_n(w, s, s ? strlen(s) : 0);
}

void csv_empty(csv_writer *w)
{
    start_cell(w);
}

void csv_int(csv_writer *w, long long v)
{
    start_cell(w);
    fprintf(w->f, "%lld", v);
}

void csv_format_double(double v, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    if (!isfinite(v))
        return;
    /* "%.1g" of 50 is "5e+01": exact, but no person or spreadsheet wants it */
    if (v == trunc(v) && v > -1e15 && v < 1e15) {
        snprintf(out, cap, "%lld", (long long)v);
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, cap, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

void csv_num(csv_writer *w, double v)
{
    char b[48];
    csv_format_double(v, b, sizeof b);
    if (w->decimal_comma) {
        char *dot = strchr(b, '.');
        if (dot)
            *dot = ',';
    }
    /* A number is the program's own text: quoted only when its decimal comma
     * is also the separator, never neutralised. */
    put_raw_cell(w, b, strlen(b), false);
}

void csv_end_row(csv_writer *w)
{
    fputs("\r\n", w->f);
    w->row_started = false;
}

int csv_end(csv_writer *w)
{
    if (fflush(w->f) == EOF || ferror(w->f))
        return -1;
    return w->failed ? -1 : 0;
}
