/* demo-day: the demo generator's days as JSON lines on stdout, for tests,
 * benchmarks and the agent simulator. Same seed and date, same bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cliopt.h"
#include "app/commands.h"
#include "cxm/demo.h"
#include "cxm/event.h"
#include "cxm/timefmt.h"

static int usage(void)
{
    return cliopt_usage_error("demo-day",
                              "usage: cxm-console demo-day [--seed N] [--date YYYY-MM-DD] [--days N]");
}

int cmd_demo_day(int argc, char **argv)
{
    cliopt o;
    const char *name, *val;
    int64_t seed = 1, days = 1, day = time_local_midnight(time_now_us(), 0);
    int r;

    cliopt_init(&o, "demo-day", argc, argv);
    while ((r = cliopt_next(&o, &name, &val)) != 0) {
        if (r == 2)
            return cliopt_usage_error("demo-day", "unexpected argument '%s'", val);
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts("usage: cxm-console demo-day [--seed N] [--date YYYY-MM-DD] [--days N]\n"
                 "Writes a realistic demo day (clinic-1 and station-7) as JSON lines, in time order.\n"
                 "Defaults: --seed 1, --date today, --days 1. Same seed and date give the same output.");
            return EXIT_OK;
        }
        if (!(val = cliopt_value(&o, name, val)))
            return EXIT_USAGE;
        if (!strcmp(name, "--seed")) {
            if (cliopt_int64(val, &seed))
                return cliopt_usage_error("demo-day", "--seed: not an integer: '%s'", val);
        } else if (!strcmp(name, "--date")) {
            if (strlen(val) != 10 || time_parse_cli(val, &day))
                return cliopt_usage_error("demo-day", "--date: not YYYY-MM-DD or DD.MM.YYYY: '%s'", val);
        } else if (!strcmp(name, "--days")) {
            if (cliopt_int64(val, &days) || days < 1 || days > 100000)
                return cliopt_usage_error("demo-day", "--days: not a number in 1..100000: '%s'", val);
        } else {
            return usage();
        }
    }

    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    for (int64_t i = 0; i < days; i++) {
        demo *d = demo_new((uint64_t)seed, time_local_midnight(day, (int)i));
        if (!d) {
            cli_error("demo-day", "out of memory");
            return EXIT_FAIL;
        }
        event ev;
        while ((r = demo_next(d, &ev)) == 1) {
            char *json = event_to_json(&ev);
            event_clear(&ev);
            if (!json) {
                r = -1;
                break;
            }
            fputs(json, stdout);
            putchar('\n');
            free(json);
        }
        demo_free(d);
        if (r < 0) {
            cli_error("demo-day", "out of memory");
            return EXIT_FAIL;
        }
    }
    if (fflush(stdout) == EOF || ferror(stdout)) {
        perror("cxm-console demo-day: stdout");
        return EXIT_FAIL;
    }
    return EXIT_OK;
}
