/* The level strip of a clip (DESIGN §6): its loudness envelope, computed from
 * the decoded samples of a rec_plan, in equal buckets over the window (gaps
 * marked missing); and the two jumps the player offers: to the next loud
 * stretch, and over silence. Times are seconds from the window's start. */
#ifndef CXM_LEVELS_H
#define CXM_LEVELS_H

#include <stdbool.h>

#include "cxm/recordings.h"

#define LEVELS_FLOOR_DB (-90.0f)   /* digital silence shows as this */
#define LEVELS_LOUD_DB (-20.0f)    /* "raised voice" threshold (RMS, dBFS) */
#define LEVELS_SILENT_DB (-45.0f)  /* below: silence */

typedef struct {
    int n;
    float *db;        /* RMS per bucket, dBFS, >= LEVELS_FLOOR_DB */
    bool *missing;    /* the bucket is (mostly) not recorded */
    double bucket_s;  /* window length / n */
} rec_levels;

/* n buckets (1..4096) over [plan->from_us, plan->to_us). 0, or -1 with err
 * (an unreadable file). */
int rec_levels_compute(const char *root, const rec_plan *p, int n, rec_levels *out, char *err,
                       size_t errlen);
/* n buckets over the whole of one sound file (a fetched clip link: the link
 * is the whole clip), computed as rec_levels_compute would for a window that
 * is exactly that file. -1 with err naming the format problem when libsndfile
 * cannot decode it. */
int rec_levels_file(const char *path, int n, rec_levels *out, char *err, size_t errlen);
void rec_levels_free(rec_levels *l);

/* The start of the next stretch at or above loud_db after the one `t` is in
 * (or at the first loud bucket after t); -1 when there is none. Both jumps
 * take t as half a bucket later, so that a repeated jump moves on. */
double rec_levels_next_loud(const rec_levels *l, double t, float loud_db);
/* When t is in silence (below silent_db), the end of that silent stretch;
 * otherwise the end of the next silent stretch after t. -1 when none. */
double rec_levels_skip_silence(const rec_levels *l, double t, float silent_db);

#endif
