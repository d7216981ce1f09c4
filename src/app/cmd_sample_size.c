/* sample-size: how many ratings make a representative sample of N contacts
 * (Cochran with finite-population correction, DESIGN §8). */
#include <stdio.h>
#include <string.h>

#include "app/cliopt.h"
#include "app/commands.h"
#include "cxm/i18n.h"
#include "cxm/kpi.h"

/* "0.95", or "95%" for people who think in percent. */
static int parse_share(const char *s, double *out)
{
    char buf[64];
    size_t n = strlen(s);
    if (n > 1 && n < sizeof buf && s[n - 1] == '%') {
        memcpy(buf, s, n - 1);
        buf[n - 1] = '\0';
        if (cliopt_double(buf, out))
            return -1;
        *out /= 100.0;
        return 0;
    }
    return cliopt_double(s, out);
}

int cmd_sample_size(int argc, char **argv)
{
    cliopt o;
    const char *name, *val;
    int64_t population = -1;
    double confidence = 0.95, error = 0.05;
    int r;

    cliopt_init(&o, "sample-size", argc, argv);
    while ((r = cliopt_next(&o, &name, &val)) != 0) {
        if (r == 2)
            return cliopt_usage_error("sample-size", "unexpected argument '%s'", val);
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts("usage: cxm-console sample-size --population N [--confidence 0.95] [--error 0.05]\n"
                 "Prints the number of ratings that make a representative sample of N contacts\n"
                 "(Cochran's formula, p = 0.5, with finite-population correction).\n"
                 "Confidence and error are shares in (0, 1) or percentages such as 95%.");
            return EXIT_OK;
        }
        if (!(val = cliopt_value(&o, name, val)))
            return EXIT_USAGE;
        if (!strcmp(name, "--population")) {
            if (cliopt_int64(val, &population) || population < 1)
                return cliopt_usage_error("sample-size", "--population: '%s' is not a positive integer", val);
        } else if (!strcmp(name, "--confidence")) {
            if (parse_share(val, &confidence) || !(confidence > 0 && confidence < 1))
                return cliopt_usage_error("sample-size",
                                          "--confidence: '%s' is not a level in (0, 1), e.g. 0.95 or 95%%", val);
        } else if (!strcmp(name, "--error")) {
            if (parse_share(val, &error) || !(error > 0 && error < 1))
                return cliopt_usage_error("sample-size",
                                          "--error: '%s' is not a margin in (0, 1), e.g. 0.05 or 5%%", val);
        } else {
            return cliopt_usage_error("sample-size", "unknown option '%s'", name);
        }
    }
    if (population < 1)
        return cliopt_usage_error("sample-size", "--population N is required");

    int64_t n = kpi_sample_size(population, confidence, error);
    if (n < 0)
        return cliopt_usage_error("sample-size", "confidence %g or error %g is out of range", confidence, error);
    printf("%lld\n", (long long)n);
    printf(_("ratings needed from %lld contacts for %g %% confidence and a %g %% margin of error "
             "(Cochran, p = 0.5, finite-population correction)\n"),
           (long long)population, confidence * 100.0, error * 100.0);
    return EXIT_OK;
}
