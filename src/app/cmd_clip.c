/* clip: one event's clip from the desk recordings to a WAV file (DESIGN §6, §10).
 *
 *   clip [--db FILE] [--config FILE] [--recordings DIR] EVENT_ID
 *        [--kind after_rating|before_red_button|visit|around] --out FILE.wav
 *
 * Exit 0 written; 4 the window is not wholly recorded (the missing stretches
 * named in local time, nothing written); 1 any other failure; 2 usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cliopt.h"
#include "app/clistore.h"
#include "app/commands.h"
#include "cxm/clips.h"
#include "cxm/config.h"
#include "cxm/recordings.h"
#include "cxm/store.h"
#include "cxm/text.h"
#include "cxm/views.h"

static const char usage_text[] =
    "usage: cxm-console clip [--db FILE] [--config FILE] [--recordings DIR] EVENT_ID\n"
    "                        [--kind after_rating|before_red_button|visit|around] --out FILE.wav\n"
    "Writes the event's clip, cut from the desk recordings, as a WAV at the recordings'\n"
    "sample rate and channel count (sample-exact for WAV and FLAC; decoded for lossy\n"
    "formats). Without --kind: the event's main clip (after_rating for a rating,\n"
    "before_red_button for a red button, around otherwise).\n"
    "Exit status: 0 written, 1 failure, 2 usage, 4 the window is not wholly recorded\n"
    "(nothing is written).";

/* Text from the database or the command line, made harmless for a terminal. */
static const char *safe(const char *s, char *buf, size_t cap)
{
    text_sanitize(s ? s : "", s ? strlen(s) : 0, buf, cap);
    return buf;
}

static int fail(const char *fmt, const char *a, const char *b)
{
    fputs("cxm-console clip: ", stderr);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return EXIT_FAIL;
}

static int cut(store *st, const cxm_config *cfg, const char *root, const char *id, int kind,
               const char *out_path)
{
    char b1[512], b2[512], err[2048];
    views *v = views_new(st, &cfg->rules);
    if (!v)
        return fail("%s%s", "out of memory", "");
    event ev;
    int rc = views_event_get(v, id, &ev), status = EXIT_FAIL;
    if (rc != 0) {
        if (rc > 0)
            fail("no event '%s' in %s", safe(id, b1, sizeof b1), safe(store_path(st), b2, sizeof b2));
        else
            fail("reading the event: %s%s", safe(store_errmsg(st), b1, sizeof b1), "");
        views_free(v);
        return EXIT_FAIL;
    }
    clip_kind k = kind >= 0 ? (clip_kind)kind : clip_main_kind(ev.type);
    clip_visit visit;
    views_visit_bounds(v, &ev, &visit);
    clip_window w;
    rec_list files = {0};
    rec_plan plan = {0};
    if (clip_window_of(cfg, &ev, &visit, k, &w) != 0) {
        snprintf(b2, sizeof b2, "%s event", event_type_name(ev.type));
        fail(k == CLIP_VISIT ? "this %s has no visit clip (its visit's arrival or end is unknown)"
                             : "a %s has no %s clip",
             b2, clip_kind_name(k));
        goto out;
    }
    if (!ev.desk || !ev.desk[0]) {
        fail("event '%s' has no desk: there is no recording to cut%s", safe(id, b1, sizeof b1), "");
        goto out;
    }
    if (rec_plan_desk(st, root, ev.desk, w.from_us, w.to_us, &files, &plan, err, sizeof err)) {
        fail("%s%s", safe(err, b1, sizeof b1), "");
        goto out;
    }
    for (size_t i = 0; i < plan.ngap; i++)
        if (plan.gap[i].unreadable) {
            snprintf(err, sizeof err, "%s/%s", root, plan.gap[i].unreadable->path);
            fail("%s: cannot read the recording: %s", safe(err, b1, sizeof b1),
                 safe(plan.gap[i].unreadable->error, b2, sizeof b2));
            goto out;
        }
    if (plan.ngap) {
        char desk_dir[256];
        rec_desk_dir(ev.desk, desk_dir, sizeof desk_dir);
        for (size_t i = 0; i < plan.ngap; i++) {
            rec_gap_describe(&plan.gap[i], b1, sizeof b1);
            double secs = (double)(plan.gap[i].to_us - plan.gap[i].from_us) / 1e6;
            cli_error("clip", "not recorded: %s (%.3f s missing in %s/%s)", b1,
                    secs, safe(root, b2, sizeof b2), desk_dir);
        }
        cli_error("clip", "the %s window is not wholly recorded; nothing written",
                clip_kind_name(k));
        status = EXIT_NOT_COVERED;
        goto out;
    }
    if (!plan.frames) {
        fail("the %s window is shorter than one sample of the recording%s", clip_kind_name(k), "");
        goto out;
    }
    if (plan.mixed) {
        fail("the window spans recordings of different sample rates or channel counts%s%s", "", "");
        goto out;
    }
    if (rec_export_wav(root, &plan, out_path, err, sizeof err) != 0) {
        fail("%s%s", safe(err, b1, sizeof b1), "");
        goto out;
    }
    printf("%s: %s clip, %lld frames, %d Hz, %d channel%s, from %zu file%s\n",
           safe(out_path, b1, sizeof b1), clip_kind_name(k), (long long)plan.frames, plan.rate,
           plan.channels, plan.channels == 1 ? "" : "s", plan.nseg, plan.nseg == 1 ? "" : "s");
    status = EXIT_OK;
out:
    rec_plan_free(&plan);
    rec_list_free(&files);
    event_clear(&ev);
    views_free(v);
    return status;
}

int cmd_clip(int argc, char **argv)
{
    cliopt o;
    const char *name, *val, *db_opt = NULL, *config_path = NULL, *rec_opt = NULL, *out = NULL,
                            *id = NULL;
    int kind = -1, r;
    char err[512];

    cliopt_init(&o, "clip", argc, argv);
    while ((r = cliopt_next(&o, &name, &val)) != 0) {
        if (r == 2) {
            if (id)
                return cliopt_usage_error("clip", "unexpected argument '%s' (one EVENT_ID)", val);
            id = val;
            continue;
        }
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts(usage_text);
            return EXIT_OK;
        }
        if (!(val = cliopt_value(&o, name, val)))
            return EXIT_USAGE;
        if (!strcmp(name, "--db")) {
            db_opt = val;
        } else if (!strcmp(name, "--config")) {
            config_path = val;
        } else if (!strcmp(name, "--recordings")) {
            rec_opt = val;
        } else if (!strcmp(name, "--out")) {
            out = val;
        } else if (!strcmp(name, "--kind")) {
            if ((kind = clip_kind_from_name(val)) < 0)
                return cliopt_usage_error(
                    "clip", "--kind: '%s' is not after_rating, before_red_button, visit or around", val);
        } else {
            return cliopt_usage_error("clip", "unknown option '%s'", name);
        }
    }
    if (!id || !*id)
        return cliopt_usage_error("clip", "which event? (EVENT_ID)");
    if (!out || !*out)
        return cliopt_usage_error("clip", "--out FILE.wav is required");
    if (rec_opt && !*rec_opt)
        return cliopt_usage_error("clip", "--recordings needs a directory");

    cxm_config cfg;
    config_defaults(&cfg);
    if (config_load(&cfg, config_path, err, sizeof err)) {
        cli_error("clip", "config: %s", err);
        config_free(&cfg);
        return EXIT_FAIL;
    }
    int status = EXIT_FAIL;
    store *st = NULL;
    char *db_default = NULL;
    const char *root = rec_opt ? rec_opt : cfg.recordings;
    const char *db_path = db_opt ? db_opt : cfg.db_path;
    if (!root) {
        cli_error("clip", "no recordings folder: set [recordings] root in the config or pass --recordings DIR");
        goto out;
    }
    if (access(root, R_OK | X_OK) != 0) {
        char b[512];
        fail("%s: cannot read the recordings folder%s", safe(root, b, sizeof b), "");
        goto out;
    }
    if (!db_path)
        db_path = db_default = config_default_db_path();
    if (!db_path) {
        cli_error("clip", "cannot determine the database path (use --db)");
        goto out;
    }
    if (strcmp(db_path, ":memory:") && access(db_path, F_OK)) {
        char b[512];
        fail("%s: no such database (import events first)%s", safe(db_path, b, sizeof b), "");
        goto out;
    }
    if (clistore_open(db_path, 60LL * 1000000, &st, err, sizeof err)) {
        clistore_report("clip", db_path, err);
        goto out;
    }
    status = cut(st, &cfg, root, id, kind, out);
out:
    store_close(st);
    free(db_default);
    config_free(&cfg);
    return status;
}
