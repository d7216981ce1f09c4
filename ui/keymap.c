/* Key bindings per context: within one context one key means one action,
 * so a `bind` takes the key away from whatever had it there and the help
 * screen stays truthful. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/keymap.h"
#include "ui.h"
#include "uikeys.h"

#define UI_BINDINGS_MAX 1024

/* In binding order, which is the order help and hints list the keys in. */
static struct {
    int key;
    short ctx;
    short action;
} tab[UI_BINDINGS_MAX];
static int ntab;

void ui_keymap_unbind(int ctx, int key)
{
    int o = 0;
    for (int i = 0; i < ntab; i++)
        if (!(tab[i].key == key && (ctx < 0 || tab[i].ctx == ctx)))
            tab[o++] = tab[i];
    ntab = o;
}

int ui_keymap_bind(int ctx, int key, int action)
{
    if (ctx >= KM_CTX_COUNT || (unsigned)action >= ACT_COUNT || key == KM_KEY_NONE)
        return -1;
    ui_keymap_unbind(ctx, key);
    if (ntab == UI_BINDINGS_MAX)
        return -1;
    tab[ntab].key = key;
    tab[ntab].ctx = (short)(ctx < 0 ? KM_CTX_GLOBAL : ctx);
    tab[ntab].action = (short)action;
    ntab++;
    return 0;
}

void ui_keymap_defaults(void)
{
    ntab = 0;
    for (int a = 0; a < ACT_COUNT; a++) {
        const ui_action_info *ai = ui_action_get(a);
        for (int c = 0; c < KM_CTX_COUNT; c++) {
            if (!(ai->ctx & (1u << c)))
                continue;
            char keys[128];
            snprintf(keys, sizeof keys, "%s", ai->keys);
            char *save = NULL;
            for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
                int key = keymap_key_from_name(k);
                if (key != KM_KEY_NONE)
                    ui_keymap_bind(c, key, a);
            }
        }
    }
}

static int lookup_action(const char *name, void *ud)
{
    (void)ud;
    return ui_action_from_name(name);
}

static void apply(const keymap_directive *d, void *ud)
{
    (void)ud;
    if (d->bind)
        ui_keymap_bind(d->ctx, d->key, d->action);
    else
        ui_keymap_unbind(d->ctx, d->key);
}

int ui_keymap_load(const char *path, char *err, size_t errlen)
{
    char *def = NULL;
    if (!path) {
        def = keymap_default_path();
        if (!def)
            return 0;
        path = def;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        int missing_default = def != NULL;
        if (!missing_default)
            snprintf(err, errlen, "%s: cannot open", path);
        free(def);
        return missing_default ? 0 : -1;
    }
    static char buf[64 * 1024];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    int rc;
    if (n == sizeof buf) {
        snprintf(err, errlen, "%s: larger than 64 KiB", path);
        rc = -1;
    } else {
        rc = keymap_parse(buf, n, path, lookup_action, apply, NULL, err, errlen);
    }
    free(def);
    return rc;
}

int ui_keymap_lookup_in(int key, int ctx)
{
    for (int i = 0; i < ntab; i++)
        if (tab[i].key == key && tab[i].ctx == ctx)
            return tab[i].action;
    return ACT_NONE;
}

/* Most specific context first: the higher bits are the narrower ones. */
static int lookup_mask(int key, unsigned mask)
{
    for (int c = KM_CTX_COUNT - 1; c > KM_CTX_GLOBAL; c--)
        if (mask & (1u << c)) {
            int a = ui_keymap_lookup_in(key, c);
            if (a != ACT_NONE)
                return a;
        }
    return ACT_NONE;
}

int ui_keymap_lookup(int key, unsigned pane_ctx, unsigned view_ctx)
{
    int a = lookup_mask(key, pane_ctx);
    if (a == ACT_NONE)
        a = lookup_mask(key, view_ctx);
    if (a == ACT_NONE)
        a = ui_keymap_lookup_in(key, KM_CTX_GLOBAL);
    return a;
}

static const char *keys_of(int action, int ctx, char *out, size_t cap)
{
    size_t len = 0;
    if (!cap)
        return out;
    out[0] = '\0';
    if ((unsigned)action >= ACT_COUNT)
        return out;
    for (int i = 0; i < ntab; i++) {
        if (tab[i].action != action || (ctx >= 0 && tab[i].ctx != ctx))
            continue;
        bool dup = false;
        for (int j = 0; j < i && !dup; j++)
            dup = tab[j].action == action && tab[j].key == tab[i].key &&
                  (ctx < 0 || tab[j].ctx == ctx);
        if (dup)
            continue;
        char name[KM_NAME_MAX];
        keymap_key_name(tab[i].key, name, sizeof name);
        int w = snprintf(out + len, cap - len, "%s%s", len ? " " : "", name);
        if (w < 0 || (size_t)w >= cap - len) {
            out[len] = '\0';
            break;
        }
        len += (size_t)w;
    }
    return out;
}

const char *ui_keymap_keys(int action, char *out, size_t cap)
{
    return keys_of(action, -1, out, cap);
}

const char *ui_keymap_keys_in(int action, int ctx, char *out, size_t cap)
{
    return keys_of(action, ctx, out, cap);
}

int ui_key_from_curses(int rc, unsigned int ch)
{
    if (rc == OK) {
        if (ch == '\r')
            return '\n';
        if (ch == 0x7F || ch == 8)
            return KM_BACKSPACE;
        return (int)ch;
    }
    if (rc != KEY_CODE_YES)
        return KM_KEY_NONE;
    switch (ch) {
    case KEY_UP:
        return KM_UP;
    case KEY_DOWN:
        return KM_DOWN;
    case KEY_LEFT:
        return KM_LEFT;
    case KEY_RIGHT:
        return KM_RIGHT;
    case KEY_HOME:
    case KEY_A1:
        return KM_HOME;
    case KEY_END:
    case KEY_C1:
        return KM_END;
    case KEY_PPAGE:
    case KEY_A3:
        return KM_PGUP;
    case KEY_NPAGE:
    case KEY_C3:
        return KM_PGDN;
    case KEY_IC:
        return KM_INS;
    case KEY_DC:
        return KM_DEL;
    case KEY_BACKSPACE:
        return KM_BACKSPACE;
    case KEY_BTAB:
        return KM_BTAB;
    case KEY_ENTER:
        return '\n';
    case KEY_MOUSE:
        return KM_MOUSE;
    default:
        if (ch >= (unsigned)KEY_F(1) && ch <= (unsigned)KEY_F(12))
            return KM_F0 + (int)(ch - (unsigned)KEY_F0);
        return KM_KEY_NONE;
    }
}
