/* kpi: the service KPIs of DESIGN §8 per employee, desk, location, day or in
 * total, as an aligned table (for people), JSON or CSV (for programs).
 *
 * Without --from/--to the period is everything stored: a supervisor asking
 * "how are we doing" by default means the whole history they imported; a
 * period is narrowed explicitly. --to is exclusive ([from, to)). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/cliopt.h"
#include "app/clistore.h"
#include "app/commands.h"
#include "app/outfmt.h"
#include "cxm/config.h"
#include "cxm/csv.h"
#include "cxm/i18n.h"
#include "cxm/kpi.h"
#include "cxm/store.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"

#define NAME_COLS_MAX 28
#define KEY_COLS_MAX 32

static const char *const emo_keys[EMO_COUNT] = {"unknown", "positive", "negative", "mixed", "poker"};
/* JSON/CSV list the labels with unknown last, as the contract words it. */
static const int emo_order[EMO_COUNT] = {EMO_POSITIVE, EMO_NEGATIVE, EMO_MIXED, EMO_POKER, EMO_UNKNOWN};

typedef struct {
    char values[RULES_SCALE_VALUES_MAX * 2][RULES_VALUE_MAX];
    int n;
} value_set;

/* Every rating value seen in any row, in the order rows list them (scale
 * order first), so all rows share one set of columns. */
static void collect_values(const kpi_row *rows, size_t nrows, const cxm_rules *rules, value_set *vs)
{
    vs->n = 0;
    for (int i = 0; i < rules->scale.nvalues && vs->n < RULES_SCALE_VALUES_MAX * 2; i++)
        snprintf(vs->values[vs->n++], RULES_VALUE_MAX, "%s", rules->scale.values[i]);
    for (size_t r = 0; r < nrows; r++)
        for (int i = 0; i < rows[r].c.nvalues; i++) {
            const char *v = rows[r].c.rv[i].value;
            int found = 0;
            for (int j = 0; j < vs->n && !found; j++)
                found = !strcmp(vs->values[j], v);
            if (!found && vs->n < RULES_SCALE_VALUES_MAX * 2)
                snprintf(vs->values[vs->n++], RULES_VALUE_MAX, "%s", v);
        }
}

static int64_t count_of(const kpi_row *row, const char *value)
{
    for (int i = 0; i < row->c.nvalues; i++)
        if (!strcmp(row->c.rv[i].value, value))
            return row->c.rv[i].n;
    return 0;
}

static void json_num(FILE *f, double v)
{
    char b[40];
    if (isnan(v)) {
        fputs("null", f);
        return;
    }
    outfmt_double(v, b, sizeof b);
    fputs(b, f);
}

/* The row's name whole: the row keeps only 255 bytes, so a longer one is read
 * back from the store (JSON and CSV never cut a name). *tmp: free() it. */
static const char *whole_name(store *st, kpi_by by, const kpi_row *row, char **tmp)
{
    *tmp = NULL;
    if (!row->name_cut)
        return row->name;
    char err[256];
    if (kpi_full_name(st, by, row->key, tmp, err, sizeof err) != 0) {
        cli_error("kpi", "%s", err);
        return row->name;
    }
    return *tmp;
}

static void print_json(FILE *f, store *st, kpi_by by, const kpi_row *rows, size_t nrows,
                       const value_set *vs)
{
    fputs("{\"rows\": [", f);
    for (size_t r = 0; r < nrows; r++) {
        const kpi_row *w = &rows[r];
        fputs(r ? ",\n  {" : "\n  {", f);
        fputs("\"key\": ", f);
        outfmt_json_string(f, w->key);
        fputs(", \"name\": ", f);
        char *whole;
        outfmt_json_string(f, whole_name(st, by, w, &whole));
        free(whole);
        fputs(", \"ratings\": {", f);
        for (int i = 0; i < vs->n; i++) {
            if (i)
                fputs(", ", f);
            outfmt_json_string(f, vs->values[i]);
            fprintf(f, ": %lld", (long long)count_of(w, vs->values[i]));
        }
        fprintf(f,
                "}, \"ratings_total\": %lld, \"positive\": %lld, \"negative\": %lld, \"silent\": %lld, "
                "\"arrivals\": %lld, \"served\": %lld, \"red_buttons\": %lld",
                (long long)w->c.ratings_total, (long long)w->c.positive, (long long)w->c.negative,
                (long long)w->c.silent, (long long)w->c.arrivals, (long long)w->c.served,
                (long long)w->c.red_buttons);
        const char *from = kpi_cfrom_name(kpi_customers_from(&w->c));
        fprintf(f, ", \"customers\": %lld, \"customers_from\": ", (long long)w->c.customers);
        if (from)
            fprintf(f, "\"%s\"", from);
        else
            fputs("null", f);
        const struct {
            const char *k;
            double v;
        } ratios[] = {
            {"csat", w->v.csat},       {"support_index", w->v.support_index},
            {"criticality_index", w->v.criticality_index},
            {"response_rate", w->v.response_rate},
            {"emonps", w->v.emonps},   {"loyal", w->v.loyal},
            {"critics", w->v.critics}, {"passive", w->v.passive},
        };
        for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++) {
            fprintf(f, ", \"%s\": ", ratios[i].k);
            json_num(f, ratios[i].v);
        }
        fputs(", \"employee_emotion\": {", f);
        for (int i = 0; i < EMO_COUNT; i++)
            fprintf(f, "%s\"%s\": %lld", i ? ", " : "", emo_keys[emo_order[i]],
                    (long long)w->c.emo[emo_order[i]]);
        fputs("}, \"smile_share\": ", f);
        json_num(f, w->v.smile_share);
        fputs("}", f);
    }
    fputs(nrows ? "\n]}\n" : "]}\n", f);
}

static void print_csv(FILE *f, store *st, kpi_by by, const kpi_row *rows, size_t nrows,
                      const value_set *vs, const csv_options *co)
{
    static const char *const fixed[] = {"ratings_total", "positive", "negative", "silent", "arrivals",
                                        "served", "customers", "customers_from", "red_buttons",
                                        "csat", "support_index",
                                        "criticality_index", "response_rate", "emonps", "loyal",
                                        "critics", "passive"};
    csv_writer w;
    csv_begin(&w, f, co);
    csv_text(&w, "key");
    csv_text(&w, "name");
    for (int i = 0; i < vs->n; i++) {
        char h[RULES_VALUE_MAX + 16];
        snprintf(h, sizeof h, "ratings_%s", vs->values[i]);
        csv_text(&w, h);
    }
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        csv_text(&w, fixed[i]);
    for (int i = 0; i < EMO_COUNT; i++) {
        char h[64];
        snprintf(h, sizeof h, "employee_emotion_%s", emo_keys[emo_order[i]]);
        csv_text(&w, h);
    }
    csv_text(&w, "smile_share");
    csv_end_row(&w);
    for (size_t r = 0; r < nrows; r++) {
        const kpi_row *k = &rows[r];
        csv_text(&w, k->key);
        char *whole;
        csv_text(&w, whole_name(st, by, k, &whole));
        free(whole);
        for (int i = 0; i < vs->n; i++)
            csv_int(&w, (long long)count_of(k, vs->values[i]));
        const int64_t counts[] = {k->c.ratings_total, k->c.positive, k->c.negative, k->c.silent,
                                  k->c.arrivals,      k->c.served,   k->c.customers};
        for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
            csv_int(&w, (long long)counts[i]);
        const char *from = kpi_cfrom_name(kpi_customers_from(&k->c));
        csv_text(&w, from ? from : "");
        csv_int(&w, (long long)k->c.red_buttons);
        const double ratios[] = {k->v.csat,   k->v.support_index, k->v.criticality_index,
                                 k->v.response_rate, k->v.emonps, k->v.loyal,
                                 k->v.critics, k->v.passive};
        for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++)
            csv_num(&w, ratios[i]);
        for (int i = 0; i < EMO_COUNT; i++)
            csv_int(&w, (long long)k->c.emo[emo_order[i]]);
        csv_num(&w, k->v.smile_share);
        csv_end_row(&w);
    }
}

/* ---- the table ---- */

typedef struct {
    const char *en, *ru;
} label;

static const label hdr_key = {"KEY", "КЛЮЧ"}, hdr_name = {"NAME", "ИМЯ"};

/* A rating value's column title: the default scale's values by their labels
 * in the language (as the console shows them), other scales' as configured. */
static const char *value_label(const char *v, int ru)
{
    static const struct {
        const char *value, *en, *ru;
    } labels[] = {{"super", "Super", "Супер"}, {"so_so", "So-so", "Так себе"}, {"bad", "Bad", "Плохо"}};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (!strcmp(v, labels[i].value))
            return ru ? labels[i].ru : labels[i].en;
    return v;
}

/* The table names the `all` row in the language (JSON and CSV keep "all"). */
static const char *row_word(const char *s, int ru)
{
    return !strcmp(s, "all") ? (ru ? "все" : "all") : s;
}
enum { C_TOTAL, C_POS, C_NEG, C_SILENT, C_ARR, C_SERVED, C_CUST, C_RED, C_CSAT, C_SUPPORT, C_CRIT, C_RESP,
       C_EMONPS, C_SMILE, C_NUM };
static const label hdr_num[C_NUM] = {
    {"RATINGS", "ОЦЕНОК"},   {"POS", "ПОЗ"},          {"NEG", "НЕГ"},
    {"SILENT", "МОЛЧУНЫ"},  {"ARRIVALS", "ПРИХОДЫ"},  {"SERVED", "ОБСЛУЖЕНО"},
    {"CUSTOMERS", "КЛИЕНТОВ"},
    {"RED", "КРАСН"},       {"CSAT%", "CSAT%"},       {"SUPPORT%", "ПОДДЕРЖКА%"},
    {"CRITICAL%", "КРИТИЧН%"}, {"RESPONSE%", "ОТКЛИК%"}, {"EMONPS", "EMONPS"},
    {"SMILE%", "УЛЫБКИ%"},
};

static void cell_ratio(double v, char *out, size_t cap)
{
    if (isnan(v))
        snprintf(out, cap, "%s", text_is_utf8() ? "—" : "-");
    else
        snprintf(out, cap, "%.1f", v);
}

/* Writes s fitted into `cols` columns (left- or right-aligned) and a gap. */
static void put_cell(FILE *f, const char *s, int cols, int right, int last)
{
    char buf[512];
    if (right)
        text_fit_right(s, strlen(s), cols, buf, sizeof buf);
    else
        text_fit(s, strlen(s), cols, !last, buf, sizeof buf);
    fputs(buf, f);
    if (!last)
        fputs("  ", f);
}

/* A table cell shows a name kept only in part with a mark at the cut. */
static const char *cut_name(const kpi_row *row, int ru, char *buf, size_t cap)
{
    if (!row->name_cut)
        return row_word(row->name, ru);
    snprintf(buf, cap, "%s\u2026", row->name);
    return buf;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

static void print_table(FILE *f, const kpi_row *rows, size_t nrows, const value_set *vs, int ru)
{
    const int ncols = 2 + vs->n + C_NUM;
    int *w = calloc((size_t)ncols, sizeof *w);
    char(*cells)[32] = calloc((nrows ? nrows : 1) * (size_t)(vs->n + C_NUM), sizeof *cells);
    if (!w || !cells) {
        free(w);
        free(cells);
        cli_error("kpi", "out of memory");
        return;
    }
    const char *hk = ru ? hdr_key.ru : hdr_key.en, *hn = ru ? hdr_name.ru : hdr_name.en;
    w[0] = text_width(hk, strlen(hk));
    w[1] = text_width(hn, strlen(hn));
    for (int i = 0; i < vs->n; i++) {
        const char *h = value_label(vs->values[i], ru);
        w[2 + i] = text_width(h, strlen(h));
    }
    for (int i = 0; i < C_NUM; i++) {
        const char *h = ru ? hdr_num[i].ru : hdr_num[i].en;
        w[2 + vs->n + i] = text_width(h, strlen(h));
    }
    for (size_t r = 0; r < nrows; r++) {
        const kpi_row *row = &rows[r];
        char(*c)[32] = cells + r * (size_t)(vs->n + C_NUM);
        char nmb[sizeof row->name + 4];
        const char *key = row_word(row->key, ru), *nm = cut_name(row, ru, nmb, sizeof nmb);
        int kw = min_int(text_width(key, strlen(key)), KEY_COLS_MAX);
        int nw = min_int(text_width(nm, strlen(nm)), NAME_COLS_MAX);
        if (kw > w[0])
            w[0] = kw;
        if (nw > w[1])
            w[1] = nw;
        for (int i = 0; i < vs->n; i++)
            snprintf(c[i], 32, "%lld", (long long)count_of(row, vs->values[i]));
        const int64_t counts[] = {row->c.ratings_total, row->c.positive, row->c.negative, row->c.silent,
                                  row->c.arrivals,      row->c.served,   row->c.customers,
                                  row->c.red_buttons};
        for (int i = 0; i <= C_RED; i++)
            snprintf(c[vs->n + i], 32, "%lld", (long long)counts[i]);
        const double ratios[] = {row->v.csat,          row->v.support_index, row->v.criticality_index,
                                 row->v.response_rate, row->v.emonps,        row->v.smile_share * 100.0};
        for (int i = 0; i < 6; i++)
            cell_ratio(ratios[i], c[vs->n + C_CSAT + i], 32);
        for (int i = 0; i < vs->n + C_NUM; i++) {
            int cw = text_width(c[i], strlen(c[i]));
            if (cw > w[2 + i])
                w[2 + i] = cw;
        }
    }

    put_cell(f, hk, w[0], 0, 0);
    put_cell(f, hn, w[1], 0, 0);
    for (int i = 0; i < vs->n; i++)
        put_cell(f, value_label(vs->values[i], ru), w[2 + i], 1, 0);
    for (int i = 0; i < C_NUM; i++)
        put_cell(f, ru ? hdr_num[i].ru : hdr_num[i].en, w[2 + vs->n + i], 1, i == C_NUM - 1);
    putc('\n', f);
    for (size_t r = 0; r < nrows; r++) {
        char(*c)[32] = cells + r * (size_t)(vs->n + C_NUM);
        put_cell(f, row_word(rows[r].key, ru), w[0], 0, 0);
        char nmb[sizeof rows[r].name + 4];
        put_cell(f, cut_name(&rows[r], ru, nmb, sizeof nmb), w[1], 0, 0);
        for (int i = 0; i < vs->n + C_NUM; i++)
            put_cell(f, c[i], w[2 + i], 1, i == vs->n + C_NUM - 1);
        putc('\n', f);
    }
    if (nrows == 0)
        fputs(ru ? "(нет событий за период)\n" : "(no events in the period)\n", f);
    free(w);
    free(cells);
}

static int usage(void)
{
    return cliopt_usage_error("kpi", "usage: cxm-console kpi [--db FILE] [--from T] [--to T] "
                                     "[--by employee|desk|location|day|all] [--silent-k K] "
                                     "[--format table|json|csv] [--excel]");
}

int cmd_kpi(int argc, char **argv)
{
    cliopt o;
    const char *name, *val, *db_opt = NULL, *config_path = NULL;
    int r, fmt = FMT_TABLE, ru = i18n_lang_from_env() == LANG_RU, k_given = 0;
    bool excel = false, fmt_given = false;
    kpi_query q = {.from_us = INT64_MIN, .to_us = INT64_MAX, .by = KPI_BY_EMPLOYEE};
    char err[512];

    cliopt_init(&o, "kpi", argc, argv);
    while ((r = cliopt_next(&o, &name, &val)) != 0) {
        if (r == 2)
            return cliopt_usage_error("kpi", "unexpected argument '%s'", val);
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts("usage: cxm-console kpi [--db FILE] [--config FILE] [--from T] [--to T]\n"
                 "                       [--by employee|desk|location|day|all] [--silent-k K]\n"
                 "                       [--format table|json|csv] [--excel] [--lang ru|en]\n"
                 "Service KPIs over [--from, --to) (default: everything stored), one row per group\n"
                 "(default --by employee). T is RFC 3339 or YYYY-MM-DD (local midnight).\n"
                 "K (EmoNPS silent coefficient) is in [0.2, 1], default 0.5 or the config's.\n"
                 "--excel: CSV for a spreadsheet (BOM, ';', decimal comma in Russian).");
            return EXIT_OK;
        }
        if (!strcmp(name, "--excel")) {
            if (outfmt_excel_flag("kpi", val, &excel))
                return EXIT_USAGE;
            continue;
        }
        if (!(val = cliopt_value(&o, name, val)))
            return EXIT_USAGE;
        if (!strcmp(name, "--db")) {
            db_opt = val;
        } else if (!strcmp(name, "--config")) {
            config_path = val;
        } else if (!strcmp(name, "--from") || !strcmp(name, "--to")) {
            if (cliopt_time("kpi", name, val, (!strcmp(name, "--from") ? &q.from_us : &q.to_us)))
                return EXIT_USAGE;
        } else if (!strcmp(name, "--by")) {
            int by = kpi_by_from_name(val);
            if (by < 0)
                return cliopt_usage_error("kpi", "--by: '%s' is not one of employee, desk, location, day, all",
                                          val);
            q.by = (kpi_by)by;
        } else if (!strcmp(name, "--silent-k")) {
            if (cliopt_double(val, &q.k) || q.k < 0.2 || q.k > 1.0)
                return cliopt_usage_error("kpi", "--silent-k: '%s' is not a number in [0.2, 1]", val);
            k_given = 1;
        } else if (!strcmp(name, "--format")) {
            if ((fmt = outfmt_parse("kpi", val)) < 0)
                return EXIT_USAGE;
            fmt_given = true;
        } else if (!strcmp(name, "--lang")) {
            if (strcmp(val, "ru") && strcmp(val, "en"))
                return cliopt_usage_error("kpi", "--lang: '%s' is not ru or en", val);
            ru = !strcmp(val, "ru");
            i18n_set_lang(ru ? LANG_RU : LANG_EN);
        } else {
            return usage();
        }
    }
    if (outfmt_excel_check("kpi", excel, fmt_given, &fmt))
        return EXIT_USAGE;
    if (q.from_us != INT64_MIN && q.to_us != INT64_MAX && q.from_us >= q.to_us)
        return cliopt_usage_error("kpi", "empty period: --to must be later than --from (--to is exclusive)");

    cxm_config cfg;
    config_defaults(&cfg);
    if (config_load(&cfg, config_path, err, sizeof err)) {
        cli_error("kpi", "config: %s", err);
        config_free(&cfg);
        return EXIT_FAIL;
    }
    if (!k_given)
        q.k = cfg.kpi_k;
    char *db_default = NULL;
    const char *db_path = db_opt ? db_opt : cfg.db_path;
    if (!db_path)
        db_path = db_default = config_default_db_path();
    int status = EXIT_FAIL;
    store *st = NULL;
    kpi_row *rows = NULL;
    size_t nrows = 0;
    if (!db_path) {
        cli_error("kpi", "cannot determine the database path (use --db)");
    } else if (strcmp(db_path, ":memory:") && access(db_path, F_OK)) {
        /* reading KPIs must not leave an empty database behind */
        cli_error("kpi", "%s: no such database (import events first)", db_path);
    } else if (clistore_open_reader("kpi", db_path, 60LL * 1000000, &st, err, sizeof err)) {
        clistore_report("kpi", db_path, err);
    } else if (kpi_run(st, &cfg.rules, &q, &rows, &nrows, err, sizeof err)) {
        cli_error("kpi", "%s: cannot compute the KPIs: %s", db_path, err);
    } else {
        value_set vs;
        collect_values(rows, nrows, &cfg.rules, &vs);
        if (fmt == FMT_JSON)
            print_json(stdout, st, q.by, rows, nrows, &vs);
        else if (fmt == FMT_CSV)
            print_csv(stdout, st, q.by, rows, nrows, &vs, &(csv_options){.excel = excel, .decimal_comma = excel && ru});
        else
            print_table(stdout, rows, nrows, &vs, ru);
        status = fflush(stdout) == EOF ? EXIT_FAIL : EXIT_OK;
    }
    free(rows);
    store_close(st);
    free(db_default);
    config_free(&cfg);
    return status;
}
