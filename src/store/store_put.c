/* store_put: the insert path. One prepared INSERT per event; everything else
 * (rollups, live state) is accumulated in memory and written once per
 * transaction by store_pending_flush, which is what makes a bulk import cost
 * about one B-tree insert per event instead of five. */
#include <stdlib.h>
#include <string.h>

#include "cxm/mem.h"
#include "cxm/i18n.h"
#include "store/store_priv.h"

/* ---- interned strings: ids, desks and rating values seen by this connection ---- */

typedef struct sym sym;
struct sym {
    uint32_t hash, len;
    /* name cache: what we last wrote to employees/locations for this id */
    bool emp_known, loc_known;
    char *emp_name, *loc_name;
    const sym *emp_loc, *emp_desk;
    /* live state pending for this employee id, valid when live_gen == pend->gen */
    uint32_t live_gen;
    int live_idx;
    char s[];
};

typedef struct {
    int64_t bucket;
    const sym *loc, *desk, *emp;
    rollup_counts c;
    int nr, capr;
    struct rating_n {
        const sym *rating;
        int emo;
        int64_t n;
    } * r;
} agg_entry;

typedef struct {
    agg_entry *e;
    size_t n, cap;
    int32_t *idx; /* open addressing into e, -1 = empty */
    size_t idxcap;
} agg_map;

typedef struct {
    const sym *emp, *loc, *desk;
    bool has_emo, has_rating;
    int emo_label;
    int64_t emo_ts;
    const sym *rating;
    int rating_pol, rating_emo; /* rating_emo -1: not known here */
    int64_t rating_ts;
    char rating_event[EVENT_ID_MAX + 1];
} live_pend;

struct store_pending {
    sym **tab;
    size_t nsym, tabcap;
    agg_map q, d;
    live_pend *live;
    size_t nlive, caplive;
    uint32_t gen;
    bool dirty;
    sqlite3_stmt *ins_event, *up_loc, *up_emp, *up_clip, *up_q, *up_d, *up_qr, *up_dr, *live_emo,
        *live_rating;
};

static uint32_t hash_bytes(const char *p, size_t n, uint32_t h)
{
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 16777619u;
    return h;
}

static void sym_free(sym *y)
{
    free(y->emp_name);
    free(y->loc_name);
    free(y);
}

static int tab_grow(store_pending *p)
{
    size_t cap = p->tabcap ? p->tabcap * 2 : 256;
    sym **t = calloc(cap, sizeof *t);
    if (!t) return -1;
    for (size_t i = 0; i < p->tabcap; i++) {
        sym *y = p->tab[i];
        if (!y) continue;
        size_t j = y->hash & (cap - 1);
        while (t[j])
            j = (j + 1) & (cap - 1);
        t[j] = y;
    }
    free(p->tab);
    p->tab = t;
    p->tabcap = cap;
    return 0;
}

static sym *intern(store_pending *p, const char *str)
{
    if (!str) str = "";
    size_t len = strlen(str);
    uint32_t h = hash_bytes(str, len, 2166136261u);
    if ((p->nsym + 1) * 2 > p->tabcap && tab_grow(p) != 0) return NULL;
    size_t j = h & (p->tabcap - 1);
    for (sym *y; (y = p->tab[j]); j = (j + 1) & (p->tabcap - 1))
        if (y->hash == h && y->len == len && memcmp(y->s, str, len) == 0) return y;
    sym *y = calloc(1, sizeof *y + len + 1);
    if (!y) return NULL;
    y->hash = h;
    y->len = (uint32_t)len;
    y->live_idx = -1;
    memcpy(y->s, str, len + 1);
    p->tab[j] = y;
    p->nsym++;
    return y;
}

static void syms_clear(store_pending *p)
{
    for (size_t i = 0; i < p->tabcap; i++) {
        if (p->tab[i]) sym_free(p->tab[i]);
        p->tab[i] = NULL;
    }
    p->nsym = 0;
}

/* ---- the rollup accumulator ---- */

static uint32_t agg_hash(int64_t bucket, const sym *loc, const sym *desk, const sym *emp)
{
    uint64_t h = (uint64_t)bucket * 0x9e3779b97f4a7c15ull;
    h ^= loc->hash + 0x7f4a7c15u + (h << 6) + (h >> 2);
    h ^= desk->hash + 0x165667b1u + (h << 6) + (h >> 2);
    h ^= emp->hash + 0x27d4eb2fu + (h << 6) + (h >> 2);
    return (uint32_t)(h ^ (h >> 32));
}

static void agg_reset(agg_map *m)
{
    m->n = 0;
    if (m->idx) memset(m->idx, 0xff, m->idxcap * sizeof *m->idx);
}

static void agg_free(agg_map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->e[i].r);
    free(m->e);
    free(m->idx);
}

static int agg_rehash(agg_map *m, size_t cap)
{
    int32_t *idx = malloc(cap * sizeof *idx);
    if (!idx) return -1;
    memset(idx, 0xff, cap * sizeof *idx);
    for (size_t i = 0; i < m->n; i++) {
        agg_entry *e = &m->e[i];
        size_t j = agg_hash(e->bucket, e->loc, e->desk, e->emp) & (cap - 1);
        while (idx[j] >= 0)
            j = (j + 1) & (cap - 1);
        idx[j] = (int32_t)i;
    }
    free(m->idx);
    m->idx = idx;
    m->idxcap = cap;
    return 0;
}

static agg_entry *agg_get(agg_map *m, int64_t bucket, const sym *loc, const sym *desk,
                          const sym *emp)
{
    if ((m->n + 1) * 2 > m->idxcap && agg_rehash(m, m->idxcap ? m->idxcap * 2 : 1024) != 0)
        return NULL;
    size_t j = agg_hash(bucket, loc, desk, emp) & (m->idxcap - 1);
    for (; m->idx[j] >= 0; j = (j + 1) & (m->idxcap - 1)) {
        agg_entry *e = &m->e[m->idx[j]];
        if (e->bucket == bucket && e->loc == loc && e->desk == desk && e->emp == emp) return e;
    }
    size_t had = m->cap;
    if (mem_grow(&m->e, &m->cap, m->n, sizeof *m->e, 512)) return NULL;
    if (m->cap != had) memset(m->e + had, 0, (m->cap - had) * sizeof *m->e);
    agg_entry *e = &m->e[m->n];
    struct rating_n *keep = e->r; /* reuse the previous generation's buffer */
    int keepcap = e->capr;
    memset(e, 0, sizeof *e);
    e->r = keep;
    e->capr = keepcap;
    e->bucket = bucket;
    e->loc = loc;
    e->desk = desk;
    e->emp = emp;
    m->idx[j] = (int32_t)m->n++;
    return e;
}

static int agg_add_rating(agg_entry *e, const sym *rating, int emo, int64_t n)
{
    for (int i = 0; i < e->nr; i++) {
        if (e->r[i].rating == rating && e->r[i].emo == emo) {
            e->r[i].n += n;
            return 0;
        }
    }
    if (e->nr == e->capr) {
        int cap = e->capr ? e->capr * 2 : 8;
        struct rating_n *r = realloc(e->r, (size_t)cap * sizeof *r);
        if (!r) return -1;
        e->r = r;
        e->capr = cap;
    }
    e->r[e->nr].rating = rating;
    e->r[e->nr].emo = emo;
    e->r[e->nr].n = n;
    e->nr++;
    return 0;
}

static void counts_add(rollup_counts *a, const rollup_counts *b)
{
    a->arrivals += b->arrivals;
    a->served += b->served;
    a->silent += b->silent;
    a->red_buttons += b->red_buttons;
    a->force_majeure += b->force_majeure;
    a->ratings_total += b->ratings_total;
    a->positive += b->positive;
    a->negative += b->negative;
    a->loyal += b->loyal;
    for (int i = 0; i < EMO_COUNT; i++)
        a->emo[i] += b->emo[i];
}

int rollup_delta(int type, int polarity, int64_t count, int emp_label, int cust_label,
                 rollup_counts *d)
{
    memset(d, 0, sizeof *d);
    if (emp_label < 0 || emp_label >= EMO_COUNT) emp_label = EMO_UNKNOWN;
    int flags = 0;
    switch (type) {
    case EV_ARRIVAL:
        d->arrivals = 1;
        break;
    case EV_SERVED:
        d->served = count;
        break;
    case EV_RED_BUTTON:
        d->red_buttons = 1;
        break;
    case EV_FORCE_MAJEURE:
        d->force_majeure = 1;
        break;
    case EV_SILENT:
        d->silent = 1;
        d->emo[emp_label] = 1;
        flags = STORE_FLAG_CONTACT;
        break;
    case EV_RATING:
        d->ratings_total = 1;
        d->emo[emp_label] = 1;
        flags = STORE_FLAG_CONTACT;
        if (polarity == POL_POSITIVE) {
            d->positive = 1;
            flags |= STORE_FLAG_POSITIVE;
            if (cust_label == EMO_POSITIVE) {
                d->loyal = 1;
                flags |= STORE_FLAG_LOYAL;
            }
        } else if (polarity == POL_NEGATIVE) {
            d->negative = 1;
            flags |= STORE_FLAG_NEGATIVE;
        }
        break;
    default:
        break;
    }
    return flags;
}

static bool counts_type(int type)
{
    return type == EV_ARRIVAL || type == EV_SERVED || type == EV_RED_BUTTON ||
           type == EV_FORCE_MAJEURE || type == EV_SILENT || type == EV_RATING;
}

/* ---- statements ---- */

#define ROLLUP_UPSERT(tab)                                                                         \
    "INSERT INTO " tab " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "    \
    "?15, ?16, ?17, ?18) ON CONFLICT(bucket, location_id, desk, employee_id) DO UPDATE SET "       \
    "arrivals = arrivals + excluded.arrivals, served = served + excluded.served, "                 \
    "silent = silent + excluded.silent, red_buttons = red_buttons + excluded.red_buttons, "        \
    "force_majeure = force_majeure + excluded.force_majeure, "                                     \
    "ratings_total = ratings_total + excluded.ratings_total, "                                     \
    "positive = positive + excluded.positive, negative = negative + excluded.negative, "           \
    "loyal = loyal + excluded.loyal, emo_unknown = emo_unknown + excluded.emo_unknown, "           \
    "emo_positive = emo_positive + excluded.emo_positive, "                                        \
    "emo_negative = emo_negative + excluded.emo_negative, "                                        \
    "emo_mixed = emo_mixed + excluded.emo_mixed, emo_poker = emo_poker + excluded.emo_poker"
#define RATING_UPSERT(tab)                                                                         \
    "INSERT INTO " tab " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(bucket, location_id, "    \
    "desk, employee_id, rating, emo) DO UPDATE SET n = n + excluded.n"

static const char SQL_INS_EVENT[] =
    "INSERT INTO events(id, ts, tz_offset, type, location_id, desk, employee_id, visit, rating, "
    "polarity, flags, emp_label, emp_classified, emp_positive, emp_negative, emp_neutral, "
    "emp_bursts, cust_label, cust_classified, cust_positive, cust_negative, cust_neutral, "
    "cust_bursts, camera, ref, clip_kind, clip_url, count, period_s) VALUES (?1, ?2, ?3, ?4, ?5, "
    "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
    "?25, ?26, ?27, ?28, ?29) ON CONFLICT(id) DO NOTHING";
static const char SQL_UP_LOC[] =
    "INSERT INTO locations(id, name) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET "
    "name = coalesce(excluded.name, locations.name)";
static const char SQL_UP_EMP[] =
    "INSERT INTO employees(id, name, location_id, desk) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT(id) DO UPDATE SET name = coalesce(excluded.name, employees.name), "
    "location_id = excluded.location_id, desk = coalesce(excluded.desk, employees.desk)";
static const char SQL_UP_CLIP[] =
    "INSERT INTO clips(event_id, kind, url) VALUES (?1, ?2, ?3) ON CONFLICT(event_id, kind) "
    "DO UPDATE SET url = coalesce(excluded.url, clips.url)";
static const char SQL_LIVE_EMO[] =
    "INSERT INTO live(employee_id, location_id, desk, emo_label, emo_ts) VALUES (?1, ?2, ?3, ?4, "
    "?5) ON CONFLICT(employee_id) DO UPDATE SET location_id = excluded.location_id, "
    "desk = excluded.desk, emo_label = excluded.emo_label, emo_ts = excluded.emo_ts "
    "WHERE live.emo_ts IS NULL OR excluded.emo_ts >= live.emo_ts";
static const char SQL_LIVE_RATING[] =
    "INSERT INTO live(employee_id, location_id, desk, rating, rating_polarity, rating_ts, "
    "rating_emo_label, rating_event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
    "ON CONFLICT(employee_id) DO UPDATE SET location_id = excluded.location_id, "
    "desk = excluded.desk, rating = excluded.rating, rating_polarity = excluded.rating_polarity, "
    "rating_ts = excluded.rating_ts, "
    "rating_emo_label = coalesce(excluded.rating_emo_label, live.emo_label), "
    "rating_event_id = excluded.rating_event_id "
    "WHERE live.rating_ts IS NULL OR excluded.rating_ts >= live.rating_ts";

static sqlite3_stmt *prep(store *s, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        store_set_msg(s, "%s", sqlite3_errmsg(s->db));
        return NULL;
    }
    return st;
}

static int prepare_all(store *s)
{
    store_pending *p = s->pend;
    if (p->ins_event) return 0;
    if (!(p->ins_event = prep(s, SQL_INS_EVENT)) || !(p->up_loc = prep(s, SQL_UP_LOC)) ||
        !(p->up_emp = prep(s, SQL_UP_EMP)) || !(p->up_clip = prep(s, SQL_UP_CLIP)) ||
        !(p->up_q = prep(s, ROLLUP_UPSERT("rollup_q"))) ||
        !(p->up_d = prep(s, ROLLUP_UPSERT("rollup_d"))) ||
        !(p->up_qr = prep(s, RATING_UPSERT("rollup_q_rating"))) ||
        !(p->up_dr = prep(s, RATING_UPSERT("rollup_d_rating"))) ||
        !(p->live_emo = prep(s, SQL_LIVE_EMO)) || !(p->live_rating = prep(s, SQL_LIVE_RATING)))
        return -1;
    return 0;
}

store_pending *store_pending_new(void)
{
    store_pending *p = calloc(1, sizeof *p);
    if (p) p->gen = 1;
    return p;
}

void store_pending_free(store_pending *p)
{
    if (!p) return;
    sqlite3_stmt *sts[] = {p->ins_event, p->up_loc, p->up_emp, p->up_clip,  p->up_q,
                           p->up_d,      p->up_qr,  p->up_dr,  p->live_emo, p->live_rating};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(sts[i]);
    syms_clear(p);
    free(p->tab);
    agg_free(&p->q);
    agg_free(&p->d);
    free(p->live);
    free(p);
}

static void pending_reset(store_pending *p)
{
    agg_reset(&p->q);
    agg_reset(&p->d);
    p->nlive = 0;
    p->gen++;
    p->dirty = false;
}

void store_pending_discard(store_pending *p, bool names)
{
    if (!p) return;
    pending_reset(p);
    if (names) syms_clear(p);
}

/* ---- the per-event work ---- */

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static void bind_share(sqlite3_stmt *st, int i, double v)
{
    if (v >= 0)
        sqlite3_bind_double(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

static void bind_emotion(sqlite3_stmt *st, int i, const event_emotion *e)
{
    if (!e->present) {
        for (int k = 0; k < 6; k++)
            sqlite3_bind_null(st, i + k);
        return;
    }
    sqlite3_bind_int(st, i, (int)e->label);
    sqlite3_bind_int(st, i + 1, e->classified);
    bind_share(st, i + 2, e->positive);
    bind_share(st, i + 3, e->negative);
    bind_share(st, i + 4, e->neutral);
    if (e->bursts >= 0)
        sqlite3_bind_int(st, i + 5, e->bursts);
    else
        sqlite3_bind_null(st, i + 5);
}

static int step_reset(store *s, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_set_msg(s, "%s", sqlite3_errmsg(s->db));
        return -1;
    }
    return 0;
}

static int remember_names(store *s, const event *ev, sym *loc, const sym *desk)
{
    store_pending *p = s->pend;
    if (!loc->loc_known ||
        (ev->location_name && (!loc->loc_name || strcmp(loc->loc_name, ev->location_name)))) {
        sqlite3_stmt *st = p->up_loc;
        sqlite3_bind_text(st, 1, loc->s, (int)loc->len, SQLITE_STATIC);
        bind_text(st, 2, ev->location_name);
        if (step_reset(s, st) != 0) return -1;
        if (ev->location_name) {
            char *n = strdup(ev->location_name);
            if (!n) return -1;
            free(loc->loc_name);
            loc->loc_name = n;
        }
        loc->loc_known = true;
    }
    if (!ev->employee_id) return 0;
    sym *emp = intern(p, ev->employee_id);
    if (!emp) return -1;
    bool same =
        emp->emp_known && emp->emp_loc == loc && (!ev->desk || emp->emp_desk == desk) &&
        (!ev->employee_name || (emp->emp_name && !strcmp(emp->emp_name, ev->employee_name)));
    if (same) return 0;
    sqlite3_stmt *st = p->up_emp;
    sqlite3_bind_text(st, 1, emp->s, (int)emp->len, SQLITE_STATIC);
    bind_text(st, 2, ev->employee_name);
    sqlite3_bind_text(st, 3, loc->s, (int)loc->len, SQLITE_STATIC);
    bind_text(st, 4, ev->desk);
    if (step_reset(s, st) != 0) return -1;
    if (ev->employee_name) {
        char *n = strdup(ev->employee_name);
        if (!n) return -1;
        free(emp->emp_name);
        emp->emp_name = n;
    }
    emp->emp_loc = loc;
    if (ev->desk) emp->emp_desk = desk;
    emp->emp_known = true;
    return 0;
}

static int remember_clip(store *s, const event *ev)
{
    const char *owner =
        ev->type == EV_CLIP ? ev->ref : (ev->clip_url || ev->clip_kind ? ev->id : NULL);
    if (!owner) return 0;
    sqlite3_stmt *st = s->pend->up_clip;
    sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ev->clip_kind ? ev->clip_kind : "", -1, SQLITE_STATIC);
    bind_text(st, 3, ev->clip_url);
    return step_reset(s, st);
}

static live_pend *live_slot(store_pending *p, sym *emp)
{
    if (emp->live_gen == p->gen && emp->live_idx >= 0) return &p->live[emp->live_idx];
    if (mem_grow(&p->live, &p->caplive, p->nlive, sizeof *p->live, 64)) return NULL;
    live_pend *l = &p->live[p->nlive];
    memset(l, 0, sizeof *l);
    l->emp = emp;
    emp->live_gen = p->gen;
    emp->live_idx = (int)p->nlive++;
    return l;
}

static int remember_live(store_pending *p, const event *ev, const sym *loc, const sym *desk)
{
    int emo = ev->emo_employee.present ? (int)ev->emo_employee.label : EMO_UNKNOWN;
    bool emo_event = emo != EMO_UNKNOWN &&
                     (ev->type == EV_EMOTION || ev->type == EV_RATING || ev->type == EV_SILENT);
    if (!emo_event && ev->type != EV_RATING) return 0;
    sym *emp = intern(p, ev->employee_id);
    live_pend *l = emp ? live_slot(p, emp) : NULL;
    if (!l) return -1;
    if (emo_event && (!l->has_emo || ev->ts_us >= l->emo_ts)) {
        l->has_emo = true;
        l->emo_label = emo;
        l->emo_ts = ev->ts_us;
        l->loc = loc;
        l->desk = desk;
    }
    if (ev->type == EV_RATING && (!l->has_rating || ev->ts_us >= l->rating_ts)) {
        l->has_rating = true;
        l->rating = intern(p, ev->rating);
        if (!l->rating) return -1;
        l->rating_pol = ev->polarity;
        l->rating_ts = ev->ts_us;
        l->rating_emo = emo != EMO_UNKNOWN                       ? emo
                        : (l->has_emo && l->emo_ts <= ev->ts_us) ? l->emo_label
                                                                 : -1;
        memcpy(l->rating_event, ev->id, sizeof l->rating_event);
        l->loc = loc;
        l->desk = desk;
    }
    return 0;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int store_put(store *s, const event *ev, bool *inserted)
{
    bool dummy;
    if (!inserted) inserted = &dummy;
    *inserted = false;
    if (ev->type == EV_HEARTBEAT) return 0;
    if (!s->in_tx) {
        if (store_begin(s) != 0) return -1;
        if (store_put(s, ev, inserted) != 0) {
            store_rollback(s);
            return -1;
        }
        return store_commit(s);
    }
    store_pending *p = s->pend;
    if (prepare_all(s) != 0) return -1;
    int emp_label = ev->emo_employee.present ? (int)ev->emo_employee.label : EMO_UNKNOWN;
    int cust_label = ev->emo_customer.present ? (int)ev->emo_customer.label : EMO_UNKNOWN;
    rollup_counts d;
    int flags = rollup_delta(ev->type, ev->polarity, ev->count, emp_label, cust_label, &d);

    sqlite3_stmt *st = p->ins_event;
    sqlite3_bind_text(st, 1, ev->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, ev->ts_us);
    sqlite3_bind_int(st, 3, ev->tz_offset_s);
    sqlite3_bind_int(st, 4, (int)ev->type);
    sqlite3_bind_text(st, 5, ev->location_id ? ev->location_id : "", -1, SQLITE_STATIC);
    bind_text(st, 6, ev->desk);
    bind_text(st, 7, ev->employee_id);
    bind_text(st, 8, ev->visit);
    bind_text(st, 9, ev->rating);
    sqlite3_bind_int(st, 10, (int)ev->polarity);
    sqlite3_bind_int(st, 11, flags);
    bind_emotion(st, 12, &ev->emo_employee);
    bind_emotion(st, 18, &ev->emo_customer);
    bind_text(st, 24, ev->camera);
    bind_text(st, 25, ev->ref);
    bind_text(st, 26, ev->clip_kind);
    bind_text(st, 27, ev->clip_url);
    if (ev->type == EV_SERVED) {
        sqlite3_bind_int64(st, 28, ev->count);
        sqlite3_bind_int64(st, 29, ev->period_s);
    } else {
        sqlite3_bind_null(st, 28);
        sqlite3_bind_null(st, 29);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        store_set_msg(s, _("insert %s: %s"), ev->id, sqlite3_errmsg(s->db));
        return -1;
    }
    if (sqlite3_changes(s->db) == 0) return 0; /* a duplicate: nothing else may count it twice */
    *inserted = true;
    p->dirty = true;

    sym *loc = intern(p, ev->location_id);
    sym *desk = intern(p, ev->desk);
    sym *emp = intern(p, ev->employee_id);
    if (!loc || !desk || !emp) goto oom;
    if (remember_names(s, ev, loc, desk) != 0 || remember_clip(s, ev) != 0) return -1;
    if (ev->employee_id && remember_live(p, ev, loc, desk) != 0) goto oom;
    if (counts_type(ev->type)) {
        int64_t bucket = floor_div(ev->ts_us, (int64_t)STORE_BUCKET_S * 1000000) * STORE_BUCKET_S;
        agg_entry *e = agg_get(&p->q, bucket, loc, desk, emp);
        if (!e) goto oom;
        counts_add(&e->c, &d);
        if (ev->type == EV_RATING) {
            sym *r = intern(p, ev->rating);
            if (!r || agg_add_rating(e, r, emp_label, 1) != 0) goto oom;
        }
    }
    return 0;
oom:
    store_set_msg(s, _("out of memory"));
    return -1;
}

/* ---- flush at commit ---- */

static int flush_map(store *s, agg_map *m, sqlite3_stmt *up, sqlite3_stmt *upr)
{
    for (size_t i = 0; i < m->n; i++) {
        const agg_entry *e = &m->e[i];
        sqlite3_bind_int64(up, 1, e->bucket);
        sqlite3_bind_text(up, 2, e->loc->s, (int)e->loc->len, SQLITE_STATIC);
        sqlite3_bind_text(up, 3, e->desk->s, (int)e->desk->len, SQLITE_STATIC);
        sqlite3_bind_text(up, 4, e->emp->s, (int)e->emp->len, SQLITE_STATIC);
        const int64_t v[] = {
            e->c.arrivals,      e->c.served,   e->c.silent,   e->c.red_buttons, e->c.force_majeure,
            e->c.ratings_total, e->c.positive, e->c.negative, e->c.loyal,       e->c.emo[0],
            e->c.emo[1],        e->c.emo[2],   e->c.emo[3],   e->c.emo[4]};
        for (int k = 0; k < 14; k++)
            sqlite3_bind_int64(up, 5 + k, v[k]);
        if (step_reset(s, up) != 0) return -1;
        for (int k = 0; k < e->nr; k++) {
            sqlite3_bind_int64(upr, 1, e->bucket);
            sqlite3_bind_text(upr, 2, e->loc->s, (int)e->loc->len, SQLITE_STATIC);
            sqlite3_bind_text(upr, 3, e->desk->s, (int)e->desk->len, SQLITE_STATIC);
            sqlite3_bind_text(upr, 4, e->emp->s, (int)e->emp->len, SQLITE_STATIC);
            sqlite3_bind_text(upr, 5, e->r[k].rating->s, (int)e->r[k].rating->len, SQLITE_STATIC);
            sqlite3_bind_int(upr, 6, e->r[k].emo);
            sqlite3_bind_int64(upr, 7, e->r[k].n);
            if (step_reset(s, upr) != 0) return -1;
        }
    }
    return 0;
}

static int flush_live(store *s)
{
    store_pending *p = s->pend;
    for (size_t i = 0; i < p->nlive; i++) {
        const live_pend *l = &p->live[i];
        if (l->has_emo) {
            sqlite3_stmt *st = p->live_emo;
            sqlite3_bind_text(st, 1, l->emp->s, (int)l->emp->len, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, l->loc->s, (int)l->loc->len, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, l->desk->s, (int)l->desk->len, SQLITE_STATIC);
            sqlite3_bind_int(st, 4, l->emo_label);
            sqlite3_bind_int64(st, 5, l->emo_ts);
            if (step_reset(s, st) != 0) return -1;
        }
        if (l->has_rating) {
            sqlite3_stmt *st = p->live_rating;
            sqlite3_bind_text(st, 1, l->emp->s, (int)l->emp->len, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, l->loc->s, (int)l->loc->len, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, l->desk->s, (int)l->desk->len, SQLITE_STATIC);
            sqlite3_bind_text(st, 4, l->rating->s, (int)l->rating->len, SQLITE_STATIC);
            sqlite3_bind_int(st, 5, l->rating_pol);
            sqlite3_bind_int64(st, 6, l->rating_ts);
            if (l->rating_emo >= 0)
                sqlite3_bind_int(st, 7, l->rating_emo);
            else
                sqlite3_bind_null(st, 7);
            sqlite3_bind_text(st, 8, l->rating_event, -1, SQLITE_STATIC);
            if (step_reset(s, st) != 0) return -1;
        }
    }
    return 0;
}

int store_pending_flush(store *s)
{
    store_pending *p = s->pend;
    if (!p->dirty) return SQLITE_OK;
    /* Days are summed from the quarter-hours here rather than per event. */
    for (size_t i = 0; i < p->q.n; i++) {
        const agg_entry *e = &p->q.e[i];
        agg_entry *de = agg_get(&p->d, floor_div(e->bucket, STORE_DAY_S) * STORE_DAY_S, e->loc,
                                e->desk, e->emp);
        if (!de) goto oom;
        counts_add(&de->c, &e->c);
        for (int k = 0; k < e->nr; k++)
            if (agg_add_rating(de, e->r[k].rating, e->r[k].emo, e->r[k].n) != 0) goto oom;
    }
    int rc = flush_map(s, &p->q, p->up_q, p->up_qr) == 0 &&
                     flush_map(s, &p->d, p->up_d, p->up_dr) == 0 && flush_live(s) == 0
                 ? SQLITE_OK
                 : SQLITE_ERROR;
    pending_reset(p);
    /* Ids from a hostile feed must not grow the cache without bound. */
    if (p->nsym > 100000) syms_clear(p);
    return rc;
oom:
    store_set_msg(s, _("out of memory"));
    pending_reset(p);
    return SQLITE_NOMEM;
}
