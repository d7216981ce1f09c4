/* libFuzzer: any line either parses or is rejected with a reason; what
 * parses writes back to JSON that parses to the same event, and what is kept
 * is exactly what was received: no accepted line holds a U+0000 (which cJSON's
 * C strings would cut), and every kept string equals the member's JSON value. */
#include <assert.h>
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cxm/event.h"
#include "cxm/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Independent of the parser: a raw NUL byte, or a \u escape cJSON decodes
 * to U+0000 (a backslash that is not itself escaped, then u0000 or u and
 * four characters that are not all hex digits). */
static bool has_nul(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (d[i] == 0) return true;
        if (d[i] == '\\' && i + 1 < n) {
            if (d[i + 1] == 'u' && n - i >= 6) {
                if (memcmp(d + i + 2, "0000", 4) == 0) return true;
                /* cJSON reads a non-hex digit as 0: "\uZZZZ" is a NUL too */
                for (int k = 2; k < 6; k++)
                    if (!isxdigit(d[i + k])) return true;
            }
            i++; /* the escaped character */
        }
    }
    return false;
}

static void same_string(const cJSON *obj, const char *name, const char *kept)
{
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, name) : NULL;
    if (!v || cJSON_IsNull(v)) {
        assert(!kept);
        return;
    }
    if (cJSON_IsString(v)) assert(kept && strcmp(kept, v->valuestring) == 0);
}

/* Every string the event keeps is the member's value as received. */
static void stored_as_received(const uint8_t *data, size_t size, const event *ev)
{
    cJSON *root = cJSON_ParseWithLength((const char *)data, size);
    if (!root) return; /* a BOM in front: cJSON alone does not skip it */
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "id");
    assert(cJSON_IsString(id) && strcmp(id->valuestring, ev->id) == 0);
    const cJSON *loc = cJSON_GetObjectItemCaseSensitive(root, "location");
    same_string(loc, "id", ev->location_id);
    same_string(loc, "name", ev->location_name);
    same_string(root, "desk", ev->desk);
    same_string(root, "visit", ev->visit);
    same_string(root, "camera", ev->camera);
    same_string(root, "ref", ev->ref);
    const cJSON *emp = cJSON_GetObjectItemCaseSensitive(root, "employee");
    if (emp && !cJSON_IsNull(emp)) {
        same_string(emp, "id", ev->employee_id);
        same_string(emp, "name", ev->employee_name);
    }
    const cJSON *clip = cJSON_GetObjectItemCaseSensitive(root, "clip");
    if (clip && !cJSON_IsNull(clip)) {
        same_string(clip, "kind", ev->clip_kind);
        same_string(clip, "url", ev->clip_url);
    }
    cJSON_Delete(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    event ev, back, copy;
    char why[256];
    text_set_utf8(true);
    int rc = event_parse((const char *)data, size, NULL, &ev, why, sizeof why);
    if (rc == EVENT_REJECTED) {
        /* A reason names a field, and is safe to print. */
        assert(why[0] && strstr(why, ": "));
        for (const unsigned char *p = (const unsigned char *)why; *p; p++)
            assert(*p >= 0x20 && *p != 0x7f);
        return 0;
    }
    if (rc == EVENT_BLANK) return 0;
    assert(rc == EVENT_OK);
    assert(ev.id[0] && ev.location_id);
    assert(!has_nul(data, size));
    stored_as_received(data, size, &ev);
    char *json = event_to_json(&ev);
    assert(json);
    size_t n = strlen(json);
    /* Raw control bytes come back escaped (six bytes each), which may push a
     * valid line over the length limit; everything else must read back. */
    if (n <= EVENT_LINE_MAX) {
        rc = event_parse(json, n, NULL, &back, why, sizeof why);
        assert(rc == EVENT_OK);
        char *json2 = event_to_json(&back);
        assert(json2 && strcmp(json, json2) == 0);
        assert(back.ts_us == ev.ts_us && back.type == ev.type && back.polarity == ev.polarity);
        assert(back.emo_employee.label == ev.emo_employee.label);
        assert(back.emo_customer.label == ev.emo_customer.label);
        free(json2);
        event_clear(&back);
    }
    assert(event_copy(&copy, &ev) == 0);
    char *json3 = event_to_json(&copy);
    assert(json3 && strcmp(json, json3) == 0);
    free(json3);
    free(json);
    event_clear(&copy);
    event_clear(&ev);
    return 0;
}
