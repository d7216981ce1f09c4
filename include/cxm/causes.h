/* The causes report (DESIGN §7, issue 12): per group (all, location, desk,
 * employee) and period (by the incident's time), how many incidents the
 * checklist applies to, how many have a done entry, and the causes marked in
 * done entries as a Pareto table: sorted by count (descending) then by their
 * order in the definition; share = count / sum of the row's counts;
 * cumulative = running share; bottleneck while the cumulative share before
 * the cause is below 80 %. Drafts never count. */
#ifndef CXM_CAUSES_H
#define CXM_CAUSES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/checklist.h"
#include "cxm/store.h"

typedef enum { CAUSES_BY_ALL, CAUSES_BY_LOCATION, CAUSES_BY_DESK, CAUSES_BY_EMPLOYEE } causes_by;

typedef struct {
    char id[CHECKLIST_ID_MAX + 1];
    int item;          /* index in the definition; -1 when it no longer has it */
    int section;       /* index in the definition; -1 likewise */
    bool staff_related;
    int64_t count, primary;
    double share, cumulative;
    bool bottleneck;
} causes_cause;

typedef struct {
    char key[300];     /* "all", a location id, "location/desk", an employee id */
    char name[300];    /* display name ("" for "all": the front end words it) */
    int64_t incidents, reviewed, no_cause;
    int64_t staff_related, not_staff_related; /* sums of cause counts */
    size_t ncauses;
    causes_cause *causes;
} causes_row;

typedef struct {
    int64_t from_us, to_us;  /* [from, to); INT64_MIN / INT64_MAX for open ends */
    causes_by by;
    const char *location;    /* optional scope filters (NULL = any) */
    const char *employee;
} causes_query;

/* "all", "location", "desk", "employee" -> causes_by, -1 when unknown. */
int causes_by_from_name(const char *name);

/* Sorts v (count desc, then definition order, unknown items last by id) and
 * fills share, cumulative and bottleneck; returns the sum of counts. Pure:
 * the report and the unit tests share it. */
int64_t causes_pareto(causes_cause *v, size_t n);

/* Runs the report for checklist c. Rows are sorted by key; a group appears
 * when it has at least one incident in the period. */
int causes_run(store *s, const checklist *c, const causes_query *q, causes_row **rows, size_t *nrows,
               char *err, size_t errlen);
void causes_free(causes_row *rows, size_t n);

/* The incidents behind one cause of one row (the report's drill-down):
 * event ids of done entries marking `item`, newest first, with the playback
 * stamp (ms relative to the event, REVIEW_NO_STAMP none), and where and
 * who. */
typedef struct {
    char event_id[129];
    int64_t ts_us;
    int64_t at_ms;
    bool primary;
    char location[160]; /* the location's name (its id when unnamed) */
    char desk[64];
    char employee[160]; /* the employee's name (id when unnamed; "" none) */
} causes_incident;
int causes_incidents(store *s, const checklist *c, const causes_query *q, const char *row_key,
                     const char *item, causes_incident **out, size_t *n, char *err, size_t errlen);

#endif
