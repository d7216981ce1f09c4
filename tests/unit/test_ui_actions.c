/* The actions table and the binding table built from it (ui/actions.def,
 * ui/keymap.c): unique names, every default key parses and means one action,
 * texts in both languages, the keymap file rebinds and unbinds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/keymap.h"
#include "ui.h"
#include "uikeys.h"

static void test_table(void **state)
{
    (void)state;
    assert_true(ACT_COUNT > 30);
    for (int a = 0; a < ACT_COUNT; a++) {
        const ui_action_info *ai = ui_action_get(a);
        assert_non_null(ai);
        assert_int_equal(ai->id, a);
        assert_int_equal(ui_action_from_name(ai->name), a);
        assert_true(strlen(ai->help_en) > 3);
        assert_true(strlen(ai->help_ru) > 3);
        assert_true(ai->ctx != 0);
        for (int b = a + 1; b < ACT_COUNT; b++)
            assert_string_not_equal(ai->name, ui_action_get(b)->name);
    }
    assert_int_equal(ui_action_from_name("no-such-action"), -1);
}

static void test_default_keys(void **state)
{
    (void)state;
    ui_keymap_defaults();
    int seen[256] = {0};
    for (int a = 0; a < ACT_COUNT; a++) {
        char keys[128];
        snprintf(keys, sizeof keys, "%s", ui_action_get(a)->keys);
        for (char *k = strtok(keys, " "); k; k = strtok(NULL, " ")) {
            int key = keymap_key_from_name(k);
            if (key == KM_KEY_NONE)
                fail_msg("action %s: bad default key '%s'", ui_action_get(a)->name, k);
            /* One key, one action: defaults must not collide. */
            if (ui_keymap_lookup(key) != a)
                fail_msg("key %s of %s is taken by %s", k, ui_action_get(a)->name,
                         ui_action_get(ui_keymap_lookup(key))->name);
            if (key < 256)
                seen[key]++;
        }
    }
    assert_int_equal(ui_keymap_lookup('?'), ACT_HELP);
    assert_int_equal(ui_keymap_lookup(KM_F0 + 1), ACT_HELP);
    assert_int_equal(ui_keymap_lookup('j'), ACT_DOWN);
    assert_int_equal(ui_keymap_lookup(KM_DOWN), ACT_DOWN);
    assert_int_equal(ui_keymap_lookup(12), ACT_REDRAW);
    char buf[64];
    assert_string_equal(ui_keymap_keys(ACT_HELP, buf, sizeof buf), "? F1");
}

static void test_keymap_file(void **state)
{
    (void)state;
    char path[] = "/tmp/cxm-keys-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "bind Q help\nunbind F1\nbind w down\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ui_keymap_defaults();
    char err[256];
    assert_int_equal(ui_keymap_load(path, err, sizeof err), 0);
    char buf[64];
    assert_string_equal(ui_keymap_keys(ACT_HELP, buf, sizeof buf), "? Q");
    assert_string_equal(ui_keymap_keys(ACT_QUIT, buf, sizeof buf), "");
    assert_int_equal(ui_keymap_lookup('w'), ACT_DOWN);
    assert_int_equal(ui_keymap_lookup(KM_F0 + 1), ACT_NONE);

    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    text = "bind z up\nbind y nonsense\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    ui_keymap_defaults();
    assert_int_equal(ui_keymap_load(path, err, sizeof err), -1);
    char want[300];
    snprintf(want, sizeof want, "%s:2: unknown action 'nonsense'", path);
    assert_string_equal(err, want);
    assert_int_equal(ui_keymap_lookup('z'), ACT_UP);
    unlink(path);
    /* A missing default file is no error; a missing named one is. */
    setenv("XDG_CONFIG_HOME", "/nonexistent-cxm", 1);
    assert_int_equal(ui_keymap_load(NULL, err, sizeof err), 0);
    assert_int_equal(ui_keymap_load("/nonexistent-cxm/keys", err, sizeof err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_default_keys),
        cmocka_unit_test(test_keymap_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
