/* Replies of the Telegram Bot API: {"ok":true,...} or {"ok":false,
 * "error_code":429,"description":"...","parameters":{"retry_after":5}}. Only
 * the few fields the forwarder acts on are read, by a small scanner that
 * tolerates anything (fuzzed: tests/fuzz/fuzz_tg_reply.c). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/alert_forward.h"
#include "cxm/text.h"

/* The value after "key": (whitespace allowed), or NULL. */
static const char *value_of(const char *b, size_t len, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl + 2 <= len; i++) {
        if (b[i] != '"' || memcmp(b + i + 1, key, kl) != 0 || b[i + 1 + kl] != '"')
            continue;
        size_t j = i + kl + 2;
        while (j < len && isspace((unsigned char)b[j]))
            j++;
        if (j >= len || b[j] != ':')
            continue;
        j++;
        while (j < len && isspace((unsigned char)b[j]))
            j++;
        return j < len ? b + j : NULL;
    }
    return NULL;
}

static int64_t int_of(const char *b, size_t len, const char *key, int64_t dflt)
{
    const char *v = value_of(b, len, key);
    if (!v)
        return dflt;
    size_t rest = len - (size_t)(v - b);
    char num[24];
    size_t k = 0;
    while (k < rest && k < sizeof num - 1 && (isdigit((unsigned char)v[k]) || (k == 0 && v[k] == '-')))
        k++;
    if (k == 0 || (k == 1 && v[0] == '-'))
        return dflt;
    memcpy(num, v, k);
    num[k] = 0;
    return strtoll(num, NULL, 10);
}

void tg_reply_parse(const char *body, size_t len, tg_reply *out)
{
    memset(out, 0, sizeof *out);
    out->ok = -1;
    out->retry_after = -1;
    const char *v = value_of(body, len, "ok");
    if (v) {
        size_t rest = len - (size_t)(v - body);
        if (rest >= 4 && !memcmp(v, "true", 4))
            out->ok = 1;
        else if (rest >= 5 && !memcmp(v, "false", 5))
            out->ok = 0;
    }
    out->retry_after = int_of(body, len, "retry_after", -1);
    out->migrate_to_chat_id = int_of(body, len, "migrate_to_chat_id", 0);
    v = value_of(body, len, "description");
    if (v && *v == '"') {
        size_t rest = len - (size_t)(v - body) - 1, k = 0;
        char raw[256];
        const char *p = v + 1;
        while (k < rest && k < sizeof raw - 1 && p[k] != '"')
            k++;
        memcpy(raw, p, k);
        raw[k] = 0;
        text_sanitize_utf8(raw, k, out->description, sizeof out->description);
    }
}
