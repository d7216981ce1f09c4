/* Unicode in the text module beyond widths: case folding for searches and
 * filters (every script, not only ASCII and Cyrillic; independent of the
 * process locale, which stays "C" here), letters/digits for word motion,
 * and the UTF-8 helpers editors use. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/text.h"

static void test_fold_code_points(void **state)
{
    (void)state;
    assert_int_equal(text_fold_cp('A'), 'a');
    assert_int_equal(text_fold_cp('z'), 'z');
    assert_int_equal(text_fold_cp('1'), '1');
    assert_int_equal(text_fold_cp(0x416), 0x436); /* Ж ж */
    assert_int_equal(text_fold_cp(0x401), 0x451); /* Ё ё: the fold itself keeps ё */
    assert_int_equal(text_fold_cp(0x406), 0x456); /* І і (Ukrainian) */
    assert_int_equal(text_fold_cp(0xC4), 0xE4);   /* Ä ä */
    assert_int_equal(text_fold_cp(0x3A3), 0x3C3); /* Σ σ */
    assert_int_equal(text_fold_cp(0x10F), 0x10F); /* ď stays */
    assert_int_equal(text_fold_cp(0x10E), 0x10F); /* Ď ď */
    assert_int_equal(text_fold_cp(0x65E5), 0x65E5); /* no case */
    assert_int_equal(text_fold_cp(0x110000), 0x110000);
}

static void test_contains_folded(void **state)
{
    (void)state;
    assert_true(text_contains_folded("Анна Петрова", "петр"));
    assert_true(text_contains_folded("анна петрова", "ПЕТРОВА"));
    assert_true(text_contains_folded("Клиника на Ленина", "НА ЛЕН"));
    assert_true(text_contains_folded("Алёна", "алена")); /* ё = е both ways */
    assert_true(text_contains_folded("Алена", "АЛЁНА"));
    assert_true(text_contains_folded("Müller", "MÜLL"));
    assert_true(text_contains_folded("ΣΩΚΡΑΤΗΣ", "σωκ"));
    assert_true(text_contains_folded("reg-1", "REG"));
    assert_true(text_contains_folded("anything", ""));
    assert_true(text_contains_folded("", ""));
    assert_false(text_contains_folded("", "a"));
    assert_false(text_contains_folded("Анна", "Анна Петрова")); /* longer than the text */
    assert_false(text_contains_folded("Петров", "петра"));
    assert_true(text_contains_folded("abcabd", "abd")); /* restarts after a partial match */
    /* Invalid bytes match only themselves, never a letter. */
    assert_true(text_contains_folded("a\xFF" "b", "\xFF" "B"));
    assert_false(text_contains_folded("a\xFF" "b", "?b"));
    assert_false(text_contains_folded("\xD0", "\xD0\x96")); /* a truncated Ж is not Ж */
    /* A needle longer than the 128 characters the old matcher kept. */
    char hay[1200], needle[700];
    memset(hay, 0, sizeof hay);
    for (int i = 0; i < 300; i++)
        memcpy(hay + 2 * i, "Ж", 2);
    memcpy(hay + 600, "я", 2);
    for (int i = 0; i < 300; i++)
        memcpy(needle + 2 * i, "ж", 2);
    memcpy(needle + 600, "Я", 3);
    assert_true(text_contains_folded(hay, needle));
    needle[601] = (char)0x8F; /* "Џ" instead of "Я" */
    assert_false(text_contains_folded(hay, needle));
}

static void test_alnum(void **state)
{
    (void)state;
    assert_true(text_is_alnum('a') && text_is_alnum('Z') && text_is_alnum('7'));
    assert_false(text_is_alnum('_') || text_is_alnum('-') || text_is_alnum(' '));
    assert_true(text_is_alnum(0x451) && text_is_alnum(0x416)); /* ё Ж */
    assert_true(text_is_alnum(0x65E5));                         /* 日 */
    assert_false(text_is_alnum(0xAB) || text_is_alnum(0x2014)); /* « — */
    assert_false(text_is_alnum(0xA0) || text_is_alnum(0x3000)); /* spaces */
}

static void test_utf8_helpers(void **state)
{
    (void)state;
    char b[4];
    uint32_t cp;
    static const uint32_t cps[] = {0x41, 0x7F, 0x80, 0x416, 0x7FF, 0x800, 0xFFFD, 0x10000, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        size_t n = text_utf8_encode(cps[i], b);
        assert_true(n >= 1 && n <= 4);
        assert_int_equal(text_utf8_decode(b, n, &cp), n);
        assert_int_equal(cp, cps[i]);
    }
    assert_int_equal(text_utf8_encode(0xD800, b), 0);
    assert_int_equal(text_utf8_encode(0x110000, b), 0);
    assert_int_equal(text_utf8_decode("\xC0\xAF", 2, &cp), 0); /* overlong */
    assert_int_equal(text_utf8_decode("\xD0", 1, &cp), 0);     /* truncated */
    assert_int_equal(text_utf8_decode("x", 0, &cp), 0);
    text_set_utf8(true);
    assert_int_equal(text_cp_width('a'), 1);
    assert_int_equal(text_cp_width(0x416), 1);
    assert_int_equal(text_cp_width(0x65E5), 2);
    assert_int_equal(text_cp_width(0x301), 0);
    assert_int_equal(text_cp_width(0x07), 2); /* shown as ^G */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_code_points),
        cmocka_unit_test(test_contains_folded),
        cmocka_unit_test(test_alnum),
        cmocka_unit_test(test_utf8_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
