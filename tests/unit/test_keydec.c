/* The key decoder: CSI/SS3 decoded or swallowed whole, Esc + key = Meta,
 * a lone Esc is Esc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/keydec.h"
#include "cxm/keymap.h"

/* Feeds a byte string (as code points), then flushes; returns the keys. */
static int run(const char *s, int *keys, int cap)
{
    keydec d;
    keydec_init(&d);
    int n = 0, out[KEYDEC_OUT_MAX];
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int k = keydec_feed(&d, *p, out);
        for (int i = 0; i < k && n < cap; i++)
            keys[n++] = out[i];
    }
    int k = keydec_flush(&d, out);
    for (int i = 0; i < k && n < cap; i++)
        keys[n++] = out[i];
    assert_false(keydec_pending(&d));
    return n;
}

static void expect(const char *in, int n, ...)
{
    int keys[16];
    int got = run(in, keys, 16);
    assert_int_equal(got, n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        assert_int_equal(keys[i], va_arg(ap, int));
    va_end(ap);
}

static void test_plain_and_esc(void **state)
{
    (void)state;
    expect("q", 1, 'q');
    expect("\x1b", 1, 27);                       /* a lone Esc */
    expect("\x1bx", 1, 'x' | KM_META);           /* Esc + x within the delay */
    expect("\x1b\x1b", 2, 27, 27);
    expect("\x1b\x1bq", 2, 27, 'q' | KM_META);
    expect("\x1b\x7f", 1, 0x7f | KM_META);
    expect("a\x1b" "b", 2, 'a', 'b' | KM_META);
}

static void test_csi_ss3(void **state)
{
    (void)state;
    expect("\x1b[A", 1, KM_UP);
    expect("\x1b[D", 1, KM_LEFT);
    expect("\x1bOB", 1, KM_DOWN);
    expect("\x1bOP", 1, KM_F0 + 1);
    expect("\x1b[H\x1b[F", 2, KM_HOME, KM_END);
    expect("\x1b[1~\x1b[4~", 2, KM_HOME, KM_END);
    expect("\x1b[5~", 1, KM_PGUP);
    expect("\x1b[6~", 1, KM_PGDN);
    expect("\x1b[3~", 1, KM_DEL);
    expect("\x1b[15~", 1, KM_F0 + 5);
    expect("\x1b[24~", 1, KM_F0 + 12);
    expect("\x1b[Z", 1, KM_BTAB);
    expect("\x1b[[B", 1, KM_F0 + 2);             /* Linux console F2 */
    expect("\x1b[1;3C", 1, KM_RIGHT | KM_META);  /* Alt+Right */
    expect("\x1b[1;5C", 1, KM_RIGHT);            /* Ctrl+Right: the key itself */
    expect("\x1bOM", 1, '\n');
}

static void test_unknown_swallowed(void **state)
{
    (void)state;
    expect("\x1b[99~", 1, KM_SWALLOWED);
    expect("\x1b[99~q", 2, KM_SWALLOWED, 'q');
    expect("\x1b[<0;10;5M", 1, KM_SWALLOWED);     /* SGR mouse, not ours */
    expect("\x1b[?1;2c", 1, KM_SWALLOWED);        /* a device attribute reply */
    expect("\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16;17;18~x", 2, KM_SWALLOWED, 'x');
    expect("\x1bO~", 1, KM_SWALLOWED);
    /* cut short: what was read is dropped, the rest stands */
    expect("\x1b[12", 1, KM_SWALLOWED);
    expect("\x1b[12\n", 2, KM_SWALLOWED, '\n');
    expect("\x1b[", 1, '[' | KM_META);            /* Alt+[ */
    expect("\x1bO", 1, 'O' | KM_META);            /* Alt+O */
}

static void test_curses_keys_and_specials(void **state)
{
    (void)state;
    keydec d;
    keydec_init(&d);
    int out[KEYDEC_OUT_MAX];
    assert_int_equal(keydec_feed(&d, KM_UP, out), 1);
    assert_int_equal(out[0], KM_UP);
    assert_int_equal(keydec_feed(&d, 27, out), 0);
    assert_true(keydec_pending(&d));
    assert_int_equal(keydec_feed(&d, KM_BACKSPACE, out), 1);
    assert_int_equal(out[0], KM_BACKSPACE | KM_META);
    assert_int_equal(keydec_feed(&d, 27, out), 0);
    assert_int_equal(keydec_feed(&d, KM_MOUSE, out), 2);
    assert_int_equal(out[0], 27);
    assert_int_equal(out[1], KM_MOUSE);
    /* a curses key inside a CSI ends it */
    keydec_feed(&d, 27, out);
    keydec_feed(&d, '[', out);
    keydec_feed(&d, '1', out);
    assert_int_equal(keydec_feed(&d, KM_DOWN, out), 2);
    assert_int_equal(out[0], KM_SWALLOWED);
    assert_int_equal(out[1], KM_DOWN);
    /* Cyrillic passes through */
    assert_int_equal(keydec_feed(&d, 0x439, out), 1);
    assert_int_equal(out[0], 0x439);
    /* nonsense is ignored */
    assert_int_equal(keydec_feed(&d, -5, out), 0);
    assert_int_equal(keydec_feed(&d, KM_META | 'x', out), 0);
    assert_int_equal(keydec_flush(&d, out), 0);
}

static void test_meta_names(void **state)
{
    (void)state;
    assert_int_equal(keymap_key_from_name("M-x"), 'x' | KM_META);
    assert_int_equal(keymap_key_from_name("M-Backspace"), KM_BACKSPACE | KM_META);
    assert_int_equal(keymap_key_from_name("M-ж"), 0x436 | KM_META);
    assert_int_equal(keymap_key_from_name("M-"), KM_KEY_NONE);
    assert_int_equal(keymap_key_from_name("M-M-x"), KM_KEY_NONE);
    assert_int_equal(keymap_key_from_name("M"), 'M');
    char name[KM_NAME_MAX];
    assert_string_equal(keymap_key_name('b' | KM_META, name, sizeof name), "M-b");
    assert_string_equal(keymap_key_name(KM_BACKSPACE | KM_META, name, sizeof name), "M-Backspace");
    assert_string_equal(keymap_key_name(KM_UP | KM_META, name, sizeof name), "M-Up");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_and_esc),
        cmocka_unit_test(test_csi_ss3),
        cmocka_unit_test(test_unknown_swallowed),
        cmocka_unit_test(test_curses_keys_and_specials),
        cmocka_unit_test(test_meta_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
