/* Recording file names and desk folders (include/cxm/recordings.h). The name
 * carries the local start time with its offset, so the UTC start needs no
 * time zone database: the offset in the name is the truth. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "cxm/recordings.h"

/* Reads exactly n decimal digits. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static bool lit(const char **p, char c)
{
    if (**p != c)
        return false;
    (*p)++;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's method). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

int rec_name_parse(const char *name, int64_t *start_us, int *offset_s)
{
    static const char *const exts[] = {"wav", "flac", "ogg", "oga", "opus", "mp3"};
    const char *p = name;
    int Y, M, D, h, mi, s, frac_us = 0;
    if (!name || !digits(&p, 4, &Y) || !lit(&p, '-') || !digits(&p, 2, &M) || !lit(&p, '-') ||
        !digits(&p, 2, &D) || !lit(&p, 'T') || !digits(&p, 2, &h) || !lit(&p, '-') ||
        !digits(&p, 2, &mi) || !lit(&p, '-') || !digits(&p, 2, &s))
        return -1;
    if (M < 1 || M > 12 || D < 1 || D > month_days(Y, M) || h > 23 || mi > 59 || s > 59)
        return -1;
    if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
        p++;
        int n = 0, scale = 100000;
        for (; *p >= '0' && *p <= '9'; p++, n++) {
            if (n >= 9)
                return -1;
            frac_us += (*p - '0') * scale;
            scale /= 10;
        }
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (!digits(&p, 2, &oh) || !digits(&p, 2, &om) || oh > 23 || om > 59)
            return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p++ != '.')
        return -1;
    bool known = false;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        known |= strcasecmp(p, exts[i]) == 0;
    if (!known)
        return -1;
    int64_t local = days_from_civil(Y, M, D) * 86400 + h * 3600 + mi * 60 + s;
    *start_us = (local - off) * 1000000 + frac_us;
    if (offset_s)
        *offset_s = off;
    return 0;
}

void rec_desk_dir(const char *desk, char *out, size_t cap)
{
    size_t n = 0;
    if (!cap)
        return;
    for (const char *p = desk ? desk : ""; *p && n + 1 < cap; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && n > 0);
        out[n++] = ok ? c : '_';
    }
    if (!n && cap > 1)
        out[n++] = '_';
    out[n] = '\0';
}
