/* The INI config (DESIGN §11), parsed with inih. Every key is documented in
 * the man page, data/cxm-console.1, and shown in data/config.sample.ini. */
#ifndef CXM_CONFIG_H
#define CXM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "cxm/rules.h"

#define CONFIG_SOURCES_MAX 16
#define CONFIG_ALERTS_MAX 16

typedef enum { SRC_AGENT, SRC_AGENT_LOG, SRC_CLOUD, SRC_DEMO } source_kind;

typedef struct {
    source_kind kind;
    char *target;      /* socket path, URL or log file */
    char *token_file;  /* SRC_CLOUD (and https agents) */
    char *ca_file;
    char *location_filter; /* SRC_CLOUD: ?location= (comma-separated) */
    char *name;        /* NAME of its [source.NAME] section; NULL from the command line */
} source_conf;

typedef enum { ALERT_SCOPE_LOCATION, ALERT_SCOPE_DESK, ALERT_SCOPE_EMPLOYEE } alert_scope;

typedef struct {
    char name[48];
    unsigned types_mask;     /* bit (1u << event_type) for counted event types */
    bool match_negative;     /* ratings count only when their polarity is negative */
    int count_threshold;     /* 0 = off */
    double share_threshold;  /* of all ratings in the window, 0 = off */
    int min_ratings;         /* for the share rule */
    int window_s;
    alert_scope scope;
    int cooldown_s;
} alert_rule;

typedef struct {
    cxm_rules rules;
    double kpi_k;              /* EmoNPS silent coefficient, [0.2, 1], default 0.5 */
    char *db_path;             /* NULL = default */
    char *recordings;          /* recordings root, NULL = none */
    int clip_after_rating_s;   /* 20 */
    int clip_before_red_s;     /* 60 */
    int clip_around_s;         /* 30 */
    /* [audio]: fixed arrays, so the config copies and frees as before */
    char audio_backend[8];     /* "mpv" (default) or "vlc" */
    char audio_output[512];    /* "auto" (default), "null", "pcm:FILE" or an mpv ao name */
    int heartbeat_timeout_s;   /* 30 */
    int claim_expiry_s;        /* [checklists] claim_expiry: a claim frees itself, 30 min */
    char *theme;               /* NULL = "default" */
    char *lang;                /* NULL = from the locale */
    /* [ui] russian_layout_keys = no: keys typed on the Russian layout are
     * only themselves (default: they act as the Latin key in their place). */
    bool russian_layout_keys_off;
    char *camera_url;          /* template with {camera} {ts} {desk} {location} */
    int nsources;
    source_conf sources[CONFIG_SOURCES_MAX];
    int nalerts;
    alert_rule alerts[CONFIG_ALERTS_MAX];
} cxm_config;

void config_defaults(cxm_config *c);
/* Loads `path` over the defaults. path == NULL: the default path
 * ($XDG_CONFIG_HOME/cxm-console/config.ini), whose absence is not an error.
 * On error returns -1 with err = "FILE:LINE: reason". */
int config_load(cxm_config *c, const char *path, char *err, size_t errlen);
/* Adds a source (from the command line). Returns -1 when full. */
int config_add_source(cxm_config *c, source_kind kind, const char *target);
void config_free(cxm_config *c);
/* "agent", "agent_log", "cloud", "demo". */
const char *config_source_kind_name(source_kind k);

/* $XDG_DATA_HOME/cxm-console/cxm.db (directories created). malloc'd. */
char *config_default_db_path(void);
/* $XDG_CONFIG_HOME/cxm-console (not created). malloc'd. */
char *config_dir(void);

#endif
