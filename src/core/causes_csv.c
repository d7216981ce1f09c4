/* See causes_write_csv in cxm/causes.h: the CLI's `causes --format csv` and
 * the console's report export write through here, so a file from either
 * has the same columns and the same rows. */
#include "cxm/causes.h"
#include "cxm/i18n.h"

const char *causes_row_name(const causes_row *r, causes_by by)
{
    if (by == CAUSES_BY_ALL)
        return _("All");
    if (r->name_whole)
        return r->name_whole; /* files and the CLI print it whole */
    return r->name[0] ? r->name : r->key;
}

int causes_write_csv(FILE *f, const checklist *c, const causes_row *rows, size_t n, causes_by by,
                     const csv_options *co)
{
    static const char *const hdr[] = {
        "key",   "name",  "incidents",     "reviewed", "no_cause", "staff_related_total",
        "not_staff_related_total", "cause", "title", "section", "staff_related", "count",
        "share", "cumulative", "bottleneck", "primary"};
    csv_writer w;
    csv_begin(&w, f, co);
    for (size_t i = 0; i < sizeof hdr / sizeof hdr[0]; i++)
        csv_text(&w, hdr[i]);
    csv_end_row(&w);
    for (size_t i = 0; i < n; i++) {
        const causes_row *r = &rows[i];
        for (size_t j = 0; j < (r->ncauses ? r->ncauses : 1); j++) {
            csv_text(&w, r->key);
            csv_text(&w, causes_row_name(r, by));
            csv_int(&w, (long long)r->incidents);
            csv_int(&w, (long long)r->reviewed);
            csv_int(&w, (long long)r->no_cause);
            csv_int(&w, (long long)r->staff_related);
            csv_int(&w, (long long)r->not_staff_related);
            if (!r->ncauses) {
                for (int k = 0; k < 9; k++)
                    csv_empty(&w);
                csv_end_row(&w);
                continue;
            }
            const causes_cause *k = &r->causes[j];
            csv_text(&w, k->id);
            csv_text(&w, k->item >= 0 ? checklist_title(c->items[k->item].title_en,
                                                        c->items[k->item].title_ru)
                                      : k->id);
            csv_text(&w, k->section >= 0 ? c->sections[k->section].id : "");
            csv_text(&w, k->staff_related ? "true" : "false");
            csv_int(&w, (long long)k->count);
            csv_num(&w, k->share);
            csv_num(&w, k->cumulative);
            csv_text(&w, k->bottleneck ? "true" : "false");
            csv_int(&w, (long long)k->primary);
            csv_end_row(&w);
        }
    }
    return csv_end(&w) != 0 ? -1 : 0;
}
