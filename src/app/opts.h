/* The options `ingest` and the console share (DESIGN §10): --db, --config and
 * the SOURCES flags. Used with cliopt: hand every option to opts_option; what
 * it does not know is the command's own. Sources given on the command line
 * ADD to the config's sources. */
#ifndef CXM_APP_OPTS_H
#define CXM_APP_OPTS_H

#include "app/cliopt.h"
#include "cxm/config.h"

typedef struct {
    source_kind kind;
    const char *target;
    const char *token_file;
    const char *ca_file;
    const char *location;
} opts_source;

typedef struct {
    const char *cmd;
    const char *db;
    const char *config;
    const char *recordings;
    const char *audio_backend; /* --audio-backend mpv|vlc, NULL: the config's */
    double heartbeat_timeout_s; /* < 0: from the config */
    int nsources;
    opts_source sources[CONFIG_SOURCES_MAX];
} app_opts;

void opts_init(app_opts *o, const char *cmd);

/* 1: the option was ours (its value consumed), 0: not ours, -1: usage error
 * (printed; exit 2). Knows --db --config --agent --agent-log --cloud
 * --token-file --ca-file --location --recordings --heartbeat-timeout
 * --audio-backend. */
int opts_option(app_opts *o, cliopt *c, const char *name, const char *inline_value);

/* Loads the config (--config, else the default path) and adds the options to
 * it. Returns 0, or -1 with the reason printed (exit 1 for a bad config). */
int opts_load_config(const app_opts *o, cxm_config *cfg);

/* The database path: --db, else the config's, else the default. malloc'd. */
char *opts_db_path(const app_opts *o, const cxm_config *cfg);

/* Help text for the shared options. */
extern const char opts_sources_help[];

#endif
