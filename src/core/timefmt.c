/* Time parsing and formatting. RFC 3339 is parsed by hand and converted with
 * civil-date arithmetic, because timegm() is not standard C and strptime()
 * accepts far more than RFC 3339 allows. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cxm/timefmt.h"

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's algorithm):
 * exact for every year, no table, no locale. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool parse_date(const char *s, int *y, int *mo, int *d)
{
    if (s[4] != '-' || s[7] != '-') return false;
    *y = digits(s, 4);
    *mo = digits(s + 5, 2);
    *d = digits(s + 8, 2);
    return *y >= 0 && *mo >= 1 && *mo <= 12 && *d >= 1 && *d <= days_in_month(*y, *mo);
}

int time_parse_rfc3339(const char *s, size_t len, int64_t *us, int *offset_s)
{
    /* Shortest form: 2026-11-23T10:15:02Z (20 bytes). */
    if (!s || len < 20 || len > 64) return -1;
    int y, mo, d;
    if (!parse_date(s, &y, &mo, &d)) return -1;
    if ((s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':') return -1;
    int h = digits(s + 11, 2), mi = digits(s + 14, 2), sec = digits(s + 17, 2);
    /* 60 is a leap second, which RFC 3339 allows; it lands on the next minute. */
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60) return -1;
    size_t i = 19;
    int64_t frac_us = 0;
    if (s[i] == '.') {
        size_t start = ++i;
        int64_t scale = 100000;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            frac_us += (s[i] - '0') * scale;
            scale /= 10;
            i++;
        }
        if (i == start || i - start > 9) return -1;
    }
    if (i >= len) return -1;
    int off;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
        off = 0;
    } else if ((s[i] == '+' || s[i] == '-') && i + 6 == len && s[i + 3] == ':') {
        int oh = digits(s + i + 1, 2), om = digits(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59) return -1;
        off = (oh * 60 + om) * 60;
        if (s[i] == '-') off = -off;
    } else {
        return -1;
    }
    int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    if (us) *us = secs * 1000000 + frac_us;
    if (offset_s) *offset_s = off;
    return 0;
}

static int64_t from_time_t(time_t t)
{
    return (int64_t)t * 1000000;
}

/* Floor division, so times before 1970 still land in the right second. */
static time_t to_time_t(int64_t us, int *rem_us)
{
    int64_t s = us / 1000000, r = us % 1000000;
    if (r < 0) {
        s--;
        r += 1000000;
    }
    if (rem_us) *rem_us = (int)r;
    return (time_t)s;
}

int time_parse_cli(const char *s, int64_t *us)
{
    if (!s) return -1;
    size_t len = strlen(s);
    if (len == 10) {
        int y, mo, d;
        /* ДД.ММ.ГГГГ, as Russian users write dates (and the console shows them). */
        bool dotted = s[2] == '.' && s[5] == '.';
        if (dotted) {
            d = digits(s, 2);
            mo = digits(s + 3, 2);
            y = digits(s + 6, 4);
            if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return -1;
        } else if (!parse_date(s, &y, &mo, &d)) {
            return -1;
        }
        struct tm tm = {0};
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_isdst = -1;
        time_t t = mktime(&tm);
        if (t == (time_t)-1) return -1;
        *us = from_time_t(t);
        return 0;
    }
    return time_parse_rfc3339(s, len, us, NULL);
}

int64_t time_local_midnight(int64_t us, int days)
{
    time_t t = to_time_t(us, NULL);
    struct tm tm;
    if (!localtime_r(&t, &tm)) return us;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_mday += days;
    tm.tm_isdst = -1;
    return from_time_t(mktime(&tm));
}

size_t time_format_rfc3339_local(int64_t us, char *out, size_t cap)
{
    int rem;
    time_t t = to_time_t(us, &rem);
    struct tm tm;
    if (cap == 0) return 0;
    out[0] = '\0';
    if (!localtime_r(&t, &tm)) return 0;
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0) off = -off;
    int n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03d%c%02ld:%02ld", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem / 1000, sign,
                     off / 60, off % 60);
    if (n < 0) return 0;
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

size_t time_format_local(int64_t us, const char *fmt, char *out, size_t cap)
{
    time_t t = to_time_t(us, NULL);
    struct tm tm;
    if (cap == 0) return 0;
    out[0] = '\0';
    if (!localtime_r(&t, &tm)) return 0;
    return strftime(out, cap, fmt, &tm);
}

int64_t time_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t time_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

const char *time_fmt_date(void)
{
    return "%d.%m.%Y";
}

const char *time_fmt_day(void)
{
    return "%d.%m";
}

const char *time_fmt_day_time(void)
{
    return "%d.%m %H:%M";
}
