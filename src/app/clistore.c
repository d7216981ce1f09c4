/* See clistore.h. */
#include "app/clistore.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "app/cliopt.h"
#include "cxm/timefmt.h"

static void nap_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

int clistore_open(const char *path, int64_t wait_us, store **out, char *err, size_t errlen)
{
    const int64_t deadline = time_mono_us() + wait_us;
    int retried_other = 0;
    for (;;) {
        if (store_open(path, out, err, errlen) == 0)
            return 0;
        if (strstr(err, "database is locked") || strstr(err, "database is busy")) {
            if (time_mono_us() >= deadline)
                return -1;
            nap_ms(50);
        } else if (!retried_other) {
            retried_other = 1;
            nap_ms(250);
        } else {
            return -1;
        }
    }
}

void clistore_report(const char *cmd, const char *path, const char *err)
{
    /* the store names the file in most messages; do not say it twice */
    if (strstr(err, path))
        cli_error(cmd, "cannot open the database: %s", err);
    else
        cli_error(cmd, "%s: cannot open the database: %s", path, err);
}
