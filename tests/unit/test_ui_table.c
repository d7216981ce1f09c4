/* The virtual table widget on a headless curses screen (newterm on
 * /dev/null): only visible rows are asked for, the selection scrolls into
 * view, widths are columns (Cyrillic lines up), narrow tables drop columns,
 * sort keys call back, and cell text is sanitized. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/text.h"
#include "table.h"
#include "uitheme.h"

typedef struct {
    size_t asked_min, asked_max, prefetch_first, prefetch_count;
    int sorted_col;
    bool sorted_desc;
    int calls;
} model;

static bool cell(void *ud, size_t row, int col, char *buf, size_t cap, ui_el *el)
{
    model *m = ud;
    (void)el;
    if (row < m->asked_min)
        m->asked_min = row;
    if (row > m->asked_max)
        m->asked_max = row;
    if (col == 0)
        snprintf(buf, cap, "%zu", row);
    else if (col == 1)
        snprintf(buf, cap, row % 2 ? "Анна Петрова" : "Bob \033]0;x\a");
    else
        snprintf(buf, cap, "%d", (int)(row * 7 % 100));
    return true;
}

static void prefetch(void *ud, size_t first, size_t count)
{
    model *m = ud;
    m->prefetch_first = first;
    m->prefetch_count = count;
}

static void on_sort(void *ud, int col, bool desc)
{
    model *m = ud;
    m->sorted_col = col;
    m->sorted_desc = desc;
    m->calls++;
}

static const ui_table_ops ops = {prefetch, cell, NULL, on_sort};
static const ui_column cols[] = {
    {"Row", 6, 0, true, 0}, {"Name", 0, 8, false, 0}, {"Score", 5, 0, true, 60}};

static SCREEN *scr;
static FILE *out, *in;

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
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    return 0;
}

static void line(WINDOW *w, int y, char *buf, size_t cap)
{
    /* The characters on screen, as UTF-8. */
    int width = getmaxx(w);
    size_t n = 0;
    buf[0] = '\0';
    for (int x = 0; x < width && n + 8 < cap; x++) {
        cchar_t cc;
        wchar_t wc[CCHARW_MAX + 1];
        attr_t a;
        short p;
        if (mvwin_wch(w, y, x, &cc) == ERR)
            break;
        getcchar(&cc, wc, &a, &p, NULL);
        if (wc[0] == 0)
            continue; /* the right half of a wide character */
        char mb[16];
        int k = (int)wcrtomb(mb, wc[0], &(mbstate_t){0});
        if (k > 0) {
            memcpy(buf + n, mb, (size_t)k);
            n += (size_t)k;
        }
    }
    while (n && buf[n - 1] == ' ')
        n--;
    buf[n] = '\0';
}

static void test_virtual_rows_and_scroll(void **state)
{
    (void)state;
    model m = {SIZE_MAX, 0, 0, 0, -1, false, 0};
    ui_table t;
    ui_table_init(&t, cols, 3, &ops, &m);
    ui_table_set_rows(&t, 5000000);
    WINDOW *w = newwin(11, 80, 0, 0);
    ui_table_draw(&t, w, 0, 0, 11, 80);
    /* A header and 10 rows: only rows 0..9 were asked for. */
    assert_int_equal(m.asked_min, 0);
    assert_int_equal(m.asked_max, 9);
    assert_int_equal(m.prefetch_first, 0);
    assert_int_equal(m.prefetch_count, 10);
    char buf[1024];
    line(w, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "Row"));
    assert_non_null(strstr(buf, "Name"));
    assert_non_null(strstr(buf, "Score"));
    /* Escape sequences from data are visible, never raw. */
    line(w, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "Bob ^[]0;x^G"));
    /* Cyrillic: the Score column starts at the same column on every row. */
    line(w, 2, buf, sizeof buf);
    assert_non_null(strstr(buf, "Анна Петрова"));
    int x0 = t.widths[0] + 1 + t.widths[1] + 1; /* where Score starts */
    assert_int_equal(x0 + t.widths[2], 80);
    assert_int_equal(mvwinch(w, 2, x0 + 4) & A_CHARTEXT, '7'); /* row 1: 7, after Cyrillic */
    assert_int_equal(mvwinch(w, 3, x0 + 3) & A_CHARTEXT, '1'); /* row 2: 14 */
    assert_int_equal(mvwinch(w, 3, x0 + 4) & A_CHARTEXT, '4');

    assert_int_equal(ui_table_action(&t, ACT_END), UI_HANDLED | UI_REDRAW);
    m.asked_min = SIZE_MAX;
    m.asked_max = 0;
    ui_table_draw(&t, w, 0, 0, 11, 80);
    assert_int_equal(ui_table_selected(&t), 4999999);
    assert_int_equal(m.asked_min, 4999990);
    assert_int_equal(m.asked_max, 4999999);
    ui_table_action(&t, ACT_PAGE_UP);
    ui_table_draw(&t, w, 0, 0, 11, 80);
    assert_int_equal(ui_table_selected(&t), 4999990);
    ui_table_action(&t, ACT_HOME);
    ui_table_action(&t, ACT_DOWN);
    ui_table_draw(&t, w, 0, 0, 11, 80);
    assert_int_equal(ui_table_selected(&t), 1);
    assert_int_equal(t.top, 0);
    assert_int_equal(ui_table_action(&t, ACT_FILTER), UI_IGNORED);
    /* Shrinking the data keeps the selection in range. */
    ui_table_set_rows(&t, 0);
    assert_int_equal(ui_table_selected(&t), 0);
    ui_table_action(&t, ACT_DOWN);
    ui_table_draw(&t, w, 0, 0, 11, 80);
    delwin(w);
}

static void test_columns_and_sort(void **state)
{
    (void)state;
    model m = {SIZE_MAX, 0, 0, 0, -1, false, 0};
    ui_table t;
    ui_table_init(&t, cols, 3, &ops, &m);
    ui_table_set_rows(&t, 3);
    WINDOW *w = newwin(5, 50, 0, 0);
    ui_table_draw(&t, w, 0, 0, 5, 50);
    /* Narrower than 60: Score hides; the flexible Name takes the rest. */
    assert_int_equal(t.widths[2], 0);
    assert_int_equal(t.widths[0], 6);
    assert_int_equal(t.widths[1], 50 - 6 - 1);
    char buf[512];
    line(w, 0, buf, sizeof buf);
    assert_null(strstr(buf, "Score"));
    ui_table_draw(&t, w, 0, 0, 5, 50);
    ui_table_action(&t, ACT_SORT_NEXT);
    assert_int_equal(m.calls, 1);
    assert_int_equal(m.sorted_col, 0);
    assert_false(m.sorted_desc);
    ui_table_action(&t, ACT_SORT_REVERSE);
    assert_int_equal(m.sorted_col, 0);
    assert_true(m.sorted_desc);
    ui_table_draw(&t, w, 0, 0, 5, 50);
    line(w, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "Row▼"));
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
        cmocka_unit_test(test_virtual_rows_and_scroll),
        cmocka_unit_test(test_columns_and_sort),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
