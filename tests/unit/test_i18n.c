/* The catalogue: language selection, lookup, and coverage — every string
 * marked with _("...") or N_("...") in ui/ has a Russian entry. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/i18n.h"

static void test_lang_env(void **state)
{
    (void)state;
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    setenv("LANG", "ru_RU.UTF-8", 1);
    assert_int_equal(i18n_lang_from_env(), LANG_RU);
    setenv("LC_MESSAGES", "en_US.UTF-8", 1);
    assert_int_equal(i18n_lang_from_env(), LANG_EN);
    setenv("LC_ALL", "ru_UA.UTF-8", 1);
    assert_int_equal(i18n_lang_from_env(), LANG_RU);
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    setenv("LANG", "C.UTF-8", 1);
    assert_int_equal(i18n_lang_from_env(), LANG_EN);
    assert_int_equal(i18n_lang_parse("ru"), LANG_RU);
    assert_int_equal(i18n_lang_parse("en"), LANG_EN);
    assert_int_equal(i18n_lang_parse("de"), -1);
}

static void test_lookup(void **state)
{
    (void)state;
    i18n_set_lang(LANG_EN);
    assert_string_equal(_("Dashboard"), "Dashboard");
    i18n_set_lang(LANG_RU);
    assert_string_equal(_("Dashboard"), "Панель");
    assert_string_equal(_("no such string in the catalogue"), "no such string in the catalogue");
    assert_string_equal(i18n_pick("a", "б"), "б");
    i18n_set_lang(LANG_EN);
    assert_string_equal(i18n_pick("a", "б"), "a");
}

/* Finds every _("...") / N_("...") literal in a file (adjacent literals are
 * not used in ui/, so one literal per call). */
static int check_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    int missing = 0;
    for (char *p = buf; (p = strstr(p, "_(\"")); p += 3) {
        if (p > buf && (p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= 'A' && p[-1] <= 'Z')) && p[-1] != 'N')
            continue;
        char s[512];
        size_t k = 0;
        char *q = p + 3;
        while (*q && *q != '"' && k < sizeof s - 1) {
            if (*q == '\\' && q[1]) {
                q++;
                s[k++] = *q == 'n' ? '\n' : *q;
            } else {
                s[k++] = *q;
            }
            q++;
        }
        s[k] = '\0';
        if (!i18n_has(s)) {
            fprintf(stderr, "%s: no Russian for \"%s\"\n", path, s);
            missing++;
        }
    }
    return missing;
}

static void test_ui_strings_translated(void **state)
{
    (void)state;
    const char *src = getenv("CXM_SRC");
    if (!src)
        skip();
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/ui", src);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    int missing = 0, files = 0;
    while ((de = readdir(d))) {
        size_t l = strlen(de->d_name);
        if (l < 3 || strcmp(de->d_name + l - 2, ".c"))
            continue;
        char path[4400];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        missing += check_file(path);
        files++;
    }
    closedir(d);
    assert_true(files > 0);
    assert_int_equal(missing, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_env),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_ui_strings_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
