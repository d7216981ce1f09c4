/* Opening the store from a command-line tool, which may wait for other
 * writers (a console, another import) longer than the store's busy_timeout. */
#ifndef CXM_APP_CLISTORE_H
#define CXM_APP_CLISTORE_H

#include <stddef.h>
#include <stdint.h>

#include "cxm/store.h"

/* store_open, retried while the database is locked, up to wait_us. Also
 * retried once after a moment on any other refusal: a database that another
 * process is creating this instant can look half-made. A refusal that
 * persists is returned as is (the file is never modified by a retry). */
int clistore_open(const char *path, int64_t wait_us, store **out, char *err, size_t errlen);

/* For commands that only read (kpi, alerts list/events): a database that
 * cannot or must not be written (read-only folder or mount, a 0444 file) is
 * opened read-only without creating side files; a note on stderr says so
 * plainly when its -wal/-shm cannot be used. Otherwise clistore_open. */
int clistore_open_reader(const char *cmd, const char *path, int64_t wait_us, store **out, char *err,
                         size_t errlen);

/* Prints "cxm-console CMD: PATH: ERR" without naming the path twice. */
void clistore_report(const char *cmd, const char *path, const char *err);

#endif
