/* The alert engine (DESIGN §9): sliding-window rules over stored events,
 * alerts that are open -> acknowledged -> closed, kept in the store. */
#ifndef CXM_ALERTS_H
#define CXM_ALERTS_H

#include <stddef.h>
#include <stdint.h>

#include "cxm/config.h"
#include "cxm/event.h"
#include "cxm/store.h"

typedef enum { ALERT_OPEN, ALERT_ACKED, ALERT_CLOSED } alert_state;

typedef struct {
    int64_t id;
    char rule[48];
    char scope_key[160];      /* location id, "location/desk" or employee id */
    alert_state state;
    int64_t opened_us, acked_us, closed_us;
    char acked_by[64], closed_by[64];
    char comment[512];
    int nevents;              /* events that triggered it (alert_events table) */
    char summary[256];        /* "3 bad/red_button in 30 min at clinic-1" (English; UI translates by rule) */
} alert_info;

/* Evaluates the configured rules for newly stored events (inside the caller's
 * transaction). Returns the number of alerts opened. Cooldown is respected. */
int alerts_check(store *s, const cxm_config *cfg, const event *evs, size_t n);
int alerts_list(store *s, int open_only, alert_info **out, size_t *n); /* free(*out) */
int alerts_ack(store *s, int64_t id, const char *who);
int alerts_close(store *s, int64_t id, const char *who, const char *comment);
int alerts_events(store *s, int64_t id, char (**ids)[EVENT_ID_MAX + 1], size_t *n);
size_t alerts_open_count(store *s);

#endif
