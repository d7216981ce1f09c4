/* The SQLite store: dedupe, transactions, reopen, migrations, refusal of
 * files that are not ours (left byte-for-byte untouched), feed positions,
 * names, live state, clips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "cxm/store.h"
#include "store/store_internal.h"
#include "cxm/timefmt.h"
#include "store_fixture.h"

#define T0 1795421700000000LL /* 2026-11-23T07:35:00Z, a quarter-hour boundary */

static store *open_mem(void)
{
    store *s = NULL;
    char err[512];
    int rc = store_open(":memory:", &s, err, sizeof err);
    if (rc != 0) fail_msg("open: %s", err);
    return s;
}

static int64_t q_int(store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    int64_t v = -1;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static char *q_text(store *s, const char *sql)
{
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
    char *v = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return v;
}

static void put_ok(store *s, const event *e, bool expect_inserted)
{
    bool ins = !expect_inserted;
    assert_int_equal(store_put(s, e, &ins), 0);
    assert_true(ins == expect_inserted);
}

static void test_dedupe(void **state)
{
    (void)state;
    store *s = open_mem();
    event a = fx_event("a.1", T0, EV_ARRIVAL, "loc-1", "d1", "e1");
    assert_int_equal(store_begin(s), 0);
    put_ok(s, &a, true);
    put_ok(s, &a, false);
    assert_int_equal(store_commit(s), 0);
    put_ok(s, &a, false); /* outside a transaction too */
    assert_int_equal(store_count_events(s), 1);
    assert_int_equal(q_int(s, "SELECT sum(arrivals) FROM rollup_q"), 1);
    assert_int_equal(q_int(s, "SELECT sum(arrivals) FROM rollup_d"), 1);
    store_close(s);
}

static void test_heartbeat_not_stored(void **state)
{
    (void)state;
    store *s = open_mem();
    event h = fx_event("hb.1", T0, EV_HEARTBEAT, "loc-1", NULL, NULL);
    bool ins = true;
    assert_int_equal(store_put(s, &h, &ins), 0);
    assert_false(ins);
    assert_int_equal(store_count_events(s), 0);
    store_close(s);
}

static void test_batch_and_rollback(void **state)
{
    (void)state;
    store *s = open_mem();
    char id[32];
    assert_int_equal(store_begin(s), 0);
    assert_int_not_equal(store_begin(s), 0); /* nested */
    for (int i = 0; i < 1000; i++) {
        snprintf(id, sizeof id, "r.%d", i);
        event e = fx_event(id, T0 + (int64_t)i * 60000000, EV_RATING, "loc-1", "d1", "e1");
        e.rating = (char *)(i % 3 == 0 ? "super" : i % 3 == 1 ? "so_so" : "bad");
        e.polarity = i % 3 == 0 ? POL_POSITIVE : i % 3 == 1 ? POL_NEUTRAL : POL_NEGATIVE;
        put_ok(s, &e, true);
    }
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(store_count_events(s), 1000);
    assert_int_equal(q_int(s, "SELECT sum(ratings_total) FROM rollup_q"), 1000);
    assert_int_equal(q_int(s, "SELECT sum(positive) FROM rollup_q"), 334);
    assert_int_equal(q_int(s, "SELECT sum(negative) FROM rollup_d"), 333);
    assert_int_equal(q_int(s, "SELECT sum(n) FROM rollup_q_rating WHERE rating = 'so_so'"), 333);
    /* 1000 minutes span 67 quarter-hours */
    assert_int_equal(q_int(s, "SELECT count(*) FROM rollup_q"), 67);

    assert_int_equal(store_begin(s), 0);
    event x = fx_event("x.1", T0, EV_SILENT, "loc-1", "d1", "e1");
    put_ok(s, &x, true);
    store_rollback(s);
    assert_int_equal(store_count_events(s), 1000);
    assert_int_equal(q_int(s, "SELECT sum(silent) FROM rollup_q"), 0);
    /* after a rollback the same id goes in again, counted once */
    assert_int_equal(store_begin(s), 0);
    put_ok(s, &x, true);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(q_int(s, "SELECT sum(silent) FROM rollup_q"), 1);
    store_close(s);
}

static void test_reopen_file(void **state)
{
    (void)state;
    char dir[256], path[300], err[512];
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/cxm.db", dir);
    store *s = NULL;
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_string_equal(store_path(s), path);
    char *mode = q_text(s, "PRAGMA journal_mode");
    assert_string_equal(mode, "wal");
    free(mode);
    assert_int_equal(q_int(s, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(q_int(s, "PRAGMA foreign_keys"), 1);
    assert_int_equal(q_int(s, "PRAGMA busy_timeout"), 5000);
    event e = fx_event("e.1", T0, EV_SERVED, "loc-1", NULL, NULL);
    e.count = 7;
    e.period_s = 3600;
    put_ok(s, &e, true);
    store_close(s);
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(store_count_events(s), 1);
    assert_int_equal(q_int(s, "SELECT served FROM rollup_q"), 7);
    assert_int_equal(q_int(s, "SELECT period_s FROM events"), 3600);
    assert_int_equal(q_int(s, "PRAGMA user_version"), store_schema_latest());
    assert_int_equal(q_int(s, "PRAGMA application_id"), STORE_APPLICATION_ID);
    store_close(s);
    fx_rmdir(dir);
}

static void test_migrate_from_v1(void **state)
{
    (void)state;
    char dir[256], path[300], err[512];
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/old.db", dir);
    store *s = NULL;
    assert_int_equal(store_open_upto(path, 1, &s, err, sizeof err), 0);
    assert_int_equal(q_int(s, "PRAGMA user_version"), 1);
    assert_int_equal(q_int(s, "SELECT count(*) FROM sqlite_master WHERE name = 'events_v'"), 0);
    event e = fx_event("old.1", T0, EV_RATING, "loc-1", "d1", "e1");
    e.rating = "super";
    e.polarity = POL_POSITIVE;
    e.employee_name = "Анна";
    put_ok(s, &e, true);
    store_close(s);

    assert_true(store_schema_latest() >= 2);
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(q_int(s, "PRAGMA user_version"), store_schema_latest());
    assert_int_equal(store_count_events(s), 1);
    assert_int_equal(q_int(s, "SELECT sum(positive) FROM rollup_q"), 1);
    char *name = q_text(s, "SELECT employee_name FROM events_v WHERE id = 'old.1'");
    assert_non_null(name);
    assert_string_equal(name, "Анна");
    free(name);
    store_close(s);
    fx_rmdir(dir);
}

/* Builds a plain SQLite file with the given pragmas/tables, then checks that
 * store_open refuses it with `want` in the message and leaves it unchanged. */
static void refused_untouched(const char *setup_sql, const char *want)
{
    char dir[256], path[300], err[512] = "";
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/x.db", dir);
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, setup_sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    size_t n1, n2;
    char *before = fx_slurp(path, &n1);
    assert_non_null(before);
    store *s = (store *)1;
    assert_int_not_equal(store_open(path, &s, err, sizeof err), 0);
    assert_null(s);
    if (!strstr(err, want)) fail_msg("message '%s' lacks '%s'", err, want);
    char *after = fx_slurp(path, &n2);
    assert_non_null(after);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
    fx_rmdir(dir);
}

static void test_newer_version_refused(void **state)
{
    (void)state;
    char sql[200];
    snprintf(sql, sizeof sql,
             "PRAGMA application_id = %d; PRAGMA user_version = 999; CREATE TABLE events(id);",
             STORE_APPLICATION_ID);
    char want[120];
    snprintf(want, sizeof want, "database schema version 999 is newer than this cxm-console (%d)",
             store_schema_latest());
    refused_untouched(sql, want);
}

static void test_foreign_db_refused(void **state)
{
    (void)state;
    refused_untouched("CREATE TABLE photos(id INTEGER PRIMARY KEY, path TEXT);"
                      "INSERT INTO photos(path) VALUES ('a.jpg');",
                      "not a cxm-console database");
    refused_untouched("PRAGMA application_id = 1234; PRAGMA user_version = 1;",
                      "not a cxm-console database");
}

static void test_not_sqlite_refused(void **state)
{
    (void)state;
    char dir[256], path[300], err[512] = "";
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/notes.txt", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fprintf(f, "this is a text file, line %d, not a database\n", i);
    fclose(f);
    size_t n1, n2;
    char *before = fx_slurp(path, &n1);
    store *s = NULL;
    assert_int_not_equal(store_open(path, &s, err, sizeof err), 0);
    assert_non_null(strstr(err, "not an SQLite database"));
    char *after = fx_slurp(path, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(before, after, n1);
    free(before);
    free(after);
    fx_rmdir(dir);
}

static void test_cursors_and_tails(void **state)
{
    (void)state;
    store *s = open_mem();
    char last[EVENT_ID_MAX + 1];
    assert_int_equal(store_cursor_get(s, "agent", last, sizeof last), 1);
    assert_int_equal(store_cursor_set(s, "agent", "ev.10"), 0);
    assert_int_equal(store_cursor_get(s, "agent", last, sizeof last), 0);
    assert_string_equal(last, "ev.10");
    assert_int_equal(store_begin(s), 0);
    assert_int_equal(store_cursor_set(s, "agent", "ev.11"), 0);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(store_cursor_get(s, "agent", last, sizeof last), 0);
    assert_string_equal(last, "ev.11");
    assert_int_equal(store_cursor_get(s, "cloud", last, sizeof last), 1);

    uint64_t dev = 0, ino = 0;
    int64_t off = 0;
    assert_int_equal(store_tail_get(s, "/var/log/agent.jsonl", &dev, &ino, &off), 1);
    uint64_t big = UINT64_C(0x8000000000000005);
    assert_int_equal(store_tail_set(s, "/var/log/agent.jsonl", big, 42, 1234567), 0);
    assert_int_equal(store_tail_get(s, "/var/log/agent.jsonl", &dev, &ino, &off), 0);
    assert_true(dev == big);
    assert_true(ino == 42);
    assert_int_equal(off, 1234567);
    assert_int_equal(store_tail_set(s, "/var/log/agent.jsonl", 1, 43, 0), 0);
    assert_int_equal(store_tail_get(s, "/var/log/agent.jsonl", &dev, &ino, &off), 0);
    assert_true(ino == 43 && off == 0);
    store_close(s);
}

static void test_names_live_clips(void **state)
{
    (void)state;
    store *s = open_mem();
    assert_int_equal(store_begin(s), 0);
    event em = fx_event("m.1", T0, EV_EMOTION, "loc-1", "d1", "e1");
    em.location_name = "Клиника";
    em.employee_name = "Анна";
    fx_emotion(&em.emo_employee, EMO_NEGATIVE);
    put_ok(s, &em, true);
    event r = fx_event("r.1", T0 + 5000000, EV_RATING, "loc-1", "d1", "e1");
    r.rating = "bad";
    r.polarity = POL_NEGATIVE;
    r.clip_kind = "after_rating";
    r.clip_url = "https://x/1.ogg";
    put_ok(s, &r, true);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(q_int(s, "SELECT emo_label FROM live WHERE employee_id = 'e1'"), EMO_NEGATIVE);
    assert_int_equal(q_int(s, "SELECT rating_emo_label FROM live"), EMO_NEGATIVE);
    assert_int_equal(q_int(s, "SELECT rating_ts FROM live"), T0 + 5000000);
    char *t = q_text(s, "SELECT rating_event_id FROM live");
    assert_string_equal(t, "r.1");
    free(t);
    t = q_text(s, "SELECT url FROM clips WHERE event_id = 'r.1' AND kind = 'after_rating'");
    assert_string_equal(t, "https://x/1.ogg");
    free(t);

    /* a late, older emotion does not move the live state back; a newer one does,
     * and a rating without a label inherits the live one via the database */
    assert_int_equal(store_begin(s), 0);
    event old = fx_event("m.0", T0 - 60000000, EV_EMOTION, "loc-1", "d1", "e1");
    fx_emotion(&old.emo_employee, EMO_POSITIVE);
    put_ok(s, &old, true);
    event clip = fx_event("c.1", T0 + 9000000, EV_CLIP, "loc-1", NULL, NULL);
    clip.ref = "r.1";
    clip.clip_kind = "visit";
    clip.clip_url = "https://x/v.ogg";
    put_ok(s, &clip, true);
    event ren = fx_event("m.2", T0 + 10000000, EV_EMOTION, "loc-1", "d2", "e1");
    ren.employee_name = "Анна Петрова";
    fx_emotion(&ren.emo_employee, EMO_MIXED);
    put_ok(s, &ren, true);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(q_int(s, "SELECT emo_label FROM live"), EMO_MIXED);
    t = q_text(s, "SELECT desk FROM live");
    assert_string_equal(t, "d2");
    free(t);
    assert_int_equal(q_int(s, "SELECT count(*) FROM clips WHERE event_id = 'r.1'"), 2);
    t = q_text(s, "SELECT name FROM employees WHERE id = 'e1'");
    assert_string_equal(t, "Анна Петрова");
    free(t);
    t = q_text(s, "SELECT desk FROM employees WHERE id = 'e1'");
    assert_string_equal(t, "d2");
    free(t);
    t = q_text(s, "SELECT name FROM locations WHERE id = 'loc-1'");
    assert_string_equal(t, "Клиника");
    free(t);

    assert_int_equal(store_begin(s), 0);
    event r2 = fx_event("r.2", T0 + 20000000, EV_RATING, "loc-1", "d2", "e1");
    r2.rating = "super";
    r2.polarity = POL_POSITIVE;
    put_ok(s, &r2, true);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(q_int(s, "SELECT rating_emo_label FROM live"), EMO_MIXED);
    t = q_text(s, "SELECT rating FROM live");
    assert_string_equal(t, "super");
    free(t);
    store_close(s);
}

static void test_rollup_emotions_and_loyal(void **state)
{
    (void)state;
    store *s = open_mem();
    assert_int_equal(store_begin(s), 0);
    event a = fx_event("a", T0, EV_RATING, "L", "d", "e");
    a.rating = "super";
    a.polarity = POL_POSITIVE;
    fx_emotion(&a.emo_employee, EMO_POSITIVE);
    fx_emotion(&a.emo_customer, EMO_POSITIVE);
    put_ok(s, &a, true);
    event b = fx_event("b", T0 + 1, EV_SILENT, "L", "d", "e");
    put_ok(s, &b, true);
    event c = fx_event("c", T0 + 2, EV_RED_BUTTON, "L", "d", "e");
    put_ok(s, &c, true);
    event d = fx_event("d", T0 + 3, EV_FORCE_MAJEURE, "L", "d", NULL);
    put_ok(s, &d, true);
    assert_int_equal(store_commit(s), 0);
    assert_int_equal(q_int(s, "SELECT loyal FROM rollup_q WHERE employee_id = 'e'"), 1);
    assert_int_equal(q_int(s, "SELECT emo_positive FROM rollup_q WHERE employee_id = 'e'"), 1);
    assert_int_equal(q_int(s, "SELECT emo_unknown FROM rollup_q WHERE employee_id = 'e'"), 1);
    assert_int_equal(q_int(s, "SELECT red_buttons FROM rollup_q WHERE employee_id = 'e'"), 1);
    assert_int_equal(q_int(s, "SELECT force_majeure FROM rollup_d WHERE employee_id = ''"), 1);
    assert_int_equal(q_int(s, "SELECT flags FROM events WHERE id = 'a'"),
                     STORE_FLAG_CONTACT | STORE_FLAG_POSITIVE | STORE_FLAG_LOYAL);
    assert_int_equal(q_int(s, "SELECT emo FROM rollup_q_rating"), EMO_POSITIVE);
    store_close(s);
}

static void test_data_version_other_writer(void **state)
{
    (void)state;
    char dir[256], path[300], err[512];
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/shared.db", dir);
    store *s1 = NULL, *s2 = NULL;
    assert_int_equal(store_open(path, &s1, err, sizeof err), 0);
    assert_int_equal(store_open(path, &s2, err, sizeof err), 0);
    int64_t v = store_data_version(s1);
    event e = fx_event("x", T0, EV_ARRIVAL, "L", "d", "e");
    e.employee_name = "Old";
    put_ok(s2, &e, true);
    assert_int_not_equal(store_data_version(s1), v);
    put_ok(s1, &e, false); /* the other writer's row dedupes ours */
    /* s1 caches e's name; s2 renames; s1 writes "Old" again and must not be
     * fooled by its stale cache into skipping the write */
    event e2 = fx_event("y", T0 + 1, EV_ARRIVAL, "L", "d", "e");
    e2.employee_name = "Old";
    put_ok(s1, &e2, true);
    event e3 = fx_event("z", T0 + 2, EV_ARRIVAL, "L", "d", "e");
    e3.employee_name = "New";
    put_ok(s2, &e3, true);
    event e4 = fx_event("w", T0 + 3, EV_ARRIVAL, "L", "d", "e");
    e4.employee_name = "Old";
    put_ok(s1, &e4, true);
    char *t = q_text(s2, "SELECT name FROM employees");
    assert_string_equal(t, "Old");
    free(t);
    assert_int_equal(q_int(s2, "SELECT sum(arrivals) FROM rollup_q"), 4);
    store_close(s1);
    store_close(s2);
    fx_rmdir(dir);
}

/* A reader (kpi, a second console) opens an up-to-date database while an
 * import holds the write lock: opening must not wait for that lock. */
static void test_open_while_writer_holds_lock(void **state)
{
    (void)state;
    char dir[256], path[300], err[512];
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/locked.db", dir);
    store *w = NULL, *r = NULL;
    assert_int_equal(store_open(path, &w, err, sizeof err), 0);
    assert_int_equal(store_begin(w), 0);
    event e = fx_event("held", T0, EV_ARRIVAL, "L", "d", "e");
    put_ok(w, &e, true);
    int64_t t0 = time_mono_us();
    int rc = store_open(path, &r, err, sizeof err);
    if (rc != 0) fprintf(stderr, "open while locked: %s\n", err);
    assert_int_equal(rc, 0);
    assert_true(time_mono_us() - t0 < 2000000); /* no busy wait on the writer */
    assert_int_equal(store_count_events(r), 0);   /* uncommitted rows stay unseen */
    assert_int_equal(store_commit(w), 0);
    assert_int_equal(store_count_events(r), 1);
    store_close(r);
    store_close(w);
    fx_rmdir(dir);
}

/* Two processes store the same events at once, in batches: no error, every
 * event once, and the rollups count each once (only the inserting writer
 * adds to them). */
static void test_two_writers(void **state)
{
    (void)state;
    char dir[256], path[300], err[512];
    fx_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/two.db", dir);
    enum { N = 6000 };
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        assert_true(kids[k] >= 0);
        if (kids[k] == 0) {
            store *s = NULL;
            if (store_open(path, &s, err, sizeof err) != 0) {
                fprintf(stderr, "child open: %s\n", err);
                _exit(1);
            }
            for (int i = 0; i < N; i++) {
                if (i % 500 == 0 && store_begin(s) != 0) _exit(2);
                char id[32];
                /* the second writer goes backwards: the two meet mid-file */
                int j = k ? N - 1 - i : i;
                snprintf(id, sizeof id, "tw.%05d", j);
                event e = fx_event(id, T0 + (int64_t)j * 1000000, j % 2 ? EV_RATING : EV_SILENT,
                                   "L", "d", j % 3 ? "e1" : "e2");
                e.rating = j % 2 ? "super" : NULL;
                e.polarity = j % 2 ? POL_POSITIVE : POL_NONE;
                if (store_put(s, &e, NULL) != 0) {
                    fprintf(stderr, "child put: %s\n", store_errmsg(s));
                    _exit(3);
                }
                if (i % 500 == 499 && store_commit(s) != 0) _exit(4);
            }
            store_close(s);
            _exit(0);
        }
    }
    for (int k = 0; k < 2; k++) {
        int st = -1;
        assert_int_equal(waitpid(kids[k], &st, 0), kids[k]);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
    }
    store *s = NULL;
    assert_int_equal(store_open(path, &s, err, sizeof err), 0);
    assert_int_equal(store_count_events(s), N);
    assert_int_equal(q_int(s, "SELECT sum(ratings_total) FROM rollup_q"), N / 2);
    assert_int_equal(q_int(s, "SELECT sum(silent) FROM rollup_q"), N / 2);
    assert_int_equal(q_int(s, "SELECT sum(ratings_total + silent) FROM rollup_d"), N);
    assert_int_equal(q_int(s, "SELECT sum(n) FROM rollup_q_rating"), N / 2);
    store_close(s);
    fx_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dedupe),
        cmocka_unit_test(test_heartbeat_not_stored),
        cmocka_unit_test(test_batch_and_rollback),
        cmocka_unit_test(test_reopen_file),
        cmocka_unit_test(test_migrate_from_v1),
        cmocka_unit_test(test_newer_version_refused),
        cmocka_unit_test(test_foreign_db_refused),
        cmocka_unit_test(test_not_sqlite_refused),
        cmocka_unit_test(test_cursors_and_tails),
        cmocka_unit_test(test_names_live_clips),
        cmocka_unit_test(test_rollup_emotions_and_loyal),
        cmocka_unit_test(test_data_version_other_writer),
        cmocka_unit_test(test_two_writers),
        cmocka_unit_test(test_open_while_writer_holds_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
