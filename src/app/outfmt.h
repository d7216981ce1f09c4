/* Output helpers for the machine formats of the CLI (JSON, CSV) and numbers. */
#ifndef CXM_APP_OUTFMT_H
#define CXM_APP_OUTFMT_H

#include <stdbool.h>
#include <stdio.h>

/* Shortest "%.Ng" that reads back as exactly v (N <= 17). NaN -> "null"
 * in JSON, "" in CSV: callers test isnan themselves. */
/* Output formats shared by kpi and alerts. */
enum { FMT_TABLE, FMT_JSON, FMT_CSV };
/* Parses a --format value; on error prints the usage error for `cmd` and
 * returns -1. */
int outfmt_parse(const char *cmd, const char *val);

void outfmt_double(double v, char *out, size_t cap);

/* A JSON string literal: quotes, escapes, C0/C1 controls as \u00XX and
 * invalid UTF-8 as U+FFFD, so the output is valid JSON and terminal-safe. */
void outfmt_json_string(FILE *f, const char *s);

/* CSV goes through the one writer, cxm/csv.h. These two handle the
 * `--excel` flag the same way in every command: a flag without a value
 * (usage error for "--excel=x"), which implies --format csv and goes with
 * no other format. Both return 0, or print the usage error and return -1. */
int outfmt_excel_flag(const char *cmd, const char *inline_value, bool *excel);
int outfmt_excel_check(const char *cmd, bool excel, bool fmt_given, int *fmt);

#endif
