/* What `review` and `causes` share: the checklist definitions (bad files
 * reported as warnings, the rest used) and the database a reading command
 * opens (never creating an empty one). */
#ifndef CXM_APP_CLICHECKLISTS_H
#define CXM_APP_CLICHECKLISTS_H

#include "cxm/checklist.h"
#include "cxm/config.h"
#include "cxm/store.h"

/* Loads the definitions; each rejected file is one warning line on stderr.
 * Returns 0, or EXIT_FAIL (message printed) when none could be read. */
int clichk_load(const char *cmd, checklist_set *set);

/* Loads the config (config_path or the default) and opens the database
 * (db_opt, else the config's, else the default). Returns 0 with *st open,
 * else EXIT_FAIL with the reason printed. cfg is loaded either way (free it). */
int clichk_open(const char *cmd, const char *db_opt, const char *config_path, cxm_config *cfg,
                store **st);

/* Sanitized for a terminal (the text module), into a static-free buffer. */
void clichk_put_text(FILE *f, const char *s);

#endif
