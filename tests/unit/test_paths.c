/* The one place for the console's file locations: the XDG rules (absolute
 * variables only, else $HOME), mkdir -p with private permissions, "~/", and
 * the share directory of the installation a binary belongs to. The config,
 * keymap, theme and log paths all come from here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cxm/config.h"
#include "cxm/keymap.h"
#include "cxm/paths.h"
#include "store_fixture.h"

static void expect(char *got, const char *want)
{
    if (want) {
        assert_non_null(got);
        assert_string_equal(got, want);
    } else {
        assert_null(got);
    }
    free(got);
}

static void test_xdg_rules(void **state)
{
    (void)state;
    setenv("HOME", "/home/anna", 1);
    setenv("XDG_CONFIG_HOME", "/cfg", 1);
    setenv("XDG_DATA_HOME", "/data/", 1);
    setenv("XDG_STATE_HOME", "/st", 1);
    expect(paths_user_dir(PATHS_CONFIG), "/cfg/cxm-console");
    expect(paths_user_dir(PATHS_DATA), "/data/cxm-console");
    expect(paths_user_dir(PATHS_STATE), "/st/cxm-console");
    expect(paths_user_file(PATHS_CONFIG, "keys"), "/cfg/cxm-console/keys");
    /* Every user of the paths agrees. */
    expect(keymap_default_path(), "/cfg/cxm-console/keys");
    expect(config_dir(), "/cfg/cxm-console");
    /* Relative or empty variables are ignored (the XDG spec), $HOME used. */
    setenv("XDG_CONFIG_HOME", "relative/cfg", 1);
    setenv("XDG_DATA_HOME", "", 1);
    unsetenv("XDG_STATE_HOME");
    expect(paths_user_dir(PATHS_CONFIG), "/home/anna/.config/cxm-console");
    expect(paths_user_dir(PATHS_DATA), "/home/anna/.local/share/cxm-console");
    expect(paths_user_dir(PATHS_STATE), "/home/anna/.local/state/cxm-console");
    expect(keymap_default_path(), "/home/anna/.config/cxm-console/keys");
    /* No usable home: no guess at "/.config". */
    unsetenv("HOME");
    expect(paths_user_dir(PATHS_CONFIG), NULL);
    expect(paths_user_file(PATHS_STATE, "console.log"), NULL);
    expect(keymap_default_path(), NULL);
    expect(config_default_db_path(), NULL);
    setenv("HOME", "not/absolute", 1);
    expect(paths_user_dir(PATHS_DATA), NULL);
    expect(paths_user_dir((paths_base)42), NULL);
}

static void test_join_expand(void **state)
{
    (void)state;
    expect(paths_join("/a", "b"), "/a/b");
    expect(paths_join("/a/", "b"), "/a/b");
    setenv("HOME", "/home/anna", 1);
    expect(paths_expand_home("~/rec"), "/home/anna/rec");
    expect(paths_expand_home("~anna/rec"), "~anna/rec");
    expect(paths_expand_home("/abs"), "/abs");
}

static void test_mkdirs_and_db_path(void **state)
{
    (void)state;
    char dir[256], deep[400];
    fx_tmpdir(dir, sizeof dir);
    snprintf(deep, sizeof deep, "%s/x/y/z", dir);
    assert_int_equal(paths_mkdirs(deep), 0);
    assert_int_equal(paths_mkdirs(deep), 0); /* already there */
    struct stat st;
    assert_int_equal(stat(deep, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(st.st_mode & 0777, 0700);
    /* A file in the way is an error. */
    char file[420];
    snprintf(file, sizeof file, "%s/x/f", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(deep, sizeof deep, "%s/x/f/sub", dir);
    assert_int_equal(paths_mkdirs(deep), -1);
    /* The default database's directory is created, private. */
    setenv("XDG_DATA_HOME", dir, 1);
    char want[400];
    snprintf(want, sizeof want, "%s/cxm-console/cxm.db", dir);
    expect(config_default_db_path(), want);
    snprintf(deep, sizeof deep, "%s/cxm-console", dir);
    assert_int_equal(stat(deep, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    fx_rmdir(dir);
}

static void test_share_for_exe(void **state)
{
    (void)state;
    char dir[256], p[400], exe[420];
    fx_tmpdir(dir, sizeof dir);
    snprintf(exe, sizeof exe, "%s/usr/bin/cxm-console", dir);
    /* Not installed yet: no share directory. */
    expect(paths_share_for_exe(exe), NULL);
    snprintf(p, sizeof p, "%s/usr/share/cxm-console", dir);
    assert_int_equal(paths_mkdirs(p), 0);
    expect(paths_share_for_exe(exe), p);
    /* A build tree binary (not in .../bin) has none. */
    snprintf(exe, sizeof exe, "%s/usr/build/cxm-console", dir);
    expect(paths_share_for_exe(exe), NULL);
    snprintf(exe, sizeof exe, "%s/usr/sbin/cxm-console", dir);
    expect(paths_share_for_exe(exe), NULL);
    expect(paths_share_for_exe("cxm-console"), NULL);
    expect(paths_share_for_exe("/cxm-console"), NULL);
    /* This test binary lives in the build tree. */
    expect(paths_installed_share(), NULL);
    fx_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xdg_rules),
        cmocka_unit_test(test_join_expand),
        cmocka_unit_test(test_mkdirs_and_db_path),
        cmocka_unit_test(test_share_for_exe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
