/* The one text module. Input is decoded as UTF-8 here, never by the C
 * library, so invalid bytes are found the same way in every locale. Widths
 * come from glibc's wcwidth() evaluated under a private "C.UTF-8" locale
 * (uselocale), so they match what ncursesw computes in a UTF-8 terminal
 * whatever LC_CTYPE the process has; a small built-in table is the fallback
 * when no UTF-8 locale exists on the system.
 *
 * Text is handled in clusters: a printable character plus the zero-width
 * characters that follow it (combining marks, variation selectors). Bidi
 * controls and zero-width format characters (ZWSP, ZWJ, BOM...) are shown as
 * "<202E>": see text_is_invisible_format().
 * Truncation only ever cuts between clusters. */
#include <langinfo.h>
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <wchar.h>

#include "cxm/text.h"

/* ncurses keeps at most 5 characters per cell (CCHARW_MAX): a base and four
 * marks. Keeping the same limit stops "zalgo" text from piling up bytes and
 * keeps what we measure equal to what curses draws. */
#define MARKS_MAX 4

static int mode = -1; /* -1: not decided yet, 0: ASCII, 1: UTF-8 */
static pthread_once_t loc_once = PTHREAD_ONCE_INIT;
static locale_t utf8_loc; /* (locale_t)0 when the system has no C.UTF-8 */

static void load_utf8_locale(void)
{
    utf8_loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

void text_init(void)
{
    const char *cs = nl_langinfo(CODESET);
    mode = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0) ? 1 : 0;
}

void text_set_utf8(bool utf8)
{
    mode = utf8 ? 1 : 0;
}

bool text_is_utf8(void)
{
    if (mode < 0) text_init();
    return mode == 1;
}

typedef struct {
    uint32_t lo, hi;
} range;

/* Fallback only (no UTF-8 locale installed): the common zero-width and
 * East Asian wide ranges. */
static const range fb_zero[] = {
    {0x0300, 0x036F}, {0x0483, 0x0489}, {0x0591, 0x05BD},   {0x0610, 0x061A}, {0x064B, 0x065F},
    {0x0E31, 0x0E31}, {0x0E34, 0x0E3A}, {0x0E47, 0x0E4E},   {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},   {0xE0100, 0xE01EF},
};
static const range fb_wide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x23E9, 0x23EC},
    {0x25FD, 0x25FE},   {0x2614, 0x2615},   {0x2648, 0x2653},   {0x26A1, 0x26A1},
    {0x26BD, 0x26BE},   {0x26C4, 0x26C5},   {0x26D4, 0x26D4},   {0x26EA, 0x26EA},
    {0x26F2, 0x26F5},   {0x2705, 0x2705},   {0x270A, 0x270B},   {0x274C, 0x274C},
    {0x2753, 0x2757},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},
    {0xFE30, 0xFE4F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

static bool in_ranges(uint32_t cp, const range *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (cp >= r[i].lo && cp <= r[i].hi) return true;
    return false;
}

static int fallback_width(uint32_t cp)
{
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF || (cp & 0xFFFE) == 0xFFFE) return -1;
    if (in_ranges(cp, fb_zero, sizeof fb_zero / sizeof *fb_zero)) return 0;
    return in_ranges(cp, fb_wide, sizeof fb_wide / sizeof *fb_wide) ? 2 : 1;
}

static int cp_width(uint32_t cp)
{
    /* Latin-1, Latin Extended-A/B and Cyrillic (our users' names)
     * are one column, except Cyrillic's combining marks U+0483-U+0489: no
     * need to switch locales to ask. */
    if ((cp >= 0xA0 && cp < 0x300) || (cp >= 0x400 && cp < 0x483) || (cp > 0x489 && cp < 0x530))
        return 1;
    pthread_once(&loc_once, load_utf8_locale);
    if (!utf8_loc) return fallback_width(cp);
    locale_t old = uselocale(utf8_loc);
    int w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w;
}

/* Strict UTF-8: no overlongs, no surrogates, nothing above U+10FFFF.
 * Returns the sequence length, or 0 when s[0] does not start a valid one. */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char b = s[0];
    size_t n;
    uint32_t c, min;
    if (b < 0x80) {
        *cp = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        n = 2, c = b & 0x1F, min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3, c = b & 0x0F, min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4, c = b & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (len < n) return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
    *cp = c;
    return n;
}

/* Format characters that draw nothing yet change what the reader sees: bidi
 * embeddings, overrides, isolates and marks reorder the text after them (an
 * RLO turns "gnp.exe" into "exe.png"), and zero-width characters make two
 * different ids look the same. The terminal must not act on them and a person
 * must be able to see them, so they are shown like the C1 controls. The other
 * invisible operators (U+2061-2064) and deprecated format controls
 * (U+206A-206F) go with them. */
bool text_is_invisible_format(uint32_t cp)
{
    return cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x2064) || (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF;
}

/* One input character as it will be shown. */
typedef struct {
    char b[8];
    int n;     /* bytes in b */
    int w;     /* columns */
    bool mark; /* zero-width: belongs to the preceding character */
} tok;

static const char REPL_UTF8[] = "\xEF\xBF\xBD"; /* U+FFFD */

static size_t next_tok(const unsigned char *s, size_t len, bool utf8, tok *t)
{
    unsigned char b = s[0];
    t->mark = false;
    if (b < 0x20 || b == 0x7F) {
        /* Caret form for C0 and DEL: ESC becomes "^[", so an escape
         * sequence shows as its text ("^[[31m", "^[]0;x^G") and does
         * nothing to the terminal. */
        t->b[0] = '^';
        t->b[1] = b == 0x7F ? '?' : (char)(b + 0x40);
        t->n = t->w = 2;
        return 1;
    }
    if (b < 0x80) {
        t->b[0] = (char)b;
        t->n = t->w = 1;
        return 1;
    }
    uint32_t cp;
    size_t n = utf8_decode(s, len, &cp);
    if (n == 0) {
        if (utf8) {
            memcpy(t->b, REPL_UTF8, 3);
            t->n = 3;
        } else {
            t->b[0] = '?';
            t->n = 1;
        }
        t->w = 1;
        return 1;
    }
    if (cp < 0xA0) {
        /* C1 controls: U+009B is a CSI on some terminals. */
        static const char hex[] = "0123456789ABCDEF";
        memcpy(t->b, "<..>", 4);
        t->b[1] = hex[cp >> 4];
        t->b[2] = hex[cp & 15];
        t->n = t->w = 4;
        return n;
    }
    if (text_is_invisible_format(cp)) {
        /* Shown as the code point, in ASCII so both modes agree. */
        static const char hex[] = "0123456789ABCDEF";
        t->b[0] = '<';
        for (int k = 0; k < 4; k++)
            t->b[1 + k] = hex[(cp >> (12 - 4 * k)) & 15];
        t->b[5] = '>';
        t->n = t->w = 6;
        return n;
    }
    int w = cp_width(cp);
    if (w == 0) {
        t->mark = true;
        t->w = 0;
        /* ASCII output cannot show a mark; its base already became '?'. */
        if (utf8) {
            memcpy(t->b, s, n);
            t->n = (int)n;
        } else {
            t->n = 0;
        }
        return n;
    }
    if (!utf8) {
        t->b[0] = '?';
        t->n = t->w = 1;
    } else if (w < 0) {
        /* Unassigned or unprintable (e.g. U+2028): the terminal's idea of
         * its width is anyone's guess, so show the replacement instead. */
        memcpy(t->b, REPL_UTF8, 3);
        t->n = 3;
        t->w = 1;
    } else {
        memcpy(t->b, s, n);
        t->n = (int)n;
        t->w = w;
    }
    return n;
}

/* A mark at the very start of a text has no base here and would fall onto
 * whatever the terminal drew before it (a column border); it is shown on a
 * dotted circle instead, as fonts do for an isolated mark. */
static const char ORPHAN_BASE[] = "\xE2\x97\x8C"; /* U+25CC, one column */

/* A cluster: one character and the marks that follow it (at most MARKS_MAX
 * are kept). Returns the input bytes it spans; sets its output size/width. */
static size_t cluster_span(const unsigned char *s, size_t len, bool utf8, bool at_start,
                           size_t *bytes, int *width)
{
    tok t;
    size_t i = next_tok(s, len, utf8, &t);
    size_t nb = (size_t)t.n;
    int marks = t.mark ? 1 : 0;
    *width = t.w;
    if (t.mark && utf8 && at_start) {
        nb += 3;
        *width = 1;
    }
    while (i < len) {
        size_t k = next_tok(s + i, len - i, utf8, &t);
        if (!t.mark) break;
        if (marks++ < MARKS_MAX) nb += (size_t)t.n;
        i += k;
    }
    *bytes = nb;
    return i;
}

static size_t cluster_write(const unsigned char *s, size_t span, bool utf8, bool at_start,
                            char *out)
{
    size_t i = 0, o = 0;
    int marks = 0;
    tok t;
    while (i < span) {
        i += next_tok(s + i, span - i, utf8, &t);
        if (t.mark && utf8 && at_start && o == 0 && marks == 0) {
            memcpy(out, ORPHAN_BASE, 3);
            o = 3;
        }
        if (t.mark && marks++ >= MARKS_MAX) continue;
        memcpy(out + o, t.b, (size_t)t.n);
        o += (size_t)t.n;
    }
    return o;
}

int text_width(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    bool utf8 = text_is_utf8();
    size_t i = 0;
    int w = 0;
    while (i < len) {
        tok t;
        size_t k = next_tok(s + i, len - i, utf8, &t);
        if (i == 0 && t.mark && utf8) w++; /* ORPHAN_BASE */
        w += t.w;
        i += k;
    }
    return w;
}

static size_t sanitize(const char *str, size_t len, bool utf8, char *out, size_t outcap)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, used = 0;
    if (outcap == 0) return 0;
    while (i < len) {
        size_t nb;
        int cw;
        size_t span = cluster_span(s + i, len - i, utf8, i == 0, &nb, &cw);
        if (used + nb > outcap - 1) break;
        used += cluster_write(s + i, span, utf8, i == 0, out + used);
        i += span;
    }
    out[used] = '\0';
    return used;
}

size_t text_sanitize(const char *str, size_t len, char *out, size_t outcap)
{
    return sanitize(str, len, text_is_utf8(), out, outcap);
}

size_t text_sanitize_utf8(const char *str, size_t len, char *out, size_t outcap)
{
    return sanitize(str, len, true, out, outcap);
}

int text_fit(const char *str, size_t len, int cols, bool pad, char *out, size_t outcap)
{
    const unsigned char *s = (const unsigned char *)str;
    bool utf8 = text_is_utf8();
    const char *ell = utf8 ? "\xE2\x80\xA6" : "...";
    const int ellw = utf8 ? 1 : 3;
    const size_t ellb = 3;

    if (outcap == 0) return 0;
    out[0] = '\0';
    if (cols <= 0) return 0;
    if (outcap < ellb + 1) return 0;

    bool fits = text_width(str, len) <= cols;
    size_t i = 0, used = 0, safe_used = 0;
    int w = 0, safe_w = 0;
    bool cut = false;
    while (i < len) {
        size_t nb;
        int cw;
        size_t span = cluster_span(s + i, len - i, utf8, i == 0, &nb, &cw);
        int limit = fits ? cols : cols - ellw;
        size_t padb = pad && cols > w + cw ? (size_t)(cols - w - cw) : 0;
        /* Room is kept for an ellipsis and the padding at every step, so
         * running out of buffer can always end in a clean cut. */
        if (w + cw > limit || used + nb + ellb + padb > outcap - 1) {
            cut = true;
            break;
        }
        used += cluster_write(s + i, span, utf8, i == 0, out + used);
        w += cw;
        i += span;
        if (w <= cols - ellw) {
            safe_used = used;
            safe_w = w;
        }
    }
    if (cut) {
        if (cols < ellw) {
            /* Too narrow for "...": show as many dots as there are columns. */
            memset(out, '.', (size_t)cols);
            out[cols] = '\0';
            return cols;
        }
        used = safe_used;
        w = safe_w;
        memcpy(out + used, ell, ellb);
        used += ellb;
        w += ellw;
    }
    while (pad && w < cols && used < outcap - 1) {
        out[used++] = ' ';
        w++;
    }
    out[used] = '\0';
    return w;
}

int text_fit_right(const char *s, size_t len, int cols, char *out, size_t outcap)
{
    int w = text_fit(s, len, cols, false, out, outcap);
    if (w >= cols) return w;
    size_t n = strlen(out), shift = (size_t)(cols - w);
    if (n + shift > outcap - 1) return w;
    memmove(out + shift, out, n + 1);
    memset(out, ' ', shift);
    return cols;
}

size_t text_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
    if (len == 0) return 0;
    return utf8_decode((const unsigned char *)s, len, cp);
}

size_t text_utf8_encode(uint32_t cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp > 0x10FFFF) return 0;
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

int text_cp_width(uint32_t cp)
{
    char b[4];
    size_t n = text_utf8_encode(cp, b);
    if (n == 0) return 1; /* shown as the replacement character */
    tok t;
    next_tok((const unsigned char *)b, n, text_is_utf8(), &t);
    return t.w;
}
