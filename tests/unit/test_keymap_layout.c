/* The Russian ЙЦУКЕН layout onto the Latin keys at the same positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cxm/keymap.h"
#include "cxm/text.h"

/* Each row of the Russian layout over the US row it is printed on. */
static void check_row(const char *ru, const char *us)
{
    size_t i = 0, len = 0;
    while (ru[len])
        len++;
    for (const char *u = us; *u; u++) {
        uint32_t cp;
        size_t n = text_utf8_decode(ru + i, len - i, &cp);
        assert_true(n > 0);
        assert_int_equal(keymap_layout_latin((int)cp), *u);
        i += n;
    }
    assert_int_equal(i, len);
}

static void test_rows_both_cases(void **state)
{
    (void)state;
    check_row("ёйцукенгшщзхъ", "`qwertyuiop[]");
    check_row("фывапролджэ", "asdfghjkl;'");
    check_row("ячсмитьбю", "zxcvbnm,.");
    check_row("ЁЙЦУКЕНГШЩЗХЪ", "~QWERTYUIOP{}");
    check_row("ФЫВАПРОЛДЖЭ", "ASDFGHJKL:\"");
    check_row("ЯЧСМИТЬБЮ", "ZXCVBNM<>");
}

static void test_every_letter_maps(void **state)
{
    (void)state;
    /* All 66 letters land on distinct printable ASCII keys. */
    int seen[128] = {0};
    for (int cp = 0x410; cp <= 0x44F; cp++) {
        int k = keymap_layout_latin(cp);
        assert_true(k > 0x20 && k < 0x7f);
        assert_int_equal(seen[k], 0);
        seen[k] = 1;
    }
    assert_int_equal(seen[keymap_layout_latin(0x401)] + seen[keymap_layout_latin(0x451)], 0);
}

static void test_others_unchanged(void **state)
{
    (void)state;
    const int same[] = {'q', 'Q', '1', ' ', '?', 0x1b, 0x0C, 0xE9 /* é */, 0x456 /* і */,
                        0x3B1 /* α */, 0x65E5, KM_UP, KM_F0 + 5, KM_KEY_NONE, 0x400, 0x450};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++)
        assert_int_equal(keymap_layout_latin(same[i]), same[i]);
    /* Meta stays on: M-й is M-q. */
    assert_int_equal(keymap_layout_latin(KM_META | 0x439), KM_META | 'q');
    assert_int_equal(keymap_layout_latin(KM_META | KM_UP), KM_META | KM_UP);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_both_cases),
        cmocka_unit_test(test_every_letter_maps),
        cmocka_unit_test(test_others_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
