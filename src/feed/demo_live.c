/* The live demo source: today's generated day up to now at once, then the
 * generator's next events one every 2-5 s, restamped to the current time and
 * given fresh ids (so a restarted demo never collides with what it stored
 * before). Events go through JSON and event_parse like any feed, so the
 * configured scale and emotion rules apply to them too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxm/i18n.h"
#include "cxm/demo.h"
#include "cxm/timefmt.h"
#include "feed/feed_internal.h"

#define REMAP 256

typedef struct {
    hub_source *s;
    uint64_t seed, day;
    demo *d;
    event next;
    bool have_next;
    int timer;
    uint64_t rng;
    /* original id -> live id, so a clip's `ref` follows its renamed event */
    char from[REMAP][EVENT_ID_MAX + 1];
    char to[REMAP][EVENT_ID_MAX + 1];
    unsigned nmap;
} demo_src;

static uint64_t next_rand(demo_src *x)
{
    x->rng ^= x->rng << 13;
    x->rng ^= x->rng >> 7;
    x->rng ^= x->rng << 17;
    return x->rng;
}

static void demo_src_free(void *impl)
{
    demo_src *x = impl;
    if (!x)
        return;
    if (x->timer)
        loop_timer_cancel(hub_loop(x->s->h), x->timer);
    if (x->have_next)
        event_clear(&x->next);
    demo_free(x->d);
    free(x);
}

static const source_ops demo_ops = {demo_src_free};

static void deliver(demo_src *x, const event *ev)
{
    char *json = event_to_json(ev);
    if (!json) {
        hub_reject(x->s, "demo event", "out of memory");
        return;
    }
    char what[EVENT_ID_MAX + 16];
    snprintf(what, sizeof what, "event %s", ev->id);
    hub_deliver(x->s, json, strlen(json), what);
    free(json);
}

/* Pulls the generator's next event, starting another day when one runs out. */
static int pull(demo_src *x)
{
    for (int tries = 0; tries < 3; tries++) {
        int r = x->d ? demo_next(x->d, &x->next) : 0;
        if (r == 1) {
            x->have_next = true;
            return 1;
        }
        demo_free(x->d);
        x->day++;
        x->d = demo_new(x->seed + x->day, time_local_midnight(time_now_us(), 0));
        if (!x->d)
            return 0;
    }
    return 0;
}

static void on_tick(void *ud)
{
    demo_src *x = ud;
    x->timer = 0;
    if (!x->have_next && !pull(x)) {
        x->s->st.state = SRC_ST_DONE;
        return;
    }
    event *ev = &x->next;
    int64_t now = time_now_us();
    char live[EVENT_ID_MAX + 1];
    snprintf(live, sizeof live, "%.96s-live%lld", ev->id, (long long)now);
    unsigned slot = x->nmap++ % REMAP;
    snprintf(x->from[slot], sizeof x->from[slot], "%s", ev->id);
    snprintf(x->to[slot], sizeof x->to[slot], "%s", live);
    snprintf(ev->id, sizeof ev->id, "%s", live);
    if (ev->ref) {
        for (unsigned i = 0; i < REMAP && i < x->nmap; i++)
            if (strcmp(x->from[i], ev->ref) == 0) {
                char *r = strdup(x->to[i]);
                if (r) {
                    free(ev->ref);
                    ev->ref = r;
                }
                break;
            }
    }
    ev->ts_us = now;
    time_t secs = (time_t)(now / 1000000);
    struct tm tm;
    localtime_r(&secs, &tm);
    ev->tz_offset_s = (int)tm.tm_gmtoff;
    deliver(x, ev);
    event_clear(ev);
    x->have_next = false;
    pull(x);
    int64_t ms = 2000 + (int64_t)(next_rand(x) % 3001);
    x->timer = loop_timer_add(hub_loop(x->s->h), ms, on_tick, x);
}

int demo_source_start(hub_source *s, uint64_t seed, char *err, size_t errlen)
{
    demo_src *x = calloc(1, sizeof *x);
    if (!x) {
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    x->s = s;
    x->seed = seed;
    x->rng = seed * 2654435761u + 0x9E3779B97F4A7C15ull;
    if (!x->rng)
        x->rng = 1;
    s->impl = x;
    s->ops = &demo_ops;
    int64_t now = time_now_us();
    x->d = demo_new(seed, time_local_midnight(now, 0));
    if (!x->d) {
        snprintf(err, errlen, _("cannot start the demo generator"));
        return -1;
    }
    /* Today's history up to now, in one go: the hub commits it in one pass. */
    while (pull(x) == 1 && x->next.ts_us <= now && x->day == 0) {
        deliver(x, &x->next);
        event_clear(&x->next);
        x->have_next = false;
    }
    s->st.state = SRC_ST_CONNECTED;
    int64_t ms = 2000 + (int64_t)(next_rand(x) % 3001);
    x->timer = loop_timer_add(hub_loop(s->h), ms, on_tick, x);
    return 0;
}
