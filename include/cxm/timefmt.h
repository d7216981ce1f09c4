/* Time: events are stored as UTC microseconds and shown in local time. */
#ifndef CXM_TIMEFMT_H
#define CXM_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* RFC 3339 with a mandatory offset ("Z" or ±hh:mm), optional fraction of up to
 * 9 digits (kept to the microsecond). Returns 0, or -1 when not RFC 3339. */
int time_parse_rfc3339(const char *s, size_t len, int64_t *us, int *offset_s);

/* Command-line and prompt time: RFC 3339, or YYYY-MM-DD or DD.MM.YYYY
 * meaning local midnight. */
int time_parse_cli(const char *s, int64_t *us);

/* A moment typed at a prompt (src/core/time_at.c), in local time:
 * "YYYY-MM-DD HH:MM[:SS]", "ДД.ММ.ГГГГ ЧЧ:ММ[:СС]" (a 'T' may join them),
 * "HH:MM[:SS]" (today, the day of now_us), a date alone (its midnight;
 * *has_time false) or RFC 3339. Returns 0, or -1 when it is none of these. */
int time_parse_at(const char *s, int64_t now_us, int64_t *us, bool *has_time);

/* Local midnight of the day containing `us`, and `days` days later. */
int64_t time_local_midnight(int64_t us, int days);

/* "2026-11-23T10:15:02.120+03:00" in local time (RFC 3339 with the local offset). */
size_t time_format_rfc3339_local(int64_t us, char *out, size_t cap);
/* strftime in local time, e.g. "%H:%M:%S". */
size_t time_format_local(int64_t us, const char *fmt, char *out, size_t cap);

/* The one date format the console and the CLI print (strftime formats), in
 * either language: 23.11.2026, 23.11, 23.11 10:15. */
const char *time_fmt_date(void);
const char *time_fmt_day(void);
const char *time_fmt_day_time(void);
/* The same with seconds (alerts: two at one place and minute stay apart). */
const char *time_fmt_day_time_sec(void);

int64_t time_now_us(void);            /* CLOCK_REALTIME */
int64_t time_mono_us(void);           /* CLOCK_MONOTONIC */

#endif
