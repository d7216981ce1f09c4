/* cxm-console with no subcommand: the TUI over the configured sources and
 * database, or --demo: the embedded live demo in a throwaway database. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "app/cliopt.h"
#include "app/commands.h"
#include "cxm/text.h"
#include "cxm/theme.h"
#include "app/opts.h"
#include "cxm/alert_forward.h"
#include "cxm/feed.h"
#include "cxm/i18n.h"
#include "cxm/loop.h"
#include "cxm/store.h"

/* The demo's database lives in a private temp dir, removed on exit. */
static int demo_dir(char *dir, size_t cap)
{
    const char *tmp = getenv("TMPDIR");
    if (!tmp || !*tmp)
        tmp = "/tmp";
    if (snprintf(dir, cap, "%s/cxm-demo-XXXXXX", tmp) >= (int)cap)
        return -1;
    return mkdtemp(dir) ? 0 : -1;
}

static void demo_cleanup(const char *dir)
{
    static const char *const files[] = {"cxm.db", "cxm.db-wal", "cxm.db-shm", "cxm.db-journal"};
    char path[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

int cmd_console(int argc, char **argv)
{
    app_opts o;
    opts_init(&o, "console");
    cliopt c;
    cliopt_init(&c, "console", argc, argv);
    const char *name, *value, *theme_opt = NULL;
    bool demo = false;
    int lang = -1, r;
    while ((r = cliopt_next(&c, &name, &value)) != 0) {
        if (r == 2)
            return cliopt_usage_error("console", "unexpected argument '%s' (unknown command?)",
                                      value);
        int t = opts_option(&o, &c, name, value);
        if (t < 0)
            return EXIT_USAGE;
        if (t > 0)
            continue;
        if (!strcmp(name, "--demo")) {
            if (value)
                return cliopt_usage_error("console", "--demo takes no value");
            demo = true;
        } else if (!strcmp(name, "--theme")) {
            if (!(theme_opt = cliopt_value(&c, name, value)))
                return EXIT_USAGE;
            if (theme_name_kind(theme_opt) == THEME_BAD_NAME) {
                char safe[256];
                text_fit(theme_opt, strlen(theme_opt), 60, false, safe, sizeof safe);
                return cliopt_usage_error("console",
                                          "--theme: '%s' is neither a theme name (letters, digits, -, _) "
                                          "nor a path to a .theme file (with a '/')",
                                          safe);
            }
        } else if (!strcmp(name, "--lang")) {
            const char *v = cliopt_value(&c, name, value);
            if (!v)
                return EXIT_USAGE;
            if (strcmp(v, "ru") && strcmp(v, "en"))
                return cliopt_usage_error("console", "--lang: '%s' is not ru or en", v);
            lang = i18n_lang_parse(v);
        } else {
            return cliopt_usage_error("console", "unknown option %s", name);
        }
    }

    /* Before anything touches the terminal or starts a thread. */
    char msg[512];
    if (ui_check_terminal(msg, sizeof msg) != 0) {
        fprintf(stderr, "%s\n", msg);
        return EXIT_FAIL;
    }

    cxm_config cfg;
    /* The demo needs no config; one given explicitly still applies. */
    if (demo && !o.config && !o.nsources) {
        config_defaults(&cfg);
    } else if (opts_load_config(&o, &cfg) != 0) {
        config_free(&cfg);
        return EXIT_FAIL;
    }

    /* First run: nothing configured, but the local agent listens where the
     * man page says it does. */
    if (!demo && cfg.nsources == 0) {
        const char *rt = getenv("XDG_RUNTIME_DIR");
        char sock[4096];
        struct stat sb;
        if (rt && rt[0] == '/' && snprintf(sock, sizeof sock, "%s/cxm-agent.sock", rt) < (int)sizeof sock &&
            stat(sock, &sb) == 0 && S_ISSOCK(sb.st_mode) && config_add_source(&cfg, SRC_AGENT, sock) != 0) {
            cli_error(NULL, "out of memory");
            config_free(&cfg);
            return EXIT_FAIL;
        }
    }

    int rc = EXIT_FAIL;
    char err[512], dir[4096] = "";
    char *db = NULL;
    store *st = NULL;
    hub *h = NULL;
    tgfwd *tg = NULL;
    /* The loop blocks the signals before libcurl (or any library) starts a thread. */
    loop *lp = loop_new();
    if (!lp) {
        cli_error(NULL, "out of memory");
        goto out;
    }
    if (demo && !o.db) {
        if (demo_dir(dir, sizeof dir) != 0) {
            cli_error(NULL, "cannot create a temporary directory: %s",
                    strerror(errno));
            dir[0] = '\0';
            goto out;
        }
        size_t n = strlen(dir) + 8;
        if ((db = malloc(n)))
            snprintf(db, n, "%s/cxm.db", dir);
    } else {
        db = opts_db_path(&o, &cfg);
    }
    if (!db) {
        cli_error(NULL, "out of memory");
        goto out;
    }
    if (store_open(db, &st, err, sizeof err) != 0) {
        cli_error(NULL, "%s", err);
        goto out;
    }
    if (cfg.nsources || demo) {
        if (!(h = hub_new(lp, st, &cfg))) {
            cli_error(NULL, "out of memory");
            goto out;
        }
        for (int i = 0; i < cfg.nsources; i++)
            if (hub_add(h, &cfg.sources[i], err, sizeof err) != 0) {
                cli_error(NULL, "%s", err);
                goto out;
            }
        if (demo && hub_add_demo(h, 1) != 0) {
            cli_error(NULL, "cannot start the demo");
            goto out;
        }
    }
    tg = tgfwd_new(lp, st, &cfg, err, sizeof err);
    if (!tg && err[0]) {
        cli_error(NULL, "%s", err);
        goto out;
    }
    ui_status_set_forwarder(tg);
    ui_run_opts ro = {
        .st = st,
        .cfg = &cfg,
        .hub = h,
        .lp = lp,
        .theme = theme_opt,
        .lang = lang,
        .db_label = dir[0] ? NULL : db, /* the status bar says "temporary" */
        .demo = demo,
    };
    if (ui_run(&ro, err, sizeof err) != 0) {
        cli_error(NULL, "%s", err);
        goto out;
    }
    rc = EXIT_OK;
out:
    ui_status_set_forwarder(NULL);
    tgfwd_free(tg);
    hub_free(h);
    store_close(st);
    if (lp)
        loop_free(lp);
    if (dir[0])
        demo_cleanup(dir);
    free(db);
    config_free(&cfg);
    return rc;
}
