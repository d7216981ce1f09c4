/* The table's export and sort mark on a headless curses screen: every row
 * of the shown columns goes to a new CSV file through the one CSV writer
 * (numbers as numbers, a decimal comma for Excel in Russian, formulas
 * neutralised, no overwrite), and a narrow sorted column keeps its mark with
 * as much of its title as fits. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/i18n.h"
#include "cxm/text.h"
#include "table.h"
#include "uitheme.h"

static bool cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    (void)ud;
    (void)el;
    static const char *const names[] = {"Анна Петрова", "=HYPERLINK(\"http://x\")", "Bob; \"Jr\""};
    if (col == 0)
        snprintf(buf, cap, "%s", names[row % 3]);
    else if (col == 1)
        snprintf(buf, cap, "%.1f", 50.0 + (double)row + 0.5);
    else
        snprintf(buf, cap, "%zu%%", row);
    return true;
}

static void on_sort(void *ud, int col, bool desc)
{
    (void)ud;
    (void)col;
    (void)desc;
}

static const ui_table_ops ops = {NULL, cell, NULL, on_sort};
static const ui_column cols[] = {
    {"Name", 0, 8, false, 0}, {"Ratings", 7, 0, true, 0}, {"Share", 6, 0, true, 0}};

static SCREEN *scr;
static FILE *out, *in;
static char dir[256];

static int setup(void **state)
{
    (void)state;
    setlocale(LC_ALL, "C.UTF-8");
    text_init();
    out = fopen("/dev/null", "w");
    in = fopen("/dev/null", "r");
    scr = newterm("xterm-256color", out, in);
    if (!scr)
        return -1;
    set_term(scr);
    ui_theme_init();
    theme t;
    theme_builtin(&t);
    ui_theme_apply(&t);
    snprintf(dir, sizeof dir, "%s/cxm-export-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    setenv("CXM_EXPORT_DIR", dir, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return -1;
    return 0;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_export(void **state)
{
    (void)state;
    ui_table t;
    ui_table_init(&t, cols, 3, &ops, NULL);
    ui_table_set_rows(&t, 4);
    char path[4200], first[4200];
    size_t n = 0;
    i18n_set_lang(LANG_EN);
    assert_int_equal(ui_table_export(&t, false, path, sizeof path, &n), 0);
    assert_int_equal(n, 4);
    snprintf(first, sizeof first, "%s", path);
    assert_non_null(strstr(path, "/cxm-table-"));
    const char *s = slurp(path);
    assert_non_null(strstr(s, "Name,Ratings,Share\r\n"));
    assert_non_null(strstr(s, "Анна Петрова,50.5,0%\r\n"));
    assert_non_null(strstr(s, "'=HYPERLINK")); /* neutralised */
    assert_non_null(strstr(s, "\"Bob; \"\"Jr\"\"\""));
    /* Excel in Russian: BOM, ';' and a decimal comma; a second file, not the first overwritten */
    i18n_set_lang(LANG_RU);
    assert_int_equal(ui_table_export(&t, true, path, sizeof path, &n), 0);
    i18n_set_lang(LANG_EN);
    assert_string_not_equal(path, first);
    s = slurp(path);
    assert_memory_equal(s, "\xEF\xBB\xBF", 3);
    assert_non_null(strstr(s, "Анна Петрова;50,5;0%\r\n"));
    /* No owner: the key is left to the view. */
    assert_int_equal(ui_table_action(&t, ACT_EXPORT_CSV), UI_IGNORED);
    /* A directory that cannot be written: an error with errno, no file. */
    setenv("CXM_EXPORT_DIR", "/nonexistent/dir", 1);
    assert_int_equal(ui_table_export(&t, false, path, sizeof path, &n), -1);
    setenv("CXM_EXPORT_DIR", dir, 1);
}

static void line0(WINDOW *w, char *buf, size_t cap)
{
    size_t n = 0;
    for (int x = 0; x < getmaxx(w) && n + 8 < cap; x++) {
        cchar_t cc;
        wchar_t wc[CCHARW_MAX + 1];
        attr_t a;
        short p;
        if (mvwin_wch(w, 0, x, &cc) == ERR)
            break;
        getcchar(&cc, wc, &a, &p, NULL);
        if (wc[0] == 0)
            continue;
        char mb[16];
        int k = (int)wcrtomb(mb, wc[0], &(mbstate_t){0});
        if (k > 0) {
            memcpy(buf + n, mb, (size_t)k);
            n += (size_t)k;
        }
    }
    buf[n] = '\0';
}

static void test_narrow_sorted_title(void **state)
{
    (void)state;
    ui_table t;
    ui_table_init(&t, cols, 3, &ops, NULL);
    ui_table_set_rows(&t, 2);
    WINDOW *w = newwin(4, 40, 0, 0);
    ui_table_draw(&t, w, 0, 0, 4, 40);
    ui_table_action(&t, ACT_SORT_NEXT);
    ui_table_action(&t, ACT_SORT_NEXT); /* Ratings, 7 columns wide */
    ui_table_action(&t, ACT_SORT_REVERSE);
    ui_table_draw(&t, w, 0, 0, 4, 40);
    char buf[512];
    line0(w, buf, sizeof buf);
    /* the sorted column widens: the whole title beside the mark */
    assert_non_null(strstr(buf, "Ratings▼"));
    assert_null(strstr(buf, "Ratin…"));
    delwin(w);
}

int main(void)
{
    if (setup(NULL) != 0) {
        fprintf(stderr, "no terminfo for xterm-256color\n");
        return 77;
    }
    teardown(NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_narrow_sorted_title),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
