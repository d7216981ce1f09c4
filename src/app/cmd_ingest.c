/* ingest: the headless subscriber (DESIGN §10). Runs the feeds of the config
 * and the command line into the store until SIGTERM/SIGINT, then commits what
 * it holds and exits 0. A status line per source every 10 s and on SIGUSR1.
 * Also how a site runs one shared writer for several consoles. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cliopt.h"
#include "app/commands.h"
#include "app/opts.h"
#include "cxm/i18n.h"
#include "cxm/alert_forward.h"
#include "cxm/feed.h"
#include "cxm/loop.h"
#include "cxm/store.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"

typedef struct {
    loop *lp;
    hub *h;
    tgfwd *tg;
    FILE *commit_log;
    int status_ms;
    int status_timer;
    bool all_failed;
} ingest;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cxm-console ingest [--db FILE] [--config FILE] [SOURCES] [--commit-log FILE]\n"
            "                          [--status-interval S]\n"
            "Subscribes to the sources and stores their events until SIGTERM/SIGINT.\n"
            "Prints a status line per source every S seconds (default 10) and on SIGUSR1:\n"
            "  source=\"NAME\" state=STATE received=N duplicates=N rejected=N "
            "[retry_in=S] [error=\"TEXT\"]\n"
            "followed by: loop wakeups=N (the first report right after start-up, when every\n"
            "source has been set up)\n"
            "Exits 0 on SIGTERM/SIGINT after committing what it holds; 1 when every source has\n"
            "failed for good (TLS verification, HTTP 4xx or 204, an unusable token file).\n"
            "%s"
            "  --commit-log FILE    diagnostic: append \"<event id> <commit time, µs since the epoch>\"\n"
            "                       for every stored event (latency measurements)\n"
            "  --status-interval S  seconds between status reports\n",
            opts_sources_help);
}

/* Values in the status line are quoted; a quote inside would break parsing. */
static void put_quoted(const char *s)
{
    char safe[1024];
    text_sanitize(s, strlen(s), safe, sizeof safe);
    for (char *p = safe; *p; p++)
        if (*p == '"')
            *p = '\'';
    printf("\"%s\"", safe);
}

static void print_status(ingest *g)
{
    int64_t now = time_mono_us();
    for (size_t i = 0; i < hub_count(g->h); i++) {
        const source_status *st = hub_status(g->h, i);
        fputs("source=", stdout);
        put_quoted(st->name);
        printf(" state=%s received=%llu duplicates=%llu rejected=%llu", hub_state_name(st->state),
               (unsigned long long)st->received, (unsigned long long)st->duplicates,
               (unsigned long long)st->rejected);
        if (st->state == SRC_ST_RETRYING) {
            double in = (double)(st->retry_at_us - now) / 1e6;
            printf(" retry_in=%.1f", in > 0 ? in : 0.0);
        }
        if (st->last_error[0]) {
            fputs(" error=", stdout);
            put_quoted(st->last_error);
        }
        putchar('\n');
    }
    if (g->tg) {
        char tst[400];
        tgfwd_state(g->tg, tst, sizeof tst);
        fputs("telegram state=", stdout);
        put_quoted(tst);
        printf(" sent=%llu\n", (unsigned long long)tgfwd_sent(g->tg));
    }
    printf("loop wakeups=%llu\n", (unsigned long long)loop_wakeups(g->lp));
    fflush(stdout);
}

static void on_status_timer(void *ud)
{
    ingest *g = ud;
    g->status_timer = loop_timer_add(g->lp, g->status_ms, on_status_timer, g);
    print_status(g);
}

static void on_signal(void *ud, int signo)
{
    ingest *g = ud;
    if (signo == SIGUSR1)
        print_status(g);
    else
        loop_quit(g->lp);
}

static void on_tg_log(void *ud, const char *msg)
{
    (void)ud;
    char safe[1024];
    text_sanitize(msg, strlen(msg), safe, sizeof safe);
    cli_error("ingest", "%s", safe);
}

static void on_commit(void *ud, const event *evs, size_t n)
{
    ingest *g = ud;
    tgfwd_kick(g->tg); /* the commit may have raised alerts */
    if (!g->commit_log)
        return;
    long long now = (long long)time_now_us();
    for (size_t i = 0; i < n; i++)
        fprintf(g->commit_log, "%s %lld\n", evs[i].id, now);
    fflush(g->commit_log);
}

/* Nothing more can happen when every source has failed for good. */
static void on_pass(void *ud)
{
    ingest *g = ud;
    size_t n = hub_count(g->h), dead = 0;
    for (size_t i = 0; i < n; i++) {
        source_state s = hub_status(g->h, i)->state;
        dead += s == SRC_ST_FAILED || s == SRC_ST_DONE;
    }
    if (n > 0 && dead == n) {
        g->all_failed = true;
        loop_quit(g->lp);
    }
}

int cmd_ingest(int argc, char **argv)
{
    app_opts o;
    opts_init(&o, "ingest");
    cliopt c;
    cliopt_init(&c, "ingest", argc, argv);
    const char *name, *value, *commit_log = NULL;
    double status_s = 10;
    int r;
    while ((r = cliopt_next(&c, &name, &value)) != 0) {
        if (r == 2)
            return cliopt_usage_error("ingest", "unexpected argument '%s'", value);
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            usage(stdout);
            return EXIT_OK;
        }
        int t = opts_option(&o, &c, name, value);
        if (t < 0)
            return EXIT_USAGE;
        if (t > 0)
            continue;
        if (!strcmp(name, "--commit-log")) {
            if (!(commit_log = cliopt_value(&c, name, value)))
                return EXIT_USAGE;
        } else if (!strcmp(name, "--status-interval")) {
            const char *v = cliopt_value(&c, name, value);
            if (!v)
                return EXIT_USAGE;
            if (cliopt_double(v, &status_s) != 0 || !(status_s >= 0.1) || status_s > 86400)
                return cliopt_usage_error("ingest", "--status-interval: '%s' is not a number of "
                                                    "seconds in [0.1, 86400]", v);
        } else {
            return cliopt_usage_error("ingest", "unknown option %s", name);
        }
    }

    cxm_config cfg;
    if (opts_load_config(&o, &cfg) != 0) {
        config_free(&cfg);
        return EXIT_FAIL;
    }
    if (cfg.nsources == 0) {
        config_free(&cfg);
        return cliopt_usage_error("ingest", "no sources: give --agent, --agent-log or --cloud "
                                            "(or [source.NAME] sections in the config)");
    }
    int rc = EXIT_FAIL;
    ingest g = {0};
    store *st = NULL;
    char err[512];
    /* First thing: the loop blocks the signals (before libcurl can start a
     * resolver thread) and the handlers exist, so a SIGUSR1 or SIGTERM during
     * a slow start-up is handled instead of killing us. */
    g.lp = loop_new();
    if (!g.lp) {
        cli_error("ingest", "out of memory");
        config_free(&cfg);
        return EXIT_FAIL;
    }
    loop_on_signal(g.lp, SIGTERM, on_signal, &g);
    loop_on_signal(g.lp, SIGINT, on_signal, &g);
    loop_on_signal(g.lp, SIGUSR1, on_signal, &g);
    char *db = opts_db_path(&o, &cfg);
    if (!db || store_open(db, &st, err, sizeof err) != 0) {
        cli_error("ingest", "%s", db ? err : _("out of memory"));
        goto out;
    }
    if (commit_log && !(g.commit_log = fopen(commit_log, "a"))) {
        perror(commit_log);
        goto out;
    }
    if (!(g.h = hub_new(g.lp, st, &cfg))) {
        cli_error("ingest", "out of memory");
        goto out;
    }
    if (o.heartbeat_timeout_s > 0)
        hub_set_heartbeat_timeout_ms(g.h, (int)(o.heartbeat_timeout_s * 1000));
    hub_set_commit_cb(g.h, on_commit, &g);
    for (int i = 0; i < cfg.nsources; i++) {
        if (hub_add(g.h, &cfg.sources[i], err, sizeof err) != 0) {
            cli_error("ingest", "%s", err);
            goto out;
        }
    }
    g.tg = tgfwd_new(g.lp, st, &cfg, err, sizeof err);
    if (!g.tg && err[0]) {
        cli_error("ingest", "%s", err);
        goto out;
    }
    tgfwd_set_log(g.tg, on_tg_log, &g);
    loop_on_pass(g.lp, on_pass, &g);
    g.status_ms = (int)(status_s * 1000);
    g.status_timer = loop_timer_add(g.lp, g.status_ms, on_status_timer, &g);
    /* The first report doubles as "subscribed": scripts wait for it before
     * they start producing events. */
    print_status(&g);
    if (loop_run(g.lp) != 0) {
        perror("cxm-console ingest: poll");
        goto out;
    }
    rc = EXIT_OK;
    if (hub_flush(g.h) != 0)
        rc = EXIT_FAIL;
    print_status(&g);
    if (g.all_failed) {
        cli_error("ingest", "every source has failed; see the status above");
        rc = EXIT_FAIL;
    }
out:
    tgfwd_free(g.tg);
    hub_free(g.h); /* flushes */
    loop_free(g.lp); /* pending signals are dropped, not acted on */
    if (g.commit_log)
        fclose(g.commit_log);
    store_close(st);
    free(db);
    config_free(&cfg);
    return rc;
}
