/* The ordered sequence of every event the sim produced. Clients resume from
 * it by Last-Event-ID, so it is kept whole for the run: one text arena (no
 * per-event allocation; 100k events cost ~50 MB) and an id hash. */
#include <stdlib.h>
#include <string.h>

#include "cxm/mem.h"
#include "sim/sim.h"

static uint64_t hash_id(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void sim_seq_free(sim_seq *s)
{
    free(s->text);
    free(s->ent);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

static int put_text(sim_seq *s, const char *p, size_t n, size_t *off)
{
    if (s->text_len + n + 1 > s->text_cap) {
        size_t cap = s->text_cap ? s->text_cap : (1u << 20);
        while (cap < s->text_len + n + 1)
            cap *= 2;
        char *t = realloc(s->text, cap);
        if (!t)
            return -1;
        s->text = t;
        s->text_cap = cap;
    }
    memcpy(s->text + s->text_len, p, n);
    s->text[s->text_len + n] = '\0';
    *off = s->text_len;
    s->text_len += n + 1;
    return 0;
}

static void slot_put(sim_seq *s, size_t idx)
{
    const sim_entry *e = &s->ent[idx];
    size_t mask = s->nslots - 1, i = hash_id(s->text + e->id_off, e->id_len) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t v = s->slots[i];
        if (!v)
            break;
        const sim_entry *o = &s->ent[v - 1];
        if (o->id_len == e->id_len && !memcmp(s->text + o->id_off, s->text + e->id_off, e->id_len))
            break; /* a later duplicate wins: resuming after it is what a client saw last */
    }
    s->slots[i] = (uint32_t)(idx + 1);
}

static int grow_slots(sim_seq *s)
{
    size_t n = s->nslots ? s->nslots * 2 : 4096;
    uint32_t *old = s->slots;
    s->slots = calloc(n, sizeof *s->slots);
    if (!s->slots) {
        s->slots = old;
        return -1;
    }
    free(old);
    s->nslots = n;
    for (size_t i = 0; i < s->n; i++)
        if (s->ent[i].id_len)
            slot_put(s, i);
    return 0;
}

long sim_seq_add(sim_seq *s, const char *json, size_t len, const char *id, size_t idlen,
                 int64_t ts_us)
{
    if (mem_grow(&s->ent, &s->cap, s->n, sizeof *s->ent, 4096))
        return -1;
    if ((s->n + 1) * 2 > s->nslots && grow_slots(s))
        return -1;
    sim_entry *e = &s->ent[s->n];
    memset(e, 0, sizeof *e);
    if (put_text(s, json, len, &e->json_off))
        return -1;
    e->json_len = (uint32_t)len;
    e->ts_us = ts_us;
    if (id && idlen) {
        if (put_text(s, id, idlen, &e->id_off))
            return -1;
        e->id_len = (uint32_t)idlen;
    } else {
        e->id_off = e->json_off + len; /* the NUL: an empty string */
    }
    if (e->id_len)
        slot_put(s, s->n);
    return (long)s->n++;
}

long sim_seq_find(const sim_seq *s, const char *id, size_t len)
{
    if (!s->nslots || !len)
        return -1;
    size_t mask = s->nslots - 1, i = hash_id(id, len) & mask;
    for (;; i = (i + 1) & mask) {
        uint32_t v = s->slots[i];
        if (!v)
            return -1;
        const sim_entry *o = &s->ent[v - 1];
        if (o->id_len == len && !memcmp(s->text + o->id_off, id, len))
            return (long)(v - 1);
    }
}
