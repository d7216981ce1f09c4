/* The alert engine (DESIGN §9): sliding-window rules over stored events,
 * alerts that are open -> acknowledged -> closed, kept in the store.
 *
 * Semantics (the man page, section ALERTS, says the same to users):
 * - Windows and cooldowns are in EVENT time (the `ts` the source wrote), so an
 *   imported day raises the alerts it would have raised live, and events that
 *   arrive out of order are judged where they belong.
 * - A rule matches an event when (types_mask & 1u << type) and, for ratings
 *   under match_negative, the rating's polarity is negative.
 * - Count rule: at a matching event at t, the matching events of the same scope
 *   in [t - window, t] reach count_threshold.
 * - Share rule: at any rating at t (a non-matching rating can complete the
 *   minimum), the matching ratings are >= share_threshold of all ratings of the
 *   scope in [t - window, t], with at least min_ratings ratings.
 * - When both thresholds are set, either one opens the alert.
 * - Cooldown: no second alert for the same rule + scope opens when one was
 *   opened less than cooldown_s away (either side: out-of-order events must not
 *   open a twin). Within the cooldown a crossing adds its events to that alert
 *   while it is not closed, so the supervisor sees the whole pile-up in one
 *   place. An alert left open does NOT block a new one after the cooldown: a
 *   forgotten alert from yesterday must not silence today's.
 */
#ifndef CXM_ALERTS_H
#define CXM_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/config.h"
#include "cxm/event.h"
#include "cxm/rules.h"
#include "cxm/store.h"

typedef enum { ALERT_OPEN, ALERT_ACKED, ALERT_CLOSED } alert_state;

/* A closing comment is kept and shown whole up to this many bytes; a longer
 * one is refused (ALERTS_COMMENT_TOO_LONG), never cut silently. */
#define ALERT_COMMENT_MAX 4095

typedef struct {
    int64_t id;
    char rule[48];
    char scope_key[160];      /* location id, "location/desk" or employee id */
    alert_state state;
    int64_t opened_us, acked_us, closed_us;
    char acked_by[64], closed_by[64];
    char comment[ALERT_COMMENT_MAX + 1]; /* longer ones are refused by alerts_close */
    int nevents;              /* events that triggered it (alert_events table) */
    char summary[256];        /* "3 bad/red_button in 30 min at clinic-1" (English; UI translates by rule) */
    /* Additions (alerts helper): */
    alert_scope scope;
    int64_t window_from_us, window_to_us; /* the window that crossed the threshold */
    int64_t created_us;       /* wall clock when the engine raised it (opened_us is event time) */
    char scope_name[256];     /* display name of the scope when opened (as received: sanitize) */
    int64_t matched;          /* matching events in the window when opened */
    int64_t ratings;          /* share rule: all ratings in that window; 0 for a count rule */
    int since_ack;            /* acknowledged: events that joined it since the acknowledgement */
} alert_info;

/* Return codes of ack/close besides 0 (ok) and -1 (database error). */
enum {
    ALERTS_NOT_FOUND = -2,
    ALERTS_ALREADY_ACKED = -3, /* ack of an acknowledged alert */
    ALERTS_ALREADY_CLOSED = -4, /* ack or close of a closed alert */
    ALERTS_COMMENT_TOO_LONG = -5 /* close: comment over ALERT_COMMENT_MAX bytes */
};

/* Evaluates the configured rules for newly stored events (inside the caller's
 * transaction). Returns the number of alerts opened, or -1 on a database
 * error. Cooldown is respected. Only events a rule can match cost a query. */
int alerts_check(store *s, const cxm_config *cfg, const event *evs, size_t n);
/* open_only: alerts not closed yet (open or acknowledged), newest first. */
int alerts_list(store *s, int open_only, alert_info **out, size_t *n); /* free(*out) */
/* who: the OS user (alerts_os_user()). Optimistic: the state test and the
 * update are one statement, so two supervisors cannot both ack one alert. */
int alerts_ack(store *s, int64_t id, const char *who);
int alerts_close(store *s, int64_t id, const char *who, const char *comment);
int alerts_events(store *s, int64_t id, char (**ids)[EVENT_ID_MAX + 1], size_t *n);
/* Alerts in state OPEN (not yet acknowledged): what rings the bell. */
size_t alerts_open_count(store *s);

/* --- additions (alerts helper) --- */

/* One alert by id: 0, ALERTS_NOT_FOUND or -1. */
int alerts_get(store *s, int64_t id, alert_info *out);

/* Human text for a return code of ack/close ("alert 7 is already closed ...").
 * `id` and, when known, the alert's current state fill in the details. */
void alerts_strerror(store *s, int rc, int64_t id, char *out, size_t cap);

/* "open", "acknowledged", "closed" (stable, used in JSON/CSV). */
const char *alerts_state_name(alert_state st);
const char *alerts_scope_name(alert_scope sc);

/* The OS user name for acked_by/closed_by (getpwuid, else $USER, else uid). */
const char *alerts_os_user(void);

/* A triggering event with what the alert views show of it. */
typedef struct {
    char id[EVENT_ID_MAX + 1];
    int64_t ts_us;
    event_type type;
    char rating[RULES_VALUE_MAX];
    rating_polarity polarity;
    char location_id[160], location_name[256];  /* name = id when unnamed */
    char desk[160];
    char employee_id[160], employee_name[256];  /* "" when none */
    int has_clip;             /* a clip link or a clip URL is known for it */
} alert_event_row;

/* The triggering events of an alert in time order; *rows is malloc'd (free()). */
int alerts_event_rows(store *s, int64_t id, alert_event_row **rows, size_t *n);

/* Acknowledged alerts that absorbed events since the acknowledgement (the
 * bell rings again after [alerts] rering_after more). *out malloc'd. */
typedef struct {
    int64_t id;
    int since_ack;
} alert_growth;
int alerts_acked_growth(store *s, alert_growth **out, size_t *n);

/* Closes, as "system" with a comment saying why, every alert not closed that
 * no event joined for quiet_s seconds (wall clock). Returns how many, or -1. */
int alerts_auto_close(store *s, int quiet_s);

/* What a re-evaluation changed. An alert "stays the same alert" when the
 * new evaluation has an alert of the same rule and scope opening within the
 * rule's cooldown of it (the same pile-up): it keeps its id, acknowledgement,
 * closing and comment, and moves to the new opening time if that differs. */
typedef enum {
    ALERT_CHANGE_OPENED, /* a new alert */
    ALERT_CHANGE_MOVED,  /* the same alert, opening at another time */
    ALERT_CHANGE_GONE,   /* no longer an alert: deleted */
    ALERT_CHANGE_KEPT    /* unchanged (counted, not listed) */
} alert_change_kind;

typedef struct {
    alert_change_kind kind;
    int64_t id;
    char rule[48];
    char scope_key[160];
    int64_t opened_us, old_opened_us;
    alert_state state; /* of a moved or deleted alert */
} alert_change;

typedef struct {
    int opened, moved, gone, kept;
    bool collect;            /* set: list the changes (not KEPT) in changes[] */
    alert_change *changes;   /* malloc'd: alerts_report_free */
    size_t n, cap;
} alerts_report;

void alerts_report_free(alerts_report *r);

/* Recomputes the alerts opening in [from, to] from the stored events with
 * the rules of cfg, in one transaction: alerts of rules no longer
 * configured (or whose scope changed) in that period are deleted, the others
 * reconciled as described above. rep may be NULL. Returns 0 or -1. Running it
 * twice changes nothing the second time. */
int alerts_replay(store *s, const cxm_config *cfg, int64_t from_us, int64_t to_us, alerts_report *rep);

/* alerts_replay returning the number of alerts opened (or -1). */
int alerts_rescan(store *s, const cxm_config *cfg, int64_t from_us, int64_t to_us);

#endif
