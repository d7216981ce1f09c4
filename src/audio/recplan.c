/* From a clip window to file segments (include/cxm/recordings.h). All times
 * are integer UTC microseconds; a frame index is round((t - start) * rate),
 * so two contiguous files meet exactly: the first ends at its last frame, the
 * second starts at its frame 0. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxm/mem.h"
#include "cxm/i18n.h"
#include "cxm/recordings.h"

#define S_US 1000000LL

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t rec_frame_time(const rec_file *f, int64_t k)
{
    if (f->rate <= 0)
        return f->start_us;
    return f->start_us + floor_div(2 * k * S_US + f->rate, 2 * (int64_t)f->rate);
}

int64_t rec_frame_at(const rec_file *f, int64_t t_us)
{
    return floor_div(2 * (t_us - f->start_us) * (int64_t)f->rate + S_US, 2 * S_US);
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

void rec_plan_free(rec_plan *p)
{
    free(p->seg);
    free(p->gap);
    memset(p, 0, sizeof *p);
}

static bool readable(const rec_file *f)
{
    return !f->error[0] && f->frames > 0 && f->rate > 0 && f->channels > 0;
}

/* A stretch shorter than half a frame holds no sample: not a gap. */
static bool holds_a_frame(int64_t len_us, int rate)
{
    return len_us > 0 && (rate <= 0 || 2 * len_us * rate >= S_US);
}

/* The file that may hold the gap but could not be read: the latest one that
 * starts before the gap ends, if that one is unreadable. */
static const rec_file *culprit(const rec_list *files, const rec_gap *g)
{
    const rec_file *last = NULL;
    for (size_t i = 0; i < files->n && files->v[i].start_us < g->to_us; i++)
        last = &files->v[i];
    return last && !readable(last) ? last : NULL;
}

static int add_gap(rec_plan *p, size_t *cap, const rec_list *files, int64_t a, int64_t b)
{
    if (mem_grow(&p->gap, cap, p->ngap, sizeof *p->gap, 4))
        return -1;
    rec_gap *g = &p->gap[p->ngap++];
    g->from_us = a;
    g->to_us = b;
    g->unreadable = culprit(files, g);
    return 0;
}

int rec_plan_window(const rec_list *files, int64_t from_us, int64_t to_us, rec_plan *out)
{
    memset(out, 0, sizeof *out);
    out->from_us = from_us;
    out->to_us = to_us;
    size_t scap = 0, gcap = 0;
    int64_t cursor = from_us;
    for (size_t i = 0; i < files->n && cursor < to_us; i++) {
        const rec_file *f = &files->v[i];
        if (!readable(f))
            continue;
        int64_t fs = f->start_us, fe = rec_frame_time(f, f->frames);
        if (fe <= cursor)
            continue;
        if (fs >= to_us)
            break;
        int64_t a = cursor;
        if (fs > cursor) {
            if (holds_a_frame(fs - cursor, f->rate) &&
                add_gap(out, &gcap, files, cursor, fs) != 0)
                goto oom;
            a = fs;
        }
        int64_t b = fe < to_us ? fe : to_us;
        int64_t k0 = clamp64(rec_frame_at(f, a), 0, f->frames);
        int64_t k1 = clamp64(rec_frame_at(f, b), 0, f->frames);
        if (k1 > k0) {
            if (mem_grow(&out->seg, &scap, out->nseg, sizeof *out->seg, 4))
                goto oom;
            rec_segment *sg = &out->seg[out->nseg++];
            sg->file = f;
            sg->from_frame = k0;
            sg->to_frame = k1;
            sg->from_us = a;
            sg->to_us = b;
            out->frames += k1 - k0;
            if (out->nseg == 1) {
                out->rate = f->rate;
                out->channels = f->channels;
            } else if (f->rate != out->rate || f->channels != out->channels) {
                out->mixed = true;
            }
        }
        cursor = b;
    }
    if (cursor < to_us && holds_a_frame(to_us - cursor, out->rate) &&
        add_gap(out, &gcap, files, cursor, to_us) != 0)
        goto oom;
    return 0;
oom:
    rec_plan_free(out);
    return -1;
}

static size_t put_time(int64_t us, bool date, char *out, size_t cap)
{
    time_t secs = (time_t)floor_div(us, S_US);
    int ms = (int)((us - (int64_t)secs * S_US) / 1000);
    struct tm tm;
    localtime_r(&secs, &tm);
    size_t n = strftime(out, cap, date ? "%d.%m.%Y %H:%M:%S" : "%H:%M:%S", &tm);
    if (ms && n + 5 < cap)
        n += (size_t)snprintf(out + n, cap - n, ".%03d", ms);
    return n;
}

void rec_gap_describe(const rec_gap *g, char *out, size_t cap)
{
    char a[48], b[48], off[32] = "";
    put_time(g->from_us, true, a, sizeof a);
    time_t s0 = (time_t)floor_div(g->from_us, S_US), s1 = (time_t)floor_div(g->to_us, S_US);
    struct tm t0, t1;
    localtime_r(&s0, &t0);
    localtime_r(&s1, &t1);
    bool same_day = t0.tm_year == t1.tm_year && t0.tm_yday == t1.tm_yday;
    put_time(g->to_us, !same_day, b, sizeof b);
    int o = (int)(t0.tm_gmtoff % 86400);
    snprintf(off, sizeof off, "%c%02d:%02d", o < 0 ? '-' : '+', abs(o) / 3600, abs(o) / 60 % 60);
    snprintf(out, cap, "%s - %s %s", a, b, off);
}

int rec_plan_desk(store *s, const char *root, const char *desk, int64_t from_us, int64_t to_us,
                  rec_list *files, rec_plan *plan, char *err, size_t errlen)
{
    memset(plan, 0, sizeof *plan);
    if (rec_scan(s, root, desk, from_us, to_us, files, NULL, err, errlen) != 0)
        return -1;
    if (rec_plan_window(files, from_us, to_us, plan) != 0) {
        rec_list_free(files);
        snprintf(err, errlen, _("out of memory"));
        return -1;
    }
    return 0;
}
