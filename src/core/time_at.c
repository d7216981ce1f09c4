/* "Go to this moment" as a person types it at a prompt (the stream's jump):
 * a date, a time of day, or both, in local time, in either language's date
 * order, or a full RFC 3339 instant. Kept apart from timefmt.c's strict
 * command-line forms: here a time alone means today, and the caller learns
 * whether a time was given (a bare date may mean "the whole day"). */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "cxm/timefmt.h"

/* "HH:MM" or "HH:MM:SS", exactly. */
static int parse_clock(const char *s, size_t len, int *h, int *m, int *sec)
{
    if (len != 5 && len != 8)
        return -1;
    for (size_t i = 0; i < len; i++)
        if ((i % 3 == 2) ? s[i] != ':' : !isdigit((unsigned char)s[i]))
            return -1;
    *h = (s[0] - '0') * 10 + (s[1] - '0');
    *m = (s[3] - '0') * 10 + (s[4] - '0');
    *sec = len == 8 ? (s[6] - '0') * 10 + (s[7] - '0') : 0;
    return *h < 24 && *m < 60 && *sec < 60 ? 0 : -1;
}

/* The local day holding `day_us` at h:m:s (mktime settles DST). */
static int at_clock(int64_t day_us, int h, int m, int sec, int64_t *us)
{
    time_t t = (time_t)(day_us >= 0 ? day_us / 1000000 : -((-day_us + 999999) / 1000000));
    struct tm tm;
    if (!localtime_r(&t, &tm))
        return -1;
    tm.tm_hour = h;
    tm.tm_min = m;
    tm.tm_sec = sec;
    tm.tm_isdst = -1;
    time_t r = mktime(&tm);
    if (r == (time_t)-1)
        return -1;
    *us = (int64_t)r * 1000000;
    return 0;
}

int time_parse_at(const char *s, int64_t now_us, int64_t *us, bool *has_time)
{
    if (!s || !us)
        return -1;
    while (*s == ' ')
        s++;
    size_t len = strlen(s);
    while (len && s[len - 1] == ' ')
        len--;
    if (len == 0 || len > 40)
        return -1;
    char buf[48];
    memcpy(buf, s, len);
    buf[len] = '\0';
    int h, m, sec;
    bool timed = true;
    int rc = -1;
    if (parse_clock(buf, len, &h, &m, &sec) == 0) {
        rc = at_clock(now_us, h, m, sec, us); /* a time alone: today */
    } else if (len == 10) {
        timed = false;
        rc = time_parse_cli(buf, us);
    } else if (len > 11 && (buf[10] == ' ' || buf[10] == 'T') &&
               parse_clock(buf + 11, len - 11, &h, &m, &sec) == 0) {
        int64_t day;
        buf[10] = '\0';
        rc = time_parse_cli(buf, &day) == 0 ? at_clock(day, h, m, sec, us) : -1;
    } else {
        rc = time_parse_rfc3339(buf, len, us, NULL);
    }
    if (rc == 0 && has_time)
        *has_time = timed;
    return rc;
}
