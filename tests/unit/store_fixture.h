/* Events built by hand for the store and KPI tests (no parser involved).
 * String fields point at literals or the caller's buffers: never event_clear. */
#ifndef CXM_TEST_STORE_FIXTURE_H
#define CXM_TEST_STORE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cxm/event.h"

static inline event fx_event(const char *id, int64_t ts_us, event_type type, const char *loc,
                             const char *desk, const char *emp)
{
    event e;
    memset(&e, 0, sizeof e);
    snprintf(e.id, sizeof e.id, "%s", id);
    e.ts_us = ts_us;
    e.tz_offset_s = 3 * 3600;
    e.type = type;
    e.location_id = (char *)loc;
    e.desk = (char *)desk;
    e.employee_id = (char *)emp;
    e.emo_employee.positive = e.emo_employee.negative = e.emo_employee.neutral = -1;
    e.emo_employee.bursts = -1;
    e.emo_customer = e.emo_employee;
    return e;
}

static inline void fx_emotion(event_emotion *em, emo_label label)
{
    em->present = true;
    em->label = label;
}

/* A fresh path in a private temp directory; fx_cleanup removes both. */
static inline void fx_tmpdir(char *dir, size_t cap)
{
    snprintf(dir, cap, "%s/cxm-store-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) abort();
}

static inline void fx_rmdir(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
}

/* Whole file into a malloc'd buffer (for "untouched" checks). */
static inline char *fx_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

#endif
