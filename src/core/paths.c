/* The XDG directories and the installation's share directory (paths.h). */
#include <errno.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxm/paths.h"

#define APP_DIR "cxm-console"

char *paths_join(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    bool slash = la > 0 && a[la - 1] == '/';
    char *p = malloc(la + lb + 2);
    if (!p) return NULL;
    memcpy(p, a, la);
    if (!slash) p[la++] = '/';
    memcpy(p + la, b, lb + 1);
    return p;
}

char *paths_user_dir(paths_base base)
{
    static const struct {
        const char *var, *fallback;
    } kinds[] = {
        [PATHS_CONFIG] = {"XDG_CONFIG_HOME", ".config"},
        [PATHS_DATA] = {"XDG_DATA_HOME", ".local/share"},
        [PATHS_STATE] = {"XDG_STATE_HOME", ".local/state"},
        [PATHS_CACHE] = {"XDG_CACHE_HOME", ".cache"},
    };
    if ((unsigned)base >= sizeof kinds / sizeof kinds[0]) return NULL;
    const char *v = getenv(kinds[base].var);
    if (v && v[0] == '/') return paths_join(v, APP_DIR);
    const char *home = getenv("HOME");
    if (!home || home[0] != '/') return NULL;
    char *root = paths_join(home, kinds[base].fallback);
    char *dir = root ? paths_join(root, APP_DIR) : NULL;
    free(root);
    return dir;
}

char *paths_user_file(paths_base base, const char *name)
{
    char *dir = paths_user_dir(base);
    char *p = dir ? paths_join(dir, name) : NULL;
    free(dir);
    return p;
}

char *paths_expand_home(const char *path)
{
    const char *home = getenv("HOME");
    if (path[0] == '~' && path[1] == '/' && home && *home) return paths_join(home, path + 2);
    return strdup(path);
}

int paths_mkdirs(const char *dir)
{
    char *p = strdup(dir);
    if (!p) return -1;
    int rc = 0;
    for (char *s = p + 1; *s && rc == 0; s++) {
        if (*s != '/') continue;
        *s = '\0';
        if (mkdir(p, 0700) < 0 && errno != EEXIST) rc = -1;
        *s = '/';
    }
    if (rc == 0 && mkdir(p, 0700) < 0 && errno != EEXIST) rc = -1;
    int e = errno;
    free(p);
    errno = e;
    return rc;
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

char *paths_share_for_exe(const char *exe)
{
    /* PREFIX/bin/NAME -> PREFIX */
    const char *slash = strrchr(exe, '/');
    if (!slash || slash == exe) return NULL;
    size_t dirlen = (size_t)(slash - exe);
    if (dirlen < 4 || memcmp(exe + dirlen - 4, "/bin", 4) != 0) return NULL;
    size_t plen = dirlen - 4;
    const char tail[] = "/share/" APP_DIR;
    char *share = malloc(plen + sizeof tail);
    if (!share) return NULL;
    memcpy(share, exe, plen);
    memcpy(share + plen, tail, sizeof tail);
    if (!is_dir(share)) {
        free(share);
        return NULL;
    }
    return share;
}

char *paths_installed_share(void)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    return paths_share_for_exe(exe);
}
