/* See outfmt.h. Names in the store are kept exactly as a feed sent them, so
 * the machine formats must cope with any bytes without emitting escape
 * sequences or invalid UTF-8. */
#include "app/outfmt.h"
#include "app/cliopt.h"
#include "cxm/csv.h"
#include "cxm/text.h"

#include <math.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void outfmt_double(double v, char *out, size_t cap)
{
    if (!isfinite(v))
        snprintf(out, cap, "null");
    else
        csv_format_double(v, out, cap);
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 when invalid, and the
 * code point in *cp. */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
    unsigned c = s[0];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2; v = c & 0x1f; min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3; v = c & 0x0f; min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4; v = c & 0x07; min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

void outfmt_json_string(FILE *f, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    putc('"', f);
    while (*p) {
        uint32_t cp;
        size_t n = utf8_seq(p, &cp);
        if (n == 0) {
            fputs("\\ufffd", f);
            p++;
            continue;
        }
        if (cp == '"' || cp == '\\') {
            putc('\\', f);
            putc((int)cp, f);
        } else if (cp == '\n') {
            fputs("\\n", f);
        } else if (cp == '\t') {
            fputs("\\t", f);
        } else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
                   text_is_invisible_format(cp)) {
            /* escaped, not raw: the value is the same to a JSON reader, and
             * a terminal showing the output cannot be reordered by it */
            fprintf(f, "\\u%04x", (unsigned)cp);
        } else {
            fwrite(p, 1, n, f);
        }
        p += n;
    }
    putc('"', f);
}

int outfmt_excel_flag(const char *cmd, const char *inline_value, bool *excel)
{
    if (inline_value) {
        cliopt_usage_error(cmd, "--excel takes no value");
        return -1;
    }
    *excel = true;
    return 0;
}

int outfmt_excel_check(const char *cmd, bool excel, bool fmt_given, int *fmt)
{
    if (!excel)
        return 0;
    if (fmt_given && *fmt != FMT_CSV) {
        cliopt_usage_error(cmd, "--excel writes CSV: it does not go with --format %s",
                           *fmt == FMT_JSON ? "json" : "table");
        return -1;
    }
    *fmt = FMT_CSV;
    return 0;
}

int outfmt_parse(const char *cmd, const char *val)
{
    static const char *const names[] = {[FMT_TABLE] = "table", [FMT_JSON] = "json", [FMT_CSV] = "csv"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (!strcmp(val, names[i]))
            return i;
    cliopt_usage_error(cmd, "--format: '%s' is not one of table, json, csv", val);
    return -1;
}
