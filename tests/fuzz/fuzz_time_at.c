/* libFuzzer: the stream's "go to" time. Whatever the bytes, the parser reads
 * only the string; what it accepts as a date and time without seconds it
 * reads back the same when printed in either language's order. */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    const int64_t now = INT64_C(1764666000000000);
    int64_t us;
    bool timed;
    if (time_parse_at(s, now, &us, &timed) == 0 && us >= 0 && us < INT64_C(4102444800000000)) {
        char iso[64], ru[64];
        int64_t a, b;
        time_format_local(us, "%Y-%m-%d %H:%M:%S", iso, sizeof iso);
        time_format_local(us, "%d.%m.%Y %H:%M:%S", ru, sizeof ru);
        assert(time_parse_at(iso, now, &a, &timed) == 0 && timed);
        assert(time_parse_at(ru, now, &b, &timed) == 0 && timed);
        /* the printed form drops the fraction of a second */
        assert(a == b && a <= us && us - a < 1000000);
    }
    free(s);
    return 0;
}
