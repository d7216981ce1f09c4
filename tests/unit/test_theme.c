/* Theme files: the shipped ones parse, default.theme says what the built-in
 * says, errors name FILE:LINE and leave the theme untouched, fallbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/theme.h"

static const char *src_dir(void)
{
    const char *s = getenv("CXM_SRC");
    return s && *s ? s : ".";
}

static void test_default_file_matches_builtin(void **state)
{
    (void)state;
    theme b, f;
    theme_builtin(&b);
    /* Start the file from a blank slate with the same mono defaults. */
    theme_builtin(&f);
    for (int i = 0; i < TH_COUNT; i++) {
        for (int d = 0; d < 3; d++)
            f.st[i].fg[d] = f.st[i].bg[d] = 99;
        f.st[i].attrs = 0xFFFF;
    }
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/themes/default.theme", src_dir());
    assert_int_equal(theme_load_file(&f, path, err, sizeof err), 0);
    for (int i = 0; i < TH_COUNT; i++) {
        assert_memory_equal(b.st[i].fg, f.st[i].fg, sizeof b.st[i].fg);
        assert_memory_equal(b.st[i].bg, f.st[i].bg, sizeof b.st[i].bg);
        assert_int_equal(b.st[i].attrs, f.st[i].attrs);
        assert_int_equal(b.st[i].extra8, f.st[i].extra8);
    }
    assert_string_equal(f.name, "default");
}

static void test_shipped_themes_parse(void **state)
{
    (void)state;
    static const char *const names[] = {"default", "light", "sixteen", "mono", "high-contrast"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *dirs[] = {NULL, NULL};
        char dir[4096], err[512];
        snprintf(dir, sizeof dir, "%s/themes", src_dir());
        dirs[0] = dir;
        setenv("XDG_CONFIG_HOME", "/nonexistent-cxm", 1);
        char *p = theme_find(names[i], dirs);
        assert_non_null(p);
        theme t;
        theme_builtin(&t);
        if (theme_load_file(&t, p, err, sizeof err) != 0)
            fail_msg("%s", err);
        free(p);
    }
    /* theme_list sees all five. */
    const char *dirs[] = {NULL, NULL};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/themes", src_dir());
    dirs[0] = dir;
    char **names_out;
    size_t n;
    assert_int_equal(theme_list(dirs, &names_out, &n), 0);
    assert_true(n >= 5);
    theme_list_free(names_out, n);
}

static void test_errors_name_line(void **state)
{
    (void)state;
    theme t, before;
    theme_builtin(&t);
    before = t;
    char err[256];
    const char *text = "# comment\nheader = red default\nrow = chartreuse default\n";
    assert_int_equal(theme_parse(&t, text, strlen(text), "my.theme", err, sizeof err), -1);
    assert_non_null(strstr(err, "my.theme:3:"));
    assert_non_null(strstr(err, "chartreuse"));
    /* Untouched, even the line that was fine. */
    assert_memory_equal(&t, &before, sizeof t);

    const char *cases[] = {"nosuch = red blue\n", "row = red\n",       "row red blue\n",
                           "row = 256 blue\n",    "row = red blue shiny\n", "row = 9/200 blue\n",
                           "row = red/blue/green/cyan default\n", "row = red blue mono:sparkly\n"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        err[0] = '\0';
        assert_int_equal(theme_parse(&t, cases[i], strlen(cases[i]), "x", err, sizeof err), -1);
        assert_non_null(strstr(err, "x:1:"));
    }
}

static void test_fallbacks(void **state)
{
    (void)state;
    theme t;
    theme_builtin(&t);
    char err[128];
    const char *text = "row = 196 bright-blue bold\nheader = 208/bright-yellow/yellow default\n"
                       "dim = bright-red default mono:dim,underline\n";
    assert_int_equal(theme_parse(&t, text, strlen(text), "t", err, sizeof err), 0);
    /* 196 is pure red: nearest of the 16 is bright red (9), 8-colour red + bold. */
    assert_int_equal(t.st[TH_ROW].fg[0], 196);
    assert_int_equal(t.st[TH_ROW].fg[1], 9);
    assert_int_equal(t.st[TH_ROW].fg[2], 1);
    assert_int_equal(t.st[TH_ROW].extra8, THA_BOLD);
    assert_int_equal(t.st[TH_ROW].bg[1], 12);
    assert_int_equal(t.st[TH_ROW].bg[2], 4);
    assert_int_equal(t.st[TH_ROW].attrs, THA_BOLD);
    assert_int_equal(t.st[TH_HEADER].fg[0], 208);
    assert_int_equal(t.st[TH_HEADER].fg[1], 11);
    assert_int_equal(t.st[TH_HEADER].fg[2], 3);
    assert_int_equal(t.st[TH_HEADER].bg[0], THEME_DEFAULT_COLOR);
    assert_int_equal(t.st[TH_DIM].mono, THA_DIM | THA_UNDERLINE);
    /* Every element has a name that maps back. */
    for (int i = 0; i < TH_COUNT; i++)
        assert_int_equal(theme_el_from_name(theme_el_name(i)), i);
}

static void test_find_user_dir_first(void **state)
{
    (void)state;
    char tmp[] = "/tmp/cxm-theme-XXXXXX";
    assert_non_null(mkdtemp(tmp));
    char dir[256], file[300];
    snprintf(dir, sizeof dir, "%s/cxm-console", tmp);
    mkdir(dir, 0700);
    snprintf(dir, sizeof dir, "%s/cxm-console/themes", tmp);
    mkdir(dir, 0700);
    snprintf(file, sizeof file, "%s/default.theme", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("row = red default\n", f);
    fclose(f);
    setenv("XDG_CONFIG_HOME", tmp, 1);
    char sd[4096];
    snprintf(sd, sizeof sd, "%s/themes", src_dir());
    const char *dirs[] = {sd, NULL};
    char *p = theme_find("default", dirs);
    assert_non_null(p);
    assert_string_equal(p, file);
    free(p);
    assert_null(theme_find("../etc/passwd", NULL) ? (void *)1 : NULL);
    assert_null(theme_find("no-such-theme", dirs));
    unlink(file);
    rmdir(dir);
    snprintf(dir, sizeof dir, "%s/cxm-console", tmp);
    rmdir(dir);
    rmdir(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_file_matches_builtin),
        cmocka_unit_test(test_shipped_themes_parse),
        cmocka_unit_test(test_errors_name_line),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_find_user_dir_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
