/* Where the console's files are (the XDG Base Directory rules), in one
 * place: the user's config (config.ini, keys, themes/), data (cxm.db), state
 * (console.log, the screen state) and cache (fetched clip links)
 * directories, and the share directory of the installation the running
 * binary belongs to (shipped themes, checklists). Everything returned is
 * malloc'd; nothing is created unless the function says so. */
#ifndef CXM_PATHS_H
#define CXM_PATHS_H

typedef enum {
    PATHS_CONFIG, /* $XDG_CONFIG_HOME/cxm-console, else ~/.config/cxm-console */
    PATHS_DATA,   /* $XDG_DATA_HOME/cxm-console, else ~/.local/share/cxm-console */
    PATHS_STATE,  /* $XDG_STATE_HOME/cxm-console, else ~/.local/state/cxm-console */
    PATHS_CACHE,  /* $XDG_CACHE_HOME/cxm-console, else ~/.cache/cxm-console */
} paths_base;

/* The console's directory of that kind. An XDG variable counts only when it
 * holds an absolute path (the spec says to ignore relative ones). NULL when
 * neither it nor $HOME is usable, or out of memory. */
char *paths_user_dir(paths_base base);
/* paths_user_dir(base) + "/" + name; NULL as above. */
char *paths_user_file(paths_base base, const char *name);

/* a + "/" + b. */
char *paths_join(const char *a, const char *b);
/* "~/x" -> "$HOME/x"; anything else copied. */
char *paths_expand_home(const char *path);
/* mkdir -p with mode 0700 (the files hold staff data). Returns 0 or -1
 * with errno set. */
int paths_mkdirs(const char *dir);

/* The share directory of an installation: for a binary at PREFIX/bin/NAME,
 * PREFIX/share/cxm-console when that directory exists; NULL for a binary
 * anywhere else (a build tree). Relocatable: it follows where the files
 * are, so a DESTDIR or moved installation finds its own share files. */
char *paths_share_for_exe(const char *exe_path);
/* The same for the running binary (/proc/self/exe). */
char *paths_installed_share(void);

#endif
