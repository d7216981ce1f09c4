/* review: fill the checklist of one incident from a script, and show it
 * (issue 12, a contract):
 *   review EVENT_ID [--db FILE] [--checklist ID] [--cause ITEM]... [--primary ITEM]
 *          [--comment TEXT] [--needs-info] [--no-cause] [--done] [--expect-revision N]
 *   review show EVENT_ID [--db FILE] [--checklist ID] [--format table|json]
 * Exit codes: 0 saved/shown; 5 --expect-revision is stale (who and when are
 * named, nothing changes); 2 usage, unknown cause, --done without a cause or
 * --no-cause, a checklist that does not apply; 1 unknown event or failure.
 *
 * A saved revision holds exactly the causes given. The comment is kept from
 * the current revision unless --comment is given (--comment '' clears it):
 * re-marking causes from a script must not silently drop what a supervisor
 * wrote; for the same reason a cause given again keeps its playback stamp.
 * --needs-info and --no-cause are set only when given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/clichecklists.h"
#include "app/cliopt.h"
#include "app/commands.h"
#include "app/outfmt.h"
#include "cxm/i18n.h"
#include "cxm/review.h"
#include "cxm/text.h"
#include "cxm/timefmt.h"

#define EXIT_STALE 5
#define MAX_CAUSES CHECKLIST_ITEMS_MAX

static const char usage_text[] =
    "usage: cxm-console review EVENT_ID [--db FILE] [--config FILE] [--checklist ID]\n"
    "                          [--cause ITEM]... [--primary ITEM] [--comment TEXT]\n"
    "                          [--needs-info] [--no-cause] [--done] [--expect-revision N]\n"
    "       cxm-console review show EVENT_ID [--db FILE] [--config FILE] [--checklist ID]\n"
    "                          [--format table|json] [--lang ru|en]";

typedef struct {
    const char *event_id, *db, *config, *checklist, *primary, *comment;
    const char *causes[MAX_CAUSES];
    int ncauses;
    bool needs_info, no_cause, done, show;
    int64_t expect; /* -1: not given */
    int fmt;
} review_opts;

static int usage(const char *fmt_msg, const char *arg)
{
    if (fmt_msg)
        return cliopt_usage_error("review", fmt_msg, arg ? arg : "");
    fprintf(stderr, "%s\n", usage_text);
    return EXIT_USAGE;
}

/* A comment is stored as typed: refuse invalid UTF-8 and control
 * characters (other than newline and tab) instead of storing bytes the
 * display would have to replace. */
static int valid_comment(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        unsigned c = *u, cp;
        int n;
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
                return 0;
            u++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1, cp = c & 0x1f;
        else if (c >= 0xe0 && c <= 0xef)
            n = 2, cp = c & 0x0f;
        else if (c >= 0xf0 && c <= 0xf4)
            n = 3, cp = c & 0x07;
        else
            return 0;
        for (int i = 1; i <= n; i++) {
            if ((u[i] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (u[i] & 0x3f);
        }
        if ((n == 1 && cp < 0xa0) || (n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
            return 0;
        u += n + 1;
    }
    return 1;
}

static int parse(int argc, char **argv, review_opts *o)
{
    cliopt c;
    const char *name, *val;
    const char *operands[3] = {0};
    int nops = 0, r;
    memset(o, 0, sizeof *o);
    o->expect = -1;
    o->fmt = FMT_TABLE;
    int fmt_given = 0, lang_given = 0, edit_given = 0;
    cliopt_init(&c, "review", argc, argv);
    while ((r = cliopt_next(&c, &name, &val)) != 0) {
        if (r == 2) {
            if (nops >= 2)
                return usage("unexpected argument '%s'", val);
            operands[nops++] = val;
            continue;
        }
        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            puts(usage_text);
            puts("Saves a new revision of the incident's checklist entry (status draft unless\n"
                 "--done) whose causes are exactly the --cause items; prints\n"
                 "'saved EVENT_ID revision N draft|done'. Exit 5: --expect-revision is stale.");
            return -1;
        }
        int flag = !strcmp(name, "--needs-info") || !strcmp(name, "--no-cause") ||
                   !strcmp(name, "--done");
        if (flag) {
            if (val)
                return usage("%s takes no value", name);
            if (!strcmp(name, "--needs-info"))
                o->needs_info = true;
            else if (!strcmp(name, "--no-cause"))
                o->no_cause = true;
            else
                o->done = true;
            edit_given = 1;
            continue;
        }
        if (!(val = cliopt_value(&c, name, val)))
            return EXIT_USAGE;
        if (!strcmp(name, "--db")) {
            o->db = val;
        } else if (!strcmp(name, "--config")) {
            o->config = val;
        } else if (!strcmp(name, "--checklist")) {
            o->checklist = val;
        } else if (!strcmp(name, "--cause")) {
            int dup = 0;
            for (int i = 0; i < o->ncauses; i++)
                dup |= !strcmp(o->causes[i], val);
            if (!dup && o->ncauses >= MAX_CAUSES)
                return usage("too many --cause options", NULL);
            if (!dup)
                o->causes[o->ncauses++] = val;
            edit_given = 1;
        } else if (!strcmp(name, "--primary")) {
            o->primary = val;
            edit_given = 1;
        } else if (!strcmp(name, "--comment")) {
            if (strlen(val) > REVIEW_COMMENT_MAX)
                return usage("--comment: longer than 4000 bytes%s", NULL);
            if (!valid_comment(val))
                return usage("--comment: not valid UTF-8 text (or holds control characters)%s",
                             NULL);
            o->comment = val;
            edit_given = 1;
        } else if (!strcmp(name, "--expect-revision")) {
            if (cliopt_int64(val, &o->expect) || o->expect < 0)
                return usage("--expect-revision: '%s' is not a revision number (0 or more)", val);
            edit_given = 1;
        } else if (!strcmp(name, "--format")) {
            if ((o->fmt = outfmt_parse("review", val)) < 0)
                return EXIT_USAGE;
            if (o->fmt == FMT_CSV)
                return usage("--format: 'csv' is not offered by review show (table or json)%s",
                             NULL);
            fmt_given = 1;
        } else if (!strcmp(name, "--lang")) {
            int l = i18n_lang_parse(val);
            if (l < 0)
                return usage("--lang: '%s' is not ru or en", val);
            i18n_set_lang((i18n_lang)l);
            lang_given = 1;
        } else {
            return usage("unknown option '%s'", name);
        }
    }
    if (nops == 2 && !strcmp(operands[0], "show")) {
        o->show = true;
        o->event_id = operands[1];
    } else if (nops == 1) {
        o->event_id = operands[0];
    } else if (nops == 0) {
        return usage("an EVENT_ID is needed%s", NULL);
    } else {
        return usage("unexpected argument '%s'", operands[1]);
    }
    if (strlen(o->event_id) > EVENT_ID_MAX || !o->event_id[0])
        return usage("'%s' is not an event id", o->event_id);
    if (o->show && edit_given)
        return usage("review show only shows; drop the options that change the entry%s", NULL);
    if (!o->show && (fmt_given || lang_given))
        return usage("--format and --lang are options of 'review show'%s", NULL);
    if (o->no_cause && o->ncauses)
        return usage("--no-cause contradicts --cause%s", NULL);
    if (o->done && !o->ncauses && !o->no_cause)
        return usage("--done needs at least one --cause, or --no-cause when none was found%s",
                     NULL);
    if (o->primary) {
        int found = 0;
        for (int i = 0; i < o->ncauses; i++)
            found |= !strcmp(o->causes[i], o->primary);
        if (!found)
            return usage("--primary '%s' is not one of the --cause items", o->primary);
    }
    return 0;
}

/* ---- show ---- */

static void fmt_time(int64_t us, char *out, size_t cap)
{
    time_format_rfc3339_local(us, out, cap);
}

static void json_entry_fields(FILE *f, const review_entry *e)
{
    char t[64];
    fprintf(f, "\"revision\": %lld, \"status\": \"%s\", \"reviewer\": ", (long long)e->revision,
            e->revision ? review_status_name(e->status) : "new");
    if (e->revision)
        outfmt_json_string(f, e->reviewer);
    else
        fputs("null", f);
    fputs(", \"saved_at\": ", f);
    if (e->revision) {
        fmt_time(e->saved_us, t, sizeof t);
        outfmt_json_string(f, t);
    } else {
        fputs("null", f);
    }
    fputs(", \"causes\": [", f);
    for (int i = 0; i < e->ncauses; i++) {
        if (i)
            fputs(", ", f);
        outfmt_json_string(f, e->causes[i].item);
    }
    fputs("], \"primary\": ", f);
    const char *p = review_entry_primary(e);
    if (p)
        outfmt_json_string(f, p);
    else
        fputs("null", f);
    fputs(", \"comment\": ", f);
    outfmt_json_string(f, e->comment ? e->comment : "");
    fprintf(f, ", \"needs_info\": %s, \"no_cause\": %s", e->needs_info ? "true" : "false",
            e->no_cause ? "true" : "false");
    /* beyond the contract: where each cause was heard, seconds relative to
     * the event (negative: before it) */
    fputs(", \"positions\": {", f);
    int first = 1;
    for (int i = 0; i < e->ncauses; i++) {
        if (e->causes[i].at_ms == REVIEW_NO_STAMP)
            continue;
        fputs(first ? "" : ", ", f);
        first = 0;
        outfmt_json_string(f, e->causes[i].item);
        char num[40];
        outfmt_double((double)e->causes[i].at_ms / 1000.0, num, sizeof num);
        fprintf(f, ": %s", num);
    }
    fputs("}", f);
}

static void print_json(FILE *f, const review_entry *e, const review_entry *hist, size_t nhist)
{
    fputs("{\"event\": ", f);
    outfmt_json_string(f, e->event_id);
    fputs(", \"checklist\": ", f);
    outfmt_json_string(f, e->checklist);
    fputs(", ", f);
    json_entry_fields(f, e);
    fputs(", \"history\": [", f);
    for (size_t i = 0; i < nhist; i++) {
        fputs(i ? ",\n  {" : "\n  {", f);
        fputs("\"event\": ", f);
        outfmt_json_string(f, hist[i].event_id);
        fputs(", \"checklist\": ", f);
        outfmt_json_string(f, hist[i].checklist);
        fputs(", ", f);
        json_entry_fields(f, &hist[i]);
        fputs("}", f);
    }
    fputs(nhist ? "\n]}\n" : "]}\n", f);
}

static const char *item_title(const checklist *c, const char *id)
{
    int i = checklist_item_index(c, id);
    return i >= 0 ? checklist_title(c->items[i].title_en, c->items[i].title_ru) : id;
}

static void print_causes_line(FILE *f, const checklist *c, const review_entry *e)
{
    if (!e->ncauses) {
        fputs(e->no_cause ? _("no cause found") : "-", f);
        return;
    }
    for (int i = 0; i < e->ncauses; i++) {
        if (i)
            fputs(", ", f);
        clichk_put_text(f, item_title(c, e->causes[i].item));
        fprintf(f, " (%s%s", e->causes[i].item, e->causes[i].primary ? ", " : "");
        if (e->causes[i].primary)
            fputs(_("primary"), f);
        if (e->causes[i].at_ms != REVIEW_NO_STAMP) {
            char at[32];
            review_stamp_format(e->causes[i].at_ms, text_is_utf8(), at, sizeof at);
            fprintf(f, ", %s %s", _("at"), at);
        }
        fputc(')', f);
    }
}

static void print_table(FILE *f, const checklist *c, const review_entry *e,
                        const review_entry *hist, size_t nhist)
{
    char t[64];
    fprintf(f, "%-12s ", _("Event"));
    clichk_put_text(f, e->event_id);
    fprintf(f, "\n%-12s %s — ", _("Checklist"), c->id);
    clichk_put_text(f, checklist_title(c->title_en, c->title_ru));
    fprintf(f, "\n%-12s ", _("Revision"));
    if (!e->revision) {
        fprintf(f, "0 (%s)\n", _("nothing saved yet"));
        return;
    }
    fmt_time(e->saved_us, t, sizeof t);
    fprintf(f, "%lld %s, ", (long long)e->revision, _(review_status_name(e->status)));
    clichk_put_text(f, e->reviewer);
    fprintf(f, ", %s\n%-12s ", t, _("Causes"));
    print_causes_line(f, c, e);
    fprintf(f, "\n%-12s ", _("Comment"));
    clichk_put_text(f, e->comment && *e->comment ? e->comment : "-");
    fprintf(f, "\n%-12s %s\n", _("Needs info"), e->needs_info ? _("yes") : _("no"));
    fprintf(f, "%s:\n", _("History"));
    for (size_t i = 0; i < nhist; i++) {
        fmt_time(hist[i].saved_us, t, sizeof t);
        fprintf(f, "  %3lld  %-6s  ", (long long)hist[i].revision,
                _(review_status_name(hist[i].status)));
        clichk_put_text(f, hist[i].reviewer);
        fprintf(f, "  %s  ", t);
        print_causes_line(f, c, &hist[i]);
        if (hist[i].needs_info)
            fprintf(f, "  [%s]", _("needs info"));
        fputc('\n', f);
    }
}

/* ---- the command ---- */

static const checklist *pick_checklist(const review_opts *o, const checklist_set *set, int type,
                                       int polarity, int *status)
{
    *status = 0;
    if (o->checklist) {
        const checklist *c = checklist_find(set, o->checklist);
        if (!c) {
            *status = cliopt_usage_error("review", "no checklist '%s' (known: %s%s)", o->checklist,
                                         set->n ? set->v[0]->id : "none",
                                         set->n > 1 ? ", ..." : "");
            return NULL;
        }
        if (!checklist_applies(c, type, polarity)) {
            *status = cliopt_usage_error("review", "checklist '%s' does not apply to event %s (%s%s%s)",
                                         c->id, o->event_id, event_type_name((event_type)type),
                                         type == EV_RATING ? ", polarity " : "",
                                         type == EV_RATING
                                             ? (polarity == POL_POSITIVE   ? "positive"
                                                : polarity == POL_NEUTRAL  ? "neutral"
                                                : polarity == POL_NEGATIVE ? "negative"
                                                                           : "none")
                                             : "");
            return NULL;
        }
        return c;
    }
    const checklist *c = checklist_for_event(set, type, polarity, -1);
    if (!c)
        *status = cliopt_usage_error("review", "no checklist applies to event %s (a %s)",
                                     o->event_id, event_type_name((event_type)type));
    return c;
}

static int do_show(store *st, const review_opts *o, const checklist *c)
{
    review_entry e;
    review_entry *hist = NULL;
    size_t nhist = 0;
    if (review_get(st, o->event_id, c->id, &e) == REVIEW_ERROR ||
        review_history(st, o->event_id, c->id, &hist, &nhist) != REVIEW_OK) {
        fprintf(stderr, "cxm-console review: %s\n", store_errmsg(st));
        review_entry_clear(&e);
        return EXIT_FAIL;
    }
    if (o->fmt == FMT_JSON)
        print_json(stdout, &e, hist, nhist);
    else
        print_table(stdout, c, &e, hist, nhist);
    review_entry_clear(&e);
    review_history_free(hist, nhist);
    return fflush(stdout) == EOF ? EXIT_FAIL : EXIT_OK;
}

static int do_save(store *st, const review_opts *o, const checklist *c)
{
    for (int i = 0; i < o->ncauses; i++)
        if (checklist_item_index(c, o->causes[i]) < 0)
            return cliopt_usage_error("review", "unknown cause '%s' in checklist '%s'",
                                      o->causes[i], c->id);
    review_entry cur, e;
    if (review_get(st, o->event_id, c->id, &cur) == REVIEW_ERROR) {
        fprintf(stderr, "cxm-console review: %s\n", store_errmsg(st));
        return EXIT_FAIL;
    }
    review_entry_init(&e, o->event_id, c->id);
    int rc = 0;
    /* a cause kept from the current revision keeps where it was heard */
    for (int i = 0; i < o->ncauses && rc == 0; i++) {
        int k = review_entry_has(&cur, o->causes[i]);
        rc = review_entry_toggle(&e, o->causes[i], true,
                                 k >= 0 ? cur.causes[k].at_ms : REVIEW_NO_STAMP);
    }
    if (o->primary)
        review_entry_set_primary(&e, o->primary);
    if (rc == 0)
        rc = review_entry_set_comment(&e, o->comment ? o->comment : cur.comment);
    review_entry_clear(&cur);
    e.status = o->done ? REVIEW_DONE : REVIEW_DRAFT;
    e.needs_info = o->needs_info;
    e.no_cause = o->no_cause;
    review_os_user(e.reviewer, sizeof e.reviewer);
    if (rc != 0) {
        review_entry_clear(&e);
        fputs("cxm-console review: out of memory\n", stderr);
        return EXIT_FAIL;
    }
    review_entry now;
    memset(&now, 0, sizeof now);
    int status = EXIT_OK;
    switch (review_save(st, &e, o->expect, &now)) {
    case REVIEW_OK:
        printf("saved %s revision %lld %s\n", e.event_id, (long long)e.revision,
               review_status_name(e.status));
        status = fflush(stdout) == EOF ? EXIT_FAIL : EXIT_OK;
        break;
    case REVIEW_STALE:
        if (now.revision == 0) {
            fprintf(stderr,
                    "cxm-console review: %s: stale: --expect-revision %lld, but nothing is saved "
                    "yet (current revision 0); nothing changed\n",
                    o->event_id, (long long)o->expect);
        } else {
            char t[64];
            fmt_time(now.saved_us, t, sizeof t);
            fprintf(stderr,
                    "cxm-console review: %s: stale: --expect-revision %lld, but revision %lld "
                    "(%s) was saved by ",
                    o->event_id, (long long)o->expect, (long long)now.revision,
                    review_status_name(now.status));
            clichk_put_text(stderr, now.reviewer);
            fprintf(stderr, " at %s; nothing changed\n", t);
        }
        review_entry_clear(&now);
        status = EXIT_STALE;
        break;
    default:
        fprintf(stderr, "cxm-console review: %s: cannot save: %s\n", o->event_id, store_errmsg(st));
        status = EXIT_FAIL;
    }
    review_entry_clear(&e);
    return status;
}

int cmd_review(int argc, char **argv)
{
    review_opts o;
    i18n_set_lang(i18n_lang_from_env());
    int rc = parse(argc, argv, &o);
    if (rc < 0)
        return EXIT_OK; /* --help */
    if (rc)
        return rc;
    checklist_set set;
    if ((rc = clichk_load("review", &set)) != 0) {
        checklist_set_free(&set);
        return rc;
    }
    cxm_config cfg;
    store *st = NULL;
    if ((rc = clichk_open("review", o.db, o.config, &cfg, &st)) == 0) {
        int type = 0, polarity = 0;
        int64_t ts = 0;
        int ev = review_event(st, o.event_id, &type, &polarity, &ts);
        if (ev == REVIEW_NONE) {
            fprintf(stderr, "cxm-console review: no event '");
            clichk_put_text(stderr, o.event_id);
            fprintf(stderr, "' in %s\n", store_path(st));
            rc = EXIT_FAIL;
        } else if (ev != REVIEW_OK) {
            fprintf(stderr, "cxm-console review: %s\n", store_errmsg(st));
            rc = EXIT_FAIL;
        } else {
            const checklist *c = pick_checklist(&o, &set, type, polarity, &rc);
            if (c)
                rc = o.show ? do_show(st, &o, c) : do_save(st, &o, c);
        }
    }
    store_close(st);
    config_free(&cfg);
    checklist_set_free(&set);
    return rc;
}
