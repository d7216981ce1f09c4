/* Checklist entries in the store: revisions numbered from 1, every revision
 * kept with its causes, stamps and primary flag; a save against an older
 * revision refused with who/when and nothing written; two connections (as
 * two consoles); claims: held by another user, renewed by the same user,
 * free again after expiry, dropped when the entry is done; the entry model
 * (toggle, primary, same). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/review.h"
#include "cxm/store.h"
#include "store_fixture.h"

#define US 1000000LL

typedef struct {
    char dir[512], path[600];
    store *a, *b; /* two connections: two consoles on one database */
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    fx_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->path, sizeof f->path, "%s/r.db", f->dir);
    char err[256];
    assert_int_equal(store_open(f->path, &f->a, err, sizeof err), 0);
    assert_int_equal(store_open(f->path, &f->b, err, sizeof err), 0);
    event e = fx_event("ev1", 1764000000 * US, EV_RATING, "L1", "d1", "e1");
    e.rating = "bad";
    e.polarity = POL_NEGATIVE;
    bool ins;
    assert_int_equal(store_begin(f->a), 0);
    assert_int_equal(store_put(f->a, &e, &ins), 0);
    assert_int_equal(store_commit(f->a), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->a);
    store_close(f->b);
    fx_rmdir(f->dir);
    free(f);
    return 0;
}

static void test_event_lookup(void **state)
{
    fx *f = *state;
    int type, pol;
    int64_t ts;
    assert_int_equal(review_event(f->a, "ev1", &type, &pol, &ts), REVIEW_OK);
    assert_int_equal(type, EV_RATING);
    assert_int_equal(pol, POL_NEGATIVE);
    assert_int_equal(ts, 1764000000 * US);
    assert_int_equal(review_event(f->a, "nope", &type, &pol, &ts), REVIEW_NONE);
}

static void test_revisions(void **state)
{
    fx *f = *state;
    review_entry e, cur;
    assert_int_equal(review_get(f->a, "ev1", "dissatisfaction", &e), REVIEW_NONE);
    assert_int_equal(e.revision, 0);
    snprintf(e.reviewer, sizeof e.reviewer, "alice");
    assert_int_equal(review_entry_toggle(&e, "staff.rude", true, 7000), 0);
    assert_int_equal(review_entry_toggle(&e, "process.queue", true, -4000), 0); /* before the event */
    review_entry_set_primary(&e, "process.queue");
    assert_int_equal(review_entry_set_comment(&e, "Очередь до двери"), 0);
    e.needs_info = true;
    assert_int_equal(review_save(f->a, &e, 0, NULL), REVIEW_OK);
    assert_int_equal(e.revision, 1);

    /* the other console reads it */
    assert_int_equal(review_get(f->b, "ev1", "dissatisfaction", &cur), REVIEW_OK);
    assert_int_equal(cur.revision, 1);
    assert_string_equal(cur.reviewer, "alice");
    assert_int_equal(cur.ncauses, 2);
    assert_string_equal(cur.causes[0].item, "staff.rude");
    assert_int_equal(cur.causes[0].at_ms, 7000);
    assert_true(cur.causes[1].at_ms == -4000);
    assert_string_equal(review_entry_primary(&cur), "process.queue");
    assert_string_equal(cur.comment, "Очередь до двери");
    assert_true(cur.needs_info);
    assert_true(review_entry_same(&cur, &e));

    /* bob saves revision 2 from the other console, based on 1 */
    snprintf(cur.reviewer, sizeof cur.reviewer, "bob");
    review_entry_toggle(&cur, "staff.rude", false, REVIEW_NO_STAMP);
    cur.status = REVIEW_DONE;
    cur.needs_info = false;
    assert_int_equal(review_save(f->b, &cur, 1, NULL), REVIEW_OK);
    assert_int_equal(cur.revision, 2);

    /* alice, still on revision 1, is refused with bob's name and time */
    review_entry now;
    review_entry_toggle(&e, "staff.slow", true, REVIEW_NO_STAMP);
    assert_int_equal(review_save(f->a, &e, 1, &now), REVIEW_STALE);
    assert_int_equal(e.revision, 1); /* untouched */
    assert_int_equal(now.revision, 2);
    assert_string_equal(now.reviewer, "bob");
    assert_int_equal(now.saved_us, cur.saved_us);
    assert_int_equal(now.status, REVIEW_DONE);
    review_entry_clear(&now);

    /* ... and may overwrite deliberately (no expected revision) */
    snprintf(e.reviewer, sizeof e.reviewer, "alice");
    assert_int_equal(review_save(f->a, &e, -1, NULL), REVIEW_OK);
    assert_int_equal(e.revision, 3);

    review_entry *h;
    size_t n;
    assert_int_equal(review_history(f->b, "ev1", "dissatisfaction", &h, &n), REVIEW_OK);
    assert_int_equal(n, 3);
    assert_int_equal(h[0].revision, 1);
    assert_int_equal(h[0].ncauses, 2);
    assert_string_equal(h[1].reviewer, "bob");
    assert_int_equal(h[1].ncauses, 1);
    assert_int_equal(h[1].status, REVIEW_DONE);
    assert_int_equal(h[2].ncauses, 3);
    assert_true(h[0].saved_us < h[1].saved_us && h[1].saved_us < h[2].saved_us);
    review_history_free(h, n);
    /* another checklist of the same event is a separate entry */
    review_entry d;
    assert_int_equal(review_get(f->a, "ev1", "delight", &d), REVIEW_NONE);
    review_entry_clear(&d);
    review_entry_clear(&e);
    review_entry_clear(&cur);
}

static void test_save_in_tx_rolls_back(void **state)
{
    fx *f = *state;
    review_entry e;
    review_entry_init(&e, "ev1", "x");
    snprintf(e.reviewer, sizeof e.reviewer, "carol");
    review_entry_toggle(&e, "a", true, REVIEW_NO_STAMP);
    assert_int_equal(store_begin(f->a), 0);
    assert_int_equal(review_save_in_tx(f->a, &e, 0, NULL), REVIEW_OK);
    store_rollback(f->a);
    review_entry g;
    assert_int_equal(review_get(f->a, "ev1", "x", &g), REVIEW_NONE);
    review_entry_clear(&g);
    review_entry_clear(&e);
}

static void test_claims(void **state)
{
    fx *f = *state;
    const int64_t t0 = 1764000000 * US, ttl = 30 * 60 * US;
    review_claim c;
    assert_int_equal(review_claim_get(f->b, "ev1", t0, &c), REVIEW_NONE);
    assert_int_equal(review_claim_take(f->a, "ev1", "alice", ttl, t0, NULL), REVIEW_OK);
    /* visible to the other console */
    assert_int_equal(review_claim_get(f->b, "ev1", t0 + US, &c), REVIEW_OK);
    assert_string_equal(c.by, "alice");
    assert_int_equal(c.since_us, t0);
    assert_int_equal(c.expires_us, t0 + ttl);
    /* bob cannot take it while it lasts */
    assert_int_equal(review_claim_take(f->b, "ev1", "bob", ttl, t0 + 60 * US, &c), REVIEW_HELD);
    assert_string_equal(c.by, "alice");
    /* alice renews: same "since", later expiry */
    assert_int_equal(review_claim_take(f->a, "ev1", "alice", ttl, t0 + 600 * US, NULL), REVIEW_OK);
    assert_int_equal(review_claim_get(f->b, "ev1", t0 + 600 * US, &c), REVIEW_OK);
    assert_int_equal(c.since_us, t0);
    assert_int_equal(c.expires_us, t0 + 600 * US + ttl);
    /* a forgotten claim frees itself */
    int64_t later = t0 + 600 * US + ttl;
    assert_int_equal(review_claim_get(f->b, "ev1", later, &c), REVIEW_NONE);
    assert_int_equal(review_claim_take(f->b, "ev1", "bob", ttl, later, NULL), REVIEW_OK);
    assert_int_equal(review_claim_get(f->a, "ev1", later, &c), REVIEW_OK);
    assert_string_equal(c.by, "bob");
    assert_int_equal(c.since_us, later);
    /* alice cannot release bob's claim; bob can */
    assert_int_equal(review_claim_release(f->a, "ev1", "alice"), REVIEW_OK);
    assert_int_equal(review_claim_get(f->a, "ev1", later, &c), REVIEW_OK);
    assert_int_equal(review_claim_release(f->b, "ev1", "bob"), REVIEW_OK);
    assert_int_equal(review_claim_get(f->a, "ev1", later, &c), REVIEW_NONE);
    /* saving as done drops the claim; a draft keeps it */
    int64_t now = 4102444800LL * US; /* claims now, in the future of any test run */
    assert_int_equal(review_claim_take(f->a, "ev1", "alice", ttl, now, NULL), REVIEW_OK);
    review_entry e;
    review_entry_init(&e, "ev1", "dissatisfaction");
    snprintf(e.reviewer, sizeof e.reviewer, "alice");
    e.no_cause = true;
    assert_int_equal(review_save(f->a, &e, -1, NULL), REVIEW_OK);
    assert_int_equal(review_claim_get(f->b, "ev1", now, &c), REVIEW_OK);
    e.status = REVIEW_DONE;
    assert_int_equal(review_save(f->a, &e, -1, NULL), REVIEW_OK);
    assert_int_equal(review_claim_get(f->b, "ev1", now, &c), REVIEW_NONE);
    review_entry_clear(&e);
}

static void test_entry_model(void **state)
{
    (void)state;
    review_entry a, b;
    review_entry_init(&a, "x", "y");
    review_entry_toggle(&a, "i1", true, REVIEW_NO_STAMP);
    review_entry_toggle(&a, "i2", true, REVIEW_NO_STAMP);
    review_entry_set_primary(&a, "i2");
    review_entry_toggle(&a, "i2", true, 5000); /* already on: only the stamp changes */
    assert_int_equal(a.ncauses, 2);
    assert_int_equal(a.causes[1].at_ms, 5000);
    assert_true(a.causes[1].primary);
    assert_int_equal(review_entry_copy(&b, &a), 0);
    assert_true(review_entry_same(&a, &b));
    review_entry_toggle(&b, "i2", false, REVIEW_NO_STAMP); /* removing the primary clears it */
    assert_null(review_entry_primary(&b));
    assert_false(review_entry_same(&a, &b));
    char longid[CHECKLIST_ID_MAX + 8];
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    assert_int_equal(review_entry_toggle(&b, longid, true, REVIEW_NO_STAMP), -1);
    review_entry_clear(&a);
    review_entry_clear(&b);
    char user[REVIEW_USER_MAX + 1];
    review_os_user(user, sizeof user);
    assert_true(user[0] != '\0');
}

/* Stamps are relative to the event: before it they are negative, and a
 * stamp at 0 is not "no stamp". */
static void test_stamp_format(void **state)
{
    (void)state;
    char b[32];
    review_stamp_format(7000, true, b, sizeof b);
    assert_string_equal(b, "+00:07");
    review_stamp_format(6499, false, b, sizeof b);
    assert_string_equal(b, "+00:06");
    review_stamp_format(0, true, b, sizeof b);
    assert_string_equal(b, "+00:00");
    review_stamp_format(-400, true, b, sizeof b); /* rounds to zero: no minus */
    assert_string_equal(b, "+00:00");
    review_stamp_format(-5000, false, b, sizeof b);
    assert_string_equal(b, "-00:05");
    review_stamp_format(-65000, true, b, sizeof b);
    assert_string_equal(b, "\u221201:05");
    review_stamp_format(3723000, false, b, sizeof b);
    assert_string_equal(b, "+1:02:03");
    review_stamp_format(REVIEW_NO_STAMP, false, b, sizeof b);
    assert_string_equal(b, "");
    review_stamp_format(INT64_MIN + 1, false, b, sizeof b); /* no overflow */
    assert_true(b[0] == '-');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_event_lookup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_revisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_save_in_tx_rolls_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claims, setup, teardown),
        cmocka_unit_test(test_entry_model),
        cmocka_unit_test(test_stamp_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
