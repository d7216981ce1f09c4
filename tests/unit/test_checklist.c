/* Checklist definitions: the shipped files are valid and as the issue asks;
 * every validation error names the file, the JSON path and the problem; a
 * bad file is skipped while the others load; a user's file overrides a
 * shipped one; applies_to; and the Pareto arithmetic on hand-made counts
 * (ties, the exact 80 % boundary). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/causes.h"
#include "cxm/checklist.h"
#include "cxm/event.h"
#include "store_fixture.h"

static const char *src_dir(void)
{
    const char *s = getenv("CXM_SRC");
    return s && *s ? s : ".";
}

static void load_shipped(checklist_set *set)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/data/checklists", src_dir());
    const char *dirs[] = {dir, NULL};
    assert_int_equal(checklist_load_dirs(set, dirs), 0);
}

static void test_shipped(void **state)
{
    (void)state;
    checklist_set set;
    load_shipped(&set);
    for (size_t i = 0; i < set.nerrors; i++)
        fprintf(stderr, "%s\n", set.errors[i]);
    assert_int_equal(set.nerrors, 0);
    const checklist *d = checklist_find(&set, "dissatisfaction");
    const checklist *g = checklist_find(&set, "delight");
    assert_non_null(d);
    assert_non_null(g);
    assert_int_equal(d->purpose, CK_DISSATISFACTION);
    assert_int_equal(g->purpose, CK_DELIGHT);
    int staff = 0, other = 0;
    for (int i = 0; i < d->nitems; i++) {
        if (d->sections[d->items[i].section].staff_related)
            staff++;
        else
            other++;
        assert_true(d->items[i].title_ru[0] && d->items[i].title_en[0]);
    }
    assert_true(staff >= 4);
    assert_true(other >= 6);
    const char *want[] = {"staff", "process", "product", "environment", "other"};
    assert_int_equal(d->nsections, 5);
    for (int i = 0; i < 5; i++)
        assert_string_equal(d->sections[i].id, want[i]);
    assert_true(d->sections[0].staff_related);
    assert_true(checklist_item_index(d, "staff.rude") >= 0);
    assert_true(checklist_item_index(d, "process.it_failure") >= 0);
    /* what applies to what */
    assert_true(checklist_applies(d, EV_RATING, POL_NEGATIVE));
    assert_true(checklist_applies(d, EV_RATING, POL_NEUTRAL));
    assert_false(checklist_applies(d, EV_RATING, POL_POSITIVE));
    assert_true(checklist_applies(d, EV_RED_BUTTON, POL_NONE));
    assert_true(checklist_applies(d, EV_FORCE_MAJEURE, POL_NONE));
    assert_false(checklist_applies(d, EV_ARRIVAL, POL_NONE));
    assert_true(checklist_applies(g, EV_RATING, POL_POSITIVE));
    assert_false(checklist_applies(g, EV_RED_BUTTON, POL_NONE));
    assert_ptr_equal(checklist_for_event(&set, EV_RATING, POL_POSITIVE, -1), g);
    assert_ptr_equal(checklist_for_event(&set, EV_RATING, POL_NEGATIVE, -1), d);
    assert_null(checklist_for_event(&set, EV_SILENT, POL_NONE, -1));
    checklist_set_free(&set);
}

static const char GOOD[] =
    "{\"id\": \"t\", \"purpose\": \"dissatisfaction\", \"title\": {\"ru\": \"Т\", \"en\": \"T\"},"
    " \"applies_to\": [\"red_button\"], \"sections\": [{\"id\": \"a\", \"staff_related\": true,"
    " \"title\": {\"ru\": \"А\", \"en\": \"A\"}, \"items\": [{\"id\": \"a.x\", \"title\": {\"ru\":"
    " \"Х\", \"en\": \"X\"}}, {\"id\": \"a.y\", \"title\": {\"ru\": \"У\", \"en\": \"Y\"}}]},"
    " {\"id\": \"b\", \"title\": {\"ru\": \"Б\", \"en\": \"B\"}, \"items\": [{\"id\": \"b.z\","
    " \"title\": {\"ru\": \"З\", \"en\": \"Z\"}}]}], \"extra\": 1}";

/* Replaces the first occurrence of `from` in GOOD with `to` and expects the
 * error to be exactly `want`. */
static void expect_error(const char *from, const char *to, const char *want)
{
    char buf[4096];
    const char *at = strstr(GOOD, from);
    assert_non_null(at);
    snprintf(buf, sizeof buf, "%.*s%s%s", (int)(at - GOOD), GOOD, to, at + strlen(from));
    checklist *c = NULL;
    char err[512] = "";
    assert_int_equal(checklist_parse(buf, strlen(buf), "f.json", &c, err, sizeof err), -1);
    assert_null(c);
    if (strcmp(err, want)) {
        fprintf(stderr, "got  '%s'\nwant '%s'\n", err, want);
        fail();
    }
}

static void test_parse_good(void **state)
{
    (void)state;
    checklist *c = NULL;
    char err[256];
    assert_int_equal(checklist_parse(GOOD, strlen(GOOD), "f", &c, err, sizeof err), 0);
    assert_string_equal(c->id, "t");
    assert_int_equal(c->nsections, 2);
    assert_int_equal(c->nitems, 3);
    assert_int_equal(c->sections[1].first, 2);
    assert_int_equal(c->sections[1].count, 1);
    assert_false(c->sections[1].staff_related); /* optional, false by default */
    assert_int_equal(c->items[2].section, 1);
    assert_true(c->field_comment && c->field_needs_info);
    assert_string_equal(c->title_ru, "Т");
    checklist_free(c);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_error("{\"id\": \"t\",", "{", "f.json: $.id: missing");
    expect_error("\"id\": \"t\"", "\"id\": \"a b\"",
                 "f.json: $.id: must be 1-64 characters of A-Z a-z 0-9 _ . -");
    expect_error("\"dissatisfaction\"", "\"anger\"",
                 "f.json: $.purpose: must be \"dissatisfaction\" or \"delight\"");
    expect_error("\"en\": \"T\"}", "\"en\": \"\"}", "f.json: $.title.en: must not be empty");
    expect_error("{\"ru\": \"Т\", \"en\": \"T\"}", "\"T\"",
                 "f.json: $.title: must be an object {\"ru\": ..., \"en\": ...}");
    expect_error("[\"red_button\"]", "[\"red_button\", \"rating:angry\"]",
                 "f.json: $.applies_to[1]: unknown; expected rating:negative, rating:neutral, "
                 "rating:positive, rating, silent, arrival, red_button or force_majeure");
    expect_error("[\"red_button\"]", "[]",
                 "f.json: $.applies_to: must be a non-empty array such as "
                 "[\"rating:negative\", \"red_button\"]");
    expect_error("\"staff_related\": true", "\"staff_related\": 1",
                 "f.json: $.sections[0].staff_related: must be true or false");
    expect_error("\"b.z\"", "\"a.x\"", "f.json: $.sections[1].items[0].id: duplicate item id 'a.x'");
    expect_error("{\"id\": \"b\",", "{\"id\": \"a\",", "f.json: $.sections[1].id: duplicate section id 'a'");
    expect_error("\"У\", \"en\": \"Y\"", "\"У\"", "f.json: $.sections[0].items[1].title.en: missing");
    expect_error("\"sections\"", "\"section\"", "f.json: $.sections: missing");
    expect_error("\"items\": [{\"id\": \"b.z\", \"title\": {\"ru\": \"З\", \"en\": \"Z\"}}]",
                 "\"items\": []", "f.json: $.sections[1].items: must be a non-empty array of items");
    expect_error("\"extra\": 1}", "\"extra\": 1", "f.json: $: not valid JSON (near byte 415)");
    expect_error("\"extra\": 1}", "\"extra\": 1} {}", "f.json: $: text after the JSON object (byte 418)");
    expect_error("\"Х\"", "\"\\u0000\"", "f.json: $.sections[0].items[0].title.ru: must not be empty");
    expect_error("\"Х\"", "\"\xff\"", "f.json: $.sections[0].items[0].title.ru: not valid UTF-8");
}

static void write_file(const char *dir, const char *name, const char *text)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_dirs_override_and_skip(void **state)
{
    (void)state;
    char tmp[512], shipped[600], user[600];
    fx_tmpdir(tmp, sizeof tmp);
    snprintf(shipped, sizeof shipped, "%s/shipped", tmp);
    snprintf(user, sizeof user, "%s/user", tmp);
    assert_int_equal(mkdir(shipped, 0700), 0);
    assert_int_equal(mkdir(user, 0700), 0);
    write_file(shipped, "t.json", GOOD);
    /* the user's copy of "t" with another title replaces the shipped one */
    char over[sizeof GOOD + 16];
    snprintf(over, sizeof over, "%s", GOOD);
    char *t = strstr(over, "\"en\": \"T\"");
    t[7] = 'U';
    write_file(user, "t.json", over);
    write_file(user, "bad.json", "{\"id\": \"bad\", \"purpose\": 3}");
    write_file(user, "notjson.txt", "ignored");
    const char *dirs[] = {shipped, user, tmp /* no definitions here */, NULL};
    checklist_set set;
    assert_int_equal(checklist_load_dirs(&set, dirs), 0);
    assert_int_equal(set.n, 1);
    assert_string_equal(set.v[0]->title_en, "U");
    assert_int_equal(set.nerrors, 1);
    char want[1024];
    snprintf(want, sizeof want,
             "%s/bad.json: $.purpose: must be \"dissatisfaction\" or \"delight\"", user);
    assert_string_equal(set.errors[0], want);
    checklist_set_free(&set);
    /* an absent directory is no error */
    const char *none[] = {"/nonexistent/cxm", NULL};
    assert_int_equal(checklist_load_dirs(&set, none), 0);
    assert_int_equal(set.n + set.nerrors, 0);
    checklist_set_free(&set);
    fx_rmdir(tmp);
}

static void test_default_dirs_env(void **state)
{
    (void)state;
    setenv("CXM_CHECKLISTS_DIR", "/some/where", 1);
    setenv("XDG_CONFIG_HOME", "/cfg", 1);
    char **d = checklist_default_dirs();
    assert_string_equal(d[0], "/some/where");
    assert_string_equal(d[1], "/cfg/cxm-console/checklists");
    assert_null(d[2]);
    checklist_dirs_free(d);
    unsetenv("CXM_CHECKLISTS_DIR");
    /* the uninstalled build finds the source tree's definitions */
    checklist_set set;
    assert_int_equal(checklist_load_default(&set), 0);
    assert_non_null(checklist_find(&set, "dissatisfaction"));
    checklist_set_free(&set);
}

static causes_cause mk(const char *id, int item, int64_t n)
{
    causes_cause c;
    memset(&c, 0, sizeof c);
    snprintf(c.id, sizeof c.id, "%s", id);
    c.item = item;
    c.count = n;
    return c;
}

static void test_pareto(void **state)
{
    (void)state;
    /* 4 4 2 of 10, given out of order; the tie goes by definition order
     * (item 1 before item 5, although "z" sorts after "a") */
    causes_cause v[] = {mk("c", 9, 2), mk("z", 1, 4), mk("a", 5, 4)};
    assert_int_equal(causes_pareto(v, 3), 10);
    assert_string_equal(v[0].id, "z");
    assert_string_equal(v[1].id, "a");
    assert_string_equal(v[2].id, "c");
    assert_true(v[0].bottleneck);
    assert_true(v[1].bottleneck);
    assert_false(v[2].bottleneck); /* exactly 0.8 before it */
    assert_true(v[0].share == 0.4 && v[1].cumulative == 0.8 && v[2].cumulative == 1.0);
    /* 0.7 + 0.1: the float sum is 0.7999...; the integer test is exact */
    causes_cause w[] = {mk("a", 0, 7), mk("b", 1, 1), mk("c", 2, 1), mk("d", 3, 1)};
    causes_pareto(w, 4);
    assert_true(w[0].bottleneck && w[1].bottleneck);
    assert_false(w[2].bottleneck);
    /* unknown items (no longer in the definition) go after, by id */
    causes_cause u[] = {mk("y", -1, 1), mk("x", -1, 1), mk("b", 7, 1)};
    causes_pareto(u, 3);
    assert_string_equal(u[0].id, "b");
    assert_string_equal(u[1].id, "x");
    assert_string_equal(u[2].id, "y");
    /* one cause is always a bottleneck; nothing is no crash */
    causes_cause one[] = {mk("a", 0, 3)};
    causes_pareto(one, 1);
    assert_true(one[0].bottleneck && one[0].share == 1.0);
    assert_int_equal(causes_pareto(NULL, 0), 0);
    assert_int_equal(causes_by_from_name("desk"), CAUSES_BY_DESK);
    assert_int_equal(causes_by_from_name("week"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shipped),          cmocka_unit_test(test_parse_good),
        cmocka_unit_test(test_parse_errors),     cmocka_unit_test(test_dirs_override_and_skip),
        cmocka_unit_test(test_default_dirs_env), cmocka_unit_test(test_pareto),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
