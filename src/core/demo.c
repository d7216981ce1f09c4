/* The demo generator: one realistic day at a clinic front desk and at a
 * petrol station, fully determined by (seed, day). The whole day is planned
 * up front in a compact form (a few thousand records), sorted by time, and
 * turned into `event`s one at a time, so the live demo can release events as
 * the clock reaches them and the file writer can stream them. */
#include "cxm/mem.h"
#include "cxm/demo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define US 1000000LL
#define HOUR_US (3600LL * US)
#define MIN_US (60LL * US)

/* ---- PRNG: splitmix64 seeds xoshiro256** (own code, tiny, reproducible on
 * every platform — rand() is not). */
typedef struct {
    uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void rng_seed(rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static double rnd(rng *r) /* [0, 1) */
{
    return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double rnd_range(rng *r, double lo, double hi)
{
    return lo + (hi - lo) * rnd(r);
}

static int64_t rnd_us(rng *r, double lo_s, double hi_s)
{
    return (int64_t)(rnd_range(r, lo_s, hi_s) * (double)US);
}

static int pick(rng *r, const double *w, int n)
{
    double sum = 0, x;
    for (int i = 0; i < n; i++)
        sum += w[i];
    x = rnd(r) * sum;
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

/* ---- the sites ---- */
enum { LOC_CLINIC, LOC_STATION };

static const struct {
    const char *id, *name, *idpart;
    int open_h, close_h;
    double peak1_h, peak2_h; /* morning and evening rush */
    double service_min_s, service_max_s;
    int customer_camera;    /* a second camera films the customer */
} sites[] = {
    {"clinic-1", "Клиника на Ленина", "clinic1", 8, 20, 9.5, 17.5, 90, 420, 1},
    {"station-7", "АЗС №7", "station7", 7, 23, 8.5, 18.5, 40, 200, 0},
};

static const struct {
    int loc;
    const char *name, *idpart, *camera;
    double base_per_h; /* arrivals per hour outside the rush */
} desks[] = {
    {LOC_CLINIC, "reg-1", "reg1", "cam-1", 7},  {LOC_CLINIC, "reg-2", "reg2", "cam-2", 7},
    {LOC_CLINIC, "reg-3", "reg3", "cam-3", 5},  {LOC_STATION, "till-1", "till1", "cam-7", 12},
    {LOC_STATION, "till-2", "till2", "cam-8", 9},
};
#define NDESKS ((int)(sizeof desks / sizeof desks[0]))

/* The roster: who works at which desk and when. quality shifts the rating
 * mix (a weaker employee gets more `bad`), response how often customers of
 * this employee press a button at all. */
static const struct {
    const char *id, *name;
    int desk, from_h, to_h;
    double quality, response;
    int optional; /* may be off on a given day */
} staff[] = {
    {"e11", "Анна Петрова", 0, 8, 14, 0.80, 0.22, 0},
    {"e12", "Ольга Смирнова", 1, 8, 14, 0.62, 0.16, 0},
    {"e13", "Мария Иванова", 0, 14, 20, 0.72, 0.24, 0},
    {"e14", "Елена Кузнецова", 1, 14, 20, 0.76, 0.18, 0},
    {"e15", "Татьяна Соколова", 2, 10, 18, 0.52, 0.20, 1},
    {"e21", "Дмитрий Волков", 3, 7, 15, 0.66, 0.17, 0},
    {"e22", "Сергей Морозов", 3, 15, 23, 0.74, 0.15, 0},
    {"e23", "Алексей Новиков", 4, 8, 20, 0.70, 0.19, 1},
};
#define NSTAFF ((int)(sizeof staff / sizeof staff[0]))

enum { R_SUPER, R_SO_SO, R_BAD, R_NONE };
static const char *const rating_names[] = {"super", "so_so", "bad"};

enum { CK_NONE, CK_AFTER_RATING, CK_BEFORE_RED };

/* One planned event, before ids exist. */
typedef struct {
    int64_t ts;
    uint32_t seq;      /* creation order == plan index before sorting; breaks ties */
    uint8_t type, desk, emp, rating;
    uint8_t emo_e, emo_c; /* emo_label; EMO_UNKNOWN = no block */
    uint8_t clip_kind;
    int8_t bursts;
    int32_t visit;     /* -1 = none */
    int32_t ref;       /* plan index of the event a clip belongs to, -1 = none */
    int32_t count;     /* served */
    uint32_t idnum;    /* per-desk sequence number, assigned after sorting */
    float pos, neg, neu; /* employee emotion shares */
} plan_ev;

struct demo {
    rng r;
    int64_t day_start;
    char day[40];         /* YYYYMMDD, part of every id so days never collide */
    plan_ev *ev;
    size_t n, cap;
    size_t next;
    int32_t nvisits;
    int working[NSTAFF];
};

static plan_ev *add(demo *d, int64_t ts, int type, int desk, int emp)
{
    if (mem_grow(&d->ev, &d->cap, d->n, sizeof *d->ev, 4096))
        return NULL;
    plan_ev *e = &d->ev[d->n];
    memset(e, 0, sizeof *e);
    e->ts = ts - ts % 1000; /* sensors report milliseconds */
    e->seq = (uint32_t)d->n++;
    e->type = (uint8_t)type;
    e->desk = (uint8_t)desk;
    e->emp = (uint8_t)emp;
    e->rating = R_NONE;
    e->visit = -1;
    e->ref = -1;
    e->bursts = -1;
    e->pos = e->neg = e->neu = -1;
    return e;
}

/* Employee emotion: a label drawn from a mix that depends on the outcome,
 * with shares that the default classifier would label the same way, so a
 * block with and without its label tells the same story. */
static void employee_emotion(demo *d, plan_ev *e, const double *mix)
{
    int l = pick(&d->r, mix, 4) + 1; /* EMO_POSITIVE.. EMO_POKER */
    double p, n;
    switch (l) {
    case EMO_POSITIVE: p = rnd_range(&d->r, 0.52, 0.85); n = rnd_range(&d->r, 0.0, 0.12); break;
    case EMO_NEGATIVE: p = rnd_range(&d->r, 0.0, 0.2); n = rnd_range(&d->r, 0.32, 0.7); break;
    case EMO_MIXED: p = rnd_range(&d->r, 0.27, 0.45); n = rnd_range(&d->r, 0.27, 0.29); break;
    default: p = rnd_range(&d->r, 0.05, 0.4); n = rnd_range(&d->r, 0.0, 0.2); break;
    }
    if (p + n > 1)
        n = 1 - p;
    e->emo_e = (uint8_t)l;
    e->pos = (float)p;
    e->neg = (float)n;
    e->neu = (float)(1 - p - n);
    e->bursts = (int8_t)(l == EMO_NEGATIVE ? (int)rnd_range(&d->r, 0, 3) : (rnd(&d->r) < 0.1));
}

static const double emo_after[4][4] = {
    /* employee: positive, negative, mixed, poker given super / so_so / bad / silent */
    {0.62, 0.03, 0.07, 0.28},
    {0.28, 0.10, 0.15, 0.47},
    {0.10, 0.38, 0.20, 0.32},
    {0.35, 0.10, 0.10, 0.45},
};
static const double cust_after[4][4] = {
    {0.58, 0.04, 0.06, 0.32},
    {0.15, 0.15, 0.15, 0.55},
    {0.03, 0.52, 0.18, 0.27},
    {0.12, 0.15, 0.08, 0.65},
};

/* Arrivals per hour at hour-of-day h: a base rate with two Gaussian rushes. */
static double arrival_rate(int desk, double h)
{
    const int loc = desks[desk].loc;
    double m = (h - sites[loc].peak1_h) / 1.0, ev = (h - sites[loc].peak2_h) / 1.2;
    return desks[desk].base_per_h * (1.0 + 1.6 * exp(-0.5 * m * m) + 1.3 * exp(-0.5 * ev * ev));
}

static int on_shift(const demo *d, int desk, double h)
{
    for (int i = 0; i < NSTAFF; i++)
        if (d->working[i] && staff[i].desk == desk && h >= staff[i].from_h && h < staff[i].to_h)
            return i;
    return -1;
}

/* The till reports an hour just after it ends; the last hour of the day is
 * reported before midnight so a day's events stay on that day. */
static int64_t served_ts(demo *d, int hour)
{
    int64_t t = d->day_start + (hour + 1) * HOUR_US + rnd_us(&d->r, 1, 30);
    const int64_t last = d->day_start + 24 * HOUR_US - 60 * US;
    return t < last ? t : last + rnd_us(&d->r, 1, 30);
}

/* One desk's day: a queue fed by a non-homogeneous Poisson process (thinning).
 * Waiting long makes an unhappy customer more likely. */
static int plan_desk(demo *d, int k)
{
    const int loc = desks[k].loc;
    const double lmax = desks[k].base_per_h * 3.0;
    int64_t t = d->day_start + sites[loc].open_h * HOUR_US, desk_free = t;
    const int64_t close = d->day_start + sites[loc].close_h * HOUR_US;
    int served_hour = -1, served_n = 0, served_emp = -1;

    for (;;) {
        t += (int64_t)(-log(1.0 - rnd(&d->r)) / lmax * 3600.0 * (double)US);
        if (t >= close)
            break;
        double h = (double)(t - d->day_start) / (double)HOUR_US;
        if (rnd(&d->r) * lmax > arrival_rate(k, h))
            continue;
        int emp = on_shift(d, k, h);
        if (emp < 0)
            continue; /* desk closed: the customer goes to another one */

        int64_t start = t > desk_free ? t : desk_free;
        if (start >= close + 15 * MIN_US)
            continue;
        double wait_min = (double)(start - t) / (double)MIN_US;
        int64_t end = start + rnd_us(&d->r, sites[loc].service_min_s, sites[loc].service_max_s);
        desk_free = end + rnd_us(&d->r, 5, 40);
        int32_t visit = d->nvisits++;

        plan_ev *a = add(d, start, EV_ARRIVAL, k, emp);
        if (!a)
            return -1;
        a->visit = visit;

        /* Till counts: one `served` per till and hour from the till system. */
        if (loc == LOC_STATION) {
            int hr = (int)((end - d->day_start) / HOUR_US);
            if (hr != served_hour) {
                if (served_hour >= 0) {
                    plan_ev *s = add(d, served_ts(d, served_hour), EV_SERVED, k, served_emp);
                    if (!s)
                        return -1;
                    s->count = served_n;
                }
                served_hour = hr;
                served_n = 0;
            }
            served_n++;
            served_emp = emp;
        }

        /* A complaint that is not about the employee's work. */
        int64_t after = end;
        if (rnd(&d->r) < 0.012) {
            plan_ev *rb = add(d, end + rnd_us(&d->r, 3, 15), EV_RED_BUTTON, k, emp);
            if (!rb)
                return -1;
            rb->visit = visit;
            int32_t rbi = (int32_t)(rb - d->ev);
            plan_ev *c = add(d, rb->ts + rnd_us(&d->r, 2, 8), EV_CLIP, k, emp);
            if (!c)
                return -1;
            c->clip_kind = CK_BEFORE_RED;
            c->ref = rbi;
            after = c->ts;
        }

        double resp = staff[emp].response, u = rnd(&d->r);
        if (u < resp) {
            double q = staff[emp].quality - 0.015 * (wait_min > 12 ? 12 : wait_min);
            if (q < 0.3)
                q = 0.3;
            double w[3] = {q, (1 - q) * 0.62, (1 - q) * 0.38};
            int rt = pick(&d->r, w, 3);
            plan_ev *r = add(d, after + rnd_us(&d->r, 2, 12), EV_RATING, k, emp);
            if (!r)
                return -1;
            r->rating = (uint8_t)rt;
            r->visit = visit;
            employee_emotion(d, r, emo_after[rt]);
            if (sites[loc].customer_camera)
                r->emo_c = (uint8_t)(pick(&d->r, cust_after[rt], 4) + 1);
            int32_t ri = (int32_t)(r - d->ev);
            plan_ev *c = add(d, r->ts + rnd_us(&d->r, 21, 30), EV_CLIP, k, emp);
            if (!c)
                return -1;
            c->clip_kind = CK_AFTER_RATING;
            c->ref = ri;
        } else if (u < resp + 0.30) {
            /* asked, did not rate within the terminal's 30 s */
            plan_ev *s = add(d, after + rnd_us(&d->r, 30, 32), EV_SILENT, k, emp);
            if (!s)
                return -1;
            s->visit = visit;
            employee_emotion(d, s, emo_after[3]);
            if (sites[loc].customer_camera && rnd(&d->r) < 0.8)
                s->emo_c = (uint8_t)(pick(&d->r, cust_after[3], 4) + 1);
        }
    }
    if (served_hour >= 0) {
        plan_ev *s = add(d, served_ts(d, served_hour), EV_SERVED, k, served_emp);
        if (!s)
            return -1;
        s->count = served_n;
    }
    return 0;
}

/* The live mirror: every few minutes of a shift, the employee's background. */
static int plan_emotions(demo *d, int i)
{
    int64_t t = d->day_start + staff[i].from_h * HOUR_US + rnd_us(&d->r, 60, 300);
    const int64_t end = d->day_start + staff[i].to_h * HOUR_US;
    const double q = staff[i].quality;
    const double mix[4] = {q * 0.7, (1 - q) * 0.3, 0.1, 0.35};
    for (; t < end; t += rnd_us(&d->r, 240, 360)) {
        plan_ev *e = add(d, t, EV_EMOTION, staff[i].desk, i);
        if (!e)
            return -1;
        employee_emotion(d, e, mix);
    }
    return 0;
}

static int plan_force_majeure(demo *d)
{
    for (int loc = 0; loc < 2; loc++) {
        if (rnd(&d->r) >= 0.25)
            continue;
        double h = rnd_range(&d->r, sites[loc].open_h + 1, sites[loc].close_h - 1);
        for (int k = 0; k < NDESKS; k++) {
            int emp = desks[k].loc == loc ? on_shift(d, k, h) : -1;
            if (emp < 0)
                continue;
            if (!add(d, d->day_start + (int64_t)(h * (double)HOUR_US), EV_FORCE_MAJEURE, k, emp))
                return -1;
            break;
        }
    }
    return 0;
}

static int cmp_plan(const void *a, const void *b)
{
    const plan_ev *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

demo *demo_new(uint64_t seed, int64_t day_start_us)
{
    demo *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->day_start = day_start_us;
    time_t secs = (time_t)(day_start_us / US + 12 * 3600); /* noon: safe from DST edges */
    struct tm tm;
    localtime_r(&secs, &tm);
    snprintf(d->day, sizeof d->day, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    /* The day is part of the stream, so one seed gives different days. */
    rng_seed(&d->r, seed ^ (uint64_t)(tm.tm_year * 400 + tm.tm_yday) * 0xd1b54a32d192ed03ULL);

    for (int i = 0; i < NSTAFF; i++)
        d->working[i] = !staff[i].optional || rnd(&d->r) >= 0.3;
    for (int k = 0; k < NDESKS; k++)
        if (plan_desk(d, k))
            goto fail;
    for (int i = 0; i < NSTAFF; i++)
        if (d->working[i] && plan_emotions(d, i))
            goto fail;
    if (plan_force_majeure(d))
        goto fail;

    /* Sort the plan itself; clip refs were plan indexes (== seq), so remap. */
    qsort(d->ev, d->n, sizeof *d->ev, cmp_plan);
    int32_t *where = malloc((d->n ? d->n : 1) * sizeof *where);
    if (!where)
        goto fail;
    uint32_t seqno[NDESKS] = {0};
    for (size_t i = 0; i < d->n; i++) {
        where[d->ev[i].seq] = (int32_t)i;
        d->ev[i].idnum = ++seqno[d->ev[i].desk];
    }
    for (size_t i = 0; i < d->n; i++)
        if (d->ev[i].ref >= 0)
            d->ev[i].ref = where[d->ev[i].ref];
    free(where);
    return d;
fail:
    demo_free(d);
    return NULL;
}

void demo_free(demo *d)
{
    if (!d)
        return;
    free(d->ev);
    free(d);
}

static void make_id(const demo *d, const plan_ev *e, char *out, size_t cap)
{
    snprintf(out, cap, "%s.%s.%s.%06u", sites[desks[e->desk].loc].idpart, desks[e->desk].idpart,
             d->day, e->idnum);
}

static int dup_to(char **dst, const char *s)
{
    *dst = strdup(s);
    return *dst ? 0 : -1;
}

/* The recording that holds time t: recorders start a new file every hour,
 * one folder per desk, named by the file's local start time (DESIGN §6). */
static int recording_path(int desk, int64_t t, char **out)
{
    time_t secs = (time_t)(t / US);
    struct tm tm;
    char name[64], path[96];
    localtime_r(&secs, &tm);
    secs -= tm.tm_min * 60 + tm.tm_sec;
    localtime_r(&secs, &tm);
    strftime(name, sizeof name, "%Y-%m-%dT%H-%M-%S%z", &tm);
    snprintf(path, sizeof path, "%s/%s.wav", desks[desk].name, name);
    return dup_to(out, path);
}

static int fill(const demo *d, const plan_ev *e, event *out)
{
    const int loc = desks[e->desk].loc;
    char buf[64];
    memset(out, 0, sizeof *out);
    make_id(d, e, out->id, sizeof out->id);
    out->ts_us = e->ts;
    time_t secs = (time_t)(e->ts / US);
    struct tm tm;
    localtime_r(&secs, &tm);
    out->tz_offset_s = (int)tm.tm_gmtoff;
    out->type = (event_type)e->type;
    out->emo_employee.positive = out->emo_employee.negative = out->emo_employee.neutral = -1;
    out->emo_employee.bursts = -1;
    out->emo_customer = out->emo_employee;
    if (dup_to(&out->location_id, sites[loc].id) || dup_to(&out->location_name, sites[loc].name) ||
        dup_to(&out->desk, desks[e->desk].name) || dup_to(&out->employee_id, staff[e->emp].id) ||
        dup_to(&out->employee_name, staff[e->emp].name) || dup_to(&out->camera, desks[e->desk].camera))
        return -1;
    if (e->visit >= 0) {
        snprintf(buf, sizeof buf, "v-%s-%s-%05d", sites[loc].idpart, d->day, (int)e->visit);
        if (dup_to(&out->visit, buf))
            return -1;
    }
    if (e->rating != R_NONE) {
        if (dup_to(&out->rating, rating_names[e->rating]))
            return -1;
        out->polarity = e->rating == R_SUPER ? POL_POSITIVE
                        : e->rating == R_BAD ? POL_NEGATIVE
                                             : POL_NEUTRAL;
    }
    if (e->emo_e != EMO_UNKNOWN) {
        event_emotion *m = &out->emo_employee;
        m->present = true;
        m->label = (emo_label)e->emo_e;
        /* three decimals, as a camera would report them */
        m->positive = round(e->pos * 1000.0) / 1000.0;
        m->negative = round(e->neg * 1000.0) / 1000.0;
        m->neutral = round(e->neu * 1000.0) / 1000.0;
        m->bursts = e->bursts;
    }
    if (e->emo_c != EMO_UNKNOWN) {
        out->emo_customer.present = true;
        out->emo_customer.label = (emo_label)e->emo_c;
    }
    if (e->type == EV_SERVED) {
        out->count = e->count;
        out->period_s = 3600;
    }
    if (e->type == EV_CLIP) {
        const plan_ev *r = &d->ev[e->ref];
        make_id(d, r, buf, sizeof buf);
        int64_t from = e->clip_kind == CK_AFTER_RATING ? r->ts : r->ts - 60 * US;
        if (dup_to(&out->ref, buf) ||
            dup_to(&out->clip_kind, e->clip_kind == CK_AFTER_RATING ? "after_rating" : "before_red_button") ||
            recording_path(e->desk, from, &out->clip_url))
            return -1;
    }
    return 0;
}

int demo_next(demo *d, event *out)
{
    if (!d || d->next >= d->n)
        return 0;
    const plan_ev *e = &d->ev[d->next];
    if (fill(d, e, out)) {
        event_clear(out);
        return -1;
    }
    d->next++;
    return 1;
}
