/* libFuzzer: any line either parses or is rejected with a reason; what
 * parses writes back to JSON that parses to the same event. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/event.h"
#include "cxm/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
