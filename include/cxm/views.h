/* The queries behind the console's views (DESIGN §2 "big lists are virtual").
 * Curses-free and unit-tested. Every statement is prepared once per handle and
 * bound; none scans millions of rows: the dashboard reads the rollups and one
 * index seek per employee, the stream pages by key (ts, rowid) and never by
 * OFFSET, the detail reads by primary key and by visit. Text in the results is
 * as received: pass it through text.h before a terminal sees it. */
#ifndef CXM_VIEWS_H
#define CXM_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/clips.h"
#include "cxm/config.h"
#include "cxm/event.h"
#include "cxm/rules.h"

struct store;
typedef struct views views;

#define VIEWS_SPARK_MAX 48   /* hours of sparkline at most */
#define VIEWS_ID_MAX 160
#define VIEWS_NAME_MAX 256

views *views_new(struct store *s, const cxm_rules *rules);
void views_free(views *v);
const char *views_errmsg(const views *v);

/* ---- dashboard ---------------------------------------------------------- */

typedef struct {
    char employee_id[VIEWS_ID_MAX];
    char name[VIEWS_NAME_MAX];            /* employee name, or the id when unnamed */
    char location_id[VIEWS_ID_MAX];
    char location_name[VIEWS_NAME_MAX];
    char desk[VIEWS_ID_MAX];              /* the desk of the employee's latest event */
    emo_label emo_now;                    /* latest employee label (emotion events and contacts) */
    int64_t emo_ts;                       /* 0 when never labelled */
    int64_t pos, neu, neg;                /* today's ratings by polarity (super / so-so / bad) */
    int64_t ratings, silent, red_buttons;
    int64_t emo_contacts, emo_positive;   /* contacts with an employee label / positive ones */
    double csat, smile_share;             /* NAN when the denominator is zero */
    char last_rating[RULES_VALUE_MAX];    /* "" when none ever */
    rating_polarity last_polarity;
    int64_t last_rating_ts;
    emo_label last_rating_emo;            /* the employee's label at that rating */
    int spark_hours;
    int spark[VIEWS_SPARK_MAX];           /* ratings per hour, oldest first, last = current hour */
} views_dash_row;

/* One row per employee seen, sorted by location name, desk, employee name.
 * Today = the local calendar day of now_us, midnight to midnight, the same
 * range as VIEWS_PERIOD_TODAY (events later than now on that day count).
 * *rows is malloc'd (free()). */
int views_dashboard(views *v, int64_t now_us, int spark_hours, views_dash_row **rows,
                    size_t *nrows);

/* ---- event stream ------------------------------------------------------- */

typedef struct {
    unsigned types;                  /* bit (1u << event_type); 0 = every type */
    char rating[RULES_VALUE_MAX];    /* "" = any */
    int emo;                         /* employee label, -1 = any */
    char employee[VIEWS_ID_MAX];     /* employee id, "" = any */
    char location[VIEWS_ID_MAX];     /* location id, "" = any */
    char text[128];                  /* free text: names, ids, desk, visit; "" = none */
} views_filter;

void views_filter_clear(views_filter *f);
bool views_filter_active(const views_filter *f);

/* Position of a row in the newest-first order. {INT64_MAX, INT64_MAX} is the
 * top (before the newest row). */
typedef struct {
    int64_t ts_us;
    int64_t rowid;
} views_key;

typedef struct {
    views_key key;
    char id[EVENT_ID_MAX + 1];
    event_type type;
    char location_id[VIEWS_ID_MAX];
    char location_name[VIEWS_NAME_MAX];
    char desk[VIEWS_ID_MAX];
    char employee_id[VIEWS_ID_MAX];
    char employee_name[VIEWS_NAME_MAX];
    char rating[RULES_VALUE_MAX];
    rating_polarity polarity;
    emo_label emo_employee, emo_customer;
    bool has_clip;                   /* a clip URL came with it or for it */
    char visit[VIEWS_ID_MAX];
} views_row;

/* Rows strictly after `from` in the newest-first order (older), or strictly
 * before it (newer) when `newer` is true, in newest-first order either way.
 * Returns the number of rows written to out (<= max), or -1 on error. */
int views_stream_page(views *v, const views_filter *f, views_key from, bool newer,
                      views_row *out, int max);
/* The oldest `max` rows (for jumping to the end), newest first. */
int views_stream_tail(views *v, const views_filter *f, views_row *out, int max);
/* Time span of all events (unfiltered), for a scrollbar estimated from ts:
 * position = (newest - ts) / (newest - oldest). Returns 0, or 1 when empty. */
int views_stream_span(views *v, int64_t *oldest_us, int64_t *newest_us);
/* Does an event (as it arrived live) pass the filter? Free text is matched
 * against ids and names case-insensitively as a substring. */
bool views_filter_match(const views_filter *f, const event *ev);
/* New employees or locations arrived: free text is resolved against names
 * again at the next page. */
void views_text_forget(views *v);

/* ---- event detail ------------------------------------------------------- */

/* Loads every stored field of an event. Returns 0, 1 when not found, -1 on
 * error. The caller event_clear()s *out. */
int views_event_get(views *v, const char *id, event *out);

/* The events of the same visit (same location and visit id), oldest first. */
int views_visit_rows(views *v, const char *location_id, const char *visit, views_row *out,
                     int max);

/* The kinds are the core's (include/cxm/clips.h); this name stays for the views. */
typedef clip_kind views_clip_kind;

typedef struct {
    views_clip_kind kind;
    int64_t from_us, to_us;
    char url[512];                   /* a clip URL received for this event, "" when none */
} views_clip;

/* What the store knows of the event's visit (clips.h): its arrival and the
 * rating or silent that ended it; -1 each when unknown. */
void views_visit_bounds(views *v, const event *ev, clip_visit *out);

/* Clip windows available for an event: the core's clip_windows() (lengths
 * from the config) with the visit from the store and any received clip URL.
 * Returns how many were written (<= max). */
int views_clip_windows(views *v, const cxm_config *cfg, const event *ev, views_clip *out,
                       int max);
const char *views_clip_kind_name(views_clip_kind k);

/* Expands the config's camera URL template: {camera} {ts} (RFC 3339 UTC)
 * {ts_unix} {desk} {location} {employee} {id}, each value percent-encoded.
 * Returns the length, or -1 when there is no template or it does not fit. */
int views_camera_link(const char *tmpl, const event *ev, char *out, size_t cap);

/* ---- KPI periods -------------------------------------------------------- */

typedef enum { VIEWS_PERIOD_TODAY, VIEWS_PERIOD_7D, VIEWS_PERIOD_30D, VIEWS_PERIOD_CUSTOM } views_period;

/* [from, to) for a period ending at now (today = local midnight .. next midnight;
 * 7 and 30 days = that many local days ending with today). */
void views_period_range(views_period p, int64_t now_us, int64_t *from_us, int64_t *to_us);

#endif
