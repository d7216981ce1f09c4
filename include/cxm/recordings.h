/* The desk recordings (DESIGN §6): ROOT/<desk>/<local start time>.<ext>, e.g.
 * reg-2/2026-11-23T09-00-00+0300.wav. Headers (start, frames, rate, channels)
 * are read once with libsndfile and kept in the store's `recordings` table;
 * a later look costs a readdir and a stat per file (size + mtime decide
 * whether a header is read again), never a decode. A clip window maps to an
 * ordered list of file segments with the missing stretches named. */
#ifndef CXM_RECORDINGS_H
#define CXM_RECORDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cxm/store.h"

#define REC_PATH_MAX 1024

/* Parses a recording's file name: "YYYY-MM-DDTHH-MM-SS[.fff]±HHMM.ext" or
 * "...Z.ext" (ext: wav flac ogg oga opus mp3, any case). *start_us is UTC.
 * Returns 0, or -1 when the name is not a recording's. */
int rec_name_parse(const char *name, int64_t *start_us, int *offset_s);

/* The folder of a desk: the desk id made one harmless path component
 * (characters outside [A-Za-z0-9._-] become '_', no leading '.'), as the
 * recorder and cxm-agent-sim write it. */
void rec_desk_dir(const char *desk, char *out, size_t cap);

typedef struct {
    char path[REC_PATH_MAX]; /* relative to the root: "reg-2/2026-...wav" */
    int64_t start_us;        /* from the name, UTC */
    int64_t frames;          /* 0 when unreadable */
    int rate, channels;
    int format;              /* libsndfile SF_FORMAT_* (major | subtype) */
    int64_t size, mtime_ns;
    char error[160];         /* "" = readable; else why not (header unreadable) */
} rec_file;

typedef struct {
    rec_file *v;
    size_t n;
} rec_list;

typedef struct {
    int headers_read;  /* files opened with libsndfile this time */
    int reused;        /* rows whose size and mtime still matched */
    int removed;       /* rows whose file vanished */
    bool stored;       /* the changes were written to the store */
} rec_scan_stats;

/* The recordings of one desk folder that may hold [from_us, to_us): files
 * named from a day before from_us up to to_us, sorted by start. `s` may be
 * NULL (nothing remembered), and a read-only store only costs the header
 * reads. Returns 0 (an absent folder is an empty list), or -1 with err. */
int rec_scan(store *s, const char *root, const char *desk, int64_t from_us, int64_t to_us,
             rec_list *out, rec_scan_stats *stats, char *err, size_t errlen);
void rec_list_free(rec_list *l);

/* Time of frame `k` of f, UTC microseconds, and the frame at time t:
 * round((t - start) * rate). */
int64_t rec_frame_time(const rec_file *f, int64_t k);
int64_t rec_frame_at(const rec_file *f, int64_t t_us);

typedef struct {
    const rec_file *file;
    int64_t from_frame, to_frame; /* [from, to) of the file */
    int64_t from_us, to_us;       /* the stretch of the window they hold */
} rec_segment;

typedef struct {
    int64_t from_us, to_us;
    const rec_file *unreadable;   /* a file that may hold it but cannot be read, or NULL */
} rec_gap;

typedef struct {
    int64_t from_us, to_us;
    rec_segment *seg;
    size_t nseg;
    rec_gap *gap;
    size_t ngap;
    int rate, channels;           /* of the first segment */
    bool mixed;                   /* segments differ in rate or channels */
    int64_t frames;               /* sum of the segments */
} rec_plan;

/* Maps [from_us, to_us) onto the files (sorted by start): in time order, an
 * overlap is taken from the earlier file (it continues to its end), a stretch
 * no readable file holds for a whole frame or more is a gap. The plan points
 * into `files`. Returns 0 or -1 (out of memory). */
int rec_plan_window(const rec_list *files, int64_t from_us, int64_t to_us, rec_plan *out);
void rec_plan_free(rec_plan *p);

/* rec_scan + rec_plan_window: the plan of a desk's window; `files` owns what
 * the plan points into (free both). 0, or -1 with err. */
int rec_plan_desk(store *s, const char *root, const char *desk, int64_t from_us, int64_t to_us,
                  rec_list *files, rec_plan *plan, char *err, size_t errlen);

/* Writes the plan as one WAV at the source's rate and channel count: the
 * sample values exactly for PCM sources (WAV, FLAC), decoded for lossy ones
 * (16-bit). Refuses a plan with gaps or mixed formats. Written to a temporary
 * file beside `out` and renamed: on failure nothing is left. 0, or -1 with err. */
int rec_export_wav(const char *root, const rec_plan *p, const char *out, char *err,
                   size_t errlen);
/* The same writer for one whole sound file (a fetched clip link: the link is
 * the whole clip), at its own rate and channel count; -1 with err naming the
 * format problem when libsndfile cannot decode it. */
int rec_export_file_wav(const char *in, const char *out, char *err, size_t errlen);

/* A gap in local time for a message: "2026-11-23 10:15:02.120 - 10:15:22 +03:00"
 * (the end's date only when it differs; milliseconds only when not zero). */
void rec_gap_describe(const rec_gap *g, char *out, size_t cap);

#endif
