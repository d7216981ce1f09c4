/* alerts: the alerts of DESIGN §9 from the command line.
 *
 *   alerts [--state open|acknowledged|closed|all] [--format table|json|csv]
 *   alerts ack ID
 *   alerts close ID [--comment TEXT]
 *   alerts events ID [--format table|json|csv]
 *   alerts replay [--from T] [--to T]     (alias: alerts check)
 * (each with [--db FILE] [--config FILE]).
 *
 * `--state open` (the default) means "not closed": an acknowledged alert still
 * waits for someone to close it, so it belongs on the to-do list. ack/close
 * record the OS user; acting on an alert another supervisor already closed is
 * an error that says who did it and when (exit 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cliopt.h"
#include "app/clistore.h"
#include "app/commands.h"
#include "app/outfmt.h"
#include "cxm/alerts.h"
#include "cxm/config.h"
#include "cxm/csv.h"
#include "cxm/i18n.h"
#include "cxm/store.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"

enum { ST_OPEN, ST_ACKED, ST_CLOSED, ST_ALL };
enum { SUB_LIST, SUB_ACK, SUB_CLOSE, SUB_EVENTS, SUB_CHECK };

static const char usage_text[] =
    "usage: cxm-console alerts [--db FILE] [--config FILE] [--state open|acknowledged|closed|all]\n"
    "                          [--format table|json|csv] [--excel]\n"
    "       cxm-console alerts ack ID [--db FILE]\n"
    "       cxm-console alerts close ID [--comment TEXT] [--db FILE]\n"
    "       cxm-console alerts events ID [--db FILE] [--format table|json|csv] [--excel]\n"
    "       cxm-console alerts replay [--db FILE] [--config FILE] [--from T] [--to T]\n"
    "Lists alerts newest first (--state open, the default, means not closed yet:\n"
    "open or acknowledged). ack/close record the OS user; close takes a comment.\n"
    "events lists the events that triggered an alert; replay recomputes the alerts\n"
    "opening in the period from the stored events with the current rules, keeps\n"
    "the acknowledgement, closing and comment of alerts that are still the same\n"
    "alert, and lists what opened, moved and disappeared ('check' is an alias).\n"
    "--excel: CSV for a spreadsheet (BOM, ';', decimal comma in a Russian locale).\n"
    "Exit status: 0 ok, 1 failure (also: no such alert, already closed), 2 usage.";

static void fmt_time(int64_t us, char *out, size_t cap)
{
    if (!us)
        out[0] = 0;
    else
        time_format_rfc3339_local(us, out, cap);
}

/* One line per change (keys come from feeds: sanitized), then the totals. */
static void print_replay(FILE *f, const alerts_report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        const alert_change *c = &rep->changes[i];
        char rule[200], key[700], t1[64], t2[64];
        text_sanitize(c->rule, strlen(c->rule), rule, sizeof rule);
        text_sanitize(c->scope_key, strlen(c->scope_key), key, sizeof key);
        fmt_time(c->opened_us, t1, sizeof t1);
        fmt_time(c->old_opened_us, t2, sizeof t2);
        if (c->kind == ALERT_CHANGE_OPENED)
            fprintf(f, _("opened      #%lld %s %s at %s\n"), (long long)c->id, rule, key, t1);
        else if (c->kind == ALERT_CHANGE_MOVED)
            fprintf(f, _("moved       #%lld %s %s from %s to %s (%s, kept)\n"), (long long)c->id, rule,
                    key, t2, t1, _(alerts_state_name(c->state)));
        else
            fprintf(f, _("disappeared #%lld %s %s at %s (was %s)\n"), (long long)c->id, rule, key, t1,
                    _(alerts_state_name(c->state)));
    }
    /* two sentences, not a glued plural: Russian counts differently */
    fprintf(f,
            rep->opened == 1 ? _("opened %d alert, %d disappeared, %d kept (%d moved)\n")
                             : _("opened %d alerts, %d disappeared, %d kept (%d moved)\n"),
            rep->opened, rep->gone, rep->kept + rep->moved, rep->moved);
}

static void json_time(FILE *f, const char *key, int64_t us)
{
    char b[64];
    fprintf(f, ", \"%s\": ", key);
    if (!us) {
        fputs("null", f);
        return;
    }
    fmt_time(us, b, sizeof b);
    outfmt_json_string(f, b);
}

static void json_str_or_null(FILE *f, const char *key, const char *s)
{
    fprintf(f, ", \"%s\": ", key);
    if (s && *s)
        outfmt_json_string(f, s);
    else
        fputs("null", f);
}

static int print_json(FILE *f, store *st, const alert_info *a, size_t n)
{
    fputs("{\"alerts\": [", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s{\"id\": %lld, \"rule\": ", i ? ",\n  " : "\n  ", (long long)a[i].id);
        outfmt_json_string(f, a[i].rule);
        fprintf(f, ", \"scope\": \"%s\", \"scope_key\": ", alerts_scope_name(a[i].scope));
        outfmt_json_string(f, a[i].scope_key);
        fprintf(f, ", \"state\": \"%s\"", alerts_state_name(a[i].state));
        json_time(f, "opened", a[i].opened_us);
        json_time(f, "window_from", a[i].window_from_us);
        json_time(f, "window_to", a[i].window_to_us);
        json_time(f, "acked_at", a[i].acked_us);
        json_str_or_null(f, "acked_by", a[i].acked_by);
        json_time(f, "closed_at", a[i].closed_us);
        json_str_or_null(f, "closed_by", a[i].closed_by);
        json_str_or_null(f, "comment", a[i].comment);
        fputs(", \"summary\": ", f);
        outfmt_json_string(f, a[i].summary);
        char(*ids)[EVENT_ID_MAX + 1] = NULL;
        size_t nids = 0;
        if (alerts_events(st, a[i].id, &ids, &nids) < 0)
            return -1;
        fputs(", \"events\": [", f);
        for (size_t k = 0; k < nids; k++) {
            if (k)
                fputs(", ", f);
            outfmt_json_string(f, ids[k]);
        }
        fputs("]}", f);
        free(ids);
    }
    fputs(n ? "\n]}\n" : "]}\n", f);
    return 0;
}

static void print_csv(FILE *f, const alert_info *a, size_t n, const csv_options *co)
{
    static const char *const hdr[] = {"id",        "rule",     "scope",     "scope_key", "state",
                                      "opened",    "window_from", "window_to", "acked_at", "acked_by",
                                      "closed_at", "closed_by", "comment",   "events",    "summary"};
    csv_writer w;
    csv_begin(&w, f, co);
    for (size_t k = 0; k < sizeof hdr / sizeof hdr[0]; k++)
        csv_text(&w, hdr[k]);
    csv_end_row(&w);
    for (size_t i = 0; i < n; i++) {
        char t[5][64];
        fmt_time(a[i].opened_us, t[0], sizeof t[0]);
        fmt_time(a[i].window_from_us, t[1], sizeof t[1]);
        fmt_time(a[i].window_to_us, t[2], sizeof t[2]);
        fmt_time(a[i].acked_us, t[3], sizeof t[3]);
        fmt_time(a[i].closed_us, t[4], sizeof t[4]);
        csv_int(&w, (long long)a[i].id);
        const char *fields[] = {a[i].rule,      alerts_scope_name(a[i].scope),
                                a[i].scope_key, alerts_state_name(a[i].state),
                                t[0],           t[1],
                                t[2],           t[3],
                                a[i].acked_by,  t[4],
                                a[i].closed_by, a[i].comment};
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            csv_text(&w, fields[k]);
        csv_int(&w, a[i].nevents);
        csv_text(&w, a[i].summary);
        csv_end_row(&w);
    }
}

/* A table row: every cell fitted by the text module (names from feeds are
 * sanitized here), two spaces between columns, the last one unpadded. */
static void put_row(FILE *f, const char *const *cells, const int *w, const int *right, int n)
{
    char buf[1024];
    for (int i = 0; i < n; i++) {
        bool last = i == n - 1;
        if (right[i])
            text_fit_right(cells[i], strlen(cells[i]), w[i], buf, sizeof buf);
        else
            text_fit(cells[i], strlen(cells[i]), w[i], !last, buf, sizeof buf);
        fputs(buf, f);
        fputs(last ? "\n" : "  ", f);
    }
}

static int width_of(const char *s)
{
    return text_width(s, strlen(s));
}

enum { TC_ID, TC_STATE, TC_RULE, TC_SCOPE, TC_OPENED, TC_EVENTS, TC_BY, TC_SUMMARY, TC_N };

static void print_table(FILE *f, const alert_info *a, size_t n)
{
    static const char *const hdr_en[TC_N] = {"ID",     "STATE",  "RULE",   "SCOPE",
                                             "OPENED", "EVENTS", "ACK/CLOSED BY", "SUMMARY"};
    const char *hdr[TC_N];
    for (int c = 0; c < TC_N; c++)
        hdr[c] = _(hdr_en[c]);
    static const int right[TC_N] = {1, 0, 0, 0, 0, 1, 0, 0};
    static const int maxw[TC_N] = {8, 12, 20, 28, 16, 6, 16, 90};
    if (!n) {
        fprintf(f, "%s\n", _("no alerts"));
        return;
    }
    char(*cells)[TC_N][256] = calloc(n, sizeof *cells);
    if (!cells)
        return;
    int w[TC_N];
    for (int c = 0; c < TC_N; c++)
        w[c] = width_of(hdr[c]);
    for (size_t i = 0; i < n; i++) {
        const alert_info *x = &a[i];
        snprintf(cells[i][TC_ID], 256, "%lld", (long long)x->id);
        snprintf(cells[i][TC_STATE], 256, "%s", _(alerts_state_name(x->state)));
        snprintf(cells[i][TC_RULE], 256, "%s", x->rule);
        snprintf(cells[i][TC_SCOPE], 256, "%s", x->scope_key);
        time_format_local(x->opened_us, "%d.%m.%Y %H:%M", cells[i][TC_OPENED], 256);
        snprintf(cells[i][TC_EVENTS], 256, "%d", x->nevents);
        snprintf(cells[i][TC_BY], 256, "%s",
                 x->state == ALERT_CLOSED ? x->closed_by : x->state == ALERT_ACKED ? x->acked_by : "");
        snprintf(cells[i][TC_SUMMARY], 256, "%s", x->summary);
        for (int c = 0; c < TC_N; c++) {
            int cw = width_of(cells[i][c]);
            if (cw > w[c])
                w[c] = cw < maxw[c] ? cw : maxw[c];
        }
    }
    put_row(f, hdr, w, right, TC_N);
    for (size_t i = 0; i < n; i++) {
        const char *row[TC_N];
        for (int c = 0; c < TC_N; c++)
            row[c] = cells[i][c];
        put_row(f, row, w, right, TC_N);
        /* A closing comment is what the next shift reads: show it in full. */
        if (a[i].comment[0]) {
            /* whole: each input byte becomes at most 3 output bytes */
            size_t cl = strlen(a[i].comment), cap = cl * 3 + 8;
            char *buf = malloc(cap);
            if (buf) {
                text_sanitize(a[i].comment, cl, buf, cap);
                fprintf(f, "%*s  %s %s\n", w[TC_ID], "", _("comment:"), buf);
                free(buf);
            }
        }
    }
    free(cells);
}

static int print_events(FILE *f, store *st, int64_t id, int fmt, const csv_options *co)
{
    alert_event_row *rows = NULL;
    size_t n = 0;
    if (alerts_event_rows(st, id, &rows, &n) < 0)
        return -1;
    if (fmt == FMT_JSON) {
        fputs("{\"events\": [", f);
        for (size_t i = 0; i < n; i++) {
            char t[64];
            fmt_time(rows[i].ts_us, t, sizeof t);
            fputs(i ? ",\n  {\"id\": " : "\n  {\"id\": ", f);
            outfmt_json_string(f, rows[i].id);
            fputs(", \"ts\": ", f);
            outfmt_json_string(f, t);
            fprintf(f, ", \"type\": \"%s\"", event_type_name(rows[i].type));
            json_str_or_null(f, "rating", rows[i].rating);
            json_str_or_null(f, "location", rows[i].location_id);
            json_str_or_null(f, "desk", rows[i].desk);
            json_str_or_null(f, "employee", rows[i].employee_id);
            json_str_or_null(f, "employee_name", rows[i].employee_name);
            fprintf(f, ", \"clip\": %s}", rows[i].has_clip ? "true" : "false");
        }
        fputs(n ? "\n]}\n" : "]}\n", f);
    } else if (fmt == FMT_CSV) {
        static const char *const hdr[] = {"id",   "ts",       "type",        "rating", "location",
                                          "desk", "employee", "employee_name", "clip"};
        csv_writer w;
        csv_begin(&w, f, co);
        for (size_t k = 0; k < sizeof hdr / sizeof hdr[0]; k++)
            csv_text(&w, hdr[k]);
        csv_end_row(&w);
        for (size_t i = 0; i < n; i++) {
            char t[64];
            fmt_time(rows[i].ts_us, t, sizeof t);
            const char *fields[] = {rows[i].id,     t,           event_type_name(rows[i].type),
                                    rows[i].rating, rows[i].location_id, rows[i].desk,
                                    rows[i].employee_id, rows[i].employee_name,
                                    rows[i].has_clip ? "yes" : "no"};
            for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
                csv_text(&w, fields[k]);
            csv_end_row(&w);
        }
    } else {
        static const char *const hdr_en[] = {"TIME", "TYPE", "RATING", "DESK", "EMPLOYEE", "CLIP", "ID"};
        const char *hdr[7];
        for (int c = 0; c < 7; c++)
            hdr[c] = _(hdr_en[c]);
        static const int right[] = {0, 0, 0, 0, 0, 0, 0};
        int w[] = {19, 13, 8, 16, 24, 4, 40};
        put_row(f, hdr, w, right, 7);
        for (size_t i = 0; i < n; i++) {
            char t[64], desk[400];
            time_format_local(rows[i].ts_us, "%d.%m.%Y %H:%M:%S", t, sizeof t);
            snprintf(desk, sizeof desk, "%s/%s", rows[i].location_id, rows[i].desk);
            const char *row[] = {t,
                                 _(event_type_name(rows[i].type)),
                                 rows[i].rating,
                                 desk,
                                 rows[i].employee_name[0] ? rows[i].employee_name : rows[i].employee_id,
                                 rows[i].has_clip ? _("yes") : _("no"),
                                 rows[i].id};
            put_row(f, row, w, right, 7);
        }
    }
    free(rows);
    return 0;
}

static int parse_id(const char *s, int64_t *id)
{
    return cliopt_int64(s, id) == 0 && *id > 0 ? 0 : -1;
}

int cmd_alerts(int argc, char **argv)
{
    cliopt o;
    const char *name, *val, *db_opt = NULL, *config_path = NULL, *comment = NULL;
    int fmt = FMT_TABLE, state = ST_OPEN, sub = SUB_LIST, r;
    int64_t id = 0, from = INT64_MIN, to = INT64_MAX;
    bool have_id = false, fmt_given = false, state_given = false, seen_action = false, excel = false;
    char err[512];

    cliopt_init(&o, "alerts", argc, argv);
    while ((r = cliopt_next(&o, &name, &val)) != 0) {
        if (r == 2) {
            if (!seen_action) {
                seen_action = true;
                if (!strcmp(val, "ack"))
                    sub = SUB_ACK;
                else if (!strcmp(val, "close"))
                    sub = SUB_CLOSE;
                else if (!strcmp(val, "events"))
                    sub = SUB_EVENTS;
                else if (!strcmp(val, "replay") || !strcmp(val, "check"))
                    sub = SUB_CHECK;
                else if (!strcmp(val, "list"))
                    ;
                else
                    return cliopt_usage_error("alerts", "unknown action '%s' (list, ack, close, events, replay)",
                                              val);
                continue;
            }
            if ((sub == SUB_ACK || sub == SUB_CLOSE || sub == SUB_EVENTS) && !have_id) {
                if (parse_id(val, &id))
                    return cliopt_usage_error("alerts", "'%s' is not an alert id", val);
                have_id = true;
                continue;
            }
            return cliopt_usage_error("alerts", "unexpected argument '%s'", val);
        }
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts(usage_text);
            return EXIT_OK;
        }
        if (!strcmp(name, "--excel")) {
            if (outfmt_excel_flag("alerts", val, &excel))
                return EXIT_USAGE;
            continue;
        }
        if (!(val = cliopt_value(&o, name, val)))
            return EXIT_USAGE;
        if (!strcmp(name, "--db")) {
            db_opt = val;
        } else if (!strcmp(name, "--config")) {
            config_path = val;
        } else if (!strcmp(name, "--comment")) {
            comment = val;
        } else if (!strcmp(name, "--from") || !strcmp(name, "--to")) {
            if (cliopt_time("alerts", name, val, (!strcmp(name, "--from") ? &from : &to)))
                return EXIT_USAGE;
        } else if (!strcmp(name, "--state")) {
            if (!strcmp(val, "open"))
                state = ST_OPEN;
            else if (!strcmp(val, "acknowledged") || !strcmp(val, "acked"))
                state = ST_ACKED;
            else if (!strcmp(val, "closed"))
                state = ST_CLOSED;
            else if (!strcmp(val, "all"))
                state = ST_ALL;
            else
                return cliopt_usage_error("alerts", "--state: '%s' is not one of open, acknowledged, closed, all",
                                          val);
            state_given = true;
        } else if (!strcmp(name, "--format")) {
            if ((fmt = outfmt_parse("alerts", val)) < 0)
                return EXIT_USAGE;
            fmt_given = true;
        } else {
            return cliopt_usage_error("alerts", "unknown option '%s'", name);
        }
    }
    if ((sub == SUB_ACK || sub == SUB_CLOSE || sub == SUB_EVENTS) && !have_id)
        return cliopt_usage_error("alerts", "%s needs an alert id",
                                  sub == SUB_ACK ? "ack" : sub == SUB_CLOSE ? "close" : "events");
    if (comment && sub != SUB_CLOSE)
        return cliopt_usage_error("alerts", "--comment goes with 'close'");
    if ((fmt_given || excel) && sub != SUB_LIST && sub != SUB_EVENTS)
        return cliopt_usage_error("alerts", "%s goes with the list and 'events'", excel ? "--excel" : "--format");
    if (outfmt_excel_check("alerts", excel, fmt_given, &fmt))
        return EXIT_USAGE;
    /* alerts has no --lang: the decimal comma follows the locale, as the
     * spreadsheet that opens the file does */
    const csv_options co = {.excel = excel, .decimal_comma = excel && i18n_lang_from_env() == LANG_RU};
    if (state_given && sub != SUB_LIST)
        return cliopt_usage_error("alerts", "--state goes with the list");
    if ((from != INT64_MIN || to != INT64_MAX) && sub != SUB_CHECK)
        return cliopt_usage_error("alerts", "--from/--to go with 'replay'");

    cxm_config cfg;
    config_defaults(&cfg);
    if (config_load(&cfg, config_path, err, sizeof err)) {
        cli_error("alerts", "config: %s", err);
        config_free(&cfg);
        return EXIT_FAIL;
    }
    char *db_default = NULL;
    const char *db_path = db_opt ? db_opt : cfg.db_path;
    if (!db_path)
        db_path = db_default = config_default_db_path();
    int status = EXIT_FAIL;
    store *st = NULL;
    if (!db_path) {
        cli_error("alerts", "cannot determine the database path (use --db)");
        goto out;
    }
    if (strcmp(db_path, ":memory:") && access(db_path, F_OK)) {
        /* looking at alerts must not leave an empty database behind */
        cli_error("alerts", "%s: no such database (import events first)", db_path);
        goto out;
    }
    /* another writer (ingest, an import) may hold the lock for a while */
    /* listing only reads: a read-only copy of the database works */
    if ((sub == SUB_LIST || sub == SUB_EVENTS
             ? clistore_open_reader("alerts", db_path, 60LL * 1000000, &st, err, sizeof err)
             : clistore_open(db_path, 60LL * 1000000, &st, err, sizeof err))) {
        clistore_report("alerts", db_path, err);
        goto out;
    }

    if (sub == SUB_ACK || sub == SUB_CLOSE) {
        const char *who = alerts_os_user();
        int rc = sub == SUB_ACK ? alerts_ack(st, id, who) : alerts_close(st, id, who, comment);
        if (rc) {
            alerts_strerror(st, rc, id, err, sizeof err);
            char safe[1024];
            text_sanitize(err, strlen(err), safe, sizeof safe);
            fprintf(stderr, "cxm-console alerts: %s\n", safe);
            goto out;
        }
        printf(sub == SUB_ACK ? _("alert %lld acknowledged by %s\n") : _("alert %lld closed by %s\n"),
               (long long)id, who);
        status = EXIT_OK;
    } else if (sub == SUB_EVENTS) {
        alert_info a;
        int rc = alerts_get(st, id, &a);
        if (rc) {
            alerts_strerror(st, rc, id, err, sizeof err);
            fprintf(stderr, "cxm-console alerts: %s\n", err);
            goto out;
        }
        if (print_events(stdout, st, id, fmt, &co) < 0) {
            cli_error("alerts", "database error: %s", store_errmsg(st));
            goto out;
        }
        status = EXIT_OK;
    } else if (sub == SUB_CHECK) {
        alerts_report rep;
        memset(&rep, 0, sizeof rep);
        rep.collect = true;
        if (alerts_replay(st, &cfg, from, to, &rep) < 0) {
            cli_error("alerts", "replay: %s", store_errmsg(st));
            alerts_report_free(&rep);
            goto out;
        }
        print_replay(stdout, &rep);
        alerts_report_free(&rep);
        status = EXIT_OK;
    } else {
        alert_info *a = NULL;
        size_t n = 0;
        if (alerts_list(st, state == ST_OPEN, &a, &n) < 0) {
            cli_error("alerts", "database error: %s", store_errmsg(st));
            goto out;
        }
        /* acknowledged/closed alone: filter the full list here; the store
         * keeps two orders only (all, not closed). */
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            if (state == ST_OPEN || state == ST_ALL || (state == ST_ACKED && a[i].state == ALERT_ACKED) ||
                (state == ST_CLOSED && a[i].state == ALERT_CLOSED))
                a[k++] = a[i];
        int rc = 0;
        if (fmt == FMT_JSON)
            rc = print_json(stdout, st, a, k);
        else if (fmt == FMT_CSV)
            print_csv(stdout, a, k, &co);
        else
            print_table(stdout, a, k);
        free(a);
        if (rc < 0) {
            cli_error("alerts", "database error: %s", store_errmsg(st));
            goto out;
        }
        status = EXIT_OK;
    }
    if (fflush(stdout) == EOF)
        status = EXIT_FAIL;
out:
    store_close(st);
    free(db_default);
    config_free(&cfg);
    return status;
}
