/* Themes on curses: one colour pair per element, chosen for the depth the
 * terminal has. init_color is never called (DESIGN §11: the user's palette
 * is theirs); NO_COLOR or no colour support gives the monochrome look. */
#include <stdlib.h>
#include <string.h>

#include "cxm/paths.h"
#include "ui.h"
#include "uitheme.h"

static theme current;
static attr_t attrs[TH_COUNT];
static theme_depth depth = THEME_DEPTH_MONO;
static bool default_colors;
/* Where the cycle key is: a broken theme is skipped over, not retried. */
static char cycle_at[64];

const char *const *ui_theme_dirs(void)
{
    /* A relocated tree (tests, packages) points here instead. */
    static const char *env_dirs[2];
    const char *env = getenv("CXM_THEMES_DIR");
    if (env && *env) {
        env_dirs[0] = env;
        return env_dirs;
    }
    /* After the user's own directory (theme_find looks there first): the
     * installation this binary runs from, found from its own location so a
     * DESTDIR or moved installation works; the configured install prefix;
     * the source tree, for a binary run from its build directory. */
    static const char *dirs[4];
    static char *installed;
    if (!dirs[0]) {
        size_t n = 0;
        char *share = paths_installed_share();
        if (share && !installed)
            installed = paths_join(share, "themes");
        free(share);
        if (installed)
            dirs[n++] = installed;
#ifdef CXM_INSTALLED_THEMES_DIR
        dirs[n++] = CXM_INSTALLED_THEMES_DIR;
#endif
#ifdef CXM_THEMES_DIR
        dirs[n++] = CXM_THEMES_DIR;
#endif
        dirs[n] = NULL;
    }
    return dirs;
}

void ui_theme_init(void)
{
    const char *nc = getenv("NO_COLOR");
    depth = THEME_DEPTH_MONO;
    if ((nc && *nc) || !has_colors() || start_color() == ERR)
        return;
    default_colors = use_default_colors() == OK;
    if (COLOR_PAIRS <= TH_COUNT)
        return;
    if (COLORS >= 256)
        depth = THEME_DEPTH_256;
    else if (COLORS >= 16)
        depth = THEME_DEPTH_16;
    else if (COLORS >= 8)
        depth = THEME_DEPTH_8;
}

theme_depth ui_theme_depth(void)
{
    return depth;
}

static attr_t to_attr(unsigned bits)
{
    attr_t a = A_NORMAL;
    if (bits & THA_BOLD)
        a |= A_BOLD;
    if (bits & THA_DIM)
        a |= A_DIM;
    if (bits & THA_UNDERLINE)
        a |= A_UNDERLINE;
    if (bits & THA_REVERSE)
        a |= A_REVERSE;
    if (bits & THA_ITALIC)
        a |= A_ITALIC;
    if (bits & THA_BLINK)
        a |= A_BLINK;
    if (bits & THA_STANDOUT)
        a |= A_STANDOUT;
    return a;
}

/* Without use_default_colors "default" must become a real colour. */
static short real(short c, bool fg)
{
    if (c >= 0 || default_colors)
        return c;
    return fg ? COLOR_WHITE : COLOR_BLACK;
}

void ui_theme_apply(const theme *t)
{
    current = *t;
    for (int i = 0; i < TH_COUNT; i++) {
        const theme_style *s = &t->st[i];
        if (depth == THEME_DEPTH_MONO) {
            attrs[i] = to_attr(s->mono);
            continue;
        }
        int d = (int)depth;
        init_pair((short)(i + 1), real(s->fg[d], true), real(s->bg[d], false));
        unsigned bits = s->attrs | (depth == THEME_DEPTH_8 ? s->extra8 : 0);
        attrs[i] = COLOR_PAIR(i + 1) | to_attr(bits);
    }
}

attr_t ui_attr(ui_el el)
{
    return (unsigned)el < TH_COUNT ? attrs[el] : A_NORMAL;
}

const char *ui_theme_name(void)
{
    return current.name[0] ? current.name : "default";
}

int ui_theme_load(const char *name, char *err, size_t errlen)
{
    theme t;
    theme_builtin(&t);
    if (!name || !strcmp(name, "builtin")) {
        ui_theme_apply(&t);
        return 0;
    }
    char *path = theme_find(name, ui_theme_dirs());
    if (!path) {
        if (!strcmp(name, "default")) { /* no files installed: the built-in is it */
            ui_theme_apply(&t);
            return 0;
        }
        snprintf(err, errlen, "%s: %s", name, _("theme not found"));
        return -1;
    }
    int rc = theme_load_file(&t, path, err, errlen);
    free(path);
    if (rc)
        return -1;
    if (!strchr(name, '/'))
        snprintf(t.name, sizeof t.name, "%s", name);
    ui_theme_apply(&t);
    return 0;
}

int ui_theme_cycle(char *err, size_t errlen)
{
    char **names;
    size_t n;
    if (theme_list(ui_theme_dirs(), &names, &n) || n == 0) {
        snprintf(err, errlen, "%s", _("theme not found"));
        return -1;
    }
    size_t next = 0;
    const char *at = cycle_at[0] ? cycle_at : ui_theme_name();
    for (size_t i = 0; i < n; i++)
        if (!strcmp(names[i], at)) {
            next = (i + 1) % n;
            break;
        }
    /* A broken file in the cycle is reported and skipped over next time. */
    int rc = ui_theme_load(names[next], err, errlen);
    snprintf(cycle_at, sizeof cycle_at, "%s", names[next]);
    theme_list_free(names, n);
    return rc;
}
