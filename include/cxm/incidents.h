/* The incident queue (issue 12): every event a checklist applies to, newest
 * first, with what the supervisor needs to pick the next one to review —
 * who and where, what happened, emotions, whether a clip is linked, and the
 * review status for that checklist: new, claimed (by whom, since when, an
 * unexpired claim of any console sharing the database), draft, done, or
 * needs-info (an entry flagged "needs more information from the employee",
 * its own status until the flag is cleared). */
#ifndef CXM_INCIDENTS_H
#define CXM_INCIDENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/checklist.h"
#include "cxm/event.h"
#include "cxm/store.h"

typedef enum { INC_NEW, INC_CLAIMED, INC_DRAFT, INC_DONE, INC_NEEDS_INFO, INC_STATUS_COUNT } inc_status;

typedef struct {
    char event_id[EVENT_ID_MAX + 1];
    int64_t ts_us;
    int tz_offset_s;
    int type, polarity;        /* event_type, rating_polarity */
    char rating[32];
    char location_id[130], location_name[200];
    char desk[130];
    char employee_id[130], employee_name[200];
    int emp_label, cust_label; /* emo_label; EMO_UNKNOWN when absent */
    bool has_clip;             /* a clip is linked to the event */
    bool in_alert;             /* the event is one of an alert's events */
    inc_status status;
    char claimed_by[65];       /* INC_CLAIMED (and any status with a live claim) */
    int64_t claimed_us;
    int64_t claim_expires_us;  /* when that claim frees itself; 0 without one */
    char reviewer[65];         /* of the current revision, "" when none */
    int64_t revision;
} incident;

typedef struct {
    const checklist *c;        /* required: which incidents, which entries */
    int64_t from_us, to_us;    /* by the incident's time; INT64_MIN/MAX open */
    int status;                /* inc_status, or -1 for any */
    const char *location;      /* NULL = any */
    const char *employee;      /* NULL = any */
    const char *mine;          /* a user: only what they claimed or saved; NULL = all */
    bool only_in_alert;
    size_t limit;              /* 0 = 1000 */
} incident_query;

/* Newest first. now_us decides which claims are live. */
int incidents_list(store *s, const incident_query *q, int64_t now_us, incident **out, size_t *n,
                   char *err, size_t errlen);
/* The newest incident with status new (other than `after`), for "next". */
int incidents_next_new(store *s, const incident_query *q, int64_t now_us, const char *after,
                       char *event_id, size_t cap);

const char *inc_status_name(inc_status s); /* "new", "claimed", "draft", "done", "needs-info" */

#endif
