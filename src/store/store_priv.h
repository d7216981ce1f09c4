/* Shared between store.c (connection, migrations, transactions) and
 * store_put.c (inserts and the in-memory rollup accumulator). */
#ifndef CXM_STORE_PRIV_H
#define CXM_STORE_PRIV_H

#include "store/store_internal.h"

typedef struct store_pending store_pending;

struct store_stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
};

struct store {
    sqlite3 *db;
    char *path;
    bool in_tx;
    int busy_ms; /* sqlite3_busy_timeout, which SQLite cannot be asked for */
    int64_t data_version; /* as of our last commit, to spot other writers */
    struct store_stmt_slot *stmts;
    size_t nstmts, capstmts;
    store_pending *pend;
    char msg[512]; /* our own errors; else sqlite3_errmsg */
};

store_pending *store_pending_new(void);
void store_pending_free(store_pending *p);
/* Drops what was accumulated (rollback) and, with names = true, also forgets
 * the cached names (another writer may have changed them). */
void store_pending_discard(store_pending *p, bool names);
int store_pending_flush(store *s);

void store_set_msg(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
