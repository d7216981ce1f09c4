/* libFuzzer: recording file names. Whatever the bytes, the parser reads only
 * the string, and what it accepts it can print back: the accepted local time
 * and offset, written in the same format, parse to the same instant. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cxm/recordings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    int64_t us;
    int off;
    if (rec_name_parse(s, &us, &off) == 0) {
        assert(off > -86400 && off < 86400);
        int64_t secs = us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000);
        int frac = (int)(us - secs * 1000000);
        time_t local = (time_t)(secs + off);
        struct tm tm;
        if (gmtime_r(&local, &tm)) {
            char name[96], stamp[48];
            /* %Y does not pad years below 1000: the name needs four digits */
            snprintf(stamp, sizeof stamp, "%04d-%02d-%02dT%02d-%02d-%02d", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
            int a = off < 0 ? -off : off;
            snprintf(name, sizeof name, "%s.%06d%c%02d%02d.wav", stamp, frac, off < 0 ? '-' : '+',
                     a / 3600, a / 60 % 60);
            int64_t us2;
            int off2;
            if (tm.tm_year + 1900 >= 0 && tm.tm_year + 1900 <= 9999) {
                assert(rec_name_parse(name, &us2, &off2) == 0);
                assert(us2 == us && off2 == off);
            }
        }
    }
    char d[64];
    rec_desk_dir(s, d, sizeof d);
    assert(strlen(d) > 0 && !strchr(d, '/') && d[0] != '.');
    free(s);
    return 0;
}
