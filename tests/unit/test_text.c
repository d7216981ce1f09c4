/* The text module: widths in columns, sanitizing, truncation with an
 * ellipsis, ASCII fallback. Runs in the "C" locale on purpose: UTF-8 mode must
 * measure the same whatever the process locale is. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/text.h"

static int W(const char *s)
{
    return text_width(s, strlen(s));
}

static const char *san(const char *s, size_t len)
{
    static char out[1024];
    text_sanitize(s, len, out, sizeof out);
    return out;
}

static const char *fit(const char *s, int cols, bool pad)
{
    static char out[1024];
    int w = text_fit(s, strlen(s), cols, pad, out, sizeof out);
    /* What fit reports is what the result measures. */
    assert_int_equal(w, W(out));
    assert_true(w <= cols || cols <= 0);
    return out;
}

/* Output never holds a byte a terminal would act on. */
static void assert_inert(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        assert_true(*p >= 0x20 && *p != 0x7f);
        if (*p == 0xC2) assert_false(p[1] >= 0x80 && p[1] <= 0x9F); /* C1 */
    }
}

static void test_cyrillic(void **state)
{
    (void)state;
    text_set_utf8(true);
    assert_int_equal(W("Анна Петрова"), 12);
    assert_int_equal(W("Ёжик"), 4);
    assert_string_equal(fit("Анна Петрова", 8, false), "Анна Пе…");
    assert_string_equal(fit("Анна Петрова", 12, false), "Анна Петрова");
    /* Names of different lengths in a column line up by columns, not bytes. */
    const char *names[] = {"Анна Петрова", "Иван Ли", "Ольга Константиновна", "Bob"};
    for (int i = 0; i < 4; i++) {
        const char *f = fit(names[i], 14, true);
        assert_int_equal(W(f), 14);
    }
    assert_string_equal(fit("Иван Ли", 10, true), "Иван Ли   ");
}

static void test_cjk_and_emoji(void **state)
{
    (void)state;
    text_set_utf8(true);
    assert_int_equal(W("日本語"), 6);
    assert_int_equal(W("한국"), 4);
    assert_int_equal(W("😀"), 2);
    assert_int_equal(W("a😀b"), 4);
    assert_string_equal(fit("日本語", 6, false), "日本語");
    assert_string_equal(fit("日本語", 5, false), "日本…");
    /* A wide character never gets split: one column stays empty instead. */
    assert_string_equal(fit("日本語", 4, false), "日…");
    assert_string_equal(fit("日本語", 4, true), "日… ");
    assert_string_equal(fit("😀😀", 3, false), "😀…");
    assert_string_equal(fit("😀😀", 2, false), "…");
    assert_string_equal(fit("😀😀", 1, false), "…");
}

static void test_combining(void **state)
{
    (void)state;
    text_set_utf8(true);
    const char *e = "e\xCC\x81"; /* e + COMBINING ACUTE */
    assert_int_equal(W(e), 1);
    assert_int_equal(W("Йо\xCC\x88"), 2);
    /* The mark stays with its base when cutting. */
    assert_string_equal(fit("e\xCC\x81"
                            "e\xCC\x81"
                            "e\xCC\x81",
                            2, false),
                        "e\xCC\x81…");
    assert_string_equal(fit("e\xCC\x81"
                            "e\xCC\x81",
                            2, false),
                        "e\xCC\x81"
                        "e\xCC\x81");
    /* Zero-width joiner and variation selector. */
    assert_int_equal(W("\xE2\x9D\xA4\xEF\xB8\x8F"), 1);
    /* A mark with no base in the text is put on a dotted circle, so it
     * cannot land on the column border drawn before it. */
    assert_string_equal(san("\xCC\x81"
                            "a",
                            3),
                        "\xE2\x97\x8C\xCC\x81"
                        "a");
    assert_int_equal(W("\xCC\x81"
                       "a"),
                     2);
    assert_string_equal(fit("\xCC\x81"
                            "abc",
                            2, false),
                        "\xE2\x97\x8C\xCC\x81…");
    /* "Zalgo": at most four marks are kept per character (a curses cell). */
    char z[64] = "a";
    for (int i = 0; i < 10; i++)
        strcat(z, "\xCC\x81");
    assert_int_equal(strlen(san(z, strlen(z))), 1 + 4 * 2);
    assert_int_equal(W(z), 1);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    text_set_utf8(true);
    assert_string_equal(san("a\xFF"
                            "b",
                            3),
                        "a\xEF\xBF\xBD"
                        "b");
    assert_int_equal(text_width("a\xFF"
                                "b",
                                3),
                     3);
    /* Overlong '/' and a surrogate: each byte is one replacement. */
    assert_string_equal(san("\xC0\xAF", 2), "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_string_equal(san("\xED\xA0\x80", 3), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* A sequence cut by the length. */
    assert_string_equal(san("ok\xD0", 3), "ok\xEF\xBF\xBD");
    assert_string_equal(san("\xF4\x90\x80\x80", 4),
                        "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* Unassigned code point: shown as the replacement, one column. */
    assert_string_equal(san("\xF3\xA0\x80\x80x", 5), "\xEF\xBF\xBDx");
    assert_string_equal(san("\xE2\x80\xA8", 3), "\xEF\xBF\xBD"); /* LINE SEPARATOR */
}

static void test_controls_visible(void **state)
{
    (void)state;
    text_set_utf8(true);
    assert_string_equal(san("\x1b[31mred\x1b[0m", 12), "^[[31mred^[[0m");
    assert_string_equal(san("\x1b]0;pwned\x07", 10), "^[]0;pwned^G");
    assert_string_equal(san("\x1b]8;;http://x\x1b\\link", 19), "^[]8;;http://x^[\\link");
    assert_string_equal(san("\x1bP+q\x1b\\", 6), "^[P+q^[\\");
    assert_string_equal(san("\xC2\x9B"
                            "2J",
                            4),
                        "<9B>2J");
    assert_string_equal(san("\xC2\x9D"
                            "0;t\xC2\x9C",
                            7),
                        "<9D>0;t<9C>");
    assert_string_equal(san("a\x7f"
                            "b",
                            3),
                        "a^?b");
    assert_string_equal(san("a\0b\tc\r\n", 7), "a^@b^Ic^M^J");
    assert_int_equal(text_width("\x1b[2J", 4), 5);
    const char *inputs[] = {"\x1b[31mred", "\x1b]0;x\x07", "\302\2331m", "x\x7f\x01\x1f"};
    for (int i = 0; i < 4; i++) {
        assert_inert(san(inputs[i], strlen(inputs[i])));
        assert_inert(fit(inputs[i], 5, true));
    }
    /* The whole sequence stays visible even when truncated. */
    assert_string_equal(fit("\x1b]0;title\x07", 7, false), "^[]0;t…");
}

static void test_ascii_mode(void **state)
{
    (void)state;
    text_set_utf8(false);
    assert_false(text_is_utf8());
    assert_string_equal(san("Анна", 8), "????");
    assert_int_equal(W("Анна Петрова"), 12);
    assert_string_equal(fit("Анна Петрова", 8, false), "???? ...");
    assert_string_equal(fit("abcdef", 5, false), "ab...");
    assert_string_equal(fit("abcdef", 2, false), "..");
    assert_string_equal(fit("日本", 4, true), "??  ");
    assert_string_equal(san("e\xCC\x81x\xFF", 5), "ex?"); /* mark dropped */
    assert_string_equal(san("\x1b[1m", 4), "^[[1m");
    const char *s = fit("Привет, 世界 😀 \xC2\x9B", 30, true);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        assert_true(*p >= 0x20 && *p < 0x7f);
    text_set_utf8(true);
}

static void test_fit_edges(void **state)
{
    (void)state;
    text_set_utf8(true);
    char out[64];
    assert_int_equal(text_fit("abc", 3, 0, true, out, sizeof out), 0);
    assert_string_equal(out, "");
    assert_int_equal(text_fit("abc", 3, -1, true, out, sizeof out), 0);
    assert_string_equal(fit("", 3, true), "   ");
    assert_string_equal(fit("abc", 3, true), "abc");
    assert_string_equal(fit("abcd", 3, true), "ab…");
    assert_string_equal(fit("abcd", 1, true), "…");
    assert_int_equal(text_fit_right("42", 2, 5, out, sizeof out), 5);
    assert_string_equal(out, "   42");
    assert_int_equal(text_fit_right("Петров", strlen("Петров"), 4, out, sizeof out), 4);
    assert_string_equal(out, "Пет…");
    /* A buffer too small for the text: cut cleanly, still terminated. */
    char small[8];
    text_fit("Анна Петрова", strlen("Анна Петрова"), 20, false, small, sizeof small);
    assert_string_equal(small, "Ан…");
    text_sanitize("Анна", strlen("Анна"), small, 4);
    assert_string_equal(small, "А");
    text_sanitize("abc", 3, small, 1);
    assert_string_equal(small, "");
}

static void test_locale_independent(void **state)
{
    (void)state;
    text_set_utf8(true);
    int a = W("Анна 日本 😀 e\xCC\x81");
    if (setlocale(LC_CTYPE, "C.UTF-8")) {
        assert_int_equal(W("Анна 日本 😀 e\xCC\x81"), a);
        text_init();
        assert_true(text_is_utf8());
    }
    setlocale(LC_CTYPE, "C");
    assert_int_equal(W("Анна 日本 😀 e\xCC\x81"), a);
    assert_int_equal(a, 4 + 1 + 4 + 1 + 2 + 1 + 1);
    text_init();
    assert_false(text_is_utf8());
    text_set_utf8(true);
}

/* Bidi controls reorder what follows them (a name "\u202Egnp.exe" shows as
 * "exe.png") and zero-width characters hide differences between two ids;
 * both are shown as their code point, like the C1 controls. */
static void test_bidi_zero_width(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"a\xE2\x80\xAE" "b", "a<202E>b"}, /* RLO */
        {"\xE2\x80\xAA", "<202A>"},        /* LRE */
        {"\xE2\x80\xAB", "<202B>"},        {"\xE2\x80\xAC", "<202C>"},
        {"\xE2\x80\xAD", "<202D>"},        {"\xE2\x81\xA6", "<2066>"}, /* LRI */
        {"\xE2\x81\xA7", "<2067>"},        {"\xE2\x81\xA8", "<2068>"},
        {"\xE2\x81\xA9", "<2069>"},        {"\xE2\x80\x8E", "<200E>"}, /* LRM */
        {"\xE2\x80\x8F", "<200F>"},        {"\xD8\x9C", "<061C>"},     /* ALM */
        {"x\xE2\x80\x8By", "x<200B>y"},    /* ZWSP */
        {"\xE2\x80\x8C", "<200C>"},        {"\xE2\x80\x8D", "<200D>"},
        {"\xE2\x81\xA0", "<2060>"},        /* WORD JOINER */
        {"\xEF\xBB\xBF" "id", "<FEFF>id"}, /* BOM / ZWNBSP */
    };
    for (int mode = 0; mode < 2; mode++) {
        text_set_utf8(mode == 1);
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            const char *in = cases[i].in;
            assert_string_equal(san(in, strlen(in)), cases[i].out);
            assert_int_equal(W(in), (int)strlen(cases[i].out));
            assert_int_equal(W(fit(in, 20, false)), (int)strlen(cases[i].out));
        }
    }
    text_set_utf8(true);
    /* Two ids that differ only by a zero-width space look different. */
    assert_string_equal(san("coll.1\xE2\x80\x8B", 9), "coll.1<200B>");
    /* Cut inside a long run: the code point is never split. */
    assert_string_equal(fit("\xE2\x80\xAE\xE2\x80\xAE", 8, false), "<202E>…");
}

/* For files (CSV): UTF-8 whatever the terminal's locale. */
static void test_sanitize_utf8(void **state)
{
    (void)state;
    char out[64];
    text_set_utf8(false);
    size_t n = text_sanitize_utf8("Анна\x1b\xE2\x80\xAE", strlen("Анна\x1b\xE2\x80\xAE"), out, sizeof out);
    assert_string_equal(out, "Анна^[<202E>");
    assert_int_equal(n, strlen(out));
    assert_false(text_is_utf8());
    text_set_utf8(true);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cyrillic),         cmocka_unit_test(test_cjk_and_emoji),
        cmocka_unit_test(test_combining),        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_controls_visible), cmocka_unit_test(test_ascii_mode),
        cmocka_unit_test(test_fit_edges),        cmocka_unit_test(test_locale_independent),
        cmocka_unit_test(test_bidi_zero_width),  cmocka_unit_test(test_sanitize_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
