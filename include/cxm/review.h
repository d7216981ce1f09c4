/* Checklist entries in the store (DESIGN §7, issue 12): one entry per
 * incident (an event) and checklist, saved as numbered revisions (every one
 * kept), optimistic locking between supervisors, and claims with expiry
 * shared by every process using the database. Each write is its own
 * BEGIN IMMEDIATE transaction; call these outside store_begin/commit. */
#ifndef CXM_REVIEW_H
#define CXM_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/checklist.h"
#include "cxm/event.h"
#include "cxm/store.h"

#define REVIEW_USER_MAX 64
#define REVIEW_COMMENT_MAX 4000 /* bytes; a longer comment is refused */

typedef enum { REVIEW_DRAFT = 0, REVIEW_DONE = 1 } review_status;

typedef struct {
    char item[CHECKLIST_ID_MAX + 1];
    bool primary;
    /* The playback position stamped on the cause, in ms relative to the
     * event's moment (negative: before it, as in the `around` clip);
     * REVIEW_NO_STAMP when none. */
    int64_t at_ms;
} review_cause;

#define REVIEW_NO_STAMP INT64_MIN

typedef struct {
    char event_id[EVENT_ID_MAX + 1];
    char checklist[CHECKLIST_ID_MAX + 1];
    int64_t revision;  /* 0: nothing saved yet */
    review_status status;
    char reviewer[REVIEW_USER_MAX + 1];
    int64_t saved_us;  /* UTC microseconds */
    char *comment;     /* malloc'd or NULL (= empty) */
    bool needs_info, no_cause;
    int ncauses;
    review_cause *causes; /* malloc'd, in the order marked */
} review_entry;

enum { REVIEW_OK = 0, REVIEW_NONE = 1, REVIEW_STALE = 2, REVIEW_HELD = 3, REVIEW_ERROR = -1 };

void review_entry_init(review_entry *e, const char *event_id, const char *checklist_id);
void review_entry_clear(review_entry *e);
/* Deep copy into a cleared/initialised dst. 0 or -1 (out of memory). */
int review_entry_copy(review_entry *dst, const review_entry *src);
/* Adds (on = true) or removes a cause; adding an existing one only updates
 * at_ms when given (not REVIEW_NO_STAMP). Removing the primary clears it.
 * 0 or -1. */
int review_entry_toggle(review_entry *e, const char *item, bool on, int64_t at_ms);
int review_entry_has(const review_entry *e, const char *item); /* index or -1 */
/* Makes `item` (which must be marked) the only primary cause; NULL clears. */
void review_entry_set_primary(review_entry *e, const char *item);
const char *review_entry_primary(const review_entry *e); /* NULL when none */
int review_entry_set_comment(review_entry *e, const char *comment);
/* Equal content (causes as sets, primary, stamps, comment, flags, status). */
bool review_entry_same(const review_entry *a, const review_entry *b);
const char *review_status_name(review_status s); /* "draft", "done" */
/* A stamp as the form, `review show` and the report's drill-down say it:
 * "+00:07", "-00:05" (minus is U+2212 when utf8), "+1:02:03" past an hour;
 * "" for REVIEW_NO_STAMP. Rounded to the nearest second. */
void review_stamp_format(int64_t at_ms, bool utf8, char *out, size_t cap);

/* The incident: its type and rating polarity (event.h codes) and time.
 * REVIEW_OK, REVIEW_NONE (no such event) or REVIEW_ERROR. */
int review_event(store *s, const char *event_id, int *type, int *polarity, int64_t *ts_us);

/* The current entry: REVIEW_OK, REVIEW_NONE (e->revision = 0, nothing
 * saved) or REVIEW_ERROR. e is initialised by the call. */
int review_get(store *s, const char *event_id, const char *checklist_id, review_entry *e);

/* Every revision, oldest first. *out is malloc'd (review_history_free). */
int review_history(store *s, const char *event_id, const char *checklist_id, review_entry **out,
                   size_t *n);
void review_history_free(review_entry *v, size_t n);

/* Saves e as a new revision (current + 1) by e->reviewer, stamping
 * e->revision and e->saved_us. With expect_revision >= 0 the save is refused
 * unless the current revision equals it: REVIEW_STALE, nothing written, and
 * `current` (when not NULL) receives the current entry (who saved it, when).
 * Saving an entry as done releases the incident's claim. */
int review_save(store *s, review_entry *e, int64_t expect_revision, review_entry *current);
/* The same inside a write transaction the caller began (the UI's deferred
 * write queue): nothing is committed or rolled back here. */
int review_save_in_tx(store *s, review_entry *e, int64_t expect_revision, review_entry *current);

typedef struct {
    char by[REVIEW_USER_MAX + 1];
    int64_t since_us, expires_us;
} review_claim;

/* Claims the incident for `user` until now + ttl. An active claim of
 * another user is left alone: REVIEW_HELD with *holder filled. A claim of
 * the same user, or an expired one, is replaced (renewed). */
int review_claim_take(store *s, const char *event_id, const char *user, int64_t ttl_us,
                      int64_t now_us, review_claim *holder);
/* Drops the user's own claim (another user's stays). */
int review_claim_release(store *s, const char *event_id, const char *user);
/* The same two inside a write transaction the caller began (wqueue). */
int review_claim_take_in_tx(store *s, const char *event_id, const char *user, int64_t ttl_us,
                            int64_t now_us, review_claim *holder);
int review_claim_release_in_tx(store *s, const char *event_id, const char *user);
/* REVIEW_OK with *c filled when an unexpired claim exists, else REVIEW_NONE. */
int review_claim_get(store *s, const char *event_id, int64_t now_us, review_claim *c);

/* The OS user running the process (getpwuid, else $LOGNAME/$USER, else the
 * numeric uid). */
void review_os_user(char *out, size_t cap);

#endif
