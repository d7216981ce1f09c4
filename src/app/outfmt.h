/* Output helpers for the machine formats of the CLI (JSON, CSV) and numbers. */
#ifndef CXM_APP_OUTFMT_H
#define CXM_APP_OUTFMT_H

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

/* One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF;
 * controls other than CR/LF and invalid UTF-8 become U+FFFD. */
void outfmt_csv_field(FILE *f, const char *s);

#endif
