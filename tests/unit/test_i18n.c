/* The catalogue: language selection, lookup, and coverage — every string
 * marked with _("...") or N_("...") in ui/ has a Russian entry. */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
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

/* One English key, one Russian: a key two parts translate differently
 * would be looked up as either ("done" was both a finished feed and a done
 * review, and `review` printed whichever the sort put first). */
static void test_no_conflicting_keys(void **state)
{
    (void)state;
    const char *c = i18n_conflict();
    if (c)
        fprintf(stderr, "two different Russian texts for \"%s\"\n", c);
    assert_null(c);
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

/* Reads the C string literal(s) at p (adjacent ones joined, as the compiler
 * does) into out; returns the position after them, or NULL if p is not one. */
static const char *read_literal(const char *p, char *out, size_t cap)
{
    size_t k = 0;
    bool any = false;
    for (;;) {
        while (*p == ' ' || *p == '\n' || *p == '\t')
            p++;
        if (*p != '"')
            break;
        any = true;
        for (p++; *p && *p != '"'; p++) {
            char c = *p;
            if (c == '\\' && p[1]) {
                p++;
                c = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
            }
            if (k < cap - 1)
                out[k++] = c;
        }
        if (*p == '"')
            p++;
    }
    out[k] = '\0';
    return any ? p : NULL;
}

/* Whether a format has words to translate: "%s" alone has none. */
static int has_words(const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '%') { /* skip the conversion: flags, width, length, letter */
            p++;
            while (*p && strchr("-+ #0123456789.*hlzjtL", *p))
                p++;
            if (!*p)
                break;
            continue;
        }
        if (isalpha((unsigned char)*p))
            return 1;
    }
    return 0;
}

/* The CLI's messages: _("...") and the message argument of
 * cliopt_usage_error(CMD, "...") / cli_error(CMD, "..."), which translate it, and a
 * command's own usage("...") helper (review), which passes it on to them. */
static int check_cli_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    int missing = 0;
    static const char *const calls[] = {"cliopt_usage_error(", "cli_error(", "_(", "usage("};
    for (size_t c = 0; c < sizeof calls / sizeof calls[0]; c++) {
        size_t cl = strlen(calls[c]);
        for (const char *p = buf; (p = strstr(p, calls[c])); p += cl) {
            if (p > buf && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue; /* another name ending the same way (N_ is checked as "_(") */
            const char *q = p + cl;
            if (c < 2) { /* skip the command argument */
                int depth = 0;
                while (*q && !(depth == 0 && (*q == ',' || *q == ')'))) {
                    depth += *q == '(' ? 1 : *q == ')' ? -1 : 0;
                    q++;
                }
                if (*q != ',')
                    continue; /* the declaration or a call without a message */
                q++;
            }
            char s[1024];
            if (!read_literal(q, s, sizeof s))
                continue; /* not a literal (a variable: checked where it is written) */
            if (has_words(s) && !i18n_has(s)) {
                fprintf(stderr, "%s: no Russian for \"%s\"\n", path, s);
                missing++;
            }
        }
    }
    return missing;
}

/* An error text written into the caller's buffer with a bare literal reaches
 * the user in English whatever the language: it must go through _().
 * event_parse's reasons (why, whylen) are among these: import prints them. */
static int check_bare_errors(const char *path, const char *buf)
{
    static const char *const bare[] = {"snprintf(err, errlen, \"", "snprintf(err, cap, \"",
                                       "snprintf(why, cap, \"", "snprintf(why, whylen, \""};
    int found = 0;
    for (size_t c = 0; c < sizeof bare / sizeof bare[0]; c++) {
        size_t cl = strlen(bare[c]);
        for (const char *p = buf; (p = strstr(p, bare[c])); p += cl) {
            if (p > buf && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
                continue;
            char s[1024];
            if (!read_literal(p + cl - 1, s, sizeof s) || !has_words(s))
                continue; /* "%s" and the like carry no words */
            fprintf(stderr, "%s: error text not wrapped in _(): \"%s\"\n", path, s);
            found++;
        }
    }
    return found;
}

static int scan_file(const char *path)
{
    int missing = check_cli_file(path);
    FILE *f = fopen(path, "r");
    if (!f)
        return missing;
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return missing + check_bare_errors(path, buf);
}

/* Every .c file of the folders whose messages reach the user (the CLI and
 * the modules whose error texts it prints). */
static void test_cli_strings_translated(void **state)
{
    (void)state;
    const char *src = getenv("CXM_SRC");
    if (!src)
        skip();
    static const char *const scan_dirs[] = {"src/core", "src/feed", "src/app", "src/audio", "src/store"};
    int missing = 0, files = 0;
    for (size_t i = 0; i < sizeof scan_dirs / sizeof scan_dirs[0]; i++) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/%s", src, scan_dirs[i]);
        DIR *d = opendir(dir);
        assert_non_null(d);
        struct dirent *de;
        while ((de = readdir(d))) {
            size_t l = strlen(de->d_name);
            if (l < 3 || strcmp(de->d_name + l - 2, ".c"))
                continue;
            char path[4400];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            missing += scan_file(path);
            files++;
        }
        closedir(d);
    }
    assert_true(files > 0);
    assert_int_equal(missing, 0);
    /* a message is found through the language set by main() */
    i18n_set_lang(LANG_RU);
    assert_string_equal(_("no alerts"), "тревог нет");
    /* an error text from the core (config) and from a feed (http) */
    assert_string_equal(_("unknown key '%s' in [%s]"), "неизвестный ключ '%s' в [%s]");
    assert_string_equal(_("cloud feed %s: must be https:// (TLS is always verified)"),
                        "облачный поток %s: нужен https:// (TLS проверяется всегда)");
    i18n_set_lang(LANG_EN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_env),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_no_conflicting_keys),
        cmocka_unit_test(test_ui_strings_translated),
        cmocka_unit_test(test_cli_strings_translated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
