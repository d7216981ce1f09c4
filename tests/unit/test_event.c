/* Event parsing: every rejection reason, each type's required fields, and the
 * JSON writer reading back to the same event. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <time.h>

#include <cmocka.h>

#include "cxm/event.h"
#include "cxm/rules.h"
#include "cxm/text.h"

#define HEAD "\"id\":\"e1\",\"ts\":\"2026-11-23T10:15:02+03:00\",\"location\":{\"id\":\"c1\"}"

static int parse(const char *line, event *ev, char *why)
{
    return event_parse(line, strlen(line), NULL, ev, why, 200);
}

static void expect_reject(const char *line, const char *reason)
{
    event ev;
    char why[200];
    int rc = parse(line, &ev, why);
    if (rc != EVENT_REJECTED || strcmp(why, reason) != 0)
        fail_msg("line %s\n  expected: %s\n  got rc=%d: %s", line, reason, rc, why);
}

static void expect_ok(const char *line, event *ev)
{
    char why[200];
    int rc = parse(line, ev, why);
    if (rc != EVENT_OK) fail_msg("line %s\n  rejected: %s", line, why);
}

static void test_rejections(void **state)
{
    (void)state;
    static const struct {
        const char *line, *why;
    } cases[] = {
        {"{", "json: invalid JSON near byte 1"},
        {"{\"a\":1,}", "json: invalid JSON near byte 8"},
        {"  {\"id\": }", "json: invalid JSON near byte 10"},
        {"nonsense", "json: invalid JSON near byte 1"},
        {"[1,2]", "json: not an object"},
        {"\"str\"", "json: not an object"},
        {"{\"id\":\"a\"} x", "json: unexpected data after the object at byte 12"},
        {"{\"ts\":\"2026-11-23T10:15:02Z\"}", "id: missing"},
        {"{\"id\":null}", "id: missing"},
        {"{\"id\":5}", "id: not a string"},
        {"{\"id\":\"\"}", "id: empty"},
        {"{\"id\":\"a/b\"}", "id: character '/' not allowed"},
        {"{\"id\":\"a b\"}", "id: character ' ' not allowed"},
        {"{\"id\":\"a\\u001bb\"}", "id: byte 0x1b not allowed"},
        {"{\"id\":\"\xd0\xb0\"}", "id: byte 0xd0 not allowed"},
        {"{\"id\":\"a\"}", "ts: missing"},
        {"{\"id\":\"a\",\"ts\":17}", "ts: not a string"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02\"}", "ts: not RFC 3339 with an offset"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23 10:15:02Z\"}", "ts: not RFC 3339 with an offset"},
        {"{\"id\":\"a\",\"ts\":\"2026-02-29T10:15:02Z\"}", "ts: not RFC 3339 with an offset"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\"}", "type: missing"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":1}", "type: not a string"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"foo\"}",
         "type: unknown type 'foo'"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"\\u001b[2Jx\"}",
         "type: unknown type '^[[2Jx'"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\"}",
         "location: missing"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\",\"location\":"
         "\"c1\"}",
         "location: not an object"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\",\"location\":{}}",
         "location.id: missing"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\",\"location\":{"
         "\"id\":3}}",
         "location.id: not a string"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\",\"location\":{"
         "\"id\":\"\"}}",
         "location.id: empty"},
        {"{\"id\":\"a\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\",\"location\":{"
         "\"id\":\"c\",\"name\":[]}}",
         "location.name: not a string"},
        {"{" HEAD ",\"type\":\"arrival\"}", "desk: missing (required for arrival)"},
        {"{" HEAD ",\"type\":\"rating\",\"rating\":\"super\"}",
         "desk: missing (required for rating)"},
        {"{" HEAD ",\"type\":\"silent\"}", "desk: missing (required for silent)"},
        {"{" HEAD ",\"type\":\"red_button\"}", "desk: missing (required for red_button)"},
        {"{" HEAD ",\"type\":\"force_majeure\"}", "desk: missing (required for force_majeure)"},
        {"{" HEAD ",\"type\":\"emotion\"}", "desk: missing (required for emotion)"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":7}", "desk: not a string"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"\"}", "desk: empty"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\",\"employee\":\"e17\"}",
         "employee: not an object"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\",\"employee\":{\"name\":\"x\"}}",
         "employee.id: missing"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\",\"employee\":{\"id\":\"e\",\"name\":1}}",
         "employee.name: not a string"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\",\"visit\":{}}", "visit: not a string"},
        {"{" HEAD ",\"type\":\"rating\",\"desk\":\"d\"}", "rating: missing (required for rating)"},
        {"{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":\"meh\"}",
         "rating: 'meh' is not a value of scale start3"},
        {"{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":true}", "rating: not a string"},
        {"{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":\"\"}", "rating: empty"},
        {"{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":7}",
         "rating: '7' is not a value of scale start3"},
        {"{" HEAD ",\"type\":\"emotion\",\"desk\":\"d\"}",
         "emotion: missing (required for emotion)"},
        {"{" HEAD ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":5}", "emotion: not an object"},
        {"{" HEAD ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{}}",
         "emotion.employee: missing (required for emotion)"},
        {"{" HEAD ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":[]}}",
         "emotion.employee: not an object"},
        {"{" HEAD
         ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"positive\":\"x\"}}}",
         "emotion.employee.positive: not a number"},
        {"{" HEAD
         ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"negative\":1.5}}}",
         "emotion.employee.negative: out of range 0..1"},
        {"{" HEAD
         ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"neutral\":-0.1}}}",
         "emotion.employee.neutral: out of range 0..1"},
        {"{" HEAD
         ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"bursts\":1.5}}}",
         "emotion.employee.bursts: not a non-negative integer"},
        {"{" HEAD
         ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"bursts\":-1}}}",
         "emotion.employee.bursts: not a non-negative integer"},
        {"{" HEAD
         ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"label\":\"happy\"}}}",
         "emotion.employee.label: unknown label 'happy'"},
        {"{" HEAD ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"label\":2}}}",
         "emotion.employee.label: not a string"},
        {"{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":\"bad\",\"emotion\":{"
                  "\"customer\":{\"label\":\"sad\"}}}",
         "emotion.customer.label: unknown label 'sad'"},
        {"{" HEAD ",\"type\":\"clip\",\"clip\":{\"url\":\"u\"}}",
         "ref: missing (required for clip)"},
        {"{" HEAD ",\"type\":\"clip\",\"ref\":\"r1\"}", "clip: missing (required for clip)"},
        {"{" HEAD ",\"type\":\"clip\",\"ref\":\"r/1\",\"clip\":{}}",
         "ref: character '/' not allowed"},
        {"{" HEAD ",\"type\":\"clip\",\"ref\":\"r1\",\"clip\":\"u\"}", "clip: not an object"},
        {"{" HEAD ",\"type\":\"clip\",\"ref\":\"r1\",\"clip\":{\"kind\":1}}",
         "clip.kind: not a string"},
        {"{" HEAD ",\"type\":\"clip\",\"ref\":\"r1\",\"clip\":{\"url\":false}}",
         "clip.url: not a string"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\",\"camera\":1}", "camera: not a string"},
        {"{" HEAD ",\"type\":\"served\"}", "count: missing (required for served)"},
        {"{" HEAD ",\"type\":\"served\",\"count\":\"5\"}", "count: not a non-negative integer"},
        {"{" HEAD ",\"type\":\"served\",\"count\":-5}", "count: not a non-negative integer"},
        {"{" HEAD ",\"type\":\"served\",\"count\":2.5}", "count: not a non-negative integer"},
        {"{" HEAD ",\"type\":\"served\",\"count\":5,\"period_s\":\"h\"}",
         "period_s: not a non-negative integer"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_reject(cases[i].line, cases[i].why);
}

static void test_id_length(void **state)
{
    (void)state;
    char line[512], id[EVENT_ID_MAX + 2];
    memset(id, 'x', EVENT_ID_MAX + 1);
    id[EVENT_ID_MAX + 1] = '\0';
    snprintf(line, sizeof line, "{\"id\":\"%s\"}", id);
    expect_reject(line, "id: longer than 128 bytes");

    id[EVENT_ID_MAX] = '\0'; /* exactly 128 bytes: accepted */
    snprintf(line, sizeof line,
             "{\"id\":\"%s\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\",\"location\":{"
             "\"id\":\"c\"}}",
             id);
    event ev;
    expect_ok(line, &ev);
    assert_int_equal(strlen(ev.id), EVENT_ID_MAX);
    event_clear(&ev);
}

static void test_line_length(void **state)
{
    (void)state;
    size_t n = EVENT_LINE_MAX + 10;
    char *line = malloc(n + 1);
    assert_non_null(line);
    const char *head = "{" HEAD ",\"type\":\"heartbeat\",\"pad\":\"";
    memset(line, 'a', n);
    memcpy(line, head, strlen(head));
    memcpy(line + n - 2, "\"}", 2);
    line[n] = '\0';
    expect_reject(line, "line: longer than 65536 bytes");
    /* The same event just under the limit (a trailing newline is not counted). */
    size_t m = EVENT_LINE_MAX;
    memcpy(line + m - 2, "\"}\n", 3);
    event ev;
    char why[200];
    assert_int_equal(event_parse(line, m + 1, NULL, &ev, why, sizeof why), EVENT_OK);
    event_clear(&ev);
    free(line);
}

static void test_blank(void **state)
{
    (void)state;
    event ev;
    char why[200];
    assert_int_equal(parse("", &ev, why), EVENT_BLANK);
    assert_int_equal(parse("   \t \r\n", &ev, why), EVENT_BLANK);
    assert_int_equal(parse("\n", &ev, why), EVENT_BLANK);
    assert_int_equal(event_parse("  x", 2, NULL, &ev, why, sizeof why), EVENT_BLANK);
}

static void test_each_type_minimal(void **state)
{
    (void)state;
    static const char *ok[] = {
        "{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\"}",
        "{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":\"so_so\"}",
        "{" HEAD ",\"type\":\"silent\",\"desk\":\"d\"}",
        "{" HEAD ",\"type\":\"red_button\",\"desk\":\"d\"}",
        "{" HEAD ",\"type\":\"force_majeure\",\"desk\":\"d\"}",
        "{" HEAD
        ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":{\"label\":\"mixed\"}}}",
        "{" HEAD ",\"type\":\"clip\",\"ref\":\"e0\",\"clip\":{\"kind\":\"after_rating\",\"url\":"
                 "\"http://h/c.ogg\"}}",
        "{" HEAD ",\"type\":\"served\",\"count\":12,\"period_s\":3600}",
        "{" HEAD ",\"type\":\"heartbeat\"}",
    };
    for (int i = 0; i < EV_TYPE_COUNT; i++) {
        event ev;
        expect_ok(ok[i], &ev);
        assert_int_equal(ev.type, i);
        assert_string_equal(ev.id, "e1");
        assert_string_equal(ev.location_id, "c1");
        assert_null(ev.location_name);
        event_clear(&ev);
    }
}

static void test_full_event(void **state)
{
    (void)state;
    const char *line = "{\"id\": \"clinic1.reg2.000123\", \"ts\": "
                       "\"2026-11-23T10:15:02.120+03:00\", \"type\": \"rating\", "
                       "\"location\": {\"id\": \"clinic-1\", \"name\": \"Клиника на Ленина\"}, "
                       "\"desk\": \"reg-2\", "
                       "\"employee\": {\"id\": \"e17\", \"name\": \"Анна Петрова\"}, \"visit\": "
                       "\"v-889\", \"rating\": \"super\", "
                       "\"emotion\": {\"employee\": {\"label\": \"positive\", \"positive\": 0.62, "
                       "\"negative\": 0.05, "
                       "\"neutral\": 0.33, \"bursts\": 1}, \"customer\": {\"label\": \"poker\"}}, "
                       "\"clip\": {\"kind\": \"after_rating\", \"url\": \"https://x/clip.ogg\"}, "
                       "\"camera\": \"cam-3\", "
                       "\"future_field\": {\"nested\": [1, 2, {\"x\": null}]}, \"another\": 3}";
    event ev;
    expect_ok(line, &ev);
    assert_string_equal(ev.id, "clinic1.reg2.000123");
    /* 2026-11-23T07:15:02.120Z */
    assert_int_equal(ev.ts_us, INT64_C(1795418102120000));
    assert_int_equal(ev.tz_offset_s, 3 * 3600);
    assert_int_equal(ev.type, EV_RATING);
    assert_string_equal(ev.location_name, "Клиника на Ленина");
    assert_string_equal(ev.desk, "reg-2");
    assert_string_equal(ev.employee_id, "e17");
    assert_string_equal(ev.employee_name, "Анна Петрова");
    assert_string_equal(ev.visit, "v-889");
    assert_string_equal(ev.rating, "super");
    assert_int_equal(ev.polarity, POL_POSITIVE);
    assert_true(ev.emo_employee.present);
    assert_false(ev.emo_employee.classified);
    assert_int_equal(ev.emo_employee.label, EMO_POSITIVE);
    assert_true(ev.emo_employee.positive == 0.62);
    assert_int_equal(ev.emo_employee.bursts, 1);
    assert_int_equal(ev.emo_customer.label, EMO_POKER);
    assert_true(ev.emo_customer.positive < 0);
    assert_string_equal(ev.clip_kind, "after_rating");
    assert_string_equal(ev.clip_url, "https://x/clip.ogg");
    assert_string_equal(ev.camera, "cam-3");
    assert_null(ev.ref);
    event_clear(&ev);
}

static void test_polarity(void **state)
{
    (void)state;
    const char *vals[] = {"super", "so_so", "bad"};
    rating_polarity pol[] = {POL_POSITIVE, POL_NEUTRAL, POL_NEGATIVE};
    for (int i = 0; i < 3; i++) {
        char line[256];
        snprintf(line, sizeof line,
                 "{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":\"%s\"}", vals[i]);
        event ev;
        expect_ok(line, &ev);
        assert_int_equal(ev.polarity, pol[i]);
        event_clear(&ev);
    }
    /* A non-rating event never has a polarity, whatever it carries. */
    event ev;
    expect_ok("{" HEAD ",\"type\":\"silent\",\"desk\":\"d\",\"rating\":\"super\"}", &ev);
    assert_int_equal(ev.polarity, POL_NONE);
    event_clear(&ev);

    /* A 0-10 scale from the config, with integer values on the wire. */
    cxm_rules r;
    rules_default(&r);
    strcpy(r.scale.name, "nps10");
    r.scale.nvalues = 11;
    for (int i = 0; i <= 10; i++) {
        snprintf(r.scale.values[i], RULES_VALUE_MAX, "%d", 10 - i);
        r.scale.polarity[i] = 10 - i >= 9 ? POL_POSITIVE : 10 - i >= 7 ? POL_NEUTRAL : POL_NEGATIVE;
    }
    char why[200];
    const char *l = "{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":9}";
    assert_int_equal(event_parse(l, strlen(l), &r, &ev, why, sizeof why), EVENT_OK);
    assert_string_equal(ev.rating, "9");
    assert_int_equal(ev.polarity, POL_POSITIVE);
    event_clear(&ev);
    l = "{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":\"3\"}";
    assert_int_equal(event_parse(l, strlen(l), &r, &ev, why, sizeof why), EVENT_OK);
    assert_int_equal(ev.polarity, POL_NEGATIVE);
    event_clear(&ev);
    l = "{" HEAD ",\"type\":\"rating\",\"desk\":\"d\",\"rating\":\"super\"}";
    assert_int_equal(event_parse(l, strlen(l), &r, &ev, why, sizeof why), EVENT_REJECTED);
    assert_string_equal(why, "rating: 'super' is not a value of scale nps10");
    assert_int_equal(rules_value_index(&r, "10"), 0);
    assert_int_equal(rules_polarity(&r, "11"), -1);
}

static emo_label classify(const char *block, bool *classified)
{
    char line[512];
    snprintf(line, sizeof line,
             "{" HEAD ",\"type\":\"emotion\",\"desk\":\"d\",\"emotion\":{\"employee\":%s}}", block);
    event ev;
    expect_ok(line, &ev);
    emo_label l = ev.emo_employee.label;
    *classified = ev.emo_employee.classified;
    event_clear(&ev);
    return l;
}

static void test_classification(void **state)
{
    (void)state;
    bool c;
    assert_int_equal(classify("{\"positive\":0.3,\"negative\":0.3,\"neutral\":0.4}", &c),
                     EMO_MIXED);
    assert_true(c);
    assert_int_equal(classify("{\"positive\":0.1,\"negative\":0.3,\"neutral\":0.6}", &c),
                     EMO_NEGATIVE);
    assert_int_equal(
        classify("{\"positive\":0.6,\"negative\":0.0,\"neutral\":0.4,\"bursts\":3}", &c),
        EMO_NEGATIVE);
    assert_int_equal(
        classify("{\"positive\":0.6,\"negative\":0.1,\"neutral\":0.3,\"bursts\":2}", &c),
        EMO_POSITIVE);
    assert_int_equal(classify("{\"positive\":0.5}", &c), EMO_POSITIVE);
    assert_int_equal(classify("{\"positive\":0.2,\"negative\":0.1,\"neutral\":0.7}", &c),
                     EMO_POKER);
    assert_int_equal(classify("{\"bursts\":0}", &c), EMO_POKER);
    assert_int_equal(classify("{}", &c), EMO_UNKNOWN);
    assert_false(c);
    /* A given label wins over the shares. */
    assert_int_equal(classify("{\"label\":\"poker\",\"negative\":0.9}", &c), EMO_POKER);
    assert_false(c);

    /* Thresholds come from the rules. */
    cxm_rules r;
    rules_default(&r);
    r.emotion.positive_min = 0.9;
    event_emotion e = {
        .present = true, .positive = 0.6, .negative = 0.0, .neutral = 0.4, .bursts = -1};
    assert_int_equal(emotion_classify(&e, NULL), EMO_POSITIVE);
    assert_int_equal(emotion_classify(&e, &r), EMO_POKER);
}

static void test_names(void **state)
{
    (void)state;
    for (int i = 0; i < EV_TYPE_COUNT; i++)
        assert_int_equal(event_type_from_name(event_type_name((event_type)i)), i);
    for (int i = 0; i < EMO_COUNT; i++)
        assert_int_equal(emo_label_from_name(emo_label_name((emo_label)i)), i);
    assert_int_equal(event_type_from_name("Rating"), -1);
    assert_int_equal(emo_label_from_name("poker_face"), -1);
}

static void roundtrip(const char *line)
{
    event a, b;
    expect_ok(line, &a);
    char *json = event_to_json(&a);
    assert_non_null(json);
    expect_ok(json, &b);
    char *json2 = event_to_json(&b);
    assert_string_equal(json, json2);
    assert_string_equal(a.id, b.id);
    assert_int_equal(a.ts_us, b.ts_us);
    assert_int_equal(a.tz_offset_s, b.tz_offset_s);
    assert_int_equal(a.type, b.type);
    assert_int_equal(a.polarity, b.polarity);
    assert_int_equal(a.count, b.count);
    assert_int_equal(a.period_s, b.period_s);
    assert_memory_equal(&a.emo_employee, &b.emo_employee, sizeof a.emo_employee);
    assert_memory_equal(&a.emo_customer, &b.emo_customer, sizeof a.emo_customer);

    event c;
    assert_int_equal(event_copy(&c, &b), 0);
    char *json3 = event_to_json(&c);
    assert_string_equal(json, json3);
    free(json);
    free(json2);
    free(json3);
    event_clear(&a);
    event_clear(&b);
    event_clear(&c);
}

static void test_roundtrip(void **state)
{
    (void)state;
    roundtrip(
        "{\"id\":\"a.1:x-y_z\",\"ts\":\"2026-11-23T10:15:02.123456-05:30\",\"type\":\"rating\","
        "\"location\":{\"id\":\"c1\",\"name\":\"Клиника \\\"№1\\\" \\\\ "
        "\\t\\u0007\"},\"desk\":\"reg-2\","
        "\"employee\":{\"id\":\"e17\",\"name\":\"Анна\"},\"visit\":\"v1\",\"rating\":\"bad\","
        "\"emotion\":{\"employee\":{\"positive\":0.1,\"negative\":0.7,\"neutral\":0.2,\"bursts\":4}"
        ","
        "\"customer\":{\"label\":\"negative\"}},\"clip\":{\"url\":\"u\"},\"camera\":\"cam\"}");
    roundtrip("{\"id\":\"b\",\"ts\":\"2000-12-31T23:59:59Z\",\"type\":\"served\",\"location\":{"
              "\"id\":\"c\"},"
              "\"count\":0}");
    roundtrip("{\"id\":\"c\",\"ts\":\"2024-02-29T00:00:00.5+14:00\",\"type\":\"clip\",\"location\":"
              "{\"id\":\"c\"},"
              "\"ref\":\"b\",\"clip\":{\"kind\":\"visit\"}}");
    roundtrip("{\"id\":\"d\",\"ts\":\"2000-07-20T20:17:40.000001Z\",\"type\":\"emotion\","
              "\"location\":{\"id\":\"c\"},"
              "\"desk\":\"d\",\"emotion\":{\"employee\":{}}}");
}

static void test_json_of_hand_built(void **state)
{
    (void)state;
    /* An offset with seconds (local mean time of 1900) is written as UTC so
     * the time itself survives. */
    event h, back;
    memset(&h, 0, sizeof h);
    strcpy(h.id, "h");
    h.type = EV_HEARTBEAT;
    h.ts_us = INT64_C(-2208988800000000) + 17;
    h.tz_offset_s = 2 * 3600 + 30 * 60 + 17;
    h.location_id = strdup("loc");
    char *json = event_to_json(&h);
    assert_non_null(strstr(json, "\"1900-01-01T00:00:00.000017Z\""));
    /* ...and a reader refuses a time that old (a reset device clock). */
    expect_reject(json, "ts: before 2000-01-01");
    free(json);
    h.ts_us = INT64_C(978307200000000) + 17; /* 2001-01-01 */
    json = event_to_json(&h);
    assert_non_null(strstr(json, "\"2001-01-01T00:00:00.000017Z\""));
    expect_ok(json, &back);
    assert_int_equal(back.ts_us, h.ts_us);
    free(json);
    event_clear(&back);
    event_clear(&h);
}

static void test_clear_mixed_ownership(void **state)
{
    (void)state;
    /* A parsed event whose field was then replaced by hand: both kinds of
     * string are released once (ASan checks). */
    event ev;
    expect_ok("{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\",\"visit\":\"v\"}", &ev);
    ev.visit = strdup("replaced");
    ev.camera = strdup("cam");
    event_clear(&ev);
    assert_null(ev.desk);

    /* A hand-built event (what the demo generator makes). */
    event h;
    memset(&h, 0, sizeof h);
    strcpy(h.id, "h1");
    h.location_id = strdup("loc");
    h.desk = strdup("desk");
    event c;
    assert_int_equal(event_copy(&c, &h), 0);
    assert_string_equal(c.desk, "desk");
    assert_ptr_not_equal(c.desk, h.desk);
    event_clear(&h);
    event_clear(&c);
}

static void test_bom_and_crlf(void **state)
{
    (void)state;
    event ev;
    expect_ok("\xEF\xBB\xBF{" HEAD ",\"type\":\"heartbeat\"}\r\n", &ev);
    assert_int_equal(ev.type, EV_HEARTBEAT);
    event_clear(&ev);
}

/* Parsing in several threads at once: each has its own arena, released when
 * the thread ends (LeakSanitizer checks). */
static void *parse_many(void *arg)
{
    const char *line = arg;
    for (int i = 0; i < 2000; i++) {
        event ev;
        char why[200];
        if (event_parse(line, strlen(line), NULL, &ev, why, sizeof why) != EVENT_OK)
            return (void *)1;
        if (strcmp(ev.employee_name, "Анна") != 0) return (void *)1;
        event_clear(&ev);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    static const char line[] =
        "{" HEAD
        ",\"type\":\"arrival\",\"desk\":\"d\",\"employee\":{\"id\":\"e\",\"name\":\"Анна\"}}";
    pthread_t t[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, parse_many, (void *)line), 0);
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(t[i], &r);
        assert_null(r);
    }
}

/* The shared fixtures hold what their README says. */
static void count_file(const char *name, int *ok, int *blank, int *rejected, char reasons[][260])
{
    char path[600];
    const char *src = getenv("CXM_SRC");
    const char *here = strstr(__FILE__, "/tests/unit/");
    if (src)
        snprintf(path, sizeof path, "%s/tests/fixtures/%s", src, name);
    else
        snprintf(path, sizeof path, "%.*s/tests/fixtures/%s", (int)(here ? here - __FILE__ : 1),
                 __FILE__, name);
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int ln = 0;
    *ok = *blank = *rejected = 0;
    while ((n = getline(&line, &cap, f)) >= 0) {
        event ev;
        char why[200];
        ln++;
        int rc = event_parse(line, (size_t)n, NULL, &ev, why, sizeof why);
        if (rc == EVENT_OK)
            ++*ok, event_clear(&ev);
        else if (rc == EVENT_BLANK)
            ++*blank;
        else {
            if (reasons) snprintf(reasons[*rejected], 260, "%d: %s", ln, why);
            ++*rejected;
        }
    }
    free(line);
    fclose(f);
}

static void test_fixtures(void **state)
{
    (void)state;
    int ok, blank, rej;
    char reasons[20][260];
    count_file("events_good.jsonl", &ok, &blank, &rej, NULL);
    assert_int_equal(ok, 30);
    assert_int_equal(blank, 1);
    assert_int_equal(rej, 0);
    count_file("events_bad.jsonl", &ok, &blank, &rej, reasons);
    assert_int_equal(ok, 7);
    assert_int_equal(blank, 1);
    assert_int_equal(rej, 12);
    assert_string_equal(reasons[0], "3: ts: not RFC 3339 with an offset");
    assert_string_equal(reasons[7], "12: json: invalid JSON near byte 21");
    assert_string_equal(reasons[11], "18: ts: not RFC 3339 with an offset");
}

/* cJSON keeps strings as C strings: a U+0000 would cut a value short, so two
 * different ids would become one and "arrival\u0000x" an arrival. Any string
 * holding U+0000, escaped or as a raw byte, is rejected naming the field. */
static void test_nul_in_strings(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int raw_nul; /* the line goes on after a raw NUL byte */
        const char *why;
    } cases[] = {
        {"{\"id\":\"coll.1\\u0000A\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\","
         "\"location\":{\"id\":\"c1\"}}", 0, "id: contains U+0000 (NUL)"},
        {"{\"id\":\"e1\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"arrival\\u0000x\","
         "\"location\":{\"id\":\"c1\"},\"desk\":\"d\"}", 0, "type: contains U+0000 (NUL)"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d1\\u0000evil\"}", 0, "desk: contains U+0000 (NUL)"},
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\",\"employee\":{\"id\":\"e\",\"name\":\"A\\u0000B\"}}", 0,
         "employee.name: contains U+0000 (NUL)"},
        {"{\"id\":\"e1\",\"ts\":\"2026-11-23T10:15:02Z\\u0000\",\"type\":\"heartbeat\","
         "\"location\":{\"id\":\"c1\"}}", 0, "ts: contains U+0000 (NUL)"},
        {"{" HEAD ",\"type\":\"heartbeat\",\"future\":[1,{\"x\":\"\\u0000\"}]}", 0,
         "future[1].x: contains U+0000 (NUL)"},
        {"{" HEAD ",\"type\":\"heartbeat\",\"k\\u0000ey\":1}", 0, "k: member name contains U+0000 (NUL)"},
        /* a raw NUL byte */
        {"{\"id\":\"coll.1\0B\",\"ts\":\"2026-11-23T10:15:02Z\",\"type\":\"heartbeat\","
         "\"location\":{\"id\":\"c1\"}}", 1, "id: contains U+0000 (NUL)"},
        {"{" HEAD ",\"type\":\"heartbeat\",\"camera\":\"c\0\"}", 1, "camera: contains U+0000 (NUL)"},
        /* cJSON reads a \u with non-hex digits as U+0000 */
        {"{" HEAD ",\"type\":\"arrival\",\"desk\":\"d\\uZZ12x\"}", 0,
         "desk: contains U+0000 (NUL) or a bad \\u escape"},
        /* cJSON would skip a raw NUL between tokens as white space */
        {"{" HEAD ",\"type\":\"heartbeat\"\0}", 1, "json: NUL byte outside a string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        event ev;
        char why[200];
        const char *line = cases[i].line;
        size_t len = strlen(line);
        if (cases[i].raw_nul) /* a raw NUL: measure past it */
            len += 1 + strlen(line + len + 1);
        const char *want = cases[i].why;
        int rc = event_parse(line, len, NULL, &ev, why, sizeof why);
        if (rc != EVENT_REJECTED || strcmp(why, want) != 0)
            fail_msg("case %zu\n  expected: %s\n  got rc=%d: %s", i, want, rc, why);
    }
    /* An escaped backslash before "u0000" is not a NUL; \u0001 is kept. */
    event ev;
    expect_ok("{" HEAD ",\"type\":\"heartbeat\",\"camera\":\"a\\\\u0000b\\u0001\"}", &ev);
    assert_string_equal(ev.camera, "a\\u0000b\x01");
    event_clear(&ev);
    /* A marker-like character the line really holds is kept as sent. */
    expect_ok("{" HEAD ",\"type\":\"heartbeat\",\"camera\":\"\xEF\xB7\x90\\uFDD1\"}", &ev);
    assert_string_equal(ev.camera, "\xEF\xB7\x90\xEF\xB7\x91");
    event_clear(&ev);
    /* With a NUL elsewhere, the marker-like characters do not confuse the report. */
    char why[200];
    const char *l = "{" HEAD ",\"type\":\"heartbeat\",\"camera\":\"\xEF\xB7\x90\",\"desk\":\"x\\u0000\"}";
    assert_int_equal(event_parse(l, strlen(l), NULL, &ev, why, sizeof why), EVENT_REJECTED);
    assert_string_equal(why, "desk: contains U+0000 (NUL)");
}

static void fmt_utc(time_t t, char *out, size_t cap)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* A timestamp before 2000 or more than the margin (default one day) ahead of
 * the receiving clock is a broken clock or a forgery, not an event. */
static void test_implausible_ts(void **state)
{
    (void)state;
    char line[400], ts[40], why[200];
    event ev;
    expect_reject("{\"id\":\"a\",\"ts\":\"9999-12-31T23:59:59-23:59\",\"type\":\"heartbeat\","
                  "\"location\":{\"id\":\"c1\"}}",
                  "ts: more than 24h in the future");
    expect_reject("{\"id\":\"a\",\"ts\":\"1999-12-31T23:59:59Z\",\"type\":\"heartbeat\","
                  "\"location\":{\"id\":\"c1\"}}",
                  "ts: before 2000-01-01");
    expect_reject("{\"id\":\"a\",\"ts\":\"0001-01-01T00:00:00+01:00\",\"type\":\"heartbeat\","
                  "\"location\":{\"id\":\"c1\"}}",
                  "ts: before 2000-01-01");
    expect_ok("{\"id\":\"a\",\"ts\":\"2000-01-01T00:00:00Z\",\"type\":\"heartbeat\","
              "\"location\":{\"id\":\"c1\"}}", &ev);
    event_clear(&ev);
    time_t now = time(NULL);
    fmt_utc(now + 23 * 3600, ts, sizeof ts);
    snprintf(line, sizeof line, "{\"id\":\"a\",\"ts\":\"%s\",\"type\":\"heartbeat\",\"location\":{\"id\":\"c1\"}}", ts);
    expect_ok(line, &ev);
    event_clear(&ev);
    fmt_utc(now + 25 * 3600, ts, sizeof ts);
    snprintf(line, sizeof line, "{\"id\":\"a\",\"ts\":\"%s\",\"type\":\"heartbeat\",\"location\":{\"id\":\"c1\"}}", ts);
    expect_reject(line, "ts: more than 24h in the future");
    /* A wider margin from the config accepts it. */
    cxm_rules r;
    rules_default(&r);
    r.future_margin_s = 48 * 3600;
    assert_int_equal(event_parse(line, strlen(line), &r, &ev, why, sizeof why), EVENT_OK);
    event_clear(&ev);
    r.future_margin_s = 90;
    fmt_utc(now + 3600, ts, sizeof ts);
    snprintf(line, sizeof line, "{\"id\":\"a\",\"ts\":\"%s\",\"type\":\"heartbeat\",\"location\":{\"id\":\"c1\"}}", ts);
    assert_int_equal(event_parse(line, strlen(line), &r, &ev, why, sizeof why), EVENT_REJECTED);
    assert_string_equal(why, "ts: more than 90s in the future");
}

int main(void)
{
    text_set_utf8(true);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rejections),
        cmocka_unit_test(test_id_length),
        cmocka_unit_test(test_line_length),
        cmocka_unit_test(test_blank),
        cmocka_unit_test(test_each_type_minimal),
        cmocka_unit_test(test_full_event),
        cmocka_unit_test(test_polarity),
        cmocka_unit_test(test_classification),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_clear_mixed_ownership),
        cmocka_unit_test(test_bom_and_crlf),
        cmocka_unit_test(test_fixtures),
        cmocka_unit_test(test_json_of_hand_built),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_nul_in_strings),
        cmocka_unit_test(test_implausible_ts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
