/* SQLite store (DESIGN §5): WAL, busy_timeout, synchronous=NORMAL, prepared
 * statements only, versioned migrations (data/schema/NNN_*.sql, embedded at
 * build time), idempotent inserts, rollups kept in the same transaction. */
#ifndef CXM_STORE_H
#define CXM_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/event.h"

typedef struct store store;
struct sqlite3;

/* Opens (creating when absent) and migrates. A database with a newer schema
 * version, or one that is not a cxm-console database, is refused untouched
 * with a message in err. ":memory:" works for tests. */
int store_open(const char *path, store **out, char *err, size_t errlen);
void store_close(store *s);

/* For reports: opens an existing database without writing anything, not even
 * its -wal/-shm side files (missing side files: read with immutable=1, and
 * `note` says so plainly). Fails with a reason when the schema would need a
 * migration or the -wal holds changes that cannot be read. */
int store_open_readonly(const char *path, store **out, char *note, size_t notecap, char *err,
                        size_t errlen);
/* False when the database (or its folder) cannot or must not be written:
 * no write permission, a 0444 file (even for root), a read-only folder. */
bool store_path_writable(const char *path);

/* Write transactions: BEGIN IMMEDIATE ... COMMIT. Nested begin is an error. */
int store_begin(store *s);
int store_commit(store *s);
void store_rollback(store *s);

/* How long a statement waits for a lock another connection (another console,
 * an import) holds before it fails as busy, in ms; STORE_BUSY_TIMEOUT_MS
 * unless set. The UI thread never waits that long for a write: it writes
 * through the deferred-write queue (wqueue.h) with store_try_begin. */
#define STORE_BUSY_TIMEOUT_MS 5000
void store_set_busy_timeout(store *s, int ms);
int store_busy_timeout(const store *s);
/* BEGIN IMMEDIATE that does not wait: 0 when the transaction began,
 * STORE_BUSY when another connection holds the write lock (nothing begun,
 * try later), -1 on another error. */
#define STORE_BUSY 1
int store_try_begin(store *s);
/* The last failed call on s failed because another connection held a lock. */
bool store_busy_error(store *s);

/* Inserts one event inside a transaction; *inserted = false for a duplicate id.
 * Keeps the rollups, the names of employees/locations and clip links current.
 * Heartbeats are not stored (they only feed the source watchdog). */
int store_put(store *s, const event *ev, bool *inserted);

/* Feed positions, written in the same transaction as the events they follow. */
int store_cursor_get(store *s, const char *source, char *last_id, size_t cap); /* 0 found, 1 none */
int store_cursor_set(store *s, const char *source, const char *last_id);
int store_tail_get(store *s, const char *path, uint64_t *dev, uint64_t *ino, int64_t *offset);
int store_tail_set(store *s, const char *path, uint64_t dev, uint64_t ino, int64_t offset);

/* PRAGMA data_version: changes when another connection commits. */
int64_t store_data_version(store *s);

int64_t store_count_events(store *s);
const char *store_errmsg(store *s);
const char *store_path(store *s);
/* For query modules in src/store (kpi, views): the raw handle. */
struct sqlite3 *store_db(store *s);

#endif
