/* Key names and the keymap file (include/cxm/keymap.h). No curses here: the
 * UI maps its key codes onto the KM_* values. */
#include "cxm/i18n.h"
#include "cxm/keymap.h"
#include "cxm/paths.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    int key;
} named[] = {
    {"Space", ' '},        {"Enter", '\n'},       {"Return", '\n'},     {"Tab", '\t'},
    {"BTab", KM_BTAB},     {"S-Tab", KM_BTAB},    {"Esc", 27},          {"Escape", 27},
    {"Backspace", KM_BACKSPACE}, {"BS", KM_BACKSPACE}, {"Del", KM_DEL}, {"Delete", KM_DEL},
    {"Ins", KM_INS},       {"Insert", KM_INS},    {"Up", KM_UP},        {"Down", KM_DOWN},
    {"Left", KM_LEFT},     {"Right", KM_RIGHT},   {"Home", KM_HOME},    {"End", KM_END},
    {"PgUp", KM_PGUP},     {"PageUp", KM_PGUP},   {"PgDn", KM_PGDN},    {"PageDown", KM_PGDN},
};

/* Decodes exactly one UTF-8 character filling s; -1 otherwise. */
static int utf8_single(const unsigned char *s, size_t len)
{
    if (len == 1)
        return s[0] < 0x80 ? s[0] : -1;
    int need, cp;
    if ((s[0] & 0xE0) == 0xC0) {
        need = 2;
        cp = s[0] & 0x1F;
    } else if ((s[0] & 0xF0) == 0xE0) {
        need = 3;
        cp = s[0] & 0x0F;
    } else if ((s[0] & 0xF8) == 0xF0) {
        need = 4;
        cp = s[0] & 0x07;
    } else {
        return -1;
    }
    if ((size_t)need != len)
        return -1;
    for (int i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return -1;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    static const int min[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[need] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return -1;
    return cp;
}

static const char *const ctx_names[KM_CTX_COUNT] = {
    "global", "list", "dashboard", "stream", "kpi", "alerts", "detail", "help", "player", "form", "queue", "causes", "card"};

int keymap_context_from_name(const char *name)
{
    for (int i = 0; i < KM_CTX_COUNT; i++)
        if (!strcasecmp(name, ctx_names[i]))
            return i;
    return -1;
}

const char *keymap_context_name(int ctx)
{
    return ctx >= 0 && ctx < KM_CTX_COUNT ? ctx_names[ctx] : "?";
}

static int key_from_name(const char *name);

int keymap_key_from_name(const char *name)
{
    /* M-x: Meta + any other key ("M-" alone is not a key; "M" is). */
    if ((name[0] == 'M' || name[0] == 'm') && name[1] == '-' && name[2]) {
        int k = key_from_name(name + 2);
        return k == KM_KEY_NONE ? KM_KEY_NONE : (k | KM_META);
    }
    return key_from_name(name);
}

static int key_from_name(const char *name)
{
    size_t len = strlen(name);
    if (!len)
        return KM_KEY_NONE;
    int cp = utf8_single((const unsigned char *)name, len);
    if (cp >= 0)
        return cp < 0x20 || cp == 0x7F ? KM_KEY_NONE : cp;
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        if (!strcasecmp(name, named[i].name))
            return named[i].key;
    if ((name[0] == 'F' || name[0] == 'f') && len <= 3 && isdigit((unsigned char)name[1]) &&
        (len == 2 || isdigit((unsigned char)name[2]))) {
        int n = atoi(name + 1);
        return n >= 1 && n <= 12 ? KM_F0 + n : KM_KEY_NONE;
    }
    /* C-x and ^X: Ctrl + a letter (or one of @[\]^_) */
    if (len == 3 && (name[0] == 'C' || name[0] == 'c') && name[1] == '-')
        name += 2;
    else if (len == 2 && name[0] == '^')
        name += 1;
    else
        return KM_KEY_NONE;
    int c = toupper((unsigned char)name[0]);
    if (c >= '@' && c <= '_' && c != '[' && c != 'I' && c != 'J' && c != 'M')
        return c - '@'; /* C-[ is Esc, C-i Tab, C-j/C-m Enter: use their own names */
    return KM_KEY_NONE;
}

static void put_utf8(int cp, char *out, size_t cap)
{
    unsigned char b[5];
    size_t n;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    if (n + 1 > cap)
        n = 0;
    memcpy(out, b, n);
    out[n] = '\0';
}

char *keymap_key_name(int key, char *out, size_t cap)
{
    if (!cap)
        return out;
    out[0] = '\0';
    if (KM_IS_META(key)) {
        if (cap < 3)
            return out;
        memcpy(out, "M-", 3);
        keymap_key_name(key & ~KM_META, out + 2, cap - 2);
        return out;
    }
    if (key == ' ') {
        snprintf(out, cap, "Space");
    } else if (key == '\n') {
        snprintf(out, cap, "Enter");
    } else if (key == '\t') {
        snprintf(out, cap, "Tab");
    } else if (key == 27) {
        snprintf(out, cap, "Esc");
    } else if (key > 0 && key < 0x20) {
        /* Letters read better in lower case; C-\ C-] C-^ C-_ keep their sign. */
        snprintf(out, cap, "C-%c", key <= 26 ? key + 'a' - 1 : key + '@');
    } else if (key == 0) {
        snprintf(out, cap, "C-@");
    } else if (key > KM_F0 && key <= KM_F0 + 12) {
        snprintf(out, cap, "F%d", key - KM_F0);
    } else if (key >= KM_SPECIAL && key < KM_META) {
        for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
            if (named[i].key == key) {
                snprintf(out, cap, "%s", named[i].name);
                break;
            }
        if (!out[0])
            snprintf(out, cap, "?");
    } else if (key > 0x20 && key <= 0x10FFFF && key != 0x7F) {
        put_utf8(key, out, cap);
    } else {
        snprintf(out, cap, "?");
    }
    return out;
}

static int fail(char *err, size_t errlen, const char *file, int line, const char *fmt, ...)
{
    if (err && errlen) {
        int n = snprintf(err, errlen, "%s:%d: ", file ? file : "keys", line);
        if (n >= 0 && (size_t)n < errlen) {
            va_list ap;
            va_start(ap, fmt);
            vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
            va_end(ap);
        }
    }
    return -1;
}

#define KM_LINE_MAX 512

int keymap_parse(const char *text, size_t len, const char *file, keymap_lookup_fn lookup,
                 keymap_apply_fn apply, void *ud, char *err, size_t errlen)
{
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
        pos = end + 1;
        if (n >= KM_LINE_MAX)
            return fail(err, errlen, file, lineno, _("line too long"));
        char line[KM_LINE_MAX];
        memcpy(line, text + pos - n - 1, n);
        line[n] = '\0';
        if (strlen(line) != n)
            return fail(err, errlen, file, lineno, _("NUL byte"));
        char *tok[6];
        int nt = 0;
        for (char *s = strtok(line, " \t\r"); s && nt < 6; s = strtok(NULL, " \t\r"))
            tok[nt++] = s;
        /* '#' starts a comment only as a word of its own, so "bind # x" binds '#'. */
        if (nt == 0 || tok[0][0] == '#')
            continue;
        /* A context is a word no key is called, so `bind list j down` and
         * `bind j down` cannot be confused. */
        int ctx = nt > 1 ? keymap_context_from_name(tok[1]) : -1;
        int base = ctx >= 0 ? 2 : 1;
        int isbind = !strcmp(tok[0], "bind");
        for (int i = base + 1 + isbind; i < nt; i++)
            if (tok[i][0] == '#') {
                nt = i;
                break;
            }
        keymap_directive d = {lineno, 0, KM_KEY_NONE, -1, ctx};
        if (isbind) {
            if (nt != base + 2)
                return fail(err, errlen, file, lineno,
                            _("expected `bind [context] <key> <action>`"));
            d.bind = 1;
        } else if (!strcmp(tok[0], "unbind")) {
            if (nt != base + 1)
                return fail(err, errlen, file, lineno, _("expected `unbind [context] <key>`"));
        } else {
            return fail(err, errlen, file, lineno, _("unknown directive '%.32s' (bind, unbind)"),
                        tok[0]);
        }
        d.key = keymap_key_from_name(tok[base]);
        if (d.key == KM_KEY_NONE)
            return fail(err, errlen, file, lineno, _("unknown key '%.32s'"), tok[base]);
        if (d.bind) {
            d.action = lookup ? lookup(tok[base + 1], ud) : -1;
            if (d.action < 0)
                return fail(err, errlen, file, lineno, _("unknown action '%.48s'"), tok[base + 1]);
        }
        if (apply)
            apply(&d, ud);
    }
    return 0;
}

char *keymap_default_path(void)
{
    return paths_user_file(PATHS_CONFIG, "keys");
}
