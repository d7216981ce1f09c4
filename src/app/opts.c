/* See opts.h. --token-file, --ca-file and --location qualify the source just
 * before them, so several cloud feeds can each carry their own token. */
#include "app/opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char opts_sources_help[] =
    "  --db FILE            database (default $XDG_DATA_HOME/cxm-console/cxm.db)\n"
    "  --config FILE        config (default $XDG_CONFIG_HOME/cxm-console/config.ini)\n"
    "SOURCES (each may repeat; they add to the config's sources):\n"
    "  --agent PATH|URL     SSE over a Unix socket path, or http(s)://host:port/events\n"
    "  --agent-log FILE     tail a JSON-lines log\n"
    "  --cloud URL          SSE over HTTPS\n"
    "  --token-file FILE    bearer token for the preceding --cloud/--agent\n"
    "                       (refused if group/world readable)\n"
    "  --ca-file FILE       extra CA for the preceding --cloud/--agent https\n"
    "  --location ID[,ID]   only these locations from the preceding --cloud\n"
    "  --recordings DIR     recordings root\n"
    "  --audio-backend mpv|vlc  the audio player (default mpv)\n"
    "  --heartbeat-timeout S  a stream silent this long is reconnected (default 30)\n";

void opts_init(app_opts *o, const char *cmd)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->heartbeat_timeout_s = -1;
}

static int add_source(app_opts *o, source_kind kind, const char *name, const char *v)
{
    if (!*v) {
        cliopt_usage_error(o->cmd, "%s needs a non-empty value", name);
        return -1;
    }
    if (o->nsources >= CONFIG_SOURCES_MAX) {
        cliopt_usage_error(o->cmd, "too many sources (at most %d)", CONFIG_SOURCES_MAX);
        return -1;
    }
    opts_source *s = &o->sources[o->nsources++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->target = v;
    return 1;
}

static opts_source *preceding(app_opts *o, const char *name, bool cloud_only)
{
    opts_source *s = o->nsources ? &o->sources[o->nsources - 1] : NULL;
    if (!s || s->kind == SRC_AGENT_LOG || (cloud_only && s->kind != SRC_CLOUD)) {
        cliopt_usage_error(o->cmd, "%s applies to the %s before it; put it after that source", name,
                           cloud_only ? "--cloud" : "--cloud or --agent");
        return NULL;
    }
    return s;
}

int opts_option(app_opts *o, cliopt *c, const char *name, const char *inline_value)
{
    static const char *const known[] = {"--db",         "--config",   "--agent",
                                        "--agent-log",  "--cloud",    "--token-file",
                                        "--ca-file",    "--location", "--recordings",
                                        "--heartbeat-timeout", "--audio-backend"};
    bool ours = false;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        ours |= !strcmp(name, known[i]);
    if (!ours)
        return 0;
    const char *v = cliopt_value(c, name, inline_value);
    if (!v)
        return -1;
    if (!strcmp(name, "--db")) {
        o->db = v;
    } else if (!strcmp(name, "--config")) {
        o->config = v;
    } else if (!strcmp(name, "--recordings")) {
        o->recordings = v;
    } else if (!strcmp(name, "--audio-backend")) {
        if (strcmp(v, "mpv") != 0 && strcmp(v, "vlc") != 0) {
            cliopt_usage_error(o->cmd, "--audio-backend: '%s' is not mpv or vlc", v);
            return -1;
        }
        o->audio_backend = v;
    } else if (!strcmp(name, "--agent")) {
        return add_source(o, SRC_AGENT, name, v);
    } else if (!strcmp(name, "--agent-log")) {
        return add_source(o, SRC_AGENT_LOG, name, v);
    } else if (!strcmp(name, "--cloud")) {
        return add_source(o, SRC_CLOUD, name, v);
    } else if (!strcmp(name, "--token-file")) {
        opts_source *s = preceding(o, name, false);
        if (!s)
            return -1;
        s->token_file = v;
    } else if (!strcmp(name, "--ca-file")) {
        opts_source *s = preceding(o, name, false);
        if (!s)
            return -1;
        s->ca_file = v;
    } else if (!strcmp(name, "--location")) {
        opts_source *s = preceding(o, name, true);
        if (!s)
            return -1;
        s->location = v;
    } else if (!strcmp(name, "--heartbeat-timeout")) {
        double d;
        if (cliopt_double(v, &d) != 0 || !(d > 0) || d > 86400) {
            cliopt_usage_error(o->cmd, "--heartbeat-timeout: '%s' is not a number of seconds "
                                       "in (0, 86400]", v);
            return -1;
        }
        o->heartbeat_timeout_s = d;
    }
    return 1;
}

static int set_str(char **dst, const char *v)
{
    if (!v)
        return 0;
    char *n = strdup(v);
    if (!n)
        return -1;
    free(*dst);
    *dst = n;
    return 0;
}

int opts_load_config(const app_opts *o, cxm_config *cfg)
{
    char err[512];
    config_defaults(cfg);
    if (config_load(cfg, o->config, err, sizeof err) != 0) {
        cli_error(o->cmd, "config: %s", err);
        return -1;
    }
    if (set_str(&cfg->recordings, o->recordings) != 0)
        goto oom;
    if (o->audio_backend)
        snprintf(cfg->audio_backend, sizeof cfg->audio_backend, "%s", o->audio_backend);
    if (o->heartbeat_timeout_s > 0)
        cfg->heartbeat_timeout_s = (int)(o->heartbeat_timeout_s + 0.999);
    for (int i = 0; i < o->nsources; i++) {
        const opts_source *s = &o->sources[i];
        if (config_add_source(cfg, s->kind, s->target) != 0) {
            cli_error(o->cmd, "too many sources (config and command line: at most %d)",
                      CONFIG_SOURCES_MAX);
            return -1;
        }
        source_conf *sc = &cfg->sources[cfg->nsources - 1];
        if (set_str(&sc->token_file, s->token_file) || set_str(&sc->ca_file, s->ca_file) ||
            set_str(&sc->location_filter, s->location))
            goto oom;
    }
    return 0;
oom:
    cli_error(o->cmd, "out of memory");
    return -1;
}

char *opts_db_path(const app_opts *o, const cxm_config *cfg)
{
    if (o->db)
        return strdup(o->db);
    if (cfg->db_path)
        return strdup(cfg->db_path);
    return config_default_db_path();
}
