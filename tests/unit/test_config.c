/* The INI config: the shipped sample loads, defaults are DESIGN §9, every
 * error names its file and line, and a bad file leaves the config as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/config_internal.h"
#include "cxm/config.h"

static char tmpdir[] = "/tmp/cxm-test-config-XXXXXX";

static const char *write_ini(const char *text)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/c.ini", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_defaults(void **state)
{
    (void)state;
    cxm_config c;
    config_defaults(&c);
    assert_true(c.kpi_k == 0.5);
    assert_int_equal(c.clip_after_rating_s, 20);
    assert_int_equal(c.clip_before_red_s, 60);
    assert_int_equal(c.clip_around_s, 30);
    assert_int_equal(c.heartbeat_timeout_s, 30);
    assert_string_equal(c.rules.scale.name, "start3");
    assert_int_equal(c.rules.scale.nvalues, 3);
    assert_null(c.db_path);
    assert_int_equal(c.nsources, 0);
    assert_int_equal(c.nalerts, 2);
    const alert_rule *a = &c.alerts[0];
    assert_int_equal(a->types_mask, (1u << EV_RATING) | (1u << EV_RED_BUTTON));
    assert_true(a->match_negative);
    assert_int_equal(a->count_threshold, 3);
    assert_int_equal(a->window_s, 1800);
    assert_int_equal(a->scope, ALERT_SCOPE_LOCATION);
    assert_int_equal(a->cooldown_s, 1800);
    a = &c.alerts[1];
    assert_int_equal(a->types_mask, 1u << EV_RATING);
    assert_true(a->match_negative);
    assert_int_equal(a->count_threshold, 0);
    assert_true(a->share_threshold == 0.5);
    assert_int_equal(a->min_ratings, 4);
    assert_int_equal(a->window_s, 900);
    assert_int_equal(a->scope, ALERT_SCOPE_LOCATION);
    config_free(&c);
}

static void test_sample(void **state)
{
    (void)state;
    char path[512], err[512];
    const char *src = getenv("CXM_SRC");
    if (src)
        snprintf(path, sizeof path, "%s/data/config.sample.ini", src);
    else /* run by hand: the source tree from this file's path */
        snprintf(path, sizeof path, "%.*s/data/config.sample.ini",
                 (int)(strstr(__FILE__, "/tests/unit/")
                           ? strstr(__FILE__, "/tests/unit/") - __FILE__
                           : 1),
                 __FILE__);
    setenv("HOME", "/home/tester", 1);
    cxm_config c;
    config_defaults(&c);
    int rc = config_load(&c, path, err, sizeof err);
    if (rc != 0) fail_msg("%s", err);
    assert_string_equal(c.db_path, "/home/tester/.local/share/cxm-console/cxm.db");
    assert_int_equal(c.nsources, 3);
    assert_string_equal(c.sources[0].name, "clinic-agent");
    assert_int_equal(c.sources[0].kind, SRC_AGENT);
    assert_string_equal(c.sources[0].target, "/run/user/1000/cxm-agent.sock");
    assert_int_equal(c.sources[1].kind, SRC_AGENT_LOG);
    assert_int_equal(c.sources[2].kind, SRC_CLOUD);
    assert_string_equal(c.sources[2].token_file, "/home/tester/.config/cxm-console/cloud.token");
    assert_string_equal(c.sources[2].ca_file, "/etc/ssl/certs/cxm-ca.pem");
    assert_string_equal(c.sources[2].location_filter, "clinic-1, station-2");
    assert_string_equal(config_source_kind_name(c.sources[2].kind), "cloud");
    assert_string_equal(c.recordings, "/srv/cxm/recordings");
    assert_int_equal(c.clip_after_rating_s, 20);
    assert_int_equal(c.clip_before_red_s, 60);
    assert_string_equal(c.rules.scale.values[1], "so_so");
    assert_int_equal(c.rules.scale.polarity[2], POL_NEGATIVE);
    assert_true(c.rules.emotion.mixed_min == 0.25);
    assert_string_equal(c.theme, "default");
    assert_string_equal(c.lang, "ru");
    assert_non_null(strstr(c.camera_url, "{camera}"));
    assert_false(c.russian_layout_keys_off);
    assert_int_equal(c.nalerts, 3);
    assert_string_equal(c.alerts[2].name, "desk-incidents");
    assert_int_equal(c.alerts[2].types_mask, (1u << EV_FORCE_MAJEURE) | (1u << EV_RED_BUTTON));
    assert_false(c.alerts[2].match_negative);
    assert_int_equal(c.alerts[2].scope, ALERT_SCOPE_DESK);
    assert_int_equal(c.alerts[2].window_s, 3600);
    config_free(&c);
}

static void test_values(void **state)
{
    (void)state;
    char err[512];
    cxm_config c;
    config_defaults(&c);
    const char *p = write_ini("\xEF\xBB\xBF# comment\n"
                              "[scale]\n"
                              "  name = five\n"
                              "\tvalues = \"5:+, 4:positive, 3:0, 2:-, 1:negative\"\n"
                              "[kpi]\n"
                              "silent_k = 0.2 ; inline comment\n"
                              "[clips]\n"
                              "around = 2m\n"
                              "after_rating = 45\n"
                              "[feeds]\n"
                              "heartbeat_timeout = 1h\n"
                              "[alert.negative-streak]\n"
                              "count = 5\n"
                              "[alert.unhappy-share]\n"
                              "enabled = no\n"
                              "[alert.custom]\n"
                              "events = silent\n"
                              "count = 10\n"
                              "window = 1h\n"
                              "scope = employee\n");
    int rc = config_load(&c, p, err, sizeof err);
    if (rc) fail_msg("%s", err);
    assert_string_equal(c.rules.scale.name, "five");
    assert_int_equal(c.rules.scale.nvalues, 5);
    assert_string_equal(c.rules.scale.values[0], "5");
    assert_int_equal(c.rules.scale.polarity[1], POL_POSITIVE);
    assert_int_equal(c.rules.scale.polarity[2], POL_NEUTRAL);
    assert_int_equal(c.rules.scale.polarity[4], POL_NEGATIVE);
    assert_int_equal(rules_polarity(&c.rules, "2"), POL_NEGATIVE);
    assert_true(c.kpi_k == 0.2);
    assert_int_equal(c.clip_around_s, 120);
    assert_int_equal(c.clip_after_rating_s, 45);
    assert_int_equal(c.heartbeat_timeout_s, 3600);
    assert_int_equal(c.nalerts, 2);
    assert_string_equal(c.alerts[0].name, "negative-streak");
    assert_int_equal(c.alerts[0].count_threshold, 5);
    assert_int_equal(c.alerts[0].window_s, 1800); /* untouched keys keep the default */
    assert_string_equal(c.alerts[1].name, "custom");
    assert_int_equal(c.alerts[1].cooldown_s, 3600); /* defaults to the window */
    assert_int_equal(c.alerts[1].scope, ALERT_SCOPE_EMPLOYEE);
    config_free(&c);

    /* A built-in scale by name alone. */
    config_defaults(&c);
    p = write_ini("[scale]\nname = nps10\n");
    assert_int_equal(config_load(&c, p, err, sizeof err), 0);
    assert_int_equal(c.rules.scale.nvalues, 11);
    assert_int_equal(rules_polarity(&c.rules, "9"), POL_POSITIVE);
    assert_int_equal(rules_polarity(&c.rules, "7"), POL_NEUTRAL);
    assert_int_equal(rules_polarity(&c.rules, "6"), POL_NEGATIVE);
    config_free(&c);

    /* Sources from the command line add to the file's. */
    config_defaults(&c);
    assert_int_equal(config_add_source(&c, SRC_AGENT_LOG, "/tmp/x.log"), 0);
    p = write_ini("[source.a]\nkind = demo\n");
    assert_int_equal(config_load(&c, p, err, sizeof err), 0);
    assert_int_equal(c.nsources, 2);
    assert_null(c.sources[0].name);
    assert_string_equal(c.sources[0].target, "/tmp/x.log");
    assert_int_equal(c.sources[1].kind, SRC_DEMO);
    for (int i = 2; i < CONFIG_SOURCES_MAX; i++)
        assert_int_equal(config_add_source(&c, SRC_AGENT, "s"), 0);
    assert_int_equal(config_add_source(&c, SRC_AGENT, "s"), -1);
    config_free(&c);
}

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *err; /* err without the "FILE:" prefix */
    } cases[] = {
        {"[database]\npath = /x\n[bogus]\nkey = 1\n", "3: unknown section [bogus]"},
        {"[clips]\naround = 10\nlength = 5\n", "3: unknown key 'length' in [clips]"},
        {"key = 1\n", "1: 'key' outside a [section]"},
        {"[ui]\nthis line has no equals sign\n", "2: expected '[section]' or 'key = value'"},
        {"[ui\ntheme = x\n", "1: expected '[section]' or 'key = value'"},
        {"[kpi]\nsilent_k = 1.5\n", "2: silent_k: 1.5 is outside [0.2, 1]"},
        {"[kpi]\nsilent_k = 0.1\n", "2: silent_k: 0.1 is outside [0.2, 1]"},
        {"[kpi]\nsilent_k = half\n", "2: silent_k: 'half' is not a number"},
        {"[kpi]\nsilent_k = 0.5\nsilent_k = 0.6\n", "3: duplicate key 'silent_k' in [kpi]"},
        {"[clips]\naround = 30x\n", "2: around: '30x' is not a duration (like 90s, 30m, 1h)"},
        {"[clips]\naround = -5\n", "2: around: '-5' is not a duration (like 90s, 30m, 1h)"},
        {"[clips]\naround = 2h\n", "2: around: 2h is outside [1s, 3600s]"},
        {"[feeds]\nheartbeat_timeout = 0\n", "2: heartbeat_timeout: 0 is outside [1s, 3600s]"},
        {"[emotion]\nmixed_min = 2\n", "2: mixed_min: 2 is outside [0, 1]"},
        {"[emotion]\nnegative_bursts = 1.5\n", "2: negative_bursts: '1.5' is not a whole number"},
        {"[ui]\nlang = de\n", "2: lang: 'de' is not ru or en"},
        {"[ui]\ntheme =\n", "2: theme: empty"},
        {"[database]\npath =\n", "2: empty path"},
        {"[scale]\nvalues = super:+\n", "2: values: a scale needs at least 2 values"},
        {"[scale]\nvalues = super, bad:-\n",
         "2: values: 'super' has no polarity (expected VALUE:+, VALUE:0 or VALUE:-)"},
        {"[scale]\nvalues = super:x, bad:-\n", "2: values: 'super:x': polarity must be +, 0 or -"},
        {"[scale]\nvalues = a:+, a:-\n", "2: values: 'a' listed twice"},
        {"[scale]\nvalues = a b:+, c:-\n",
         "2: values: 'a b': only letters, digits, '_', '-' and '.' in a value"},
        {"[scale]\nvalues = a:+,,c:-\n", "2: values: empty item (expected VALUE:POLARITY)"},
        {"[scale]\n\nname = stars\n", "3: name: unknown scale 'stars' (give its values)"},
        {"[source.x]\ntarget = /s\n", "1: [source.x]: 'kind' missing"},
        {"\n[source.y]\nkind = cloud\n", "2: [source.y]: 'target' missing"},
        {"[source.x]\nkind = ftp\n", "2: kind: 'ftp' is not agent, agent_log, cloud or demo"},
        {"[source.x]\nkind = agent\nport = 5\n", "3: unknown key 'port' in [source.x]"},
        {"[source.]\nkind = agent\n", "2: [source.NAME] needs a name"},
        {"[alert.]\ncount = 1\n", "2: [alert.NAME] needs a name"},
        /* Found by fuzz_config: a vertical tab before the header. */
        {"\v[alert.negative-streak]\ncount = 0\n",
         "1: [alert.negative-streak]: needs 'count' or 'share'"},
        {"[alert.a]\nevents = bad\n", "2: events: 'bad' is not an event type (or 'negative')"},
        {"[alert.a]\nevents = rating, negative\n",
         "2: events: 'rating' and 'negative' together (negative means the negative ratings)"},
        {"[alert.a]\ncount = 3\n", "1: [alert.a]: 'events' missing"},
        {"\n\n[alert.b]\nevents = negative\n", "3: [alert.b]: needs 'count' or 'share'"},
        {"[alert.b]\nevents = red_button\nshare = 0.5\n",
         "1: [alert.b]: 'share' is a share of ratings: 'events' must hold negative or rating"},
        {"[alert.a]\nevents = negative\ncount = 3\nscope = site\n",
         "4: scope: 'site' is not location, desk or employee"},
        {"[alert.a]\nevents = negative\ncount = 3\nwindow = 30\nwindow = 40\n",
         "5: duplicate key 'window' in [alert.a]"},
        {"[alert.a]\nevents = negative\ncount = -1\n", "3: count: -1 is outside [0, 1000000]"},
        {"[alert.a]\nevents = negative\nshare = 1.5\n", "3: share: 1.5 is outside [0, 1]"},
        {"[alert.a]\nenabled = maybe\n", "2: enabled: 'maybe' is not yes or no"},
        {"[alert.negative-streak]\nwindo = 1\n",
         "2: unknown key 'windo' in [alert.negative-streak]"},
        {"[alert.this-name-is-far-too-long-for-an-alert-rule-name]\ncount = 1\n",
         "1: section name longer than 49 bytes"},
        {"[ui]\nthis_key_is_much_longer_than_inih_would_keep_for_a_key_name = 1\n",
         "2: key longer than 49 bytes"},
    };
    char err[512], want[600];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cxm_config c;
        config_defaults(&c);
        const char *p = write_ini(cases[i].text);
        int rc = config_load(&c, p, err, sizeof err);
        snprintf(want, sizeof want, "%s:%s", p, cases[i].err);
        if (rc != -1 || strcmp(err, want) != 0)
            fail_msg("config:\n%s\n  expected: %s\n  got rc=%d: %s", cases[i].text, want, rc, err);
        config_free(&c);
    }
}

static void test_limits(void **state)
{
    (void)state;
    char text[8192], err[512], want[600];
    size_t n = 0;
    for (int i = 0; i <= CONFIG_SOURCES_MAX; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "[source.s%d]\nkind = demo\n", i);
    cxm_config c;
    config_defaults(&c);
    const char *p = write_ini(text);
    assert_int_equal(config_load(&c, p, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:%d: more than %d sources", p, 2 * CONFIG_SOURCES_MAX + 2,
             CONFIG_SOURCES_MAX);
    assert_string_equal(err, want);
    config_free(&c);

    n = 0;
    for (int i = 0; i < CONFIG_ALERTS_MAX - 1; i++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "[alert.a%d]\nevents = silent\ncount = 2\n", i);
    config_defaults(&c);
    p = write_ini(text);
    assert_int_equal(config_load(&c, p, err, sizeof err), -1); /* 2 built in + 15 */
    snprintf(want, sizeof want, "%s:%d: more than %d alert rules", p,
             3 * (CONFIG_ALERTS_MAX - 2) + 2, CONFIG_ALERTS_MAX);
    assert_string_equal(err, want);
    config_free(&c);
}

static void test_long_line(void **state)
{
    (void)state;
    char text[1024], err[512];
    int n = snprintf(text, sizeof text, "[ui]\ncamera_url = ");
    memset(text + n, 'x', 300);
    strcpy(text + n + 300, "\n");
    cxm_config c;
    config_defaults(&c);
    const char *p = write_ini(text);
    assert_int_equal(config_load(&c, p, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2: line longer than 198 bytes"));
    config_free(&c);
}

static void test_bad_file_keeps_config(void **state)
{
    (void)state;
    char err[512];
    cxm_config c;
    config_defaults(&c);
    const char *p = write_ini("[ui]\ntheme = dark\n[source.s]\nkind = agent\ntarget = /sock\n");
    assert_int_equal(config_load(&c, p, err, sizeof err), 0);
    p = write_ini(
        "[ui]\ntheme = light\n[kpi]\nsilent_k = 0.3\n[source.t]\nkind = cloud\ntarget = https://x\n"
        "[alert.negative-streak]\ncount = 9\n[clips]\nnope = 1\n");
    assert_int_equal(config_load(&c, p, err, sizeof err), -1);
    assert_string_equal(c.theme, "dark");
    assert_true(c.kpi_k == 0.5);
    assert_int_equal(c.nsources, 1);
    assert_string_equal(c.sources[0].target, "/sock");
    assert_int_equal(c.alerts[0].count_threshold, 3);
    config_free(&c);
}

static void test_missing_files(void **state)
{
    (void)state;
    char err[512], dir[300];
    cxm_config c;
    config_defaults(&c);
    assert_int_equal(config_load(&c, "/nonexistent/cxm.ini", err, sizeof err), -1);
    assert_string_equal(err, "/nonexistent/cxm.ini: No such file or directory");
    /* The default path may be absent. */
    snprintf(dir, sizeof dir, "%s/xdg", tmpdir);
    setenv("XDG_CONFIG_HOME", dir, 1);
    assert_int_equal(config_load(&c, NULL, err, sizeof err), 0);
    char *d = config_dir();
    char want[400];
    snprintf(want, sizeof want, "%s/cxm-console", dir);
    assert_string_equal(d, want);
    free(d);

    snprintf(dir, sizeof dir, "%s/data", tmpdir);
    setenv("XDG_DATA_HOME", dir, 1);
    char *db = config_default_db_path();
    snprintf(want, sizeof want, "%s/cxm-console/cxm.db", dir);
    assert_string_equal(db, want);
    free(db);
    snprintf(want, sizeof want, "%s/cxm-console", dir);
    assert_int_equal(access(want, W_OK), 0);
    config_free(&c);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_bad_file_keeps_config),
        cmocka_unit_test(test_missing_files),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
