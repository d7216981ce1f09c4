/* The one CSV writer: RFC 4180 quoting, UTF-8, sanitizing, formula
 * neutralisation that leaves the program's own numbers alone, the Excel
 * dialect. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/csv.h"
#include "cxm/text.h"

static char *mem;
static size_t memlen;

static csv_writer *open_w(const csv_options *o)
{
    static csv_writer w;
    FILE *f = open_memstream(&mem, &memlen);
    assert_non_null(f);
    csv_begin(&w, f, o);
    return &w;
}

/* Ends the CSV and returns its text (valid until the next call). */
static const char *close_w(csv_writer *w)
{
    static char *last;
    assert_int_equal(csv_end(w), 0);
    fclose(w->f);
    free(last);
    last = mem;
    return mem;
}

static const char *one_text(const char *s)
{
    csv_writer *w = open_w(NULL);
    csv_text(w, s);
    csv_end_row(w);
    return close_w(w);
}

static void test_rfc4180(void **state)
{
    (void)state;
    csv_writer *w = open_w(NULL);
    csv_text(w, "a");
    csv_text(w, "b,c");
    csv_text(w, "say \"hi\"");
    csv_text(w, NULL);
    csv_text(w, "");
    csv_int(w, 42);
    csv_end_row(w);
    csv_text(w, "x");
    csv_end_row(w);
    assert_string_equal(close_w(w), "a,\"b,c\",\"say \"\"hi\"\"\",,,42\r\nx\r\n");
    /* Line breaks stay inside one quoted cell; CRLF becomes LF. */
    assert_string_equal(one_text("line 1\r\nline 2\nline 3"), "\"line 1\nline 2\nline 3\"\r\n");
}

static void test_formulas_neutralised(void **state)
{
    (void)state;
    assert_string_equal(one_text("=HYPERLINK(\"http://x\",\"y\")"),
                        "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
    assert_string_equal(one_text("+1+1"), "'+1+1\r\n");
    assert_string_equal(one_text("-2+3"), "'-2+3\r\n");
    assert_string_equal(one_text("@SUM(A1)"), "'@SUM(A1)\r\n");
    assert_string_equal(one_text("  =1+1"), "'  =1+1\r\n");
    /* A leading TAB or CR is made visible by the sanitizer: inert. */
    assert_string_equal(one_text("\t=1+1"), "^I=1+1\r\n");
    assert_string_equal(one_text("\r=1+1"), "^M=1+1\r\n");
    /* A line break first: still a cell a spreadsheet may trim to "=...". */
    assert_string_equal(one_text("\n=1"), "\"'\n=1\"\r\n");
    /* Harmless text is untouched, '=' elsewhere too. */
    assert_string_equal(one_text("Анна Петрова"), "Анна Петрова\r\n");
    assert_string_equal(one_text("a=b"), "a=b\r\n");
    assert_string_equal(one_text("2026-11-24"), "2026-11-24\r\n");
    /* A text cell holding a negative number is text from a feed: neutral. */
    assert_string_equal(one_text("-5"), "'-5\r\n");
}

static void test_numbers_stay_numbers(void **state)
{
    (void)state;
    csv_writer *w = open_w(NULL);
    csv_num(w, -3.5);
    csv_num(w, 50);
    csv_num(w, 0.1);
    csv_num(w, NAN);
    csv_int(w, -7);
    csv_num(w, 1.0 / 3);
    csv_end_row(w);
    assert_string_equal(close_w(w), "-3.5,50,0.1,,-7,0.3333333333333333\r\n");
}

static void test_sanitized(void **state)
{
    (void)state;
    text_set_utf8(false); /* a file is UTF-8 whatever the terminal */
    assert_string_equal(one_text("\x1b]0;pwned\x07Анна"), "^[]0;pwned^GАнна\r\n");
    assert_string_equal(one_text("a\xE2\x80\xAE" "b\xE2\x80\x8B"), "a<202E>b<200B>\r\n");
    assert_string_equal(one_text("bad\xFF"), "bad\xEF\xBF\xBD\r\n");
    assert_string_equal(one_text("\xC2\x9B" "2J"), "<9B>2J\r\n");
    /* A BOM at the start of a cell is shown, so it cannot hide a '='. */
    assert_string_equal(one_text("\xEF\xBB\xBF=1"), "<FEFF>=1\r\n");
    /* Explicit length: a NUL inside is shown, not a cut. */
    csv_writer *w = open_w(NULL);
    csv_text_n(w, "a\0b", 3);
    csv_end_row(w);
    assert_string_equal(close_w(w), "a^@b\r\n");
    text_set_utf8(true);
}

static void test_excel_dialect(void **state)
{
    (void)state;
    csv_writer *w = open_w(&(csv_options){.excel = true, .decimal_comma = true});
    csv_text(w, "name");
    csv_text(w, "a;b");
    csv_text(w, "x,y");
    csv_end_row(w);
    csv_num(w, -3.5);
    csv_num(w, 61);
    csv_text(w, "=cmd|' /C calc'!A0");
    csv_end_row(w);
    assert_string_equal(close_w(w), "\xEF\xBB\xBFname;\"a;b\";x,y\r\n-3,5;61;'=cmd|' /C calc'!A0\r\n");
    /* Excel without the decimal comma (English UI). */
    w = open_w(&(csv_options){.excel = true});
    csv_num(w, 2.25);
    csv_end_row(w);
    assert_string_equal(close_w(w), "\xEF\xBB\xBF" "2.25\r\n");
    /* A decimal comma that is also the separator is quoted. */
    w = open_w(&(csv_options){.decimal_comma = true});
    csv_num(w, 2.25);
    csv_num(w, 3);
    csv_end_row(w);
    assert_string_equal(close_w(w), "\"2,25\",3\r\n");
}

static void test_long_cell_whole(void **state)
{
    (void)state;
    size_t n = 100000;
    char *s = malloc(n + 1);
    assert_non_null(s);
    memset(s, 'x', n);
    s[n] = 0;
    s[n - 1] = '!';
    const char *out = one_text(s);
    assert_int_equal(strlen(out), n + 2);
    assert_int_equal(out[n - 1], '!');
    free(s);
}

static void test_write_error(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    csv_writer w;
    csv_begin(&w, f, NULL);
    for (int i = 0; i < 10000; i++)
        csv_text(&w, "some text that fills the buffer");
    csv_end_row(&w);
    assert_int_equal(csv_end(&w), -1);
    fclose(f);
}

int main(void)
{
    text_set_utf8(true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4180),          cmocka_unit_test(test_formulas_neutralised),
        cmocka_unit_test(test_numbers_stay_numbers), cmocka_unit_test(test_sanitized),
        cmocka_unit_test(test_excel_dialect),    cmocka_unit_test(test_long_cell_whole),
        cmocka_unit_test(test_write_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
