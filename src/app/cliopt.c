/* See cliopt.h. getopt_long would permute argv and print its own English
 * messages; the commands want uniform, prefixed ones. */
#include "app/cliopt.h"
#include "cxm/i18n.h"
#include "cxm/timefmt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cliopt_init(cliopt *o, const char *cmd, int argc, char **argv)
{
    o->cmd = cmd;
    o->argc = argc;
    o->argv = argv;
    o->i = 1;
    o->no_more_opts = false;
}

int cliopt_next(cliopt *o, const char **name, const char **value)
{
    static char buf[64];
    *name = NULL;
    *value = NULL;
    while (o->i < o->argc) {
        char *a = o->argv[o->i++];
        if (!o->no_more_opts && !strcmp(a, "--")) {
            o->no_more_opts = true;
            continue;
        }
        if (o->no_more_opts || a[0] != '-' || !strcmp(a, "-")) {
            *value = a;
            return 2;
        }
        const char *eq = strchr(a, '=');
        if (eq && a[1] == '-') {
            size_t n = (size_t)(eq - a);
            if (n >= sizeof buf)
                n = sizeof buf - 1;
            memcpy(buf, a, n);
            buf[n] = '\0';
            *name = buf;
            *value = eq + 1;
        } else {
            *name = a;
        }
        return 1;
    }
    return 0;
}

const char *cliopt_value(cliopt *o, const char *name, const char *inline_value)
{
    if (inline_value)
        return inline_value;
    if (o->i >= o->argc) {
        cliopt_usage_error(o->cmd, "option %s needs a value", name);
        return NULL;
    }
    return o->argv[o->i++];
}

int cliopt_int64(const char *s, int64_t *out)
{
    char *end;
    if (!s || !*s || strchr(" \t\n", *s))
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int cliopt_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s || strchr(" \t\n", *s))
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cliopt_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "cxm-console %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, i18n_tr(fmt), ap);
    va_end(ap);
    fprintf(stderr, "\n%s\n", _("Try 'cxm-console --help' or 'man cxm-console'."));
    return 2;
}

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    if (cmd)
        fprintf(stderr, "cxm-console %s: ", cmd);
    else
        fputs("cxm-console: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, i18n_tr(fmt), ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cliopt_time(const char *cmd, const char *name, const char *val, int64_t *out)
{
    if (time_parse_cli(val, out) == 0)
        return 0;
    return cliopt_usage_error(cmd, "%s: not RFC 3339 (with an offset), YYYY-MM-DD or DD.MM.YYYY: '%s'",
                              name, val);
}
