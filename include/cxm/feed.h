/* Feed sources and the hub that merges them (DESIGN §4): agent SSE over a
 * Unix socket or http(s), agent log tail, cloud SSE over HTTPS, the live demo.
 * Every event goes through event_parse, is deduplicated by id, and the hub
 * writes what arrived in one transaction at the end of a loop pass, with the
 * sources' resume positions and the alert check; small batches are paced to
 * one commit per 20 ms (a busy feed would otherwise commit every few events). */
#ifndef CXM_FEED_H
#define CXM_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/config.h"
#include "cxm/event.h"
#include "cxm/loop.h"
#include "cxm/store.h"

typedef enum {
    SRC_ST_IDLE,
    SRC_ST_CONNECTING,
    SRC_ST_CONNECTED,
    SRC_ST_RETRYING,   /* retry_at_us says when */
    SRC_ST_FAILED,     /* not retried: TLS verification, 4xx, bad token file */
    SRC_ST_DONE        /* a finite source ended (demo day over) */
} source_state;

typedef struct {
    char name[96];          /* "agent /run/user/1000/cxm-agent.sock", "cloud https://…" */
    source_kind kind;
    source_state state;
    int64_t retry_at_us;    /* time_mono_us() of the next attempt */
    /* received: valid events that arrived (heartbeats excluded); duplicates:
     * of those, the ones already stored (by any source), so stored =
     * received - duplicates; rejected: lines/messages refused (not in received). */
    uint64_t received, duplicates, rejected;
    char last_error[256];   /* never contains the token */
    char last_error_ru[256]; /* the same in Russian (shown with i18n_pick); may equal it */
} source_status;

typedef struct hub hub;

/* Newly stored events (not duplicates), after their transaction committed. */
typedef void (*hub_commit_cb)(void *ud, const event *evs, size_t n);

hub *hub_new(loop *lp, store *st, const cxm_config *cfg);
void hub_free(hub *h);            /* flushes first */
/* Starts a source. On -1 (bad token file, unreadable CA file, ...) err says
 * why and the source is still listed, FAILED, with the reason in last_error.
 * A source that fails later (TLS verification, 4xx, 204) turns FAILED too. */
int hub_add(hub *h, const source_conf *sc, char *err, size_t errlen);
/* The live demo: history of today up to now at once, then new events every
 * few seconds stamped with the current time. Deterministic from the seed. */
int hub_add_demo(hub *h, uint64_t seed);
void hub_set_commit_cb(hub *h, hub_commit_cb cb, void *ud);
size_t hub_count(const hub *h);
const source_status *hub_status(const hub *h, size_t i);
int hub_flush(hub *h);            /* commit what is pending now */
/* The console's UI thread: commits never wait for another process's write
 * lock (store_try_begin); while it is held, events stay pending and are
 * retried every 250 ms. hub_free's last commit still waits. */
void hub_set_nowait(hub *h, bool nowait);

/* Overrides the config's heartbeat timeout (tests use a few seconds). */
void hub_set_heartbeat_timeout_ms(hub *h, int ms);
/* "connected", "retrying", ... (English; the UI translates by state). */
const char *hub_state_name(source_state st);

#endif
