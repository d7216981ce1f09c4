/* Where checklist definitions live and loading a directory of them.
 * Search order (later overrides earlier by id):
 *   1. the shipped definitions: $CXM_CHECKLISTS_DIR when set; else next to
 *      the executable (<prefix>/bin/../share/cxm-console/checklists, which
 *      also holds for a DESTDIR or relocated install); else the source tree's
 *      data/checklists (an uninstalled build); else the configured install
 *      prefix's share dir;
 *   2. the user's $XDG_CONFIG_HOME/cxm-console/checklists. */
#include "cxm/i18n.h"
#include "cxm/checklist.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxm/paths.h"
#include "cxm/mem.h"

static int is_dir(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* PREFIX/share/cxm-console/checklists of the installation this binary
 * belongs to (the paths module follows the executable). */
static char *exe_relative_dir(void)
{
    char *share = paths_installed_share();
    char *d = share ? paths_join(share, "checklists") : NULL;
    free(share);
    if (d && !is_dir(d)) {
        free(d);
        d = NULL;
    }
    return d;
}

static char *shipped_dir(void)
{
    const char *env = getenv("CXM_CHECKLISTS_DIR");
    if (env && *env)
        return strdup(env);
    char *d = exe_relative_dir();
    if (d)
        return d;
#ifdef CXM_CHECKLISTS_SRC_DIR
    if (is_dir(CXM_CHECKLISTS_SRC_DIR))
        return strdup(CXM_CHECKLISTS_SRC_DIR);
#endif
#ifdef CXM_INSTALLED_CHECKLISTS_DIR
    if (is_dir(CXM_INSTALLED_CHECKLISTS_DIR))
        return strdup(CXM_INSTALLED_CHECKLISTS_DIR);
#endif
    return NULL;
}

char **checklist_default_dirs(void)
{
    char **dirs = calloc(3, sizeof *dirs);
    if (!dirs)
        return NULL;
    int n = 0;
    if ((dirs[n] = shipped_dir()))
        n++;
    if ((dirs[n] = paths_user_file(PATHS_CONFIG, "checklists")))
        n++;
    return dirs;
}

void checklist_dirs_free(char **dirs)
{
    for (size_t i = 0; dirs && dirs[i]; i++)
        free(dirs[i]);
    free(dirs);
}

static int add_error(checklist_set *set, const char *msg)
{
    char **v = realloc(set->errors, (set->nerrors + 1) * sizeof *v);
    if (!v)
        return -1;
    set->errors = v;
    if (!(v[set->nerrors] = strdup(msg)))
        return -1;
    set->nerrors++;
    return 0;
}

static int add_def(checklist_set *set, checklist *c, size_t *cap)
{
    for (size_t i = 0; i < set->n; i++)
        if (!strcmp(set->v[i]->id, c->id)) {
            checklist_free(set->v[i]);
            set->v[i] = c;
            return 0;
        }
    if (mem_grow(&set->v, cap, set->n, sizeof *set->v, 4) != 0)
        return -1;
    set->v[set->n++] = c;
    return 0;
}

/* Reads a whole file of at most CHECKLIST_FILE_MAX bytes; malloc'd. */
static char *read_file(const char *path, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *buf = malloc(CHECKLIST_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, CHECKLIST_FILE_MAX + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) {
        snprintf(err, errlen, "%s: %s", path, buf ? _("read error") : _("out of memory"));
        free(buf);
        return NULL;
    }
    if (n > CHECKLIST_FILE_MAX) {
        snprintf(err, errlen, _("%s: $: larger than %d bytes"), path, CHECKLIST_FILE_MAX);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_def(const void *a, const void *b)
{
    return strcmp((*(checklist *const *)a)->id, (*(checklist *const *)b)->id);
}

static int load_dir(checklist_set *set, const char *dir, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0; /* an absent user dir is the usual case */
    char **names = NULL;
    size_t n = 0, ncap = 0;
    struct dirent *de;
    int rc = 0;
    while (rc == 0 && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".json"))
            continue;
        if (mem_grow(&names, &ncap, n, sizeof *names, 8) != 0 || !(names[n] = strdup(de->d_name)))
            rc = -1;
        else
            n++;
    }
    closedir(d);
    /* a stable order, so "which file wins" does not depend on the file system */
    if (n)
        qsort(names, n, sizeof *names, cmp_name);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char path[PATH_MAX], err[PATH_MAX + 512];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        size_t len = 0;
        char *text = read_file(path, &len, err, sizeof err);
        checklist *c = NULL;
        if (text && checklist_parse(text, len, path, &c, err, sizeof err) == 0) {
            if (!(c->path = strdup(path)) || add_def(set, c, cap) != 0) {
                checklist_free(c);
                rc = -1;
            }
        } else if (add_error(set, err) != 0) {
            rc = -1;
        }
        free(text);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int checklist_load_dirs(checklist_set *set, const char *const *dirs)
{
    memset(set, 0, sizeof *set);
    size_t cap = 0;
    for (size_t i = 0; dirs && dirs[i]; i++)
        if (load_dir(set, dirs[i], &cap) != 0)
            return -1;
    if (set->n)
        qsort(set->v, set->n, sizeof *set->v, cmp_def);
    return 0;
}

int checklist_load_default(checklist_set *set)
{
    char **dirs = checklist_default_dirs();
    if (!dirs) {
        memset(set, 0, sizeof *set);
        return -1;
    }
    int rc = checklist_load_dirs(set, (const char *const *)dirs);
    checklist_dirs_free(dirs);
    return rc;
}

void checklist_set_free(checklist_set *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        checklist_free(set->v[i]);
    for (size_t i = 0; i < set->nerrors; i++)
        free(set->errors[i]);
    free(set->v);
    free(set->errors);
    memset(set, 0, sizeof *set);
}
