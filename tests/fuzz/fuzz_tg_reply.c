/* libFuzzer: the Bot API reply scanner (src/feed/tg_reply.c) never reads past
 * the buffer (the input is not NUL-terminated here), and what it returns is
 * well-formed: ok in {-1, 0, 1}, a terminated description free of control
 * characters. Also the HTML escaper of the alert messages on the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cxm/alert_forward.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size ? size : 1); /* exactly size bytes: overreads trip ASan */
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    tg_reply r;
    tg_reply_parse(buf, size, &r);
    if (r.ok < -1 || r.ok > 1 || memchr(r.description, 0, sizeof r.description) == NULL)
        abort();
    for (const char *p = r.description; *p; p++)
        if ((unsigned char)*p < 0x20)
            abort();
    char *s = malloc(size + 1), out[512];
    if (s) {
        memcpy(s, data, size);
        s[size] = 0;
        size_t n = alerts_tg_escape(s, out, sizeof out);
        if (n >= sizeof out || strlen(out) != n || strchr(out, '<') || strchr(out, '>'))
            abort();
        free(s);
    }
    free(buf);
    return 0;
}
