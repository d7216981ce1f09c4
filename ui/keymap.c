/* Key bindings: one key means one action, so a `bind` takes the key away
 * from whatever had it and the help screen stays truthful. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/keymap.h"
#include "cxm/rfile.h"
#include "ui.h"
#include "uikeys.h"

static int bound[ACT_COUNT][UI_KEYS_PER_ACTION];
static int nbound[ACT_COUNT];

static void unbind_key(int key)
{
    for (int a = 0; a < ACT_COUNT; a++)
        for (int i = 0; i < nbound[a]; i++)
            if (bound[a][i] == key) {
                memmove(&bound[a][i], &bound[a][i + 1],
                        (size_t)(nbound[a] - i - 1) * sizeof bound[a][0]);
                nbound[a]--;
                i--;
            }
}

static void bind_key(int action, int key)
{
    unbind_key(key);
    if (nbound[action] < UI_KEYS_PER_ACTION)
        bound[action][nbound[action]++] = key;
}

void ui_keymap_defaults(void)
{
    memset(nbound, 0, sizeof nbound);
    for (int a = 0; a < ACT_COUNT; a++) {
        char keys[128];
        snprintf(keys, sizeof keys, "%s", ui_action_get(a)->keys);
        char *save = NULL;
        for (char *k = strtok_r(keys, " ", &save); k; k = strtok_r(NULL, " ", &save)) {
            int key = keymap_key_from_name(k);
            if (key != KM_KEY_NONE)
                bind_key(a, key);
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
        bind_key(d->action, d->key);
    else
        unbind_key(d->key);
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
    /* A regular file only (a directory or FIFO is an error, not "no
     * keymap"), opened without blocking, at most 64 KiB. */
    char *buf, why[128];
    size_t n;
    errno = 0;
    if (rfile_read(path, 64 * 1024, &buf, &n, why, sizeof why)) {
        int missing_default = def != NULL && errno == ENOENT;
        if (!missing_default)
            snprintf(err, errlen, "%s: %s", path, why);
        free(def);
        return missing_default ? 0 : -1;
    }
    int rc = keymap_parse(buf, n, path, lookup_action, apply, NULL, err, errlen);
    free(buf);
    free(def);
    return rc;
}

int ui_keymap_lookup(int key)
{
    for (int a = 0; a < ACT_COUNT; a++)
        for (int i = 0; i < nbound[a]; i++)
            if (bound[a][i] == key)
                return a;
    return ACT_NONE;
}

const char *ui_keymap_keys(int action, char *out, size_t cap)
{
    size_t len = 0;
    if (cap)
        out[0] = '\0';
    if ((unsigned)action >= ACT_COUNT)
        return out;
    for (int i = 0; i < nbound[action]; i++) {
        char name[KM_NAME_MAX];
        keymap_key_name(bound[action][i], name, sizeof name);
        int w = snprintf(out + len, cap - len, "%s%s", i ? " " : "", name);
        if (w < 0 || (size_t)w >= cap - len)
            break;
        len += (size_t)w;
    }
    return out;
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
    default:
        if (ch >= (unsigned)KEY_F(1) && ch <= (unsigned)KEY_F(12))
            return KM_F0 + (int)(ch - (unsigned)KEY_F0);
        return KM_KEY_NONE;
    }
}
