/* For query modules inside src/store (and tests): what store.h keeps private.
 * Tables are documented in data/schema/001_init.sql. */
#ifndef CXM_STORE_INTERNAL_H
#define CXM_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "cxm/store.h"

#define STORE_APPLICATION_ID 0x43584d31 /* "CXM1" */
#define STORE_BUCKET_S 900              /* rollup_q: 15 minutes */
#define STORE_DAY_S 86400               /* rollup_d: UTC days */

/* A prepared statement cached for the connection's life, reset and with its
 * bindings cleared. `sql` must have static storage (the cache keys on it). */
sqlite3_stmt *store_stmt(store *s, const char *sql);

/* Writes the rollups/live state accumulated in memory by store_put since the
 * last flush. store_commit does it; a query that reads rollups inside the
 * writer's own open transaction calls it first. Returns SQLITE_OK or an error. */
int store_flush(store *s);

bool store_in_tx(const store *s);

/* Highest migration number embedded in this binary. */
int store_schema_latest(void);
/* Gives -wal/-shm back the owner's write bit when the database has it. */
void store_fix_side_files(const char *path);

/* Test hook: open but apply migrations only up to max_version (inclusive). */
int store_open_upto(const char *path, int max_version, store **out, char *err, size_t errlen);

/* The rollup contribution of one event, shared by store_put and the KPI edge
 * path that reads raw events, so the two can never disagree. */
typedef struct {
    int64_t arrivals, served, silent, red_buttons, force_majeure, ratings_total, positive, negative,
        loyal;
    int64_t emo[5]; /* EMO_COUNT; employee label over contacts */
} rollup_counts;

/* Fills *d for an event of `type`; emp_label/cust_label are emo_label values
 * (EMO_UNKNOWN when absent). Returns the derived flags stored in events.flags. */
int rollup_delta(int type, int polarity, int64_t count, int emp_label, int cust_label,
                 rollup_counts *d);

#define STORE_FLAG_CONTACT 1
#define STORE_FLAG_POSITIVE 2
#define STORE_FLAG_NEGATIVE 4
#define STORE_FLAG_LOYAL 8

#endif
