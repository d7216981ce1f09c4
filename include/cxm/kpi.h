/* Service KPIs (DESIGN §8). A ratio whose denominator is zero is NAN here and
 * printed as null; callers test with isnan(). */
#ifndef CXM_KPI_H
#define CXM_KPI_H

#include <stddef.h>
#include <stdint.h>

#include "cxm/event.h"
#include "cxm/rules.h"

struct store;

typedef enum { KPI_BY_ALL, KPI_BY_EMPLOYEE, KPI_BY_DESK, KPI_BY_LOCATION, KPI_BY_DAY } kpi_by;

typedef struct {
    char value[RULES_VALUE_MAX];
    int64_t n;
    int64_t by_emo[EMO_COUNT];  /* calibration: this rating under each employee label */
} kpi_rating_count;

/* Where a group's C came from: every cell from its till counts, every cell
 * from its arrivals, some of each, or no cell had either (C = 0). */
typedef enum { KPI_CFROM_NONE, KPI_CFROM_SERVED, KPI_CFROM_ARRIVALS, KPI_CFROM_MIXED } kpi_cfrom;

typedef struct {
    int nvalues;
    kpi_rating_count rv[RULES_SCALE_VALUES_MAX]; /* in scale order, then unknown values */
    int64_t ratings_total, positive, negative, silent, arrivals, served, red_buttons,
        force_majeure, loyal;
    int64_t emo[EMO_COUNT];      /* employee label over contacts (rating|silent) */
    /* C (DESIGN §8): summed over cells (local day x location x desk x
     * employee), each cell counting its `served` total when that is > 0, else
     * its arrivals; so a group's C is the sum of its parts' C. `served` above
     * stays the raw sum of till counts. cells_*: cells counted each way. */
    int64_t customers;
    int64_t cells_served, cells_arrivals;
} kpi_counts;

/* csat, support_index, criticality_index, response_rate, emonps are percent
 * (x 100 as in DESIGN §8); smile_share is a fraction 0..1 (no x 100 there). */
typedef struct {
    int64_t contacts_base;  /* C = kpi_counts.customers; 0 = unknown (ratios null) */
    double csat, support_index, criticality_index, response_rate, emonps, smile_share;
    double loyal, critics, passive;
} kpi_values;

/* key "" under --by employee: events without an employee (e.g. a till's
 * location-wide `served`). name: employees/locations name table ("" when
 * never received); desk: "<location name> / <desk>"; day and all: the key.
 * A group with nothing counted is not returned, except the one "all" row. */
typedef struct {
    char key[160];   /* employee id, desk ("location/desk"), location id, YYYY-MM-DD, "all" */
    char name[256];  /* display name as received (sanitize before showing) */
    /* 1 when the name did not fit `name` (cut at a character boundary):
     * kpi_full_name() gives it whole; a table cell marks the cut. */
    unsigned char name_cut;
    kpi_counts c;
    kpi_values v;
} kpi_row;

typedef struct {
    int64_t from_us, to_us;   /* [from, to); INT64_MIN/INT64_MAX for open ends */
    kpi_by by;
    double k;                 /* silent coefficient in [0.2, 1] */
    const char *location;     /* optional filters, NULL = all */
    const char *employee;
} kpi_query;

void kpi_compute(const kpi_counts *c, double k, kpi_values *v);
kpi_cfrom kpi_customers_from(const kpi_counts *c);
const char *kpi_cfrom_name(kpi_cfrom f); /* "served", "arrivals", "mixed"; NULL for none */
/* The rule for one cell: its till counts when it has any, else its arrivals. */
int64_t kpi_cell_customers(int64_t served, int64_t arrivals);

/* Rows sorted by key. *rows is malloc'd (free()). Uses the rollups for whole
 * buckets and the raw events only at unaligned edges. */
int kpi_run(struct store *s, const cxm_rules *rules, const kpi_query *q, kpi_row **rows,
            size_t *nrows, char *err, size_t errlen);

/* The whole display name of a kpi_run() row of grouping `by` (for rows whose
 * name_cut is set). *out is malloc'd (free()). */
int kpi_full_name(struct store *s, kpi_by by, const char *key, char **out, char *err,
                  size_t errlen);

/* Cochran with finite-population correction; population <= 0 means infinite.
 * Returns -1 for confidence/error out of range. */
int64_t kpi_sample_size(int64_t population, double confidence, double error);

const char *kpi_by_name(kpi_by by);
int kpi_by_from_name(const char *name); /* -1 when unknown */

#endif
