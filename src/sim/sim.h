/* cxm-agent-sim internals: the test peer that plays a site's local agent.
 * One process, one poll loop; modules share this header only. */
#ifndef CXM_SIM_H
#define CXM_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- the ordered sequence of events (sim_seq.c) ---- */

typedef struct {
    size_t json_off;  /* into seq.text */
    uint32_t json_len;
    uint32_t id_len;  /* 0 = the line has no usable id */
    size_t id_off;
    int64_t ts_us;    /* 0 when unknown */
} sim_entry;

typedef struct {
    char *text;       /* JSON lines and ids, back to back */
    size_t text_len, text_cap;
    sim_entry *ent;
    size_t n, cap;
    uint32_t *slots;  /* open addressing: entry index + 1, 0 = empty */
    size_t nslots;
} sim_seq;

void sim_seq_free(sim_seq *s);
/* Appends one event; id may be NULL. Returns the index or -1. */
long sim_seq_add(sim_seq *s, const char *json, size_t len, const char *id, size_t idlen,
                 int64_t ts_us);
/* Index of the last entry with this id, or -1. */
long sim_seq_find(const sim_seq *s, const char *id, size_t len);
static inline const char *sim_seq_json(const sim_seq *s, size_t i)
{
    return s->text + s->ent[i].json_off;
}
static inline const char *sim_seq_id(const sim_seq *s, size_t i)
{
    return s->text + s->ent[i].id_off;
}

/* ---- where events come from (sim_gen.c) ---- */

typedef struct sim_gen sim_gen;

/* Generated from the demo generator: live (restamped to now) when date_us < 0,
 * else the demo days from that local midnight on. */
sim_gen *sim_gen_demo(uint64_t seed, int64_t date_us, int rec_minutes);
/* A JSON-lines file served as it is, in order. */
sim_gen *sim_gen_file(const char *path, char *err, size_t errlen);
/* Appends the next event to the sequence. 1 = added, 0 = no more, -1 = error. */
int sim_gen_next(sim_gen *g, sim_seq *s, const char **desk_out);
void sim_gen_free(sim_gen *g);

/* ---- recordings (sim_rec.c) ---- */

typedef struct sim_rec sim_rec;

sim_rec *sim_rec_new(const char *dir, int minutes, int rate);
/* Makes sure files of `desk` cover [t - 60 s, t + 30 s]: every clip window of
 * DESIGN §6 around an event at t. 0 or -1 (message printed). */
int sim_rec_cover(sim_rec *r, const char *desk, int64_t t_us);
void sim_rec_free(sim_rec *r);
/* "DESK/2026-11-23T09-00-00+0300.wav" of the file holding t (DESIGN §6). */
int sim_rec_relpath(const char *desk, int64_t t_us, int minutes, char *out, size_t cap);

/* ---- the malformed messages fault (sim_gen.c) ---- */
/* The k-th malformed payload: broken JSON, not JSON, unknown type, bad id. */
const char *sim_malformed(unsigned k, char *buf, size_t cap);

/* ---- the log (sim_log.c) ---- */

typedef struct sim_log sim_log;

sim_log *sim_log_open(const char *path, long rotate_every, long truncate_every, int grace_ms);
/* Writes entries [log->next, seq->n) as JSON lines, honouring rotation,
 * truncation, their quiet periods and the malformed/repeat faults.
 * Returns ms until it wants to run again (-1 = nothing pending). */
int sim_log_pump(sim_log *l, const sim_seq *s, int64_t now_mono_us);
/* Everything written, no rotation or quiet period pending. */
bool sim_log_idle(const sim_log *l, const sim_seq *s);
void sim_log_free(sim_log *l);

/* ---- shared run state ---- */

typedef struct {
    long drop_every, malformed_every, repeat_every, restart_every;
    long stall_every;
    int stall_s;
    int status_code;
    long status_count;
} sim_faults;

extern sim_faults sim_fault;
extern FILE *sim_sent_fp;         /* --sent, NULL when absent */
extern struct sim_stats {
    uint64_t generated, sent, repeats, malformed, requests, refused, drops, stalls, restarts,
        log_lines, rotations, truncations;
} sim_stat;

void sim_note_sent(const char *id, size_t len); /* one --sent line */
int64_t sim_now_us(void);
int64_t sim_mono_us(void);

#endif
