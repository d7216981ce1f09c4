/* Theme files (include/cxm/theme.h): a line parser with no curses, so the
 * fuzzer and unit tests can drive it. Colours resolve to all three depths at
 * parse time; the UI only picks a column. */
#include "cxm/i18n.h"
#include "cxm/rfile.h"
#include "cxm/theme.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const el_names[TH_COUNT] = {
#define THEME_X_NAME(id, name) name,
    THEME_ELEMENTS(THEME_X_NAME)
#undef THEME_X_NAME
};

const char *theme_el_name(theme_el el)
{
    return (unsigned)el < TH_COUNT ? el_names[el] : "?";
}

int theme_el_from_name(const char *name)
{
    for (int i = 0; i < TH_COUNT; i++)
        if (!strcmp(el_names[i], name))
            return i;
    return -1;
}

static const char *const base_names[8] = {"black", "red",     "green", "yellow",
                                          "blue",  "magenta", "cyan",  "white"};

/* The xterm palette, to map a 256-colour number to the nearest of the 16
 * when a file gives no fallback. */
static void xterm_rgb(int n, int rgb[3])
{
    static const int sys[16][3] = {{0, 0, 0},       {205, 0, 0},     {0, 205, 0},
                                   {205, 205, 0},   {0, 0, 238},     {205, 0, 205},
                                   {0, 205, 205},   {229, 229, 229}, {127, 127, 127},
                                   {255, 0, 0},     {0, 255, 0},     {255, 255, 0},
                                   {92, 92, 255},   {255, 0, 255},   {0, 255, 255},
                                   {255, 255, 255}};
    if (n < 16) {
        memcpy(rgb, sys[n], sizeof sys[n]);
    } else if (n < 232) {
        static const int lv[6] = {0, 95, 135, 175, 215, 255};
        n -= 16;
        rgb[0] = lv[n / 36];
        rgb[1] = lv[(n / 6) % 6];
        rgb[2] = lv[n % 6];
    } else {
        rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (n - 232);
    }
}

static int nearest16(int n)
{
    if (n < 16)
        return n;
    int c[3], best = 0;
    long bestd = -1;
    xterm_rgb(n, c);
    for (int i = 0; i < 16; i++) {
        int s[3];
        xterm_rgb(i, s);
        long d = 0;
        for (int k = 0; k < 3; k++)
            d += (long)(c[k] - s[k]) * (c[k] - s[k]);
        if (bestd < 0 || d < bestd) {
            bestd = d;
            best = i;
        }
    }
    return best;
}

/* One colour token: "default", a name, "bright-NAME"/"brightNAME", or 0-255. */
static int parse_one(const char *s, int *out)
{
    if (!strcmp(s, "default") || !strcmp(s, "-1")) {
        *out = THEME_DEFAULT_COLOR;
        return 0;
    }
    if (isdigit((unsigned char)s[0])) {
        char *end;
        errno = 0;
        long v = strtol(s, &end, 10);
        if (*end || errno || v < 0 || v > 255)
            return -1;
        *out = (int)v;
        return 0;
    }
    int bright = 0;
    if (!strncmp(s, "bright-", 7)) {
        bright = 8;
        s += 7;
    } else if (!strncmp(s, "bright", 6)) {
        bright = 8;
        s += 6;
    }
    if (!bright && (!strcmp(s, "grey") || !strcmp(s, "gray"))) {
        *out = 8;
        return 0;
    }
    for (int i = 0; i < 8; i++)
        if (!strcmp(s, base_names[i])) {
            *out = i + bright;
            return 0;
        }
    return -1;
}

/* "C256[/C16[/C8]]" -> the three depths; *bright8 says the 8-colour value
 * stands for a bright colour (drawn as base + bold for a foreground). */
static int parse_colour(char *tok, short out[3], int *bright8)
{
    char *parts[3] = {tok, NULL, NULL};
    int np = 1;
    for (char *p = tok; *p; p++)
        if (*p == '/') {
            if (np == 3)
                return -1;
            *p = '\0';
            parts[np++] = p + 1;
        }
    int v[3];
    for (int i = 0; i < np; i++)
        if (parse_one(parts[i], &v[i]))
            return -1;
    if (np < 2)
        v[1] = v[0] < 0 ? v[0] : nearest16(v[0]);
    if (np < 3)
        v[2] = v[1];
    if (v[1] > 15)
        return -1; /* a 16-colour fallback must be one of the 16 */
    if (v[2] > 15)
        return -1;
    *bright8 = v[2] >= 8;
    if (v[2] >= 8)
        v[2] -= 8;
    for (int i = 0; i < 3; i++)
        out[i] = (short)v[i];
    return 0;
}

static int parse_attr(const char *s, unsigned *bits)
{
    static const struct {
        const char *name;
        unsigned bit;
    } attrs[] = {{"bold", THA_BOLD},          {"dim", THA_DIM},       {"underline", THA_UNDERLINE},
                 {"reverse", THA_REVERSE},    {"italic", THA_ITALIC}, {"blink", THA_BLINK},
                 {"standout", THA_STANDOUT},  {"normal", 0}};
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (!strcmp(s, attrs[i].name)) {
            *bits |= attrs[i].bit;
            return 0;
        }
    return -1;
}

static void set_err(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
    if (!err || !errlen)
        return;
    int n = snprintf(err, errlen, "%s:%d: ", file ? file : "theme", line);
    if (n < 0 || (size_t)n >= errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
    va_end(ap);
}

#define LINE_MAX_THEME 512

/* Parses one line into `st`. Returns 0, or -1 with a reason in why. */
static int parse_line(theme *t, char *line, char *why, size_t whylen)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    char *eq = strchr(line, '=');
    char *p = line;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return 0;
    if (!eq) {
        snprintf(why, whylen, _("expected `element = fg bg [attrs]`"));
        return -1;
    }
    *eq = '\0';
    char *name = p, *e = eq;
    while (e > name && isspace((unsigned char)e[-1]))
        *--e = '\0';
    if (!strcmp(name, "name")) {
        char *v = eq + 1;
        while (isspace((unsigned char)*v))
            v++;
        char *ve = v + strlen(v);
        while (ve > v && isspace((unsigned char)ve[-1]))
            *--ve = '\0';
        snprintf(t->name, sizeof t->name, "%s", v);
        return 0;
    }
    if (!strcmp(name, "background")) {
        char *v = strtok(eq + 1, " \t\r");
        if (v && !strcmp(v, "dark"))
            t->background = THEME_BG_DARK;
        else if (v && !strcmp(v, "light"))
            t->background = THEME_BG_LIGHT;
        else if (v && !strcmp(v, "any"))
            t->background = THEME_BG_ANY;
        else {
            snprintf(why, whylen, _("background: expected dark, light or any"));
            return -1;
        }
        return 0;
    }
    int el = theme_el_from_name(name);
    if (el < 0) {
        snprintf(why, whylen, _("unknown element '%.64s'"), name);
        return -1;
    }
    theme_style st = t->st[el];
    char *tok[16];
    int ntok = 0;
    for (char *s = strtok(eq + 1, " \t\r"); s; s = strtok(NULL, " \t\r")) {
        if (ntok == 16) {
            snprintf(why, whylen, _("too many values"));
            return -1;
        }
        tok[ntok++] = s;
    }
    if (ntok < 2) {
        snprintf(why, whylen, _("%.32s: expected a foreground and a background colour"), name);
        return -1;
    }
    int b8fg, b8bg;
    if (parse_colour(tok[0], st.fg, &b8fg)) {
        snprintf(why, whylen, _("%.32s: bad foreground colour '%.32s'"), name, tok[0]);
        return -1;
    }
    if (parse_colour(tok[1], st.bg, &b8bg)) {
        snprintf(why, whylen, _("%.32s: bad background colour '%.32s'"), name, tok[1]);
        return -1;
    }
    st.extra8 = b8fg ? THA_BOLD : 0;
    st.attrs = 0;
    int mono_given = 0;
    unsigned mono = 0;
    for (int i = 2; i < ntok; i++) {
        if (!strncmp(tok[i], "mono:", 5)) {
            mono_given = 1;
            for (char *a = strtok(tok[i] + 5, ","); a; a = strtok(NULL, ","))
                if (parse_attr(a, &mono)) {
                    snprintf(why, whylen, _("%.32s: unknown attribute '%.32s'"), name, a);
                    return -1;
                }
        } else if (parse_attr(tok[i], &st.attrs)) {
            snprintf(why, whylen, _("%.32s: unknown attribute '%.32s'"), name, tok[i]);
            return -1;
        }
    }
    if (mono_given)
        st.mono = mono;
    t->st[el] = st;
    return 0;
}

int theme_parse(theme *t, const char *text, size_t len, const char *file, char *err, size_t errlen)
{
    theme work = *t;
    size_t pos = 0;
    int lineno = 0;
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        pos = 3;
    while (pos < len) {
        lineno++;
        size_t end = pos;
        while (end < len && text[end] != '\n')
            end++;
        size_t n = end - pos;
        if (n >= LINE_MAX_THEME) {
            set_err(err, errlen, file, lineno, _("line too long"));
            return -1;
        }
        char line[LINE_MAX_THEME];
        memcpy(line, text + pos, n);
        line[n] = '\0';
        if (memchr(line, '\0', n)) {
            set_err(err, errlen, file, lineno, _("NUL byte"));
            return -1;
        }
        char why[160];
        if (parse_line(&work, line, why, sizeof why)) {
            set_err(err, errlen, file, lineno, "%s", why);
            return -1;
        }
        pos = end + 1;
    }
    *t = work;
    return 0;
}

int theme_load_file(theme *t, const char *path, char *err, size_t errlen)
{
    /* a regular file only, read without blocking on a FIFO, at most 64 KiB */
    char *buf, why[128];
    size_t n;
    if (rfile_read(path, 64 * 1024, &buf, &n, why, sizeof why)) {
        snprintf(err, errlen, "%s: %s", path, why);
        return -1;
    }
    int rc = theme_parse(t, buf, n, path, err, errlen);
    free(buf);
    return rc;
}
