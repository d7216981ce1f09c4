/* Where theme files live: the user's dir first, then the given dirs (the
 * source tree and the installed share dir, passed in by the UI). */
#include "cxm/theme.h"
#include "cxm/paths.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The user's own themes (paths.h); malloc'd or NULL. */
static char *user_theme_dir(void)
{
    return paths_user_file(PATHS_CONFIG, "themes");
}

/* A theme name is a name: letters, digits, '-' and '_' (so "../x" or
 * "/etc/passwd" is never a name). */
static int valid_name(const char *name)
{
    if (!*name || strlen(name) > 60)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return 0;
    return 1;
}

int theme_name_kind(const char *name)
{
    if (!name)
        return THEME_BAD_NAME;
    if (strchr(name, '/')) {
        size_t n = strlen(name);
        return n > 6 && !strcmp(name + n - 6, ".theme") ? THEME_IS_PATH : THEME_BAD_NAME;
    }
    return valid_name(name) ? THEME_IS_NAME : THEME_BAD_NAME;
}

static char *try_dir(const char *dir, const char *name)
{
    char buf[4096];
    if (!dir || snprintf(buf, sizeof buf, "%s/%s.theme", dir, name) >= (int)sizeof buf)
        return NULL;
    return access(buf, R_OK) == 0 ? strdup(buf) : NULL;
}

char *theme_find(const char *name, const char *const *dirs)
{
    if (!name)
        return NULL;
    int kind = theme_name_kind(name);
    if (kind == THEME_IS_PATH)
        return access(name, R_OK) == 0 ? strdup(name) : NULL;
    if (kind != THEME_IS_NAME)
        return NULL;
    char *u = user_theme_dir();
    char *found = try_dir(u, name);
    free(u);
    for (size_t i = 0; !found && dirs && dirs[i]; i++)
        found = try_dir(dirs[i], name);
    return found;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_dir(const char *dir, char ***names, size_t *n, size_t *cap)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (len <= 6 || strcmp(de->d_name + len - 6, ".theme"))
            continue;
        char nm[64];
        if (len - 6 >= sizeof nm)
            continue;
        memcpy(nm, de->d_name, len - 6);
        nm[len - 6] = '\0';
        if (!valid_name(nm))
            continue;
        if (*n == *cap) {
            size_t nc = *cap ? *cap * 2 : 16;
            char **nn = realloc(*names, nc * sizeof *nn);
            if (!nn) {
                closedir(d);
                return -1;
            }
            *names = nn;
            *cap = nc;
        }
        if (!((*names)[*n] = strdup(nm))) {
            closedir(d);
            return -1;
        }
        (*n)++;
    }
    closedir(d);
    return 0;
}

int theme_list(const char *const *dirs, char ***names, size_t *n)
{
    size_t cap = 0;
    *names = NULL;
    *n = 0;
    char *u = user_theme_dir();
    int rc = add_dir(u, names, n, &cap);
    free(u);
    for (size_t i = 0; rc == 0 && dirs && dirs[i]; i++)
        rc = add_dir(dirs[i], names, n, &cap);
    if (rc) {
        theme_list_free(*names, *n);
        *names = NULL;
        *n = 0;
        return -1;
    }
    if (*n)
        qsort(*names, *n, sizeof **names, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < *n; i++) {
        if (w && !strcmp((*names)[w - 1], (*names)[i]))
            free((*names)[i]);
        else
            (*names)[w++] = (*names)[i];
    }
    *n = w;
    return 0;
}

void theme_list_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}
