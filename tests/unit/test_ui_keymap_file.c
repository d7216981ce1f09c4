/* The keymap file is a regular file or an error (issue 11): a directory used
 * to be ignored silently, a FIFO would block start-up in open(); a missing
 * default file is simply no keymap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "uikeys.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cxm-keymap-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_not_regular(void **state)
{
    (void)state;
    char path[128], err[256];
    ui_keymap_defaults();
    snprintf(path, sizeof path, "%s/adir", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(ui_keymap_load(path, err, sizeof err), -1);
    assert_non_null(strstr(err, "adir: not a regular file (a directory)"));
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    /* returns at once (no writer will ever come) */
    assert_int_equal(ui_keymap_load(path, err, sizeof err), -1);
    assert_non_null(strstr(err, "fifo: not a regular file (a FIFO)"));
    assert_int_equal(ui_keymap_load("/dev/zero", err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file (a character device)"));
    snprintf(path, sizeof path, "%s/missing", dir);
    assert_int_equal(ui_keymap_load(path, err, sizeof err), -1);
    assert_non_null(strstr(err, "No such file or directory"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_not_regular, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
