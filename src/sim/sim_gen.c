/* Where the sim's events come from: the demo generator (the same realistic
 * days the console's demo shows) or a JSON-lines file served verbatim. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxm/demo.h"
#include "cxm/event.h"
#include "cxm/timefmt.h"
#include "sim/sim.h"

#define US 1000000LL

enum { GEN_DEMO, GEN_FILE };

struct sim_gen {
    int kind;
    /* demo */
    uint64_t seed;
    bool live;
    int rec_minutes;
    int base_y, base_m, base_d;
    int day;
    demo *d;
    int64_t last_ts;
    char prefix[32];
    /* file */
    FILE *f;
    char *line;
    size_t linecap;
    /* both */
    char desk[EVENT_ID_MAX + 1];
};

/* Local midnight of base + k days; mktime normalises the day overflow. */
static int64_t day_start(const sim_gen *g, int k)
{
    struct tm tm = {0};
    tm.tm_year = g->base_y - 1900;
    tm.tm_mon = g->base_m - 1;
    tm.tm_mday = g->base_d + k;
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm) * US;
}

static int local_offset_s(int64_t us)
{
    time_t secs = (time_t)(us / US);
    struct tm tm;
    localtime_r(&secs, &tm);
    return (int)tm.tm_gmtoff;
}

sim_gen *sim_gen_demo(uint64_t seed, int64_t date_us, int rec_minutes)
{
    sim_gen *g = calloc(1, sizeof *g);
    if (!g)
        return NULL;
    g->kind = GEN_DEMO;
    g->seed = seed;
    g->rec_minutes = rec_minutes;
    g->live = date_us < 0;
    /* Live content comes from fixed days so that it depends on the seed only;
     * the clock decides the timestamps. */
    g->base_y = 2026, g->base_m = 11, g->base_d = 23;
    if (!g->live) {
        time_t secs = (time_t)(date_us / US + 12 * 3600);
        struct tm tm;
        localtime_r(&secs, &tm);
        g->base_y = tm.tm_year + 1900, g->base_m = tm.tm_mon + 1, g->base_d = tm.tm_mday;
    }
    snprintf(g->prefix, sizeof g->prefix, "sim%llu.", (unsigned long long)seed);
    return g;
}

sim_gen *sim_gen_file(const char *path, char *err, size_t errlen)
{
    sim_gen *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->kind = GEN_FILE;
    g->f = fopen(path, "r");
    if (!g->f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        free(g);
        return NULL;
    }
    return g;
}

void sim_gen_free(sim_gen *g)
{
    if (!g)
        return;
    demo_free(g->d);
    if (g->f)
        fclose(g->f);
    free(g->line);
    free(g);
}

static int prefixed(const sim_gen *g, char **field)
{
    if (!*field)
        return 0;
    size_t n = strlen(g->prefix) + strlen(*field) + 1;
    char *p = malloc(n);
    if (!p)
        return -1;
    snprintf(p, n, "%s%s", g->prefix, *field);
    free(*field);
    *field = p;
    return 0;
}

/* Ids get the seed in front so that sims with different seeds never collide,
 * and refs and visits follow so the stream stays self-consistent. */
static int restamp(sim_gen *g, const sim_seq *s, event *ev)
{
    char id[EVENT_ID_MAX + 1];
    if (snprintf(id, sizeof id, "%s%s", g->prefix, ev->id) >= (int)sizeof id)
        return -1;
    memcpy(ev->id, id, sizeof id);
    if (prefixed(g, &ev->ref) || prefixed(g, &ev->visit))
        return -1;
    if (g->live) {
        int64_t now = sim_now_us();
        ev->ts_us = now > g->last_ts ? now : g->last_ts + 1;
        ev->tz_offset_s = local_offset_s(ev->ts_us);
    }
    g->last_ts = ev->ts_us;
    /* The clip points into the recordings this sim writes (same layout). */
    if (ev->type == EV_CLIP && ev->ref && ev->desk) {
        long r = sim_seq_find(s, ev->ref, strlen(ev->ref));
        char path[256];
        if (r >= 0) {
            int64_t t = s->ent[r].ts_us;
            if (ev->clip_kind && !strcmp(ev->clip_kind, "before_red_button"))
                t -= 60 * US;
            if (sim_rec_relpath(ev->desk, t, g->rec_minutes, path, sizeof path) == 0) {
                char *u = strdup(path);
                if (!u)
                    return -1;
                free(ev->clip_url);
                ev->clip_url = u;
            }
        }
    }
    return 0;
}

static int next_demo(sim_gen *g, sim_seq *s)
{
    event ev;
    for (;;) {
        if (!g->d) {
            g->d = demo_new(g->seed, day_start(g, g->day));
            if (!g->d)
                return -1;
        }
        memset(&ev, 0, sizeof ev);
        int r = demo_next(g->d, &ev);
        if (r < 0)
            return -1;
        if (r > 0)
            break;
        demo_free(g->d);
        g->d = NULL;
        g->day++;
    }
    int rc = -1;
    char *json = NULL;
    if (restamp(g, s, &ev) == 0 && (json = event_to_json(&ev)) != NULL &&
        sim_seq_add(s, json, strlen(json), ev.id, strlen(ev.id), ev.ts_us) >= 0) {
        snprintf(g->desk, sizeof g->desk, "%s", ev.desk ? ev.desk : "");
        rc = 1;
    }
    free(json);
    event_clear(&ev);
    return rc;
}

static int next_file(sim_gen *g, sim_seq *s)
{
    ssize_t n;
    while ((n = getline(&g->line, &g->linecap, g->f)) >= 0) {
        while (n > 0 && (g->line[n - 1] == '\n' || g->line[n - 1] == '\r'))
            g->line[--n] = '\0';
        size_t i = 0;
        while (i < (size_t)n && (g->line[i] == ' ' || g->line[i] == '\t'))
            i++;
        if (i == (size_t)n)
            continue;
        /* Served verbatim (tests may feed deliberately bad lines); the id,
         * desk and time are read only to resume and to record. */
        const char *id = NULL;
        int64_t ts = 0;
        g->desk[0] = '\0';
        cJSON *j = cJSON_ParseWithLength(g->line, (size_t)n);
        if (cJSON_IsObject(j)) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "id");
            if (cJSON_IsString(v) && strlen(v->valuestring) <= EVENT_ID_MAX)
                id = v->valuestring;
            v = cJSON_GetObjectItemCaseSensitive(j, "desk");
            if (cJSON_IsString(v))
                snprintf(g->desk, sizeof g->desk, "%s", v->valuestring);
            v = cJSON_GetObjectItemCaseSensitive(j, "ts");
            int off;
            if (cJSON_IsString(v) && time_parse_rfc3339(v->valuestring, strlen(v->valuestring), &ts, &off))
                ts = 0;
        }
        long r = sim_seq_add(s, g->line, (size_t)n, id, id ? strlen(id) : 0, ts);
        cJSON_Delete(j);
        return r < 0 ? -1 : 1;
    }
    return 0;
}

int sim_gen_next(sim_gen *g, sim_seq *s, const char **desk_out)
{
    int r = g->kind == GEN_DEMO ? next_demo(g, s) : next_file(g, s);
    if (desk_out)
        *desk_out = g->desk;
    return r;
}

const char *sim_malformed(unsigned k, char *buf, size_t cap)
{
    switch (k % 4) {
    case 0: /* cut in the middle of the object */
        snprintf(buf, cap, "{\"id\": \"sim.broken.%u\", \"ts\": \"2026-11-23T10:00:0", k);
        break;
    case 1:
        snprintf(buf, cap, "this is not JSON %u", k);
        break;
    case 2: /* valid JSON, invalid event */
        snprintf(buf, cap,
                 "{\"id\":\"sim.badtype.%u\",\"ts\":\"2026-11-23T10:00:00+03:00\","
                 "\"type\":\"no_such_type\",\"location\":{\"id\":\"x\"},\"desk\":\"d\"}",
                 k);
        break;
    default:
        snprintf(buf, cap,
                 "{\"id\":\"bad id %u!\",\"ts\":\"2026-11-23T10:00:00+03:00\","
                 "\"type\":\"heartbeat\",\"location\":{\"id\":\"x\"}}",
                 k);
        break;
    }
    return buf;
}
