/* causes: the causes report (issue 12, a contract):
 *   causes [--db FILE] [--from T] [--to T] [--by all|location|desk|employee]
 *          [--checklist ID] [--format table|json|csv] [--excel]
 * Per group: incidents the checklist applies to in [--from, --to) (by the
 * incident's time), those reviewed (a done entry), and the causes of done
 * entries as a Pareto table with the bottlenecks (causes.h). Without
 * --checklist: the dissatisfaction definition. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/clichecklists.h"
#include "app/cliopt.h"
#include "app/commands.h"
#include "app/outfmt.h"
#include "cxm/causes.h"
#include "cxm/csv.h"
#include "cxm/i18n.h"
#include "cxm/text.h"

#define BAR_COLS 20

static const char usage_text[] =
    "usage: cxm-console causes [--db FILE] [--config FILE] [--from T] [--to T]\n"
    "                          [--by all|location|desk|employee] [--checklist ID]\n"
    "                          [--format table|json|csv] [--excel] [--lang ru|en]";

static const char *cause_title(const checklist *c, const causes_cause *k)
{
    return k->item >= 0 ? checklist_title(c->items[k->item].title_en, c->items[k->item].title_ru)
                        : k->id;
}

static const char *cause_section(const checklist *c, const causes_cause *k)
{
    return k->section >= 0 ? c->sections[k->section].id : "";
}

static void json_num(FILE *f, double v)
{
    char b[40];
    outfmt_double(v, b, sizeof b);
    fputs(b, f);
}

static void print_json(FILE *f, const checklist *c, const causes_row *rows, size_t n, causes_by by)
{
    static const char *const by_names[] = {"all", "location", "desk", "employee"};
    fputs("{\"checklist\": ", f);
    outfmt_json_string(f, c->id);
    fprintf(f, ", \"purpose\": \"%s\", \"by\": \"%s\", \"rows\": [",
            checklist_purpose_name(c->purpose), by_names[by]);
    for (size_t i = 0; i < n; i++) {
        const causes_row *r = &rows[i];
        fputs(i ? ",\n  {" : "\n  {", f);
        fputs("\"key\": ", f);
        outfmt_json_string(f, r->key);
        fputs(", \"name\": ", f);
        outfmt_json_string(f, causes_row_name(r, by));
        fprintf(f,
                ", \"incidents\": %lld, \"reviewed\": %lld, \"no_cause\": %lld, "
                "\"staff_related\": %lld, \"not_staff_related\": %lld, \"causes\": [",
                (long long)r->incidents, (long long)r->reviewed, (long long)r->no_cause,
                (long long)r->staff_related, (long long)r->not_staff_related);
        for (size_t j = 0; j < r->ncauses; j++) {
            const causes_cause *k = &r->causes[j];
            fputs(j ? ",\n    {" : "\n    {", f);
            fputs("\"id\": ", f);
            outfmt_json_string(f, k->id);
            fputs(", \"title\": ", f);
            outfmt_json_string(f, cause_title(c, k));
            fputs(", \"section\": ", f);
            outfmt_json_string(f, cause_section(c, k));
            fprintf(f, ", \"staff_related\": %s, \"count\": %lld, \"share\": ",
                    k->staff_related ? "true" : "false", (long long)k->count);
            json_num(f, k->share);
            fputs(", \"cumulative\": ", f);
            json_num(f, k->cumulative);
            fprintf(f, ", \"bottleneck\": %s, \"primary\": %lld}", k->bottleneck ? "true" : "false",
                    (long long)k->primary);
        }
        fputs(r->ncauses ? "\n  ]}" : "]}", f);
    }
    fputs(n ? "\n]}\n" : "]}\n", f);
}

/* ---- the table ---- */

static void put_fit(FILE *f, const char *s, int cols, int right)
{
    char buf[512];
    if (right)
        text_fit_right(s, strlen(s), cols, buf, sizeof buf);
    else
        text_fit(s, strlen(s), cols, true, buf, sizeof buf);
    fputs(buf, f);
}

static void print_table(FILE *f, const checklist *c, const causes_row *rows, size_t n, causes_by by)
{
    const char *full = text_is_utf8() ? "\u2588" : "#";
    for (size_t i = 0; i < n; i++) {
        const causes_row *r = &rows[i];
        if (i)
            fputc('\n', f);
        clichk_put_text(f, checklist_title(c->title_en, c->title_ru));
        fputs(" — ", f);
        clichk_put_text(f, causes_row_name(r, by));
        if (by != CAUSES_BY_ALL) {
            fputs(" (", f);
            clichk_put_text(f, r->key);
            fputc(')', f);
        }
        fprintf(f, "\n%s %lld, %s %lld, %s %lld; %s %lld, %s %lld\n", _("incidents"),
                (long long)r->incidents, _("reviewed"), (long long)r->reviewed,
                _("no cause found"), (long long)r->no_cause, _("staff-related"),
                (long long)r->staff_related, _("not staff-related"),
                (long long)r->not_staff_related);
        if (!r->ncauses) {
            fprintf(f, "%s\n", _("(no causes in done checklists)"));
            continue;
        }
        int tw = 10;
        for (size_t j = 0; j < r->ncauses; j++) {
            const char *t = cause_title(c, &r->causes[j]);
            int w = text_width(t, strlen(t));
            if (w > tw)
                tw = w;
        }
        if (tw > 44)
            tw = 44;
        int sw = 7;
        for (int j = 0; j < c->nsections; j++) {
            const char *t = checklist_title(c->sections[j].title_en, c->sections[j].title_ru);
            int w = text_width(t, strlen(t));
            if (w > sw)
                sw = w;
        }
        if (sw > 24)
            sw = 24;
        fputs("    ", f);
        put_fit(f, _("CAUSE"), tw, 0);
        fputs("  ", f);
        put_fit(f, _("SECTION"), sw, 0);
        fputs("  ", f);
        put_fit(f, _("COUNT"), 6, 1);
        fputs("  ", f);
        put_fit(f, _("SHARE"), 6, 1);
        fputs("  ", f);
        put_fit(f, _("CUM."), 6, 1);
        fputs("  ", f);
        put_fit(f, _("PRIMARY"), 7, 1);
        fputc('\n', f);
        int line_drawn = 0;
        for (size_t j = 0; j < r->ncauses; j++) {
            const causes_cause *k = &r->causes[j];
            if (!k->bottleneck && !line_drawn) {
                fprintf(f, "    ---- 80 %% ----\n");
                line_drawn = 1;
            }
            char num[32];
            fprintf(f, "%s%2zu ", k->bottleneck ? "*" : " ", j + 1);
            put_fit(f, cause_title(c, k), tw, 0);
            fputs("  ", f);
            const char *sec = cause_section(c, k);
            int si = k->section;
            put_fit(f, si >= 0 ? checklist_title(c->sections[si].title_en, c->sections[si].title_ru)
                               : sec,
                    sw, 0);
            fputs("  ", f);
            snprintf(num, sizeof num, "%lld", (long long)k->count);
            put_fit(f, num, 6, 1);
            fputs("  ", f);
            snprintf(num, sizeof num, "%.1f%%", k->share * 100.0);
            put_fit(f, num, 6, 1);
            fputs("  ", f);
            snprintf(num, sizeof num, "%.1f%%", k->cumulative * 100.0);
            put_fit(f, num, 6, 1);
            fputs("  ", f);
            snprintf(num, sizeof num, "%lld", (long long)k->primary);
            put_fit(f, num, 7, 1);
            fputs("  ", f);
            int bar = (int)lround(k->share * BAR_COLS);
            if (bar < 1 && k->count > 0)
                bar = 1;
            for (int b = 0; b < bar; b++)
                fputs(full, f);
            fputc('\n', f);
        }
        fprintf(f, "%s\n", _("* bottleneck: the causes before the 80 % line"));
    }
    if (n == 0)
        fprintf(f, "%s\n", _("(no incidents in the period)"));
}

static int causes_print_csv(FILE *f, const checklist *c, const causes_row *rows, size_t n,
                            causes_by by, bool excel)
{
    csv_options co = {.excel = excel, .decimal_comma = excel && i18n_get_lang() == LANG_RU};
    if (causes_write_csv(f, c, rows, n, by, &co) != 0) {
        fputs("cxm-console causes: cannot write the CSV\n", stderr);
        return EXIT_FAIL;
    }
    return 0;
}

static const checklist *default_checklist(const checklist_set *set)
{
    const checklist *c = checklist_find(set, "dissatisfaction");
    for (size_t i = 0; !c && i < set->n; i++)
        if (set->v[i]->purpose == CK_DISSATISFACTION)
            c = set->v[i];
    return c ? c : set->n ? set->v[0] : NULL;
}

int cmd_causes(int argc, char **argv)
{
    cliopt o;
    const char *name, *val, *db = NULL, *config_path = NULL, *ck_id = NULL;
    int r, fmt = FMT_TABLE;
    bool excel = false, fmt_given = false;
    causes_query q = {.from_us = INT64_MIN, .to_us = INT64_MAX, .by = CAUSES_BY_ALL};
    i18n_set_lang(i18n_lang_from_env());
    cliopt_init(&o, "causes", argc, argv);
    while ((r = cliopt_next(&o, &name, &val)) != 0) {
        if (r == 2)
            return cliopt_usage_error("causes", "unexpected argument '%s'", val);
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts(usage_text);
            puts("The causes of done checklists over [--from, --to) (by the incident's time) as a\n"
                 "Pareto table per group (default --by all); '*' marks the bottlenecks.");
            return EXIT_OK;
        }
        if (!strcmp(name, "--excel")) {
            if (outfmt_excel_flag("causes", val, &excel))
                return EXIT_USAGE;
            continue;
        }
        /* an unknown option is named as such, even as the last word (not
         * "needs a value") */
        static const char *const with_value[] = {"--db",     "--config", "--checklist", "--from",
                                                 "--to",     "--by",     "--format",    "--lang"};
        bool known = false;
        for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
            known = known || !strcmp(name, with_value[k]);
        if (!known)
            return cliopt_usage_error("causes", "unknown option '%s'", name);
        if (!(val = cliopt_value(&o, name, val)))
            return EXIT_USAGE;
        if (!strcmp(name, "--db")) {
            db = val;
        } else if (!strcmp(name, "--config")) {
            config_path = val;
        } else if (!strcmp(name, "--checklist")) {
            ck_id = val;
        } else if (!strcmp(name, "--from") || !strcmp(name, "--to")) {
            if (cliopt_time("causes", name, val, !strcmp(name, "--from") ? &q.from_us : &q.to_us))
                return EXIT_USAGE;
        } else if (!strcmp(name, "--by")) {
            int by = causes_by_from_name(val);
            if (by < 0)
                return cliopt_usage_error("causes",
                                          "--by: '%s' is not one of all, location, desk, employee",
                                          val);
            q.by = (causes_by)by;
        } else if (!strcmp(name, "--format")) {
            if ((fmt = outfmt_parse("causes", val)) < 0)
                return EXIT_USAGE;
            fmt_given = true;
        } else if (!strcmp(name, "--lang")) {
            int l = i18n_lang_parse(val);
            if (l < 0)
                return cliopt_usage_error("causes", "--lang: '%s' is not ru or en", val);
            i18n_set_lang((i18n_lang)l);
        } else {
            return cliopt_usage_error("causes", "unknown option '%s'", name);
        }
    }
    if (outfmt_excel_check("causes", excel, fmt_given, &fmt))
        return EXIT_USAGE;
    if (q.from_us != INT64_MIN && q.to_us != INT64_MAX && q.from_us >= q.to_us)
        return cliopt_usage_error("causes",
                                  "empty period: --to must be later than --from (--to is exclusive)");

    checklist_set set;
    if ((r = clichk_load("causes", &set)) != 0) {
        checklist_set_free(&set);
        return r;
    }
    const checklist *c = ck_id ? checklist_find(&set, ck_id) : default_checklist(&set);
    if (!c) {
        checklist_set_free(&set);
        return cliopt_usage_error("causes", "no checklist '%s'", ck_id ? ck_id : "");
    }
    cxm_config cfg;
    store *st = NULL;
    int status = clichk_open("causes", db, config_path, &cfg, &st);
    causes_row *rows = NULL;
    size_t n = 0;
    char err[512];
    if (status == 0) {
        if (causes_run(st, c, &q, &rows, &n, err, sizeof err) != 0) {
            fprintf(stderr, "cxm-console causes: %s: %s\n", store_path(st), err);
            status = EXIT_FAIL;
        } else if (q.by == CAUSES_BY_ALL && n == 0 && !(rows = calloc(1, sizeof *rows))) {
            fputs("cxm-console causes: out of memory\n", stderr);
            status = EXIT_FAIL;
        } else {
            if (q.by == CAUSES_BY_ALL && n == 0) {
                /* --by all is one row even for an empty period: zeros, not nothing */
                snprintf(rows[0].key, sizeof rows[0].key, "all");
                n = 1;
            }
            if (fmt == FMT_JSON)
                print_json(stdout, c, rows, n, q.by);
            else if (fmt == FMT_CSV)
                status = causes_print_csv(stdout, c, rows, n, q.by, excel);
            else
                print_table(stdout, c, rows, n, q.by);
            if (status == 0 && fflush(stdout) == EOF)
                status = EXIT_FAIL;
        }
    }
    causes_free(rows, n);
    store_close(st);
    config_free(&cfg);
    checklist_set_free(&set);
    return status;
}
