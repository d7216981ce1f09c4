/* The employee card (issue 10): everything about one employee in one place —
 * who and where, the live emotion, KPIs over a period with one row per local
 * day, the calibration table against their site, their incidents (bad and
 * so-so ratings, red buttons) and their alerts. Curses-free: the console's
 * card view (ui/view_card.c) only draws what this returns.
 *
 * The KPIs are kpi_run's (include/cxm/kpi.h), never recomputed here: the
 * period's totals are one kpi_run with the employee filter, the days one more
 * with --by day, the site one with the location filter, so the card shows
 * exactly what `kpi --employee ID` and the KPI view show. Text is as
 * received: pass it through text.h before a terminal sees it. */
#ifndef CXM_CARD_H
#define CXM_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/alerts.h"
#include "cxm/event.h"
#include "cxm/kpi.h"
#include "cxm/rules.h"

struct store;

#define CARD_ID_MAX 160
#define CARD_NAME_MAX 256
#define CARD_DAYS_MAX 366    /* a longer custom period shows its last year of days */
#define CARD_INCIDENTS_MAX 500
#define CARD_ALERTS_MAX 100

typedef struct {
    char employee_id[CARD_ID_MAX];
    char name[CARD_NAME_MAX];           /* "" when never named */
    char location_id[CARD_ID_MAX];      /* where last seen */
    char location_name[CARD_NAME_MAX];  /* "" when never named */
    char desk[CARD_ID_MAX];
    emo_label emo_now;                  /* the latest employee label; EMO_UNKNOWN when none */
    int64_t emo_ts;                     /* 0 when never labelled */
} card_who;

/* Who the employee is. Returns 0, 1 when the id was never seen, -1 on a
 * database error (err says why). */
int card_who_get(struct store *s, const char *employee_id, card_who *out, char *err, size_t errlen);

typedef struct {
    char day[16];        /* YYYY-MM-DD, local */
    int64_t start_us;    /* its local midnight */
    bool any;            /* kpi_run returned a row for it (else all zero, ratios NAN) */
    kpi_counts c;
    kpi_values v;
} card_day;

typedef struct {
    char event_id[EVENT_ID_MAX + 1];
    int64_t ts_us;
    event_type type;                    /* EV_RATING or EV_RED_BUTTON */
    char rating[RULES_VALUE_MAX];       /* "" for a red button */
    rating_polarity polarity;
    emo_label emo_employee, emo_customer;
    char desk[CARD_ID_MAX];
    bool has_clip;                      /* a clip link came with or for it */
    bool in_alert;                      /* one of an alert's events */
} card_incident;

typedef struct {
    int64_t from_us, to_us;             /* [from, to) */
    double k;
    kpi_row total;                      /* the employee over the period */
    kpi_row site;                       /* their location, every employee, same period */
    bool have_site;
    card_day *days;                     /* every local day of the period, oldest first */
    size_t ndays;
    card_incident *inc;                 /* newest first */
    size_t ninc;
    bool inc_more;                      /* more than CARD_INCIDENTS_MAX in the period */
    alert_info *alerts;                 /* newest first: employee-scoped, or holding their events */
    size_t nalerts;
} card_data;

/* Loads the card for [from_us, to_us). location: the site to compare with
 * (card_who.location_id; NULL or "" = no site row). Returns 0 or -1 (err). */
int card_load(struct store *s, const cxm_rules *rules, const char *employee_id,
              const char *location, int64_t from_us, int64_t to_us, double k, card_data *out,
              char *err, size_t errlen);
void card_data_free(card_data *d);

/* Only the period's KPI totals of the employee (the card's summary of today,
 * 7 and 30 days): one kpi_run. Returns 0 or -1 (err). */
int card_kpis(struct store *s, const cxm_rules *rules, const char *employee_id, int64_t from_us,
              int64_t to_us, double k, kpi_row *out, char *err, size_t errlen);

/* Calibration: the ratings given while the employee's label was `l`, from a
 * kpi_counts' per-value table. *positive: those on a positive scale value.
 * Returns the CSAT under that label in percent, NAN when no rating. */
double card_calibration(const kpi_counts *c, const cxm_rules *rules, emo_label l, int64_t *total,
                        int64_t *positive);

/* The per-day series the card draws as sparklines. */
typedef enum { CARD_M_RATINGS, CARD_M_CSAT, CARD_M_SMILE, CARD_M_EMONPS, CARD_M_COUNT } card_metric;
const char *card_metric_name(card_metric m); /* English, for _() */
/* The value of a metric on a day: ratings as a count, CSAT and EmoNPS in
 * percent, smile share in percent (x 100 of kpi_values.smile_share); NAN
 * when the day has no denominator. */
double card_day_metric(const card_day *d, card_metric m);
/* Sparkline levels 0..7 for n values scaled between their minimum and
 * maximum (counts from 0); -1 where a value is NAN (drawn blank). */
void card_spark_levels(const double *vals, size_t n, bool from_zero, int *levels);

#endif
