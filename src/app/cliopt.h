/* Tiny option scanner shared by the subcommands: "--name VALUE" and
 * "--name=VALUE", "--" ends options, anything else is an operand. Errors are
 * printed as "cxm-console CMD: ..." so every command words them alike. */
#ifndef CXM_APP_CLIOPT_H
#define CXM_APP_CLIOPT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    const char *cmd;   /* subcommand name, for messages */
    int argc;
    char **argv;
    int i;             /* next argv index */
    bool no_more_opts;
} cliopt;

void cliopt_init(cliopt *o, const char *cmd, int argc, char **argv);
/* Next argument. Returns 1 with *name set for an option ("--seed") and *value
 * for an inline "=VALUE" (else NULL), 2 with *value set for an operand, 0 at
 * the end. */
int cliopt_next(cliopt *o, const char **name, const char **value);
/* The option's value: the inline one or the next argument. NULL (message
 * printed) when missing. */
const char *cliopt_value(cliopt *o, const char *name, const char *inline_value);

/* Strict number parsing: the whole string, no overflow. 0 ok, -1 not. */
int cliopt_int64(const char *s, int64_t *out);
int cliopt_double(const char *s, double *out);

/* Prints "cxm-console CMD: MESSAGE\nTry 'cxm-console --help'." to stderr, returns 2. */
/* Parses a command-line time (RFC 3339 or YYYY-MM-DD) for option `name`;
 * on error prints the usage error and returns EXIT_USAGE, else 0. */
int cliopt_time(const char *cmd, const char *name, const char *val, int64_t *out);
int cliopt_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints "cxm-console CMD: MESSAGE\n" to stderr (cmd NULL: "cxm-console:").
 * Both print fmt in the user's language (the catalogue, i18n_cli.def): the
 * English literal is the key. Text from the system (strerror, sqlite) goes
 * in as a %s argument at the end, after a colon, never translated. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
