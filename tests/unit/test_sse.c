/* SSE parser against WHATWG test vectors. Every vector is fed whole, byte by
 * byte, split at every single position and at every pair of positions: the
 * messages must not depend on where the network cut the stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cxm/sse.h"

typedef struct {
    char out[8192];
    size_t len;
} transcript;

static void on_msg(void *ud, const sse_message *m)
{
    transcript *t = ud;
    int n = snprintf(t->out + t->len, sizeof t->out - t->len, "[%s|", m->event);
    t->len += (size_t)n;
    /* data may contain NUL: copy by length, make it visible */
    for (size_t i = 0; i < m->data_len && t->len + 4 < sizeof t->out; i++) {
        if (m->data[i] == '\0') {
            memcpy(t->out + t->len, "\\0", 2);
            t->len += 2;
        } else {
            t->out[t->len++] = m->data[i];
        }
    }
    n = snprintf(t->out + t->len, sizeof t->out - t->len, "|%s]", m->last_id);
    t->len += (size_t)n;
}

typedef struct {
    const char *name;
    const char *in;
    size_t inlen;     /* 0 = strlen */
    const char *want; /* transcript of messages */
    const char *last_id;
    int64_t retry;
    uint64_t errors;
} vec;

#define V(name, in, want, lid, retry, err) {name, in, 0, want, lid, retry, err}

static const vec vectors[] = {
    V("simple", "data: hello\n\n", "[message|hello|]", "", -1, 0),
    V("no trailing blank line: not dispatched", "data: hello\n", "", "", -1, 0),
    V("multi-line data", "data: a\ndata: b\ndata\ndata:c\n\n", "[message|a\nb\n\nc|]", "", -1, 0),
    V("event type", "event: add\ndata: 1\n\ndata: 2\n\n", "[add|1|][message|2|]", "", -1, 0),
    V("event type reset even without data", "event: x\n\ndata: y\n\n", "[message|y|]", "", -1, 0),
    V("id persists across messages", "id: 7\ndata: a\n\ndata: b\n\n", "[message|a|7][message|b|7]",
      "7", -1, 0),
    V("empty id resets", "id: 7\ndata: a\n\nid\ndata: b\n\n", "[message|a|7][message|b|]", "", -1, 0),
    V("id with NUL ignored", "id: 5\ndata: a\n\nid: 6\0x\ndata: b\n\n", "[message|a|5][message|b|5]",
      "5", -1, 0),
    V("id without data still sets last id", "id: 9\n\n", "", "9", -1, 0),
    V("CR line ends", "data: a\rdata: b\r\r", "[message|a\nb|]", "", -1, 0),
    V("CRLF line ends", "data: a\r\ndata: b\r\n\r\n", "[message|a\nb|]", "", -1, 0),
    V("mixed line ends", "data: a\r\ndata: b\rdata: c\n\r\n", "[message|a\nb\nc|]", "", -1, 0),
    V("CR CR is two lines", "data: a\r\rdata: b\n\n", "[message|a|][message|b|]", "", -1, 0),
    V("BOM skipped", "\xEF\xBB\xBF" "data: x\n\n", "[message|x|]", "", -1, 0),
    V("second BOM is data", "\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\n", "", "", -1, 0),
    V("partial BOM is text", "\xEF\xBB" "data: x\n\ndata: y\n\n", "[message|y|]", "", -1, 0),
    V("comments ignored", ": ping\ndata: a\n: more\ndata: b\n\n:\n\n", "[message|a\nb|]", "", -1, 0),
    V("field without colon: empty data dispatches", "data\n\n", "[message||]", "", -1, 0),
    V("field without colon twice", "data\ndata\n\n", "[message|\n|]", "", -1, 0),
    V("only one space stripped", "data:  two\n\n", "[message| two|]", "", -1, 0),
    V("no space", "data:x\n\n", "[message|x|]", "", -1, 0),
    V("colon in value kept", "data: a:b: c\n\n", "[message|a:b: c|]", "", -1, 0),
    V("unknown field ignored", "foo: bar\ndata: a\nDATA: b\n\n", "[message|a|]", "", -1, 0),
    V("retry digits", "retry: 1500\n", "", "", 1500, 0),
    V("retry non digits ignored", "retry: 15x0\nretry: 2000\nretry: -5\nretry: 1 0\nretry:\n", "", "",
      2000, 0),
    V("retry with space is ignored", "retry:  100\n", "", "", -1, 0),
    V("data with NUL kept", "data: a\0b\n\n", "[message|a\\0b|]", "", -1, 0),
    V("empty data line alone", "data:\n\n", "[message||]", "", -1, 0),
    V("no data field: nothing", "event: x\nid\n\n", "", "", -1, 0),
    V("leading blank lines", "\n\n\r\n\rdata: x\n\n", "[message|x|]", "", -1, 0),
    V("json event", "id: c.1\ndata: {\"id\":\"c.1\",\"type\":\"heartbeat\"}\n\n",
      "[message|{\"id\":\"c.1\",\"type\":\"heartbeat\"}|c.1]", "c.1", -1, 0),
    V("event name with spaces", "event:  a b\ndata: 1\n\n", "[ a b|1|]", "", -1, 0),
    V("id after data in same message", "data: a\nid: 3\n\n", "[message|a|3]", "3", -1, 0),
};

static void fill_lens(vec *v)
{
    if (!v->inlen)
        v->inlen = strlen(v->in);
}

/* The NUL-containing vectors need explicit lengths. */
static size_t vec_len(const vec *v)
{
    if (strstr(v->name, "NUL")) {
        /* the literal is "<...>\0<...>\n\n": measure past the embedded NUL */
        size_t a = strlen(v->in);
        return a + 1 + strlen(v->in + a + 1);
    }
    return strlen(v->in);
}

static void check(const vec *v, const size_t *cuts, size_t ncuts, size_t len)
{
    transcript t = {{0}, 0};
    sse_parser *p = sse_new(on_msg, &t, 0);
    assert_non_null(p);
    size_t prev = 0;
    for (size_t i = 0; i <= ncuts; i++) {
        size_t end = i < ncuts ? cuts[i] : len;
        sse_push(p, v->in + prev, end - prev);
        prev = end;
    }
    t.out[t.len] = '\0';
    if (strcmp(t.out, v->want) != 0 || strcmp(sse_last_event_id(p), v->last_id) != 0 ||
        sse_retry_ms(p) != v->retry || sse_errors(p) != v->errors) {
        print_error("vector '%s' cuts", v->name);
        for (size_t i = 0; i < ncuts; i++)
            print_error(" %zu", cuts[i]);
        print_error(": got '%s' id '%s' retry %lld errors %llu\n", t.out, sse_last_event_id(p),
                    (long long)sse_retry_ms(p), (unsigned long long)sse_errors(p));
        sse_free(p);
        fail();
    }
    sse_free(p);
}

static void test_vectors_every_split(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof vectors / sizeof vectors[0]; k++) {
        vec v = vectors[k];
        fill_lens(&v);
        size_t len = vec_len(&v);
        check(&v, NULL, 0, len);
        for (size_t a = 0; a <= len; a++) {
            size_t c1[1] = {a};
            check(&v, c1, 1, len);
            for (size_t b = a; b <= len; b++) {
                size_t c2[2] = {a, b};
                check(&v, c2, 2, len);
            }
        }
        size_t *all = malloc(len * sizeof *all);
        for (size_t i = 0; i < len; i++)
            all[i] = i;
        check(&v, all, len, len);
        free(all);
    }
}

static void test_crlf_across_chunks(void **state)
{
    (void)state;
    transcript t = {{0}, 0};
    sse_parser *p = sse_new(on_msg, &t, 0);
    sse_push(p, "data: a\r", 8);
    sse_push(p, "\ndata: b\r", 9);
    sse_push(p, "\n\r", 2);
    sse_push(p, "\n", 1);
    t.out[t.len] = '\0';
    /* one message: the LFs after the CRs are not extra blank lines */
    assert_string_equal(t.out, "[message|a\nb|]");
    sse_free(p);
}

static void test_size_cap_then_continue(void **state)
{
    (void)state;
    transcript t = {{0}, 0};
    sse_parser *p = sse_new(on_msg, &t, 100);
    char big[300];
    memset(big, 'x', sizeof big);
    sse_push(p, "data: ok1\n\n", 11);
    /* one long line */
    sse_push(p, "id: big1\ndata: ", 15);
    sse_push(p, big, sizeof big);
    sse_push(p, "\n\n", 2);
    /* many short lines adding up past the cap */
    for (int i = 0; i < 30; i++)
        sse_push(p, "data: 0123456789\n", 17);
    sse_push(p, "\n", 1);
    /* a long comment is not an error */
    sse_push(p, ":", 1);
    sse_push(p, big, sizeof big);
    sse_push(p, "\n", 1);
    sse_push(p, "data: ok2\n\n", 11);
    t.out[t.len] = '\0';
    assert_string_equal(t.out, "[message|ok1|][message|ok2|big1]");
    assert_int_equal(sse_errors(p), 2);
    assert_int_equal(sse_comments(p), 1);
    sse_free(p);
}

static void test_default_cap_fits_max_event(void **state)
{
    (void)state;
    transcript t = {{0}, 0};
    sse_parser *p = sse_new(NULL, &t, 0);
    size_t n = 64 * 1024;
    char *line = malloc(n + 16);
    memcpy(line, "data: ", 6);
    memset(line + 6, 'y', n);
    memcpy(line + 6 + n, "\n\n", 2);
    sse_push(p, line, n + 8);
    assert_int_equal(sse_errors(p), 0);
    /* well past the cap: counted, and the stream goes on */
    sse_push(p, line, n + 8 - 2);
    sse_push(p, line + 6, 4096);
    sse_push(p, "\n\n", 2);
    assert_int_equal(sse_errors(p), 1);
    free(line);
    sse_free(p);
}

static void on_over(void *ud, const sse_oversize *o)
{
    transcript *t = ud;
    int n = snprintf(t->out + t->len, sizeof t->out - t->len, "{%s|%d|%s|%s}",
                     o->id ? o->id : "(none)", o->id_lost, o->prev_id, o->last_id);
    t->len += (size_t)n;
}

/* An oversized message is named by its own id, in order, even when the next
 * message arrives in the same push (issue 11: it was named by the next id). */
static void test_oversize_named_by_own_id(void **state)
{
    (void)state;
    char big[300], buf[2048];
    memset(big, 'x', sizeof big);
    int n = snprintf(buf, sizeof buf,
                     "id: a\ndata: %.*s\n\nid: b\ndata: 1\n\n"  /* with its own id */
                     "data: %.*s\n\nid: c\ndata: 2\n\n"           /* without an id */
                     "id: %.*s\ndata: 3\n\nid: d\ndata: 4\n\n", /* its id line too long */
                     150, big, 150, big, 150, big);
    for (size_t step = 1; step <= (size_t)n; step += (size_t)n - 1) {
        transcript t = {{0}, 0};
        sse_parser *p = sse_new(on_msg, &t, 100);
        sse_on_oversize(p, on_over);
        for (size_t i = 0; i < (size_t)n; i += step)
            sse_push(p, buf + i, (size_t)n - i < step ? (size_t)n - i : step);
        t.out[t.len] = '\0';
        assert_string_equal(t.out, "{a|0||a}[message|1|b]"
                                   "{(none)|0|b|b}[message|2|c]"
                                   "{(none)|1|c|c}[message|4|d]");
        assert_int_equal(sse_errors(p), 3);
        sse_free(p);
    }
}

static void test_reset_semantics(void **state)
{
    (void)state;
    transcript t = {{0}, 0};
    sse_parser *p = sse_new(on_msg, &t, 0);
    sse_set_last_event_id(p, "s.41");
    assert_string_equal(sse_last_event_id(p), "s.41");
    sse_push(p, "\xEF\xBB\xBF" "retry: 250\nid: s.42\ndata: a\n\nid: s.43\ndata: half", 48);
    /* the connection drops mid-message: that message is lost, its id too */
    sse_reset(p);
    assert_string_equal(sse_last_event_id(p), "s.42");
    assert_int_equal(sse_retry_ms(p), 250);
    /* a new stream may start with a BOM again; no id line keeps the old id */
    sse_push(p, "\xEF\xBB\xBF" "data: b\n\n", 12);
    t.out[t.len] = '\0';
    assert_string_equal(t.out, "[message|a|s.42][message|b|s.42]");
    sse_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_every_split),
        cmocka_unit_test(test_crlf_across_chunks),
        cmocka_unit_test(test_size_cap_then_continue),
        cmocka_unit_test(test_default_cap_fits_max_event),
        cmocka_unit_test(test_reset_semantics),
        cmocka_unit_test(test_oversize_named_by_own_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
