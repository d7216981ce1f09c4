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

/* A list view (the stream). */
static int look(int key)
{
    return ui_keymap_lookup(key, 0, UI_CTX_STREAM | UI_CTX_LIST);
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
            /* One key, one action per context: defaults must not collide. */
            for (int c = 0; c < KM_CTX_COUNT; c++) {
                if (!(ui_action_get(a)->ctx & (1u << c)))
                    continue;
                int got = ui_keymap_lookup_in(key, c);
                if (got != a)
                    fail_msg("key %s of %s in %s is taken by %s", k, ui_action_get(a)->name,
                             keymap_context_name(c),
                             got == ACT_NONE ? "nothing" : ui_action_get(got)->name);
            }
            if (key < 256)
                seen[key]++;
        }
    }
    assert_int_equal(look('?'), ACT_HELP);
    assert_int_equal(look(KM_F0 + 1), ACT_HELP);
    assert_int_equal(look('j'), ACT_DOWN);
    assert_int_equal(look(KM_DOWN), ACT_DOWN);
    assert_int_equal(look(12), ACT_REDRAW);
    /* list keys do not reach a view without the list context */
    assert_int_equal(ui_keymap_lookup('j', 0, UI_CTX_PLAYER), ACT_NONE);
    assert_int_equal(ui_keymap_lookup('?', 0, UI_CTX_PLAYER), ACT_HELP);
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
    assert_int_equal(look('w'), ACT_DOWN);
    assert_int_equal(look(KM_F0 + 1), ACT_NONE);

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
    assert_int_equal(look('z'), ACT_UP);
    unlink(path);
    /* A missing default file is no error; a missing named one is. */
    setenv("XDG_CONFIG_HOME", "/nonexistent-cxm", 1);
    assert_int_equal(ui_keymap_load(NULL, err, sizeof err), 0);
    assert_int_equal(ui_keymap_load("/nonexistent-cxm/keys", err, sizeof err), -1);
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

/* bind [CONTEXT] KEY ACTION: the pane's context, then the view's, then
 * global; a key means one action per context; M-keys bind like others. */
static void test_contexts(void **state)
{
    (void)state;
    char path[] = "/tmp/cxm-keys-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, "bind player Space down\n"
                     "bind form 1 up\n"
                     "bind M-s sort-next   # global\n"
                     "bind list M-x filter-clear\n"
                     "unbind list x\n");
    ui_keymap_defaults();
    char err[256];
    assert_int_equal(ui_keymap_load(path, err, sizeof err), 0);
    /* Space: the player pane's own binding, the stream's pause elsewhere */
    assert_int_equal(ui_keymap_lookup(' ', UI_CTX_PLAYER, UI_CTX_STREAM | UI_CTX_LIST), ACT_DOWN);
    assert_int_equal(ui_keymap_lookup(' ', 0, UI_CTX_STREAM | UI_CTX_LIST), ACT_PAUSE);
    /* 1 in the form is the form's; elsewhere it still switches views */
    assert_int_equal(ui_keymap_lookup('1', UI_CTX_FORM, UI_CTX_DETAIL), ACT_UP);
    assert_int_equal(ui_keymap_lookup('1', 0, UI_CTX_DETAIL), ACT_VIEW_DASHBOARD);
    assert_int_equal(look('s' | KM_META), ACT_SORT_NEXT);
    assert_int_equal(look('x' | KM_META), ACT_FILTER_CLEAR);
    assert_int_equal(look('x'), ACT_NONE);
    char buf[64];
    assert_string_equal(ui_keymap_keys_in(ACT_FILTER_CLEAR, KM_CTX_LIST, buf, sizeof buf), "M-x");
    assert_string_equal(ui_keymap_keys_in(ACT_PAUSE, KM_CTX_STREAM, buf, sizeof buf), "Space p");
    assert_string_equal(ui_keymap_keys_in(ACT_DOWN, KM_CTX_PLAYER, buf, sizeof buf), "Space");
    /* bind without a context takes the key from every context */
    write_file(path, "bind j quit\nunbind Space\n");
    ui_keymap_defaults();
    assert_int_equal(ui_keymap_load(path, err, sizeof err), 0);
    assert_int_equal(look('j'), ACT_QUIT);
    assert_int_equal(look(' '), ACT_NONE);
    /* bad contexts and shapes are named */
    write_file(path, "bind lists j down\n");
    assert_int_equal(ui_keymap_load(path, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: expected `bind [context] <key> <action>`"));
    write_file(path, "unbind form\n");
    assert_int_equal(ui_keymap_load(path, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: expected `unbind [context] <key>`"));
    write_file(path, "bind player # help # the hash key\n");
    assert_int_equal(ui_keymap_load(path, err, sizeof err), 0);
    assert_int_equal(ui_keymap_lookup('#', UI_CTX_PLAYER, 0), ACT_HELP);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_default_keys),
        cmocka_unit_test(test_keymap_file),
        cmocka_unit_test(test_contexts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
