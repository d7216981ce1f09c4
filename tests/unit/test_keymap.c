/* Key names and the keymap file parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/keymap.h"

static void test_names_roundtrip(void **state)
{
    (void)state;
    static const char *const names[] = {"q",     "?",    "ж",   "Space", "Enter", "Tab", "BTab",
                                        "Esc",   "Up",   "Down", "Left", "Right", "Home", "End",
                                        "PgUp",  "PgDn", "Del", "Ins",   "Backspace", "F1",
                                        "F12",   "M-x", "M-Backspace", "M-ж", "C-l",  "C-b", "C-\\", "C-_", "/",     "+",     "G",   "€"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        int k = keymap_key_from_name(names[i]);
        assert_int_not_equal(k, KM_KEY_NONE);
        char buf[KM_NAME_MAX];
        keymap_key_name(k, buf, sizeof buf);
        assert_int_equal(keymap_key_from_name(buf), k);
    }
    assert_int_equal(keymap_key_from_name("C-l"), 12);
    assert_int_equal(keymap_key_from_name("^L"), 12);
    assert_int_equal(keymap_key_from_name("enter"), '\n');
    assert_int_equal(keymap_key_from_name("F1"), KM_F0 + 1);
    assert_int_equal(keymap_key_from_name("ж"), 0x436);
    static const char *const bad[] = {"", "F13", "F0", "qq", "C-", "C-1", "\x01", "\xd0", "Nope",
                                      "\xed\xa0\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(keymap_key_from_name(bad[i]), KM_KEY_NONE);
}

static int lookup(const char *name, void *ud)
{
    (void)ud;
    if (!strcmp(name, "quit"))
        return 1;
    if (!strcmp(name, "help"))
        return 2;
    return -1;
}

typedef struct {
    keymap_directive d[16];
    int n;
} collected;

static void apply(const keymap_directive *d, void *ud)
{
    collected *c = ud;
    if (c->n < 16)
        c->d[c->n++] = *d;
}

static void test_parse(void **state)
{
    (void)state;
    collected c = {0};
    char err[256];
    const char *text = "# my keys\n\nbind x quit\n  unbind  q   \nbind F2 help # comment\n"
                       "bind # help\n";
    assert_int_equal(keymap_parse(text, strlen(text), "keys", lookup, apply, &c, err, sizeof err),
                     0);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.d[0].bind, 1);
    assert_int_equal(c.d[0].key, 'x');
    assert_int_equal(c.d[0].action, 1);
    assert_int_equal(c.d[0].line, 3);
    assert_int_equal(c.d[1].bind, 0);
    assert_int_equal(c.d[1].key, 'q');
    assert_int_equal(c.d[2].key, KM_F0 + 2);
    assert_int_equal(c.d[2].action, 2);
    assert_int_equal(c.d[3].key, '#');
    assert_int_equal(c.d[0].ctx, -1);
    /* with a context, and Meta keys */
    c.n = 0;
    text = "bind player M-x quit\nunbind form 1 # c\nbind list # help\n";
    assert_int_equal(keymap_parse(text, strlen(text), "keys", lookup, apply, &c, err, sizeof err),
                     0);
    assert_int_equal(c.n, 3);
    assert_int_equal(c.d[0].ctx, KM_CTX_PLAYER);
    assert_int_equal(c.d[0].key, 'x' | KM_META);
    assert_int_equal(c.d[1].ctx, KM_CTX_FORM);
    assert_int_equal(c.d[1].bind, 0);
    assert_int_equal(c.d[1].key, '1');
    assert_int_equal(c.d[2].ctx, KM_CTX_LIST);
    assert_int_equal(c.d[2].key, '#');
    assert_int_equal(keymap_context_from_name("Player"), KM_CTX_PLAYER);
    assert_int_equal(keymap_context_from_name("global"), KM_CTX_GLOBAL);
    assert_int_equal(keymap_context_from_name("q"), -1);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"bind x nosuch\n", "keys:1: unknown action 'nosuch'"},
        {"\n\nbind Nokey quit\n", "keys:3: unknown key 'Nokey'"},
        {"bind x\n", "keys:1: expected `bind [context] <key> <action>`"},
        {"unbind\n", "keys:1: expected `unbind [context] <key>`"},
        {"bind player x\n", "keys:1: expected `bind [context] <key> <action>`"},
        {"bind player Nokey quit\n", "keys:1: unknown key 'Nokey'"},
        {"bind nocontext x quit\n", "keys:1: expected `bind"},
        {"map x quit\n", "keys:1: unknown directive 'map'"},
        {"bind x quit extra\n", "keys:1: expected `bind"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        collected c = {0};
        char err[256] = "";
        assert_int_equal(keymap_parse(cases[i].text, strlen(cases[i].text), "keys", lookup, apply,
                                      &c, err, sizeof err),
                         -1);
        if (strncmp(err, cases[i].want, strlen(cases[i].want)))
            fail_msg("got '%s', want '%s'", err, cases[i].want);
    }
    /* Lines before the error were applied. */
    collected c = {0};
    char err[256];
    const char *text = "bind a quit\nbind b bogus\nbind c quit\n";
    assert_int_equal(keymap_parse(text, strlen(text), "k", lookup, apply, &c, err, sizeof err), -1);
    assert_int_equal(c.n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_roundtrip),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
