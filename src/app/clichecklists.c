/* See clichecklists.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/clichecklists.h"
#include "app/cliopt.h"
#include "app/clistore.h"
#include "app/commands.h"
#include "cxm/i18n.h"
#include "cxm/text.h"

int clichk_load(const char *cmd, checklist_set *set)
{
    if (checklist_load_default(set) != 0) {
        cli_error(cmd, "out of memory loading checklists");
        checklist_set_free(set);
        return EXIT_FAIL;
    }
    for (size_t i = 0; i < set->nerrors; i++) {
        fprintf(stderr, _("cxm-console %s: checklist skipped: "), cmd);
        clichk_put_text(stderr, set->errors[i]);
        fputc('\n', stderr);
    }
    if (set->n == 0) {
        cli_error(cmd, "no checklist definitions found (data/checklists, $XDG_CONFIG_HOME/cxm-console/checklists, $CXM_CHECKLISTS_DIR)");
        return EXIT_FAIL;
    }
    return 0;
}

int clichk_open(const char *cmd, const char *db_opt, const char *config_path, cxm_config *cfg,
                store **st)
{
    char err[1024];
    *st = NULL;
    config_defaults(cfg);
    if (config_load(cfg, config_path, err, sizeof err)) {
        cli_error(cmd, "config: %s", err);
        return EXIT_FAIL;
    }
    char *db_default = NULL;
    const char *db_path = db_opt ? db_opt : cfg->db_path;
    if (!db_path)
        db_path = db_default = config_default_db_path();
    int rc = EXIT_FAIL;
    if (!db_path)
        fprintf(stderr, _("cxm-console %s: cannot determine the database path (use --db)\n"), cmd);
    else if (strcmp(db_path, ":memory:") && access(db_path, F_OK))
        /* the incidents come from imported events: an absent file is a mistake */
        fprintf(stderr, _("cxm-console %s: %s: no such database (import events first)\n"), cmd,
                db_path);
    else if (clistore_open(db_path, 60LL * 1000000, st, err, sizeof err))
        clistore_report(cmd, db_path, err);
    else
        rc = 0;
    free(db_default);
    return rc;
}

void clichk_put_text(FILE *f, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s), cap = len * 6 + 8;
    char *buf = malloc(cap);
    if (!buf)
        return;
    text_sanitize(s, len, buf, cap);
    fputs(buf, f);
    free(buf);
}
