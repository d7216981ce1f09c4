/* libFuzzer target for the SSE parser. The first byte chooses the chunking,
 * so the fuzzer explores split points as well as content; the same input fed
 * in one piece must give the same messages (checked by a running hash). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/sse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    uint64_t hash;
    size_t n;
} acc;

static void mix(acc *a, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        a->hash = (a->hash ^ (uint8_t)s[i]) * 1099511628211ull;
}

static void on_msg(void *ud, const sse_message *m)
{
    acc *a = ud;
    mix(a, m->event, strlen(m->event) + 1);
    mix(a, m->data, m->data_len + 1);
    mix(a, m->last_id, strlen(m->last_id) + 1);
    a->n++;
}

/* Oversized messages are part of the transcript too: where the network cut
 * the stream must not change which id names them. */
static void on_over(void *ud, const sse_oversize *o)
{
    acc *a = ud;
    mix(a, o->id ? o->id : "\x01", o->id ? strlen(o->id) + 1 : 1);
    mix(a, o->id_lost ? "L" : "K", 1);
    mix(a, o->prev_id, strlen(o->prev_id) + 1);
    mix(a, o->last_id, strlen(o->last_id) + 1);
    a->n++;
}

static void run(const uint8_t *d, size_t n, size_t step, acc *a, char *id, size_t idcap, int64_t *retry)
{
    sse_parser *p = sse_new(on_msg, a, 256);
    if (!p)
        abort();
    sse_on_oversize(p, on_over);
    for (size_t i = 0; i < n; i += step) {
        size_t k = n - i < step ? n - i : step;
        sse_push(p, (const char *)d + i, k);
    }
    size_t l = strlen(sse_last_event_id(p));
    if (l >= idcap)
        l = idcap - 1;
    memcpy(id, sse_last_event_id(p), l);
    id[l] = '\0';
    *retry = sse_retry_ms(p);
    sse_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t step = (size_t)data[0] % 17 + 1;
    acc a = {1469598103934665603ull, 0}, b = a;
    char ida[300], idb[300];
    int64_t ra, rb;
    run(data + 1, size - 1, step, &a, ida, sizeof ida, &ra);
    run(data + 1, size - 1, size, &b, idb, sizeof idb, &rb);
    if (a.hash != b.hash || a.n != b.n || strcmp(ida, idb) != 0 || ra != rb)
        abort();
    return 0;
}
